"""The binding-target labels of required_agents: one take over the distinct codes, against the per-column lookup."""

import numpy as np

import wfm
from wfm.staffing.required import TARGETS, _labels


def _labels_loop(fails, names):
    """The lookup wfm used before: a dict of the distinct codes, then one Python call per column (np.vectorize)."""
    codes = (fails * (1 << np.arange(len(names)))[:, None]).sum(axis=0)
    table = {}
    for code in np.unique(codes):
        table[code] = "+".join(names[[(code >> k) & 1 == 1 for k in range(len(names))]]) or "min_agents"
    return np.vectorize(table.get, otypes=[object])(codes)


def test_labels_match_the_lookup_on_every_combination():
    names = np.array(TARGETS, dtype=object)
    k = len(names)
    # every subset of the targets failing (brute force over 2**k columns), then a seeded shuffle with repeats
    every = ((np.arange(2 ** k)[None, :] >> np.arange(k)[:, None]) & 1).astype(bool)
    rng = np.random.default_rng(3)
    for fails in (every, every[:, rng.integers(0, 2 ** k, 5000)], np.zeros((k, 0), dtype=bool)):
        new, old = _labels(fails, names), _labels_loop(fails, names)
        assert new.dtype == object and new.shape == old.shape and new.tolist() == old.tolist()
    assert _labels(every, names)[0] == "min_agents" and _labels(every, names)[1] == names[0]


def test_binding_target_names_the_targets_missed_with_one_agent_fewer():
    # the bank's record, where service level binds in some half-hours and occupancy in others: each label must name
    # exactly the targets that one agent fewer would miss, computed here with the Erlang C formulas
    calls = wfm.datasets.bank_calls("30min").iloc[:560]
    plan = wfm.staffing_plan(calls, aht=300, service_level=0.8, threshold=20, max_occupancy=0.95)
    t = plan.table
    fewer = t["agents"] - 1
    sl_miss = wfm.service_level(t["calls"], 300, 1800, fewer, threshold=20).to_numpy() < 0.8
    occ_miss = wfm.occupancy(t["calls"], 300, 1800, fewer).to_numpy() > 0.95
    expected = np.where(sl_miss & occ_miss, "service_level+occupancy",
                        np.where(sl_miss, "service_level", np.where(occ_miss, "occupancy", "min_agents")))
    assert t["binding_target"].tolist() == expected.tolist()
    assert {"service_level", "occupancy", "service_level+occupancy"} <= set(expected.tolist())
