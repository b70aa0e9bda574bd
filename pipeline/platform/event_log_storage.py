"""Dagster's SQLite event log, with its database connections kept open between events.

Dagster's `SqliteEventLogStorage` builds a new SQLAlchemy engine (NullPool) for every
connection and opens several per event (the run's shard, then the cross-run index for asset
and check events), and a national run stores about 10,000 events (a planned and a
materialization event per landing asset and municipality, three per dbt test): that
bookkeeping was a large share of a run (benchmarks/README.md, item 5, has the figures).

This class keeps one engine per shard file, for the most recently used shards only (a long-
running daemon touches many run shards). Everything else, the files, their schema and what is
written, is Dagster's: an instance can switch between this class and Dagster's own at any time.
It is configured in `<data-dir>/dagster/dagster.yaml` (pipeline/platform/instance.py).

Two more costs of every event (benchmarks/README.md, item 24):
- `has_table`, which Dagster asks before every asset check event, built a new engine and
  inspected the index schema each time. A table that exists stays (Dagster's migrations only
  add them), so a yes is remembered.
- Every event is committed; with SQLite's default `synchronous=FULL` each commit waits for the
  disk. The shards are in WAL mode (Dagster sets it), where `NORMAL` cannot corrupt the
  database; a power cut may lose the last events before it, not the files.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SqliteEventLogStorage,
)
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._serdes import ConfigurableClassData
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

# Engines kept open at once: the index shard and the shards of the runs in progress.
KEPT_ENGINES = 8


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None) -> None:
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._engines_lock = threading.RLock()
        self._tables_seen: set[str] = set()
        super().__init__(base_dir, inst_data=inst_data)

    @classmethod
    def from_config_value(  # ty: ignore[invalid-method-override]
        cls, inst_data: ConfigurableClassData | None, config_value: Any
    ) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        # Same transaction per use as Dagster's: begin, yield, commit (or roll back).
        with self._db_lock:
            engine = self._engine(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def _engine(self, shard: str) -> Engine:
        with self._engines_lock:
            engine = self._engines.get(shard)
            if engine is not None:
                self._engines.move_to_end(shard)
                return engine
            engine = create_engine(
                self.conn_string_for_shard(shard),
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
            )
            event.listen(engine, "connect", _commit_without_waiting_for_the_disk)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            self._engines[shard] = engine
            while len(self._engines) > KEPT_ENGINES:
                _, oldest = self._engines.popitem(last=False)
                oldest.dispose()
            return engine

    def has_table(self, table_name: str) -> bool:
        if table_name in self._tables_seen:
            return True
        with self._engine(INDEX_SHARD_NAME).connect() as conn:
            found = bool(conn.dialect.has_table(conn, table_name))
        if found:
            self._tables_seen.add(table_name)
        return found

    def _dispose_engines(self) -> None:
        with self._engines_lock:
            while self._engines:
                _, engine = self._engines.popitem()
                engine.dispose()

    def wipe(self) -> None:
        # Dagster deletes the shard files: no connection may stay open on a deleted file.
        self._dispose_engines()
        self._tables_seen.clear()
        super().wipe()

    def dispose(self) -> None:
        self._dispose_engines()
        super().dispose()


def _commit_without_waiting_for_the_disk(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
