"""Reading the demo files back exactly as their delivery declares them, and the contract
(SPEC §8) written out independently of the generator."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from demo import cpr
from demo.summary import DeliverySummary, FileInfo

SMALL = 0.02
SEED = 20261122

# SPEC §8, written out here rather than imported, so the tests hold the generator to the
# contract and not to itself.
DANISH_ALIASES = {
    "cpr_nr": "cpr",
    "personnummer": "cpr",
    "uledsaget_flygtning": "unaccompanied_refugee",
    "indsats_id": "measure_id",
    "paragraf": "legal_reference",
    "anbringelsessted": "placement_type",
    "startdato": "start_date",
    "slutdato": "end_date",
    "ophoersaarsag": "end_reason",
    "funktionsnedsaettelse": "disability",
    "myndighedsbevilget": "authority_granted",
    "leverandoer": "provider",
    "sags_id": "case_id",
    "afgoerelsesdato": "decision_date",
    "afslutningsdato": "completed_date",
}
CONTRACT = {
    "children": ["cpr", "unaccompanied_refugee"],
    "measures": [
        "measure_id",
        "cpr",
        "legal_reference",
        "placement_type",
        "start_date",
        "end_date",
        "end_reason",
        "disability",
        "authority_granted",
        "provider",
        "case_id",
    ],
    "investigations": [
        "investigation_id",
        "cpr",
        "legal_reference",
        "decision_date",
        "completed_date",
    ],
    "follow_ups": ["follow_up_id", "measure_id", "completed_date"],
    "action_plans": ["plan_id", "cpr", "created_date", "measure_id"],
    "caseworker_assignments": ["case_id", "cpr", "caseworker_id", "role", "from_date", "to_date"],
    "expenses": ["month", "account", "amount_dkk"],
    "inquiries": ["inquiry_id", "inquiry_date", "channel", "outcome"],
    "family_involvement": ["cpr", "recorded_date", "status"],
    "school_absence": ["cpr", "school_year", "municipal_school", "absence_pct"],
    "school_completion": ["cpr", "school_year", "completed_9th_grade"],
    "youth_education": ["cpr", "start_date", "completed_date", "kind"],
    "charges": ["cpr", "charge_date", "severity"],
    "child_conversations": ["cpr", "conversation_date", "goals_achieved"],
    "wellbeing": ["cpr", "assessment_date", "score"],
    "housing_centre_stays": ["cpr", "centre_id", "start_date", "end_date", "destination"],
}
CORE = ("children", "measures", "investigations", "follow_ups")

_CPR = re.compile(r"^(\d{2})(\d{2})(\d{2})-?(\d)(\d{3})$")


@dataclass
class CsvFile:
    columns: list[str]  # contract names (aliases resolved, lower case)
    rows: list[list[str]]
    lines: list[int]  # physical line number of each row
    info: FileInfo

    def column(self, name: str) -> list[str]:
        i = self.columns.index(name)
        return [row[i] for row in self.rows]

    def records(self) -> list[dict[str, str]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def read(delivery: DeliverySummary, name: str) -> CsvFile:
    """Read a file exactly as its delivery declares it (encoding, delimiter)."""
    info = delivery.file(name)
    raw = (delivery.folder / info.name).read_bytes()
    text = raw.decode(info.encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=info.delimiter)
    header, *rows = list(reader)
    columns = [DANISH_ALIASES.get(h.lower(), h.lower()) for h in header]
    lines = list(range(2, len(rows) + 2))  # no field holds a line break
    return CsvFile(columns, rows, lines, info)


def parse_date(text: str, info: FileInfo) -> date:
    return datetime.strptime(text, info.date_format).date()


def parse_cpr(text: str) -> tuple[date, int] | None:
    """Birth date and serial of a CPR number, or None when malformed or impossible."""
    match = _CPR.match(text)
    if not match:
        return None
    dd, mm, yy, seventh, rest = match.groups()
    year = cpr.century(int(seventh), int(yy)) + int(yy)
    try:
        born = date(year, int(mm), int(dd))
    except ValueError:
        return None
    return born, int(seventh + rest)
