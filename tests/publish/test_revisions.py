"""The history of published figures (pipeline/publish/revisions.py) on a plain DuckDB
connection: versions only on a change, noise in the last bits is none, nothing is kept before
record_history, withdrawn figures and figures published again."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from pipeline.publish.revisions import VERSIONS, record_history, stage_revisions

AT = dt.datetime(2026, 1, 1, 2, 0)
SOURCE = "published"


@pytest.fixture
def conn():
    with duckdb.connect() as connection:
        connection.execute("create schema publication")
        yield connection


def publish(conn, rows: list[tuple]) -> None:
    conn.execute(
        f"create or replace table {SOURCE} (municipality_code varchar, cutoff_date date, "
        "indicator_id varchar, numerator double, denominator double, value double, "
        "suppressed boolean, status varchar, provisional boolean, delivery_date date)"
    )
    conn.executemany(f"insert into {SOURCE} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def run(conn, run_id: str):
    changes = stage_revisions(conn, run_id, AT, SOURCE)
    record_history(conn, run_id, AT, SOURCE)
    return changes


def row(indicator, numerator, value, *, suppressed=False, delivery="2024-01-15", provisional=False):
    return ("101", "2023-12-31", indicator, numerator, 1000.0, value, suppressed, "ok",
            provisional, delivery)  # fmt: skip


def revisions(conn):
    return conn.execute(
        "select indicator_id, revision, change, cause, previous_value, value, previous_run_id, "
        "run_id, first_value, first_run_id from publication.indicator_revisions order by all"
    ).fetchall()


def test_staging_keeps_nothing_until_the_history_is_recorded(conn):
    publish(conn, [row("1", 10.0, 10.0)])
    changes = stage_revisions(conn, "r1", AT, SOURCE)
    assert (changes.new, changes.revisions) == (1, 0)
    assert conn.execute(f"select count(*) from {VERSIONS}").fetchone() == (0,)
    assert record_history(conn, "r1", AT, SOURCE) == 1
    assert conn.execute(f"select count(*) from {VERSIONS}").fetchone() == (1,)


def test_only_a_changed_published_row_makes_a_version(conn):
    publish(conn, [row("1", 10.0, 10.0), row("2", None, None, suppressed=True)])
    run(conn, "r1")
    # The last bits of a parallel sum, a new delivery date and the provisional flag: no change.
    publish(
        conn,
        [
            row("1", 10.0, 10.0 + 1e-12, delivery="2024-02-15", provisional=True),
            row("2", None, None, suppressed=True),
        ],
    )
    assert run(conn, "r2").revisions == 0
    assert conn.execute(f"select count(*) from {VERSIONS}").fetchone() == (2,)
    # Suppressed -> shown is a change; so is a new value.
    publish(
        conn,
        [row("1", 12.0, 12.0, delivery="2024-03-15"), row("2", 6.0, 6.0, delivery="2024-03-15")],
    )
    changes = run(conn, "r3")
    assert (changes.revised, changes.municipalities) == (2, ("101",))
    assert revisions(conn) == [
        ("1", 2, "revised", "new_delivery", 10.0, 12.0, "r1", "r3", 10.0, "r1"),
        ("2", 2, "revised", "new_delivery", None, 6.0, "r1", "r3", None, "r1"),
    ]
    versions = conn.execute(
        f"select indicator_id, version, valid_from_run, valid_to_run from {VERSIONS} order by all"
    ).fetchall()
    assert versions == [
        ("1", 1, "r1", "r3"),
        ("1", 2, "r3", None),
        ("2", 1, "r1", "r3"),
        ("2", 2, "r3", None),
    ]


def test_a_recomputed_figure_and_a_withdrawn_one_are_revisions_a_returning_one_is_not(conn):
    publish(conn, [row("1", 10.0, 10.0), row("2", 5.0, 5.0)])
    run(conn, "r1")
    publish(conn, [row("1", 11.0, 11.0)])  # same delivery: the definitions changed
    changes = run(conn, "r2")
    assert (changes.revised, changes.withdrawn) == (1, 1)
    publish(conn, [row("1", 11.0, 11.0), row("2", 5.0, 5.0)])
    assert run(conn, "r3").new == 1  # published again: a new version, not a revision
    assert revisions(conn) == [
        ("1", 2, "revised", "recomputed", 10.0, 11.0, "r1", "r2", 10.0, "r1"),
        ("2", 2, "withdrawn", None, 5.0, None, "r1", "r2", 5.0, "r1"),
    ]
    assert conn.execute(
        f"select version, valid_from_run from {VERSIONS} where indicator_id = '2' "
        "and valid_to_run is null"
    ).fetchall() == [(2, "r3")]
