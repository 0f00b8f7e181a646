"""Scorecard: KPI definitions from YAML, status against thresholds, change, trend, alerts, HTML and tiles.

Evidence: hand-made KPI tables whose statuses follow from the thresholds by inspection; the
example definition file in scenarios/ loads and scores the KPIs of a simulated week; every
malformed definition is an error naming the key path and the bad value.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wfm.evaluate import Scorecard, kpis, load_targets, scorecard

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
    "service_level": {"target": 0.8, "amber": 0.8, "red": 0.7, "action": "Call in part-timers."},
    "asa": {"target": 20, "amber": 30, "red": 40},
    "abandon_rate": {"target": 0.05, "red": 0.08},
    "nps": {"target": 30, "amber": 20, "red": 0},
}


def test_status_change_and_trend(daily):
    card = scorecard(daily, TARGETS)
    t = card.table.set_index("kpi")
    # higher is better: 0.66 < red 0.70 -> red; lower is better: 41 > red 40 -> red
    assert t.loc["service_level", "status"] == "red"
    assert t.loc["asa", "status"] == "red"
    # 0.045 is at or under amber (defaults to the target 0.05) -> green
    assert t.loc["abandon_rate", "status"] == "green"
    assert t.loc["nps", "status"] == "no data"
    assert t.loc["service_level", "change"] == pytest.approx(0.66 - 0.78)
    assert t.loc["asa", "change"] == pytest.approx(41 - 25)
    assert t.loc["service_level", "trend"] == [0.82, 0.78, 0.66]
    assert t.loc["service_level", "period"] == pd.Timestamp("2024-01-03")
    assert scorecard(daily, TARGETS, trend=2).table.set_index("kpi").loc["asa", "trend"] == [25.0, 41.0]


def test_amber_band(daily):
    daily.loc[2, "service_level"] = 0.75
    daily.loc[2, "asa"] = 30.0
    t = scorecard(daily, TARGETS).table.set_index("kpi")
    assert t.loc["service_level", "status"] == "amber"   # 0.70 <= 0.75 < 0.80
    assert t.loc["asa", "status"] == "green"             # at the amber threshold is still green
    daily.loc[2, "asa"] = 35.0
    assert scorecard(daily, TARGETS).table.set_index("kpi").loc["asa", "status"] == "amber"


def test_alerts_are_worst_first_with_actions(daily):
    card = scorecard(daily, TARGETS)
    alerts = card.alerts
    assert alerts["status"].tolist() == ["red", "red", "no data"]
    sl = alerts.set_index("kpi").loc["service_level", "alert"]
    assert sl == ("service_level is 66.0% on 2024-01-03, below the red threshold 70.0% (target 80.0%). "
                  "Action: Call in part-timers.")
    assert "asa is 41.0 s on 2024-01-03, above the red threshold 40.0 s" in alerts.set_index("kpi").loc["asa", "alert"]
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
    card = scorecard({"D": daily, "W": weekly}, {"asa": {"target": 20, "frequency": "W", "amber": 30},
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
    assert set(card.table["status"]) <= {"green", "amber", "red", "no data"}
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
    path.write_text("title: Test\nkpis:\n  asa:\n    target: 20\n    amber: 30\n    red: 45\n    frequency: D\n")
    spec = load_targets(path)
    assert spec["kpis"]["asa"] == {"name": "asa", "frequency": "D", "target": 20.0, "amber": 30.0, "red": 45.0,
                                   "higher_is_better": False, "source": "contacts", "action": "",
                                   "description": ""}
    assert load_targets({"asa": 20})["kpis"]["asa"]["target"] == 20.0


@pytest.mark.parametrize("spec, match", [
    ({"kpis": {"service_levle": {"target": 0.8}}}, r"unknown KPI 'service_levle'. Did you mean 'service_level'"),
    ({"kpis": {"asa": {"target": 20, "colour": "red"}}}, r"kpis.asa has unknown key 'colour'"),
    ({"kpis": {"asa": {"amber": 30}}}, r"kpis.asa needs the key 'target'"),
    ({"kpis": {"service_level": {"target": 80}}}, r"kpis.service_level.target must be a fraction in \[0, 1\]; "
                                                  r"got 80.0. Did you mean 0.8\?"),
    ({"kpis": {"asa": {"target": "fast"}}}, r"kpis.asa.target must be a finite number; got 'fast'"),
    ({"kpis": {"asa": {"target": 20, "amber": 10}}}, r"kpis.asa must be ordered target <= amber <= red"),
    ({"kpis": {"service_level": {"target": 0.8, "red": 0.9}}}, r"ordered red <= amber <= target"),
    ({"kpis": {"occupancy": {"target": 0.85}}}, r"kpis.occupancy needs higher_is_better"),
    ({"kpis": {"asa": {"target": 20, "higher_is_better": "no"}}}, r"kpis.asa.higher_is_better must be true or false"),
    ({"kpis": {"asa": {"target": 20, "frequency": "fortnight"}}}, r"kpis.asa.frequency must be a pandas frequency"),
    ({"kpis": {}, "owner": "me"}, r"targets has unknown key 'owner'"),
    ({"kpis": []}, r"kpis must be a mapping of KPI name"),
])
def test_bad_definitions_name_the_key(spec, match):
    with pytest.raises((ValueError, TypeError), match=match):
        load_targets(spec)


def test_bad_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("kpis:\n  asa:\n    target: 20\n    colur: red\n")
    with pytest.raises(ValueError, match=r"kpis.asa in bad.yaml has unknown key 'colur'"):
        load_targets(path)
    path.write_text("kpis: [unclosed\n")
    with pytest.raises(ValueError, match="not valid YAML"):
        load_targets(path)
    with pytest.raises(FileNotFoundError):
        load_targets(tmp_path / "missing.yaml")
    with pytest.raises(TypeError, match="targets must be the path of a YAML file or a dict"):
        scorecard(pd.DataFrame({"period": []}), 42)
