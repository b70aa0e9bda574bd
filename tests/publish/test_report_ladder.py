"""The report's ladder comes from the catalogue (the indicators seed's `ladder_step`), and the
report's own bar names name exactly the catalogue's ladder bars."""

from __future__ import annotations

import pandas as pd

from pipeline.paths import SEEDS_DIR
from pipeline.publish.report import LADDER_NAMES, ladder


def _seed_catalogue() -> pd.DataFrame:
    """The indicators seed as the published catalogue holds it (ids as text, steps as ints)."""
    seed = pd.read_csv(SEEDS_DIR / "reference" / "indicators.csv", dtype=str, keep_default_na=False)
    seed = seed.replace("", None)
    return seed.astype({"ladder_step": "Int64", "sort_order": "int64"})


def test_the_named_bars_are_exactly_the_catalogues_ladder_lightest_step_first() -> None:
    bars = ladder(_seed_catalogue())
    assert [key for key, _, _ in bars] == ["6", "5.3", "5.2", "5.1", "4", "3", "1"]
    # A name for an indicator that is no bar, or a bar without a name, means the seed and the
    # report disagree about the ladder.
    assert {key for key, _, _ in bars} == set(LADDER_NAMES)
    assert [(name, short) for _, name, short in bars] == [LADDER_NAMES[k] for k, _, _ in bars]


def test_a_new_ladder_indicator_is_drawn_with_its_short_name_on_its_step() -> None:
    catalogue = _seed_catalogue()
    extra = catalogue[catalogue["indicator_id"] == "4"].assign(
        indicator_id="4.9", parent_id=None, short_name_da="Ny", ladder_step=5
    )
    bars = ladder(pd.concat([catalogue, extra], ignore_index=True))
    assert [key for key, _, _ in bars][-3:] == ["3", "4.9", "1"]
    assert bars[-2] == ("4.9", "Ny", "Ny")
