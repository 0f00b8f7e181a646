r"""
Chat: agents who hold several sessions at once, sessions that slow down as
concurrency rises, customers who leave, and a target on the time to first
response.

The model
---------
An agent holds at most ``concurrency`` (c) sessions. Holding j sessions, each
takes :func:`chat_handle_time` h(j) on average, so the agent closes sessions
at rate j / h(j). A session gets its first response when an agent takes it
(a slot frees or one is idle), waits first-come-first-served otherwise and
leaves after an exponential patience. With sessions spread evenly over the
N agents (new sessions go to the least-loaded agent), m sessions in service
close at rate

.. math:: r(m) = \rho\,\frac{q + 1}{h(q + 1)} + (N - \rho)\,\frac{q}{h(q)},
          \qquad q = \lfloor m / N \rfloor,\ \rho = m - qN,

and the number of sessions in the system is the birth-death chain of
:mod:`wfm.channels._chain` with cN slots: the state-dependent
limited-processor-sharing approximation of Tezcan and Zhang [1]_ (whose
fluid limits [2]_ justify it for large centres). It is exact for
exponential handle times when sessions are rebalanced across agents; the
simulator (:func:`wfm.simulation.simulate_chat`), which does not rebalance,
is the judge. With c = 1 and no slowdown r(m) = m / aht and the figures are
Erlang A's (:mod:`wfm.erlang`) to rounding.

Fitting the slowdown
--------------------
:func:`fit_chat_handle_time` fits h(j) = aht (1 + slowdown (j - 1)) by least
squares to a chat log's handle times against the number of sessions the
agent held (e.g. the mean concurrency over each session's life).

References
----------
.. [1] T. Tezcan and J. Zhang, "Routing and staffing in customer service
   chat systems with impatient customers", Operations Research 62(4),
   943-956, 2014.
.. [2] J. Zhang, J. G. Dai and B. Zwart, "Law of large number limits of
   limited processor-sharing queues", Mathematics of Operations Research
   34(4), 937-970, 2009.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validation as v
from . import _chain
from ._checks import check_concurrency, check_target, prepare
from .result import ChannelPlan
from ..simulation.channels import handle_factors

__all__ = ["chat_handle_time", "fit_chat_handle_time", "chat_queue", "chat_staffing"]


def chat_handle_time(aht, concurrency, slowdown=0.0):
    """
    Handle time of a session by the number of sessions its agent holds.

    ``slowdown`` as a number s gives the linear form h(j) = aht (1 + s (j -
    1)): 0 for no slowdown, 0.25 for each extra session adding a quarter of
    the solo handle time. As a sequence of ``concurrency`` numbers it gives
    h(j) / h(1) directly (the first must be 1, and none may fall below the
    one before: a session does not get faster as the agent takes more).

    Parameters
    ----------
    aht : float
        Handle time with one session. [s]
    concurrency : int
        Most sessions an agent holds. [count >= 1]
    slowdown : float or sequence
        See above. [-]

    Returns
    -------
    ndarray
        h(1), ..., h(concurrency). [s]

    Examples
    --------
    >>> chat_handle_time(300, 3, 0.25).tolist()
    [300.0, 375.0, 450.0]
    """
    return float(aht) * handle_factors(concurrency, slowdown)


def fit_chat_handle_time(concurrency, handle):
    """
    Fit h(j) = aht (1 + slowdown (j - 1)) to observed sessions by least squares.

    Parameters
    ----------
    concurrency : array
        Sessions the agent held during each observed session (may be a mean). [count >= 1]
    handle : array
        Handle time of each observed session. [s]

    Returns
    -------
    dict
        ``aht`` [s] and ``slowdown`` [-], to pass to :func:`chat_queue`.

    Examples
    --------
    >>> fit_chat_handle_time([1, 2, 3, 2], [300, 375, 450, 375])
    {'aht': 300.0, 'slowdown': 0.25}
    """
    j = v.as_float_array(concurrency, "concurrency")
    h = v.as_float_array(handle, "handle")
    if j.shape != h.shape or j.ndim != 1:
        raise ValueError(f"concurrency and handle must be 1-D and of one length; got {j.shape} and {h.shape}.")
    v.check_positive(h, "handle", "seconds")
    if np.any(j < 1):
        raise ValueError("concurrency must be >= 1 (sessions the agent held)"
                         f"{v.describe_positions(j < 1)}.")
    if np.unique(j).size < 2:
        raise ValueError("concurrency takes one value only: the slowdown cannot be fitted. Log sessions held at "
                         "different concurrencies.")
    slope, intercept = np.polyfit(j - 1, h, 1)
    return {"aht": round(float(intercept), 10), "slowdown": round(float(slope / intercept), 10)}


def _rate_fn(agents, aht, factors):
    """r(m) for (T, K) m; agents, aht (T,); factors h(j)/h(1), j = 1..c."""
    per = np.r_[0.0, np.arange(1, factors.size + 1) / factors, 0.0]  # j / h(j) in units of 1/aht

    def rate(m, rows):
        n = np.maximum(agents[rows, None], 1)
        q = m // n
        rho = m - q * n
        q = np.minimum(q, factors.size)
        return (rho * per[np.minimum(q + 1, factors.size + 1)] + (n - rho) * per[q]) / aht[rows, None] \
            * (agents[rows, None] > 0)
    return rate


def _chat_arrays(lam, aht, n, c, factors, theta, threshold):
    out = _chain.solve(lam, (n * c).astype(np.int64), _rate_fn(n.astype(np.int64), aht, factors), theta,
                       threshold=threshold)
    with np.errstate(divide="ignore", invalid="ignore"):
        asa = np.where(out["answered"] > 0, out["wait_sum"] / out["answered"], np.inf)
        occ = np.where(n > 0, out["busy"] / np.maximum(n * c, 1), 0.0)
    none = lam == 0
    return dict(service_level=np.where(none, 1.0, out["service_level"]),
                abandon_rate=np.where(none, 0.0, out["abandon_rate"]),
                wait_probability=out["wait_probability"], asa=np.where(none, 0.0, asa), occupancy=occ,
                sessions_per_agent=np.where(n > 0, out["busy"] / np.maximum(n, 1), 0.0))


def _inputs(sessions, aht, interval, agents, concurrency, slowdown, patience, threshold):
    c = check_concurrency(concurrency)
    factors = chat_handle_time(1.0, c, slowdown)  # a percentage slowdown is refused there
    inp, arr, length = prepare(sessions, aht, interval, name="sessions", agents=agents, patience=patience,
                               threshold=threshold)
    idx = inp.index
    v.warn_implausible(arr["aht"], "aht", index=idx, stacklevel=4)  # minutes for seconds: the voice path's warning
    if agents is not None:
        v.check_whole(arr["agents"], "agents", index=idx)
    v.check_nonnegative(arr["threshold"], "threshold", "seconds", index=idx)
    if patience is not None:
        v.check_positive(arr["patience"], "patience", "seconds", index=idx, allow_inf=True)
    flat = {k: np.reshape(np.asarray(a, float), -1) for k, a in arr.items() if a is not None}
    theta = np.zeros_like(flat["sessions"]) if patience is None else 1.0 / flat["patience"]
    return inp, flat, c, factors, theta


def chat_queue(sessions, aht, interval=None, agents=None, *, concurrency, slowdown=0.0, patience=None, threshold=60):
    """
    Service figures of a chat queue at given agents (see the module docstring).

    Parameters
    ----------
    sessions : numeric or Series
        Sessions offered per interval. [sessions per interval]
    aht : numeric or Series
        Handle time of a session when the agent holds only it. [s]
    interval : numeric, optional
        Interval length; inferred from a DatetimeIndex when None. [s]
    agents : numeric or Series
        Agents on chat, whole numbers. [count]
    concurrency : int
        Most sessions an agent holds at once. [count >= 1]
    slowdown : float or sequence
        Handle-time stretch with concurrency (:func:`chat_handle_time`).
    patience : numeric, optional
        Mean time a waiting customer stays (exponential); None for no
        abandonment. [s]
    threshold : numeric
        First-response target. [s]

    Returns
    -------
    DataFrame
        ``sessions``, ``agents``, ``service_level`` (first response within
        ``threshold`` over sessions offered), ``abandon_rate``,
        ``wait_probability`` [0-1], ``asa`` (mean time to first response of
        the answered; infinite where none is answered) [s], ``occupancy`` (busy slots over slots) [0-1] and
        ``sessions_per_agent`` [count].

    Examples
    --------
    Concurrency 1 with no slowdown is Erlang A (0.6399 in wfm.erlang):

    >>> chat_queue(100, 180, 1800, 10, concurrency=1, patience=120, threshold=20)["service_level"].round(4).item()
    0.6399
    >>> chat_queue(100, 300, 1800, 7, concurrency=3, slowdown=0.25, patience=120)["service_level"].round(3).item()
    0.701
    """
    if agents is None:
        raise TypeError("agents is required: agents on chat per interval, whole numbers; got None.")
    inp, flat, c, factors, theta = _inputs(sessions, aht, interval, agents, concurrency, slowdown, patience,
                                           threshold)
    res = _chat_arrays(flat["sessions"] / flat["interval"], flat["aht"], flat["agents"], c, factors, theta,
                       flat["threshold"])
    index = inp.index if inp.kind == "series" else None
    return pd.DataFrame({"sessions": flat["sessions"], "agents": flat["agents"], **res}, index=index)


def chat_staffing(sessions, aht, interval=None, *, service_level=0.8, threshold=60, concurrency, slowdown=0.0,
                  patience=None, max_abandon_rate=None):
    """
    Least chat agents per interval meeting a first-response target (bisection, all intervals at once).

    Parameters
    ----------
    sessions, aht, interval, concurrency, slowdown, patience, threshold
        As in :func:`chat_queue`.
    service_level : float
        Target share of sessions answered within ``threshold``. [0-1)
    max_abandon_rate : float, optional
        Also keep the abandon rate at or below this. [0-1] Needs
        ``patience`` (without it nobody abandons; an error).

    Returns
    -------
    ChannelPlan
        ``table`` is :func:`chat_queue`'s at the agents found, plus ``load``
        (sessions x aht / interval) [Erlangs] and ``service_level_target``.

    Examples
    --------
    >>> chat_staffing(100, 300, 1800, concurrency=3, slowdown=0.25, patience=120).table["agents"].item()
    8.0
    """
    sl, _ = check_target(service_level, threshold)
    inp, flat, c, factors, theta = _inputs(sessions, aht, interval, None, concurrency, slowdown, patience,
                                           threshold)
    cap = None if max_abandon_rate is None else float(v.check_fraction(
        v.as_float_array(max_abandon_rate, "max_abandon_rate"), "max_abandon_rate"))
    if cap is not None and not np.any(theta > 0):
        raise ValueError("max_abandon_rate caps the abandon rate but patience is None (customers never leave, so "
                         "the abandon rate is always 0); give patience in seconds or drop max_abandon_rate.")
    lam = flat["sessions"] / flat["interval"]
    slot_rate = np.min(np.arange(1, c + 1) / factors)  # least completions per agent-aht at any load
    load = lam * flat["aht"]
    hi = np.ceil(load / slot_rate + 6 * np.sqrt(load) + 3)

    def meets(n):
        res = _chat_arrays(lam, flat["aht"], n, c, factors, theta, flat["threshold"])
        ok = res["service_level"] >= sl - 1e-12
        return ok if cap is None else ok & (res["abandon_rate"] <= cap + 1e-12)

    for _ in range(30):
        ok = meets(hi)
        if ok.all():
            break
        hi = np.where(ok, hi, np.ceil(hi * 1.5 + 2))
    lo = np.full(hi.shape, -1.0)
    while np.any(hi - lo > 1):
        mid = np.where(hi - lo > 1, np.floor((lo + hi) / 2), hi)
        ok = meets(np.maximum(mid, 0))
        hi = np.where(ok & (hi - lo > 1), mid, hi)
        lo = np.where(~ok & (hi - lo > 1), mid, lo)
    n = np.maximum(hi, 0)
    res = _chat_arrays(lam, flat["aht"], n, c, factors, theta, flat["threshold"])
    index = inp.index if inp.kind == "series" else pd.RangeIndex(n.size)
    table = pd.DataFrame({"sessions": flat["sessions"], "load": load, "agents": n, **res}, index=index)
    table.insert(table.columns.get_loc("service_level") + 1, "service_level_target", float(sl))
    table["weight"] = flat["sessions"]
    return ChannelPlan(table, dict(channel="chat", interval=float(flat["interval"][0]), service_level=float(sl),
                                   threshold=threshold, concurrency=c, slowdown=slowdown, patience=patience,
                                   max_abandon_rate=max_abandon_rate))
