"""write_table (CSV, Parquet) and write_figure (PNG)."""

import struct

import pandas as pd
import pytest

from wfm import report


def test_csv_round_trip_keeps_the_interval_index(tmp_path, plan):
    out = report.write_table(tmp_path / "plan.csv", plan.table)
    back = pd.read_csv(out, index_col=0, parse_dates=True)
    pd.testing.assert_frame_equal(back, plan.table, check_dtype=False, check_index_type=False, check_exact=True)
    assert back.index.name == "timestamp"


def test_csv_leaves_out_a_default_index_and_takes_series(tmp_path, scorecard):
    out = report.write_table(tmp_path / "card.CSV", scorecard)
    assert out.read_text().splitlines()[0] == "kpi,value,target,status"
    pd.testing.assert_frame_equal(pd.read_csv(out), scorecard)
    s = report.write_table(tmp_path / "s.csv", pd.Series([1, 2], name="agents"))
    assert s.read_text() == "agents\n1\n2\n"


def test_parquet_round_trip_is_exact_with_time_zones(tmp_path, plan, scorecard):
    table = plan.table.tz_localize("America/New_York")
    back = pd.read_parquet(report.write_table(tmp_path / "plan.parquet", table))
    pd.testing.assert_frame_equal(back, table, check_freq=False)
    pd.testing.assert_frame_equal(pd.read_parquet(report.write_table(tmp_path / "c.parquet", scorecard)), scorecard)


@pytest.mark.parametrize("name", ["plan.xlsx", "plan.txt", "plan", "plan.csv.gz", "plan.json"])
def test_other_suffixes_are_refused(tmp_path, plan, name):
    with pytest.raises(ValueError, match=r"path must be a file name ending in \.csv or \.parquet"):
        report.write_table(tmp_path / name, plan.table)
    assert not list(tmp_path.iterdir())


def test_write_table_wants_a_frame(tmp_path):
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        report.write_table(tmp_path / "x.csv", [[1, 2]])


def _png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_figure_png_at_the_given_dpi(tmp_path, figure):
    big = _png_size(report.write_figure(tmp_path / "a.png", figure))
    small = _png_size(report.write_figure(tmp_path / "b.png", figure.axes[0], dpi=60))  # an Axes works too
    assert big[0] == pytest.approx(2 * small[0], rel=0.05)


def test_figure_svg_and_pdf_by_suffix(tmp_path, figure):
    assert report.write_figure(tmp_path / "a.svg", figure).read_text().lstrip().startswith("<?xml")
    assert report.write_figure(tmp_path / "a.pdf", figure).read_bytes()[:5] == b"%PDF-"


def test_figure_bad_input(tmp_path, figure):
    with pytest.raises(ValueError, match=r"\.png or \.svg or \.pdf"):
        report.write_figure(tmp_path / "a.jpg", figure)
    with pytest.raises(TypeError, match="figure must be a matplotlib Figure or Axes"):
        report.write_figure(tmp_path / "a.png", "not a figure")
    assert not list(tmp_path.iterdir())
