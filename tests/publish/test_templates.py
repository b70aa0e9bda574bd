"""The workbook, the report page and the summary line, on a few rows a test makes (no run)."""

import dataclasses
import datetime as dt
import json
import re

import openpyxl
import pandas as pd
import pytest

from pipeline.publish.carry_over import FINGERPRINTS
from pipeline.publish.excel import (
    DEFINITION_HEADER,
    HEADER,
    HEADER_ROW,
    SHEET_DEFINITIONS,
    SHEET_INDICATORS,
    TABLE_NAME,
    write_workbooks,
)
from pipeline.publish.labels import danish_number
from pipeline.publish.record import PublicationRecord
from pipeline.publish.report import PLOTLY_FILE, write_report
from pipeline.run import RunSummary
from pipeline.summary import format_summary

INDICATORS = pd.DataFrame(
    {
        "indicator_id": ["1", "1.1", "11"],
        "parent_id": [None, "1", None],
        "sort_order": [10, 11, 110],
        "name_da": ["Institutionsanbragte pr. 1000", "Andel på døgninstitution", "Udgifter"],
        "name_en": ["one", "one.one", "eleven"],
        "short_name_da": ["Institutionsanbragte", "Døgninstitution (%)", "Udgifter (forhold)"],
        "definition_da": ["Antal anbragte pr. 1.000", "Andelen af dem i 1", "Udgifter i forhold"],
        "unit": ["per_1000", "percent", "ratio"],
        "unit_da": ["pr. 1.000 0-17-årige", "procent", "forhold"],
        "ladder_step": [6, 6, None],
        "source": ["x", "x", "FLIS"],
        "spec_rule": ["rule 1", "rule 1.1", "rule 11"],
        "family": ["national", "national", "national"],
        "period_kind": ["cutoff", "cutoff", "cutoff"],
    }
)


def _values(cutoffs: list[str], threshold: int = 5) -> pd.DataFrame:
    """published_indicator_values rows of 330: 1 shown, 1.1 suppressed, 11 in kroner."""
    rows = []
    for cutoff in cutoffs:
        day = pd.Timestamp(cutoff)
        rows += [
            ("1", "Institutionsanbragte", 1234.0, 20000.0, 61.7, 58.3, 65.2, "per_1000", False),
            ("1.1", "Andel på døgninstitution", None, None, None, None, None, "percent", True),
            ("11", "Udgifter", 1500000.0, 1000000.0, 1.5, None, None, "ratio", False),
        ]  # fmt: skip
        rows[-3:] = [(*r, day) for r in rows[-3:]]
    frame = pd.DataFrame(
        rows,
        columns=[
            "indicator_id", "indicator_name_da", "numerator", "denominator", "value",
            "ci_low", "ci_high", "unit", "suppressed", "cutoff_date",
        ],
    )  # fmt: skip
    kroner = frame["unit"] == "ratio"  # amounts, not counts (published_indicator_values)
    hidden = f"Diskretioneret: tallet bygger på færre end {threshold} børn, eller er skjult."
    return frame.assign(
        municipality_code="330",
        municipality_name="Slagelse",
        numerator=frame["numerator"].where(~kroner),
        denominator=frame["denominator"].where(~kroner),
        numerator_amount=frame["numerator"].where(kroner),
        denominator_amount=frame["denominator"].where(kroner),
        unit_da=frame["unit"].map({"per_1000": "pr. 1.000 0-17-årige", "percent": "procent"}),
        status="ok",
        status_da="Tilgængelig",
        note=None,
        note_da=frame["suppressed"].map({True: hidden, False: None}),
        delivery_date=pd.Timestamp("2024-05-15"),
    ).fillna({"unit_da": "forhold"})


def _record(threshold: int) -> PublicationRecord:
    return PublicationRecord(
        run_id="run-1",
        published_at=dt.datetime(2024, 2, 1, 3, 0, tzinfo=dt.UTC),
        pipeline_version="0.1.0",
        git_commit="abc",
        suppression_threshold=threshold,
    )


def test_the_workbook_shows_the_configured_threshold_and_danish_formats(tmp_path):
    [path] = write_workbooks(
        _values(["2023-12-31"], threshold=10), INDICATORS, _record(10), tmp_path
    ).paths
    assert path.name == "noegletal_330_2023-12-31.xlsx"
    sheet = openpyxl.load_workbook(path)["Nøgletal"]
    one, one_one, eleven = sheet.iter_rows(min_row=HEADER_ROW + 1)
    assert (one[2].value, one[2].number_format) == (1234, "#,##0")
    assert (one[4].value, one[4].number_format) == (pytest.approx(61.7), "#,##0.0")
    assert one[5].value == "pr. 1.000 0-17-årige"
    assert (one[7].value, one[8].value) == (pytest.approx(58.3), pytest.approx(65.2))
    assert [one_one[i].value for i in (2, 3, 4, 7, 8)] == ["<10"] * 5
    assert "færre end 10 børn" in one_one[6].value
    assert (eleven[2].value, eleven[2].number_format) == (1500000, '#,##0" kr."')
    assert (eleven[3].value, eleven[4].number_format) == (1000000, "0.00")


def test_the_workbook_is_an_excel_table_under_a_legend_with_real_dates(tmp_path):
    [path] = write_workbooks(_values(["2023-12-31"]), INDICATORS, _record(5), tmp_path).paths
    book = openpyxl.load_workbook(path)
    sheet = book[SHEET_INDICATORS]
    [table] = sheet.tables.values()
    assert table.name == TABLE_NAME
    assert table.ref == f"A{HEADER_ROW}:I{HEADER_ROW + 3}"  # the header and the three rows
    assert table.autoFilter is not None  # filter buttons on every column
    assert [c.value for c in sheet[HEADER_ROW]] == HEADER
    legend = [sheet.cell(row, 1).value for row in range(4, HEADER_ROW)]
    assert legend[0].startswith('"<5": Diskretioneret')
    assert legend[1].startswith('"Foreløbig"')
    assert legend[2].startswith('"Ikke tilgængelig"')
    about = {row[0].value: row[1] for row in book["Om tallene"].iter_rows()}
    assert about["Beregnet (UTC)"].value == dt.datetime(2024, 2, 1, 3, 0)
    assert about["Beregnet (UTC)"].number_format == "dd-mm-yyyy hh:mm"
    assert about["Leverance"].value == dt.datetime(2024, 5, 15)
    assert about["Leverance"].number_format == "dd-mm-yyyy"
    definitions = book[SHEET_DEFINITIONS]
    assert [c.value for c in definitions[1]] == DEFINITION_HEADER
    assert [c.value for c in definitions[2]][:5] == [
        "1", "Institutionsanbragte pr. 1000", "Institutionsanbragte", "pr. 1.000 0-17-årige",
        "Antal anbragte pr. 1.000",
    ]  # fmt: skip
    notes = [row[0] for row in definitions.iter_rows(min_row=6, values_only=True) if row[0]]
    assert any(note.startswith('"Foreløbig"') for note in notes)


def test_no_workbook_for_a_cutoff_date_after_the_delivery(tmp_path):
    # Delivered 2024-05-15: 2024-04-30 is covered, 2024-08-31 is not (every figure of it is
    # "Ikke tilgængelig"), so it gets no workbook.
    values = _values(["2024-04-30", "2024-08-31"])
    books = write_workbooks(values, INDICATORS, _record(5), tmp_path)
    assert [p.name for p in books.paths] == ["noegletal_330_2024-04-30.xlsx"]
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == ["noegletal_330_2024-04-30.xlsx"]


def test_the_report_loads_plotly_from_beside_it_and_shows_suppression(tmp_path):
    national = pd.DataFrame(
        {
            "municipality_code": [None, None],
            "indicator_id": ["1", "1"],
            "cutoff_date": pd.to_datetime(["2023-08-31", "2023-12-31"]),
            "benchmark": ["Hele landet", "Hele landet"],
            "value": [55.0, 57.5],
        }
    )
    values = _values(["2023-08-31", "2023-12-31"])
    pages = write_report(values, INDICATORS, _record(5), tmp_path, national)
    assert [p.name for p in pages.paths] == ["noegletal_330.html"]
    assert {p.name for p in tmp_path.iterdir()} == {
        PLOTLY_FILE,
        "noegletal_330.html",
        "index.html",
        FINGERPRINTS,
    }
    page = (tmp_path / "noegletal_330.html").read_text(encoding="utf-8")
    assert f'<script src="{PLOTLY_FILE}"></script>' in page
    assert "cdn" not in page.lower()
    assert "Indsatstrappen" in page
    assert '"name":"Hele landet"' in page  # a published benchmark series is drawn
    assert "Skjult (&lt;5) på: 31-08-2023, 31-12-2023." in page
    assert (tmp_path / PLOTLY_FILE).stat().st_size > 1_000_000  # the whole library, offline


def _key_figure_cell(index: str, code: str, indicator_id: str) -> str:
    header = re.search(r'<table id="key-figures"><thead><tr>(.*?)</tr>', index)
    assert header is not None
    ids = [None, None, *re.findall(r'<th data-indicator="([^"]+)"', header.group(1))]
    row = re.search(rf'<tr data-municipality="{code}">(.*?)</tr>', index)
    assert row is not None
    cells = re.findall(r"<td[^>]*>.*?</td>", row.group(1))
    cell = cells[ids.index(indicator_id)]
    # The opening tag (its data attributes) and the text without the inner markup.
    text = " ".join(re.sub(r"<[^>]+>", " ", cell[cell.index(">") + 1 :]).split())
    return cell[: cell.index(">") + 1] + text


def test_the_index_shows_each_key_figure_its_change_and_whether_it_is_real(tmp_path):
    # Indicator 1 of 330: 61.7 (58.3-65.2) on 31-08-2023. On 31-12-2023 it is 80.0 (75.0-85.0):
    # the intervals do not overlap, a real change of +18.3. Municipality 147 moves from 61.7 to
    # 63.0 (59.0-67.0): the intervals overlap, within the uncertainty. 1.1 is suppressed.
    values = _values(["2023-08-31", "2023-12-31"])
    december = values["cutoff_date"].eq(pd.Timestamp("2023-12-31")) & values["indicator_id"].eq("1")
    real = values.copy()
    real.loc[december, ["value", "ci_low", "ci_high"]] = [80.0, 75.0, 85.0]
    noise = values.assign(municipality_code="147", municipality_name="Frederiksberg")
    noise.loc[december, ["value", "ci_low", "ci_high"]] = [63.0, 59.0, 67.0]
    catalogue = INDICATORS.copy()
    write_report(pd.concat([real, noise]), catalogue, _record(5), tmp_path)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    moved = _key_figure_cell(index, "330", "1")
    assert 'data-real="true"' in moved and "reel ændring" in moved
    assert "80,0" in moved and "+18,3 siden 31-08-2023" in moved
    assert float(re.search(r'data-change="([^"]+)"', moved).group(1)) == pytest.approx(18.3)
    steady = _key_figure_cell(index, "147", "1")
    assert 'data-real="false"' in steady and "inden for usikkerheden" in steady
    assert "+1,3 siden 31-08-2023" in steady
    # Each page's charts carry their numbers below them; a suppressed figure shows "<5".
    page = (tmp_path / "noegletal_330.html").read_text(encoding="utf-8")
    table = re.search(r'<table data-indicator="1">(.*?)</table>', page)
    assert table is not None
    assert re.findall(r'<td data-value="(\d{4}-\d{2}-\d{2})"', table.group(1)) == [
        "2023-12-31",
        "2023-08-31",
    ]
    assert "80,0" in table.group(1) and "75,0 &ndash; 85,0" in table.group(1)
    assert '<td data-suppressed="true">&lt;5</td>' in page  # 1.1's table


def test_danish_numbers():
    assert danish_number(1234.5, 1) == "1.234,5"
    assert danish_number(0.25, 2) == "0,25"


def test_the_summary_says_what_bi_sees():
    kept = RunSummary(
        failures=["build run x failed"], kept={"run_id": "r1", "published_at": "2024-02-01"}
    )
    assert "Publication untouched: BI still sees run r1" in format_summary(kept)
    audit = RunSummary(
        published={
            "run_id": "r2",
            "audit_copy": True,
            "target": "/d/internal/audit-copy",
            "tables": {"a": 1},
            "files": 3,
            "suppressed_indicator_rows": 0,
            "suppression_threshold": 0,
        }
    )
    assert "AUDIT COPY (suppression off, not for BI)" in format_summary(audit)
    assert "Nothing published" in format_summary(RunSummary(failures=["x"]))


def test_the_workbook_holds_the_national_indicators_only(tmp_path):
    # Socialstyrelsen's template is the catalogue's; a goal indicator row is left out.
    goal = pd.DataFrame(
        {
            **{column: [None] for column in INDICATORS.columns},
            "indicator_id": ["G1"],
            "sort_order": [200],
            "name_da": ["Mål 1"],
            "unit": ["per_1000"],
            "family": ["goal"],
            "period_kind": ["cutoff"],
        }
    )
    values = _values(["2024-04-30"])
    goal_row = values[values["indicator_id"] == "1"].assign(indicator_id="G1")
    paths = write_workbooks(
        pd.concat([values, goal_row]),
        pd.concat([INDICATORS, goal]),
        _record(5),
        tmp_path,
    ).paths
    sheet = openpyxl.load_workbook(paths[0])[SHEET_INDICATORS]
    ids = [row[0] for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    assert "G1" not in ids and "1" in ids


def test_an_unchanged_workbook_is_carried_over_and_a_changed_one_written_again(tmp_path):
    values = _values(["2023-12-31", "2024-04-30"])
    first = write_workbooks(values, INDICATORS, _record(5), tmp_path / "first")
    assert first.carried == 0 and len(first.paths) == 2

    # The next run changes the figures of 2024-04-30 only.
    changed = values.copy()
    changed.loc[changed["cutoff_date"] == pd.Timestamp("2024-04-30"), "numerator"] += 1
    second_record = dataclasses.replace(_record(5), run_id="run-2")
    second = write_workbooks(
        changed, INDICATORS, second_record, tmp_path / "second", previous=tmp_path / "first"
    )
    assert second.carried == 1

    def run_of(path):
        about = dict(openpyxl.load_workbook(path)["Om tallene"].iter_rows(values_only=True))
        return about["Beregnet i kørsel (run id)"]

    unchanged, rewritten = second.paths
    assert unchanged.name.endswith("2023-12-31.xlsx") and run_of(unchanged) == "run-1"
    assert rewritten.name.endswith("2024-04-30.xlsx") and run_of(rewritten) == "run-2"

    # Another threshold changes every cell that shows "<5": nothing is carried over.
    third = write_workbooks(
        changed, INDICATORS, _record(10), tmp_path / "third", previous=tmp_path / "second"
    )
    assert third.carried == 0


def test_a_text_that_looks_like_a_formula_or_a_link_stays_text(tmp_path):
    # Names and notes come from the catalogue and from dbt; Excel must never evaluate them.
    values = _values(["2023-12-31"])
    values.loc[values["indicator_id"] == "1", "indicator_name_da"] = "=1+1"
    values.loc[values["indicator_id"] == "11", "indicator_name_da"] = "https://example.invalid"
    [path] = write_workbooks(values, INDICATORS, _record(5), tmp_path).paths
    sheet = openpyxl.load_workbook(path)[SHEET_INDICATORS]
    one, _, eleven = sheet.iter_rows(min_row=HEADER_ROW + 1)
    assert (one[1].value, one[1].data_type) == ("=1+1", "s")
    assert (eleven[1].value, eleven[1].data_type, eleven[1].hyperlink) == (
        "https://example.invalid",
        "s",
        None,
    )


def _medians(rows: list[tuple[str, str, float]], indicator_id: str = "1") -> pd.DataFrame:
    """published_peer_medians rows (municipality, cut-off date, median) of one indicator."""
    return pd.DataFrame(
        {
            "municipality_code": [code for code, _, _ in rows],
            "indicator_id": indicator_id,
            "cutoff_date": pd.to_datetime([day for _, day, _ in rows]),
            "median_value": [median for _, _, median in rows],
            "municipalities_compared": 3,
        }
    )


def test_a_page_draws_its_own_published_peer_medians_in_date_order(tmp_path):
    # The medians are computed in dbt (publication/published_peer_medians.yml works them out by
    # hand); the page draws its own rows of the published table, whatever their order, and
    # none of another municipality's.
    values = _values(["2023-08-31", "2023-12-31"])
    medians = _medians([("330", "2023-12-31", 50.0), ("147", "2023-08-31", 99.0)])
    medians = pd.concat([medians, _medians([("330", "2023-08-31", 15.0)])], ignore_index=True)
    write_report(values, INDICATORS, _record(5), tmp_path, medians=medians)
    page = (tmp_path / "noegletal_330.html").read_text(encoding="utf-8")
    call = re.search(r'Plotly\.newPlot\("chart-indicator-1", (.*?), Object\.assign', page)
    assert call is not None
    [median] = [t for t in json.loads(call.group(1)) if t["name"] == "Øvrige kommuner (median)"]
    assert [day[:10] for day in median["x"]] == ["2023-08-31", "2023-12-31"]
    assert median["y"] == [15.0, 50.0]
    # Without medians for an indicator, its chart has no median line.
    call = re.search(r'Plotly\.newPlot\("chart-indicator-11", (.*?), Object\.assign', page)
    assert call is not None
    assert "Øvrige kommuner (median)" not in call.group(1)


def _four_municipalities(value_of_101: float) -> pd.DataFrame:
    """Indicator 1 on 2023-12-31: 101 = value_of_101, 147 = 20, 151 = 30, 330 = 40."""
    frames = []
    for code, value in (("101", value_of_101), ("147", 20.0), ("151", 30.0), ("330", 40.0)):
        rows = _values(["2023-12-31"]).assign(municipality_code=code, municipality_name=f"K{code}")
        rows.loc[rows["indicator_id"] == "1", "value"] = value
        frames.append(rows)
    return pd.concat(frames, ignore_index=True)


# The medians of pages 151 and 330 by 101's value (worked out below); 101's and 147's stay 30.
MEDIANS = {10.0: 20.0, 12.0: 20.0, 25.0: 25.0}


def test_a_page_is_carried_over_while_its_figures_and_peer_medians_stay_the_same(tmp_path):
    # Each page draws the median of the other three municipalities' indicator 1 (page 101:
    # median(20, 30, 40) = 30 in every run).
    #   first run, 101 = 10:  page 147: median(10, 30, 40) = 30   page 151: median(10, 20, 40) = 20
    #                         page 330: median(10, 20, 30) = 20
    #   101 = 12:             147: median(12, 30, 40) = 30        151: median(12, 20, 40) = 20
    #                         330: median(12, 20, 30) = 20  -> only 101's own page changes
    #   101 = 25:             147: median(25, 30, 40) = 30        151: median(25, 20, 40) = 25
    #                         330: median(25, 20, 30) = 25  -> 101, 151 and 330 change
    def run(value_of_101, run_id, previous, threshold=5):
        record = dataclasses.replace(_record(threshold), run_id=run_id)
        folder = tmp_path / run_id
        pages = write_report(
            _four_municipalities(value_of_101),
            INDICATORS,
            record,
            folder,
            previous=previous,
            medians=_medians(
                [("101", "2023-12-31", 30.0), ("147", "2023-12-31", 30.0)]
                + [(code, "2023-12-31", MEDIANS[value_of_101]) for code in ("151", "330")]
            ),
        )
        shown = {}
        for path in pages.paths:
            [run_of_page] = re.findall(r"\(kørsel ([^)]*)\)", path.read_text(encoding="utf-8"))
            shown[path.stem.removeprefix("noegletal_")] = run_of_page
        return pages.carried, shown, folder

    carried, shown, first = run(10.0, "run-1", None)
    assert carried == 0 and set(shown.values()) == {"run-1"}

    carried, shown, second = run(12.0, "run-2", first)
    assert carried == 3
    assert shown == {"101": "run-2", "147": "run-1", "151": "run-1", "330": "run-1"}

    carried, shown, third = run(25.0, "run-3", second)
    assert carried == 1
    assert shown == {"101": "run-3", "147": "run-1", "151": "run-3", "330": "run-3"}
    # index.html is always written: it names the publication's own run.
    assert "(kørsel run-3)" in (third / "index.html").read_text(encoding="utf-8")

    # Another threshold changes what every page may show: nothing is carried over.
    carried, shown, _ = run(25.0, "run-4", third, threshold=10)
    assert carried == 0 and set(shown.values()) == {"run-4"}
