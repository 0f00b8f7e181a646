"""A lock on an output folder, so two runs never write into one folder at once."""

from __future__ import annotations

import contextlib
import json
import os
import socket
from pathlib import Path

import pandas as pd

__all__ = ["FolderLockedError", "lock_folder", "LOCK_NAME"]

#: Name of the lock file inside the locked folder (hidden, never listed as an output).
LOCK_NAME = ".wfm-lock"


class FolderLockedError(FileExistsError):
    """The output folder is being written by another run (its pid, host and start time in the message)."""


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # somebody else's process, alive
        return True
    except (OSError, OverflowError):
        return False
    return True


def _read(path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


@contextlib.contextmanager
def lock_folder(folder, *, what="wfm run"):
    """
    Hold a lock on ``folder`` while the block runs: a second holder fails at once with a clear message.

    The lock is the file :data:`LOCK_NAME` in the folder, created
    exclusively (``O_CREAT | O_EXCL``) with the holder's pid, host and
    start time, and removed when the block ends, also on an error or
    Ctrl-C. Re-entrant: inside a block holding the lock, the same process
    may enter it again (e.g. ``wfm run`` locks before computing, and the
    writer locks again), and only the outer block releases it. A lock left
    by a process of this host that no longer exists
    (a killed run) is stale and taken over.

    Parameters
    ----------
    folder : str or path-like
        Created if missing.
    what : str
        Who holds the lock, written into it and shown to the next one.

    Raises
    ------
    FolderLockedError
        While another live process holds the lock; the message names its
        pid, host and start time and the lock file to delete if that run is
        known to be gone. A subclass of ``FileExistsError`` (an ``OSError``),
        which ``wfm run`` maps to exit code 2.

    Examples
    --------
    >>> import json, os, pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> with lock_folder(out) as lock:
    ...     with lock_folder(out):  # the same process again: re-entrant
    ...         json.loads(lock.read_text())["pid"] == os.getpid()
    True
    >>> (out / LOCK_NAME).exists()  # released by the outer block
    False

    Another live process holding it (here: this one's parent):

    >>> _ = (out / LOCK_NAME).write_text(json.dumps({"pid": os.getppid(), "host": socket.gethostname(),
    ...                                              "what": "wfm run weekly", "started": "2026-12-04T13:00:00"}))
    >>> with lock_folder(out):
    ...     pass
    Traceback (most recent call last):
    wfm.report.locking.FolderLockedError: output folder ... another wfm run weekly ... 2026-12-04T13:00:00); ...
    """
    folder = Path(os.fspath(folder))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    record = {"pid": os.getpid(), "host": socket.gethostname(), "what": what,
              "started": pd.Timestamp.now().isoformat(timespec="seconds")}
    owner = False
    for _ in range(3):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            other = _read(path)
            pid = other.get("pid")
            if other.get("host") == record["host"] and pid == record["pid"]:
                break  # this process holds it already (a run locks, then writes): re-entrant
            if other and other.get("host") == record["host"] and isinstance(pid, int) and not _alive(pid):
                path.unlink(missing_ok=True)  # stale: its process is gone
                continue
            raise FolderLockedError(
                f"output folder {str(folder)!r} is in use by another {other.get('what', 'wfm run')} "
                f"(pid {other.get('pid', '?')} on {other.get('host', '?')}, started {other.get('started', '?')}); "
                f"wait for it to finish or write elsewhere (--out). If that run is gone, delete "
                f"{str(path)!r}.") from None
        with os.fdopen(fd, "w") as fh:
            json.dump(record, fh)
        owner = True
        break
    else:  # pragma: no cover - three stale locks in a row
        raise FolderLockedError(f"could not take the lock {str(path)!r}; delete it and run again.")
    try:
        yield path
    finally:
        if owner:
            path.unlink(missing_ok=True)
