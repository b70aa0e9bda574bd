"""The dbt environment of the assets: given to the dbt call, never set in this process."""

import os

import dagster as dg

from pipeline.assets import OWNER
from pipeline.assets.dbt import DOCS_POINTER, SUMMARY_CHARACTERS, dbt_environment, summary
from pipeline.definitions import defs
from pipeline.settings import Settings


def test_the_environment_of_a_build_holds_the_threshold_and_scope_and_changes_nothing(tmp_path):
    settings = Settings.from_env(
        {
            "NOEGLETAL_ENV": "demo",
            "NOEGLETAL_DATA_DIR": str(tmp_path),
            "NOEGLETAL_SUPPRESSION_THRESHOLD": "0",
        }
    )
    before = dict(os.environ)
    env = dbt_environment(settings, {"municipalities": ["330"], "cutoff_dates": []})
    assert env["NOEGLETAL_SUPPRESSION_THRESHOLD"] == "0"
    assert env["NOEGLETAL_DBT_MUNICIPALITIES"] == "330"
    assert env["NOEGLETAL_WAREHOUSE_PATH"] == str(settings.warehouse_path)
    assert (env["DBT_INDIRECT_SELECTION"], env["DBT_WRITE_JSON"]) == ("buildable", "false")
    assert dict(os.environ) == before


def test_a_summary_is_the_first_paragraph_cut_after_a_whole_sentence():
    assert summary("One line.\n\nThe rules, at length.") == "One line."
    assert summary("Wrapped\n  over two lines.") == "Wrapped over two lines."
    # 24 characters allowed: the second sentence would end at 31, so only the first is kept.
    assert summary("First sentence. Second sentence. Third.", limit=24) == "First sentence."
    assert summary("no sentence ends within the limit here", limit=20) == "no sentence ends …"


def test_every_asset_has_an_owner_and_a_description_short_enough_to_read():
    graph = defs.resolve_asset_graph()
    nodes = [graph.get(key) for key in graph.get_all_asset_keys()]
    assert len(nodes) > 90
    assert {owner for node in nodes for owner in node.owners} == {OWNER}
    assert all(node.owners for node in nodes)
    longest = max(len(node.description or "") for node in nodes)
    assert 0 < longest <= SUMMARY_CHARACTERS + len(DOCS_POINTER) + 2
    indicators = graph.get(dg.AssetKey(["marts", "indicator_values"])).description
    assert indicators.startswith("The key indicators (nøgletal)")
    assert "select" not in indicators.lower()
