"""A run killed in the middle of replace_all's swap leaves the hidden .wfm-previous-* folder behind, possibly with
the only copy of some previous outputs. The next swap into the folder puts back what the folder lacks, deletes the
stale copies only once its new files are in place, and leaves alone (and names) one a live run may be using."""

import os
import subprocess
import sys

import pytest

from wfm import _atomic


def _dead_pid():
    """The pid of a process of this computer that has finished (a child, waited for)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _aside(out, pid, host=None, token="0badf00d"):
    folder = out / f".wfm-previous-{pid}-{host or _atomic._host_tag()}-{token}"
    folder.mkdir()
    return folder


def _killed_mid_swap(tmp_path):
    """What a run killed after moving a.csv, b.csv and the manifest aside and placing its new a.csv leaves."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.csv").write_text("killed run's a")
    (out / "mine.txt").write_text("not wfm's")
    aside = _aside(out, _dead_pid())
    for name in ("a.csv", "b.csv", ".wfm-manifest.json"):
        (aside / name).write_text(f"old {name}")
    new = out / ".new"
    new.mkdir()
    for name in ("a.csv", "c.csv"):
        (new / name).write_text(f"new {name}")
    return out, new, aside


def _files(folder):
    return {p.name: p.read_text() for p in folder.iterdir() if p.is_file()}


def test_the_next_swap_restores_what_the_folder_lacks_and_then_drops_the_leftover(tmp_path, monkeypatch):
    out, new, aside = _killed_mid_swap(tmp_path)
    real, seen = os.replace, []

    def replace(src, dst):          # when the new files move in, the stale copy is still there
        if str(src).startswith(str(new)):
            seen.append(aside.exists() and (aside / "a.csv").exists())
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    _atomic.replace_all(out, new, ["a.csv", "c.csv"])
    assert seen == [True, True] and not aside.exists()
    assert _files(out) == {"a.csv": "new a.csv", "c.csv": "new c.csv", "b.csv": "old b.csv",
                           ".wfm-manifest.json": "old .wfm-manifest.json", "mine.txt": "not wfm's"}
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == [".new"]


def test_a_swap_that_fails_keeps_the_restored_files_and_the_stale_copies(tmp_path, monkeypatch):
    out, new, aside = _killed_mid_swap(tmp_path)
    real = os.replace

    def replace(src, dst):
        if str(src) == str(new / "c.csv"):
            raise PermissionError(13, "Permission denied", str(src))
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError, match="nothing in the folder was changed"):
        _atomic.replace_all(out, new, ["a.csv", "c.csv"])
    assert _files(out) == {"a.csv": "killed run's a", "b.csv": "old b.csv",
                           ".wfm-manifest.json": "old .wfm-manifest.json", "mine.txt": "not wfm's"}
    assert _files(aside) == {"a.csv": "old a.csv"}     # the stale copy is not deleted before a swap succeeds


def test_the_newest_copy_returns_and_an_old_unowned_leftover_is_recovered_too(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    older, newer = _aside(out, _dead_pid(), token="00000001"), out / ".wfm-previous-1234abcd"  # the old name
    newer.mkdir()
    (older / "b.csv").write_text("older b")
    (newer / "b.csv").write_text("newer b")
    os.utime(older / "b.csv", (1_000_000_000, 1_000_000_000))
    new = out / ".new"
    new.mkdir()
    (new / "a.csv").write_text("new a")
    _atomic.replace_all(out, new, ["a.csv"])
    assert _files(out) == {"a.csv": "new a", "b.csv": "newer b"}
    assert not older.exists() and not newer.exists()


@pytest.mark.parametrize("owner", ["live process", "other computer"])
def test_a_leftover_a_live_run_may_use_is_left_alone_and_named(tmp_path, owner):
    out = tmp_path / "out"
    out.mkdir()
    aside = (_aside(out, os.getppid()) if owner == "live process" else _aside(out, _dead_pid(), host="ffffffff"))
    (aside / "b.csv").write_text("old b")
    new = out / ".new"
    new.mkdir()
    (new / "a.csv").write_text("new a")
    with pytest.warns(UserWarning, match=r"\['b.csv'\] missing from .*not touched.*move them back") as said:
        _atomic.replace_all(out, new, ["a.csv"])
    assert str(aside) in str(said[0].message)
    assert _files(aside) == {"b.csv": "old b"} and _files(out) == {"a.csv": "new a"}


def test_a_killed_runs_staging_folder_is_removed_and_a_live_ones_kept(tmp_path):
    """The hidden .wfm-staging-* folder a killed run was filling holds only new files never placed: the next swap
    deletes it. One of this process (its own staging, as replace_all is handed it) or of a live process is kept."""
    out = tmp_path / "out"
    out.mkdir()
    host = _atomic._host_tag()
    dead = out / f".wfm-staging-{_dead_pid()}-{host}-0badf00d"
    live = out / f".wfm-staging-{os.getppid()}-{host}-0badf00d"
    other = out / f".wfm-staging-{_dead_pid()}-0000ffff-0badf00d"  # another computer's: it cannot be checked
    for folder in (dead, live, other):
        folder.mkdir()
        (folder / "a.csv").write_text("never placed")
    staging = _atomic.staging_folder(out)
    assert staging.name.startswith(f".wfm-staging-{os.getpid()}-{host}-")
    staging.mkdir()
    (staging / "a.csv").write_text("new a")
    _atomic.replace_all(out, staging, ["a.csv"])
    assert (out / "a.csv").read_text() == "new a"
    assert not dead.exists() and live.exists() and other.exists()
