r"""
A level that has moved: one change point in the recent daily totals, and a history rescaled to it.

Campaigns, a new product, a seasonal drop, an outage: a centre's volume can
step to a new level and stay there. Every smoothing forecaster follows such
a step only slowly (a weighted average of 12 weeks gives last week a fifth of
the weight), and a backtest inside the history cannot see it either when it
happened after the last backtest origin. So the step is looked for directly.

The test: weekday-adjusted log daily totals :math:`z_d` of the usual days
(observed, complete, not after a closure, not special) over the last
:data:`LOOKBACK_DAYS` days; for every split with at least
:data:`MIN_AFTER` days and one open week after it (a new level must hold
a week; at most :data:`MAX_AFTER` days) and
one open week before (:data:`MIN_BEFORE` days, or the open days of a week
when the centre opens fewer), the two-sample statistic

.. math:: t = \frac{\bar z_{\text{after}} - \bar z_{\text{before}}}
              {s \sqrt{1/n_{\text{after}} + 1/n_{\text{before}}}},

with :math:`s` the robust (MAD) scale of the residuals about the two
segments' means, corrected for the weekday effects and means fitted on the
same days (:math:`\sqrt{m / (m - p)}`, :math:`p` the weekdays plus one). A
split qualifies when :math:`|t| \ge` :data:`T_THRESHOLD`, the step is at
least :data:`MIN_STEP` on the log scale (a 5% change of volume; 8% with
less than two open weeks after it, :data:`MIN_STEP_ONE_WEEK`), and the days
after it agree with the step (at least :data:`MIN_AGREE` of them on its
side of the old level: one busy day is not a new level); the qualifying
split with the largest :math:`|t|` is the change point [1]_. (Taking the
largest :math:`|t|` first and testing it after missed, on taylor, a +15%
step a week old behind a real 4% dip the weeks before: the best split was
the dip's, which fails the agreement.)

What is done with it (:func:`rescale_before`): the days before the change
point are multiplied by :math:`\exp(\bar z_{\text{after}} - \bar
z_{\text{just before}})`, the mean after it over the mean of the last two
open weeks before it (the level the step left, not the lookback's mean, in
case the level drifted before the change), so every forecaster learns its weekly and intraday
patterns from the whole history and its level from the days after the
change. ``method="auto"`` keeps the rescaled history unless it scores worse
(beyond the near-tie tolerance) in the backtest windows where the test
saw a change like it too: the same direction, at least half its size
(:mod:`.auto`).

References
----------
.. [1] A. J. Scott and M. Knott, "A cluster analysis method for grouping
   means in the analysis of variance", Biometrics 30(3), 507-512, 1974
   (binary segmentation: the single split that best separates two means);
   D. M. Hawkins, "Testing a sequence of observations for a shift in
   location", Journal of the American Statistical Association 72(357),
   180-186, 1977 (the maximal two-sample statistic over the splits).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._panel import _replace
from .topdown import learnable_rows

#: Calendar days of history the test looks at. [days]
LOOKBACK_DAYS = 70
#: Fewest usual days after a change point, besides one open week (a level must hold a week). [days]
MIN_AFTER = 3
#: Most usual days after a change point: older steps the forecasters' own level smoothing has followed. [days]
MAX_AFTER = 35
#: Fewest usual days before a change point; fewer when the centre opens fewer days a week (one open week). [days]
MIN_BEFORE = 7
#: Largest |t| must reach this for a change point. [standard errors]
T_THRESHOLD = 4.0
#: Smallest step on the log scale that counts (log 1.05), and with under two open weeks after it (log 1.08):
#: one busy week (the bank's turn of the month: +6%) is not yet a new level. [log calls]
MIN_STEP, MIN_STEP_ONE_WEEK = float(np.log(1.05)), float(np.log(1.08))
#: Share of the days after the change point that must lie on the step's side of the old level. [fraction]
MIN_AGREE = 0.75


@dataclass(frozen=True)
class LevelShift:
    """A change point: ``row`` is the first panel row at the new level; ``ratio`` new level over old."""

    row: int
    date: object
    ratio: float
    t: float
    days_after: int

    def describe(self):
        return (f"level shift of {self.ratio - 1:+.1%} from {self.date:%a %Y-%m-%d} ({self.days_after} day(s) "
                f"at the new level, t = {self.t:.1f})")


def _weekday_adjusted(panel, rows):
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.log(panel.daily[rows])
    wd = panel.weekday[rows]
    effect = np.zeros(7)
    for w in np.unique(wd):
        effect[w] = np.mean(z[wd == w])
    return z - effect[wd] + np.mean(effect[np.unique(wd)])


def detect_level_shift(panel):
    """The most significant recent change of level in the daily totals, or None (see the module docstring)."""
    n = panel.n_hist
    ok = learnable_rows(panel)
    with np.errstate(invalid="ignore"):
        ok &= panel.daily > 0
    if n == 0:
        return None
    start = panel.dates[n - 1] - np.timedelta64(LOOKBACK_DAYS, "D")
    ok[: int(panel.dates[:n].searchsorted(start, side="right"))] = False
    rows = np.flatnonzero(ok[:n])
    m = rows.size
    min_before = min(MIN_BEFORE, len(panel.calendar.open_days))
    if m < min_before + MIN_AFTER:
        return None
    z = _weekday_adjusted(panel, rows)
    min_after = max(MIN_AFTER, len(panel.calendar.open_days))
    # residual scale corrected for the weekday effects and the two means fitted on the same days
    dof = np.sqrt(m / max(m - np.unique(panel.weekday[rows]).size - 1, 1))
    k = np.arange(min_before, m - min_after + 1)  # split: z[:k] before, z[k:] after
    k = k[m - k <= MAX_AFTER]
    if not k.size:
        return None
    csum = np.r_[0.0, np.cumsum(z)]
    before = csum[k] / k
    after = (csum[m] - csum[k]) / (m - k)
    diff = after - before
    t = np.empty(k.size)
    agree = np.empty(k.size)
    for i, (kk, b, a) in enumerate(zip(k, before, after)):
        resid = np.r_[z[:kk] - b, z[kk:] - a]
        scale = max(1.4826 * np.median(np.abs(resid - np.median(resid))), 1e-3) * dof
        t[i] = diff[i] / (scale * np.sqrt(1 / kk + 1 / (m - kk)))
        agree[i] = np.mean(np.sign(z[kk:] - b) == np.sign(diff[i]))
    least = np.where(m - k >= 2 * min_after, MIN_STEP, MIN_STEP_ONE_WEEK)
    valid = (np.abs(t) >= T_THRESHOLD) & (np.abs(diff) >= least) & (agree >= MIN_AGREE)
    if not valid.any():
        return None
    best = int(np.flatnonzero(valid)[np.argmax(np.abs(t[valid]))])
    kk = int(k[best])
    row = int(rows[kk])
    # the ratio against the level just before the change (the last two open weeks), not the whole lookback's:
    # a level that drifted before the change would otherwise be carried into the rescaled history
    recent = float(np.mean(z[max(0, kk - 2 * min_after):kk]))
    ratio = float(np.exp(after[best] - recent))
    return LevelShift(row=row, date=panel.dates[row], ratio=ratio, t=float(t[best]),
                      days_after=int(m - kk))


def rescale_before(panel, shift):
    """The panel with every history row before ``shift.row`` multiplied by ``shift.ratio``."""
    values = panel.values.copy()
    values[: shift.row] *= shift.ratio
    return _replace(panel, values=values)


def shift_aware(fn):
    """``fn`` run on the panel rescaled to the level after its most recent change point, if it has one."""

    def adjusted(panel):
        shift = detect_level_shift(panel)
        return fn(panel if shift is None else rescale_before(panel, shift))

    adjusted.__name__ = getattr(fn, "__name__", "method") + "+shift"
    return adjusted
