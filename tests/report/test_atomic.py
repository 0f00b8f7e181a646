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


def _folder_with_previous(tmp_path):
    out, new = tmp_path / "out", tmp_path / "out" / ".new"
    new.mkdir(parents=True)
    for name in ("a.csv", "b.csv", "gone.csv", "mine.txt"):
        (out / name).write_text(f"old {name}")
    for name in ("a.csv", "b.csv", "c.csv"):
        (new / name).write_text(f"new {name}")
    return out, new


def _files(folder):
    return {p.name: p.read_text() for p in folder.iterdir() if p.is_file()}


def test_replace_all_moves_every_file_and_removes_the_leftovers(tmp_path):
    out, new = _folder_with_previous(tmp_path)
    _atomic.replace_all(out, new, ["a.csv", "b.csv", "c.csv"], remove=["gone.csv", "never_written.csv"])
    assert _files(out) == {"a.csv": "new a.csv", "b.csv": "new b.csv", "c.csv": "new c.csv", "mine.txt": "old mine.txt"}
    assert sorted(p.name for p in out.iterdir()) == [".new", "a.csv", "b.csv", "c.csv", "mine.txt"]  # no aside folder


# 3 previous files are moved aside (a, b, gone), then 3 new ones in: a failure at every one of the 6 moves
@pytest.mark.parametrize("k", range(1, 7))
def test_replace_all_failing_at_any_move_leaves_the_folder_as_before(tmp_path, monkeypatch, k):
    out, new = _folder_with_previous(tmp_path)
    before = _files(out)
    real, calls = os.replace, []

    def replace(src, dst):
        calls.append(src)
        if len(calls) == k:
            raise PermissionError(13, "Permission denied", str(src))
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError, match="nothing in the folder was changed") as raised:
        _atomic.replace_all(out, new, ["a.csv", "b.csv", "c.csv"], remove=["gone.csv"])
    assert Path(calls[k - 1]).name in str(raised.value)  # names the file that could not be moved
    assert _files(out) == before and sorted(p.name for p in out.iterdir()) == sorted([*before, ".new"])


def test_replace_all_keeps_the_previous_files_when_they_cannot_be_put_back(tmp_path, monkeypatch):
    out, new = _folder_with_previous(tmp_path)
    real = os.replace

    def replace(src, dst):
        if Path(src).name == "c.csv" or Path(src).parent.name.startswith(".wfm-previous-"):
            raise PermissionError(13, "Permission denied", str(src))  # the last move in, then every move back
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    said = r"could not move the new .c.csv. .*\); and then could not put the previous .*kept in"
    with pytest.raises(OSError, match=said) as raised:
        _atomic.replace_all(out, new, ["a.csv", "b.csv", "c.csv"], remove=["gone.csv"])
    (aside,) = out.glob(".wfm-previous-*")
    assert str(aside) in str(raised.value) and _files(aside) == {n: f"old {n}" for n in ("a.csv", "b.csv", "gone.csv")}
