"""`noegletal run`: the whole job, in-process through Dagster, with a summary for a person.

Two Dagster jobs, the same ones the UI and the schedule launch:
1. `ingest_deliveries` for the chosen municipalities (one run; each delivery gets its verdict);
2. `build_indicators` for the municipalities whose delivery was accepted, over the chosen
   cut-off dates. A rejected delivery keeps that municipality out of step 2, so its last
   published indicators stay as they were. The last build run publishes for BI (write, audit,
   publish), and only when every build run before it succeeded; the summary says what was
   published, or that the last publication was left untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import dagster as dg

from pipeline.assets.publish import PUBLICATION_KEY, PUBLISH_TAG
from pipeline.cutoffs import cutoff_dates
from pipeline.partitions import MUNICIPALITY, contiguous_runs, range_tags, rectangle_tags
from pipeline.publish.release import current_publication
from pipeline.recovery import process_tags, release_abandoned_runs
from pipeline.settings import Settings
from pipeline.sources.extracts.deliveries import newest_deliveries

Printer = Callable[[str], None]
QUIET_LOGGING = {"loggers": {"progress": {}}}


class RunRefused(RuntimeError):
    """The run cannot start; the message says why and what to do."""


@dataclass
class RunSummary:
    ingested: dict[str, Any] = field(default_factory=dict)
    indicators: dict[str, int] = field(default_factory=dict)  # rows written, by status
    rejected: dict[str, str] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    # What this run published (the publication asset's metadata), or None.
    published: dict[str, Any] | None = None
    # When nothing was published: what BI still sees (run id and time), or None.
    kept: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.failures


def run_pipeline(
    settings: Settings,
    municipalities: Sequence[str] | None = None,
    cutoffs: Sequence[str] | None = None,
    out: Printer = print,
) -> RunSummary:
    from pipeline.definitions import BUILD_JOB, INGEST_JOB, defs

    settings.pseudonym_key  # noqa: B018 - refuses a production run without a key, before anything
    if settings.uses_demo_key:
        out("DEMO MODE: pseudonyms use the public demo key; run this only on synthetic data.")
    settings.make_dirs()
    found = newest_deliveries(
        settings.landing_dir, list(municipalities) if municipalities else None
    )
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
    out(f"Deliveries: {', '.join(d.key for d in found)}")
    out(f"Cut-off dates: {len(dates)} ({dates[0]} .. {dates[-1]})")

    summary = RunSummary()
    with dg.DagsterInstance.get() as instance:
        # A killed earlier command would otherwise hold the warehouse pool's slot forever.
        release_abandoned_runs(instance, out)
        _register_municipalities(instance, chosen)
        out("== 1/2 ingest deliveries")
        order = instance.get_dynamic_partitions(MUNICIPALITY)
        for group in contiguous_runs(order, set(chosen)):
            result = defs.resolve_job_def(INGEST_JOB).execute_in_process(
                instance=instance,
                run_config=QUIET_LOGGING,
                tags={**range_tags(group[0], group[-1]), **process_tags()},
                raise_on_error=False,
            )
            _collect_ingestion(result, summary)
        accepted = [m for m in chosen if m not in summary.rejected]
        if not accepted:
            summary.failures.append("no delivery was accepted; nothing was built or published")
            summary.kept = current_publication(settings)
            return summary
        out("== 2/2 build indicators and publish")
        calendar = [d.isoformat() for d in cutoff_dates()]
        rectangles = [
            (municipality_run, cutoff_run)
            for municipality_run in contiguous_runs(order, set(accepted))
            for cutoff_run in contiguous_runs(calendar, set(dates))
        ]
        for number, (municipality_run, cutoff_run) in enumerate(rectangles, start=1):
            # Publish once, after the last build, and only if every build before it succeeded:
            # BI never sees a release with some rectangles rebuilt and others not.
            publish_now = number == len(rectangles) and not summary.failures
            result = defs.resolve_job_def(BUILD_JOB).execute_in_process(
                instance=instance,
                run_config=QUIET_LOGGING,
                tags={
                    **rectangle_tags(municipality_run, cutoff_run),
                    PUBLISH_TAG: "true" if publish_now else "false",
                    **process_tags(),
                },
                raise_on_error=False,
            )
            _collect_build(result, summary)
    if summary.published is None:
        summary.kept = current_publication(settings)
    return summary


def _chosen_cutoffs(cutoffs: Sequence[str] | None) -> list[str]:
    calendar = [d.isoformat() for d in cutoff_dates()]
    if not cutoffs:
        return calendar
    unknown = sorted(set(cutoffs) - set(calendar))
    if unknown:
        raise RunRefused(
            f"{', '.join(unknown)} is not a cut-off date of the calendar up to today "
            f"({calendar[0]} .. {calendar[-1]}); the calendar is "
            "dbt_project/seeds/reference/cutoff_calendar.csv"
        )
    return sorted(set(cutoffs))


def _register_municipalities(instance: dg.DagsterInstance, codes: list[str]) -> None:
    known = set(instance.get_dynamic_partitions(MUNICIPALITY))
    new = [c for c in sorted(codes) if c not in known]
    if new:
        instance.add_dynamic_partitions(MUNICIPALITY, new)


def _collect_ingestion(result: dg.ExecuteInProcessResult, summary: RunSummary) -> None:
    for materialization in result.asset_materializations_for_node("deliveries"):
        key = materialization.asset_key.path
        metadata = {k: v.value for k, v in materialization.metadata.items()}
        if key == ["landing", "deliveries"]:
            summary.rejected.update(metadata.get("rejected", {}))
        summary.ingested["/".join(key)] = metadata
    if not result.success and not summary.rejected:
        summary.failures.append(f"ingestion run {result.run_id} failed: {_first_failure(result)}")


def _collect_build(result: dg.ExecuteInProcessResult, summary: RunSummary) -> None:
    # One materialization per partition, all with the run's counts: read them once.
    for event in result.get_asset_materialization_events():
        materialization = event.step_materialization_data.materialization
        counts = materialization.metadata.get("rows_by_status_this_run")
        if materialization.asset_key.path[-1] == "indicator_values" and counts:
            for status, n in counts.value.items():
                summary.indicators[status] = summary.indicators.get(status, 0) + int(n)
            break
    for event in result.get_asset_materialization_events():
        materialization = event.step_materialization_data.materialization
        if materialization.asset_key == PUBLICATION_KEY:
            metadata = {k: v.value for k, v in materialization.metadata.items()}
            if metadata.get("published"):
                summary.published = {"run_id": result.run_id, **metadata}
    if not result.success:
        summary.failures.append(f"build run {result.run_id} failed: {_first_failure(result)}")


def _first_failure(result: dg.ExecuteInProcessResult) -> str:
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            error = event.event_specific_data.error
            return f"step {event.step_key}: {error.message.strip() if error else 'unknown error'}"
    return "see the run in the Dagster UI"
