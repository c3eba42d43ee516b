"""Physical plausibility bands, one table for the whole model.

Every run checks its results against these bands; a value outside its band is an error
(a wrong time label, a unit slip, a NaN turned into zero), not a warning. Each band
states its basis. Tests in ``tests/test_bands.py`` exercise each band.
"""

from __future__ import annotations

from dataclasses import dataclass

from energy_model.errors import InvariantError


@dataclass(frozen=True)
class Band:
    """A plausible range of one quantity.

    Attributes
    ----------
    name : str
        What is bounded.
    low, high : float
        Inclusive bounds, in ``unit``.
    unit : str
        Unit of the bounds.
    basis : str
        Why these bounds.
    """

    name: str
    low: float
    high: float
    unit: str
    basis: str

    def check(self, value: float, what: str = "") -> float:
        """Return ``value`` if inside the band, else raise :class:`InvariantError`."""
        if not (self.low <= value <= self.high):
            label = f"{what}: " if what else ""
            raise InvariantError(
                f"{label}{self.name} = {value:.4g} {self.unit} is outside the plausible band "
                f"{self.low:g}–{self.high:g} {self.unit} ({self.basis})")
        return value


BANDS: dict[str, Band] = {
    "pv_fixed_ac_cf": Band(
        "fixed-tilt PV AC capacity factor", 0.09, 0.20, "-",
        "Vietnam: north ~1,000 kWh/kWp (11 %), south up to ~1,500 kWh/kWp (17 %); "
        "IEA-PVPS and Global Solar Atlas ranges, with margin for east-west roofs"),
    "pv_specific_yield_vn_north": Band(
        "fixed-tilt PV specific yield, northern Vietnam", 700.0, 1400.0, "kWh/kWp/yr",
        "quang_ninh.md §7 expects 950–1,100 for a good tilt; the band admits flat "
        "or east-west roofs and floating arrays"),
    "pv_performance_ratio": Band(
        "PV performance ratio", 0.60, 0.92, "-",
        "PVsyst/IEA-PVPS: well-run fixed systems in hot climates 0.70–0.85"),
    "wind_cf": Band(
        "wind capacity factor", 0.0, 0.60, "-",
        "0 is honest for calm inland sites; best offshore sites reach ~0.55"),
    "load_factor": Band(
        "park load factor", 0.20, 0.98, "-",
        "one-shift light industry ~0.25; continuous process ~0.9"),
}


def check(band: str, value: float, what: str = "") -> float:
    """Check ``value`` against the named band of :data:`BANDS`."""
    return BANDS[band].check(value, what)
