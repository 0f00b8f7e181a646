"""Messages that name an option: the Python argument from Python, the command's flag from the command line."""

from pathlib import Path

import pandas as pd
import pytest

import wfm
from wfm import cli
from wfm._validation import UnitWarning
from wfm.logs._parse import localize


@pytest.fixture()
def three_weeks(bank_30min, tmp_path):
    """Three weeks of the bank's calls (two Mondays with a 4-day horizon after them), and the last day's files."""
    calls = bank_30min[bank_30min.index >= bank_30min.index[-1] - pd.Timedelta(days=20)]
    calls.rename("calls").to_frame().to_csv(tmp_path / "hist.csv", index_label="timestamp")
    day = calls[calls.index >= calls.index[-1].normalize()]
    day.rename("forecast").to_frame().to_csv(tmp_path / "fc.csv", index_label="timestamp")
    day.iloc[:6].rename("actual").to_frame().to_csv(tmp_path / "act.csv", index_label="timestamp")
    return calls, tmp_path


def test_too_many_origins_names_n_origins_in_python_and_history_weeks_in_intraday(three_weeks, capsys):
    calls, folder = three_weeks
    with pytest.raises(ValueError, match=r"n_origins=8: .* only 2 Monday\(s\).*pass a smaller n_origins=2,"):
        wfm.intraday.error_history(calls, weeks=8)
    assert cli.main(["intraday", "--forecast", str(folder / "fc.csv"), "--actual", str(folder / "act.csv"),
                     "--history", str(folder / "hist.csv"), "--history-weeks", "8", "--out", str(folder / "o")]) == 2
    err = capsys.readouterr().err
    assert "--history-weeks 8: history from" in err and "pass a smaller --history-weeks 2," in err
    assert "n_origins" not in err


def test_erlang_a_without_patience_names_patience_in_python_and_the_flags_in_staff(bank_30min, tmp_path, capsys):
    with pytest.raises(ValueError, match=r"required for model='erlang_a': .* e\.g\. patience=120\."):
        wfm.service_level(10, 300, 1800, 5, 20, model="erlang_a")
    bank_30min.iloc[-200:].rename("forecast").to_frame().to_csv(tmp_path / "fc.csv", index_label="timestamp")
    assert cli.main(["staff", "--forecast", str(tmp_path / "fc.csv"), "--aht", "300", "--model", "erlang_a",
                     "--out", str(tmp_path / "s.csv")]) == 2
    err = capsys.readouterr().err
    assert "patience is required for --model erlang_a:" in err and "e.g. --patience 120." in err
    assert "patience=" not in err and "model=" not in err


def test_a_time_lost_to_the_clock_change_names_tz_in_python_and_the_flag_on_the_command_line(tmp_path, capsys):
    # 01:30 on 31 March 2024 does not exist in London: the clocks went from 01:00 GMT to 02:00 BST
    times = pd.Series(pd.to_datetime(["2024-03-31 00:30", "2024-03-31 01:30"]))
    with pytest.raises(ValueError, match=r"rows \[3\].*or in UTC with tz='UTC'\."):
        localize(times, "Europe/London", "timestamp", [2, 3])
    (tmp_path / "h.csv").write_text("timestamp,calls\n2024-03-31 00:30,5\n2024-03-31 01:30,6\n2024-03-31 02:30,7\n")
    assert cli.main(["forecast", "--history", str(tmp_path / "h.csv"), "--tz", "Europe/London",
                     "--out", str(tmp_path / "f.csv")]) == 2
    err = capsys.readouterr().err
    assert "rows [3]" in err and "or in UTC with --tz UTC." in err and "tz=" not in err


EXAMPLE = wfm.__file__.replace("__init__.py", "datasets/data/examples/interval_report.csv")
COLUMNS = {"date": "Date", "time": "Interval", "calls": "Offered"}


@pytest.mark.parametrize("total, column", [("27/06/2024,Total", "Interval"), ("Total,", "Date")])
def test_a_totals_row_is_told_to_be_left_out_not_given_a_date_format(tmp_path, capsys, total, column):
    path = tmp_path / "report.csv"
    path.write_text(open(EXAMPLE).read() + f"{total},2658,2600,58,600000,2400\n")  # line 402: 400 rows + header
    rule = f"{column} == 'Total'"
    with pytest.raises((ValueError, TypeError)) as err:
        wfm.logs.read_history(path, dayfirst=True, columns=COLUMNS)
    text = str(err.value)
    assert f"column {column!r}" in text and "rows [402] (values 'Total')" in text and "date_format" not in text
    assert f"Leave such rows out with exclude=\"{rule}\", or" in text and "on_bad_rows='reject'" in text
    # the fix the message gives works: the four weeks are read, the totals row left out
    with pytest.warns(wfm.logs.DataWarning, match="1 row"):
        assert len(wfm.logs.read_history(path, dayfirst=True, columns=COLUMNS, exclude=rule)) == 400
    out = str(tmp_path / "f.csv")
    argv = ["forecast", "--history", str(path), "--dayfirst", "--columns", "date=Date,time=Interval,calls=Offered",
            "--days", "5", "--out", out]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert f"Leave such rows out with --exclude \"{rule}\", or" in err and "--on-bad-rows reject." in err
    assert "--date-format" not in err and "exclude=" not in err
    assert cli.main(argv + ["--exclude", rule]) == 0


def test_words_in_a_date_column_that_is_all_words_keep_the_format_hint(tmp_path):
    # every value a word: the column is the wrong one, not padded with a totals row
    path = tmp_path / "report.csv"
    path.write_text("Date,Interval,Offered\nMonday,08:00,3\nTuesday,08:00,4\n")
    with pytest.raises(ValueError, match="Give the format of the column") as err:
        wfm.logs.read_history(path, columns=COLUMNS)
    assert "exclude" not in str(err.value)


def test_a_summary_row_with_a_spaced_column_name_quotes_it_in_backticks(tmp_path):
    path = tmp_path / "report.csv"
    rows = "".join(f"2024-06-03 0{h}:00,{h}\n" for h in range(6))
    path.write_text("Interval Start,Offered\n" + rows + "Grand total,15\nAverage,2.5\n")
    rule = "`Interval Start` in ['Grand total', 'Average']"
    with pytest.raises((ValueError, TypeError), match=r"rows \[8, 9\].*are words where timestamps belong") as err:
        wfm.logs.read_history(path, columns={"timestamp": "Interval Start", "calls": "Offered"})
    assert f'exclude="{rule}"' in str(err.value)
    with pytest.warns(wfm.logs.DataWarning, match="2 row"):
        got = wfm.logs.read_history(path, columns={"timestamp": "Interval Start", "calls": "Offered"}, exclude=rule)
    assert got["calls"].tolist() == list(range(6))


def test_implausible_values_are_named_by_their_file_lines(tmp_path, capsys):
    source = EXAMPLE.replace("interval_report.csv", "interval_report_24x7.csv")
    # the lines of the file (line 1 the header) whose AHT field is outside 20 s to 2 h, counted on the text itself
    fields = [line.split(",") for line in open(source).read().splitlines()]
    odd = [n for n, f in enumerate(fields, start=1) if n > 1 and f[4] and not 20 <= float(f[4]) <= 7200]
    report = pd.read_csv(source)
    report["Calls Offered"] = report["Calls Offered"].astype(float)
    calls = report.loc[20, "Calls Offered"] + 0.5
    report.loc[20, "Calls Offered"] = calls            # data row 20 is file line 22
    report.loc[[10, 500], "Avg Handle Time (sec)"] = 4.5  # an AHT in minutes: lines 12 and 502
    path = tmp_path / "report.csv"
    report.to_csv(path, index=False)
    lines = sorted(odd + [12, 502])
    where = f"in {len(lines)} of 2688 rows: rows [{', '.join(map(str, lines[:5]))}{', ...' if len(lines) > 5 else ''}]"
    columns = {"timestamp": "Interval Start", "calls": "Calls Offered", "answered": "Calls Handled",
               "aht": "Avg Handle Time (sec)"}
    with pytest.warns(UnitWarning) as caught:
        wfm.logs.read_history(path, columns=columns)
    texts = [str(w.message) for w in caught if issubclass(w.category, UnitWarning)]
    assert any(f"column 'Calls Offered' holds numbers with decimals in 1 of 2688 rows: rows [22] (values {calls:g})"
               in t for t in texts), texts
    assert any("is implausible (expected 20 s to 2 h) " + where + ";" in t for t in texts), (where, texts)
    assert not any("positions" in t for t in texts)
    assert cli.main(["forecast", "--history", str(path), "--columns", ",".join(f"{k}={x}" for k, x in columns.items()),
                     "--out", str(tmp_path / "f.csv")]) == 0
    assert "is implausible (expected 20 s to 2 h) " + where + ";" in capsys.readouterr().err


def test_roster_rules_given_a_schedule_section_say_what_roster_rules_are(tmp_path, capsys):
    import yaml

    scenario = Path(wfm.__file__).parents[1] / "scenarios" / "weekly_bank_calls.yaml"
    section = yaml.safe_load(scenario.read_text())["schedule"]
    section.pop("variants")
    idx = pd.date_range("2024-01-01 08:00", "2024-01-05 17:30", freq="30min")
    pd.DataFrame({"agents": 3}, index=pd.Index(idx[(idx.hour >= 8) & (idx.hour < 18)], name="timestamp")).to_csv(
        tmp_path / "req.csv")
    pd.DataFrame({"agent": [f"a{k}" for k in range(12)], "max_days_per_week": 5}).to_csv(tmp_path / "agents.csv",
                                                                                        index=False)

    def roster(rules):
        (tmp_path / "rules.yaml").write_text(yaml.safe_dump(rules, sort_keys=False))
        code = cli.main(["roster", "--requirement", str(tmp_path / "req.csv"), "--agents", str(tmp_path / "agents.csv"),
                         "--rules", str(tmp_path / "rules.yaml"), "--time-limit", "20", "--out", str(tmp_path / "o")])
        return code, capsys.readouterr().err

    time = "without time_limit, mip_gap: the solver's time is not a key; set it with --time-limit 20 (seconds"
    code, err = roster(section)  # the file wfm schedule --rules reads
    assert code == 2 and "unknown key" not in err
    assert "--rules 'rules.yaml' looks like shift rules for wfm.schedule_weeks and wfm schedule --rules (it has week, " \
           "open_hours, time_limit, mip_gap), not roster rules. Roster rules (wfm.roster_agents, wfm roster --rules) " \
           "have the keys start, days, " in err
    assert "put the shift rules (shifts, week, open_hours, max_heads, max_cost) under schedule: to size " \
           "an interval requirement with them, " + time in err
    code, err = roster({"schedule": section})  # a scenario's schedule section as it stands
    assert code == 2 and "schedule: holds time_limit, mip_gap, solver options of a scenario's schedule section" in err
    assert time in err
    # what the messages say to do works: the shift rules under schedule:, the solver options left out
    code, err = roster({"schedule": {k: x for k, x in section.items() if k not in ("time_limit", "mip_gap")}})
    assert code == 0, err


@pytest.mark.parametrize("days, rate", [(5, None), (12, 20.0)])
def test_schedule_says_what_its_figures_are(tmp_path, capsys, monkeypatch, days, rate):
    import yaml

    import wfm.schedule

    idx = pd.date_range("2024-01-01", periods=days * 48, freq="30min")  # labelled synthetic: a flat 3 agents
    idx = idx[(idx.hour >= 8) & (idx.hour < 18) & (idx.day_of_week < 5)]
    pd.DataFrame({"agents": 3}, index=pd.Index(idx, name="timestamp")).to_csv(tmp_path / "plan.csv")
    shift = {"name": "D", "paid": "5h", "starts": ["08:00", "13:00"], **({"cost_per_paid_hour": rate} if rate else {})}
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump({"shifts": [shift], "week": {"days_per_week": 5}}))
    made = []
    real = wfm.schedule.schedule_weeks
    monkeypatch.setattr(wfm.schedule, "schedule_weeks", lambda *a, **k: made.append(real(*a, **k)) or made[-1])
    assert cli.main(["schedule", "--requirement", str(tmp_path / "plan.csv"), "--rules", str(tmp_path / "rules.yaml"),
                     "--time-limit", "10", "--out", str(tmp_path / "s")]) == 0
    out = capsys.readouterr().out
    f = made[0].figures()
    shifts = pd.read_csv(tmp_path / "s" / "shifts.csv")
    assert f["paid_hours"] == 5 * shifts["agents"].sum()  # every shift is the 5 h template
    weeks = 2 if days > 7 else 1
    assert f.get("weeks", 1) == weeks
    line = f"{f['heads']} heads, {f['paid_hours']:,.1f} paid hours"
    if rate:
        assert f["cost"] == pytest.approx(rate * f["paid_hours"])
        line += (f" ({f['paid_hours'] / 2:,.1f} per week over 2 weeks), cost {f['cost']:,.2f} (paid hours x the "
                 "shifts' cost_per_paid_hour), optimal")
    else:
        line += " in the week (no cost: the shift rules set no cost_per_paid_hour), optimal"
        assert ", cost " not in out  # the paid hours are not shown again as a cost
    assert line in out, out
    assert "the FTE to employ (heads grossed up for the shrinkage shifts do not cover, over the hours of one FTE) " \
           "is in the headline of wfm run" in out


@pytest.mark.parametrize("flags, python, message", [
    (["--service-level", "80"], dict(service_level=80), "--service-level must be a fraction in (0, 1]; got 80. "
                                                        "Did you mean 0.80?"),
    (["--max-occupancy", "85"], dict(max_occupancy=85), "--max-occupancy must be a fraction in (0, 1]; got 85. "
                                                        "Did you mean 0.85?"),
    (["--model", "erlang_a", "--patience", "120", "--max-abandon-rate", "5"],
     dict(model="erlang_a", patience=120, max_abandon_rate=5), "--max-abandon-rate must be a fraction in [0, 1]; "
                                                               "got 5. Did you mean 0.05?"),
    (["--shrinkage", "30"], dict(shrinkage=30), "--shrinkage must be a fraction in [0, 1); got 30. Did you mean 0.30?"),
    (["--shrinkage", "breaks=10,absence=0.1"], dict(shrinkage={"breaks": 10, "absence": 0.1}),
     "--shrinkage breaks must be a fraction in [0, 1); got 10. Did you mean 0.10?"),
    (["--probability", "80"], dict(probability=80), "--probability must be a fraction in (0, 1); got 80. "
                                                    "Did you mean 0.80?"),
    (["--level", "80"], dict(level=80), "--level must be a fraction in (0, 1); got 80. Did you mean 0.80?"),
])
def test_a_percentage_to_staff_names_the_flag_on_the_command_line(tmp_path, capsys, flags, python, message):
    # Before, `wfm staff --service-level 80` said "service_level must be a fraction in (0, 1]; got 80.0 at 4 of 4
    # intervals, positions [0, 1, 2, 3] (...)": the Python argument, and positions for the one number typed.
    idx = pd.date_range("2024-01-01 08:00", periods=4, freq="30min", name="timestamp")
    fc = pd.DataFrame({"forecast": [100.0, 120.0, 90.0, 60.0]}, index=idx).assign(
        lower=lambda d: d["forecast"] * 0.9, upper=lambda d: d["forecast"] * 1.1)
    fc.to_csv(tmp_path / "fc.csv")
    out = tmp_path / "plan.csv"
    assert cli.main(["staff", "--forecast", str(tmp_path / "fc.csv"), "--aht", "240", *flags, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"wfm staff: error: {message} Targets and rates are fractions, not percentages."
    assert not out.exists()
    with pytest.raises(ValueError, match=f"^{next(iter(python)) if len(python) == 1 else 'max_abandon_rate'}"):
        wfm.staffing_plan_from_forecast(fc, 240, **python)  # from Python, the argument is named


@pytest.mark.parametrize("flags,message", [
    (["--service-level", "80"], "--service-level must be a fraction in (0, 1]; got 80. Did you mean 0.80?"),
    (["--shrinkage", "35"], "--shrinkage must be a fraction in [0, 1); got 35. Did you mean 0.35?"),
])
def test_a_percentage_to_demo_names_the_flag(tmp_path, capsys, flags, message):
    # Before, `wfm demo --service-level 80` named service_level and listed 140 interval positions for one number.
    assert cli.main(["demo", *flags, "--out", str(tmp_path / "demo")]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"wfm demo: error: {message} Targets and rates are fractions, not percentages."
    assert not (tmp_path / "demo").exists()


@pytest.mark.parametrize("command, flags, python, message", [
    ("staff", ["--threshold", "-5"], dict(threshold=-5), "--threshold must be >= 0 seconds; got -5."),
    ("staff", ["--model", "erlang_a", "--patience", "-30"], dict(model="erlang_a", patience=-30),
     "--patience must be > 0 seconds; got -30."),
    ("simulate", ["--threshold", "-5"], dict(threshold=-5), "--threshold must be >= 0 seconds; got -5."),
    ("simulate", ["--patience", "0"], dict(patience=0), "--patience must be > 0 seconds; got 0."),
])
def test_a_negative_time_names_the_flag(tmp_path, capsys, command, flags, python, message):
    # Before, `wfm staff --threshold -5` said "threshold must be >= 0 seconds; got -5.0 at 4 of 4 intervals,
    # positions [0, 1, 2, 3] (...)" and wfm simulate warned it implausible first: the Python argument, not the flag.
    idx = pd.date_range("2024-01-01 08:00", periods=4, freq="30min", name="timestamp")
    table = pd.DataFrame({"forecast": [100.0, 120.0, 90.0, 60.0]}, index=idx)
    if command == "simulate":
        table = table.rename(columns={"forecast": "calls"}).assign(agents=20)
    table.to_csv(tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    source = "--forecast" if command == "staff" else "--plan"
    assert cli.main([command, source, str(tmp_path / "in.csv"), "--aht", "240", *flags, "--out", str(out)]) == 2
    assert capsys.readouterr().err.strip() == f"wfm {command}: error: {message}"
    assert not out.exists()
    call = (lambda: wfm.staffing_plan(table["forecast"], 240, **python)) if command == "staff" else \
        (lambda: wfm.simulate(table["calls"], 240, table["agents"], replications=1, **python))
    with pytest.raises(ValueError, match=f"^{list(python)[-1]} must be"):
        call()  # from Python, the argument is named
