"""Who the demo municipalities are: size, and the rates the synthetic case data aims at.

The municipality list itself is reference data (dbt_project/seeds/reference/municipalities.csv);
this module only adds what a generator needs. The sizes are rounded approximations of each
municipality's 0-17-year-olds and inhabitants (FOLK1A, around 2024), scaled so that the
country has about 1.15 million 0-17-year-olds; the placement rates are plausible values
in the range Danmarks Statistik publishes (low in the wealthy northern suburbs of
Copenhagen, high on Lolland-Falster and in other peripheral municipalities). They are
the generator's parameters, not published figures: see README.md.
"""

from __future__ import annotations

import csv
import zlib
from dataclasses import dataclass
from pathlib import Path

from pipeline.paths import SEEDS_DIR

MUNICIPALITIES_SEED = SEEDS_DIR / "reference" / "municipalities.csv"

# The municipal demo: the three municipalities of the source documents (SPEC §1, seeds 000-004).
DEMO_MUNICIPALITIES = (101, 330, 860)

# code: (0-17-year-olds, inhabitants, target placed per 1000 0-17-year-olds)
_SIZES: dict[int, tuple[int, int, float]] = {
    101: (105000, 667000, 8.5),
    147: (16500, 105000, 6.0),
    151: (10500, 52000, 9.0),
    153: (8300, 39500, 11.5),
    155: (3300, 14500, 5.0),
    157: (17200, 75000, 4.5),
    159: (14700, 70000, 7.0),
    161: (4700, 24000, 9.0),
    163: (6100, 30500, 8.5),
    165: (6000, 28000, 12.0),
    167: (11100, 54000, 10.0),
    169: (12200, 57000, 10.5),
    173: (11000, 57500, 5.5),
    175: (8500, 41500, 9.5),
    183: (5500, 24000, 12.0),
    185: (8700, 44000, 8.5),
    187: (3900, 17000, 6.0),
    190: (9100, 41500, 5.5),
    201: (6100, 26000, 5.0),
    210: (8500, 41000, 9.0),
    217: (12400, 64000, 10.0),
    219: (11500, 52500, 8.0),
    223: (5400, 25500, 4.5),
    230: (13100, 57000, 4.5),
    240: (10100, 44000, 6.5),
    250: (9400, 46000, 9.0),
    253: (11000, 51500, 8.0),
    259: (12900, 62000, 9.0),
    260: (5600, 31500, 13.0),
    265: (17800, 91000, 7.5),
    269: (5600, 24000, 6.0),
    270: (7900, 41000, 9.5),
    306: (5400, 33000, 15.0),
    316: (14800, 73000, 11.0),
    320: (7600, 37500, 11.5),
    326: (9200, 49000, 14.0),
    329: (7600, 35500, 11.0),
    330: (16000, 80000, 12.5),
    336: (4500, 23000, 10.0),
    340: (6100, 30500, 10.5),
    350: (6300, 29000, 6.5),
    360: (5900, 40000, 19.0),
    370: (16500, 84000, 12.0),
    376: (10000, 60000, 16.0),
    390: (7800, 46000, 14.0),
    400: (6000, 39000, 14.0),
    410: (8300, 40000, 8.0),
    420: (7900, 41000, 11.0),
    430: (9900, 51500, 10.5),
    440: (4500, 24000, 10.0),
    450: (6200, 32500, 11.0),
    461: (37300, 207000, 12.0),
    479: (10900, 59000, 12.5),
    480: (5700, 29500, 11.0),
    482: (1700, 12000, 18.0),
    492: (870, 6000, 12.0),
    510: (10700, 56000, 11.5),
    530: (6000, 27000, 9.0),
    540: (14000, 74000, 10.5),
    550: (6900, 37000, 11.0),
    561: (22800, 116000, 11.0),
    563: (680, 3500, 8.0),
    573: (10100, 50000, 8.5),
    575: (9000, 43000, 9.5),
    580: (11100, 58500, 11.5),
    607: (10500, 52500, 11.5),
    615: (20200, 97000, 10.0),
    621: (19400, 95000, 9.0),
    630: (25600, 122000, 8.5),
    657: (18600, 90000, 9.0),
    661: (11900, 59000, 10.0),
    665: (3700, 19500, 10.5),
    671: (4000, 21000, 11.0),
    706: (8300, 43500, 9.5),
    707: (6700, 37000, 13.0),
    710: (11900, 50500, 7.0),
    727: (5100, 23500, 7.5),
    730: (19900, 100000, 12.0),
    740: (21300, 99500, 8.0),
    741: (480, 3700, 10.0),
    746: (15100, 64500, 6.5),
    751: (66800, 370000, 8.0),
    756: (8900, 42000, 10.0),
    760: (11300, 56000, 9.0),
    766: (10400, 47500, 8.5),
    773: (3700, 20000, 13.0),
    779: (8900, 46000, 11.5),
    787: (8100, 43500, 11.0),
    791: (20300, 98000, 9.5),
    810: (7600, 36500, 11.5),
    813: (9800, 58500, 14.0),
    820: (7100, 36500, 12.0),
    825: (190, 1750, 10.0),
    840: (6700, 30500, 8.0),
    846: (7800, 41500, 11.0),
    849: (7500, 38500, 11.0),
    851: (40700, 223000, 10.0),
    860: (13500, 64500, 11.5),
}

# The three demo municipalities get hand-set parameters that echo their documents: Copenhagen
# investigates quickly (seed 000: 95 % on time in 2011), Slagelse slowly (seed 001: 83 of 404,
# 20 %, on time in 2019, 10 within 6 weeks), Hjørring in between.
_DEMO_OVERRIDES: dict[int, dict[str, float]] = {
    101: {"on_time": 0.80, "six_weeks": 0.12, "offers_per_1000": 10.0, "home_based_ratio": 2.5},
    330: {"on_time": 0.30, "six_weeks": 0.04, "offers_per_1000": 7.0, "home_based_ratio": 2.3},
    860: {"on_time": 0.65, "six_weeks": 0.10, "offers_per_1000": 8.0, "home_based_ratio": 2.4},
}


@dataclass(frozen=True)
class MunicipalityProfile:
    code: int
    name: str
    region_code: int
    children_0_17: int
    inhabitants: int
    placed_per_1000: float
    home_based_ratio: float  # persons with home-based measures per placed person
    offers_per_1000: float  # active § 11, stk. 3 offers per 1000 0-17-year-olds
    on_time: float  # share of child investigations completed within 4 months
    six_weeks: float  # share completed within 6 weeks (a subset of on_time)
    caseworker_turnover: float  # changes of responsible caseworker per case-year
    youth_factor: float  # 18-22-year-olds relative to an average municipality


def read_municipalities(path: Path = MUNICIPALITIES_SEED) -> list[tuple[int, str, int]]:
    """(code, name, region code) of every municipality in the reference seed."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            (int(row["municipality_code"]), row["name"], int(row["region_code"]))
            for row in csv.DictReader(handle)
        ]
    return sorted(rows)


def _unit(code: int, salt: str) -> float:
    """A stable pseudo-random number in [0, 1) per municipality (no global RNG state)."""
    return (zlib.crc32(f"{salt}:{code}".encode()) % 10_000) / 10_000


def load_profiles(path: Path = MUNICIPALITIES_SEED) -> dict[int, MunicipalityProfile]:
    municipalities = read_municipalities(path)
    codes = {code for code, _, _ in municipalities}
    if codes != set(_SIZES):
        missing = sorted(codes ^ set(_SIZES))
        raise ValueError(f"municipality seed and demo sizes disagree on codes {missing}")
    university = {101: 1.6, 147: 1.7, 461: 1.5, 751: 1.7, 851: 1.6}
    profiles = {}
    for code, name, region in municipalities:
        children, inhabitants, placed = _SIZES[code]
        params = {
            "on_time": 0.5 + 0.4 * _unit(code, "on_time"),
            "six_weeks": 0.04 + 0.10 * _unit(code, "six_weeks"),
            "offers_per_1000": 5.0 + 6.0 * _unit(code, "offers"),
            "home_based_ratio": 2.2 + 0.6 * _unit(code, "home_based"),
        }
        params.update(_DEMO_OVERRIDES.get(code, {}))
        profiles[code] = MunicipalityProfile(
            code=code,
            name=name,
            region_code=region,
            children_0_17=children,
            inhabitants=inhabitants,
            placed_per_1000=placed,
            home_based_ratio=params["home_based_ratio"],
            offers_per_1000=params["offers_per_1000"],
            on_time=params["on_time"],
            six_weeks=params["six_weeks"],
            caseworker_turnover=0.3 + 0.5 * _unit(code, "turnover"),
            youth_factor=university.get(code, 0.85),
        )
    return profiles
