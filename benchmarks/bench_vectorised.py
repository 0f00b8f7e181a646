"""
The calls the vectorisation audit (Dec 2026) fixed, timed at the scale users run, and checked against the loops
they replaced.

Inputs (none downloaded; the contact log and the panel are written to a temporary folder and removed):

* ``year``: a year of 15-minute intervals (2025, 35,040, 24/7), the real ``bank_calls("15min")`` counts repeated
  end to end (``np.resize``) on that index; ``year_tz`` the same on Europe/London, its two clock-change days
  included.
* ``log``: the shipped example contact log (``wfm/datasets/data/examples/contact_log.csv``, SYNTHETIC, 2,699
  rows) repeated 365 times, each copy moved back 7 more days with new call ids: 985,135 rows over seven years.
* ``panel``: the shipped 24/7 interval report (SYNTHETIC, 2,688 quarter-hours) repeated for 200 queues.
* ``shifts``: the bank's last full week (real volumes scaled to 60,000 calls), Erlang A staffing (AHT 380 s,
  patience 120 s, 80/20) sized into shifts by ``wfm.schedule_week`` (an 8-hour shift with an unpaid half-hour
  break, a 4-hour one), about 1,200 agent shifts (printed), repeated on 52 consecutive weeks with the week's calls.
* ``centre``: 73 seeded synthetic multi-skill days (``wfm.skills.synthetic_centre``, SYNTHETIC), 3,504
  half-hours.

Timed (best of ``--repeat`` calls, no warm-up; on a shared machine these are upper bounds):
``read_contacts`` of the log; ``interval_history(log, "15min")``; ``fill_missing(year with every 97th interval
dropped, "zero")``; ``future_intervals(year, 365)`` naive and on Europe/London; ``read_history`` of the panel;
``skills.primary_staffing`` of the centre; ``simulate(week, 380, shifts of the week)`` and
``simulate(52 weeks, 380, shifts of the 52 weeks)``, one replication each.

Checked (exit code 1 when an answer differs): the open intervals of every day of the bank's calendar and of the
London year against the per-day loop wfm used before (timestamps, order and dtype), ``future_intervals`` against
that loop, ``primary_staffing`` against its per-interval loop, the duty periods of the 52 weeks of shifts against
the row-by-row reading ``schedule_table`` keeps for odd breaks, and that the per-row pass ``parse_datetimes``
no longer makes over text columns was the identity on every text column of the log.

Run: nice -n 10 python benchmarks/bench_vectorised.py [--quick] [--repeat 3] [--no-check]
``--no-check`` times only, so the same script can time an older wfm (``PYTHONPATH=old_tree``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import wfm
from wfm.datasets import bank_calls

EXAMPLES = Path(wfm.__file__).parent / "datasets" / "data" / "examples"
LOG_COLUMNS = {"arrival": "q_start", "abandon": "q_exit", "answer": "ser_start", "end": "ser_exit",
               "agent": "server", "customer": "customer_id"}
LOG_OPTIONS = dict(outcomes={"AGENT": "answered", "HANG": "abandoned", "PHANTOM": "other"},
                   na_values={"ser_start": "0:00:00", "ser_exit": "0:00:00", "server": "NO_SERVER", "customer_id": 0},
                   filters={"type": "PS"}, dayfirst=True)
PANEL_COLUMNS = {"timestamp": "Interval Start", "calls": "Calls Offered", "answered": "Calls Handled",
                 "abandoned": "Abandoned", "aht": "Avg Handle Time (sec)", "answered_within": "Answered within 30s"}


def year_of_quarter_hours(tz=None):
    """A year of 15-minute intervals: the bank's real counts repeated end to end (see the module docstring)."""
    idx = pd.date_range("2025-01-01", "2026-01-01", freq="15min", inclusive="left", name="timestamp", tz=tz)
    return pd.Series(np.resize(bank_calls("15min").to_numpy(), idx.size).astype(float), index=idx, name="calls")


def write_log(path, copies):
    src = pd.read_csv(EXAMPLES / "contact_log.csv", dtype=str)
    day = pd.to_datetime(src["date"], format="%d/%m/%Y")
    parts = [src.assign(date=(day - pd.Timedelta(days=7 * (k + 1))).dt.strftime("%d/%m/%Y"),
                        call_id=(src["call_id"].astype(int) + 10_000_000 * k).astype(str)) for k in range(copies)]
    pd.concat(parts).to_csv(path, index=False)


def write_panel(path, queues):
    src = pd.read_csv(EXAMPLES / "interval_report_24x7.csv", dtype=str)
    pd.concat([src.assign(Queue=f"Q{q:04d}") for q in range(queues)]).to_csv(path, index=False)


def synthetic_centre_days(days):
    from wfm.skills import centre
    from wfm.skills.examples import SYNTHETIC_SKILLS, SYNTHETIC_TYPES, synthetic_centre

    start = pd.Timestamp("2024-03-04")
    calls = pd.concat([synthetic_centre(day=f"{start + pd.Timedelta(days=k):%Y-%m-%d}", seed=k).calls
                       for k in range(days)])
    return centre(calls, {g: s for g, (s, _) in SYNTHETIC_SKILLS.items()},
                  aht={k: s["aht"] for k, s in SYNTHETIC_TYPES.items()},
                  patience={k: s["patience"] for k, s in SYNTHETIC_TYPES.items()},
                  targets={k: s["targets"] for k, s in SYNTHETIC_TYPES.items()},
                  cost={g: x for g, (_, x) in SYNTHETIC_SKILLS.items()})


def bank_shifts(weeks):
    """The bank week's sized shifts and calls (see the module docstring), repeated on ``weeks`` weeks."""
    calls = wfm.calendar.last_full_week(bank_calls("15min"))
    calls = calls * (60000 / calls.sum())
    plan = wfm.staffing_plan(calls, aht=380, service_level=0.8, threshold=20, model="erlang_a", patience=120)
    rules = {"shifts": [{"name": "FT8", "paid": "8h", "contract": "full_time",
                         "breaks": [{"length": "30min", "paid": False, "start_after": ["3h30min", "5h"]}]},
                        {"name": "PT4", "paid": "4h", "contract": "part_time"}],
             "week": {"days_per_week": 5}, "open_hours": {d: ["07:00", "21:00"] for d in ["mon", "tue", "wed", "thu",
                                                                                          "fri"]}}
    week = wfm.simulation.agent_schedules(wfm.schedule_week(plan.table["scheduled_agents"], rules, time_limit=30))
    shifts, volumes = [], []
    for k in range(weeks):
        d = pd.Timedelta(weeks=k)
        shifts.append(week.assign(agent=week["agent"] + 10_000 * k, start=week["start"] + d, end=week["end"] + d,
                                  breaks=[[(a + d, b + d, p) for a, b, p in x] for x in week["breaks"]]))
        volumes.append(calls.set_axis(calls.index + d))
    return calls, week, pd.concat(volumes), pd.concat(shifts, ignore_index=True)


def best(fn, repeat):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


# ---- the loops wfm used before: the frozen copies the tests keep, one copy of each ----------------------------

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for tests/
from tests.skills.test_primary_vectorised import _primary_loop as primary_loop  # noqa: E402
from tests.test_vectorised_days import _day_intervals_loop as day_intervals_loop  # noqa: E402
from tests.test_vectorised_days import _open_intervals_loop as future_loop  # noqa: E402


def same_periods(shifts, origin):
    from wfm.simulation import schedules as sm

    new = sm.schedule_table(shifts, origin)
    keep, sm._plain_periods = sm._plain_periods, (lambda *a: None)  # the row-by-row reading
    try:
        old = sm.schedule_table(shifts, origin)
    finally:
        sm._plain_periods = keep
    return all(np.array_equal(getattr(new, f), getattr(old, f)) and getattr(new, f).dtype == getattr(old, f).dtype
               for f in ("agent", "on_start", "on_end", "relative", "drain", "gap_state", "shift", "gap"))


def checks(year_tz, log_path, c, req, primary, year_calls, year_shifts):
    from wfm._calendar_days import days_intervals
    from wfm.calendar import open_calendar

    bad = []
    bank_cal = open_calendar(bank_calls("15min"), holidays="US")
    days = pd.date_range("2003-03-01", "2004-12-31", freq="D")
    for cal, tz, name in ((bank_cal, None, "bank calendar 2003-2004"),
                          (open_calendar(year_tz, open_hours="24h"), "Europe/London", "London year")):
        span = days if tz is None else pd.date_range("2025-01-01", "2025-12-31", freq="D")
        loop = [day_intervals_loop(cal, d, tz) for d in span]
        old = loop[0].append(loop[1:])
        new = days_intervals(cal, span, tz)
        if not (new.equals(old) and new.dtype == old.dtype):
            bad.append(f"open intervals of the {name}")
        start = pd.Timestamp("2026-03-20 05:00", tz=tz) if tz else pd.Timestamp("2003-10-24 21:00")
        history = year_tz if tz else bank_calls("15min")
        if not wfm.future_intervals(history, 365, calendar=cal, start=start).equals(future_loop(cal, start, 365, tz)):
            bad.append(f"future_intervals on the {name}")
    print(f"  open intervals and future_intervals = the per-day loop: {'no' if bad else 'yes'} "
          f"({len(days)} bank days, 365 London days)")
    if not np.array_equal(primary.to_numpy(), primary_loop(c, req).to_numpy()):
        bad.append("primary_staffing")
    print(f"  primary_staffing = its per-interval loop on {len(req):,} half-hours: "
          f"{'no' if 'primary_staffing' in bad else 'yes'}")
    ok = same_periods(year_shifts, year_calls.index[0])
    if not ok:
        bad.append("schedule_table")
    print(f"  duty periods of {len(year_shifts):,} shifts = the row-by-row reading: {'yes' if ok else 'no'}")
    raw = pd.read_csv(log_path)
    same = all(raw[col].map(lambda x: pd.Timestamp(x).isoformat() if isinstance(x, (dt.datetime, dt.date)) else x)
               .equals(raw[col]) for col in raw.columns if isinstance(raw[col].dtype, pd.StringDtype))
    if not same:
        bad.append("the skipped per-row pass")
    print(f"  the skipped per-row pass is the identity on the log's text columns: {'yes' if same else 'no'}")
    return bad


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="a tenth of the log, 20 queues, 10 synthetic days, 4 weeks")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-check", action="store_true", help="time only (to time an older wfm)")
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    copies, queues, days = (37, 20, 10) if args.quick else (365, 200, 73)
    year, year_tz = year_of_quarter_hours(), year_of_quarter_hours("Europe/London")
    holed = year.drop(year.index[::97])
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        log_path, panel_path = Path(tmp) / "log.csv", Path(tmp) / "panel.csv"
        write_log(log_path, copies)
        write_panel(panel_path, queues)
        secs, log = best(lambda: wfm.read_contacts(log_path, LOG_COLUMNS, **LOG_OPTIONS), 1)
        rows.append(("read_contacts", f"{len(log):,} contacts", secs))
        rows.append(("interval_history 15min", f"{len(log):,} contacts, "
                     f"{log['arrival'].dt.normalize().nunique():,} days",
                     best(lambda: wfm.interval_history(log, "15min"), args.repeat)[0]))
        rows.append(("fill_missing zero", f"{len(holed):,} intervals (every 97th of 35,040 dropped)",
                     best(lambda: wfm.fill_missing(holed, "zero"), args.repeat)[0]))
        rows.append(("future_intervals", "365 days of 96", best(lambda: wfm.future_intervals(year, 365),
                                                                args.repeat)[0]))
        rows.append(("future_intervals Europe/London", "365 days of 96",
                     best(lambda: wfm.future_intervals(year_tz, 365), args.repeat)[0]))
        secs, panel = best(lambda: wfm.read_history(panel_path, columns=PANEL_COLUMNS, queue="Queue", threshold=30), 1)
        rows.append(("read_history, queue=", f"{queues} queues x 2,688 = {len(panel):,} rows", secs))
        from wfm.skills import erlang_requirements, primary_staffing

        c = synthetic_centre_days(days)
        req = erlang_requirements(c)
        secs, primary = best(lambda: primary_staffing(c, req), args.repeat)
        rows.append(("skills.primary_staffing", f"{len(req):,} half-hours x {len(c.groups)} groups", secs))
        week_calls, week, year_calls, year_shifts = bank_shifts(52 if not args.quick else 4)
        rows.append(("simulate, shifts, 1 replication", f"a week: {len(week_calls)} intervals, {len(week):,} shifts",
                     best(lambda: wfm.simulate(week_calls, 380, week, patience=120, seed=1), args.repeat)[0]))
        rows.append(("simulate, shifts, 1 replication", f"{len(year_calls) // len(week_calls)} weeks: "
                     f"{len(year_shifts):,} shifts", best(lambda: wfm.simulate(year_calls, 380, year_shifts,
                                                                                patience=120, seed=1), 1)[0]))
        print(f"wfm {wfm.__version__} from {Path(wfm.__file__).parent}; timings are best of {args.repeat} "
              "(read_contacts, read_history, the 52-week simulation: one call), on a shared machine: upper bounds")
        for name, scale, secs in rows:
            print(f"  {name:<32} {scale:<48} {secs:8.3f} s")
        if args.no_check:
            return 0
        bad = checks(year_tz, log_path, c, req, primary, year_calls, year_shifts)
    if bad:
        print("DIFFERENT from the old loops: " + ", ".join(bad))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
