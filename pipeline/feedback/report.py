"""The feedback report to the municipality (tilbagemelding, SPEC §13), one per delivery.

Written to `<data-dir>/feedback/<municipality>/<delivery_date>/` (never under serving/, which
BI reads): `tilbagemelding.html`, `tilbagemelding.xlsx` and `tilbagemelding.json` (the same
facts for machines, and what the report is rewritten from once the delivery's figures are
published and its revisions are known). In Danish, for the municipality's own case-system
staff: every file read, every quarantined row by file, line, column, rule and the row's own id,
the verdict with its reason, the changes since the previous accepted delivery and the revised
figures.

What it may show of a row: its own id (measure_id, investigation_id, follow_up_id, ...; never
for children.csv, whose id is the CPR number) and dates read as dates. An id shaped like a CPR
number or a pseudonym is withheld. Before the files take their names, they pass the same
search as a publication (no CPR-shaped text, no pseudonym: publish/audit.py); a report that
fails it is not written and the step fails.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import re
import shutil
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import xlsxwriter

from pipeline.feedback.rules import column_label, rule_text
from pipeline.landing.check_delivery import DeliveryOutcome
from pipeline.paths import SEEDS_DIR
from pipeline.publish.audit import audit_folder
from pipeline.sources.extracts.spec import CORE_FILES

REPORT_NAME = "tilbagemelding"
PROFILES = "landing.delivery_profiles"
_PROFILES_DDL = f"""
create table if not exists {PROFILES} (
    municipality_code varchar not null,
    delivery_date date not null,
    measure varchar not null,
    label_da varchar not null,
    count bigint not null,
    primary key (municipality_code, delivery_date, measure)
)
"""
# Withheld from the report whatever the file calls it: 10 digits (a CPR number with or without
# its hyphen) or 64 hex digits (a pseudonym).
_PERSONAL_SHAPE = re.compile(r"\d{6}-?\d{4}|[0-9a-fA-F]{64}")
WITHHELD_ID = "(vises ikke: ligner et CPR-nummer)"
_DELIMITERS = {";": "semikolon (;)", ",": "komma (,)", "\t": "tabulator"}
_ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 med BOM", "cp1252": "Windows-1252"}


def feedback_folder(feedback_dir: Path, municipality: str, delivery_date: dt.date) -> Path:
    return feedback_dir / municipality / delivery_date.isoformat()


def ensure_profiles(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(_PROFILES_DDL)


# --- what a delivery holds, to compare with the previous accepted one ------------------------


@cache
def _names_da(seed: str, key: str) -> dict[str, str]:
    frame = pd.read_csv(SEEDS_DIR / "reference" / f"{seed}.csv", dtype=str)
    return dict(zip(frame[key], frame["name_da"], strict=True))


def delivery_profile(outcome: DeliveryOutcome) -> list[tuple[str, str, int]]:
    """(measure, Danish label, count) of the delivery's accepted rows: persons, measures per
    category, and placements open on the delivery date per placement type."""
    children = outcome.accepted.get("children")
    measures = outcome.accepted.get("measures")
    if children is None or measures is None:
        return []
    persons = pd.concat([children["person_id"], measures["person_id"]]).dropna().nunique()
    rows = [("persons", "Personer (children.csv og measures.csv)", int(persons))]
    categories = _names_da("measure_categories", "category")
    for category, count in measures["category"].dropna().value_counts().sort_index().items():
        name = categories.get(str(category), str(category))
        rows.append((f"measures:{category}", f"Indsatser: {name}", int(count)))
    day = pd.Timestamp(outcome.delivery.delivery_date)
    open_ = measures[
        measures["category"].eq("PLACEMENT").fillna(False)
        & (measures["start_date"] <= day)
        & (measures["end_date"].isna() | (measures["end_date"] >= day))
    ]
    types = _names_da("placement_type_codes", "placement_type")
    for kind, count in open_["placement_type"].dropna().value_counts().sort_index().items():
        name = types.get(str(kind), str(kind))
        rows.append((f"open_placements:{kind}", f"Igangværende anbringelser: {name}", int(count)))
    return rows


def store_profiles(conn: duckdb.DuckDBPyConnection, outcomes: Iterable[DeliveryOutcome]) -> None:
    """Each delivery's profile (accepted or not: a rejected one is compared too), replacing what
    an earlier read of the same delivery stored. Call before the accepted rows are let go."""
    ensure_profiles(conn)
    for outcome in outcomes:
        key = [outcome.delivery.municipality_code, outcome.delivery.delivery_date]
        conn.execute(
            f"delete from {PROFILES} where municipality_code = ? and delivery_date = ?", key
        )
        rows = [[*key, *row] for row in delivery_profile(outcome)]
        if rows:
            conn.executemany(f"insert into {PROFILES} values (?, ?, ?, ?, ?)", rows)


def _changes(
    conn: duckdb.DuckDBPyConnection, municipality: str, delivery_date: dt.date
) -> dict[str, Any]:
    """This delivery's profile against the previous accepted delivery's, the largest relative
    change first (a category that halved is at the top)."""
    previous = conn.execute(
        "select max(delivery_date) from landing.deliveries where municipality_code = ? "
        "and delivery_date < ? and status = 'accepted'",
        [municipality, delivery_date],
    ).fetchone()
    before_date = previous[0] if previous else None
    profile = conn.execute(
        f"select delivery_date, measure, label_da, count from {PROFILES} "
        "where municipality_code = ? and delivery_date in (?, ?)",
        [municipality, delivery_date, before_date or delivery_date],
    ).fetchall()
    now = {m: (label, n) for day, m, label, n in profile if day == delivery_date}
    before = {m: (label, n) for day, m, label, n in profile if day == before_date}
    rows = []
    for measure in sorted(set(now) | set(before)):
        label = (now.get(measure) or before[measure])[0]
        old, new = before.get(measure, (label, 0))[1], now.get(measure, (label, 0))[1]
        relative = (new - old) / old if old else (math.inf if new else 0.0)
        rows.append(
            {
                "label": label,
                "previous": old,
                "current": new,
                "change": new - old,
                "relative": relative,
            }
        )
    rows.sort(key=lambda r: (-abs(r["relative"]), -abs(r["change"]), r["label"]))
    return {
        "previous_delivery": before_date.isoformat() if before_date else None,
        # a delivery refused before its files were read has nothing to compare
        "rows": rows if before_date and now else [],
        "read": bool(now),
    }


# --- the facts of one delivery --------------------------------------------------------------


def safe_id(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = str(value)
    return WITHHELD_ID if _PERSONAL_SHAPE.search(text) else text


def _date(value: object) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def delivery_facts(
    conn: duckdb.DuckDBPyConnection,
    outcome: DeliveryOutcome,
    run_id: str,
    quarantine_threshold: float,
) -> dict[str, Any]:
    """Everything the report shows of one delivery (JSON-ready; no personal data)."""
    delivery = outcome.delivery
    files = [_file_facts(f, quarantine_threshold) for f in outcome.files.values() if f.present]
    absent = [f"{f.file}.csv" for f in outcome.files.values() if not f.present]
    quarantine = _quarantine_facts(outcome)
    return {
        "municipality_code": delivery.municipality_code,
        "delivery_date": delivery.delivery_date.isoformat(),
        "run_id": run_id,
        "written_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "accepted": outcome.accepted_ok,
        "reason_da": _reason_da(outcome, files, quarantine, quarantine_threshold),
        # The pipeline's own message (English): names files and rules, never a row's text.
        "technical_reason": outcome.rejection,
        "files": files,
        "files_not_delivered": absent,
        "quarantine": quarantine,
        "changes": _changes(conn, delivery.municipality_code, delivery.delivery_date),
        "revisions": None,  # known once the delivery's figures are published
    }


def _file_facts(file: Any, threshold: float) -> dict[str, Any]:
    return {
        "file": f"{file.file}.csv",
        "rows_read": file.rows_read,
        "rows_accepted": file.rows_accepted,
        "rows_quarantined": file.rows_quarantined,
        "share_quarantined": file.quarantined_share,
        "over_threshold": file.quarantined_share > threshold,
        "encoding": _ENCODINGS.get(str(file.encoding), str(file.encoding)),
        "delimiter": _DELIMITERS.get(str(file.delimiter), str(file.delimiter)),
        "aliases": [f"{alias} → {column}" for column, alias in getattr(file, "header_aliases", ())],
        "columns_left_out": [
            f"kolonne {position}" for position in getattr(file, "unknown_positions", ())
        ],
    }


def _quarantine_facts(outcome: DeliveryOutcome) -> list[dict[str, Any]]:
    q = outcome.quarantine
    if q.empty:
        return []
    q = q.drop_duplicates(["file", "line_number", "column", "rule"])
    measures = q[q["file"] == "measures.csv"]
    measure_lines: dict[str, list[int]] = {}
    for row_id, line in zip(measures.get("row_id", []), measures["line_number"], strict=False):
        if row_id is not None and not pd.isna(row_id):
            measure_lines.setdefault(str(row_id), []).append(int(line))
    rows = []
    for record in q.sort_values(["file", "line_number", "rule"]).to_dict("records"):
        wrong, expected = rule_text(
            str(record["rule"]),
            None if pd.isna(record["column"]) else str(record["column"]),
            str(record["file"]),
            _date(record.get("found_date")),
            _date(record.get("compared_date")),
            outcome.delivery.delivery_date,
        )
        refers = safe_id(record.get("refers_to"))
        caused_by = None
        if refers is not None and refers in measure_lines:
            lines = ", ".join(str(n) for n in sorted(set(measure_lines[refers])))
            caused_by = f"indsats {refers} i measures.csv, linje {lines}, er selv sat til side"
        rows.append(
            {
                "file": str(record["file"]),
                "line": None if pd.isna(record["line_number"]) else int(record["line_number"]),
                "column": column_label(
                    str(record["file"]), None if pd.isna(record["column"]) else record["column"]
                ),
                "rule": str(record["rule"]),
                "wrong": wrong,
                "expected": expected,
                "row_id": safe_id(record.get("row_id")),
                "caused_by": caused_by,
            }
        )
    return rows


def _reason_da(
    outcome: DeliveryOutcome,
    files: list[dict[str, Any]],
    quarantine: list[dict[str, Any]],
    threshold: float,
) -> str:
    if outcome.accepted_ok:
        return (
            f"Leverancen er godkendt. {len(quarantine)} fejl på rækker er sat til side "
            "(karantæne) og indgår ikke i tallene; ret dem i sagssystemet til næste leverance."
        )
    missing = [s.filename for s in CORE_FILES if not (outcome.delivery.path / s.filename).exists()]
    if missing:
        return (
            f"Leverancen er afvist: den mangler {', '.join(missing)}. En leverance skal rumme "
            "children.csv, measures.csv, investigations.csv og follow_ups.csv. De hidtidige tal "
            "er uændrede."
        )
    over = [f for f in files if f["over_threshold"]]
    if over:
        parts = "; ".join(
            f"{f['file']}: {_number(100 * f['share_quarantined'])} % ({f['rows_quarantined']} "
            f"af {f['rows_read']} rækker)"
            for f in over
        )
        return (
            f"Leverancen er afvist: for mange rækker bryder leverancekontrakten ({parts}); "
            f"grænsen er {_number(100 * threshold)} % pr. fil. De hidtidige tal er uændrede. "
            "Rækkerne står nedenfor."
        )
    return (
        "Leverancen er afvist: en fil kunne ikke læses (se den tekniske begrundelse). De "
        "hidtidige tal er uændrede."
    )


# --- revisions, once published --------------------------------------------------------------


def revision_facts(
    conn: duckdb.DuckDBPyConnection, municipality: str, delivery_date: dt.date
) -> list[dict[str, Any]]:
    """The municipality's published figures that changed while this delivery was its current
    one (publication.indicator_revisions, the staged or published release)."""
    rows = conn.execute(
        "select r.cutoff_date, r.indicator_id, i.name_da, r.previous_value, r.value, "
        "r.previous_suppressed, r.suppressed, r.previous_run_id, r.run_id, r.cause "
        "from publication.indicator_revisions as r "
        "left join publication.indicators as i using (indicator_id) "
        "where r.municipality_code = ? and r.delivery_date = ? and r.change = 'revised' "
        "order by r.cutoff_date, i.sort_order, r.indicator_id, r.revision",
        [municipality, delivery_date],
    ).fetchall()
    keys = (
        "cutoff_date",
        "indicator_id",
        "name_da",
        "previous_value",
        "value",
        "previous_suppressed",
        "suppressed",
        "previous_run_id",
        "run_id",
        "cause",
    )
    return [
        {
            k: (v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in zip(keys, row, strict=True)
        }
        for row in rows
    ]


# --- writing --------------------------------------------------------------------------------


def write_feedback(folder: Path, facts: dict[str, Any], pseudonyms: set[str]) -> Path:
    """Write the three files into `folder` through a staging folder beside it, searched like
    a publication before the files take their names. Returns the HTML page's path."""
    staging = folder.parent / f".incoming-{folder.name}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        (staging / f"{REPORT_NAME}.json").write_text(
            json.dumps(_json_ready(facts), ensure_ascii=False, indent=1), encoding="utf-8"
        )
        (staging / f"{REPORT_NAME}.html").write_text(render_html(facts), encoding="utf-8")
        write_workbook(staging / f"{REPORT_NAME}.xlsx", facts)
        problems = audit_folder(staging, pseudonyms)
        if problems:
            raise FeedbackAuditError(
                "the feedback report failed its privacy audit: " + "; ".join(problems)
            )
        folder.mkdir(parents=True, exist_ok=True)
        for path in staging.iterdir():
            path.replace(folder / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder / f"{REPORT_NAME}.html"


def read_facts(folder: Path) -> dict[str, Any] | None:
    path = folder / f"{REPORT_NAME}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


class FeedbackAuditError(RuntimeError):
    """A feedback report held something shaped like a CPR number or a pseudonym."""


def _json_ready(facts: dict[str, Any]) -> dict[str, Any]:
    def fix(value: Any) -> Any:
        if isinstance(value, float) and math.isinf(value):
            return None  # a count that rose from 0: no ratio
        if isinstance(value, dict):
            return {k: fix(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fix(v) for v in value]
        return value

    return fix(facts)


def _number(value: float | None, decimals: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _relative(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isinf(value)):
        return "ny"
    return f"{'+' if value > 0 else ''}{_number(100 * value)} %"


def _figure(value: float | None, suppressed: bool | None) -> str:
    return "diskretioneret" if suppressed else (_number(value, 2) or "-")


def sections(facts: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]]]]:
    """The report's tables (title, header, rows), shared by the page and the workbook."""
    files = [
        [
            f["file"],
            str(f["rows_read"]),
            str(f["rows_accepted"]),
            str(f["rows_quarantined"]),
            f["encoding"],
            f["delimiter"],
            ", ".join(f["aliases"]) or "-",
            ", ".join(f["columns_left_out"]) or "-",
        ]
        for f in facts["files"]
    ]
    files += [
        [name, "ikke leveret", "", "", "", "", "", ""] for name in facts["files_not_delivered"]
    ]
    quarantine = [
        [
            q["file"],
            "" if q["line"] is None else str(q["line"]),
            q["row_id"] or "-",
            q["column"],
            q["wrong"],
            q["expected"],
            q["caused_by"] or "",
            q["rule"],
        ]
        for q in facts["quarantine"]
    ]
    changes = facts["changes"]
    change_rows = [
        [
            r["label"],
            str(r["previous"]),
            str(r["current"]),
            f"{'+' if r['change'] > 0 else ''}{r['change']}",
            _relative(r["relative"]),
        ]
        for r in changes["rows"]
    ]
    revisions = facts["revisions"]
    revision_rows = [
        [
            r["cutoff_date"],
            r["indicator_id"],
            r["name_da"] or "",
            _figure(r["previous_value"], r["previous_suppressed"]),
            _figure(r["value"], r["suppressed"]),
            "ny leverance" if r["cause"] == "new_delivery" else "genberegnet",
            r["previous_run_id"],
            r["run_id"],
        ]
        for r in revisions or []
    ]
    return [
        (
            "Filer",
            [
                "Fil",
                "Rækker læst",
                "Godkendt",
                "Sat til side",
                "Tegnsæt",
                "Skilletegn",
                "Danske kolonnenavne brugt",
                "Kolonner udeladt (uden for kontrakten)",
            ],
            files,
        ),
        (
            "Rækker sat til side (karantæne)",
            ["Fil", "Linje", "Rækkens id", "Kolonne", "Fejl", "Forventet", "Skyldes", "Regel"],
            quarantine,
        ),
        (
            "Ændringer siden forrige godkendte leverance",
            ["Opgørelse", "Forrige", "Denne", "Ændring", "Ændring i %"],
            change_rows,
        ),
        (
            "Reviderede tal",
            ["Skæringsdato", "Nøgletal", "Navn", "Før", "Nu", "Årsag", "Kørsel før", "Kørsel nu"],
            revision_rows,
        ),
    ]


def _notes(facts: dict[str, Any]) -> dict[str, str]:
    """What a section says when its table is empty, or above it."""
    changes = facts["changes"]
    if not changes.get("read", True):
        compared = "Leverancens filer kunne ikke læses; der er intet at sammenligne."
    elif changes["previous_delivery"]:
        compared = (
            f"Sammenlignet med leverancen {changes['previous_delivery']}, den største relative "
            "ændring først."
        )
    else:
        compared = "Der er ingen tidligere godkendt leverance at sammenligne med."
    if facts["revisions"] is None:
        revised = (
            "Leverancen er afvist; de publicerede tal er uændrede."
            if not facts["accepted"]
            else "Reviderede tal vises her, når tallene fra leverancen er publiceret."
        )
    else:
        revised = (
            "Tal, der er publiceret før, og som denne leverance har ændret."
            if facts["revisions"]
            else "Ingen publicerede tal er ændret af denne leverance."
        )
    return {
        "Filer": "",
        "Rækker sat til side (karantæne)": (
            "Rækkerne findes i sagssystemet ud fra fil, linjenummer (overskriften er linje 1) og "
            "rækkens id. For children.csv, hvis id er CPR-nummeret, vises kun linjen."
            if facts["quarantine"]
            else "Ingen rækker er sat til side."
        ),
        "Ændringer siden forrige godkendte leverance": compared,
        "Reviderede tal": revised,
    }


def render_html(facts: dict[str, Any]) -> str:
    e = html.escape
    verdict = "Godkendt" if facts["accepted"] else "Afvist"
    notes = _notes(facts)
    parts = [
        "<!doctype html><html lang='da'><head><meta charset='utf-8'>",
        f"<title>Tilbagemelding {e(facts['municipality_code'])} "
        f"{e(facts['delivery_date'])}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #bbb;padding:4px 8px;text-align:left;vertical-align:top}"
        "th{background:#dde6f0}.afvist{color:#a00}.godkendt{color:#060}</style></head><body>",
        f"<h1>Tilbagemelding på leverancen {e(facts['delivery_date'])} fra kommune "
        f"{e(facts['municipality_code'])}</h1>",
        f"<p class='{verdict.lower()}'><strong>{verdict}.</strong> {e(facts['reason_da'])}</p>",
    ]
    if facts["technical_reason"]:
        parts.append(f"<p>Teknisk begrundelse (engelsk): {e(facts['technical_reason'])}</p>")
    parts.append(f"<p>Læst i kørsel {e(facts['run_id'])}, {e(facts['written_at'])} UTC.</p>")
    for title, header, rows in sections(facts):
        parts.append(f"<h2>{e(title)}</h2>")
        if notes[title]:
            parts.append(f"<p>{e(notes[title])}</p>")
        if rows:
            parts.append("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in header) + "</tr>")
            parts += [
                "<tr>" + "".join(f"<td>{e(cell)}</td>" for cell in row) + "</tr>" for row in rows
            ]
            parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_workbook(path: Path, facts: dict[str, Any]) -> None:
    book = xlsxwriter.Workbook(
        str(path),
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    bold = book.add_format({"bold": True})
    header_format = book.add_format({"bold": True, "pattern": 1, "bg_color": "#DDE6F0"})
    about = book.add_worksheet("Leverance")
    facts_rows = [
        ("Kommune", facts["municipality_code"]),
        ("Leverancedato", facts["delivery_date"]),
        ("Afgørelse", "Godkendt" if facts["accepted"] else "Afvist"),
        ("Begrundelse", facts["reason_da"]),
        ("Teknisk begrundelse (engelsk)", facts["technical_reason"] or ""),
        ("Læst i kørsel", facts["run_id"]),
    ]
    for number, (label, value) in enumerate(facts_rows):
        about.write_string(number, 0, label, bold)
        about.write_string(number, 1, str(value))
    about.set_column(0, 0, 30)
    about.set_column(1, 1, 110)
    notes = _notes(facts)
    sheet_names = ("Filer", "Karantæne", "Ændringer", "Revisioner")
    for name, (title, header, rows) in zip(sheet_names, sections(facts), strict=True):
        sheet = book.add_worksheet(name)
        sheet.write_string(0, 0, title, bold)
        sheet.write_string(1, 0, notes[title])
        for column, text in enumerate(header):
            sheet.write_string(3, column, text, header_format)
            sheet.set_column(column, column, 14 if column else 22)
        for offset, row in enumerate(rows, start=4):
            for column, cell in enumerate(row):
                if cell.isdigit() and len(cell) < 10:  # counts and line numbers as numbers
                    sheet.write_number(offset, column, int(cell))
                else:
                    sheet.write_string(offset, column, cell)
        sheet.freeze_panes(4, 0)
    book.close()
