"""Evidence that the Erlang B, C and A formulas of :mod:`wfm.erlang` are exact.

Every expected value below is computed independently of ``wfm``:

1. *Published figures.* The 10-Erlang worked example of the Erlang C
   literature (100 calls in 30 minutes, AHT 180 s, 80/20) and standard Erlang B
   table entries, plus the closed forms of M/M/1, M/M/2 and M/M/1/1.
2. *mpmath at 50 digits.* ``tests/data/erlang_reference.csv`` is written by
   ``tests/data/make_erlang_reference.py`` from Poisson sums and the regularised
   incomplete gamma function in mpmath (loads 0.01 ... 50,000 Erlangs, agents
   from the load to well above it). A few small cases are also recomputed here
   from the textbook sums so the CSV is not the only witness. Tolerance: 1e-9
   absolute for probabilities and service levels, 1e-9 relative for ASA.
3. *The Erlang A birth-death chain.* ``_chain`` below builds the M/M/n+M
   chain (births lambda, deaths min(k, n) mu + max(k - n, 0) theta) and the
   tagged caller's absorbing chain (i callers ahead -> i - 1 at rate
   n mu + i theta, served from 0 at rate n mu, abandons at rate theta), and
   takes P(wait), P(abandon), both service-level definitions (scipy
   ``expm``) and the ASA of answered calls (``x0' S^-2 s``) from them.
   Tolerance 1e-9 absolute, 1e-9 relative for ASA.
4. *pyworkforce's ErlangC* (an independent implementation, in minutes) on a
   small grid: service level and P(wait) within 1e-9.
5. *Properties* (hypothesis): ranges, monotonicity in agents, threshold, calls
   and AHT, scale invariance, and Erlang A tending to Erlang C as patience grows.

Plus the conventions at the edges (no calls, unstable queue, no agents), the
input types (scalar / array / Series) and the error messages of bad input.
"""

from __future__ import annotations

import pathlib

import mpmath
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm, solve_triangular

import wfm
from wfm import erlang as e

REF_PATH = pathlib.Path(__file__).parent / "data" / "erlang_reference.csv"


def _read_reference(path):
    """The reference table with every number parsed by Python's correctly rounded float()."""
    raw = pd.read_csv(path, dtype=str)
    return raw.astype({c: float for c in raw.columns if c != "kind"})


REF = _read_reference(REF_PATH)

PROB_TOL = 1e-9  # absolute, probabilities and service levels
ASA_RTOL = 1e-9  # relative, ASA

EXCL = "exclude_short_abandons"


def _cols(frame):
    return tuple(frame[c].to_numpy(float) for c in ("calls", "aht", "interval", "agents", "threshold"))


def _max_abs_err(got, ref):
    got, ref = np.asarray(got, float), np.asarray(ref, float)
    return float(np.max(np.abs(got - ref))) if got.size else 0.0


# ==========================================================================
# 1. Published figures and closed forms
# ==========================================================================


def test_published_ten_erlang_example_service_level():
    # 100 calls in 1800 s at AHT 180 s is 10 Erlangs; with the 20-second target
    # 13 agents give 79.56 % and 14 agents 88.84 %, so 14 agents meet 80/20.
    # Source: the standard Erlang C worked example of the call-centre tutorials
    # (e.g. Call Centre Helper, "Erlang C formula - made simple"), with the
    # formulas of Gans, Koole and Mandelbaum (2003), MSOM 5(2), 79-141.
    assert round(e.erlang_c_service_level(100, 180, 1800, 13, 20), 4) == 0.7956
    assert round(e.erlang_c_service_level(100, 180, 1800, 14, 20), 4) == 0.8884
    assert round(wfm.service_level(100, 180, 1800, 14, 20), 4) == 0.8884
    # occupancy in the same example: 10 Erlangs on 14 agents = 71.4 %
    assert round(e.erlang_c_occupancy(100, 180, 1800, 14), 3) == 0.714


def test_published_erlang_b_ten_erlangs_ten_servers():
    # Erlang B table: 10 Erlangs offered to 10 servers block 21.46 % of calls.
    assert round(e.erlang_b(100, 180, 1800, 10), 4) == 0.2146


@pytest.mark.parametrize(
    "servers, grade, table_load",
    [  # standard Erlang B (blocking) tables: offered Erlangs at a grade of service, 3 decimals
        (5, 0.01, 1.361),
        (10, 0.01, 4.461),
        (10, 0.02, 5.084),
        (10, 0.05, 6.216),
        (10, 0.10, 7.511),
        (20, 0.01, 12.031),
        (50, 0.01, 37.901),
        (100, 0.01, 84.064),
    ],
)
def test_published_erlang_b_table(servers, grade, table_load):
    # The table load is rounded to 3 decimals: blocking crosses the grade of
    # service within +-0.002 Erlangs of it. Loads given directly (aht = interval).
    below = e.erlang_b(table_load - 0.002, 3600, 3600, servers)
    above = e.erlang_b(table_load + 0.002, 3600, 3600, servers)
    assert below < grade < above


@pytest.mark.parametrize("A", [0.05, 0.3, 0.5, 0.9, 0.999])
def test_closed_forms_one_and_two_servers(A):
    aht, interval, T = 240.0, 3600.0, 30.0
    calls = A * interval / aht
    A = calls * aht / interval
    # M/M/1: P(wait) = rho, ASA = rho aht / (1 - rho), SL = 1 - rho exp(-(1 - rho) T / aht)
    assert e.erlang_c_wait_probability(calls, aht, interval, 1) == pytest.approx(A, abs=1e-13)
    assert e.erlang_c_asa(calls, aht, interval, 1) == pytest.approx(A * aht / (1 - A), rel=1e-12)
    assert e.erlang_c_service_level(calls, aht, interval, 1, T) == pytest.approx(
        1 - A * np.exp(-(1 - A) * T / aht), abs=1e-13)
    # M/M/1/1 (Erlang B, one server): B = A / (1 + A)
    assert e.erlang_b(calls, aht, interval, 1) == pytest.approx(A / (1 + A), abs=1e-13)
    # M/M/2: P(wait) = A^2 / (2 + A)
    assert e.erlang_c_wait_probability(calls, aht, interval, 2) == pytest.approx(A * A / (2 + A), abs=1e-13)
    # M/M/1+M with patience: states form a birth-death chain with closed form
    # p_0 = 1 / (1 + sum_k prod_{i<=k} lambda / (mu + (i-1) theta)); P(wait) = 1 - p_0.
    lam, mu, th = calls / interval, 1 / aht, 1 / 90.0
    terms, prod = [1.0], 1.0
    for k in range(1, 400):
        prod *= lam / (mu + (k - 1) * th)
        terms.append(prod)
    assert e.erlang_a_wait_probability(calls, aht, interval, 1, 90.0) == pytest.approx(
        1 - 1 / sum(terms), abs=1e-12)


# ==========================================================================
# 2. mpmath references (CSV written by tests/data/make_erlang_reference.py)
# ==========================================================================


def test_reference_table_spans_the_claimed_range():
    load = REF["calls"] * REF["aht"] / REF["interval"]
    assert load.min() <= 0.0101 and load.max() >= 49_000
    stable = REF["agents"] > load
    assert stable.sum() >= 150 and (~stable).sum() >= 20
    # agents from just above the load to well above it
    gap = (REF["agents"] - load)[stable] / np.sqrt(load[stable])
    assert gap.min() < 0.05 and gap.max() > 5
    assert set(REF["threshold"]) >= {0, 20, 60, 120}
    assert (REF["kind"] == "staffing").sum() >= 30


def test_erlang_b_matches_mpmath():
    c, a, i, n, _ = _cols(REF)
    got = e.erlang_b(c, a, i, n)
    err = _max_abs_err(got, REF["erlang_b"])
    assert err < PROB_TOL, err
    # where blocking is well above underflow, relative accuracy holds too
    big = REF["erlang_b"].to_numpy() > 1e-250
    rel = np.max(np.abs(got[big] / REF["erlang_b"].to_numpy()[big] - 1))
    assert rel < 1e-9, rel


def test_erlang_c_wait_probability_matches_mpmath():
    c, a, i, n, _ = _cols(REF)
    got = e.erlang_c_wait_probability(c, a, i, n)
    err = _max_abs_err(got, REF["wait_probability"])
    assert err < PROB_TOL, err
    assert np.array_equal(wfm.wait_probability(c, a, i, n), got)


def test_erlang_c_service_level_matches_mpmath():
    c, a, i, n, T = _cols(REF)
    got = e.erlang_c_service_level(c, a, i, n, T)
    assert _max_abs_err(got, REF["service_level"]) < PROB_TOL, _max_abs_err(got, REF["service_level"])
    # one agent more and one fewer (the neighbours the staffing search compares)
    nxt = e.erlang_c_service_level(c, a, i, n + 1, T)
    assert _max_abs_err(nxt, REF["sl_next"]) < PROB_TOL
    has_prev = n >= 1
    prv = e.erlang_c_service_level(c[has_prev], a[has_prev], i[has_prev], n[has_prev] - 1, T[has_prev])
    assert _max_abs_err(prv, REF["sl_prev"][has_prev]) < PROB_TOL
    assert np.array_equal(wfm.service_level(c, a, i, n, T), got)


def test_erlang_c_asa_matches_mpmath():
    c, a, i, n, _ = _cols(REF)
    got = e.erlang_c_asa(c, a, i, n)
    ref = REF["asa"].to_numpy(float)
    finite = np.isfinite(ref)
    assert np.array_equal(np.isfinite(got), finite)  # inf exactly where the queue is unstable
    nz = finite & (ref > 1e-250)
    rel = np.max(np.abs(got[nz] / ref[nz] - 1))
    assert rel < ASA_RTOL, rel
    assert np.all(np.abs(got[finite & ~nz]) < 1e-240)
    assert np.array_equal(wfm.asa(c, a, i, n), got)


def test_scalar_calls_match_array_calls_on_reference_rows():
    rows = REF.iloc[::9]
    c, a, i, n, T = _cols(rows)
    arr_sl = e.erlang_c_service_level(c, a, i, n, T)
    arr_b = e.erlang_b(c, a, i, n)
    for k in range(len(rows)):
        sl = e.erlang_c_service_level(c[k], a[k], i[k], int(n[k]), T[k])
        assert isinstance(sl, float)
        assert sl == pytest.approx(arr_sl[k], abs=1e-15)
        assert e.erlang_b(c[k], a[k], i[k], int(n[k])) == pytest.approx(arr_b[k], abs=1e-15)


def _mp_erlang(A, n, t):
    """B, C, SL, ASA/aht from the textbook sums sum_k A^k / k!, at 50 digits."""
    with mpmath.workdps(50):
        A, t = mpmath.mpf(A), mpmath.mpf(t)
        terms = [A**k / mpmath.factorial(k) for k in range(n + 1)]
        b = terms[n] / mpmath.fsum(terms)
        x = terms[n] * n / (n - A)
        c = x / (mpmath.fsum(terms[:n]) + x)
        return b, c, 1 - c * mpmath.exp(-(n - A) * t), c / (n - A)


@pytest.mark.parametrize(
    "calls, aht, interval, agents, threshold",
    [(3, 600, 1800, 2, 20), (17, 240, 900, 6, 15), (100, 180, 1800, 12, 20),
     (250, 300, 1800, 48, 30), (0.5, 120, 3600, 1, 60), (1200, 200, 1800, 150, 10)],
)
def test_small_cases_against_inline_mpmath_sums(calls, aht, interval, agents, threshold):
    A = mpmath.mpf(calls) * aht / interval
    b, c, sl, w = _mp_erlang(A, agents, mpmath.mpf(threshold) / aht)
    assert e.erlang_b(calls, aht, interval, agents) == pytest.approx(float(b), abs=PROB_TOL)
    assert e.erlang_c_wait_probability(calls, aht, interval, agents) == pytest.approx(float(c), abs=PROB_TOL)
    assert e.erlang_c_service_level(calls, aht, interval, agents, threshold) == pytest.approx(float(sl),
                                                                                              abs=PROB_TOL)
    assert e.erlang_c_asa(calls, aht, interval, agents) == pytest.approx(float(w) * aht, rel=ASA_RTOL)


@pytest.mark.parametrize(
    "calls, aht, interval, agents",
    [(500_000, 180, 1800, 100),  # 50,000 Erlangs on 100 trunks: the incomplete gamma underflows
     (1e-6, 180, 1800, 3),  # a vanishing load
     (500_000, 180, 1800, 52_000)],
)
def test_extreme_erlang_b_and_c_scalar_equals_array_equals_mpmath(calls, aht, interval, agents):
    A = mpmath.mpf(calls) * aht / interval
    with mpmath.workdps(50):
        p = mpmath.exp(agents * mpmath.log(A) - A - mpmath.loggamma(agents + 1))
        b = p / mpmath.gammainc(agents + 1, A, mpmath.inf, regularized=True)
    arr = e.erlang_b([calls], aht, interval, agents)
    assert arr[0] == pytest.approx(float(b), rel=1e-9, abs=1e-300)
    assert e.erlang_b(calls, aht, interval, agents) == pytest.approx(arr[0], rel=1e-15, abs=0)
    assert e.erlang_c_wait_probability(calls, aht, interval, agents) == pytest.approx(
        e.erlang_c_wait_probability([calls], aht, interval, agents)[0], rel=1e-15, abs=0)


# ==========================================================================
# Conventions at the edges
# ==========================================================================


def test_zero_calls_conventions():
    assert e.erlang_b(0, 180, 1800, 5) == 0.0
    assert e.erlang_c_wait_probability(0, 180, 1800, 5) == 0.0
    assert e.erlang_c_service_level(0, 180, 1800, 0, 20) == 1.0
    assert e.erlang_c_asa(0, 180, 1800, 0) == 0.0
    assert e.erlang_c_occupancy(0, 180, 1800, 3) == 0.0
    assert e.erlang_a_wait_probability(0, 180, 1800, 0, 60) == 0.0
    assert e.erlang_a_abandon_rate(0, 180, 1800, 0, 60) == 0.0
    assert e.erlang_a_service_level(0, 180, 1800, 2, 20, 60) == 1.0
    assert e.erlang_a_service_level(0, 180, 1800, 2, 20, 60, sl_definition=EXCL) == 1.0
    assert e.erlang_a_asa(0, 180, 1800, 2, 60) == 0.0


@pytest.mark.parametrize("agents", [0, 5, 9, 10])
def test_unstable_erlang_c_conventions(agents):
    # 10 Erlangs on at most 10 agents: the Erlang C queue grows without bound
    assert e.erlang_c_wait_probability(100, 180, 1800, agents) == 1.0
    assert e.erlang_c_service_level(100, 180, 1800, agents, 20) == 0.0
    assert e.erlang_c_asa(100, 180, 1800, agents) == np.inf
    assert e.erlang_c_occupancy(100, 180, 1800, agents) == (1.0 if agents else 0.0)


def test_no_agents_conventions():
    assert e.erlang_b(100, 180, 1800, 0) == 1.0
    assert e.erlang_a_wait_probability(100, 180, 1800, 0, 60) == 1.0
    assert e.erlang_a_abandon_rate(100, 180, 1800, 0, 60) == 1.0
    assert e.erlang_a_service_level(100, 180, 1800, 0, 20, 60) == 0.0
    assert e.erlang_a_service_level(100, 180, 1800, 0, 20, 60, sl_definition=EXCL) == 0.0
    assert e.erlang_a_asa(100, 180, 1800, 0, 60) == np.inf
    assert e.erlang_a_occupancy(100, 180, 1800, 0, 60) == 0.0


def test_no_agents_and_a_very_long_threshold():
    # Nobody is answered, and after 20,000 s (333 patience means) no caller is
    # left: the service level excluding short abandons is 0, not 0/0.
    assert e.erlang_a_service_level(100, 180, 1800, 0, 20_000, 60, sl_definition=EXCL) == 0.0
    assert e.erlang_a_service_level([100, 100], 180, 1800, [0, 0], [20, 20_000], 60, sl_definition=EXCL).tolist() \
        == [0.0, 0.0]


@pytest.mark.parametrize("case", [(100, 180, 1800, 10, 120), (100, 180, 1800, 1, 60),
                                  (300, 300, 1800, 40, 200), (3000, 180, 1800, 330, 30)])
def test_erlang_a_service_level_for_an_endless_threshold(case):
    # As T grows every call is answered within T or abandons: the offered SL
    # tends to 1 - P(abandon) and the SL excluding short abandons to 1.
    calls, aht, interval, n, pt = case
    ab = e.erlang_a_abandon_rate(calls, aht, interval, n, pt)
    T = 200 * pt
    assert e.erlang_a_service_level(calls, aht, interval, n, T, pt) == pytest.approx(1 - ab, abs=1e-12)
    assert e.erlang_a_service_level(calls, aht, interval, n, T, pt, sl_definition=EXCL) == pytest.approx(1, abs=1e-12)


def test_erlang_a_subnormal_load_gives_numbers():
    # 1e-310 calls per interval is absurd but valid input; the load is then
    # subnormal (1e-311 Erlangs) and every caller is answered at once.
    assert e.erlang_a_service_level(1e-310, 180, 1800, 1, 20, 5) == pytest.approx(1.0)
    assert e.erlang_a_asa(1e-310, 180, 1800, 1, 5) == pytest.approx(0.0, abs=1e-300)


def test_occupancy_is_load_over_agents():
    n = np.arange(11, 30)
    assert np.allclose(e.erlang_c_occupancy(100, 180, 1800, n), 10 / n, rtol=1e-15, atol=0)
    ab = e.erlang_a_abandon_rate(100, 180, 1800, n, 75)
    assert np.allclose(e.erlang_a_occupancy(100, 180, 1800, n, 75), 10 * (1 - ab) / n, rtol=1e-14, atol=0)
    assert np.array_equal(wfm.occupancy(100, 180, 1800, n), e.erlang_c_occupancy(100, 180, 1800, n))


# ==========================================================================
# 3. Erlang A against the exact birth-death chain
# ==========================================================================


def _chain(calls, aht, interval, n, T, patience):
    """Exact M/M/n+M figures from the birth-death chain, truncated far in the tail."""
    lam, mu, th = calls / interval, 1.0 / aht, 1.0 / patience
    A = lam / mu
    K = int(n + A + lam / th + 40 * np.sqrt(A + lam / th + 1) + 200)
    k = np.arange(1, K + 1)
    death = np.minimum(k, n) * mu + np.maximum(k - n, 0) * th
    logw = np.concatenate([[0.0], np.cumsum(np.log(lam) - np.log(death))])
    assert logw[-1] < logw.max() - 60, "state space truncated too early"
    K = max(int(np.flatnonzero(logw > logw.max() - 60).max()), n)  # drop terms below 1e-26
    logw = logw[:K + 1]
    p = np.exp(logw - logw.max())
    p /= p.sum()  # stationary distribution = what arrivals see (PASTA)
    queue = np.maximum(np.arange(K + 1) - n, 0)
    p_wait = p[n:].sum()
    p_ab = th * (queue * p).sum() / lam  # abandonment flow over arrival flow
    # Tagged caller with i callers ahead (i = 0..J): moves to i-1 (served from 0)
    # at rate n mu + i theta, abandons at rate theta. States 0..J transient, J+1 served.
    J = K - n
    i = np.arange(J + 1)
    forward = n * mu + i * th
    G = np.zeros((J + 2, J + 2))
    G[i, i] = -(forward + th)
    G[i[1:], i[1:] - 1] = forward[1:]
    G[0, J + 1] = forward[0]
    M = expm(G * T)
    served_by_T = M[:J + 1, J + 1]
    waiting_at_T = M[:J + 1, :J + 1].sum(axis=1)
    ahead = p[n:]  # arrival finds n + j in system -> j callers ahead
    sl = p[:n].sum() + (ahead * served_by_T).sum()
    abandoned_by_T = (ahead * (1 - served_by_T - waiting_at_T)).sum()
    # E[V; served | j] = (S^-2 s)_j, S the transient sub-generator (lower bidiagonal)
    S = G[:J + 1, :J + 1]
    s = np.zeros(J + 1)
    s[0] = forward[0]
    wait_served = solve_triangular(S, solve_triangular(S, s, lower=True), lower=True)
    asa = (ahead * wait_served).sum() / (1 - p_ab) if p_ab < 1 else np.inf
    return dict(wait_probability=p_wait, abandon_rate=p_ab, service_level=sl,
                service_level_excl=sl / (1 - abandoned_by_T), asa=asa, occupancy=A * (1 - p_ab) / n)


CHAIN_CASES = [
    # calls, aht, interval, agents, threshold, patience
    (12, 300, 3600, 2, 30, 45),  # 1 Erlang, patience shorter than aht
    (20, 180, 1800, 1, 20, 600),  # 2 Erlangs on 1 agent, patient callers
    (20, 180, 1800, 3, 0, 90),  # zero threshold
    (100, 180, 1800, 10, 20, 120),  # 10 Erlangs, n = load
    (100, 180, 1800, 8, 20, 60),  # n below the load
    (100, 180, 1800, 14, 20, 1800),  # patience 10 x aht
    (50, 240, 900, 5, 60, 30),
    (600, 60, 1800, 18, 10, 5),  # very impatient callers
    (300, 300, 1800, 40, 30, 200),  # 50 Erlangs, n below load
    (540, 360, 1800, 90, 30, 1200),  # 108 Erlangs
    (540, 360, 1800, 120, 300, 400),  # long threshold
    (3000, 180, 1800, 280, 20, 900),  # 300 Erlangs, 20 below the load, patience 5 x aht
    (3000, 180, 1800, 300, 20, 60),  # 300 Erlangs at n = load
    (3000, 180, 1800, 330, 20, 30),  # 300 Erlangs above the load
]


@pytest.fixture(scope="module")
def chain_results():
    return {case: _chain(*case) for case in CHAIN_CASES}


@pytest.mark.parametrize("case", CHAIN_CASES, ids=[str(c) for c in CHAIN_CASES])
def test_erlang_a_matches_birth_death_chain(case, chain_results):
    calls, aht, interval, n, T, pt = case
    ref = chain_results[case]
    got = {
        "wait_probability": e.erlang_a_wait_probability(calls, aht, interval, n, pt),
        "abandon_rate": e.erlang_a_abandon_rate(calls, aht, interval, n, pt),
        "service_level": e.erlang_a_service_level(calls, aht, interval, n, T, pt),
        "service_level_excl": e.erlang_a_service_level(calls, aht, interval, n, T, pt, sl_definition=EXCL),
        "occupancy": e.erlang_a_occupancy(calls, aht, interval, n, pt),
    }
    for key, val in got.items():
        assert val == pytest.approx(ref[key], abs=PROB_TOL), key
    assert e.erlang_a_asa(calls, aht, interval, n, pt) == pytest.approx(ref["asa"], rel=ASA_RTOL)
    # the dispatchers give the same figures
    assert wfm.service_level(calls, aht, interval, n, T, model="erlang_a", patience=pt) == got["service_level"]
    assert wfm.service_level(calls, aht, interval, n, T, model="erlang_a", patience=pt,
                             sl_definition=EXCL) == got["service_level_excl"]
    assert wfm.abandon_rate(calls, aht, interval, n, pt) == got["abandon_rate"]
    assert wfm.wait_probability(calls, aht, interval, n, model="erlang_a", patience=pt) == got["wait_probability"]
    assert wfm.asa(calls, aht, interval, n, model="erlang_a", patience=pt) == e.erlang_a_asa(
        calls, aht, interval, n, pt)
    assert wfm.occupancy(calls, aht, interval, n, model="erlang_a", patience=pt) == got["occupancy"]


def test_erlang_a_vectorised_over_chain_cases(chain_results):
    cases = np.array(CHAIN_CASES, dtype=float)
    calls, aht, interval, n, T, pt = cases.T
    sl = e.erlang_a_service_level(calls, aht, interval, n, T, pt)
    asa = e.erlang_a_asa(calls, aht, interval, n, pt)
    ref_sl = [chain_results[c]["service_level"] for c in CHAIN_CASES]
    ref_asa = np.array([chain_results[c]["asa"] for c in CHAIN_CASES])
    assert _max_abs_err(sl, ref_sl) < PROB_TOL
    assert np.max(np.abs(asa / ref_asa - 1)) < ASA_RTOL


def test_erlang_a_long_threshold_scalar_equals_array():
    # 500 Erlangs, patience 30 s, threshold 300 s: P(a + 1, x e^-theta T) underflows
    # double precision, which the kernel handles with a series. Scalar and array
    # calls must agree (and give a number).
    args = (5000, 180, 1800, 500, 300, 30)
    arr = e.erlang_a_service_level([args[0]], *args[1:])
    assert 0 < arr[0] <= 1
    assert e.erlang_a_service_level(*args) == pytest.approx(arr[0], abs=1e-15)


def test_erlang_a_queue_metrics_matches_functions():
    idx = pd.date_range("2024-03-04 08:00", periods=4, freq="30min")
    calls = pd.Series([100.0, 0.0, 40.0, 250.0], index=idx)
    n = [10, 0, 5, 30]
    frame = e.queue_metrics(calls, 180, None, n, 20, model="erlang_a", patience=90)
    assert list(frame.index) == list(idx)
    assert np.allclose(frame["service_level"], e.erlang_a_service_level(calls, 180, 1800, n, 20, 90), atol=0)
    assert np.allclose(frame["abandon_rate"], e.erlang_a_abandon_rate(calls, 180, 1800, n, 90), atol=0)
    assert np.allclose(frame["asa"], e.erlang_a_asa(calls, 180, 1800, n, 90), atol=0, equal_nan=True)
    c = e.queue_metrics(calls, 180, None, [11, 0, 5, 30], 20)
    assert np.allclose(c["service_level"], e.erlang_c_service_level(calls, 180, 1800, [11, 0, 5, 30], 20), atol=0)
    assert np.allclose(c["load"], calls * 180 / 1800)


# ==========================================================================
# 4. pyworkforce's ErlangC (independent implementation, in minutes)
# ==========================================================================


def test_agrees_with_pyworkforce_erlang_c():
    from pyworkforce.queuing import ErlangC
    worst = 0.0
    for calls in (20, 55, 100, 240, 600):
        for aht in (120, 180, 300):
            for thr in (15, 20, 60):
                interval = 1800
                A = calls * aht / interval
                pw = ErlangC(transactions=calls, aht=aht / 60, asa=thr / 60, interval=interval / 60)
                n = np.arange(int(A) + 1, int(A) + 8)
                sl = e.erlang_c_service_level(calls, aht, interval, n, thr)
                pwait = e.erlang_c_wait_probability(calls, aht, interval, n)
                for k, nk in enumerate(n):
                    worst = max(worst, abs(pw.service_level(int(nk)) - sl[k]),
                                abs(pw.waiting_probability(int(nk)) - pwait[k]))
    assert worst < 1e-9, worst


# ==========================================================================
# 5. Properties
# ==========================================================================

loads = st.floats(0.01, 400)
ahts = st.sampled_from([30.0, 60.0, 180.0, 300.0, 600.0])
intervals = st.sampled_from([900.0, 1800.0, 3600.0])
thresholds = st.floats(0, 300)
patiences = st.floats(2, 3000)
PROPS = settings(max_examples=40, deadline=None)


def _agents_around(A, width=12):
    lo = max(int(A - 2 * np.sqrt(A)) - 2, 0)
    return np.arange(lo, int(A + 4 * np.sqrt(A)) + width)


@PROPS
@given(loads, ahts, intervals, thresholds, patiences)
def test_service_level_in_unit_interval_and_monotone_in_agents(A, aht, interval, T, pt):
    calls = A * interval / aht
    n = _agents_around(A)
    for sl in (e.erlang_c_service_level(calls, aht, interval, n, T),
               e.erlang_a_service_level(calls, aht, interval, n, T, pt),
               e.erlang_a_service_level(calls, aht, interval, n, T, pt, sl_definition=EXCL)):
        assert np.all((sl >= 0) & (sl <= 1))
        assert np.all(np.diff(sl) >= -1e-12)
    ab = e.erlang_a_abandon_rate(calls, aht, interval, n, pt)
    assert np.all((ab >= 0) & (ab <= 1)) and np.all(np.diff(ab) <= 1e-12)
    pw = e.erlang_a_wait_probability(calls, aht, interval, n, pt)
    assert np.all(np.diff(pw) <= 1e-12)


@PROPS
@given(loads, ahts, intervals, patiences, st.integers(0, 30))
def test_service_level_monotone_in_threshold(A, aht, interval, pt, extra):
    calls = A * interval / aht
    n = int(A) + extra
    T = np.linspace(0, 900, 31)
    for sl in (e.erlang_c_service_level(calls, aht, interval, n, T),
               e.erlang_a_service_level(calls, aht, interval, n, T, pt),
               e.erlang_a_service_level(calls, aht, interval, n, T, pt, sl_definition=EXCL)):
        assert np.all(np.diff(sl) >= -1e-12)


@PROPS
@given(loads, ahts, intervals, thresholds, patiences, st.integers(0, 30))
def test_service_level_non_increasing_in_calls_and_aht(A, aht, interval, T, pt, extra):
    n = int(A) + extra
    calls = A * interval / aht * np.linspace(0.2, 1.5, 25)
    for sl in (e.erlang_c_service_level(calls, aht, interval, n, T),
               e.erlang_a_service_level(calls, aht, interval, n, T, pt),
               e.erlang_a_service_level(calls, aht, interval, n, T, pt, sl_definition=EXCL)):
        assert np.all(np.diff(sl) <= 1e-12)
    calls0 = A * interval / aht
    ahts_ = aht * np.linspace(0.2, 1.5, 25)
    for sl in (e.erlang_c_service_level(calls0, ahts_, interval, n, T),
               e.erlang_a_service_level(calls0, ahts_, interval, n, T, pt),
               e.erlang_a_service_level(calls0, ahts_, interval, n, T, pt, sl_definition=EXCL)):
        assert np.all(np.diff(sl) <= 1e-12)


@PROPS
@given(st.floats(0.05, 2000), ahts, intervals, thresholds, st.floats(0.3, 6))
def test_erlang_a_tends_to_erlang_c_with_endless_patience(A, aht, interval, T, beta):
    calls = A * interval / aht
    n = int(np.ceil(A + beta * np.sqrt(A) + 0.5))
    pt = 1e5 * aht
    assert e.erlang_a_service_level(calls, aht, interval, n, T, pt) == pytest.approx(
        e.erlang_c_service_level(calls, aht, interval, n, T), abs=1e-3)
    assert e.erlang_a_wait_probability(calls, aht, interval, n, pt) == pytest.approx(
        e.erlang_c_wait_probability(calls, aht, interval, n), abs=1e-3)
    assert e.erlang_a_abandon_rate(calls, aht, interval, n, pt) < 1e-3


@PROPS
@given(loads, ahts, intervals, thresholds, patiences, st.integers(0, 30))
def test_doubling_calls_and_interval_changes_nothing(A, aht, interval, T, pt, extra):
    calls, n = A * interval / aht, int(A) + extra
    for f, args in ((e.erlang_b, ()), (e.erlang_c_service_level, (T,)), (e.erlang_c_asa, ()),
                    (e.erlang_a_service_level, (T, pt)), (e.erlang_a_asa, (pt,)),
                    (e.erlang_a_abandon_rate, (pt,))):
        one = f(calls, aht, interval, n, *args)
        two = f(2 * calls, aht, 2 * interval, n, *args)
        assert two == pytest.approx(one, rel=1e-14, abs=1e-300) or (np.isinf(one) and np.isinf(two))


# ==========================================================================
# Input types
# ==========================================================================


def test_scalar_array_series_in_and_out():
    assert isinstance(e.erlang_c_service_level(100, 180, 1800, 14, 20), float)
    arr = e.erlang_c_service_level(np.array([100, 200]), 180, 1800, [14, 25], 20)
    assert isinstance(arr, np.ndarray) and arr.shape == (2,)
    idx = pd.date_range("2024-01-01 09:00", periods=2, freq="15min")
    s = e.erlang_c_service_level(pd.Series([50.0, 100.0], index=idx), 180, None, [14, 25], 20)
    assert isinstance(s, pd.Series) and s.index.equals(idx)
    # interval inferred from the 15-minute index
    assert s.to_numpy() == pytest.approx(e.erlang_c_service_level([50, 100], 180, 900, [14, 25], 20), abs=0)
    sa = e.erlang_a_service_level(pd.Series([50.0, 100.0], index=idx), 180, None, [14, 25], 20, 60)
    assert isinstance(sa, pd.Series) and sa.index.equals(idx)


# ==========================================================================
# Bad input: errors name the argument
# ==========================================================================


@pytest.mark.parametrize(
    "call, exc, pattern",
    [
        (lambda: e.erlang_c_service_level(-5, 180, 1800, 10, 20), ValueError, "calls"),
        (lambda: e.erlang_c_service_level("100", 180, 1800, 10, 20), TypeError, "calls"),
        (lambda: e.erlang_c_service_level(["100", "abc"], 180, 1800, 10, 20), TypeError, r"calls.*'abc'"),
        (lambda: e.erlang_c_service_level(100, 0, 1800, 10, 20), ValueError, "aht"),
        (lambda: e.erlang_b(100, -180, 1800, 10), ValueError, "aht"),
        (lambda: e.erlang_c_service_level(100, 180, 0, 10, 20), ValueError, "interval"),
        (lambda: e.erlang_c_service_level([100, np.nan, 50], 180, 1800, 10, 20), ValueError,
         r"calls.*NaN.*positions \[1\]"),
        (lambda: e.erlang_c_service_level(100, [180, np.nan], 1800, 10, 20), ValueError,
         r"aht.*NaN.*positions \[1\]"),
        (lambda: e.erlang_c_service_level(100, 180, 1800, [10, np.nan], 20), ValueError, r"agents.*NaN"),
        (lambda: e.erlang_c_service_level(100, 180, 1800, 10, -20), ValueError, "threshold"),
        (lambda: e.erlang_c_service_level(100, 180, 1800, 10, np.nan), ValueError, "threshold.*NaN"),
        (lambda: e.erlang_a_abandon_rate(100, 180, 1800, 10, -1), ValueError, "patience"),
        (lambda: e.erlang_a_service_level(100, 180, 1800, 10, 20, 0), ValueError, "patience"),
        (lambda: e.erlang_a_asa(100, 180, 1800, 10, np.nan), ValueError, "patience.*NaN"),
        (lambda: e.erlang_c_service_level([100, 200, 300], 180, 1800, [10, 20], 20), ValueError,
         r"calls.*\(3,\).*agents.*\(2,\)"),
        (lambda: e.erlang_c_service_level(100, 180, 1800, 10.5, 20), ValueError, "agents.*whole"),
        (lambda: e.erlang_c_service_level(100, 180, 1800, -1, 20), ValueError, "agents"),
        (lambda: wfm.service_level(100, 180, 1800, 10, 20, model="erlang_x"), ValueError, "model"),
        (lambda: wfm.service_level(100, 180, 1800, 10, 20, model="erlang_a"), ValueError, "patience"),
        (lambda: wfm.asa(100, 180, 1800, 10, model="erlang_a"), ValueError, "patience"),
        (lambda: wfm.service_level(100, 180, 1800, 10, 20, model="erlang_a", patience=60, sl_definition="x"),
         ValueError, "sl_definition"),
        (lambda: e.erlang_c_service_level(pd.Series([100.0, 200.0]), 180, None, 10, 20), ValueError, "interval"),
        (lambda: e.erlang_c_service_level(True, 180, 1800, 10, 20), TypeError, "calls"),
        (lambda: e.erlang_c_service_level(np.inf, 180, 1800, 10, 20), ValueError, "calls.*finite"),
    ],
)
def test_bad_input_names_the_argument(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


def test_nan_in_series_names_the_timestamp():
    idx = pd.date_range("2024-01-01 08:00", periods=3, freq="30min")
    with pytest.raises(ValueError, match=r"calls.*NaN.*2024-01-01 08:30"):
        e.erlang_c_service_level(pd.Series([1.0, np.nan, 3.0], index=idx), 180, None, 10, 20)


def test_missing_agents_names_the_argument():
    with pytest.raises((TypeError, ValueError), match="agents"):
        e.erlang_c_service_level(100, 180, 1800, None, 20)


@pytest.mark.parametrize("name", ["wait_probability", "service_level", "asa", "occupancy", "queue_metrics"])
def test_dispatchers_refuse_patience_with_erlang_c(name):
    # Before, patience was dropped with model="erlang_c": service_level(100, 180, 1800, 14, 20, patience=120) gave
    # the Erlang C 0.8884 (the 80/20 worked example), while Erlang A with that patience gives a higher figure.
    args = (100, 180, 1800, 14) + ((20,) if name in ("service_level", "queue_metrics") else ())
    call = getattr(wfm, name)
    for patience, shown in ((120, "patience=120"), ([120.0], "patience (per interval)")):
        with pytest.raises(ValueError) as err:
            call(*args, patience=patience)
        text = str(err.value)
        assert text.startswith(f"{shown} needs model='erlang_a': Erlang C (model='erlang_c') has no abandonment")
        assert f"Pass model='erlang_a' for callers who hang up, or drop {shown}." in text
    # patience=None is the same as leaving it out
    pd.testing.assert_frame_equal(pd.DataFrame(np.atleast_1d(call(*args, patience=None))),
                                  pd.DataFrame(np.atleast_1d(call(*args))))

