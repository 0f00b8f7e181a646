"""The chain solved a block of like-width intervals at a time equals it solved for all intervals at once.

wfm.channels._chain.solve pads every interval's states to the widest interval solved with it; blocks of bounded
size (BLOCK_CELLS) keep a year in memory. With BLOCK_CELLS large enough for one block, solve is the all-at-once
solution it was before blocks; the same inputs solved in many small blocks, rows in another order, must give the
same figures to rounding (a row's states beyond its own are padding whose mass is exactly zero).
"""

import numpy as np

from wfm.channels import _chain, chat_staffing


def _inputs():
    """Arrival rates from quiet to near the full completion rate (the widest chains), with and without patience,
    a line limit on some rows and a few rows with no arrivals (seeded, synthetic)."""
    rng = np.random.default_rng(11)
    n = 400
    slots = rng.integers(1, 60, n)
    aht = rng.uniform(120, 600, n)
    rho = rng.choice([0.0, 0.3, 0.8, 0.97, 0.995, 1.4], n)
    lam = rho * slots / aht
    theta = np.where(rng.random(n) < 0.5, 0.0, 1 / rng.uniform(30, 600, n))
    lines = np.where(rng.random(n) < 0.2, slots + rng.integers(0, 30, n), np.inf)
    threshold = rng.uniform(10, 120, n)
    return lam, slots, aht, theta, lines, threshold


def _solve(inputs):
    lam, slots, aht, theta, lines, threshold = inputs
    return _chain.solve(lam, slots, lambda m, rows: m / aht[rows][:, None], theta, lines=lines, threshold=threshold)


def test_blocks_give_the_all_at_once_figures(monkeypatch):
    inputs = _inputs()
    monkeypatch.setattr(_chain, "BLOCK_CELLS", 10**12)  # one block: every row padded to the widest
    assert len(_chain._blocks(np.arange(1, 401))) == 1
    whole = _solve(inputs)
    monkeypatch.setattr(_chain, "BLOCK_CELLS", 5_000)  # many blocks, rows sorted by width
    widths = _chain._states(inputs[0], inputs[1], lambda m: m / inputs[2][:, None], inputs[3], inputs[4])
    assert len(_chain._blocks(widths["top"] - widths["base"] + 1)) > 20
    blocked = _solve(inputs)
    assert whole.keys() == blocked.keys()
    for key in whole:
        np.testing.assert_allclose(blocked[key], whole[key], rtol=1e-12, atol=1e-15, err_msg=key)
    assert whole["unstable"].any() and (inputs[0] == 0).any()  # the cases the rows were drawn to hold


def test_blocks_cover_every_row_once_within_the_budget(monkeypatch):
    monkeypatch.setattr(_chain, "BLOCK_CELLS", 1_000)
    width = np.random.default_rng(3).integers(1, 3_000, 5_000)
    blocks = _chain._blocks(width)
    assert np.array_equal(np.sort(np.concatenate(blocks)), np.arange(width.size))
    for b in blocks:  # within the budget, or one row wider than it alone
        assert len(b) * width[b].max() <= 1_000 or len(b) == 1


def test_chat_staffing_of_a_month_is_the_same_in_small_blocks(monkeypatch):
    calls = np.random.default_rng(5).poisson(20, 2_000).astype(float)
    ref = chat_staffing(calls, 600, 900, concurrency=3, slowdown=0.25, threshold=60).table
    monkeypatch.setattr(_chain, "BLOCK_CELLS", 20_000)
    small = chat_staffing(calls, 600, 900, concurrency=3, slowdown=0.25, threshold=60).table
    assert np.array_equal(small["agents"], ref["agents"])
    np.testing.assert_allclose(small["service_level"], ref["service_level"], rtol=1e-12)
