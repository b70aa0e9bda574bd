"""A build leaves the seeds and their tests out while the dbt project is the one that loaded
them (pipeline/dbt/seeds.py; when a seed table is gone or the project changed:
tests/dbt/test_seeds.py). The tests between a model and a seed still run, and the indicators
are the same either way."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.dbt.project import dbt_dir
from pipeline.dbt.seeds import LOADED, seeds_key
from tests.harness import EMPTY_CORE_FILES, ONE_CHILD, ONE_PLACEMENT

# A relationships test from a mart to a seed: it has a model among its parents, so it runs in
# every build, with or without the seeds.
MODEL_TO_SEED = "relationships_indicator_values_indicator_id__indicator_id__ref_indicators_"


def nodes_of_newest_build(data_dir: Path) -> dict[str, set[str]]:
    """resource type -> names of the nodes the newest dbt build ran (from its dbt.log)."""
    folders = sorted(
        (dbt_dir(data_dir) / "invocations").iterdir(), key=lambda path: path.stat().st_mtime_ns
    )
    ran: dict[str, set[str]] = {}
    for log in sorted(folders[-1].glob("dbt.log*")):
        for line in log.read_text(encoding="utf-8").splitlines():
            event = json.loads(line)
            if event["info"]["name"] == "NodeFinished":
                node = event["data"]["node_info"]
                ran.setdefault(node["resource_type"], set()).add(node["node_name"])
    return ran


def indicator_values(harness) -> list[tuple]:
    # As text, so that two empty values compare equal (NaN != NaN).
    return list(
        harness.query(
            "select indicator_id, cutoff_date::varchar, coalesce(numerator::varchar, 'null'), "
            "coalesce(denominator::varchar, 'null'), coalesce(value::varchar, 'null'), status "
            "from marts.indicator_values order by all"
        ).itertuples(index=False)
    )


def test_a_second_build_of_the_same_project_leaves_only_the_seeds_and_their_tests_out(harness):
    harness.delivery(
        "101", "2026-01-08", {"children": ONE_CHILD, "measures": ONE_PLACEMENT, **EMPTY_CORE_FILES}
    )
    harness.population({("101", "2024K1"): 180})
    cutoffs = ["2023-12-31"]

    assert harness.run(cutoffs=cutoffs).ok
    first = nodes_of_newest_build(harness.data_dir)
    assert {"units", "municipalities", "indicators"} <= first["seed"]
    assert harness.query(f"select project_key from {LOADED}").project_key.tolist() == [seeds_key()]
    values = indicator_values(harness)
    assert values

    summary = harness.run(cutoffs=cutoffs)
    assert summary.ok, summary
    second = nodes_of_newest_build(harness.data_dir)
    assert "seed" not in second
    assert second["model"] == first["model"]
    # Only the seeds' own tests are left out (not_null_units_unit, say, tests a seed alone).
    assert any(MODEL_TO_SEED in name for name in second["test"])
    left_out = first["test"] - second["test"]
    assert left_out and all("indicator_values" not in name for name in left_out)
    assert indicator_values(harness) == values
