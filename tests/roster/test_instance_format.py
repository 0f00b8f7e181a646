"""The benchmark instance format: read -> write -> read gives the same arguments; the independent
evaluator's parser agrees with what wfm wrote; malformed files name the line and field."""

import os
import sys

import pandas as pd
import pytest

from wfm.roster.instance_format import (
    read_instance,
    read_solution,
    write_instance,
    write_solution,
)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "benchmarks", "data", "shift-scheduling-benchmark")
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))

import nrp_evaluator as ev

INSTANCES = [os.path.join(DATA, f"Instance{i}.txt") for i in range(1, 25)]


def _same(a, b):
    pd.testing.assert_frame_equal(a.demand, b.demand)
    pd.testing.assert_frame_equal(a.agents, b.agents)
    pd.testing.assert_frame_equal(a.requests, b.requests)
    assert a.rules == b.rules


@pytest.mark.parametrize("path", INSTANCES, ids=[f"Instance{i}" for i in range(1, 25)])
def test_round_trip(path, tmp_path):
    """read -> write -> read is the identity on every instance, and the file wfm writes says the same
    as the original to the evaluator's own parser."""
    first = read_instance(path)
    out = tmp_path / "copy.txt"
    write_instance(out, first.demand, first.agents, first.rules, first.requests)
    second = read_instance(out)
    _same(first, second.__class__(first.name, second.demand, second.agents, second.requests, second.rules))
    assert ev.parse(path) == ev.parse(out)


def test_counts_of_instance_1():
    """Instance1 by its file: 14 days, 8 staff, one 480-minute shift, 26 requests (21 on, 5 off), 14 covers."""
    inst = read_instance(INSTANCES[0])
    assert inst.rules["days"] == 14
    assert inst.rules["shifts"] == [{"name": "D", "paid": "480min"}]
    assert len(inst.agents) == 8
    a = inst.agents.iloc[0]
    # A,D=14,4320,3360,5,2,2,1 and days off "A,0"
    assert (a["max_shifts"], a["max_paid_hours"], a["min_paid_hours"]) == ({"D": 14}, 72.0, 56.0)
    assert (a["max_consecutive_days"], a["min_consecutive_days"], a["min_consecutive_days_off"],
            a["max_working_weekends"], a["days_off"]) == (5, 2, 2, 1, [0])
    assert (inst.requests["kind"] == "on").sum() == 21 and (inst.requests["kind"] == "off").sum() == 5
    assert inst.demand["required"].tolist()[:3] == [5, 7, 6]


def test_solution_round_trip(tmp_path):
    table = pd.DataFrame({"agent": ["A", "B", "A"], "day": [0, 1, 2], "shift": ["D", "E", "D"]})
    path = tmp_path / "sol.txt"
    write_solution(path, table, 3, ["A", "B"])
    back = read_solution(path, ["A", "B"])
    pd.testing.assert_frame_equal(back.sort_values(["agent", "day"]).reset_index(drop=True),
                                  table.sort_values(["agent", "day"]).reset_index(drop=True))


def test_malformed_files_name_the_line(tmp_path):
    with open(INSTANCES[0], encoding="utf-8") as fh:
        good = fh.read()
    bad = tmp_path / "bad.txt"
    bad.write_text(good.replace("A,D=14,4320,3360,5,2,2,1", "A,D=14,4320,3360,5,2,2"))
    with pytest.raises(ValueError, match=r"line \d+: a staff line has 8 fields"):
        read_instance(bad)
    bad.write_text(good.replace("A,D=14,4320", "A,Q=14,4320"))
    with pytest.raises(ValueError, match="unknown shift 'Q'"):
        read_instance(bad)
    bad.write_text(good.replace("SECTION_COVER", "SECTION_CORNER"))
    with pytest.raises(ValueError, match="unknown section 'SECTION_CORNER'"):
        read_instance(bad)
    bad.write_text(good.replace("0,D,5,100,1", "0,D,five,100,1"))
    with pytest.raises(ValueError, match="Requirement must be a whole number"):
        read_instance(bad)
