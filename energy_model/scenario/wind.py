"""Schema of a wind farm in a scenario (pydantic); no physics."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

#: 3.58 % (plus 0.5 % balance of plant and 1.5 % grid); 0.97 is a mid value (E).
DEFAULT_AVAILABILITY = 0.97
#: Default electrical loss [-]: SAM's default electrical efficiency loss 1.91 % (E).
DEFAULT_ELECTRICAL_LOSS = 0.02



class FarmLocation(BaseModel):
    """Where a farm stands (an off-site farm may be far from its park)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lat: float = Field(ge=-90, le=90, description="latitude [deg north]")
    lon: float = Field(ge=-180, le=180, description="longitude [deg east]")


def check_offsite_place(offsite: bool, location, station, noun: str) -> None:
    """The checks an off-site wind or solar farm shares: it has its own ``location`` or
    ``station`` (never the park's weather), and ``station`` is for off-site farms only.

    Parameters
    ----------
    offsite : bool
    location : FarmLocation or None
    station : str or None
    noun : str
        What the item is called in the message (``farm``, ``array``).

    Raises
    ------
    ValueError
        The message the scenario loader locates at the item's key.
    """
    if offsite and location is None and station is None:
        raise ValueError("an off-site farm needs its own 'location: {lat, lon}' (its "
                         "weather comes from the nearest normals station) or a "
                         "'station' id; it never uses the park's weather")
    if station is not None and not offsite:
        raise ValueError(f"'station' is for off-site farms (offsite: true); an on-site "
                         f"{noun} uses the park's weather")


class WindFarm(BaseModel):
    """A group of identical turbines: a fixed fleet (``count``) or a sizing limit.

    The hub-height wind is extrapolated from the weather's measurement height (10 m unless
    the weather says otherwise) with a log profile: up to the blending height
    (:data:`BLENDING_HEIGHT_M`) with the *station's* roughness (from the weather's
    metadata, else open terrain, z0 = 0.03 m), then down to the hub with the *site's*
    roughness (``roughness_length_m`` or ``terrain``; default: the station's). With equal
    roughness this is a single log profile. ``hellman_exponent`` replaces it with a power
    law from the measurement height.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=100, pattern=r"^[\w.\-]+$",
                      description="farm name, unique in its park; output columns are "
                                  "'<name>_kw' and '<name>_wind_speed_hub'")
    turbine: str | None = Field(None, description="turbine type from the library "
                                                  "('energy-model wind --list-turbines')")
    power_curve: str | None = Field(None, description="power curve file (CSV or YAML) "
                                                      "instead of a library turbine")
    hub_height_m: float = Field(gt=0, le=250, description="hub height above ground [m]")
    count: int | None = Field(None, ge=1, le=2000, description="number of turbines of a "
                                                               "fixed fleet [-]")
    max_count: int | None = Field(None, ge=1, le=2000, description="largest number of "
                                                                   "turbines sizing may build [-]")
    location: FarmLocation | None = Field(None, description="farm location, if not the park's; "
                                                            "required for an off-site farm "
                                                            "(or give 'station')")
    offsite: bool = Field(False, description="the farm stands away from the park (e.g. a "
                                             "nearshore project); its output is reported as "
                                             "off-site supply bought under a DPPA, never on-site, "
                                             "and is computed from the weather of its own "
                                             "station, not the park's")
    station: str | None = Field(None, description="off-site farm: normals station whose "
                                                  "weather drives it (default: the station "
                                                  "nearest its 'location')")
    terrain: Literal["sea", "coast", "open", "industrial", "suburban"] | None = Field(
        None, description="terrain class of the farm site, giving its roughness length "
                          "(see energy_model.wind.TERRAIN_ROUGHNESS_M)")
    roughness_length_m: float | None = Field(
        None, gt=0, le=3.0, description="roughness length of the farm site [m] (overrides terrain)")
    hellman_exponent: float | None = Field(
        None, gt=0, le=0.6, description="power-law shear exponent [-]; replaces the log profile")
    wake: Literal["none", "dena_mean", "knorr_mean", "dena_extreme1", "dena_extreme2",
                  "knorr_extreme1", "knorr_extreme2", "knorr_extreme3"] | None = Field(
        None, description="wake model: a windpowerlib wind-efficiency curve, or 'none'. "
                          "Default: 'none' for a single turbine (count or max_count 1), "
                          "'dena_mean' for a fleet")
    farm_efficiency: float | None = Field(
        None, gt=0, le=1, description="constant wake efficiency of the farm [-] (instead of "
                                      "a wake curve)")
    availability: float = Field(DEFAULT_AVAILABILITY, ge=0, le=1,
                                description="time-based availability [-] (default 0.97, E: "
                                            "NREL SAM default losses)")
    electrical_loss: float = Field(DEFAULT_ELECTRICAL_LOSS, ge=0, lt=1,
                                   description="electrical losses to the meter [-] (default "
                                               "0.02, E: SAM default 1.91 %)")
    density_correction: bool = Field(True, description="correct the power curve for air "
                                                       "density at hub height")
    density_model: Literal["ideal_gas", "barometric"] = Field(
        "ideal_gas", description="hub-height density: ideal gas with a −1/8 hPa/m pressure "
                                 "gradient, or windpowerlib's barometric formula")
    smoothing: bool = Field(False, description="smooth the power curve over a spread of "
                                               "wind speeds (Nørgaard & Holttinen 2004)")
    turbulence_intensity: float | None = Field(
        None, gt=0, le=0.5, description="turbulence intensity for smoothing [-]; default: "
                                        "Staffell & Pfenninger σ = 0.6 + 0.2 v")

    @model_validator(mode="after")
    def _choices(self):
        if (self.turbine is None) == (self.power_curve is None):
            raise ValueError("give exactly one of 'turbine' (library name) and "
                             "'power_curve' (file)")
        if (self.count is None) == (self.max_count is None):
            raise ValueError("give exactly one of 'count' (fixed fleet) and 'max_count' "
                             "(sizing limit)")
        if self.terrain is not None and self.roughness_length_m is not None:
            raise ValueError("give 'terrain' or 'roughness_length_m', not both")
        if self.hellman_exponent is not None and (self.terrain is not None
                                                  or self.roughness_length_m is not None):
            raise ValueError("'hellman_exponent' replaces the log profile: drop 'terrain' "
                             "and 'roughness_length_m'")
        if self.farm_efficiency is not None and self.wake not in (None, "none"):
            raise ValueError("give a wake curve ('wake') or a constant 'farm_efficiency', "
                             "not both")
        check_offsite_place(self.offsite, self.location, self.station, "farm")
        if self.turbulence_intensity is not None and not self.smoothing:
            raise ValueError("'turbulence_intensity' is only used with smoothing: true")
        return self

    @property
    def fleet_size(self) -> int:
        """Turbines simulated by :func:`simulate_wind`: ``count``, else one [-]."""
        return self.count if self.count is not None else 1

    @property
    def wake_model(self) -> str:
        """The wake model in force: the explicit ``wake`` or the documented default."""
        if self.wake is not None:
            return self.wake
        if self.farm_efficiency is not None:
            return "none"
        n = self.count if self.count is not None else self.max_count
        return "none" if n == 1 else "dena_mean"
