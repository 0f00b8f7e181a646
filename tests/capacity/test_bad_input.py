"""Bad input: clear errors naming the field."""

import pandas as pd
import pytest

from wfm.capacity import capacity_plan, capacity_risk, capacity_rules, project_supply, weekly_forecast

DEMAND = pd.DataFrame({"site": "all", "week": range(12), "required_fte": 20.0})
STAFF = pd.DataFrame({"tenure_weeks": [100], "headcount": [18]})


def test_class_shorter_than_its_training():
    classes = pd.DataFrame({"start_week": [2], "size": [5], "graduation_week": [4]})
    with pytest.raises(ValueError, match=r"classes\['graduation_week'\].*shorter than its training"):
        capacity_plan(DEMAND, STAFF, {"training_weeks": 4}, classes=classes)


@pytest.mark.parametrize("rules, field", [
    ({"attrition": {0: -0.01}}, r"rules\.attrition"),
    ({"training_attrition": -0.1}, r"rules\.training_attrition"),
    ({"tolerance": -0.05}, r"rules\.tolerance"),
    ({"overtime": -0.1}, r"rules\.overtime"),
    ({"cost_per_hire": -1}, r"rules\.cost_per_hire"),
    ({"training_weeks": -2}, r"rules\.training_weeks"),
])
def test_negative_rates_name_the_field(rules, field):
    with pytest.raises(ValueError, match=field):
        capacity_plan(DEMAND, STAFF, rules)


def test_attrition_over_100_percent():
    with pytest.raises(ValueError, match=r"rules\.attrition.*\[13\].*100%"):
        capacity_rules({"attrition": {0: 0.01, 13: 1.5}})
    with pytest.raises(ValueError, match=r"rules\.attrition.*Did you mean 0\.15"):
        capacity_rules({"attrition": {0: 15}})
    with pytest.raises(ValueError, match=r"rules\.training_attrition"):
        capacity_rules({"training_attrition": 1.0})


def test_horizon_shorter_than_lead_time():
    with pytest.raises(ValueError, match=r"rules\.lead_time_weeks"):
        capacity_plan(DEMAND, STAFF, {"lead_time_weeks": 12})


def test_unknown_sites():
    staff = pd.DataFrame({"site": ["all", "Nort"], "tenure_weeks": [100, 5], "headcount": [18, 2]})
    with pytest.raises(ValueError, match=r"staff\['site'\].*rows \[1\].*'Nort'"):
        capacity_plan(DEMAND, staff)
    with pytest.raises(ValueError, match=r"transfers\['site'\]"):
        capacity_plan(DEMAND, STAFF, transfers=pd.DataFrame({"site": ["west"], "week": [3], "headcount": [2]}))
    with pytest.raises(ValueError, match=r"hires\['site'\]"):
        capacity_plan(DEMAND, STAFF, method="fixed", hires=pd.DataFrame({"site": ["x"], "week": [3], "heads": [2]}))


def test_other_rules():
    with pytest.raises(ValueError, match="unknown key 'atrition'.*Did you mean 'attrition'"):
        capacity_rules({"atrition": {0: 0.01}})
    with pytest.raises(ValueError, match=r"class_min \(9\) must be <= class_max \(5\)"):
        capacity_rules({"class_min": 9, "class_max": 5})
    with pytest.raises(ValueError, match=r"start_weeks \[1\] come before lead_time_weeks \(3\)"):
        capacity_rules({"start_weeks": [1, 5], "lead_time_weeks": 3})
    with pytest.raises(ValueError, match=r"rules\.attrition.*start a band at tenure 0"):
        capacity_rules({"attrition": {4: 0.01}})
    with pytest.raises(ValueError, match="learning_curve must hold one productivity per nesting week"):
        capacity_rules({"nesting_weeks": 3, "learning_curve": [0.5, 0.8]})
    with pytest.raises(TypeError, match="rules must be a dict"):
        capacity_rules([("attrition", 0.1)])


def test_bad_tables():
    with pytest.raises(ValueError, match=r"staff\['headcount'\].*whole heads"):
        project_supply(pd.DataFrame({"tenure_weeks": [3], "headcount": [2.5]}), weeks=4)
    with pytest.raises(ValueError, match=r"tenure_weeks or a hire_date"):
        project_supply(pd.DataFrame({"headcount": [3]}), weeks=4)
    with pytest.raises(ValueError, match=r"staff\['productivity'\]"):
        project_supply(pd.DataFrame({"tenure_weeks": [3], "headcount": [2], "productivity": [80]}), weeks=4)
    with pytest.raises(ValueError, match=r"demand needs the columns"):
        capacity_plan(DEMAND.drop(columns="required_fte"), STAFF)
    with pytest.raises(ValueError, match="every week for every site"):
        capacity_plan(pd.concat([DEMAND, DEMAND.iloc[:3].assign(site="b")]), STAFF)
    with pytest.raises(ValueError, match=r"demand\['required_fte'\] must be >= 0"):
        capacity_plan(DEMAND.assign(required_fte=-1.0), STAFF)
    with pytest.raises(ValueError, match="method must be one of"):
        capacity_plan(DEMAND, STAFF, method="exact")


def test_hard_rule_that_cannot_be_met_says_what_to_relax():
    demand = DEMAND.assign(required_fte=200.0)
    with pytest.raises(ValueError, match=r"rules\.shortfall='hard' cannot be met.*class_max"):
        capacity_plan(demand, STAFF, {"shortfall": "hard", "class_max": 5, "lead_time_weeks": 1, "training_weeks": 2,
                                      "nesting_weeks": 0})


def test_forecast_and_risk_arguments(bank_30min):
    with pytest.raises(ValueError, match="damping"):
        weekly_forecast(bank_30min, damping=1.5)
    with pytest.raises(ValueError, match="seasonal_indices must have the keys 1-12"):
        weekly_forecast(bank_30min, seasonal_indices={1: 1.0, 2: 1.1})
    with pytest.raises(ValueError, match=r"level.*Did you mean 0\.80"):
        weekly_forecast(bank_30min, level=80)
    with pytest.raises(ValueError, match="aht must be > 0"):
        weekly_forecast(bank_30min, aht=0)
    plan = capacity_plan(DEMAND, STAFF)
    with pytest.raises(ValueError, match="required_fte_lower"):
        capacity_risk(plan, paths=10)
    with pytest.raises(TypeError, match="plan must be a CapacityPlan"):
        capacity_risk(DEMAND)


def test_annual_attrition_errors_name_an_annual_rate():
    """Review item 18: annual_attrition {0: 60} was called a "weekly hazard" in its error."""
    from wfm.capacity import capacity_rules

    with pytest.raises(ValueError, match=r"annual_attrition\[0\] must be an annual attrition rate") as err:
        capacity_rules({"annual_attrition": {0: 60}})
    assert "weekly" not in str(err.value) and "Did you mean 0.6?" in str(err.value)
    with pytest.raises(ValueError, match=r"attrition\[0\] must be a weekly hazard"):
        capacity_rules({"attrition": {0: 60}})
