"""dbt models as Dagster assets, and the dbt tests as asset checks.

Every model is in one set, and a build run is ONE `dbt build` (seeds, staging, person and
measure tables, indicators, publication models and every test), over the municipalities and
cut-off dates of the run's configuration (`BuildScope`, pipeline/scope.py; empty = all). The
`tag:scoped` models (person statuses and indicator marts, incremental) delete and rewrite
exactly the rows of that scope, so reruns give identical rows; the `tag:published` models
(models/publication: what BI may see, suppressed) are rebuilt over every municipality and
cut-off date with the run's small-cell threshold. A full build leaves the seeds and their
tests out while the dbt project is unchanged since they were loaded (pipeline/dbt/seeds.py).

The dbt environment is built by small pure functions (pipeline/dbt/environment.py), tested
directly, and passed to the one dbt call it is for (DbtCli.cli(env=...)), never set in this
process's environment.
"""

import time
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtProject,
    dbt_assets,
)
from dagster_dbt.dbt_manifest import validate_manifest

from pipeline.assets import OWNER
from pipeline.dbt.environment import dbt_variables
from pipeline.dbt.project import ensure_manifest, keep_partial_parse, new_invocation_dir
from pipeline.dbt.resource import DbtCli
from pipeline.dbt.seeds import (
    WITHOUT_SEEDS,
    record_seeds_loaded,
    seed_nodes,
    seed_tables,
    seeds_key,
    seeds_loaded,
)
from pipeline.paths import DBT_PROJECT_DIR
from pipeline.resources import SettingsResource, WarehouseResource
from pipeline.scope import BUILD_OP, BuildScope, build_cutoffs, checked_municipalities, scope_label
from pipeline.settings import Settings

# Not DbtProject.prepare_if_dev(): it runs the `dbt` on PATH, which is not the venv's when
# `make dev` starts from a fresh shell, and it writes into the code checkout.
dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, target_path=ensure_manifest().parent)


class Translator(DagsterDbtTranslator):
    """Groups follow the dbt layers, so the asset graph reads as the data flow. The UI shows a
    model's summary, not its SQL (dagster-dbt's default put 12,000 characters of rule and SQL
    on `published_indicator_values`): the rules are in the dbt docs."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "dbt"

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        text = dbt_resource_props.get("description") or ""
        kind, name = dbt_resource_props["resource_type"], dbt_resource_props["name"]
        return f"{summary(text) or f'dbt {kind} {name}.'}\n\n{DOCS_POINTER}"

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> Sequence[str]:
        return [OWNER]


DOCS_POINTER = "Every rule and column: the dbt docs (`serving/docs/index.html`)."
SUMMARY_CHARACTERS = 400


def summary(description: str, limit: int = SUMMARY_CHARACTERS) -> str:
    """The first paragraph of a description, cut after its last whole sentence within `limit`."""
    first = " ".join(description.strip().split("\n\n")[0].split())
    if len(first) <= limit:
        return first
    cut = first[:limit]
    end = cut.rfind(". ")
    return cut[: end + 1] if end > 0 else cut.rsplit(" ", 1)[0] + " …"


translator = Translator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))
_manifest = validate_manifest(dbt_project.manifest_path)
SEED_TABLES = seed_tables(_manifest)
SEED_KEYS = frozenset(translator.get_asset_key(node) for node in seed_nodes(_manifest))


# dbt's unit tests check the SQL logic on fixed inputs, not the night's data: they cannot
# change between runs of the same code, so they run in the test suite
# (tests/e2e/test_dbt_unit_tests.py), not in every build (their cost per run:
# benchmarks/README.md, item 7), as dbt advises
# (run unit tests in development and CI only: https://docs.getdbt.com/docs/build/unit-tests).
DBT_BUILD = ["build", "--exclude-resource-type", "unit_test"]


def dbt_environment(
    settings: Settings, scope: Mapping[str, list[str]] | None = None
) -> dict[str, str]:
    """The variables of a build's dbt call, passed to that call only (DbtCli.cli(env=...)):
    dbt finds the warehouse through NOEGLETAL_WAREHOUSE_PATH (profiles.yml), the run's scope
    and small-cell threshold through the variables the macros read.

    DBT_INDIRECT_SELECTION=buildable: when the UI materializes some models only, a test runs
    only when all its parents are in the build. dbt's default ("eager") would run the
    publication audits, which compare the published rows with the marts, in a build of the
    marts alone. dagster-dbt still overrides it when it subsets a build.

    DBT_WRITE_JSON=false: no manifest.json and run_results.json in the invocation's target
    folder, which cost time in every build (benchmarks/README.md, item 22). Dagster reads dbt's
    structured log, not these files; the results are in the run's events and in dbt.log
    beside them.
    """
    return {
        **dbt_variables(settings, scope),
        "DBT_INDIRECT_SELECTION": "buildable",
        "DBT_WRITE_JSON": "false",
    }


def run_dbt_build(
    context: dg.AssetExecutionContext,
    dbt: DbtCli,
    settings: Settings,
    scope: Mapping[str, list[str]] | None = None,
    *,
    without_seeds: bool = False,
) -> Iterator[Any]:
    """One `dbt build` of the selected models over `scope`, in a target folder of its own
    under the data directory (pipeline/dbt/project.py), starting from the last build's parse;
    `without_seeds` leaves the seeds and the tests of seeds alone out (pipeline/dbt/seeds.py)."""
    label = f"{context.run.run_id[:8]}-{context.op_execution_context.op.name}"
    target = new_invocation_dir(settings.data_dir, label)
    env = dbt_environment(settings, scope)
    args = [*DBT_BUILD, *WITHOUT_SEEDS] if without_seeds else DBT_BUILD
    yield from dbt.cli(args, context=context, target_path=target, env=env).stream()
    keep_partial_parse(target, settings.data_dir)


# The incremental marts whose outputs carry the counts of the rows the run wrote, by status.
# dagster-dbt names outputs after the asset key.
SCOPED_MARTS = {
    "marts__indicator_values": "marts.indicator_values",
    "marts__goal_attainment": "marts.goal_attainment",
}


@dbt_assets(
    manifest=dbt_project.manifest_path,
    dagster_dbt_translator=translator,
    name=BUILD_OP,
    pool="warehouse",
)
def dbt_models(
    context: dg.AssetExecutionContext,
    config: BuildScope,
    dbt: DbtCli,
    settings: SettingsResource,
    warehouse: WarehouseResource,
) -> Iterator[Any]:
    municipalities = checked_municipalities(config.municipalities)
    cutoffs = build_cutoffs(config.cutoff_dates)
    scope = {"municipalities": municipalities, "cutoff_dates": cutoffs}
    label = scope_label(config)
    run_settings = settings.load()
    context.log.info(
        f"build ({label}): {len(municipalities) or 'all'} municipalities x {len(cutoffs)} "
        f"cut-off dates; small-cell suppression threshold {run_settings.suppression_threshold}"
    )
    started = time.perf_counter()
    # Only a build of every model and check may skip the seeds, or record that it loaded them:
    # a seed materialized from the UI is loaded whatever the warehouse holds.
    full = is_full_build(context)
    key = seeds_key()
    with warehouse.get_connection() as conn:
        without_seeds = full and seeds_loaded(conn, key, SEED_TABLES)
    if without_seeds:
        context.log.info(
            "reference seeds: the dbt project is unchanged since they were loaded; "
            "seeds and their tests left out"
        )
    held: list[dg.Output[Any]] = []
    events = run_dbt_build(context, dbt, run_settings, scope, without_seeds=without_seeds)
    yield from hold_outputs_from(events, SCOPED_MARTS, held)
    # dbt has exited (successfully: a failed build raises) and released the warehouse.
    with warehouse.get_connection() as conn:
        if full and not without_seeds:
            record_seeds_loaded(conn, key)
        counts = {
            name: scope_counts(conn, table, municipalities, cutoffs)
            for name, table in SCOPED_MARTS.items()
        }
    context.log.info(f"rows written for the run's scope: {counts}")
    covered = {
        "scope_this_run": label,
        "municipalities_this_run": dg.MetadataValue.json(municipalities or "all"),
        "cutoff_dates_this_run": f"{cutoffs[0]} .. {cutoffs[-1]} ({len(cutoffs)})",
        "seconds_this_run": round(time.perf_counter() - started, 1),
    }
    for event in held:
        extra = scope_metadata(counts[event.output_name]) if event.output_name in counts else {}
        yield event.with_metadata({**event.metadata, **covered, **extra})


def is_full_build(context: dg.AssetExecutionContext) -> bool:
    """Every dbt asset and check of the set is selected (the jobs), not a subset (the UI)."""
    assets_def = context.assets_def
    return set(context.selected_asset_keys) == set(assets_def.keys) and set(
        context.selected_asset_check_keys
    ) == set(assets_def.check_keys)


def hold_outputs_from(
    events: Iterable[Any], names: Collection[str], held: list[dg.Output[Any]]
) -> Iterator[Any]:
    """Pass the events through, but keep back (in `held`) the Output of each output in `names`
    and every Output after the first one kept: an asset downstream of a kept one (goal_attainment
    reads indicator_values) must not be yielded before it, since Dagster requires a multi-asset
    to yield its outputs in topological order. Other events (checks, logs) pass at once."""
    for event in events:
        if isinstance(event, dg.Output) and (held or event.output_name in names):
            held.append(event)
        else:
            yield event


def scope_counts(
    conn: duckdb.DuckDBPyConnection, table: str, municipalities: list[str], cutoffs: list[str]
) -> dict[str, int]:
    """Rows per status of `table` in the run's scope (municipalities, all when empty, x
    cut-off dates)."""
    rows = conn.execute(
        f"select status, count(*) from {table} "
        "where (len(?::varchar[]) = 0 or municipality_code in (select unnest(?::varchar[]))) "
        "and cutoff_date in (select unnest(?::date[])) group by status order by status",
        [municipalities, municipalities, cutoffs],
    ).fetchall()
    return {str(status): int(n) for status, n in rows}


def scope_metadata(counts: dict[str, int]) -> dict[str, Any]:
    return {
        "rows_written_this_run": sum(counts.values()),
        "rows_by_status_this_run": dg.MetadataValue.json(counts),
    }
