"""Weather stage: real-file readers, checks, monthly normals, synthetic years, statistics.

Public API::

    read_weather(path, format=None, column_map=None, fill_gaps=False) -> (frame, metadata)
    to_year(frame, year) -> frame
    load_normals(path) -> Normals;  Normals.station(id) -> StationNormals
    normals_from_weather(frame, metadata, station) -> StationNormals
    synthesize(normals, stations, year, seed, years=1, tz="Asia/Ho_Chi_Minh")
        -> {station: [frame, ...]}
    weather_stats(frame, metadata=None, normals=None) -> WeatherStats

Frames have the canonical columns ``ghi``, ``dni``, ``dhi`` [W/m²], ``temp_air`` [°C],
``wind_speed`` [m/s] (at ``wind_height_m``), ``pressure`` [Pa], on an hourly tz-aware
index labelled at interval start.
"""

from energy_model.weather.normals import (HOMER_WIND_DEFAULTS, ROUGHNESS_BY_TERRAIN,
                                          Normals, StationNormals, load_normals,
                                          normals_from_weather)
from energy_model.weather.readers import FORMATS, detect_format, read_weather, to_year
from energy_model.weather.stats import WeatherStats, weather_stats
from energy_model.weather.synthetic import SynthesisSettings, synthesize

__all__ = ["FORMATS", "HOMER_WIND_DEFAULTS", "ROUGHNESS_BY_TERRAIN", "Normals",
           "StationNormals", "SynthesisSettings", "WeatherStats", "detect_format",
           "load_normals", "normals_from_weather", "read_weather", "synthesize",
           "to_year", "weather_stats"]
