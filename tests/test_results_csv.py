"""The hourly CSV writer (energy_model.results.hourly_csv_text) writes the same bytes as
pandas' ``to_csv`` with the project's float format, and leaves other frames to pandas."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from energy_model.results import CSV_ENCODING, hourly_csv_text, write_csv

T = 24 * 60


def _pandas(df: pd.DataFrame, index: bool = True) -> str:
    buf = io.StringIO()
    df.to_csv(buf, index=index, float_format="%.6g", lineterminator="\n")
    return buf.getvalue()


def _frame(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2030-01-01", periods=T, freq="h", tz="Asia/Ho_Chi_Minh", name="time")
    special = np.array([0.0, -0.0, np.nan, 1e-300, -2.5e12, 123456.5, 1234567.0, 0.1 + 0.2,
                        1190.0, -1.0])
    cols = {
        "load_kw": 1000 * rng.random(T),
        "pv_kw": np.where(rng.random(T) < 0.5, 0.0, 3e4 * rng.random(T)),
        "price_vnd_per_kwh": rng.choice([1146.0, 1190.0, 2103.0], T),
        "special": rng.choice(special, T),
        "tiny": rng.standard_normal(T) * 1e-7,
        "big": rng.standard_normal(T) * 1e9,
    }
    return pd.DataFrame(cols, index=idx).iloc[:, : 2 + seed % 5]


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("index", [True, False])
def test_same_bytes_as_pandas(seed, index):
    df = _frame(seed)
    if df.size < 10_000:
        df = pd.concat([df] * 4, axis=1, keys=range(4))
        df.columns = [f"{a}_{b}" for a, b in df.columns]
    text = hourly_csv_text(df, index)
    assert text is not None
    assert text == _pandas(df, index)


def test_other_frames_are_left_to_pandas(tmp_path):
    df = pd.concat([_frame(4)] * 3, axis=1)
    df.columns = [f"c{k}" for k in range(df.shape[1])]
    naive = df.tz_localize(None)
    assert hourly_csv_text(naive) is None                       # no time zone
    assert hourly_csv_text(df.reset_index(drop=True)) is None   # not a time index
    assert hourly_csv_text(df.assign(name="a")) is None         # a text column
    assert hourly_csv_text(df.rename(columns={"c0": "a,b"})) is None   # would need quotes
    assert hourly_csv_text(df.iloc[:10]) is None                # small: pandas is as fast
    for frame in (df, naive):
        write_csv(frame, tmp_path / "x.csv")
        data = (tmp_path / "x.csv").read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        assert data == _pandas(frame).encode(CSV_ENCODING)
