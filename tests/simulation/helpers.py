"""Checks shared by the simulator tests."""

import numpy as np
import pandas as pd


def day_index(periods=16, start="2024-01-01 08:00", freq="30min"):
    return pd.date_range(start, periods=periods, freq=freq)


def assert_states_do_not_overlap(states):
    """Within one replication and agent, each spell starts at or after the previous one ends."""
    s = states.sort_values(["replication", "agent", "start"], kind="stable")
    same = (s["replication"].to_numpy()[1:] == s["replication"].to_numpy()[:-1]) & \
        (s["agent"].to_numpy()[1:] == s["agent"].to_numpy()[:-1])
    gaps = s["start"].to_numpy()[1:] - s["end"].to_numpy()[:-1]
    assert (gaps[same] >= np.timedelta64(0, "ns")).all()
    assert (s["end"] > s["start"]).all()


def assert_conserved(sim):
    """Every contact is answered, abandoned or still waiting, once; the tables agree with the log."""
    c = sim.contacts
    waiting = ~c["answered"] & ~c["abandoned"]
    assert not (c["answered"] & c["abandoned"]).any()
    assert c["answer"].notna().eq(c["answered"]).all()
    assert c["abandon"].notna().eq(c["abandoned"]).all()
    assert c["end"].isna().eq(waiting).all()
    assert c["agent"].notna().eq(c["answered"]).all()
    reps = sim.params["replications"]
    tab = sim.intervals
    np.testing.assert_allclose(tab["offered"], tab["answered"] + tab["abandoned"] + tab["waiting"])
    per = c.groupby("interval").agg(offered=("contact", "size"), answered=("answered", "sum"),
                                    abandoned=("abandoned", "sum"))
    per = per.reindex(tab.index, fill_value=0) / reps
    np.testing.assert_allclose(tab["offered"], per["offered"])
    np.testing.assert_allclose(tab["answered"], per["answered"])
    np.testing.assert_allclose(tab["abandoned"], per["abandoned"])
    ans = c[c["answered"]]
    assert (ans["answer"] >= ans["arrival"]).all()
    np.testing.assert_allclose((ans["end"] - ans["answer"]).dt.total_seconds(), ans["handle"], atol=2e-6)
    np.testing.assert_allclose((ans["answer"] - ans["arrival"]).dt.total_seconds(), ans["wait"], atol=2e-6)
    ab = c[c["abandoned"]]
    np.testing.assert_allclose((ab["end"] - ab["arrival"]).dt.total_seconds(), ab["wait"], atol=2e-6)
    assert (c.loc[~c["answered"], "handle"] == 0).all()
