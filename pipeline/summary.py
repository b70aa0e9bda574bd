"""The closing summary of `noegletal run`: what the ingestion run landed, from the warehouse
(landing/ledger.py), and what the build run computed and published, from its assets' metadata
(the same numbers the Dagster UI shows on the assets)."""

from __future__ import annotations

from pipeline.run import RunSummary

TOP_RULES = 5
# A national run accepts 98 deliveries; the full list is in the log and the Dagster UI.
SHOWN_DELIVERIES = 10


def format_summary(summary: RunSummary) -> str:
    lines = ["", "== Summary"]
    landed = summary.landed
    if landed is not None:
        lines.append(
            f"Rows ingested: {landed.rows_accepted:,} accepted, "
            f"{landed.quarantine_records:,} quarantine records"
        )
        by_rule = landed.quarantined_by_rule
        if by_rule:
            top = sorted(by_rule.items(), key=lambda item: (-item[1], item[0]))[:TOP_RULES]
            lines.append("Top quarantine reasons: " + ", ".join(f"{rule} {n:,}" for rule, n in top))
        if landed.accepted:
            shown = ", ".join(landed.accepted[:SHOWN_DELIVERIES])
            more = len(landed.accepted) - SHOWN_DELIVERIES
            if more > 0:
                shown += f", and {more} more"
            lines.append(f"Accepted deliveries: {len(landed.accepted)} ({shown})")
    deliveries = summary.ingested.get("landing/deliveries", {})
    reports: dict[str, str] = deliveries.get("feedback_reports") or {}
    if reports:
        folder = next(iter(reports.values())).rsplit("/", 3)[0]
        lines.append(
            f"Feedback to the municipalities (SPEC §13): {len(reports)} report(s) in {folder}"
        )
    if summary.indicators:
        by_status = ", ".join(f"{n:,} {status}" for status, n in sorted(summary.indicators.items()))
        lines.append(
            f"Indicator values computed: {sum(summary.indicators.values()):,} ({by_status})"
        )
    lines.append(_publication_line(summary))
    for warning in summary.warnings:
        lines.append(f"WARNING: {warning}")
    lines.extend(_delivery_warnings(landed.warnings if landed is not None else {}))
    for table, why in sorted(summary.unavailable.items()):
        lines.append(f"WITHOUT {table}: {why}")
    for municipality, reason in sorted(summary.rejected.items()):
        lines.append(f"REJECTED {municipality}: {reason} (its last published indicators stay)")
    for failure in summary.failures:
        lines.append(f"FAILED: {failure}")
    lines.append("Result: OK" if summary.ok else "Result: FAILED (exit code 1)")
    return "\n".join(lines)


def _delivery_warnings(by_municipality: dict[str, list[str]]) -> list[str]:
    """The deliveries' warnings (an optional file left out, a file without rows, columns
    outside the contract ...), at most SHOWN_DELIVERIES lines: a national run may have many."""
    warnings = [
        f"WARNING {municipality}: {warning}"
        for municipality, found in sorted(by_municipality.items())
        for warning in found
    ]
    shown = warnings[:SHOWN_DELIVERIES]
    if len(warnings) > len(shown):
        shown.append(
            f"... and {len(warnings) - len(shown)} more delivery warnings (landing.deliveries)"
        )
    return shown


def _publication_line(summary: RunSummary) -> str:
    published = summary.published
    if published:
        tables = published.get("tables") or {}
        what = (
            f"{len(tables)} tables, {published.get('files')} files, "
            f"{published.get('suppressed_indicator_rows')} suppressed indicator rows "
            f"(threshold {published.get('suppression_threshold')}), "
            f"{published.get('revisions', 0)} revised figures"
        )
        if published.get("audit_copy"):
            return (
                f"AUDIT COPY (suppression off, not for BI): run {published['run_id']} written to "
                f"{published.get('target')}; {what}; the BI publication was not touched"
            )
        return f"Published for BI: run {published['run_id']} to {published.get('target')}: {what}"
    kept = summary.kept
    if kept:
        return (
            f"Publication untouched: BI still sees run {kept['run_id']}, published "
            f"{kept['published_at']} (nothing from this run was published)"
        )
    return "Nothing published: there is no earlier publication either"
