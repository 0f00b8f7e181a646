"""Weekly schedule sizing: optima checked by brute force, and every rule checked on the solution itself."""

from itertools import product

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wfm
from wfm.schedule import schedule_week, shift_coverage

MONDAY = pd.Timestamp("2024-01-01")  # a Monday


def _week(freq="1h", days=7):
    return pd.date_range(MONDAY, periods=days * int(pd.Timedelta("1D") / pd.Timedelta(freq)), freq=freq)


def _day_rules(**week):
    return {"week": {"days_per_week": 1, **week}}


# ---------------------------------------------------------------- an independent look at the solution


def coverage_by_hand(shifts, index):
    """Agents on the phones per interval, one shift row and one interval at a time (deliberately slow)."""
    out = pd.Series(0, index=index)
    for row in shifts.itertuples():
        for ts in index:
            on_shift = row.start <= ts < row.end
            on_break = any(a <= ts < b for a, b, _ in row.breaks)
            out[ts] += row.agents * (on_shift and not on_break)
    return out


def _wall(ts):
    """The local wall-clock time of a timestamp (itself when naive)."""
    return ts.tz_localize(None) if ts.tz is not None else ts


def check_rules_kept(plan, rules, requirement, *, open_hours=None):
    """Every rule, checked on plan.shifts / plan.patterns rather than on the solver's status.

    Start windows, steps and opening hours are wall-clock times; lengths are elapsed time.
    """
    rules = wfm.schedule.schedule_rules(rules)
    tpl = {t.name: t for t in rules.shifts}
    tab = plan.shifts
    step = requirement.index[1] - requirement.index[0]
    cov = plan.coverage
    # coverage recomputed independently equals the reported one and the requirement is met
    np.testing.assert_array_equal(coverage_by_hand(tab, requirement.index), cov["scheduled"])
    np.testing.assert_array_equal(cov["required"], requirement)
    np.testing.assert_array_equal(cov["over"] - cov["under"], cov["scheduled"] - cov["required"])
    if plan.mode == "cover":
        assert (cov["scheduled"] >= requirement).all()
        assert cov["under"].sum() == 0
    assert (tab["agents"] > 0).all()
    for row in tab.itertuples():
        t = tpl[row.name]
        assert row.contract == t.contract
        assert row.end - row.start == t.span
        assert row.paid_hours == t.paid_hours
        assert row.day == row.start.normalize()
        assert len(row.breaks) == len(t.breaks)
        for (a, b, paid), rule in zip(row.breaks, t.breaks):
            assert b - a == rule.length and paid == rule.paid
            assert rule.start_after[0] <= a - row.start <= rule.start_after[1]
            assert (a - requirement.index[0]) % step == pd.Timedelta(0)
        if t.starts is not None:
            minute = row.start.hour * 60 + row.start.minute
            assert t.starts[0] <= minute <= t.starts[1]
        if t.step is not None:
            base = pd.Timedelta(minutes=t.starts[0]) if t.starts else pd.Timedelta(0)
            assert ((_wall(row.start) - _wall(row.start).normalize()) - base) % t.step == pd.Timedelta(0)
        if t.within_open_hours:
            span = (requirement.index >= row.start) & (requirement.index < row.end)
            assert cov["open"][span].all(), f"{row.name} at {row.start} runs outside opening hours"
    if open_hours is not None:
        for row in tab.itertuples():
            day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][row.start.day_of_week]
            a, b = open_hours[day]
            day0 = _wall(row.day)
            assert day0 + pd.Timedelta(a + ":00") <= _wall(row.start)
            assert _wall(row.end) <= day0 + pd.Timedelta(b + ":00")
    # cost, paid hours, heads, bound
    rate = tab["name"].map(lambda n: tpl[n].rate)
    assert plan.cost == pytest.approx((tab["agents"] * tab["paid_hours"] * rate).sum())
    priced = tab["name"].map(lambda n: tpl[n].cost_per_paid_hour is not None).astype(bool)
    np.testing.assert_allclose(tab["cost"][priced], (tab["agents"] * tab["paid_hours"] * rate)[priced])
    assert tab["cost"][~priced].isna().all()  # no cost given: n/a, never the paid hours
    assert plan.paid_hours == pytest.approx((tab["agents"] * tab["paid_hours"]).sum())
    assert plan.lower_bound <= plan.objective + 1e-6
    if plan.mode == "cover":
        assert plan.objective == pytest.approx(plan.cost)
    if plan.status == "optimal":
        assert plan.gap <= plan.params["mip_gap"] + 1e-9
    assert plan.heads == plan.patterns["agents"].sum()
    # weekly patterns: days per week, consecutive days off, and one shift per working day
    week = rules.week
    day_names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    for row in plan.patterns.itertuples():
        worked = row.days.split()
        contracts = [row.contract] if row.contract != "any" else ["full_time", "part_time"]
        lo = min(week.days_per_week[c][0] for c in contracts)
        hi = max(week.days_per_week[c][1] for c in contracts)
        open_days = len({d.day_of_week for d in cov.index[cov["open"]]})
        assert min(lo, open_days) <= len(worked) <= min(hi, open_days)
        if week.days_off_consecutive:
            off = np.array([d not in worked for d in day_names])
            assert int(np.sum(off & ~np.roll(off, 1))) <= 1, row.days_off
    group = tab["contract"] if week.same_contract_all_week else pd.Series("any", index=tab.index)
    keys = [group, tab["day"].dt.day_of_week]
    if week.same_start_all_week:
        keys.append(tab["start"].dt.strftime("%H:%M"))
    per_day = tab.groupby(keys)["agents"].sum()
    expected = {}
    for row in plan.patterns.itertuples():
        for d in row.days.split():
            key = (row.contract, day_names.index(d)) + ((row.start,) if week.same_start_all_week else ())
            expected[key] = expected.get(key, 0) + row.agents
    assert per_day[per_day > 0].to_dict() == {k: n for k, n in expected.items() if n > 0}
    # caps
    if rules.max_heads is not None:
        assert plan.heads <= rules.max_heads
    if rules.max_cost is not None:
        assert plan.cost <= rules.max_cost + 1e-6
    for name, t in tpl.items():
        if t.max_agents is not None:
            assert (tab[tab["name"] == name].groupby("day")["agents"].sum() <= t.max_agents).all()
    lo, hi = week.part_time_share
    if plan.paid_hours:
        share = (tab["agents"] * tab["paid_hours"])[tab["contract"] == "part_time"].sum() / plan.paid_hours
        assert lo - 1e-9 <= share <= hi + 1e-9


# ---------------------------------------------------------------- optima known by brute force


def _brute_no_breaks(req, lengths, costs):
    """Cheapest whole agents per (start, length) covering req on one day (exhaustive)."""
    T = len(req)
    shifts = [(s, L, c) for L, c in zip(lengths, costs) for s in range(T - L + 1)]
    cap = int(max(req))
    best = np.inf
    for counts in product(range(cap + 1), repeat=len(shifts)):
        cov = np.zeros(T)
        for (s, L, _), n in zip(shifts, counts):
            cov[s:s + L] += n
        if (cov >= req).all():
            best = min(best, sum(n * c for (_, _, c), n in zip(shifts, counts)))
    return best


@pytest.mark.parametrize("seed", range(6))
def test_one_day_without_breaks_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    req_day = rng.integers(0, 3, size=5)
    req_day[[0, -1]] = np.maximum(req_day[[0, -1]], 1)  # open from the first to the last interval
    idx = pd.date_range(MONDAY + pd.Timedelta("9h"), periods=5, freq="1h")
    req = pd.Series(req_day, index=idx)
    rules = {"shifts": [{"name": "H2", "paid": "2h", "cost_per_paid_hour": 1.0},
                        {"name": "H3", "paid": "3h", "cost_per_paid_hour": 0.9}], **_day_rules()}
    plan = schedule_week(req, rules)
    assert plan.cost == pytest.approx(_brute_no_breaks(req_day, [2, 3], [2.0, 2.7]))
    check_rules_kept(plan, rules, req)


def _brute_with_break(req, span, window, cost):
    """Cheapest cover by shifts of ``span`` intervals, one 1-interval break starting in ``window`` (offsets)."""
    T = len(req)
    starts = range(T - span + 1)
    options = list(range(window[0], window[1] + 1))
    cap = int(max(req))
    # per start: how many agents take the break at each offset
    per_start = [c for c in product(range(cap + 1), repeat=len(options)) if sum(c) <= cap]
    best, best_plan = np.inf, None
    for choice in product(per_start, repeat=len(starts)):
        cov = np.zeros(T)
        for s, split in zip(starts, choice):
            cov[s:s + span] += sum(split)
            for o, n in zip(options, split):
                cov[s + o] -= n
        if (cov >= req).all():
            total = cost * sum(map(sum, choice))
            if total < best:
                best, best_plan = total, choice
    return best, best_plan


@pytest.mark.parametrize("req_day", [[1, 2, 2, 2, 1, 1], [2, 1, 2, 2, 1, 2], [1, 1, 2, 2, 2, 2], [2, 2, 2, 2, 2, 2]])
def test_breaks_match_brute_force(req_day):
    idx = pd.date_range(MONDAY + pd.Timedelta("8h"), periods=len(req_day), freq="30min")
    req = pd.Series(req_day, index=idx)
    # span 4 half-hours, a paid half-hour break starting 30 to 60 minutes in
    rules = {"shifts": [{"name": "S", "paid": "2h", "breaks": [
        {"length": "30min", "paid": True, "start_after": ["30min", "1h"]}]}], **_day_rules()}
    plan = schedule_week(req, rules)
    best, _ = _brute_with_break(np.array(req_day), 4, (1, 2), 2.0)
    assert plan.cost == pytest.approx(best)
    check_rules_kept(plan, rules, req)


def _explicit_optimum(req, templates):
    """Optimum of the explicit shift-by-break model: one column per start and break placement (scipy milp)."""
    from scipy.optimize import LinearConstraint, milp

    T = len(req)
    cols, costs = [], []
    for span, cost, breaks in templates:
        for t in range(T - span + 1):
            for offsets in product(*[range(lo, hi + 1) for lo, hi, _ in breaks]):
                col = np.zeros(T)
                col[t:t + span] = 1
                for o, (_, _, length) in zip(offsets, breaks):
                    col[t + o:t + o + length] -= 1
                cols.append(col)
                costs.append(cost)
    res = milp(np.array(costs), constraints=LinearConstraint(np.array(cols).T, np.asarray(req, float), np.inf),
               integrality=np.ones(len(costs)))
    return res.fun


@pytest.mark.parametrize("seed", range(5))
def test_implicit_breaks_match_the_explicit_model(seed):
    # Two templates; A's two 30-min breaks share one break class (same length and window width).
    rng = np.random.default_rng(100 + seed)
    req_day = rng.integers(0, 4, size=16)
    req_day[[0, -1]] = np.maximum(req_day[[0, -1]], 1)
    idx = pd.date_range(MONDAY + pd.Timedelta("8h"), periods=16, freq="30min")
    req = pd.Series(req_day, index=idx)
    rules = {"shifts": [
        {"name": "A", "paid": "4h", "breaks": [{"length": "30min", "paid": True, "start_after": ["30min", "1h30min"]},
                                               {"length": "30min", "paid": True, "start_after": ["2h", "3h"]}]},
        {"name": "B", "paid": "3h", "cost_per_paid_hour": 1.1, "breaks": [
            {"length": "1h", "paid": False, "start_after": ["1h", "2h"]},
            {"length": "30min", "paid": True, "start_after": ["3h", "3h"]}]}], **_day_rules()}
    plan = schedule_week(req, rules, mip_gap=0)
    explicit = _explicit_optimum(req_day, [(8, 4.0, [(1, 3, 1), (4, 6, 1)]), (8, 3.3, [(2, 4, 2), (6, 6, 1)])])
    assert plan.cost == pytest.approx(explicit)
    check_rules_kept(plan, rules, req)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(req_day=st.lists(st.integers(0, 3), min_size=10, max_size=14), width=st.integers(0, 3),
       length=st.integers(1, 2))
def test_implicit_breaks_property(req_day, width, length):
    """Any requirement, any break window: the implicit model's optimum is the explicit one, and every rule holds."""
    req_day = np.array(req_day)
    req_day[[0, -1]] = np.maximum(req_day[[0, -1]], 1)
    idx = pd.date_range(MONDAY + pd.Timedelta("8h"), periods=len(req_day), freq="30min")
    req = pd.Series(req_day, index=idx)
    lo = 2
    rules = {"shifts": [{"name": "S", "paid": "4h", "breaks": [
        {"length": f"{30 * length}min", "paid": True, "start_after": [f"{30 * lo}min", f"{30 * (lo + width)}min"]}]},
        {"name": "T", "paid": "2h", "cost_per_paid_hour": 1.2}], **_day_rules()}
    plan = schedule_week(req, rules, mip_gap=0)
    explicit = _explicit_optimum(req_day, [(8, 4.0, [(lo, lo + width, length)]), (4, 2.4, [])])
    assert plan.cost == pytest.approx(explicit)
    assert plan.lower_bound <= plan.cost + 1e-9
    check_rules_kept(plan, rules, req)


def test_unpaid_break_lengthens_the_span_and_costs_nothing():
    idx = pd.date_range(MONDAY + pd.Timedelta("8h"), periods=5, freq="1h")
    req = pd.Series([1, 1, 0, 1, 1], index=idx)
    rules = {"shifts": [{"name": "L", "paid": "4h", "breaks": [
        {"length": "1h", "paid": False, "start_after": ["2h", "2h"]}]}], **_day_rules()}
    plan = schedule_week(req, rules)
    assert plan.cost == 4.0 and plan.paid_hours == 4.0
    row = plan.shifts.iloc[0]
    assert (row["start"], row["end"]) == (idx[0], idx[-1] + pd.Timedelta("1h"))
    assert row["breaks"] == [(idx[2], idx[3], False)]
    assert plan.efficiency == 1.0
    assert plan.coverage["on_break"].tolist() == [0, 0, 1, 0, 0]


def _brute_days_off(req, days, consecutive, cost_per_day):
    pats = wfm.schedule.weekly_patterns([True] * 7, (days, days), consecutive)
    cap = int(max(req))
    best = (np.inf, None)
    for w in product(range(cap + 1), repeat=len(pats)):
        if (np.asarray(w) @ pats >= req).all():
            best = min(best, (cost_per_day * days * sum(w), sum(w)))
    return best


@pytest.mark.parametrize("daily", [[3, 2, 2, 2, 3, 1, 0], [2, 2, 2, 2, 2, 1, 1], [1, 3, 1, 3, 1, 3, 1]])
def test_days_off_patterns_match_brute_force(daily):
    # one open hour a day (10:00-11:00), a 1-hour shift: the week is all about days off
    idx = _week("1h")
    req = pd.Series(0, index=idx)
    req[idx.hour == 10] = daily
    rules = {"shifts": [{"name": "D", "paid": "1h"}], "open_hours": {d: ["10:00", "11:00"] for d in
                                                                     ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]},
             "week": {"days_per_week": 5, "days_off_consecutive": True}}
    plan = schedule_week(req, rules)
    cost, heads = _brute_days_off(np.array(daily), 5, True, 1.0)
    assert plan.cost == pytest.approx(cost)
    assert plan.heads == heads
    check_rules_kept(plan, rules, req, open_hours=rules["open_hours"])
    # each agent works 5 days: the shifts are 5 per head
    assert plan.shifts["agents"].sum() == 5 * plan.heads


def test_day_by_day_sizing_misses_the_days_off_trade_off():
    # Covering each day on its own needs max(daily) heads on every day; patterns share agents across days.
    daily = [3, 3, 3, 3, 3, 0, 0]
    idx = _week("1h")
    req = pd.Series(0, index=idx)
    req[idx.hour == 10] = daily
    rules = {"shifts": [{"name": "D", "paid": "1h"}],
             "open_hours": {d: ["10:00", "11:00"] for d in ["mon", "tue", "wed", "thu", "fri"]},
             "week": {"days_per_week": 5}}
    plan = schedule_week(req, rules)
    assert (plan.cost, plan.heads) == (15.0, 3)
    assert plan.patterns.to_dict("records") == [
        {"contract": "full_time", "days": "Mon Tue Wed Thu Fri", "days_off": "Sat Sun", "agents": 3}]


# ---------------------------------------------------------------- a realistic week


def _bank_week(bank_30min):
    """Last full bank week on a full 7-day 30-minute grid (nights and weekend 0), staffed 80/20 at AHT 300 s."""
    week = wfm.calendar.last_full_week(bank_30min)
    grid = pd.date_range(week.index[0].normalize(), periods=7 * 48, freq="30min")
    calls = week.reindex(grid, fill_value=0.0)
    plan = wfm.staffing_plan(calls, aht=300, service_level=0.8, threshold=20)
    return plan


BANK_RULES = {
    "shifts": [
        {"name": "PT4", "paid": "4h", "contract": "part_time", "cost_per_paid_hour": 1.05, "step": "30min",
         "breaks": [{"length": "30min", "paid": True, "start_after": ["1h30min", "2h30min"]}]},
        {"name": "FT8", "paid": "8h", "contract": "full_time", "starts": ["07:00", "13:00"],
         "breaks": [{"length": "30min", "paid": True, "start_after": ["1h30min", "2h30min"]},
                    {"length": "1h", "paid": False, "start_after": ["3h30min", "4h30min"]},
                    {"length": "30min", "paid": True, "start_after": ["6h", "7h"]}]},
        {"name": "FT6", "paid": "6h", "contract": "full_time",
         "breaks": [{"length": "30min", "paid": True, "start_after": ["2h", "3h30min"]}]},
    ],
    "open_hours": {d: ["07:00", "21:00"] for d in ["mon", "tue", "wed", "thu", "fri"]},
    "week": {"days_per_week": 5, "days_off_consecutive": True},
}


@pytest.fixture(scope="module")
def bank_plan(bank_30min):
    """Staffing plan of the last bank week on a 7-day grid. Module scope: read-only."""
    return _bank_week(bank_30min)


@pytest.fixture(scope="module")
def bank_schedule(bank_plan):
    """The bank week scheduled with BANK_RULES. Module scope: read-only, solved once."""
    req = bank_plan.table["agents"]
    return schedule_week(req, BANK_RULES, plan=bank_plan, time_limit=30)


def test_bank_week_keeps_every_rule(bank_plan, bank_schedule):
    req = bank_plan.table["agents"]
    plan = bank_schedule
    check_rules_kept(plan, BANK_RULES, req, open_hours=BANK_RULES["open_hours"])
    assert plan.mode == "cover" and plan.status == "optimal"
    assert plan.gap <= 0.005
    # nobody at 3 am: the centre's hours hold
    assert (plan.shifts["start"].dt.hour >= 7).all()
    assert (plan.shifts["end"] <= plan.shifts["day"] + pd.Timedelta("21h")).all()
    # scheduled productive hours can never be below the requirement's agent-hours
    assert 0.8 < plan.efficiency <= 1.0
    hours = 0.5
    assert plan.efficiency == pytest.approx(req.sum() / plan.coverage["scheduled"].sum())
    # paid time = productive time + paid breaks (unpaid breaks are neither)
    paid_breaks = sum(r.agents * sum(((b - a) for a, b, p in r.breaks if p), pd.Timedelta(0)).total_seconds()
                      for r in plan.shifts.itertuples()) / 3600
    assert plan.paid_hours == pytest.approx(plan.coverage["scheduled"].sum() * hours + paid_breaks)
    # a single open-weekday pattern: five days for everyone
    assert set(plan.patterns["days"]) == {"Mon Tue Wed Thu Fri"}
    assert plan.heads == plan.shifts[plan.shifts["day"] == plan.shifts["day"].min()]["agents"].sum()


def test_lp_relaxation_bounds_the_integer_cost(bank_plan, bank_schedule):
    from wfm.schedule import grid as g, milp, model as m
    from wfm.schedule.shifts import on_grid, schedule_rules

    rules = schedule_rules(BANK_RULES)
    grid = g._grid(bank_plan.table["agents"], rules)
    templates = on_grid(rules, grid.interval)
    model = m._build(rules, grid, templates, g._candidate_shifts(rules, grid, templates))
    lp = milp._solve_highs(model, 30, 0.0, relax=True).objective
    assert lp <= bank_schedule.lower_bound + 1e-6 <= bank_schedule.cost + 2e-6
    assert bank_schedule.params["shift_variables"] == model.nx


def test_service_level_through_the_staffing_engine(bank_plan, bank_schedule):
    cov = bank_schedule.coverage
    tab = bank_plan.table
    expected = wfm.service_level(tab["calls"], tab["aht"], 1800, cov["scheduled"], 20)
    np.testing.assert_allclose(cov["service_level"], expected, rtol=0, atol=1e-12)
    # covering the requirement meets the target wherever calls arrive
    assert (cov["service_level"][tab["calls"] > 0] >= 0.8).all()
    assert "service level (call-weighted)" in set(bank_schedule.summary()["figure"])


def test_by_template_and_presentation(bank_schedule):
    table = bank_schedule.by_template()
    assert table.to_numpy().sum() == bank_schedule.shifts["agents"].sum()
    assert set(table.index) <= {"PT4", "FT8", "FT6"}
    assert "SchedulePlan" in repr(bank_schedule) and "gap" in repr(bank_schedule)
    html = bank_schedule._repr_html_()
    assert "<table" in html and "breaks" in html
    import matplotlib.pyplot as plt

    ax = bank_schedule.plot()
    assert ax.get_ylabel() == "agents"
    fig, given = plt.subplots()
    assert bank_schedule.plot(ax=given, kind="gantt") is given
    with pytest.raises(ValueError, match="kind"):
        bank_schedule.plot(kind="pie")
    plt.close("all")


def test_gantt_labels_do_not_overlap_and_name_the_days(bank_schedule):
    """Notebook 03's Gantt: 135-odd shift rows gave overlapping agent labels and ticks like '10-20 12'."""
    import itertools

    import matplotlib.pyplot as plt

    shifts = bank_schedule.shifts
    days = sorted({f"{d:%a %d %b}" for d in shifts["start"]}, key=lambda s: pd.Timestamp(f"{s} 2003"))
    for size in (None, (8, 3)):
        ax = bank_schedule.plot(kind="gantt", ax=None if size is None else plt.subplots(figsize=size)[1])
        ax.figure.canvas.draw()
        renderer = ax.figure.canvas.get_renderer()
        boxes = [t.get_window_extent(renderer) for t in ax.texts]
        assert boxes and not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
        step = int(ax.get_ylabel().split("one bar in ")[1].rstrip(")")) if "one bar in" in ax.get_ylabel() else 1
        assert [t.get_text() for t in ax.texts] == [f" {n}" for n in shifts["agents"].iloc[::step]]
        assert [t.get_text() for t in ax.get_xticklabels()] == days
    plt.close("all")


def test_seven_day_week_with_weekly_patterns():
    # a 7-day, 1-hour grid: weekdays busier than weekends; 5 of 7 days with 2 consecutive days off
    idx = _week("1h")
    base = np.array([0] * 8 + [2, 4, 5, 5, 4, 4, 5, 4, 3, 2] + [0] * 6)
    scale = np.array([1, 1, 1, 1, 1, 0.5, 0.5])
    req = pd.Series(np.ceil(np.concatenate([base * s for s in scale])).astype(int), index=idx)
    rules = {"shifts": [
        {"name": "FT8", "paid": "8h", "breaks": [{"length": "1h", "paid": False, "start_after": ["3h", "5h"]}]},
        {"name": "PT4", "paid": "4h", "contract": "part_time", "cost_per_paid_hour": 1.1}],
        "week": {"days_per_week": {"full_time": 5, "part_time": [2, 4]}, "days_off_consecutive": True}}
    plan = schedule_week(req, rules, time_limit=20, mip_gap=0)
    check_rules_kept(plan, rules, req)
    assert plan.status == "optimal" and plan.gap < 1e-6
    days = set(plan.patterns.loc[plan.patterns["contract"] == "full_time", "days_off"])
    assert days and all(len(d.split()) == 2 for d in days)


def test_without_a_cost_the_shifts_cost_is_na_and_the_solver_minimises_paid_hours():
    """Review33 item 4: with no cost_per_paid_hour the shifts' cost was the paid hours (a default rate of 1), so a
    plan priced elsewhere (a scenario's costs.paid_hour) showed two costs. Now the cost is n/a; the solver weighs a
    paid hour 1 all the same, so the schedule is the one priced at 1 per hour (the same deterministic solve);
    priced_rules puts one cost on the templates that give none, which scales the objective and so keeps the plan."""
    idx = _week("1h")
    base = np.array([0] * 8 + [2, 4, 5, 5, 4, 4, 5, 4, 3, 2] + [0] * 6)
    req = pd.Series(np.concatenate([base] * 5 + [base // 2] * 2), index=idx)
    shifts = [{"name": "FT8", "paid": "8h"}, {"name": "PT4", "paid": "4h", "contract": "part_time"}]
    rules = {"shifts": shifts, "week": {"days_per_week": {"full_time": 5, "part_time": [2, 5]}}}
    bare = schedule_week(req, rules, time_limit=20, mip_gap=0)
    assert bare.status == "optimal" and bare.shifts["cost"].isna().all() and len(bare.shifts)
    at_one = schedule_week(req, {**rules, "shifts": [{**t, "cost_per_paid_hour": 1} for t in shifts]},
                           time_limit=20, mip_gap=0)
    pd.testing.assert_frame_equal(bare.shifts.drop(columns="cost"), at_one.shifts.drop(columns="cost"))
    assert bare.paid_hours == at_one.paid_hours == at_one.shifts["cost"].sum() == bare.objective
    priced = wfm.schedule.shifts.priced_rules(rules, 22)
    assert [t.cost_per_paid_hour for t in priced.shifts] == [22.0, 22.0]
    at_22 = schedule_week(req, priced, time_limit=20, mip_gap=0)
    assert at_22.paid_hours == bare.paid_hours
    np.testing.assert_allclose(at_22.shifts["cost"], 22 * at_22.shifts["paid_hours"] * at_22.shifts["agents"])
    assert at_22.shifts["cost"].sum() == pytest.approx(22 * at_22.paid_hours) and at_22.cost == at_22.shifts["cost"].sum()


def test_same_start_all_week_and_mixing_contracts():
    idx = _week("1h")
    base = np.array([0] * 8 + [2, 3, 3, 3, 3, 3, 3, 2, 2, 1] + [0] * 6)
    req = pd.Series(np.tile(base, 7), index=idx)
    req[idx.day_of_week == 2] = np.where(base > 0, base + 1, 0)
    rules = {"shifts": [{"name": "FT8", "paid": "8h"}, {"name": "FT6", "paid": "6h"},
                        {"name": "PT4", "paid": "4h", "contract": "part_time"}],
             "week": {"days_per_week": 5, "same_start_all_week": True, "same_contract_all_week": False}}
    plan = schedule_week(req, rules, time_limit=20)
    check_rules_kept(plan, rules, req)
    assert "start" in plan.patterns and (plan.patterns["contract"] == "any").all()
    free = schedule_week(req, {**rules, "week": {**rules["week"], "same_start_all_week": False}}, time_limit=20)
    assert free.cost <= plan.cost + 1e-9  # a rule less can only help


def test_caps_are_kept():
    idx = pd.date_range(MONDAY + pd.Timedelta("8h"), periods=10, freq="1h")
    req = pd.Series([2, 3, 4, 4, 4, 4, 4, 4, 3, 2], index=idx)
    rules = {"shifts": [{"name": "FT8", "paid": "8h", "max_agents": 2},
                        {"name": "PT4", "paid": "4h", "contract": "part_time", "cost_per_paid_hour": 1.2}],
             "week": {"days_per_week": 1, "part_time_share": [0.0, 0.6]}}
    plan = schedule_week(req, rules)
    check_rules_kept(plan, rules, req)
    assert plan.shifts.loc[plan.shifts["name"] == "FT8", "agents"].sum() <= 2


def test_within_open_hours_false_lets_a_shift_start_before_opening():
    idx = pd.date_range(MONDAY, periods=24, freq="1h")
    req = pd.Series(np.where((idx.hour >= 8) & (idx.hour < 12), 1, 0), index=idx)
    tpl = {"name": "L5", "paid": "5h", "starts": ["07:00", "08:00"]}
    rules = {"shifts": [tpl], "open_hours": {"mon": ["08:00", "12:00"]}, **_day_rules()}
    with pytest.raises(ValueError, match="no shift template spans at 4 of 24 intervals"):
        schedule_week(req, rules)
    plan = schedule_week(req, {**rules, "shifts": [{**tpl, "within_open_hours": False}]})
    assert plan.cost == 5.0 and plan.shifts["start"].iloc[0].hour in (7, 8)
    assert not plan.coverage.loc[plan.coverage["open"], "under"].any()


def test_a_night_shift_crosses_midnight_and_belongs_to_the_day_it_starts():
    idx = pd.date_range(MONDAY, periods=48, freq="1h")
    night = (idx >= MONDAY + pd.Timedelta("20h")) & (idx < MONDAY + pd.Timedelta("28h"))
    req = pd.Series(np.where(night, 2, 0), index=idx)
    rules = {"shifts": [{"name": "N8", "paid": "8h", "breaks": [
        {"length": "1h", "paid": True, "start_after": ["3h", "4h"]}]},
        {"name": "S2", "paid": "2h", "cost_per_paid_hour": 1.5}],
        "open_hours": {"mon": ["20:00", "24:00"], "tue": ["00:00", "04:00"]}, **_day_rules()}
    plan = schedule_week(req, rules, mip_gap=0)
    check_rules_kept(plan, rules, req)
    # two night shifts (16 h), breaks at 23:00 and 00:00, and one 2-hour shift 23:00-01:00 (3) covering both
    assert plan.cost == 19.0
    assert plan.shifts[["name", "agents"]].values.tolist() == [["N8", 1], ["N8", 1], ["S2", 1]]  # two break plans
    n8 = plan.shifts[plan.shifts["name"] == "N8"]
    assert (n8["day"] == MONDAY).all() and (n8["end"] == MONDAY + pd.Timedelta("28h")).all()


# ---------------------------------------------------------------- infeasible rules: an error or a partial answer


def _two_days():
    idx = pd.date_range(MONDAY, periods=48, freq="1h")
    req = pd.Series(0, index=idx)
    req[idx == MONDAY + pd.Timedelta("10h")] = 3
    req[idx == MONDAY + pd.Timedelta("34h")] = 3
    return req


def test_headcount_cap_names_the_rule():
    req = _two_days()
    rules = {"shifts": [{"name": "D", "paid": "1h"}], "week": {"days_per_week": 1}, "max_heads": 5}
    with pytest.raises(ValueError, match=r"rules\['max_heads'\]=5 is below the 6.00 heads.*allow_shortfall=True"):
        schedule_week(req, rules)
    with pytest.raises(ValueError, match=r"rules\['max_cost'\]=4 is below the 6.00 cost units"):
        schedule_week(req, {**rules, "max_heads": None, "max_cost": 4})


def test_shortfall_mode_gives_a_partial_answer_weighted_by_service_level():
    req = _two_days()
    rules = {"shifts": [{"name": "D", "paid": "1h"}], "week": {"days_per_week": 1}, "max_heads": 5}
    plan = schedule_week(req, rules, allow_shortfall=True)
    assert plan.mode == "shortfall" and plan.heads == 5 and plan.cost == 5.0
    short = plan.shortfall
    assert short["under"].sum() == 1 and len(short) == 1
    check_rules_kept(plan, rules, req)
    # Monday's calls would suffer far more from a missing agent than Tuesday's few: Tuesday falls short
    calls = pd.Series(0.0, index=req.index)
    calls[req > 0] = [60.0, 6.0]  # 1-hour intervals, AHT 120 s: 2.0 and 0.2 Erlangs
    plan = schedule_week(req, rules, allow_shortfall=True, calls=calls, aht=120, threshold=20)
    assert plan.shortfall.index.tolist() == [MONDAY + pd.Timedelta("34h")]
    sl = plan.coverage.loc[req > 0, "service_level"]
    full = wfm.service_level(calls[req > 0], 120, 3600, req[req > 0], 20)
    assert sl.iloc[0] == pytest.approx(full.iloc[0]) and sl.iloc[1] < full.iloc[1]
    # shifted the other way round, Monday falls short
    calls[req > 0] = [6.0, 60.0]
    plan = schedule_week(req, rules, allow_shortfall=True, calls=calls, aht=120, threshold=20)
    assert plan.shortfall.index.tolist() == [MONDAY + pd.Timedelta("10h")]


def test_shortfall_mode_without_binding_caps_covers_everything():
    req = _two_days()
    rules = {"shifts": [{"name": "D", "paid": "1h"}], "week": {"days_per_week": 1}, "max_heads": 6}
    plan = schedule_week(req, rules, allow_shortfall=True)
    assert plan.shortfall.empty and plan.cost == 6.0 and plan.objective == 6.0


def test_budget_cap_in_shortfall_mode():
    req = _two_days()
    rules = {"shifts": [{"name": "D", "paid": "1h", "cost_per_paid_hour": 1.5}], "week": {"days_per_week": 1},
             "max_cost": 7.5}
    plan = schedule_week(req, rules, allow_shortfall=True)
    assert plan.cost <= 7.5 and plan.coverage["under"].sum() == 1
    check_rules_kept(plan, rules, req)


def test_uncoverable_interval_is_named():
    idx = pd.date_range(MONDAY + pd.Timedelta("8h"), periods=6, freq="1h")
    req = pd.Series([1, 1, 1, 1, 1, 1], index=idx)
    rules = {"shifts": [{"name": "D", "paid": "4h", "starts": ["08:00", "08:00"]}], **_day_rules()}
    with pytest.raises(ValueError, match=r"no shift template spans at 2 of 6 intervals.*2024-01-01 12:00"):
        schedule_week(req, rules)
    plan = schedule_week(req, rules, allow_shortfall=True)
    assert plan.shortfall.index.tolist() == idx[4:].tolist()


def test_rules_that_leave_no_pattern_are_an_error():
    idx = pd.date_range(MONDAY + pd.Timedelta("8h"), periods=4, freq="1h")
    req = pd.Series([1, 2, 1, 1], index=idx)
    rules = {"shifts": [{"name": "D", "paid": "4h", "max_agents": 1}], **_day_rules()}
    with pytest.raises(ValueError, match="caps together.*max_agents of shift 'D'"):
        schedule_week(req, rules)


def test_a_break_that_cannot_be_dodged_is_named():
    idx = pd.date_range(MONDAY + pd.Timedelta("8h"), periods=3, freq="1h")
    req = pd.Series([1, 1, 1], index=idx)
    # the only shift inside 08:00-11:00 starts at 08:00 and must break at 09:00
    rules = {"shifts": [{"name": "B", "paid": "3h", "breaks": [
        {"length": "1h", "paid": True, "start_after": ["1h", "1h"]}]}], "max_heads": 4, **_day_rules()}
    with pytest.raises(ValueError, match=r"even without caps.*break windows\) at 1 of 3 intervals.*2024-01-01 09:00"):
        schedule_week(req, rules)
    plan = schedule_week(req, rules, allow_shortfall=True)
    assert plan.shortfall.index.tolist() == [idx[1]]


# ---------------------------------------------------------------- solvers


def test_cp_sat_finds_the_same_optimum():
    idx = pd.date_range(MONDAY + pd.Timedelta("8h"), periods=6, freq="30min")
    req = pd.Series([1, 2, 2, 2, 1, 1], index=idx)
    rules = {"shifts": [{"name": "S", "paid": "2h", "cost_per_paid_hour": 1.05, "breaks": [
        {"length": "30min", "paid": True, "start_after": ["30min", "1h"]}]}], **_day_rules()}
    highs = schedule_week(req, rules, mip_gap=0)
    cpsat = schedule_week(req, rules, mip_gap=0, solver="cp-sat")
    assert cpsat.cost == pytest.approx(highs.cost)
    assert cpsat.lower_bound <= cpsat.cost + 1e-9
    check_rules_kept(cpsat, rules, req)


def test_empty_requirement_needs_no_shift():
    idx = pd.date_range(MONDAY, periods=24, freq="1h")
    plan = schedule_week(pd.Series(0, index=idx), {"shifts": [{"name": "D", "paid": "8h"}]})
    assert plan.cost == 0 and plan.heads == 0 and plan.shifts.empty and plan.gap == 0


# ---------------------------------------------------------------- bad input


GOOD = {"shifts": [{"name": "D", "paid": "1h"}], "week": {"days_per_week": 1}}


def _req(values, freq="1h"):
    return pd.Series(values, index=pd.date_range(MONDAY + pd.Timedelta("8h"), periods=len(values), freq=freq))


@pytest.mark.parametrize("req,error,match", [
    (_req([1.0, np.nan, 2.0]), ValueError, r"requirement must not contain NaN.*positions \[1\].*2024-01-01 09:00"),
    (_req([1, -2, 2]), ValueError, r"requirement must be >= 0 agents; got -2.*positions \[1\]"),
    (_req([1, 2.5, 2]), ValueError, r"requirement must be whole numbers of agents; got 2.5.*positions \[1\]"),
    (pd.Series([1, 2, 3, 3], index=pd.DatetimeIndex(["2024-01-01 08:00", "2024-01-01 09:00", "2024-01-01 10:00",
                                                     "2024-01-01 10:20"])),
     ValueError, r"interval cannot be inferred from requirement's index: the most common step is 0 days 01:00:00 but "
                 r"some timestamps are only 0 days 00:20:00 apart.*positions \[3\]"),
    (pd.Series(1, index=pd.date_range(MONDAY + pd.Timedelta("8h"), periods=4, freq="1h").append(
        pd.DatetimeIndex(["2024-01-02 08:00", "2024-01-02 09:00", "2024-01-02 11:00"]))),
     ValueError, r"requirement: 1 interval\(s\) missing inside the day's hours: 2024-01-02 10:00"),
    (pd.Series(1, index=pd.date_range(MONDAY, periods=9 * 24, freq="1h")), ValueError,
     r"requirement must be one week: at most 7 calendar days; got <9 calendar"),
    (_req([1, 2, 3], "7min"), ValueError, r"the interval of requirement must divide a day into whole intervals"),
    (pd.Series([1, 2, 3]), TypeError, r"requirement must be on a DatetimeIndex"),
    (_req([1, 2, 3]).to_frame(), TypeError, r"requirement must be a Series"),
])
def test_bad_requirement(req, error, match):
    with pytest.raises(error, match=match):
        schedule_week(req, GOOD)


def test_bad_arguments():
    req = _req([1, 1, 1])
    with pytest.raises(ValueError, match="solver must be one of"):
        schedule_week(req, GOOD, solver="gurobi")
    with pytest.raises(ValueError, match="time_limit must be > 0 seconds"):
        schedule_week(req, GOOD, time_limit=0)
    with pytest.raises(ValueError, match=r"mip_gap must be a fraction.*Did you mean 0.50"):
        schedule_week(req, GOOD, mip_gap=50)
    with pytest.raises(TypeError, match="allow_shortfall must be True or False"):
        schedule_week(req, GOOD, allow_shortfall="yes")
    with pytest.raises(ValueError, match="calls and aht go together"):
        schedule_week(req, GOOD, calls=req * 10)
    with pytest.raises(ValueError, match="threshold is required"):
        schedule_week(req, GOOD, calls=req * 10, aht=300)
    with pytest.raises(ValueError, match=r"rules\['shifts'\]\[0\] \('D'\)\.paid must be a whole number of 1h"):
        schedule_week(req, {**GOOD, "shifts": [{"name": "D", "paid": "90min"}]})
    with pytest.raises(ValueError, match="days_per_week'\\] must be one value for every contract"):
        schedule_week(req, {"shifts": [{"name": "D", "paid": "1h"}, {"name": "P", "paid": "1h",
                                                                    "contract": "part_time"}],
                            "week": {"days_per_week": {"full_time": 5, "part_time": 3},
                                     "same_contract_all_week": False}})


def test_requirement_outside_open_hours_is_an_error():
    req = _req([1, 1, 1])
    with pytest.raises(ValueError, match=r"requirement must be 0 outside rules\['open_hours'\].*2024-01-01 10:00"):
        schedule_week(req, {**GOOD, "open_hours": {"mon": ["08:00", "10:00"]}})


def test_shift_coverage_matches_the_slow_loop(bank_schedule):
    cov = shift_coverage(bank_schedule.shifts, bank_schedule.coverage.index)
    np.testing.assert_array_equal(cov, coverage_by_hand(bank_schedule.shifts, bank_schedule.coverage.index))


# ---------------------------------------------------------------- methods: days solved apart, or the whole week


def _five_of_seven(seed=0):
    """A 7-day week, 1-hour intervals, 2-5 agents 08:00-20:00, five working days with two off in a row."""
    rng = np.random.default_rng(seed)
    idx = _week()
    open_ = (idx.hour >= 8) & (idx.hour < 20)
    req = pd.Series(np.where(open_, rng.integers(2, 6, len(idx)), 0), index=idx)
    rules = {"shifts": [
        {"name": "FT8", "paid": "8h", "breaks": [{"length": "1h", "paid": False, "start_after": ["3h", "5h"]}]},
        {"name": "PT4", "paid": "4h", "contract": "part_time", "cost_per_paid_hour": 1.1}],
        "open_hours": {d: ["08:00", "20:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
        "week": {"days_per_week": 5, "days_off_consecutive": True}}
    return req, rules


def test_decomposition_solves_the_days_apart_under_a_valid_bound(monkeypatch):
    from wfm.schedule import grid as g, milp, model as m
    from wfm.schedule.shifts import on_grid, schedule_rules

    req, rules = _five_of_seven(2)
    r = schedule_rules(rules)
    grid = g._grid(req, r)
    templates = on_grid(r, grid.interval)
    model = m._build(r, grid, templates, g._candidate_shifts(r, grid, templates))
    lp = milp._solve_highs(model, 30, 0.0, relax=True).objective
    sizes = []
    original = milp._solve_direct

    def spy(part, *args):
        sizes.append(part.A.shape[1])
        return original(part, *args)

    monkeypatch.setattr(milp, "_solve_direct", spy)
    plan = schedule_week(req, rules, mip_gap=0.03)
    monkeypatch.undo()
    # the weekly patterns fixed, the week fell apart into its seven days, each a seventh of the model
    assert plan.params["solver_message"].startswith("weekly patterns from the relaxation")
    assert len(sizes) >= 7 and max(sizes) < model.A.shape[1] / 5
    assert plan.gap == pytest.approx((plan.cost - plan.lower_bound) / plan.cost) and plan.gap <= 0.03
    check_rules_kept(plan, rules, req, open_hours=rules["open_hours"])
    # the bound is at least the LP relaxation's, and no more than the optimum of the whole-week MILP
    best = schedule_week(req, rules, mip_gap=0, method="direct")
    assert best.params["solver_message"].startswith("Optimization terminated successfully")
    assert lp - 1e-6 <= plan.lower_bound <= best.cost + 1e-6 <= plan.cost + 2e-6
    # here whole pattern counts close the LP's gap: the bound is the optimum (found by the days too)
    assert lp < best.cost - 1 and plan.lower_bound == pytest.approx(best.cost) and plan.cost == pytest.approx(best.cost)


def test_when_the_days_cannot_be_solved_apart_the_whole_week_is(monkeypatch):
    from wfm.schedule import milp

    req, rules = _five_of_seven(1)
    exact = schedule_week(req, rules, mip_gap=0, method="direct")
    monkeypatch.setattr(milp, "_dive", lambda *args: None)  # e.g. rounded patterns leaving a day uncoverable
    plan = schedule_week(req, rules, mip_gap=0)
    assert plan.cost == pytest.approx(exact.cost) and plan.status == "optimal"
    assert plan.params["solver_message"] == exact.params["solver_message"]
    check_rules_kept(plan, rules, req)
    with pytest.raises(ValueError, match="method must be one of"):
        schedule_week(req, rules, method="lns")
