"""Write a file whole or not at all (a temporary file in the same folder, then a rename); replace many files at once."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import socket
import warnings
from pathlib import Path

__all__ = ["atomic_write", "replace_all", "recover_leftovers", "staging_folder"]


def _temp_beside(path: Path) -> Path:
    """Create an empty hidden file next to ``path`` with the permissions a plain ``open`` would give."""
    stem = path.name[:200]  # room for the token within the usual 255-byte name limit
    for _ in range(100):
        tmp = path.with_name(f".{stem}.{secrets.token_hex(4)}.tmp{path.suffix}")
        try:
            # 0o666 less the umask, as for any new file (mkstemp would make it 0o600 for good).
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return tmp
    raise FileExistsError(f"could not create a temporary file beside {path}")  # pragma: no cover


def atomic_write(path, write):
    """
    Write ``path`` through a temporary file in the same folder, then rename it: whole or nothing.

    ``write(tmp_path)`` writes the content to ``tmp_path`` (a
    :class:`~pathlib.Path` beside ``path`` ending in the same suffix, so
    writers that infer the format from it still work). Once it returns, the
    file is flushed to disk and renamed onto ``path`` with :func:`os.replace`,
    which is atomic on POSIX and Windows within one file system: a reader sees
    the old file or the new one, never half of one. If ``write`` raises (or
    the process is interrupted), the temporary file is removed, the exception
    propagates and any previous file at ``path`` is untouched. Missing parent
    folders are created.

    Parameters
    ----------
    path : str or path-like
        The file to write.
    write : callable
        Called once with the temporary path; its return value is ignored.

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "notes.txt"
    >>> atomic_write(out, lambda tmp: tmp.write_text("80/20 met")).read_text()
    '80/20 met'
    >>> def broken(tmp):
    ...     tmp.write_text("half a rep")
    ...     raise RuntimeError("disk full")
    >>> atomic_write(out, broken)
    Traceback (most recent call last):
    RuntimeError: disk full
    >>> out.read_text(), sorted(p.name for p in out.parent.iterdir())
    ('80/20 met', ['notes.txt'])
    """
    path = Path(os.fspath(path))
    if path.is_dir():
        raise IsADirectoryError(f"path must be a file to write, not a folder; got {str(path)!r}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_beside(path)
    try:
        write(tmp)
        with open(tmp, "rb") as fh:  # the writer may have closed its handle without syncing
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _blocked(path: Path, name: str) -> str | None:
    """Why ``path`` cannot be replaced by a new file ``name`` (a folder in its way), else None."""
    if path.is_dir() and not path.is_symlink():
        return (f"{str(path)!r} is a folder, where wfm writes its file {name!r}: remove or rename that folder "
                f"(or write elsewhere), then run again")
    return None


#: Prefix of the hidden folder :func:`replace_all` moves the previous files into, inside the output folder;
#: followed by the pid and a tag of the host of the process that made it, and a random token.
_ASIDE = ".wfm-previous-"
#: Prefix of the hidden folder a writer fills before :func:`replace_all` moves its files in (:func:`staging_folder`).
_STAGING = ".wfm-staging-"
_OWNED = re.compile(r"^\.wfm-(?:previous|staging)-(\d+)-([0-9a-f]{8})-[0-9a-f]{8}$")
_IN_USE: set = set()   # this process's asides while its replace_all runs


def staging_folder(folder):
    """
    The path of a new hidden staging folder inside ``folder`` (not created): the new files are written there and
    :func:`replace_all` moves them in. Its name carries this process's id and host, so a later run can tell the
    staging folder of a killed run (:func:`recover_leftovers` deletes it) from one still being written.
    """
    return Path(os.fspath(folder)) / f"{_STAGING}{os.getpid()}-{_host_tag()}-{secrets.token_hex(4)}"


def _host_tag() -> str:
    return hashlib.sha1(socket.gethostname().encode()).hexdigest()[:8]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:                               # another user's process: alive
        return True
    except (OSError, OverflowError):
        return False
    return True


def _in_use(aside: Path) -> str | None:
    """Why ``aside`` may belong to a swap still running (another live process, or another host), else None."""
    if aside in _IN_USE:
        return "this process is using it"
    owner = _OWNED.match(aside.name)
    if owner is None:                                     # made by a wfm before the owner was in the name
        return None
    pid, host = int(owner.group(1)), owner.group(2)
    if host != _host_tag():
        return "it was made by a run on another computer, which may still be running"
    if pid != os.getpid() and _pid_alive(pid):
        return f"it was made by process {pid}, which is still running"
    return None


def recover_leftovers(folder):
    """
    Put back the previous files a killed :func:`replace_all` left aside in ``folder``; return the folders to delete.

    :func:`replace_all` moves the files it replaces into a hidden
    ``.wfm-previous-*`` folder inside ``folder`` and deletes it once the new
    files are in place. A run killed in between (power cut, ``kill -9``,
    a closed laptop) leaves that folder behind, and with it possibly the only
    copy of some outputs: those moved aside whose new version never arrived
    (the output folder then lacks them). For each such leftover, made by a
    process of this computer that is gone (or by an older wfm that did not
    record its owner):

    * a file missing from ``folder`` is moved back (a rename, so a kill
      now leaves it in one place or the other, for the next run to finish):
      the previous output is restored, never lost; of two leftovers holding
      the same name, the newest copy returns;
    * a file that ``folder`` holds too is a stale copy (the new one was
      placed): it stays in the leftover, which the caller deletes only
      after its own new files are in place, so if that run fails as well,
      nothing older than what the folder shows has been thrown away.

    Restoring is the safe choice: deleting would lose the previous outputs
    that only the leftover holds, and leaving them would keep them out of
    sight. The folder is then what the killed run left, with nothing
    missing; the next swap replaces it whole as usual. A leftover that may
    be in use (made by a live process, or on another computer, e.g. over a
    network share) is not touched; if it holds a file the folder lacks, a
    warning names it and says how to restore by hand. A pid reused since by
    another live process only delays the clean-up (the safe side). A file
    that cannot be moved back is warned about and its leftover kept.

    Parameters
    ----------
    folder : str or path-like

    Returns
    -------
    list of Path
        Leftovers holding only stale copies now, for the caller to delete
        once its new files are in place (:func:`replace_all` does).
    """
    folder = Path(os.fspath(folder))
    for staged in folder.glob(f"{_STAGING}*"):  # new files of a killed run, never placed: nothing to keep
        owner = _OWNED.match(staged.name)
        if (staged.is_dir() and not staged.is_symlink() and owner and owner.group(2) == _host_tag()
                and int(owner.group(1)) != os.getpid() and not _pid_alive(int(owner.group(1)))):
            shutil.rmtree(staged, ignore_errors=True)
    candidates = {}
    for aside in sorted(folder.glob(f"{_ASIDE}*")):
        if not aside.is_dir() or aside.is_symlink():
            continue
        try:
            files = list(aside.iterdir())
        except OSError as err:
            warnings.warn(f"could not read {str(aside)!r}, which a run that did not finish may have left with previous "
                          f"outputs ({err}); not touched: look inside and move back what {str(folder)!r} lacks.",
                          stacklevel=3)
            continue
        busy = _in_use(aside)
        if busy:
            missing = sorted(p.name for p in files if not os.path.lexists(folder / p.name))
            if missing and aside not in _IN_USE:
                warnings.warn(f"{str(aside)!r} holds previous output(s) {missing[:5]} missing from {str(folder)!r}, "
                              f"left aside by a run that has not finished or was killed; not touched, as {busy}. "
                              "If that run is gone, move them back into the folder by hand and delete the hidden "
                              "folder.",
                              stacklevel=3)
            continue
        candidates[aside] = files
    restored = {}
    for aside, files in candidates.items():
        for p in files:
            if not os.path.lexists(folder / p.name):
                best = restored.get(p.name)
                if best is None or _mtime(p) > _mtime(best):
                    restored[p.name] = p
    stuck = set()
    for name, p in restored.items():
        try:
            os.replace(p, folder / name)
        except OSError as err:
            stuck.add(p.parent)
            warnings.warn(f"could not move the previous {name!r} back from {str(p.parent)!r}, where a run that did "
                          f"not finish left it ({err}); it is kept there: move it into {str(folder)!r} by hand.",
                          stacklevel=3)
    return [aside for aside in candidates if aside not in stuck]


def _mtime(path: Path) -> float:
    try:
        return path.lstat().st_mtime
    except OSError:
        return float("-inf")


def replace_all(folder, staging, names, *, remove=()):
    """
    Move the files ``names`` from ``staging`` into ``folder`` and delete ``remove`` there: all of it or none of it.

    First every target is checked (a folder standing where a file goes is
    refused, naming it). Then the files being replaced or removed are moved
    aside into a hidden folder in ``folder``, the new ones are moved in
    (:func:`os.replace` each) and only then are the old ones deleted. When a
    move fails part-way (a file held open by Excel on Windows, a full share),
    the new files placed so far are taken out again and the old ones moved
    back, so ``folder`` is exactly as before, and the error names the file
    and the fix. ``staging`` must be on the same file system as ``folder``
    (e.g. inside it), so every move is a rename.

    A hidden folder a killed run left aside (``.wfm-previous-*``) is dealt
    with first by :func:`recover_leftovers`: the previous files the folder
    lacks are moved back, and the stale copies are deleted after the new
    files are in place (see there why).

    Parameters
    ----------
    folder, staging : str or path-like
    names : list of str
        File names in ``staging``, to take the same names in ``folder``.
    remove : iterable of str
        Names in ``folder`` to delete with the swap (a previous run's files
        this one does not write); missing ones are skipped.

    Raises
    ------
    OSError
        Nothing was changed: the message names the file in the way (or the
        one that could not be moved) and what to do about it.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp()); new = out / ".new"; new.mkdir()
    >>> for name, text in [("a.csv", "old a"), ("b.csv", "old b"), ("old.csv", "x")]:
    ...     _ = (out / name).write_text(text)
    >>> _ = (new / "a.csv").write_text("new a")  # and no new b.csv: its move fails after a.csv's
    >>> replace_all(out, new, ["a.csv", "b.csv"], remove=["old.csv"])
    Traceback (most recent call last):
    OSError: could not move the new 'b.csv' into ... nothing in the folder was changed.
    >>> sorted((p.name, p.read_text()) for p in out.iterdir() if p.is_file())
    [('a.csv', 'old a'), ('b.csv', 'old b'), ('old.csv', 'x')]
    """
    folder, staging = Path(os.fspath(folder)), Path(os.fspath(staging))
    names = list(names)
    for name in names:
        reason = _blocked(folder / name, name)
        if reason:
            raise OSError(f"{reason}; nothing in the folder was changed.")
    leftovers = recover_leftovers(folder)
    aside = folder / f"{_ASIDE}{os.getpid()}-{_host_tag()}-{secrets.token_hex(4)}"
    aside.mkdir()
    _IN_USE.add(aside)
    moved, placed = [], []
    try:
        for name in dict.fromkeys([*names, *remove]):
            if os.path.lexists(folder / name):
                try:
                    os.replace(folder / name, aside / name)
                except OSError as err:
                    raise OSError(f"could not move the previous {name!r} in {str(folder)!r} aside ({err}): close it "
                                  f"in Excel or the program holding it open, then run again; nothing in the folder "
                                  f"was changed.") from err
                moved.append(name)
        for name in names:
            try:
                os.replace(staging / name, folder / name)
            except OSError as err:
                raise OSError(f"could not move the new {name!r} into {str(folder)!r} ({err}); nothing in the folder "
                              f"was changed.") from err
            placed.append(name)
    except BaseException as err:
        _undo(folder, staging, aside, placed, moved, err)
        raise
    finally:
        _IN_USE.discard(aside)
    shutil.rmtree(aside, ignore_errors=True)
    for old in leftovers:                                 # a killed run's stale copies: the new files are in place
        shutil.rmtree(old, ignore_errors=True)


def _undo(folder, staging, aside, placed, moved, err):
    """Take the new files out of ``folder`` and put the old ones back; keep ``aside`` if any could not return."""
    for name in reversed(placed):
        try:
            os.replace(folder / name, staging / name)
        except OSError:
            try:
                (folder / name).unlink(missing_ok=True)
            except OSError:
                pass
    stuck = []
    for name in reversed(moved):
        try:
            os.replace(aside / name, folder / name)
        except OSError:
            stuck.append(name)
    if stuck:
        said = str(err).replace("; nothing in the folder was changed.", "")
        raise OSError(f"{said}; and then could not put the previous {stuck} back into {str(folder)!r}: they are "
                      f"kept in {str(aside)!r}, move them back by hand.") from err
    shutil.rmtree(aside, ignore_errors=True)
