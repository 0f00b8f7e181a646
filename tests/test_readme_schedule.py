"""
The README's own-data walkthrough, run as written: wfm forecast of the example interval report -> wfm staff ->
wfm schedule with the shipped shift rules ($E/shift_rules.yaml). The commands are read from the README's bash
blocks (continuation lines joined, $E set as the README sets it), so a README edit that breaks them fails here; the
README's rules block is the shipped file, and its printed schedule line is what the command prints.
"""

import contextlib
import io
import itertools
import re
import shlex
from pathlib import Path

import pandas as pd
import yaml

from wfm import cli

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text()
E = "wfm/datasets/data/examples"


def _commands():
    """The README's `wfm forecast --history $E/interval_report.csv`, `wfm staff --forecast forecast.csv --model
    erlang_a` and `wfm schedule` commands, each as argv after `wfm`, and the comment lines printed below each."""
    found = {}
    for block in re.findall(r"```bash\n(.*?)```", README, flags=re.S):
        lines = block.replace("\\\n", " ").splitlines()
        for i, line in enumerate(lines):
            for key, start in (("forecast", "wfm forecast --history $E/interval_report.csv"),
                               ("staff", "wfm staff --forecast forecast.csv"),
                               ("schedule", "wfm schedule --requirement plan.csv")):
                if line.startswith(start) and key not in found:
                    argv = shlex.split(line.replace("$E", E), comments=True)[1:]
                    printed = [x[2:] for x in lines[i + 1:] if x.startswith("# ")]
                    below = list(itertools.takewhile(lambda x: x.startswith("# "), lines[i + 1:]))
                    found[key] = (argv, printed[0] if printed else "", " ".join(x[2:].strip() for x in below))
    return found


def test_readme_rules_block_is_the_shipped_file():
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", README, flags=re.S)]
    shipped = yaml.safe_load((REPO / E / "shift_rules.yaml").read_text())
    assert shipped in blocks
    # the centre of the example report is open Sunday-Thursday 08:00-18:00 (wfm/datasets/data/examples/README.md)
    assert set(shipped["open_hours"]) == {"sun", "mon", "tue", "wed", "thu"}


def test_readme_forecast_staff_schedule_run_as_written(tmp_path, monkeypatch):
    commands = _commands()
    assert list(commands) == ["forecast", "staff", "schedule"]
    argv = commands["schedule"][0]
    assert argv[argv.index("--rules") + 1] == f"{E}/shift_rules.yaml"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "wfm").symlink_to(REPO / "wfm", target_is_directory=True)  # $E relative to the repository root
    printed = {}
    for key, (argv, *_) in commands.items():
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            assert cli.main(argv) == 0, key
        printed[key] = buf.getvalue()
    for key in ("forecast", "staff", "schedule"):  # the first printed line, as the README quotes it
        quoted = commands[key][1]
        assert printed[key].splitlines()[0].startswith(quoted.rstrip(".;")), (key, quoted)
        # and every part of the comment lines below the command, between the README's "..." cuts, is printed
        text = " ".join(printed[key].split())
        for part in commands[key][2].split("..."):
            part = " ".join(part.split()).strip("(); ")
            assert part in text, (key, part, text)
    cover = pd.read_csv(tmp_path / "schedule" / "coverage.csv", index_col=0, parse_dates=True)
    plan = pd.read_csv(tmp_path / "plan.csv", index_col=0, parse_dates=True)
    assert (cover["scheduled"] >= cover["required"]).all()
    assert (cover.loc[plan.index, "required"] == plan["agents"]).all()  # the schedule covers the plan's agents
