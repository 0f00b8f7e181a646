"""
The ``channels:`` section of a scenario file: chat, deferred work, redials and callbacks beside the voice plan.

The voice forecast and plan of the scenario (its base variant; the first
queue, or ``voice_queue``) are the voice channel. The keys of each channel
are the arguments of its :mod:`wfm.channels` function, in the same units
(seconds, fractions 0-1, contacts per interval)::

    channels:
      chat:                                  # wfm.channels.chat_staffing
        volume: {total: 6000, seed: 1}       # synthetic: Poisson around the voice forecast's shape
        aht: 300
        concurrency: 3
        slowdown: 0.25
        patience: 180
        service_level: 0.8
        threshold: 60
      deferred:                              # wfm.channels.deferred_staffing, one entry per kind of work
        email:
          volume: {path: email.csv, column: items}   # or {total: 20000, seed: 28} (synthetic)
          aht: 480
          deadline: 86400
          service_level: 0.9
          open_hours: {mon: ["08:00", "20:00"], sat: ["08:00", "14:00"]}
          blend: true                        # fill the voice agents' idle time first (wfm.channels.blend_capacity)
          max_occupancy: 0.85
      redials:                               # wfm.channels.erlang_x_staffing on the voice forecast
        redial_probability: 0.3
        redial_delay: 600
      callbacks:                             # wfm.channels.callback_queue at the voice plan's agents
        callback_threshold: 120
        acceptance: 0.5

Every time is a number of seconds (``deadline: 86400``, not ``24h``): the
keys are the functions' arguments in their units, as the staffing section's
``threshold`` and ``patience`` are; a duration text is refused giving the
seconds to write.

A ``volume`` is a file (``path``: CSV or Parquet, relative to the scenario,
with a ``timestamp`` column and a ``column`` of volumes per interval) or a
synthetic draw (``total`` over the horizon and a ``seed``; see
:mod:`wfm.datasets.synthetic`), labelled synthetic in every output.
"""

from __future__ import annotations

from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .._validation import field_count, field_fraction, field_positive
from ._checks import check_slowdown

__all__ = ["ChannelsSection", "ChatChannel", "DeferredChannel", "RedialsChannel", "CallbacksChannel", "ChannelVolume"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _fraction(value, **closed):
    return field_fraction(value, allow_none=True, **closed)


def _seconds(value):
    return field_positive(value, "seconds")


def _no_duration_text(value):
    """A duration text ("24h", "10min") where seconds are asked: an error giving the number to write.

    The channels keys are the arguments of the :mod:`wfm.channels` functions in their units, and every time
    there (aht, threshold, patience, deadline, redial_delay, callback_threshold) is seconds, as the staffing
    section's threshold and patience are; durations with a unit ("8h") are for shift lengths, which the schedule
    rules take as durations.
    """
    if isinstance(value, str) and any(ch.isalpha() for ch in value):  # "600" is a number for pydantic to read
        import pandas as pd

        try:
            seconds = pd.Timedelta(value.strip()).total_seconds()
        except (ValueError, TypeError):
            return value  # not a duration: the number check names it
        raise ValueError(f"must be a number of seconds (every time in the channels section is in seconds, as the "
                         f"staffing section's threshold and patience); got {value!r}, which is {seconds:g} s: write "
                         f"{seconds:g}.")
    return value


class ChannelVolume(_Model):
    """Volume per interval: a file (``path``) or a seeded synthetic draw (``total``, ``seed``)."""

    path: Optional[str] = Field(None, description="CSV or Parquet file of volumes per interval, relative to the "
                                                  "scenario file.")
    timestamp: str = Field("timestamp", description="Column of interval starts in the file.")
    column: str = Field("volume", description="Column of volumes in the file. [contacts per interval]")
    total: Optional[float] = Field(None, description="Synthetic: expected volume over the horizon (Poisson, "
                                                     "seeded). [contacts]")
    seed: int = Field(0, description="Synthetic: the seed of the draw.")

    @model_validator(mode="after")
    def _one_source(self):
        if (self.path is None) == (self.total is None):
            raise ValueError("give exactly one of 'path' (a file of volumes per interval) and 'total' (a seeded "
                             f"synthetic volume over the horizon); got {'both' if self.path else 'neither'}.")
        if self.total is not None and self.total < 0:
            raise ValueError(f"total must be >= 0 contacts over the horizon; got {self.total:g}.")
        return self


class ChatChannel(_Model):
    """Chat sessions staffed by :func:`wfm.channels.chat_staffing` on the voice horizon's intervals."""

    volume: ChannelVolume = Field(description="Sessions per interval (a file or a synthetic total).")
    aht: float = Field(description="Handle time of a session when the agent holds only it. [s]")
    concurrency: int = Field(description="Most sessions one agent holds at once. [count >= 1]")
    slowdown: Union[float, list[float]] = Field(0.0, description="Extra handle time per extra session (a share "
                                                                 "of aht), or h(j)/h(1) per concurrency.")
    patience: Optional[float] = Field(None, description="Mean time a waiting customer stays. [s]")
    service_level: float = Field(0.8, description="Target share of first responses within threshold. [0-1)")
    threshold: float = Field(60.0, description="First-response target. [s]")
    max_abandon_rate: Optional[float] = Field(None, description="Abandon-rate cap. [0-1]")

    check_sl = field_validator("service_level")(classmethod(lambda cls, v: _fraction(v, high_closed=False)))
    check_ab = field_validator("max_abandon_rate")(classmethod(lambda cls, v: _fraction(v)))
    check_s = field_validator("aht", "patience", "threshold")(classmethod(lambda cls, v: _seconds(v)))
    text_s = field_validator("aht", "patience", "threshold", mode="before")(
        classmethod(lambda cls, v: _no_duration_text(v)))
    check_slow = field_validator("slowdown")(classmethod(lambda cls, v: check_slowdown(v, "")))

    @model_validator(mode="after")
    def _cap_needs_patience(self):
        if self.max_abandon_rate is not None and self.patience is None:
            raise ValueError("max_abandon_rate caps the abandon rate but patience is not given (customers never "
                             "leave, so the abandon rate is always 0); give patience in seconds or drop "
                             "max_abandon_rate.")
        return self

    @field_validator("concurrency")
    @classmethod
    def _concurrency(cls, value):
        if value < 1:
            raise ValueError(f"must be a whole number >= 1 (the most sessions one agent holds at once); got "
                             f"{value}. Use 1 for one session at a time.")
        return value


class DeferredChannel(_Model):
    """Deferred work (e-mail, back office) staffed by :func:`wfm.channels.deferred_staffing` around the clock."""

    volume: ChannelVolume = Field(description="Items per interval, nights included (a file or a synthetic total).")
    aht: float = Field(description="Handle time of an item. [s]")
    deadline: float = Field(description="Target from arrival to the start of handling, e.g. 86400 for 24 h. [s]")
    service_level: float = Field(0.9, description="Target share of items started within the deadline. [0-1)")
    open_hours: Union[str, list[str], dict[str, Optional[Union[str, list[str]]]]] = Field(
        description="The team's hours: a pair ['08:00', '20:00'], '24h', or per weekday (mon ... sun).")
    blend: bool = Field(False, description="Fill the voice agents' idle time first (wfm.channels.blend_capacity); "
                                           "the dedicated agents are sized on top.")
    max_occupancy: float = Field(0.85, description="Blending: most share of their time voice agents work, voice and "
                                                   "deferred together. [0-1]")

    check_sl = field_validator("service_level")(classmethod(lambda cls, v: _fraction(v, high_closed=False)))
    check_occ = field_validator("max_occupancy")(classmethod(lambda cls, v: _fraction(v)))
    check_s = field_validator("aht", "deadline")(classmethod(lambda cls, v: _seconds(v)))
    text_s = field_validator("aht", "deadline", mode="before")(classmethod(lambda cls, v: _no_duration_text(v)))

    @model_validator(mode="after")
    def _deadline(self):
        if self.deadline < self.aht:
            raise ValueError(f"deadline must be longer than the handle time: got deadline {self.deadline:g} s and aht "
                             f"{self.aht:g} s. deadline is in seconds, e.g. 86400 for 24 hours.")
        return self


class RedialsChannel(_Model):
    """The voice forecast staffed with redials and finite lines (:func:`wfm.channels.erlang_x_staffing`)."""

    redial_probability: float = Field(description="Share of blocked or abandoned attempts that call again. [0-1)")
    redial_delay: float = Field(600.0, description="Mean time from a failed attempt to the redial. [s]")
    lines: Optional[int] = Field(None, description="Most callers in the system (trunk lines); null for no limit.")
    patience: Optional[float] = Field(None, description="Mean patience [s]; default the staffing section's.")
    method: Literal["auto", "chain", "fixed_point"] = Field("auto", description="Erlang X model (see "
                                                                                "wfm.channels.erlang_x).")

    check_d = field_validator("redial_delay", "patience")(classmethod(lambda cls, v: _seconds(v)))
    text_d = field_validator("redial_delay", "patience", mode="before")(
        classmethod(lambda cls, v: _no_duration_text(v)))

    @field_validator("redial_probability")
    @classmethod
    def _r(cls, value):
        if value == 1:
            raise ValueError("must be below 1; got 1. With 1 every lost attempt calls again until served, so the "
                             "offered load has no bound; give the share that calls again, e.g. 0.5.")
        return _fraction(value, low_closed=True, high_closed=False)

    check_lines = field_validator("lines")(classmethod(lambda cls, value: field_count(value, "lines")))


class CallbacksChannel(_Model):
    """Callbacks offered above an estimated wait, at the voice plan's agents (:func:`wfm.channels.callback_queue`)."""

    callback_threshold: float = Field(description="Estimated wait above which a callback is offered. [s]")
    acceptance: float = Field(description="Share of the callers offered a callback who take it. [0-1]")
    patience: Optional[float] = Field(None, description="Mean patience [s]; default the staffing section's.")

    check_acc = field_validator("acceptance")(classmethod(lambda cls, v: _fraction(v, low_closed=True)))
    check_p = field_validator("patience")(classmethod(lambda cls, v: _seconds(v)))
    text_p = field_validator("patience", "callback_threshold", mode="before")(
        classmethod(lambda cls, v: _no_duration_text(v)))

    @field_validator("callback_threshold")
    @classmethod
    def _threshold(cls, value):
        if not value > 0:
            raise ValueError(f"must be > 0 seconds; got {value:g}.")
        if value < 10:
            raise ValueError(f"must be in seconds (at least 10); got {value:g}, which looks like minutes: "
                             f"{value:g} minutes is {value * 60:g}.")
        return value


class ChannelsSection(_Model):
    """The ``channels:`` section (see :mod:`wfm.channels.section`)."""

    voice_queue: Optional[str] = Field(None, description="The queue whose base plan is the voice channel; default "
                                                         "the first.")
    chat: Optional[ChatChannel] = None
    deferred: dict[str, DeferredChannel] = Field(default_factory=dict, description="Name (email, back_office, ...) "
                                                                                   "-> deferred work.")
    redials: Optional[RedialsChannel] = None
    callbacks: Optional[CallbacksChannel] = None
    shrinkage: Optional[float] = Field(None, description="Shrinkage of the channel agents (for FTE) [0-1); default "
                                                         "the staffing section's total.")

    check_sh = field_validator("shrinkage")(classmethod(lambda cls, v: _fraction(v, low_closed=True,
                                                                                 high_closed=False)))

    @model_validator(mode="after")
    def _one_blend(self):
        blended = [name for name, d in self.deferred.items() if d.blend]
        if len(blended) > 1:
            raise ValueError(f"blend may be true for one deferred channel only (the voice agents' idle time is "
                             f"shared once); got {', '.join(blended)}.")
        if not (self.chat or self.deferred or self.redials or self.callbacks):
            raise ValueError("has no channel: give chat, deferred, redials or callbacks (or drop the section).")
        return self

    def names(self):
        """The channels, in output order."""
        return ((["chat"] if self.chat else []) + list(self.deferred) + (["voice_redials"] if self.redials else [])
                + (["callbacks"] if self.callbacks else []))
