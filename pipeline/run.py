"""`noegletal run`: the whole job, in-process through Dagster, with a summary for a person.

Two Dagster runs of the jobs the UI and the schedule launch, with the same configuration
(pipeline/automation/plans.py):
1. `ingest_deliveries` for the chosen municipalities (each delivery gets its verdict);
2. `build_indicators` for the municipalities whose delivery was accepted, over the chosen
   cut-off dates: one `dbt build`, then the publication for BI (write, audit, publish). A
   rejected delivery keeps that municipality out of step 2, so its last published indicators
   stay as they were; the summary says what was published, or that the last publication was
   left untouched.

What this module does beyond launching them, and why Dagster cannot: the runs execute in this
process (`execute_in_process`: no daemon or run launcher needs to be running for a nightly cron
job), so a killed command cannot mark its run failed and free its pool slot itself; the next
command does (pipeline/platform/recovery.py). The summary is for the person at the console.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import dagster as dg

from pipeline.assets.publish import PUBLICATION_KEY
from pipeline.automation.plans import build_request, ingest_request
from pipeline.landing.ledger import Landed, read_landed, read_verdicts, run_verdicts
from pipeline.platform.recovery import process_tags, release_abandoned_runs
from pipeline.publish.release import current_publication
from pipeline.scope import BuildScope, build_scope, chosen_cutoffs, computable_cutoffs
from pipeline.settings import Settings
from pipeline.sources.extracts.deliveries import newest_deliveries, refused_folders

Printer = Callable[[str], None]
QUIET_LOGGING = {"loggers": {"progress": {}}}


class RunRefused(RuntimeError):
    """The run cannot start; the message says why and what to do."""


@dataclass
class RunSummary:
    # What the ingestion run landed (counts, accepted deliveries, warnings), from the warehouse;
    # None when nothing was ingested.
    landed: Landed | None = None
    # The ingestion run's asset metadata as Dagster recorded it (what the UI shows), by asset:
    # the feedback reports' paths are known only there.
    ingested: dict[str, Any] = field(default_factory=dict)
    indicators: dict[str, int] = field(default_factory=dict)  # rows written, by status
    rejected: dict[str, str] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    # What this run published (the publication asset's metadata), or None.
    published: dict[str, Any] | None = None
    # When nothing was published: what BI still sees (run id and time), or None.
    kept: dict[str, Any] | None = None
    # Inputs the run went on without (SPEC §6, degrade, never halt): table -> why, and what
    # that costs. Not a failure: everything else was computed and published.
    unavailable: dict[str, str] = field(default_factory=dict)
    # What a person should know that did not stop the run: folders of the landing area that
    # were not read (not a date, dated after today, not one of the 98 municipalities), and
    # StatBank codes the pipeline does not know (left out of the mapped figures).
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.failures


def run_pipeline(
    settings: Settings,
    municipalities: Sequence[str] | None = None,
    cutoffs: Sequence[str] | None = None,
    out: Printer = print,
) -> RunSummary:
    """Ingest the chosen municipalities' newest deliveries, then build and publish."""
    from pipeline.definitions import INGEST_JOB, defs

    settings.pseudonym_key  # noqa: B018 - refuses a production run without a key, before anything
    if settings.uses_demo_key:
        out("DEMO MODE: pseudonyms use the public demo key; run this only on synthetic data.")
    settings.make_dirs()
    found = newest_deliveries(
        settings.landing_dir, list(municipalities) if municipalities else None
    )
    summary = RunSummary()
    for folder in refused_folders(
        settings.landing_dir, list(municipalities) if municipalities else None
    ):
        summary.warnings.append(folder.describe())
        out(f"WARNING: {folder.describe()}")
    chosen = [d.municipality_code for d in found]
    if municipalities:
        unknown = sorted(set(municipalities) - set(chosen))
        if unknown:
            raise RunRefused(
                f"no delivery in {settings.landing_dir} for municipality {', '.join(unknown)} "
                "(expected <landing>/<code>/<YYYY-MM-DD>/)"
            )
    if not chosen:
        raise RunRefused(
            f"no deliveries found in {settings.landing_dir}; expected folders "
            "<landing>/<municipality_code>/<YYYY-MM-DD>/ (run `noegletal demo-data` for demo data)"
        )
    dates = _chosen_cutoffs(cutoffs)
    shown = ", ".join(d.key for d in found[:5]) + (", ..." if len(found) > 5 else "")
    out(f"Deliveries: {len(found)} ({shown})")
    out(f"Cut-off dates: {len(dates)} ({dates[0]} .. {dates[-1]})")

    with dg.DagsterInstance.get() as instance:
        # A killed earlier command would otherwise hold the warehouse pool's slot forever.
        release_abandoned_runs(instance, out)
        out("== 1/2 ingest deliveries")
        request = ingest_request(chosen)
        result = defs.resolve_job_def(INGEST_JOB).execute_in_process(
            instance=instance,
            run_config={**request.run_config, **QUIET_LOGGING},
            tags={**request.tags, **process_tags()},
            raise_on_error=False,
        )
        accepted = _collect_ingestion(result, summary, settings)
        if not accepted:
            summary.failures.append("no delivery was accepted; nothing was built or published")
            summary.kept = current_publication(settings)
            return summary
        out("== 2/2 build indicators and publish")
        # Everything delivered was accepted and nothing was chosen: a full build.
        everyone = not municipalities and accepted == sorted(chosen)
        _build(instance, build_scope([] if everyone else accepted, dates), summary)
    if summary.published is None:
        summary.kept = current_publication(settings)
    return summary


def run_backfill(
    settings: Settings,
    municipalities: Sequence[str] | None = None,
    cutoffs: Sequence[str] | None = None,
    out: Printer = print,
) -> RunSummary:
    """Recompute cut-off dates from the landing tables as they are, without reading deliveries:
    after a definition change, a corrected calendar or StatBank figure."""
    settings.make_dirs()
    dates = _chosen_cutoffs(cutoffs)
    summary = RunSummary()
    with dg.DagsterInstance.get() as instance:
        release_abandoned_runs(instance, out)
        ingested = sorted(
            {v.municipality_code for v in read_verdicts(settings.warehouse_path) if v.accepted}
        )
        chosen = list(municipalities) if municipalities else ingested
        unknown = sorted(set(chosen) - set(ingested))
        if unknown or not chosen:
            raise RunRefused(
                f"no delivery of municipality {', '.join(unknown) or '(any)'} has been ingested "
                "yet; run `noegletal run` first"
            )
        out(f"Backfill: {len(chosen)} municipalities x {len(dates)} cut-off dates")
        # Every municipality and date: the scope "all", so the run shows as a full build.
        everyone = sorted(chosen) == ingested
        _build(instance, build_scope([] if everyone else chosen, dates), summary)
    if summary.published is None:
        summary.kept = current_publication(settings)
    return summary


def _build(instance: dg.DagsterInstance, scope: BuildScope, summary: RunSummary) -> None:
    """One build run: one `dbt build` over the scope, then the publication."""
    from pipeline.definitions import BUILD_JOB, defs

    request = build_request(scope)
    result = defs.resolve_job_def(BUILD_JOB).execute_in_process(
        instance=instance,
        run_config={**request.run_config, **QUIET_LOGGING},
        tags={**request.tags, **process_tags()},
        raise_on_error=False,
    )
    _collect_build(result, summary)


def _chosen_cutoffs(cutoffs: Sequence[str] | None) -> list[str]:
    if not cutoffs:
        return computable_cutoffs()
    try:
        return chosen_cutoffs(cutoffs)
    except ValueError as exc:
        raise RunRefused(str(exc)) from None


def _collect_ingestion(
    result: dg.ExecuteInProcessResult, summary: RunSummary, settings: Settings
) -> list[str]:
    """Add one ingestion run's verdicts and what it landed (from the warehouse) to the summary;
    returns its accepted municipalities."""
    accepted, rejected = run_verdicts(settings.warehouse_path, result.run_id)
    summary.rejected.update(rejected)
    summary.landed = read_landed(settings.warehouse_path, result.run_id)
    for materialization in result.asset_materializations_for_node("deliveries"):
        summary.ingested.setdefault(
            materialization.asset_key.to_user_string(),
            {name: value.value for name, value in materialization.metadata.items()},
        )
    if not result.success and not rejected:
        summary.failures.append(f"ingestion run {result.run_id} failed: {_first_failure(result)}")
    return accepted


def _collect_build(result: dg.ExecuteInProcessResult, summary: RunSummary) -> None:
    for event in result.get_asset_materialization_events():
        materialization = event.step_materialization_data.materialization
        counts = materialization.metadata.get("rows_by_status_this_run")
        if materialization.asset_key.path[-1] == "indicator_values" and counts:
            for status, n in counts.value.items():
                summary.indicators[status] = summary.indicators.get(status, 0) + int(n)
            break
    for event in result.get_asset_materialization_events():
        materialization = event.step_materialization_data.materialization
        metadata = {k: v.value for k, v in materialization.metadata.items()}
        if materialization.asset_key.path[0] == "statbank" and "reason" in metadata:
            table = materialization.asset_key.path[-1].removesuffix("_national").upper()
            summary.unavailable[table] = f"{metadata['reason']}; {metadata['consequence']}"
        note = metadata.get("unknown_codes_note")
        if materialization.asset_key.path[0] == "statbank" and note:
            summary.warnings.append(str(note))
        if materialization.asset_key == PUBLICATION_KEY and metadata.get("published"):
            summary.published = {"run_id": result.run_id, **metadata}
    if not result.success:
        summary.failures.append(f"build run {result.run_id} failed: {_first_failure(result)}")


def _first_failure(result: dg.ExecuteInProcessResult) -> str:
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            error = event.event_specific_data.error
            # Dagster wraps the step's exception; the innermost cause says what went wrong.
            while error is not None and error.cause is not None:
                error = error.cause
            message = error.message.strip() if error else "unknown error"
            return f"step {event.step_key}: {message}"
    return "see the run in the Dagster UI"
