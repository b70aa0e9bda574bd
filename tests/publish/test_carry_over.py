"""A file's fingerprint hashes its rows: the same rows give the same fingerprint, noise in the
last bits of a parallel sum gives none, and any change a file would show gives another."""

import numpy as np
import pandas as pd

from pipeline.publish.carry_over import fingerprint, row_digests


def _rows(value: float, note: str = "ok") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "municipality_code": ["101", "147"],
            "cutoff_date": pd.to_datetime(["2023-12-31", "2023-12-31"]),
            "value": [value, np.nan],
            "numerator": pd.array([3, None], dtype="Int64"),
            "note_da": [note, None],
        }
    )


def _print(frame: pd.DataFrame) -> str:
    return fingerprint("code", row_digests(frame))


def test_noise_in_the_last_bits_changes_no_fingerprint():
    # 0.1 + 0.2 is 0.30000000000000004: the same to ten significant digits as 0.3.
    assert _print(_rows(0.1 + 0.2)) == _print(_rows(0.3))
    assert _print(_rows(1234.5678901234)) == _print(_rows(1234.5678901239))
    assert _print(_rows(0.0)) == _print(_rows(0.0))


def test_a_change_a_workbook_would_show_changes_the_fingerprint():
    same = _print(_rows(0.3))
    assert _print(_rows(0.3000001)) != same  # a value in the seventh digit
    assert _print(_rows(0.3, note="Foreløbig")) != same  # a text
    changed = _rows(0.3)
    changed.loc[1, "numerator"] = 0  # NULL -> 0
    assert _print(changed) != same
    assert _print(_rows(0.3).iloc[::-1]) != same  # another order of rows


def test_each_file_hashes_its_own_slice_of_rows():
    digests = row_digests(_rows(0.3))
    assert digests.dtype == np.uint64 and len(digests) == 2
    # A row's digest does not depend on the rows around it.
    assert row_digests(_rows(0.3).iloc[[1]])[0] == digests[1]
