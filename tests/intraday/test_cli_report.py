"""wfm intraday on CSV files (with and without a schedule), its errors, and the HTML page."""

import numpy as np
import pandas as pd
import pytest
import yaml

from wfm.cli import main
from wfm.intraday import reforecast, replan
from wfm.report import write_intraday_page
from wfm.report.schedule_views import breaks_text

from .test_replan import RULES, _ft8, t
from .test_reforecast import toy  # noqa: F401  (the fixture)


@pytest.fixture()
def files(tmp_path, toy):  # noqa: F811
    """The toy day as CSV files, a 10-agent schedule and the rules; function scope: tests write beside them."""
    history, today, actual, f = toy
    today.to_csv(tmp_path / "forecast.csv", index_label="timestamp")
    actual.rename("actual").to_csv(tmp_path / "actual.csv", index_label="timestamp")
    history.to_csv(tmp_path / "history.csv", index_label="timestamp")
    day = pd.Timestamp("2024-03-14")
    shift = lambda a, s, b, l: {**_ft8(a, s, b, l)}   # noqa: E731
    rows = [shift(f"a{i}", s, b, l) for i, (s, b, l) in enumerate(
        [("07:00", "08:30", "10:30"), ("07:00", "09:00", "11:00"), ("08:00", "10:00", "12:00"),
         ("09:00", "11:00", "13:00"), ("09:00", "11:00", "13:30")])]
    sched = pd.DataFrame(rows)
    move = day - sched["start"].iloc[0].normalize()
    sched["start"] += move
    sched["end"] += move
    sched["breaks"] = [breaks_text([(b0 + move, b1 + move, p) for b0, b1, p in bs]) for bs in sched["breaks"]]
    sched.to_csv(tmp_path / "shifts.csv", index=False)
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump(RULES))
    return tmp_path


def test_cli_writes_the_days_picture(files, capsys):
    out = files / "out"
    code = main(["intraday", "--forecast", str(files / "forecast.csv"), "--actual", str(files / "actual.csv"),
                 "--history", str(files / "history.csv"), "--schedule", str(files / "shifts.csv"),
                 "--rules", str(files / "rules.yaml"), "--aht", "120", "--out", str(out)])
    captured = capsys.readouterr()
    text = captured.out
    assert code == 0, captured.err
    assert "wfm intraday: Thu 14 Mar 2024 10:00" in text and "expected service level" in text
    picture = pd.read_csv(out / "intraday.csv", index_col=0, parse_dates=True)
    assert {"forecast", "actual", "reforecast", "lower", "upper", "required", "gap_after"} <= set(picture.columns)
    assert picture["actual"].notna().sum() == 6
    assert (out / "actions.csv").exists() and (out / "intraday.html").read_text().count("<section") == 3
    page = (out / "intraday.html").read_text()
    assert "sl_definition" in page and "patience" in page  # the re-plan's basis of the service level is shown


def test_page_says_what_money_the_actions_cost_is_in(files, capsys):
    """The cost card carries --currency, or says the cost is in the units of the rules' cost_per_paid_hour."""
    base = ["intraday", "--forecast", str(files / "forecast.csv"), "--actual", str(files / "actual.csv"),
            "--history", str(files / "history.csv"), "--schedule", str(files / "shifts.csv"),
            "--rules", str(files / "rules.yaml"), "--aht", "120"]
    assert main(base + ["--currency", "EUR", "--out", str(files / "eur")]) == 0
    assert main(base + ["--out", str(files / "plain")]) == 0
    cost = pd.read_csv(files / "eur" / "actions.csv")["cost"].sum()
    eur, plain = ((files / d / "intraday.html").read_text() for d in ("eur", "plain"))
    assert f"{cost:,.0f} EUR" in eur and "EUR" not in plain
    assert f"{cost:,.0f} (units of the shift rules&#x27; cost_per_paid_hour)" in plain or \
        f"{cost:,.0f} (units of the shift rules' cost_per_paid_hour)" in plain


def test_cli_names_actuals_on_another_grid(files, capsys):
    pd.Series(1.0, index=pd.date_range("2024-03-14 07:00", periods=4, freq="15min")).rename("actual").to_csv(
        files / "fine.csv", index_label="timestamp")
    code = main(["intraday", "--forecast", str(files / "forecast.csv"), "--actual", str(files / "fine.csv"),
                 "--history", str(files / "history.csv"), "--out", str(files / "out")])
    assert code == 2
    assert "different grid" in capsys.readouterr().err


def test_page_holds_the_figures_of_the_results(toy, tmp_path):  # noqa: F811
    history, today, actual, f = toy
    rf = reforecast(today, actual, history)
    path = write_intraday_page(tmp_path / "p.html", rf)
    html = path.read_text() if hasattr(path, "read_text") else (tmp_path / "p.html").read_text()
    assert f"{rf.figures()['rest_reforecast']:,.0f}" in html
    assert html.count("<section") == 1
