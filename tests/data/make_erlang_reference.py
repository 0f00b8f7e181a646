"""Write ``erlang_reference.csv``: exact Erlang B / Erlang C figures from mpmath at 50 digits.

Run from anywhere::

    python tests/data/make_erlang_reference.py

Nothing here imports ``wfm``: every value is built from first principles,

* the Poisson pmf ``p_n(A) = exp(n log A - A - log n!)``,
* the Poisson cdf ``F_{n-1}(A) = P(Poisson(A) <= n - 1) = Q(n, A)``, the
  regularised upper incomplete gamma function ``mpmath.gammainc(n, A, inf,
  regularized=True)`` (checked below against a direct 50-digit sum),
* Erlang B ``B = p_n / F_n``, Erlang C ``C = p_n n/(n-A) / (F_{n-1} + p_n n/(n-A))``,
  ``SL = 1 - C exp(-(n - A) T / aht)`` and ``ASA = C aht / (n - A)``
  (Gans, Koole and Mandelbaum 2003, eqs. 1-3).

The load is ``A = calls * aht / interval`` taken exactly from the double that
is written in the ``calls`` column (aht and interval are whole seconds), so the
table refers to exactly the inputs the tests pass to ``wfm``.

Two kinds of row:

``grid``
    Loads log-spaced from 0.01 to 50,000 Erlangs, agents from the first
    stable count ``floor(A) + 1`` to well above the load (plus a few counts at
    or below the load, where only Erlang B is finite), various AHTs and
    thresholds.
``staffing``
    Loads log-spaced from 0.05 to 50,000 Erlangs; ``agents`` is the exact
    fewest agents whose service level meets a round target (0.5 ... 0.95).
    ``sl_prev`` / ``sl_next`` are the exact service levels at one agent fewer
    / more, so the tests can place targets 1e-8 either side of ``sl``.

Columns: kind, calls, aht, interval, agents, threshold, load, erlang_b,
wait_probability, service_level, asa, sl_prev, sl_next. Probabilities are
written with 30 significant digits; unstable rows (agents <= load) have
wait_probability 1, service_level 0 and asa inf by the package's convention
(the queue grows without bound).
"""

from __future__ import annotations

import csv
import math
import pathlib
import time

import mpmath as mp

mp.mp.dps = 50

OUT = pathlib.Path(__file__).with_name("erlang_reference.csv")
COLUMNS = ["kind", "calls", "aht", "interval", "agents", "threshold", "load", "erlang_b",
           "wait_probability", "service_level", "asa", "sl_prev", "sl_next"]

# (aht [s], threshold [s], interval [s]) cycled over the rows.
SETTINGS = [(180, 20, 1800), (300, 30, 3600), (60, 10, 900), (600, 60, 1800),
            (240, 0, 1800), (30, 120, 900), (420, 15, 3600), (90, 45, 900)]


def poisson_pmf(n, A):
    return mp.exp(n * mp.log(A) - A - mp.loggamma(n + 1))


def poisson_cdf_below(n, A):
    """P(Poisson(A) <= n - 1) for whole n >= 1."""
    return mp.gammainc(n, A, mp.inf, regularized=True)


def erlang_b(A, n):
    if n == 0:
        return mp.mpf(1)
    return poisson_pmf(n, A) / poisson_cdf_below(n + 1, A)


def erlang_c(A, n):
    if n <= A:
        return mp.mpf(1)
    x = poisson_pmf(n, A) * n / (n - A)
    return x / (poisson_cdf_below(n, A) + x)


def service_level(A, n, t):
    if n <= A:
        return mp.mpf(0)
    return 1 - erlang_c(A, n) * mp.exp(-(n - A) * t)


def asa(A, n, aht):
    if n <= A:
        return mp.inf
    return erlang_c(A, n) * aht / (n - A)


def load_of(calls, aht, interval):
    return mp.mpf(calls) * aht / interval


def calls_for(load, aht, interval):
    """A double number of calls giving (nearly) ``load`` Erlangs.

    The load is first rounded to 5 significant digits and kept at least 1e-3
    away from a whole number, so that no row sits within rounding error of
    the unstable boundary n = A (where SL and ASA are ill-conditioned in the
    inputs themselves).
    """
    load = float(f"{load:.5g}")
    if load >= 1 and abs(load - round(load)) < 1e-3:
        load += 0.123
    return float(load * interval / aht)


def fmt(x):
    if x == mp.inf:
        return "inf"
    return mp.nstr(x, 30, min_fixed=-1, max_fixed=-1) if x != 0 else "0"


def row(kind, calls, aht, interval, n, T):
    A = load_of(calls, aht, interval)
    t = mp.mpf(T) / aht
    return {
        "kind": kind, "calls": repr(calls), "aht": aht, "interval": interval, "agents": n,
        "threshold": T, "load": fmt(A), "erlang_b": fmt(erlang_b(A, n)),
        "wait_probability": fmt(erlang_c(A, n)), "service_level": fmt(service_level(A, n, t)),
        "asa": fmt(asa(A, n, aht)),
        "sl_prev": fmt(service_level(A, n - 1, t)) if n >= 1 else "0",
        "sl_next": fmt(service_level(A, n + 1, t)),
    }


def self_check():
    """The incomplete gamma route agrees with a direct 50-digit sum of Poisson terms."""
    for A, n in [(mp.mpf("0.37"), 3), (mp.mpf(10), 14), (mp.mpf("812.5"), 850), (mp.mpf(20000), 20150)]:
        direct = mp.fsum(poisson_pmf(k, A) for k in range(n))
        assert abs(direct - poisson_cdf_below(n, A)) < mp.mpf(10) ** -40, (A, n)
        # Erlang B by its textbook recursion B(k) = A B(k-1) / (k + A B(k-1)).
        b = mp.mpf(1)
        for k in range(1, n + 1):
            b = A * b / (k + A * b)
        assert abs(b - erlang_b(A, n)) < mp.mpf(10) ** -40, (A, n)


def grid_rows():
    rows = []
    loads = [10 ** (-2 + i * (math.log10(50_000) + 2) / 23) for i in range(24)]  # 0.01 ... 50,000
    for i, L in enumerate(loads):
        aht, T, interval = SETTINGS[i % len(SETTINGS)]
        calls = calls_for(L, aht, interval)
        A = load_of(calls, aht, interval)
        n0 = int(mp.floor(A)) + 1
        s = float(mp.sqrt(A))
        counts = {n0, n0 + 1, n0 + 3}
        counts |= {int(math.ceil(float(A) + beta * s)) for beta in (0.3, 0.7, 1.2, 2.0, 3.5)}
        counts.add(int(math.ceil(float(A) + 6 * s + 5)))  # well above: probabilities underflow-ish
        counts = sorted(c for c in counts if c > A)
        for n in counts:
            rows.append(row("grid", calls, aht, interval, n, T))
        # at or below the load: Erlang B is finite, the Erlang C queue unstable
        for n in sorted({max(int(mp.floor(A)) - int(2 * s), 0), int(mp.floor(A))}):
            rows.append(row("grid", calls, aht, interval, n, T))
    # exact integer loads (A == n is unstable; also the textbook 10-Erlang case)
    for calls, aht, interval, n, T in [(100.0, 180, 1800, 10, 20), (100.0, 180, 1800, 13, 20),
                                       (100.0, 180, 1800, 14, 20), (100.0, 180, 1800, 15, 20),
                                       (1.0, 1800, 1800, 1, 20), (1.0, 1800, 1800, 2, 20)]:
        rows.append(row("grid", calls, aht, interval, n, T))
    return rows


def fewest_agents(A, t, target):
    lo = int(mp.floor(A))  # bad: unstable
    hi = lo + 1
    while service_level(A, hi, t) < target:
        hi = lo + 2 * (hi - lo)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if service_level(A, mid, t) >= target:
            hi = mid
        else:
            lo = mid
    return hi


def staffing_rows():
    rows = []
    targets = [0.8, 0.9, 0.5, 0.95, 0.7, 0.85]
    loads = [10 ** (math.log10(0.05) + i * (math.log10(50_000) - math.log10(0.05)) / 31) for i in range(32)]
    for i, L in enumerate(loads):
        aht, T, interval = SETTINGS[(i + 3) % len(SETTINGS)]
        if T == 0:  # a zero threshold leaves only 1 - C; keep it, but with a lower target
            target = 0.6
        else:
            target = targets[i % len(targets)]
        calls = calls_for(L, aht, interval)
        A = load_of(calls, aht, interval)
        n = fewest_agents(A, mp.mpf(T) / aht, target)
        rows.append(row("staffing", calls, aht, interval, n, T))
    return rows


def main():
    start = time.time()
    self_check()
    rows = grid_rows() + staffing_rows()
    with OUT.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUT} in {time.time() - start:.1f} s")


if __name__ == "__main__":
    main()
