"""Hourly load projection of industrial parks (KCN) and economic zones (KKT).

Every hourly value is labelled at interval start: the value at 10:00 is the mean
power [kW] over 10:00–11:00, so energy [kWh] is power × 1 h.

Three ways to the annual energy, then one way to the hourly shape:

* ``bottom_up`` (KCN): occupied area [ha] × energy intensity [MWh/ha/yr] for each
  industry class of ``energy_model/data/industry_intensity.csv``;
* ``annual``: a given annual energy [MWh] with a shape from an industry mix;
* ``meter``: an hourly meter CSV (columns ``time``, ``load_kw``) scaled to the year;
* ``kkt_components`` (KKT): port, airport, services & trade and tourism loads from
  ``energy_model/data/kkt_components.csv``; area × intensity does not apply to a zone
  of islands and sea.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class IndustryShare(BaseModel):
    """One industry class and its share of a park's occupied area."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cls: str = Field(description="Industry class name, a row `name` of "
                                 "energy_model/data/industry_intensity.csv (e.g. `textile`).")
    share: float = Field(gt=0.0, le=1.0,
                         description="Share of the occupied area held by this class [-].")


class KKTComponents(BaseModel):
    """Loads of an economic zone (KKT) outside its industrial parks.

    Each component is given either as an annual energy (``*_mwh``) or as a size with the
    intensity of ``energy_model/data/kkt_components.csv`` (a size and an energy for the
    same component is an error). Sizes and energies refer to ``LoadSpec.base_year``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    port_mwh: float | None = Field(None, ge=0, description="Port annual energy [MWh/yr].")
    airport_mwh: float | None = Field(None, ge=0, description="Airport annual energy [MWh/yr].")
    services_mwh: float | None = Field(None, ge=0,
                                       description="Services and trade annual energy [MWh/yr].")
    tourism_mwh: float | None = Field(None, ge=0,
                                      description="Tourism (hotels, resorts) annual energy "
                                                  "[MWh/yr].")
    port_throughput_t: float | None = Field(None, ge=0,
                                            description="Port cargo throughput [t/yr].")
    airport_passengers: float | None = Field(None, ge=0,
                                             description="Airport passengers [pax/yr].")
    services_floor_m2: float | None = Field(None, ge=0,
                                            description="Commercial, office and trade floor "
                                                        "area [m²].")
    hotel_rooms: float | None = Field(None, ge=0, description="Hotel and resort rooms [-].")


class LoadSpec(BaseModel):
    """How a park's hourly load is built and projected (one per park in the scenario).

    Defaults marked E are estimates whose basis is given in the field description; a
    scenario that relies on them says so in a comment and may override them.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Literal["bottom_up", "annual", "meter", "kkt_components"] = Field(
        "bottom_up",
        description="Where the annual energy comes from: `bottom_up` occupied area × "
                    "intensity per industry (KCN); `annual` a given MWh with a shape; "
                    "`meter` an hourly meter CSV; `kkt_components` port, airport, services "
                    "and tourism loads (KKT).")
    # --- meter ---
    meter_file: str | None = Field(
        None, description="Meter CSV with columns `time` (ISO, interval start) and "
                          "`load_kw` [kW]; relative paths are resolved by the caller "
                          "against the scenario file.")
    meter_year: int | None = Field(
        None, ge=1990, le=2100,
        description="Year the meter data was recorded; the projection scales from it.")
    # --- annual ---
    annual_mwh: float | None = Field(
        None, gt=0, description="Annual energy in `base_year` [MWh/yr] (source `annual`).")
    shape: list[IndustryShare] | None = Field(
        None, description="Industry mix that gives the hourly shape for `annual`, "
                          "`meter` gap years or `kkt_components` (default: the park's "
                          "industries).")
    # --- kkt ---
    components: KKTComponents | None = Field(
        None, description="Economic-zone components (source `kkt_components`).")
    base_year: int | None = Field(
        None, ge=1990, le=2100,
        description="Year that `annual_mwh` or `components` describe (default: the "
                    "park's `occupancy_year`).")
    # --- projection ---
    occupancy_target: float | None = Field(
        None, gt=0, le=1,
        description="Planned long-run fill of the park [-]; default 0.85 (E: mature "
                    "Vietnamese parks run 80–90 % full; the province's 10 operating KCN "
                    "averaged 57.9 % in Nov 2025, S).")
    occupancy_midpoint_year: float | None = Field(
        None, ge=1990, le=2100,
        description="Year of the steepest fill of the S-curve (default: occupancy_year "
                    "+ 3, E).")
    occupancy_steepness: float = Field(
        0.35, gt=0, le=5,
        description="Logistic steepness [1/yr]; 0.35 takes 10 %→90 % of the remaining "
                    "fill in about 12.5 years (E: Vietnamese parks fill over 10–15 years).")
    occupancy_ramp_years: float | None = Field(
        None, gt=0, le=60,
        description="If given, a linear ramp from `occupancy` in `occupancy_year` to "
                    "`occupancy_target` over this many years replaces the S-curve [yr].")
    intensity_trend_pct_per_yr: float = Field(
        -1.0, ge=-10, le=10,
        description="Change of electricity use per occupied hectare from efficiency "
                    "[%/yr]; default -1.0 (E: IEA industrial energy-intensity gains of "
                    "1–2 %/yr, half of it taken as electricity).")
    electrification_pct_per_yr: float = Field(
        1.0, ge=-10, le=10,
        description="Growth of electricity use from electrification of process heat and "
                    "transport [%/yr]; default 1.0 (E: IEA Net-Zero pathways raise the "
                    "electricity share of industrial final energy by ~1 point/yr).")
    case_low: float = Field(
        0.85, gt=0, le=1,
        description="Multiplier on the base-case load for case `low` [-] (E: ±15 %, "
                    "the spread of planning norms around measured park loads).")
    case_high: float = Field(
        1.15, ge=1, le=3,
        description="Multiplier on the base-case load for case `high` [-] (E).")
    # --- noise ---
    noise_daily_sigma: float = Field(
        0.0, ge=0, le=0.5,
        description="HOMER-style day-to-day variability: standard deviation of a "
                    "daily multiplier [-]; 0 turns it off.")
    noise_hourly_sigma: float = Field(
        0.0, ge=0, le=0.5,
        description="HOMER-style time-step variability: standard deviation of an "
                    "hourly multiplier [-]; 0 turns it off.")
    # --- resilience ---
    critical_share: float = Field(
        0.30, ge=0, le=1,
        description="Share of the load that must be served in an outage [-]; default "
                    "0.30 (E: safety, IT, cold chain and furnaces/pullers that cannot stop "
                    "cold; continuous-process parks should raise it).")
