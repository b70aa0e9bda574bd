"""Which StatBank area codes are municipalities, which mean all Denmark, and which are neither.

StatBank area variables (`OMRÅDE`, `ADMKOM`) mix levels: all Denmark (`000`, in some tables `0`),
regions (`081`-`085` in FOLK1A; other tables may write them otherwise), landsdele, Christiansø
(`411`, which is not a municipality), unknown municipality (`998`) and the 98 municipalities.
Only the last are municipality rows (SPEC §6). Membership of the municipality seed decides,
not the number range, so a code DST adds later is left out and reported, never silently treated
as a municipality.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pipeline.paths import SEEDS_DIR


def _municipality_codes(path: Path) -> frozenset[str]:
    """The 98 municipalities since the 2007 reform: the municipality seed of SPEC §7."""
    with path.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["municipality_code"].zfill(3) for row in csv.DictReader(handle))


MUNICIPALITY_CODES: frozenset[str] = _municipality_codes(
    SEEDS_DIR / "reference" / "municipalities.csv"
)

NATIONAL_CODE = "000"


def normalise_area_code(raw: str) -> str:
    """Zero-pad numeric codes to three digits ('0' → '000', '81' → '081'); leave others as is."""
    code = raw.strip()
    return code.zfill(3) if code.isdigit() and len(code) < 3 else code
