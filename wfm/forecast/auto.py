"""
``method="auto"``: pick the forecaster by a rolling-origin backtest on the history itself.

The candidates are refitted at the start of each of the history's last
``n_windows`` weeks, from the data before that start only, and forecast the
same number of open days as the caller asked for. The method with the lowest
mean interval WAPE over those windows is used for the real forecast, and its
errors in those windows calibrate the band. Scores are computed here, not
with :mod:`wfm.evaluate` (the forecasting layer sits to its left and may not
import it); the definitions are the same.

Choosing, not averaging: on the bank data an equal-weight mean of the best
two candidates scored no better than the best alone, in the windows before
the benchmark weeks, and a choice is easier to explain to a planner.
"""

from __future__ import annotations

import pandas as pd

from .. import _validation as v
from .backtesting import collect


def auto_select(panel, wins, candidates, options, *, methods, default_candidates, method_function, score_row):
    """(chosen name, its bound matrix function, its backtest pairs, scores table of all candidates).

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
    if "wape" in scores and scores["wape"].notna().any():
        best = str(scores.loc[scores["wape"].idxmin(), "method"])
    else:  # no backtest window fits in the history: the first candidate that can fit it at all
        best = None
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
    scores = scores.sort_values("wape", na_position="last", kind="stable").reset_index(drop=True) \
        if "wape" in scores else scores
    return best, fn, pairs, scores
