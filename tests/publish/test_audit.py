"""The audit of a staged release finds CPR-shaped text and pseudonyms in every kind of file,
inside workbooks too, in one process and in several; a checksum that is not a pseudonym
passes. The identifiers here are synthetic."""

import random
from pathlib import Path

import duckdb
import openpyxl
import pytest

from pipeline.publish import audit

PSEUDONYM = "ab" * 32  # 64 hex digits, like an HMAC-SHA256 pseudonym
CHECKSUM = "cd" * 32  # the same shape, but no person's pseudonym


def _stage(folder: Path) -> None:
    (folder / "report").mkdir(parents=True)
    (folder / "excel").mkdir()
    (folder / "docs").mkdir()
    (folder / "report" / "noegletal_101.html").write_text("<p>født 010115-4001</p>")
    (folder / "report" / "noegletal_147.html").write_text("<p>2023-12-31: 12,5 pr. 1.000</p>")
    (folder / "docs" / "index.html").write_text(f'{{"checksum": "{CHECKSUM}"}}')
    book = openpyxl.Workbook()
    book.active["A1"] = PSEUDONYM
    book.save(folder / "excel" / "noegletal_101_2023-12-31.xlsx")
    clean = openpyxl.Workbook()
    clean.active["A1"] = 12.5
    clean.save(folder / "excel" / "noegletal_147_2023-12-31.xlsx")


@pytest.mark.parametrize("processes", [1, 2])
def test_the_audit_finds_identifiers_in_text_files_and_workbooks(tmp_path, monkeypatch, processes):
    _stage(tmp_path)
    monkeypatch.setattr(audit, "FILES_PER_PROCESS", 0)  # two workers even for five files
    problems = audit._audit_files(tmp_path, {PSEUDONYM, "ef" * 32}, processes=processes)
    assert len(problems) == 2, problems
    assert problems[0] == "noegletal_101.html: text shaped like a CPR number"
    # Named by workbook and XML member (where openpyxl put the string); never the value.
    assert problems[1].startswith("noegletal_101_2023-12-31.xlsx:xl/")
    assert problems[1].endswith(".xml: a pseudonym")


def test_a_release_without_identifiers_passes(tmp_path):
    _stage(tmp_path)
    (tmp_path / "report" / "noegletal_101.html").unlink()
    (tmp_path / "excel" / "noegletal_101_2023-12-31.xlsx").unlink()
    assert audit._audit_files(tmp_path, {PSEUDONYM}) == []


def test_files_searched_before_come_from_the_scan_cache_and_meet_today_s_pseudonyms(
    tmp_path, monkeypatch
):
    release, cache = tmp_path / "release", tmp_path / "internal" / "scan.json"
    _stage(release)
    (release / "report" / "noegletal_101.html").unlink()
    (release / "excel" / "noegletal_101_2023-12-31.xlsx").unlink()
    assert audit._audit_files(release, {PSEUDONYM}, scan_cache=cache) == []
    assert PSEUDONYM not in cache.read_text() and CHECKSUM in cache.read_text()

    searched: list[Path] = []
    real_search = audit._search
    monkeypatch.setattr(
        audit, "_search", lambda paths, processes: searched.extend(paths) or real_search(paths, 1)
    )
    assert audit._audit_files(release, {PSEUDONYM}, scan_cache=cache) == []
    assert searched == []  # nothing unzipped or searched again
    # Were the checksum a person's pseudonym today, the cached finding says where it is.
    assert audit._audit_files(release, {CHECKSUM}, scan_cache=cache) == ["index.html: a pseudonym"]
    # A changed file is searched again.
    (release / "report" / "noegletal_147.html").write_text("<p>født 020215-4001</p>")
    assert audit._audit_files(release, {PSEUDONYM}, scan_cache=cache) == [
        "noegletal_147.html: text shaped like a CPR number"
    ]
    assert [p.name for p in searched] == ["noegletal_147.html"]


def test_an_audit_with_problems_writes_no_cache_and_a_broken_cache_is_ignored(tmp_path):
    release, cache = tmp_path / "release", tmp_path / "scan.json"
    _stage(release)
    assert len(audit._audit_files(release, {PSEUDONYM}, scan_cache=cache)) == 2
    assert not cache.exists()  # it would have held the pseudonym
    cache.write_text("{not json")
    assert len(audit._audit_files(release, {PSEUDONYM}, scan_cache=cache)) == 2


def test_the_known_pseudonyms_are_every_person_id_of_every_landing_table():
    with duckdb.connect() as conn:
        assert audit.known_pseudonyms(conn) == set()  # nothing landed yet
        conn.execute("create schema landing")
        conn.execute("create table landing.children (person_id varchar)")
        conn.execute("insert into landing.children values (?), (?), (null)", ["aa" * 32, PSEUDONYM])
        conn.execute("create table landing.quarantine (person_id varchar, reason varchar)")
        conn.execute("insert into landing.quarantine values (?, 'cpr_invalid')", [PSEUDONYM])
        conn.execute("create table landing.deliveries (municipality_code varchar)")
        conn.execute("insert into landing.deliveries values ('101')")
        # Another schema's person_id is not a landing table's.
        conn.execute("create table other (person_id varchar)")
        conn.execute("insert into other values (?)", ["ff" * 32])
        assert audit.known_pseudonyms(conn) == {"aa" * 32, PSEUDONYM}


@pytest.mark.parametrize("seed", range(5))
def test_the_fast_searches_find_exactly_what_the_patterns_define(seed):
    # Random text from digits, hyphens, hex letters and XML-ish bytes, dense enough to hold
    # many near-misses (a seventh digit before, a fifth digit after, 63 or 65 hex digits),
    # plus hand-made edge cases at the ends of the text. The CPR-shaped cases are synthetic.
    rng = random.Random(seed)
    alphabet = b"0123456789-abcdefgx<> "
    texts = [bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 400))) for _ in range(2000)]
    texts += [bytes(rng.choice(b"0123456789-") for _ in range(60)) for _ in range(2000)]
    # Near-CPRs: any day 00-39 and month 00-15, with a random byte on either side.
    texts += [
        bytes([rng.choice(b"0123456789x-")])
        + f"{rng.randint(0, 39):02d}{rng.randint(0, 15):02d}{rng.randint(0, 99):02d}-".encode()
        + f"{rng.randint(0, 9999):04d}".encode()
        + bytes([rng.choice(b"0123456789x-")])
        for _ in range(2000)
    ]
    hexes = b"0123456789abcdef"
    for size in (63, 64, 65, 128, 129):
        run = bytes(rng.choice(hexes) for _ in range(size))
        texts += [run, b"g" + run, run + b"-", b"z" + run + b"z" + run]
    texts += [b"010115-4001", b"x010115-4001x", b"9010115-4001", b"010115-40012", b"320115-4001"]
    texts += [b"011315-4001", b"-4001", b"15-4001", b"", b"010115-400", b"<c>311299-0001</c>"]
    for text in texts:
        assert audit.cpr_shaped_in(text) == (audit._CPR_SHAPED.search(text) is not None), text
        assert audit.hex_tokens_in(text) == frozenset(
            m.group(0) for m in audit._HEX64.finditer(text)
        ), text
    # The cases must include both answers, or the comparison shows nothing.
    assert sum(audit.cpr_shaped_in(t) for t in texts) > 20
    assert sum(bool(audit.hex_tokens_in(t)) for t in texts) == 4  # the 64-digit runs above


def test_the_serving_file_is_searched_for_pseudonyms_in_every_text_column(tmp_path):
    path = tmp_path / "noegletal.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute(f"create table {audit.RECORD_TABLE} (run_id varchar)")
        conn.execute("create table figures (municipality_code varchar, note varchar, n integer)")
        conn.execute("create table notes (note varchar)")
        conn.execute("insert into figures values ('101', 'ok', 1), ('147', ?, 2)", [PSEUDONYM])
        conn.execute("insert into notes values (?)", [CHECKSUM])
    expected = {"figures": 2, "notes": 1}

    assert audit._audit_database(path, expected, {PSEUDONYM}) == [
        "noegletal.duckdb: figures.note holds pseudonyms"
    ]
    # The checksum is the same shape, but nobody's pseudonym.
    assert audit._audit_database(path, expected, {"ef" * 32}) == []
