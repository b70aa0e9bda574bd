"""Finding delivery folders in the landing area (SPEC §8).

A delivery is `<landing>/<municipality_code>/<delivery_date>/` holding the CSV files of input
contract v1. A later delivery replaces an earlier one for the same municipality, so only the
newest folder of each municipality is read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

SUCCESS_MARKER = "_SUCCESS"
_MUNICIPALITY = re.compile(r"^\d{3}$")


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


def list_deliveries(landing: Path) -> list[Delivery]:
    """Every delivery folder under `landing`, oldest first; other folders are ignored."""
    deliveries = []
    if not landing.is_dir():
        return deliveries
    for municipality_dir in landing.iterdir():
        if not (municipality_dir.is_dir() and _MUNICIPALITY.match(municipality_dir.name)):
            continue
        for delivery_dir in municipality_dir.iterdir():
            date = _parse_date(delivery_dir.name)
            if delivery_dir.is_dir() and date is not None:
                deliveries.append(Delivery(municipality_dir.name, date, delivery_dir))
    return sorted(deliveries)


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
