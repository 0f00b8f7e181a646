"""estimate_redials: the maximum likelihood of a redial delay right-truncated at the window (review 31, 1.5).

The delays seen within ``window`` are an exponential truncated at the window; their plain mean is biased low
(900 s seen through 3600 s averages 833 s). The closed-form truncated mean
m(d) = d - w e^{-w/d} / (1 - e^{-w/d}) is the independent check: the MLE sets m(d) to the sample mean
(Deemer and Votaw 1955).
"""

import matplotlib
import numpy as np
import pandas as pd
import pytest

from wfm.channels import estimate_redials
from wfm.simulation import simulate_redials

matplotlib.use("Agg")


def _truncated_mean(d, w):
    return d - w * np.exp(-w / d) / (1 - np.exp(-w / d))


def _log(delays, unseen, window):
    """A log with one failure per customer at 09:00 (+1 s apart), each redial ``delay`` s after it, ``unseen``
    failures never redialled, and a last answered call ``window`` s after the last failure so every failure is
    followed for the whole window."""
    start = pd.Timestamp("2024-01-01 09:00")
    k = len(delays)
    fail = start + pd.to_timedelta(np.arange(k + unseen), unit="s")
    rows = [(f"c{i}", fail[i], False) for i in range(k + unseen)]
    rows += [(f"c{i}", fail[i] + pd.Timedelta(seconds=float(x)), True) for i, x in enumerate(delays)]
    rows.append(("last", fail[-1] + pd.Timedelta(seconds=window + 1), True))
    return pd.DataFrame(rows, columns=["customer", "arrival", "answered"])


def test_exact_delays_give_the_delay_whose_truncated_mean_they_have():
    """Delays in pairs m +- s (mean exactly m = m(900) at w = 3600): the estimate is 900 s, p = k / (n F)."""
    w, d = 3600.0, 900.0
    m = _truncated_mean(d, w)
    spread = np.linspace(0, 0.9 * m, 20)
    delays = np.round(np.r_[m - spread, m + spread], 6)
    est = estimate_redials(_log(delays, 60, w), window=w).figures()
    assert (est["redials"], est["failed_attempts"]) == (40, 100)
    assert est["redial_delay"] == pytest.approx(d, rel=1e-6)
    assert est["redial_probability"] == pytest.approx(40 / (100 * (1 - np.exp(-w / d))), rel=1e-6)
    assert est["redial_delay_lo"] < d < est["redial_delay_hi"]


def test_truth_inside_the_intervals_at_the_default_window():
    """Review 31's run: 200 calls per 30 min for 4 days, 19 agents, patience 120 s, half the failures redial after
    900 s. The plain mean gave 824 s [798, 850] at the default window (3600 s)."""
    idx = pd.date_range("2024-01-01", periods=192, freq="30min")
    sim = simulate_redials(pd.Series(200.0, idx), 180, 19, patience=120, redial_probability=0.5, redial_delay=900,
                           replications=1, seed=3)
    est = estimate_redials(sim.contacts).figures()
    assert est["failed_attempts"] > 5000
    assert est["redial_delay_lo"] <= 900 <= est["redial_delay_hi"]
    assert est["redial_probability_lo"] <= 0.5 <= est["redial_probability_hi"]
    assert est["redial_delay_hi"] - est["redial_delay_lo"] < 120  # and the interval still says something


def test_a_window_shorter_than_the_spread_widens_the_interval_and_caps_p_at_one():
    """Two delays near the window's end: the likelihood's maximum is on p = 1, and the delay's interval is wide."""
    est = estimate_redials(_log([3000.0, 3500.0], 1, 3600), window=3600).figures()
    assert est["redial_probability"] == 1.0 and est["redial_probability_hi"] == 1.0
    assert est["redial_delay_lo"] < 3600 < est["redial_delay"] < est["redial_delay_hi"]


def test_no_redial_seen_leaves_the_delay_unknown():
    est = estimate_redials(_log([], 10, 3600), window=3600).figures()
    assert est["redial_probability"] == 0.0 and np.isnan(est["redial_delay"])
    assert (est["redial_probability_lo"], est["redial_probability_hi"]) == (0.0, 1.0)


def test_plot_has_a_title():
    ax = estimate_redials(_log([600.0, 900.0], 2, 3600), window=3600).plot()
    assert ax.get_title().startswith("Redial delays within 3,600 s")
    assert ax.get_xlabel() == "redial delay [s]"
