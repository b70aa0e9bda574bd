"""The deliveries: complete, readable as declared, as messy as SPEC §8 says, reproducible."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from demo import write_demo_data
from demo.summary import DeliverySummary, DemoSummary
from tests.demo.demo_helpers import CONTRACT, SEED, parse_date, read

ALL_FILES = [f"{name}.csv" for name in CONTRACT]


def _digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    a = write_demo_data(tmp_path / "a", "municipal", SEED, population_scale=0.01)
    b = write_demo_data(tmp_path / "b", "municipal", SEED, population_scale=0.01)
    c = write_demo_data(tmp_path / "c", "municipal", SEED + 1, population_scale=0.01)
    first, second, other = _digest(a.out), _digest(b.out), _digest(c.out)
    assert len(first) == 2 * 3 * (len(ALL_FILES) + 1) + 8
    assert first == second
    assert first.keys() == other.keys()
    assert first != other
    assert a.planted == b.planted


def test_municipal_demo_has_two_deliveries_per_municipality(municipal: DemoSummary) -> None:
    assert [m.code for m in municipal.municipalities] == [101, 330, 860]
    assert [(d.municipality_code, d.delivery_date) for d in municipal.deliveries] == [
        (code, day) for code in (101, 330, 860) for day in (date(2025, 9, 5), date(2026, 1, 8))
    ]
    for d in municipal.deliveries:
        assert d.folder == municipal.out / str(d.municipality_code) / d.delivery_date.isoformat()


def test_every_core_and_optional_file_and_the_success_marker(municipal: DemoSummary) -> None:
    for d in municipal.deliveries:
        written = sorted(p.name for p in d.folder.iterdir())
        assert written == sorted([*ALL_FILES, "_SUCCESS"])
        marker = d.folder / "_SUCCESS"
        assert marker.read_bytes() == b""
        # Written last: no data file is newer than the marker.
        assert all(
            (d.folder / f).stat().st_mtime_ns <= marker.stat().st_mtime_ns for f in ALL_FILES
        )


def test_files_parse_with_their_declared_encoding_and_delimiter(municipal: DemoSummary) -> None:
    for d in municipal.deliveries:
        extra = {
            e.file: e.column
            for e in municipal.extra_columns
            if e.municipality_code == d.municipality_code
        }
        for name in ALL_FILES:
            f = read(d, name)
            raw = (d.folder / name).read_bytes()
            assert raw.startswith(b"\xef\xbb\xbf") == (f.info.encoding == "utf-8-sig")
            expected = [c for c in CONTRACT[name[:-4]] if c in f.columns or c != "case_id"]
            if name in extra:
                expected.append(extra[name])
            assert f.columns == expected, name
            assert f.info.rows == len(f.rows)
            assert all(len(row) == len(f.columns) for row in f.rows), name
            assert raw.count(f.info.line_ending.encode()) == len(f.rows) + 1


def test_danish_letters_survive_in_every_encoding(newest: list[DeliverySummary]) -> None:
    seen = set()
    for d in newest:
        for name in ("measures.csv", "investigations.csv", "youth_education.csv"):
            f = read(d, name)
            text = " ".join(" ".join(row) for row in f.rows)
            if any(ch in text for ch in "æøåÆØÅ§"):
                seen.add(f.info.encoding)
    assert seen == {"utf-8", "utf-8-sig", "cp1252"}
    labels = {v for d in newest for v in read(d, "measures.csv").column("placement_type")}
    assert {"døgninstitution", "socialpædagogisk opholdssted"} <= labels


def test_every_variant_of_the_contract_appears(newest: list[DeliverySummary]) -> None:
    infos = [(name, d.file(name)) for d in newest for name in ALL_FILES]
    assert {i.encoding for _, i in infos} == {"utf-8-sig", "utf-8", "cp1252"}
    assert {i.delimiter for _, i in infos} == {";", ","}
    assert {i.date_format for _, i in infos} == {"%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"}
    decimal_files = ("expenses.csv", "school_absence.csv", "wellbeing.csv")
    combos = {(i.delimiter, i.decimal) for n, i in infos if n in decimal_files}
    assert combos == {(";", ","), (";", "."), (",", ","), (",", ".")}
    bool_files = ("children.csv", "measures.csv", "school_absence.csv", "school_completion.csv")
    forms = {i.boolean for n, i in infos if n in bool_files}
    assert forms == {("1", "0"), ("true", "false"), ("ja", "nej"), ("j", "n")}
    assert any(i.empty_false for n, i in infos if n in bool_files)
    headers = {h for _, i in infos for h in i.header}
    assert {"personnummer", "cpr_nr", "indsats_id", "paragraf", "startdato"} & headers
    assert any(h.isupper() for h in headers) and any(h.islower() for h in headers)
    assert any(h[0].isupper() and not h.isupper() for h in headers)
    reasons = {v for d in newest for v in read(d, "measures.csv").column("end_reason")}
    assert {"PLANNED", "planlagt", "sammenbrud", "ikke planlagt"} <= reasons
    roles = {v for d in newest for v in read(d, "caseworker_assignments.csv").column("role")}
    assert {"INTAKE", "RESPONSIBLE", "modtagelse", "sagsbehandler"} <= roles
    cprs = [v for d in newest for v in read(d, "measures.csv").column("cpr")]
    assert any("-" in v for v in cprs) and any(len(v) == 10 and v.isdigit() for v in cprs)
    accounts = {v for d in newest for v in read(d, "expenses.csv").column("account")}
    assert {"5.28.21", "52821", "5.28.21.01"} <= accounts


def test_legal_references_come_in_many_notations(newest: list[DeliverySummary]) -> None:
    refs = {v for d in newest for v in read(d, "measures.csv").column("legal_reference")}
    for example in (
        "SEL § 52, stk. 3, nr. 7",
        "§52 stk.3 nr.7",
        "Serviceloven § 52, stk. 3, nr. 7",
        "BL § 46",
        "SEL-52-3.7",
        "SEL-58 jf. 52-3.7",
        "§ 52, stk. 3, nr. 7",
    ):
        assert example in refs, example
    assert any(r.startswith("Barnets lov §32 stk 1 nr ") for r in refs)


def test_law_follows_the_start_date(municipal: DemoSummary, newest: list[DeliverySummary]) -> None:
    law_change = date(2024, 1, 1)
    for d in newest:
        f = read(d, "measures.csv")
        planted = {p.line for p in municipal.bad_rows(d.municipality_code, "measures.csv")}
        for line, rec in zip(f.lines, f.records(), strict=True):
            if line in planted:
                continue
            started = parse_date(rec["start_date"], f.info)
            ref = rec["legal_reference"]
            if ref.startswith(("SEL", "Serviceloven")):
                assert started < law_change, ref
            if ref.startswith(("BL", "Barnets")):
                assert started >= law_change, ref


def test_older_delivery_is_cut_at_its_date_and_the_newest_extends_it(
    municipal: DemoSummary,
) -> None:
    for m in municipal.municipalities:
        older, newer = (d for d in municipal.deliveries if d.municipality_code == m.code)
        old_f, new_f = read(older, "measures.csv"), read(newer, "measures.csv")
        for rec in old_f.records():
            assert parse_date(rec["start_date"], old_f.info) <= older.delivery_date
        assert len(new_f.rows) > len(old_f.rows)
        old_end = dict(zip(old_f.column("measure_id"), old_f.column("end_date"), strict=True))
        new_end = dict(zip(new_f.column("measure_id"), new_f.column("end_date"), strict=True))
        assert old_end.keys() <= new_end.keys()
        # Measures still open in September have an end date in January: the newest wins.
        assert any(old_end[k] == "" and new_end[k] != "" for k in old_end)
        # A planned end after the delivery date is valid and present.
        for d, f in ((older, old_f), (newer, new_f)):
            ends = [parse_date(v, f.info) for v in f.column("end_date") if v]
            assert any(e > d.delivery_date for e in ends)
        inv = read(older, "investigations.csv")
        for v in inv.column("decision_date") + [c for c in inv.column("completed_date") if c]:
            assert parse_date(v, inv.info) <= older.delivery_date


def test_municipal_run_at_test_scale_is_quick(municipal: DemoSummary) -> None:
    assert municipal.wall_time_s < 15


def test_expenses_cover_every_month_and_account_with_income_rows(
    newest: list[DeliverySummary],
) -> None:
    months = {f"{y}-{m:02d}" for y in range(2016, 2026) for m in range(1, 13)}
    for d in newest:
        f = read(d, "expenses.csv")
        seen: dict[str, set[str]] = {}
        negative = 0
        for rec in f.records():
            digits = rec["account"].replace(".", "")
            account = f"{digits[0]}.{digits[1:3]}.{digits[3:5]}"
            assert account in {"5.28.20", "5.28.21", "5.28.22", "5.28.23", "5.28.24"}
            seen.setdefault(rec["month"], set()).add(account)
            amount = float(rec["amount_dkk"].replace(f.info.decimal, "."))
            negative += amount < 0
        assert set(seen) == months
        assert all(len(accounts) == 5 for accounts in seen.values())
        assert negative > 0


def test_quoting_matches_the_csv_module() -> None:
    import csv
    import io

    import numpy as np

    from demo import csvfile

    rows = [["a", "b,c", 'q"x'], ["5,3", "", "x;y"], ["SEL § 52, stk. 3, nr. 7", "1", "2"]]
    for delimiter in (";", ","):
        expected = io.StringIO()
        csv.writer(expected, delimiter=delimiter, lineterminator="\n").writerows(rows)
        columns = [
            csvfile._quote(np.array(c, dtype=object), delimiter) for c in zip(*rows, strict=True)
        ]
        written = "\n".join(map(delimiter.join, zip(*columns, strict=True))) + "\n"
        assert written == expected.getvalue()
