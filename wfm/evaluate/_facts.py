"""
The fact builders of :func:`wfm.evaluate.kpis`: each source's rows turned into sums per period and group.

``_contact_facts`` (flow and waits, tickets, handling, surveys, telephony
seconds), ``_response_facts`` (ticket response gaps), ``_timeline_facts``
(state, schedule and adherence seconds, from the schedule laid beside the
states), ``_staff_facts`` (headcount, leavers) and ``_forecast_facts``
(forecast errors). Each is a pure function of checked inputs; the frames
they return are keyed by the period code ``_p`` and the ``by`` columns, and
hidden sums start with ``_``. :mod:`wfm.evaluate.kpi` reads the sources,
merges these frames and divides.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validation as v
from ..logs import _parse as lp
from ..logs.schemas import to_ns
from ._timeline import ACTUAL, PLANNED, build_timeline, period_codes, split
from .schedule_adherence import segment_facts


# --------------------------------------------------------------------------
# Contact facts: per contact, the numbers the KPIs sum; then summed per period and group.
# --------------------------------------------------------------------------


def _seconds(later, earlier):
    return (later - earlier).dt.total_seconds().to_numpy(dtype=float)


def _flow_facts(c, d, live, notes):
    """Offered, answered, abandoned, the service-level and abandonment terms and the waits of live contacts."""
    answered = c["answered"].to_numpy(dtype=bool)
    abandoned = c["abandoned"].to_numpy(dtype=bool)
    wait = c["wait"].to_numpy(dtype=float)
    thr = d["threshold"]
    if isinstance(thr, dict):
        missing = sorted(set(c["channel"][live]) - set(thr))
        if missing:
            raise ValueError(f"threshold has no value for the live channel {missing[0]!r}; give one per live "
                             f"channel, e.g. threshold={{{missing[0]!r}: 20}}.")
        thr = c["channel"].map(thr).to_numpy(dtype=float)
    short = live & abandoned & (wait < (thr if d["short_abandon"] is None else d["short_abandon"]))
    within = live & answered & (wait <= thr)
    f = {"contacts": np.ones(len(c)), "offered": live * 1.0, "answered": (live & answered) * 1.0,
         "abandoned": (live & abandoned) * 1.0, "short_abandoned": short * 1.0, "handled": answered * 1.0,
         "_sl_num": within * 1.0}
    base = {"offered": live, "answered": live & answered, "exclude_short_abandons": live & ~short}
    f["_sl_den"] = base[d["sl_definition"]] * 1.0
    excl = d["sl_definition"] == "exclude_short_abandons"
    f["_ab_num"] = (live & abandoned & ~(short & excl)) * 1.0
    f["_ab_den"] = (live & ~(short & excl)) * 1.0
    if excl and short.any():
        notes.append(dict(source="contacts", problem="are short abandons", rows=int(short.sum()), seconds=np.nan,
                          action="left out of service_level and abandon_rate (sl_definition="
                                 "'exclude_short_abandons'); counted in short_abandoned", kind="info"))
    w = np.nan_to_num(wait)
    f["_wait_answered"] = np.where(live & answered, w, 0.0)
    gone = live & (answered | abandoned) & ~np.isnan(wait)
    f["_wait_sum"] = np.where(gone, w, 0.0)
    f["_wait_n"] = gone * 1.0
    f["longest_wait"] = np.where(live & ~np.isnan(wait), wait, np.nan)
    return f


def _ticket_facts(c, deferred, responses):
    """Tickets, first responses and resolutions of deferred contacts; and which contacts were handled."""
    handled = c["answered"].to_numpy(dtype=bool)
    cols = set(c.columns)
    f = {}
    if not (deferred.any() or {"first_response", "resolved", "responses"} & cols or responses is not None):
        return f, handled
    f["tickets"] = deferred * 1.0
    arrival = c["arrival"]
    first = c["first_response"] if "first_response" in cols else (c["answer"] if "answer" in cols else None)
    if responses is not None:
        from_log = c["contact"].map(responses.groupby("contact", sort=False)["time"].min())
        first = from_log if first is None else first.fillna(from_log)
    if first is not None:
        responded = deferred & first.notna().to_numpy()
        handled = handled | responded  # a ticket with a response was handled
        f["handled"] = handled * 1.0
        f["_responded"] = responded * 1.0
        f["_frt_sum"] = np.where(responded, np.nan_to_num(_seconds(first, arrival)), 0.0)
    if "resolved" in cols:
        done = deferred & c["resolved"].notna().to_numpy()
        f["_resolved"] = done * 1.0
        f["_res_sum"] = np.where(done, np.nan_to_num(_seconds(c["resolved"], arrival)), 0.0)
    if "responses" in cols:
        f["_responses"] = np.where(deferred, c["responses"].to_numpy(dtype=float), 0.0)
    return f, handled


def _handling_facts(c, d, handled, notes):
    """Handle time, transfers, escalations, complaints and first-contact resolution of handled contacts."""
    cols = set(c.columns)
    f = {}
    if "handle" in cols:
        f["_handle_sum"] = np.where(handled, c["handle"].to_numpy(dtype=float), 0.0)
    for flag, name in (("transferred", "_transferred"), ("escalated", "_escalated")):
        if flag in cols:
            f[name] = (handled & c[flag].to_numpy(dtype=bool)) * 1.0
    if "complaint" in cols:
        f["complaints"] = c["complaint"].to_numpy(dtype=float)
    if "customer" in cols:
        known = handled & c["customer"].notna().to_numpy()
        repeat = _repeats(c, d["fcr_days"])
        f["_fcr_num"] = (known & ~repeat) * 1.0
        f["_fcr_den"] = known * 1.0
        unknown = handled & ~known
        if unknown.any():
            notes.append(dict(source="contacts", problem="are handled contacts without a customer id",
                              rows=int(unknown.sum()), seconds=np.nan, action="left out of fcr", kind="info"))
        last = c["arrival"].max()
        open_window = known & ~repeat & (c["arrival"] + pd.Timedelta(days=d["fcr_days"]) > last).to_numpy()
        if open_window.any():
            notes.append(dict(source="contacts", problem=f"are handled contacts not repeated so far, in the last "
                              f"{d['fcr_days']:g} day(s) of the log, whose repeat window is not complete",
                              rows=int(open_window.sum()),
                              seconds=np.nan, action="counted in fcr as not repeated so far", kind="info"))
    return f


def _survey_facts(c, d):
    """Answers and their sums for CSAT, NPS, CES, QA and sentiment (each present when its column is)."""
    _, high = lp.check_scale(d["csat_scale"], "csat_scale")
    s = {name: c[name].to_numpy(dtype=float) for name in ("csat", "nps", "ces", "qa", "sentiment")
         if name in c.columns}
    f = {}
    if "csat" in s:
        ok = ~np.isnan(s["csat"])
        f["csat_responses"] = ok * 1.0
        f["_csat_top"] = (ok & (s["csat"] >= high - d["csat_top"] + 1)) * 1.0
        f["_csat_sum"] = np.where(ok, s["csat"], 0.0)
    if "nps" in s:
        ok = ~np.isnan(s["nps"])
        f["nps_responses"] = ok * 1.0
        f["_nps_net"] = np.where(ok & (s["nps"] >= 9), 1.0, 0.0) - np.where(ok & (s["nps"] <= 6), 1.0, 0.0)
    if "ces" in s:
        f["ces_responses"] = ~np.isnan(s["ces"]) * 1.0
        f["_ces_sum"] = np.nan_to_num(s["ces"])
    if "qa" in s:
        f["qa_evaluations"] = ~np.isnan(s["qa"]) * 1.0
        f["_qa_sum"] = np.nan_to_num(s["qa"])
    if "sentiment" in s:
        f["_sent_n"] = ~np.isnan(s["sentiment"]) * 1.0
        f["_sent_net"] = np.where(s["sentiment"] > 0, 1.0, 0.0) - np.where(s["sentiment"] < 0, 1.0, 0.0)
    return f


def _telephony_facts(c):
    """Telephony seconds (wait + handle) of voice contacts, for the cost KPIs."""
    voice = (c["channel"] == "voice").to_numpy()
    handle = c["handle"].to_numpy(dtype=float) if "handle" in c.columns else np.zeros(len(c))
    return {"_telephony": np.where(voice, np.nan_to_num(c["wait"].to_numpy(dtype=float)) + handle, 0.0)}


def _contact_rows(c, d, kinds, responses, notes):
    """DataFrame of per-contact numbers (hidden ones start with _) that are summed per period and group."""
    live = c["channel"].map(kinds).to_numpy() == "live"
    f = _flow_facts(c, d, live, notes)
    tickets, handled = _ticket_facts(c, ~live, responses)
    f.update(tickets)
    f.update(_handling_facts(c, d, handled, notes))
    f.update(_survey_facts(c, d))
    f.update(_telephony_facts(c))
    return pd.DataFrame(f)


def _contact_facts(c, d, kinds, responses, by, edges_ns, fq, notes):
    """Contact KPI terms per period (of arrival) and group, with the busiest clock hour of each."""
    facts = _contact_rows(c, d, kinds, responses, notes)
    facts["_p"] = period_codes(to_ns(c["arrival"]), edges_ns)
    keys = ["_p"] + by
    for b in by:
        facts[b] = c[b].array  # keeps nullable and categorical dtypes
    sums = [k for k in facts.columns if k not in keys and k != "longest_wait"]
    g = facts.groupby(keys, sort=True, dropna=False, observed=True)
    agg = g[sums].sum()
    agg["longest_wait"] = g["longest_wait"].max()
    agg = agg.reset_index()
    if fq is None or fq in ("W", "M") or fq[1] >= pd.Timedelta(hours=1):
        wall = c["arrival"].dt.tz_localize(None) if c["arrival"].dt.tz is not None else c["arrival"]
        hours = facts[keys].assign(_h=wall.dt.floor("h").to_numpy())
        peak = hours.groupby(keys + ["_h"], sort=False, dropna=False, observed=True).size()
        peak = peak.groupby(level=list(range(len(keys))), dropna=False).max().rename("peak_hour_contacts")
        agg = agg.merge(peak.reset_index(), on=keys, how="left")
    return agg


def _response_facts(responses, c, kinds, by, edges_ns):
    """Time from each ticket response to the previous one (or creation), per period of the ticket's arrival."""
    deferred = c["channel"].map(kinds).to_numpy() != "live"
    r = responses
    prev = r.groupby("contact", sort=False)["time"].shift(1)
    start = r["contact"].map(pd.Series(c["arrival"].to_numpy(), index=c["contact"]))
    gaps = _seconds(r["time"], prev.fillna(start))
    per = pd.DataFrame({"contact": r["contact"], "gap": gaps}).groupby("contact", sort=False)["gap"]
    count = c["contact"].map(per.size()).fillna(0).to_numpy(dtype=float)
    f = pd.DataFrame({"_rt_sum": np.where(deferred, c["contact"].map(per.sum()).fillna(0).to_numpy(dtype=float),
                                          0.0),
                      "_rt_n": np.where(deferred, count, 0.0)})
    if "responses" not in c.columns:  # the log's own count wins (see _ticket_facts)
        f["_responses"] = np.where(deferred, count, 0.0)
    f["_p"] = period_codes(to_ns(c["arrival"]), edges_ns)
    for b in by:
        f[b] = c[b].array
    return f.groupby(["_p"] + by, sort=True, dropna=False, observed=True).sum().reset_index()


def _repeats(c, days):
    """True for contacts whose customer contacts again within ``days`` (at or after their arrival)."""
    cust = c["customer"]
    known = cust.notna().to_numpy()
    idx = np.flatnonzero(known)
    out = np.zeros(len(c), dtype=bool)
    if idx.size < 2:
        return out
    codes = pd.factorize(cust.iloc[idx])[0]
    t = to_ns(c["arrival"].iloc[idx])
    order = np.lexsort((np.arange(idx.size), t, codes))
    same = codes[order][1:] == codes[order][:-1]
    gap = t[order][1:] - t[order][:-1]
    rep = same & (gap <= np.int64(round(days * 86400e9)))
    out[idx[order[:-1]]] = rep
    return out


# --------------------------------------------------------------------------
# State and schedule facts: each agent's timeline cut at the period edges.
# --------------------------------------------------------------------------


def _timeline_for(src, by, notes):
    """The timeline of schedule beside states, or None (no states or schedule, or ``by`` they cannot give)."""
    if src.schedule is None and src.states is None:
        return None
    extra = [b for b in by if b not in ("agent", "team")]
    frames = [f for f in (src.schedule, src.states) if f is not None]
    lacking = [b for b in extra if not all(b in f.columns for f in frames)]
    if "team" in by and src.team_of is None:
        lacking.append("team (needs staff=)")
    if lacking:
        notes.append(dict(source="states/schedule", problem=f"have no column for by={lacking[0]!r}",
                          rows=0, seconds=np.nan, action="state, schedule and cost KPIs left out", kind="info"))
        return None
    tl = build_timeline(src.schedule, src.states, ["agent"] + extra)
    notes.extend(tl.notes)
    if "team" in by:
        off = ~tl.keys["agent"].isin(src.staff["agent"]).to_numpy()
        if off.any():
            notes.append(dict(source="states/schedule", problem="are agents not on the staff list",
                              rows=int(off.sum()), seconds=np.nan, action="grouped under a blank team",
                              kind="reported"))
    return tl


def _state_facts(actual, sec):
    """Handling, on-queue, logged-in and downtime seconds of each timeline piece."""
    handling = actual == ACTUAL["handling"]
    on_queue = handling | (actual == ACTUAL["available"])
    return {"_handling": np.where(handling, sec, 0.0), "_on_queue": np.where(on_queue, sec, 0.0),
            "agent_hours": np.where(on_queue, sec, 0.0) / 3600,
            "_logged_in": np.where((actual >= 0) & (actual != ACTUAL["logged_out"]), sec, 0.0),
            "downtime": np.where(actual == ACTUAL["downtime"], sec, 0.0)}


def _schedule_facts(planned, sec, unpaid):
    """Paid and planned-shrinkage seconds of each timeline piece."""
    paid = (planned >= 0) & ~np.isin(planned, [PLANNED[a] for a in unpaid])
    return {"_paid": np.where(paid, sec, 0.0), "paid_hours": np.where(paid, sec, 0.0) / 3600,
            "_planned": np.where(paid & (planned != PLANNED["work"]), sec, 0.0)}


def _adherence_facts(tl, row, s, e, planned, actual, absent, sec, unpaid):
    """Adherence, conformance, shrinkage and absence terms of each piece (states against the schedule)."""
    seg = {k: val[row] * ((e - s) / np.maximum(tl.end[row] - tl.start[row], 1))
           for k, val in segment_facts(tl).items()}
    paid = (planned >= 0) & ~np.isin(planned, [PLANNED[a] for a in unpaid])
    on_queue = (actual == ACTUAL["handling"]) | (actual == ACTUAL["available"])
    not_leave = planned != PLANNED["leave"]
    return {"_scheduled": seg["scheduled"], "_in_adherence": seg["in_adherence"],
            "_scheduled_work": seg["scheduled_work"], "_worked": seg["worked"], "_shift": seg["scheduled"],
            "_productive_paid": np.where(paid & on_queue, sec, 0.0),
            "_absent": np.where(paid & not_leave & absent, sec, 0.0),
            "_absent_base": np.where(paid & not_leave, sec, 0.0)}


def _timeline_facts(tl, by, team_of, edges_ns, unpaid, has_schedule, has_states):
    """State, schedule and adherence terms per period (of the time spent) and group."""
    row, code, s, e = split(tl.start, tl.end, edges_ns)
    sec = (e - s) / 1e9
    planned, actual, absent = tl.planned[row], tl.actual[row], tl.absent[row]
    f = {}
    if has_states:
        f.update(_state_facts(actual, sec))
    if has_schedule:
        f.update(_schedule_facts(planned, sec, unpaid))
    if has_schedule and has_states:
        f.update(_adherence_facts(tl, row, s, e, planned, actual, absent, sec, unpaid))
    frame = pd.DataFrame(f)
    frame["_p"] = code
    labels = tl.keys.iloc[tl.agent[row]].reset_index(drop=True)
    for b in by:
        if b == "team":
            frame[b] = labels["agent"].map(team_of).to_numpy()
        else:
            frame[b] = labels[b].array
    keys = ["_p"] + by
    return frame.groupby(keys, sort=True, dropna=False, observed=True).sum().reset_index()


def _staff_facts(staff, edges, by):
    """Headcount at each period's start and end and leavers, per period (and team)."""
    hire = to_ns(staff["hire"])
    leave = to_ns(staff["leave"])
    nat = np.iinfo(np.int64).min
    hire = np.where(hire == nat, nat + 1, hire)
    teams = [None] if not by else list(pd.unique(staff["team"]))
    p0, p1 = edges.asi8[:-1], edges.asi8[1:]
    out = []
    for team in teams:
        m = np.ones(len(staff), dtype=bool) if team is None else (staff["team"] == team).to_numpy()
        h = np.sort(hire[m])
        lv = np.sort(leave[m][leave[m] != nat])

        def count(t):  # employed at t: hire <= t < leave
            return np.searchsorted(h, t, side="right") - np.searchsorted(lv, t, side="right")

        frame = pd.DataFrame({"_p": np.arange(p0.size), "_hc_start": count(p0), "_hc_end": count(p1),
                              "leavers": np.searchsorted(lv, p1, side="right") - np.searchsorted(lv, p0, side="right")})
        if team is not None:
            frame["team"] = team
        out.append(frame)
    frame = pd.concat(out, ignore_index=True)
    frame["headcount"] = (frame["_hc_start"] + frame["_hc_end"]) / 2
    frame = frame[(frame["headcount"] > 0) | (frame["leavers"] > 0)]
    return frame[["_p"] + by + ["_hc_start", "_hc_end", "headcount", "leavers"]].astype(
        {"leavers": float, "headcount": float})


def _forecast_frame(forecast, by):
    if isinstance(forecast, pd.Series):
        if by:
            raise ValueError(f"forecast is a Series of total contacts, which cannot be compared per {by}; pass a "
                             f"DataFrame with columns {by + ['interval', 'forecast']}.")
        idx = v.check_datetime_index(forecast, "forecast", "of forecast contacts per interval")
        values = v.as_float_array(forecast, "forecast", index=idx)
        frame = pd.DataFrame({"interval": idx, "forecast": values})
    elif isinstance(forecast, pd.DataFrame):
        v.check_frame_columns(forecast, "forecast", by + ["interval", "forecast"],
                              hint="One row per interval (and group) with the forecast contacts.")
        frame = forecast[by + ["interval", "forecast"]].reset_index(drop=True).copy()
        frame["interval"] = lp.parse_times(frame["interval"], "interval", np.arange(len(frame)), required=True)
        frame["forecast"] = v.as_float_array(frame["forecast"], "forecast['forecast']")
    else:
        raise TypeError(f"forecast must be a Series on a DatetimeIndex or a DataFrame; got {type(forecast).__name__}.")
    v.check_finite(frame["forecast"].to_numpy(), "forecast", "contacts")
    v.check_rows(frame.duplicated(by + ["interval"]).to_numpy(), "forecast", "give each interval once",
                 hint="One forecast per interval and group.")
    return frame


def _forecast_facts(frame, c, by, edges_ns, notes):
    ints = pd.DatetimeIndex(frame["interval"]).unique().sort_values()
    length = v.infer_interval(ints, "forecast") if len(ints) > 1 else 1800.0
    step = np.int64(round(length * 1e9))
    anchor = to_ns(ints[:1])[0]
    f_ns = to_ns(frame["interval"])
    off = (f_ns - anchor) % step
    v.check_rows(off != 0, "forecast['interval']", f"lie on one grid of {length:g}-second intervals")
    a_ns = to_ns(c["arrival"])
    a_int = anchor + np.floor_divide(a_ns - anchor, step) * step
    actual = pd.DataFrame({"_i": a_int, **{b: c[b].array for b in by}})
    actual = actual.groupby(["_i"] + by, sort=False, dropna=False, observed=True).size().rename("_a").reset_index()
    fc = pd.DataFrame({"_i": f_ns, "_f": frame["forecast"].to_numpy(dtype=float),
                       **{b: frame[b].to_numpy() for b in by}})
    merged = fc.merge(actual, on=["_i"] + by, how="outer", indicator=True)
    outside = merged["_merge"] == "right_only"
    if outside.any():
        notes.append(dict(source="contacts", problem="arrived in intervals the forecast does not cover",
                          rows=int(merged.loc[outside, "_a"].sum()), seconds=np.nan,
                          action="left out of forecast_wape and forecast_bias", kind="info"))
    merged = merged[~outside].copy()
    a = merged["_a"].fillna(0.0).to_numpy()
    fcv = merged["_f"].to_numpy()
    out = pd.DataFrame({"_p": period_codes(merged["_i"].to_numpy(), edges_ns), "_fc_abs": np.abs(fcv - a),
                        "_fc_err": fcv - a, "_fc_act": a, **{b: merged[b].to_numpy() for b in by}})
    return out.groupby(["_p"] + by, sort=True, dropna=False, observed=True).sum().reset_index()
