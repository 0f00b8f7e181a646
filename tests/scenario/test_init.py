"""From a centre's own export to its report and workbook in two commands: `wfm init`, then `wfm run`."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import wfm
from wfm import cli
from wfm.scenario.draft import draft_scenario

from .test_end_to_end import _printed_headline, _report_headline

EXAMPLES = Path(wfm.__file__).parent / "datasets" / "data" / "examples"
LOG_FLAGS = ["--dayfirst", "--na", "ser_start=0:00:00", "--na", "ser_exit=0:00:00", "--na", "server=NO_SERVER",
             "--na", "customer_id=0", "--filter", "type=PS"]
CASES = {  # export, wfm init flags: the README's own-data commands
    "sun_thu_report": ("interval_report.csv", []),
    "contact_log": ("contact_log.csv", LOG_FLAGS),
    "around_the_clock": ("interval_report_24x7.csv", []),
}


@pytest.fixture(scope="module", params=list(CASES))
def two_commands(request, tmp_path_factory):
    """wfm init and wfm run on one shipped export; module scope: the outputs are only read."""
    export, flags = CASES[request.param]
    folder = tmp_path_factory.mktemp(request.param)
    scenario = folder / "centre.yaml"
    assert cli.main(["init", str(EXAMPLES / export), "--out", str(scenario), "--quiet", *flags]) == 0
    text = scenario.read_text()
    s = yaml.safe_load(text)
    s["simulate"]["replications"] = 2  # the test's one change: a shorter simulation check
    scenario.write_text(yaml.safe_dump(s))
    import contextlib
    import io

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = cli.main(["run", str(scenario), "--out", str(folder / "out"), "--jobs", "1"])
    return request.param, text, code, folder / "out", printed.getvalue()


def test_the_run_of_the_drafted_scenario_passes_and_writes_report_and_workbook(two_commands):
    case, _, code, out, printed = two_commands
    assert code == 0, printed
    assert (out / "report.html").stat().st_size > 0 and (out / "wfm_plan.xlsx").stat().st_size > 0


def test_one_fte_everywhere_and_it_follows_from_heads(two_commands):
    """FTE to employ = heads to employ x paid hours per head / 37.5 h; the same text in CLI, report, workbook."""
    _, _, code, out, printed = two_commands
    assert code == 0, printed
    sheets = pd.read_excel(out / "wfm_plan.xlsx", sheet_name=None, keep_default_na=False)
    book = sheets["summary"].set_index("figure")
    f = book["value"]
    np.testing.assert_allclose(float(f["heads_to_employ"]) * float(f["paid_hours_per_head"]),
                               float(f["fte"]) * 37.5, rtol=1e-9)
    cards = _report_headline((out / "report.html").read_text().split("<section", 2)[1])
    cli_lines = _printed_headline(printed)
    for key in ("fte", "required_fte", "heads_to_employ"):
        assert cards[key][0] == book.loc[key, "text"] == cli_lines[book.loc[key, "label"]], key
    v = pd.read_csv(out / "variants.csv").set_index("variant").loc["base"]
    assert f"{v['fte']:,.1f}" == book.loc["fte", "text"]


def test_what_was_detected_and_what_is_assumed(two_commands):
    case, text, *_ = two_commands
    s = yaml.safe_load(text)
    week_start = {"sun_thu_report": "SUN", "contact_log": "SUN", "around_the_clock": "MON"}[case]
    assert s["horizon"]["week_start"] == week_start
    assert s["horizon"]["days"] == (7 if case == "around_the_clock" else 5)
    # every default the data cannot show is marked
    for key in ("service_level", "max_occupancy", "paid_hour"):
        assert re.search(rf"\b{key}: .*# ASSUMPTION", text), key
    if case == "around_the_clock":
        assert s["staffing"]["threshold"] == 30  # read from the 'Answered within 30s' column
        assert s["schedule"]["open_hours"] == "24h"
    else:
        assert s["schedule"]["open_hours"]["sun"] == ["08:00", "18:00"] and "fri" not in s["schedule"]["open_hours"]
    if case == "contact_log":
        assert s["staffing"]["model"] == "erlang_a" and 115 <= s["staffing"]["patience"] <= 182
    else:
        assert s["aht"] == {"forecast": True}


def test_day_first_dates_are_taken_only_when_one_order_gives_a_calendar(tmp_path):
    draft = draft_scenario(EXAMPLES / "interval_report.csv")
    assert draft.detected["dayfirst"] is True and draft.detected["dayfirst_how"] == "detected"
    # one day, 02/03/2024: 2 March or 3 February, and a single day is no calendar either way: refused
    raw = pd.read_csv(EXAMPLES / "interval_report.csv")
    raw.head(20).assign(Date="02/03/2024").to_csv(tmp_path / "one.csv", index=False)
    with pytest.raises(ValueError, match="--dayfirst or --monthfirst"):
        draft_scenario(tmp_path / "one.csv")
    # 06/06 and 06/07: 6 June and 6 July day-first (a month apart), 6 and 7 June month-first: month-first
    raw.head(40).assign(Date=["06/06/2024"] * 20 + ["06/07/2024"] * 20).to_csv(tmp_path / "two.csv", index=False)
    assert draft_scenario(tmp_path / "two.csv").detected["dayfirst"] is False


def test_unknown_outcome_codes_are_named_not_guessed(tmp_path):
    raw = pd.read_csv(EXAMPLES / "contact_log.csv").head(50).assign(outcome="X9")
    raw.to_csv(tmp_path / "log.csv", index=False)
    with pytest.raises(ValueError, match=r"\['X9'\].*--outcomes"):
        draft_scenario(tmp_path / "log.csv", dayfirst=True)


def _error(call):
    with pytest.raises((ValueError, TypeError)) as info:  # TypeError: text where a number or time belongs
        call()
    return str(info.value)


@pytest.mark.parametrize("defect", ["blank cell", "repeated interval", "Total row"])
def test_an_error_of_the_rows_is_the_readers_own_not_a_day_month_question(tmp_path, defect):
    """The day/month order is decided on the dates alone: a bad row gets the error it gets with --dayfirst."""
    raw = pd.read_csv(EXAMPLES / "interval_report.csv", dtype=str)
    if defect == "blank cell":
        raw.loc[5, "Abandoned"] = None  # file line 7
        expected = r"column 'Abandoned' is NaN \(empty\) in 1 of 400 rows: rows \[7\]"
    elif defect == "repeated interval":
        raw = pd.concat([raw.iloc[:9], raw.iloc[[8]], raw.iloc[9:]])  # lines 10 and 11 are the same interval
        expected = r"repeats an interval in 2 of 401 rows: rows \[10, 11\]"
    else:
        raw.loc[len(raw)] = ["27/06/2024", "Total", "2658", "2500", "158", "700000", "2000"]  # line 402
        expected = r"column 'Interval' .* rows \[402\] \(values 'Total'\)"
    raw.to_csv(tmp_path / "export.csv", index=False)
    detected = _error(lambda: draft_scenario(tmp_path / "export.csv"))
    assert re.search(expected, detected) and "day-first" not in detected, detected
    assert detected == _error(lambda: draft_scenario(tmp_path / "export.csv", dayfirst=True))
    # the same rows month-first: the order is detected the other way, the error is the same
    raw["Date"] = pd.to_datetime(raw["Date"], format="%d/%m/%Y").dt.strftime("%m/%d/%Y")
    raw.to_csv(tmp_path / "us.csv", index=False)
    assert re.search(expected, _error(lambda: draft_scenario(tmp_path / "us.csv")))


def _init_and_run(export, folder, *flags):
    """wfm init then wfm run (2 replications); the printed headline, label -> text."""
    import contextlib
    import io

    scenario = folder / "centre.yaml"
    assert cli.main(["init", str(export), "--out", str(scenario), "--quiet", *flags]) == 0
    s = yaml.safe_load(scenario.read_text())
    s["simulate"]["replications"] = 2
    scenario.write_text(yaml.safe_dump(s))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert cli.main(["run", str(scenario), "--out", str(folder / "out"), "--jobs", "1"]) == 0
    return s, _printed_headline(printed.getvalue())


def test_rows_left_out_or_set_aside_at_init_are_left_out_by_the_run_too(tmp_path):
    """A Total row: --exclude (or --on-bad-rows reject) is written to data, and the run equals the file without it."""
    total = tmp_path / "total.csv"
    total.write_text((EXAMPLES / "interval_report.csv").read_text()
                     + "27/06/2024,Total,10577,10239,338,2445957,9622\n")  # the columns' sums
    runs = {}
    for case, flags in {"clean": [], "exclude": ["--exclude", "Interval == 'Total'"]}.items():
        (tmp_path / case).mkdir()
        runs[case] = _init_and_run(EXAMPLES / "interval_report.csv" if case == "clean" else total, tmp_path / case,
                                   *flags)
    assert runs["exclude"][0]["data"]["exclude"] == ["Interval == 'Total'"]
    assert {"required FTE (workload, before shifts)", "heads to employ"} <= set(runs["clean"][1])
    assert runs["exclude"][1] == runs["clean"][1]
    # --on-bad-rows reject: the row is written aside at init, and the scenario reads the clean history
    assert cli.main(["init", str(total), "--out", str(tmp_path / "reject.yaml"), "--quiet", "--on-bad-rows",
                     "reject"]) == 0
    assert yaml.safe_load((tmp_path / "reject.yaml").read_text())["data"]["on_bad_rows"] == "reject"
    assert (tmp_path / "reject_rejected.csv").read_text().splitlines()[1].startswith("402,27/06/2024,Total")
    read = [wfm.scenario.load_history(wfm.scenario.load_scenario(p))
            for p in (tmp_path / "reject.yaml", tmp_path / "clean" / "centre.yaml")]
    pd.testing.assert_frame_equal(*(next(iter(h.values())) for h in read))
    # without them the Total row stops the run, naming its line
    with pytest.raises(TypeError, match=r"rows \[402\] \(values 'Total'\)"):
        draft_scenario(total)


def test_a_contact_logs_reader_flags_are_honoured_as_wfm_history_honours_them(tmp_path, capsys):
    """init's history of the log is the one `wfm history` writes with the same flags (and they change it)."""
    flags = [*LOG_FLAGS, "--exclude", "outcome == 'PHANTOM'", "--zero-wait-abandons", "drop", "--skew", "5"]
    for folder, more in (("plain", LOG_FLAGS), ("flags", flags)):
        assert cli.main(["init", str(EXAMPLES / "contact_log.csv"), "--out", str(tmp_path / folder / "c.yaml"),
                         "--quiet", *more]) == 0
    columns = "arrival=q_start,answer=ser_start,abandon=q_exit,end=ser_exit,agent=server,customer=customer_id,date=date"
    assert cli.main(["history", str(EXAMPLES / "contact_log.csv"), "--out", str(tmp_path / "h.csv"), "--quiet",
                     "--columns", columns, "--outcomes", "AGENT=answered,HANG=abandoned,PHANTOM=other", *flags]) == 0
    made, plain = (pd.read_csv(tmp_path / f / "contact_log_history.csv") for f in ("flags", "plain"))
    pd.testing.assert_frame_equal(made, pd.read_csv(tmp_path / "h.csv"))
    assert made["calls"].sum() == plain["calls"].sum() - 2  # the two 0-s abandons dropped
    assert "2 row(s) abandoned after a wait of 0 s" in capsys.readouterr().err


def test_a_contact_log_option_for_an_interval_report_is_an_error_not_ignored(tmp_path, capsys):
    code = cli.main(["init", str(EXAMPLES / "interval_report.csv"), "--out", str(tmp_path / "s.yaml"),
                     "--skew", "0", "--zero-wait-abandons", "drop"])
    assert code == 2 and not (tmp_path / "s.yaml").exists()
    assert ("--skew 0.0, --zero-wait-abandons drop: option(s) of a contact log (one row per contact), but "
            "interval_report.csv is read as an interval report") in capsys.readouterr().err


@pytest.mark.parametrize("header", ["Handle Time (min)", "Handle Time [h]", "Handle Time ms", "AHT (min)"])
def test_handle_times_in_another_unit_are_refused_and_the_fix_given_is_right(tmp_path, header):
    """wfm reads seconds: a header naming minutes, hours or ms is an error whose fix reads the same history."""
    raw = pd.read_csv(EXAMPLES / "interval_report.csv")
    seconds = raw.pop("Handle Time (s)")
    if header.startswith("AHT"):
        seconds = seconds / raw["Answered"]  # per answered call
    per = {"min": 60, "h": 3600, "ms": 0.001}[re.search(r"(min|h|ms)\W*$", header).group(1)]
    raw.insert(5, header, seconds / per)
    raw.to_csv(tmp_path / "unit.csv", index=False)
    message = _error(lambda: draft_scenario(tmp_path / "unit.csv"))
    unit = {60: "minutes", 3600: "hours", 0.001: "milliseconds"}[per]
    assert message.startswith(f"column {header!r} ({'aht' if header.startswith('AHT') else 'handle_time'}) gives "
                              f"handle times in {unit}, by its header; wfm reads"), message
    # do what the message says, then the history read is the seconds version's
    op, factor, name = re.search(r"\((multiply by|divide by) ([\d.]+)\) and name it e\.g\. '(.+?)'", message).groups()
    raw[header] = raw[header] * float(factor) if op == "multiply by" else raw[header] / float(factor)
    raw.rename(columns={header: name}).to_csv(tmp_path / "fixed.csv", index=False)
    histories = []
    for export in (tmp_path / "fixed.csv", EXAMPLES / "interval_report.csv"):
        path = tmp_path / f"{export.stem}.yaml"
        draft_scenario(export, folder=tmp_path).write(path)
        histories.append(wfm.scenario.load_history(wfm.scenario.load_scenario(path)))
    fixed, original = (next(iter(h.values())) for h in histories)
    np.testing.assert_allclose(fixed["aht"], original["aht"], rtol=1e-9)


def _two_queues(folder):
    """The example report as queue 'Retail' and its last week again as 'Business', in a Queue column."""
    raw = pd.read_csv(EXAMPLES / "interval_report.csv", dtype=str)
    dates = pd.to_datetime(raw["Date"], format="%d/%m/%Y")
    business = raw[dates > dates.max() - pd.Timedelta(days=7)]
    pd.concat([raw.assign(Queue="Retail"), business.assign(Queue="Business")]).to_csv(folder / "multiq.csv",
                                                                                      index=False)
    business.to_csv(folder / "business.csv", index=False)
    return folder / "multiq.csv"


def test_a_report_of_several_queues_is_drafted_with_data_queue_and_planned_queue_by_queue(tmp_path):
    export = _two_queues(tmp_path)
    s, _ = _init_and_run(export, tmp_path, "--dayfirst", "--columns", "queue=Queue")
    assert s["data"]["queue"] == "Queue" and "queue" not in s["data"]["columns"]
    assert s["forecast"]["backtest"] is None  # the shortest queue has one week: too little to backtest
    v = pd.read_csv(tmp_path / "out" / "variants.csv")
    assert sorted(v["queue"]) == ["Business", "Retail"] and (v["status"] == "ok").all()
    # each queue's history is the one its rows give alone
    loaded = wfm.scenario.load_scenario(tmp_path / "centre.yaml")
    split = wfm.scenario.load_history(loaded)
    for queue, alone in (("Retail", EXAMPLES / "interval_report.csv"), ("Business", tmp_path / "business.csv")):
        options = dict(columns=s["data"]["columns"], dayfirst=True, missing="zero")
        pd.testing.assert_frame_equal(split[queue], wfm.logs.read_history(alone, **options), check_freq=False)


def test_a_bad_row_of_one_queue_names_its_file_line_and_its_queue(tmp_path):
    export = _two_queues(tmp_path)
    raw = pd.read_csv(export, dtype=str)
    raw.loc[448, "Abandoned"] = None  # file line 450, a row of Business
    raw.to_csv(export, index=False)
    scenario = {"name": "mq", "aht": 300, "data": {"path": str(export), "queue": "Queue", "dayfirst": True,
                                                   "columns": {"date": "Date", "time": "Interval", "calls": "Offered",
                                                               "abandoned": "Abandoned"}}}
    expected = "multiq.csv: queue 'Business': column 'Abandoned' is NaN (empty) in 1 of 500 rows: rows [450]"
    with pytest.raises(wfm.scenario.ScenarioError, match=re.escape(expected)):
        wfm.scenario.load_history(wfm.scenario.load_scenario(scenario))
    # the queue column named in data.columns (as wfm init used to write it) splits the file the same way
    scenario["data"]["columns"]["queue"] = scenario["data"].pop("queue")
    with pytest.raises(wfm.scenario.ScenarioError, match=re.escape(expected)):
        wfm.scenario.load_history(wfm.scenario.load_scenario(scenario))


def test_init_says_the_calls_a_week_and_the_aht_it_read(tmp_path, capsys):
    """The summary line shows the volume read, so a unit slip (averages read as totals, minutes as seconds) shows
    before the run. Hand count from the export: four Sunday-Thursday weeks (2 to 27 June 2024, 3.7 calendar weeks)
    of Offered, and the AHT as all handle seconds over all calls answered."""
    raw = pd.read_csv(EXAMPLES / "interval_report.csv")
    per_week = raw["Offered"].sum() / 4
    aht = raw["Handle Time (s)"].sum() / raw["Answered"].sum()
    assert cli.main(["init", str(EXAMPLES / "interval_report.csv"), "--out", str(tmp_path / "s.yaml")]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert f"read {per_week:,.0f} calls a week, AHT {aht:,.0f} s;" in line
    draft = draft_scenario(EXAMPLES / "interval_report.csv")
    assert draft.detected["calls_per_week"] == pytest.approx(per_week, rel=1e-12)
    assert draft.detected["aht"] == pytest.approx(aht, rel=1e-9)


def test_a_column_found_by_its_usual_name_can_be_left_out(tmp_path, capsys):
    """The example report with an 'Abandoned' column that holds no numbers: init names it; --columns abandoned=-
    leaves it out (no column is taken for the role), and the scenario maps every other column as before."""
    report = pd.read_csv(EXAMPLES / "interval_report.csv")
    report["Abandoned"] = "see IVR report"
    report.to_csv(tmp_path / "export.csv", index=False)
    base = ["init", str(tmp_path / "export.csv"), "--quiet"]
    assert cli.main([*base, "--out", str(tmp_path / "a.yaml")]) == 2
    assert "Abandoned" in capsys.readouterr().err
    assert cli.main([*base, "--out", str(tmp_path / "b.yaml"), "--columns", "abandoned=-"]) == 0
    assert cli.main(["init", str(EXAMPLES / "interval_report.csv"), "--quiet", "--out", str(tmp_path / "c.yaml")]) == 0
    left, full = (yaml.safe_load((tmp_path / f).read_text())["data"]["columns"] for f in ("b.yaml", "c.yaml"))
    assert full.pop("abandoned") == "Abandoned" and left == full
    # the same in Python, for the answered-within column: the threshold is then an assumption, not read
    draft = draft_scenario(EXAMPLES / "interval_report.csv", columns={"answered_within": "-"})
    assert "answered_within" not in draft.detected["columns"] and draft.detected["threshold"] is None
