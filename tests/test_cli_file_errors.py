"""wfm history, wfm init (and wfm forecast --history) name the file an error is about, as wfm staff does
(``--forecast 'f.csv': column ...``): the error starts with the file (and its flag, when it came from one)."""

from pathlib import Path

import pandas as pd

from wfm import cli

EXAMPLES = Path(__file__).resolve().parents[1] / "wfm" / "datasets" / "data" / "examples"
LOG_FLAGS = ["--columns", "arrival=q_start,abandon=q_exit,answer=ser_start,end=ser_exit,agent=server",
             "--outcomes", "AGENT=answered,HANG=abandoned,PHANTOM=other", "--na", "ser_start=0:00:00",
             "--na", "ser_exit=0:00:00", "--na", "server=NO_SERVER", "--filter", "type=PS", "--dayfirst"]


def bad_date(tmp_path, example, column, value, name):
    """The shipped example with ``value`` in ``column`` of its 3rd row (line 4 of the file, the header line 1)."""
    raw = pd.read_csv(EXAMPLES / example, dtype=str)
    raw.loc[2, column] = value
    path = tmp_path / name
    raw.to_csv(path, index=False)
    return path


def test_history_names_the_contact_log(tmp_path, capsys):
    path = bad_date(tmp_path, "contact_log.csv", "date", "23/13/2024", "june_calls.csv")
    assert cli.main(["history", str(path), "--out", str(tmp_path / "h.csv")] + LOG_FLAGS) == 2
    err = capsys.readouterr().err
    assert err.startswith("wfm history: error: 'june_calls.csv': column 'date' must hold dates")
    assert "rows [4] (values '23/13/2024')" in err


def test_init_names_the_contact_log_and_the_interval_report(tmp_path, capsys):
    log = bad_date(tmp_path, "contact_log.csv", "date", "23/13/2024", "june_calls.csv")
    assert cli.main(["init", str(log), "--out", str(tmp_path / "a.yaml")] + LOG_FLAGS) == 2
    err = capsys.readouterr().err
    assert err.startswith("wfm init: error: 'june_calls.csv': column 'date' must hold dates")
    assert "rows [4] (values '23/13/2024')" in err
    report = bad_date(tmp_path, "interval_report.csv", "Date", "31/06/2024", "june_report.csv")
    assert cli.main(["init", str(report), "--dayfirst", "--out", str(tmp_path / "b.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("wfm init: error: 'june_report.csv': column 'Date' must hold dates")
    assert "rows [4] (values '31/06/2024')" in err
    # the same report through a flag: the flag comes first
    assert cli.main(["forecast", "--history", str(report), "--dayfirst", "--columns",
                     "date=Date,time=Interval,calls=Offered", "--out", str(tmp_path / "f.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("wfm forecast: error: --history 'june_report.csv': column 'Date' must hold dates")


def test_an_error_that_names_the_file_already_is_not_named_twice(tmp_path, capsys):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert cli.main(["history", str(empty), "--out", str(tmp_path / "h.csv")] + LOG_FLAGS) == 2
    err = capsys.readouterr().err
    assert err.count("empty.csv") == 1
