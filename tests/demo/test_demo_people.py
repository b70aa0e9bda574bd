"""CPR numbers: consistent with SPEC §3 and obviously synthetic; calendar helpers."""

from __future__ import annotations

from datetime import date

import numpy as np

from demo import cpr, dates
from demo.summary import DeliverySummary, DemoSummary
from tests.demo.demo_helpers import CONTRACT, parse_cpr, parse_date, read

PERSON_FILES = [name for name, columns in CONTRACT.items() if "cpr" in columns]


def test_every_cpr_follows_the_century_rule_and_is_a_counter(
    municipal: DemoSummary, newest: list[DeliverySummary]
) -> None:
    planted = {
        (p.municipality_code, p.file, p.line) for p in municipal.planted if p.column == "cpr"
    }
    for d in newest:
        for name in PERSON_FILES:
            f = read(d, f"{name}.csv")
            for line, value in zip(f.lines, f.column("cpr"), strict=True):
                if (d.municipality_code, f.info.name, line) in planted:
                    continue
                parsed = parse_cpr(value)
                assert parsed is not None, (name, value)
                born, serial = parsed
                seventh = serial // 1000
                # Children are born 1998-2025, adults in housing centres 1941-2005.
                low, high = (1941, 2005) if name == "housing_centre_stays" else (1998, 2025)
                assert low <= born.year <= high, (name, value)
                # The smallest serial the century digit allows, counted up: 0001.. or 4001..
                assert seventh == (4 if born.year >= 2000 else 0)
                assert 1 <= serial % 1000 <= 200


def test_no_two_municipalities_share_a_cpr_number(
    municipal: DemoSummary, newest: list[DeliverySummary]
) -> None:
    per_municipality = []
    for d in newest:
        f = read(d, "children.csv")
        planted = {p.line for p in municipal.bad_rows(d.municipality_code, "children.csv")}
        per_municipality.append(
            {
                v.replace("-", "")
                for line, v in zip(f.lines, f.column("cpr"), strict=True)
                if line not in planted
            }
        )
    total = sum(len(s) for s in per_municipality)
    assert len(set().union(*per_municipality)) == total


def test_serials_run_per_birth_day_and_sex_from_the_smallest_value() -> None:
    counter = cpr.SerialCounter()
    born_2012 = dates.day("2012-03-04")
    born_1999 = dates.day("1999-12-31")
    birth = np.array([born_2012, born_2012, born_2012, born_1999, born_2012, born_1999])
    male = np.array([True, False, True, True, False, False])
    serial = counter.assign(birth, male)
    assert serial.tolist() == [4001, 4002, 4003, 1, 4004, 2]
    # The counter is national: the next municipality continues where this one stopped.
    more = counter.assign(np.array([born_2012, born_1999]), np.array([True, True]))
    assert more.tolist() == [4005, 3]
    text = cpr.format_cpr(np.array([born_2012, born_1999]), more, hyphen=np.array([True, False]))
    assert text.tolist() == ["040312-4005", "3112990003"]


def test_century_rule_of_spec_section_3() -> None:
    assert cpr.century(0, 98) == 1900
    assert cpr.century(3, 10) == 1900
    assert cpr.century(4, 12) == 2000
    assert cpr.century(4, 37) == 1900
    assert cpr.century(9, 36) == 2000
    assert cpr.century(5, 57) == 2000
    assert cpr.century(8, 58) == 1800


def test_age_and_birthdays_follow_the_calendar() -> None:
    leap = np.array([dates.day("2008-02-29")])
    assert dates.to_date(int(dates.birthday(leap, 1)[0])) == date(2009, 3, 1)
    assert dates.age_on(leap, dates.day("2009-02-28")).tolist() == [0]
    assert dates.age_on(leap, dates.day("2009-03-01")).tolist() == [1]
    assert dates.age_on(leap, dates.day("2012-02-29")).tolist() == [4]
    formatted = dates.format_days(np.array([dates.day("2024-01-31"), dates.NO_DATE]), "%d.%m.%Y")
    assert formatted.tolist() == ["31.01.2024", ""]


def test_charges_are_of_14_to_17_year_olds(
    municipal: DemoSummary, newest: list[DeliverySummary]
) -> None:
    for d in newest:
        f = read(d, "charges.csv")
        planted = {p.line for p in municipal.bad_rows(d.municipality_code, "charges.csv")}
        for line, rec in zip(f.lines, f.records(), strict=True):
            if line in planted:
                continue
            parsed = parse_cpr(rec["cpr"])
            assert parsed is not None
            born = parsed[0]
            on = parse_date(rec["charge_date"], f.info)
            age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
            assert 14 <= age <= 17
