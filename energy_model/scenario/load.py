"""Schema of a park's load in a scenario (pydantic); no data tables, no physics."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

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

    @model_validator(mode="after")
    def _one_way_each(self):
        pairs = (("port_mwh", "port_throughput_t"), ("airport_mwh", "airport_passengers"),
                 ("services_mwh", "services_floor_m2"), ("tourism_mwh", "hotel_rooms"))
        both = [f"{a} and {b}" for a, b in pairs
                if getattr(self, a) is not None and getattr(self, b) is not None]
        if both:
            raise ValueError(f"give either an energy or a size per component, not both: "
                             f"{'; '.join(both)}")
        if all(getattr(self, f) is None for pair in pairs for f in pair):
            raise ValueError("no component given: expected at least one of "
                             + ", ".join(f for pair in pairs for f in pair))
        return self


class OccupancyPath(BaseModel):
    """One load case's occupancy path: its long-run fill and the year of steepest fill."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    target: float | None = Field(None, gt=0, le=1,
                                 description="Long-run fill of this case [-], on the park's "
                                             "`occupancy_basis`; default: the base target × "
                                             "the spread.")
    midpoint_year: float | None = Field(None, ge=1990, le=2100,
                                        description="Year of the steepest fill in this case "
                                                    "(default: the base case's).")


class OccupancyCases(BaseModel):
    """The low and high occupancy paths of a park (the base path is the LoadSpec's own)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    low: OccupancyPath | None = None
    high: OccupancyPath | None = None


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
        None, description="Industry mix that gives the hourly shape for `annual` "
                          "(default: the park's industries).")
    # --- kkt ---
    components: KKTComponents | None = Field(
        None, description="Economic-zone components (source `kkt_components`).")
    base_year: int | None = Field(
        None, ge=1990, le=2100,
        description="Year that `annual_mwh` or `components` describe (default: the "
                    "park's `occupancy_year`).")
    # --- projection ---
    leasable_share: float = Field(
        0.68, gt=0, le=1,
        description="Share of a park's planned area that is leasable industrial land [-]; "
                    "`occupancy` is the leased share of it, as in Vietnamese fill rates "
                    "(E: QCVN 01 land-use structure, factory plots ≤ 70 %, greenery ≥ 10 %, "
                    "roads and utilities the rest; Vietnamese parks report 65–72 %).")
    occupancy_basis: Literal["leasable", "gross"] = Field(
        "leasable",
        description="What the park's `occupancy` is a share of: `leasable` (default) the "
                    "leasable land, area_ha × leasable_share, as Vietnamese fill rates are "
                    "quoted; `gross` the whole area_ha (e.g. '300 ha built of 660 ha'), so "
                    "leasable_share is not applied again.")
    occupancy_cases: OccupancyCases | None = Field(
        None,
        description="Occupancy paths of the `low` and `high` load cases (target, midpoint "
                    "year); a case not given takes the spread `occupancy_case_low` / "
                    "`occupancy_case_high` × the base target. Give their marks in the park's "
                    "`sources:` (key `load.occupancy_cases`).")
    occupancy_case_low: float = Field(
        0.80, gt=0, le=1,
        description="Low load case: long-run fill = this × the base target [-] (E: the "
                    "province's operating KCN averaged 57.9 % full in Nov 2025 (S) against a "
                    "0.85 mature fill; 0.8 × 0.85 = 0.68 sits between).")
    occupancy_case_high: float = Field(
        1.10, ge=1, le=2,
        description="High load case: long-run fill = this × the base target, at most 1 [-] "
                    "(E: the fullest Vietnamese parks run above 90 %).")
    occupancy_target: float | None = Field(
        None, gt=0, le=1,
        description="Planned long-run fill of the park [-]; default 0.85 (× leasable_share "
                    "on a gross basis) or the current fill if higher (E: mature Vietnamese parks run 80–90 % full; the "
                    "province's 10 operating KCN averaged 57.9 % in Nov 2025, S).")
    occupancy_midpoint_year: float | None = Field(
        None, ge=1990, le=2100,
        description="Year of the steepest fill of the S-curve (default: occupancy_year "
                    "+ 5, E: Vietnamese parks fill over 10–15 years).")
    occupancy_steepness: float = Field(
        0.35, gt=0, le=5,
        description="Logistic steepness [1/yr]; 0.35 takes the curve from 15 % to 85 % in "
                    "about 10 years (E).")
    growth_mix: list[IndustryShare] | None = Field(
        None, description="Industry mix of the land leased after `occupancy_year` (default: "
                          "the park's industries). A park whose current tenants are unusual "
                          "(Jinko's PV plants at Sông Khoai) fills with a different mix.")
    occupancy_ramp_years: float | None = Field(
        None, gt=0, le=60,
        description="If given, a linear ramp from `occupancy` in `occupancy_year` to "
                    "`occupancy_target` over this many years replaces the S-curve [yr].")
    intensity_trend_pct_per_yr: float = Field(
        -1.0, ge=-10, le=10,
        description="Change of electricity use per occupied hectare from efficiency "
                    "[%/yr], from 2023; default -1.0 (E: IEA industrial energy-intensity "
                    "gains of 1–2 %/yr, about half of it in electricity).")
    electrification_pct_per_yr: float = Field(
        1.0, ge=-10, le=10,
        description="Growth of electricity use from electrification of process heat and "
                    "transport [%/yr], from 2023; default 1.0 (E: IEA net-zero pathways "
                    "raise the electricity share of industrial final energy by about one "
                    "point a year).")
    activity_growth_pct_per_yr: float = Field(
        0.0, ge=-20, le=50,
        description="Growth of a KKT's component activity (port throughput, passengers, "
                    "hotel rooms, floor area) from `base_year` [%/yr], on top of the "
                    "intensity trend; default 0 (no source: set it per zone in the "
                    "scenario, with its basis). Source `kkt_components` only.")
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
        description="HOMER-style day-to-day variability: standard deviation of a daily "
                    "multiplier [-]; 0 turns it off. Annual energy is kept.")
    noise_hourly_sigma: float = Field(
        0.0, ge=0, le=0.5,
        description="HOMER-style time-step variability: standard deviation of an hourly "
                    "multiplier [-]; 0 turns it off. Annual energy is kept.")
    # --- resilience ---
    critical_share: float = Field(
        0.30, ge=0, le=1,
        description="Share of the load that must be served in an outage [-]; default "
                    "0.30 (E: safety, IT, cold chain, and furnaces or crystal pullers "
                    "that cannot stop cold; continuous-process parks should raise it).")

    @model_validator(mode="after")
    def _source_fields(self):
        need = {"meter": ("meter_file", "meter_year"), "annual": ("annual_mwh",),
                "kkt_components": ("components",)}
        missing = [f for f in need.get(self.source, ()) if getattr(self, f) is None]
        if missing:
            raise ValueError(f"source {self.source!r} needs {', '.join(missing)}")
        stray = [f for src, fields in need.items() if src != self.source for f in fields
                 if getattr(self, f) is not None]
        if stray:
            raise ValueError(f"{', '.join(stray)} given but source is {self.source!r}")
        for field in ("shape", "growth_mix"):
            mix = getattr(self, field)
            if mix is not None:
                total = sum(s.share for s in mix)
                if abs(total - 1.0) > 0.01:
                    raise ValueError(f"{field} shares must sum to 1, got {total:.3f}")
        if self.activity_growth_pct_per_yr != 0 and self.source != "kkt_components":
            raise ValueError("activity_growth_pct_per_yr applies to source 'kkt_components' "
                             f"only, not {self.source!r}")
        if self.growth_mix is not None and self.source != "bottom_up":
            raise ValueError(f"growth_mix applies to source 'bottom_up' only, not {self.source!r}")
        return self
