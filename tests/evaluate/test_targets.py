"""Scorecard: KPI targets (pydantic) from YAML, status in each KPI's direction, change, trend, alerts, HTML, tiles.

Evidence: hand-made KPI tables whose statuses follow from the target and red threshold by
inspection; for every KPI of the catalogue with a direction, values placed on the good side,
just off target and past red (computed in the test from the target and the bands) score green,
amber and red; the two cases of issue 15 (CSAT 0.759 against 0.80, shrinkage 0.009 against a
planned 0.30) are not green under the example file; the example file scores a simulated week;
every malformed definition is an error naming the key path and the bad value.
"""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wfm.evaluate import Scorecard, catalogue, kpis, load_targets, scorecard
from wfm.evaluate.targets import KpiTargets

EXAMPLE = Path(__file__).parents[2] / "scenarios" / "kpi_targets.yaml"


@pytest.fixture
def daily():
    """Three days of four KPIs. Function scope: tests change it."""
    k = pd.DataFrame({
        "period": pd.date_range("2024-01-01", periods=3, freq="D"),
        "service_level": [0.82, 0.78, 0.66],
        "asa": [18.0, 25.0, 41.0],
        "abandon_rate": [0.03, 0.04, 0.045],
        "nps": [30.0, 25.0, np.nan],
    })
    k.attrs = {"freq": "D", "by": []}
    return k


TARGETS = {
    "service_level": {"target": 0.8, "red": 0.7, "action": "Call in part-timers."},
    "asa": {"target": 20, "red": 40},
    "abandon_rate": {"target": 0.05, "red": 0.08},
    "nps": {"target": 30, "red": 0},
}


def test_status_change_and_trend(daily):
    card = scorecard(daily, TARGETS)
    t = card.table.set_index("kpi")
    # higher is better: 0.66 < red 0.70 -> red; lower is better: 41 > red 40 -> red
    assert t.loc["service_level", "status"] == "red"
    assert t.loc["asa", "status"] == "red"
    # lower is better: 0.045 is at or under the target 0.05 -> green
    assert t.loc["abandon_rate", "status"] == "green"
    assert t.loc["nps", "status"] == "no data"
    assert t.loc["service_level", "change"] == pytest.approx(0.66 - 0.78)
    assert t.loc["asa", "change"] == pytest.approx(41 - 25)
    assert t.loc["service_level", "trend"] == [0.82, 0.78, 0.66]
    assert t.loc["service_level", "period"] == pd.Timestamp("2024-01-03")
    assert scorecard(daily, TARGETS, trend=2).table.set_index("kpi").loc["asa", "trend"] == [25.0, 41.0]


def test_amber_between_target_and_red(daily):
    daily.loc[2, "service_level"] = 0.75
    daily.loc[2, "asa"] = 30.0
    t = scorecard(daily, TARGETS).table.set_index("kpi")
    assert t.loc["service_level", "status"] == "amber"   # 0.70 <= 0.75 < 0.80: off target, not past red
    assert t.loc["asa", "status"] == "amber"             # 20 < 30 <= 40
    assert "ASA is 30.0 s on 2024-01-03, above the target 20.0 s." == t.loc["asa", "alert"]
    daily.loc[2, "asa"] = 20.0
    assert scorecard(daily, TARGETS).table.set_index("kpi").loc["asa", "status"] == "green"  # at the target


def _kind_targets(kpi, direction, unit):
    """A target and bands for a KPI of the catalogue, in its unit (fractions stay in [0, 1])."""
    t, step = (0.5, 0.2) if unit == "0-1" else (100.0, 20.0)
    if direction == "higher":
        return {"target": t, "red": t - step}
    if direction == "lower":
        return {"target": t, "red": t + step}
    return {"target": t, "tolerance": step / 4, "red": [t - step, t + step]}


_KINDS = catalogue().dropna(subset=["direction"])


def _scenarios(direction, unit):
    """(value, expected status) placed by hand around the bands of _kind_targets."""
    t, step = (0.5, 0.2) if unit == "0-1" else (100.0, 20.0)
    if direction == "higher":
        return [(t + step / 10, "green"), (t, "green"), (t - step / 10, "amber"), (t - 2 * step, "red")]
    if direction == "lower":
        return [(t - step / 10, "green"), (t, "green"), (t + step / 10, "amber"), (t + 2 * step, "red")]
    tol = step / 4
    return [(t + tol / 2, "green"), (t - tol / 2, "green"), (t + tol * 2, "amber"), (t - tol * 2, "amber"),
            (t + 1.5 * step, "red"), (t - 1.5 * step, "red")]


@pytest.mark.parametrize("direction", ["higher", "lower", "band"])
def test_every_kpi_kind_scores_in_its_direction(direction):
    kinds = _KINDS[_KINDS["direction"] == direction]
    assert len(kinds)
    targets = {r.kpi: _kind_targets(r.kpi, direction, r.unit) for r in kinds.itertuples()}
    n = len(_scenarios(direction, "0-1"))
    for case in range(n):
        row = {r.kpi: _scenarios(direction, r.unit)[case][0] for r in kinds.itertuples()}
        k = pd.DataFrame([{"period": pd.Timestamp("2024-01-01"), **row}])
        t = scorecard(k, targets).table.set_index("kpi")
        for r in kinds.itertuples():
            value, expected = _scenarios(direction, r.unit)[case]
            assert t.loc[r.kpi, "status"] == expected, (r.kpi, value, expected)
            assert t.loc[r.kpi, "direction"] == direction


def test_issue_15_cases_are_not_green():
    # the example file, as the scenario runner uses it: CSAT 0.759 misses its 0.80 target (amber: red starts
    # below 0.65); shrinkage 0.009 is far below the planned 0.30 (a band KPI; red outside 0.25-0.35)
    k = pd.DataFrame({"period": [pd.Timestamp("2024-01-01")], "csat": [0.759], "shrinkage": [0.009],
                      "service_level": [0.81], "occupancy": [0.95]})
    k.attrs = {"freq": "D", "by": []}
    t = scorecard(k, EXAMPLE).table.set_index("kpi")
    assert t.loc["csat", "status"] == "amber"
    assert t.loc["shrinkage", "status"] == "red"
    assert "outside the red limits 25.0% to 35.0% (target 30.0%)" in t.loc["shrinkage", "alert"]
    assert t.loc["service_level", "status"] == "green"
    assert t.loc["occupancy", "status"] == "red"          # above the band's red limit 0.92


def test_the_model_documents_every_key_with_its_unit():
    schema = KpiTargets.model_json_schema()
    props = schema["$defs"]["KpiTarget"]["properties"]
    assert set(props) == {"name", "frequency", "target", "direction", "tolerance", "red", "source", "action",
                          "description"}
    assert all(p.get("description") for p in props.values())
    assert "fractions 0-1" in props["target"]["description"] and "[KPI unit]" in props["tolerance"]["description"]
    # defaults come from the catalogue's direction
    spec = load_targets({"asa": 20, "csat": 0.8, "forecast_bias": {"target": 0, "tolerance": 0.05}})["kpis"]
    assert [spec[k]["direction"] for k in ("asa", "csat", "forecast_bias")] == ["lower", "higher", "band"]
    assert spec["asa"]["red"] == 20 and spec["forecast_bias"]["red"] == [-0.05, 0.05]


def test_alerts_are_worst_first_with_actions(daily):
    card = scorecard(daily, TARGETS)
    alerts = card.alerts
    assert alerts["status"].tolist() == ["red", "red", "no data"]
    sl = alerts.set_index("kpi").loc["service_level", "alert"]
    assert sl == ("Service level is 66.0% on 2024-01-03, below the red threshold 70.0% (target 80.0%). "
                  "Action: Call in part-timers.")
    assert "ASA is 41.0 s on 2024-01-03, above the red threshold 40.0 s" in alerts.set_index("kpi").loc["asa", "alert"]
    assert "no value in the latest period" in alerts.set_index("kpi").loc["nps", "alert"]
    assert card.table.set_index("kpi").loc["abandon_rate", "alert"] == ""


def test_kpi_not_computed_is_no_data(daily):
    card = scorecard(daily, {"fcr": {"target": 0.75}})
    row = card.table.iloc[0]
    assert row["status"] == "no data" and "not computed: it needs contacts" in row["alert"]


def test_groups_get_one_row_each():
    k = pd.DataFrame({"period": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-02", "2024-01-02"]),
                      "queue": ["sales", "support"] * 2, "service_level": [0.9, 0.6, 0.85, 0.72]})
    k.attrs = {"freq": "D", "by": ["queue"]}
    t = scorecard(k, {"service_level": {"target": 0.8, "red": 0.7}}).table
    assert t.columns[0] == "queue"
    got = t.set_index("queue")
    assert got.loc["sales", "status"] == "green" and got.loc["support", "status"] == "amber"
    assert got.loc["support", "change"] == pytest.approx(0.72 - 0.6)
    assert got.loc["support", "trend"] == [0.6, 0.72]


def test_frequencies_must_match(daily):
    with pytest.raises(ValueError, match="frequency is 'W' but the KPIs were computed with freq='D'"):
        scorecard(daily, {"asa": {"target": 20, "frequency": "W"}})
    weekly = daily.iloc[:1].copy()
    weekly.attrs = {"freq": "W", "by": []}
    card = scorecard({"D": daily, "W": weekly}, {"asa": {"target": 20, "frequency": "W", "red": 30},
                                                  "service_level": {"target": 0.8, "frequency": "D"}})
    t = card.table.set_index("kpi")
    assert t.loc["asa", "value"] == 18.0 and t.loc["service_level", "value"] == 0.66


def test_example_file_scores_a_simulated_week():
    import wfm.simulation as sim_mod
    from wfm.simulation.customers import add_customer_fields

    spec = load_targets(EXAMPLE)
    assert spec["title"] and "service_level" in spec["kpis"]
    idx = pd.date_range("2024-01-01 08:00", periods=8, freq="30min")
    idx = idx.append([idx + pd.Timedelta(days=d) for d in (1, 2)])
    sim = sim_mod.simulate(pd.Series(50.0, index=idx), 200, 7, patience=120, seed=8)
    k = kpis(add_customer_fields(sim.contacts, seed=1), states=sim.agent_states)
    card = scorecard(k, EXAMPLE)
    assert isinstance(card, Scorecard)
    # each status again from the file's numbers, read with yaml directly (not through load_targets)
    import yaml

    raw = yaml.safe_load(EXAMPLE.read_text())["kpis"]
    last = k.iloc[-1]
    for kpi, spec in raw.items():
        got = card.table.set_index("kpi").loc[kpi, "status"]
        if kpi not in k.columns or np.isnan(last[kpi]):
            assert got == "no data", kpi
            continue
        value, target, red = last[kpi], spec["target"], spec["red"]
        if isinstance(red, list):   # a band: occupancy, shrinkage
            want = "green" if abs(value - target) <= spec["tolerance"] else \
                "red" if not red[0] <= value <= red[1] else "amber"
        elif red < target:          # higher is better
            want = "green" if value >= target else "red" if value < red else "amber"
        else:                       # lower is better
            want = "green" if value <= target else "red" if value > red else "amber"
        assert got == want, (kpi, value, spec)
    # adherence and shrinkage need a schedule: no data, said so
    t = card.table.set_index("kpi")
    assert t.loc["adherence", "status"] == "no data"
    assert all(len(tr) == 3 for tr in card.table.loc[card.table["status"] != "no data", "trend"])


def test_html_and_plot(daily):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    card = scorecard(daily, TARGETS)
    html = card._repr_html_()
    assert "background:#c62828" in html and "background:#2e7d32" in html   # red and green cells
    assert "66.0%" in html and "Alerts" in html
    text = repr(card)
    assert "4 KPI(s): 1 green, 2 red, 1 no data" in text
    ax = card.plot(ncols=2)
    assert len(ax.child_axes) == 4          # a sparkline per KPI (NPS has a history, not a latest value)
    _, own = plt.subplots()
    assert card.plot(ax=own) is own
    plt.close("all")


# ---------------------------------------------------------------- the definition file

def test_yaml_round_trip(tmp_path):
    path = tmp_path / "targets.yaml"
    path.write_text("title: Test\nkpis:\n  asa:\n    target: 20\n    red: 45\n    frequency: D\n")
    spec = load_targets(path)
    assert spec["kpis"]["asa"] == {"name": "ASA", "frequency": "D", "target": 20.0, "direction": "lower",
                                   "tolerance": 0.0, "red": 45.0, "source": "contacts", "action": "",
                                   "description": ""}
    assert load_targets({"asa": 20})["kpis"]["asa"]["target"] == 20.0


@pytest.mark.parametrize("spec, match", [
    ({"kpis": {"service_levle": {"target": 0.8}}}, r"unknown KPI 'service_levle'. Did you mean 'service_level'"),
    ({"kpis": {"asa": {"target": 20, "colour": "red"}}}, r"kpis.asa has unknown key 'colour'"),
    ({"kpis": {"asa": {"red": 30}}}, r"kpis.asa needs the key 'target'"),
    ({"kpis": {"service_level": {"target": 80}}}, r"kpis.service_level.target must be a fraction in \[0, 1\]; "
                                                  r"got 80.0. Did you mean 0.8\?"),
    ({"kpis": {"asa": {"target": "fast"}}}, r"kpis.asa.target must be a finite number; got 'fast'"),
    ({"kpis": {"asa": {"target": 20, "red": 10}}}, r"kpis.asa.red must be at or above the target \(lower is better"),
    ({"kpis": {"service_level": {"target": 0.8, "red": 0.9}}}, r"kpis.service_level.red must be at or below the "
                                                               r"target"),
    ({"kpis": {"shrinkage": {"target": 0.3, "red": 0.35}}}, r"kpis.shrinkage.red must be a \[low, high\] pair"),
    ({"kpis": {"shrinkage": {"target": 0.3, "tolerance": 0.02, "red": [0.29, 0.35]}}},
     r"kpis.shrinkage.red must be a \[low, high\] pair around the green band"),
    ({"kpis": {"csat": {"target": 0.8, "tolerance": 0.05}}}, r"kpis.csat.tolerance must be 0 for a KPI where "
                                                             r"higher is better"),
    ({"kpis": {"csat": {"target": 0.8, "amber": 0.75}}}, r"kpis.csat: amber is no longer a key"),
    ({"kpis": {"contacts": {"target": 500}}}, r"kpis.contacts needs direction"),
    ({"kpis": {"asa": {"target": 20, "direction": "up"}}}, r"kpis.asa.direction must be one of 'higher', 'lower'"),
    ({"kpis": {"asa": {"target": 20, "higher_is_better": "no"}}}, r"kpis.asa: higher_is_better must be true or "
                                                                  r"false"),
    ({"kpis": {"asa": {"target": 20, "frequency": "fortnight"}}}, r"kpis.asa.frequency must be a pandas frequency"),
    ({"kpis": {"asa": 20}, "owner": "me"}, r"targets has unknown key 'owner'"),
    ({"kpis": []}, r"kpis must be a mapping of KPI name"),
])
def test_bad_definitions_name_the_key(spec, match):
    with pytest.raises((ValueError, TypeError), match=match):
        load_targets(spec)


def test_bad_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("kpis:\n  asa:\n    target: 20\n    colur: red\n")
    with pytest.raises(ValueError, match=r"bad.yaml: kpis.asa has unknown key 'colur'"):
        load_targets(path)
    path.write_text("kpis: [unclosed\n")
    with pytest.raises(ValueError, match="not valid YAML"):
        load_targets(path)
    with pytest.raises(FileNotFoundError):
        load_targets(tmp_path / "missing.yaml")
    with pytest.raises(TypeError, match="targets must be the path of a YAML file, a dict or KpiTargets"):
        scorecard(pd.DataFrame({"period": []}), 42)


# ---------------------------------------------------------------- simulated inputs are labelled


def test_simulated_kpis_read_as_simulated_in_every_output():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import wfm.simulation as sim_mod
    from wfm.simulation.customers import add_customer_fields

    idx = pd.date_range("2024-01-01 08:00", periods=8, freq="30min")
    sim = sim_mod.simulate(pd.Series(50.0, index=idx), 200, 7, patience=120, seed=8)
    k = kpis(add_customer_fields(sim.contacts, seed=1), states=sim.agent_states, basis="simulated")
    k.attrs = {}  # as the scenario runner and the CLI hand it over: the column carries the basis
    card = scorecard(k, {"csat": {"target": 0.99, "name": "CSAT"}, "nps": {"target": 100, "name": "NPS"},
                         "fcr": {"target": 0.99, "name": "FCR"}})
    t = card.table.set_index("kpi")
    assert (t["basis"] == "simulated").all()
    assert "group" not in card.table.columns and card.table.columns[0] == "kpi"  # basis is not a group
    assert card._headline().startswith("KPI scorecard (simulated inputs): 3 KPI(s)")
    text = repr(card)
    for name in ("CSAT (simulated)", "NPS (simulated)", "FCR (simulated)"):
        assert name in text and name in card._repr_html_()
    assert all(a.startswith(("CSAT (simulated) is", "NPS (simulated) is", "FCR (simulated) is"))
               for a in card.alerts["alert"])
    ax = card.plot()
    assert "(simulated inputs)" in ax.get_title()
    plt.close("all")


def test_basis_defaults_to_measured_and_can_be_given(daily):
    card = scorecard(daily, TARGETS)
    assert (card.table["basis"] == "measured").all() and "(simulated" not in repr(card)
    mixed = daily.assign(basis=["measured", "measured", "synthetic"])
    assert (scorecard(mixed, TARGETS).table["basis"] == "synthetic").all()  # the latest period's
    assert "(synthetic inputs)" in repr(scorecard(daily, TARGETS, basis="synthetic"))
    with pytest.raises(ValueError, match="basis must be one of"):
        scorecard(daily, TARGETS, basis="made up")


def test_headline_counts_kpis_of_simulated_inputs_when_mixed(daily):
    weekly = daily.iloc[:2].assign(basis="simulated")
    weekly.attrs = {"freq": "W", "by": []}
    card = scorecard({"D": daily, "W": weekly}, {"service_level": {"target": 0.8, "frequency": "D"},
                                                  "asa": {"target": 20, "frequency": "W"}})
    assert card.table.set_index("kpi")["basis"].to_dict() == {"service_level": "measured", "asa": "simulated"}
    assert card._headline().startswith("KPI scorecard (1 KPI(s) from simulated inputs): 2 KPI(s)")


def test_not_scored_and_inputs_echoed_back(daily):
    """A KPI the source does not produce is 'not scored' with its reason; an input echoed back within its noise
    is 'input', beyond it scored against its target with the input named; neither raises an alert."""
    daily["aht"] = [298.0, 299.0, 300.3]
    targets = {**TARGETS, "aht": {"target": 300, "red": 330}}
    plain = scorecard(daily, targets).table.set_index("kpi")
    assert plain.loc["aht", "status"] == "amber"  # 300.3 s against 300 s: the complaint of issue 25
    card = scorecard(daily, targets, not_scored={"nps": "drawn from an assumed survey model"},
                     inputs={"aht": (300.0, 3.5)})
    t = card.table.set_index("kpi")
    assert t.loc["aht", "status"] == "input" and "300 s" in t.loc["aht", "reason"] and "3.5" in t.loc["aht", "reason"]
    assert t.loc["nps", "status"] == "not scored"
    assert t.loc["nps", "reason"] == "Not scored: drawn from an assumed survey model."
    assert set(card.alerts["kpi"]) == {"service_level", "asa"}  # the red ones; not the input, not the unscored
    assert "1 input" in repr(card) and "1 not scored" in repr(card)
    # beyond the noise the input is scored, and the reason says it strays from the input
    daily.loc[2, "aht"] = 310.0
    t = scorecard(daily, targets, inputs={"aht": (300.0, 3.5)}).table.set_index("kpi")
    assert t.loc["aht", "status"] == "amber" and "outside that noise" in t.loc["aht", "reason"]


def test_every_status_has_a_reason(daily):
    daily["aht"] = [298.0, 299.0, 300.3]
    daily["occupancy"] = [0.86, 0.87, 0.88]
    targets = {**TARGETS, "aht": {"target": 300, "red": 330},
               "occupancy": {"target": 0.85, "tolerance": 0.05, "red": [0.7, 0.92]}}
    t = scorecard(daily, targets, not_scored={"nps": "not measured"}, inputs={"aht": (300, 5)}).table
    assert set(t["status"]) == {"red", "green", "input", "not scored"}
    assert t["reason"].str.len().gt(20).all()
    r = t.set_index("kpi")["reason"]
    assert r["abandon_rate"] == "Abandon rate is 4.5%, at or below the target 5.0%."
    assert r["occupancy"] == "Occupancy is 88.0%, within the green band 80.0% to 90.0% (target 85.0%)."
    assert r["service_level"].startswith("Service level is 66.0% on 2024-01-03, below the red threshold 70.0%")


@pytest.mark.parametrize("kwargs, error, match", [
    ({"not_scored": {"csatt": "x"}}, ValueError, "not_scored has unknown KPI 'csatt'.*csat"),
    ({"not_scored": {"nps": ""}}, ValueError, r"not_scored\['nps'\] must be the reason"),
    ({"not_scored": ["nps"]}, TypeError, "not_scored must be a dict"),
    ({"inputs": {"aht": 300}}, ValueError, r"inputs\['aht'\] must be \(input, tolerance\)"),
    ({"inputs": {"aht": (300, -1)}}, ValueError, "tolerance >= 0"),
])
def test_bad_exceptions_are_named(daily, kwargs, error, match):
    with pytest.raises(error, match=match):
        scorecard(daily, TARGETS, **kwargs)


def test_a_simulated_run_does_not_score_what_the_simulation_assumes():
    """The simulator has no shrinkage and draws surveys from an assumed model: SIMULATION_NOT_SCORED names them,
    with reasons, and leaves the queue's outcomes (service level, speed, abandonment, occupancy) to be scored."""
    from wfm.evaluate.targets import SIMULATION_NOT_SCORED

    assert {"shrinkage", "adherence", "csat", "nps", "fcr", "transfer_rate"} <= set(SIMULATION_NOT_SCORED)
    assert not {"service_level", "asa", "abandon_rate", "occupancy", "aht"} & set(SIMULATION_NOT_SCORED)
    assert all(len(reason) > 30 for reason in SIMULATION_NOT_SCORED.values())


@pytest.mark.parametrize("threshold, name, shown", [
    (20, "Service level (80/20)", "Service level (80/20)"),
    (30, "Service level (80/20)", "Service level (80/30)"),  # the target file's 20 is not what was measured
    (30, None, "Service level (within 30 s)"),
    ({"voice": 20, "chat": 60}, "SL", "SL (within voice 20 s, chat 60 s)"),
])
def test_the_service_level_label_says_the_threshold_it_was_measured_at(threshold, name, shown):
    t = lambda s: pd.Timestamp("2024-01-01 09:00") + pd.Timedelta(seconds=s)
    log = pd.DataFrame({"arrival": [t(0), t(60)], "answer": [t(10), t(85)], "talk": [200, 100]})
    k = kpis(log, threshold=threshold)
    # waits 10 s and 25 s: within 20 s one of two, within 30 s both
    assert k["service_level"].item() == (0.5 if threshold == 20 or isinstance(threshold, dict) else 1.0)
    spec = {"target": 0.8} if name is None else {"target": 0.8, "name": name}
    assert scorecard(k, {"service_level": spec}).table.loc[0, "name"] == shown


def test_a_contact_kpi_not_computed_names_the_column_it_needs():
    # a contact log without customer ids, surveys or transfer flags: FCR, CSAT, NPS, transfers cannot be computed
    t = lambda s: pd.Timestamp("2024-01-01 09:00") + pd.Timedelta(seconds=s)
    k = kpis(pd.DataFrame({"arrival": [t(0), t(60)], "answer": [t(10), t(85)], "talk": [200, 100]}))
    card = scorecard(k, {"fcr": 0.75, "csat": 0.8, "nps": 30, "transfer_rate": 0.08, "occupancy": 0.85})
    why = card.table.set_index("kpi")["alert"]
    for kpi, column in (("fcr", "customer"), ("csat", "csat"), ("nps", "nps"), ("transfer_rate", "transferred")):
        assert f"the contact log has no {column!r} column" in why[kpi] and "needs contacts" not in why[kpi]
        assert f"columns={{{column!r}: 'YourColumn'}} of wfm.evaluate.read_contacts" in why[kpi]
    assert why["occupancy"] == "Occupancy: not computed: it needs states."  # another log, not a column
    # without a contact log the contacts are what it needs
    states_only = k[["period"]].assign(occupancy=0.8)
    assert "not computed: it needs contacts." in scorecard(states_only, {"fcr": 0.75}).table.loc[0, "alert"]


def test_an_aht_target_in_minutes_warns(tmp_path):
    from wfm._validation import UnitWarning

    path = tmp_path / "targets.yaml"
    path.write_text("kpis:\n  aht:\n    target: 5\n    red: 5.5\n")  # minutes typed where seconds belong
    with pytest.warns(UnitWarning) as caught:
        load_targets(path)
    assert [str(w.message).split(" is ")[0] for w in caught] == ["targets.yaml: kpis.aht.target of 5 s",
                                                                  "targets.yaml: kpis.aht.red of 5.5 s"]
    assert "(expected 20 s to 2 h)" in str(caught[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_targets({"aht": {"target": 300, "red": 330}, "asa": {"target": 5}})  # a 5-s ASA is plausible


def test_tiles_name_each_kpi_by_its_label_not_its_column():
    """Follow-up of review30: the tiles, table and alerts read 'service_level', 'asa'; now the KPI's label (a name
    given in the targets still wins)."""
    import matplotlib.pyplot as plt

    from wfm.evaluate.kpi import KPI_LABELS, catalogue

    periods = pd.date_range("2024-01-01", periods=3, freq="D")
    k = pd.DataFrame({"period": periods, "service_level": [0.82, 0.78, 0.66], "asa": [18.0, 25.0, 41.0],
                      "abandon_rate": [0.04, 0.05, 0.06]})
    card = scorecard(k, {"service_level": 0.8, "asa": {"target": 20, "red": 40}, "abandon_rate":
                         {"target": 0.05, "name": "Hang-ups"}})
    fig, ax = plt.subplots()
    texts = [t.get_text() for t in card.plot(ax=ax).texts]
    plt.close(fig)
    assert {"Service level", "ASA", "Hang-ups"} <= set(texts)
    assert not {"service_level", "asa", "abandon_rate"} & set(texts)
    assert card.table.set_index("kpi")["alert"]["asa"].startswith("ASA is 41.0 s")
    assert KPI_LABELS["csat_responses"] == "CSAT responses" and KPI_LABELS["peak_hour_contacts"] == "Peak hour contacts"
    assert catalogue().set_index("kpi").loc["forecast_wape", "label"] == "Forecast WAPE"
