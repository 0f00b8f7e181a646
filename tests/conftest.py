import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(scope="session")
def bank_30min():
    """The bundled bank_calls series at 30 minutes. Session scope: read-only, read once."""
    from wfm.datasets import bank_calls

    return bank_calls("30min")
