import os

import matplotlib
import pytest
from hypothesis import settings

matplotlib.use("Agg")

# CI runs every property test on the same derandomized examples, so a run is repeatable;
# locally hypothesis keeps exploring new ones.
settings.register_profile("ci", derandomize=True, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "default")


@pytest.fixture(scope="session")
def bank_30min():
    """The bundled bank_calls series at 30 minutes. Session scope: read-only, read once."""
    from wfm.datasets import bank_calls

    return bank_calls("30min")


@pytest.fixture(scope="session")
def example_calls():
    """Calls per half-hour of the shipped example interval report: a Sunday-Thursday centre, Sun 2 - Thu 27 June
    2024, read as the README reads it. Session scope: read-only."""
    from pathlib import Path

    import wfm
    from wfm.logs import read_history

    report = Path(wfm.__file__).parent / "datasets" / "data" / "examples" / "interval_report.csv"
    history = read_history(report, dayfirst=True, columns={
        "date": "Date", "time": "Interval", "calls": "Offered", "answered": "Answered", "abandoned": "Abandoned",
        "handle_time": "Handle Time (s)", "answered_within": "Answered in 20s"})
    return history["calls"]
