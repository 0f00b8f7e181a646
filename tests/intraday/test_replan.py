"""Re-plan: every action within contracts and break windows (an independent check), the coverage recomputed
by a slow loop, least cost against brute force on a tiny day, adherence on a partial day, bad input."""

import itertools

import numpy as np
import pandas as pd
import pytest

import wfm
from wfm.intraday import activities_until, out_of_adherence_now, replan

DAY = pd.Timestamp("2024-03-04")
RULES = {"shifts": [
    {"name": "FT8", "paid": "8h", "cost_per_paid_hour": 20.0,
     "breaks": [{"length": "15min", "paid": True, "start_after": ["1h30min", "2h30min"]},
                {"length": "30min", "paid": False, "start_after": ["3h30min", "5h"]}]},
    {"name": "PT4", "paid": "4h", "contract": "part_time", "cost_per_paid_hour": 22.0}]}
LIMITS = dict(max_overtime=pd.Timedelta("2h"), max_vto=pd.Timedelta("4h"), min_paid=pd.Timedelta("4h"),
              max_paid=pd.Timedelta("10h"))


def t(hm):
    return DAY + pd.Timedelta(hm + ":00")


def _ft8(agent, start, brk, lunch):
    s = t(start)
    return dict(agent=agent, name="FT8", start=s, end=s + pd.Timedelta("8h30min"),
                breaks=[(t(brk), t(brk) + pd.Timedelta("15min"), True),
                        (t(lunch), t(lunch) + pd.Timedelta("30min"), False)])


@pytest.fixture(scope="module")
def day_plan():
    """A bank Monday (the bank's 2003-10-20 profile, scaled to about 11 agents at the peak) and 14 hand-made shifts."""
    calls = wfm.datasets.bank_calls("15min").loc["2003-10-20"]
    calls = pd.Series(calls.to_numpy() * 25.0 / calls.max(), index=pd.date_range(t("07:00"), periods=len(calls),
                                                                                  freq="15min"))
    rows = [_ft8(f"a{i}", s, b, l) for i, (s, b, l) in enumerate([
        ("07:00", "08:30", "10:30"), ("07:00", "09:00", "11:00"), ("08:00", "09:30", "11:30"),
        ("08:00", "10:00", "12:00"), ("08:00", "10:15", "12:30"), ("09:00", "10:30", "12:30"),
        ("09:00", "11:00", "13:00"), ("10:00", "11:30", "13:30"), ("11:00", "12:30", "14:30"),
        ("12:00", "13:30", "15:30"), ("12:30", "14:00", "16:00"), ("12:30", "14:30", "16:30")])]
    rows += [dict(agent="p0", name="PT4", start=t("10:00"), end=t("14:00"), breaks=[]),
             dict(agent="p1", name="PT4", start=t("16:00"), end=t("20:00"), breaks=[])]
    return calls, pd.DataFrame(rows)


def check_actions(old, new, now, rules, limits):
    """Independent check: the past is untouched, breaks stay in their windows and shifts within contract."""
    tpl = {s["name"]: s for s in rules["shifts"]}
    new = new.set_index("agent")
    problems = []
    for agent, n in new[~new.index.isin(old["agent"])].iterrows():   # agents called in: a whole template shift
        rule = tpl[n["name"]]
        if n["start"] < now or n["end"] - n["start"] != pd.Timedelta(rule["paid"]) + sum(
                (pd.Timedelta(b["length"]) for b in rule.get("breaks", []) if not b.get("paid", True)),
                pd.Timedelta(0)):
            problems.append(f"{agent}: not a whole {n['name']} shift from now")
        for k, (b0, b1, p) in enumerate(n["breaks"]):
            lo = n["start"] + pd.Timedelta(rule["breaks"][k]["start_after"][0])
            hi = n["start"] + pd.Timedelta(rule["breaks"][k]["start_after"][1])
            if not lo <= b0 <= hi:
                problems.append(f"{agent}: break {k} outside its window")
    for r in old.itertuples(index=False):
        n = new.loc[r.agent]
        rule = tpl[r.name]
        if r.start < now and n["start"] != r.start:
            problems.append(f"{r.agent}: start moved after it began")
        if n["start"] != r.start and r.start - n["start"] > limits["max_overtime"]:
            problems.append(f"{r.agent}: early start beyond max_overtime")
        if n["end"] < now and n["end"] != r.end:
            problems.append(f"{r.agent}: end moved into the past")
        extra = (r.start - n["start"]) + max(n["end"] - r.end, pd.Timedelta(0))
        if extra > limits["max_overtime"]:
            problems.append(f"{r.agent}: overtime {extra}")
        if n["end"] < r.end and n["start"] != r.start:
            problems.append(f"{r.agent}: both overtime and VTO")
        unpaid = sum(((b1 - b0) for b0, b1, p in n["breaks"] if not p), pd.Timedelta(0))
        paid = n["end"] - n["start"] - unpaid
        if (n["end"], n["start"]) != (r.end, r.start) and not (limits["min_paid"] <= paid <= limits["max_paid"]):
            problems.append(f"{r.agent}: paid length {paid}")
        for k, ((b0, b1, p), (o0, o1, _)) in enumerate(zip(n["breaks"], r.breaks)):
            lo = r.start + pd.Timedelta(rule["breaks"][k]["start_after"][0])
            hi = r.start + pd.Timedelta(rule["breaks"][k]["start_after"][1])
            if (b0, b1) != (o0, o1):
                if o0 < now or b0 < now:
                    problems.append(f"{r.agent}: break {k} moved in the past")
                if not (lo <= b0 <= hi):
                    problems.append(f"{r.agent}: break {k} at {b0:%H:%M} outside {lo:%H:%M}-{hi:%H:%M}")
                if b1 - b0 != o1 - o0:
                    problems.append(f"{r.agent}: break {k} changed length")
            if not (n["start"] <= b0 and b1 <= n["end"]):
                problems.append(f"{r.agent}: break {k} outside the shift")
        ends = [b1 for _, b1, _ in n["breaks"]]
        starts = [b0 for b0, _, _ in n["breaks"]]
        if any(s < e for s, e in zip(starts[1:], ends[:-1])):
            problems.append(f"{r.agent}: breaks overlap")
    return problems


def slow_coverage(schedule, grid):
    out = []
    for ts in grid:
        mid = ts + pd.Timedelta("7min30s")
        n = 0
        for r in schedule.itertuples(index=False):
            if r.start <= mid < r.end and not any(b0 <= mid < b1 for b0, b1, _ in r.breaks):
                n += 1
        out.append(n)
    return np.asarray(out, dtype=float)


@pytest.mark.parametrize("target", ["day", "interval"])
def test_a_surge_is_closed_within_contracts_and_windows(day_plan, target):
    calls, sched = day_plan
    now = t("10:00")
    surge = calls.where(calls.index < now, calls * 1.15)
    rp = replan(surge, sched, RULES, aht=300, now=now, target=target)
    assert check_actions(sched, rp.schedule, now, RULES, LIMITS) == []
    np.testing.assert_allclose(rp.table["scheduled_before"], slow_coverage(sched, rp.table.index))
    np.testing.assert_allclose(rp.table["scheduled_after"], slow_coverage(rp.schedule, rp.table.index))
    fig = rp.figures()
    assert fig["service_level_after"] > fig["service_level_before"]
    if target == "day":
        assert fig["service_level_after"] >= 0.8     # reachable here (extra shifts can always be called in)
    costs = rp.actions.groupby("action")["cost"].sum()
    assert costs.get("overtime", 0) >= 0 and costs.get("vto", 0) <= 0
    assert fig["cost"] == pytest.approx(rp.actions["cost"].sum())


def test_a_quiet_afternoon_offers_voluntary_time_off(day_plan):
    calls, sched = day_plan
    now = t("12:00")
    quiet = calls.where(calls.index < now, calls * 0.5)
    rp = replan(quiet, sched, RULES, aht=300, now=now, target="interval")
    assert rp.figures()["vto_hours"] > 0 and rp.figures()["cost"] < 0
    assert (rp.table["gap_after"] >= 0).all()
    assert check_actions(sched, rp.schedule, now, RULES, LIMITS) == []


def test_least_cost_against_brute_force():
    """Two agents, a gap at 11:00-11:30: enumerate every combination of each agent's options (a: where her lunch
    goes and how early she leaves; b: how long he stays on) and take the cheapest; the MILP must find that cost."""
    calls = pd.Series(0.0, index=pd.date_range(t("10:00"), t("15:45"), freq="15min"))
    calls[t("11:00"):t("11:15")] = 60.0
    sched = pd.DataFrame([_ft8("a", "07:00", "08:30", "11:00"), _ft8("b", "05:00", "06:30", "09:00")])
    sched.loc[1, "end"] = t("11:00")             # b works 05:00-11:00, 5.5 paid hours
    rp = replan(calls, sched, RULES, aht=300, now=t("10:00"), target="interval", extra_shifts=False)
    req = rp.table["required"].to_numpy()
    grid = rp.table.index
    q = pd.Timedelta("15min")
    best = np.inf
    cov_a, cov_b = {}, {}
    for lunch, vto in itertools.product(pd.date_range(t("10:30"), t("12:00"), freq="15min"), range(17)):
        a = _ft8("a", "07:00", "08:30", lunch.strftime("%H:%M"))
        a["end"] -= vto * q
        if a["end"] >= t("12:30") and 8 - vto * 0.25 >= 4:   # VTO never before the lunch window closes; paid >= 4 h
            cov_a[lunch, vto] = slow_coverage(pd.DataFrame([a]), grid)
    for ot in range(9):
        b = dict(sched.loc[1])
        b["end"] += ot * q
        if 5.5 + ot * 0.25 <= 10:
            cov_b[ot] = slow_coverage(pd.DataFrame([b]), grid)
    for ((lunch, vto), ca), (ot, cb) in itertools.product(cov_a.items(), cov_b.items()):
        cost = np.maximum(req - ca - cb, 0).sum() * 1e4 + ot * 0.25 * 20 * 1.5 - vto * 0.25 * 20
        best = min(best, cost)
    shortfall = np.maximum(req - rp.table["scheduled_after"].to_numpy(), 0).sum()
    assert rp.figures()["cost"] + shortfall * 1e4 == pytest.approx(best, abs=0.01)


def test_a_schedule_for_another_day_is_an_error(day_plan):
    calls, sched = day_plan
    other = sched.assign(start=sched["start"] + pd.Timedelta(days=1), end=sched["end"] + pd.Timedelta(days=1),
                         breaks=[[(b0 + pd.Timedelta(days=1), b1 + pd.Timedelta(days=1), p) for b0, b1, p in bs]
                                 for bs in sched["breaks"]])
    with pytest.raises(ValueError, match="another day.*2024-03-05.*2024-03-04"):
        replan(calls, other, RULES, aht=300, now=t("10:00"))


def test_unknown_template_and_wrong_breaks_are_errors(day_plan):
    calls, sched = day_plan
    with pytest.raises(ValueError, match="XX"):
        replan(calls, sched.assign(name="XX"), RULES, aht=300, now=t("10:00"))
    bad = sched.copy()
    bad.at[0, "breaks"] = bad.at[0, "breaks"][:1]
    with pytest.raises(ValueError, match="1 break"):
        replan(calls, bad, RULES, aht=300, now=t("10:00"))


def test_breaks_as_text_read_like_wfm_schedule_writes_them(day_plan):
    calls, sched = day_plan
    text = sched.assign(breaks=[wfm.report.schedule_views.breaks_text(b) for b in sched["breaks"]])
    a = replan(calls, sched, RULES, aht=300, now=t("10:00"), target="interval")
    b = replan(calls, text, RULES, aht=300, now=t("10:00"), target="interval")
    np.testing.assert_allclose(a.table["scheduled_after"], b.table["scheduled_after"])


def test_adherence_on_a_partial_day_names_who_is_out_now():
    """wfm.adherence on a state log that stops at 11:00, with the schedule cut there: ann is on her break since
    10:50 (scheduled 10:30-10:45), bob is working as planned; without the cut the rest of the day counts."""
    sched = pd.DataFrame([_ft8("ann", "08:00", "10:30", "12:00"), _ft8("bob", "08:00", "10:00", "12:30")])
    states = pd.DataFrame({"agent": ["ann", "ann", "ann", "bob", "bob", "bob"],
                           "state": ["idle", "break", "break", "idle", "break", "idle"],
                           "start": [t("08:00"), t("10:30"), t("10:45"), t("08:00"), t("10:00"), t("10:15")],
                           "end": [t("10:30"), t("10:45"), t("11:00"), t("10:00"), t("10:15"), t("11:00")]})
    now = t("11:00")
    acts = activities_until(sched, now)
    assert acts["end"].max() == now
    res = wfm.adherence(acts, states, grace=60)
    table = res.table.set_index("agent")
    assert table.loc["bob", "adherence"] == pytest.approx(1.0)
    assert table.loc["ann", "adherence"] == pytest.approx(1 - 15 / 180)
    out = out_of_adherence_now(res.events, now)
    assert list(out["agent"]) == ["ann"] and out["seconds"].iloc[0] == 900
    uncut = wfm.adherence(activities_until(sched, t("23:00")), states, grace=60).table.set_index("agent")
    assert uncut.loc["bob", "adherence"] < 0.5       # the unworked afternoon counts against him without the cut


def test_results_contract(day_plan):
    import matplotlib

    matplotlib.use("Agg")
    calls, sched = day_plan
    rp = replan(calls * 1.2, sched, RULES, aht=300, now=t("10:00"), target="interval")
    figs = rp.figures()
    assert set(figs) == set(rp.LABELS)
    assert all(isinstance(x, (int, float)) for x in figs.values())
    assert list(rp.summary().columns) == ["figure", "value"]
    assert rp.plot().get_ylabel() == "agents"
    cost = f"{figs['cost']:,.0f}"
    ax = rp.plot(currency="USD")
    assert ax.get_title().endswith(f"actions cost {cost} USD")  # notebook 07 had no currency
    ax.figure.canvas.draw()
    labels = [x.get_text() for x in ax.get_xticklabels() if x.get_text()]
    assert labels and all(len(x) == 5 and x[2] == ":" for x in labels)  # 10:00, not '10-20 10'
    assert rp.plot().get_title().endswith(f"actions cost {cost} (units of the rules' cost_per_paid_hour)")
    assert "<h4>Replan" in rp._repr_html_()
