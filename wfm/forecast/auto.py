"""
``method="auto"``: pick the forecaster by a rolling-origin backtest on the history itself.

The candidates are refitted at the start of each of the history's last
``n_windows`` weeks, from the data before that start only, and forecast the
same number of open days as the caller asked for. The method with the lowest
mean interval WAPE over those windows is used for the real forecast, and its
errors in those windows calibrate the band. Scores are computed here, not
with :mod:`wfm.evaluate` (the forecasting layer sits to its left and may not
import it); the definitions are the same.

Choosing, and averaging only when it pays: the equal-weight mean of the two
best candidates of different families (a combination [1]_; top-down with a
damped trend is the same family as top-down, and averaging two nearly equal
forecasts diversifies nothing) is scored on the same windows at no
extra fitting cost, and used instead of the best alone when its interval
WAPE there is lower. On the bank data it rarely is; on 24/7 series a
top-down forecast and MSTL often err in different directions.

The candidates (:data:`wfm.forecast._core.AUTO_CANDIDATES`) are top-down,
top-down with a damped trend, MSTL for centres open every day (and MSTL with
an ARIMA level, ``"mstl_arima"``, where every interval is large enough to
read a level from), and one baseline: the weighted average of the same weekday and time over the last
12 weeks, each week weighing 0.8 of the week after it. Seasonal naive and
the plain 4-week average stay methods of their own, and candidates a caller
can name, but not default candidates: with four to six backtest windows,
seasonal naive (a copy of one week, the noisiest forecaster there is) wins
some windows by chance and loses the week after, and the weighted average
is the lower-variance member of the same family. Measured on the forecast
panel (``benchmarks/README.md``): with the two in place of the weighted
average, ``auto`` missed the baselines' bar on vic_elec and on three of
four Auckland pedestrian sensors of 2019 that were not looked at while
developing; without them it met it on every series.

A moving level (a ramp, a centre losing volume week by week) shows in the
backtest as windows that all miss the same way: when every window of the
first choice is biased in the same direction by :data:`DRIFT_BIAS` or more
on average, seasonal naive (last week, the baseline that lags a moving
level least) joins the candidates and the choice is made again; the new
choice replaces the first only when its backtest WAPE is lower by more than
:data:`TIE_TOLERANCE` (with two or three windows, a copy of last week wins a
near tie by chance as often as by a moving level). A level
that stepped recently is handled apart (:mod:`wfm.forecast.shifts`).

A candidate that carries the last level forward (:data:`PERSISTENT`:
``"mstl_arima"``) bets that the level at the end of the history persists;
on its own or in a combination, it is chosen only when it also beats the
choice made without it in most backtest windows, not by one window's luck
(on vic_elec one window of four, where a warm spell persisted, made its mean
the lowest; the week after the origin reverted).

Near ties go to the simpler method: a handful of backtest windows cannot tell
apart scores a few per cent apart, and the simpler forecaster is the safer
bet out of sample [2]_. The chosen method is the simplest (in
:data:`SIMPLICITY` order) whose backtest WAPE is within :data:`TIE_TOLERANCE`
of the best; the combination replaces it when it scores lower at all.

References
----------
.. [1] R. T. Clemen, "Combining forecasts: A review and annotated
   bibliography", International Journal of Forecasting 5(4), 559-583, 1989.
.. [2] K. C. Green and J. S. Armstrong, "Simple versus complex forecasting:
   The evidence", Journal of Business Research 68(8), 1678-1685, 2015.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validation as v
from ._windows import Pairs, collect
from .shifts import detect_level_shift, shift_aware

#: Candidates from simplest to most complex; near ties go to the earlier one. The averages come first:
#: free of fitted parameters, and a mean of k weeks has about 1/k of the variance of a copy of one.
SIMPLICITY = ("weighted_average", "window_average", "seasonal_naive", "topdown", "topdown_trend", "ets", "mstl",
              "mstl_arima")
#: Candidates that are one forecaster with an option changed: a combination takes at most one of each.
FAMILY = {"topdown_trend": "topdown", "weighted_average": "window_average", "seasonal_naive": "window_average",
          "mstl_arima": "mstl"}
#: Relative margin of backtest WAPE within which two methods are a tie. [fraction]
TIE_TOLERANCE = 0.02


def _simplest_near_best(scores):
    """The simplest method whose WAPE is within :data:`TIE_TOLERANCE` of the lowest."""
    scored = scores.dropna(subset=["wape"])
    near = scored[scored["wape"] <= (1 + TIE_TOLERANCE) * scored["wape"].min()]["method"].tolist()
    return min(near, key=lambda m: SIMPLICITY.index(m) if m in SIMPLICITY else len(SIMPLICITY))


def auto_select(panel, wins, candidates, options, *, methods, default_candidates, method_function, score_row):
    """(chosen name, its bound matrix function, its backtest pairs, scores of all candidates, level-shift report).

    ``methods`` (name -> (matrix function, option names)), ``default_candidates``,
    ``method_function`` and ``score_row`` come from the caller, :mod:`._core`, so
    this module imports nothing back from it.
    """
    METHODS, AUTO_CANDIDATES, _score_row = methods, default_candidates, score_row  # noqa: N806

    names = tuple(AUTO_CANDIDATES if candidates is None else
                  ([candidates] if isinstance(candidates, str) else candidates))
    if not names:
        raise ValueError(f"candidates must name at least one of {list(METHODS)}; got none.")
    for name in names:
        v.check_choice(name, "candidates", tuple(METHODS))
    known = {k for name in names for k in METHODS[name][1]}
    bad = [k for k in options if k not in known]
    if bad:
        raise v.unknown_options("auto", bad, sorted(known))
    rows, fitted = [], {}
    for name in names:
        fn = method_function(name, options, strict=False)
        try:
            pairs = collect(fn, panel, wins)
        except ValueError as err:  # e.g. too little history for this candidate
            rows.append({"method": name, "note": str(err)})
            continue
        fitted[name] = (fn, pairs)
        rows.append(_score_row(name, pairs, len(wins)))
    scores = pd.DataFrame(rows)
    if not fitted:
        raise ValueError("history is too short for every candidate method: " +
                         "; ".join(f"{r['method']}: {r['note']}" for r in rows))
    best, fn, pairs, scores = _choose(panel, wins, scores, fitted, _score_row)
    reason = scores.attrs.get("reason", "")
    drift = _drift(pairs)
    if drift is not None and DRIFT_CANDIDATE not in fitted and candidates is None:
        # every backtest window missed the same way: the level is moving; last week is a candidate now
        s_fn = method_function(DRIFT_CANDIDATE, options, strict=False)
        try:
            fitted[DRIFT_CANDIDATE] = (s_fn, collect(s_fn, panel, wins))
        except ValueError:
            pass
        else:
            rows.append(_score_row(DRIFT_CANDIDATE, fitted[DRIFT_CANDIDATE][1], len(wins)))
            first = (best, fn, pairs, scores)
            best, fn, pairs, scores = _choose(panel, wins, pd.DataFrame(rows), fitted, _score_row)
            saw = (f"; every backtest window of the first choice was biased {drift:+.1%} on average (a moving "
                   f"level), so {DRIFT_CANDIDATE} (last week) was a candidate")
            if _clearly_better(scores, best, first[3], first[0]):
                reason = scores.attrs.get("reason", "") + saw
            else:  # a near tie: last week, the noisiest forecaster, must earn its place by more than a hair
                extra = scores[~scores["method"].isin(first[3]["method"])]
                reason = (reason + saw + f", but the choice with it, {best}, scored within {TIE_TOLERANCE:.0%} of "
                          f"the first choice's backtest WAPE, so the first choice stands")
                best, fn, pairs, scores = first
                scores = pd.concat([scores, extra], ignore_index=True).sort_values(
                    "wape", na_position="last", kind="stable").reset_index(drop=True)
                del fitted[DRIFT_CANDIDATE]
    return _level_shift_choice(panel, wins, (best, fn, pairs, scores), fitted, _score_row, reason)


#: Candidate added when the backtest shows drift: the latest week, which lags a moving level least.
DRIFT_CANDIDATE = "seasonal_naive"
#: Mean backtest bias, the same sign in every window, that counts as drift. [fraction]
DRIFT_BIAS = 0.03


def _clearly_better(scores, best, first_scores, first_best):
    """Whether ``best`` beats ``first_best`` in backtest WAPE by more than :data:`TIE_TOLERANCE`."""
    new = float(scores.loc[scores["method"] == best, "wape"].min())
    old = float(first_scores.loc[first_scores["method"] == first_best, "wape"].min())
    return bool(np.isfinite(new) and (not np.isfinite(old) or new < old * (1 - TIE_TOLERANCE)))


def _drift(pairs):
    """Mean per-window bias when every backtest window (two or more) missed in the same direction by enough."""
    labels = np.unique(pairs.window)
    if labels.size < 2:
        return None
    bias = []
    for w in labels:
        m = pairs.window == w
        total = pairs.actual[m].sum()
        if total <= 0:
            return None
        bias.append((pairs.forecast[m].sum() - total) / total)
    bias = np.asarray(bias)
    if (np.all(bias > 0) or np.all(bias < 0)) and abs(bias.mean()) >= DRIFT_BIAS:
        return float(bias.mean())
    return None


def _level_shift_choice(panel, wins, choice, fitted, score_row, reason):
    """
    The choice again on histories rescaled at a recent change of level, when :mod:`.shifts` sees one.

    Returns (name, function, pairs, scores, explanation): the rescaled
    choice when it scores no worse in the backtest (with the test run at
    each backtest origin, so it differs only where the test saw a change
    like this one there: :func:`_with_shift`),
    else ``choice``; the explanation says what was chosen, why, and what
    the test saw.
    """
    best, fn, pairs, scores = choice
    shift = detect_level_shift(panel)
    report = {"seen": shift is not None, "used": False}
    if shift is not None:
        report.update(date=shift.date, ratio=shift.ratio, t=shift.t, days_after=shift.days_after,
                      description=shift.describe())
        chosen = _with_shift(panel, wins, scores, fitted, score_row, shift)
        if chosen is None:
            report.update(used=True, reason="no backtest window to judge it; the level after the change is used")
            fn = shift_aware(fn)
        else:
            s_best, s_fn, s_pairs, s_scores, fired = chosen
            old = float(scores.loc[scores["method"] == best, "wape"].min())
            new = float(s_scores.loc[s_scores["method"] == s_best, "wape"].min())
            report["windows_fired"] = fired
            # a near tie keeps the rescaling: the test's evidence now is not outweighed by a hair's breadth
            report["used"] = bool(not np.isfinite(old) or new <= old * (1 + TIE_TOLERANCE))
            report["reason"] = (
                f"the test also saw a change like this one at {fired} of {len(wins)} backtest origin(s); rescaling "
                f"there gave backtest WAPE {new:.4f} against {old:.4f} without, so the rescaled history is "
                + ("used" if report["used"] else "not used") if fired else
                "the test saw no change like this one (the same direction, at least half its size) at any backtest "
                "origin, so the backtest cannot judge the rescaling; the level after the change is used")
            if report["used"]:
                reason = s_scores.attrs.get("reason", "") + "; on the history rescaled to the new level"
                scores = pd.concat([s_scores, scores.assign(method=scores["method"] + " (no shift)")],
                                   ignore_index=True)
                best, fn, pairs = s_best, s_fn, s_pairs
    return best, fn, pairs, scores, {"chosen": best, "reason": reason, "level_shift": report}


#: Candidates that carry the level at the end of the history forward (a bet that it persists): chosen only when
#: they beat, in most backtest windows, the choice made without them.
PERSISTENT = ("mstl_arima",)


def _window_wapes(pairs):
    """Interval WAPE of each backtest window, by window label."""
    out = {}
    for w in np.unique(pairs.window):
        m = pairs.window == w
        total = pairs.actual[m].sum()
        if total > 0:
            out[int(w)] = float(np.abs(pairs.forecast[m] - pairs.actual[m]).sum() / total)
    return out


def _choose(panel, wins, scores, fitted, score_row):
    """(name, function, backtest pairs, scores) of the choice among ``fitted``; see the module docstring."""
    best, fn, pairs, scores = _choose_any(panel, wins, scores, fitted, score_row)
    if not any(part in PERSISTENT for part in best.split("+")):
        return best, fn, pairs, scores
    rest = {k: val for k, val in fitted.items() if k not in PERSISTENT}
    rest_scores = scores[scores["method"].isin(list(rest))].reset_index(drop=True)
    if not rest or "wape" not in rest_scores or not rest_scores["wape"].notna().any():
        return best, fn, pairs, scores
    alt, a_fn, a_pairs, a_scores = _choose_any(panel, wins, rest_scores, rest, score_row)
    mine, theirs = _window_wapes(pairs), _window_wapes(a_pairs)
    common = sorted(set(mine) & set(theirs))
    wins_count = sum(mine[w] < theirs[w] for w in common)
    if 2 * wins_count > len(common):
        return best, fn, pairs, scores
    reason = (a_scores.attrs.get("reason", "") + f"; {best} scored lower over the backtest but beat {alt} in only "
              f"{wins_count} of {len(common)} backtest windows, too few for a forecast that carries the last "
              "level forward")
    extra = scores[~scores["method"].isin(a_scores["method"])]
    a_scores = pd.concat([a_scores, extra], ignore_index=True).sort_values(
        "wape", na_position="last", kind="stable").reset_index(drop=True)
    a_scores.attrs["reason"] = reason
    return alt, a_fn, a_pairs, a_scores


def _choose_any(panel, wins, scores, fitted, score_row):
    """The choice among ``fitted`` by backtest WAPE, near ties and combinations (:func:`_choose` adds the rest)."""
    if "wape" in scores and scores["wape"].notna().any():
        best = _simplest_near_best(scores)
        wape = scores.set_index("method")["wape"]
        top = wape.idxmin()
        reason = (f"{best} had the lowest backtest interval WAPE, {wape[best]:.4f}" if best == top else
                  f"{best} (backtest WAPE {wape[best]:.4f}) is within {TIE_TOLERANCE:.0%} of the best, {top} "
                  f"({wape[top]:.4f}), and simpler")
    else:  # no backtest window fits in the history: the first candidate that can fit it at all
        best = None
        reason = "no backtest window fits in the history: the first candidate that could be fitted"
        notes = scores.set_index("method").get("note", pd.Series(dtype=object)).to_dict()
        for name in fitted:
            try:
                fitted[name][0](panel)
            except ValueError as err:
                notes[name] = str(err)
                continue
            best = name
            break
        if best is None:
            raise ValueError("history is too short for every candidate method: " +
                             "; ".join(f"{k}: {val}" for k, val in notes.items()))
        scores["note"] = [notes.get(m) if isinstance(notes.get(m), str) else
                          ("no backtest window fits in the history; first candidate that fits"
                           if m == best else "no backtest window fits in the history")
                          for m in scores["method"]]
    fn, pairs = fitted[best]
    if "wape" in scores and scores["wape"].notna().sum() >= 2:
        ranked = scores.dropna(subset=["wape"]).sort_values("wape", kind="stable")["method"].tolist()
        top = [ranked[0], *[m for m in ranked[1:] if FAMILY.get(m, m) != FAMILY.get(ranked[0], ranked[0])][:1]]
        same_windows = len({np.shape(fitted[m][1].forecast) for m in top}) == 1  # a candidate may skip a window
        if len(top) == 2 and same_windows:
            combined = _combine(top, fitted)
            row = score_row("+".join(top), combined[1], len(wins))
            scores = pd.concat([scores, pd.DataFrame([row])], ignore_index=True)
            alone = scores.loc[scores["method"] == best, "wape"].min()
            if row["wape"] < alone:
                reason = (f"the mean of {top[0]} and {top[1]} (the best two of different families) scored "
                          f"backtest WAPE {row['wape']:.4f}, below {best} alone ({alone:.4f})")
                best = row["method"]
                fn, pairs = combined
    scores = scores.sort_values("wape", na_position="last", kind="stable").reset_index(drop=True) \
        if "wape" in scores else scores
    scores.attrs["reason"] = reason
    return best, fn, pairs, scores


#: A change seen at a backtest origin judges the rescaling of the one seen at the real origin when it goes the
#: same way and is at least this share of its size on the log scale. [fraction]
COMPARABLE_STEP = 0.5


def _comparable(seen, shift):
    """Whether the change ``seen`` at a backtest origin is like ``shift``: same direction, comparable size."""
    if seen is None:
        return False
    a, b = np.log(seen.ratio), np.log(shift.ratio)
    return bool(a * b > 0 and abs(a) >= COMPARABLE_STEP * abs(b))


def _with_shift(panel, wins, scores, fitted, score_row, shift):
    """
    The choice among the candidates run on histories rescaled at their change point (:mod:`.shifts`).

    At each backtest origin the test runs on the history before it; where it
    finds no change like ``shift`` (the one at the real origin: the same
    direction and at least :data:`COMPARABLE_STEP` of its size), the
    rescaled candidate is scored as the candidate itself and its backtest
    pairs are reused: a +6% busy week rescaled in the backtest says nothing
    of whether to rescale after a -20% step (on the bank, with a -15% step a
    week before the origin, such windows vetoed the rescaling and ``auto``
    forecast the old level). None when no candidate has backtest windows.
    """
    if "wape" not in scores or not scores["wape"].notna().any():
        return None
    fired = [i for i, w in enumerate(wins) if _comparable(detect_level_shift(panel.history(w.cut)), shift)]
    shifted, rows = {}, []
    for name, (fn, pairs) in fitted.items():
        s_fn = shift_aware(fn)
        if fired:
            pairs = _splice(pairs, collect(s_fn, panel, [wins[i] for i in fired]), fired)
        shifted[name] = (s_fn, pairs)
        rows.append(score_row(name, pairs, len(wins)))
    best, fn, pairs, s_scores = _choose(panel, wins, pd.DataFrame(rows), shifted, score_row)
    return best, fn, pairs, s_scores, len(fired)


def _splice(pairs, redone, fired):
    """``pairs`` with the windows ``fired`` replaced by those of ``redone`` (labelled 0, 1, ... in that order)."""
    parts = []
    for k in np.unique(pairs.window):
        src, label = pairs, k
        if k in fired and np.any(redone.window == fired.index(k)):
            src, label = redone, fired.index(k)
        m = src.window == label
        if src is redone and m.sum() != np.sum(pairs.window == k):
            src, label, m = pairs, k, pairs.window == k
        parts.append((src.actual[m], src.forecast[m], np.full(m.sum(), k), src.row[m]))
    return Pairs(*(np.concatenate([p[j] for p in parts]) for j in range(4)), pairs.seconds, pairs.origins)


def _combine(names, fitted):
    """(matrix function, backtest pairs) of the equal-weight mean of the candidates ``names``."""
    fns = [fitted[n][0] for n in names]
    parts = [fitted[n][1] for n in names]

    def mean_of(panel):
        return np.mean([fn(panel) for fn in fns], axis=0)

    mean_of.__name__ = "+".join(names)
    # candidates may have been scored on different windows (one could not be fitted at an early origin of a
    # short history): the combination is scored on the windows they share
    common = np.intersect1d(*[np.unique(p.window) for p in parts])
    keep = [np.isin(p.window, common) for p in parts]
    first, kept = parts[0], keep[0]
    forecast = np.mean([p.forecast[k] for p, k in zip(parts, keep)], axis=0)
    seconds = [] if not first.seconds or any(len(p.seconds) != len(first.seconds) for p in parts) else \
        list(np.sum([p.seconds for p in parts], axis=0))
    origins = [o for o, w in zip(first.origins, np.unique(first.window)) if w in common] \
        if len(first.origins) == np.unique(first.window).size else first.origins
    return mean_of, Pairs(first.actual[kept], forecast, first.window[kept], first.row[kept], seconds, origins)
