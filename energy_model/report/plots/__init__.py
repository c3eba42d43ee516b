"""Plots of a results folder: each a function of loaded results returning a Figure.

Every figure has a title, unit-bearing axis labels and a one-line caption (a text with
gid ``"caption"``, read back by :func:`caption_of`), in English or Vietnamese. Figures
are made with :class:`matplotlib.figure.Figure` (no pyplot state) in DejaVu Sans, which
carries the Vietnamese letters.

Province figures take ``(results, lang)``; park figures ``(results, park_id, lang)``.
Energy is power × 1 h summed over the hourly values (interval-start labels).

Colours follow the Okabe–Ito palette, readable with the common colour-vision
deficiencies; a colour keeps its meaning across figures.

Modules: :mod:`.common` (style, colours, caption and PNG helpers), :mod:`.map`,
:mod:`.province`, :mod:`.park`, :mod:`.offsite` (PV against off-site wind, month by month),
:mod:`.grid` (grid pressure) and :mod:`.analysis` (figures
of the studies). The registry below (:data:`PROVINCE_PLOTS`, :data:`PARK_PLOTS`,
:data:`GRID_PLOTS`) sets what the report draws.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from matplotlib.figure import Figure

from energy_model.report.load import Results
from energy_model.report.plots.analysis import WEATHER_PARAMETERS, frontier, tornado, weather_check
from energy_model.report.plots.common import (  # the _helpers: for figure modules outside
    CAPTION_GID, COLORS, DPI, EDGE, SEASONS, SINKS, STYLE, SUPPLY,  # this package
    _empty, _figure, _hours, _legend, _numbers, _park_name, _style, caption_of, save_png,
)
from energy_model.report.plots.grid import GRID_PLOTS
from energy_model.report.plots.map import province_map
from energy_model.report.plots.offsite import complementarity, offsite_parks
from energy_model.report.plots.park import import_duration, monthly_balance, typical_days
from energy_model.report.plots.province import (
    capacity_mix, coincident_peak, energy_by_source, evening_window, province_hourly,
)
from energy_model.results import safe_name


# --------------------------------------------------------------------------- all figures

#: Province-level figures, in report order: (file stem, function).
PROVINCE_PLOTS = (
    ("map", province_map),
    ("capacity_mix", capacity_mix),
    ("energy_by_source", energy_by_source),
    ("coincident_peak", coincident_peak),
    ("frontier", frontier),
    ("tornado", tornado),
    ("weather_check", weather_check),
)
#: Figures that read the analysis tables (``analysis/*.csv``): drawn last when the report is
#: built while the analysis runs (:func:`energy_model.report.build_report` ``wait``).
ANALYSIS_STEMS = frozenset({"frontier", "tornado", "weather_check"})
#: Figures drawn for each park: (file stem prefix, function).
PARK_PLOTS = (
    ("monthly", monthly_balance),
    ("typical_days", typical_days),
    ("import_duration", import_duration),
)


def figure_specs(res: Results) -> list[tuple[str, str | None, Callable]]:
    """Every report figure to draw: ``(file stem, park id or None, plot function)``, in
    report order (the registry above, park figures for each park)."""
    specs: list[tuple[str, str | None, Callable]] = [(stem, None, f) for stem, f in PROVINCE_PLOTS]
    offsite = set(offsite_parks(res))  # issue 18: only parks with an off-site farm
    for pid in res.park_ids:
        specs += [(f"{stem}_{safe_name(pid)}", pid, f) for stem, f in PARK_PLOTS]
        if pid in offsite:
            specs.append((f"complementarity_{safe_name(pid)}", pid, complementarity))
    specs += [(stem, None, f) for stem, f in GRID_PLOTS]  # the executive summary's figures
    return specs


def draw(res: Results, spec: tuple[str, str | None, Callable], lang: str = "en") -> Figure:
    """The figure of one :func:`figure_specs` entry."""
    _, pid, func = spec
    return func(res, lang) if pid is None else func(res, pid, lang)


def all_figures(res: Results, lang: str = "en") -> Iterator[tuple[str, str | None, Figure]]:
    """Every report figure: ``(file stem, park id or None, Figure)``, in report order."""
    for spec in figure_specs(res):
        yield spec[0], spec[1], draw(res, spec, lang)
