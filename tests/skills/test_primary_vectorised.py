"""primary_staffing's largest remainders for every interval at once, against the per-interval loop it replaced."""

import numpy as np
import pandas as pd

from wfm.skills import centre, erlang_requirements, primary_staffing
from wfm.skills.examples import SYNTHETIC_SKILLS, SYNTHETIC_TYPES, synthetic_centre, wallace_whitt_centre


def _primary_loop(c, req):
    """wfm's primary_staffing before vectorising, verbatim apart from the name: one interval at a time."""
    skills = c.params["tables"]["skills"]
    levels = c.params["tables"]["group_level"]
    groups, types = c.groups, c.types
    home = np.zeros((len(types), len(groups)))
    for j, i in enumerate(types):
        first = [b for b, g in enumerate(groups) if i in skills[g] and levels[b, skills[g].index(i)] == levels[b, 0]]
        holders = first or [b for b, g in enumerate(groups) if i in skills[g]]
        home[j, holders] = 1.0 / len(holders)
    load = c.calls.to_numpy() * c.aht.to_numpy() / c.interval
    total = req[tuple(types)].to_numpy().astype(float)
    root = np.sqrt(load)
    with np.errstate(invalid="ignore", divide="ignore"):
        beta = np.where(root.sum(axis=1) > 0, (total - load.sum(axis=1)) / root.sum(axis=1), 0.0)
    share = np.maximum((load + beta[:, None] * root) @ home, 0.0)
    out = np.floor(share).astype(np.int64)
    for t in range(len(out)):
        left = int(total[t] - out[t].sum())
        if left > 0:
            out[t, np.argsort(-(share[t] - out[t]), kind="stable")[:left]] += 1
    cap = c.max_agents.to_numpy()
    out = np.minimum(out, np.where(np.isfinite(cap), cap, np.iinfo(np.int64).max)).astype(np.int64)
    return pd.DataFrame(out, index=req.index, columns=pd.Index(groups, name="group"))


def _week_of_synthetic_days():
    """Seven seeded synthetic days (SYNTHETIC data, wfm.skills.synthetic_centre), 336 half-hours, quiet nights included."""
    days = pd.date_range("2024-03-04", periods=7, freq="D")
    calls = pd.concat([synthetic_centre(day=f"{d:%Y-%m-%d}", seed=k, scale=0.5 + 0.25 * k).calls
                       for k, d in enumerate(days)])
    return centre(calls, {g: s for g, (s, _) in SYNTHETIC_SKILLS.items()},
                  aht={k: s["aht"] for k, s in SYNTHETIC_TYPES.items()},
                  patience={k: s["patience"] for k, s in SYNTHETIC_TYPES.items()},
                  targets={k: s["targets"] for k, s in SYNTHETIC_TYPES.items()},
                  cost={g: x for g, (_, x) in SYNTHETIC_SKILLS.items()})


def test_primary_matches_the_per_interval_loop():
    for c in (_week_of_synthetic_days(), wallace_whitt_centre("two", intervals=3),
              wallace_whitt_centre("two", calls_per_type=7.0, intervals=2)):
        req = erlang_requirements(c)
        new, old = primary_staffing(c, req), _primary_loop(c, req)
        pd.testing.assert_frame_equal(new, old)
        # the groups add up to the pooled staffing wherever no cap binds (the point of largest remainders)
        busy = c.calls.to_numpy().sum(axis=1) > 0
        assert np.array_equal(new.to_numpy().sum(axis=1)[busy], req[tuple(c.types)].to_numpy()[busy])


def test_ties_go_to_the_first_group():
    # the symmetric ring: six equal shares of 99 agents, 16.5 each, so three groups get 17; the stable order gives
    # them to the first three groups, as the loop did
    c = wallace_whitt_centre("two", intervals=1)
    req = erlang_requirements(c)
    got = primary_staffing(c, req).iloc[0].to_numpy()
    assert np.array_equal(got, _primary_loop(c, req).iloc[0].to_numpy())
    assert got.tolist() == [17, 17, 17, 16, 16, 16] and got.sum() == req[tuple(c.types)].iloc[0] == 99
