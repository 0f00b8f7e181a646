"""`wfm roster` on what `wfm staff` writes: a plan of open intervals only (closed nights absent), with
--week-start, and errors that name the command's flags rather than Python arguments."""

import numpy as np
import pandas as pd
import pytest
import yaml

from wfm import cli


@pytest.fixture(scope="module")
def plan_csv(tmp_path_factory):
    """plan.csv as `wfm staff` writes it for a synthetic forecast (10 calls per half hour, 08:00-18:00, Monday to
    Friday of one week; labelled synthetic: only its shape matters here). Module scope: read-only."""
    folder = tmp_path_factory.mktemp("staff")
    idx = pd.date_range("2024-01-01 08:00", "2024-01-05 17:30", freq="30min")
    idx = idx[(idx.hour >= 8) & (idx.hour < 18)]
    pd.DataFrame({"forecast": 10.0}, index=pd.Index(idx, name="timestamp")).to_csv(folder / "forecast.csv")
    assert cli.main(["staff", "--forecast", str(folder / "forecast.csv"), "--aht", "300",
                     "--out", str(folder / "plan.csv"), "-q"]) == 0
    return folder / "plan.csv"


def _files(tmp_path, agents):
    rules = {"schedule": {"shifts": [{"name": "D", "paid": "5h", "starts": ["08:00", "13:00"]}],
                          "week": {"days_per_week": 5}}}
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump(rules))
    pd.DataFrame({"agent": [f"a{k}" for k in range(agents)], "max_days_per_week": 5}).to_csv(
        tmp_path / "agents.csv", index=False)
    return ["--agents", str(tmp_path / "agents.csv"), "--rules", str(tmp_path / "rules.yaml"), "--time-limit", "20"]


def test_roster_of_a_plan_with_closed_nights(plan_csv, tmp_path):
    """The plan holds only open intervals (its nights absent, as wfm staff writes it): the roster sizes it and
    puts agents on the phones in every interval the plan requires, with weeks from Sunday."""
    plan = pd.read_csv(plan_csv, index_col=0, parse_dates=True)
    assert (np.diff(plan.index.asi8) != np.diff(plan.index.asi8).min()).any()  # closed nights are gaps
    out = tmp_path / "out"
    argv = ["roster", "--requirement", str(plan_csv), *_files(tmp_path, 12), "--week-start", "SUN",
            "--out", str(out), "-q"]
    assert cli.main(argv) == 0
    coverage = pd.read_csv(out / "roster_coverage.csv", index_col=0, parse_dates=True)
    required = plan["agents"]
    np.testing.assert_array_equal(coverage["required"].reindex(required.index).to_numpy(), required.to_numpy())
    assert (coverage["scheduled"].reindex(required.index) >= required).all()
    table = pd.read_csv(out / "roster.csv", parse_dates=["date"])
    assert table["date"].min() >= pd.Timestamp("2023-12-31")  # the week from Sunday holding the plan


def test_errors_name_flags(plan_csv, tmp_path, capsys):
    """Too few agents for a hard cover: exit 2, and the message tells the shell user about --allow-shortfall
    (not allow_shortfall=True); a bad --week-start is named as the flag."""
    argv = ["roster", "--requirement", str(plan_csv), *_files(tmp_path, 2), "--out", str(tmp_path / "o")]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "--allow-shortfall" in err and "allow_shortfall=" not in err
    assert cli.main(argv + ["--week-start", "SUNDAE"]) == 2
    assert "--week-start" in capsys.readouterr().err


def test_request_dates_follow_dayfirst_and_errors_name_file_lines(plan_csv, tmp_path, capsys):
    """A UK request file (a1 off on 02/01/2024, 2 January): refused without an order, honoured with --dayfirst;
    an unknown agent is named by its line in the file (line 3: the header is line 1)."""
    pd.DataFrame({"agent": ["a1", "a2"], "day": ["2024-01-03", "02/01/2024"], "shift": "", "kind": "off",
                  "weight": 100}).to_csv(tmp_path / "req.csv", index=False)
    argv = ["roster", "--requirement", str(plan_csv), *_files(tmp_path, 12), "--requests", str(tmp_path / "req.csv"),
            "--out", str(tmp_path / "o"), "-q"]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "requests['day'] (rows are line numbers)" in err and "rows [3]" in err and "--dayfirst" in err
    assert cli.main(argv + ["--dayfirst"]) == 0
    table = pd.read_csv(tmp_path / "o" / "roster.csv", parse_dates=["date"])
    assert pd.Timestamp("2024-01-02") not in set(table.loc[table["agent"] == "a2", "date"])
    assert pd.Timestamp("2024-01-03") not in set(table.loc[table["agent"] == "a1", "date"])
    pd.DataFrame({"agent": ["a1", "zz"], "day": [0, 1], "shift": "", "kind": "off", "weight": 1}).to_csv(
        tmp_path / "req.csv", index=False)
    assert cli.main(argv) == 2
    assert "requests['agent'] of line 3 (agent 'zz')" in capsys.readouterr().err


def test_help_lists_every_file_roster_writes(plan_csv, tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["roster", "--requirement", str(plan_csv), *_files(tmp_path, 12), "--week-start", "SUN"]
    assert cli.main([*argv, "--out", str(out), "-q"]) == 0
    capsys.readouterr()
    assert cli.main(["roster", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    for written in sorted(p.name for p in out.iterdir()):
        assert written in text, written


def test_fractional_agents_get_cli_advice(plan_csv, tmp_path, capsys):
    """--column load (Erlangs, 1.67 per half hour: not whole agents) and a --cover file asking for 1.5 agents are
    refused with advice a shell user can follow (the flag, or round the file's column up), not numpy.ceil."""
    argv = ["roster", "--requirement", str(plan_csv), "--column", "load", *_files(tmp_path, 12),
            "--out", str(tmp_path / "o")]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "requirement must be whole numbers of agents; got 1.6666666666666667 at 100 of 100" in err
    assert "Give --column a column of whole agents (agents, the default" in err and "numpy" not in err
    pd.DataFrame({"day": [0, 1], "shift": "D", "required": [2, 1.5]}).to_csv(tmp_path / "cover.csv", index=False)
    (tmp_path / "cover_rules.yaml").write_text(yaml.safe_dump({"days": 7, "shifts": [{"name": "D", "paid": "8h",
                                                                                         "start": "08:00"}]}))
    argv = ["roster", "--cover", str(tmp_path / "cover.csv"), "--agents", str(tmp_path / "agents.csv"), "--rules",
            str(tmp_path / "cover_rules.yaml"), "--out", str(tmp_path / "o")]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "whole numbers of agents" in err and "numpy" not in err and "--cover" in err


def test_week_start_flag_and_rules_file_must_agree(plan_csv, tmp_path, capsys):
    """The roster rules' week_start and --week-start name one week: the same day is fine, another day is refused
    (it used to win silently), as wfm schedule refuses it on the same file."""
    argv = ["roster", "--requirement", str(plan_csv), *_files(tmp_path, 12), "--out", str(tmp_path / "o"), "-q"]
    rules = yaml.safe_load((tmp_path / "rules.yaml").read_text())
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump({**rules, "week_start": "SUN"}))
    assert cli.main(argv + ["--week-start", "MON"]) == 2
    assert "--week-start MON conflicts with --rules 'rules.yaml', whose week_start is SUN" in capsys.readouterr().err
    assert cli.main(argv + ["--week-start", "sunday"]) == 0
    table = pd.read_csv(tmp_path / "o" / "roster.csv", parse_dates=["date"])
    assert table["date"].min() >= pd.Timestamp("2023-12-31")  # the week from Sunday holding the plan


def test_weeks_of_a_sunday_thursday_requirement_start_on_sunday(tmp_path):
    """Neither the rules nor --week-start say: the week starts on the first open day after the requirement's closed
    days, as wfm schedule and wfm staff infer it (wfm.calendar.infer_week_start), not Monday, which cut each Sunday
    off its week. Labelled synthetic: 3 agents per half hour, Sunday 7 to Thursday 11 January 2024, 08:00-18:00."""
    idx = pd.date_range("2024-01-07 08:00", "2024-01-11 17:30", freq="30min")
    idx = idx[(idx.hour >= 8) & (idx.hour < 18)]
    pd.DataFrame({"agents": 3}, index=pd.Index(idx, name="timestamp")).to_csv(tmp_path / "plan.csv")
    argv = ["roster", "--requirement", str(tmp_path / "plan.csv"), *_files(tmp_path, 12), "--out",
            str(tmp_path / "o"), "-q"]
    assert cli.main(argv) == 0
    table = pd.read_csv(tmp_path / "o" / "roster.csv", parse_dates=["date"])
    assert table["date"].min() == pd.Timestamp("2024-01-07")  # Monday weeks began the roster on 1 January
    coverage = pd.read_csv(tmp_path / "o" / "roster_coverage.csv", index_col=0, parse_dates=True)
    assert (coverage["scheduled"].reindex(idx) >= 3).all()


def test_fractional_cover_names_the_cover_rows_not_intervals(tmp_path, capsys):
    """A cover table's rows are (day, shift) rows, not intervals: a fractional or negative required names them as
    rows (in wfm roster --cover, the file's line numbers: the header is line 1, so the second row is line 3)."""
    from wfm.roster import roster_agents

    cover = pd.DataFrame({"day": [0, 1], "shift": "D", "required": [2, 1.5]})
    rules = {"days": 7, "shifts": [{"name": "D", "paid": "8h", "start": "08:00"}]}
    agents = pd.DataFrame({"agent": ["a", "b"]})
    with pytest.raises(ValueError, match=r"^demand\['required'\] must be whole numbers of agents; got 1\.5 in 1 of 2 "
                                         r"rows: rows \[1\]\. Round up") as err:
        roster_agents(cover, agents, rules, time_limit=5)
    assert "interval" not in str(err.value)
    for required, text in (([2, 1.5], "must be whole numbers of agents; got 1.5"), ([2, -1], "must be >= 0 agents; "
                                                                                                "got -1.0")):
        cover.assign(required=required).to_csv(tmp_path / "cover.csv", index=False)
        agents.to_csv(tmp_path / "agents.csv", index=False)
        (tmp_path / "rules.yaml").write_text(yaml.safe_dump(rules))
        assert cli.main(["roster", "--cover", str(tmp_path / "cover.csv"), "--agents", str(tmp_path / "agents.csv"),
                         "--rules", str(tmp_path / "rules.yaml"), "--out", str(tmp_path / "o")]) == 2
        err = capsys.readouterr().err
        assert f"demand['required'] {text} in 1 of 2 rows: rows [3]. Rows are line numbers of the file." in err, err
        assert "interval" not in err
