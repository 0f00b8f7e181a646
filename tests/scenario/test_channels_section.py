"""The channels section of a scenario: run by `wfm run` and `wfm channels`, written per channel, named when bad.

The end-to-end test reads the written files back and recomputes each channel with the wfm.channels
function from the written inputs (the synthetic volumes, the voice forecast and the scheduled agents):
the written agents must be those functions' results exactly.
"""

import contextlib
import io

import numpy as np
import pandas as pd
import pytest

from wfm import channels as ch
from wfm import cli
from wfm._validation import UnitWarning
from wfm.scenario import ScenarioError, load_scenario, run_scenario, write_outputs

from .conftest import small_scenario, write_scenario

CHANNELS = {
    "chat": {"volume": {"total": 2000, "seed": 1}, "aht": 300, "concurrency": 3, "slowdown": 0.25, "patience": 180,
             "service_level": 0.8, "threshold": 60},
    "deferred": {"email": {"volume": {"total": 3000, "seed": 28}, "aht": 480, "deadline": 86400,
                           "service_level": 0.9, "open_hours": {d: ["08:00", "20:00"] for d in
                                                                ("mon", "tue", "wed", "thu", "fri", "sat")},
                           "blend": True, "max_occupancy": 0.85}},
    "redials": {"redial_probability": 0.3, "redial_delay": 600},
    "callbacks": {"callback_threshold": 60, "acceptance": 0.5},
}


def _scenario(**channels):
    s = small_scenario(grid={}, simulate=None, kpis=None, forecast={"method": "topdown", "backtest": None,
                                                                    "volume_factor": 0.05},
                       staffing={"model": "erlang_a", "service_level": 0.8, "threshold": 20, "patience": 180,
                                 "shrinkage": 0.3, "method": "point"},
                       channels={**CHANNELS, **channels})
    s["schedule"]["variants"] = []
    return s


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """One run of the small scenario with every channel, written out. Module scope: the tests only read it."""
    out = tmp_path_factory.mktemp("channels") / "out"
    result = run_scenario(_scenario(), jobs=1)
    write_outputs(result, out)
    return result, out


def _load_error(scenario):
    """The one-line error a bad channel file gives when the scenario is read (wfm validate, wfm run, wfm channels)."""
    with pytest.raises(ScenarioError) as err:
        load_scenario(scenario)
    return str(err.value)


def _csv(out, name):
    return pd.read_csv(out / f"{name}.csv", parse_dates=["timestamp"], index_col="timestamp")


def test_written_channels_are_the_channel_functions_results(written):
    result, out = written
    assert result.ok, (result.failed, result.channels.errors)
    voice = _csv(out, "requirements")
    chat = _csv(out, "channel_chat")
    want = ch.chat_staffing(chat["sessions"], 300, service_level=0.8, threshold=60, concurrency=3, slowdown=0.25,
                            patience=180)
    np.testing.assert_array_equal(chat["agents"], want.table["agents"])
    assert chat.index.equals(voice.index)  # chat is sized on the voice horizon

    email = _csv(out, "channel_email")
    assert email.index.size == 7 * 48  # a whole week around the clock
    scheduled = _csv(out, "coverage")["scheduled"].reindex(voice.index).fillna(0).round()
    spare = ch.blend_capacity(voice["calls"], voice["aht"], scheduled, service_level=0.8, threshold=20,
                              max_occupancy=0.85, patience=180)
    np.testing.assert_allclose(email["blended"], spare.reindex(email.index, fill_value=0.0), rtol=1e-12)
    team = (email.index.hour >= 8) & (email.index.hour < 20) & (email.index.day_of_week < 6)
    want = ch.deferred_staffing(email["items"], 480, team, deadline=86400, service_level=0.9,
                                blend=email["blended"])
    np.testing.assert_array_equal(email["agents"], want.table["agents"])
    assert result.channels.plans["email"].params["dedicated_agent_hours_saved"] > 0

    redial = _csv(out, "channel_voice_redials")
    want = ch.erlang_x_staffing(voice["calls"], voice["aht"], service_level=0.8, threshold=20, patience=180,
                                redial_probability=0.3, redial_delay=600)
    np.testing.assert_array_equal(redial["agents"], want.table["agents"])

    cb = _csv(out, "channel_callbacks")
    want = ch.callback_queue(voice["calls"], voice["aht"], agents=scheduled.astype(int), patience=180,
                             threshold=20, callback_threshold=60, acceptance=0.5)
    np.testing.assert_allclose(cb["callback_rate"], want["callback_rate"], rtol=1e-12)


def test_headline_per_channel_and_total(written):
    result, out = written
    head = pd.read_csv(out / "channels_headline.csv").set_index("channel")
    weeks = result.headline().params["weeks"]
    chat = _csv(out, "channel_chat")
    assert head.loc["chat", "agent_hours_required"] == pytest.approx(chat["agents"].sum() * 0.5 / weeks)
    assert head.loc["chat", "required_fte"] == pytest.approx(chat["agents"].sum() * 0.5 / weeks / 0.7 / 37.5)
    assert head.loc["voice", "required_fte"] == pytest.approx(result.headline().figures()["required_fte"])
    counted = head[head["in_total"] & (head.index != "total")]
    assert set(counted.index) == {"voice", "chat", "email"}  # redials size voice again; callbacks have no agents
    assert head.loc["total", "required_fte"] == pytest.approx(counted["required_fte"].sum())
    assert head.loc["total", "required_weekly_cost"] == pytest.approx(head.loc["total", "required_fte"] * 37.5 * 22)
    assert head.loc["chat", "volume"].startswith("synthetic") and head.loc["email", "volume"].startswith("synthetic")


def test_report_workbook_and_summary_show_the_channels(written):
    import openpyxl

    from wfm.scenario import summary_text

    result, out = written
    html = (out / "report.html").read_text()
    assert "Channels" in html and "Channel: email" in html and "synthetic" in html
    book = openpyxl.load_workbook(out / "wfm_plan.xlsx", read_only=True)
    assert {"channels", "channel chat", "channel email", "channel voice_redials"} <= set(book.sheetnames)
    text = summary_text(result)
    assert "channels (beside the voice plan" in text and "chat volume is synthetic" in text


@pytest.mark.parametrize("change,match", [
    ({"chat": {**CHANNELS["chat"], "concurrency": 0}}, r"channels\.chat\.concurrency: must be a whole number >= 1"),
    ({"deferred": {"email": {**CHANNELS["deferred"]["email"], "deadline": 300}}},
     r"channels\.deferred\.email: deadline must be longer than the handle time"),
    ({"redials": {"redial_probability": 1.0}}, r"channels\.redials\.redial_probability: must be below 1"),
    ({"callbacks": {"callback_threshold": 2, "acceptance": 0.5}},
     r"channels\.callbacks\.callback_threshold: must be in seconds .* looks like minutes"),
    ({"chat": {**CHANNELS["chat"], "concurency": 3}}, r"unknown key 'concurency'.*Did you mean 'concurrency'"),
    ({"chat": {**CHANNELS["chat"], "volume": {"total": 10, "path": "x.csv"}}},
     r"channels\.chat\.volume: give exactly one of 'path'"),
    ({"chat": {**CHANNELS["chat"], "service_level": 80}},
     r"channels\.chat\.service_level: .*Did you mean 0.80\? Targets and rates are fractions, not percentages"),
    ({"redials": {"redial_probability": 0.5, "lines": 0}},
     r"channels\.redials\.lines: must be a whole number of lines >= 1; got 0"),
    ({"chat": {**CHANNELS["chat"], "aht": -60}}, r"channels\.chat\.aht: must be > 0 seconds; got -60"),
    ({"chat": {**CHANNELS["chat"], "slowdown": 25}},
     r"channels\.chat\.slowdown: must be below 2 .*got 25\. Did you mean 0\.25\? Targets and rates are fractions"),
    ({"deferred": {"email": {**CHANNELS["deferred"]["email"], "deadline": "24h"}}},
     r"channels\.deferred\.email\.deadline: must be a number of seconds .*got '24h', which is 86400 s: write 86400"),
    ({"redials": {"redial_probability": 0.5, "redial_delay": "10min"}},
     r"channels\.redials\.redial_delay: must be a number of seconds .*which is 600 s"),
    ({"chat": {**CHANNELS["chat"], "patience": None, "max_abandon_rate": 0.05}},
     r"channels\.chat: max_abandon_rate caps the abandon rate but patience is not given"),
])
def test_bad_channels_are_named(change, match):
    with pytest.raises(ScenarioError, match=match):
        load_scenario(_scenario(**change))


def test_wfm_channels_sizes_only_what_is_asked(tmp_path):
    path = write_scenario(tmp_path, _scenario())
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["channels", str(path), "--out", str(tmp_path / "out"), "--only", "chat,redials"])
    assert code == 0
    assert {p.name for p in (tmp_path / "out").iterdir()} == {"channel_chat.csv", "channel_voice_redials.csv",
                                                               "channels_headline.csv", "channels.png"}
    with contextlib.redirect_stderr(err):
        code = cli.main(["channels", str(path), "--out", str(tmp_path / "out2"), "--only", "chta"])
    assert code == 2 and "--only chta: no channel 'chta'" in err.getvalue()


def test_a_volume_file_is_read_without_guessing(tmp_path):
    """A chat volume file with day/month dates that read both ways is refused, naming the column; a negative or
    empty volume is refused naming its line. Both when the scenario is read (wfm validate too), before any run."""
    idx = pd.date_range("2024-03-04 07:00", periods=4, freq="30min")
    ambiguous = pd.DataFrame({"timestamp": idx.strftime("%d/%m/%Y %H:%M"), "volume": 5.0})
    ambiguous.to_csv(tmp_path / "chat.csv", index=False)
    s = _scenario(chat={**CHANNELS["chat"], "volume": {"path": str(tmp_path / "chat.csv")}})
    s["channels"] = {k: v for k, v in s["channels"].items() if k in ("chat", "redials")}
    err = _load_error(s)
    assert "channels.chat.volume.timestamp" in err and "dayfirst" in err

    bad = pd.DataFrame({"timestamp": idx.strftime("%Y-%m-%d %H:%M"), "volume": [5.0, -1.0, None, 5.0]})
    bad.to_csv(tmp_path / "chat.csv", index=False)
    err = _load_error(s)
    assert "line(s) 3, 4" in err and "'volume'" in err


def test_a_volume_files_errors_name_its_lines_past_blank_lines(tmp_path):
    """A blank line before the header and one between the rows: the lines named are the file's own, counted on
    its text (the line each named timestamp is on), not the row's position plus 2."""
    idx = pd.date_range("2024-03-04 07:00", periods=5, freq="30min")
    stamps = idx.strftime("%Y-%m-%d %H:%M").tolist()
    stamps[3] = "2024-03-04 08:40"  # off the plan's 30-minute grid
    body = [f"{t},{v}" for t, v in zip(stamps, ["5.0", "-1.0", "", "5.0", "5.0"])]
    text = "\n".join(["", "timestamp,volume"] + body[:2] + [""] + body[2:]) + "\n"
    (tmp_path / "chat.csv").write_text(text)
    line = {t: n for n, row in enumerate(text.splitlines(), start=1) for t in stamps if row.startswith(t)}
    assert [line[t] for t in stamps] == [3, 4, 6, 7, 8]
    s = _scenario(chat={**CHANNELS["chat"], "volume": {"path": str(tmp_path / "chat.csv")}})
    s["channels"] = {"chat": s["channels"]["chat"]}
    err = _load_error(s)
    assert f"has 1 row(s) off the plan's intervals of 30 minutes, at line(s) {line[stamps[3]]} " in err
    text = text.replace(stamps[3], idx[3].strftime("%Y-%m-%d %H:%M"))
    (tmp_path / "chat.csv").write_text(text)
    err = _load_error(s)
    assert (f"2 empty, non-numeric or negative volume(s) in column 'volume', at line(s) {line[stamps[1]]}, "
            f"{line[stamps[2]]};") in err


def test_a_volume_file_off_the_plans_intervals_is_refused(written, tmp_path):
    """The chat sessions written by the synthetic run, read back from a 30-minute file, give the same agents (and a
    file with a further day gives them too, saying its rows there are not used); the same sessions split into
    15-minute halves would lose the :15/:45 rows on the plan's 30-minute grid, so they are refused, naming the key,
    both interval lengths and the fix. A deferred channel's file is checked alike."""
    result, out = written
    chat = _csv(out, "channel_chat")
    s = _scenario(chat={**CHANNELS["chat"], "volume": {"path": str(tmp_path / "chat.csv"), "column": "sessions"}})
    s["channels"] = {k: v for k, v in s["channels"].items() if k == "chat"}
    week = chat["sessions"].rename_axis("timestamp")
    later = week.set_axis(week.index + pd.Timedelta(days=1))
    pd.concat([week, later[~later.index.isin(week.index)]]).to_csv(tmp_path / "chat.csv")
    again = run_scenario(s, jobs=1).channels
    assert again.errors == {}
    np.testing.assert_array_equal(again.plans["chat"].table["agents"], chat["agents"])
    assert "rows outside the horizon's intervals, not used" in again.sources["chat"]

    halves = pd.concat([week / 2, week.set_axis(week.index + pd.Timedelta(minutes=15)) / 2]).sort_index()
    halves.to_csv(tmp_path / "chat.csv")
    err = _load_error(s)
    assert "channels.chat.volume.path: chat.csv has %d row(s) off the plan's intervals of 30 minutes" % len(week) in err
    assert "at line(s) 3, 5, 7" in err and "the file's intervals are 15 minutes, the plan's 30 minutes" in err
    assert "Resample the file to the plan's intervals" in err

    email = _csv(out, "channel_email")["items"].rename_axis("timestamp")
    pd.concat([email / 2, email.set_axis(email.index + pd.Timedelta(minutes=15)) / 2]).sort_index().to_csv(
        tmp_path / "email.csv")
    s["channels"] = {"deferred": {"email": {**CHANNELS["deferred"]["email"], "blend": False,
                                            "volume": {"path": str(tmp_path / "email.csv"), "column": "items"}}}}
    err = _load_error(s)
    assert "channels.deferred.email.volume.path: email.csv has" in err and "15 minutes, the plan's 30" in err


def test_channel_aht_in_minutes_warns_naming_the_key():
    """channels.chat.aht: 5 (minutes) warns once, naming the key (not chat_staffing's own 'aht'); a deferred
    channel's too. The plausible AHTs of CHANNELS warn nothing (the written run above)."""
    import warnings

    s = _scenario(chat={**CHANNELS["chat"], "aht": 5},
                  deferred={"email": {**CHANNELS["deferred"]["email"], "aht": 8, "blend": False}})
    s["channels"] = {k: v for k, v in s["channels"].items() if k in ("chat", "deferred")}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run_scenario(s, jobs=1)
    assert result.channels.errors == {}
    units = [str(w.message) for w in caught if issubclass(w.category, UnitWarning)]
    assert [t.split(" is ")[0] for t in units] == ["channels.chat.aht of 5 s", "channels.deferred.email.aht of 8 s"]

    s = _scenario(redials={"redial_probability": 0.3, "redial_delay": 10})
    s["channels"] = {"redials": s["channels"]["redials"]}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert run_scenario(s, jobs=1).channels.errors == {}
    units = [str(w.message) for w in caught if issubclass(w.category, UnitWarning)]
    assert [t.split(" is ")[0] for t in units] == ["channels.redials.redial_delay of 10 s"]

    with warnings.catch_warnings():
        warnings.simplefilter("error", UnitWarning)
        s = _scenario()
        s["channels"] = {k: v for k, v in s["channels"].items() if k in ("chat", "deferred")}
        s["channels"]["deferred"]["email"]["blend"] = False
        assert run_scenario(s, jobs=1).channels.errors == {}


def test_wfm_validate_reads_the_channel_files_and_open_hours(written, tmp_path):
    """review 31, 2.3 and 2.4: open hours closing before they open, a file with the wrong column, a file with UTC
    offsets beside a naive plan, and a file missing days all passed `wfm validate` and failed only in the run (the
    offsets with pandas' 'Cannot subtract tz-naive and tz-aware'). Each is now refused when the scenario is read,
    naming the key and the file; the written sessions themselves pass."""
    week = _csv(written[1], "channel_chat")["sessions"].rename_axis("timestamp")
    chat = {**CHANNELS["chat"], "volume": {"path": "chat.csv", "column": "sessions"}}
    path = write_scenario(tmp_path, _scenario(chat=chat))

    def validate():
        err, out = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = cli.main(["validate", str(path)])
        return code, err.getvalue() + out.getvalue()

    week.to_csv(tmp_path / "chat.csv")
    assert validate() == (0, validate()[1]) and ": ok:" in validate()[1]
    week.rename("volume").to_csv(tmp_path / "chat.csv")
    code, text = validate()
    assert code == 2 and "channels.chat.volume.column: column 'sessions' not in chat.csv" in text
    week.set_axis(week.index.tz_localize("America/New_York")).to_csv(tmp_path / "chat.csv")
    code, text = validate()
    assert code == 2 and ("channels.chat.volume.path: chat.csv is written with UTC offsets ('2003-10-27 "
                          "07:00:00-05:00') and the voice plan is naive (local clock, no time zone); their times are on "
                          "different clocks" in text)
    assert "Use one clock: write the file's timestamps as local times without an offset" in text
    assert "(data.tz)" in text and "tz-naive" not in text
    week[week.index < week.index[-1].normalize()].to_csv(tmp_path / "chat.csv")
    code, text = validate()
    assert code == 2 and "chat.csv has no row for" in text
    assert f"the first {week.index[-1].normalize():%Y-%m-%d}" in text
    week.to_csv(tmp_path / "chat.csv")
    email = {**CHANNELS["deferred"]["email"], "open_hours": ["17:00", "09:00"]}
    path = write_scenario(tmp_path, _scenario(chat=chat, deferred={"email": email}))
    code, text = validate()
    assert code == 2 and "channels.deferred.email.open_hours: open_hours must close after it opens" in text


def test_a_failed_channel_is_marked_in_the_headline(tmp_path):
    """review 31, 2.4: a channel that fails in the run (a target its open hours cannot reach) was left out of
    channels_headline.csv's total with no mark. It is now a row with status 'failed' and the reason, and the
    total's note names it; the printed lines say so too and the exit code is 1."""
    office = {**CHANNELS["deferred"]["email"], "blend": False, "deadline": 3600, "open_hours": ["09:00", "10:00"],
              "service_level": 0.95}
    s = _scenario(deferred={"back_office": office})
    s["channels"] = {k: v for k, v in s["channels"].items() if k in ("chat", "deferred")}
    path = write_scenario(tmp_path, s)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(["channels", str(path), "--out", str(tmp_path / "out")])
    assert code == 1
    head = pd.read_csv(tmp_path / "out" / "channels_headline.csv", keep_default_na=False).set_index("channel")
    assert list(head.index) == ["voice", "chat", "back_office", "total"]
    assert head.loc["back_office", "status"] == "failed" and not head.loc["back_office", "in_total"]
    assert "cannot be met with these open hours" in head.loc["back_office", "note"]
    assert head.loc["total", "note"].startswith("excludes the failed channel(s) back_office")
    fte = head["required_fte"].replace("", "nan").astype(float)
    assert fte["total"] == pytest.approx(fte["voice"] + fte["chat"]) and np.isnan(fte["back_office"])
    text = out.getvalue()
    assert "back_office    FAILED, not sized and not in the total: ValueError: service_level 0.95" in text
    assert "(excludes the failed channel(s) back_office" in text


def test_the_headline_says_what_each_service_level_counts(written):
    """review 31, 4.1: voice's service level is over calls offered, callbacks' over the calls that stayed in the
    queue, deferred work's the items started within the deadline; one column, so each row says which."""
    result, out = written
    head = pd.read_csv(out / "channels_headline.csv", keep_default_na=False).set_index("channel")
    assert head.loc["voice", "service_level_of"] == "calls answered within 20 s / calls offered"
    assert head.loc["callbacks", "service_level_of"].startswith("calls answered within 20 s / calls that stayed in "
                                                                "the queue")
    assert head.loc["email", "service_level_of"] == "items started within the deadline of 24 h / items arrived"
    assert head.loc["chat", "service_level_of"].startswith("sessions with a first response within 1 min")
    assert (head["status"] == "ok").all()
    from wfm.scenario import summary_text

    text = summary_text(result)
    assert "SL of the calls kept in the queue" in text and "on time" in text


def test_a_naive_volume_file_beside_a_zoned_plan_names_both_clocks_and_the_fix_works(tmp_path):
    """The voice history read in a zone (data.tz) and a chat file without UTC offsets: the message
    (wfm._clock_checks.mixed_clocks) names the file, both clocks and data.tz; the file written as it says loads."""
    from wfm.datasets import bank_calls

    bank_calls("30min").rename("calls").rename_axis("timestamp").to_csv(tmp_path / "calls.csv")
    idx = pd.DatetimeIndex([t for d in pd.date_range("2003-10-27", periods=5)  # the plan's horizon, 07:00-21:00
                            for t in pd.date_range(d + pd.Timedelta("7h"), periods=28, freq="30min")])
    pd.DataFrame({"timestamp": idx.strftime("%Y-%m-%d %H:%M"), "volume": 5.0}).to_csv(tmp_path / "chat.csv",
                                                                                     index=False)
    s = _scenario(chat={**CHANNELS["chat"], "volume": {"path": str(tmp_path / "chat.csv")}})
    s["channels"] = {"chat": s["channels"]["chat"]}
    s["data"] = {"path": str(tmp_path / "calls.csv"), "freq": "30min", "tz": "America/New_York"}
    err = _load_error(s)
    assert ("chat.csv is naive ('2003-10-27 07:00', no UTC offset) and the voice plan is in time zone "
            "America/New_York (data.tz); their times are on different clocks. Use one clock: write the file's "
            "timestamps with their offset (e.g. 2003-10-27 07:00:00-05:00)") in err
    pd.DataFrame({"timestamp": idx.tz_localize("America/New_York").strftime("%Y-%m-%d %H:%M%z"),
                  "volume": 5.0}).to_csv(tmp_path / "chat.csv", index=False)
    assert load_scenario(s) is not None
