"""Offline StatBank files (SPEC §6) in the real BULK text format, with synthetic numbers.

BULK answers are `;`-separated, the header is the table's variable ids in upper case
followed by TID and INDHOLD, values are codes (valuePresentation=Code), decimals use a
comma (lang=da) and `..` marks a value Danmarks Statistik suppressed. Beside each file goes
`<TABLE>.request.json`: the request a live run would have sent, marked as synthetic.

FOLK1A is counted from the very populations the case data was drawn from. For the
municipalities with case data, the placement tables start from the generator's own
31 December counts (0-17-year-olds after the exclusions of SPEC §3) and are then nudged by
a few, so reconciliation (SPEC §5) has something to find. The other municipalities get
plausible synthetic numbers from their profile, so the benchmark has all 98.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from demo import codes, population
from demo.profiles import MunicipalityProfile
from demo.sampling import stream

YEARS = tuple(range(2016, 2025))  # published year-end figures (2025 is not out in January 2026)
QUARTERS = population.quarter_days(2016, 2026, 1)  # 2016K1 ... 2026K1
NOTE = "Synthetic numbers in the real StatBank BULK format; not Danmarks Statistik data"
SMALL_ISLANDS = (741, 825)  # Samsø, Læsø: where the demo suppresses small cells
SUPPRESSED_SHARES = 825  # Læsø: its 18-22 shares in BU43 are suppressed
MISSING_IN_2016 = 825  # Læsø has no row in the 2016 placement tables
REGION_ORDER = (1084, 1085, 1083, 1082, 1081)  # DST's order: Hovedstaden first

# Stock mix of placed 0-17-year-olds by DST ANBRINGELSE code, for municipalities without
# case data (shares roughly as in the generator's own output; foster families were
# relabelled almen/forstærket/specialiseret from 2020).
_MIX_BEFORE_2020 = {
    21: 0.36,
    22: 0.05,
    1: 0.09,
    9: 0.19,
    7: 0.02,
    8: 0.015,
    27: 0.185,
    6: 0.035,
    11: 0.015,
    99: 0.03,
}
_MIX_FROM_2020 = {
    21: 0.0,
    23: 0.22,
    24: 0.10,
    25: 0.04,
    26: 0.005,
    22: 0.05,
    1: 0.09,
    9: 0.17,
    7: 0.02,
    8: 0.015,
    27: 0.185,
    6: 0.035,
    11: 0.015,
    99: 0.03,
}
# 18-22-year-olds in continued placement (efterværn), by code.
_AFTERCARE_MIX = {6: 0.40, 21: 0.25, 27: 0.15, 9: 0.10, 1: 0.05, 99: 0.05}
DST_CODES = tuple(code for code, _ in codes.DST_PLACEMENT_CODES)


@dataclass
class Figures:
    """One municipality's numbers for the four tables."""

    profile: MunicipalityProfile
    folk: np.ndarray  # (quarter, sex TOT/1/2, age 0-17)
    placed_by_code: dict[int, dict[int, int]] = field(default_factory=dict)  # year -> code -> n
    home_not_placed: dict[int, int] = field(default_factory=dict)  # year -> persons

    def children(self, year: int) -> int:
        """0-17-year-olds on 1 January of the next year (the year-end denominator)."""
        q = [tid for tid, _ in QUARTERS].index(f"{year + 1}K1")
        return int(self.folk[q, 0].sum())


def folk(pop: population.Population) -> np.ndarray:
    out = np.zeros((len(QUARTERS), 3, 18), dtype=np.int64)
    boys = pop.birth[pop.male]
    girls = pop.birth[~pop.male]
    for q, (_, first_day) in enumerate(QUARTERS):
        out[q, 1] = population.count_by_age(boys, first_day)
        out[q, 2] = population.count_by_age(girls, first_day)
    out[:, 0] = out[:, 1] + out[:, 2]
    return out


def synthetic_figures(profile: MunicipalityProfile, seed: int, population_scale: float) -> Figures:
    """Figures for a municipality without case data (its population is still generated,
    exactly as it would be for case data, so FOLK1A does not depend on the scale chosen)."""
    pop = population.generate(
        profile.children_0_17 * population_scale, stream(seed, profile.code, "population")
    )
    fig = Figures(profile=profile, folk=folk(pop))
    rng = stream(seed, profile.code, "statbank-synthetic")
    for year in YEARS:
        # After the exclusions (refugees, disability) about 95 % of placed children count.
        expected = profile.placed_per_1000 * 0.95 * fig.children(year) / 1000
        placed = int(rng.poisson(expected))
        mix = _MIX_BEFORE_2020 if year < 2020 else _MIX_FROM_2020
        keys = list(mix)
        counts = rng.multinomial(placed, np.array(list(mix.values())) / sum(mix.values()))
        fig.placed_by_code[year] = {k: int(c) for k, c in zip(keys, counts, strict=True)}
        fig.home_not_placed[year] = int(rng.poisson(placed * (profile.home_based_ratio - 0.1)))
    return fig


def _area_order(profiles: dict[int, MunicipalityProfile]) -> list[tuple[str, list[int]]]:
    """(area code, municipalities summed into it): all Denmark, then each region followed by
    its municipalities, as FOLK1A lists them."""
    out: list[tuple[str, list[int]]] = [("000", sorted(profiles))]
    for region in REGION_ORDER:
        members = sorted(c for c, p in profiles.items() if p.region_code == region)
        out.append((f"{region - 1000:03d}", members))
        out += [(str(c), [c]) for c in members]
    return out


def _percent(numerator: float, denominator: float) -> str:
    if denominator <= 0:
        return ".."
    return f"{100 * numerator / denominator:.1f}".replace(".", ",")


def _write(
    out_dir: Path,
    table: str,
    header: list[str],
    rows: list[list[str]],
    variables: list[dict[str, object]],
    seed: int,
) -> list[Path]:
    csv_path = out_dir / f"{table}.csv"
    text = "\n".join(";".join(r) for r in [header, *rows]) + "\n"
    csv_path.write_bytes(text.encode("utf-8"))
    request = {
        "synthetic": True,
        "generator": "noegletal demo-data",
        "seed": seed,
        "note": NOTE,
        "request": {
            "table": table,
            "format": "BULK",
            "lang": "da",
            "valuePresentation": "Code",
            "variables": variables,
        },
    }
    json_path = out_dir / f"{table}.request.json"
    json_path.write_text(json.dumps(request, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [csv_path, json_path]


@dataclass(frozen=True)
class YearEnd:
    """One area's numbers on 31 December of one year."""

    young: dict[int, int]  # DST code -> placed 0-17-year-olds (DST's count)
    aftercare: dict[int, int]  # DST code -> placed 18-22-year-olds (efterværn)
    home_not_placed: int  # 0-17-year-olds with support at home (støttende indsatser)
    support_18_22: int  # 18-22-year-olds with other aftercare support
    children: int  # 0-17-year-olds
    youth: int  # 18-22-year-olds

    @property
    def placed_0_17(self) -> int:
        return sum(self.young.values())

    @property
    def placed_18_22(self) -> int:
        return sum(self.aftercare.values())

    def by_code(self, code: int) -> int:
        return self.young.get(code, 0) + self.aftercare.get(code, 0)


def _sum(parts: list[YearEnd]) -> YearEnd:
    return YearEnd(
        young={k: sum(p.young.get(k, 0) for p in parts) for k in DST_CODES},
        aftercare={k: sum(p.aftercare.get(k, 0) for p in parts) for k in DST_CODES},
        home_not_placed=sum(p.home_not_placed for p in parts),
        support_18_22=sum(p.support_18_22 for p in parts),
        children=sum(p.children for p in parts),
        youth=sum(p.youth for p in parts),
    )


def year_ends(
    figures: dict[int, Figures], rng: np.random.Generator
) -> dict[int, dict[int, YearEnd]]:
    """Every municipality's year-end numbers (and 998, unknown administering municipality)."""
    out: dict[int, dict[int, YearEnd]] = {}
    for code, fig in sorted(figures.items()):
        out[code] = {}
        for year in YEARS:
            young = {k: fig.placed_by_code[year].get(k, 0) for k in DST_CODES}
            # Danmarks Statistik's count differs from the municipality's own by a few
            # (late registrations, moves between municipalities): nudge the largest code.
            largest = max(young, key=lambda k: young[k])
            young[largest] = max(young[largest] + int(rng.integers(-4, 5)), 0)
            youth_factor = fig.profile.youth_factor
            n_after = int(rng.poisson(0.23 * sum(young.values()) * min(youth_factor, 1.2)))
            mix = dict(_AFTERCARE_MIX)
            if year >= 2020:
                mix[23] = mix.pop(21)
            split = rng.multinomial(n_after, np.array(list(mix.values())) / sum(mix.values()))
            children = fig.children(year)
            out[code][year] = YearEnd(
                young=young,
                aftercare={k: int(c) for k, c in zip(mix, split, strict=True)},
                home_not_placed=fig.home_not_placed[year],
                support_18_22=int(rng.poisson(0.8 * n_after)),
                children=children,
                youth=round(children * 5 / 18 * youth_factor),
            )
    out[998] = {
        year: YearEnd(
            young={
                k: int(v) for k, v in zip(DST_CODES, rng.poisson(0.3, len(DST_CODES)), strict=True)
            },
            aftercare={6: int(rng.poisson(2))},
            home_not_placed=0,
            support_18_22=0,
            children=0,
            youth=0,
        )
        for year in YEARS
    }
    return out


def write(
    out_dir: Path,
    figures: dict[int, Figures],
    profiles: dict[int, MunicipalityProfile],
    seed: int,
) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    ends = year_ends(figures, stream(seed, 0, "statbank"))
    return [
        *_folk1a(out_dir, figures, profiles, seed),
        *_anbaar12(out_dir, ends, profiles, seed),
        *_anbaar9(out_dir, ends, profiles, seed),
        *_bu43(out_dir, ends, profiles, seed),
    ]


def _folk1a(
    out_dir: Path, figures: dict[int, Figures], profiles: dict[int, MunicipalityProfile], seed: int
) -> list[Path]:
    rows = []
    areas = _area_order(profiles)
    tids = [tid for tid, _ in QUARTERS]
    for area, members in areas:
        counts = sum(figures[c].folk for c in members)
        # All ages (IALT): the children scaled up by the municipality's adults; a synthetic
        # total, there because a real FOLK1A request for 0-17 usually brings IALT along.
        total = sum(
            np.rint(
                figures[c].folk.sum(axis=2) * profiles[c].inhabitants / profiles[c].children_0_17
            )
            for c in members
        ).astype(np.int64)
        total[:, 0] = total[:, 1] + total[:, 2]
        for s, sex in enumerate(("TOT", "1", "2")):
            for age in ["IALT", *map(str, range(18))]:
                for q, tid in enumerate(tids):
                    value = total[q, s] if age == "IALT" else counts[q, s, int(age)]
                    rows.append([area, sex, age, "TOT", tid, str(int(value))])
    variables = [
        {"code": "OMRÅDE", "values": [a for a, _ in areas]},
        {"code": "KØN", "values": ["TOT", "1", "2"]},
        {"code": "ALDER", "values": ["IALT", *map(str, range(18))]},
        {"code": "CIVILSTAND", "values": ["TOT"]},
        {"code": "TID", "values": tids},
    ]
    header = ["OMRÅDE", "KØN", "ALDER", "CIVILSTAND", "TID", "INDHOLD"]
    return _write(out_dir, "FOLK1A", header, rows, variables, seed)


def _admkom(profiles: dict[int, MunicipalityProfile]) -> list[tuple[str, list[int]]]:
    """All Denmark (code 0: every municipality and the unknown), each municipality, 998."""
    everyone = [*sorted(profiles), 998]
    return [("0", everyone), *[(str(c), [c]) for c in sorted(profiles)], ("998", [998])]


def _shown(area: str, value: int) -> str:
    """Small cells of the smallest municipalities are suppressed, as DST does."""
    if area.isdigit() and int(area) in SMALL_ISLANDS and 1 <= value <= 2:
        return ".."
    return str(value)


def _present(area: str, year: int) -> bool:
    return not (area == str(MISSING_IN_2016) and year == 2016)


def _anbaar12(
    out_dir: Path,
    ends: dict[int, dict[int, YearEnd]],
    profiles: dict[int, MunicipalityProfile],
    seed: int,
) -> list[Path]:
    rows = []
    for area, members in _admkom(profiles):
        for dst in DST_CODES:
            for year in YEARS:
                if _present(area, year):
                    value = sum(ends[m][year].by_code(dst) for m in members)
                    rows.append([area, str(dst), str(year), _shown(area, value)])
    variables = [
        {"code": "ADMKOM", "values": ["*"]},
        {"code": "ANBRINGELSE", "values": [str(c) for c in DST_CODES]},
        {"code": "TID", "values": [str(y) for y in YEARS]},
    ]
    header = ["ADMKOM", "ANBRINGELSE", "TID", "INDHOLD"]
    return _write(out_dir, "ANBAAR12", header, rows, variables, seed)


def _anbaar9(
    out_dir: Path,
    ends: dict[int, dict[int, YearEnd]],
    profiles: dict[int, MunicipalityProfile],
    seed: int,
) -> list[Path]:
    rows = []
    for area, members in _admkom(profiles):
        for group in ("0", "9917", "1822"):
            for year in YEARS:
                if not _present(area, year):
                    continue
                part = _sum([ends[m][year] for m in members])
                value = {
                    "0": part.placed_0_17 + part.placed_18_22,
                    "9917": part.placed_0_17,
                    "1822": part.placed_18_22,
                }[group]
                text = _shown(area, value) if group == "1822" else str(value)
                rows.append([area, group, str(year), text])
    variables = [
        {"code": "ADMKOM", "values": ["*"]},
        {"code": "ALERAMS", "values": ["0", "9917", "1822"]},
        {"code": "TID", "values": [str(y) for y in YEARS]},
    ]
    return _write(
        out_dir, "ANBAAR9", ["ADMKOM", "ALERAMS", "TID", "INDHOLD"], rows, variables, seed
    )


def _bu43(
    out_dir: Path,
    ends: dict[int, dict[int, YearEnd]],
    profiles: dict[int, MunicipalityProfile],
    seed: int,
) -> list[Path]:
    rows = []
    areas = [("000", sorted(profiles)), *[(str(c), [c]) for c in sorted(profiles)]]
    for area, members in areas:
        for measure in ("IALT", "FORB", "ANBR"):
            for age in ("TOT22", "9917", "1822"):
                for year in YEARS:
                    e = _sum([ends[m][year] for m in members])
                    young = {
                        "IALT": e.placed_0_17 + e.home_not_placed,
                        "FORB": e.home_not_placed,
                        "ANBR": e.placed_0_17,
                    }[measure]
                    old = {
                        "IALT": e.placed_18_22 + e.support_18_22,
                        "FORB": e.support_18_22,
                        "ANBR": e.placed_18_22,
                    }[measure]
                    if age == "9917":
                        text = _percent(young, e.children)
                    elif area == str(SUPPRESSED_SHARES) and age == "1822":
                        text = ".."  # too few 18-22-year-olds to publish
                    elif age == "1822":
                        text = _percent(old, e.youth)
                    else:
                        text = _percent(young + old, e.children + e.youth)
                    rows.append([area, measure, age, str(year), text])
    variables = [
        {"code": "OMRÅDE", "values": [a for a, _ in areas]},
        {"code": "FORANSTALT", "values": ["IALT", "FORB", "ANBR"]},
        {"code": "ALDER", "values": ["TOT22", "9917", "1822"]},
        {"code": "TID", "values": [str(y) for y in YEARS]},
    ]
    header = ["OMRÅDE", "FORANSTALT", "ALDER", "TID", "INDHOLD"]
    return _write(out_dir, "BU43", header, rows, variables, seed)
