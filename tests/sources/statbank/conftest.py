from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from pipeline.sources.statbank.client import StatBankClient
from pipeline.sources.statbank.tableinfo import TableInfo, parse_table_info
from tests.sources.statbank.standin import StandIn, tableinfo


@pytest.fixture
def standin() -> Iterator[StandIn]:
    server = StandIn().start()
    yield server
    server.stop()


@pytest.fixture
def client(standin: StandIn) -> Iterator[StatBankClient]:
    # Tiny timeout and no real backoff: every test of the suite stays well under a second.
    with StatBankClient(
        base_url=standin.base_url, timeout=2.0, max_retries=2, backoff_seconds=0.0
    ) as statbank:
        yield statbank


@pytest.fixture
def folk1a_info() -> TableInfo:
    return parse_table_info(tableinfo("FOLK1A"))


@pytest.fixture
def refused_url() -> str:
    """A base URL on a local port nobody listens on (connection refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"
