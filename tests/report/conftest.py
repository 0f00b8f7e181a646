"""Fixtures of the report tests: small real tables and a figure."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import wfm  # noqa: E402


@pytest.fixture(scope="session")
def plan():
    """A staffing plan of the bank's last full week (session scope: read-only, built once)."""
    week = wfm.calendar.last_full_week(wfm.datasets.bank_calls("30min"))
    return wfm.staffing_plan(week, aht=300, service_level=0.8, threshold=20,
                             shrinkage={"breaks": 0.10, "absence": 0.15})


@pytest.fixture(scope="session")
def scorecard():
    """A KPI scorecard shaped like wfm's: one row per KPI with a traffic-light status (read-only)."""
    return pd.DataFrame({"kpi": ["service_level", "asa", "abandon_rate", "csat"],
                         "value": [0.7834, 31.2, 0.041, float("nan")],
                         "target": [0.80, 20.0, 0.05, 0.85],
                         "status": ["amber", "red", "green", "no data"]})


@pytest.fixture
def figure():
    """A fresh figure per test (function scope: tests may draw on it); closed afterwards."""
    fig, ax = plt.subplots(figsize=(4, 2))
    ax.plot([14, 30, 0])
    yield fig
    plt.close(fig)
