"""The stored-rows check (landing/stored_rows.py) on a warehouse a test writes by hand: it passes
when each municipality's rows are its newest accepted delivery's accepted rows, and names the
municipality and delivery when a row is lost, doubled or left over from another delivery."""

import datetime as dt

import duckdb
import pytest

from pipeline.landing.stored_rows import Mismatch, stored_row_mismatches
from pipeline.landing.tables import ensure_landing_schema

JAN, FEB = dt.date(2026, 1, 8), dt.date(2026, 2, 8)


@pytest.fixture
def conn():
    with duckdb.connect() as connection:
        ensure_landing_schema(connection)
        yield connection


def _delivery(conn, code: str, day: dt.date, status: str, accepted_follow_ups: int) -> None:
    conn.execute(
        "insert into landing.deliveries values (?, ?, ?, null, [], 'run', now())",
        [code, day, status],
    )
    conn.execute(
        "insert into landing.delivery_files values (?, ?, 'follow_ups', true, ?, ?, 0, "
        "'utf-8', ';', [])",
        [code, day, accepted_follow_ups, accepted_follow_ups],
    )


def _store(conn, code: str, day: dt.date, lines: list[int]) -> None:
    for line in lines:
        conn.execute(
            "insert into landing.follow_ups (municipality_code, delivery_date, line_number, "
            "follow_up_id, measure_id) values (?, ?, ?, ?, '1')",
            [code, day, line, f"F{line}"],
        )


def test_the_rows_of_the_newest_accepted_delivery_pass(conn):
    # 101: January accepted (2 rows), February rejected: January's 2 rows stay and are right.
    # 147: January accepted with no follow-ups: 0 expected, 0 stored.
    _delivery(conn, "101", JAN, "accepted", 2)
    _delivery(conn, "101", FEB, "rejected", 3)
    _store(conn, "101", JAN, [2, 3])
    _delivery(conn, "147", JAN, "accepted", 0)
    assert stored_row_mismatches(conn, "follow_ups", ["101", "147"]) == (2, [])


def test_a_lost_a_doubled_and_a_left_over_row_are_each_named(conn):
    # 101 accepted 2 and holds 1 (lost); 147 accepted 1 and holds 2 (doubled);
    # 151's newest accepted delivery is February (1 row), but a January row is left over too.
    _delivery(conn, "101", JAN, "accepted", 2)
    _store(conn, "101", JAN, [2])
    _delivery(conn, "147", JAN, "accepted", 1)
    _store(conn, "147", JAN, [2, 2])
    _delivery(conn, "151", JAN, "accepted", 1)
    _delivery(conn, "151", FEB, "accepted", 1)
    _store(conn, "151", JAN, [2])
    _store(conn, "151", FEB, [2])
    total, mismatches = stored_row_mismatches(conn, "follow_ups", ["101", "147", "151"])
    assert total == 1 + 2 + 2
    assert mismatches == [
        Mismatch("101", JAN, accepted=2, stored=1),
        Mismatch("147", JAN, accepted=1, stored=2),
        Mismatch("151", JAN, accepted=0, stored=1),
    ]


def test_only_the_runs_municipalities_are_checked(conn):
    _delivery(conn, "101", JAN, "accepted", 2)
    _store(conn, "101", JAN, [2])  # wrong, but 101 is not in this run
    _delivery(conn, "147", JAN, "accepted", 1)
    _store(conn, "147", JAN, [2])
    assert stored_row_mismatches(conn, "follow_ups", ["147"]) == (1, [])
