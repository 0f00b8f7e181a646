"""interval_history: a contact log to interval history, checked against the simulator's own figures."""

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm.logs import interval_history, patience_estimate


def _two_days():
    """Two days open 08:00-12:00 in half-hours, a closed night between (two open blocks for the simulator)."""
    days = [pd.date_range(f"2024-01-0{d} 08:00", periods=8, freq="30min") for d in (1, 2)]
    idx = days[0].append(days[1])
    calls = pd.Series(np.tile([20.0, 40, 60, 80, 80, 60, 40, 5], 2), index=idx)
    return calls


@pytest.fixture(scope="module")
def simulated():
    """One simulated replication of two days with abandonment. Module scope: read-only."""
    calls = _two_days()
    return calls, wfm.simulate(calls, 240, 9, patience=90, seed=11, threshold=20)


def test_reproduces_the_simulators_interval_figures_exactly(simulated):
    calls, sim = simulated
    hist = interval_history(sim.contacts, "30min", threshold=20, calendar=calls.index)
    t, s = hist.table, sim.intervals
    assert t.index.equals(s.index)
    for ours, theirs in [("calls", "offered"), ("answered", "answered"), ("abandoned", "abandoned"),
                         ("waiting", "waiting"), ("service_level", "service_level"),
                         ("abandon_rate", "abandon_rate"), ("asa", "asa")]:
        np.testing.assert_array_equal(t[ours].to_numpy(), s[theirs].to_numpy(), err_msg=ours)
    # AHT from the log's handle times, summed by hand
    c = sim.contacts
    first = c[(c["interval"] == calls.index[3]) & c["answered"]]
    assert t["aht"].iloc[3] == pytest.approx(first["handle"].mean(), rel=1e-12)


def test_inferred_calendar_matches_and_zero_fills(simulated):
    """With the calendar inferred from the log the same 16 intervals come back; an open interval with no call is 0."""
    calls, sim = simulated
    hist = interval_history(sim.contacts, "30min")
    assert hist.table.index.equals(calls.index)
    # drop every contact of 11:30 on day two: with the hours given, that interval stays, with zero calls
    # (two days are too few to infer a Tuesday's hours from, so they are given)
    c = sim.contacts[sim.contacts["interval"] != calls.index[-1]]
    hist = interval_history(c, "30min", open_hours=("08:00", "12:00"))
    assert hist.table.index.equals(calls.index)
    assert hist.table["calls"].iloc[-1] == 0 and np.isnan(hist.table["service_level"].iloc[-1])


def test_after_midnight_straggler_counts_in_its_arrival_interval():
    """A 24/7 log: a call at 23:59:50 answered at 00:00:05 counts at 23:30 of its own day, once."""
    log = pd.DataFrame({
        "arrival": pd.to_datetime(["2024-01-01 23:10:00", "2024-01-01 23:59:50", "2024-01-02 00:10:00"]),
        "answer": pd.to_datetime(["2024-01-01 23:10:30", "2024-01-02 00:00:05", "2024-01-02 00:10:05"]),
        "handle": [100.0, 200.0, 300.0]})
    idx = pd.date_range("2024-01-01 23:00", periods=4, freq="30min")
    hist = interval_history(log, "30min", calendar=idx)
    assert hist.table["calls"].tolist() == [1.0, 1.0, 1.0, 0.0]
    assert hist.table["asa"].tolist()[:3] == [30.0, 15.0, 5.0]
    assert hist.table["service_level"].tolist()[:3] == [0.0, 1.0, 1.0]


def test_patience_estimate_by_hand_and_per_hour():
    # 4 callers: waits 30, 60 (abandoned), 10, 100 (abandoned): 200 s / 2 abandons = 100 s
    est = patience_estimate([30, 60, 10, 100], [False, True, False, True])
    assert est["patience"] == 100.0 and est["exposure"] == 200.0 and est["abandoned"] == 2
    # Garwood: rate in [chi2(0.025, 4) / 400, chi2(0.975, 6) / 400]
    from scipy.stats import chi2

    assert est["hi"] == pytest.approx(400 / chi2.ppf(0.025, 4)) and est["lo"] == pytest.approx(400 / chi2.ppf(0.975, 6))
    log = pd.DataFrame({"arrival": pd.to_datetime(["2024-01-01 08:10", "2024-01-01 08:20", "2024-01-01 09:05"]),
                        "answered": [True, False, False], "abandoned": [False, True, True],
                        "wait": [40.0, 20.0, 50.0]})
    hist = interval_history(log, "30min", calendar=pd.date_range("2024-01-01 08:00", periods=4, freq="30min"),
                            patience_by="hour")
    assert hist.patience["patience"].tolist() == [60.0, 50.0]
    assert hist.patience.index.tolist() == [8, 9]


def test_patience_interval_covers_the_simulated_patience():
    """50 seeded runs: the 95% interval holds the simulated mean patience (90 s) in at least 90% of them."""
    idx = pd.date_range("2024-01-01 08:00", periods=8, freq="30min")
    calls = pd.Series(60.0, index=idx)
    hits = 0
    for seed in range(50):
        sim = wfm.simulate(calls, 240, 8, patience=90, seed=seed)
        p = interval_history(sim.contacts, "30min", calendar=idx).patience.loc["all"]
        hits += p["lo"] <= 90 <= p["hi"]
    assert hits >= 45, hits


def test_several_replications_and_bad_options():
    idx = pd.date_range("2024-01-01 08:00", periods=2, freq="30min")
    sim = wfm.simulate(pd.Series(10.0, index=idx), 240, 3, patience=90, seed=1, replications=2)
    with pytest.raises(ValueError, match="replications"):
        interval_history(sim.contacts, "30min")
    one = sim.contacts[sim.contacts["replication"] == 0]
    with pytest.raises(ValueError, match="patience_by"):
        interval_history(one, "30min", patience_by="day")
    with pytest.warns(UserWarning, match="threshold"):
        interval_history(one, "30min", threshold=0.33)


def test_arrivals_in_closed_intervals_are_reported_not_counted():
    """Open 08:00-09:00: a call at 09:02 is counted in no interval, and the notes say so."""
    log = pd.DataFrame({"arrival": pd.to_datetime(["2024-01-01 08:10", "2024-01-01 08:40", "2024-01-01 09:02"]),
                        "answered": True, "abandoned": False, "wait": 1.0, "handle": 100.0})
    with pytest.warns(UserWarning, match=r"contacts: 1 row\(s\) arrived in an interval the open calendar has "
                                         r"closed \(first 2024-01-01 09:02:00\); left out"):
        hist = interval_history(log, "30min", open_hours=("08:00", "09:00"))
    assert hist.table["calls"].tolist() == [1.0, 1.0]
    assert hist.notes["rows"].tolist() == [1]


def test_filter_and_placeholder_errors_name_the_option():
    log = pd.DataFrame({"arrival": ["2024-01-01 08:10"], "answered": [True], "handle": [1.0]})
    with pytest.raises(ValueError, match=r"filters=\{'queue': 'A'\} names column 'queue'"):
        interval_history(log, "30min", filters={"queue": "A"})


def test_results_object(simulated):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    calls, sim = simulated
    hist = interval_history(sim.contacts, "30min", calendar=calls.index)
    s = hist.figures()
    # totals by hand from the simulator's log
    c = sim.contacts
    assert s["calls"] == len(c) and s["answered"] == c["answered"].sum()
    assert s["aht"] == pytest.approx(c.loc[c["answered"], "handle"].mean(), rel=1e-12)
    assert s["patience"] == pytest.approx(c["wait"].sum() / c["abandoned"].sum(), rel=1e-12)
    assert "IntervalHistory: 16 open 30min intervals" in repr(hist)
    assert "<table" in hist._repr_html_()
    fig, ax = plt.subplots()
    assert hist.plot(ax=ax) is ax
    plt.close("all")


# --------------------------------------------------------------------------
# Abandons with no wait (no abandon or end time): no patience estimate, said so
# --------------------------------------------------------------------------

def _without_waits(sim, share):
    """The simulated log with the abandon time and wait of the first ``share`` of its abandons taken away."""
    c = sim.contacts.copy()
    gone = np.flatnonzero(c["abandoned"].to_numpy())
    lost = c.index[gone[:int(round(share * len(gone)))]]
    c.loc[lost, ["abandon", "end", "wait"]] = np.nan
    return c, lost


def test_abandons_with_no_wait_give_no_patience_not_inf(simulated):
    calls, sim = simulated
    log, lost = _without_waits(sim, 1.0)
    assert len(lost) == sim.contacts["abandoned"].sum() > 0  # the premise: the run has abandons
    hist = interval_history(log, "30min", threshold=20, calendar=calls.index)
    p = hist.patience.loc["all"]
    assert np.isnan([p["patience"], p["lo"], p["hi"]]).all() and p["abandoned"] == 0
    assert p["abandoned_no_wait"] == len(lost)
    assert np.isnan(hist.figures()["patience"])
    assert "patience: not estimated: none of the %d abandon(s) has a wait" % len(lost) in repr(hist)
    assert hist.table["abandoned"].sum() == len(lost)  # the abandons are still counted as abandons
    # the Python estimate alike; and no abandon at all is still inf (no caller hung up), with a lower bound
    est = patience_estimate(log["wait"], log["abandoned"])
    assert np.isnan(est["patience"]) and est["abandoned_no_wait"] == len(lost)
    none = patience_estimate([30.0, 60.0], [False, False])
    assert none["patience"] == np.inf and none["abandoned_no_wait"] == 0 and 0 < none["lo"] < np.inf


def test_some_abandons_with_no_wait_warn_and_the_estimate_is_over_the_rest(simulated):
    calls, sim = simulated
    log, lost = _without_waits(sim, 0.5)
    with pytest.warns(wfm.logs.PlausibilityWarning, match=r"%d of the %d abandons have no wait .* runs high" % (
            len(lost), sim.contacts["abandoned"].sum())):
        p = interval_history(log, "30min", threshold=20, calendar=calls.index).patience.loc["all"]
    # by hand: the abandons that kept a wait over the total wait of every caller with one
    known = log["wait"].notna()
    assert p["patience"] == pytest.approx(log.loc[known, "wait"].sum() / log.loc[known, "abandoned"].sum())
    assert p["abandoned_no_wait"] == len(lost)
