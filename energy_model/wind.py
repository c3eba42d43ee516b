"""Wind farms → hourly AC power [kW], with windpowerlib, offline and density-corrected.

Data flow of :func:`simulate_wind`, one farm at a time::

    canonical weather (wind_speed at the measurement height, temp_air, pressure)
      → hub-height wind speed: log profile with the station's roughness up to a blending
        height, then down with the site's roughness (or a Hellman power law)
      → hub-height air temperature (−6.5 K/km) and density (ideal gas or barometric)
      → wake: wind speed × a dena/knorr wind-efficiency curve (duplicate point dropped)
      → density-corrected power curve (Svenningsen exponent 1/3 … 2/3, windpowerlib)
      → × count × farm efficiency × availability × (1 − electrical loss)  →  kW

Every hourly value keeps the weather's label (interval start: the value at 10:00 is the
mean over 10:00–11:00). windpowerlib wants kelvin and a frame indexed by
(variable, height); those conversions happen here, never in user data.

The turbine library is windpowerlib's bundled (local) table of 67 power curves plus the
generic small and medium curves shipped in ``energy_model/data/turbines/``; windpowerlib's
online database is gone and is never queried.
"""

from __future__ import annotations

import csv
import difflib
import functools
import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from energy_model.errors import Problem, ScenarioError, UsageError, WeatherError

# --------------------------------------------------------------------------------------
# Constants and presets
# --------------------------------------------------------------------------------------

#: Reference air density of power curves [kg/m³] (IEC 61400-12-1; windpowerlib's ρ₀).
RHO_REFERENCE = 1.225
#: Specific gas constant of dry air [J/(kg·K)] (same value as NREL SAM's lib_physics).
R_DRY_AIR = 287.058
#: Betz limit of the power coefficient [-].
BETZ_LIMIT = 16.0 / 27.0
#: Default height of the measured wind speed [m] (WMO standard anemometer height).
DEFAULT_WIND_HEIGHT_M = 10.0
#: Default height of the measured air temperature and pressure [m] (screen height).
DEFAULT_SCREEN_HEIGHT_M = 2.0
#: Blending height [m] above which the wind no longer feels local roughness
#: (Wieringa 1986, QJRMS 112:867; WMO-No. 8, exposure correction of surface wind).
BLENDING_HEIGHT_M = 60.0

#: Terrain class → aerodynamic roughness length z0 [m].
from energy_model.terrain import TERRAIN_BASIS, TERRAIN_ROUGHNESS_M  # noqa: E402


#: Terrain assumed for a station whose weather says nothing (WMO siting standard).
DEFAULT_STATION_TERRAIN = "open"

#: windpowerlib's wind-efficiency curves (wake losses as a wind-speed reduction).
WAKE_CURVES = ("dena_mean", "knorr_mean", "dena_extreme1", "dena_extreme2",
               "knorr_extreme1", "knorr_extreme2", "knorr_extreme3")

#: Default farm availability [-]: NREL SAM's default turbine availability loss is
#: 3.58 % (plus 0.5 % balance of plant and 1.5 % grid); 0.97 is a mid value (E).
DEFAULT_AVAILABILITY = 0.97
#: Default electrical loss [-]: SAM's default electrical efficiency loss 1.91 % (E).
DEFAULT_ELECTRICAL_LOSS = 0.02

#: Reference turbine and hub height of :func:`coastal_wind_check`.
REFERENCE_TURBINE = "E-82/2000"
REFERENCE_HUB_HEIGHT_M = 80.0

#: Coastal and island places of Quảng Ninh (issue 5; quang_ninh.md §1): checked by
#: :func:`coastal_wind_check` by default, matched to station ids without diacritics.
COASTAL_STATIONS: tuple[str, ...] = ("Vân Đồn", "Cô Tô", "Móng Cái", "Hải Hà", "Quảng Yên")

#: Published hub-height wind figures that synthetic weather is checked against.
PUBLISHED_WIND: tuple[dict, ...] = (
    {"station": "Cô Tô", "height_m": 65.0, "mean_wind_speed_ms": 4.4, "mark": "S",
     "source": "older wind atlas figure quoted in shared/reference/quang_ninh.md §7"},
)

_SHIPPED_TURBINE_DIR = Path(__file__).resolve().parent / "data" / "turbines"


# --------------------------------------------------------------------------------------
# Turbines
# --------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class PowerCurve:
    """A turbine power curve at the reference air density 1.225 kg/m³.

    Attributes
    ----------
    wind_speed : numpy.ndarray
        Hub-height wind speeds, strictly increasing [m/s].
    power_kw : numpy.ndarray
        Electrical power of one turbine at each wind speed [kW].
    """

    wind_speed: np.ndarray
    power_kw: np.ndarray


@dataclass(frozen=True, eq=False)
class Turbine:
    """One wind turbine type.

    Attributes
    ----------
    name : str
        Type name, e.g. ``"E-82/2000"`` (rotor diameter / nominal kW).
    nominal_kw : float
        Nominal (rated) power [kW].
    rotor_diameter_m : float
        Rotor diameter [m].
    power_curve : PowerCurve
        Power curve at 1.225 kg/m³.
    source : str
        Where the curve comes from.
    hub_heights_m : tuple of float
        Hub heights offered by the maker [m]; may be empty.
    mark : str
        Quality mark of the curve (S, S2, E, NF, user).
    """

    name: str
    nominal_kw: float
    rotor_diameter_m: float
    power_curve: PowerCurve
    source: str = ""
    hub_heights_m: tuple[float, ...] = ()
    mark: str = ""

    @property
    def rotor_area_m2(self) -> float:
        """Swept rotor area [m²]."""
        return math.pi * self.rotor_diameter_m ** 2 / 4.0

    @property
    def max_power_coefficient(self) -> float:
        """Largest electrical power coefficient implied by the curve at 1.225 kg/m³ [-]."""
        return float(np.max(_power_coefficient(self.power_curve.wind_speed,
                                               self.power_curve.power_kw,
                                               self.rotor_diameter_m)))


def _power_coefficient(wind_speed, power_kw, rotor_diameter_m):
    """Electrical power coefficient P / (½ ρ₀ A v³) of curve points [-] (0 at v = 0)."""
    v = np.asarray(wind_speed, dtype=float)
    area = math.pi * rotor_diameter_m ** 2 / 4.0
    wind_power_kw = 0.5 * RHO_REFERENCE * area * v ** 3 / 1000.0
    with np.errstate(divide="ignore", invalid="ignore"):
        cp = np.where(v > 0, np.asarray(power_kw, dtype=float) / wind_power_kw, 0.0)
    return cp


def _frozen(values) -> np.ndarray:
    arr = np.array(values, dtype=float)
    arr.flags.writeable = False
    return arr


def _parse_hub_heights(text) -> tuple[float, ...]:
    """Parse windpowerlib's hub-height strings (``"50; 60; 73"``, ``"68,5;80,0"``) [m]."""
    if not isinstance(text, str):
        return ()
    out = []
    for part in text.replace("/", ";").split(";"):
        part = part.strip().replace(",", ".")
        if part:
            try:
                out.append(float(part))
            except ValueError:
                continue
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _library() -> dict[str, Turbine]:
    """Load windpowerlib's local library and the shipped curves, once."""
    import windpowerlib

    folder = Path(windpowerlib.__file__).resolve().parent / "oedb"
    data = pd.read_csv(folder / "turbine_data.csv")
    curves = pd.read_csv(folder / "power_curves.csv", index_col=0)
    speeds = curves.columns.astype(float).to_numpy()
    data = data.set_index("turbine_type")
    out: dict[str, Turbine] = {}
    for name, row in curves.iterrows():
        ok = row.notna().to_numpy()
        info = data.loc[name]
        out[str(name)] = Turbine(
            name=str(name),
            nominal_kw=float(info["nominal_power"]) / 1000.0,
            rotor_diameter_m=float(info["rotor_diameter"]),
            power_curve=PowerCurve(_frozen(speeds[ok]), _frozen(row.to_numpy()[ok] / 1000.0)),
            source=f"windpowerlib {windpowerlib.__version__} local library: {info['source']}",
            hub_heights_m=_parse_hub_heights(info["hub_height"]),
            mark="S2",
        )
    for path in sorted(_SHIPPED_TURBINE_DIR.glob("*.yaml")):
        turbine = load_power_curve(path)
        out[turbine.name] = turbine
    return out


def turbine_library() -> pd.DataFrame:
    """List the turbines available offline.

    Returns
    -------
    pandas.DataFrame
        One row per turbine, sorted by nominal power, with columns ``name``,
        ``nominal_kw`` [kW], ``rotor_diameter_m`` [m], ``hub_heights`` (maker's hub
        heights [m], ``;``-separated), ``max_cp`` (largest electrical power coefficient
        implied by the curve [-]; above the Betz limit 0.593 means a doubtful curve)
        and ``source``.
    """
    rows = [{"name": t.name, "nominal_kw": t.nominal_kw, "rotor_diameter_m": t.rotor_diameter_m,
             "hub_heights": "; ".join(f"{h:g}" for h in t.hub_heights_m),
             "max_cp": round(t.max_power_coefficient, 3), "source": t.source}
            for t in _library().values()]
    return (pd.DataFrame(rows).sort_values(["nominal_kw", "name"]).reset_index(drop=True))


def get_turbine(name: str) -> Turbine:
    """Return the library turbine ``name``.

    Raises
    ------
    ScenarioError
        Unknown name; the message suggests the closest names.
    """
    lib = _library()
    if name in lib:
        return lib[name]
    close = difflib.get_close_matches(str(name), list(lib), n=3, cutoff=0.5)
    hint = (f"; did you mean {', '.join(repr(c) for c in close)}?" if close
            else "; run 'energy-model wind --list-turbines' for the library")
    raise ScenarioError(f"unknown turbine {name!r}{hint}")


# --------------------------------------------------------------------------------------
# Power curve files (CSV or YAML)
# --------------------------------------------------------------------------------------

_SPEED_KEYS = ("wind_speed", "wind_speed_ms", "wind_speed_m_s")
_POWER_KEYS = ("power_kw",)
_META_KEYS = ("name", "nominal_kw", "rotor_diameter_m", "hub_heights_m", "source", "mark",
              "basis")


def load_power_curve(path: str | Path) -> Turbine:
    """Read and validate a user power curve from a CSV or YAML file.

    CSV: ``# key: value`` comment lines for ``name``, ``nominal_kw`` [kW],
    ``rotor_diameter_m`` [m] and optionally ``hub_heights_m`` (``;``-separated),
    ``source``, ``mark``; then a header ``wind_speed,power_kw`` and one point per line.

    YAML: keys ``name``, ``nominal_kw``, ``rotor_diameter_m``, optional ``hub_heights_m``
    (list), ``source``, ``mark``, ``basis``, and ``power_curve``: either a list of
    ``[wind_speed, power_kw]`` pairs or a mapping ``{wind_speed: [...], power_kw: [...]}``.

    Parameters
    ----------
    path : str or pathlib.Path
        The file; ``.csv`` or ``.yaml``/``.yml``.

    Returns
    -------
    Turbine

    Raises
    ------
    ScenarioError
        Missing file, unknown format, missing keys, or a curve that fails validation:
        speeds must be strictly increasing within 0–40 m/s, power within 0 and
        1.1 × ``nominal_kw`` and reaching at least 0.8 × ``nominal_kw``, and no point may
        imply a power coefficient above the Betz limit. Every problem names the file
        and line.
    """
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(f"power curve file not found: {path}", file=str(path))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        meta, points, meta_lines = _read_curve_csv(path)
    elif suffix in (".yaml", ".yml"):
        meta, points, meta_lines = _read_curve_yaml(path)
    else:
        raise ScenarioError(f"{path}: unknown power curve format {suffix!r}; expected .csv, "
                            ".yaml or .yml", file=str(path))
    return _validated_turbine(path, meta, points, meta_lines)


def _read_curve_csv(path: Path):
    meta: dict = {}
    meta_lines: dict[str, int] = {}
    points: list[tuple[object, object, int]] = []
    header: list[str] | None = None
    problems: list[Problem] = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for lineno, line in enumerate(fh, start=1):
            text = line.strip()
            if not text:
                continue
            if text.startswith("#"):
                body = text.lstrip("#").strip()
                if ":" in body:
                    key, value = body.split(":", 1)
                    key = key.strip()
                    if key in _META_KEYS:
                        meta[key] = value.strip()
                        meta_lines[key] = lineno
                continue
            cells = next(csv.reader([text]))
            if header is None:
                header = [c.strip().lower() for c in cells]
                speed = next((k for k in _SPEED_KEYS if k in header), None)
                power = next((k for k in _POWER_KEYS if k in header), None)
                if speed is None or power is None:
                    raise ScenarioError(
                        "bad power curve header",
                        [Problem(f"expected columns 'wind_speed' [m/s] and 'power_kw' [kW], "
                                 f"got {cells}", file=str(path), line=lineno)], file=str(path))
                i_speed, i_power = header.index(speed), header.index(power)
                continue
            if len(cells) <= max(i_speed, i_power):
                problems.append(Problem(f"expected {len(header)} cells, got {len(cells)}",
                                        file=str(path), line=lineno))
                continue
            points.append((cells[i_speed].strip(), cells[i_power].strip(), lineno))
    if header is None:
        problems.append(Problem("no 'wind_speed,power_kw' header and no points", file=str(path)))
    if problems:
        raise ScenarioError(f"invalid power curve file {path}", problems, file=str(path))
    if "hub_heights_m" in meta:
        meta["hub_heights_m"] = [h for h in str(meta["hub_heights_m"]).replace(",", ";").split(";")
                                 if h.strip()]
    return meta, points, meta_lines


def _read_curve_yaml(path: Path):
    from energy_model.yaml_io import line_of, load_yaml

    data, lines = load_yaml(path, what="power curve")
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: expected a mapping with keys name, nominal_kw, "
                            "rotor_diameter_m, power_curve", file=str(path))
    unknown = sorted(set(data) - set(_META_KEYS) - {"power_curve"})
    if unknown:
        raise ScenarioError(f"invalid power curve file {path}", [
            Problem(f"unknown key {k!r}; expected one of "
                    f"{', '.join(_META_KEYS + ('power_curve',))}",
                    file=str(path), line=line_of(lines, (k,)), key=k) for k in unknown],
            file=str(path))
    meta = {k: data[k] for k in _META_KEYS if k in data}
    meta_lines = {k: line_of(lines, (k,)) for k in meta}
    curve = data.get("power_curve")
    points: list[tuple[object, object, int | None]] = []
    if isinstance(curve, list):
        for i, pair in enumerate(curve):
            line = line_of(lines, ("power_curve", i))
            if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                raise ScenarioError(f"invalid power curve file {path}", [Problem(
                    f"expected a pair [wind_speed, power_kw], got {pair!r}", file=str(path),
                    line=line, key=f"power_curve[{i}]")], file=str(path))
            points.append((pair[0], pair[1], line))
    elif isinstance(curve, dict) and set(curve) == {"wind_speed", "power_kw"}:
        ws, pw = curve["wind_speed"], curve["power_kw"]
        if not isinstance(ws, list) or not isinstance(pw, list) or len(ws) != len(pw):
            raise ScenarioError(f"invalid power curve file {path}", [Problem(
                "power_curve.wind_speed and power_curve.power_kw must be lists of equal length",
                file=str(path), line=line_of(lines, ("power_curve",)), key="power_curve")],
                file=str(path))
        for i, (a, b) in enumerate(zip(ws, pw)):
            points.append((a, b, line_of(lines, ("power_curve", "wind_speed", i))))
    else:
        raise ScenarioError(f"invalid power curve file {path}", [Problem(
            "power_curve must be a list of [wind_speed, power_kw] pairs or a mapping "
            "{wind_speed: [...], power_kw: [...]}", file=str(path),
            line=line_of(lines, ("power_curve",)), key="power_curve")], file=str(path))
    return meta, points, meta_lines


def _as_float(value) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _validated_turbine(path: Path, meta: dict, points: list, meta_lines: dict) -> Turbine:
    problems: list[Problem] = []
    file = str(path)

    def number(key, low, high, unit):
        if key not in meta:
            problems.append(Problem(f"missing '{key}' [{unit}]", file=file, key=key))
            return None
        value = _as_float(meta[key])
        if value is None or not (low < value <= high):
            problems.append(Problem(f"{key} must be a number in ({low:g}, {high:g}] {unit}, "
                                    f"got {meta[key]!r}", file=file,
                                    line=meta_lines.get(key), key=key))
            return None
        return value

    nominal = number("nominal_kw", 0.0, 30000.0, "kW")
    diameter = number("rotor_diameter_m", 0.0, 300.0, "m")
    hubs = []
    for h in meta.get("hub_heights_m", []) or []:
        value = _as_float(h)
        if value is None or not (0 < value <= 300):
            problems.append(Problem(f"hub height must be a number in (0, 300] m, got {h!r}",
                                    file=file, line=meta_lines.get("hub_heights_m"),
                                    key="hub_heights_m"))
        else:
            hubs.append(value)

    speeds, powers, lines = [], [], []
    for raw_v, raw_p, line in points:
        v, p = _as_float(raw_v), _as_float(raw_p)
        if v is None or p is None:
            problems.append(Problem(f"wind speed and power must be numbers, got "
                                    f"{raw_v!r}, {raw_p!r}", file=file, line=line))
            continue
        if not 0.0 <= v <= 40.0:
            problems.append(Problem(f"wind speed {v:g} m/s is outside 0–40 m/s", file=file,
                                    line=line))
        if p < 0.0:
            problems.append(Problem(f"power {p:g} kW is negative", file=file, line=line))
        if nominal is not None and p > 1.1 * nominal:
            problems.append(Problem(
                f"power {p:g} kW exceeds 1.1 × nominal_kw ({nominal:g} kW); is the curve in W?",
                file=file, line=line))
        if speeds and v <= speeds[-1]:
            problems.append(Problem(
                f"wind speed {v:g} m/s does not increase (previous point {speeds[-1]:g} m/s, "
                f"line {lines[-1]}); speeds must be strictly increasing with no duplicates",
                file=file, line=line))
        speeds.append(v)
        powers.append(p)
        lines.append(line)
    if len(speeds) < 2:
        problems.append(Problem(f"a power curve needs at least 2 points, got {len(speeds)}",
                                file=file))
    if nominal is not None and powers and max(powers) < 0.8 * nominal:
        problems.append(Problem(
            f"the curve peaks at {max(powers):g} kW, below 0.8 × nominal_kw ({nominal:g} kW); "
            "is the curve in MW, or nominal_kw wrong?", file=file,
            line=meta_lines.get("nominal_kw"), key="nominal_kw"))
    if diameter is not None and len(speeds) >= 2 and not problems:
        cp = _power_coefficient(speeds, powers, diameter)
        for i in np.flatnonzero(cp > BETZ_LIMIT):
            problems.append(Problem(
                f"{powers[i]:g} kW at {speeds[i]:g} m/s implies a power coefficient "
                f"{cp[i]:.2f} above the Betz limit 0.593 for a {diameter:g} m rotor; is "
                "rotor_diameter_m a radius, or the power too high?", file=file, line=lines[i]))
    if problems:
        raise ScenarioError(f"invalid power curve file {path}", problems, file=file)
    return Turbine(
        name=str(meta.get("name") or path.stem),
        nominal_kw=nominal,
        rotor_diameter_m=diameter,
        power_curve=PowerCurve(_frozen(speeds), _frozen(powers)),
        source=str(meta.get("source") or f"user file {path}"),
        hub_heights_m=tuple(hubs),
        mark=str(meta.get("mark") or "user"),
    )


# --------------------------------------------------------------------------------------
# Farm specification
# --------------------------------------------------------------------------------------

class FarmLocation(BaseModel):
    """Where a farm stands (an off-site farm may be far from its park)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lat: float = Field(ge=-90, le=90, description="latitude [deg north]")
    lon: float = Field(ge=-180, le=180, description="longitude [deg east]")


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
    location: FarmLocation | None = Field(None, description="farm location, if not the park's")
    offsite: bool = Field(False, description="the farm stands away from the park (e.g. a "
                                             "nearshore project); its output is reported as "
                                             "off-site supply bought under a DPPA, never on-site")
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


def farm_turbine(farm: WindFarm) -> Turbine:
    """The turbine of ``farm``: its library type or its power-curve file."""
    turbine = get_turbine(farm.turbine) if farm.turbine else load_power_curve(farm.power_curve)
    if farm.hub_height_m <= turbine.rotor_diameter_m / 2:
        raise ScenarioError(f"wind farm {farm.name!r}: hub_height_m {farm.hub_height_m:g} m is "
                            f"not above the blade tip of {turbine.name} (rotor "
                            f"{turbine.rotor_diameter_m:g} m)")
    return turbine


def farm_capacity_kw(farm: WindFarm) -> dict:
    """Capacity of a farm for sizing: the fixed fleet or the limit, in kW.

    Parameters
    ----------
    farm : WindFarm

    Returns
    -------
    dict
        ``nominal_kw_per_turbine`` [kW] (the sizing step), ``fixed_kw`` [kW] (``count`` ×
        nominal, or ``None`` for a sizing farm), ``max_kw`` [kW] (``max_count`` × nominal,
        or the fixed capacity) and ``offsite`` (DPPA supply, not on-site capacity).
    """
    nominal = farm_turbine(farm).nominal_kw
    fixed = None if farm.count is None else farm.count * nominal
    limit = fixed if fixed is not None else farm.max_count * nominal
    return {"nominal_kw_per_turbine": nominal, "fixed_kw": fixed, "max_kw": limit,
            "offsite": farm.offsite}


# --------------------------------------------------------------------------------------
# Physics: pure functions
# --------------------------------------------------------------------------------------

def hub_wind_speed(wind_speed, wind_height_m, hub_height_m, roughness_length_m,
                   site_roughness_length_m=None, hellman_exponent=None,
                   blending_height_m=BLENDING_HEIGHT_M):
    """Extrapolate wind speed from its measurement height to the hub height.

    Parameters
    ----------
    wind_speed : numeric
        Wind speed at ``wind_height_m`` [m/s].
    wind_height_m : float
        Measurement height [m].
    hub_height_m : float
        Hub height [m].
    roughness_length_m : float
        Roughness length around the measuring station [m].
    site_roughness_length_m : float, optional
        Roughness length at the turbine site [m]; default: the station's.
    hellman_exponent : float, optional
        Power-law exponent [-]; when given, ``v_hub = v (h_hub / h)^α`` replaces the log
        profile and the roughness lengths are ignored.
    blending_height_m : float, default 60
        Height where the two log profiles meet [m].

    Returns
    -------
    numeric
        Wind speed at hub height [m/s], same type as ``wind_speed``.

    Notes
    -----
    Log profile (windpowerlib ``logarithmic_profile``, no displacement height)::

        v_b   = v     · ln(h_b / z0_station) / ln(h / z0_station)
        v_hub = v_b   · ln(h_hub / z0_site)  / ln(h_b / z0_site)

    With ``z0_site == z0_station`` the blending height cancels: a single log profile.
    """
    from windpowerlib import wind_speed as wpl_ws

    if hellman_exponent is not None:
        return wpl_ws.hellman(wind_speed, wind_height_m, hub_height_m,
                              hellman_exponent=hellman_exponent)
    z_site = roughness_length_m if site_roughness_length_m is None else site_roughness_length_m
    if z_site == roughness_length_m:
        return wpl_ws.logarithmic_profile(wind_speed, wind_height_m, hub_height_m,
                                          roughness_length_m)
    v_blend = wpl_ws.logarithmic_profile(wind_speed, wind_height_m, blending_height_m,
                                         roughness_length_m)
    return wpl_ws.logarithmic_profile(v_blend, blending_height_m, hub_height_m, z_site)


def hub_air_density(temp_air, pressure, hub_height_m,
                    temperature_height_m=DEFAULT_SCREEN_HEIGHT_M,
                    pressure_height_m=DEFAULT_SCREEN_HEIGHT_M, model="ideal_gas"):
    """Air density at hub height.

    Parameters
    ----------
    temp_air : numeric
        Air temperature at ``temperature_height_m`` [°C].
    pressure : numeric
        Air pressure at ``pressure_height_m`` [Pa].
    hub_height_m : float
        Hub height [m].
    temperature_height_m, pressure_height_m : float, default 2
        Measurement heights [m].
    model : {'ideal_gas', 'barometric'}
        windpowerlib density model; both use a −1/8 hPa/m pressure gradient and the
        temperature is carried to hub height with −6.5 K/km (ICAO standard atmosphere).

    Returns
    -------
    numeric
        Dry-air density at hub height [kg/m³]; a Series if ``temp_air`` is one.
    """
    from windpowerlib import density, temperature

    temp_k = np.asarray(temp_air, dtype=float) + 273.15  # windpowerlib wants kelvin
    temp_hub_k = temperature.linear_gradient(temp_k, temperature_height_m, hub_height_m)
    fn = {"ideal_gas": density.ideal_gas, "barometric": density.barometric}[model]
    rho = fn(np.asarray(pressure, dtype=float), pressure_height_m, hub_height_m, temp_hub_k)
    if isinstance(temp_air, pd.Series):
        return pd.Series(rho, index=temp_air.index, name="density")
    return rho if np.ndim(rho) else float(rho)


@functools.lru_cache(maxsize=None)
def wind_efficiency_curve(name: str) -> tuple[np.ndarray, np.ndarray]:
    """A windpowerlib wind-efficiency curve, with its duplicated wind speed dropped.

    Parameters
    ----------
    name : str
        One of :data:`WAKE_CURVES`.

    Returns
    -------
    wind_speed : numpy.ndarray
        Strictly increasing wind speeds [m/s].
    efficiency : numpy.ndarray
        Farm wind-speed efficiency at each speed [-].

    Notes
    -----
    windpowerlib 0.2.2's ``wind_efficiency_curves_dena.csv`` repeats 9.5328 m/s (rows 77
    and 78, same values); ``numpy.interp`` needs strictly increasing points.
    """
    from windpowerlib import wake_losses

    curve = wake_losses.get_wind_efficiency_curve(name)
    curve = curve.drop_duplicates(subset="wind_speed", keep="first").sort_values("wind_speed")
    return (_frozen(curve["wind_speed"].to_numpy()), _frozen(curve["efficiency"].to_numpy()))


def reduce_wind_speed(wind_speed, curve_name):
    """Wind speed reduced by a farm wind-efficiency curve (wake losses).

    Parameters
    ----------
    wind_speed : numeric
        Free-stream hub-height wind speed [m/s].
    curve_name : str
        One of :data:`WAKE_CURVES`.

    Returns
    -------
    numeric
        Effective wind speed inside the farm [m/s].
    """
    ws, eff = wind_efficiency_curve(curve_name)
    return wind_speed * np.interp(wind_speed, ws, eff)


def smooth_power_curve(curve: PowerCurve, turbulence_intensity=None) -> PowerCurve:
    """Smooth a power curve over a Gaussian spread of wind speeds (Nørgaard & Holttinen).

    Parameters
    ----------
    curve : PowerCurve
        Curve to smooth.
    turbulence_intensity : float, optional
        Turbulence intensity [-]: σ = TI · v. Default: Staffell & Pfenninger,
        σ = 0.6 m/s + 0.2 · v.

    Returns
    -------
    PowerCurve
        windpowerlib ``smooth_power_curve`` result (extended 15 m/s past the last point).
    """
    from windpowerlib import power_curves

    kwargs = ({"standard_deviation_method": "Staffell_Pfenninger"} if turbulence_intensity is None
              else {"standard_deviation_method": "turbulence_intensity",
                    "turbulence_intensity": turbulence_intensity})
    df = power_curves.smooth_power_curve(pd.Series(curve.wind_speed, dtype=float),
                                         pd.Series(curve.power_kw, dtype=float), **kwargs)
    return PowerCurve(_frozen(df["wind_speed"].to_numpy(float)),
                      _frozen(df["value"].to_numpy(float)))


def power_from_curve(wind_speed, curve: PowerCurve, density=None, block=8760):
    """Power of one turbine from its curve, optionally density-corrected.

    Parameters
    ----------
    wind_speed : array-like
        Hub-height wind speed [m/s].
    curve : PowerCurve
        Power curve at 1.225 kg/m³.
    density : array-like, optional
        Hub-height air density [kg/m³]; ``None`` means no density correction.
    block : int, default 8760
        Rows processed at once (bounds memory to ``block × len(curve)`` floats).

    Returns
    -------
    numpy.ndarray
        Power [kW]; 0 below the first and above the last curve point.

    Notes
    -----
    The density correction is windpowerlib's ``power_curve_density_correction``
    (Svenningsen 2010, as in WindPRO): each curve speed moves to
    ``v_site = v_std (ρ₀/ρ)^p(v_std)`` with ``p`` from 1/3 below 7.5 m/s to 2/3 above
    12.5 m/s, then the power is interpolated linearly. It is vectorised here (a Python
    loop per hour in windpowerlib) and gives identical numbers. NREL SAM uses ``p = 1/3``
    everywhere (IEC 61400-12-1); the two differ only between 7.5 and 12.5 m/s.
    """
    v = np.asarray(wind_speed, dtype=float)
    xs, ps = curve.wind_speed, curve.power_kw
    if density is None:
        return np.interp(v, xs, ps, left=0.0, right=0.0)
    rho = np.broadcast_to(np.asarray(density, dtype=float), v.shape)
    exponent = np.interp(xs, [7.5, 12.5], [1.0 / 3.0, 2.0 / 3.0])
    out = np.empty_like(v)
    m = len(xs)
    for start in range(0, v.size, block):
        vv = v[start:start + block]
        nodes = (RHO_REFERENCE / rho[start:start + block, None]) ** exponent[None, :] * xs[None, :]
        j = (nodes <= vv[:, None]).sum(axis=1)
        jj = np.clip(j, 1, m - 1)
        rows = np.arange(vv.size)
        x0, x1 = nodes[rows, jj - 1], nodes[rows, jj]
        val = ps[jj - 1] + (ps[jj] - ps[jj - 1]) * (vv - x0) / (x1 - x0)
        val = np.where((j > 0) & (j < m), val, 0.0)
        out[start:start + block] = np.where(vv == nodes[:, -1], ps[-1], val)
    return out


def weibull_fit(wind_speed) -> tuple[float, float]:
    """Fit a two-parameter Weibull distribution by maximum likelihood.

    Parameters
    ----------
    wind_speed : array-like
        Wind speeds [m/s]; calms (0) are left out of the fit, as is usual.

    Returns
    -------
    k : float
        Shape factor [-].
    c : float
        Scale factor [m/s].
    """
    from scipy.optimize import brentq

    x = np.asarray(wind_speed, dtype=float)
    x = x[np.isfinite(x) & (x > 0)]
    if x.size < 10 or np.ptp(x) == 0:
        raise WeatherError("too few non-zero, varying wind speeds to fit a Weibull distribution")
    scale = x.mean()
    x = x / scale  # scale-free fit; c is scaled back below
    lnx = np.log(x)
    mean_ln = lnx.mean()

    def score(k):
        xk = x ** k
        return float((xk * lnx).sum() / xk.sum() - 1.0 / k - mean_ln)

    k = brentq(score, 0.05, 30.0, xtol=1e-10)
    c = float(np.mean(x ** k) ** (1.0 / k) * scale)
    return float(k), c


# --------------------------------------------------------------------------------------
# Weather handling
# --------------------------------------------------------------------------------------

def _weather_checked(weather: pd.DataFrame) -> pd.DataFrame:
    """Check the canonical weather columns the wind stage needs; raise WeatherError."""
    if not isinstance(weather, pd.DataFrame):
        raise WeatherError(f"weather must be a pandas DataFrame, got {type(weather).__name__}")
    missing = [c for c in ("wind_speed", "temp_air", "pressure") if c not in weather.columns]
    if missing:
        raise WeatherError(f"weather lacks column(s) {missing} needed by the wind stage "
                           "(wind_speed [m/s], temp_air [°C], pressure [Pa])")
    if not isinstance(weather.index, pd.DatetimeIndex) or weather.index.tz is None:
        raise WeatherError("weather needs a time-zone-aware DatetimeIndex (interval-start labels)")
    if len(weather) < 2:
        raise WeatherError("weather has fewer than 2 time steps")
    problems = []
    for col, low, high, unit in (("wind_speed", 0.0, 75.0, "m/s"), ("temp_air", -60.0, 60.0, "°C"),
                                 ("pressure", 50_000.0, 110_000.0, "Pa")):
        values = weather[col].to_numpy(dtype=float)
        bad = ~np.isfinite(values)
        if bad.any():
            problems.append(Problem(f"{col}: {int(bad.sum())} missing value(s), first at "
                                    f"{weather.index[np.argmax(bad)]}", key=col))
            continue
        out = (values < low) | (values > high)
        if out.any():
            hint = " (looks like hPa/mbar; the canonical unit is Pa)" if (
                col == "pressure" and 500 < np.median(values) < 1100) else ""
            problems.append(Problem(f"{col}: {int(out.sum())} value(s) outside {low:g}–{high:g} "
                                    f"{unit}, e.g. {values[np.argmax(out)]:g}{hint}", key=col))
    if problems:
        raise WeatherError("weather is not usable by the wind stage", problems)
    return weather


def _station_roughness(attrs: Mapping) -> tuple[float, str]:
    """Station roughness length [m] and how it was chosen, from weather metadata."""
    if attrs.get("roughness_length_m") is not None:
        return float(attrs["roughness_length_m"]), "station roughness_length_m from the weather"
    terrain = attrs.get("terrain")
    if terrain is not None:
        if terrain not in TERRAIN_ROUGHNESS_M:
            raise WeatherError(f"weather metadata terrain {terrain!r} is not one of "
                               f"{sorted(TERRAIN_ROUGHNESS_M)}")
        return TERRAIN_ROUGHNESS_M[terrain], f"station terrain '{terrain}' from the weather"
    return (TERRAIN_ROUGHNESS_M[DEFAULT_STATION_TERRAIN],
            f"no station roughness in the weather: WMO standard exposure "
            f"'{DEFAULT_STATION_TERRAIN}'")


def _step_hours(index: pd.DatetimeIndex) -> float:
    step = pd.Series(index).diff().dropna().median()
    return step / pd.Timedelta(hours=1)


@dataclass(frozen=True)
class _FarmSeries:
    wind_speed_hub: np.ndarray  # free-stream hub wind [m/s]
    turbine_kw: np.ndarray  # one turbine, after wake, before availability/electrical [kW]
    net_factor: float  # farm_efficiency × availability × (1 − electrical_loss) [-]
    turbine: Turbine
    info: dict


def _simulate_farm(weather: pd.DataFrame, farm: WindFarm, wind_height_m: float | None,
                   roughness_length_m: float | None = None,
                   turbine: Turbine | None = None) -> _FarmSeries:
    attrs = dict(weather.attrs)
    turbine = farm_turbine(farm) if turbine is None else turbine
    h_wind = float(wind_height_m if wind_height_m is not None
                   else attrs.get("wind_height_m", DEFAULT_WIND_HEIGHT_M))
    if roughness_length_m is not None:
        z_station, z_basis = float(roughness_length_m), "given roughness_length_m"
    else:
        z_station, z_basis = _station_roughness(attrs)
    if farm.roughness_length_m is not None:
        z_site = farm.roughness_length_m
    elif farm.terrain is not None:
        z_site = TERRAIN_ROUGHNESS_M[farm.terrain]
    else:
        z_site = z_station
    v_meas = weather["wind_speed"].to_numpy(dtype=float)
    v_hub = np.asarray(hub_wind_speed(v_meas, h_wind, farm.hub_height_m, z_station, z_site,
                                      farm.hellman_exponent), dtype=float)
    rho = np.asarray(hub_air_density(
        weather["temp_air"].to_numpy(dtype=float), weather["pressure"].to_numpy(dtype=float),
        farm.hub_height_m, float(attrs.get("temperature_height_m", DEFAULT_SCREEN_HEIGHT_M)),
        float(attrs.get("pressure_height_m", DEFAULT_SCREEN_HEIGHT_M)), farm.density_model),
        dtype=float)
    curve = turbine.power_curve
    if farm.smoothing:
        curve = smooth_power_curve(curve, farm.turbulence_intensity)
    wake = farm.wake_model
    v_eff = v_hub if wake == "none" else reduce_wind_speed(v_hub, wake)
    kw = power_from_curve(v_eff, curve, rho if farm.density_correction else None)
    net = ((farm.farm_efficiency if farm.farm_efficiency is not None else 1.0)
           * farm.availability * (1.0 - farm.electrical_loss))
    info = {
        "turbine": turbine.name, "nominal_kw_per_turbine": turbine.nominal_kw,
        "count": farm.fleet_size, "sizing": farm.count is None, "offsite": farm.offsite,
        "hub_height_m": farm.hub_height_m, "wind_height_m": h_wind,
        "profile": "hellman" if farm.hellman_exponent is not None else "logarithmic",
        "hellman_exponent": farm.hellman_exponent,
        "station_roughness_length_m": z_station, "station_roughness_basis": z_basis,
        "site_roughness_length_m": z_site, "wake": wake,
        "farm_efficiency": farm.farm_efficiency, "availability": farm.availability,
        "electrical_loss": farm.electrical_loss, "density_correction": farm.density_correction,
        "density_model": farm.density_model, "mean_air_density_kg_m3": float(rho.mean()),
        "smoothing": farm.smoothing,
    }
    return _FarmSeries(v_hub, kw, net, turbine, info)


def _as_farms(farms) -> list[WindFarm]:
    if isinstance(farms, WindFarm):
        farms = [farms]
    farms = list(farms)
    names = [f.name for f in farms]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ScenarioError(f"wind farm names must be unique, repeated: {dup}")
    return farms


def _check_cf(kw: np.ndarray, nominal_kw: float, name: str) -> float:
    from energy_model.bands import check

    cf = float(kw.mean() / nominal_kw) if nominal_kw > 0 else 0.0
    check("wind_cf", cf, f"wind farm {name!r}")
    return cf


# --------------------------------------------------------------------------------------
# Public simulation API
# --------------------------------------------------------------------------------------

def simulate_wind(weather: pd.DataFrame, farms: WindFarm | Iterable[WindFarm],
                  wind_height_m: float | None = None) -> pd.DataFrame:
    """Hourly AC power of wind farms.

    Parameters
    ----------
    weather : pandas.DataFrame
        Canonical weather: ``wind_speed`` [m/s] at the measurement height, ``temp_air``
        [°C], ``pressure`` [Pa]; tz-aware index labelled at interval start. ``attrs`` may
        give ``wind_height_m`` (default 10), ``terrain`` or ``roughness_length_m`` of the
        station, ``temperature_height_m`` and ``pressure_height_m`` (default 2).
    farms : WindFarm or iterable of WindFarm
        Farms to simulate. A fixed fleet runs at ``count`` turbines; a sizing farm
        (``max_count``) runs one turbine.
    wind_height_m : float, optional
        Measurement height of ``wind_speed`` [m]; overrides ``weather.attrs``.

    Returns
    -------
    pandas.DataFrame
        Same index as ``weather``; per farm ``<name>_kw`` (net AC power [kW]) and
        ``<name>_wind_speed_hub`` (free-stream hub-height wind [m/s]). ``attrs["wind"]``
        maps farm name → the settings in force (roughness used and why, wake model,
        density, off-site flag); ``attrs["wind_offsite"]`` lists off-site farms, whose
        output is DPPA supply and never on-site generation.

    Raises
    ------
    WeatherError
        Missing columns, gaps or values out of physical range.
    ScenarioError
        Unknown turbine, bad power curve file, hub below blade tip, repeated names.
    InvariantError
        A farm's capacity factor outside ``BANDS["wind_cf"]``.
    """
    weather = _weather_checked(weather)
    out: dict[str, np.ndarray] = {}
    info: dict[str, dict] = {}
    for farm in _as_farms(farms):
        s = _simulate_farm(weather, farm, wind_height_m)
        kw = s.turbine_kw * s.net_factor * farm.fleet_size
        cf = _check_cf(kw, s.turbine.nominal_kw * farm.fleet_size, farm.name)
        out[f"{farm.name}_kw"] = kw
        out[f"{farm.name}_wind_speed_hub"] = s.wind_speed_hub
        info[farm.name] = {**s.info, "capacity_factor": cf}
    result = pd.DataFrame(out, index=weather.index)
    result.attrs["wind"] = info
    result.attrs["wind_offsite"] = [n for n, i in info.items() if i["offsite"]]
    return result


def wind_profiles_per_kw(weather: pd.DataFrame, farms: WindFarm | Iterable[WindFarm],
                         wind_height_m: float | None = None) -> pd.DataFrame:
    """Hourly AC power per kW of installed wind capacity, for sizing.

    Parameters
    ----------
    weather : pandas.DataFrame
        As for :func:`simulate_wind`.
    farms : WindFarm or iterable of WindFarm
        Farms; ``count`` or ``max_count`` does not matter here.
    wind_height_m : float, optional
        Measurement height of ``wind_speed`` [m].

    Returns
    -------
    pandas.DataFrame
        Column ``<name>_kw_per_kw`` per farm [kW/kW], net of wake, availability and
        electrical losses; ``attrs`` as in :func:`simulate_wind` plus
        ``attrs["wind"][name]["nominal_kw_per_turbine"]`` (the sizing step [kW]).
    """
    weather = _weather_checked(weather)
    out: dict[str, np.ndarray] = {}
    info: dict[str, dict] = {}
    for farm in _as_farms(farms):
        s = _simulate_farm(weather, farm, wind_height_m)
        per_kw = s.turbine_kw * s.net_factor / s.turbine.nominal_kw
        cf = _check_cf(per_kw, 1.0, farm.name)
        out[f"{farm.name}_kw_per_kw"] = per_kw
        info[farm.name] = {**s.info, "capacity_factor": cf}
    result = pd.DataFrame(out, index=weather.index)
    result.attrs["wind"] = info
    result.attrs["wind_offsite"] = [n for n, i in info.items() if i["offsite"]]
    return result


def onsite_offsite_kw(result: pd.DataFrame) -> pd.DataFrame:
    """Split a :func:`simulate_wind` result into on-site and off-site (DPPA) supply.

    Parameters
    ----------
    result : pandas.DataFrame
        Output of :func:`simulate_wind`.

    Returns
    -------
    pandas.DataFrame
        Columns ``wind_onsite_kw`` and ``wind_offsite_kw`` [kW].
    """
    offsite = set(result.attrs.get("wind_offsite", []))
    names = list(result.attrs.get("wind", {}))
    on = [f"{n}_kw" for n in names if n not in offsite]
    off = [f"{n}_kw" for n in names if n in offsite]
    return pd.DataFrame({"wind_onsite_kw": result[on].sum(axis=1) if on else 0.0,
                         "wind_offsite_kw": result[off].sum(axis=1) if off else 0.0},
                        index=result.index)


def wind_resource_summary(weather: pd.DataFrame, farm: WindFarm | float,
                          turbine: str | Turbine | None = None, *,
                          wind_height_m: float | None = None,
                          roughness_length_m: float | None = None) -> dict:
    """Hub-height wind resource and the yield of one turbine.

    Parameters
    ----------
    weather : pandas.DataFrame
        As for :func:`simulate_wind`.
    farm : WindFarm or float
        A farm (its hub height, turbine, profile and losses are used), or a hub height
        [m] with ``turbine`` (gross yield: no wake, availability or electrical loss).
    turbine : str or Turbine, optional
        Turbine name or object; required with a hub height, overrides a farm's.
    wind_height_m : float, optional
        Measurement height of ``wind_speed`` [m].
    roughness_length_m : float, optional
        Station roughness length [m]; default from the weather metadata, else open
        terrain (0.03 m).

    Returns
    -------
    dict
        ``hub_height_m`` [m], ``mean_wind_speed_hub_ms`` [m/s], ``weibull_k`` [-],
        ``weibull_c_ms`` [m/s], ``calm_fraction`` [-], ``mean_air_density_kg_m3``,
        ``turbine``, ``nominal_kw`` [kW], ``energy_mwh_per_year`` (one turbine) [MWh/yr],
        ``capacity_factor`` [-] (checked against ``BANDS["wind_cf"]``),
        ``full_load_hours`` [h/yr], and the roughness lengths used with their basis.
    """
    weather = _weather_checked(weather)
    if isinstance(turbine, str):
        turbine = get_turbine(turbine)
    if isinstance(farm, WindFarm):
        spec = farm
    else:
        if turbine is None:
            raise UsageError("wind_resource_summary: give a turbine with a hub height")
        spec = WindFarm(name="summary", turbine=turbine.name, hub_height_m=float(farm), count=1,
                        wake="none", availability=1.0, electrical_loss=0.0)
    if turbine is not None and spec.hub_height_m <= turbine.rotor_diameter_m / 2:
        raise ScenarioError(f"hub height {spec.hub_height_m:g} m is not above the blade tip of "
                            f"{turbine.name} (rotor {turbine.rotor_diameter_m:g} m)")
    s = _simulate_farm(weather, spec, wind_height_m, roughness_length_m, turbine)
    kw = s.turbine_kw * s.net_factor
    step_h = _step_hours(weather.index)
    years = len(weather) * step_h / 8760.0
    cf = _check_cf(kw, s.turbine.nominal_kw, spec.name)
    k, c = weibull_fit(s.wind_speed_hub)
    return {
        "hub_height_m": spec.hub_height_m,
        "mean_wind_speed_hub_ms": float(s.wind_speed_hub.mean()),
        "weibull_k": k,
        "weibull_c_ms": c,
        "calm_fraction": float(np.mean(s.wind_speed_hub <= 0)),
        "mean_air_density_kg_m3": s.info["mean_air_density_kg_m3"],
        "turbine": s.turbine.name,
        "nominal_kw": s.turbine.nominal_kw,
        "energy_mwh_per_year": float(kw.sum() * step_h / 1000.0 / years),
        "capacity_factor": cf,
        "full_load_hours": cf * 8760.0,
        "wind_height_m": s.info["wind_height_m"],
        "station_roughness_length_m": s.info["station_roughness_length_m"],
        "station_roughness_basis": s.info["station_roughness_basis"],
        "site_roughness_length_m": s.info["site_roughness_length_m"],
        "profile": s.info["profile"],
    }


def monthly_table(power_kw: pd.Series, wind_speed_hub: pd.Series,
                  nominal_kw: float) -> pd.DataFrame:
    """Monthly energy, capacity factor and mean hub wind.

    Parameters
    ----------
    power_kw : pandas.Series
        Farm power [kW], interval-start labels.
    wind_speed_hub : pandas.Series
        Hub-height wind speed [m/s].
    nominal_kw : float
        Installed capacity [kW].

    Returns
    -------
    pandas.DataFrame
        Index month (1–12); columns ``energy_mwh``, ``capacity_factor`` [-],
        ``mean_wind_speed_hub_ms`` [m/s].
    """
    step_h = _step_hours(power_kw.index)
    month = power_kw.index.month
    df = pd.DataFrame({"kw": power_kw.to_numpy(), "v": wind_speed_hub.to_numpy(), "month": month})
    g = df.groupby("month")
    out = pd.DataFrame({
        "energy_mwh": g["kw"].sum() * step_h / 1000.0,
        "capacity_factor": g["kw"].mean() / nominal_kw if nominal_kw > 0 else 0.0,
        "mean_wind_speed_hub_ms": g["v"].mean(),
    })
    out.index.name = "month"
    return out


# --------------------------------------------------------------------------------------
# Coastal and island check against published figures
# --------------------------------------------------------------------------------------

def _ascii_key(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _gap_note(row: dict, published: dict) -> str:
    """Explain a gap between modelled and published hub-height wind."""
    v10 = row["mean_wind_speed_10m_ms"]
    ratio = row["model_wind_speed_at_published_height_ms"] / v10 if v10 > 0 else float("nan")
    z0 = row["station_roughness_length_m"]
    z0_needed = float("nan")
    target = published["mean_wind_speed_ms"] / v10 if v10 > 0 else float("nan")
    h, hm = published["height_m"], row["wind_height_m"]
    if target > 1.0:  # solve ln(h/z0)/ln(hm/z0) = target for z0
        z0_needed = math.exp((math.log(h) - target * math.log(hm)) / (1.0 - target))
    direction = "above" if row["gap"] > 0 else "below"
    return (f"model {row['model_wind_speed_at_published_height_ms']:.2f} m/s is "
            f"{abs(row['gap']) * 100:.0f} % {direction} the published "
            f"{published['mean_wind_speed_ms']:.1f} m/s at {h:g} m. The synthetic weather's "
            f"{hm:g} m mean is {v10:.2f} m/s and the log profile with the station roughness "
            f"z0 = {z0:g} m multiplies it by {ratio:.3f}; matching the published figure needs "
            f"a 10 m mean of {published['mean_wind_speed_ms'] / ratio:.2f} m/s"
            + ((f", or a station roughness z0 = {z0_needed:.3g} m ("
                + ("a sheltered anemometer" if z0_needed > z0 else "a smoother fetch") + ")")
               if math.isfinite(z0_needed) and z0_needed < 5 else "")
            + ". The 10 m normals look like sheltered airport or town-station data, and the "
              "published figure is an older atlas (mesoscale model) value: the gap measures the "
              "uncertainty of the 10 m normals and of the 10 m → hub step, not of the "
              "turbine model.")


def coastal_wind_check(weather_by_station: Mapping[str, pd.DataFrame | Sequence[pd.DataFrame]],
                       stations: Iterable[str] | None = None,
                       published: Sequence[dict] = PUBLISHED_WIND,
                       turbine: str = REFERENCE_TURBINE,
                       hub_height_m: float = REFERENCE_HUB_HEIGHT_M,
                       tolerance: float = 0.15) -> pd.DataFrame:
    """Hub-height wind, Weibull k and reference-turbine capacity factor of coastal stations.

    Each station's 10 m wind goes to hub height with the station's own roughness
    (``attrs["roughness_length_m"]`` or ``attrs["terrain"]``, else open terrain); that
    step dominates the result and the roughness used is reported. Stations with a
    published figure are compared at the published height; a gap over ``tolerance``
    gets a note that explains it.

    Parameters
    ----------
    weather_by_station : mapping of str to DataFrame or list of DataFrame
        Synthetic weather per station (the output of ``weather.synthetic.synthesize``;
        with several years they are concatenated).
    stations : iterable of str, optional
        Stations to check; default: the places of :data:`COASTAL_STATIONS`, those whose
        weather terrain is 'sea' or 'coast', and every station with a published figure.
    published : sequence of dict
        Published figures: ``station``, ``height_m`` [m], ``mean_wind_speed_ms`` [m/s],
        ``mark``, ``source``. Matched to station keys without diacritics.
    turbine : str, default 'E-82/2000'
        Reference turbine.
    hub_height_m : float, default 80
        Reference hub height [m].
    tolerance : float, default 0.15
        Relative gap above which a note is written [-].

    Returns
    -------
    pandas.DataFrame
        One row per station: ``station``, ``terrain``, ``station_roughness_length_m`` [m],
        ``wind_height_m`` [m], ``mean_wind_speed_10m_ms``, ``hub_height_m``,
        ``mean_wind_speed_hub_ms`` [m/s], ``weibull_k`` [-], ``capacity_factor`` [-],
        ``full_load_hours`` [h/yr], ``published_height_m``, ``published_ms``,
        ``model_wind_speed_at_published_height_ms``, ``gap`` [-] (model / published − 1),
        ``published_mark``, ``note``.
    """
    frames = {}
    for key, value in weather_by_station.items():
        if isinstance(value, pd.DataFrame):
            frames[key] = value
        else:
            items = list(value)
            frames[key] = pd.concat(items) if len(items) > 1 else items[0]
            frames[key].attrs = dict(items[0].attrs)
    pub_by_key = {_ascii_key(p["station"]): p for p in published}

    def pub_for(key):
        return pub_by_key.get(_ascii_key(key))

    if stations is None:
        coastal = {_ascii_key(c) for c in COASTAL_STATIONS}
        stations = [k for k, df in frames.items()
                    if _ascii_key(k) in coastal or df.attrs.get("terrain") in ("sea", "coast")
                    or pub_for(k) is not None]
    rows = []
    for key in stations:
        if key not in frames:
            raise UsageError(f"coastal_wind_check: no weather for station {key!r}; have "
                             f"{sorted(frames)}")
        df = frames[key]
        summary = wind_resource_summary(df, hub_height_m, turbine)
        p = pub_for(key)
        row = {
            "station": key, "terrain": df.attrs.get("terrain"),
            "station_roughness_length_m": summary["station_roughness_length_m"],
            "wind_height_m": summary["wind_height_m"],
            "mean_wind_speed_10m_ms": float(df["wind_speed"].mean()),
            "hub_height_m": hub_height_m,
            "mean_wind_speed_hub_ms": summary["mean_wind_speed_hub_ms"],
            "weibull_k": summary["weibull_k"],
            "capacity_factor": summary["capacity_factor"],
            "full_load_hours": summary["full_load_hours"],
            "published_height_m": np.nan, "published_ms": np.nan,
            "model_wind_speed_at_published_height_ms": np.nan, "gap": np.nan,
            "published_mark": None, "note": "",
        }
        if p is not None:
            v_pub_h = float(np.mean(hub_wind_speed(
                df["wind_speed"].to_numpy(float), summary["wind_height_m"], p["height_m"],
                summary["station_roughness_length_m"])))
            row.update(published_height_m=p["height_m"], published_ms=p["mean_wind_speed_ms"],
                       model_wind_speed_at_published_height_ms=v_pub_h,
                       gap=v_pub_h / p["mean_wind_speed_ms"] - 1.0, published_mark=p["mark"])
            if abs(row["gap"]) > tolerance:
                row["note"] = _gap_note(row, p)
            else:
                row["note"] = (f"within {tolerance * 100:.0f} % of the published "
                               f"{p['mean_wind_speed_ms']:.1f} m/s at {p['height_m']:g} m "
                               f"({p['source']})")
        rows.append(row)
    return pd.DataFrame(rows)
