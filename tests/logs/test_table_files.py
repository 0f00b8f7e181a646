"""CSV files as spreadsheets save them: semicolon or tab delimiters, UTF-16 and Windows-1252 text, decimal commas.

Each delimiter case is cross-checked against the shipped comma file it was written from; each error is checked
for its exact text (the file, what it looks like, how to save it).
"""

import warnings
from pathlib import Path

import pandas as pd
import pytest

from wfm.logs import DataWarning, read_contacts, read_header, read_history, read_table

EXAMPLES = Path(__file__).resolve().parents[2] / "wfm" / "datasets" / "data" / "examples"
REPORT = EXAMPLES / "interval_report.csv"
COLUMNS = {"date": "Date", "time": "Interval", "calls": "Offered", "answered": "Answered",
           "handle_time": "Handle Time (s)"}


@pytest.mark.parametrize("sep, suffix", [(";", ".csv"), ("\t", ".txt"), (";", ".csv.gz")])
def test_semicolon_and_tab_files_read_as_the_comma_file(tmp_path, sep, suffix):
    raw = pd.read_csv(REPORT, dtype=str)
    path = tmp_path / f"report{suffix}"
    raw.to_csv(path, sep=sep, index=False)
    assert sep in path.read_bytes().decode() if suffix != ".csv.gz" else True
    got, rows, where = read_table(path, text=True)
    want, want_rows, _ = read_table(REPORT, text=True)
    pd.testing.assert_frame_equal(got, want)
    assert rows.tolist() == want_rows.tolist() and where == f"file {path.name} (rows are line numbers)"
    assert read_header(path) == read_header(REPORT) == list(raw.columns)
    pd.testing.assert_frame_equal(read_history(path, columns=COLUMNS, dayfirst=True),
                                  read_history(REPORT, columns=COLUMNS, dayfirst=True))


def test_semicolon_contact_log_reads_as_the_comma_log(tmp_path):
    raw = pd.read_csv(EXAMPLES / "contact_log.csv", dtype=str)
    path = tmp_path / "log.csv"
    raw.to_csv(path, sep=";", index=False)
    kw = dict(columns={"arrival": "q_start", "answer": "ser_start", "end": "ser_exit", "abandon": "q_exit"},
              outcomes={"AGENT": "answered", "HANG": "abandoned", "PHANTOM": "other"}, dayfirst=True,
              na_values={"ser_start": "0:00:00", "ser_exit": "0:00:00"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        pd.testing.assert_frame_equal(read_contacts(path, **kw), read_contacts(EXAMPLES / "contact_log.csv", **kw))


REPORT_24x7 = EXAMPLES / "interval_report_24x7.csv"
COLUMNS_24x7 = {"timestamp": "Interval Start", "calls": "Calls Offered", "answered": "Calls Handled",
                "abandoned": "Abandoned", "aht": "Avg Handle Time (sec)", "answered_within": "Answered within 30s"}


@pytest.mark.filterwarnings("ignore:aht of:wfm._validation.UnitWarning")  # the file's AHTs under 20 s, as shipped
@pytest.mark.parametrize("sep, suffix", [(";", ".csv"), ("\t", ".txt"), ("\t", ".txt.gz")])
def test_semicolon_and_tab_files_with_decimal_points_read_as_the_comma_file(tmp_path, sep, suffix):
    """A semicolon or a tab between fields and a point for decimals read one way only: as the comma file does."""
    raw = pd.read_csv(REPORT_24x7, dtype=str)
    aht = raw["Avg Handle Time (sec)"].dropna()
    assert aht.str.fullmatch(r"\d+\.\d").all()  # the premise: the AHT has decimal points ('126.5')
    path = tmp_path / f"report{suffix}"
    raw.to_csv(path, sep=sep, index=False)
    for text in (False, True):
        got, rows, where = read_table(path, text=text)
        want, want_rows, _ = read_table(REPORT_24x7, text=text)
        pd.testing.assert_frame_equal(got, want)
        assert rows.tolist() == want_rows.tolist() and where == f"file {path.name} (rows are line numbers)"
    assert read_table(path)[0]["Avg Handle Time (sec)"].dtype == float
    pd.testing.assert_frame_equal(read_history(path, columns=COLUMNS_24x7), read_history(REPORT_24x7,
                                                                                         columns=COLUMNS_24x7))


def _hint(name, sep):
    return ("wfm does not guess which. Save the file with a point for decimals and no thousands separators (in Excel: "
            "File > Options > Advanced, untick 'Use system separators' and set the decimal separator to '.', then "
            f"Save As > 'CSV UTF-8 (Comma delimited)'); or, from Python, read it yourself, e.g. pandas.read_csv({name!r}, "
            f"sep={sep!r}, decimal=',', thousands='.'), and pass the DataFrame.")


@pytest.mark.parametrize("sep, what", [(";", "semicolon"), ("\t", "tab")])
def test_a_decimal_comma_is_an_error_naming_the_column_and_lines(tmp_path, sep, what):
    raw = pd.read_csv(REPORT, dtype=str).head(5).assign(AHT=["240", "243,5", "250", "260", "243,5"])
    path = tmp_path / "report.csv"
    raw.to_csv(path, sep=sep, index=False)
    with pytest.raises(ValueError) as err:
        read_table(path, "history")
    # data rows 1 and 4 are lines 3 and 6 (the header is line 1)
    assert str(err.value) == (
        f"history: file {str(path)!r} (rows are line numbers) is {what}-delimited, and its column 'AHT' holds numbers "
        "with a comma ('243,5' may be 243.5 with a decimal comma, '1,234' may be 1234 with a comma between "
        "thousands) in 2 of 5 rows: rows [3, 6] (values '243,5', '243,5'). " + _hint("report.csv", sep))
    with pytest.raises(ValueError, match=f"{what}-delimited"):
        read_header(path, "history")


def test_a_dot_with_three_digits_is_an_error_only_without_decimal_points_elsewhere(tmp_path):
    raw = pd.read_csv(REPORT, dtype=str).head(5).assign(AHT=["240", "1.234", "250", "260", "1.234"])
    path = tmp_path / "report.csv"
    raw.to_csv(path, sep=";", index=False)
    with pytest.raises(ValueError) as err:
        read_table(path, "history")
    assert str(err.value) == (
        f"history: file {str(path)!r} (rows are line numbers) is semicolon-delimited, and its column 'AHT' holds "
        "numbers with a dot and three digits after it, and no number of the file has a dot with other than three "
        "('1.234' may be 1234 with a dot between thousands, or 1.234) in 2 of 5 rows: rows [3, 6] (values "
        "'1.234', '1.234'). " + _hint("report.csv", ";"))
    # one number with a decimal point ('250.5') says what the dots are: 1.234 is one and a bit
    raw.assign(AHT=["240", "1.234", "250.5", "260", "1.234"]).to_csv(path, sep=";", index=False)
    assert read_table(path)[0]["AHT"].tolist() == [240.0, 1.234, 250.5, 260.0, 1.234]


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz"])
def test_rows_are_the_file_lines_past_blank_lines_and_quoted_line_breaks(tmp_path, suffix):
    """pandas skips blank lines and reads a quoted field over two lines as one row: the labels stay the lines."""
    import gzip

    text = ("\n"                              # line 1: blank, pandas skips it: the header is line 2
            "timestamp,calls,note\n"
            "2024-06-03 08:00,3,\n"           # line 3
            "\n"                              # line 4: blank
            "2024-06-03 08:30,4,\"two\nlines\"\n"  # lines 5-6: one row
            "   \n"                           # line 7: blank-looking
            "2024-06-03 09:00,x,\n")          # line 8
    path = tmp_path / f"calls{suffix}"
    path.write_bytes(gzip.compress(text.encode()) if suffix.endswith(".gz") else text.encode())
    frame, rows, where = read_table(path)
    assert frame["calls"].tolist() == ["3", "4", "x"] and frame["note"].iloc[1] == "two\nlines"
    # each row's line, found on the text itself: the line its timestamp starts
    lines = text.splitlines()
    starts = [next(n for n, line in enumerate(lines, start=1) if line.startswith(t)) for t in frame["timestamp"]]
    assert rows.tolist() == starts == [3, 5, 8]
    assert where == f"file {path.name} (rows are line numbers)"
    with pytest.raises(TypeError, match=r"column .calls. holds non-numeric values in 1 of 3 rows: rows \[8\]"):
        read_history(path)


def test_utf16_file_is_an_error_saying_how_to_save_it(tmp_path):
    path = tmp_path / "report.csv"
    pd.read_csv(REPORT, dtype=str).to_csv(path, index=False, encoding="utf-16")
    for read in (read_table, read_header):
        with pytest.raises(ValueError) as err:
            read(path, "history")
        assert str(err.value) == (
            f"history: file {str(path)!r} is not UTF-8 text; it is UTF-16 (little-endian, with a byte-order mark). "
            "Save it as UTF-8 CSV (in Excel: Save As > 'CSV UTF-8 (Comma delimited)'), or convert it, e.g. "
            "iconv -f UTF-16 -t UTF-8 report.csv > utf8-report.csv.")


def test_cp1252_file_is_an_error_naming_the_line(tmp_path):
    path = tmp_path / "log.csv"
    path.write_bytes("agent,calls\nAnna,3\nJürgen,4\n".encode("cp1252"))
    with pytest.raises(ValueError) as err:
        read_table(path, "states")
    # 'ü' is byte 0xfc in Windows-1252, on line 3 (the header is line 1)
    assert str(err.value) == (
        f"states: file {str(path)!r} is not UTF-8 text (byte 0xfc on line 3: 'Jü'); it is probably "
        "Windows-1252 or Latin-1 (what Excel's plain 'CSV' and many older systems write). Save it as UTF-8 CSV "
        "(in Excel: Save As > 'CSV UTF-8 (Comma delimited)'), or convert it, e.g. iconv -f CP1252 -t UTF-8 "
        "log.csv > utf8-log.csv.")


def test_utf8_with_a_byte_order_mark_reads_as_plain_utf8(tmp_path):
    path = tmp_path / "report.csv"
    pd.read_csv(REPORT, dtype=str).to_csv(path, index=False, encoding="utf-8-sig")
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
    pd.testing.assert_frame_equal(read_table(path, text=True)[0], read_table(REPORT, text=True)[0])
