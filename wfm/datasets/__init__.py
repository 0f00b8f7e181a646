"""
Contact-centre data shipped with wfm: the real bank_calls series, and seeded generators of synthetic volumes
(labelled so) for channels with no public data; nothing is downloaded at run time.
"""

from .bank import bank_calls
from .synthetic import deferred_profile, synthetic_volume

__all__ = ["bank_calls", "deferred_profile", "synthetic_volume"]
