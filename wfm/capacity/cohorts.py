r"""
Supply: staff as cohorts by tenure, projected week by week with expected attrition.

A *cohort* is a group of agents hired together: existing staff of one tenure
(weeks since hire), a hiring class, a committed class already planned, or a
transfer. With the weekly hazard :math:`h(a)` at tenure :math:`a` (the
classroom hazard while in training, then the band of
:attr:`CapacityRules.attrition`) and the productivity :math:`p(a)` (0 in
training, the learning curve in nesting, then 1), a cohort of :math:`n_0`
heads at week :math:`t_0` holds

.. math::

    n_{t+1} = n_t - \ell_t, \qquad \ell_t = n_t\, h(a_t), \qquad
    \mathrm{FTE}^{\mathrm{prod}}_t = n_t \cdot f \cdot p(a_t)

heads, leavers and productive FTE (``f`` = ``fte_per_head``). The
deterministic plan uses these expected values (fractional heads); the risk
run draws the leavers as binomials. Summed over cohorts, the floor headcount
obeys the balance

.. math::

    \mathrm{headcount}_{t+1} = \mathrm{headcount}_t - \mathrm{leavers}_t
    + \mathrm{graduates}_{t+1} + \mathrm{transfers}_{t+1}

and the classroom ``trainees`` the same with hires in and graduates out.
This is the manpower-planning cohort model of Bartholomew, Forbes and
McClean [1]_; the learning curve and tenure-dependent turnover follow Gans
and Zhou [2]_.

References
----------
.. [1] D. J. Bartholomew, A. F. Forbes and S. I. McClean, *Statistical
   Techniques for Manpower Planning*, 2nd ed., Wiley, 1991 (ch. 4, the
   cohort/renewal model).
.. [2] N. Gans and Y.-P. Zhou, "Managing learning and turnover in employee
   staffing," Operations Research, vol. 50, no. 6, pp. 991-1006, 2002.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import _validation as v
from ..calendar import check_week_start, week_of
from ..logs._parse import DataWarning, parse_datetimes
from ._checks import check_known, rows_error
from .rules import CapacityRules, capacity_rules

__all__ = ["check_staff", "check_classes", "check_transfers", "staff_cohorts", "project_supply"]


def check_staff(staff, *, sites=None, dayfirst=None, date_format=None, rows=None, start=None):
    """
    The staff table checked column by column, with ``hire_date`` read as dates.

    Parameters
    ----------
    staff : DataFrame
        See :func:`staff_cohorts`.
    sites : list of str, optional
        The sites of the plan; a staff row naming another site is an error.
    dayfirst : bool, optional
        Numeric hire dates are day-first (``10/01/2003`` is 10 January) or,
        with False, month-first. ``None``: ISO dates (``2003-01-10``) and
        dates that read one way only are read; a date that reads both ways
        is an error naming the rows (:func:`wfm.logs.parse_datetimes`),
        never guessed.
    date_format : str, optional
        strptime format of ``hire_date``, e.g. ``"%d/%m/%Y"``.
    rows : array-like, optional
        The label of each row in messages (a file's line numbers); default
        the row positions (0-based).
    start : date-like, optional
        The plan's first week: a ``hire_date`` after it is an error naming
        the rows (such agents are not on the floor at the start: a committed
        class, or a wrong date or start).

    Returns
    -------
    staff : DataFrame
        A copy on the index ``rows`` holding only the columns the plan reads
        (:data:`STAFF_COLUMNS`; ``hire_date`` as datetime64, and left out
        when ``tenure_weeks`` is given).

    Warns
    -----
    DataWarning
        Once, naming the columns left out: columns the plan does not read
        (an HR export's ``name`` or ``team``), and ``hire_date`` beside
        ``tenure_weeks``. A column that looks like a misspelt or shortened
        needed one (``head_count`` or ``heads`` without ``headcount``) is an
        error instead; another word (an ``account`` column: the team's
        client) is only left out, and each row then counts as one agent.

    Examples
    --------
    >>> check_staff(pd.DataFrame({"hire_date": ["10/01/2003"]}))
    Traceback (most recent call last):
    ...
    ValueError: staff['hire_date'] holds dates that read both day-first and month-first ('10/01/2003' is 10 January or 1 October) ...
    """
    v.check_frame_columns(staff, "staff", [])
    if len(staff) == 0:
        raise ValueError("staff must hold at least one row (a cohort or an agent); got an empty table.")
    frame = staff.reset_index(drop=True)
    rows = np.arange(len(frame)) if rows is None else np.asarray(rows)
    columns = "Its columns are site, headcount, tenure_weeks (or hire_date) and productivity."
    if "tenure_weeks" not in frame and "hire_date" not in frame:
        raise ValueError(f"staff needs a tenure_weeks or a hire_date column; got columns {list(frame.columns)[:8]}."
                         f"{_near(frame, ['tenure_weeks', 'hire_date'])} {columns}")
    if "headcount" not in frame and _near(frame, ["headcount"]):  # else 1 head per row, silently
        raise ValueError(f"staff has no headcount column, so each row would count as one agent; got columns "
                         f"{list(frame.columns)[:8]}.{_near(frame, ['headcount'])} {columns}")
    frame = _used_columns(frame)
    if "site" in frame:
        site = frame["site"].astype(str)
    elif sites is not None and len(sites) > 1:
        raise ValueError(f"staff needs a site column: the demand has {len(sites)} sites {list(sites)[:5]}, so each "
                         "staff row must say which site it belongs to.")
    if sites is not None and "site" in frame:
        check_known(site, "staff['site']", sites, rows=rows,
                    hint="Every staff row must belong to a site of the demand.")
    if "headcount" in frame:
        heads = v.as_float_array(frame["headcount"], "staff['headcount']")
        bad = (heads < 0) | (heads != np.floor(heads))
        if bad.any():
            raise rows_error("staff['headcount']", "must be whole heads >= 0", bad, rows, values=heads)
    if "tenure_weeks" in frame:
        tenure = v.as_float_array(frame["tenure_weeks"], "staff['tenure_weeks']")
        bad = (tenure < 0) | (tenure != np.floor(tenure))
        if bad.any():
            raise rows_error("staff['tenure_weeks']", "must be whole weeks >= 0", bad, rows, values=tenure)
    else:
        frame["hire_date"] = parse_datetimes(frame["hire_date"], "staff['hire_date']", rows, dayfirst=dayfirst,
                                             date_format=date_format, required=True)
        if start is not None:
            _check_hired_by(frame["hire_date"], start, rows)
    if "productivity" in frame:
        prod = pd.to_numeric(frame["productivity"], errors="coerce").to_numpy(dtype=float)
        bad = frame["productivity"].notna().to_numpy() & ~((prod > 0) & (prod <= 1))
        if bad.any():
            raise rows_error("staff['productivity']", "must be a fraction in (0, 1]", bad, rows,
                             values=frame["productivity"].to_numpy())
    frame.index = rows
    return frame


#: The columns of a staff table that the plan reads; any other is left out with a warning.
STAFF_COLUMNS = ("site", "headcount", "tenure_weeks", "hire_date", "productivity")


def _used_columns(frame):
    """``frame`` with only :data:`STAFF_COLUMNS` (not ``hire_date`` beside ``tenure_weeks``); one warning names the
    columns left out, with a 'did you mean' for a near miss of a known column that is not there."""
    import warnings

    keep = [c for c in frame.columns if c in STAFF_COLUMNS and not (c == "hire_date" and "tenure_weeks" in frame)]
    extra = [c for c in frame.columns if c not in keep]
    if not extra:
        return frame
    missing = [c for c in STAFF_COLUMNS if c not in frame]
    near = [f"{c!r} for {close!r}" for c in map(str, extra)
            for close in [v._closest(c, missing, v.TYPO_CUTOFF)] if close]
    text = f"staff columns {[str(c) for c in extra]} are not read by the capacity plan and are left out"
    if "hire_date" in extra and "tenure_weeks" in frame:
        text += " (hire_date too: tenure_weeks is given, and it is the tenure used)"
    warnings.warn(f"{text}. It reads {', '.join(STAFF_COLUMNS)}." + (f" Did you mean {'; '.join(near)}?" if near
                                                                      else ""), DataWarning, stacklevel=3)
    return frame[keep].copy()


def _check_hired_by(hired, start, rows):
    """Every hire date on or before the plan's first day ``start``; else an error naming the rows and the fix."""
    first = pd.Timestamp(start).normalize()
    late = (hired.dt.normalize() > first).to_numpy()
    if late.any():
        raise rows_error("staff['hire_date']", f"must not be after the plan's start {first.date()}", late, rows,
                         values=hired.dt.strftime("%Y-%m-%d").to_numpy(),
                         hint="An agent hired after the start is not on the floor in week 0: give such agents as a "
                              "committed class (the classes table: start_week, size) instead of as staff, or "
                              "correct the hire dates; or, if the plan's start is wrong (by default the week after "
                              f"the history's last week), set it with {v.option('start', 'YYYY-MM-DD')}.")


def _near(frame, names):
    """
    ' Did you mean ...' for a column of ``frame`` taken for one of the needed ``names``: a misspelling of it
    (difflib's ratio >= :data:`wfm._validation.TYPO_CUTOFF`: 'hire_dat', 'tenure_week', 'head_count') or a
    shortening that keeps its start ('heads', 'hire': four letters at least, less a plural s); '' when none is
    (an HR export's 'account' beside a missing 'headcount' is another column, left out with a warning).
    """
    for col in map(str, frame.columns):
        stem = col.lower().removesuffix("s")
        close = next((n for n in names if len(stem) >= 4 and n.startswith(stem)), None) or \
            v._closest(col, names, v.TYPO_CUTOFF)
        if close:
            return f" Did you mean {close!r} for column {col!r}?"
    return ""


def staff_cohorts(staff, *, start=None, sites=None, dayfirst=None, date_format=None):
    """
    Current staff grouped into cohorts by site and tenure.

    Parameters
    ----------
    staff : DataFrame
        One row per cohort or per agent. Columns: ``site`` (optional when
        there is one site), ``headcount`` [heads] (optional: 1 per row, a
        roster), and ``tenure_weeks`` [weeks since hire] or ``hire_date``
        (then ``start`` is required). Optional ``productivity`` [0-1] fixes a
        cohort's productivity (it then stays constant and the cohort counts
        as out of training); otherwise productivity follows the learning
        curve of the rules by tenure. Messages label rows by the index when
        it holds integers (:func:`check_staff` puts a file's line numbers
        there), else by position.
    start : date-like, optional
        The plan's first week; tenure from ``hire_date`` is the whole weeks
        from the hire date to it.
    sites : list of str, optional
        The sites of the plan; a staff row naming another site is an error.
    dayfirst : bool, optional
        How numeric hire dates are written (True: ``10/01/2003`` is 10
        January); a date that reads both ways without it is an error, never
        guessed. See :func:`check_staff`.
    date_format : str, optional
        strptime format of ``hire_date``, e.g. ``"%d/%m/%Y"``.

    Returns
    -------
    cohorts : DataFrame
        Columns ``site``, ``tenure_weeks``, ``headcount``, ``productivity``
        (NaN: by the learning curve), one row per site, tenure and
        productivity.

    Examples
    --------
    >>> roster = pd.DataFrame({"hire_date": ["2024-01-01", "2023-12-30", "2024-06-03"]})
    >>> staff_cohorts(roster, start="2024-07-01")
      site  tenure_weeks  headcount  productivity
    0  all             4        1.0           NaN
    1  all            26        2.0           NaN
    >>> staff_cohorts(pd.DataFrame({"hire_date": ["01/07/2024"]}), start="2024-07-15", dayfirst=True)
      site  tenure_weeks  headcount  productivity
    0  all             2        1.0           NaN
    """
    labels = staff.index if isinstance(staff, pd.DataFrame) and pd.api.types.is_integer_dtype(staff.index) else None
    frame = check_staff(staff, sites=sites, dayfirst=dayfirst, date_format=date_format, rows=labels, start=start)
    if "tenure_weeks" not in frame and start is None:
        raise ValueError("staff has hire_date but no start: give start= (the plan's first week) so tenure "
                         "can be counted.")
    frame = frame.reset_index(drop=True)
    if "site" in frame:
        site = frame["site"].astype(str)
    else:
        site = pd.Series(str(sites[0]) if sites is not None else "all", index=frame.index)
    heads = v.as_float_array(frame["headcount"], "staff['headcount']") if "headcount" in frame \
        else np.ones(len(frame))
    if "tenure_weeks" in frame:
        tenure = v.as_float_array(frame["tenure_weeks"], "staff['tenure_weeks']")
    else:  # hire dates on or before the start (check_staff)
        days = (pd.Timestamp(start).normalize() - frame["hire_date"].dt.normalize()).dt.days.to_numpy()
        tenure = (days // 7).astype(float)
    prod = pd.to_numeric(frame["productivity"], errors="coerce").to_numpy(dtype=float) if "productivity" in frame \
        else np.full(len(frame), np.nan)
    out = pd.DataFrame({"site": site.to_numpy(), "tenure_weeks": tenure.astype(int), "headcount": heads,
                        "productivity": prod})
    out = out.groupby(["site", "tenure_weeks", "productivity"], dropna=False, sort=True)["headcount"].sum()
    out = out.reset_index()[["site", "tenure_weeks", "headcount", "productivity"]]
    return out[out["headcount"] > 0].reset_index(drop=True)


# --------------------------------------------------------------------------
# The cohort set and its projection (numpy, all cohorts and weeks at once).
# --------------------------------------------------------------------------


@dataclass
class _Cohorts:
    site: np.ndarray        # site position (int)
    label: list             # display label
    kind: list              # "staff", "class" (committed), "hire" (planned), "transfer", "release" (decided)
    start: np.ndarray       # first week present (>= 0)
    offset: np.ndarray      # tenure [weeks] at the start week
    heads0: np.ndarray      # heads at the start week
    train_len: np.ndarray   # classroom weeks of this cohort
    fixed_prod: np.ndarray  # productivity fixed by the caller (NaN: learning curve)

    def __len__(self):
        return len(self.label)

    @staticmethod
    def concat(parts):
        parts = [p for p in parts if len(p)]
        if not parts:
            return _empty()
        return _Cohorts(np.concatenate([p.site for p in parts]), sum((p.label for p in parts), []),
                        sum((p.kind for p in parts), []), np.concatenate([p.start for p in parts]),
                        np.concatenate([p.offset for p in parts]), np.concatenate([p.heads0 for p in parts]),
                        np.concatenate([p.train_len for p in parts]), np.concatenate([p.fixed_prod for p in parts]))


def _empty():
    z = np.zeros(0, dtype=int)
    return _Cohorts(z, [], [], z, z, np.zeros(0), z, np.zeros(0))


def _make(site, label, kind, start, offset, heads0, train_len, fixed_prod=None):
    n = len(label)
    return _Cohorts(np.asarray(site, dtype=int).reshape(n), list(label), list(kind),
                    np.asarray(start, dtype=int).reshape(n), np.asarray(offset, dtype=int).reshape(n),
                    np.asarray(heads0, dtype=float).reshape(n), np.asarray(train_len, dtype=int).reshape(n),
                    np.full(n, np.nan) if fixed_prod is None else np.asarray(fixed_prod, dtype=float).reshape(n))


def _project(co: _Cohorts, rules: CapacityRules, weeks: int, season=None):
    """Expected heads, leavers, productivity and training flags of every cohort in every week (C x W).

    ``season`` (W,) multiplies the floor hazard of each week (``rules.season_of``); None: no season.
    """
    t = np.arange(weeks)
    age = t[None, :] - co.start[:, None] + co.offset[:, None]
    present = t[None, :] >= co.start[:, None]
    sea = None if season is None else np.asarray(season, dtype=float)[None, :weeks]
    hazard = np.where(present, rules.hazard(np.maximum(age, 0), co.train_len[:, None], sea), 0.0)
    fixed = ~np.isnan(co.fixed_prod)
    prod = rules.productivity(np.maximum(age, 0), co.train_len[:, None])
    prod = np.where(fixed[:, None], co.fixed_prod[:, None], prod)
    prod = np.where(present, prod, 0.0)
    training = present & (age < co.train_len[:, None]) & ~fixed[:, None]
    keep = np.cumprod(1.0 - hazard, axis=1)
    survive = np.concatenate([np.ones((len(co), 1)), keep[:, :-1]], axis=1)
    heads = np.where(present, co.heads0[:, None] * survive, 0.0)
    leavers = heads * hazard
    return {"age": age, "present": present, "hazard": hazard, "prod": prod, "training": training,
            "heads": heads, "leavers": leavers}


def _weekly(co: _Cohorts, arr, rules: CapacityRules, n_sites: int, weeks: int):
    """Site x week totals: trainees, headcount, hires, graduates, leavers, transfers, FTE."""
    heads, training, present = arr["heads"], arr["training"], arr["present"]
    floor = present & ~training
    kind = np.asarray(co.kind, dtype=object)
    is_transfer = np.isin(kind, ["transfer", "release"])[:, None]
    is_release = (kind == "release")[:, None]
    new_start = present & (arr["age"] == co.offset[:, None]) & (np.arange(weeks)[None, :] == co.start[:, None])
    arrival = floor & ~is_transfer & (arr["age"] - 1 < co.train_len[:, None])
    starts_here = new_start & (co.offset[:, None] == 0)

    def by_site(values):
        out = np.zeros((n_sites, weeks))
        np.add.at(out, co.site, values)
        return out

    f = rules.fte_per_head
    return {
        "trainees": by_site(np.where(training, heads, 0.0)),
        "headcount": by_site(np.where(floor, heads, 0.0)),
        "hires": by_site(np.where(starts_here & (kind == "hire")[:, None], heads, 0.0)),
        "committed_hires": by_site(np.where(starts_here & (kind == "class")[:, None], heads, 0.0)),
        "graduates": by_site(np.where(arrival, heads, 0.0)),
        "transfers": by_site(np.where(new_start & is_transfer & ~is_release, heads, 0.0)),
        "releases": by_site(np.where(new_start & is_release, -heads, 0.0)),
        "leavers": by_site(np.where(floor, arr["leavers"], 0.0)),
        "training_leavers": by_site(np.where(training, arr["leavers"], 0.0)),
        "paid_fte": by_site(heads * f),
        "available_fte": by_site(heads * f * arr["prod"]),
        "available_fte_staff": by_site(np.where((kind != "hire")[:, None], heads * f * arr["prod"], 0.0)),
        "available_fte_hires": by_site(np.where((kind == "hire")[:, None], heads * f * arr["prod"], 0.0)),
    }


def _cohort_table(co: _Cohorts, arr, rules, sites, week_index):
    c, w = np.nonzero(arr["present"])
    heads = arr["heads"][c, w]
    return pd.DataFrame({
        "site": np.asarray(sites, dtype=object)[co.site[c]],
        "week": week_index[w],
        "cohort": np.asarray(co.label, dtype=object)[c],
        "kind": np.asarray(co.kind, dtype=object)[c],
        "tenure_weeks": arr["age"][c, w],
        "in_training": arr["training"][c, w],
        "heads": heads,
        "leavers": arr["leavers"][c, w],
        "fte": heads * rules.fte_per_head,
        "productivity": arr["prod"][c, w],
        "productive_fte": heads * rules.fte_per_head * arr["prod"][c, w],
    })


def _site_positions(values, column, sites, table_name, rows=None):
    values = pd.Series(values).astype(str).reset_index(drop=True)
    check_known(values, f"{table_name}[{column!r}]", sites, rows=rows,
                hint=f"Every row of {table_name} must name a site of the demand.")
    lookup = {s: i for i, s in enumerate(sites)}
    return values.map(lookup).to_numpy(dtype=int)


def _table_site(frame, table_name, sites, rows=None):
    if "site" in frame:
        return _site_positions(frame["site"], "site", sites, table_name, rows)
    if len(sites) != 1:
        raise ValueError(f"{table_name} needs a site column: the demand has {len(sites)} sites {sites[:5]}.")
    return np.zeros(len(frame), dtype=int)


def _rows(frame):
    """Row labels of a table in messages, and a note: a file's line numbers where its index is named 'line' (as a
    scenario reads its files), else positions from 0."""
    if frame.index.name == "line":  # attrs["file"]: the file's name, set by the scenario once the file is read
        return np.asarray(frame.index), f"Rows are line numbers of {frame.attrs.get('file', 'the file')}."
    return np.arange(len(frame)), ""


def _whole(frame, column, table_name, *, minimum=None, allow_negative=False, rows=None, fix=""):
    rows, note = _rows(frame) if rows is None else rows
    vals = v.as_float_array(frame[column], f"{table_name}[{column!r}]")
    bad = vals != np.floor(vals)
    if not allow_negative:
        bad |= vals < (0 if minimum is None else minimum)
    if bad.any():
        low = "" if allow_negative else f" >= {0 if minimum is None else minimum}"
        raise rows_error(f"{table_name}[{column!r}]", f"must be whole numbers{low}", bad, rows, values=vals,
                         hint=" ".join(t for t in (note, fix) if t))
    return vals.astype(int)


def _build_base(staff, rules, sites, weeks, *, transfers=None, classes=None, start=None, season=None, dates=None):
    """Cohorts that exist whatever the plan hires: staff, committed classes, transfers (``dates``: dayfirst ...)."""
    parts = []
    cohorts = staff_cohorts(staff, start=start, sites=sites, **(dates or {}))
    pos = _site_positions(cohorts["site"], "site", sites, "staff")
    fixed = cohorts["productivity"].to_numpy(dtype=float)
    train = np.where(np.isnan(fixed), rules.training_weeks, 0)
    labels = [f"tenure {t}w" + ("" if np.isnan(p) else f" @{p:.0%}")
              for t, p in zip(cohorts["tenure_weeks"], fixed)]
    parts.append(_make(pos, labels, ["staff"] * len(cohorts), np.zeros(len(cohorts)), cohorts["tenure_weeks"],
                       cohorts["headcount"], train, fixed))
    if classes is not None:
        s, size, grad, pos, _ = _class_arrays(classes, sites=sites, weeks=weeks, training_weeks=rules.training_weeks)
        parts.append(_make(pos, [f"class w{a}" for a in s], ["class"] * len(s), np.maximum(s, 0),
                           np.maximum(-s, 0), size, grad - s))
    if transfers is not None:
        wk, n, pos, rows = _transfer_arrays(transfers, sites=sites, weeks=weeks)
        tr = transfers.reset_index(drop=True)
        parts.append(_make(pos, [f"transfer w{a}" for a in wk], ["transfer"] * len(tr), wk,
                           np.full(len(tr), rules.tenured_age()), n, np.zeros(len(tr))))
        base = _Cohorts.concat(parts)
        _check_transfers_out(base, tr, pos, wk, rules, sites, weeks, season, rows)
        return base
    return _Cohorts.concat(parts)


def check_classes(classes, *, sites=None, weeks=None, training_weeks=None):
    """
    The table of committed classes checked, as :func:`project_supply` and :func:`~wfm.capacity.capacity_plan` read it.

    Parameters
    ----------
    classes : DataFrame
        ``start_week`` (whole weeks from week 0; negative: in training
        already), ``size`` (whole heads >= 0), optional ``graduation_week``
        (whole) and ``site``. Messages name a file's line numbers where the
        index is named ``line`` (as a scenario reads its files), else the
        row positions.
    sites : list of str, optional
        The plan's sites: a row naming another is an error, and so is a
        table without a ``site`` column when there are several.
    weeks : int, optional
        The horizon [weeks]: a class starting at or after it is an error.
    training_weeks : int, optional
        The classroom weeks of the rules: a ``graduation_week`` less than
        that after ``start_week`` is an error.

    Returns
    -------
    classes : DataFrame
        ``classes`` itself, checked.

    Examples
    --------
    >>> check_classes(pd.DataFrame({"start_week": [4, 8], "size": [10, 2.5]}))
    Traceback (most recent call last):
    ...
    ValueError: classes['size'] must be whole numbers >= 0 in 1 of 2 rows: rows [1] (values 2.5).
    """
    _class_arrays(classes, sites=sites, weeks=weeks, training_weeks=training_weeks)
    return classes


def check_transfers(transfers, *, sites=None, weeks=None):
    """
    The table of planned transfers checked (not against the staff: see :func:`~wfm.capacity.capacity_plan`).

    Parameters
    ----------
    transfers : DataFrame
        ``week`` (whole weeks from week 0), ``headcount`` (whole heads;
        negative: planned leavers or transfers out) and ``site``. Rows are named as in
        :func:`check_classes`.
    sites : list of str, optional
        The plan's sites, as in :func:`check_classes`.
    weeks : int, optional
        The horizon [weeks]: a transfer at or after it is an error.

    Returns
    -------
    transfers : DataFrame
        ``transfers`` itself, checked.
    """
    _transfer_arrays(transfers, sites=sites, weeks=weeks)
    return transfers


def _class_arrays(classes, *, sites=None, weeks=None, training_weeks=None):
    """start_week, size, graduation_week (None without it and without ``training_weeks``), site positions (None
    without ``sites``) and the row labels of the committed classes, checked."""
    v.check_frame_columns(classes, "classes", ["start_week", "size"],
                          hint="classes are hiring classes already committed: start_week, size and optional "
                               "graduation_week and site.")
    rows = _rows(classes)
    cl = classes.reset_index(drop=True)
    s = _whole(cl, "start_week", "classes", allow_negative=True, rows=rows)
    size = _whole(cl, "size", "classes", rows=rows)
    grad = (_whole(cl, "graduation_week", "classes", allow_negative=True, rows=rows) if "graduation_week" in cl
            else None if training_weeks is None else s + training_weeks)
    if training_weeks is not None and (grad - s < training_weeks).any():
        raise rows_error("classes['graduation_week']", "makes a class shorter than its training: "
                         f"graduation_week - start_week must be >= rules.training_weeks ({training_weeks})",
                         grad - s < training_weeks, rows[0], values=grad - s, hint=rows[1])
    if weeks is not None and (s >= weeks).any():
        raise rows_error("classes['start_week']", f"must fall inside the {weeks}-week horizon (weeks 0 to "
                         f"{weeks - 1})", s >= weeks, rows[0], values=s, hint=rows[1])
    pos = None if sites is None else _table_site(cl, "classes", sites, rows[0])
    return s, size, grad, pos, rows


def _transfer_arrays(transfers, *, sites=None, weeks=None):
    """week, headcount, site positions (None without ``sites``) and the row labels of the transfers, checked."""
    v.check_frame_columns(transfers, "transfers", ["week", "headcount"],
                          hint="transfers: week, headcount (negative for planned leavers) and site.")
    rows = _rows(transfers)
    tr = transfers.reset_index(drop=True)
    wk = _whole(tr, "week", "transfers", rows=rows)
    if weeks is not None and (wk >= weeks).any():
        raise rows_error("transfers['week']", f"must fall inside the {weeks}-week horizon (weeks 0 to {weeks - 1})",
                         wk >= weeks, rows[0], values=wk, hint=rows[1])
    n = _whole(tr, "headcount", "transfers", allow_negative=True, rows=rows,
               fix="A transfer moves whole agents: give whole heads (negative for leavers or transfers out).")
    pos = None if sites is None else _table_site(tr, "transfers", sites, rows[0])
    return wk, n, pos, rows


def _check_transfers_out(base, tr, pos, wk, rules, sites, weeks, season=None, rows=None):
    """Transfers out (negative headcount) may not take more agents than a site has on the floor."""
    arr = _project(base, rules, weeks, season)
    floor = np.zeros((len(sites), weeks))
    np.add.at(floor, base.site, np.where(arr["present"] & ~arr["training"], arr["heads"], 0.0))
    neg = floor < -1e-9
    if not neg.any():
        return
    s, w = np.argwhere(neg)[0]
    bad = (pos == s) & (wk <= w) & (v.as_float_array(tr["headcount"], "transfers['headcount']") < 0)
    labels, note = (np.arange(len(tr)), "") if rows is None else rows
    raise rows_error("transfers['headcount']", f"takes more than the site's staff: at site {sites[s]!r} the "
                     f"expected headcount on the floor would be {floor[s, w]:.1f} in week {w}", bad, labels,
                     values=tr["headcount"].to_numpy(),
                     hint="A negative headcount moves agents out; it cannot exceed the agents there (staff, "
                          "committed classes that have graduated and earlier transfers in, after attrition)."
                          + (f" {note}" if note else ""))


def _release_cohorts(releases: np.ndarray, weeks_: np.ndarray, rules):
    """Cohorts of the decided releases (negative tenured heads from their week): ``releases`` is sites x weeks."""
    s_idx, j_idx = np.nonzero(releases > 0)
    return _make(s_idx, [f"release w{weeks_[j]}" for j in j_idx], ["release"] * len(j_idx), weeks_[j_idx],
                 np.full(len(j_idx), rules.tenured_age()), -releases[s_idx, j_idx], np.zeros(len(j_idx)))


def _hire_cohorts(hires: np.ndarray, starts: np.ndarray, rules):
    """Cohorts of the planned classes: ``hires`` is sites x starts."""
    s_idx, k_idx = np.nonzero(hires > 0)
    return _make(s_idx, [f"hire w{starts[k]}" for k in k_idx], ["hire"] * len(k_idx), starts[k_idx],
                 np.zeros(len(k_idx)), hires[s_idx, k_idx], np.full(len(k_idx), rules.training_weeks))


def project_supply(staff, rules=None, weeks=52, *, hires=None, transfers=None, classes=None, sites=None,
                   start=None, week_start="MON", dayfirst=None, date_format=None):
    """
    Expected heads and productive FTE of every cohort, week by week.

    Parameters
    ----------
    staff : DataFrame
        Current staff; see :func:`staff_cohorts`.
    rules : dict or CapacityRules, optional
        Attrition, training, nesting and ``fte_per_head``; see
        :class:`~wfm.capacity.CapacityRules`.
    weeks : int
        Horizon. [weeks]
    hires : DataFrame, optional
        Planned classes: ``week`` (start week, 0-based), ``heads`` and
        ``site``.
    transfers : DataFrame, optional
        ``week``, ``headcount`` (negative: planned leavers or transfers out)
        and ``site``. Transferred agents are tenured and fully productive.
    classes : DataFrame, optional
        Committed classes: ``start_week`` (negative: already in training),
        ``size`` [heads at ``max(start_week, 0)``], optional
        ``graduation_week`` (default ``start_week + training_weeks``) and
        ``site``.
    sites : list of str, optional
        Sites in order (default: those of ``staff``).
    start : date-like, optional
        First week (for ``hire_date`` tenure and the ``week`` labels, which
        start on the first day of its week).
    week_start : str or int
        The weekday the ``week`` labels start on: ``"MON"`` ... ``"SUN"``
        (:func:`wfm.calendar.check_week_start`); the demand's
        ``attrs["week_start"]`` keeps the two tables on the same weeks.
    dayfirst, date_format : optional
        How the staff's numeric ``hire_date`` values are written; see
        :func:`check_staff`.

    Returns
    -------
    weekly : DataFrame
        One row per site and week: ``trainees``, ``headcount`` (on the
        floor), ``hires``, ``committed_hires``, ``graduates``, ``transfers``,
        ``leavers``, ``training_leavers``, ``paid_fte``, ``available_fte``
        (productive), ``available_fte_staff``, ``available_fte_hires``.
    cohorts : DataFrame
        One row per cohort and week present: ``heads``, ``leavers``, ``fte``,
        ``productivity``, ``productive_fte``.

    Examples
    --------
    Ten tenured agents with 1% weekly attrition keep 10 x 0.99^t:

    >>> staff = pd.DataFrame({"tenure_weeks": [60], "headcount": [10]})
    >>> weekly, _ = project_supply(staff, {"attrition": {0: 0.01}}, weeks=3)
    >>> weekly["headcount"].round(4).tolist()
    [10.0, 9.9, 9.801]
    """
    rules = capacity_rules(rules)
    weeks = v.check_count(weeks, "weeks", unit="weeks")
    if sites is None:
        sites = sorted(staff_cohorts(staff, start=start, dayfirst=dayfirst, date_format=date_format)["site"]
                       .unique().tolist())
    sites = [str(s) for s in sites]
    week_index = _week_labels(start, weeks, week_start)
    season = rules.season_of(week_index)
    base = _build_base(staff, rules, sites, weeks, transfers=transfers, classes=classes, start=start, season=season,
                       dates={"dayfirst": dayfirst, "date_format": date_format})
    parts = [base]
    if hires is not None:
        v.check_frame_columns(hires, "hires", ["week", "heads"])
        hr = hires.reset_index(drop=True)
        wk = _whole(hr, "week", "hires")
        heads = _whole(hr, "heads", "hires")
        pos = _table_site(hr, "hires", sites)
        parts.append(_make(pos, [f"hire w{a}" for a in wk], ["hire"] * len(hr), wk, np.zeros(len(hr)), heads,
                           np.full(len(hr), rules.training_weeks)))
    co = _Cohorts.concat(parts)
    arr = _project(co, rules, weeks, season)
    return _weekly_frame(_weekly(co, arr, rules, len(sites), weeks), sites, week_index), \
        _cohort_table(co, arr, rules, sites, week_index)


def _week_labels(start, weeks, week_start="MON"):
    first_day = check_week_start(week_start)
    if start is None:
        return pd.Index(np.arange(weeks), name="week")
    first = week_of(pd.DatetimeIndex([pd.Timestamp(start)]), first_day)[0]
    return pd.DatetimeIndex(pd.date_range(first, periods=weeks, freq="7D"), name="week")


def _weekly_frame(totals, sites, week_index):
    n_sites, weeks = next(iter(totals.values())).shape
    frame = pd.DataFrame({"site": np.repeat(np.asarray(sites, dtype=object), weeks),
                          "week": np.tile(np.asarray(week_index), n_sites)})
    for key, val in totals.items():
        frame[key] = val.ravel()
    return frame
