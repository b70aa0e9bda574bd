"""The closing summary of `noegletal run`, built from the runs' asset metadata: the same numbers
the Dagster UI shows on the assets."""

from __future__ import annotations

from pipeline.run import RunSummary

TOP_RULES = 5


def format_summary(summary: RunSummary) -> str:
    lines = ["", "== Summary"]
    files = {k: v for k, v in summary.ingested.items() if k.startswith("landing/")}
    accepted = sum(int(v.get("rows_accepted_this_run", 0)) for v in files.values())
    quarantine = summary.ingested.get("landing/quarantine", {})
    by_rule: dict[str, int] = quarantine.get("by_rule", {})
    quarantined = int(quarantine.get("rows_quarantined_this_run", 0))
    if summary.ingested:
        lines.append(f"Rows ingested: {accepted:,} accepted, {quarantined:,} quarantine records")
    if by_rule:
        top = sorted(by_rule.items(), key=lambda item: (-item[1], item[0]))[:TOP_RULES]
        lines.append("Top quarantine reasons: " + ", ".join(f"{rule} {n:,}" for rule, n in top))
    deliveries = summary.ingested.get("landing/deliveries", {})
    if deliveries.get("accepted"):
        lines.append("Accepted deliveries: " + ", ".join(deliveries["accepted"]))
    if summary.indicators:
        by_status = ", ".join(f"{n:,} {status}" for status, n in sorted(summary.indicators.items()))
        lines.append(
            f"Indicator values computed: {sum(summary.indicators.values()):,} ({by_status})"
        )
    for municipality, reason in sorted(summary.rejected.items()):
        lines.append(f"REJECTED {municipality}: {reason} (its last published indicators stay)")
    for failure in summary.failures:
        lines.append(f"FAILED: {failure}")
    lines.append("Result: OK" if summary.ok else "Result: FAILED (exit code 1)")
    return "\n".join(lines)
