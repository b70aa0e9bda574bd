"""The reporting template: one workbook per municipality and cut-off date, in the layout of
Socialstyrelsen's template (one row per indicator: id, Danish name, numerator, denominator,
value, unit, note), with a sheet of definitions.

Numbers are stored as numbers with Excel number formats (Danish Excel shows 1.234,5); a
suppressed figure is the text "<5" (the configured threshold), never 0 and never blank, and
its note says why. The interval columns come after the template's columns, so the template's
shape is unchanged.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.code_version import code_key
from pipeline.publish import labels
from pipeline.publish.carry_over import CarryOver, fingerprint
from pipeline.publish.labels import (
    COUNT_FORMAT,
    DATE_FORMAT,
    KRONER_FORMAT,
    SUPPRESSION_NOTE_DA,
    UNIT_LABELS_DA,
    VALUE_FORMATS,
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
HEADER_ROW = 6
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
_RIGHT = Alignment(horizontal="right")


def workbook_name(municipality_code: str, cutoff: dt.date) -> str:
    return f"noegletal_{municipality_code}_{cutoff.isoformat()}.xlsx"


def write_workbooks(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    record: PublicationRecord,
    folder: Path,
    previous: Path | None = None,
    save: bool = True,
) -> CarryOver:
    """One workbook per municipality and cut-off date of `values` (published_indicator_values
    rows). Socialstyrelsen's template holds the national key indicators only; the municipal
    goals are in the serving file and the report.

    A workbook whose rows are the same as in the previous publication's folder `previous` is
    copied from there (see carry_over.py): it then names the run that computed it. `save`
    writes the folder's fingerprints (off when this call writes one share of the folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    national = indicators.loc[indicators["family"] == "national", "indicator_id"]
    values = values[values["indicator_id"].isin(national)]
    indicators = indicators[indicators["indicator_id"].isin(national)]
    order = indicators.set_index("indicator_id")["sort_order"]
    code = code_key(Path(__file__), Path(labels.__file__))
    shared = fingerprint(
        code,
        indicators,
        [record.suppression_threshold, record.git_commit, record.pipeline_version],
    )
    files = CarryOver(folder, previous)
    definitions = _definition_rows(indicators)  # the same sheet in every workbook
    for (municipality, cutoff), rows in values.groupby(
        ["municipality_code", "cutoff_date"], sort=True
    ):
        day = pd.Timestamp(cutoff).date()
        ordered = rows.assign(_order=rows["indicator_id"].map(order)).sort_values("_order")
        name = workbook_name(str(municipality), day)
        if not files.reuse(name, fingerprint(shared, ordered)):
            book = _workbook(ordered, definitions, record, str(municipality), day)
            book.save(folder / name)
    if save:
        files.save()
    return files


def _workbook(
    rows: pd.DataFrame,
    definitions: list[tuple[str | None, ...]],
    record: PublicationRecord,
    code: str,
    cutoff: dt.date,
) -> Workbook:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET_INDICATORS
    name = (
        rows["municipality_name"].dropna().iloc[0]
        if rows["municipality_name"].notna().any()
        else code
    )
    threshold = record.suppression_threshold
    sheet["A1"] = "Nøgletal for udsatte børn og unge"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = f"Kommune: {name} ({code})"
    sheet["A3"] = "Skæringsdato:"
    sheet["B3"] = cutoff
    sheet["B3"].number_format = DATE_FORMAT
    sheet["B3"].alignment = Alignment(horizontal="left")
    sheet["A4"] = (
        f'"{suppressed_label(threshold)}": ' + SUPPRESSION_NOTE_DA.format(threshold=threshold)
        if threshold
        else "INTERN REVISIONSKOPI UDEN DISKRETIONERING: må ikke offentliggøres."
    )
    for column, title in enumerate(HEADER, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=title)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    for offset, row in enumerate(rows.to_dict("records"), start=1):
        _indicator_row(sheet, HEADER_ROW + offset, row, threshold)
    for column, width in zip("ABCDEFGHI", (7, 70, 12, 12, 12, 22, 50, 20, 20), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    _definitions(book.create_sheet(SHEET_DEFINITIONS), definitions, threshold)
    _about(book.create_sheet(SHEET_ABOUT), record, rows)
    return book


def _indicator_row(sheet: Worksheet, number: int, row: dict[str, Any], threshold: int) -> None:
    unit = str(row["unit"])
    sheet.cell(row=number, column=1, value=str(row["indicator_id"]))
    sheet.cell(row=number, column=2, value=str(row["indicator_name_da"]))
    sheet.cell(row=number, column=6, value=UNIT_LABELS_DA.get(unit, unit))
    suppressed = bool(row["suppressed"])
    count_format = KRONER_FORMAT if unit == "ratio" else COUNT_FORMAT
    value_format = VALUE_FORMATS.get(unit, "General")
    cells = (
        (3, "numerator", count_format),
        (4, "denominator", count_format),
        (5, "value", value_format),
        (8, "ci_low", value_format),
        (9, "ci_high", value_format),
    )
    for column, field, number_format in cells:
        cell = sheet.cell(row=number, column=column)
        if suppressed:
            cell.value = suppressed_label(threshold)
            cell.alignment = _RIGHT
        elif pd.notna(row[field]):
            cell.value = float(row[field])
            cell.number_format = number_format
    if suppressed:
        note = SUPPRESSION_NOTE_DA.format(threshold=threshold)
    elif row["status"] != "ok":
        note = f"Ikke tilgængelig: {row['note']}"
    elif pd.isna(row["value"]):
        note = "Nævneren er 0"
    else:
        note = None
    sheet.cell(row=number, column=7, value=note)


def _definition_rows(indicators: pd.DataFrame) -> list[tuple[str | None, ...]]:
    """The rows of the definitions sheet: id, Danish and English name, unit, rule, source."""
    rows = []
    for row in indicators.sort_values("sort_order").to_dict("records"):
        values = (
            row["indicator_id"],
            row["name_da"],
            row["name_en"],
            UNIT_LABELS_DA.get(str(row["unit"]), row["unit"]),
            row["spec_rule"],
            row["source"],
        )
        rows.append(tuple(None if pd.isna(value) else str(value) for value in values))
    return rows


def _definitions(
    sheet: Worksheet, definitions: list[tuple[str | None, ...]], threshold: int
) -> None:
    header = ["Nr.", "Nøgletal", "Name (English)", "Enhed", "Definition", "Kilde"]
    for column, title in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=column, value=title)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    for number, values in enumerate(definitions, start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=number, column=column, value=value)
    notes_at = len(definitions) + 3
    notes = [
        "Pr. 1.000: antal x 1.000 / 0-17-årige i kommunen (Danmarks Statistik, FOLK1A).",
        "95 %-interval: Wilson-interval for andele; eksakt Poisson-interval (Garwood) for "
        "antal og for tal pr. 1.000.",
        "Diskretionering: "
        + (
            f'"{suppressed_label(threshold)}" = ' + SUPPRESSION_NOTE_DA.format(threshold=threshold)
            if threshold
            else "slået fra (intern revisionskopi)."
        ),
    ]
    for offset, note in enumerate(notes):
        sheet.cell(row=notes_at + offset, column=1, value=note)
    for column, width in zip("ABCDEF", (7, 70, 45, 22, 90, 30), strict=True):
        sheet.column_dimensions[column].width = width


def _about(sheet: Worksheet, record: PublicationRecord, rows: pd.DataFrame) -> None:
    delivery = rows["delivery_date"].dropna()
    facts = [
        # The run that computed these figures: a later run that leaves them unchanged carries
        # the workbook over as it is (carry_over.py).
        ("Beregnet i kørsel (run id)", record.run_id),
        ("Beregnet", record.published_at.strftime("%d-%m-%Y %H:%M UTC")),
        ("Leverance", pd.Timestamp(delivery.iloc[0]).strftime("%d-%m-%Y") if len(delivery) else ""),
        ("Diskretioneringsgrænse", record.suppression_threshold),
        ("Pipeline-version", record.pipeline_version),
        ("Git-commit", record.git_commit),
    ]
    for number, (label, value) in enumerate(facts, start=1):
        sheet.cell(row=number, column=1, value=label).font = _BOLD
        sheet.cell(row=number, column=2, value=value)
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 60
