"""write_html: one self-contained, escaped page with readable tables."""

import base64
import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import wfm
from wfm import report


def _page(tmp_path, sections, title="Week of 20 October 2003"):
    out = report.write_html(tmp_path / "report.html", title=title, sections=sections)
    return out.read_text(encoding="utf-8")


def _body_rows(page, heading):
    """The <tr> rows of the table body in the section with ``heading``."""
    section = page.split(f"<h2>{heading}</h2>", 1)[1].split("</section>", 1)[0]
    return re.findall(r"<tr>.*?</tr>", section.split('<table class="data">', 1)[1].split("<tbody>", 1)[1])


def test_page_is_self_contained_with_the_figure_embedded(tmp_path, plan):
    ax = plan.plot()
    page = _page(tmp_path, [{"heading": "Plan", "figure": ax.figure, "table": plan.table}])
    plt.close(ax.figure)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<style>" in page and "<link" not in page and "<script" not in page
    # nothing fetched from elsewhere: every src/href is inline data or an anchor in the page
    assert not re.findall(r"(?:src|href)\s*=\s*[\"'](?!data:|#)", page)
    assert not re.search(r"url\(\s*[\"']?https?:", page)
    (data,) = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert base64.b64decode(data)[:8] == b"\x89PNG\r\n\x1a\n"


def test_axes_stand_for_their_figure_and_no_figure_means_no_image(tmp_path, figure):
    page = _page(tmp_path, [{"heading": "A", "figure": figure.axes[0]}, {"heading": "B", "text": "no plot"}])
    assert page.count("data:image/png;base64,") == 1


def test_tables_and_params_appear_formatted(tmp_path, plan):
    page = _page(tmp_path, [{"heading": "Plan", "text": "Erlang C, 80/20.", "params": plan.params,
                             "table": plan.table}])
    assert "<h1>Week of 20 October 2003</h1>" in page and "<p>Erlang C, 80/20.</p>" in page
    for column in ["calls", "agents", "scheduled_agents", "service_level", "binding_target"]:
        assert f">{column}</th>" in page
    # params: name and value, a dict flattened
    assert '<th scope="row">threshold</th><td>20</td>' in page
    assert '<th scope="row">shrinkage</th><td>breaks: 0.1, absence: 0.15</td>' in page
    assert '<th scope="row">patience</th><td>\u2013</td>' in page
    # index as row headers, times without seconds; integers with thousands separators
    first = _body_rows(page, "Plan")[0]
    assert '<th scope="row">2003-10-20 07:00</th>' in first
    t = plan.table
    peak = t["calls"].idxmax()
    assert f'<td class="num">{int(t.loc[peak, "calls"]):,}</td>' in page  # whole-number floats shown as integers
    # rates as percentages (service level 0.8310 -> 83.1%), other floats with four significant digits
    assert f'<td class="num">{t.loc[t.index[0], "service_level"]:.1%}</td>' in first
    assert f'<td class="num">{t.loc[t.index[0], "asa"]:.2f}</td>' in first
    assert '<td class="num">300</td>' in first


def test_max_rows_and_the_note(tmp_path, plan):
    n = len(plan.table)
    page = _page(tmp_path, [{"heading": "Default", "table": plan.table},
                            {"heading": "Ten", "table": plan.table, "max_rows": 10},
                            {"heading": "All", "table": plan.table, "max_rows": None},
                            {"heading": "Short", "table": plan.table.head(3)}])
    assert len(_body_rows(page, "Default")) == report.html.DEFAULT_MAX_ROWS
    assert f"Showing the first 50 of {n:,} rows." in page
    assert len(_body_rows(page, "Ten")) == 10 and f"first 10 of {n:,} rows" in page
    assert len(_body_rows(page, "All")) == n
    assert len(_body_rows(page, "Short")) == 3
    assert page.count("Showing the first") == 2


def test_status_column_gets_traffic_light_cells(tmp_path, scorecard):
    card = scorecard.assign(note=["green", "", "", ""])  # only the status column is coloured
    card.loc[len(card)] = ["fcr", 0.7, 0.75, "purple", ""]
    page = _page(tmp_path, [{"heading": "Scorecard", "table": card}])
    for status in ["amber", "red", "green"]:
        assert f'<td class="status status-{status}">{status}</td>' in page
    assert '<td class="status status-no-data">no data</td>' in page
    assert "<td>purple</td>" in page and "<td>green</td>" in page
    assert re.search(r"td\.status-red \{ background: #[0-9a-f]{6}", page)
    # mixed magnitudes: four significant digits of the largest, small values keep three of their own
    assert '<td class="num">0.78</td>' in page and '<td class="num">31.20</td>' in page
    assert '<td class="num">0.70</td>' in page
    assert '<td class="num">0.0410</td>' in page
    assert '<td class="num na">\u2013</td>' in page  # NaN


def test_everything_is_escaped(tmp_path):
    evil = "<script>alert('x')</script>"
    table = pd.DataFrame({evil: [evil, "a & b"]}, index=pd.Index([evil, "ok"], name=evil))
    page = _page(tmp_path, [{"heading": evil, "text": evil, "params": {evil: evil, "nested": {evil: [evil]}},
                             "table": table}], title=evil)
    assert "<script" not in page
    assert page.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;") >= 8
    assert "a &amp; b" in page


def test_time_zones_and_durations(tmp_path):
    idx = pd.date_range("2024-03-31 00:00", periods=3, freq="D", tz="Europe/Paris", name="day")
    table = pd.DataFrame({"wait": pd.to_timedelta([20, 95, 3600], unit="s"), "flag": [True, False, True],
                          "agents": pd.array([14, None, 30], dtype="Int64")}, index=idx)
    page = _page(tmp_path, [{"heading": "T", "table": table}])
    assert ">day (Europe/Paris)</th>" in page and '<th scope="row">2024-03-31</th>' in page
    assert "0 days 00:01:35" in page and "<td>True</td>" in page
    assert '<td class="num">14</td>' in page and '<td class="num na">\u2013</td>' in page


def test_series_multiindex_and_empty_tables(tmp_path):
    s = pd.Series([1.5, 2.25], index=pd.MultiIndex.from_tuples([("a", 1), ("b", 2)], names=["queue", "day"]),
                  name="fte")
    wide = pd.DataFrame(np.ones((1, 2)), columns=pd.MultiIndex.from_tuples([("sl", "mon"), ("sl", "tue")]))
    page = _page(tmp_path, [{"heading": "S", "table": s}, {"heading": "W", "table": wide},
                            {"heading": "E", "table": pd.DataFrame({"calls": []})}])
    assert ">queue</th>" in page and ">day</th>" in page and ">fte</th>" in page
    assert ">sl / mon</th>" in page
    assert "No rows." in page


def test_written_file_is_the_rendered_page(tmp_path, scorecard):
    sections = [{"heading": "Scorecard", "table": scorecard, "figure": None}]
    assert _page(tmp_path, sections) == report.render_html(title="Week of 20 October 2003", sections=sections)


@pytest.mark.parametrize(("sections", "error", "match"), [
    ([{"heading": "x", "tabel": pd.DataFrame()}], ValueError, r"sections\[0\] has unknown key 'tabel'"),
    ([{"text": "no heading"}], ValueError, r"sections\[0\] needs the key 'heading'"),
    ([{"heading": "x"}, {"heading": "y", "table": [1, 2]}], TypeError, r"sections\[1\]\['table'\] must be a pandas"),
    ([{"heading": "x", "figure": "plot.png"}], TypeError, r"sections\[0\]\['figure'\] must be a matplotlib"),
    ([{"heading": "x", "params": [1]}], TypeError, r"sections\[0\]\['params'\] must be a dict"),
    ([{"heading": "x", "max_rows": 0}], ValueError, r"sections\[0\]\['max_rows'\] must be a whole number >= 1"),
    ([{"heading": 3}], TypeError, r"sections\[0\]\['heading'\] must be a str"),
    ({"heading": "x"}, TypeError, "sections must be a list"),
    (["x"], TypeError, r"sections\[0\] must be a dict"),
])
def test_bad_sections_name_the_section_and_key(tmp_path, sections, error, match):
    with pytest.raises(error, match=match):
        report.write_html(tmp_path / "r.html", title="t", sections=sections)
    assert not (tmp_path / "r.html").exists()


def test_title_must_be_text(tmp_path):
    with pytest.raises(TypeError, match="title must be a str"):
        report.write_html(tmp_path / "r.html", title=None, sections=[])


def test_day_labels_whole_numbers_and_an_unnamed_index(tmp_path):
    by_template = pd.DataFrame({pd.Timestamp("2003-10-20"): [280.0, 194.0], pd.Timestamp("2003-10-21"): [1.0, 1.0]},
                               index=["FT8", "PT4"])
    page = _page(tmp_path, [{"heading": "T", "table": by_template}])
    assert '<th scope="col"></th><th class="num" scope="col">2003-10-20</th>' in page
    assert '<td class="num">1</td>' in page and "1.00" not in page and '<td class="num">280</td>' in page


def test_cards_come_first_then_the_table_of_contents(tmp_path, plan):
    h = wfm.plan_headline(plan)
    page = _page(tmp_path, [{"heading": "Headline", "cards": h.table, "text": h.note()},
                            {"heading": "Plan", "table": plan.totals("D")}, {"heading": "More", "text": "x"}])
    cards = re.findall(r'<div class="card" data-figure="(\w+)"><div class="value">(.*?)</div>', page)
    assert cards == list(zip(h.table["figure"], h.table["text"]))
    assert dict(cards)["agents_required_peak"] == "319"  # as the headline formats it, once
    assert page.index('class="cards"') < page.index("<nav>") < page.index("<h2>Plan</h2>")


def test_heat_cells_coloured_by_their_value(tmp_path):
    text = pd.DataFrame({"Mon 27 Oct": ["3 / 4", "4 / 4", "5 / 3"]}, index=pd.Index(["07:00", "07:30", "08:00"],
                                                                                     name="time"))
    value = pd.DataFrame({"Mon 27 Oct": [1, 0, -2]}, index=text.index)
    page = _page(tmp_path, [{"heading": "Coverage", "heat": {"text": text, "value": value, "legend": "blue: over"}}])
    cells = re.findall(r"<td( style=\"background: #([0-9a-f]{6})\")?>(.*?)</td>", page)
    (_, over, _), (_, zero, _), (_, short, _) = cells
    assert zero == ""  # exactly covered: no colour
    r, _, b = (int(over[i:i + 2], 16) for i in (0, 2, 4))
    assert b == 255 and r < 255  # over: blue
    r, _, b = (int(short[i:i + 2], 16) for i in (0, 2, 4))
    assert r == 255 and b < 255  # short: red, the largest magnitude the strongest
    assert int(short[2:4], 16) < int(over[2:4], 16)  # |-2| is the largest: the deeper colour
    assert "blue: over" in page
    with pytest.raises(ValueError, match=r"sections\[0\]\['heat'\] must be 'text' and 'value' of the same shape"):
        _page(tmp_path, [{"heading": "x", "heat": {"text": text, "value": value.iloc[:2]}}])


def test_sortable_table_sorts_by_raw_numbers(tmp_path):
    table = pd.DataFrame({"variant": ["base", "b", "c"], "fte": [595.4, 1234.4, 99.0],
                          "service_level": [0.9794, 0.95, float("nan")]})
    page = _page(tmp_path, [{"heading": "Variants", "table": table, "sortable": True}])
    assert 'class="data sortable"' in page and page.count("<script>") == 1 and "src=" not in page
    # the text shows 1,234 and 97.9%, the sort key is the number itself
    assert '<td class="num" data-v="1234.4">1,234</td>' in page
    assert '<td class="num" data-v="0.9794">97.9%</td>' in page
    assert '<td class="num na" data-v="">\u2013</td>' in page
    assert "<script" not in _page(tmp_path, [{"heading": "Variants", "table": table}])  # only when asked


def test_formats_percent_ids_and_params_without_separators(tmp_path):
    table = pd.DataFrame({"seed": [2003, 12345], "abandon_rate": [0.0251, 0.1], "heads": [679.0, 1234.0],
                          "ratio": [0.5, 0.25]})
    page = _page(tmp_path, [{"heading": "T", "table": table, "params": {"seed": 2003, "level": 0.99},
                             "formats": {"ratio": "percent", "heads": "id"}}])
    assert '<td class="num">2003</td>' in page and "2,003" not in page  # seeds and ids as written
    assert '<td class="num">2.5%</td>' in page and '<td class="num">10.0%</td>' in page
    assert '<td class="num">50.0%</td>' in page and '<td class="num">1234</td>' in page
    assert '<th scope="row">seed</th><td>2003</td>' in page and '<th scope="row">level</th><td>0.99</td>' in page
    with pytest.raises(ValueError, match=r"sections\[0\]\['formats'\]\['x'\] must be one of percent"):
        _page(tmp_path, [{"heading": "T", "table": table, "formats": {"x": "percentage"}}])


def test_sort_arrows_are_css_escapes_and_the_page_has_no_control_characters(tmp_path):
    """The arrows are the CSS escapes \\25B2 and \\25BC (an octal escape in the Python source once made them a
    control character followed by 'B2')."""
    table = pd.DataFrame({"variant": ["base", "b"], "fte": [595.4, 1234.4]})
    page = _page(tmp_path, [{"heading": "Variants", "text": "What each column means.", "table": table,
                             "sortable": True}])
    assert 'content: " \\25B2"' in page and 'content: " \\25BC"' in page
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", page)


def test_a_long_table_scrolls_inside_its_box_below_its_text(tmp_path):
    """Tables scroll inside a box of bounded height, so the text above a long table stays in sight while its
    header sticks to the box's top; printed pages show the whole table."""
    table = pd.DataFrame({"variant": [f"v{i}" for i in range(200)], "fte": np.arange(200.0)})
    page = _page(tmp_path, [{"heading": "Variants", "text": "What each column means.", "table": table,
                             "max_rows": None, "sortable": True}])
    css = page.split("<style>", 1)[1].split("</style>", 1)[0]
    scroll = re.search(r"\.scroll \{([^}]*)\}", css).group(1)
    assert "overflow: auto" in scroll and "max-height: 75vh" in scroll
    assert re.search(r"thead th \{[^}]*position: sticky; top: 0", css)
    assert re.search(r"@media print \{.*\.scroll \{ max-height: none", css, re.S)
    section = page.split("<h2>Variants</h2>", 1)[1]
    assert section.index("What each column means.") < section.index('<div class="scroll">')


def test_new_scorecard_statuses_are_coloured(tmp_path):
    card = pd.DataFrame({"kpi": ["aht", "shrinkage"], "status": ["input", "not scored"]})
    page = _page(tmp_path, [{"heading": "Scorecard", "table": card}])
    assert '<td class="status status-input">input</td>' in page
    assert '<td class="status status-not-scored">not scored</td>' in page
    assert "td.status-not-scored {" in page


def test_units_show_each_column_in_its_unit_never_by_its_name(tmp_path):
    """A column's unit decides its text: a standard deviation named like a rate stays calls, a CSAT mean on a 1-5
    scale two decimals; per-row units for a long table (a backtest's metrics); formats win over units."""
    table = pd.DataFrame({"metric": ["wape", "rmse"], "mean": [0.0507, 41.234], "csat_mean": [4.153, 4.2],
                          "service_level_sd": [17.17, 21.76], "csat_responses": [8360, 7606],
                          "seed": [2003, 2004]})
    units = {"mean": ["fraction", "calls"], "csat_mean": "scale", "service_level_sd": "calls",
             "csat_responses": "count", "seed": "count"}
    rows = _body_rows(_page(tmp_path, [{"heading": "T", "table": table, "units": units,
                                        "formats": {"seed": "id"}}]), "T")
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", r) for r in rows]
    assert cells[0] == ["wape", "5.1%", "4.15", "17.2", "8,360", "2003"]
    assert cells[1] == ["rmse", "41.2", "4.20", "21.8", "7,606", "2004"]


def test_a_bad_unit_names_the_section_and_column(tmp_path):
    with pytest.raises(ValueError, match=r"sections\[0\]\['units'\]\['x'\]: unit must be one of"):
        _page(tmp_path, [{"heading": "T", "table": pd.DataFrame({"x": [1.0]}), "units": {"x": "percent"}}])
