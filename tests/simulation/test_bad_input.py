"""Bad input: each error names the argument and says what was expected and where."""

import numpy as np
import pandas as pd
import pytest

from wfm.simulation import simulate

from .helpers import day_index

T = pd.Timestamp
IDX = day_index(4)
CALLS = pd.Series([10.0, 20.0, 20.0, 10.0], index=IDX)


@pytest.mark.parametrize("kwargs,error,match", [
    (dict(calls=pd.Series([10.0, -1.0, 2.0, 3.0], index=IDX)), ValueError, r"calls must be >= 0.*positions \[1\]"),
    (dict(calls=pd.Series([10.0, np.inf, 2.0, 3.0], index=IDX)), ValueError, "calls must be finite"),
    (dict(calls=pd.Series([10.0, np.nan, 2.0, 3.0], index=IDX)), ValueError, "calls must not contain NaN"),
    (dict(calls=[10.0, 20.0]), TypeError, "calls must be a Series on a DatetimeIndex"),
    (dict(calls=pd.Series([1.0, 2.0])), TypeError, "calls must be on a DatetimeIndex"),
    (dict(calls=CALLS.iloc[::-1]), ValueError, "calls must be sorted"),
    (dict(calls=CALLS.iloc[:0]), ValueError, "calls must hold at least one interval"),
    (dict(aht=0), ValueError, "aht must be > 0"),
    (dict(aht=pd.Series(180.0, index=IDX[:3])), ValueError, "do not align"),
    (dict(patience=-5), ValueError, "patience must be > 0"),
    (dict(handle_cv=0), ValueError, "handle_cv must be > 0"),
    (dict(handle_cv=-1), ValueError, "handle_cv must be > 0"),
    (dict(handle_cv=[1, 2]), TypeError, "handle_cv must be one number"),
    (dict(replications=0), ValueError, "replications must be a whole number >= 1"),
    (dict(threshold=-1), ValueError, "threshold must be >= 0"),
    (dict(level=95), ValueError, "level must be a fraction"),
    (dict(sl_definition="answered"), ValueError, "sl_definition must be one of"),
    (dict(agents=pd.Series([5, 5, 5], index=IDX[:3])), ValueError, "calls and agents do not align"),
    (dict(agents=2.5), ValueError, "agents must be whole numbers"),
    (dict(agents=-1), ValueError, "agents must be >= 0"),
    (dict(agents=None), TypeError, "agents is required"),
    (dict(seed=-3), ValueError, "seed must be a whole number"),
    (dict(seed=np.random.default_rng(1)), TypeError, "seed must be an int"),
    (dict(interval=0), ValueError, "interval must be > 0"),
    (dict(interval=3600), ValueError, "calls must be on timestamps at least one interval"),
    (dict(deviations={"absence_rate": 0.1}), ValueError, "deviations apply to individual schedules"),
])
def test_bad_arguments(kwargs, error, match):
    args = dict(calls=CALLS, aht=180, agents=5, patience=60)
    args.update(kwargs)
    calls, aht, agents = args.pop("calls"), args.pop("aht"), args.pop("agents")
    with pytest.raises(error, match=match):
        simulate(calls, aht, agents, **args)


def test_no_agents_and_no_patience_is_an_unbounded_queue():
    agents = pd.Series([3, 0, 0, 3], index=IDX)
    with pytest.raises(ValueError, match=r"agents must be > 0 wherever calls arrive.*positions \[1, 2\]"
                                         r".*2024-01-01 08:30"):
        simulate(CALLS, 180, agents)
    simulate(CALLS, 180, agents, patience=60)  # with patience the callers hang up: allowed
    calm = pd.Series([10.0, 0.0, 0.0, 10.0], index=IDX)
    simulate(calm, 180, agents)  # no agent where no call arrives: allowed


def test_no_scheduled_agent_and_no_patience_is_an_unbounded_queue():
    sched = pd.DataFrame([dict(agent=1, start=T("2024-01-01 08:00"), end=T("2024-01-01 09:00"))])
    with pytest.raises(ValueError, match=r"agents must be > 0 wherever calls arrive.*positions \[2, 3\]"):
        simulate(CALLS, 180, sched)


def schedule(**row):
    base = dict(agent="A", start=T("2024-01-01 08:00"), end=T("2024-01-01 10:00"), breaks=[])
    base.update(row)
    return pd.DataFrame([base])


@pytest.mark.parametrize("frame,error,match", [
    (schedule(end=T("2024-01-01 07:00")), ValueError, r"agents must end after they start.*rows \[0\].*agent A"),
    (schedule(end=T("2024-01-01 08:00")), ValueError, "agents must end after they start"),
    (pd.concat([schedule(), schedule(start=T("2024-01-01 09:00"), end=T("2024-01-01 11:00"))]), ValueError,
     "agents must give each agent shifts that do not overlap"),
    (schedule(breaks=[(T("2024-01-01 09:50"), T("2024-01-01 10:10"))]), ValueError,
     r"agents\['breaks'\] must lie inside their shift"),
    (schedule(breaks=[(T("2024-01-01 09:10"), T("2024-01-01 09:00"))]), ValueError,
     r"agents\['breaks'\] must lie inside their shift, end after they start"),
    (schedule(breaks=[(T("2024-01-01 09:00"), T("2024-01-01 09:30")), (T("2024-01-01 09:15"), T("2024-01-01 09:45"))]),
     ValueError, "not overlap"),
    (schedule(breaks=[T("2024-01-01 09:00")]), TypeError, r"each break must be a \(start, end\)"),
    (schedule(breaks=[(T("2024-01-01 09:00"), T("2024-01-01 09:15"), "nap")]), ValueError, "paid"),
    (schedule(breaks="lunch"), TypeError, r"agents\['breaks'\] must hold a list"),
    (schedule(start="not a time"), TypeError, r"agents\['start'\] must hold timestamps"),
    (schedule(start=None), ValueError, r"agents\['start'\] must hold a timestamp in every row"),
    (schedule(start=T("2024-01-01 08:00", tz="UTC"), end=T("2024-01-01 10:00", tz="UTC")), ValueError,
     r"agents\['start'\] is in time zone UTC and calls.index is naive.*calls = calls.tz_localize\(\"UTC\"\)"),
    (pd.DataFrame({"start": [T("2024-01-01 08:00")], "end": [T("2024-01-01 09:00")]}), ValueError,
     r"agents needs the columns \['agent', 'start', 'end'\]; missing \['agent'\]"),
    (pd.DataFrame({"start": [T("2024-01-01 08:00")], "end": [T("2024-01-01 09:00")], "agents": [1.5]}), ValueError,
     r"shifts\['agents'\] must be a whole number"),
])
def test_bad_schedules(frame, error, match):
    with pytest.raises(error, match=match):
        simulate(CALLS, 180, frame, patience=60)
