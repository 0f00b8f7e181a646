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
