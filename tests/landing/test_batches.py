"""Batches checked by a pool of processes come back in order, each exactly as checked in this
process. CPR numbers are synthetic (serials from the century digit's lowest value)."""

import pandas as pd

from pipeline.landing.batches import checked_batches
from pipeline.landing.check_delivery import check_deliveries
from tests.landing.test_tables import KEY, _delivery


def _summary(outcomes) -> list[tuple]:
    return [
        (
            o.delivery.key,
            o.accepted_ok,
            o.rejection,
            {n: (f.rows_read, f.rows_accepted, f.rows_quarantined) for n, f in o.files.items()},
            {name: frame.shape for name, frame in o.accepted.items()},
            len(o.quarantine),
        )
        for o in outcomes
    ]


def test_batches_come_back_in_order_and_as_checked_alone(tmp_path):
    # Three batches for two processes: the third is submitted only when the first is taken.
    # 153 lacks follow_ups.csv, a core file, so its delivery is rejected.
    batches = [
        [_delivery(tmp_path, "101", "2026-01-08"), _delivery(tmp_path, "147", "2026-01-08")],
        [_delivery(tmp_path, "151", "2026-01-08")],
        [_delivery(tmp_path, "153", "2026-01-08", leave_out="follow_ups")],
    ]
    pooled = list(checked_batches(batches, KEY, 1.0, processes=2))
    alone = [check_deliveries(batch, KEY, 1.0) for batch in batches]

    assert [[o.delivery.municipality_code for o in b] for b in pooled] == [
        ["101", "147"],
        ["151"],
        ["153"],
    ]
    assert [_summary(b) for b in pooled] == [_summary(b) for b in alone]
    # Line 4 of children.csv (31 February) is quarantined in each accepted delivery.
    assert [len(o.quarantine) for b in pooled for o in b][:3] == [1, 1, 1]
    assert not pooled[2][0].accepted_ok
    for mine, theirs in zip(pooled[0], alone[0], strict=True):
        pd.testing.assert_frame_equal(mine.accepted["children"], theirs.accepted["children"])


def test_one_batch_is_checked_in_this_process(tmp_path, monkeypatch):
    # No pool for a single batch (a nightly run): a pool would fail here, as it is forbidden.
    monkeypatch.setattr(
        "pipeline.landing.batches.ProcessPoolExecutor",
        lambda *a, **k: (_ for _ in ()).throw(AssertionError("no pool for one batch")),
    )
    [outcomes] = checked_batches([[_delivery(tmp_path, "101", "2026-01-08")]], KEY, 1.0)
    assert [o.delivery.municipality_code for o in outcomes] == ["101"]
    assert outcomes[0].accepted_ok
