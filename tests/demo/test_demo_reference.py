"""The municipality seed, the README's dialect tables, and a national-scale run."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

from demo import codes, dialects, write_demo_data
from demo.profiles import MUNICIPALITIES_SEED, load_profiles
from pipeline.paths import PROJECT_DIR


def test_municipality_seed_lists_the_98_municipalities() -> None:
    with MUNICIPALITIES_SEED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [
        "municipality_code",
        "name",
        "region_code",
        "region_name",
        "dst_region_code",
        "source",
    ]
    names = {int(r["municipality_code"]): r["name"] for r in rows}
    assert len(rows) == len(names) == 98
    assert 411 not in names  # Christiansø is not a municipality
    expected = {
        101: "København",
        147: "Frederiksberg",
        330: "Slagelse",
        400: "Bornholm",
        461: "Odense",
        751: "Aarhus",
        851: "Aalborg",
        860: "Hjørring",
        825: "Læsø",
    }
    assert {code: names[code] for code in expected} == expected
    regions = Counter((r["region_code"], r["region_name"]) for r in rows)
    assert regions == {
        ("1081", "Region Nordjylland"): 11,
        ("1082", "Region Midtjylland"): 19,
        ("1083", "Region Syddanmark"): 22,
        ("1084", "Region Hovedstaden"): 29,
        ("1085", "Region Sjælland"): 17,
    }
    assert all(r["source"] for r in rows)


def test_the_generators_placement_type_numbers_index_the_seeds_types() -> None:
    # codes.PLACEMENT_TYPE_CODES is the placement_type_codes seed, in its order; the generator's
    # numbers must still name the same types if a row of the seed moves.
    numbers = {
        "FOSTER_FAMILY": codes.FOSTER_FAMILY,
        "MUNICIPAL_FOSTER_FAMILY": codes.MUNICIPAL_FOSTER_FAMILY,
        "NETWORK_FOSTER_FAMILY": codes.NETWORK_FOSTER_FAMILY,
        "RESIDENTIAL_INSTITUTION": codes.RESIDENTIAL_INSTITUTION,
        "SECURE_INSTITUTION": codes.SECURE_INSTITUTION,
        "SOCIAL_PEDAGOGICAL_HOME": codes.SOCIAL_PEDAGOGICAL_HOME,
        "OWN_ROOM": codes.OWN_ROOM,
        "BOARDING_SCHOOL": codes.BOARDING_SCHOOL,
        "OTHER": codes.OTHER_PLACEMENT,
    }
    assert {name: codes.PLACEMENT_TYPE_CODES[n] for name, n in numbers.items()} == {
        name: name for name in numbers
    }
    assert len(codes.PLACEMENT_TYPE_CODES) == len(codes.PLACEMENT_LABELS) == len(numbers)


def test_profiles_give_about_1_15_million_children() -> None:
    profiles = load_profiles()
    total = sum(p.children_0_17 for p in profiles.values())
    assert 1_100_000 < total < 1_200_000
    assert profiles[101].children_0_17 == 105_000
    assert profiles[400].region_code == 1084


def test_readme_shows_the_dialects_the_code_writes() -> None:
    readme = (PROJECT_DIR / "demo" / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- dialects:start -->\n")[1].split("<!-- dialects:end -->")[0]
    names = {code: p.name for code, p in load_profiles().items()}
    assert block == dialects.markdown_tables([101, 330, 860], names)


def test_national_scale_writes_one_clean_delivery_per_municipality(tmp_path: Path) -> None:
    """A slice of the national run, with the smallest municipalities (Læsø, Fanø, Samsø)."""
    summary = write_demo_data(
        tmp_path, "national", population_scale=0.05, municipalities=[101, 563, 741, 825]
    )
    assert [d.municipality_code for d in summary.deliveries] == [101, 563, 741, 825]
    assert {d.delivery_date for d in summary.deliveries} == {date(2026, 1, 8)}
    assert summary.planted == () and summary.warnings == ()
    for d in summary.deliveries:
        assert (d.folder / "_SUCCESS").exists()
        assert len(d.files) == 16
    # The benchmark still has all 98 municipalities.
    folk = (tmp_path / "statbank" / "FOLK1A.csv").read_text(encoding="utf-8").splitlines()
    areas = {line.split(";")[0] for line in folk[1:]}
    assert len(areas - {"000", "081", "082", "083", "084", "085"}) == 98
