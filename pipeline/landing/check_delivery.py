"""Deliveries through the door: read, type, pseudonymise, apply the contracts, sort the rows.

Each delivery gets its own verdict, but the work is done per file across a batch of
deliveries: the files of every municipality are stacked, typed once and validated once. That
is what keeps a national run (98 municipalities x 16 files) from paying the fixed cost of
typing and validating a frame 1,568 times.

The result holds, per delivery, the accepted rows of every file, the quarantine records of the
rest and the verdict on the delivery as a whole. Nothing is written here (landing/tables.py
does that), so the verdict is reached before the warehouse is touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline.contracts.extracts import contract_for, violations
from pipeline.landing.columns import cast_to_landing, landing_columns
from pipeline.sources import cpr
from pipeline.sources.extracts.deliveries import Delivery
from pipeline.sources.extracts.normalise import normalise
from pipeline.sources.extracts.reader import RawExtract, UnreadableFileError, read_extract
from pipeline.sources.extracts.spec import CORE_FILES, DATE_ORDER_RULES, FILES, FileSpec, Kind

QUARANTINE_COLUMNS = (
    "file",
    "line_number",
    "column",
    "rule",
    "person_id",
    # For the feedback report (SPEC §13), never personal: the row's own id (NULL for
    # children.csv, whose id is the CPR number, and files without one), the id of the row of
    # another file it points at (a follow-up's measure_id), and for the date rules the date
    # that broke the rule and the date it was compared with (both read as dates).
    "row_id",
    "refers_to",
    "found_date",
    "compared_date",
)
# A follow-up of a measure that was read but quarantined: its root cause is in measures.csv.
MEASURE_QUARANTINED = "measure_quarantined"
CASCADE_RULES = (MEASURE_QUARANTINED,)


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
    header_aliases: tuple[tuple[str, str], ...] = ()  # see RawExtract
    unknown_positions: tuple[int, ...] = ()
    unreadable: bool = False  # an optional file that could not be read, left out (SPEC §6)
    rows_cascaded: int = 0  # quarantined only because the row they point at was (SPEC §11)

    @property
    def quarantined_share(self) -> float:
        """The share the threshold judges: rows that break a rule of their own."""
        own = self.rows_quarantined - self.rows_cascaded
        return own / self.rows_read if self.rows_read else 0.0


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
            "row_id": pd.Series(dtype="string"),
            "refers_to": pd.Series(dtype="string"),
            "found_date": pd.Series(dtype="datetime64[us]"),
            "compared_date": pd.Series(dtype="datetime64[us]"),
        }
    )


def check_delivery(delivery: Delivery, key: bytes, quarantine_threshold: float) -> DeliveryOutcome:
    return check_deliveries([delivery], key, quarantine_threshold)[0]


def check_deliveries(
    deliveries: list[Delivery], key: bytes, quarantine_threshold: float
) -> list[DeliveryOutcome]:
    """A verdict for each delivery (one per municipality), in the order given."""
    outcomes = [DeliveryOutcome(delivery=d) for d in deliveries]
    for outcome in outcomes:
        _check_core_files(outcome)
    records: dict[int, list[pd.DataFrame]] = {i: [] for i in range(len(outcomes))}
    measures: pd.DataFrame | None = None
    measures_read: pd.DataFrame | None = None  # every typed measure, quarantined ones too
    pseudonyms: dict[str, str] = {}  # in memory only: CPR -> pseudonym for this batch
    # measures before follow_ups: a follow-up must point at an accepted measure.
    for spec in FILES:
        raws = _read_all(spec, outcomes)
        if not raws:
            continue
        lineage = _lineage(raws, [outcome.delivery for outcome in outcomes])
        accepted, rejected, file_outcomes, typed = _check_file(
            spec, raws, lineage, key, measures, pseudonyms, measures_read
        )
        if spec.name == "measures":
            measures = accepted
            measures_read = typed[["municipality_code", "measure_id"]]
        for i, frame in accepted.groupby("_delivery", sort=False):
            outcomes[int(i)].accepted[spec.name] = frame.drop(columns="_delivery").reset_index(
                drop=True
            )
        for i, frame in rejected.groupby("_delivery", sort=False):
            records[int(i)].append(frame.drop(columns="_delivery"))
        for i, file_outcome in file_outcomes.items():
            outcomes[i].files[spec.name] = file_outcome
    for i, outcome in enumerate(outcomes):
        if outcome.rejection is not None and not outcome.files:
            continue  # refused before any file was read
        if records[i]:
            outcome.quarantine = pd.concat(records[i], ignore_index=True)
        for spec in FILES:
            if spec.name not in outcome.accepted:
                outcome.accepted[spec.name] = _empty_rows(spec)
        _refuse_empty_core_files(outcome)
        _apply_threshold(outcome, quarantine_threshold)
        outcome.warnings.extend(_warnings(outcome))
    return outcomes


def _check_core_files(outcome: DeliveryOutcome) -> None:
    delivery = outcome.delivery
    missing = [s.filename for s in CORE_FILES if not (delivery.path / s.filename).exists()]
    if missing:
        outcome.rejection = (
            f"delivery {delivery.key} lacks the core file(s) {', '.join(missing)}; "
            "a delivery must hold children.csv, measures.csv, investigations.csv and "
            "follow_ups.csv (SPEC §8)"
        )


def _read_all(spec: FileSpec, outcomes: list[DeliveryOutcome]) -> dict[int, RawExtract]:
    """The file of every delivery still in the running; an unreadable one rejects its delivery."""
    raws: dict[int, RawExtract] = {}
    for i, outcome in enumerate(outcomes):
        if outcome.rejection is not None:
            continue
        path = outcome.delivery.path / spec.filename
        if not path.exists():
            outcome.files[spec.name] = FileOutcome(spec.name, present=False)
            continue
        try:
            raws[i] = read_extract(path, spec)
        except UnreadableFileError as exc:
            where = f"{outcome.delivery.key}/{spec.filename} {exc}"
            if spec.core:
                outcome.rejection = where
                continue
            # SPEC §6: an optional file that cannot be read costs only the figures it feeds.
            outcome.files[spec.name] = FileOutcome(spec.name, present=False, unreadable=True)
            outcome.warnings.append(
                f"{where}. It is left out as if not delivered; what it feeds ({spec.feeds}) is not "
                "available"
            )
    return raws


def _check_file(
    spec: FileSpec,
    raws: dict[int, RawExtract],
    lineage: pd.DataFrame,
    key: bytes,
    measures: pd.DataFrame | None,
    pseudonyms: dict[str, str],
    measures_read: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[int, FileOutcome], pd.DataFrame]:
    """Type and validate one file of many deliveries at once. Returns the accepted rows and the
    quarantine records, both with a `_delivery` column, each delivery's file outcome, and every
    typed row (quarantined ones too)."""
    text = pd.concat([raw.frame for raw in raws.values()], ignore_index=True)
    typed = normalise(spec, text, lineage, key, pseudonyms)
    frame = cast_to_landing(spec, typed.frame)

    readable = frame[~frame.index.isin(typed.failures["row"])]
    broken = violations(contract_for(spec, measures), readable)
    malformed_ids = _malformed_ids(spec, raws, key, pseudonyms)
    failures = pd.concat(
        [
            typed.failures,
            broken,
            _duplicates_among_unreadable(spec, frame, typed.failures),
            _sharing_a_malformed_id(spec, frame, lineage["_delivery"], malformed_ids),
        ],
        ignore_index=True,
    )
    if spec.name == "follow_ups":
        failures = _cascaded(failures, frame, measures_read)
    bad = frame.index.isin(failures["row"])
    # Rows quarantined only because the row they point at was: they count toward no file's
    # threshold (SPEC §11), since their root cause counts in its own file.
    root_cause = failures.loc[~failures["rule"].isin(CASCADE_RULES), "row"]
    cascaded_only = bad & ~frame.index.isin(root_cause)

    delivery_of_row = lineage["_delivery"]
    records = failures.join(frame[["line_number"]], on="row")
    records["person_id"] = (
        frame["person_id"].reindex(records["row"]).to_numpy() if spec.has_cpr else pd.NA
    )
    records["file"] = spec.filename
    _add_feedback_details(spec, records, frame)
    records["_delivery"] = delivery_of_row.reindex(records["row"]).to_numpy()
    malformed = _malformed_records(spec, raws, frame, delivery_of_row, malformed_ids)
    records = pd.concat(
        [records[[*QUARANTINE_COLUMNS, "_delivery"]], malformed], ignore_index=True
    ).astype({**empty_quarantine().dtypes.to_dict(), "_delivery": "int64"})
    records = records.sort_values(["_delivery", "line_number", "rule"], ignore_index=True)

    accepted = frame[~bad].assign(_delivery=delivery_of_row[~bad])
    rows = delivery_of_row.value_counts()
    bad_rows = delivery_of_row[bad].value_counts()
    cascaded_rows = delivery_of_row[cascaded_only].value_counts()
    file_outcomes = {
        i: FileOutcome(
            file=spec.name,
            present=True,
            rows_read=int(rows.get(i, 0)) + len(raw.malformed_lines),
            rows_accepted=int(rows.get(i, 0) - bad_rows.get(i, 0)),
            rows_quarantined=int(bad_rows.get(i, 0)) + len(raw.malformed_lines),
            rows_cascaded=int(cascaded_rows.get(i, 0)),
            encoding=raw.encoding,
            delimiter=raw.delimiter,
            unknown_columns=raw.unknown_columns,
            header_aliases=raw.header_aliases,
            unknown_positions=raw.unknown_positions,
        )
        for i, raw in raws.items()
    }
    return accepted, records, file_outcomes, frame


def _duplicates_among_unreadable(
    spec: FileSpec, frame: pd.DataFrame, failures: pd.DataFrame
) -> pd.DataFrame:
    """duplicate_id for the rows the contract did not see (a value could not be read) and
    the rows sharing their id: every row that shares an id is quarantined, a malformed one
    too (SPEC §11). Among the readable rows the contract finds them itself."""
    if spec.id_column is None or failures.empty:
        return failures.iloc[0:0]
    key = _id_key(spec)
    shared = frame.duplicated(["municipality_code", "delivery_date", key], keep=False)
    shared &= frame[key].notna()
    unreadable = frame.index.isin(failures["row"])
    groups = frame.loc[shared & unreadable, ["municipality_code", "delivery_date", key]]
    involved = shared & pd.MultiIndex.from_frame(
        frame[["municipality_code", "delivery_date", key]]
    ).isin(pd.MultiIndex.from_frame(groups))
    rows = frame.index[involved]
    return pd.DataFrame({"row": rows, "column": spec.id_column, "rule": "duplicate_id"}).astype(
        {"column": "string", "rule": "string"}
    )


def _cascaded(
    failures: pd.DataFrame, frame: pd.DataFrame, measures_read: pd.DataFrame | None
) -> pd.DataFrame:
    """A follow-up whose measure was read but quarantined breaks no rule of its own: it gets
    the rule measure_quarantined instead of measure_missing (SPEC §11)."""
    if measures_read is None or failures.empty:
        return failures
    keys = pd.MultiIndex.from_frame(frame[["municipality_code", "measure_id"]])
    read = keys.isin(pd.MultiIndex.from_frame(measures_read[["municipality_code", "measure_id"]]))
    points_at_read = pd.Series(read, index=frame.index)
    missing = failures["rule"].eq("measure_missing")
    cascade = missing & points_at_read.reindex(failures["row"]).to_numpy(dtype=bool)
    return failures.assign(rule=failures["rule"].where(~cascade, MEASURE_QUARANTINED))


def _add_feedback_details(spec: FileSpec, records: pd.DataFrame, frame: pd.DataFrame) -> None:
    """The row's own id, what it refers to, and the dates of a date rule (QUARANTINE_COLUMNS)."""
    rows = records["row"]
    own_id = spec.id_column if spec.id_column not in (None, "cpr") else None
    records["row_id"] = frame[own_id].reindex(rows).to_numpy() if own_id else pd.NA
    refers = "measure_id" if spec.name == "follow_ups" else None
    records["refers_to"] = frame[refers].reindex(rows).to_numpy() if refers else pd.NA
    found = pd.Series(pd.NaT, index=records.index, dtype="datetime64[us]")
    compared = found.copy()
    earlier = {late: early for file, early, late in DATE_ORDER_RULES if file == spec.name}
    for column in {c.name for c in spec.columns if c.kind in (Kind.DATE, Kind.MONTH)}:
        mine = records["column"].eq(column).fillna(False).to_numpy(dtype=bool)
        dated = mine & records["rule"].isin(["end_before_start", "date_after_delivery"]).to_numpy()
        if not dated.any():
            continue
        found[dated] = frame[column].reindex(rows[dated]).to_numpy()
        if column in earlier:
            ordered = dated & records["rule"].eq("end_before_start").to_numpy()
            compared[ordered] = frame[earlier[column]].reindex(rows[ordered]).to_numpy()
    records["found_date"] = found
    records["compared_date"] = compared


def _lineage(raws: dict[int, RawExtract], deliveries: list[Delivery]) -> pd.DataFrame:
    """Per stacked row: which delivery, municipality and line it came from."""
    sizes = [len(raw.frame) for raw in raws.values()]
    chosen = [deliveries[i] for i in raws]
    return pd.DataFrame(
        {
            "_delivery": np.repeat(np.fromiter(raws, dtype=np.int64), sizes),
            "municipality_code": pd.array(
                np.repeat([d.municipality_code for d in chosen], sizes), dtype="string"
            ),
            "delivery_date": np.repeat(
                np.array([d.delivery_date for d in chosen], dtype="datetime64[us]"), sizes
            ),
            "line_number": pd.array(
                np.concatenate([raw.line_numbers for raw in raws.values()]), dtype="Int64"
            ),
        }
    )


def _malformed_ids(
    spec: FileSpec, raws: dict[int, RawExtract], key: bytes, pseudonyms: dict[str, str]
) -> pd.DataFrame:
    """One row per malformed record: its delivery, line and id as the typed rows hold it (the
    pseudonym, when the id is the CPR number); id missing when the record has none."""
    rows = [
        (i, line, found)
        for i, raw in raws.items()
        for line, found in zip(raw.malformed_lines, raw.malformed_ids, strict=True)
    ]
    ids = pd.Series([found for _, _, found in rows], dtype="string")
    ids = ids.where(ids.ne(""))
    if spec.id_column == "cpr":
        ids = cpr.pseudonymise(ids, key, pseudonyms)
    return pd.DataFrame(
        {
            "_delivery": np.array([i for i, _, _ in rows], dtype=np.int64),
            "line_number": pd.array([line for _, line, _ in rows], dtype="Int64"),
            "id": ids,
        }
    )


def _id_key(spec: FileSpec) -> str:
    return "person_id" if spec.id_column == "cpr" else str(spec.id_column)


def _sharing_a_malformed_id(
    spec: FileSpec, frame: pd.DataFrame, delivery_of_row: pd.Series, malformed: pd.DataFrame
) -> pd.DataFrame:
    """duplicate_id for the typed rows whose id a malformed record of the same delivery holds."""
    known = malformed.dropna(subset=["id"])
    if spec.id_column is None or known.empty:
        return pd.DataFrame({"row": [], "column": [], "rule": []}).astype(
            {"row": "int64", "column": "string", "rule": "string"}
        )
    key = _id_key(spec)
    typed = pd.MultiIndex.from_arrays([delivery_of_row.to_numpy(), frame[key].astype("string")])
    wanted = pd.MultiIndex.from_arrays([known["_delivery"], known["id"]])
    shared = typed.isin(wanted) & frame[key].notna().to_numpy()
    return pd.DataFrame(
        {"row": frame.index[shared], "column": spec.id_column, "rule": "duplicate_id"}
    ).astype({"column": "string", "rule": "string"})


def _malformed_records(
    spec: FileSpec,
    raws: dict[int, RawExtract],
    frame: pd.DataFrame,
    delivery_of_row: pd.Series,
    ids: pd.DataFrame,
) -> pd.DataFrame:
    """wrong_number_of_fields for each malformed record, and duplicate_id for one whose id
    another row of its delivery (malformed or not) shares (SPEC §11)."""
    rows = [(i, line) for i, raw in raws.items() for line in raw.malformed_lines]
    records = pd.DataFrame(
        {
            "file": spec.filename,
            "line_number": pd.array([line for _, line in rows], dtype="Int64"),
            "column": pd.NA,
            "rule": "wrong_number_of_fields",
            "person_id": pd.NA,
            "row_id": pd.NA,
            "refers_to": pd.NA,
            "found_date": pd.NaT,
            "compared_date": pd.NaT,
            "_delivery": np.array([i for i, _ in rows], dtype=np.int64),
        }
    )
    known = ids.dropna(subset=["id"])
    if spec.id_column is None or known.empty:
        return records
    key = _id_key(spec)
    typed = pd.MultiIndex.from_arrays([delivery_of_row.to_numpy(), frame[key].astype("string")])
    held = pd.MultiIndex.from_arrays([known["_delivery"], known["id"]])
    shared = known[held.isin(typed) | held.duplicated(keep=False)]
    duplicates = pd.DataFrame(
        {
            "file": spec.filename,
            "line_number": shared["line_number"].to_numpy(),
            "column": spec.id_column,
            "rule": "duplicate_id",
            "person_id": shared["id"].to_numpy() if spec.id_column == "cpr" else pd.NA,
            "_delivery": shared["_delivery"].to_numpy(),
        }
    )
    return pd.concat([records, duplicates], ignore_index=True)


def _empty_rows(spec: FileSpec) -> pd.DataFrame:
    return _EMPTY_ROWS[spec.name].copy()


# Typed empty tables, made once: casting an empty frame per file and delivery added up
# (benchmarks/README.md, item 16).
_EMPTY_ROWS = {
    spec.name: cast_to_landing(spec, pd.DataFrame({c.name: [] for c in landing_columns(spec)}))
    for spec in FILES
}


# A case system always has children and measures: a core file of these with only its header
# is an export that went wrong, and publishing from it would turn every figure into a 0.
MUST_HAVE_ROWS = ("children", "measures")


def _refuse_empty_core_files(outcome: DeliveryOutcome) -> None:
    """No silent zeros: children.csv or measures.csv with no rows rejects the delivery; an
    investigations.csv or follow_ups.csv without rows is a warning, and the indicators that
    count them are not_available (the core_file_inputs seed), never 0."""
    if outcome.rejection is not None:
        return
    empty = [f for f in outcome.files.values() if f.present and f.rows_read == 0]
    refused = [f"{f.file}.csv" for f in empty if f.file in MUST_HAVE_ROWS]
    if refused:
        outcome.rejection = (
            f"delivery {outcome.delivery.key}: {' and '.join(refused)} has a header but no "
            "rows; a delivery is a full snapshot of the case system, which always has children "
            "and measures. Export it again"
        )
        return
    for file in empty:
        if file.file not in MUST_HAVE_ROWS and any(s.name == file.file for s in CORE_FILES):
            outcome.warnings.append(
                f"{file.file}.csv of delivery {outcome.delivery.key} has a header but no rows; "
                "the indicators that count it are not_available, not 0"
            )


def _apply_threshold(outcome: DeliveryOutcome, threshold: float) -> None:
    if outcome.rejection is not None:
        return
    over = [
        f"{f.file}.csv {f.quarantined_share:.1%} ({f.rows_quarantined - f.rows_cascaded} of "
        f"{f.rows_read} rows) for {_root_causes(outcome.quarantine, f.file)}"
        for f in outcome.files.values()
        if f.present and f.quarantined_share > threshold
    ]
    if over:
        outcome.rejection = (
            f"delivery {outcome.delivery.key} has too many rows that break the input contract: "
            f"{'; '.join(over)} is above the {threshold:.0%} threshold. "
            "See the quarantine table for the rows and rules."
        )


def _root_causes(quarantine: pd.DataFrame, file: str) -> str:
    """'placement_type_unknown 54, date_invalid 2': the rules a file's rows broke themselves."""
    rows = quarantine[
        (quarantine["file"] == f"{file}.csv") & ~quarantine["rule"].isin(CASCADE_RULES)
    ]
    counts = rows.drop_duplicates(["line_number", "rule"])["rule"].value_counts()
    return ", ".join(f"{rule} {n}" for rule, n in counts.items())


def _warnings(outcome: DeliveryOutcome) -> list[str]:
    warnings = []
    for file in outcome.files.values():
        if file.unknown_columns:
            # By position: a header is the municipality's text and may hold anything.
            positions = ", ".join(str(p) for p in file.unknown_positions) or "?"
            warnings.append(
                f"{file.file}.csv has {len(file.unknown_columns)} column(s) outside the "
                f"contract, left out: column {positions}"
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
