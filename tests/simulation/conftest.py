"""Fixtures of the simulator tests."""

import numpy as np
import pandas as pd
import pytest

from wfm.simulation import simulate

from .helpers import day_index


@pytest.fixture(scope="package")
def erlang_a_day():
    """A seeded Erlang A day with staffing that rises and falls. Package scope: read-only."""
    idx = day_index(16)
    calls = pd.Series(np.r_[40, 60, 90, 120, 120, 110, 100, 90, 90, 100, 110, 100, 80, 60, 40, 30.0], index=idx)
    agents = pd.Series(np.r_[6, 8, 12, 15, 15, 14, 13, 12, 12, 13, 14, 13, 11, 8, 6, 5], index=idx)
    return calls, agents, simulate(calls, 180, agents, patience=150, replications=3, seed=11)
