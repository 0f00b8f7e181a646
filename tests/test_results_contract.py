"""
Every public results class keeps the contract written in :mod:`wfm._results`.

Each class is built once, small, from the bank's real calls where a result
needs volumes (the multi-skill, channel and capacity inputs are the small
documented ones of their own tests), and held to the same six things:
``table``, ``params``, ``figures()``, ``summary()``, ``plot()``,
``_repr_html_()`` and ``to_excel()``. A last test finds every results class
in the package and fails when one is neither here nor excused.
"""

import importlib
import inspect
import pkgutil
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import wfm  # noqa: E402
from wfm._results import Result  # noqa: E402

RULES = {"shifts": [{"name": "D8", "paid": "8h"}, {"name": "P4", "paid": "4h", "contract": "part_time"}],
         "week": {"days_per_week": 5}}


@pytest.fixture(scope="module")
def week(bank_30min):
    return wfm.calendar.last_full_week(bank_30min)


@pytest.fixture(scope="module")
def plan(week):
    """The bank's last full week scaled to a team of about 15 agents at the peak (a schedule solves in seconds)."""
    return wfm.staffing_plan(week * 0.05, aht=300, service_level=0.8, threshold=20, shrinkage=0.3)


@pytest.fixture(scope="module")
def schedule(plan):
    return wfm.schedule_week(np.ceil(plan.table["scheduled_agents"]).asfreq("30min", fill_value=0), RULES,
                             time_limit=10)


def _forecast(bank_30min, **_):
    future = wfm.future_intervals(bank_30min, days=5)
    return wfm.forecast.forecast(bank_30min, future, method="seasonal_naive")


def _backtest(bank_30min, **_):
    return wfm.backtest("seasonal_naive", bank_30min, n_origins=2)


def _interval_history(bank_30min, **_):
    sim = wfm.simulation.simulate_logs(_small_plan(bank_30min), seed=3)
    return wfm.interval_history(sim.contacts, "30min")


def _small_plan(bank_30min):
    day = bank_30min[bank_30min.index.normalize() == bank_30min.index.normalize()[-1]]
    return wfm.staffing_plan(day, aht=300, service_level=0.8, threshold=20)


def _simulation(bank_30min, plan, **_):
    return wfm.simulate(plan.table["calls"].iloc[:12], 300, plan.table["agents"].iloc[:12], patience=120, seed=1,
                        replications=2)


def _simulated_logs(bank_30min, **_):
    return wfm.simulation.simulate_logs(_small_plan(bank_30min), seed=3)


def _verification(plan, **_):
    return wfm.verify_plan(plan, replications=2, seed=1)


def _roster(schedule, **_):
    agents = pd.DataFrame({"agent": [f"a{i}" for i in range(60)],
                           "contract": ["full_time"] * 30 + ["part_time"] * 30})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return wfm.roster_agents(schedule, agents, {}, time_limit=10)


def _headline(plan, schedule, **_):
    return wfm.plan_headline(plan, schedule, cost_per_paid_hour=20.0, currency="EUR")


def _adherence(**_):
    t = lambda s: pd.Timestamp(f"2024-03-04 {s}")  # noqa: E731
    schedule = pd.DataFrame([("ann", "work", t("09:00"), t("12:00"))], columns=["agent", "activity", "start", "end"])
    states = pd.DataFrame([("ann", "idle", t("09:05"), t("10:00")), ("ann", "on_contact", t("10:00"), t("12:00"))],
                          columns=["agent", "state", "start", "end"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return wfm.adherence(schedule, states)


def _scorecard(**_):
    kpis = pd.DataFrame({"period": pd.date_range("2024-03-04", periods=2, freq="D"),
                         "service_level": [0.78, 0.83], "asa": [31.0, 18.0]})
    kpis.attrs = {"freq": "D", "by": []}
    return wfm.scorecard(kpis, {"service_level": {"target": 0.8, "red": 0.7}, "asa": {"target": 20, "red": 40}})


def _capacity(**_):
    demand = pd.DataFrame({"site": "all", "week": range(12), "required_fte": 20.0})
    staff = pd.DataFrame({"tenure_weeks": [100], "headcount": [18]})
    return wfm.capacity_plan(demand, staff, {"training_weeks": 4}, time_limit=10)


def _capacity_risk(**_):
    return wfm.capacity_risk(_capacity(), paths=50, seed=1, volume=False)


def _capacity_result(**_):
    from wfm.scenario.long_term import CapacityOutcome, collect_capacity

    plan = _capacity()
    return collect_capacity([CapacityOutcome("base", {"variant": "base", "status": "ok", **plan.figures()},
                                             plan, None, 0.1)])


def _reforecast(bank_30min, **_):
    """The bank's last 11 days: each day forecast by the same weekday a week before; the last day is today."""
    days = sorted(set(bank_30min.index.normalize()))[-18:]
    frames = []
    for day in days[7:]:
        actual = bank_30min[bank_30min.index.normalize() == day]
        before = bank_30min[bank_30min.index.normalize() == day - pd.Timedelta("7D")]
        if len(before) == len(actual):
            frames.append(pd.DataFrame({"forecast": before.to_numpy(), "actual": actual.to_numpy()},
                                       index=actual.index))
    history, today = pd.concat(frames[:-1]), frames[-1]
    return wfm.reforecast(today[["forecast"]], today["actual"].iloc[:10], history)


def _replan(**_):
    day = pd.Timestamp("2024-03-04")
    calls = pd.Series(np.r_[np.full(8, 20.0), np.full(8, 30.0)], index=pd.date_range(day + pd.Timedelta("8h"),
                                                                                     periods=16, freq="30min"))
    shifts = pd.DataFrame([dict(agent=f"a{i}", name="FT8", start=day + pd.Timedelta("8h"),
                                end=day + pd.Timedelta("16h"), breaks=[]) for i in range(4)])
    rules = {"shifts": [{"name": "FT8", "paid": "8h", "cost_per_paid_hour": 20.0}]}
    return wfm.replan(calls, shifts, rules, aht=300, now=day + pd.Timedelta("10h"))


def _skill_staffing(**_):
    from wfm.skills.examples import synthetic_centre

    return wfm.staff_centre(synthetic_centre().select([20]), method="approximation")


def _multiskill_simulation(**_):
    idx = pd.date_range("2024-03-04 09:00", periods=2, freq="30min")
    calls = pd.DataFrame({"service": [40.0, 50.0], "sales": [10.0, 12.0]}, index=idx)
    agents = pd.DataFrame({"svc": [12, 12], "both": [4, 4]}, index=idx)
    return wfm.simulate_multiskill(calls, agents, {"svc": ["service"], "both": ["sales", "service"]},
                                   aht={"service": 180, "sales": 300}, seed=1, replications=2, log=True)


def _log_skills(**_):
    sim = _multiskill_simulation()
    return wfm.skills.skills_from_log(sim.contacts[sim.contacts.replication == 0], "30min")


def _chat_plan(**_):
    idx = pd.date_range("2024-03-04 09:00", periods=4, freq="30min")
    return wfm.chat_staffing(pd.Series([50.0, 80.0, 120.0, 60.0], idx), 300, concurrency=2, patience=300)


def _redial_estimate(**_):
    from wfm.simulation.channels import simulate_redials

    idx = pd.date_range("2024-03-04 09:00", periods=4, freq="30min")
    sim = simulate_redials(pd.Series(100.0, idx), 180, 10, patience=120, redial_probability=0.4, seed=3)
    return wfm.channels.estimate_redials(sim.contacts)


def _channel_simulation(**_):
    from wfm.simulation.channels import simulate_chat

    idx = pd.date_range("2024-03-04 09:00", periods=4, freq="30min")
    return simulate_chat(pd.Series(50.0, idx), 300, 5, concurrency=2, replications=2, seed=1)


def _channels_result(plan, **_):
    from wfm.headline import channel_headline
    from wfm.scenario.channel_plans import ChannelsResult

    chat = wfm.chat_staffing(plan.table["calls"] * 0.2, 300, concurrency=2, patience=300)
    return ChannelsResult(plans={"chat": chat}, headline=channel_headline(plan, {"chat": chat}), voice_queue="bank")


def _scenario_result(**_):
    scenario = {"name": "contract", "data": {"dataset": "bank_calls", "freq": "30min"}, "horizon": {"days": 1},
                "forecast": {"method": "seasonal_naive", "backtest": {"n_origins": 1}}, "aht": 300,
                "staffing": {"model": "erlang_c", "service_level": 0.8, "threshold": 20, "shrinkage": 0.3},
                "output": {"tables": []}}
    return wfm.run_scenario(scenario)


BUILDERS = {
    "Forecast": _forecast, "Backtest": _backtest, "StaffingPlan": lambda plan, **_: plan,
    "SchedulePlan": lambda schedule, **_: schedule, "Roster": _roster, "Headline": _headline,
    "IntervalHistory": _interval_history, "Simulation": _simulation, "SimulatedLogs": _simulated_logs,
    "Verification": _verification, "MultiskillSimulation": _multiskill_simulation,
    "ChannelSimulation": _channel_simulation, "Adherence": _adherence, "Scorecard": _scorecard,
    "CapacityPlan": _capacity, "CapacityRisk": _capacity_risk, "CapacityResult": _capacity_result,
    "Reforecast": _reforecast, "Replan": _replan, "SkillStaffing": _skill_staffing, "LogSkills": _log_skills,
    "ChannelPlan": _chat_plan, "RedialEstimate": _redial_estimate, "ScenarioResult": _scenario_result,
    "ChannelsResult": _channels_result,
}

# Public classes with a notebook view that are not results, and why.
NOT_RESULTS = {
    "Centre": "the multi-skill model, an input: its table describes call types, it has no figures to report",
    "ScenarioDraft": "a drafted YAML file to edit, not figures",
}


@pytest.fixture(scope="module", params=sorted(BUILDERS))
def result(request, bank_30min, plan, schedule):
    return BUILDERS[request.param](bank_30min=bank_30min, plan=plan, schedule=schedule)


#: Figures of whole agents, heads or hires (peak_agents, scheduled_heads, hires_min): ints, as StaffingPlan's.
WHOLE = re.compile(r"(^|_)(agents|heads|hires)(_|$)")
#: Words of a y label that is a rate or a probability, and the units that must come with it.
RATE_WORDS, RATE_UNITS = ("service level", "probability", "rate", "occupancy", "adherence"), ("[0-1]", "fraction", "%")

# Other plots a class draws, held to the same labels: (method, keyword arguments).
OTHER_PLOTS = {"SchedulePlan": [("plot", dict(kind="gantt"))], "Roster": [("plot", dict(kind="coverage"))],
               "Backtest": [("plot_error_by_time_of_day", {})]}


def _plain(value):
    return type(value) in (int, float, str, bool)


def test_result_keeps_the_contract(result, tmp_path):
    assert isinstance(result, Result)
    assert isinstance(result.table, pd.DataFrame)
    assert isinstance(result.params, dict)

    figures = result.figures()
    assert isinstance(figures, dict) and figures
    bad = {k: type(v).__name__ for k, v in figures.items() if not (isinstance(k, str) and _plain(v))}
    assert not bad, f"figures that are not plain numbers or strings: {bad}"
    assert all(k == k.lower() and " " not in k for k in figures)
    not_whole = {k: v for k, v in figures.items() if WHOLE.search(k) and not (type(v) is int or v != v)}
    assert not not_whole, f"agents, heads or hires that are not an int (or nan, undefined): {not_whole}"

    summary = result.summary()
    assert isinstance(summary, pd.DataFrame) and len(summary)

    for method, kwargs in [("plot", {})] + OTHER_PLOTS.get(type(result).__name__, []):
        fig, ax = plt.subplots()
        try:
            assert getattr(result, method)(ax=ax, **kwargs) is ax
            assert not _unlabelled(fig), (method, kwargs, _unlabelled(fig))
        finally:
            plt.close(fig)

    html = result._repr_html_()
    assert isinstance(html, str) and html.startswith("<h4>")

    path = result.to_excel(tmp_path / "result.xlsx")
    assert path == tmp_path / "result.xlsx"
    written = pd.read_excel(path, sheet_name=None, index_col=0)
    assert "summary" in written and len(written) >= 2
    assert not list(tmp_path.glob(".*tmp*")), "a temporary file was left behind"


def _unlabelled(fig):
    """
    The axes of a figure that do not say what they show: every drawn x and y axis has a label (a time axis its
    clock, a categorical one its categories' name: "variant"), a rate with its unit ([0-1]); a card of figures
    (no ticks on either axis) has a caption as its x label and no y axis to name. Axes drawn without their axis
    (a tile's sparkline) are read by their card's caption; a twin's hidden x axis is its host's.
    """
    missing = [] if any(a.axison for a in fig.axes) else ["every axis: a card keeps its axis for its caption"]
    for i, a in enumerate(fig.axes):
        if not a.axison:
            continue
        card = not len(a.get_xticks()) and not len(a.get_yticks())
        for name, axis in (("x", a.xaxis), ("y", a.yaxis)):
            label = axis.get_label_text()
            if axis.get_visible() and not (card and name == "y") and not label.strip():
                missing.append(f"{name} axis of axes {i} ({a.get_title()!r})")
            elif any(w in label for w in RATE_WORDS) and not any(u in label for u in RATE_UNITS):
                missing.append(f"the unit of {name} label {label!r} (0-1 or %?)")
    return missing


def test_summary_shows_the_figures(result):
    """The default summary is exactly the figures, in order; a class's own summary is still a DataFrame whose
    labelled rows (where it has them) hold figures' values."""
    summary, figures = result.summary(), result.figures()
    if type(result).summary is Result.summary:
        assert list(summary.index) == list(figures)
    if {"figure", "value"} <= set(summary.columns):
        shown = [k for k in summary.index if k in figures]
        assert shown, "a labelled summary that shows none of the figures"
        for key in shown:
            got, value = summary.loc[key, "value"], figures[key]
            assert got == value or (isinstance(value, float) and np.isnan(value) and np.isnan(got)), key


def _public_classes():
    seen = {}
    for info in pkgutil.walk_packages(wfm.__path__, "wfm."):
        if info.name.startswith(("wfm.cli", "wfm._")) or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        names = getattr(module, "__all__", [])
        for name in names:
            obj = getattr(module, name, None)
            if inspect.isclass(obj) and obj.__module__.startswith("wfm.") and hasattr(obj, "_repr_html_"):
                seen[name] = obj
    return seen


def test_every_results_class_is_held_to_the_contract():
    found = _public_classes()
    missing = sorted(set(found) - set(BUILDERS) - set(NOT_RESULTS))
    assert not missing, f"results classes not in the contract test: {missing}"
    stale = sorted(set(BUILDERS) - set(found))
    assert not stale, f"classes in the contract test that are not public: {stale}"
