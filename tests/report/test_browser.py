"""report.html in a real browser: headless Chromium shows the headline in the first screen, and nothing is wider
than the page.

Chromium (Debian package ``chromium``) is installed by the ``chromium`` fixture where it can be (as root with
apt-get, when CI is set or /usr/bin/chromium is absent); elsewhere the tests are skipped with the reason.
Screenshots go to pytest's tmp folder, never into git.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from wfm.scenario import run_scenario, write_outputs

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
         "--hide-scrollbars", "--mute-audio", "--disable-extensions"]

# Measures the page once it has loaded and writes the result into the DOM (read back with --dump-dom):
# where the headline cards are, the page's width against the window's, and any element wider than the page
# outside a horizontally scrolling box (wide tables scroll inside their own box, which is allowed).
MEASURE = """<script>
window.addEventListener("load", function () {
  var root = document.documentElement, width = root.clientWidth, out = [];
  document.querySelectorAll("body *").forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.width === 0 || el.closest(".scroll")) { return; }
    if (r.right > width + 1 || r.left < -1) {
      out.push(el.tagName + "." + el.className + " " + Math.round(r.right));
    }
  });
  var cards = Array.prototype.map.call(document.querySelectorAll(".card"), function (c) {
    var r = c.getBoundingClientRect();
    return {figure: c.getAttribute("data-figure"), text: c.querySelector(".value").textContent,
            top: r.top, bottom: r.bottom, visible: getComputedStyle(c).visibility === "visible" && r.height > 0};
  });
  var pre = document.createElement("pre");
  pre.id = "wfm-check";
  pre.textContent = JSON.stringify({scrollWidth: root.scrollWidth, clientWidth: width,
                                    innerHeight: window.innerHeight, overflow: out, cards: cards});
  document.body.appendChild(pre);
});
</script>
"""


def _find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def chromium():
    """
    Path of a headless Chromium, installed with apt-get when missing and allowed (root, apt-get, and CI set or
    /usr/bin/chromium absent). Session scope: the install (minutes) happens at most once.
    """
    path = _find_chromium()
    can_install = (hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get") is not None
                   and (os.environ.get("CI") or not Path("/usr/bin/chromium").exists()))
    if path is None and can_install:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        try:
            subprocess.run(["apt-get", "update"], env=env, capture_output=True, timeout=600, check=False)
            subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "chromium"], env=env,
                           capture_output=True, timeout=900, check=False)
        except (OSError, subprocess.TimeoutExpired):
            pass
        path = _find_chromium()
    if path is None:
        pytest.skip("headless Chromium is not installed and could not be installed here (needs root and apt-get; "
                    "install the Debian package 'chromium' to run the browser check of report.html)")
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """
    report.html of a small run on the real bank data (forecast, backtest, staffing, a sized schedule; no
    simulation). Module scope: the tests only read it.
    """
    scenario = {
        "name": "browser_check", "data": {"dataset": "bank_calls", "freq": "30min"}, "horizon": {"days": 5},
        "forecast": {"method": "topdown", "level": 0.8, "backtest": {"n_origins": 2, "levels": ["interval", "day"]}},
        "aht": 300,
        "staffing": {"model": "erlang_c", "service_level": 0.8, "threshold": 20,
                     "shrinkage": {"breaks": 0.1, "absence": 0.15}},
        "schedule": {"shifts": [{"name": "FT8", "paid": "8h", "contract": "full_time", "cost_per_paid_hour": 22.0,
                                 "breaks": [{"length": "30min", "paid": False, "start_after": ["3h30min", "5h"]}]},
                                {"name": "PT4", "paid": "4h", "contract": "part_time", "cost_per_paid_hour": 23.1}],
                     "week": {"days_per_week": 5},
                     "open_hours": {d: ["07:00", "21:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
                     "time_limit": 5},
        "simulate": None, "costs": {"paid_hour": 22.0, "currency": "USD"},
        "grid": {"forecast.volume_factor": [0.9, 1.0, 1.1, 1.2], "staffing.service_level": [0.8, 0.9]},
        "output": {"tables": ["csv"], "excel": False},
    }
    result = run_scenario(scenario, jobs=1)
    out = tmp_path_factory.mktemp("browser") / "out"
    write_outputs(result, out)
    return out / "report.html", result.headline()


def _render(chromium, page, tmp, width, height, screenshot=None):
    """The measurement of ``page`` at a window of width x height px (and a screenshot of that first screen)."""
    html = page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>")
    probe = tmp / f"probe_{width}.html"
    probe.write_text(html, encoding="utf-8")
    base = [chromium, *FLAGS, f"--user-data-dir={tmp / f'profile_{width}'}", f"--window-size={width},{height}"]
    if screenshot is not None:
        subprocess.run(base + [f"--screenshot={screenshot}", probe.as_uri()], capture_output=True, timeout=120, check=False)
    proc = subprocess.run(base + ["--virtual-time-budget=5000", "--dump-dom", probe.as_uri()],
                          capture_output=True, text=True, timeout=120, check=False)
    found = re.search(r'<pre id="wfm-check">(.*?)</pre>', proc.stdout, re.DOTALL)
    assert found, f"no measurement in the DOM; chromium said: {proc.stderr[-800:]}"
    import html as html_module

    return json.loads(html_module.unescape(found.group(1)))


def test_headline_is_in_the_first_screen(chromium, report, tmp_path):
    page, headline = report
    shot = tmp_path / "first_screen.png"
    m = _render(chromium, page, tmp_path, 1280, 800, screenshot=shot)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"  # the first screen, for a person to look at
    cards = {c["figure"]: c for c in m["cards"]}
    table = headline.table
    assert list(cards) == table["figure"].tolist()
    for row in table.itertuples():
        card = cards[row.figure]
        assert card["text"] == row.text and card["visible"], row.figure
        assert 0 <= card["top"] and card["bottom"] <= m["innerHeight"], (row.figure, card, m["innerHeight"])


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (800, 900)])
def test_nothing_is_wider_than_the_page(chromium, report, tmp_path, width, height):
    page, _ = report
    m = _render(chromium, page, tmp_path, width, height)
    assert m["scrollWidth"] <= m["clientWidth"], m
    assert m["overflow"] == [], m["overflow"][:10]
