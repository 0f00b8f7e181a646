"""One meaning of exclude_short_abandons (review 32, finding 3): the KPIs leave out the abandons before the
answer-time threshold, as staffing, the simulator and wfm.logs do, and a scenario's KPI step measures that."""

from types import SimpleNamespace

import pandas as pd
import pytest

from wfm.evaluate import kpis
from wfm.logs import interval_history
from wfm.scenario import runner
from wfm.scenario.schema import Scenario

T0 = pd.Timestamp("2024-01-01 09:00")


def _log():
    """Five voice calls, threshold 20 s: answered after 10 s, 30 s and 5 s; abandoned after 3 s and 12 s.

    Within 20 s: 2 (10 s, 5 s). Offered 5: SL 2/5. Less abandons before 5 s (one): 2/4. Less abandons before
    20 s, the staffing definition (two): 2/3.
    """
    t = lambda m, s: T0 + pd.Timedelta(minutes=m, seconds=s)  # noqa: E731
    nat = pd.NaT
    return pd.DataFrame({"arrival": [t(0, 0), t(5, 0), t(10, 0), t(15, 0), t(20, 0)],
                         "answer": [t(0, 10), t(5, 30), nat, nat, t(20, 5)],
                         "abandon": [nat, nat, t(10, 3), t(15, 12), nat],
                         "talk": [200, 100, None, None, 150], "acw": [30, 20, None, None, 10]})


def test_kpis_told_the_plans_definition_measure_it():
    log = _log()
    excl = dict(sl_definition="exclude_short_abandons")
    k = kpis(log, freq="D", **excl).iloc[0]
    assert k["service_level"] == pytest.approx(2 / 3)
    assert k["short_abandoned"] == 2 and k["abandon_rate"] == 0.0  # both abandons were before 20 s
    # the same definition in wfm.logs (counted independently from the same log)
    assert interval_history(log, "1D", threshold=20, **excl).figures()["service_level"] == pytest.approx(2 / 3)
    # the KPI's own cut-off, in seconds, is still there
    assert kpis(log, freq="D", short_abandon=5, **excl).iloc[0]["service_level"] == pytest.approx(2 / 4)
    assert kpis(log, freq="D").iloc[0]["service_level"] == pytest.approx(2 / 5)
    # the default cut-off moves with the threshold: at 11 s, within 2 (10 s, 5 s), short abandons 1 (3 s) -> 2/4
    assert kpis(log, freq="D", threshold=11, **excl).iloc[0]["service_level"] == pytest.approx(2 / 4)


def test_the_scenario_kpi_step_measures_the_plans_definition(monkeypatch):
    from tests.scenario.conftest import small_scenario

    raw = small_scenario(staffing={"model": "erlang_a", "patience": 60, "service_level": 0.8, "threshold": 20,
                                   "sl_definition": "exclude_short_abandons"})
    raw.pop("grid")
    raw["kpis"] = {"freq": "D"}
    scenario = Scenario.model_validate(raw)
    monkeypatch.setattr(runner, "simulate_logs",
                        lambda *a, **kw: SimpleNamespace(contacts=_log(), agent_states=None, schedule=None))
    task = SimpleNamespace(scenario=scenario, queue="q", variant="base", targets=None)
    plan = SimpleNamespace(table=pd.DataFrame())
    out = {}
    runner._kpis(task, plan, out, {})
    assert out["kpis"]["service_level"].iloc[0] == pytest.approx(2 / 3)  # not 2/4, the 5 s definition
