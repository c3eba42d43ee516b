"""The offline turbine library and power-curve files.

The library is windpowerlib's bundled (local) table of 67 power curves plus the generic
small and medium curves shipped in ``energy_model/data/turbines/``; windpowerlib's online
database is gone and is never queried. A user curve comes from a CSV or YAML file.
"""

from __future__ import annotations

import csv
import difflib
import functools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import windpowerlib

from energy_model.errors import Problem, ScenarioError
from energy_model.wind.physics import BETZ_LIMIT, RHO_REFERENCE, PowerCurve, _frozen
from energy_model.yaml_io import line_of, load_yaml

_SHIPPED_TURBINE_DIR = Path(__file__).resolve().parent.parent / "data" / "turbines"


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
