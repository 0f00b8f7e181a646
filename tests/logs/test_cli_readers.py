"""The reader options on the command line: `wfm history` and `wfm forecast --history` take every new option as a
flag, and the readers' messages name the flags, not the Python arguments."""

from pathlib import Path

import pandas as pd

from wfm import cli

EXAMPLES = Path(__file__).resolve().parents[2] / "wfm" / "datasets" / "data" / "examples"
LOG_FLAGS = ["--columns", "arrival=q_start,abandon=q_exit,answer=ser_start,end=ser_exit,agent=server",
             "--outcomes", "AGENT=answered,HANG=abandoned,PHANTOM=other", "--na", "ser_start=0:00:00",
             "--na", "ser_exit=0:00:00", "--na", "server=NO_SERVER", "--filter", "type=PS", "--dayfirst"]


def example_log(tmp_path, edit):
    raw = pd.read_csv(EXAMPLES / "contact_log.csv", dtype=str)
    edit(raw)
    path = tmp_path / "log.csv"
    raw.to_csv(path, index=False)
    return path, raw


def test_skew_and_placeholder_messages_name_the_flags(tmp_path, capsys):
    def skewed(raw):  # line 12 (row 10): an answered call's service start 16 s before its queue start
        raw.loc[10, ["q_start", "q_exit", "ser_start"]] = ["8:30:16", "8:30:16", "8:30:00"]
    path, _ = example_log(tmp_path, skewed)
    out = tmp_path / "h.csv"
    assert cli.main(["history", str(path), "--out", str(out)] + LOG_FLAGS) == 2
    err = capsys.readouterr().err
    assert "column 'answer' (mapped from 'ser_start') must not be before 'arrival'" in err
    assert "rows [12]" in err and "pass --skew 16" in err and "--on-bad-rows reject" in err
    assert "skew=" not in err and "on_bad_rows" not in err

    def placeholder(raw):  # line 42 (row 40): the queue start is the placeholder 0:00:00
        raw.loc[40, "q_start"] = "0:00:00"
    path, _ = example_log(tmp_path, placeholder)
    assert cli.main(["history", str(path), "--out", str(out)] + LOG_FLAGS) == 0  # read, with warnings
    err = capsys.readouterr().err
    assert "warning: column 'arrival' (mapped from 'q_start') holds times at exactly 00:00:00" in err
    assert "rows [42]" in err and "--na q_start=0:00:00 and set those rows aside with --on-bad-rows reject" in err
    assert "--fallback q_start=OtherColumn" in err and "na_values" not in err
    assert "implausible waits: column 'wait' is over 2 h" in err and "rows [42]" in err


def test_bad_rows_are_written_beside_the_output(tmp_path, capsys):
    def broken(raw):  # lines 5 and 9: text where a time belongs, an answer a minute before the arrival
        raw.loc[3, "q_start"] = "lunch"
        raw.loc[7, "ser_start"] = "7:00:00"
    path, raw = example_log(tmp_path, broken)
    out = tmp_path / "h.csv"
    assert cli.main(["history", str(path), "--out", str(out), "--on-bad-rows", "reject"] + LOG_FLAGS) == 0
    printed = capsys.readouterr().out
    rejected = pd.read_csv(tmp_path / "h_rejected.csv", dtype=str)
    assert rejected["line"].tolist() == ["5", "9"] and rejected["q_start"].iloc[0] == "lunch"
    assert list(rejected.columns[1:-1]) == list(raw.columns)
    assert "rejected: 2 row(s) set aside, written to" in printed and "h_rejected.csv" in printed
    table = pd.read_csv(out, index_col=0)
    kept = raw[(raw["type"] == "PS") & (raw["outcome"] != "PHANTOM")]
    assert table["calls"].sum() == len(kept) - 2
    # --rejected FILE alone sets rows aside too, to that file
    assert cli.main(["history", str(path), "--out", str(out), "--rejected", str(tmp_path / "bad.csv"),
                     "--quiet"] + LOG_FLAGS) == 0
    assert len(pd.read_csv(tmp_path / "bad.csv")) == 2


def test_exclude_fallback_and_zero_wait_abandons_as_flags(tmp_path, capsys):
    def ivr(raw):  # ten more HANG rows hung up at once, among the 78 abandons
        answered = raw.index[raw["outcome"] == "AGENT"][:10]
        raw.loc[answered, "q_exit"] = raw.loc[answered, "q_start"]
        raw.loc[answered, ["outcome", "ser_start", "ser_exit", "server"]] = ["HANG", "0:00:00", "0:00:00",
                                                                             "NO_SERVER"]
    path, raw = example_log(tmp_path, ivr)
    out = tmp_path / "h.csv"
    assert cli.main(["history", str(path), "--out", str(out)] + LOG_FLAGS) == 0
    captured = capsys.readouterr()
    # 2 zero-wait abandons in the example plus the 10 made here, of 77 + 10 abandons in queue PS (lines 2-11
    # are the first ten answered calls of the file)
    assert "12 of 87 abandons (14%) waited 0 s (12 of 2659 rows: rows [2, 3, 4, 5, 6, ...])" in captured.err and "--zero-wait-abandons drop" in captured.err
    assert cli.main(["history", str(path), "--out", str(out), "--zero-wait-abandons", "drop"] + LOG_FLAGS) == 0
    captured = capsys.readouterr()
    assert "abandons" not in captured.err and "12 row(s) abandoned after a wait of 0 s" in captured.out
    # the same rows by an expression on two columns
    assert cli.main(["history", str(path), "--out", str(out), "--exclude",
                     "outcome == 'HANG' and q_exit == q_start"] + LOG_FLAGS) == 0
    assert "12 row(s) matched the exclusion" in capsys.readouterr().out
    # a bad expression names the flag
    assert cli.main(["history", str(path), "--out", str(out), "--exclude", "outcome = 'HANG'"] + LOG_FLAGS) == 2
    assert "--exclude \"outcome = 'HANG'\" is not an expression" in capsys.readouterr().err


def test_forecast_sets_aside_bad_report_rows(tmp_path, capsys):
    raw = pd.read_csv(EXAMPLES / "interval_report.csv", dtype=str)
    raw.loc[5, "Offered"] = "lots"  # line 7
    report = tmp_path / "report.csv"
    raw.to_csv(report, index=False)
    columns = "date=Date,time=Interval,calls=Offered,answered=Answered,handle_time=Handle Time (s)"
    out = tmp_path / "fc.csv"
    base = ["forecast", "--history", str(report), "--columns", columns, "--dayfirst", "--method", "seasonal_naive",
            "--days", "5", "--out", str(out)]
    assert cli.main(base) == 2
    assert "column 'Offered' holds non-numeric values in 1 of 400 rows: rows [7]" in capsys.readouterr().err
    assert cli.main(base + ["--on-bad-rows", "reject", "--missing", "interpolate"]) == 0
    printed = capsys.readouterr().out
    assert "rejected: 1 row(s) set aside" in printed
    assert pd.read_csv(tmp_path / "fc_rejected.csv")["line"].tolist() == [7]
