"""What a demo-data run wrote: returned to the caller, so tests can assert on it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class FileInfo:
    """One CSV file of a delivery and the dialect it was written in."""

    name: str  # e.g. "measures.csv"
    rows: int  # data rows, planted bad rows included
    encoding: str  # Python codec name: utf-8-sig, utf-8 or cp1252
    delimiter: str
    date_format: str  # strftime pattern
    decimal: str
    boolean: tuple[str, str]  # (true, false)
    empty_false: bool
    header: tuple[str, ...]
    danish_enums: bool
    line_ending: str


@dataclass(frozen=True)
class DeliverySummary:
    municipality_code: int
    delivery_date: date
    folder: Path
    persons: int  # rows of children.csv (distinct children known to the case system)
    adults: int  # distinct adults in housing_centre_stays.csv
    files: tuple[FileInfo, ...]

    def rows(self, name: str) -> int:
        return self.file(name).rows

    def file(self, name: str) -> FileInfo:
        key = name if name.endswith(".csv") else f"{name}.csv"
        for info in self.files:
            if info.name == key:
                return info
        raise KeyError(key)


@dataclass(frozen=True)
class PlantedRow:
    """A row written to be quarantined (SPEC §8): where it is and which rule it breaks."""

    municipality_code: int
    delivery_date: date
    file: str
    line: int  # physical line in the file; the header is line 1
    kind: str
    column: str  # contract (English) column name
    value: str  # the offending value as written


@dataclass(frozen=True)
class PlantedWarning:
    """A valid situation the pipeline must report as a warning, not quarantine."""

    municipality_code: int
    delivery_date: date
    kind: str
    file: str
    lines: tuple[int, ...]


@dataclass(frozen=True)
class ExtraColumn:
    municipality_code: int
    file: str
    column: str


@dataclass(frozen=True)
class MunicipalitySummary:
    code: int
    name: str
    children_0_17: int  # FOLK1A 0-17 on 2025-01-01 (2025K1) of the synthetic population
    persons: int  # children in the newest delivery's children.csv
    adults: int


@dataclass(frozen=True)
class DemoSummary:
    out: Path
    scale: str
    seed: int
    population_scale: float
    municipalities: tuple[MunicipalitySummary, ...]
    deliveries: tuple[DeliverySummary, ...]
    planted: tuple[PlantedRow, ...]
    warnings: tuple[PlantedWarning, ...]
    extra_columns: tuple[ExtraColumn, ...]
    statbank_files: tuple[Path, ...]
    wall_time_s: float

    @property
    def delivery_folders(self) -> tuple[Path, ...]:
        return tuple(d.folder for d in self.deliveries)

    @property
    def bad_rows_per_kind(self) -> dict[str, int]:
        return dict(sorted(Counter(p.kind for p in self.planted).items()))

    def bad_rows(self, municipality_code: int, file: str | None = None) -> tuple[PlantedRow, ...]:
        return tuple(
            p
            for p in self.planted
            if p.municipality_code == municipality_code and (file is None or p.file == file)
        )

    def newest(self, municipality_code: int) -> DeliverySummary:
        mine = [d for d in self.deliveries if d.municipality_code == municipality_code]
        return max(mine, key=lambda d: d.delivery_date)
