"""
Make the two small example exports of the README's "Your own data" section.

SYNTHETIC DATA. Both files come from wfm.simulate (seeded), written the way
ACDs export them, to show how wfm reads real exports; they are not
measurements of any centre.

- ``interval_report.csv``: a Sunday-Thursday centre open 08:00-18:00, four
  weeks of 30-minute intervals (Sun 2 June - Thu 27 June 2024), one row per
  interval: ``Date`` (day-first, dd/mm/yyyy), ``Interval`` ("08:00 - 08:30"),
  ``Offered``, ``Answered``, ``Abandoned``, ``Handle Time (s)`` (the
  interval's total handle time in seconds, not an average) and
  ``Answered in 20s``.
- ``contact_log.csv``: the last week of the same centre (Sun 23 - Thu 27
  June 2024), one row per call, in the shape of a call-level ACD log:
  ``call_id``, ``customer_id`` (0 = unknown caller), ``type`` (PS for
  service calls; a few NE calls of another queue are mixed in), ``date``
  (dd/mm/yyyy), ``q_start`` (the call reaches the queue), ``q_exit`` (it
  leaves the queue: answered or hung up), ``ser_start``, ``ser_exit``
  (service; ``0:00:00`` when never served), all times of day ``H:MM:SS``,
  ``outcome`` (``AGENT`` answered, ``HANG`` hung up, ``PHANTOM`` a line
  test, to be ignored) and ``server`` (``NO_SERVER`` when no agent). A few
  service starts are stamped a second before the queue exit: the ACD's two
  clocks differ slightly (clock skew).

- ``interval_report_24x7.csv``: another centre, open around the clock
  every day, four weeks of 15-minute intervals (Mon 3 - Sun 30 June 2024),
  in another export shape: ``Interval Start`` (ISO ``2024-06-03 00:00``),
  ``Calls Offered``, ``Calls Handled``, ``Abandoned``, ``Avg Handle Time
  (sec)`` (an average, empty where nothing was handled) and ``Answered
  within 30s``.

Run ``python tools/make_example_exports.py`` from the repository root to make them again
(``--only 24x7`` for the third alone); the same seed gives the same files.
"""

from pathlib import Path

import numpy as np
import pandas as pd

import wfm

HERE = Path(__file__).resolve().parents[1] / "wfm" / "datasets" / "data" / "examples"
SEED = 2024


def _calls():
    """Expected calls per half-hour: a morning peak and an afternoon shoulder, Sunday and Monday busier."""
    days = pd.date_range("2024-06-02", "2024-06-27", freq="D")
    days = days[days.day_of_week.isin([6, 0, 1, 2, 3])]  # Sunday to Thursday
    slots = np.arange(20)  # 08:00 .. 17:30
    shape = 18 + 16 * np.exp(-0.5 * ((slots - 5) / 2.5) ** 2) + 8 * np.exp(-0.5 * ((slots - 13) / 2.5) ** 2)
    idx, values = [], []
    for d in days:
        factor = {6: 1.15, 0: 1.1}.get(d.day_of_week, 1.0)
        idx.extend(d + pd.Timedelta(hours=8) + pd.to_timedelta(slots * 1800, unit="s"))
        values.extend(shape * factor)
    return pd.Series(values, index=pd.DatetimeIndex(idx))


def main():
    calls = _calls()
    plan = wfm.staffing_plan(calls, aht=240, service_level=0.8, threshold=20)
    sim = wfm.simulate(calls, 240, plan.table["agents"].to_numpy(), patience=150, seed=SEED, threshold=20)
    hist = wfm.logs.interval_history(sim.contacts, "30min", threshold=20, calendar=calls.index).table
    report = pd.DataFrame({
        "Date": hist.index.strftime("%d/%m/%Y"),
        "Interval": hist.index.strftime("%H:%M") + " - " + (hist.index + pd.Timedelta(minutes=30)).strftime("%H:%M"),
        "Offered": hist["calls"].astype(int),
        "Answered": hist["answered"].astype(int),
        "Abandoned": hist["abandoned"].astype(int),
        "Handle Time (s)": hist["handle_time"].round().astype(int),
        "Answered in 20s": hist["answered_within"].astype(int),
    })
    report.to_csv(HERE / "interval_report.csv", index=False, lineterminator="\n")

    rng = np.random.default_rng(SEED)
    c = sim.contacts[sim.contacts["arrival"] >= pd.Timestamp("2024-06-23")].reset_index(drop=True)
    n = len(c)

    def clock(times):
        t = pd.DatetimeIndex(times).round("s")
        text = pd.Series(t.strftime("%-H:%M:%S"), dtype=object)
        return text.where(~pd.isna(times), "0:00:00").to_numpy()

    answer = c["answer"]
    q_exit = answer.where(c["answered"], c["abandon"])
    ser_start = answer.copy()
    skewed = c["answered"].to_numpy() & (rng.random(n) < 0.02)  # 2% of service starts a second early
    ser_start = ser_start.where(~skewed, ser_start - pd.Timedelta(seconds=1))
    log = pd.DataFrame({
        "call_id": np.arange(100001, 100001 + n),
        "customer_id": np.where(rng.random(n) < 0.15, 0, rng.integers(10_000_000, 99_999_999, n)),
        "type": "PS",
        "date": pd.DatetimeIndex(c["arrival"]).strftime("%d/%m/%Y"),
        "q_start": clock(c["arrival"]),
        "q_exit": clock(q_exit),
        "ser_start": clock(ser_start.where(c["answered"])),
        "ser_exit": clock(c["end"].where(c["answered"])),
        "outcome": np.where(c["answered"], "AGENT", "HANG"),
        "server": np.where(c["answered"], "AGENT_" + c["agent"].astype(str), "NO_SERVER"),
    })
    # phantom line tests and a few calls of another queue, to be filtered out
    extra = log.sample(40, random_state=SEED).copy()
    extra["outcome"] = np.where(np.arange(40) < 25, "PHANTOM", extra["outcome"])
    extra["type"] = np.where(np.arange(40) < 25, "PS", "NE")
    extra["call_id"] = np.arange(200001, 200041)
    log = pd.concat([log, extra]).sort_values(["date", "q_start", "call_id"], key=lambda s: (
        pd.to_timedelta(s) if s.name == "q_start" else s), kind="stable")
    log.to_csv(HERE / "contact_log.csv", index=False, lineterminator="\n")
    print(f"wrote {len(report)} intervals and {len(log)} calls (SYNTHETIC, seed {SEED})")


def _calls_24x7():
    """Expected calls per quarter-hour around the clock: a night trough, a late-morning and an evening peak."""
    idx = pd.date_range("2024-06-03", "2024-06-30 23:45", freq="15min")
    hour = (idx.hour + idx.minute / 60).to_numpy()
    shape = 3 + 22 * np.exp(-0.5 * ((hour - 11) / 2.8) ** 2) + 14 * np.exp(-0.5 * ((hour - 19.5) / 2.2) ** 2)
    weekday = np.where(idx.day_of_week >= 5, 0.75, 1.0)
    return pd.Series(shape * weekday, index=idx)


def main_24x7():
    calls = _calls_24x7()
    plan = wfm.staffing_plan(calls, aht=330, service_level=0.8, threshold=30)
    sim = wfm.simulate(calls, 330, plan.table["agents"].to_numpy(), patience=200, seed=SEED + 1, threshold=30)
    hist = wfm.logs.interval_history(sim.contacts, "15min", threshold=30, calendar=calls.index).table
    report = pd.DataFrame({
        "Interval Start": hist.index.strftime("%Y-%m-%d %H:%M"),
        "Calls Offered": hist["calls"].astype(int),
        "Calls Handled": hist["answered"].astype(int),
        "Abandoned": hist["abandoned"].astype(int),
        "Avg Handle Time (sec)": hist["aht"].round(1),
        "Answered within 30s": hist["answered_within"].astype(int),
    })
    report.to_csv(HERE / "interval_report_24x7.csv", index=False, lineterminator="\n")
    print(f"wrote {len(report)} quarter-hours of a 24x7 centre (SYNTHETIC, seed {SEED + 1})")


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["--only", "24x7"]:
        main()
    main_24x7()
