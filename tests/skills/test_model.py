"""The multi-skill centre model: structure, targets and the errors at the boundary."""

import numpy as np
import pandas as pd
import pytest

from wfm.skills import centre, synthetic_centre, wallace_whitt_centre

IDX = pd.date_range("2024-01-01 09:00", periods=2, freq="30min")
CALLS = pd.DataFrame({"service": [100.0, 120], "sales": [30.0, 40], "vip": [5.0, 6]}, index=IDX)
SKILLS = {"svc": ["service"], "mixed": {"sales": 1, "service": 2}, "vip": ["vip", "sales", "service"]}


def build(**kw):
    args = dict(calls=CALLS, skills=SKILLS, aht={"service": 180, "sales": 300, "vip": 240})
    args.update(kw)
    return centre(args.pop("calls"), args.pop("skills"), **args)


def test_structure_and_default_routing():
    c = build()
    assert c.types == ["service", "sales", "vip"] and c.groups == ["svc", "mixed", "vip"]
    # service: first-priority groups first (svc, then by fewest skills), then mixed (level 2), vip (level 3)
    assert c.routing["service"] == ["svc", "mixed", "vip"]
    assert c.routing["sales"] == ["mixed", "vip"]
    m = c.skill_matrix()
    assert m.loc["mixed", "sales"] == 1 and m.loc["mixed", "service"] == 2 and np.isnan(m.loc["svc", "sales"])
    assert c.targets.loc["vip", "service_level"] == 0.8 and c.targets.loc["vip", "threshold"] == 20
    assert c.cost.tolist() == [1.0, 1.0, 1.0] and np.isinf(c.max_agents).all()
    table = c.table
    assert table.loc["service", "load_mean"] == pytest.approx((100 + 120) / 2 * 180 / 1800)
    assert table.loc["service", "calls_total"] == 100 + 120


def test_targets_per_type_and_for_all():
    c = build(patience=120, targets={"service": {"service_level": 0.9, "threshold": 15},
                                     "sales": {"max_abandon_rate": 0.05}, "vip": {"max_asa": 10}})
    assert c.targets.loc["service"].tolist()[:2] == [0.9, 15]
    assert np.isnan(c.targets.loc["sales", "service_level"]) and c.targets.loc["sales", "max_abandon_rate"] == 0.05
    same = build(targets={"service_level": 0.7, "threshold": 30})
    assert (same.targets["service_level"] == 0.7).all() and (same.targets["threshold"] == 30).all()


@pytest.mark.parametrize("kw, match", [
    (dict(skills={"svc": ["service"], "mixed": ["sales"]}), "no agent group can answer the call type 'vip'"),
    (dict(skills={"svc": ["service", "chat"], "x": ["sales", "vip"]}), r"skills\['svc'\] names the call type 'chat'"),
    (dict(routing={"vip": ["vip", "ghost"]}), r"routing\['vip'\] names the group 'ghost'"),
    (dict(routing={"vip": ["svc"]}), r"group 'svc', which does not hold the skill 'vip'"),
    (dict(routing={"chat": ["svc"]}), "routing names the call type 'chat'"),
    (dict(targets={"service_level": 80, "threshold": 20}), "Did you mean 0.80"),
    (dict(targets={"vip": {"max_abandon_rate": 0.05}}), r"targets\['vip'\] caps the abandon rate but the type has no "
                                                        "patience"),
    (dict(targets={"vip": {}}), r"targets\['vip'\] sets no target"),
    (dict(targets={"chat": {"max_asa": 20}}), "targets names the call type 'chat'"),
    (dict(targets={"servce": {"max_asa": 20}}), "targets names the call type 'servce', .* Did you mean 'service'"),
    # a misspelt key of a for-every-type dict is a target key, not a call type (review 31, 3.1)
    (dict(targets={"service_levl": 0.8, "threshold": 20}), r"targets has the unknown target key 'service_levl'; the "
                                                           r"keys are \['service_level', 'threshold', 'max_asa', "
                                                           r"'max_abandon_rate'\]. Did you mean 'service_level'\?"),
    (dict(targets={"service": 0.9, "threshold": 20}), r"unknown target key 'service'.*map each type to its own dict"),
    (dict(targets={"vip": {"sla": 0.8}}), r"targets\['vip'\] has unknown key 'sla'"),
    (dict(cost={"ghost": 2}), "cost names the group 'ghost'"),
    (dict(cost={"svc": -1}), r"cost\['svc'\] must be >= 0"),
    (dict(max_agents={"svc": 2.5}), r"max_agents\['svc'\]"),
    (dict(aht={"service": 180, "sales": 300}), "aht has no value for the call type 'vip'"),
    (dict(aht_by_group={"vip": {"svc": 100}}), r"aht_by_group\['vip'\]\['svc'\] is given but the group 'svc' does "
                                               "not answer 'vip'"),
])
def test_bad_input_names_the_type_or_group(kw, match):
    with pytest.raises(ValueError, match=match):
        build(**kw)


def test_wrong_kinds_are_type_errors():
    with pytest.raises(TypeError, match="calls must be a DataFrame"):
        build(calls=[1, 2, 3])
    with pytest.raises(TypeError, match="skills must be a non-empty dict"):
        build(skills=["service"])


def test_examples_are_what_they_say():
    c = synthetic_centre()
    assert len(c.types) == 6 and len(c.groups) == 10 and len(c.calls) == 48
    assert all(2 <= len(s) <= 3 for s in c.skills.values())
    pd.testing.assert_frame_equal(c.calls, synthetic_centre().calls)  # seeded
    assert not c.calls.equals(synthetic_centre(seed=8).calls)
    shares = c.calls.sum() / c.calls.sum().sum()
    assert shares["billing"] > 0.3 and shares["premium"] < 0.06  # unequal volumes
    w = wallace_whitt_centre("two")
    assert (w.calls * w.aht / w.interval).sum(axis=1).iloc[0] == pytest.approx(90.0)
    assert all(len(s) == 2 for s in w.skills.values()) and len(w.groups) == 6
