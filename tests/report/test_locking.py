"""lock_folder: one run per output folder; a second one fails at once, naming the first."""

import json
import os
import socket
import subprocess
import sys

import pytest

from wfm.report import FolderLockedError, lock_folder
from wfm.report.locking import LOCK_NAME


def _held_by(folder, pid, started="2026-12-04T13:00:00", host=None):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / LOCK_NAME).write_text(json.dumps({"pid": pid, "host": host or socket.gethostname(),
                                                "what": "wfm run weekly_bank_calls", "started": started}))


def test_lock_file_while_held_and_gone_after(tmp_path):
    out = tmp_path / "out"
    with lock_folder(out) as path:
        record = json.loads(path.read_text())
        assert path == out / LOCK_NAME and record["pid"] == os.getpid() and record["host"] == socket.gethostname()
    assert not path.exists()


def test_released_on_an_error(tmp_path):
    with pytest.raises(KeyboardInterrupt), lock_folder(tmp_path):
        raise KeyboardInterrupt
    assert not (tmp_path / LOCK_NAME).exists()


def test_a_live_other_process_holds_it(tmp_path):
    """Another process (a child that sleeps) holds the lock: the message names its pid, host and start time."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        _held_by(tmp_path, child.pid)
        with pytest.raises(FolderLockedError, match=rf"in use by another wfm run weekly_bank_calls \(pid "
                                                    rf"{child.pid} on .*started 2026-12-04T13:00:00\)") as err, \
                lock_folder(tmp_path):
            pass
        assert isinstance(err.value, OSError)  # wfm run maps OSError to exit 2
        assert str(tmp_path / LOCK_NAME) in str(err.value)  # what to delete if that run is gone
        assert json.loads((tmp_path / LOCK_NAME).read_text())["pid"] == child.pid  # left as it was
    finally:
        child.kill()
        child.wait()


def test_a_stale_lock_of_a_dead_process_is_taken_over(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # its pid is now free (reuse within the test is vanishingly unlikely)
    _held_by(tmp_path, child.pid)
    with lock_folder(tmp_path) as path:
        assert json.loads(path.read_text())["pid"] == os.getpid()


def test_a_lock_of_another_host_is_respected(tmp_path):
    _held_by(tmp_path, 1, host="another-machine")
    with pytest.raises(FolderLockedError, match="another-machine"), lock_folder(tmp_path):
        pass


def test_reentrant_in_one_process(tmp_path):
    with lock_folder(tmp_path) as path:
        with lock_folder(tmp_path):
            assert path.exists()
        assert path.exists()  # the inner block does not release the outer one's lock
    assert not path.exists()
