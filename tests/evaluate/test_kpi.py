"""KPIs from contact, state and schedule logs: hand-computed logs, the simulator, Erlang, properties, bad input.

Evidence (STYLE.md section 7):
1. Hand-computed cases: a ten-contact log (voice, chat, e-mail; two days) and a two-agent
   day of states and schedule; every expected number is written out from the formula in
   the catalogue, with the arithmetic in a comment.
2. Cross-checks: per interval, the KPIs of a simulated log equal the simulator's own
   interval table (the same contacts, counted independently); over a long steady block,
   service level, ASA, abandonment and occupancy agree with the exact Erlang C and Erlang A
   values within a 99% confidence interval built from the spread between replications.
3. Properties with hypothesis: rates in [0, 1], NPS in [-100, 100], ASA <= longest wait,
   the row order of the log does not matter, daily counts sum to the weekly ones.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wfm
from wfm.logs import DataWarning
from wfm.evaluate import (agent_report, catalogue, kpis, queue_report, read_contacts, read_roster, read_staff, team_report,
                          ticket_report)
from wfm.evaluate.kpi import DEFINITIONS, KPI_NAMES

D1 = "2024-01-01 "
D2 = "2024-01-02 "


def ts(text):
    return pd.Timestamp(text)


@pytest.fixture
def log():
    """Ten contacts over two days (voice, chat, e-mail) with every field. Function scope: tests change it."""
    nat = pd.NaT
    rows = [
        # id, queue, channel, arrival, answer, abandon, first_response, resolved, agent, talk, hold, acw,
        # transferred, escalated, customer, reason, complaint, category, csat, nps, ces, sentiment, qa, responses
        ("c1", "sales", "voice", D1 + "09:00:00", D1 + "09:00:10", nat, nat, nat, "A", 200, 20, 30,
         False, False, "X", "billing", False, None, 5, 10, 6, 0.5, 90, np.nan),
        ("c2", "sales", "voice", D1 + "09:10:00", D1 + "09:10:30", nat, nat, nat, "B", 100, 0, 20,
         True, False, "Y", "technical", False, None, 3, 7, 4, -0.2, np.nan, np.nan),
        ("c3", "sales", "voice", D1 + "09:20:00", nat, D1 + "09:20:03", nat, nat, None, np.nan, np.nan, np.nan,
         False, False, "Z", "billing", False, None, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan),
        ("c4", "sales", "voice", D1 + "09:30:00", nat, D1 + "09:30:45", nat, nat, None, np.nan, np.nan, np.nan,
         False, False, "X", "billing", False, None, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan),
        ("c5", "support", "voice", D1 + "10:05:00", D1 + "10:05:20", nat, nat, nat, "A", 300, 60, 40,
         False, True, "X", "billing", True, "service", 2, 3, 2, -0.6, 70, np.nan),
        ("c6", "support", "chat", D1 + "10:15:00", D1 + "10:16:00", nat, nat, nat, "B", 500, 0, 0,
         False, False, "W", "account", False, None, 4, 9, np.nan, 0.0, np.nan, np.nan),
        ("c7", "support", "email", D1 + "11:00:00", nat, nat, D1 + "13:00:00", D2 + "11:00:00", "B", 300, 0, 0,
         False, False, "V", "account", False, None, np.nan, np.nan, np.nan, np.nan, np.nan, 2),
        ("c8", "support", "email", D1 + "12:00:00", nat, nat, nat, nat, None, np.nan, np.nan, np.nan,
         False, False, "U", "other", False, None, np.nan, np.nan, np.nan, np.nan, np.nan, 0),
        ("c9", "sales", "voice", D2 + "09:00:00", D2 + "09:00:05", nat, nat, nat, "A", 100, 0, 20,
         False, False, "Y", "technical", False, None, 4, 8, 5, np.nan, np.nan, np.nan),
        ("c10", "sales", "voice", D2 + "09:30:00", D2 + "09:30:25", nat, nat, nat, "B", 150, 10, 40,
         False, False, None, "billing", False, None, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan),
    ]
    cols = ["contact", "queue", "channel", "arrival", "answer", "abandon", "first_response", "resolved", "agent",
            "talk", "hold", "acw", "transferred", "escalated", "customer", "reason", "complaint",
            "complaint_category", "csat", "nps", "ces", "sentiment", "qa", "responses"]
    frame = pd.DataFrame(rows, columns=cols)
    for c in ("arrival", "answer", "abandon", "first_response", "resolved"):
        frame[c] = pd.to_datetime(frame[c])
    return frame


def day(k, which=0):
    return k.iloc[which]


def quiet(**kw):
    """kpis with DataWarnings silenced (tests that check notes read attrs)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return kpis(**kw)


# ---------------------------------------------------------------- volume and flow, speed

def test_volume_and_speed_by_hand(log):
    k = kpis(log, freq="D")
    assert k["period"].tolist() == [ts("2024-01-01"), ts("2024-01-02")]
    d = day(k)
    assert d["contacts"] == 8                      # c1..c8
    assert d["offered"] == 6                       # live: c1..c6 (c6 is chat)
    assert d["answered"] == 4                      # c1, c2, c5, c6
    assert d["abandoned"] == 2                     # c3, c4
    assert d["short_abandoned"] == 1               # c3 waited 3 s < 5 s
    assert d["handled"] == 5                       # 4 live + c7 (an e-mail with a response)
    assert d["tickets"] == 2                       # c7, c8
    assert d["complaints"] == 1                    # c5
    assert d["peak_hour_contacts"] == 4            # 09:00-10:00: c1..c4
    assert np.isnan(d["contacts_change"])          # no previous day
    assert day(k, 1)["contacts_change"] == pytest.approx(2 / 8 - 1)
    # within 20 s (wait <= 20): c1 (10 s), c5 (20 s); c2 30 s and c6 60 s are late -> 2 / 6 offered
    assert d["service_level"] == pytest.approx(2 / 6)
    assert d["asa"] == pytest.approx((10 + 30 + 20 + 60) / 4)
    assert d["average_wait"] == pytest.approx((10 + 30 + 3 + 45 + 20 + 60) / 6)
    assert d["longest_wait"] == 60
    assert d["abandon_rate"] == pytest.approx(2 / 6)
    assert d["short_abandon_rate"] == pytest.approx(1 / 6)
    # day 2: c9 waited 5 s, c10 25 s
    assert day(k, 1)["service_level"] == pytest.approx(1 / 2)
    assert day(k, 1)["asa"] == pytest.approx((5 + 25) / 2)


def test_service_level_definitions(log):
    answered = kpis(log, sl_definition="answered").iloc[0]
    assert answered["service_level"] == pytest.approx(2 / 4)        # over the 4 answered
    excl = quiet(contacts=log, sl_definition="exclude_short_abandons")
    assert excl.iloc[0]["service_level"] == pytest.approx(2 / (6 - 1))  # c3 left out of offered
    assert excl.iloc[0]["abandon_rate"] == pytest.approx((2 - 1) / (6 - 1))
    notes = pd.DataFrame(excl.attrs["notes"])
    assert (notes["problem"] == "are short abandons").any()
    # a longer threshold, and one per channel: chat at 60 s lets c6 in
    assert kpis(log, threshold=30).iloc[0]["service_level"] == pytest.approx(3 / 6)
    per_channel = kpis(log, threshold={"voice": 20, "chat": 60}).iloc[0]
    assert per_channel["service_level"] == pytest.approx(3 / 6)
    # short_abandon moves the short/long line
    assert kpis(log, short_abandon=60).iloc[0]["short_abandoned"] == 2


def test_tickets_by_hand(log):
    d = kpis(log).iloc[0]
    assert d["first_response_time"] == 7200        # c7: 11:00 -> 13:00; c8 has none
    assert d["resolution_time"] == 86400           # c7: resolved the next day at 11:00
    assert d["response_rate"] == pytest.approx(1 / 2)
    assert d["interactions_per_ticket"] == pytest.approx((2 + 0) / 2)
    replies = pd.DataFrame({"contact": ["c7", "c7"], "time": [ts(D1 + "13:00"), ts(D2 + "10:00")]})
    with_log = kpis(log, responses=replies).iloc[0]
    assert with_log["response_time"] == pytest.approx((7200 + 75600) / 2)  # 2 h, then 21 h


# ---------------------------------------------------------------- efficiency, quality

def test_aht_and_quality_by_hand(log):
    d = kpis(log).iloc[0]
    # handle = talk + hold + acw: c1 250, c2 120, c5 400, c6 500, c7 300 over 5 handled
    assert d["aht"] == pytest.approx((250 + 120 + 400 + 500 + 300) / 5)
    # FCR (7 days): handled with a customer: c1 X, c2 Y, c5 X, c6 W, c7 V. c1 is repeated by c4 (X,
    # abandoned, still a contact) and c2 by c9 (Y, the next day); c5, c6, c7 are not -> 3 / 5
    assert d["fcr"] == pytest.approx(3 / 5)
    assert day(kpis(log), 1)["fcr"] == 1.0          # c9 (Y) not repeated; c10 has no customer: left out
    assert kpis(log, fcr_days=0.5).iloc[0]["fcr"] == pytest.approx(4 / 5)  # c2's repeat is a day later
    assert d["transfer_rate"] == pytest.approx(1 / 5)      # c2
    assert d["escalation_rate"] == pytest.approx(1 / 5)    # c5
    assert d["complaint_rate"] == pytest.approx(1 / 8)
    # CSAT answers 5, 3, 2, 4: top two boxes (4, 5) -> 2 / 4; mean 3.5
    assert d["csat"] == pytest.approx(2 / 4)
    assert d["csat_mean"] == pytest.approx(3.5)
    assert d["csat_responses"] == 4
    # NPS answers 10 (promoter), 7 (passive), 3 (detractor), 9 (promoter): 100 * (2 - 1) / 4
    assert d["nps"] == pytest.approx(25.0)
    assert d["ces"] == pytest.approx((6 + 4 + 2) / 3)
    assert d["qa"] == pytest.approx((90 + 70) / 2)
    assert d["qa_evaluations"] == 2
    # sentiment +0.5, -0.2, -0.6, 0.0: (1 positive - 2 negative) / 4 scored
    assert d["net_sentiment"] == pytest.approx(-0.25)


def test_csat_scale_and_top_box(log):
    d = kpis(log, csat_top=1).iloc[0]
    assert d["csat"] == pytest.approx(1 / 4)  # only the 5
    ten = log.assign(csat=log["csat"] * 2)    # the same answers on a 2-10 scale
    d10 = kpis(ten, csat_scale=(1, 10), csat_top=3).iloc[0]  # top three boxes: 8, 9, 10
    assert d10["csat"] == pytest.approx(2 / 4)  # 10 and 8


def test_fcr_notes_count_what_is_left_out(log):
    k = kpis(log)
    notes = pd.DataFrame(k.attrs["notes"])
    unknown = notes[notes["problem"] == "are handled contacts without a customer id"]
    assert unknown["rows"].tolist() == [1]         # c10
    window = notes[notes["problem"].str.contains("repeat window")]
    assert window["rows"].tolist() == [4]          # c5, c6, c7, c9: not repeated, the log ends within 7 days


def test_by_queue_and_channel(log):
    k = kpis(log, freq=None, by="queue").set_index("queue")
    # sales: c1, c2, c3, c4, c9, c10 -> offered 6, answered 4, within 20 s: c1, c9
    assert k.loc["sales", "offered"] == 6
    assert k.loc["sales", "service_level"] == pytest.approx(2 / 6)
    assert k.loc["support", "contacts"] == 4 and k.loc["support", "tickets"] == 2
    c = kpis(log, freq=None, by=["channel"]).set_index("channel")
    assert c.loc["email", "offered"] == 0 and np.isnan(c.loc["email", "service_level"])
    assert c.loc["chat", "asa"] == 60


def test_by_agent_keeps_unanswered_contacts(log):
    k = kpis(log, freq=None, by="agent")
    assert k["contacts"].sum() == 10               # nothing dropped
    unanswered = k[k["agent"].isna()].iloc[0]
    assert unanswered["abandoned"] == 2 and unanswered["contacts"] == 3  # c3, c4 and the e-mail c8
    a = k[k["agent"] == "A"].iloc[0]
    assert a["aht"] == pytest.approx((250 + 400 + 120) / 3)


def test_by_reason_and_complaint_category(log):
    k = kpis(log, freq=None, by="reason").set_index("reason")
    assert k.loc["billing", "contacts"] == 5
    cat = kpis(log, freq=None, by="complaint_category")
    assert cat.loc[cat["complaint_category"] == "service", "complaints"].item() == 1


def test_weekly_and_monthly_periods(log):
    week = kpis(log, freq="W").iloc[0]
    assert week["period"] == ts("2024-01-01")      # a Monday
    assert week["contacts"] == 10
    # the week pools both days: within 20 s: c1, c5, c9 over 8 offered
    assert week["service_level"] == pytest.approx(3 / 8)
    month = kpis(log, freq="M").iloc[0]
    assert month["period"] == ts("2024-01-01") and month["contacts"] == 10
    half = kpis(log, freq="30min")
    assert half.set_index("period").loc[ts(D1 + "09:00"), "contacts"] == 3   # c1, c2, c3
    assert "peak_hour_contacts" not in half.columns                           # periods under an hour


def test_time_zone_periods_start_at_local_midnight(log):
    local = log.copy()
    for c in ("arrival", "answer", "abandon", "first_response", "resolved"):
        local[c] = local[c].dt.tz_localize("Europe/Paris")
    k = kpis(local)
    assert [p.hour for p in k["period"]] == [0, 0]
    assert str(k["period"].dt.tz) == "Europe/Paris"
    assert k["contacts"].tolist() == [8, 2]


def test_forecast_accuracy_per_day(log):
    idx = pd.date_range(D1 + "09:00", periods=7, freq="30min")
    forecast = pd.Series([2.0, 2, 2, 1, 1, 0, 2], index=idx)
    k = quiet(contacts=log, forecast=forecast)
    # actual per half-hour: 3 (c1-c3), 1 (c4), 2 (c5, c6), 0, 1 (c7), 0, 1 (c8)
    # |F - A| = 1 + 1 + 0 + 1 + 0 + 0 + 1 = 4 over 8 -> WAPE 0.5; F - A sums to +2 -> bias 0.25
    assert k.iloc[0]["forecast_wape"] == pytest.approx(0.5)
    assert k.iloc[0]["forecast_bias"] == pytest.approx(0.25)
    assert wfm.metrics.wape(np.array([3, 1, 2, 0, 1, 0, 1]), forecast.to_numpy()) == pytest.approx(0.5)
    assert np.isnan(k.iloc[1]["forecast_wape"])   # no forecast on day 2
    notes = pd.DataFrame(k.attrs["notes"])
    assert notes.loc[notes["problem"].str.contains("forecast does not cover"), "rows"].item() == 2


def test_forecast_per_queue(log):
    idx = pd.date_range(D1 + "09:00", periods=2, freq="30min")
    fc = pd.DataFrame({"queue": ["sales"] * 2, "interval": idx, "forecast": [3.0, 1.0]})
    k = quiet(contacts=log[log["queue"] == "sales"], by="queue", forecast=fc)
    assert k.iloc[0]["forecast_wape"] == 0.0       # sales: 3 in 09:00, 1 in 09:30
    with pytest.raises(ValueError, match="Series of total contacts"):
        kpis(log, by="queue", forecast=pd.Series([1.0, 2.0], index=idx))


# ---------------------------------------------------------------- states and schedule

def _t(hm, d=D1):
    return ts(d + hm)


@pytest.fixture
def floor():
    """Agent A's day of states against the schedule; B is scheduled but has no state record."""
    schedule = pd.DataFrame([
        ("A", "work", "09:00", "10:00"), ("A", "break", "10:00", "10:15"), ("A", "work", "10:15", "11:00"),
        ("A", "lunch", "11:00", "11:30"), ("A", "work", "11:30", "12:00"), ("B", "work", "09:00", "12:00")],
        columns=["agent", "activity", "start", "end"])
    states = pd.DataFrame([
        ("A", "logged_out", "09:00", "09:05"), ("A", "idle", "09:05", "09:30"), ("A", "on_contact", "09:30", "09:50"),
        ("A", "idle", "09:50", "10:00"), ("A", "break", "10:00", "10:20"), ("A", "idle", "10:20", "11:00"),
        ("A", "lunch", "11:00", "11:30"), ("A", "on_contact", "11:30", "11:45"), ("A", "downtime", "11:45", "11:55"),
        ("A", "idle", "11:55", "12:10")], columns=["agent", "state", "start", "end"])
    for f in (schedule, states):
        f["start"] = f["start"].map(_t)
        f["end"] = f["end"].map(_t)
    contacts = pd.DataFrame({"arrival": [_t("09:30"), _t("11:30")], "answer": [_t("09:30"), _t("11:30")],
                             "agent": ["A", "A"], "handle": [1200.0, 900.0]})
    return schedule, states, contacts


def test_state_and_schedule_kpis_by_hand(floor):
    schedule, states, contacts = floor
    with pytest.warns(DataWarning, match="no state record"):
        k = kpis(contacts, states=states, schedule=schedule)
    d = k.iloc[0]
    m = 60.0
    # A: handling 20 + 15 min; available 25 + 10 + 40 + 15 min = 90 min
    assert d["occupancy"] == pytest.approx(35 / 125)
    assert d["agent_hours"] == pytest.approx(125 / 60)
    assert d["contacts_per_hour"] == pytest.approx(2 / (125 / 60))
    assert d["downtime"] == pytest.approx(10 * m)
    # logged in 09:05-12:10 (185 min) over the shift time of A and B (180 + 180 min)
    assert d["utilisation"] == pytest.approx(185 / 360)
    # paid: A 180 - 30 (lunch) + B 180 = 330 min; planned: A's 15-min break
    assert d["paid_hours"] == pytest.approx(330 / 60)
    assert d["planned_shrinkage"] == pytest.approx(15 / 330)
    # on the queue during paid scheduled time: 55 + 40 + 15 + 5 = 115 min (the 10 overtime minutes are not paid)
    assert d["shrinkage"] == pytest.approx(1 - 115 / 330)
    assert d["unplanned_shrinkage"] == pytest.approx((330 - 115 - 15) / 330)
    assert d["absenteeism"] == pytest.approx(180 / 330)    # B never logged in
    # in adherence, A: 55 (work) + 15 (break) + 40 (work) + 30 (lunch) + 15 (work) + 5 (work) = 160 of 180 min
    assert d["adherence"] == pytest.approx(160 / 360)
    # worked 125 min against 135 (A) + 180 (B) scheduled to work
    assert d["conformance"] == pytest.approx(125 / 315)
    by_agent = quiet(contacts=contacts, states=states, schedule=schedule, by="agent").set_index("agent")
    assert by_agent.loc["A", "adherence"] == pytest.approx(160 / 180)
    assert by_agent.loc["A", "conformance"] == pytest.approx(125 / 135)
    assert by_agent.loc["A", "utilisation"] == pytest.approx(185 / 180)   # ten minutes of overtime
    assert by_agent.loc["A", "shrinkage"] == pytest.approx(1 - 115 / 150)
    assert by_agent.loc["B", "absenteeism"] == 1.0 and by_agent.loc["B", "adherence"] == 0.0


def test_schedule_only_and_states_only(floor):
    schedule, states, _ = floor
    plan = kpis(None, schedule=schedule).iloc[0]
    assert plan["planned_shrinkage"] == pytest.approx(15 / 330)
    assert "adherence" not in plan.index and "occupancy" not in plan.index
    acd = kpis(None, states=states).iloc[0]
    assert acd["occupancy"] == pytest.approx(35 / 125)
    assert "adherence" not in acd.index


def test_state_kpis_are_left_out_for_contact_groupings(floor, log):
    schedule, states, _ = floor
    k = quiet(contacts=log, states=states, schedule=schedule, by="queue")
    assert "occupancy" not in k.columns and "service_level" in k.columns
    assert pd.DataFrame(k.attrs["notes"])["action"].str.contains("state, schedule and cost KPIs left out").any()


def test_costs_by_hand(floor, log):
    schedule, states, _ = floor
    costs = {"paid_hour": 20.0, "telephony_minute": 0.1, "fixed": 100.0, "budget": 300.0}
    k = quiet(contacts=log[log["arrival"] < ts("2024-01-02")], states=states, schedule=schedule, costs=costs)
    d = k.iloc[0]
    # voice wait + handle: c1 10 + 250, c2 30 + 120, c3 3, c4 45, c5 20 + 400 = 878 s
    cost = 330 / 60 * 20.0 + 878 / 60 * 0.1 + 100.0
    assert d["cost"] == pytest.approx(cost)
    assert d["cost_per_contact"] == pytest.approx(cost / 5)
    assert d["budget_variance"] == pytest.approx(cost / 300 - 1)


def test_staff_list_headcount_and_attrition(log):
    staff = pd.DataFrame({"agent": ["A", "B", "C"], "team": ["North", "North", "South"],
                           "hire": pd.to_datetime(["2023-01-01", "2023-06-01", "2024-01-02"]),
                           "leave": pd.to_datetime([None, "2024-01-02", None])})
    k = kpis(log, staff=staff)
    # employed at t when hire <= t < leave (leave is the first day no longer employed)
    # Jan 1: A and B at its start, A and C (hired Jan 2 00:00) at its end; B's employment ends at its end
    assert k.iloc[0]["headcount"] == 2 and k.iloc[0]["leavers"] == 1
    assert k.iloc[0]["attrition_rate"] == pytest.approx(1 / 2)
    # Jan 2: A and C at both ends, nobody leaves
    assert k.iloc[1]["leavers"] == 0 and k.iloc[1]["attrition_rate"] == 0
    teams = kpis(log, staff=staff, by="team")
    north = teams[teams["team"] == "North"].set_index("period")
    # North on Jan 1: A and B at the start, A at the end: 1 leaver over (2 + 1) / 2
    assert north.loc[ts("2024-01-01"), "attrition_rate"] == pytest.approx(1 / 1.5)
    # contacts by team: A and B are North; unanswered contacts form a blank team
    assert teams.loc[teams["team"].isna(), "contacts"].sum() == 3


def test_customer_value_kpis_are_gone(log):
    # MRR, churn and CLV are SaaS figures, not contact-centre KPIs (issue 12): removed, and said so
    assert not {"customers", "churn_rate", "retention", "mrr", "clv"} & set(KPI_NAMES)
    with pytest.raises(TypeError, match="customer-value KPIs .* were removed"):
        kpis(log, customers=pd.DataFrame({"customer": [1]}))


def test_catalogue_lists_every_column():
    import wfm.evaluate.kpi as module

    cat = catalogue()
    for name in KPI_NAMES:  # the docs table is built from the same catalogue
        assert f"\n{name} " in module.__doc__, name
    assert list(cat["kpi"]) == list(KPI_NAMES)
    assert cat["kpi"].is_unique
    assert set(cat["direction"].dropna()) == {"higher", "lower", "band"}
    assert all(name == name.lower() and " " not in name for name in KPI_NAMES)


def test_columns_follow_the_catalogue_order(log):
    k = kpis(log)
    assert list(k.columns[:2]) == ["period", "basis"]
    kpi_cols = list(k.columns[2:])
    assert kpi_cols == [c for c in KPI_NAMES if c in kpi_cols]
    assert list(kpis(log, by="queue").columns[:3]) == ["period", "queue", "basis"]


def test_basis_labels_every_row(log):
    assert (kpis(log)["basis"] == "measured").all()
    sim = kpis(log, basis="simulated", by="queue")
    assert (sim["basis"] == "simulated").all() and sim.attrs["basis"] == "simulated"
    with pytest.raises(ValueError, match="basis must be one of"):
        kpis(log, basis="real")


def test_read_with_a_column_mapping_from_csv(log, tmp_path):
    names = {"arrival": "CallStart", "answer": "Answered", "abandon": "Abandoned_At", "agent": "AgentID",
             "customer": "CustomerID", "talk": "TalkSec"}
    raw = log.rename(columns=names)
    path = tmp_path / "acd.csv"
    raw.to_csv(path, index=False)
    read = read_contacts(path, columns=names)
    assert read["answered"].sum() == 7 and read["abandoned"].sum() == 2  # 6 calls and chats, and c7's e-mail
    k = kpis(read)
    base = kpis(log)
    pd.testing.assert_frame_equal(k[["service_level", "aht", "fcr", "csat"]], base[["service_level", "aht", "fcr",
                                                                                   "csat"]])


def test_tickets_only_log():
    tickets = pd.DataFrame({"contact": ["T1", "T2"], "channel": "ticket",
                            "arrival": pd.to_datetime([D1 + "09:00", D1 + "10:00"]),
                            "first_response": pd.to_datetime([D1 + "09:30", None])})
    d = kpis(tickets).iloc[0]
    assert d["offered"] == 0 and d["tickets"] == 2 and d["handled"] == 1
    assert d["first_response_time"] == 1800 and d["response_rate"] == 0.5


# ---------------------------------------------------------------- reports


def test_agent_report_ranks_by_proficiency(log):
    staff = pd.DataFrame({"agent": ["A", "B"], "team": ["North", "North"]})
    rep = agent_report(log, staff=staff).set_index("agent")
    # AHT: A handled c1 250, c5 400, c9 120; B c2 120, c6 500, c7 300, c10 200; the team 1890 s over 7
    assert rep.loc["A", "aht"] == pytest.approx(770 / 3)
    assert rep.loc["A", "team_aht"] == pytest.approx(1890 / 7)
    assert rep.loc["A", "aht_index"] == pytest.approx((1890 / 7) / (770 / 3))
    assert rep.loc["B", "aht_index"] == pytest.approx((1890 / 7) / 280)
    # FCR: A resolves c5 and c9 of c1, c5, c9; B c6 and c7 of c2, c6, c7 (c10 has no customer); the team 4 of 6
    assert rep.loc["A", "fcr_index"] == pytest.approx(1.0) and rep.loc["B", "fcr_index"] == pytest.approx(1.0)
    # QA: only A was evaluated (90, 70), so A is the team; B has no QA index
    assert rep.loc["A", "qa_index"] == 1.0 and np.isnan(rep.loc["B", "qa_index"])
    assert rep.loc["A", "proficiency"] == pytest.approx(((1890 / 7) / (770 / 3) + 1 + 1) / 3)
    assert rep.loc["B", "proficiency"] == pytest.approx(((1890 / 7) / 280 + 1) / 2)
    assert rep.loc["A", "rank"] == 1 and rep.loc["B", "rank"] == 2
    assert rep.attrs["unhandled"] == 3  # c3, c4 abandoned; c8 without a response


def test_team_queue_and_ticket_reports(log):
    staff = pd.DataFrame({"agent": ["A", "B"], "team": ["North", "South"]})
    teams = team_report(log, staff=staff)
    assert "period" not in teams.columns
    assert teams.set_index("team").loc["South", "handled"] == 4       # c2, c6, c7, c10
    queues = queue_report(log)
    assert list(zip(queues["queue"], queues["channel"])) == [("sales", "voice"), ("support", "chat"),
                                                             ("support", "email"), ("support", "voice")]
    tickets = ticket_report(log).set_index("contact")
    assert tickets.loc["c7", "first_response_time"] == 7200 and tickets.loc["c7", "resolution_time"] == 86400
    assert tickets.loc["c7", "responses"] == 2 and tickets.loc["c7", "status"] == "resolved"
    assert tickets.loc["c8", "status"] == "open" and tickets.loc["c8", "responses"] == 0
    assert list(tickets.index) == ["c7", "c8"]


# ---------------------------------------------------------------- agreement with the simulator and Erlang


def test_kpis_equal_the_simulators_interval_table():
    import wfm.simulation as sim_mod
    idx = pd.date_range("2024-01-01 08:00", periods=12, freq="30min")
    calls = pd.Series([40, 60, 90, 120, 120, 110, 100, 90, 80, 60, 40, 30.0], index=idx)
    agents = pd.Series([6, 8, 12, 14, 15, 14, 13, 12, 11, 8, 6, 5], index=idx)
    sim = sim_mod.simulate(calls, 180, agents, patience=150, seed=7)
    k = kpis(sim.contacts, states=sim.agent_states, freq="30min").set_index("period").reindex(idx)
    tab = sim.intervals
    for col in ("offered", "answered", "abandoned"):
        np.testing.assert_array_equal(k[col].to_numpy(dtype=float), tab[col].to_numpy())
    for col in ("service_level", "abandon_rate", "asa", "occupancy"):
        np.testing.assert_allclose(k[col].to_numpy(dtype=float), tab[col].to_numpy(), rtol=1e-9, atol=1e-12)


def test_kpis_pool_replications_like_the_simulator():
    import wfm.simulation as sim_mod
    idx = pd.date_range("2024-01-01 08:00", periods=6, freq="30min")
    calls = pd.Series(80.0, index=idx)
    sim = sim_mod.simulate(calls, 200, 10, patience=90, replications=3, seed=3,
                           sl_definition="exclude_short_abandons")
    # the simulator leaves out abandons shorter than the threshold: short_abandon=threshold matches it
    k = kpis(sim.contacts, freq="30min", sl_definition="exclude_short_abandons",
             short_abandon=20).set_index("period")
    np.testing.assert_allclose(k["offered"] / 3, sim.intervals["offered"])
    np.testing.assert_allclose(k["service_level"], sim.intervals["service_level"], rtol=1e-12)
    per_rep = kpis(sim.contacts, freq=None, by="replication")
    assert per_rep["offered"].sum() == len(sim.contacts)


def _ci(num, den, level=0.99):
    """Ratio of sums over replications and its delta-method t interval (an independent implementation)."""
    from scipy import stats

    num, den = np.asarray(num, float), np.asarray(den, float)
    n = num.size
    r = num.sum() / den.sum()
    se = np.sqrt(((num - r * den) ** 2).sum() / (n * (n - 1))) / den.mean()
    half = stats.t.ppf(0.5 + level / 2, n - 1) * se
    return r - half, r + half


@pytest.mark.parametrize("calls, aht, agents, patience", [(100, 180, 14, None), (100, 180, 10, 120)],
                         ids=["Erlang C, 10 Erlangs on 14 agents", "Erlang A, 10 Erlangs on 10 agents"])
def test_kpis_of_simulated_logs_agree_with_erlang(calls, aht, agents, patience):
    import wfm.simulation as sim_mod
    warm = 4
    idx = pd.date_range("2024-01-01 00:00", periods=24 + warm, freq="30min")
    sim = sim_mod.simulate(pd.Series(float(calls), index=idx), aht, agents, patience=patience, replications=10,
                           seed=2024)
    start = idx[warm]
    contacts = sim.contacts[sim.contacts["arrival"] >= start]
    states = sim.agent_states[sim.agent_states["start"] >= start]
    k = kpis(contacts, states=states, freq=None, by="replication")
    lo, hi = _ci(k["service_level"] * k["offered"], k["offered"])
    expected = wfm.service_level(calls, aht, 1800, agents, 20, model="erlang_c" if patience is None else "erlang_a",
                                 patience=patience)
    assert lo <= expected <= hi
    lo, hi = _ci(k["asa"] * k["answered"], k["answered"])
    assert lo <= wfm.asa(calls, aht, 1800, agents, model="erlang_c" if patience is None else "erlang_a",
                         patience=patience) <= hi
    lo, hi = _ci(k["occupancy"] * k["agent_hours"], k["agent_hours"])
    occ = wfm.occupancy(calls, aht, 1800, agents, model="erlang_c" if patience is None else "erlang_a",
                        patience=patience)
    assert lo <= occ <= hi
    if patience is not None:
        lo, hi = _ci(k["abandon_rate"] * k["offered"], k["offered"])
        assert lo <= wfm.abandon_rate(calls, aht, 1800, agents, patience) <= hi


def test_full_catalogue_on_simulated_data():
    import wfm.simulation as sim_mod
    from wfm.simulation.customers import add_customer_fields

    idx = pd.date_range("2024-01-01 08:00", periods=16, freq="30min")
    idx = idx.append(idx + pd.Timedelta(days=1))
    sim = sim_mod.simulate(pd.Series(60.0, index=idx), 240, 9, patience=120, seed=5)
    full = add_customer_fields(sim.contacts, seed=2)
    k = kpis(full, states=sim.agent_states, costs={"paid_hour": 25.0}, basis="simulated")
    assert len(k) == 2 and (k["basis"] == "simulated").all()
    # every figure again from the log, written out independently of wfm (the FCR with a slow loop)
    cust, arr = full["customer"].to_numpy(), full["arrival"].to_numpy()
    week = np.timedelta64(7 * 86400, "s")
    states = sim.agent_states
    for row, (_, part) in zip(k.itertuples(), full.groupby(full["arrival"].dt.normalize())):
        h = part[part["answered"]]
        repeated = [bool(((cust == c) & (arr >= a) & (arr <= a + week) & (np.arange(len(full)) != j)).any())
                    for j, c, a in zip(h.index, h["customer"], h["arrival"].to_numpy())]
        assert row.fcr == pytest.approx(1 - np.mean(repeated))
        assert row.transfer_rate == pytest.approx(h["transferred"].mean())
        assert row.escalation_rate == pytest.approx(h["escalated"].mean())
        assert row.complaints == part["complaint"].sum()
        csat, nps = h["csat"].dropna(), h["nps"].dropna()
        assert row.csat == pytest.approx((csat >= 4).mean())           # top two boxes of 1-5
        assert row.nps == pytest.approx(100 * ((nps >= 9).mean() - (nps <= 6).mean()))
        assert row.ces == pytest.approx(h["ces"].dropna().mean())
        assert row.qa == pytest.approx(h["qa"].dropna().mean())
        sent = h["sentiment"].dropna()
        assert row.net_sentiment == pytest.approx(((sent > 0).sum() - (sent < 0).sum()) / len(sent))
        day_states = states[states["start"].dt.normalize() == row.period]
        logged_in = (day_states["end"] - day_states["start"]).dt.total_seconds()[day_states["state"] != "logged_out"]
        assert row.cost == pytest.approx(25.0 * logged_in.sum() / 3600)  # no schedule: paid = logged-in time
        assert row.cost_per_contact == pytest.approx(row.cost / len(h))


# ---------------------------------------------------------------- properties

_score = st.one_of(st.none(), st.integers(0, 10))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 7200), st.one_of(st.none(), st.integers(0, 600)), st.integers(0, 900),
                          _score), min_size=1, max_size=30))
def test_rates_stay_in_their_ranges(rows):
    base = ts(D1 + "08:00")
    arrival = [base + pd.Timedelta(seconds=a) for a, _, _, _ in rows]
    answer = [a + pd.Timedelta(seconds=w) if w is not None else pd.NaT for a, (_, w, _, _) in zip(arrival, rows)]
    frame = pd.DataFrame({"arrival": arrival, "answer": answer,
                          "handle": [h if w is not None else np.nan for _, w, h, _ in rows],
                          "nps": [np.nan if s is None else s for _, _, _, s in rows]})
    k = kpis(frame, freq="h")
    for col in ("service_level", "abandon_rate", "short_abandon_rate"):
        vals = k[col].dropna()
        assert ((vals >= 0) & (vals <= 1)).all()
    nps = k["nps"].dropna()
    assert ((nps >= -100) & (nps <= 100)).all()
    both = k.dropna(subset=["asa"])
    assert (both["asa"] <= both["longest_wait"] + 1e-9).all()
    assert k["offered"].sum() == len(rows)
    assert k["answered"].sum() + k["abandoned"].sum() == len(rows)
    # row order does not matter
    shuffled = kpis(frame.iloc[::-1], freq="h")
    pd.testing.assert_frame_equal(k, shuffled)


def test_daily_counts_sum_to_the_week(log):
    daily = kpis(log, freq="D")
    weekly = kpis(log, freq="W").iloc[0]
    for col in ("contacts", "offered", "answered", "abandoned", "handled", "tickets", "csat_responses"):
        assert daily[col].sum() == weekly[col]


# ---------------------------------------------------------------- bad input

def test_missing_arrival_names_the_column(log):
    with pytest.raises(ValueError, match="contacts has no column 'arrival'"):
        kpis(log.drop(columns="arrival"))
    blank = log.rename(columns={"arrival": "CallStart"})
    blank.loc[2, "CallStart"] = pd.NaT
    with pytest.raises(ValueError, match=r"'arrival' \(mapped from 'CallStart'\) must hold a timestamp in every row"
                                         r".*rows \[2\]"):
        read_contacts(blank, columns={"arrival": "CallStart"})


def test_mapping_errors(log):
    with pytest.raises(ValueError, match="unknown contacts column 'arival'. Did you mean 'arrival'"):
        read_contacts(log, columns={"arival": "arrival"})
    with pytest.raises(ValueError, match="no column 'CallStart' \\(mapped to 'arrival'\\)"):
        read_contacts(log.drop(columns="arrival"), columns={"arrival": "CallStart"})


def test_wrong_types_name_column_and_rows(log):
    bad = log.astype({"arrival": object})
    bad.loc[3, "arrival"] = "yesterday"
    with pytest.raises(TypeError, match=r"column 'arrival' must hold timestamps.*rows \[3\].*'yesterday'"):
        kpis(bad)
    text = log.astype({"talk": object})
    text.loc[1, "talk"] = "two minutes"
    with pytest.raises(TypeError, match=r"column 'talk' must hold numbers of seconds.*rows \[1\]"):
        kpis(text)
    neg = log.copy()
    neg.loc[4, "hold"] = -5
    with pytest.raises(ValueError, match=r"column 'hold' must be finite and >= 0 seconds.*rows \[4\]"):
        kpis(neg)
    flag = log.astype({"transferred": object})
    flag.loc[0, "transferred"] = "maybe"
    with pytest.raises(TypeError, match=r"column 'transferred' must hold True/False.*rows \[0\]"):
        kpis(flag)


def test_times_that_end_before_they_start(log):
    bad = log.copy()
    bad.loc[1, "answer"] = ts(D1 + "09:09:00")  # before its 09:10 arrival
    with pytest.raises(ValueError, match=r"column 'answer' must not be before 'arrival'.*rows \[1\]"):
        kpis(bad)
    res = log.copy()
    res.loc[6, "resolved"] = ts(D1 + "10:00")
    with pytest.raises(ValueError, match=r"column 'resolved' must not be before 'arrival'.*rows \[6\]"):
        kpis(res)


def test_scores_outside_their_scale(log):
    bad = log.copy()
    bad.loc[[0, 5], "csat"] = [6, 7]
    with pytest.raises(ValueError, match=r"column 'csat' must lie on its scale \[1, 5\].*rows \[0, 5\].*csat_scale"):
        kpis(bad)
    nps = log.copy()
    nps.loc[2, "nps"] = 11
    with pytest.raises(ValueError, match=r"column 'nps' must lie on its scale \[0, 10\].*rows \[2\]"):
        kpis(nps)
    with pytest.raises(ValueError, match="csat_scale must be a \\(low, high\\) pair"):
        kpis(log, csat_scale=(5, 1))


def test_answered_and_abandoned_at_once(log):
    bad = log.assign(abandoned=False)
    bad.loc[0, "abandoned"] = True
    with pytest.raises(ValueError, match=r"column 'abandoned' marks contacts that were also answered.*rows \[0\]"):
        kpis(bad)


def test_unknown_channel_and_definitions(log):
    bad = log.copy()
    bad.loc[2, "channel"] = "pigeon"
    with pytest.raises(ValueError, match=r"column 'channel' has values that are not known.*rows \[2\].*channels="):
        kpis(bad)
    assert kpis(bad, channels={"pigeon": "deferred"}).iloc[0]["tickets"] == 3
    with pytest.raises(TypeError, match="unknown definition 'treshold'. Did you mean 'threshold'"):
        kpis(log, treshold=20)
    with pytest.raises(ValueError, match="sl_definition must be one of"):
        kpis(log, sl_definition="all")
    with pytest.raises(ValueError, match="by names 'skill'"):
        kpis(log, by="skill")
    with pytest.raises(ValueError, match="freq must be"):
        kpis(log, freq="fortnightly")
    with pytest.raises(ValueError, match="costs has unknown key 'per_hour'"):
        kpis(log, costs={"per_hour": 20})
    with pytest.raises(ValueError, match="by names 'team'.*staff="):
        kpis(log, by="team")
    assert set(DEFINITIONS) >= {"threshold", "fcr_days", "csat_scale"}


def test_staff_list_and_schedule_errors(floor):
    schedule, states, contacts = floor
    staff = pd.DataFrame({"agent": ["A"], "team": ["North"]})
    with pytest.raises(ValueError, match=r"column 'agent' names agents who are not on the staff list.*rows \[5\].*'B'"):
        kpis(contacts, states=states, schedule=schedule, staff=staff)
    dup = pd.DataFrame({"agent": ["A", "A"], "team": ["North", "South"]})
    with pytest.raises(ValueError, match=r"column 'agent' must name each agent once"):
        read_staff(dup)
    overlap = schedule.copy()
    overlap.loc[1, "start"] = _t("09:50")
    with pytest.raises(ValueError, match=r"column 'start' overlaps an earlier row of the same agent.*rows \[1\]"):
        kpis(contacts, schedule=overlap)
    backwards = states.copy()
    backwards.loc[2, "end"] = _t("09:00")
    with pytest.raises(ValueError, match=r"column 'end' must not be before 'start'.*rows \[2\]"):
        kpis(contacts, states=backwards)
    unknown = states.copy()
    unknown.loc[3, "state"] = "Coffee"
    with pytest.raises(ValueError, match=r"column 'state' has state labels with no state activity.*rows \[3\].*"
                                         r"activities=\{'Coffee'"):
        kpis(contacts, states=unknown)
    # Coffee (09:50-10:00, was idle) read as a break: 10 available minutes fewer, handling unchanged
    assert kpis(contacts, states=unknown, activities={"Coffee": "break"}).iloc[0]["occupancy"] == \
        pytest.approx(35 / 115)


@pytest.mark.parametrize("tz", [None, "America/New_York"])
def test_weeks_start_on_week_start(tz):
    # Sat 6, Sun 7, Mon 8 and Sat 13 January 2024; pandas' own weekly periods are the reference:
    # weeks from Sunday are periods ending Saturday ("W-SAT"), weeks from Monday end Sunday ("W-SUN")
    arrival = pd.to_datetime(["2024-01-06 09:00", "2024-01-07 09:00", "2024-01-08 09:00", "2024-01-13 23:30"])
    arrival = arrival.tz_localize(tz) if tz else arrival
    log = pd.DataFrame({"arrival": arrival, "answer": arrival + pd.Timedelta(seconds=10)})
    for week_start, ending in (("SUN", "W-SAT"), ("MON", "W-SUN"), ("sat", "W-FRI")):
        k = kpis(log, freq="W", week_start=week_start)
        wall = arrival.tz_localize(None) if tz else arrival
        ref = pd.Series(1, index=wall.to_period(ending).start_time).groupby(level=0).sum()
        assert [p.tz_localize(None) if tz else p for p in k["period"]] == list(ref.index), week_start
        assert k["contacts"].tolist() == ref.tolist()
        assert all(p.hour == 0 for p in k["period"])
    assert kpis(log, freq="W", week_start="SUN")["contacts"].tolist() == [1, 3]   # Sat 6 | Sun 7, Mon 8, Sat 13
    assert kpis(log, freq="W", week_start="SUN").attrs["week_start"] == "SUN"
    with pytest.raises(ValueError, match="week_start must name a weekday"):
        kpis(log, freq="W", week_start="Sonntag")


def test_roster_is_the_deprecated_name_of_the_staff_list(log):
    """A roster is agents put on shifts (wfm.roster); the agent -> team list is the staff list. The old keyword
    and reader still work, with a DeprecationWarning, and give the same tables; both names at once is an error."""
    staff = pd.DataFrame({"agent": ["A", "B"], "team": ["North", "South"]})
    with pytest.warns(DeprecationWarning, match="pass staff="):
        old = kpis(log, roster=staff, by="team")
    pd.testing.assert_frame_equal(old, kpis(log, staff=staff, by="team"))
    with pytest.warns(DeprecationWarning, match="read_staff"):
        pd.testing.assert_frame_equal(read_roster(staff), read_staff(staff))
    with pytest.raises(TypeError, match=r"pass staff= only"):
        team_report(log, staff=staff, roster=staff)


def test_a_threshold_in_minutes_warns_as_the_staffing_threshold_does():
    from wfm._validation import UnitWarning

    t = lambda s: pd.Timestamp("2024-01-01 09:00") + pd.Timedelta(seconds=s)
    log = pd.DataFrame({"arrival": [t(0), t(60)], "answer": [t(10), t(85)], "talk": [200, 100]})
    with pytest.warns(UnitWarning, match=r"threshold of 0.33 s is implausible \(expected at least 1 s\)"):
        kpis(log, threshold=0.33)
    with pytest.warns(UnitWarning, match=r"threshold\['chat'\] of 0.5 s"):
        kpis(log, threshold={"voice": 20, "chat": 0.5})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kpis(log, threshold=20)


def test_logs_given_as_paths_take_the_readers_date_options(floor, tmp_path):
    """The floor's states and schedule exported day-first, dated 04/03/2024 (4 March or 3 April): from the files
    they are refused without an order, never guessed; with dayfirst=True, or the date_format (the options
    wfm.read_states and wfm.read_schedule take), the KPIs are those of the frames; tz reaches the readers too."""
    shift = pd.Timedelta(days=63)  # 2024-01-01 -> 2024-03-04, a date that reads both ways
    schedule, states, contacts = (f.assign(**{c: f[c] + shift for c in f.columns if c in ("start", "end", "arrival",
                                                                                              "answer")})
                                  for f in floor)
    paths = {}
    for name, f in (("schedule", schedule), ("states", states)):
        paths[name] = tmp_path / f"{name}.csv"
        f.assign(start=f["start"].dt.strftime("%d/%m/%Y %H:%M"), end=f["end"].dt.strftime("%d/%m/%Y %H:%M")).to_csv(
            paths[name], index=False)
    with pytest.warns(DataWarning, match="no state record"):
        expected = kpis(contacts, states=states, schedule=schedule)
    with pytest.raises(ValueError, match=r"'04/03/2024' is 4 March or 3 April.*pass dayfirst=True"):
        kpis(contacts, states=paths["states"], schedule=paths["schedule"])
    for dates in ({"dayfirst": True}, {"date_format": "%d/%m/%Y %H:%M"}):
        with pytest.warns(DataWarning, match="no state record"):
            got = kpis(contacts, states=paths["states"], schedule=paths["schedule"], **dates)
        pd.testing.assert_frame_equal(got, expected)
    with pytest.warns(DataWarning, match="no state record"):
        zoned = kpis(contacts, states=paths["states"], schedule=paths["schedule"], dayfirst=True, tz="Europe/London")
    assert zoned["period"].dt.tz is not None
    pd.testing.assert_frame_equal(zoned.assign(period=zoned["period"].dt.tz_localize(None)), expected)
