"""Offline snapshots of StatBank answers, and the one refresh routine that makes them.

Layout, one pair of files per table in `<landing>/statbank/`:

    FOLK1A.csv            the BULK answer, byte for byte as DST sent it
    FOLK1A.request.json   what produced it: request body, URL, UTC fetch time, HTTP status,
                          byte count and sha256 of the CSV, the table's `updated` stamp and
                          `suppressedDataValue` from tableinfo, and `"synthetic": false`

A snapshot written by the demo generator carries `"synthetic": true` instead of fetch facts. A
CSV placed by hand (downloaded from statbank.dk as BULK text) has no JSON beside it; it is read
all the same and described as "placed by hand" with its sha256 and modification time (SPEC §6).
Live answers are saved before they are parsed (SPEC §6), so a parser failure never loses what
DST sent. Both files are written to temporary files and renamed into place; the sha256 in the
JSON lets a reader notice a CSV that does not belong to it (a crash between the two renames, or
a hand edit), so a half-written pair is detected rather than parsed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal, Protocol

from pipeline.sources.statbank.client import BulkAnswer
from pipeline.sources.statbank.errors import SnapshotError, SnapshotMissingError, StatBankError
from pipeline.sources.statbank.request import DataRequest
from pipeline.sources.statbank.tables import STATBANK_TABLES, request_for

SNAPSHOT_FORMAT = 1


class BulkFetcher(Protocol):
    """What `refresh` needs from a client (StatBankClient, or a stand-in in tests)."""

    def fetch_bulk_answer(self, request: DataRequest) -> BulkAnswer: ...


@dataclass(frozen=True)
class SnapshotMeta:
    """The contents of `<TABLE>.request.json`."""

    table: str
    synthetic: bool
    url: str | None = None
    request: dict[str, object] | None = None
    fetched_at: datetime | None = None
    http_status: int | None = None
    bytes: int | None = None
    sha256: str | None = None
    table_updated: str | None = None
    suppressed_data_value: str | None = None
    note: str | None = None
    placed_by_hand: bool = False  # no request JSON beside the CSV
    modified_at: datetime | None = None  # the CSV's mtime (placed by hand only)

    @property
    def provenance(self) -> str:
        if self.placed_by_hand:
            return "placed by hand"
        return "synthetic" if self.synthetic else "fetched"

    def to_json(self) -> dict[str, object]:
        return {
            "snapshot_format": SNAPSHOT_FORMAT,
            "table": self.table,
            "synthetic": self.synthetic,
            "url": self.url,
            "request": self.request,
            "fetched_at": self.fetched_at.isoformat() if self.fetched_at else None,
            "http_status": self.http_status,
            "bytes": self.bytes,
            "sha256": self.sha256,
            "table_updated": self.table_updated,
            "suppressed_data_value": self.suppressed_data_value,
            "note": self.note,
            "placed_by_hand": self.placed_by_hand,
            "modified_at": self.modified_at.isoformat() if self.modified_at else None,
        }

    @classmethod
    def from_json(cls, payload: dict[str, object]) -> SnapshotMeta:
        fetched_at = payload.get("fetched_at")
        request = payload.get("request")
        status = payload.get("http_status")
        size = payload.get("bytes")
        return cls(
            table=str(payload.get("table", "")),
            synthetic=payload.get("synthetic") is True,
            url=_str_or_none(payload.get("url")),
            request=request if isinstance(request, dict) else None,
            fetched_at=datetime.fromisoformat(fetched_at) if isinstance(fetched_at, str) else None,
            http_status=status if isinstance(status, int) else None,
            bytes=size if isinstance(size, int) else None,
            sha256=_str_or_none(payload.get("sha256")),
            table_updated=_str_or_none(payload.get("table_updated")),
            suppressed_data_value=_str_or_none(payload.get("suppressed_data_value")),
            note=_str_or_none(payload.get("note")),
        )


@dataclass(frozen=True)
class RefreshResult:
    """What `refresh` did for one table."""

    table: str
    status: Literal["fetched", "fresh", "offline", "failed"]
    path: Path
    age: timedelta | None = None  # age of the snapshot that was kept ("fresh", "offline")
    bytes: int | None = None  # size of the answer saved ("fetched")
    error: str | None = None  # why it failed ("failed"); the old snapshot stays in place

    @property
    def ok(self) -> bool:
        return self.status != "failed"


def snapshot_paths(table: str, statbank_dir: Path) -> tuple[Path, Path]:
    """The CSV and request-JSON paths of `table`'s snapshot."""
    name = table.upper()
    return statbank_dir / f"{name}.csv", statbank_dir / f"{name}.request.json"


def write_snapshot(answer: BulkAnswer, statbank_dir: Path) -> SnapshotMeta:
    """Save a live answer and its request beside it, atomically, before anyone parses it."""
    meta = SnapshotMeta(
        table=answer.table,
        synthetic=False,
        url=answer.url,
        request=answer.request_body,
        fetched_at=answer.fetched_at.astimezone(UTC),
        http_status=answer.status,
        bytes=len(answer.body),
        sha256=hashlib.sha256(answer.body).hexdigest(),
        table_updated=answer.table_info.updated,
        suppressed_data_value=answer.table_info.suppressed_data_value,
    )
    _write_pair(answer.table, statbank_dir, answer.body, meta)
    return meta


def write_synthetic_snapshot(
    table: str, statbank_dir: Path, body: bytes, *, note: str = "synthetic demo data"
) -> SnapshotMeta:
    """Save generated BULK text as a snapshot flagged `"synthetic": true` (for the demo)."""
    meta = SnapshotMeta(
        table=table.upper(),
        synthetic=True,
        bytes=len(body),
        sha256=hashlib.sha256(body).hexdigest(),
        note=note,
    )
    _write_pair(table, statbank_dir, body, meta)
    return meta


def read_snapshot(table: str, statbank_dir: Path) -> str:
    """The snapshot's BULK text, after checking it is the CSV its request JSON describes."""
    csv_path, _ = snapshot_paths(table, statbank_dir)
    body = _read_csv(table, csv_path)
    meta = read_snapshot_meta(table, statbank_dir)
    if meta.sha256 is not None and hashlib.sha256(body).hexdigest() != meta.sha256:
        raise SnapshotError(
            f"{csv_path} does not match the sha256 in its request JSON: it was changed or only "
            "partly written. Refresh it rather than trust it."
        )
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SnapshotError(f"{csv_path} is not UTF-8 text: {exc}") from exc


def _read_csv(table: str, csv_path: Path) -> bytes:
    try:
        return csv_path.read_bytes()
    except FileNotFoundError:
        raise SnapshotMissingError(
            f"No StatBank snapshot for {table.upper()} at {csv_path}; run "
            "`noegletal statbank refresh` (needs network), place the BULK file downloaded from "
            "statbank.dk there, or generate the demo data."
        ) from None
    except OSError as exc:
        raise SnapshotError(f"{csv_path} cannot be read: {exc.strerror}") from None


def read_snapshot_meta(table: str, statbank_dir: Path) -> SnapshotMeta:
    """The snapshot's request JSON; for a CSV placed by hand (no JSON beside it), its sha256 and
    modification time."""
    csv_path, meta_path = snapshot_paths(table, statbank_dir)
    if not meta_path.exists():
        body = _read_csv(table, csv_path)
        return SnapshotMeta(
            table=table.upper(),
            synthetic=False,
            bytes=len(body),
            sha256=hashlib.sha256(body).hexdigest(),
            note="placed by hand: no request JSON beside the CSV",
            placed_by_hand=True,
            modified_at=datetime.fromtimestamp(csv_path.stat().st_mtime, UTC),
        )
    try:
        payload = json.loads(meta_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise SnapshotError(f"{meta_path} is not valid JSON: {exc}") from exc
    if not isinstance(payload, dict):
        raise SnapshotError(f"{meta_path} is not a JSON object")
    try:
        return SnapshotMeta.from_json(payload)
    except ValueError as exc:  # e.g. a fetched_at that is not an ISO timestamp
        raise SnapshotError(f"{meta_path} cannot be read: {exc}") from exc


def is_synthetic(table: str, statbank_dir: Path) -> bool:
    """Whether the snapshot was generated (demo) rather than fetched from StatBank."""
    return read_snapshot_meta(table, statbank_dir).synthetic


def snapshot_age(
    table: str, statbank_dir: Path, *, now: datetime | None = None
) -> timedelta | None:
    """Time since the snapshot's CSV was written (its mtime), or None when there is none."""
    csv_path, _ = snapshot_paths(table, statbank_dir)
    try:
        modified = csv_path.stat().st_mtime
    except FileNotFoundError:
        return None
    current = now if now is not None else datetime.now(UTC)
    return current - datetime.fromtimestamp(modified, UTC)


def refresh(
    tables: Sequence[str] | None,
    statbank_dir: Path,
    client: BulkFetcher,
    max_age: timedelta | None = None,
    *,
    now: datetime | None = None,
) -> list[RefreshResult]:
    """Fetch each table whose snapshot is missing or older than `max_age` (None: always fetch).

    The single code path for `noegletal statbank refresh` and the nightly schedule. A table that
    fails (DST unavailable, request rejected) is reported as "failed" and the others still run;
    its previous snapshot stays untouched, so the run can carry on with the last good data.
    A synthetic (demo) snapshot never counts as fresh.
    """
    names = [request_for(table).table for table in (STATBANK_TABLES if tables is None else tables)]
    statbank_dir.mkdir(parents=True, exist_ok=True)
    results: list[RefreshResult] = []
    for table in dict.fromkeys(names):
        csv_path, _ = snapshot_paths(table, statbank_dir)
        age = snapshot_age(table, statbank_dir, now=now)
        fresh = max_age is not None and age is not None and age <= max_age
        if fresh and not _synthetic_or_unreadable(table, statbank_dir):
            results.append(RefreshResult(table, "fresh", csv_path, age=age))
            continue
        try:
            answer = client.fetch_bulk_answer(request_for(table))
            meta = write_snapshot(answer, statbank_dir)
        except StatBankError as exc:
            results.append(RefreshResult(table, "failed", csv_path, error=str(exc)))
            continue
        results.append(RefreshResult(table, "fetched", csv_path, bytes=meta.bytes))
    return results


def _synthetic_or_unreadable(table: str, statbank_dir: Path) -> bool:
    try:
        return is_synthetic(table, statbank_dir)
    except SnapshotError:
        return True


def _write_pair(table: str, statbank_dir: Path, body: bytes, meta: SnapshotMeta) -> None:
    statbank_dir.mkdir(parents=True, exist_ok=True)
    csv_path, meta_path = snapshot_paths(table, statbank_dir)
    meta_bytes = (json.dumps(meta.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    csv_tmp = _write_temp(csv_path, body)
    try:
        meta_tmp = _write_temp(meta_path, meta_bytes)
    except BaseException:
        csv_tmp.unlink(missing_ok=True)
        raise
    # Both files are complete on disk before either replaces the old pair.
    csv_tmp.replace(csv_path)
    meta_tmp.replace(meta_path)


def _write_temp(target: Path, data: bytes) -> Path:
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None
