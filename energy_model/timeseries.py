"""Time-series helpers shared by the stages and the metrics.

:func:`time_step_hours` is the one step detection of the package. By default it is strict:
an index must be a DatetimeIndex of at least two labels, increasing, with one interval
length throughout. ``spliced=True`` accepts records joined from pieces (a TMY's months
come from different years; ensemble years repeat their labels) and returns the median step.
"""

from __future__ import annotations

import pandas as pd

from energy_model.errors import EnergyModelError


def time_step_hours(index: pd.Index, what: str = "a time series", *,
                    spliced: bool = False) -> float:
    """Length of one interval of a regular DatetimeIndex [h].

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Regular, increasing, interval-start labels.
    what : str
        What the index belongs to, for the error message (e.g. ``"a dispatch"``).
    spliced : bool, default False
        Accept jumps between joined pieces and return the median step (the wind stage's
        resource summaries of TMY files and ensemble years).

    Returns
    -------
    float
        Step length [h].

    Raises
    ------
    EnergyModelError
        Not a DatetimeIndex, fewer than 2 labels, or (unless ``spliced``) steps that
        differ or do not increase.
    """
    if not isinstance(index, pd.DatetimeIndex) or len(index) < 2:
        raise EnergyModelError(f"{what} needs a DatetimeIndex of at least 2 intervals, "
                               f"got {type(index).__name__} of length {len(index)}")
    steps = index[1:] - index[:-1]  # a TimedeltaIndex, whatever the resolution (pandas 3: µs)
    if spliced:
        return float(pd.Series(steps).median() / pd.Timedelta(hours=1))
    if not (steps == steps[0]).all() or steps[0] <= pd.Timedelta(0):
        raise EnergyModelError(f"{what} index must be regular and increasing "
                               "(one interval length throughout)")
    return float(steps[0] / pd.Timedelta(hours=1))
