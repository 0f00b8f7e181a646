"""atomic_write: whole or nothing, with no temporary file left behind."""

import os
from pathlib import Path

import pandas as pd
import pytest

from wfm import report
from wfm import _atomic


def test_writes_through_a_temporary_file_beside_the_target(tmp_path):
    seen = []

    def write(tmp):
        seen.append(tmp)
        assert not (tmp_path / "out.csv").exists()
        tmp.write_text("a,b\n1,2\n")

    assert report.atomic_write(tmp_path / "out.csv", write) == tmp_path / "out.csv"
    assert (tmp_path / "out.csv").read_text() == "a,b\n1,2\n"
    (tmp,) = seen
    assert tmp.parent == tmp_path and tmp.suffix == ".csv" and tmp.name.startswith(".out.csv.")
    assert os.listdir(tmp_path) == ["out.csv"]


def test_creates_missing_folders(tmp_path):
    out = report.atomic_write(tmp_path / "a" / "b" / "x.txt", lambda tmp: tmp.write_text("ok"))
    assert out.read_text() == "ok"


@pytest.mark.parametrize("error", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_a_write_that_raises_half_way_leaves_the_previous_file(tmp_path, error):
    target = tmp_path / "report.html"
    target.write_text("previous report")

    def write(tmp):
        with open(tmp, "w") as fh:
            fh.write("<html>half of the new")
        raise error

    with pytest.raises(type(error)):
        report.atomic_write(target, write)
    assert target.read_text() == "previous report"
    assert os.listdir(tmp_path) == ["report.html"]


def test_a_failed_first_write_leaves_nothing(tmp_path):
    with pytest.raises(ValueError, match="bad"):
        report.atomic_write(tmp_path / "x.csv", lambda tmp: (_ for _ in ()).throw(ValueError("bad")))
    assert os.listdir(tmp_path) == []


def test_new_files_get_the_usual_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        out = report.atomic_write(tmp_path / "x.txt", lambda tmp: tmp.write_text("ok"))
    finally:
        os.umask(old)
    assert oct(out.stat().st_mode & 0o777) == oct(0o644)


def test_a_folder_is_not_a_file(tmp_path):
    with pytest.raises(IsADirectoryError, match="path"):
        report.atomic_write(tmp_path, lambda tmp: tmp.write_text("x"))
    assert os.listdir(tmp_path) == []


def _writers(plan, fig):
    return {
        "report.html": lambda p: report.write_html(p, title="t", sections=[{"heading": "h", "table": plan.table,
                                                                            "figure": fig}]),
        "report.xlsx": lambda p: report.write_excel(p, {"plan": plan.table}),
        "plan.csv": lambda p: report.write_table(p, plan.table),
        "plan.parquet": lambda p: report.write_table(p, plan.table),
        "plan.png": lambda p: report.write_figure(p, fig),
    }


@pytest.mark.parametrize("name", ["report.html", "report.xlsx", "plan.csv", "plan.parquet", "plan.png"])
def test_every_writer_is_atomic(tmp_path, plan, figure, monkeypatch, name):
    write = _writers(plan, figure)[name]
    target = tmp_path / name
    write(target)
    before = target.read_bytes()
    assert len(before) > 100

    def fail(fd):
        raise OSError("the disk went away after the content was written")

    monkeypatch.setattr(_atomic.os, "fsync", fail)
    with pytest.raises(OSError, match="disk went away"):
        write(target)
    assert target.read_bytes() == before
    assert os.listdir(tmp_path) == [name]


class _Explodes:
    """A cell value that cannot be turned into text: the CSV writer fails part-way through the table."""

    def __str__(self):
        raise RuntimeError("cannot format this cell")


def test_a_csv_failing_part_way_leaves_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "plan.csv"
    good = pd.DataFrame({"calls": range(200_000), "note": "ok"})
    report.write_table(target, good)
    before = target.read_bytes()
    bad = good.astype({"note": object})
    bad.loc[150_000, "note"] = _Explodes()
    removed = {}
    unlink = Path.unlink

    def spy(self, *args, **kwargs):
        removed[self.name] = self.stat().st_size
        return unlink(self, *args, **kwargs)

    monkeypatch.setattr(Path, "unlink", spy)
    with pytest.raises(RuntimeError, match="cannot format"):
        report.write_table(target, bad)
    (size,) = removed.values()
    assert size > 1_000_000  # pandas had written the first chunks when the cell failed
    assert target.read_bytes() == before
    assert os.listdir(tmp_path) == ["plan.csv"]
