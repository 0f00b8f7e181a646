"""Real contact-centre data shipped with wfm; nothing is downloaded at run time."""

from .bank import bank_calls

__all__ = ["bank_calls"]
