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
COLUMNS = {"date": "Date", "time": "Interval", "calls": "Offered", "handle_time": "Handle Time (s)"}


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


@pytest.mark.parametrize("value", ["243,5", "1.234"])
def test_a_semicolon_file_with_a_decimal_mark_is_an_error_not_a_guess(tmp_path, value):
    raw = pd.read_csv(REPORT, dtype=str).head(5).assign(AHT=["240", value, "250", "260", value])
    path = tmp_path / "report.csv"
    raw.to_csv(path, sep=";", index=False)
    with pytest.raises(ValueError) as err:
        read_table(path, "history")
    assert str(err.value) == (
        f"history: file {str(path)!r} is semicolon-delimited and columns ['AHT'] hold numbers with one decimal mark "
        f"(values [{value!r}]): '243,5' may be 243.5 with a decimal comma and '1.234' may be 1234 with a dot "
        "between thousands, and wfm does not guess which. Save the file as CSV with commas between fields and a "
        "point for decimals (no thousands separators); or, from Python, read it yourself, e.g. "
        "pandas.read_csv('report.csv', sep=';', decimal=',', thousands='.'), and pass the DataFrame.")
    with pytest.raises(ValueError, match="semicolon-delimited"):
        read_header(path, "history")


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
