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


def test_threshold_in_minutes_warns_and_the_label_says_the_threshold_measured(log, tmp_path, capsys):
    out = tmp_path / "k.csv"
    assert cli.main(["evaluate", "--contacts", str(log / "contacts.csv"), "--targets", str(TARGETS), "--threshold",
                     "0.33", "--out", str(out)]) == 0
    printed = capsys.readouterr()
    # the unit warning wfm run gives for the same value
    assert "wfm evaluate: warning: threshold of 0.33 s is implausible (expected at least 1 s)" in printed.err
    assert "Service level (80/0.33)" in printed.out and "(80/20)" not in printed.out
    # the service level measured: answered within 0.33 s of arrival / offered, by hand from the file
    raw = pd.read_csv(log / "contacts.csv", parse_dates=["arrival", "answer"])
    within = ((raw["answer"] - raw["arrival"]).dt.total_seconds() <= 0.33).sum()
    assert pd.read_csv(out)["service_level"].item() == pytest.approx(within / len(raw))
    # in seconds: no warning, and the label keeps the target file's 80/20
    assert cli.main(["evaluate", "--contacts", str(log / "contacts.csv"), "--targets", str(TARGETS), "--out",
                     str(out)]) == 0
    printed = capsys.readouterr()
    assert "implausible" not in printed.err and "Service level (80/20)" in printed.out
