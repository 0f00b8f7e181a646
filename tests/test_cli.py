"""The demo command: real data in, a table on the terminal, whole CSV and PNG files out."""

import pandas as pd

from wfm import cli


def test_demo_writes_plan(tmp_path, capsys):
    assert cli.main(["demo", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "week of 20 Oct 2003" in printed and "FTE" in printed
    table = pd.read_csv(tmp_path / "staffing_plan.csv", index_col=0, parse_dates=True)
    assert len(table) == 5 * 28
    assert (table["service_level"] >= 0.8).all()
    assert (table["scheduled_agents"] > table["agents"]).where(table["agents"] > 0, True).all()
    png = (tmp_path / "staffing_plan.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_demo_bad_target_is_exit_1(tmp_path, capsys):
    assert cli.main(["demo", "--out", str(tmp_path), "--service-level", "80"]) == 1
    assert "Did you mean 0.80" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
