"""
``wfm.roster_agents`` given an interval requirement and no ``rules["week_start"]`` rosters on the requirement's own
weeks (the first open day after its closed days, :func:`wfm.calendar.infer_week_start`), as ``wfm roster
--requirement``, ``wfm schedule`` and the scenario runner do; it used to take Monday, cutting a Sunday-Thursday
centre's Sunday off its week. The result's params say the week start and that it was inferred.

Requirement: real volumes relabelled, the bank's last week (Monday 20 to Friday 24 October 2003, ``bank_calls
("30min")``) with every date moved one day earlier, so its Monday-Friday week becomes Sunday 19 to Thursday 23
October (as in tests/scenario/test_week_start_inferred.py), scaled by 0.015 so it needs a dozen agents (as in
tests/roster/test_seam.py); Erlang C, AHT 300 s, 80/20.
"""

import pandas as pd
import pytest
import yaml

from wfm import cli, staffing_plan
from wfm.roster import roster_agents

SCHEDULE = {"shifts": [{"name": "E", "paid": "8h", "starts": ["07:00", "09:00"]},
                       {"name": "L", "paid": "8h", "starts": ["11:00", "13:00"]}],
            "week": {"days_per_week": 5}}
SUNDAY = pd.Timestamp("2003-10-19")


@pytest.fixture(scope="module")
def sun_thu(bank_30min):
    """Agents required per half hour of the relabelled Sunday-Thursday week, and a dozen-odd agents."""
    calls = bank_30min[bank_30min.index >= "2003-10-20"]
    calls = pd.Series(calls.to_numpy() * 0.015, index=calls.index - pd.Timedelta(days=1), name="calls")
    assert set(calls.index.day_name()) == {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday"}
    required = staffing_plan(calls, aht=300, service_level=0.8, threshold=20).table["agents"]
    agents = pd.DataFrame({"agent": [f"A{k:02d}" for k in range(int(required.max()) + 4)], "max_days_per_week": 5})
    return required, agents


def test_python_and_the_cli_roster_a_sunday_thursday_requirement_from_sunday(sun_thu, tmp_path):
    required, agents = sun_thu
    r = roster_agents(required, agents, {"schedule": SCHEDULE}, time_limit=6, allow_shortfall=True)
    assert r.params["week_start"] == "SUN" and r.params["week_start_inferred"] is True
    # the roster's one week is Sunday 19 - Saturday 25 October: every open day in it, none cut off
    assert pd.Timestamp(r.params["start"]).tz_localize(None) == SUNDAY and r.params["days"] == 7
    worked = set(pd.DatetimeIndex(r.table["date"]).normalize())
    assert worked == set(pd.date_range(SUNDAY, periods=5, freq="D"))

    required.rename_axis("timestamp").to_frame("agents").to_csv(tmp_path / "plan.csv")
    agents.to_csv(tmp_path / "agents.csv", index=False)
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump({"schedule": SCHEDULE}))
    assert cli.main(["roster", "--requirement", str(tmp_path / "plan.csv"), "--agents", str(tmp_path / "agents.csv"),
                     "--rules", str(tmp_path / "rules.yaml"), "--allow-shortfall", "--time-limit", "6",
                     "--out", str(tmp_path / "o"), "-q"]) == 0
    table = pd.read_csv(tmp_path / "o" / "roster.csv", parse_dates=["date"])
    assert set(table["date"].dt.normalize()) == worked  # the CLI's week is Python's


def test_a_week_start_the_rules_give_wins(sun_thu):
    required, agents = sun_thu
    r = roster_agents(required, agents, {"schedule": SCHEDULE, "week_start": "MON"}, time_limit=4,
                      allow_shortfall=True)
    assert r.params["week_start"] == "MON" and r.params["week_start_inferred"] is False
    # Monday weeks: Sunday 19 ends the week of Monday 13, Monday 20 - Thursday 23 begin the next
    assert pd.Timestamp(r.params["start"]).tz_localize(None) == pd.Timestamp("2003-10-13")
