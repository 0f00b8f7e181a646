"""
Forecasting: interval volume with calibrated bands, interval AHT, and peak periods.

One interface for every volume model, ``f(history, future_index) ->
DataFrame[forecast, lower, upper]``: :func:`forecast_volume` (and
:func:`forecast` for the :class:`Forecast` object with the method chosen and
its backtest scores). Methods: ``"topdown"`` (:mod:`.topdown`, daily totals
times intraday profiles, and ``"topdown_trend"`` with a damped-trend
level), the baselines ``"seasonal_naive"``, ``"window_average"`` and
``"weighted_average"`` (:mod:`.baselines`), Holt-Winters ``"ets"``
(:mod:`.ets`) and ``"mstl"`` (:mod:`.mstl`) from statsmodels, ``"mstl_arima"``
(MSTL with an ARIMA level, :mod:`.ar`), and
``"auto"`` (:mod:`.auto`), which picks one by a rolling-origin backtest on
the history itself. :func:`forecast_queues` forecasts every queue of a
long-format history, each on its own calendar, here, on local processes or
on Dask. :func:`forecast_aht` forecasts AHT per interval;
:func:`peak_periods`, :func:`peak_summary` and :func:`heatmap` describe where the peaks are.

Data flow: the forecast feeds :mod:`wfm.staffing`; this package imports only
the foundation (:mod:`wfm.calendar`, :mod:`wfm.datasets`,
:mod:`wfm._validation`) and statsmodels.
"""

from ._core import METHODS, forecast, forecast_volume
from .backtesting import Backtest, backtest, backtest_origins
from ._result import Forecast
from .aht import forecast_aht
from .peaks import heatmap, peak_periods, peak_summary, profile_table
from .queues import forecast_queues

__all__ = [
    "Backtest",
    "backtest",
    "backtest_origins",
    "Forecast",
    "METHODS",
    "forecast",
    "forecast_aht",
    "forecast_queues",
    "forecast_volume",
    "heatmap",
    "peak_periods",
    "peak_summary",
    "profile_table",
]
