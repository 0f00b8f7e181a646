"""Write a file whole or not at all: a temporary file in the same folder, then a rename."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

__all__ = ["atomic_write"]


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
