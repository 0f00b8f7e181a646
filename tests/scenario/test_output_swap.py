"""write_outputs replaces a folder's results whole or not at all, also when the final move fails part-way."""

import os

import pytest

from wfm.scenario import output, run_scenario, write_outputs

from .conftest import small_scenario


@pytest.fixture(scope="module")
def quick_result():
    """A run of the small scenario without schedule, simulation or KPIs (seconds): what gets written does not matter."""
    return run_scenario(small_scenario(schedule=None, simulate=None, kpis=None, grid={},
                                       forecast={"method": "seasonal_naive", "backtest": None},
                                       output={"tables": ["csv"]}), jobs=1)


def snapshot(folder):
    """Every entry of ``folder`` (hidden ones too) with its bytes, or 'dir' for a folder."""
    return {p.name: "dir" if p.is_dir() else p.read_bytes() for p in folder.iterdir()}


def previous_run(result, folder):
    """A previous run in ``folder``, told apart from the next one by its bytes, beside a file wfm did not write."""
    write_outputs(result, folder)
    for name in ("report.html", "variants.csv"):
        (folder / name).write_bytes((folder / name).read_bytes() + b"\n<!-- previous run -->")
    (folder / "old_leftover.csv").write_text("a file of the previous run that this run does not write")
    manifest = (folder / output.MANIFEST).read_text().replace('"files": [', '"files": [\n  "old_leftover.csv",')
    (folder / output.MANIFEST).write_text(manifest)
    (folder / "my_notes.txt").write_text("not wfm's")


def test_a_folder_in_the_workbooks_place_is_refused_before_anything_moves(quick_result, tmp_path):
    out = tmp_path / "out"
    previous_run(quick_result, out)
    (out / "wfm_plan.xlsx").unlink()
    (out / "wfm_plan.xlsx").mkdir()  # stands in for the workbook's name taken by a folder
    before = snapshot(out)
    with pytest.raises(OSError, match=r"wfm_plan\.xlsx' is a folder.*remove or rename that folder.*nothing in the "
                                      r"folder was changed"):
        write_outputs(quick_result, out)
    assert snapshot(out) == before  # no new report.html beside the old files, no staging folder, no lock


def test_the_cli_exits_2_naming_the_folder_in_the_way(quick_result, tmp_path, capsys):
    """The review's case: an empty output folder but for a folder named like the workbook; nothing is moved in."""
    from wfm import cli
    from .conftest import write_scenario

    out = tmp_path / "out"
    (out / "wfm_plan.xlsx").mkdir(parents=True)
    path = write_scenario(tmp_path, small_scenario(schedule=None, simulate=None, kpis=None, grid={},
                                                   forecast={"method": "seasonal_naive", "backtest": None}))
    assert cli.main(["run", str(path), "--out", str(out), "--jobs", "1", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "wfm_plan.xlsx' is a folder" in err and "Errno" not in err
    assert snapshot(out) == {"wfm_plan.xlsx": "dir"}


def failing_on(k, calls):
    """os.replace that raises PermissionError (as Windows does for a workbook open in Excel) on its k-th call."""
    real = os.replace

    def replace(src, dst, **kwargs):
        calls.append((str(src), str(dst)))
        if len(calls) == k:
            raise PermissionError(13, "Permission denied", str(dst))
        return real(src, dst, **kwargs)

    return replace


def test_a_move_failing_part_way_puts_the_previous_results_back(quick_result, tmp_path, monkeypatch):
    out = tmp_path / "out"
    previous_run(quick_result, out)
    before = snapshot(out)
    real_swap = output._swap
    # the swap's moves: first the previous files aside (the W written ones, the leftover and the manifest),
    # then the W new ones and the new manifest in; k = the first, middle and last of each
    n_old = len([n for n in before if not n.startswith(".") and n != "my_notes.txt"]) + 1  # W + 2
    n_new = n_old - 1
    for k in [1, n_old // 2, n_old, n_old + 1, n_old + n_new // 2, n_old + n_new]:
        calls = []

        def swap_failing(*args, _k=k, _calls=calls):
            with monkeypatch.context() as m:  # only the swap's moves, not atomic_write's while staging
                m.setattr(os, "replace", failing_on(_k, _calls))
                return real_swap(*args)

        monkeypatch.setattr(output, "_swap", swap_failing)
        with pytest.raises(OSError) as raised:
            write_outputs(quick_result, out)
        assert snapshot(out) == before, k  # the files, their bytes, the manifest: as before
        assert "nothing in the folder was changed" in str(raised.value)
        assert len(calls) >= k  # the failure did happen at the k-th move (then the moves back)
    monkeypatch.setattr(output, "_swap", real_swap)
    written = write_outputs(quick_result, out)  # and the folder still takes a run
    after = snapshot(out)
    assert "old_leftover.csv" not in after and after["my_notes.txt"] == before["my_notes.txt"]
    assert after["report.html"] != before["report.html"] and set(written["files"]) <= set(after)
    assert len([n for n in after if not n.startswith(".") and n != "my_notes.txt"]) + 1 == n_new  # k covered all


def test_a_workbook_locked_when_moved_aside_is_named(quick_result, tmp_path, monkeypatch):
    out = tmp_path / "out"
    previous_run(quick_result, out)
    before = snapshot(out)
    real = os.replace

    def locked(src, dst, **kwargs):
        if str(src) == str(out / "wfm_plan.xlsx"):  # Windows refuses to move a workbook Excel holds open
            raise PermissionError(13, "The process cannot access the file", str(src))
        return real(src, dst, **kwargs)

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(OSError, match=r"previous 'wfm_plan\.xlsx'.*close it in Excel"):
        write_outputs(quick_result, out)
    assert snapshot(out) == before
