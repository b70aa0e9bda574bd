"""The nightly schedule's StatBank step: refresh the snapshots that are too old, and only those.

The schedule calls one function, `refresh_stale_snapshots(settings)`. Two settings govern it
(README, "Danmarks Statistik (StatBank)"):

- `NOEGLETAL_STATBANK_MAX_AGE_HOURS` (`Settings.statbank_max_age`, default 168 h): a snapshot
  younger than this is kept. A synthetic (demo) snapshot is never fresh (see `refresh`).
- `NOEGLETAL_STATBANK_OFFLINE` (`Settings.statbank_offline`, default on in demo mode, off in
  production): when on, nothing is fetched and every snapshot is kept as it is.

The network is touched only when some table is stale and the switch is off: the HTTP client is
created on the first fetch, so a night where every snapshot is fresh never opens a connection.
A table that cannot be fetched is reported as "failed" and keeps its last good snapshot; the
other tables still run, and the assets then read whatever snapshots are in place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from types import TracebackType

from pipeline.settings import Settings
from pipeline.sources.statbank.client import BulkAnswer, StatBankClient
from pipeline.sources.statbank.request import DataRequest
from pipeline.sources.statbank.snapshots import (
    BulkFetcher,
    RefreshResult,
    refresh,
    snapshot_age,
    snapshot_paths,
)
from pipeline.sources.statbank.tables import STATBANK_TABLES, request_for

ClientFactory = Callable[[], BulkFetcher]


def refresh_stale_snapshots(
    settings: Settings,
    *,
    tables: Sequence[str] | None = None,
    client_factory: ClientFactory | None = None,
    now: datetime | None = None,
) -> list[RefreshResult]:
    """Fetch each StatBank table whose snapshot is missing, synthetic or older than
    `settings.statbank_max_age`; keep every snapshot when `settings.statbank_offline` is set.

    One `RefreshResult` per table (all four by default), in the order of `tables`: "fetched",
    "fresh" (kept, young enough), "offline" (kept, switch on) or "failed" (DST unavailable or
    the request rejected, or offline with no snapshot at all; the old snapshot stays).
    `client_factory` makes the client on first use (default: a `StatBankClient` on
    `settings.statbank_url`); tests pass a stand-in.
    """
    if settings.statbank_offline:
        return _offline(tables, settings, now)
    factory = client_factory or (lambda: StatBankClient(base_url=settings.statbank_url))
    with _LazyClient(factory) as client:
        return refresh(tables, settings.statbank_dir, client, settings.statbank_max_age, now=now)


def _offline(
    tables: Sequence[str] | None, settings: Settings, now: datetime | None
) -> list[RefreshResult]:
    names = [request_for(table).table for table in (STATBANK_TABLES if tables is None else tables)]
    results: list[RefreshResult] = []
    for table in dict.fromkeys(names):
        csv_path, _ = snapshot_paths(table, settings.statbank_dir)
        age = snapshot_age(table, settings.statbank_dir, now=now)
        if age is None:
            results.append(
                RefreshResult(
                    table,
                    "failed",
                    csv_path,
                    error="no snapshot, and NOEGLETAL_STATBANK_OFFLINE forbids fetching one",
                )
            )
        else:
            results.append(RefreshResult(table, "offline", csv_path, age=age))
    return results


class _LazyClient:
    """A BulkFetcher that creates the real client on the first fetch and closes it at the end."""

    def __init__(self, factory: ClientFactory) -> None:
        self._factory = factory
        self._client: BulkFetcher | None = None

    def fetch_bulk_answer(self, request: DataRequest) -> BulkAnswer:
        if self._client is None:
            self._client = self._factory()
        return self._client.fetch_bulk_answer(request)

    def __enter__(self) -> _LazyClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        close = getattr(self._client, "close", None)
        if callable(close):
            close()
