"""The reporting template: one workbook per municipality and cut-off date, in the layout of
Socialstyrelsen's template (one row per indicator: id, Danish name, numerator, denominator,
value, unit, note), with a sheet of Danish definitions (the catalogue's wording, seed 004).

The indicator rows are an Excel table (Tabel "Noegletal", with filter buttons), under a legend
that explains every mark the sheet uses: "<5" (suppressed), "Ikke tilgængelig" and
"foreløbig". Numbers are stored as numbers with Excel number formats (Danish Excel shows
1.234,5), dates and times as real date cells; a suppressed figure is the text "<5" (the
configured threshold), never 0 and never blank, and its note says why. The interval columns
come after the template's columns, so the template's shape is unchanged. A cut-off date after
the municipality's delivery gets no workbook: every figure of it would be "Ikke tilgængelig".

Written with XlsxWriter, a write-only library: a national publication writes about 5,000
workbooks, and XlsxWriter takes a fraction of openpyxl's time per workbook for the same
cells and formats (benchmarks/README.md, item 13). Every text goes through `write_string`, and
the workbook is opened with `strings_to_formulas` off, so a text that starts with "=" stays text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.code_version import code_key
from pipeline.publish import labels
from pipeline.publish.carry_over import CarryOver, fingerprint, row_digests
from pipeline.publish.labels import (
    COUNT_FORMAT,
    DATE_FORMAT,
    DATETIME_FORMAT,
    KRONER_FORMAT,
    PROVISIONAL_LABEL_DA,
    PROVISIONAL_NOTE_DA,
    SUPPRESSION_NOTE_DA,
    VALUE_FORMATS,
    is_provisional,
    suppressed_label,
)
from pipeline.publish.record import PublicationRecord

SHEET_INDICATORS = "Nøgletal"
SHEET_DEFINITIONS = "Definitioner"
SHEET_ABOUT = "Om tallene"
HEADER = [
    "Nr.",
    "Nøgletal",
    "Tæller",
    "Nævner",
    "Værdi",
    "Enhed",
    "Note",
    "95 %-interval, nedre",
    "95 %-interval, øvre",
]
HEADER_ROW = 9  # as Excel counts rows; XlsxWriter counts rows and columns from 0
TABLE_NAME = "Noegletal"  # Excel table names allow no space; ASCII for every Excel version
_WORKBOOK_OPTIONS = {
    "in_memory": True,  # no temporary files per sheet
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
_INDICATOR_WIDTHS = (7, 70, 12, 12, 12, 22, 50, 20, 20)
_DEFINITION_WIDTHS = (7, 70, 45, 22, 100, 30)
DEFINITION_HEADER = ["Nr.", "Nøgletal", "Kort navn", "Enhed", "Definition", "Kilde"]


def workbook_name(municipality_code: str, cutoff: dt.date) -> str:
    return f"noegletal_{municipality_code}_{cutoff.isoformat()}.xlsx"


@dataclass(frozen=True)
class WorkbookJob:
    """A workbook to write: its file name and rows (published_indicator_values as dicts)."""

    name: str
    municipality: str
    cutoff: dt.date
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class WorkbookPlan:
    """The workbooks of a folder: those carried over (in `files`) and those to write."""

    files: CarryOver
    jobs: list[WorkbookJob]
    definitions: list[tuple[str | None, ...]]  # the same sheet in every workbook


def write_workbooks(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    record: PublicationRecord,
    folder: Path,
    previous: Path | None = None,
) -> CarryOver:
    """One workbook per municipality and cut-off date of `values` (published_indicator_values
    rows). Socialstyrelsen's template holds the national key indicators only; the municipal
    goals are in the serving file and the report.

    A workbook whose rows are the same as in the previous publication's folder `previous` is
    carried over from there (see carry_over.py): it then names the run that computed it."""
    plan = plan_workbooks(values, indicators, record, folder, previous)
    write_workbook_jobs(folder, plan.jobs, plan.definitions, record)
    plan.files.save()
    return plan.files


def plan_workbooks(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    record: PublicationRecord,
    folder: Path,
    previous: Path | None = None,
) -> WorkbookPlan:
    """Carry over every workbook of `values` that is unchanged since `previous`; the rest are
    the plan's jobs. Cheap, so one process plans all workbooks and only the jobs are shared
    out (files.py)."""
    folder.mkdir(parents=True, exist_ok=True)
    national = indicators.loc[indicators["family"] == "national", "indicator_id"]
    values = values[values["indicator_id"].isin(national)]
    indicators = indicators[indicators["indicator_id"].isin(national)]
    order = indicators.set_index("indicator_id")["sort_order"]
    ordered = values.assign(_order=values["indicator_id"].map(order)).sort_values(
        ["municipality_code", "cutoff_date", "_order"], ignore_index=True
    )
    code = code_key(Path(__file__), Path(labels.__file__))
    shared = fingerprint(
        code,
        indicators,
        [record.suppression_threshold, record.git_commit, record.pipeline_version],
        [str(column) for column in ordered.columns],
    )
    files = CarryOver(folder, previous)
    digests = row_digests(ordered)
    # As days in one array: a list of 220,000 Timestamps took 0.6 s to make.
    delivered = pd.to_datetime(ordered["delivery_date"]).to_numpy(dtype="datetime64[D]")
    todo: list[tuple[str, str, dt.date, int, int]] = []
    for (municipality, cutoff), start, end in _workbook_rows(ordered):
        day = pd.Timestamp(cutoff).date()
        if not _covered(delivered[start:end], day):
            continue
        name = workbook_name(str(municipality), day)
        if not files.reuse(name, fingerprint(shared, digests[start:end])):
            todo.append((name, str(municipality), day, start, end))
    jobs = []
    if todo:
        # The rows of the workbooks to write as dicts in one conversion: one per workbook
        # cost about 5 ms each, half of writing the workbook (benchmarks/README.md, round 7).
        positions = np.concatenate([np.arange(start, end) for *_, start, end in todo])
        records = ordered.iloc[positions].to_dict("records")
        at = 0
        for name, municipality, day, start, end in todo:
            jobs.append(WorkbookJob(name, municipality, day, records[at : at + end - start]))
            at += end - start
    return WorkbookPlan(files, jobs, _definition_rows(indicators))


def write_workbook_jobs(
    folder: Path,
    jobs: list[WorkbookJob],
    definitions: list[tuple[str | None, ...]],
    record: PublicationRecord,
) -> None:
    for job in jobs:
        _write_workbook(
            folder / job.name, job.rows, definitions, record, job.municipality, job.cutoff
        )


def _covered(delivered: np.ndarray, cutoff: dt.date) -> bool:
    """Whether the municipality's delivery covers the cut-off date (it is on or before the
    delivery date): a later date has only 'Ikke tilgængelig' rows, not worth a workbook.
    `delivered`: the delivery_date of the workbook's rows (datetime64[D], NaT for none)."""
    known = delivered[~np.isnat(delivered)]
    return bool(not len(known) or np.datetime64(cutoff, "D") <= known[0])


def _workbook_rows(ordered: pd.DataFrame) -> list[tuple[tuple[object, object], int, int]]:
    """(municipality, cut-off date) and the range of its rows in `ordered`, which is sorted by
    both."""
    if ordered.empty:
        return []
    codes = ordered["municipality_code"].to_numpy()
    days = ordered["cutoff_date"].to_numpy()
    starts = np.flatnonzero(np.r_[True, (codes[1:] != codes[:-1]) | (days[1:] != days[:-1])])
    ends = np.r_[starts[1:], len(codes)]
    return [
        ((codes[start], days[start]), int(start), int(end))
        for start, end in zip(starts, ends, strict=True)
    ]


class _Formats:
    """The cell formats of one workbook (an XlsxWriter format belongs to one workbook)."""

    def __init__(self, book: Workbook) -> None:
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.bold = book.add_format({"bold": True})
        self.header = book.add_format({"bold": True, "pattern": 1, "bg_color": "#DDE6F0"})
        self.date = book.add_format({"num_format": DATE_FORMAT, "align": "left"})
        self.datetime = book.add_format({"num_format": DATETIME_FORMAT, "align": "left"})
        self.right = book.add_format({"align": "right"})
        self.numbers = {
            number_format: book.add_format({"num_format": number_format})
            for number_format in {COUNT_FORMAT, KRONER_FORMAT, *VALUE_FORMATS.values()}
        }

    def number(self, number_format: str) -> Format | None:
        return self.numbers.get(number_format)  # "General" is Excel's default: no format


def _write_workbook(
    path: Path,
    rows: list[dict[str, Any]],
    definitions: list[tuple[str | None, ...]],
    record: PublicationRecord,
    code: str,
    cutoff: dt.date,
) -> None:
    book = xlsxwriter.Workbook(str(path), _WORKBOOK_OPTIONS)
    book.set_properties({"created": record.published_at.replace(tzinfo=None)})
    formats = _Formats(book)
    sheet = book.add_worksheet(SHEET_INDICATORS)
    name = next(
        (row["municipality_name"] for row in rows if pd.notna(row["municipality_name"])), code
    )
    threshold = record.suppression_threshold
    sheet.write_string(0, 0, "Nøgletal for udsatte børn og unge", formats.title)
    sheet.write_string(1, 0, f"Kommune: {name} ({code})")
    sheet.write_string(2, 0, "Skæringsdato:")
    sheet.write_datetime(2, 1, cutoff, formats.date)
    for number, line in enumerate(_legend(threshold), start=3):
        sheet.write_string(number, 0, line)
    # An Excel table (filter buttons, banded rows) over the header and the indicator rows;
    # add_table writes the header, the rows are written into it below.
    sheet.add_table(
        HEADER_ROW - 1,
        0,
        HEADER_ROW - 1 + len(rows),
        len(HEADER) - 1,
        {
            "name": TABLE_NAME,
            "style": "Table Style Light 9",
            "columns": [{"header": title, "header_format": formats.header} for title in HEADER],
        },
    )
    for offset, row in enumerate(rows):
        _indicator_row(sheet, formats, HEADER_ROW + offset, row, threshold)
    for column, width in enumerate(_INDICATOR_WIDTHS):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(HEADER_ROW, 0)
    _definitions(book.add_worksheet(SHEET_DEFINITIONS), formats, definitions, threshold)
    _about(book.add_worksheet(SHEET_ABOUT), formats, record, rows)
    book.close()


def _legend(threshold: int) -> list[str]:
    """What each mark of the sheet means (rows 4-7), so the sheet explains itself."""
    suppression = (
        f'"{suppressed_label(threshold)}": ' + SUPPRESSION_NOTE_DA.format(threshold=threshold)
        if threshold
        else "INTERN REVISIONSKOPI UDEN DISKRETIONERING: må ikke offentliggøres."
    )
    return [
        suppression,
        PROVISIONAL_NOTE_DA,
        '"Ikke tilgængelig": tallet kan ikke beregnes ud fra leverancen; Note siger hvorfor. '
        'En tom værdi med "Nævneren er 0" betyder, at ingen indgår i grundlaget.',
        "95 %-interval: Wilson-interval for andele; eksakt Poisson-interval for antal og for "
        "tal pr. 1.000. Se fanen Definitioner.",
    ]


def _indicator_row(
    sheet: Worksheet, formats: _Formats, number: int, row: dict[str, Any], threshold: int
) -> None:
    unit = str(row["unit"])
    sheet.write_string(number, 0, str(row["indicator_id"]))
    sheet.write_string(number, 1, str(row["indicator_name_da"]))
    sheet.write_string(number, 5, str(row["unit_da"]))
    suppressed = bool(row["suppressed"])
    count_format = KRONER_FORMAT if unit == "ratio" else COUNT_FORMAT
    value_format = VALUE_FORMATS.get(unit, "General")
    # Kroner (11) are amounts, published beside the counts (published_indicator_values).
    numerator = "numerator_amount" if pd.notna(row["numerator_amount"]) else "numerator"
    denominator = "denominator_amount" if pd.notna(row["denominator_amount"]) else "denominator"
    cells = (
        (2, numerator, count_format),
        (3, denominator, count_format),
        (4, "value", value_format),
        (7, "ci_low", value_format),
        (8, "ci_high", value_format),
    )
    for column, field, number_format in cells:
        if suppressed:
            sheet.write_string(number, column, suppressed_label(threshold), formats.right)
        elif pd.notna(row[field]):
            sheet.write_number(number, column, float(row[field]), formats.number(number_format))
    notes = [PROVISIONAL_LABEL_DA.capitalize()] if is_provisional(row) else []
    if not pd.isna(row["note_da"]):
        note = str(row["note_da"])
        notes.append(note if row["status"] == "ok" else f"Ikke tilgængelig: {note}")
    if notes:
        sheet.write_string(number, 6, ". ".join(notes))


def _definition_rows(indicators: pd.DataFrame) -> list[tuple[str | None, ...]]:
    """The rows of the definitions sheet (DEFINITION_HEADER): id, the catalogue's name, the
    short name, unit and definition, all in Danish, and the source."""
    rows = []
    for row in indicators.sort_values("sort_order").to_dict("records"):
        values = (
            row["indicator_id"],
            row["name_da"],
            row["short_name_da"],
            row["unit_da"],
            row["definition_da"],
            row["source"],
        )
        rows.append(tuple(None if pd.isna(value) else str(value) for value in values))
    return rows


def _definitions(
    sheet: Worksheet,
    formats: _Formats,
    definitions: list[tuple[str | None, ...]],
    threshold: int,
) -> None:
    for column, title in enumerate(DEFINITION_HEADER):
        sheet.write_string(0, column, title, formats.header)
    for number, values in enumerate(definitions, start=1):
        for column, value in enumerate(values):
            if value is not None:
                sheet.write_string(number, column, value)
    notes_at = len(definitions) + 2
    notes = [
        "Alle nøgletal: børn og unge, der modtager en foranstaltning på grund af fysisk eller "
        "psykisk funktionsnedsættelse, og uledsagede flygtningebørn indgår ikke "
        "(nøgletalskataloget).",
        "Pr. 1.000: antal x 1.000 / 0-17-årige i kommunen (Danmarks Statistik, FOLK1A).",
        "95 %-interval: Wilson-interval for andele; eksakt Poisson-interval (Garwood) for "
        "antal og for tal pr. 1.000.",
        "Diskretionering: "
        + (
            f'"{suppressed_label(threshold)}" = ' + SUPPRESSION_NOTE_DA.format(threshold=threshold)
            if threshold
            else "slået fra (intern revisionskopi)."
        ),
        PROVISIONAL_NOTE_DA,
    ]
    for offset, note in enumerate(notes):
        sheet.write_string(notes_at + offset, 0, note)
    for column, width in enumerate(_DEFINITION_WIDTHS):
        sheet.set_column(column, column, width)


def _about(
    sheet: Worksheet, formats: _Formats, record: PublicationRecord, rows: list[dict[str, Any]]
) -> None:
    delivery = [row["delivery_date"] for row in rows if pd.notna(row["delivery_date"])]
    facts: list[tuple[str, str | int | dt.datetime | None]] = [
        # The run that computed these figures: a later run that leaves them unchanged carries
        # the workbook over as it is (carry_over.py).
        ("Beregnet i kørsel (run id)", record.run_id),
        # Excel has no time zones: the time is written as UTC, and the label says so.
        ("Beregnet (UTC)", record.published_at.astimezone(dt.UTC).replace(tzinfo=None)),
        ("Leverance", pd.Timestamp(delivery[0]).to_pydatetime() if delivery else None),
        ("Diskretioneringsgrænse", record.suppression_threshold),
        ("Pipeline-version", record.pipeline_version),
        ("Git-commit", record.git_commit),
    ]
    for number, (label, value) in enumerate(facts):
        sheet.write_string(number, 0, label, formats.bold)
        if isinstance(value, dt.datetime):
            exact = value.time() != dt.time(0)  # a delivery date has no time of day
            sheet.write_datetime(number, 1, value, formats.datetime if exact else formats.date)
        elif isinstance(value, str):
            sheet.write_string(number, 1, value)
        elif value is not None:
            sheet.write_number(number, 1, value)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 60)
