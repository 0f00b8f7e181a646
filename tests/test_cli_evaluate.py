"""wfm evaluate on files: the KPIs and scorecard of a contact log, forecast accuracy, and the errors at its flags."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wfm import cli

REPO = Path(__file__).resolve().parents[1]
TARGETS = REPO / "scenarios" / "kpi_targets.yaml"


@pytest.fixture(scope="module")
def log(tmp_path_factory):
    """A simulated day of calls (8 h at 60 calls per half-hour, 9 agents): contacts.csv and states.csv."""
    import wfm

    folder = tmp_path_factory.mktemp("log")
    idx = pd.date_range("2024-01-01 08:00", periods=16, freq="30min")
    sim = wfm.simulate(pd.Series(60.0, index=idx), 240, 9, patience=120, seed=5)
    sim.contacts.to_csv(folder / "contacts.csv", index=False)
    sim.agent_states.to_csv(folder / "states.csv", index=False)
    return folder


def test_weekly_kpis_against_daily_targets_are_refused_naming_freq(log, tmp_path, capsys):
    # kpi_targets.yaml measures every KPI daily (frequency: D); a weekly average could hide a red day
    out = tmp_path / "k.csv"
    assert cli.main(["evaluate", "--contacts", str(log / "contacts.csv"), "--targets", str(TARGETS), "--freq", "W",
                     "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "kpi_targets.yaml: kpis.service_level.frequency is 'D' but the KPIs were computed with --freq W" in err
    assert "compute them with --freq D" in err and "freq=" not in err and "dict" not in err
    assert not out.exists()
    # at the targets' frequency it scores; the file holds the table only (no attrs in the Parquet metadata)
    assert cli.main(["evaluate", "--contacts", str(log / "contacts.csv"), "--targets", str(TARGETS), "--freq", "D",
                     "--out", str(tmp_path / "k.parquet")]) == 0
    assert "Service level (80/20)" in capsys.readouterr().out
    assert pd.read_parquet(tmp_path / "k.parquet").attrs == {}
