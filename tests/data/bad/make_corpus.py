"""Write the bad-input corpus of ``tests/data/bad/`` (run once; the files are committed).

    python tests/data/bad/make_corpus.py

Each case is one small file plus an entry in ``cases.yaml`` (written by hand). Weather
files are 48-hour generic CSVs: every check they exercise fails before the full-year
step, so they stay a few kB each. The 50 MB scenario is generated at test time.
"""

from __future__ import annotations

import math
from pathlib import Path

HERE = Path(__file__).resolve().parent

BASE = """\
name: bad_case
year: 2030
weather:
  source: normals
  seed: 1
tariff:
  name: evn_2025
parks:
  - id: demo_park
    name: "Demo park"
    kind: KCN
    location: {lat: 21.01, lon: 106.87, altitude_m: 10}
    weather_station: quang_yen
    area_ha: 100
    occupancy: 0.6
    occupancy_year: 2025
    industries:
      - {cls: textile, share: 1.0}
    load: {source: bottom_up}
    pv:
      - {name: roof, kind: rooftop, tilt: 10, azimuth: 180}
    battery: {max_kw: 5000}
    grid:
      voltage: 22_110kv
      substation_mva: 40
      transformers: 2
"""


def scenario(**replace: str) -> str:
    """BASE with whole lines replaced: ``{old line: new line(s)}``."""
    text = BASE
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


SCENARIOS = {
    "good.yaml": BASE,  # valid: the base of the command-line misuse cases
    # YAML syntax
    "s_yaml_unclosed.yaml": scenario(**{"  - id: demo_park\n": "  - id: [demo_park\n"}),
    "s_yaml_tab.yaml": scenario(**{"    area_ha: 100\n": "\tarea_ha: 100\n"}),
    "s_yaml_bad_indent.yaml": scenario(**{"    occupancy: 0.6\n": "      occupancy: 0.6\n"}),
    "s_yaml_duplicate_key.yaml": scenario(**{"    occupancy: 0.6\n":
                                             "    occupancy: 0.6\n    occupancy: 0.7\n"}),
    "s_empty.yaml": "",
    "s_top_level_list.yaml": "- name: bad_case\n- year: 2030\n",
    "s_yaml_bomb.yaml": "\n".join(
        ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
        + [f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 10) + "]" for i in range(1, 9)]
        + BASE.splitlines()) + "\n",
    "s_python_tag.yaml": scenario(**{"name: bad_case\n":
                                     "name: !!python/object/apply:os.system ['echo pwned']\n"}),
    # unknown and misspelt keys
    "s_unknown_top_key.yaml": scenario(**{"year: 2030\n": "year: 2030\nyeer: 2031\n"}),
    "s_misspelt_park_key.yaml": scenario(**{"    area_ha: 100\n": "    aera_ha: 100\n"}),
    "s_misspelt_battery_key.yaml": scenario(**{"    battery: {max_kw: 5000}\n":
                                               "    battery: {max_kww: 5000}\n"}),
    # wrong types, absurd numbers
    "s_year_string.yaml": scenario(**{"year: 2030\n": "year: twenty-thirty\n"}),
    "s_area_list.yaml": scenario(**{"    area_ha: 100\n": "    area_ha: [100, 200]\n"}),
    "s_parks_mapping.yaml": BASE.split("parks:\n")[0] + "parks: {id: demo_park}\n",
    "s_tilt_95.yaml": scenario(**{"tilt: 10,": "tilt: 95,"}),
    "s_area_1e12.yaml": scenario(**{"    area_ha: 100\n": "    area_ha: 1.0e12\n"}),
    "s_occupancy_negative.yaml": scenario(**{"    occupancy: 0.6\n": "    occupancy: -0.2\n"}),
    "s_kind_unknown.yaml": scenario(**{"    kind: KCN\n": "    kind: KCX\n"}),
    # location
    "s_lat_95.yaml": scenario(**{"lat: 21.01,": "lat: 95.0,"}),
    "s_lon_200.yaml": scenario(**{"lon: 106.87,": "lon: 200.0,"}),
    "s_lon_sign_flipped.yaml": scenario(**{"lon: 106.87,": "lon: -106.87,"}),
    "s_location_offshore.yaml": scenario(**{"lat: 21.01, lon: 106.87,": "lat: 20.0, lon: 108.0,",
                                            "weather_station: quang_yen": "weather_station: co_to"}),
    # duplicate ids, empty parks, bad ids
    "s_duplicate_ids.yaml": BASE + BASE.split("parks:\n")[1],
    "s_empty_parks.yaml": BASE.split("parks:\n")[0] + "parks: []\n",
    "s_park_id_path.yaml": scenario(**{"  - id: demo_park\n": "  - id: ../../etc/passwd\n"}),
    # references: files, stations, turbines, tariffs
    "s_missing_weather_file.yaml": scenario(**{"  source: normals\n":
                                               "  source: file\n  file: no_such_weather.csv\n"}),
    "s_missing_park_weather_file.yaml": scenario(**{"    weather_station: quang_yen\n":
                                                    "    weather_file: missing/park.epw\n"}),
    "s_unknown_station.yaml": scenario(**{"weather_station: quang_yen": "weather_station: quang_yn"}),
    "s_unknown_tariff.yaml": scenario(**{"  name: evn_2025\n": "  name: evn_2052\n"}),
    "s_unknown_turbine.yaml": scenario(**{"    battery: {max_kw: 5000}\n":
                                          "    wind:\n      - {name: w1, turbine: Vestas-V999, "
                                          "hub_height_m: 50, max_count: 2}\n"
                                          "    battery: {max_kw: 5000}\n"}),
    "s_extends_missing.yaml": "extends: no_such_base.yaml\n" + BASE,
    # physics-impossible parameters
    "s_efficiency_above_1.yaml": scenario(**{"    battery: {max_kw: 5000}\n":
                                             "    battery: {max_kw: 5000, "
                                             "round_trip_efficiency: 1.15}\n"}),
    "s_battery_power_no_energy.yaml": scenario(**{"    battery: {max_kw: 5000}\n":
                                                  "    battery: {fixed_kw: 2000}\n"}),
    "s_year_1990.yaml": scenario(**{"year: 2030\n": "year: 1990\n"}),
    "s_year_2100.yaml": scenario(**{"year: 2030\n": "year: 2100\n"}),
    "s_timezone_unknown.yaml": scenario(**{"year: 2030\n": "year: 2030\ntimezone: Asia/Ha_Long\n"}),
    # infeasible: an import cap below the load, no PV/battery to cover it, no slack
    "s_import_cap_below_load.yaml": scenario(**{
        "    pv:\n      - {name: roof, kind: rooftop, tilt: 10, azimuth: 180}\n": "",
        "    battery: {max_kw: 5000}\n": "    battery: {allowed: false}\n",
        "      transformers: 2\n": "      transformers: 2\n      import_cap_kw: 100\n"}),
    # weather-file scenario used by every weather case (weather.file set on the command line)
    "weather_file_scenario.yaml": scenario(**{"  source: normals\n":
                                              "  source: file\n  file: w_good_48h.csv\n",
                                              "    weather_station: quang_yen\n": ""}),
}

BINARY = {
    # latin-1 'ầ' is not UTF-8
    "s_non_utf8.yaml": scenario(**{'    name: "Demo park"\n': '    name: "Cẩm Phả"\n'}
                                ).encode("utf-8").replace("ẩ".encode("utf-8"), b"\xe2\xba"),
    "s_nul_bytes.yaml": BASE.encode("utf-8")[:40] + b"\x00\x00\x00" + BASE.encode("utf-8")[40:],
}

HEADER = "# latitude: 21.01\n# longitude: 106.87\n# altitude: 10\n"
COLUMNS = "time,ghi,dni,dhi,temp_air,wind_speed,pressure"


def _row(stamp: str, hour: int, shift: int = 0) -> str:
    """One plausible January row of Quảng Ninh (clear-ish day, 10.5 h of sun)."""
    h = (hour - shift) % 24
    sun = max(0.0, math.sin(math.pi * (h + 0.5 - 6.5) / 11.0))
    ghi = round(550 * sun, 1)
    return f"{stamp},{ghi},{round(0.6 * ghi, 1)},{round(0.45 * ghi, 1)},17.5,3.2,101200"


def _hours(start_day: str = "2030-01-01", n: int = 48, step_min: int = 60):
    import datetime as dt

    t0 = dt.datetime.fromisoformat(start_day)
    for k in range(n):
        t = t0 + dt.timedelta(minutes=step_min * k)
        yield t.strftime("%Y-%m-%dT%H:%M"), t.hour


def weather_csv(rows: list[str], header: str = HEADER, columns: str = COLUMNS) -> str:
    return header + columns + "\n" + "\n".join(rows) + "\n"


def good_rows(**kw) -> list[str]:
    return [_row(s, h) for s, h in _hours(**kw)]


def _replace(rows: list[str], i: int, col: int, value: str) -> list[str]:
    rows = list(rows)
    parts = rows[i].split(",")
    parts[col] = value
    rows[i] = ",".join(parts)
    return rows


def _weather() -> dict[str, str]:
    good = good_rows()
    out = {"w_good_48h.csv": weather_csv(good)}
    out["w_truncated_row.csv"] = weather_csv(good[:30] + [good[30][:22]])
    out["w_wrong_columns.csv"] = weather_csv(good, columns=COLUMNS.replace("ghi,dni,dhi",
                                                                           "GHI,DNI,DHI"))
    out["w_missing_column.csv"] = weather_csv(
        [",".join(r.split(",")[:-1]) for r in good],
        columns=COLUMNS.replace(",pressure", "").replace(",wind_speed", ",wind"))
    nan = good
    for i in range(20, 26):
        nan = _replace(nan, i, 1, "")
    out["w_nan_run.csv"] = weather_csv(nan)
    out["w_duplicate_times.csv"] = weather_csv(good[:12] + [good[11]] + good[12:])
    out["w_30min_steps.csv"] = weather_csv([_row(s, h) for s, h in _hours(n=96, step_min=30)])
    out["w_shifted_tz.csv"] = weather_csv([_row(s, h, shift=7) for s, h in _hours()])
    leap = [r for r in good_rows(start_day="2028-02-27", n=96) if not r.startswith("2028-02-29")]
    out["w_leap_day_missing.csv"] = weather_csv(leap)
    feb29 = [_row(s.replace("2030-02-28", "2030-02-29"), h)
             for s, h in _hours(start_day="2030-02-27", n=72)]
    out["w_feb29_non_leap.csv"] = weather_csv(feb29)
    out["w_negative_irradiance.csv"] = weather_csv(_replace(good, 13, 1, "-85"))
    out["w_no_location.csv"] = weather_csv(good, header="# altitude: 10\n")
    out["w_pressure_hpa.csv"] = weather_csv([r.replace(",101200", ",1012") for r in good])
    out["w_unreadable_time.csv"] = weather_csv(_replace(good, 5, 0, "01/01/2030 05h"))
    out["w_short_year.csv"] = weather_csv(good)  # valid but only 48 h: not a full year
    out["w_empty.csv"] = ""
    out["w_text_in_numbers.csv"] = weather_csv(_replace(good, 9, 4, "17.5C"))
    return out


def main() -> None:
    for name, text in {**SCENARIOS, **_weather()}.items():
        (HERE / name).write_text(text, encoding="utf-8", newline="\n")
    for name, data in BINARY.items():
        (HERE / name).write_bytes(data)
    epw = (HERE / "w_truncated.epw")
    head = ["LOCATION,Quang Ninh,QN,VNM,TEST,999999,21.01,106.87,7.0,10.0",
            "DESIGN CONDITIONS,0", "TYPICAL/EXTREME PERIODS,0", "GROUND TEMPERATURES,0",
            "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0", "COMMENTS 1,synthetic", "COMMENTS 2,",
            "DATA PERIODS,1,1,Data,Sunday, 1/ 1,12/31"]
    rows = [f"2030,1,1,{h},60,?9?9?9?9E0?9?9?9?9?9?9?9?9?9?9?9?9?9?9?9*9*9?9?9?9,17.5,15.0,"
            "85,101200,0,0,300,0,0,0,0,0,0,0,90,3.2,5,5,20.0,77777,9,999999999,0,0.0,0,88,"
            "0.0,0.0,0.0" for h in range(1, 10)]
    epw.write_text("\n".join(head + rows) + "\n2030,1,1,10,60,?9?9", encoding="utf-8")


if __name__ == "__main__":
    main()
