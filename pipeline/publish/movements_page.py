"""The report's page of movements on the indsatstrappe per municipality (SPEC §12):
`report/bevaegelser_<code>.html`, beside the municipality's indicator page.

Drawn from the published (suppressed) tables only: a flow (Sankey) diagram of the newest 4m
and 12m transitions with the counts, and the entry cohorts' Kaplan-Meier shares still in care
after 0, 6, 12 and 24 months, one curve per entry year. A suppressed cell is left out of the
flow and said so; a suppressed cohort has no curve. A page made from the same rows as in the
previous publication is carried over from it (carry_over.py), naming the run that computed it:
a nightly delivery changes one page of 98, and writing all took about 4 s nationally.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.code_version import code_key
from pipeline.publish import labels, report
from pipeline.publish.carry_over import CarryOver, fingerprint
from pipeline.publish.labels import danish_number
from pipeline.publish.record import PublicationRecord
from pipeline.publish.report import (
    _HTML,
    PLOTLY_FILE,
    _figure,
    _section,
    _suppression_text,
    _template_script,
    movement_page_name,
    page_name,
)

HORIZONS = (182, 365, 730)
# The keys of the published tables (their unique tests in dbt).
TRANSITION_KEY = ("municipality_code", "cutoff_date", "transition_interval", "from_step", "to_step")
DURATION_KEY = ("municipality_code", "entry_year")
MOVEMENT_FINGERPRINTS = ".fingerprints-movements.json"
INTERVALS = {"4m": "siden forrige skæringsdato", "12m": "siden samme dag året før"}


def movement_page_codes(transitions: pd.DataFrame, durations: pd.DataFrame) -> list[str]:
    """The municipalities that get a movement page: those with rows in either table (the
    report's index links to exactly these)."""
    # The distinct codes first: converting every row (600,000 nationally) took a second.
    return sorted(
        set(map(str, transitions["municipality_code"].unique()))
        | set(map(str, durations["municipality_code"].unique()))
    )


def write_movement_pages(
    transitions: pd.DataFrame,
    durations: pd.DataFrame,
    record: PublicationRecord,
    folder: Path,
    previous: Path | None = None,
) -> CarryOver:
    """One page per municipality of `transitions` or `durations` (published_ladder_transitions
    and published_placement_durations rows); a page whose rows are the same as in the previous
    publication's folder `previous` is carried over from there. Their fingerprints have a file
    of their own (MOVEMENT_FINGERPRINTS), as the indicator pages share the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    # Split once, and only the newest matrix of each interval, the one a page draws: filtering
    # every page out of all matrices took 5 s nationally. Sorted by their keys, so a page's
    # links and fingerprint do not depend on the order DuckDB returned the rows in.
    newest = _newest_matrices(transitions).sort_values(list(TRANSITION_KEY), ignore_index=True)
    durations = durations.sort_values(list(DURATION_KEY), ignore_index=True)
    matrices = dict(tuple(newest.groupby(newest["municipality_code"].astype(str))))
    cohorts = dict(tuple(durations.groupby(durations["municipality_code"].astype(str))))
    shared = fingerprint(
        code_key(Path(__file__), Path(report.__file__), Path(labels.__file__)),
        [record.suppression_threshold, record.git_commit, record.pipeline_version],
    )
    pages = CarryOver(folder, previous, MOVEMENT_FINGERPRINTS)
    for code in movement_page_codes(transitions, durations):
        mine = matrices.get(code, newest.iloc[0:0])
        theirs = cohorts.get(code, durations.iloc[0:0])
        name = movement_page_name(code)
        if not pages.reuse(name, fingerprint(shared, code, mine, theirs)):
            (folder / name).write_text(_page(code, mine, theirs, record), encoding="utf-8")
    pages.save()
    return pages


def _newest_matrices(transitions: pd.DataFrame) -> pd.DataFrame:
    """The rows of each municipality's newest cut-off date, per transition interval."""
    newest = transitions.groupby(["municipality_code", "transition_interval"])[
        "cutoff_date"
    ].transform("max")
    return transitions[transitions["cutoff_date"] == newest]


def _page(
    code: str, transitions: pd.DataFrame, durations: pd.DataFrame, record: PublicationRecord
) -> str:
    names = pd.concat([transitions["municipality_name"], durations["municipality_name"]]).dropna()
    name = str(names.iloc[0]) if len(names) else code
    sections = [
        _flow_section(transitions, interval, heading) for interval, heading in INTERVALS.items()
    ]
    sections.append(_survival_section(durations))
    title = f"Bevægelser på indsatstrappen: {html.escape(name)} ({html.escape(code)})"
    navigation = (
        '<p class="meta"><a href="index.html">Alle kommuner</a> · '
        f'<a href="{page_name(code)}">Nøgletal for {html.escape(name)}</a></p>'
    )
    return _HTML.format(
        title=title,
        # The run that computed the page: a later run that leaves its rows unchanged carries
        # it over as it is.
        subtitle=f"Beregnet {record.published_at:%d-%m-%Y %H:%M} UTC "
        f"(kørsel {html.escape(record.run_id)}).",
        suppression=html.escape(_suppression_text(record.suppression_threshold)),
        body="\n".join([navigation, *(s for s in sections if s)]),
        plotly=PLOTLY_FILE,
        template=_template_script(),
    )


def _flow_section(transitions: pd.DataFrame, interval: str, heading: str) -> str:
    rows = transitions[transitions["transition_interval"] == interval]
    if rows.empty:
        return ""
    newest = rows["cutoff_date"].max()
    rows = rows[rows["cutoff_date"] == newest]
    comparison = pd.Timestamp(rows["comparison_date"].iloc[0])
    steps = (
        rows[rows["from_step"] != "ALL"][["from_step_number", "from_step_name_da"]]
        .drop_duplicates()
        .sort_values("from_step_number")
    )
    totals_from = _totals(rows, "from_step", "to_step")
    totals_to = _totals(rows, "to_step", "from_step")
    labels = [
        _node_label(n, totals_from.get(int(s)), comparison)
        for s, n in zip(steps["from_step_number"], steps["from_step_name_da"], strict=True)
    ] + [
        _node_label(n, totals_to.get(int(s)), pd.Timestamp(newest))
        for s, n in zip(steps["from_step_number"], steps["from_step_name_da"], strict=True)
    ]
    cells = rows[(rows["from_step"] != "ALL") & (rows["to_step"] != "ALL")]
    shown = cells[~cells["suppressed"].astype(bool) & (cells["persons"].fillna(0) > 0)]
    hidden = int(cells["suppressed"].astype(bool).sum())
    offset = len(steps)
    trace: dict[str, Any] = {
        "type": "sankey",
        "valueformat": "d",
        "node": {"label": labels, "pad": 18},
        "link": {
            "source": [int(s) for s in shown["from_step_number"]],
            "target": [offset + int(t) for t in shown["to_step_number"]],
            "value": [int(v) for v in shown["persons"]],
            "label": [f"{int(v)} børn" for v in shown["persons"]],
        },
    }
    day = pd.Timestamp(newest).strftime("%d-%m-%Y")
    figure = _figure([trace], f"Børn og unge pr. trin {comparison:%d-%m-%Y} og {day}", height=520)
    note = (
        "Tallene er antal børn og unge under 18 år; trin uden bevægelse vises ikke. "
        f"{hidden} felter er skjult (diskretioneret) og indgår ikke i figuren."
    )
    return _section(f"flow-{interval}", f"Bevægelser {heading} ({interval})", figure, note)


def _totals(rows: pd.DataFrame, side: str, other: str) -> dict[int, int | None]:
    totals = rows[(rows[side] != "ALL") & (rows[other] == "ALL")]
    number = f"{side}_number"
    return {
        int(r[number]): None if bool(r["suppressed"]) else int(r["persons"])
        for _, r in totals.iterrows()
    }


def _node_label(name: str, total: int | None, day: pd.Timestamp) -> str:
    count = "skjult" if total is None else danish_number(total, 0)
    return f"{name} {day:%d-%m-%Y}: {count}"


def _survival_section(durations: pd.DataFrame) -> str:
    shown = durations[~durations["suppressed"].astype(bool)].sort_values("entry_year")
    traces = []
    for _, cohort in shown.iterrows():
        x, y, low, high = [0], [100.0], [0.0], [0.0]
        for t in HORIZONS:
            share = cohort[f"still_in_care_{t}_pct"]
            if pd.isna(share):
                continue
            x.append(t)
            y.append(float(share))
            ci_low, ci_high = (
                cohort[f"still_in_care_{t}_ci_low"],
                cohort[f"still_in_care_{t}_ci_high"],
            )
            low.append(0.0 if pd.isna(ci_low) else float(share) - float(ci_low))
            high.append(0.0 if pd.isna(ci_high) else float(ci_high) - float(share))
        partial = " (delvist år)" if bool(cohort["is_partial_year"]) else ""
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": f"{int(cohort['entry_year'])}{partial}",
                "x": x,
                "y": y,
                "error_y": {"type": "data", "array": high, "arrayminus": low, "visible": True},
            }
        )
    if not traces:
        return ""
    figure = _figure(
        traces,
        "Andel stadig anbragt efter 0, 6, 12 og 24 måneder, pr. indgangsår",
        xaxis={"title": {"text": "dage siden anbringelsens start"}, "tickvals": [0, *HORIZONS]},
        yaxis={"title": {"text": "procent"}, "range": [0, 100]},
    )
    note = (
        "Kaplan-Meier-estimat med 95 %-konfidensinterval; forløb, der stadig er i gang ved "
        "leveringen eller ved 18-årsdagen, tæller med, så længe de er set. Årgange med færre "
        "end tærsklen vises ikke. Forskellig fra nøgletal 2, der måler de igangværende "
        "anbringelser på én dag."
    )
    return _section("durations", "Anbringelsernes varighed", figure, note)
