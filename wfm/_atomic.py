"""Write a file whole or not at all (a temporary file in the same folder, then a rename); replace many files at once."""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

__all__ = ["atomic_write", "replace_all"]


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
    aside = folder / f".wfm-previous-{secrets.token_hex(4)}"
    aside.mkdir()
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
    shutil.rmtree(aside, ignore_errors=True)


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
