"""The planted bad rows are exactly the rows that break the contract, and few enough.

A small validator written here from SPEC §8/§11 checks every row of the newest deliveries;
the set of (file, line, rule) it finds must equal what the summary says was planted.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from demo import codes, legal, write_demo_data
from demo.summary import DeliverySummary, DemoSummary
from tests.demo.demo_helpers import CsvFile, parse_cpr, parse_date, read

KINDS = {
    "malformed_cpr",
    "impossible_cpr_date",
    "unparseable_date",
    "end_before_start",
    "completed_before_decision",
    "date_after_delivery",
    "unmapped_legal_reference",
    "placement_without_type",
    "unknown_placement_label",
    "not_an_investigation",
    "duplicate_id",
    "unknown_measure_id",
    "unreadable_boolean",
    "unknown_enum_value",
}
PLACEMENT_LABELS = {name for labels in codes.PLACEMENT_LABELS for name, _ in labels}
PLACEMENT_LABELS |= set(codes.PLACEMENT_TYPE_CODES)
END_REASONS = {"PLANNED", "UNPLANNED", "OTHER", "planlagt", "sammenbrud", "ikke planlagt", ""}
ROLES = {"INTAKE", "RESPONSIBLE", "modtagelse", "sagsbehandler"}


def _references() -> tuple[set[str], set[str], set[str]]:
    """Every notation the crosswalk can map: (all, placements, investigations)."""
    every, placements, investigations = set(), set(), set()
    for family in legal.FAMILIES:
        strings, _ = legal._table(family)
        for key in range(legal.N_KEYS):
            values = {str(v) for v in strings[key].ravel()}
            every |= values
            if key in (legal.PLACEMENT_CONSENT_KEY, legal.PLACEMENT_NO_CONSENT_KEY):
                placements |= values
            if key == legal.INVESTIGATION_KEY:
                investigations |= values
    return every, placements, investigations


REFERENCES, PLACEMENT_REFERENCES, INVESTIGATION_REFERENCES = _references()


class Validator:
    def __init__(self, delivery: DeliverySummary) -> None:
        self.delivery = delivery
        self.found: set[tuple[str, int, str]] = set()

    def flag(self, f: CsvFile, line: int, kind: str) -> None:
        self.found.add((f.info.name, line, kind))

    def cpr(self, f: CsvFile, line: int, value: str) -> None:
        if parse_cpr(value) is None:
            digits = value.replace("-", "")
            kind = (
                "impossible_cpr_date" if len(digits) == 10 and digits.isdigit() else "malformed_cpr"
            )
            self.flag(f, line, kind)

    def date(self, f: CsvFile, line: int, value: str, *, future_ok: bool = False) -> date | None:
        if value == "":
            return None
        try:
            day = parse_date(value, f.info)
        except ValueError:
            self.flag(f, line, "unparseable_date")
            return None
        if day > self.delivery.delivery_date and not future_ok:
            self.flag(f, line, "date_after_delivery")
        return day

    def boolean(self, f: CsvFile, line: int, value: str) -> None:
        if value not in (*f.info.boolean, ""):
            self.flag(f, line, "unreadable_boolean")

    def unique(self, f: CsvFile, column: str) -> None:
        counts = Counter(f.column(column))
        for line, value in zip(f.lines, f.column(column), strict=True):
            if counts[value] > 1:
                self.flag(f, line, "duplicate_id")

    def run(self) -> set[tuple[str, int, str]]:
        d = self.delivery
        children = read(d, "children.csv")
        for line, rec in zip(children.lines, children.records(), strict=True):
            self.cpr(children, line, rec["cpr"])
            self.boolean(children, line, rec["unaccompanied_refugee"])
        self.unique(children, "cpr")

        measures = read(d, "measures.csv")
        for line, rec in zip(measures.lines, measures.records(), strict=True):
            self.cpr(measures, line, rec["cpr"])
            start = self.date(measures, line, rec["start_date"])
            end = self.date(measures, line, rec["end_date"], future_ok=True)
            if start and end and end < start:
                self.flag(measures, line, "end_before_start")
            ref = rec["legal_reference"]
            if ref not in REFERENCES:
                self.flag(measures, line, "unmapped_legal_reference")
            if ref in PLACEMENT_REFERENCES:
                if rec["placement_type"] == "":
                    self.flag(measures, line, "placement_without_type")
                elif rec["placement_type"] not in PLACEMENT_LABELS:
                    self.flag(measures, line, "unknown_placement_label")
            elif rec["placement_type"] != "":
                pytest.fail(f"placement type on a non-placement, line {line}")
            for column in ("disability", "authority_granted"):
                self.boolean(measures, line, rec[column])
            if rec["end_reason"] not in END_REASONS or rec["provider"] not in codes.PROVIDER_CODES:
                self.flag(measures, line, "unknown_enum_value")
        self.unique(measures, "measure_id")

        inv = read(d, "investigations.csv")
        for line, rec in zip(inv.lines, inv.records(), strict=True):
            self.cpr(inv, line, rec["cpr"])
            decided = self.date(inv, line, rec["decision_date"])
            done = self.date(inv, line, rec["completed_date"])
            if decided and done and done < decided:
                self.flag(inv, line, "completed_before_decision")
            if rec["legal_reference"] not in INVESTIGATION_REFERENCES:
                kind = (
                    "not_an_investigation"
                    if rec["legal_reference"] in REFERENCES
                    else "unmapped_legal_reference"
                )
                self.flag(inv, line, kind)
        self.unique(inv, "investigation_id")

        follow_ups = read(d, "follow_ups.csv")
        known = set(measures.column("measure_id"))
        for line, rec in zip(follow_ups.lines, follow_ups.records(), strict=True):
            self.date(follow_ups, line, rec["completed_date"])
            if rec["measure_id"] not in known:
                self.flag(follow_ups, line, "unknown_measure_id")
        self.unique(follow_ups, "follow_up_id")

        cw = read(d, "caseworker_assignments.csv")
        for line, rec in zip(cw.lines, cw.records(), strict=True):
            if rec["role"] not in ROLES:
                self.flag(cw, line, "unknown_enum_value")
            self.date(cw, line, rec["from_date"])
            self.date(cw, line, rec["to_date"])
        charges = read(d, "charges.csv")
        for line, rec in zip(charges.lines, charges.records(), strict=True):
            self.date(charges, line, rec["charge_date"])
        absence = read(d, "school_absence.csv")
        for line, rec in zip(absence.lines, absence.records(), strict=True):
            self.boolean(absence, line, rec["municipal_school"])
        return self.found


def test_planted_rows_are_exactly_the_rows_that_break_the_contract(
    municipal: DemoSummary, newest: list[DeliverySummary]
) -> None:
    for d in newest:
        planted = {(p.file, p.line, p.kind) for p in municipal.bad_rows(d.municipality_code)}
        assert Validator(d).run() == planted


def test_older_deliveries_are_clean(municipal: DemoSummary) -> None:
    for d in municipal.deliveries:
        if d.delivery_date == date(2025, 9, 5):
            assert Validator(d).run() == set()


def test_every_kind_is_planted_in_every_municipality(municipal: DemoSummary) -> None:
    assert set(municipal.bad_rows_per_kind) == KINDS
    for m in municipal.municipalities:
        assert {p.kind for p in municipal.bad_rows(m.code)} == KINDS
    # Duplicates come in pairs, both rows reported.
    assert municipal.bad_rows_per_kind["duplicate_id"] % 2 == 0
    unmapped = {p.value for p in municipal.planted if p.kind == "unmapped_legal_reference"}
    assert unmapped == {"§ 52", "SEL § 11", "SEL § 999, stk. 1"}


def test_planted_values_are_where_the_summary_says(municipal: DemoSummary) -> None:
    for p in municipal.planted:
        d = municipal.newest(p.municipality_code)
        f = read(d, p.file)
        row = f.rows[f.lines.index(p.line)]
        assert row[f.columns.index(p.column)] == p.value


def test_person_without_children_row_is_planted_once_per_municipality(
    municipal: DemoSummary, newest: list[DeliverySummary]
) -> None:
    assert [w.municipality_code for w in municipal.warnings] == [101, 330, 860]
    for w, d in zip(municipal.warnings, newest, strict=True):
        measures = read(d, "measures.csv")
        cprs = {
            measures.rows[measures.lines.index(line)][measures.columns.index("cpr")]
            for line in w.lines
        }
        assert len({c.replace("-", "") for c in cprs}) == 1
        children = {c.replace("-", "") for c in read(d, "children.csv").column("cpr")}
        assert cprs.pop().replace("-", "") not in children


def test_one_unknown_extra_column_per_municipality(municipal: DemoSummary) -> None:
    assert len(municipal.extra_columns) == 3
    for e in municipal.extra_columns:
        for d in municipal.deliveries:
            if d.municipality_code == e.municipality_code:
                assert e.column in read(d, e.file).columns


def test_bad_rows_stay_well_under_the_quarantine_threshold(tmp_path: Path) -> None:
    """At full size (Hjørring, the smallest demo municipality) no file nears 5 %."""
    summary = write_demo_data(tmp_path, "municipal", municipalities=[860])
    d = summary.newest(860)
    per_file = Counter(p.file for p in summary.planted)
    for file, bad in per_file.items():
        assert bad / d.rows(file) < 0.01, file
