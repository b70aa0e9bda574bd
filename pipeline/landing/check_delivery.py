"""One delivery through the door: read, type, pseudonymise, apply the contracts, sort the rows.

The result holds the accepted rows of every file, the quarantine records of the rest and the
verdict on the delivery as a whole. Nothing is written here (see landing/tables.py), so the
verdict can be reached before the warehouse is touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pipeline.contracts.extracts import contract_for, violations
from pipeline.landing.columns import cast_to_landing
from pipeline.sources.extracts.deliveries import Delivery
from pipeline.sources.extracts.normalise import normalise
from pipeline.sources.extracts.reader import UnreadableFileError, read_extract
from pipeline.sources.extracts.spec import FILES, FileSpec


@dataclass(frozen=True)
class FileOutcome:
    file: str
    present: bool
    rows_read: int = 0
    rows_accepted: int = 0
    rows_quarantined: int = 0
    encoding: str | None = None
    delimiter: str | None = None
    unknown_columns: tuple[str, ...] = ()

    @property
    def quarantined_share(self) -> float:
        return self.rows_quarantined / self.rows_read if self.rows_read else 0.0


@dataclass
class DeliveryOutcome:
    delivery: Delivery
    files: dict[str, FileOutcome] = field(default_factory=dict)
    accepted: dict[str, pd.DataFrame] = field(default_factory=dict)
    quarantine: pd.DataFrame = field(default_factory=lambda: empty_quarantine())
    rejection: str | None = None  # why the delivery as a whole was refused
    warnings: list[str] = field(default_factory=list)

    @property
    def accepted_ok(self) -> bool:
        return self.rejection is None

    def quarantined_by_rule(self) -> dict[str, int]:
        """Quarantined rows per rule (a row breaking two rules counts under both)."""
        counts = self.quarantine.drop_duplicates(["file", "line_number", "rule"])["rule"]
        return {str(k): int(v) for k, v in counts.value_counts().sort_index().items()}


def empty_quarantine() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "file": pd.Series(dtype="string"),
            "line_number": pd.Series(dtype="Int64"),
            "column": pd.Series(dtype="string"),
            "rule": pd.Series(dtype="string"),
            "person_id": pd.Series(dtype="string"),
        }
    )


def check_delivery(delivery: Delivery, key: bytes, quarantine_threshold: float) -> DeliveryOutcome:
    outcome = DeliveryOutcome(delivery=delivery)
    missing_core = [
        s.filename for s in FILES if s.core and not (delivery.path / s.filename).exists()
    ]
    if missing_core:
        outcome.rejection = (
            f"delivery {delivery.key} lacks the core file(s) {', '.join(missing_core)}; "
            "a delivery must hold children.csv, measures.csv, investigations.csv and "
            "follow_ups.csv (SPEC §8)"
        )
        return outcome

    quarantined: list[pd.DataFrame] = []
    # measures before follow_ups: a follow-up must point at an accepted measure.
    for spec in FILES:
        path = delivery.path / spec.filename
        if not path.exists():
            outcome.files[spec.name] = FileOutcome(spec.name, present=False)
            continue
        try:
            accepted, rejected, file_outcome = _check_file(
                spec, delivery, key, outcome.accepted.get("measures")
            )
        except UnreadableFileError as exc:
            outcome.rejection = f"{delivery.key}/{spec.filename} {exc}"
            return outcome
        outcome.files[spec.name] = file_outcome
        outcome.accepted[spec.name] = accepted
        quarantined.append(rejected)

    if quarantined:
        outcome.quarantine = pd.concat(quarantined, ignore_index=True)
    over = [
        f"{f.file}.csv {f.quarantined_share:.1%} ({f.rows_quarantined} of {f.rows_read} rows)"
        for f in outcome.files.values()
        if f.present and f.quarantined_share > quarantine_threshold
    ]
    if over:
        outcome.rejection = (
            f"delivery {delivery.key} has too many rows that break the input contract: "
            f"{'; '.join(over)} is above the {quarantine_threshold:.0%} threshold. "
            "See the quarantine table for the rows and rules."
        )
    outcome.warnings.extend(_warnings(outcome))
    return outcome


def _check_file(
    spec: FileSpec, delivery: Delivery, key: bytes, measures: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame, FileOutcome]:
    raw = read_extract(delivery.path / spec.filename, spec)
    typed = normalise(raw, delivery.municipality_code, delivery.delivery_date, key)
    frame = cast_to_landing(spec, typed.frame)

    unreadable_rows = pd.Index(typed.failures["row"].unique())
    readable = frame.drop(index=unreadable_rows)
    measure_ids = measures["measure_id"].dropna() if measures is not None else None
    broken = violations(contract_for(spec, measure_ids), readable)
    failures = pd.concat([typed.failures, broken], ignore_index=True)

    bad_rows = pd.Index(failures["row"].unique())
    accepted = frame.drop(index=bad_rows).reset_index(drop=True)
    records = failures.join(frame[["line_number"]], on="row")
    records["person_id"] = (
        frame["person_id"].reindex(records["row"]).to_numpy() if spec.has_cpr else pd.NA
    )
    records["file"] = spec.filename
    malformed = pd.DataFrame(
        {
            "file": spec.filename,
            "line_number": pd.array(raw.malformed_lines, dtype="Int64"),
            "column": pd.NA,
            "rule": "wrong_number_of_fields",
            "person_id": pd.NA,
        }
    )
    records = pd.concat(
        [records[["file", "line_number", "column", "rule", "person_id"]], malformed],
        ignore_index=True,
    ).astype(empty_quarantine().dtypes.to_dict())
    outcome = FileOutcome(
        file=spec.name,
        present=True,
        rows_read=len(frame) + len(raw.malformed_lines),
        rows_accepted=len(accepted),
        rows_quarantined=len(bad_rows) + len(raw.malformed_lines),
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        unknown_columns=raw.unknown_columns,
    )
    return accepted, records.sort_values(["line_number", "rule"], ignore_index=True), outcome


def _warnings(outcome: DeliveryOutcome) -> list[str]:
    warnings = []
    for file in outcome.files.values():
        if file.unknown_columns:
            warnings.append(
                f"{file.file}.csv has columns outside the contract, left out: "
                f"{', '.join(file.unknown_columns)}"
            )
    children = outcome.accepted.get("children")
    measures = outcome.accepted.get("measures")
    if children is not None and measures is not None:
        known = set(children["person_id"].dropna())
        without_row = measures.loc[~measures["person_id"].isin(known), "person_id"].nunique()
        if without_row:
            warnings.append(
                f"{without_row} person(s) have measures but no row in children.csv; they are "
                "kept with the birth date from the CPR number and counted as not refugees "
                "(SPEC §11)"
            )
    if not outcome.delivery.is_marked_complete:
        warnings.append(
            f"delivery {outcome.delivery.key} has no _SUCCESS marker; it was read as complete"
        )
    return warnings
