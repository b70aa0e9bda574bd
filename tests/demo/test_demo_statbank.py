"""StatBank files: the real BULK format, FOLK1A equal to the generated populations, and
placement counts that reconcile (by a few) with the case data."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from demo import dates, population, stats, world
from demo.profiles import load_profiles, read_municipalities
from demo.summary import DemoSummary
from tests.demo.demo_helpers import SEED, SMALL

HEADERS = {
    "FOLK1A": ["OMRÅDE", "KØN", "ALDER", "CIVILSTAND", "TID", "INDHOLD"],
    "ANBAAR12": ["ADMKOM", "ANBRINGELSE", "TID", "INDHOLD"],
    "ANBAAR9": ["ADMKOM", "ALERAMS", "TID", "INDHOLD"],
    "BU43": ["OMRÅDE", "FORANSTALT", "ALDER", "TID", "INDHOLD"],
}
MUNICIPALITIES = {code for code, _, _ in read_municipalities()}


def _rows(statbank_dir: Path, table: str) -> list[list[str]]:
    text = (statbank_dir / f"{table}.csv").read_bytes().decode("utf-8")
    header, *rows = [line.split(";") for line in text.splitlines()]
    assert header == HEADERS[table]
    return rows


@pytest.fixture(scope="module")
def worlds() -> dict[int, world.World]:
    """The histories the municipal demo was generated from (same seed, same scale)."""
    profiles = load_profiles()
    return {code: world.simulate(profiles[code], SEED, SMALL) for code in (101, 330, 860)}


def test_request_files_describe_a_real_bulk_request(statbank_dir: Path) -> None:
    for table, header in HEADERS.items():
        meta = json.loads((statbank_dir / f"{table}.request.json").read_text("utf-8"))
        assert meta["synthetic"] is True
        assert meta["generator"] == "noegletal demo-data"
        assert meta["seed"] == SEED
        assert "not Danmarks Statistik data" in meta["note"]
        request = meta["request"]
        assert request["table"] == table
        assert (request["format"], request["lang"], request["valuePresentation"]) == (
            "BULK",
            "da",
            "Code",
        )
        # BULK requires every variable, in table order.
        assert [v["code"] for v in request["variables"]] == header[:-1]


def test_folk1a_sums_equal_the_generated_populations(
    municipal: DemoSummary, statbank_dir: Path, worlds: dict[int, world.World]
) -> None:
    children: dict[tuple[str, str, str], int] = defaultdict(int)
    for area, sex, age, marital, tid, value in _rows(statbank_dir, "FOLK1A"):
        assert marital == "TOT"
        if age != "IALT":
            assert 0 <= int(age) <= 17
            children[area, sex, tid] += int(value)
    quarters = dict(population.quarter_days(2016, 2026, 1))
    assert (min(quarters), max(quarters)) == ("2016K1", "2026K1")
    for code, w in worlds.items():
        for tid, first_day in quarters.items():
            expected = int(population.count_by_age(w.population.birth, first_day).sum())
            assert children[str(code), "TOT", tid] == expected
            assert children[str(code), "1", tid] + children[str(code), "2", tid] == expected
    for m in municipal.municipalities:
        assert m.children_0_17 == children[str(m.code), "TOT", "2025K1"]
    for tid in quarters:
        national = sum(children[str(c), "TOT", tid] for c in MUNICIPALITIES)
        assert children["000", "TOT", tid] == national
        regions = sum(children[f"08{r}", "TOT", tid] for r in range(1, 6))
        assert regions == national


def test_national_population_is_about_1_15_million(statbank_dir: Path) -> None:
    total = sum(
        int(row[-1])
        for row in _rows(statbank_dir, "FOLK1A")
        if row[0] == "000" and row[1] == "TOT" and row[2] != "IALT" and row[4] == "2025K1"
    )
    assert 1.05e6 < total / SMALL < 1.25e6


def test_placement_tables_cover_all_municipalities_and_denmark(statbank_dir: Path) -> None:
    for table in ("ANBAAR12", "ANBAAR9"):
        rows = _rows(statbank_dir, table)
        areas = {row[0] for row in rows}
        assert areas == {str(c) for c in MUNICIPALITIES} | {"0", "998"}
        assert {row[2] for row in rows} == {str(y) for y in range(2016, 2025)}
        # Læsø has no row in 2016: not every municipality appears every year.
        assert not any(row[0] == "825" and row[2] == "2016" for row in rows)
        assert all(re.fullmatch(r"\d+|\.\.", row[-1]) for row in rows)
    assert any(row[-1] == ".." for row in _rows(statbank_dir, "ANBAAR12"))
    alerams = {row[1] for row in _rows(statbank_dir, "ANBAAR9")}
    assert alerams == {"0", "9917", "1822"}


def test_anbaar_counts_are_consistent(statbank_dir: Path) -> None:
    by_code: dict[tuple[str, str], int] = defaultdict(int)
    suppressed: set[tuple[str, str]] = set()
    for area, _, year, value in _rows(statbank_dir, "ANBAAR12"):
        if value == "..":
            suppressed.add((area, year))
        else:
            by_code[area, year] += int(value)
    totals = {}
    for area, group, year, value in _rows(statbank_dir, "ANBAAR9"):
        if value != "..":
            totals[area, group, year] = int(value)
    for (area, group, year), value in totals.items():
        if group == "0" and (area, "1822", year) in totals:
            assert value == totals[area, "9917", year] + totals[area, "1822", year]
        if group == "0" and (area, year) not in suppressed:
            assert by_code[area, year] == value
    for year in range(2016, 2025):
        everyone = sum(
            totals[str(c), "0", str(year)]
            for c in MUNICIPALITIES
            if (str(c), "0", str(year)) in totals
        )
        assert totals["0", "0", str(year)] == everyone + totals["998", "0", str(year)]


def test_anbaar9_reconciles_with_the_case_data_by_a_few(
    statbank_dir: Path, worlds: dict[int, world.World]
) -> None:
    published = {
        (area, year): int(value)
        for area, group, year, value in _rows(statbank_dir, "ANBAAR9")
        if group == "9917"
    }
    differences = []
    for code, w in worlds.items():
        for year in range(2016, 2025):
            own = stats.counts_on(w, dates.day(f"{year}-12-31")).placed
            differences.append(published[str(code), str(year)] - own)
    assert all(abs(d) <= 4 for d in differences)
    assert any(d != 0 for d in differences)


def test_bu43_percentages_use_a_decimal_comma(statbank_dir: Path) -> None:
    rows = _rows(statbank_dir, "BU43")
    assert {row[1] for row in rows} == {"IALT", "FORB", "ANBR"}
    assert {row[2] for row in rows} == {"TOT22", "9917", "1822"}
    assert {row[0] for row in rows} == {str(c) for c in MUNICIPALITIES} | {"000"}
    assert all(re.fullmatch(r"\d+,\d|\.\.", row[-1]) for row in rows)
    assert 0 < sum(row[-1] == ".." for row in rows) < 0.01 * len(rows)
    placed = [
        float(row[-1].replace(",", "."))
        for row in rows
        if row[1] == "ANBR" and row[2] == "9917" and row[-1] != ".."
    ]
    # Placed 0-17-year-olds: roughly 0.4-2 % of the age group in every municipality.
    assert 0.6 < sorted(placed)[len(placed) // 2] < 1.4
