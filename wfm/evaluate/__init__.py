"""
Evaluation: how good a forecast was, and how a forecasting method performs
when it is refitted and judged week after week.

:mod:`wfm.evaluate.accuracy` holds one pure function per metric and
:func:`forecast_accuracy`, the tidy table of all of them by level;
:mod:`wfm.evaluate.backtest` holds the rolling-origin :func:`backtest` and its
:class:`Backtest` result.
"""

from .accuracy import (
    aggregate,
    bias,
    coverage,
    forecast_accuracy,
    mae,
    mape,
    mase,
    pinball,
    rmse,
    smape,
    tracking_signal,
    wape,
    width,
    winkler,
)
from .backtest import Backtest, backtest, backtest_origins

__all__ = [
    "aggregate",
    "Backtest",
    "backtest",
    "backtest_origins",
    "bias",
    "coverage",
    "forecast_accuracy",
    "mae",
    "mape",
    "mase",
    "pinball",
    "rmse",
    "smape",
    "tracking_signal",
    "wape",
    "width",
    "winkler",
]
