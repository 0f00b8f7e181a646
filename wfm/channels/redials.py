r"""
Voice with redials and callbacks: Erlang X as a fixed point, the callback
(virtual hold) option, and the redial probability and delay estimated from a
contact log.

Erlang X
--------
The queue is M/M/n/N+M: ``agents`` agents, at most ``lines`` callers in the
system (a caller who finds every line busy is *blocked*), exponential
patience. A blocked or abandoned attempt calls again with probability
``redial_probability`` after an exponential delay with mean
``redial_delay`` [s]. Following Koole's Erlang X [1]_ and the retrial model
of Aguir et al. [2]_, the redials are added to the fresh arrivals as extra
Poisson load and the attempt rate solves the fixed point

.. math:: \lambda = \lambda_0 + r\,\lambda\,L(\lambda),

L the share of attempts lost (blocked or abandoned) at attempt rate
:math:`\lambda`. :math:`\lambda L(\lambda)` grows with slope at most 1, so
the map is a contraction with factor r and the iteration from
:math:`\lambda_0` climbs to the least fixed point. Across intervals a redial
made from interval t lands in t + 1 with probability
:math:`f = (D / I)(1 - e^{-I / D})` (a uniform failure time in an interval
of length I, an exponential delay of mean D; later intervals are
neglected). The last interval of an open block (and a single interval)
keeps all its own redials: the stationary case, where they return to the
queue that lost them. With ``redial_probability`` 0 and no ``lines`` the figures are
Erlang A's (:mod:`wfm.erlang`) to rounding.

The fixed point treats the redials as Poisson load, independent of the
queue. When they come back soon (a delay of minutes), they return while the
congestion that lost them lasts, and the fixed point is optimistic (1.3 to
1.6 points of service level at loads 0.9-1.0 of 30 agents with a 300 s
delay; ``benchmarks/bench_channels.py``). ``method="chain"`` then tracks the
callers waiting to redial in a two-dimensional Markov chain
(:mod:`wfm.channels._orbit`, the retrial model of Aguir et al. [2]_,
solved per interval). ``method="auto"`` uses the chain where the delay is
at most the interval, the redials are at least 1% of the attempts (below
that the two agree to a tenth of a point) and the truncated chain is small
(``_orbit.BUDGET``: about 40 lines or 150 queue states beside an orbit of
40 callers); the fixed point elsewhere, which for large centres at their
staffing agrees with the chain (the bank's week with 40% redials after
600 s: the chain changed 8 of 336 intervals by one agent).

Callbacks
---------
A caller who finds every agent busy with j callers ahead is told the
estimated wait :math:`(j + 1) / (n \mu)` and, when it exceeds
``callback_threshold``, is offered a call back, which a share
``acceptance`` takes (the option of Armony and Maglaras [3]_). The inbound
chain's arrival rate drops by that share in those states. The callbacks are
returned when an agent is free and no caller waits, but once started an
agent finishes them, so they take capacity from the inbound queue: the
model gives the inbound queue :math:`n - \rho_{cb}` agents, with
:math:`\rho_{cb}` the callback load in Erlangs (linear between whole
numbers of agents), and solves for :math:`\rho_{cb}` as a damped fixed
point. This is a heuristic; :func:`wfm.simulation.simulate_callbacks` is the
judge (within about a point of service level where the callbacks fit in
the idle time; ``callbacks_fit`` flags where they do not and the callback
backlog grows). With ``acceptance`` 0 (or no threshold) it is the plain
queue exactly.

References
----------
.. [1] G. Koole, "Call Center Optimization", MG books, Amsterdam, 2013,
   chapter 5 (Erlang X: blocking, abandonment and redials).
.. [2] M. S. Aguir, F. Karaesmen, O. Z. Aksin and F. Chauvet, "The impact of
   retrials on call center performance", OR Spectrum 26(3), 353-376, 2004.
.. [3] M. Armony and C. Maglaras, "On customer contact centers with a
   call-back option: customer decisions, routing rules, and system design",
   Operations Research 52(2), 271-292, 2004.
.. [4] W. L. Deemer and D. F. Votaw, "Estimation of parameters of truncated
   or censored exponential distributions", Annals of Mathematical
   Statistics 26(3), 498-504, 1955.
.. [5] D. J. Venzon and S. H. Moolgavkar, "A method for computing
   profile-likelihood-based confidence intervals", Applied Statistics
   37(1), 87-94, 1988.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .. import _validation as v
from . import _chain, _orbit
from ._truncated import redial_mle
from ._checks import check_callback_threshold, check_redial_probability, check_target, prepare
from .result import ChannelPlan, RedialEstimate

__all__ = ["erlang_x", "erlang_x_staffing", "callback_queue", "estimate_redials"]


def _frame(cols, inp):
    index = inp.index if inp.kind == "series" else None
    return pd.DataFrame({k: np.reshape(np.asarray(c, float), -1) for k, c in cols.items()}, index=index)


def _voice_inputs(calls, aht, interval, agents, patience, lines, redial_probability, redial_delay, threshold):
    inp, arr, length = prepare(calls, aht, interval, agents=agents, patience=patience, lines=lines,
                               redial_delay=redial_delay, threshold=threshold)
    idx = inp.index
    if arr.get("agents") is not None:
        v.check_whole(arr["agents"], "agents", index=idx)
    if patience is not None:
        v.check_positive(arr["patience"], "patience", "seconds", index=idx, allow_inf=True,
                         hint="patience is the mean time a caller waits before abandoning.")
        v.warn_implausible(arr["patience"], "patience", index=idx)
    if lines is not None:
        v.check_positive(arr["lines"], "lines", "lines", index=idx, allow_inf=True)
        bad = np.isfinite(arr["lines"]) & (arr["lines"] != np.floor(arr["lines"]))
        if bad.any():
            raise ValueError(f"lines must be a whole number of lines (most callers in the system, in service "
                             f"or waiting); got {arr['lines'][bad][0]:g}{v.describe_positions(bad, idx)}.")
    v.check_positive(arr["redial_delay"], "redial_delay", "seconds", index=idx)
    if np.any(np.asarray(redial_probability, float) > 0):  # a delay that no redial uses is not worth a warning
        v.warn_implausible(arr["redial_delay"], "redial_delay", index=idx)
    v.check_nonnegative(arr["threshold"], "threshold", "seconds", index=idx)
    r = np.broadcast_to(check_redial_probability(redial_probability), inp.shape)
    theta = np.zeros(inp.shape) if patience is None else 1.0 / arr["patience"]
    line_arr = None if lines is None else arr["lines"]
    if patience is None and lines is None:
        raise ValueError("patience or lines is required: without abandonment and without a line limit nothing is "
                         "lost and nothing redials; use wfm.erlang for Erlang C, or give patience in seconds.")
    return inp, arr, length, r, theta, line_arr


def _spill_share(length, delay, index):
    """Share of the redials from interval t that land in t + 1 (0 where t + 1 does not follow t)."""
    f = delay / length * -np.expm1(-length / delay)
    nxt = np.zeros(np.shape(length), bool).reshape(-1)
    if isinstance(index, pd.DatetimeIndex) and len(index) > 1:
        steps = np.asarray((index[1:] - index[:-1]).total_seconds())
        nxt[:-1] = np.abs(steps - np.reshape(length, -1)[:-1]) < 1e-6
    return np.where(nxt, np.reshape(f, -1), 0.0), nxt


def _fixed_point(lam0, n, mu, theta, lines, r, spill, has_next, start=None, tol=1e-10, max_iter=2000):
    """Attempt rate per interval solving lam = lam0 + r * (redials landing here).

    Plain iteration (a contraction with factor at most r) with an Aitken
    delta-squared step every third iterate, kept within the distance the
    contraction allows (|step| r / (1 - r)) of the last iterate; the result
    is always a fixed point to the tolerance (relative, or absolute at 1e-9
    of the busiest interval's fresh rate for the redials that trickle into
    intervals without fresh calls).
    """
    slots = (np.minimum(n, lines) if lines is not None else n).astype(np.int64)
    rate = (lambda m, rows: m * mu[rows, None])
    reach = r / (1 - r)
    floor = 1e-9 * max(float(lam0.max()) if lam0.size else 0.0, 1e-300)  # rates below this are noise

    def step(lam):
        out = _chain.solve(lam, slots, rate, theta, lines=lines, waits=False)
        lost = lam * np.clip(out["blocked"] + out["abandon_rate"], 0.0, 1.0)
        stay = np.where(has_next, 1 - spill, 1.0) * lost
        incoming = stay + np.r_[0.0, (spill * lost)[:-1]] if lam.size else stay
        return lam0 + r * incoming

    lam = lam0.copy() if start is None else np.maximum(start, lam0)
    history = []
    for _ in range(max_iter):
        new = step(lam)
        if np.all(np.abs(new - lam) <= tol * np.maximum(new, floor)):
            return new
        history = (history + [lam])[-2:]
        lam = new
        if len(history) == 2:
            x0, x1, x2 = history[0], history[1], lam
            d1, d2 = x1 - x0, x2 - x1
            denom = d2 - d1
            with np.errstate(divide="ignore", invalid="ignore"):
                jump = np.where(np.abs(denom) > 1e-300, x2 - d2 * d2 / denom, x2)
            room = np.abs(d2) * reach
            lam = np.maximum(np.clip(np.where(np.isfinite(jump), jump, x2), x2 - room, x2 + room), lam0)
            history = []
    return lam


def _chain_rows(method, lam0, n, aht, theta, lines, r, delay, length, lam_fp):
    """Rows the orbit chain solves: the documented rule of :func:`erlang_x` (``method="auto"``)."""
    if method == "fixed_point":
        return np.zeros(lam0.shape, bool)
    slots = (np.minimum(n, lines) if lines is not None else n).astype(np.int64)
    line_arr = np.full(lam0.shape, np.inf) if lines is None else lines
    _, _, flops = _orbit.states_needed(lam0, (lam_fp - lam0) * delay, slots, 1.0 / aht, theta, line_arr,
                                       1.0 / delay)
    rows = (r > 0) & (lam0 > 0)
    if method == "chain":
        return rows
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(lam_fp > 0, (lam_fp - lam0) / lam_fp, 0.0)
    return rows & (delay <= length) & (flops <= _orbit.BUDGET) & (share >= _orbit.MIN_REDIAL_SHARE)


def _erlang_x_arrays(lam0, aht, n, theta, lines, r, spill, has_next, threshold, start=None, tol=1e-10, *,
                     delay=None, length=None, method="fixed_point", only=None):
    mu = 1.0 / aht
    lam = (lam0.copy() if not np.any(r > 0)
           else _fixed_point(lam0, n, mu, theta, lines, r, spill, has_next, start, tol=tol))
    slots = (np.minimum(n, lines) if lines is not None else n).astype(np.int64)
    out = _chain.solve(lam, slots, lambda m, rows: m * mu[rows, None], theta, lines=lines, threshold=threshold)
    use = _chain_rows(method, lam0, n, aht, theta, lines, r, delay, length, lam)
    if only is not None:
        use = use & only
    if use.any():  # the orbit chain where the rule picks it (its redials stay in their interval)
        line_arr = np.full(lam0.shape, np.inf) if lines is None else lines
        got = _orbit.solve(lam0[use], slots[use], mu[use], theta[use], line_arr[use], r[use], 1.0 / delay[use],
                           (lam[use] - lam0[use]) * delay[use], threshold[use])
        lam = lam.copy()
        lam[use] = got.pop("attempts")
        for key, val in got.items():
            if key in out:
                out[key] = out[key].copy()
                out[key][use] = val
    with np.errstate(divide="ignore", invalid="ignore"):
        asa = np.where(out["answered"] > 0, out["wait_sum"] / out["answered"], np.inf)
        occ = np.where(n > 0, out["busy"] / np.maximum(n, 1), 0.0)
    lost = np.clip(out["blocked"] + out["abandon_rate"], 0, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        never = np.where(lam0 > 0, np.where(use, (1 - r) * lam * lost / np.where(lam0 > 0, lam0, 1.0),
                                            lost * (1 - r) / (1 - r * lost)), 0.0)
    none = lam == 0
    return dict(attempts=lam, redials=lam - lam0, load=lam * aht, blocked=out["blocked"],
                abandon_rate=np.where(none, 0.0, out["abandon_rate"]),
                service_level=np.where(none, 1.0, out["service_level"]),
                wait_probability=out["wait_probability"], asa=np.where(none, 0.0, asa), occupancy=occ,
                never_served=never, method=np.where(use, "chain", "fixed_point"))


def erlang_x(calls, aht, interval=None, agents=None, *, patience, threshold=20, lines=None, redial_probability=0.0,
             redial_delay=600.0, method="auto"):
    r"""
    Erlang X: a voice queue with finite lines, abandonment and redials [1]_.

    See the module docstring for the model. Rates are per *attempt* (fresh
    calls and redials alike): ``service_level`` is attempts answered within
    ``threshold`` over all attempts (blocked ones included), as a switch
    counts them.

    Parameters
    ----------
    calls : numeric or Series
        Fresh calls offered per interval (first attempts). [calls per interval]
    aht : numeric or Series
        Average handle time. [s]
    interval : numeric, optional
        Interval length; inferred from a DatetimeIndex when None. [s]
    agents : numeric or Series
        Productive agents, whole numbers. [count]
    patience : numeric or Series
        Mean time a caller waits before abandoning (exponential); None for
        callers who never hang up (then ``lines`` is required). [s]
    threshold : numeric
        Answer-time target T. [s]
    lines : numeric or Series, optional
        Most callers in the system (in service plus waiting); None for no
        limit. When below ``agents``, only ``lines`` agents can be busy.
    redial_probability : float
        Share of blocked or abandoned attempts that call again. [0-1), a
        value of 1 is an error (an unbounded load).
    redial_delay : numeric
        Mean time from a failed attempt to the redial (exponential). [s] A
        value under 20 looks like minutes and warns.
    method : {"auto", "chain", "fixed_point"}
        ``"fixed_point"``: the redials as Poisson load (module docstring).
        ``"chain"``: the two-dimensional chain that tracks the callers
        waiting to redial (:mod:`wfm.channels._orbit`), stationary within
        each interval. ``"auto"`` (the rule): the chain in the intervals
        where ``redial_delay`` is at most the interval length (the orbit
        turns over within the interval, and the redials come back while the
        congestion that lost them lasts, which the fixed point misses) and
        the truncated chain costs at most ``_orbit.BUDGET`` flops (queue
        states x orbit sizes cubed: about 90 orbit sizes beside 80 queue
        states); the fixed point elsewhere (long delays: the redials return
        to a queue that has forgotten them, and the fixed point carries
        them into the next interval).

    Returns
    -------
    DataFrame
        One row per interval (on the index of a Series input): ``calls``,
        ``attempts`` and ``redials`` [calls per interval], ``load``
        [Erlangs], ``agents``, ``blocked``, ``abandon_rate``,
        ``service_level``, ``wait_probability`` [0-1 of attempts], ``asa``
        [s] (infinite where no attempt is answered: no agents),
        ``occupancy`` [0-1], ``never_served`` (share of fresh callers who
        give up for good; :math:`L(1-r)/(1-rL)` at the fixed point) [0-1]
        and ``method`` (``"chain"`` or ``"fixed_point"``, the model used).

    Examples
    --------
    Erlang A's worked example (100 calls, AHT 180 s, 10 agents, patience
    120 s) with no redials, then with half the lost attempts calling again:

    >>> erlang_x(100, 180, 1800, 10, patience=120)["service_level"].round(4).item()
    0.6399
    >>> x = erlang_x(100, 180, 1800, 10, patience=120, redial_probability=0.5, method="fixed_point")
    >>> x[["attempts", "service_level"]].round(3).values.tolist()
    [[109.914, 0.54]]

    Redials after 300 s on average come back while the queue is still long,
    which the chain sees:

    >>> x = erlang_x(100, 180, 1800, 10, patience=120, redial_probability=0.5, redial_delay=300)
    >>> x[["attempts", "service_level"]].round(3).values.tolist(), x["method"].item()
    ([[110.483, 0.526]], 'chain')
    """
    inp, arr, length, r, theta, lines_arr = _voice_inputs(calls, aht, interval, agents, patience, lines,
                                                          redial_probability, redial_delay, threshold)
    if agents is None:
        raise TypeError("agents is required: productive agents per interval, whole numbers; got None.")
    flat = {k: np.reshape(np.asarray(a, float), -1) for k, a in arr.items() if a is not None}
    spill, has_next = _spill_share(flat["interval"], flat["redial_delay"], inp.index)
    lines_flat = None if lines_arr is None else np.reshape(lines_arr, -1)
    n = flat["agents"].astype(np.int64)
    method = v.check_choice(method, "method", ("auto", "chain", "fixed_point"))
    res = _erlang_x_arrays(flat["calls"] / flat["interval"], flat["aht"], n, np.reshape(theta, -1), lines_flat,
                           np.reshape(r, -1), spill, has_next, flat["threshold"], delay=flat["redial_delay"],
                           length=flat["interval"], method=method)
    res = {k: (x * flat["interval"] if k in ("attempts", "redials") else x) for k, x in res.items()}
    cols = {"calls": flat["calls"], **{k: res[k] for k in ("attempts", "redials", "load")}, "agents": n,
            **{k: res[k] for k in ("blocked", "abandon_rate", "service_level", "wait_probability", "asa",
                                   "occupancy", "never_served")}}
    out = _frame(cols, inp)
    out["method"] = res["method"]
    return out


def erlang_x_staffing(calls, aht, interval=None, *, service_level=0.8, threshold=20, patience, lines=None,
                      redial_probability=0.0, redial_delay=600.0, method="auto"):
    """
    Least agents per interval that meet a service level under Erlang X.

    A bisection on the agents of every interval at once, each step solving
    the redial fixed point for the whole horizon (so the redials a short
    interval sends into the next are counted there); a last pass adds an
    agent where the coupled figures still miss the target. Where ``method``
    picks the orbit chain, the search then steps from the fixed point's
    answer, one agent at a time, to the least agents the chain says meet
    the target (the two differ by a few agents at most).

    Parameters
    ----------
    calls, aht, interval, patience, threshold, lines, redial_probability, redial_delay, method
        As in :func:`erlang_x`.
    service_level : float
        Target share of attempts answered within ``threshold``. [0-1)

    Returns
    -------
    ChannelPlan
        ``table`` is :func:`erlang_x`'s at the agents found, plus
        ``service_level_target``; ``params["channel"]`` is ``"voice_redials"``.

    Raises
    ------
    ValueError
        Naming ``lines`` when even as many agents as lines miss the target.

    Examples
    --------
    >>> erlang_x_staffing(100, 180, 1800, service_level=0.8, patience=120).table["agents"].item()
    12.0
    """
    sl, _ = check_target(service_level, threshold)
    method = v.check_choice(method, "method", ("auto", "chain", "fixed_point"))
    inp, arr, length, r, theta, lines_arr = _voice_inputs(calls, aht, interval, None, patience, lines,
                                                          redial_probability, redial_delay, threshold)
    flat = {k: np.reshape(np.asarray(a, float), -1) for k, a in arr.items() if a is not None}
    spill, has_next = _spill_share(flat["interval"], flat["redial_delay"], inp.index)
    lines_flat = None if lines_arr is None else np.reshape(lines_arr, -1)
    theta, r = np.reshape(theta, -1), np.reshape(r, -1)
    lam0 = flat["calls"] / flat["interval"]
    top_load = lam0 / (1 - r) * flat["aht"]
    hi = np.ceil(top_load + 6 * np.sqrt(top_load) + 5)
    if lines_flat is not None:
        hi = np.minimum(hi, np.where(np.isfinite(lines_flat), lines_flat, hi))

    warm = {"lam": None}

    def meets(n, tol=1e-7, only=False):  # a looser fixed point while searching, the full one to finish
        res = _erlang_x_arrays(lam0, flat["aht"], n.astype(np.int64), theta, lines_flat, r, spill, has_next,
                               flat["threshold"], start=warm["lam"], tol=tol, delay=flat["redial_delay"],
                               length=flat["interval"], method="fixed_point" if only is False else method, only=only)
        if only is False:
            warm["lam"] = res["attempts"]
        return (res["service_level"] >= sl - 1e-12), res["method"] == "chain"

    for _ in range(20):  # make sure the top meets the target
        ok = meets(hi)[0]
        if ok.all():
            break
        grow = np.ceil(hi * 1.5 + 2)
        if lines_flat is not None:
            capped = ~ok & (hi >= lines_flat)
            if capped.any():
                raise ValueError(f"lines are too few to meet service_level {float(sl):g}: even as many agents as "
                                 f"lines miss it{v.describe_positions(capped, inp.index)}. Add lines or lower "
                                 "the target.")
            grow = np.minimum(grow, lines_flat)
        hi = np.where(ok, hi, grow)
    lo = np.full(hi.shape, -1.0)  # -1: below every staffing that can meet
    while np.any(hi - lo > 1):
        mid = np.where(hi - lo > 1, np.floor((lo + hi) / 2), hi)
        ok = meets(np.maximum(mid, 0))[0]
        hi = np.where(ok & (hi - lo > 1), mid, hi)
        lo = np.where(~ok & (hi - lo > 1), mid, lo)
    n = np.maximum(hi, 0)
    for _ in range(5):  # the coupling between intervals (or the loose search) can leave a miss
        ok = meets(n, tol=1e-10)[0]
        if ok.all():
            break
        n = np.where(ok, n, n + 1)
    if method != "fixed_point" and np.any(r > 0):
        n = _chain_search(n, meets, lines_flat, sl, inp.index)
    for _ in range(5):  # the rule may pick the other model at the agents found: add one where that one misses
        with warnings.catch_warnings():  # the inputs' unit warnings were given once above
            warnings.simplefilter("ignore", v.UnitWarning)
            table = erlang_x(pd.Series(flat["calls"], index=inp.index) if inp.kind == "series" else flat["calls"],
                             flat["aht"], flat["interval"], n, patience=None if patience is None else 1 / theta,
                             threshold=flat["threshold"], lines=lines_flat, redial_probability=r,
                             redial_delay=flat["redial_delay"], method=method)
        miss = table["service_level"].to_numpy() < sl - 1e-12
        if not miss.any() or (lines_flat is not None and np.any(miss & (n >= lines_flat))):
            break
        n = np.where(miss, n + 1, n)
    if inp.kind != "series":
        table.index = pd.RangeIndex(len(table))
    table.insert(table.columns.get_loc("service_level") + 1, "service_level_target", float(sl))
    table["weight"] = table["attempts"]
    return ChannelPlan(table, dict(channel="voice_redials", interval=float(flat["interval"][0]),
                                   service_level=float(sl), threshold=threshold, patience=patience, lines=lines,
                                   redial_probability=redial_probability, redial_delay=redial_delay,
                                   method=method))


def _chain_search(n, meets, lines, sl, index):
    """From the fixed point's agents, step each interval the chain solves to its least agents meeting the target."""
    ok, chained = meets(n, only=None)
    up, down = chained & ~ok, chained & ok & (n > 0)
    while up.any():
        if lines is not None and np.any(up & (n >= lines)):
            raise ValueError(f"lines are too few to meet service_level {float(sl):g}: even as many agents as lines "
                             f"miss it{v.describe_positions(up & (n >= lines), index)}. Add lines or lower the target.")
        n = np.where(up, n + 1, n)
        up = up & ~meets(n, only=up)[0]
    while down.any():
        trial = np.where(down, n - 1, n)
        fine = meets(trial, only=down)[0]
        n = np.where(down & fine, trial, n)
        down = down & fine & (n > 0)
    return n


def callback_queue(calls, aht, interval=None, agents=None, *, patience, threshold=20, callback_threshold,
                   acceptance, lines=None):
    """
    Voice queue with a callback offer above an estimated wait (see the module docstring).

    Parameters
    ----------
    calls, aht, interval, agents, patience, threshold, lines
        As in :func:`erlang_x` (no redials here).
    callback_threshold : numeric
        Estimated wait above which a callback is offered. [s] A value under
        10 looks like minutes and warns.
    acceptance : float
        Share of the callers offered a callback who take it. [0-1]

    Returns
    -------
    DataFrame
        One row per interval: ``calls``, ``agents``, ``callbacks`` [calls per
        interval], ``callback_rate`` [0-1 of calls], ``service_level``
        (answered within ``threshold`` over the calls that stayed in the
        queue), ``abandon_rate`` [0-1 of calls], ``asa`` [s] of the
        answered inbound calls, ``occupancy`` (inbound plus callback work
        over agents) and ``callbacks_fit`` (inbound and callback work leave
        at least 1% of the agents' time idle; otherwise the callback backlog
        grows and the figures do not hold).

    Examples
    --------
    >>> q = callback_queue(100, 180, 1800, 10, patience=120, callback_threshold=60, acceptance=0.5)
    >>> q[["callback_rate", "service_level"]].round(3).values.tolist()
    [[0.061, 0.653]]
    """
    if agents is None:
        raise TypeError("agents is required: productive agents per interval, whole numbers; got None.")
    cb = check_callback_threshold(callback_threshold)
    acc = v.check_fraction(v.as_float_array(acceptance, "acceptance"), "acceptance", closed_low=True)
    inp, arr, length, _, theta, lines_arr = _voice_inputs(calls, aht, interval, agents, patience, lines, 0.0,
                                                          600.0, threshold)
    flat = {k: np.reshape(np.asarray(a, float), -1) for k, a in arr.items() if a is not None}
    cb = np.broadcast_to(cb, inp.shape).reshape(-1)[:, None]
    acc = np.broadcast_to(acc, inp.shape).reshape(-1)[:, None]
    n = flat["agents"].astype(np.int64)
    lines_flat = None if lines_arr is None else np.reshape(lines_arr, -1)
    mu = 1.0 / flat["aht"]
    told = (n * mu)[:, None]  # the wait estimate the caller hears uses every agent
    lam = flat["calls"] / flat["interval"]
    theta = np.reshape(theta, -1)

    def stay(j, rows):
        with np.errstate(divide="ignore"):
            estimate = np.where(told[rows] > 0, (j + 1) / told[rows], np.inf)
        return np.where((j >= 0) & (estimate > cb[rows]), 1 - acc[rows], 1.0)

    def chain(agents):
        slots = np.minimum(agents, lines_flat).astype(np.int64) if lines_flat is not None else agents
        return _chain.solve(lam, slots, lambda m, rows: m * mu[rows, None], theta, lines=lines_flat,
                            threshold=flat["threshold"], birth_factor=stay)

    keys = ("declined", "joined", "service_level", "wait_sum", "answered", "abandon_rate", "busy", "blocked")
    rho = np.zeros(n.shape)  # agents' worth of callback work
    for _ in range(200):
        eff = np.maximum(n - rho, 0.0)
        low = np.floor(eff)
        w = eff - low
        a, b = chain(low.astype(np.int64)), chain(np.minimum(low + 1, n).astype(np.int64))
        out = {k: (1 - w) * a[k] + w * b[k] for k in keys}
        new = np.minimum(lam * out["declined"] * flat["aht"], n)
        if np.all(np.abs(new - rho) <= 1e-9 * np.maximum(new, 1.0)):
            break
        rho = 0.5 * rho + 0.5 * new
    took, stayed = out["declined"], out["joined"]
    with np.errstate(divide="ignore", invalid="ignore"):
        sl = np.where(stayed > 0, out["service_level"] / stayed, 1.0)
        asa = np.where(out["answered"] > 0, out["wait_sum"] / out["answered"], 0.0)
        cb_load = lam * took * flat["aht"]
        work = lam * (1 - out["blocked"] - out["abandon_rate"]) * flat["aht"]  # inbound and callbacks carried
        occ = np.where(n > 0, work / np.maximum(n, 1), 0.0)
    cols = {"calls": flat["calls"], "agents": n, "callbacks": flat["calls"] * took, "callback_rate": took,
            "service_level": np.where(lam > 0, sl, 1.0), "abandon_rate": out["abandon_rate"], "asa": asa,
            "occupancy": np.minimum(occ, 1.0)}
    out = _frame(cols, inp)
    out["callbacks_fit"] = np.reshape((work < 0.99 * n) | (cb_load == 0), -1)  # a flag: df[df.callbacks_fit] works
    return out


def estimate_redials(contacts, *, window=3600.0, level=0.95):
    r"""
    Redial probability and mean delay from a contact log with customer ids.

    A *failed* attempt is a contact that was not answered (abandoned or
    blocked). It is *redialled* when the same customer's next contact
    arrives within ``window`` seconds of the failure (the abandon time, else
    arrival plus wait, else the arrival). Failures later than ``window``
    before the log's last arrival are left out (their redial could not be
    seen). A redial later than the window is never seen, so the delays seen
    are an exponential *right-truncated* at ``window``: their plain mean is
    biased low (a 900 s delay seen through a 3,600 s window averages 833 s),
    and so is the share redialled. Both come from the maximum likelihood of
    that model (:mod:`wfm.channels._truncated`): the mean delay :math:`\hat d`
    solves the truncated-mean equation of Deemer and Votaw [4]_,

    .. math:: \bar x = \hat d - \frac{w\, e^{-w/\hat d}}{1 - e^{-w/\hat d}},

    one root-find, and the probability is the share redialled over the chance
    a redial falls inside the window,
    :math:`\hat p = \text{redials} / (\text{failures}\,(1 - e^{-w/\hat d}))`
    (at most 1: beyond it the likelihood's maximum is on p = 1). The
    intervals at ``level`` are profile likelihood [5]_ (each end where twice
    the drop in log-likelihood, the other parameter re-fitted, reaches the
    chi-square quantile with one degree of freedom), so they widen as the
    window shortens (a seeded log with a 900 s delay: the truth inside them
    at windows of 1,800 to 7,200 s; tests/channels). The exponential delay
    is the model's assumption, and a short window leans on it: choose a
    window of several delays.

    Parameters
    ----------
    contacts : DataFrame
        A contact log as :func:`wfm.read_contacts` returns it (columns
        ``customer``, ``arrival`` and ``answered``; ``abandon`` or ``wait``
        when present), or one from :func:`wfm.simulation.simulate_redials`.
    window : float
        Longest gap between a failure and the redial that counts. [s]
    level : float
        Coverage of the intervals. [0-1)

    Returns
    -------
    RedialEstimate

    Examples
    --------
    >>> log = pd.DataFrame({"customer": ["a", "a", "b", "c", "c"],
    ...                     "arrival": pd.to_datetime(["2024-01-01 09:00", "2024-01-01 09:05", "2024-01-01 09:01",
    ...                                                "2024-01-01 09:02", "2024-01-01 13:00"]),
    ...                     "answered": [False, True, False, True, True]})
    >>> est = estimate_redials(log, window=1800)
    >>> est.figures()["redials"], est.figures()["failed_attempts"]
    (1, 2)
    """
    if not isinstance(contacts, pd.DataFrame):
        raise TypeError(f"contacts must be a DataFrame (a contact log); got {type(contacts).__name__}.")
    v.check_frame_columns(contacts, "contacts", ["customer", "arrival", "answered"],
                          hint="Map the customer id column when reading the log: read_contacts(..., "
                               "columns={'customer': 'your column'}).")
    window = float(v.check_positive(v.as_float_array(window, "window"), "window", "seconds"))
    lev = float(v.check_fraction(v.as_float_array(level, "level"), "level", closed_high=False))
    arrival = pd.to_datetime(contacts["arrival"])
    if contacts["customer"].isna().any():
        raise ValueError(f"customer is missing{v.describe_rows(contacts['customer'].isna().to_numpy())}; "
                         "every contact needs its customer id to link redials.")
    origin = arrival.min()
    t = (arrival - origin).dt.total_seconds().to_numpy()
    fail_t = t.copy()
    if "abandon" in contacts:
        ab = pd.to_datetime(contacts["abandon"])
        fail_t = np.where(ab.notna(), (ab - origin).dt.total_seconds().to_numpy(), fail_t)
    elif "wait" in contacts:
        fail_t = fail_t + np.nan_to_num(contacts["wait"].to_numpy(float))
    frame = pd.DataFrame({"customer": contacts["customer"].to_numpy(), "t": t, "fail_t": fail_t,
                          "failed": ~contacts["answered"].astype(bool).to_numpy()})
    frame = frame.sort_values(["customer", "t"], kind="stable")
    nxt = frame.groupby("customer", sort=False)["t"].shift(-1).to_numpy()
    failed = frame["failed"].to_numpy() & (frame["fail_t"].to_numpy() <= t.max() - window)
    delay = nxt - frame["fail_t"].to_numpy()
    redialled = failed & (delay >= 0) & (delay <= window)
    n_fail, n_red = int(failed.sum()), int(redialled.sum())
    p, p_lo, p_hi, mean_d, lo_d, hi_d = redial_mle(delay[redialled], n_fail, window, lev)
    table = pd.DataFrame({"customer": frame["customer"].to_numpy()[failed],
                          "failed_at": origin + pd.to_timedelta(frame["fail_t"].to_numpy()[failed], unit="s"),
                          "redialled": redialled[failed], "delay": np.where(redialled, delay, np.nan)[failed]})
    figures = dict(redial_probability=p, redial_probability_lo=p_lo, redial_probability_hi=p_hi,
                   redial_delay=mean_d, redial_delay_lo=lo_d, redial_delay_hi=hi_d,
                   failed_attempts=n_fail, redials=n_red)
    return RedialEstimate(table, dict(window=window, level=lev, figures=figures))
