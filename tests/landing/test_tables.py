"""Storing a batch of verdicts: accepted deliveries replace their municipality's rows, a rejected
one leaves the previous rows in place, and a failure half-way leaves every table as it was.
CPR numbers are synthetic (serials from the century digit's lowest value)."""

import datetime as dt

import duckdb
import pandas as pd
import pytest

from pipeline.landing.check_delivery import check_deliveries
from pipeline.landing.tables import ensure_landing_schema, store_outcomes
from pipeline.sources.extracts.deliveries import Delivery

KEY = b"test-key-0123456789-0123456789-0123456789"
AT = dt.datetime(2026, 1, 9, 2, 0, tzinfo=dt.UTC)
FILES = {
    # line 4: 31 February is no date, so the CPR number is invalid (quarantined)
    "children": "cpr;uledsaget_flygtning\n010115-4001;nej\n020215-4001;ja\n310215-4001;nej\n",
    "measures": "indsats_id;cpr;paragraf;anbringelsessted;startdato;slutdato;ophoersaarsag;"
    "funktionsnedsaettelse;myndighedsbevilget;leverandoer\n"
    "M1;010115-4001;BL § 32, stk. 1, nr. 1;;2024-03-01;;;0;1;GENERAL\n",
    "investigations": "investigation_id;cpr;legal_reference;decision_date;completed_date\n"
    "I1;010115-4001;SEL § 50;2023-01-01;\n",
    "follow_ups": "follow_up_id;measure_id;completed_date\nF1;M1;2024-06-01\n",
}


def _delivery(root, code: str, day: str, leave_out: str | None = None) -> Delivery:
    folder = root / code / day
    folder.mkdir(parents=True)
    for name, text in FILES.items():
        if name != leave_out:
            (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return Delivery(code, dt.date.fromisoformat(day), folder)


def _counts(conn) -> dict[str, list[tuple]]:
    return {
        "children": conn.execute(
            "select municipality_code, count(*) from landing.children group by all order by 1"
        ).fetchall(),
        "quarantine": conn.execute(
            "select municipality_code, line_number, rule, run_id from landing.quarantine order by 1"
        ).fetchall(),
        "deliveries": conn.execute(
            "select municipality_code, delivery_date::varchar, status, run_id "
            "from landing.deliveries order by 1, 2"
        ).fetchall(),
        "delivery_files": conn.execute(
            "select municipality_code, delivery_date::varchar, count(*), sum(rows_accepted) "
            "from landing.delivery_files group by all order by 1, 2"
        ).fetchall(),
    }


@pytest.fixture
def conn(tmp_path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as connection:
        ensure_landing_schema(connection)
        yield connection


def test_a_batch_replaces_accepted_rows_and_keeps_a_rejected_municipality_s(tmp_path, conn):
    first = check_deliveries([_delivery(tmp_path, "147", "2026-01-01")], KEY, 1.0)
    store_outcomes(conn, first, "run-1", AT)

    batch = check_deliveries(
        [
            _delivery(tmp_path, "101", "2026-01-08"),
            _delivery(tmp_path, "147", "2026-01-08", leave_out="follow_ups"),  # a core file
        ],
        KEY,
        1.0,
    )
    assert [o.accepted_ok for o in batch] == [True, False]
    store_outcomes(conn, batch, "run-2", AT)
    store_outcomes(conn, batch, "run-2", AT)  # the same batch again: the same tables

    assert _counts(conn) == {
        # 2 accepted children each; 147's are those of its accepted delivery of 1 January
        "children": [("101", 2), ("147", 2)],
        "quarantine": [("101", 4, "cpr_invalid", "run-2"), ("147", 4, "cpr_invalid", "run-1")],
        "deliveries": [
            ("101", "2026-01-08", "accepted", "run-2"),
            ("147", "2026-01-01", "accepted", "run-1"),
            ("147", "2026-01-08", "rejected", "run-2"),
        ],
        # 16 files of input contract v1 per delivery read; accepted rows 2 + 1 + 1 + 1 = 5.
        # The rejected delivery was refused before any file was read.
        "delivery_files": [("101", "2026-01-08", 16, 5), ("147", "2026-01-01", 16, 5)],
    }


def test_a_failure_half_way_leaves_every_table_as_it_was(tmp_path, conn):
    store_outcomes(
        conn, check_deliveries([_delivery(tmp_path, "147", "2026-01-01")], KEY, 1.0), "run-1", AT
    )
    before = _counts(conn)
    [outcome] = check_deliveries([_delivery(tmp_path, "101", "2026-01-08")], KEY, 1.0)
    # follow_ups is stored after the quarantine, the log and children: the error comes late.
    outcome.accepted["follow_ups"] = pd.DataFrame({"no_such_column": [1]})
    with pytest.raises(duckdb.Error):
        store_outcomes(conn, [outcome], "run-2", AT)
    assert _counts(conn) == before
