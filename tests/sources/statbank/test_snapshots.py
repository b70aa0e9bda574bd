"""Snapshots: saved before parsing, atomically, beside their request; refresh by age."""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.sources.statbank.bulk import parse_folk1a
from pipeline.sources.statbank.client import StatBankClient
from pipeline.sources.statbank.command import run_refresh
from pipeline.sources.statbank.errors import SnapshotError, SnapshotMissingError
from pipeline.sources.statbank.snapshots import (
    is_synthetic,
    read_snapshot,
    read_snapshot_meta,
    refresh,
    snapshot_age,
    snapshot_paths,
    write_synthetic_snapshot,
)
from pipeline.sources.statbank.tables import FOLK1A_REQUEST
from tests.sources.statbank.standin import BOM, BULK, Reply, StandIn, json_reply, tableinfo

FOLK1A_BODY = BOM + BULK["FOLK1A"].replace("\n", "\r\n").encode("utf-8")


def _age(path: Path, hours: float) -> None:
    stamp = time.time() - hours * 3600
    os.utime(path, (stamp, stamp))


def test_live_answer_is_saved_byte_for_byte_with_its_request(
    standin: StandIn, client: StatBankClient, tmp_path: Path
):
    standin.serve_table("FOLK1A", FOLK1A_BODY)

    [result] = refresh(["FOLK1A"], tmp_path, client)

    csv_path, meta_path = snapshot_paths("FOLK1A", tmp_path)
    assert result.status == "fetched" and result.ok
    assert result.path == csv_path and result.bytes == len(FOLK1A_BODY)
    assert csv_path.read_bytes() == FOLK1A_BODY
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert meta["request"] == FOLK1A_REQUEST.body()
    assert meta["url"] == f"{standin.base_url}/data"
    assert meta["http_status"] == 200
    assert meta["bytes"] == len(FOLK1A_BODY)
    assert meta["sha256"] == hashlib.sha256(FOLK1A_BODY).hexdigest()
    assert meta["synthetic"] is False
    assert meta["table_updated"] == "2024-05-11T08:00:00"
    assert meta["suppressed_data_value"] == "0"
    fetched_at = datetime.fromisoformat(meta["fetched_at"])
    assert fetched_at.tzinfo is not None and fetched_at.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - fetched_at) < timedelta(minutes=1)
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "FOLK1A.csv",
        "FOLK1A.request.json",
    ]


def test_saved_snapshot_parses_like_the_live_answer(
    standin: StandIn, client: StatBankClient, tmp_path: Path
):
    standin.serve_table("FOLK1A", FOLK1A_BODY)
    refresh(["FOLK1A"], tmp_path, client)

    from_file = parse_folk1a(read_snapshot("FOLK1A", tmp_path))

    assert from_file.municipalities.equals(parse_folk1a(BULK["FOLK1A"]).municipalities)
    assert read_snapshot_meta("FOLK1A", tmp_path).synthetic is False


def test_an_answer_is_saved_even_when_it_will_not_parse(
    standin: StandIn, client: StatBankClient, tmp_path: Path
):
    standin.serve_table("FOLK1A", b"something DST never sent")
    [result] = refresh(["FOLK1A"], tmp_path, client)
    assert result.status == "fetched"
    assert read_snapshot("FOLK1A", tmp_path) == "something DST never sent"


def test_refresh_skips_a_snapshot_younger_than_max_age(
    standin: StandIn, client: StatBankClient, tmp_path: Path
):
    standin.serve_table("FOLK1A")
    refresh(["FOLK1A"], tmp_path, client)
    csv_path, _ = snapshot_paths("FOLK1A", tmp_path)
    _age(csv_path, hours=2)

    [kept] = refresh(["FOLK1A"], tmp_path, client, max_age=timedelta(hours=3))
    assert kept.status == "fresh"
    assert kept.age is not None and timedelta(hours=1.9) < kept.age < timedelta(hours=2.1)
    assert standin.hits("data") == 1

    [fetched] = refresh(["FOLK1A"], tmp_path, client, max_age=timedelta(hours=1))
    assert fetched.status == "fetched"
    assert standin.hits("data") == 2
    age = snapshot_age("FOLK1A", tmp_path)
    assert age is not None and age < timedelta(minutes=1)


def test_refresh_without_max_age_always_fetches(
    standin: StandIn, client: StatBankClient, tmp_path: Path
):
    standin.serve_table("FOLK1A")
    refresh(["FOLK1A"], tmp_path, client)
    refresh(["FOLK1A"], tmp_path, client)
    assert standin.hits("data") == 2


def test_a_failed_refresh_keeps_the_previous_snapshot(standin: StandIn, tmp_path: Path):
    standin.serve_table("FOLK1A", FOLK1A_BODY)
    client = StatBankClient(base_url=standin.base_url, max_retries=1, backoff_seconds=0.0)
    refresh(["FOLK1A"], tmp_path, client)
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    standin.serve("data", Reply(status=503, body=b"Service Unavailable"))

    [result] = refresh(["FOLK1A"], tmp_path, client)

    assert result.status == "failed" and not result.ok
    assert result.error is not None and "after 2 attempts" in result.error
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == before
    assert read_snapshot("FOLK1A", tmp_path).encode("utf-8") == FOLK1A_BODY


def test_one_failing_table_does_not_stop_the_others(
    standin: StandIn, client: StatBankClient, tmp_path: Path
):
    standin.queue("tableinfo", Reply(status=400, body=b'{"message": "Tabel findes ikke"}'))
    standin.queue("tableinfo", json_reply(tableinfo("BU43")))
    standin.serve("data", Reply(body=BULK["BU43"].encode()))

    results = refresh(["FOLK1A", "BU43"], tmp_path, client)

    assert [(result.table, result.status) for result in results] == [
        ("FOLK1A", "failed"),
        ("BU43", "fetched"),
    ]
    assert "Tabel findes ikke" in (results[0].error or "")


def test_a_synthetic_snapshot_is_flagged_and_never_fresh(
    standin: StandIn, client: StatBankClient, tmp_path: Path
):
    meta = write_synthetic_snapshot("folk1a", tmp_path, BULK["FOLK1A"].encode())
    assert meta.synthetic and is_synthetic("FOLK1A", tmp_path)
    assert json.loads(snapshot_paths("FOLK1A", tmp_path)[1].read_text())["synthetic"] is True
    assert read_snapshot("FOLK1A", tmp_path) == BULK["FOLK1A"]

    standin.serve_table("FOLK1A")
    [result] = refresh(["FOLK1A"], tmp_path, client, max_age=timedelta(days=365))

    assert result.status == "fetched"
    assert not is_synthetic("FOLK1A", tmp_path)


def test_a_changed_csv_is_refused(tmp_path: Path):
    write_synthetic_snapshot("BU43", tmp_path, BULK["BU43"].encode())
    csv_path, _ = snapshot_paths("BU43", tmp_path)
    csv_path.write_bytes(csv_path.read_bytes()[:-10])  # as if cut off mid-write
    with pytest.raises(SnapshotError, match="does not match the sha256") as changed:
        read_snapshot("BU43", tmp_path)
    assert not isinstance(changed.value, SnapshotMissingError)  # there, but unreadable


def test_a_missing_snapshot_is_named_as_missing_not_as_lacking_its_json(tmp_path: Path):
    assert snapshot_age("FOLK1A", tmp_path) is None
    with pytest.raises(SnapshotError, match="No StatBank snapshot for FOLK1A") as read:
        read_snapshot("FOLK1A", tmp_path)
    with pytest.raises(SnapshotError, match="No StatBank snapshot for FOLK1A") as meta:
        read_snapshot_meta("FOLK1A", tmp_path)
    assert "request" not in str(read.value) + str(meta.value)
    # Missing, not unreadable: the figures that need it say so (SPEC §6, reason codes).
    assert isinstance(read.value, SnapshotMissingError)
    assert isinstance(meta.value, SnapshotMissingError)


def test_a_csv_placed_by_hand_is_read_with_its_sha256_and_modification_time(tmp_path: Path):
    """SPEC §6: a BULK file downloaded from statbank.dk, no request JSON beside it."""
    csv_path = snapshot_paths("FOLK1A", tmp_path)[0]
    csv_path.write_text(BULK["FOLK1A"], encoding="utf-8")
    os.utime(csv_path, (1_700_000_000, 1_700_000_000))

    meta = read_snapshot_meta("FOLK1A", tmp_path)

    assert read_snapshot("FOLK1A", tmp_path) == BULK["FOLK1A"]
    assert (meta.provenance, meta.placed_by_hand, meta.synthetic) == ("placed by hand", True, False)
    assert meta.sha256 == hashlib.sha256(csv_path.read_bytes()).hexdigest()
    assert meta.modified_at == datetime.fromtimestamp(1_700_000_000, UTC)
    assert meta.fetched_at is None


def test_an_unreadable_request_json_is_a_snapshot_error(tmp_path: Path):
    write_synthetic_snapshot("BU43", tmp_path, BULK["BU43"].encode())
    meta_path = snapshot_paths("BU43", tmp_path)[1]
    meta_path.write_text('{"table": "BU43", "fetched_at": "yesterday"}')
    with pytest.raises(SnapshotError, match="cannot be read"):
        read_snapshot_meta("BU43", tmp_path)
    meta_path.write_text("[1, 2")
    with pytest.raises(SnapshotError, match="not valid JSON"):
        read_snapshot("BU43", tmp_path)


def test_an_empty_table_list_refreshes_nothing(
    standin: StandIn, client: StatBankClient, tmp_path: Path
):
    assert refresh([], tmp_path, client) == []
    assert standin.requests == []


def test_a_crash_while_writing_leaves_the_old_pair_and_no_temp_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    write_synthetic_snapshot("BU43", tmp_path, b"old")
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        write_synthetic_snapshot("BU43", tmp_path, b"new")

    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == before


def test_refresh_refuses_an_unknown_table_before_fetching(
    standin: StandIn, client: StatBankClient, tmp_path: Path
):
    with pytest.raises(ValueError, match="Unknown StatBank table 'FOLK1B'"):
        refresh(["FOLK1A", "FOLK1B"], tmp_path, client)
    assert standin.requests == []


def test_refresh_of_all_tables_by_default(standin: StandIn, tmp_path: Path):
    for table in ("FOLK1A", "ANBAAR12", "ANBAAR9", "BU43"):
        standin.queue("tableinfo", json_reply(tableinfo(table)))
        standin.queue("data", Reply(body=BULK[table].encode()))
    out = io.StringIO()

    code = run_refresh(None, tmp_path, standin.base_url, max_age=None, out=out)

    assert code == 0
    assert sorted(path.name for path in tmp_path.glob("*.csv")) == [
        "ANBAAR12.csv",
        "ANBAAR9.csv",
        "BU43.csv",
        "FOLK1A.csv",
    ]
    assert out.getvalue().count("fetched") == 4


def test_command_line_reads_settings_and_fails_with_1(
    standin: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    monkeypatch.setenv("NOEGLETAL_ENV", "demo")
    monkeypatch.setenv("NOEGLETAL_LANDING", str(tmp_path))
    monkeypatch.setenv("NOEGLETAL_STATBANK_URL", standin.base_url)
    standin.serve("tableinfo", Reply(status=400, body=b'{"message": "Tabel findes ikke"}'))

    code = main(["statbank", "refresh", "--table", "BU43", "--max-age-hours", "6"])

    assert code == 1
    assert "BU43: FAILED, and there is no snapshot: " in capsys.readouterr().out
    assert standin.bodies("tableinfo") == [{"table": "BU43", "format": "JSON", "lang": "da"}]


def test_command_line_landing_option_and_repeated_table_flags(
    standin: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    monkeypatch.setenv("NOEGLETAL_ENV", "demo")
    monkeypatch.setenv("NOEGLETAL_LANDING", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("NOEGLETAL_STATBANK_URL", standin.base_url)
    for table in ("BU43", "ANBAAR9", "FOLK1A"):
        standin.queue("tableinfo", json_reply(tableinfo(table)))
        standin.queue("data", Reply(body=BULK[table].encode()))
    landing = tmp_path / "landing"

    tables = ["--table", "BU43", "ANBAAR9", "--table", "FOLK1A"]
    code = main(["statbank", "refresh", "--landing", str(landing), *tables])

    assert code == 0, capsys.readouterr().out
    assert sorted(p.name for p in (landing / "statbank").glob("*.csv")) == [
        "ANBAAR9.csv",
        "BU43.csv",
        "FOLK1A.csv",
    ]
    assert not (tmp_path / "elsewhere").exists()
