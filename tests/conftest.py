"""Shared test fixtures. Every CPR number in the tests is synthetic: the serial counts up from
the lowest value its century digit allows (010115-4001, 010115-4002, ...)."""

from collections.abc import Iterator

import pytest

from pipeline.dbt.project import ensure_manifest
from tests.harness import PipelineHarness

# The Dagster definitions read dbt's manifest when imported; make it current once per session.
ensure_manifest()


@pytest.fixture
def harness(tmp_path, monkeypatch) -> PipelineHarness:
    """An empty landing area and data directory, with the environment pointing at them."""
    return PipelineHarness.create(tmp_path, monkeypatch)


@pytest.fixture(scope="module")
def module_harness(tmp_path_factory) -> Iterator[PipelineHarness]:
    """As `harness`, shared by the tests of one module (one pipeline run for many asserts)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield PipelineHarness.create(tmp_path_factory.mktemp("pipeline"), monkeypatch)
