"""The HTML report: one static page per municipality, plus an index.

The index is what a leader reads first: for every municipality the key figures of its newest
cut-off date, the change since the previous one, and whether the 95 % intervals of the two
say the change is real (they do not overlap) or within the uncertainty. Each page shows the
indsatstrappe (the ladder from light preventive help to placement: children
per 1000 on each step at the newest cut-off date, with 95 % intervals) and a trend chart per
indicator over the cut-off dates with its interval band and the benchmarks that exist: the
median of the other municipalities of the deployment that published the figure (peers: the
published table `peer_medians`, computed in dbt by published_peer_medians.sql), and any
series of the published table `indicator_benchmarks` (BENCHMARK_COLUMNS: e.g. the whole
country from Danmarks Statistik, once the StatBank benchmark is published in that shape).
Every chart has the numbers it draws in a table below it (folded, one click away), in the
Danish format, marked up with the exact published values (`data-value`) so the browser test
can hold each table to the published rows. Everything is drawn from published (suppressed)
rows only, so the report can reveal nothing the tables do not.

Charts are Plotly. The pages work offline: plotly.js is written once beside them
(`plotly.min.js`) and loaded by a relative path, never from a CDN.

A page whose inputs are the same as in the previous publication (its own rows, the other
municipalities' medians it draws, its benchmark series, the catalogue, the threshold and this
code) is carried over from there (carry_over.py), like the workbooks: a nightly run with one new
delivery changes few pages, and drawing every page is the costly part of a nightly
publication (benchmarks/README.md, items 3 and 14). A page therefore
names the run that computed it; index.html, always written, names the publication's run.
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.io as pio
from plotly.io.json import to_json_plotly
from plotly.offline import get_plotlyjs

from pipeline.code_version import code_key
from pipeline.publish import labels
from pipeline.publish.carry_over import CarryOver, fingerprint, row_digests
from pipeline.publish.labels import (
    DECIMALS,
    PROVISIONAL_LABEL_DA,
    danish_number,
    suppressed_label,
)
from pipeline.publish.record import PublicationRecord

PLOTLY_FILE = "plotly.min.js"
# The ladder's bars are the catalogue's (see `ladder`); these are the report's names of them:
# the step's name in the table, and a short one under its bar (seven bars share 1,000 pixels).
# Within one step the bars follow this order, lightest help first.
LADDER_NAMES = {
    "6": ("§ 11, stk. 3-tilbud", "§ 11-tilbud"),
    "5.3": ("Forebyggende foranstaltninger", "Forebyggende"),
    "5.2": ("Aflastning", "Aflastning"),
    "5.1": ("Døgnophold for hele familien", "Familieophold"),
    "4": ("Netværksplejefamilie", "Netværkspleje"),
    "3": ("Plejefamilie", "Plejefamilie"),
    "1": ("Døgninstitution og opholdssted", "Institution"),
}
# The index's key figures: the steps of the ladder and the two movements after home-based
# help (catalogue ids).
KEY_INDICATORS = ("6", "5", "4", "3", "1", "8", "9")
# More cut-off dates than this on one axis: a tick per year instead of one per date.
_MAX_DATE_TICKS = 8
_COLOUR = "#1f5f99"
_BAND = "rgba(31, 95, 153, 0.18)"
_PEER = "#d9822b"
_CONFIG = {"displaylogo": False, "responsive": True}
_TEMPLATE_NAME = "NOEGLETAL_PLOTLY_TEMPLATE"
_BENCHMARK_DASHES = ("dot", "dashdot", "longdash")
# A benchmark series: a NULL municipality_code applies to every municipality.
BENCHMARK_COLUMNS = ("municipality_code", "indicator_id", "cutoff_date", "benchmark", "value")
# What a page reads of its own published rows. A page sees these columns only, so its
# fingerprint (these columns) covers everything it shows of them.
PAGE_COLUMNS = (
    "municipality_code",
    "cutoff_date",
    "indicator_id",
    "status",
    "suppressed",
    "value",
    "ci_low",
    "ci_high",
    "numerator",
    "denominator",
    "numerator_amount",
    "denominator_amount",
    "note_da",
    # Marks (SPEC §13): absent in rows of an older publication, then read as false.
    "provisional",
    "revised",
)
# What the report reads of the published table peer_medians: the median of the other
# municipalities, for each municipality, indicator and cut-off date.
PEER_MEDIAN_COLUMNS = ("municipality_code", "indicator_id", "cutoff_date", "median_value")
# An indicator's median of the other municipalities: (cut-off dates, medians).
Peers = tuple[list[Any], list[float]]


def page_name(municipality_code: str) -> str:
    return f"noegletal_{municipality_code}.html"


def movement_page_name(municipality_code: str) -> str:
    """Written by movements_page.py; named here, where the index links it."""
    return f"bevaegelser_{municipality_code}.html"


def write_report(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    record: PublicationRecord,
    folder: Path,
    benchmarks: pd.DataFrame | None = None,
    previous: Path | None = None,
    medians: pd.DataFrame | None = None,
) -> CarryOver:
    """plotly.js, index.html and a page per municipality of `values`
    (published_indicator_values rows); `benchmarks` has BENCHMARK_COLUMNS, `medians`
    PEER_MEDIAN_COLUMNS (published_peer_medians rows; None: no median line). A page made from
    the same inputs as the page in the previous publication's folder `previous` is carried
    over from there (carry_over.py). Returns the pages, written or carried over."""
    write_report_frame(values, indicators, record, folder)
    plan = plan_pages(values, medians, indicators, record, folder, benchmarks, previous)
    write_page_jobs(folder, plan.jobs, plan.catalogue, record)
    plan.files.save()
    return plan.files


def write_report_frame(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    record: PublicationRecord,
    folder: Path,
    movement_pages: Collection[str] = (),
) -> list[Path]:
    """What the pages share: plotly.js (so they work offline) and index.html with the key
    figures of every municipality, linking its page and, for the municipalities in
    `movement_pages`, its movement page (movements_page.py)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / PLOTLY_FILE).write_text(get_plotlyjs(), encoding="utf-8")
    index = folder / "index.html"
    index.write_text(_index(values, indicators, record, movement_pages), encoding="utf-8")
    return [folder / PLOTLY_FILE, index]


@dataclass(frozen=True)
class PageJob:
    """A page to write: the municipality's rows, its peers' medians and the benchmarks shown."""

    code: str
    name: str
    rows: pd.DataFrame
    peers: dict[str, Peers]
    shown: pd.DataFrame


@dataclass(frozen=True)
class PagePlan:
    """The pages of a folder: those carried over (in `files`) and those to write."""

    files: CarryOver
    jobs: list[PageJob]
    catalogue: pd.DataFrame


def plan_pages(
    values: pd.DataFrame,
    medians: pd.DataFrame | None,
    indicators: pd.DataFrame,
    record: PublicationRecord,
    folder: Path,
    benchmarks: pd.DataFrame | None = None,
    previous: Path | None = None,
) -> PagePlan:
    """Carry over every page that is unchanged since `previous`; the rest are the plan's jobs
    (drawing them is the costly part, shared out by files.py)."""
    if benchmarks is None:
        benchmarks = pd.DataFrame(columns=list(BENCHMARK_COLUMNS))
    if medians is None:
        medians = pd.DataFrame(columns=list(PEER_MEDIAN_COLUMNS))
    # A chart draws a page's medians in date order; the fingerprints need one order too.
    medians = medians[list(PEER_MEDIAN_COLUMNS)].sort_values(
        ["municipality_code", "indicator_id", "cutoff_date"], ignore_index=True
    )
    folder.mkdir(parents=True, exist_ok=True)
    catalogue = indicators.sort_values("sort_order", ignore_index=True)
    names = _names(values)
    # pandas' Arrow-backed strings pay a fixed cost on every row selection, and a page makes
    # thousands of them; the same columns as Python objects do not (benchmarks, item 14).
    own = values.reindex(columns=list(PAGE_COLUMNS))
    own = own.astype(
        {name: object for name, kind in own.dtypes.items() if isinstance(kind, pd.StringDtype)}
    ).sort_values(["municipality_code", "indicator_id", "cutoff_date"], ignore_index=True)
    everywhere = benchmarks["municipality_code"].isna()
    national = benchmarks[everywhere][list(BENCHMARK_COLUMNS)]
    local = benchmarks[~everywhere][list(BENCHMARK_COLUMNS)]
    shared = fingerprint(
        code_key(Path(__file__), Path(labels.__file__)),
        catalogue,
        national.sort_values(["indicator_id", "benchmark", "cutoff_date"], ignore_index=True),
        [record.suppression_threshold, record.git_commit, record.pipeline_version],
    )
    own_digests = _digests_by_municipality(own)
    median_digests = _digests_by_municipality(medians)
    none = np.empty(0, dtype=np.uint64)
    pages = CarryOver(folder, previous)
    jobs = []
    for code, rows in own.groupby("municipality_code", sort=True):
        code = str(code)
        mine = local[local["municipality_code"] == code].sort_values(
            ["indicator_id", "benchmark", "cutoff_date"], ignore_index=True
        )
        print_ = fingerprint(
            shared,
            names[code],
            own_digests.get(code, none),
            median_digests.get(code, none),
            mine,
        )
        if not pages.reuse(page_name(code), print_):
            peers = _peers_of(medians[medians["municipality_code"] == code])
            shown = national if mine.empty else pd.concat([national, mine], ignore_index=True)
            jobs.append(PageJob(code, names[code], rows, peers, shown))
    return PagePlan(pages, jobs, catalogue)


def write_page_jobs(
    folder: Path, jobs: list[PageJob], catalogue: pd.DataFrame, record: PublicationRecord
) -> None:
    for job in jobs:
        page = _page(job.code, job.name, job.rows, job.peers, catalogue, record, job.shown)
        (folder / page_name(job.code)).write_text(page, encoding="utf-8")


def _peers_of(medians: pd.DataFrame) -> dict[str, Peers]:
    """One page's rows of the published peer_medians as (dates, medians) per indicator."""
    return {
        str(key): (list(pd.to_datetime(rows["cutoff_date"])), list(rows["median_value"]))
        for key, rows in medians.groupby("indicator_id", sort=False)
    }


def _digests_by_municipality(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """carry_over.row_digests of `frame`, sorted by municipality, sliced by municipality."""
    if frame.empty:
        return {}
    digests = row_digests(frame)
    codes = frame["municipality_code"].astype(str).to_numpy()
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    ends = np.r_[starts[1:], len(codes)]
    return {str(codes[a]): digests[a:b] for a, b in zip(starts, ends, strict=True)}


def _names(values: pd.DataFrame) -> dict[str, str]:
    names: dict[str, str] = {}
    for code, rows in values.groupby("municipality_code", sort=True):
        known = rows["municipality_name"].dropna()
        names[str(code)] = str(known.iloc[0]) if len(known) else str(code)
    return names


def _page(
    code: str,
    name: str,
    rows: pd.DataFrame,
    peers: dict[str, Peers],
    catalogue: pd.DataFrame,
    record: PublicationRecord,
    benchmarks: pd.DataFrame,
) -> str:
    threshold = record.suppression_threshold
    newest = rows.loc[rows["status"] == "ok", "cutoff_date"].max()
    sections = [_ladder_section(rows, newest, threshold, ladder(catalogue))]
    by_indicator = dict(iter(rows.groupby("indicator_id", sort=False)))
    # The tables' rows, newest first, as dicts once per page: a to_dict per chart cost more
    # than drawing the chart.
    records: dict[str, list[dict[str, Any]]] = {}
    newest_first = rows.sort_values(["indicator_id", "cutoff_date"], ascending=[True, False])
    for record_row in newest_first.to_dict("records"):
        records.setdefault(str(record_row["indicator_id"]), []).append(record_row)
    for indicator in catalogue.to_dict("records"):
        indicator_id = str(indicator["indicator_id"])
        own = by_indicator.get(indicator_id, rows.iloc[:0]).sort_values("cutoff_date")
        if (own["status"] == "ok").any():
            series = benchmarks[benchmarks["indicator_id"] == indicator["indicator_id"]]
            medians = peers.get(indicator_id, ([], []))
            sections.append(
                _trend_section(indicator, own, records[indicator_id], medians, series, threshold)
            )
    title = f"Nøgletal for udsatte børn og unge: {html.escape(name)} ({html.escape(code)})"
    newest_text = pd.Timestamp(newest).strftime("%d-%m-%Y") if pd.notna(newest) else "-"
    return _HTML.format(
        title=title,
        subtitle=(
            # The run that computed the page: a later run that leaves its inputs unchanged
            # carries it over as it is.
            f"Nyeste skæringsdato {newest_text}. Beregnet "
            f"{record.published_at:%d-%m-%Y %H:%M} UTC (kørsel {html.escape(record.run_id)})."
        ),
        suppression=html.escape(_suppression_text(threshold)),
        body="\n".join(sections),
        plotly=PLOTLY_FILE,
        template=_template_script(),
    )


def _suppression_text(threshold: int) -> str:
    if not threshold:
        return "INTERN REVISIONSKOPI UDEN DISKRETIONERING: må ikke offentliggøres."
    return (
        f"Tal, der bygger på færre end {threshold} børn, er skjult ({suppressed_label(threshold)}),"
        " ligesom tal, der ville afsløre dem. Intervallerne er 95 %-konfidensintervaller."
        " Tal markeret foreløbig kan blive revideret ved en senere leverance."
    )


def ladder(catalogue: pd.DataFrame) -> list[tuple[str, str, str]]:
    """The ladder's bars as (indicator id, name, short name), lightest step first: the
    catalogue's per-1,000 indicators on a step of the indsatstrappe (its `ladder_step`, SPEC
    §12), a step split into sub-indicators (5 into 5.1-5.3) by those instead of their total.
    Names from LADDER_NAMES; an indicator it does not name shows its short_name_da."""
    on_steps = catalogue[catalogue["ladder_step"].notna() & (catalogue["unit"] == "per_1000")]
    split = set(on_steps["parent_id"].dropna().astype(str))
    order = list(LADDER_NAMES)
    bars = sorted(
        (int(step), order.index(key) if key in order else len(order), key, short)
        for key, step, short in zip(
            on_steps["indicator_id"].astype(str),
            on_steps["ladder_step"],
            on_steps["short_name_da"],
            strict=True,
        )
        if key not in split
    )
    return [(key, *LADDER_NAMES.get(key, (short, short))) for _, _, key, short in bars]


def _ladder_section(
    rows: pd.DataFrame, newest: object, threshold: int, bars: list[tuple[str, str, str]]
) -> str:
    """The ladder (`bars`, from `ladder`). Each bar's figures are in its axis label, under the
    bar, never on top of its interval whisker, and again in the table below the chart."""
    on_date = rows[rows["cutoff_date"] == newest].set_index("indicator_id")
    labels, values, lows, highs, table = [], [], [], [], []
    for indicator_id, label, short in bars:
        row = on_date.loc[indicator_id] if indicator_id in on_date.index else None
        if row is None or row["status"] != "ok":
            shown = "ikke tilgængelig"
            values.append(None)
            lows.append(0.0)
            highs.append(0.0)
        elif bool(row["suppressed"]):
            shown = html.escape(suppressed_label(threshold))
            values.append(None)
            lows.append(0.0)
            highs.append(0.0)
        else:
            value = float(row["value"])
            shown = f"{danish_number(value, 1)}<br>{danish_number(float(row['numerator']), 0)} børn"
            values.append(value)
            lows.append(value - float(row["ci_low"]))
            highs.append(float(row["ci_high"]) - value)
        labels.append(f"{html.escape(short)} ({indicator_id})<br>{shown}")
        table.append(
            [
                _text_cell(label),
                _text_cell(indicator_id),
                *_figure_cells(row, "per_1000", threshold, with_denominator=False),
            ]
        )
    figure = _figure(
        [
            {
                "type": "bar",
                "x": labels,
                "y": values,
                "marker": {"color": _COLOUR},
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": highs,
                    "arrayminus": lows,
                },
                "hovertemplate": "%{x}<extra></extra>",
            }
        ],
        title="Indsatstrappen: børn pr. 1.000 0-17-årige på hvert trin (let til tung indsats)",
        yaxis={"title": {"text": "pr. 1.000 0-17-årige"}},
        xaxis={"tickangle": 0},
        height=460,
        margin={"t": 60, "b": 90},
    )
    day = pd.Timestamp(newest).strftime("%d-%m-%Y") if pd.notna(newest) else "-"
    numbers = _table(
        f"Tallene bag indsatstrappen ({day})",
        ["Trin", "Nr.", "pr. 1.000", "95 %-interval", "Børn", "Note"],
        table,
        "ladder",
    )
    return _section("indsatstrappe", "Indsatstrappen", figure, table=numbers)


def _trend_section(
    indicator: dict[str, Any],
    own: pd.DataFrame,
    newest_first: list[dict[str, Any]],
    peers: Peers,
    benchmarks: pd.DataFrame,
    threshold: int,
) -> str:
    indicator_id = str(indicator["indicator_id"])
    unit = str(indicator["unit"])
    shown = own[(own["status"] == "ok") & ~own["suppressed"].astype(bool)]
    dates = pd.to_datetime(shown["cutoff_date"])
    traces: list[dict[str, Any]] = []
    if shown["ci_low"].notna().any():
        traces.append(
            {
                "type": "scatter",
                "x": list(dates) + list(dates[::-1]),
                "y": list(shown["ci_high"]) + list(shown["ci_low"][::-1]),
                "fill": "toself",
                "fillcolor": _BAND,
                "mode": "lines",
                "line": {"width": 0},
                "hoverinfo": "skip",
                "name": "95 %-interval",
            }
        )
    traces.append(
        {
            "type": "scatter",
            "x": list(dates),
            "y": list(shown["value"]),
            "mode": "lines+markers",
            "line": {"color": _COLOUR},
            "name": "Kommunen",
        }
    )
    peer_dates, peer_medians = peers  # the other municipalities' median (published peer_medians)
    if peer_dates:
        traces.append(
            {
                "type": "scatter",
                "x": peer_dates,
                "y": peer_medians,
                "mode": "lines+markers",
                "line": {"color": _PEER, "dash": "dash"},
                "name": "Øvrige kommuner (median)",
            }
        )
    known = benchmarks[benchmarks["value"].notna()]
    for number, (label, series) in enumerate(known.groupby("benchmark", sort=True)):
        series = series.sort_values("cutoff_date")
        traces.append(
            {
                "type": "scatter",
                "x": list(pd.to_datetime(series["cutoff_date"])),
                "y": list(series["value"]),
                "mode": "lines+markers",
                "line": {"color": "#555555", "dash": _BENCHMARK_DASHES[number % 3]},
                "name": str(label),
            }
        )
    hidden = own[own["suppressed"].astype(bool)]["cutoff_date"]
    every_date = list(pd.to_datetime(own["cutoff_date"]))
    if len(every_date) > _MAX_DATE_TICKS:
        # 51 dates would be 51 rotated labels: a tick per year, the exact date on hover.
        xaxis: dict[str, Any] = {"dtick": "M12", "tickformat": "%Y", "hoverformat": "%d-%m-%Y"}
    else:
        xaxis = {"tickvals": every_date, "tickformat": "%d-%m-%Y", "hoverformat": "%d-%m-%Y"}
    note = ""
    if len(hidden):
        days = ", ".join(pd.Timestamp(d).strftime("%d-%m-%Y") for d in hidden)
        note = f"Skjult ({suppressed_label(threshold)}) på: {days}."
    for label, column in (
        (PROVISIONAL_LABEL_DA.capitalize(), "provisional"),
        ("Revideret", "revised"),
    ):
        # The column is all NaN (float) in rows of an older publication: pandas 4 refuses to
        # fill a float column with False.
        flagged = own[column].astype("boolean").fillna(False).to_numpy(dtype=bool)
        marked = own.loc[flagged, "cutoff_date"]
        if len(marked):
            days = ", ".join(pd.Timestamp(d).strftime("%d-%m-%Y") for d in marked)
            note = f"{note} {label} på: {days}.".strip()
    name = str(indicator["name_da"])
    figure = _figure(
        traces,
        title=f"{indicator_id}. {name[:90]}{'…' if len(name) > 90 else ''}",
        yaxis={
            "title": {"text": str(indicator["unit_da"])},
            "tickformat": f".{DECIMALS.get(unit, 1)}f",
        },
        height=360,
        hovermode="x unified",
        xaxis=xaxis,
    )
    anchor = f"indicator-{indicator_id.replace('.', '-')}"
    rows = [
        [
            _date_cell(row["cutoff_date"]),
            *_figure_cells(row, unit, threshold, with_denominator=True),
        ]
        for row in newest_first
    ]
    numbers = _table(
        "Tallene bag figuren",
        ["Skæringsdato", "Værdi", "95 %-interval", "Tæller", "Nævner", "Note"],
        rows,
        indicator_id,
    )
    return _section(anchor, f"{indicator_id}. {name}", figure, note, numbers)


def _text_cell(text: str) -> str:
    return f"<td>{html.escape(text)}</td>"


def _date_cell(day: object) -> str:
    stamp = pd.Timestamp(day)
    return f'<td data-value="{stamp:%Y-%m-%d}">{stamp:%d-%m-%Y}</td>'


def _number_cell(value: object, decimals: int, suffix: str = "") -> str:
    """A number the Danish way, with the exact published value in data-value; empty when
    there is none."""
    if value is None or pd.isna(value):
        return "<td></td>"
    number = float(value)  # type: ignore[arg-type]
    return f'<td data-value="{number!r}">{danish_number(number, decimals)}{suffix}</td>'


def _figure_cells(row: Any, unit: str, threshold: int, with_denominator: bool) -> list[str]:
    """Value, interval, numerator (and denominator) and note of one published row, as table
    cells; a suppressed row shows the suppression mark in every number."""
    width = 5 if with_denominator else 4
    if row is None:
        return ["<td></td>"] * (width - 1) + [_text_cell("Ikke tilgængelig")]
    note = "" if pd.isna(row["note_da"]) else str(row["note_da"])
    if bool(row["suppressed"]):
        mark = f'<td data-suppressed="true">{html.escape(suppressed_label(threshold))}</td>'
        return [mark] * (width - 1) + [_text_cell(note)]
    decimals = DECIMALS.get(unit, 1)
    interval = "<td></td>"
    if pd.notna(row["ci_low"]) and pd.notna(row["ci_high"]):
        interval = (
            f'<td data-low="{float(row["ci_low"])!r}" data-high="{float(row["ci_high"])!r}">'
            f"{danish_number(float(row['ci_low']), decimals)} &ndash; "
            f"{danish_number(float(row['ci_high']), decimals)}</td>"
        )
    # Kroner (11) are amounts beside the counts (published_indicator_values).
    numerator = row["numerator_amount"] if pd.notna(row["numerator_amount"]) else row["numerator"]
    suffix = " kr." if unit == "ratio" else ""
    cells = [_number_cell(row["value"], decimals), interval, _number_cell(numerator, 0, suffix)]
    if with_denominator:
        denominator = (
            row["denominator_amount"] if pd.notna(row["denominator_amount"]) else row["denominator"]
        )
        cells.append(_number_cell(denominator, 0, suffix))
    return [*cells, _text_cell(note)]


def _table(caption: str, header: list[str], rows: list[list[str]], key: str) -> str:
    """The numbers behind a chart, folded under it."""
    head = "".join(f"<th>{html.escape(title)}</th>" for title in header)
    body = "".join(f"<tr>{''.join(cells)}</tr>" for cells in rows)
    return (
        f'<details class="numbers"><summary>{html.escape(caption)}</summary>'
        f'<table data-indicator="{html.escape(key)}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></details>"
    )


def _figure(traces: list[dict[str, Any]], title: str, **layout: Any) -> dict[str, Any]:
    """A Plotly figure as the dict plotly.js reads. Plain dicts, not plotly.graph_objects:
    they validate every property, over ten times the cost of the dict, on about 45 charts per
    page (benchmarks/README.md, item 9). The layout names no template: every chart of a page
    gets Plotly's default look from the one copy the page holds (_section)."""
    return {
        "data": traces,
        "layout": {"title": {"text": title}, "separators": ",.", **layout},
    }


@functools.cache
def _template_script() -> str:
    """Plotly's default template once per page (about 6.5 KB of JSON), instead of once per chart
    as plotly.io.to_html writes it: that copy was most of each page's size and writing time."""
    template = to_json_plotly(pio.templates["plotly"].to_plotly_json())
    return f"<script>const {_TEMPLATE_NAME} = {template};</script>"


def _section(
    anchor: str, heading: str, figure: dict[str, Any], note: str = "", table: str = ""
) -> str:
    # What plotly.io.to_html writes for one chart, with the page's template. to_json_plotly
    # writes dates, NumPy numbers and NaN the way plotly.js reads them, and escapes "<".
    div_id = f"chart-{anchor}"
    layout = figure["layout"]
    chart = (
        f'<div id="{div_id}" class="plotly-graph-div" '
        f'style="height:{layout.get("height", 450)}px; width:100%;"></div>'
        f'<script>Plotly.newPlot("{div_id}", {to_json_plotly(figure["data"])}, '
        f"Object.assign({{template: {_TEMPLATE_NAME}}}, {to_json_plotly(layout)}), "
        f"{json.dumps(_CONFIG)});</script>"
    )
    extra = f'<p class="note">{html.escape(note)}</p>' if note else ""
    return (
        f'<section id="{anchor}"><h2>{html.escape(heading)}</h2>'
        f'<div class="chart">{chart}</div>{extra}{table}</section>'
    )


def _index(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    record: PublicationRecord,
    movement_pages: Collection[str] = (),
) -> str:
    names = _names(values)
    catalogue = indicators.set_index("indicator_id")
    keys = [i for i in KEY_INDICATORS if i in catalogue.index]
    head = "".join(
        f'<th data-indicator="{html.escape(i)}">'
        f"{html.escape(str(catalogue.loc[i, 'short_name_da']))}</th>"
        for i in keys
    )
    # Each municipality's two newest cut-off dates with figures, and its key figures on them
    # as dicts, in one selection: a selection or an indexed lookup per municipality and figure
    # took longer than the rest of the index (benchmarks/README.md, item 30).
    ok = values.loc[values["status"] == "ok", ["municipality_code", "cutoff_date"]]
    ok = ok.drop_duplicates().sort_values(["municipality_code", "cutoff_date"])
    dates: dict[str, list[pd.Timestamp]] = {}
    for municipality, day in zip(ok["municipality_code"], ok["cutoff_date"], strict=True):
        dates.setdefault(str(municipality), []).append(pd.Timestamp(day))
    newest_two = ok.groupby("municipality_code", sort=False).tail(2)
    shown = values[values["indicator_id"].isin(keys)].merge(
        newest_two, on=["municipality_code", "cutoff_date"]
    )
    by_key = {
        (str(row["municipality_code"]), row["indicator_id"], pd.Timestamp(row["cutoff_date"])): row
        for row in shown.to_dict("records")
    }
    rows = []
    for code in sorted(names):
        known = dates.get(code, [])
        newest = known[-1] if known else None
        previous = known[-2] if len(known) > 1 else None
        moves = (
            f' · <a class="movements" href="{movement_page_name(code)}">bevægelser</a>'
            if code in movement_pages
            else ""
        )
        cells = [
            f'<td><a href="{page_name(code)}">{html.escape(names[code])} '
            f"({html.escape(code)})</a>{moves}</td>",
            _date_cell(newest) if newest is not None else "<td>-</td>",
        ]
        for indicator_id in keys:
            unit = str(catalogue.loc[indicator_id, "unit"])
            now = _usable(by_key, code, indicator_id, newest)
            before = _usable(by_key, code, indicator_id, previous)
            cells.append(_key_figure(now, before, previous, unit, record.suppression_threshold))
        rows.append(f'<tr data-municipality="{html.escape(code)}">{"".join(cells)}</tr>')
    body = (
        "<h2>Nøgletallene på den nyeste skæringsdato</h2>"
        '<p class="meta">Ændringen er i forhold til den forrige skæringsdato. '
        "<strong>Reel ændring</strong>: de to 95 %-intervaller overlapper ikke, så ændringen "
        "er næppe tilfældig; <em>inden for usikkerheden</em>: de overlapper, og ændringen kan "
        "være tilfældig.</p>"
        f'<table id="key-figures"><thead><tr><th>Kommune</th><th>Skæringsdato</th>{head}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
        '<p>Tabel- og kolonnedefinitioner: <a href="../docs/index.html">dbt-dokumentation</a>.'
        " Regneark pr. kommune og skæringsdato ligger i mappen <code>excel</code>.</p>"
    )
    return _HTML.format(
        title="Nøgletal for udsatte børn og unge",
        subtitle=f"Offentliggjort {record.published_at:%d-%m-%Y %H:%M} UTC "
        f"(kørsel {html.escape(record.run_id)}).",
        suppression=html.escape(_suppression_text(record.suppression_threshold)),
        body=body,
        plotly=PLOTLY_FILE,
        template=_template_script(),
    )


def _usable(
    by_key: dict[tuple[str, Any, pd.Timestamp], dict[str, Any]],
    code: str,
    indicator_id: str,
    day: pd.Timestamp | None,
) -> Any:
    """The published row of an indicator on a day, or None when there is none (a suppressed
    or unavailable row is returned: the cell says so)."""
    if day is None:
        return None
    return by_key.get((code, indicator_id, day))


def _key_figure(now: Any, before: Any, previous: object, unit: str, threshold: int) -> str:
    """One key figure of the index: the newest value, its change since the previous cut-off
    date, and whether the two intervals say the change is real (they do not overlap)."""
    if now is None or now["status"] != "ok":
        return '<td class="na">ikke tilgængelig</td>'
    if bool(now["suppressed"]):
        return f'<td data-suppressed="true">{html.escape(suppressed_label(threshold))}</td>'
    if pd.isna(now["value"]):
        return "<td>-</td>"
    decimals = DECIMALS.get(unit, 1)
    value = float(now["value"])
    text = danish_number(value, decimals)
    usable_before = (
        before is not None
        and before["status"] == "ok"
        and not bool(before["suppressed"])
        and pd.notna(before["value"])
    )
    if not usable_before:
        return (
            f'<td data-value="{value!r}">{text}<br>'
            '<span class="meta">ingen sammenligning</span></td>'
        )
    change = value - float(before["value"])
    shown_change = round(change, decimals)  # so -0.04 shows as 0,0 without a minus
    sign = "+" if shown_change > 0 else ("&minus;" if shown_change < 0 else "&plusmn;")
    verdict = ""
    real = None
    intervals = [now["ci_low"], now["ci_high"], before["ci_low"], before["ci_high"]]
    if all(pd.notna(limit) for limit in intervals):
        real = float(now["ci_low"]) > float(before["ci_high"]) or float(now["ci_high"]) < float(
            before["ci_low"]
        )
        verdict = (
            '<strong class="real">reel ændring</strong>'
            if real
            else '<em class="noise">inden for usikkerheden</em>'
        )
    since = pd.Timestamp(previous).strftime("%d-%m-%Y")
    attributes = f'data-value="{value!r}" data-change="{change!r}"'
    if real is not None:
        attributes += f' data-real="{str(real).lower()}"'
    return (
        f'<td {attributes}>{text}<br><span class="meta">{sign}'
        f'{danish_number(abs(change), decimals)} siden <span class="date">{since}</span></span>'
        f"<br>{verdict}</td>"
    )


_HTML = """<!DOCTYPE html>
<html lang="da">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<script src="{plotly}"></script>
{template}
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; color: #222; }}
h1 {{ font-size: 1.6rem; }} h2 {{ font-size: 1.1rem; margin-top: 2rem; }}
.note, .meta {{ color: #555; font-size: 0.9rem; }}
section {{ border-top: 1px solid #ddd; }}
table {{ border-collapse: collapse; font-size: 0.9rem; margin: 0.5rem 0; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: right;
  vertical-align: top; }}
th:first-child, td:first-child {{ text-align: left; }}
.real {{ color: #a33; }} .noise {{ color: #555; }} .date {{ white-space: nowrap; }}
details.numbers summary {{ cursor: pointer; color: #1f5f99; }}
.numbers td:last-child, .numbers th:last-child {{ text-align: left; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p class="meta">{subtitle}</p>
<p class="meta">{suppression}</p>
{body}
</body>
</html>
"""
