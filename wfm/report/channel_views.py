"""
The channels of a run in the outputs: a table per channel, workbook sheets, report sections and summary lines.

Each function reads a channels result (``ChannelsResult`` of
:mod:`wfm.scenario.channel_plans`: ``plans``, ``callbacks``, ``headline``,
``sources``, ``errors``) and computes nothing: the figures are the channel
functions' (:mod:`wfm.channels`) and :func:`wfm.headline.channel_headline`'s.
"""

from __future__ import annotations

import math

import pandas as pd

__all__ = ["CHANNEL_UNITS", "CHANNEL_HEADLINE_UNITS", "channel_tables", "channel_sheets", "channel_sections",
           "channel_lines", "plot_channels"]

#: Units of the per-interval channel tables (wfm.channels' ChannelPlan tables and callback_queue).
CHANNEL_UNITS = {
    "calls": "calls", "sessions": "calls", "items": "calls", "attempts": "calls", "redials": "calls",
    "callbacks": "calls", "capacity": "calls", "handled": "calls", "backlog": "calls", "load": "erlang",
    "agents": "count", "blended": "agents", "service_level": "fraction", "service_level_target": "fraction",
    "abandon_rate": "fraction", "wait_probability": "fraction", "occupancy": "fraction", "blocked": "fraction",
    "never_served": "fraction", "callback_rate": "fraction", "asa": "s", "sessions_per_agent": "agents",
}
#: Units of the channels headline (wfm.headline.channel_headline).
CHANNEL_HEADLINE_UNITS = {"agents_required_peak": "count", "agent_hours_required": "h", "required_fte": "fte",
                          "required_weekly_cost": "currency", "service_level": "fraction",
                          "service_level_target": "fraction", "callback_rate": "fraction"}

_LABELS = {"voice": "voice (the scenario's plan)", "chat": "chat", "voice_redials": "voice with redials (Erlang X; "
           "a second sizing of the voice channel, not in the total)", "callbacks": "callbacks (at the voice agents; "
           "no agents of their own)", "total": "total (voice, chat and dedicated deferred agents)"}


def channel_tables(channels):
    """``{file stem: table}``: ``channel_<name>`` per channel and ``channels_headline`` (empty without channels)."""
    return {} if channels is None else channels.tables()


def _declared(frame, mapping):
    return {c: mapping[c] for c in frame.columns if c in mapping}


def channel_sheets(channels):
    """(sheets, units) for the workbook: ``channels`` (the headline) and ``channel <name>`` per channel."""
    if channels is None:
        return {}, {}
    sheets, units = {}, {}
    if len(channels.headline):
        sheets["channels"] = channels.headline
        units["channels"] = _declared(channels.headline, CHANNEL_HEADLINE_UNITS)
    for name, frame in channels.tables().items():
        if name.startswith("channel_"):
            sheet = f"channel {name[len('channel_'):]}"[:31]
            sheets[sheet] = frame
            units[sheet] = _declared(frame, CHANNEL_UNITS)
    return sheets, units


def plot_channels(channels, ax=None):
    """Agents per interval of each channel that has agents (voice not included); returns the Axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3.2))
    for name, plan in channels.plans.items():
        ax.step(plan.table.index, plan.table["agents"], where="post", label=name)
    ax.set_ylabel("agents")
    ax.set_title("Agents per interval by channel")
    ax.legend(loc="upper right", fontsize="small")
    return ax


def _source_text(channels):
    parts = [f"{name}: {text}" for name, text in channels.sources.items()]
    synthetic = any("synthetic" in t for t in channels.sources.values())
    note = (" Volumes marked synthetic are drawn from a documented, seeded model (wfm.datasets.synthetic), not "
            "observed." if synthetic else "")
    return "Volumes: " + "; ".join(parts) + "." + note if parts else ""


def channel_sections(channels):
    """The report's channel sections (HTML section dicts): the headline per channel and total, then each channel."""
    if channels is None:
        return []
    sections = []
    head = channels.headline
    text = (f"Each channel sized by its wfm.channels model beside the voice plan of {channels.voice_queue!r}: "
            "required FTE = agent-hours per week grossed up for shrinkage over the hours of one FTE; the total "
            "adds voice, chat and the dedicated deferred agents (blended work is done in the voice agents' idle "
            "time). " + _source_text(channels))
    if channels.errors:
        text += (" Not sized (marked failed below and left out of the total): "
                 + "; ".join(f"{k}: {v}" for k, v in channels.errors.items()))
    text += (" The service levels differ by channel (service_level_of): callbacks count the calls that stayed in "
             "the queue, deferred work the items started within the deadline; chat's occupancy (in its own "
             "table) is busy session slots over slots (agents x concurrency), not the share of an agent's time "
             "busy as for voice.")
    if len(head):
        view = head.assign(channel=[_LABELS.get(c, c) for c in head["channel"]]).drop(columns=["in_total"])
        sections.append({"heading": "Channels", "text": text, "table": view, "max_rows": None,
                         "units": _declared(view, CHANNEL_HEADLINE_UNITS)})
    else:
        sections.append({"heading": "Channels", "text": text})
    if channels.plans:
        import matplotlib.pyplot as plt

        ax = plot_channels(channels)
        sections.append({"heading": "Channels: agents per interval", "figure": ax.figure})
        plt.close(ax.figure)
    for name, plan in channels.plans.items():
        f = plan.figures()
        extra = ""
        if "dedicated_agent_hours_saved" in f:
            extra = (f" Blending: {f['blended_agent_hours']:,.0f} agent-hours of voice idle time used, "
                     f"{f['dedicated_agent_hours_saved']:,.0f} dedicated agent-hours saved.")
        sections.append({"heading": f"Channel: {name}",
                         "text": f"{f['agent_hours']:,.0f} agent-hours, peak {f['peak_agents']:,.0f} agents, service "
                                 f"level {f['service_level']:.1%} (target {f['service_level_target']:.0%})." + extra,
                         "table": plan.table.drop(columns=["weight"], errors="ignore"), "max_rows": 60,
                         "units": _declared(plan.table, CHANNEL_UNITS)})
    if channels.callbacks is not None:
        cb = channels.callbacks
        sections.append({"heading": "Channel: callbacks", "table": cb, "max_rows": 60,
                         "units": _declared(cb, CHANNEL_UNITS),
                         "text": "Callbacks offered above the estimated wait, at the voice agents "
                                 "(wfm.channels.callback_queue); callbacks_fit is false where the callback work "
                                 "does not fit in the idle time."})
    return sections


_SL_WORDS = {"voice": "SL", "voice_redials": "SL of attempts", "callbacks": "SL of the calls kept in the queue"}


def _sl_text(row):
    """The service level of a headline row, worded so that voice, chat, deferred work and callbacks are not read as
    one measure (``service_level_of`` in the CSV says it in full)."""
    sl = getattr(row, "service_level", math.nan)
    if not (isinstance(sl, float) and math.isfinite(sl)):
        return ""
    what = getattr(row, "service_level_of", "") or ""
    if row.channel in _SL_WORDS:
        word = _SL_WORDS[row.channel]
    elif what.startswith("items started"):
        word = "on time"
    elif what.startswith("sessions"):
        word = "first-response SL"
    else:
        word = "SL"
    return f", {word} {sl:.1%}"


def _count_text(value):
    """A whole count with thousands separators (``1,234``), or ``n/a`` for a missing one (<NA> of an Int64, NaN)."""
    return "n/a" if value is None or pd.isna(value) else f"{int(value):,}"


def channel_lines(channels, currency=""):
    """The summary lines ``wfm run`` and ``wfm channels`` print: one per channel (failed ones marked) and the total."""
    if channels is None:
        return []
    lines = ["  channels (beside the voice plan of " + repr(channels.voice_queue) + "):"]
    shown = set()
    for row in channels.headline.itertuples():
        cost = getattr(row, "required_weekly_cost", math.nan)
        money = f", {cost:,.0f} {currency}".rstrip() if isinstance(cost, float) and math.isfinite(cost) else ""
        sl_text = _sl_text(row)
        note = getattr(row, "note", "") or ""
        if getattr(row, "status", "ok") == "failed":
            shown.add(row.channel)
            lines.append(f"    {row.channel:<14} FAILED, not sized and not in the total: {note}")
        elif isinstance(row.required_fte, float) and math.isfinite(row.required_fte):
            lines.append(f"    {row.channel:<14} {_count_text(row.agents_required_peak):>7} agents at peak, "
                         f"{row.agent_hours_required:>9,.0f} agent-h/week, {row.required_fte:>7,.1f} FTE{money}"
                         f"{sl_text}{'' if row.in_total else ' (not in total)'}"
                         + (f" ({note})" if row.channel == "total" and note else ""))
        else:
            lines.append(f"    {row.channel:<14} {sl_text.lstrip(', ')} (not in total)")
    if any(getattr(r, "status", "") == "ok" and getattr(r, "service_level_of", "") for r in
           channels.headline.itertuples()):
        lines.append("    each channel's service level counts its own contacts: see service_level_of in "
                     "channels_headline.csv")
    for name, text in channels.sources.items():
        if "synthetic" in text:
            lines.append(f"    {name} volume is {text}")
    for name, err in channels.errors.items():
        if name not in shown:
            lines.append(f"    FAILED channel {name}: {err}")
    return lines
