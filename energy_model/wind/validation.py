"""Coastal and island check: modelled hub-height wind of synthetic weather against
published figures (issue 5)."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from energy_model.errors import UsageError
from energy_model.wind.farm import wind_resource_summary
from energy_model.wind.physics import hub_wind_speed

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
