"""
Command line: ``wfm run`` plans a whole scenario; single steps work on CSV files.

::

    wfm run scenarios/weekly_bank_calls.yaml [--out DIR] [--jobs N] [--dask ADDRESS|local]
    wfm validate scenarios/weekly_bank_calls.yaml
    wfm schema [--out scenario.schema.json]
    wfm forecast  --history calls.csv --days 5 --out forecast.csv        (or --dataset bank_calls; --queue NAME)
    wfm staff     --forecast forecast.csv --aht 300 --out plan.csv
    wfm schedule  --requirement plan.csv --rules rules.yaml --out schedule/
    wfm simulate  --plan plan.csv [--schedule schedule/coverage.csv] --replications 10 --out simulation.csv
    wfm evaluate  --actual calls.csv --forecast forecast.csv --out accuracy.csv
    wfm evaluate  --contacts contacts.csv [--states states.csv] [--targets kpi_targets.yaml] --out kpis.csv
    wfm intraday  --forecast forecast.csv --actual today.csv --history history.csv [--schedule shifts.csv
                  --rules rules.yaml --aht 300] --out intraday/
    wfm demo      staff the last full week of the bundled bank data
    wfm history   contact_log.csv --freq 30min --out history.csv [reader flags]
    wfm channels  scenarios/channels_bank_week.yaml --out channels/ [--only chat,email]
    wfm --version

Reader flags (``wfm history``, and ``wfm forecast --history``): ``--columns
name=Column,...``, ``--dayfirst``/``--monthfirst``, ``--date-format``,
``--tz``, ``--exclude EXPR``, ``--on-bad-rows reject``/``--rejected FILE``,
``--sort``, ``--missing``; for contact logs also ``--outcomes
CODE=answered,...``, ``--na COLUMN=VALUE``, ``--filter COLUMN=VALUE``,
``--fallback COLUMN=OTHER``, ``--zero-wait-abandons drop``, ``--skew``.
Errors from the readers name these flags, not Python arguments, and likely
unit mistakes (and values that look wrong: placeholder times, waits of
hours) print a ``warning:`` line.

The steps that read wfm's own tables (``staff``, ``schedule``, ``roster``,
``simulate``, ``intraday``, ``evaluate --forecast``) read their first column
as interval starts in ISO 8601, as wfm writes them; other numeric dates need
``--dayfirst``/``--monthfirst``/``--date-format`` (never guessed), and
timestamps whose UTC offset changes (a forecast over a clock change) need
``--tz``, the zone they were written in.

Exit codes scripts can trust: 0 everything passed, 1 some variants failed
(their errors are in ``variants.csv``; the others are written), 2 bad usage or
bad input (a one-line message naming the file, the key path and the value;
``--debug`` shows the traceback).

The CLI parses arguments, calls :mod:`wfm.scenario`, the wfm functions and
:mod:`wfm.report`, prints, and sets the exit code; it computes nothing.
"""


from ._main import main

__all__ = ["main"]
