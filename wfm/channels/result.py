"""Results objects of the channel models: :class:`ChannelPlan` and :class:`RedialEstimate`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._results import TIME_LABEL, Result, date_axis, plain

__all__ = ["ChannelPlan", "RedialEstimate"]


@dataclass(frozen=True)
class ChannelPlan(Result):
    """
    Agents per interval for one channel (chat, deferred work, redials), with
    the figures the channel's model gives at that staffing.

    Built by :func:`wfm.channels.chat_staffing`,
    :func:`wfm.channels.deferred_staffing` and
    :func:`wfm.channels.erlang_x_staffing`.

    Attributes
    ----------
    table : DataFrame
        One row per interval. Always ``agents`` [count] and ``load``
        [Erlangs of work offered, redials included]; then the channel's
        figures: ``service_level`` beside ``service_level_target`` for the
        live channels, ``abandon_rate``, ``occupancy``; ``backlog`` [items]
        and ``on_time`` [0-1] for deferred work.
    params : dict
        The arguments that built it; ``channel`` names the channel and
        ``interval`` is the interval length [s].
    """

    table: pd.DataFrame
    params: dict = field(default_factory=dict)

    def figures(self):
        """Headline numbers: ``agent_hours`` [h], ``peak_agents`` [count], ``intervals`` [count],
        ``service_level`` [0-1, contact-weighted; for deferred work the share handled within the
        deadline] and ``service_level_target`` [0-1]."""
        t = self.table
        hours = float(t["agents"].sum() * self.params["interval"] / 3600)
        weight = t["weight"] if "weight" in t else pd.Series(1.0, index=t.index)
        total = float(weight.sum())
        sl = float((t["service_level"] * weight).sum() / total) if total > 0 else float("nan")
        if "overall_service_level" in self.params:
            sl = float(self.params["overall_service_level"])
        out = {"agent_hours": hours, "peak_agents": int(t["agents"].max()) if len(t) else 0, "intervals": int(len(t)),
               "service_level": sl, "service_level_target": float(self.params.get("service_level", np.nan))}
        for key in ("dedicated_agent_hours_saved", "blended_agent_hours", "queue_agent_hours"):
            if key in self.params:
                out[key] = float(self.params[key])
        return out

    def plot(self, ax=None, **kwargs):
        """Agents per interval; returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(10, 3))
        ax.step(self.table.index, self.table["agents"], where="post", label="agents", **kwargs)
        if isinstance(self.table.index, pd.DatetimeIndex):
            date_axis(ax.xaxis)
        ax.set_xlabel(TIME_LABEL if isinstance(self.table.index, pd.DatetimeIndex) else "interval (in order)")
        ax.set_ylabel("agents")
        ax.set_title(f"{self.params.get('channel', 'channel')} staffing")
        ax.legend(loc="upper right")
        return ax

    def __repr__(self):
        f = self.figures()
        return (f"ChannelPlan({self.params.get('channel')}: {f['intervals']} intervals, "
                f"{f['agent_hours']:,.1f} agent-hours, service level {f['service_level']:.3f})")

    def _title(self):
        return repr(self)


@dataclass(frozen=True)
class RedialEstimate(Result):
    """
    Redial probability and mean redial delay estimated from a contact log.

    Built by :func:`wfm.channels.estimate_redials`.

    Attributes
    ----------
    table : DataFrame
        One row per failed attempt (abandoned or blocked) that could be
        followed for ``window`` seconds: ``customer``, ``failed_at``
        (timestamp), ``redialled`` (flag) and ``delay`` [s] (NaN when the
        customer did not call again within the window).
    params : dict
        ``window`` [s], ``level`` and the figures' inputs.
    """

    table: pd.DataFrame
    params: dict = field(default_factory=dict)

    def figures(self):
        """``redial_probability`` [0-1] and ``redial_delay`` [s] (maximum likelihood of an exponential delay
        right-truncated at ``window``), each with ``_lo``/``_hi`` (profile-likelihood interval at ``level``;
        see :func:`wfm.channels.estimate_redials`), ``failed_attempts`` and ``redials`` [count]."""
        return plain(self.params["figures"])

    def plot(self, ax=None, **kwargs):
        """Histogram of the redial delays [s]; returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 3))
        ax.hist(self.table["delay"].dropna(), bins=kwargs.pop("bins", 40), **kwargs)
        ax.set_xlabel("redial delay [s]")
        ax.set_ylabel("redials")
        f = self.figures()
        ax.set_title(f"Redial delays within {self.params['window']:,.0f} s: p {f['redial_probability']:.2f}, "
                     f"mean delay {f['redial_delay']:,.0f} s")
        return ax

    def __repr__(self):
        f = self.figures()
        return (f"RedialEstimate(redial_probability={f['redial_probability']:.3f} "
                f"[{f['redial_probability_lo']:.3f}, {f['redial_probability_hi']:.3f}], "
                f"redial_delay={f['redial_delay']:.0f} s)")

    def _title(self):
        return repr(self)
