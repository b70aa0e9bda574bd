"""The audit a staged release must pass before it replaces the publication (write-audit-publish).

dbt's tests have audited the publication layer itself (suppression, contracts). What is left to
check is what this step wrote: that the copies are complete, and that nothing person-level got
into any file — no person column, no pseudonym as a value, and in the text files (HTML, dbt
docs, the workbooks' XML) no pseudonym and nothing shaped like a CPR number. Problems are
reported by file and kind, never with the matching text.

Searching a file depends on its bytes only, so what a search found is kept by the file's
SHA-256 in a scan cache (`<data-dir>/internal/audit-scan-cache-<folder>.json`), written only
after an audit without problems, so it never holds a pseudonym. A nightly run carries about
4,950 of 5,000 national workbooks over unchanged; their bytes were searched by the audit
before, and only the comparison with today's pseudonyms is made again.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import zipfile
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.publish.db import PublicationError, scalar
from pipeline.publish.serving import RECORD_TABLE

# Column names that would mean person-level rows, whatever their content.
PERSON_COLUMNS = frozenset({"person_id", "cpr", "cpr_nr", "personnummer", "pseudonym"})
_HEX64 = re.compile(rb"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")
# DDMMYY-SSSS with a plausible day and month (the hyphen keeps dates and ids out).
_CPR_SHAPED = re.compile(
    rb"(?<![0-9])(?:0[1-9]|[12][0-9]|3[01])(?:0[1-9]|1[0-2])[0-9]{2}-[0-9]{4}(?![0-9])"
)
# The two patterns above define what is searched for; the searches below find exactly their
# matches (tests/publish/test_audit.py compares them) without trying a pattern at every byte,
# which took most of the audit of a national release (about 14 MB of XML per 300 workbooks).
_HYPHEN_SERIAL = re.compile(rb"-[0-9]{4}(?![0-9])")  # starts with a literal: a fast scan
_HEX_MASK = bytes(ord("x") if chr(i) in "0123456789abcdef" else ord(".") for i in range(256))
_HEX_RUN = b"x" * 64
_TEXT_SUFFIXES = {".html", ".js", ".json", ".css", ".txt", ".csv", ".md"}
# Below this many files one process is quicker than starting workers (a few seconds each).
FILES_PER_PROCESS = 500


def known_pseudonyms(conn: duckdb.DuckDBPyConnection) -> set[str]:
    """Every pseudonym in the warehouse's landing tables (quarantine included)."""
    tables = [
        table
        for (table,) in conn.execute(
            "select table_name from duckdb_columns() "
            "where schema_name = 'landing' and column_name = 'person_id'"
        ).fetchall()
    ]
    if not tables:
        return set()
    # One query, fetched as one Arrow column: a query per table fetched as Python tuples took
    # several times as long nationally (benchmarks/README.md, item 25).
    union = " union all ".join(f'select person_id from landing."{table}"' for table in tables)
    query = f"select distinct person_id from ({union}) where person_id is not null"
    return set(conn.sql(query).to_arrow_table().column(0).to_pylist())


def audit_release(
    staging: Path,
    serving_file: Path,
    expected_rows: dict[str, int],
    pseudonyms: set[str],
    scan_cache: Path | None = None,
) -> list[str]:
    """Problems with the staged release (empty when it may be published)."""
    problems: list[str] = []
    problems += _audit_database(serving_file, expected_rows, pseudonyms)
    problems += _audit_parquet(staging, expected_rows)
    problems += _audit_files(staging, pseudonyms, scan_cache=scan_cache)
    return problems


def raise_on_problems(problems: list[str]) -> None:
    if problems:
        raise PublicationError("the staged publication failed its audit: " + "; ".join(problems))


def _audit_database(path: Path, expected: dict[str, int], pseudonyms: set[str]) -> list[str]:
    problems: list[str] = []
    with duckdb.connect(str(path), read_only=True) as conn:
        tables = {
            name
            for (name,) in conn.execute(
                "select table_name from duckdb_tables() where not internal and schema_name = 'main'"
            ).fetchall()
        }
        if set(tables) != {*expected, RECORD_TABLE}:
            problems.append(f"{path.name}: tables {sorted(tables)} != {sorted(expected)}")
        columns = conn.execute(
            "select table_name, column_name, data_type from duckdb_columns() "
            "where not internal and schema_name = 'main'"
        ).fetchall()
        for table, column, _ in columns:
            if column.lower() in PERSON_COLUMNS:
                problems.append(f"{path.name}: {table}.{column} is a person column")
        for name, rows in expected.items():
            found = scalar(conn, f'select count(*) from "{name}"')
            if found != rows:
                problems.append(f"{path.name}: {name} has {found} rows, not {rows}")
        if pseudonyms:
            conn.register("pseudonyms", pd.DataFrame({"value": list(pseudonyms)}))
            texts: dict[str, list[str]] = {}
            for table, column, data_type in columns:
                if data_type == "VARCHAR":
                    texts.setdefault(table, []).append(column)
            # One query per table, every text column unpivoted: one query per column cost
            # 0.8 s of a national publication (benchmarks/README.md, item 30).
            for table, names in texts.items():
                listed = ", ".join(f'"{name}"' for name in names)
                hits = conn.execute(
                    f'select distinct "column" from (unpivot (select {listed} from "{table}") '
                    'on columns(*) into name "column" value "text") '
                    'where "text" in (select value from pseudonyms) order by 1'
                ).fetchall()
                for (column,) in hits:
                    problems.append(f"{path.name}: {table}.{column} holds pseudonyms")
    return problems


def _audit_parquet(staging: Path, expected: dict[str, int]) -> list[str]:
    problems: list[str] = []
    folder = staging / "parquet"
    with duckdb.connect() as conn:
        for name, rows in expected.items():
            path = folder / f"{name}.parquet"
            if not path.exists():
                problems.append(f"parquet/{name}.parquet is missing")
                continue
            found = scalar(conn, "select count(*) from read_parquet(?)", [str(path)])
            if found != rows:
                problems.append(f"parquet/{name}.parquet has {found} rows, not {rows}")
    return problems


# What searching one file found: per part (a workbook's XML member, or "" for a text file)
# whether it holds CPR-shaped text and its 64-hex tokens; parts with neither are left out.
Finding = tuple[str, bool, frozenset[bytes]]


def _audit_files(
    staging: Path,
    pseudonyms: set[str],
    processes: int | None = None,
    scan_cache: Path | None = None,
) -> list[str]:
    """Every staged file searched for CPR-shaped text and pseudonyms. A national release is
    about 5,000 workbooks to unzip and search (benchmarks/README.md, item 11), so large
    releases are searched by a process per core, and files searched before (same bytes) are
    taken from the scan cache. The workers report what they found shaped like a pseudonym (64
    hex digits: dbt docs hold many checksums); only this process holds the pseudonyms, which
    are never sent anywhere."""
    paths = sorted(p for p in staging.rglob("*") if p.is_file())
    digests = {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in paths}
    cached = _read_cache(scan_cache)
    findings = {path: cached[digests[path]] for path in paths if digests[path] in cached}
    findings.update(_search([path for path in paths if path not in findings], processes))
    problems: list[str] = []
    for path in paths:
        for member, cpr_shaped, hex_tokens in findings[path]:
            label = f"{path.name}:{member}" if member else path.name
            if cpr_shaped:
                problems.append(f"{label}: text shaped like a CPR number")
            # Token by token: encoding the whole set (nationally about 370,000 pseudonyms)
            # instead cost 0.3 s per call, and the feedback reports call this per report.
            if any(token.decode("ascii") in pseudonyms for token in hex_tokens):
                problems.append(f"{label}: a pseudonym")
    if scan_cache is not None and not problems:
        _write_cache(scan_cache, {digests[path]: findings[path] for path in paths})
    return sorted(problems)


def audit_folder(folder: Path, pseudonyms: set[str]) -> list[str]:
    """The search of _audit_files on every file of a small folder outside the publication
    (the feedback reports, SPEC §13): no CPR-shaped text, no pseudonym."""
    return _audit_files(folder, pseudonyms, processes=1)


def _search(paths: list[Path], processes: int | None) -> dict[Path, list[Finding]]:
    processes = processes or min(os.cpu_count() or 1, 4)
    if processes == 1 or len(paths) < FILES_PER_PROCESS:
        return _scan(paths)
    shares = [paths[i::processes] for i in range(processes)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        return {path: found for part in pool.map(_scan, shares) for path, found in part.items()}


def _scan(paths: list[Path]) -> dict[Path, list[Finding]]:
    found: dict[Path, list[Finding]] = {}
    for path in paths:
        found[path] = []
        for member, content in _readable_parts(path):
            cpr_shaped = cpr_shaped_in(content)
            hex_tokens = hex_tokens_in(content)
            if cpr_shaped or hex_tokens:
                found[path].append((member, cpr_shaped, hex_tokens))
    return found


def cpr_shaped_in(content: bytes) -> bool:
    """Whether `content` holds a match of _CPR_SHAPED: each "-SSSS" found, the six bytes
    before it tried against the whole pattern."""
    for serial in _HYPHEN_SERIAL.finditer(content):
        start = serial.start() - 6
        if start < 0 or (start > 0 and content[start - 1 : start].isdigit()):
            continue
        if _CPR_SHAPED.match(content, start, serial.end()) is not None:
            return True
    return False


def hex_tokens_in(content: bytes) -> frozenset[bytes]:
    """The matches of _HEX64: runs of exactly 64 lower-case hex digits, found in a copy of
    `content` with every hex digit masked to "x"."""
    masked = content.translate(_HEX_MASK)
    tokens = set()
    start = masked.find(_HEX_RUN)
    while start != -1:
        end = masked.find(b".", start)
        end = len(content) if end == -1 else end
        if end - start == 64:
            tokens.add(content[start:end])
        start = masked.find(_HEX_RUN, end)
    return frozenset(tokens)


def _read_cache(path: Path | None) -> dict[str, list[Finding]]:
    """The scan cache; an unreadable one is ignored (every file is searched again)."""
    if path is None or not path.is_file():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {
            digest: [
                (str(member), bool(cpr_shaped), frozenset(t.encode("ascii") for t in tokens))
                for member, cpr_shaped, tokens in parts
            ]
            for digest, parts in raw.items()
        }
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def _write_cache(path: Path, findings: dict[str, list[Finding]]) -> None:
    """This release's files only, so the cache does not grow from run to run."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        digest: [
            [member, cpr_shaped, sorted(t.decode("ascii") for t in tokens)]
            for member, cpr_shaped, tokens in parts
        ]
        for digest, parts in findings.items()
    }
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    partial.replace(path)


def _readable_parts(path: Path) -> Iterable[tuple[str, bytes]]:
    """Text files as they are (member ""); workbooks (zip) member by member, decompressed."""
    if path.suffix in _TEXT_SUFFIXES:
        yield "", path.read_bytes()
    elif path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                yield member, archive.read(member)
