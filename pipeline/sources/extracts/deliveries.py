"""Finding delivery folders in the landing area (SPEC §8).

A delivery is `<landing>/<municipality_code>/<delivery_date>/` holding the CSV files of input
contract v1. A later delivery replaces an earlier one for the same municipality, so only the
newest folder of each municipality is read.

A folder that cannot be a delivery (its name is not a `YYYY-MM-DD` date, the date is after
today, or it lies under a code that is not one of the 98 municipalities) is never read and never
silently skipped: `refused_folders` names each one with the reason, and the run warns. Skipping
it quietly would publish an older delivery as if it were the newest, and a date in the future
would switch off the rule that no date lies after the delivery date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.sources.statbank.areas import MUNICIPALITY_CODES

SUCCESS_MARKER = "_SUCCESS"
_MUNICIPALITY = re.compile(r"^\d{3}$")
# Folders of the landing area that are not municipalities: the StatBank snapshots.
_NOT_MUNICIPALITIES = frozenset({"statbank"})


@dataclass(frozen=True, order=True)
class Delivery:
    municipality_code: str
    delivery_date: dt.date
    path: Path

    @property
    def is_marked_complete(self) -> bool:
        """The municipality wrote `_SUCCESS` after the last file (see docs/deliveries.md)."""
        return (self.path / SUCCESS_MARKER).exists()

    @property
    def key(self) -> str:
        return f"{self.municipality_code}/{self.delivery_date.isoformat()}"


@dataclass(frozen=True, order=True)
class RefusedFolder:
    """A folder of the landing area that is not read as a delivery, and why."""

    path: str  # relative to the landing area, e.g. "101/08-01-2026"
    reason: str

    def describe(self) -> str:
        return f"folder {self.path} is not read: {self.reason}"


def scan_landing(
    landing: Path, today: dt.date | None = None
) -> tuple[list[Delivery], list[RefusedFolder]]:
    """Every delivery folder under `landing` (oldest first), and every folder refused."""
    current = today or dt.date.today()
    deliveries: list[Delivery] = []
    refused: list[RefusedFolder] = []
    if not landing.is_dir():
        return deliveries, refused
    for municipality_dir in sorted(landing.iterdir()):
        name = municipality_dir.name
        if not municipality_dir.is_dir() or name.startswith(".") or name in _NOT_MUNICIPALITIES:
            continue
        if not (_MUNICIPALITY.match(name) and name in MUNICIPALITY_CODES):
            refused.append(
                RefusedFolder(name, "not the code of one of the 98 municipalities (e.g. 101)")
            )
            continue
        for delivery_dir in sorted(municipality_dir.iterdir()):
            if not delivery_dir.is_dir() or delivery_dir.name.startswith("."):
                continue
            where = f"{name}/{delivery_dir.name}"
            date = _parse_date(delivery_dir.name)
            if date is None:
                refused.append(RefusedFolder(where, "its name is not a date as YYYY-MM-DD"))
            elif date > current:
                refused.append(RefusedFolder(where, f"it is dated after today ({current})"))
            else:
                deliveries.append(Delivery(name, date, delivery_dir))
    return sorted(deliveries), refused


def list_deliveries(landing: Path) -> list[Delivery]:
    """Every delivery folder under `landing`, oldest first; refused folders are left out (see
    `refused_folders`)."""
    return scan_landing(landing)[0]


def refused_folders(landing: Path, municipalities: list[str] | None = None) -> list[RefusedFolder]:
    """The folders of the landing area that are not read, each with the reason (optionally only
    those under the given municipalities)."""
    refused = scan_landing(landing)[1]
    if municipalities is None:
        return refused
    return [f for f in refused if f.path.split("/", 1)[0] in set(municipalities)]


def newest_deliveries(landing: Path, municipalities: list[str] | None = None) -> list[Delivery]:
    """The newest delivery of each municipality (optionally only of the given ones)."""
    newest: dict[str, Delivery] = {}
    for delivery in list_deliveries(landing):
        newest[delivery.municipality_code] = delivery
    chosen = sorted(newest.values())
    if municipalities is not None:
        chosen = [d for d in chosen if d.municipality_code in set(municipalities)]
    return chosen


def _parse_date(name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(name) if len(name) == 10 else None
    except ValueError:
        return None
