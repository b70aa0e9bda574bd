"""Shared runs of the demo generator.

The municipal demo is generated once per session at 2 % of the real population, which keeps
every test here within seconds; the few tests that need full-size numbers simulate a single
municipality's history directly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from demo import write_demo_data
from demo.summary import DeliverySummary, DemoSummary
from tests.demo.demo_helpers import SEED, SMALL


@pytest.fixture(scope="session")
def municipal(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    out = tmp_path_factory.mktemp("municipal")
    return write_demo_data(out, "municipal", SEED, population_scale=SMALL)


@pytest.fixture(scope="session")
def newest(municipal: DemoSummary) -> list[DeliverySummary]:
    return [municipal.newest(m.code) for m in municipal.municipalities]


@pytest.fixture(scope="session")
def statbank_dir(municipal: DemoSummary) -> Path:
    return municipal.out / "statbank"
