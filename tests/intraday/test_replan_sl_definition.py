"""replan's sl_definition: every service level it reports and plans to is by the definition asked for, as the
staffing's; a definition it does not know is refused with the staffing's own message."""

import numpy as np
import pytest

import wfm
from wfm.erlang import erlang_a_service_level

from .test_replan import RULES, day_plan, t  # noqa: F401  (day_plan is a fixture)

PATIENCE = 90.0


def test_replan_reports_service_level_by_the_definition_asked_for(day_plan):  # noqa: F811
    """Erlang A with short abandons left out: replan's requirement is wfm.required_agents' and its before/after
    service levels are wfm.erlang's at the same whole agents, exactly; the offered definition gives other numbers."""
    calls, sched = day_plan
    now = t("10:00")
    surge = calls.where(calls.index < now, calls * 1.15)
    kw = dict(aht=300, model="erlang_a", patience=PATIENCE, threshold=20, now=now)
    rp = wfm.replan(surge, sched, RULES, sl_definition="exclude_short_abandons", **kw)
    tab = rp.table
    assert rp.params["sl_definition"] == "exclude_short_abandons"
    step = 900.0
    for when in ("before", "after"):
        agents = np.floor(tab[f"scheduled_{when}"].to_numpy() + 1e-9)   # part-interval agents count down
        excl = erlang_a_service_level(tab["calls"].to_numpy(), 300.0, step, agents, 20, PATIENCE,
                                      sl_definition="exclude_short_abandons")
        offered = erlang_a_service_level(tab["calls"].to_numpy(), 300.0, step, agents, 20, PATIENCE)
        np.testing.assert_allclose(tab[f"service_level_{when}"], excl, rtol=0, atol=1e-12)
        assert np.abs(tab[f"service_level_{when}"] - offered).max() > 1e-3   # the definitions differ here
    required = wfm.required_agents(tab["calls"].to_numpy(), 300.0, step, 0.8, 20, model="erlang_a",
                                   patience=PATIENCE, sl_definition="exclude_short_abandons")
    np.testing.assert_array_equal(tab["required"], required)
    w = tab["calls"].to_numpy()
    assert rp.figures()["service_level_after"] == pytest.approx((tab["service_level_after"] * w).sum() / w.sum())
    assert rp.figures()["service_level_after"] >= 0.8          # the day's target met by this definition


def test_an_unknown_sl_definition_is_refused_as_the_staffing_refuses_it(day_plan):  # noqa: F811
    calls, sched = day_plan
    with pytest.raises(ValueError) as staffing:
        wfm.required_agents(10.0, 300, 900, 0.8, 20, sl_definition="answered")
    with pytest.raises(ValueError) as replanned:
        wfm.replan(calls, sched, RULES, aht=300, now=t("10:00"), sl_definition="answered")
    assert str(replanned.value) == str(staffing.value)
    assert "sl_definition" in str(replanned.value) and "exclude_short_abandons" in str(replanned.value)
