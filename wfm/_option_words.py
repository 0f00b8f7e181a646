"""
How an option is named to the user: ``dayfirst=True`` from Python, ``--dayfirst`` from the command line,
``data.dayfirst: true`` in a scenario file.

Messages build their hints with :func:`option`; a command or the scenario runner registers its own words for the
options it sets with :func:`option_names` while it runs, so an error that reaches the user through it names what
the user typed. The lowest layer: it imports nothing from wfm; :mod:`wfm._validation` re-exports its names.
"""

from __future__ import annotations

import contextlib
import contextvars

_OPTION_NAMES = contextvars.ContextVar("wfm_option_names", default=None)


def option(name, value=None):
    """
    How the user sets option ``name`` to ``value``: ``dayfirst=True`` from Python, ``--dayfirst`` from the CLI.

    Readers build their hints with this, so an error that reaches the user
    through the command line names the flag, not the Python argument.

    Examples
    --------
    >>> option("dayfirst", True), option("columns", {"date": "CallDate"})
    ('dayfirst=True', "columns={'date': 'CallDate'}")
    >>> with option_names({"dayfirst": lambda v: "--dayfirst" if v else "--monthfirst"}):
    ...     option("dayfirst", True)
    '--dayfirst'
    """
    names = _OPTION_NAMES.get()
    if names and name in names:
        return names[name](value)
    return f"{name}={value!r}"


@contextlib.contextmanager
def option_names(mapping):
    """Within the block, :func:`option` renders the options of ``mapping`` (name -> f(value) -> text)."""
    token = _OPTION_NAMES.set(dict(mapping))
    try:
        yield
    finally:
        _OPTION_NAMES.reset(token)


def round_up_hint():
    """
    How to make a count of agents whole: the CLI's words when it registered them (option ``whole_agents``), else
    Python's.
    """
    names = _OPTION_NAMES.get() or {}  # the CLI's flag names, set while a command runs
    if "whole_agents" in names:
        return names["whole_agents"](None)
    return "Round up with numpy.ceil if the count came from a formula."
