"""
A year of 15-minute intervals through the live channels' staffing: time and peak memory.

The counts are the real ``bank_calls("15min")`` repeated over 35,040 intervals, 24/7 (a SYNTHETIC repetition of
real counts: no public year of chat volume ships). ``chat_staffing`` at 1/20 of the bank's volume (AHT 600 s, 3
chats at once, slowdown 0.25, 60 s target) and ``erlang_x_staffing`` at its volume (AHT 300 s, patience 180 s,
20 s target). Run each in its own process to read its peak memory:

    python benchmarks/bench_channels_year.py chat
    python benchmarks/bench_channels_year.py erlang_x

Before the chain was solved in blocks of like width (wfm/channels/_chain.py, BLOCK_CELLS), chat ran out of
memory (an 11 GiB array) and erlang_x peaked at 2.6 GB; see benchmarks/README.md.
"""

import argparse
import resource
import time

import numpy as np
import pandas as pd

import wfm
from wfm.channels import chat_staffing, erlang_x_staffing


def year_of_calls(scale):
    calls = wfm.datasets.bank_calls("15min")
    calls = calls["calls"] if isinstance(calls, pd.DataFrame) else calls
    index = pd.date_range("2025-01-01", periods=35_040, freq="15min")
    return pd.Series(np.resize(calls.to_numpy(float), index.size) * scale, index=index)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("call", choices=("chat", "erlang_x"))
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.call == "chat":
        plan = chat_staffing(year_of_calls(0.05), 600, 900, concurrency=3, slowdown=0.25, threshold=60)
    else:
        plan = erlang_x_staffing(year_of_calls(1.0), 300, 900, patience=180, threshold=20)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = plan.table
    print(f"{args.call}: {len(t):,} intervals (SYNTHETIC repetition of real counts) in "
          f"{time.perf_counter() - start:.1f} s, peak memory {peak:,.0f} MB; agent-intervals {t['agents'].sum():,.0f}, "
          f"mean service level {t['service_level'].mean():.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
