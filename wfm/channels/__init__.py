"""
Channels other than one voice queue: redials and callbacks (:mod:`wfm.channels.redials`),
chat with concurrency (:mod:`wfm.channels.chat`) and deferred work such as e-mail and back
office (:mod:`wfm.channels.deferred`). Each model reduces to the voice model of
:mod:`wfm.erlang` where it should and is checked against :mod:`wfm.simulation.channels`.
"""

from . import chat, deferred, redials
from .deferred import blend_capacity, deferred_backlog, deferred_staffing
from .chat import chat_handle_time, chat_queue, chat_staffing, fit_chat_handle_time
from .redials import callback_queue, erlang_x, erlang_x_staffing, estimate_redials
from .result import ChannelPlan, RedialEstimate

__all__ = ["chat", "deferred", "redials", "blend_capacity", "deferred_backlog", "deferred_staffing", "chat_handle_time", "chat_queue", "chat_staffing", "fit_chat_handle_time", "erlang_x", "erlang_x_staffing", "callback_queue", "estimate_redials", "ChannelPlan",
           "RedialEstimate"]
