"""Carrying unchanged files over from the previous publication.

A national publication holds about 5,000 workbooks (98 municipalities x 51 cut-off dates) and
98 report pages, over a minute to write (benchmarks/README.md); a nightly run with one new
delivery changes about 51 workbooks, and the pages whose figures or peer medians it moves.
Each generated file gets a fingerprint of everything it is made from (its published rows, the
reference rows it shows, the threshold, and the source of the code that writes it); a file
whose fingerprint equals the one recorded by the previous publication is taken from there (a
hard link) instead of written again. The fingerprints live beside the files
(`.fingerprints.json`), so the published folder says what each file was made from.

Nothing is carried over from a `serving` folder of the old file-by-file layout whose swap was
killed (it may be a mix), or when the previous file is missing: then the file is written afresh.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

FINGERPRINTS = ".fingerprints.json"


def json_lines(frame: pd.DataFrame) -> list[str]:
    """The rows of `frame` as JSON lines, numbers to ten significant digits: DuckDB's parallel
    sums may differ in the last bits between two runs on the same rows, which no file shows.
    Written for many files' rows at once and sliced: one call per file cost as much as writing
    some of the files."""
    if frame.empty:
        return []
    return frame.to_json(
        orient="records", lines=True, date_format="iso", double_precision=10
    ).splitlines()


def row_digests(frame: pd.DataFrame) -> np.ndarray:
    """A 64-bit hash of every row of `frame` (pandas' hash_pandas_object), numbers rounded to
    ten significant digits first, as json_lines does. A file's fingerprint hashes the slice of
    its rows: hashing 220,000 published rows takes 0.07 s, writing them as JSON lines 2.5 s
    (benchmarks/README.md, item 30)."""
    rounded = frame.assign(
        **{
            str(name): _significant(frame[name].to_numpy(dtype="float64", na_value=np.nan))
            for name, kind in frame.dtypes.items()
            if pd.api.types.is_float_dtype(kind)
        }
    )
    return pd.util.hash_pandas_object(rounded, index=False).to_numpy()


def _significant(numbers: np.ndarray, digits: int = 10) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        exponent = np.floor(np.log10(np.abs(numbers)))
    scale = 10.0 ** (digits - 1 - np.where(np.isfinite(exponent), exponent, 0))
    return np.round(numbers * scale) / scale


def fingerprint(code: str, *parts: Any) -> str:
    digest = hashlib.sha256(code.encode())
    for part in parts:
        if isinstance(part, np.ndarray):  # row_digests
            data = part.tobytes()
        elif isinstance(part, pd.DataFrame):
            data = "\n".join([*map(str, part.columns), *json_lines(part)]).encode()
        else:
            data = json.dumps(part, sort_keys=True, default=str).encode()
        digest.update(data)
        digest.update(b"\x00")
    return digest.hexdigest()


class CarryOver:
    """Fingerprints of one folder of generated files: the previous publication's, and this
    one's as it is written."""

    def __init__(self, folder: Path, previous: Path | None, file: str = FINGERPRINTS) -> None:
        self.folder = folder
        self.previous = previous
        self.file = file
        self.fingerprints: dict[str, str] = {}
        self.carried = 0
        self._before: dict[str, str] = {}
        if previous is not None and (previous / file).is_file():
            try:
                self._before = json.loads((previous / file).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._before = {}

    def reuse(self, name: str, print_: str) -> bool:
        """Take `name` from the previous publication when it was made from the same inputs."""
        self.fingerprints[name] = print_
        if self.previous is None or self._before.get(name) != print_:
            return False
        source = self.previous / name
        if not source.is_file():
            return False
        # A hard link, not a copy (copying every workbook costs seconds): published files are never
        # written in place, only replaced by a new release (release.switch_to), so the two
        # publications can share the data. A copy where linking is not possible.
        try:
            os.link(source, self.folder / name)
        except OSError:
            shutil.copy2(source, self.folder / name)
        self.carried += 1
        return True

    @property
    def paths(self) -> list[Path]:
        """Every file of this publication's folder, written or carried over."""
        return [self.folder / name for name in sorted(self.fingerprints)]

    def save(self) -> None:
        (self.folder / self.file).write_text(
            json.dumps(self.fingerprints, indent=0, sort_keys=True), encoding="utf-8"
        )
