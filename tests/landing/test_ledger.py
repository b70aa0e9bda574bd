"""What an ingestion run landed, read back from the warehouse (landing/ledger.py): the counts
of the closing summary are the deliveries' own figures, for that run only."""

from collections import Counter

import duckdb

from pipeline.landing.check_delivery import check_deliveries
from pipeline.landing.ledger import read_landed
from pipeline.landing.tables import ensure_landing_schema, store_outcomes
from tests.landing.test_tables import AT, KEY, _delivery


def test_what_a_run_landed_is_its_deliveries_own_figures(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    assert read_landed(warehouse, "run-1") is None  # nothing ingested yet
    earlier = check_deliveries([_delivery(tmp_path, "147", "2026-01-01")], KEY, 1.0)
    batch = check_deliveries(
        [
            _delivery(tmp_path, "101", "2026-01-08"),
            _delivery(tmp_path, "147", "2026-01-08", leave_out="follow_ups"),  # rejected
        ],
        KEY,
        1.0,
    )
    with duckdb.connect(str(warehouse)) as conn:
        ensure_landing_schema(conn)
        store_outcomes(conn, earlier, "run-1", AT)
        store_outcomes(conn, batch, "run-2", AT)

    landed = read_landed(warehouse, "run-2")
    assert landed is not None
    accepted = [o for o in batch if o.accepted_ok]
    # What the landing assets' metadata added up before: accepted rows of accepted deliveries,
    # every quarantine record of the run (rejected deliveries too), rows per rule.
    assert landed.rows_accepted == sum(f.rows_accepted for o in accepted for f in o.files.values())
    assert landed.rows_accepted > 0
    assert landed.quarantine_records == sum(len(o.quarantine) for o in batch)
    assert landed.quarantine_records > 0  # 101's children.csv line 4
    by_rule: Counter[str] = Counter()
    for outcome in batch:
        by_rule.update(outcome.quarantined_by_rule())
    assert landed.quarantined_by_rule == dict(by_rule)
    assert landed.accepted == ["101/2026-01-08"]
    assert landed.warnings == {
        o.delivery.municipality_code: o.warnings for o in batch if o.warnings
    }
    # run-1's delivery of 147 is not run-2's.
    first = read_landed(warehouse, "run-1")
    assert first is not None and first.accepted == ["147/2026-01-01"]
