"""channel_headline's agents_required_peak is a whole count (pandas Int64): <NA> for a failed channel, and the
CSV, HTML and Excel writers and the printed lines show whole numbers and a missing mark, never 'nan' or '12.0'."""

import openpyxl
import pandas as pd
import pytest

import wfm
from wfm.headline import channel_headline
from wfm.report import write_excel, write_table
from wfm.report.channel_views import channel_lines
from wfm.report.html import render_html
from wfm.scenario.channel_plans import ChannelsResult

WHY = "ValueError: service_level 0.95 cannot be met with these open hours"


@pytest.fixture(scope="module")
def channels():
    """A day of the bank's calls (real) with a chat queue at a fifth of them, and a deferred queue that failed."""
    calls = wfm.datasets.bank_calls("30min").loc["2003-10-20"]
    voice = wfm.staffing_plan(calls, aht=300, service_level=0.8, threshold=20, open_days=["Mon"])
    chat = wfm.chat_staffing(calls * 0.2, 300, concurrency=2, patience=300)
    head = channel_headline(voice, {"chat": chat}, failed={"back_office": WHY})
    return voice, chat, ChannelsResult(plans={"chat": chat}, headline=head, voice_queue="bank",
                                       errors={"back_office": WHY})


def test_the_peak_is_a_whole_count_and_na_for_a_failed_channel(channels):
    voice, chat, res = channels
    head = res.headline.set_index("channel")
    assert head["agents_required_peak"].dtype == "Int64"
    assert head.loc["voice", "agents_required_peak"] == voice.table["agents"].max()
    assert head.loc["chat", "agents_required_peak"] == chat.table["agents"].max()
    together = voice.table["agents"].add(chat.table["agents"], fill_value=0).max()   # most on duty at once
    assert head.loc["total", "agents_required_peak"] == together
    assert head.loc["back_office", "status"] == "failed" and head.loc["back_office", "agents_required_peak"] is pd.NA
    f = res.figures()
    assert f["agents_required_peak"] == together and isinstance(f["agents_required_peak"], int)


def test_the_writers_show_whole_numbers_and_a_missing_mark(channels, tmp_path):
    voice, chat, res = channels
    head = res.headline
    peak = {c: head.set_index("channel").loc[c, "agents_required_peak"] for c in ("voice", "chat", "total")}
    csv = pd.read_csv(write_table(tmp_path / "h.csv", head), dtype=str, keep_default_na=False).set_index("channel")
    assert csv.loc["back_office", "agents_required_peak"] == ""
    assert all(csv.loc[c, "agents_required_peak"] == str(peak[c]) for c in peak)        # '55', not '55.0'
    html = render_html(title="t", sections=[{"heading": "Channels", "table": head}])
    assert f">{peak['total']:,}<" in html and ">nan<" not in html.lower() and ">&lt;NA&gt;<" not in html
    book = openpyxl.load_workbook(write_excel(tmp_path / "h.xlsx", {"channels": head}), read_only=True)
    rows = list(book["channels"].iter_rows(values_only=True))
    col = next(r for r in rows if r and "agents_required_peak" in r).index("agents_required_peak")
    cells = {r[0]: r[col] for r in rows if r and r[0] in ("voice", "back_office", "total")}
    assert cells == {"voice": peak["voice"], "back_office": None, "total": peak["total"]}


def test_the_printed_lines_format_the_count_and_a_missing_one(channels):
    _, _, res = channels
    lines = channel_lines(res)
    total = res.headline.set_index("channel").loc["total", "agents_required_peak"]
    assert any(line.startswith(f"    total          {total:>7,} agents at peak") for line in lines)
    assert any("back_office    FAILED, not sized and not in the total: " + WHY in line for line in lines)
    unknown = res.headline.copy()   # a total without a time axis has no peak (<NA>) but its FTE
    unknown.loc[unknown["channel"] == "total", "agents_required_peak"] = pd.NA
    lines = channel_lines(ChannelsResult(plans=res.plans, headline=unknown, voice_queue="bank"))
    assert any(line.startswith("    total              n/a agents at peak") for line in lines)
