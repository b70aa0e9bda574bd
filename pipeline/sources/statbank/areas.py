"""Which StatBank area codes are municipalities, which mean all Denmark, and which are neither.

StatBank area variables (`OMRÅDE`, `ADMKOM`) mix levels: all Denmark (`000`, in some tables `0`),
regions (`081`-`085` in FOLK1A; other tables may write them otherwise), landsdele, Christiansø
(`411`, which is not a municipality), unknown municipality (`998`) and the 98 municipalities.
Only the last are municipality rows (SPEC §6). Membership of the fixed list below decides,
not the number range, so a code DST adds later is left out and reported, never silently treated
as a municipality.
"""

from __future__ import annotations

# The 98 municipalities since the 2007 reform, with DST's codes (Danmarks Statistik,
# "Kommuner og regioner"; the municipality seed of SPEC §7 holds names beside them).
_MUNICIPALITIES_BY_REGION: dict[str, str] = {
    "Hovedstaden": "101 147 151 153 155 157 159 161 163 165 167 169 173 175 183 185 187 190 201"
    " 210 217 219 223 230 240 250 260 270 400",
    "Sjælland": "253 259 265 269 306 316 320 326 329 330 336 340 350 360 370 376 390",
    "Syddanmark": "410 420 430 440 450 461 479 480 482 492 510 530 540 550 561 563 573 575 580"
    " 607 621 630",
    "Midtjylland": "615 657 661 665 671 706 707 710 727 730 740 741 746 751 756 760 766 779 791",
    "Nordjylland": "773 787 810 813 820 825 840 846 849 851 860",
}
MUNICIPALITY_CODES: frozenset[str] = frozenset(
    code for codes in _MUNICIPALITIES_BY_REGION.values() for code in codes.split()
)

NATIONAL_CODE = "000"


def normalise_area_code(raw: str) -> str:
    """Zero-pad numeric codes to three digits ('0' → '000', '81' → '081'); leave others as is."""
    code = raw.strip()
    return code.zfill(3) if code.isdigit() and len(code) < 3 else code
