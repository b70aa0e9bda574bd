"""The audit a staged release must pass before it replaces the publication (write-audit-publish).

dbt's tests have audited the publication layer itself (suppression, contracts). What is left to
check is what this step wrote: that the copies are complete, and that nothing person-level got
into any file — no person column, no pseudonym as a value, and in the text files (HTML, dbt
docs, the workbooks' XML) no pseudonym and nothing shaped like a CPR number. Problems are
reported by file and kind, never with the matching text.
"""

from __future__ import annotations

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
_TEXT_SUFFIXES = {".html", ".js", ".json", ".css", ".txt", ".csv", ".md"}
# Below this many files one process is quicker than starting workers (a few seconds each).
FILES_PER_PROCESS = 500


def known_pseudonyms(conn: duckdb.DuckDBPyConnection) -> set[str]:
    """Every pseudonym in the warehouse's landing tables (quarantine included)."""
    tables = conn.execute(
        "select table_name from duckdb_columns() "
        "where schema_name = 'landing' and column_name = 'person_id'"
    ).fetchall()
    found: set[str] = set()
    for (table,) in tables:
        rows = conn.execute(
            f'select distinct person_id from landing."{table}" where person_id is not null'
        ).fetchall()
        found.update(str(value) for (value,) in rows)
    return found


def audit_release(
    staging: Path, serving_file: Path, expected_rows: dict[str, int], pseudonyms: set[str]
) -> list[str]:
    """Problems with the staged release (empty when it may be published)."""
    problems: list[str] = []
    problems += _audit_database(serving_file, expected_rows, pseudonyms)
    problems += _audit_parquet(staging, expected_rows)
    problems += _audit_files(staging, pseudonyms)
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
            conn.register("pseudonyms", pd.DataFrame({"value": sorted(pseudonyms)}))
            for table, column, data_type in columns:
                if data_type != "VARCHAR":
                    continue
                hit = scalar(
                    conn,
                    f'select count(*) from "{table}" where "{column}" in '
                    "(select value from pseudonyms)",
                )
                if hit:
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


def _audit_files(staging: Path, pseudonyms: set[str], processes: int | None = None) -> list[str]:
    """Every staged file searched for CPR-shaped text and pseudonyms. A national release is
    about 5,000 workbooks to unzip and search (about 25 s in one process), so large releases
    are searched by a process per core. The workers report what they found shaped like a
    pseudonym (64 hex digits: dbt docs hold many checksums); only this process holds the
    pseudonyms, which are never sent anywhere."""
    paths = sorted(p for p in staging.rglob("*") if p.is_file())
    processes = processes or min(os.cpu_count() or 1, 4)
    if processes == 1 or len(paths) < FILES_PER_PROCESS:
        findings = _scan(paths)
    else:
        shares = [paths[i::processes] for i in range(processes)]
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            findings = [found for part in pool.map(_scan, shares) for found in part]
    encoded = {p.encode("ascii") for p in pseudonyms}
    problems: list[str] = []
    for label, cpr_shaped, hex_tokens in sorted(findings):
        if cpr_shaped:
            problems.append(f"{label}: text shaped like a CPR number")
        if hex_tokens & encoded:
            problems.append(f"{label}: a pseudonym")
    return problems


def _scan(paths: list[Path]) -> list[tuple[str, bool, frozenset[bytes]]]:
    """(label, holds CPR-shaped text, its 64-hex tokens) for every part that has either."""
    found = []
    for path in paths:
        for label, content in _readable_parts(path):
            cpr_shaped = _CPR_SHAPED.search(content) is not None
            hex_tokens = frozenset(m.group(0) for m in _HEX64.finditer(content))
            if cpr_shaped or hex_tokens:
                found.append((label, cpr_shaped, hex_tokens))
    return found


def _readable_parts(path: Path) -> Iterable[tuple[str, bytes]]:
    """Text files as they are; workbooks (zip) member by member, decompressed."""
    if path.suffix in _TEXT_SUFFIXES:
        yield str(path.name), path.read_bytes()
    elif path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                yield f"{path.name}:{member}", archive.read(member)
