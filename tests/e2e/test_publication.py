"""Publication for BI, end to end (issue 5, SPEC §10), on the real Dagster jobs.

One good run of two municipalities over three cut-off dates (a large one with ordinary cells,
a small one full of small cells) is shared by the read-only tests at the top. The tests below
them change the state in order: a run over broken deliveries, a run whose build fails, runs
killed at each stage, a failed publication step, an audit copy without suppression, and a
good run while another process holds the serving file open.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import openpyxl
import pandas as pd
import pytest

from pipeline.assets import statbank as statbank_assets_module
from pipeline.assets.publish import PUBLICATION_KEY
from pipeline.platform.recovery import release_abandoned_runs
from pipeline.publish import release
from pipeline.publish.db import PublicationError
from pipeline.publish.excel import HEADER, HEADER_ROW, SHEET_DEFINITIONS, SHEET_INDICATORS
from pipeline.publish.intervals import poisson_exact_interval, wilson_interval
from pipeline.publish.release import releases_folder
from pipeline.settings import DEMO_PSEUDONYM_KEY, Settings
from pipeline.sources.cpr import pseudonymise
from pipeline.sources.extracts.spec import FILES
from pipeline.sources.statbank.snapshots import write_synthetic_snapshot
from pipeline.summary import format_summary
from tests.duckdb_client import DESCRIBE, OLD_DUCKDB_VERSION, describe_with_old_client
from tests.harness import PipelineHarness
from tests.publish.attacker import attack, primary_only
from tests.publish.scenario import CUTOFFS, QUARTERS, build_scenario

pytestmark = pytest.mark.slow

BIG = build_scenario(400, seed=1)
SMALL = build_scenario(45, seed=2, serial_offset=500)
NEWER = build_scenario(420, seed=3)
POPULATION = {("101", q): 20000 for q in QUARTERS} | {("147", q): 3000 for q in QUARTERS}
TABLES = {
    "indicator_values",
    "indicator_values_wide",
    "indicator_values_wide_columns",
    "indicator_revisions",
    "indicators",
    "municipalities",
    "goal_attainment",
    "goal_initiatives",
    "benchmark_placements",
    "indicator_benchmarks",
    "peer_medians",
    "reconciliation",
    "ladder_transitions",
    "placement_durations",
}
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")


@dataclass
class Published:
    harness: PipelineHarness
    serving: Path
    run_id: str

    def parquet(self, table: str) -> pd.DataFrame:
        with duckdb.connect() as conn:
            path = str(self.serving / "parquet" / f"{table}.parquet")
            return conn.execute("select * from read_parquet(?)", [path]).df()

    def truth(self) -> pd.DataFrame:
        return self.harness.query("select * from marts.indicator_values")


@pytest.fixture(scope="module")
def published(module_harness: PipelineHarness) -> Published:
    module_harness.delivery("101", "2024-01-15", BIG.files)
    module_harness.delivery("147", "2024-01-15", SMALL.files)
    module_harness.population(POPULATION)
    summary = module_harness.run(cutoffs=CUTOFFS)
    assert summary.ok, format_summary(summary)
    assert summary.published is not None
    return Published(
        module_harness, module_harness.data_dir / "serving", summary.published["run_id"]
    )


def published_bytes(serving: Path) -> dict[str, str]:
    """sha256 of every published file (hidden staging folders of killed runs left out)."""
    return {
        path.relative_to(serving).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(serving.rglob("*"))
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(serving).parts)
    }


# --- what one good run publishes -------------------------------------------------------------


def test_the_serving_file_holds_the_published_tables_with_their_comments(published):
    with duckdb.connect(str(published.serving / "noegletal.duckdb"), read_only=True) as conn:
        tables = {t for (t,) in conn.execute("select table_name from duckdb_tables()").fetchall()}
        undocumented = conn.execute(
            "select table_name, column_name from duckdb_columns() "
            "where comment is null and not internal"
        ).fetchall()
        record = conn.execute("select * from publication").df().iloc[0]
        wide_comment = conn.execute(
            "select comment from duckdb_columns() where table_name = 'indicator_values_wide' "
            "and column_name = '1.1 Andel på døgninstitution (%)'"
        ).fetchall()
        types = dict(
            conn.execute(
                "select column_name, data_type from duckdb_columns() "
                "where table_name = 'indicator_values'"
            ).fetchall()
        )
        columns = [
            c
            for (c,) in conn.execute(
                "select column_name from duckdb_columns() where table_name = 'indicator_values' "
                "order by column_index"
            ).fetchall()
        ]
    assert tables == TABLES | {"publication"}
    assert undocumented == []
    assert wide_comment == [
        ("1.1. Andel anbragte på døgninstitutioner af samtlige institutionsanbragte (procent)",)
    ]
    assert {"municipality_name", "indicator_name_da", "ci_low", "ci_high", "suppressed"} <= set(
        columns
    )
    # Counts are integers; the Danish labels sit beside the codes.
    assert (types["numerator"], types["denominator"]) == ("BIGINT", "BIGINT")
    assert (types["numerator_amount"], types["sort_order"]) == ("DOUBLE", "INTEGER")
    assert {"unit_da", "status_da", "note_da", "note_code", "region_name", "ladder_step"} <= set(
        columns
    )
    assert record["run_id"] == published.run_id
    assert record["suppression_threshold"] == 5
    assert not record["is_audit_copy"]
    assert record["git_commit"]
    # The scenario delivers the four core files only: the record names every optional file.
    optional = sorted(spec.name for spec in FILES if not spec.core)
    assert json.loads(record["deliveries"]) == [
        {"municipality_code": code, "delivery_date": "2024-01-15", "files_not_available": optional}
        for code in ("101", "147")
    ]
    snapshots = {s["table"]: s for s in json.loads(record["statbank_snapshots"])}
    assert snapshots["FOLK1A"]["newest_period"] == "2024K1"
    assert snapshots["FOLK1A"]["synthetic"] is True
    published_rows = published.parquet("indicator_values")
    assert json.loads(record["tables"])["indicator_values"] == len(published_rows)
    national = published_rows[~published_rows["indicator_id"].str.match(r"[GSQ]")]
    assert len(national) == 2 * 3 * 27  # every key indicator for both municipalities and dates


def test_the_serving_file_opens_in_duckdb_1_1_with_the_same_tables_comments_and_rows(published):
    serving_file = published.serving / "noegletal.duckdb"
    old = describe_with_old_client(serving_file)
    completed = subprocess.run(
        [sys.executable, "-c", DESCRIBE, str(serving_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    new = json.loads(completed.stdout)
    assert old["version"] == OLD_DUCKDB_VERSION
    assert new["version"] == duckdb.__version__ != OLD_DUCKDB_VERSION
    assert set(old["tables"]) == TABLES | {"publication"}
    assert old["tables"] == new["tables"]  # columns, types, comments and a digest of every row
    assert old["tables"]["indicator_values"]["rows"] > 0


def test_parquet_copies_match_the_serving_file_and_name_the_run(published):
    with duckdb.connect(str(published.serving / "noegletal.duckdb"), read_only=True) as conn:
        for table in (*TABLES, "publication"):
            path = str(published.serving / "parquet" / f"{table}.parquet")
            in_file = conn.execute(f'select * from "{table}" order by all').df()
            in_parquet = conn.execute("select * from read_parquet(?) order by all", [path]).df()
            pd.testing.assert_frame_equal(in_file, in_parquet, check_dtype=False)
            run_ids = conn.execute(
                "select value::varchar from parquet_kv_metadata(?) "
                "where key::varchar = 'noegletal_run_id'",
                [path],
            ).fetchall()
            assert run_ids == [(published.run_id,)], table


def test_suppressed_figures_are_null_never_zero_and_no_small_count_is_shown(published):
    rows = published.parquet("indicator_values")
    hidden = rows[rows["suppressed"]]
    assert len(hidden) > 10  # the small municipality has many small cells
    assert hidden[["numerator", "denominator", "value", "ci_low", "ci_high"]].isna().all().all()
    assert hidden["note"].str.startswith("suppressed").all()
    shown = rows[(~rows["suppressed"]) & (rows["status"] == "ok")]
    counts = shown["numerator"].where(shown["unit"] != "ratio")
    persons = shown["denominator"].where(shown["unit"].isin(["percent", "days", "per_person"]))
    for series in (counts, persons):
        assert not series.between(1, 4).any()
    # Suppression hides nothing that is not small or protecting a small cell: 101 is large.
    assert not rows.loc[rows["municipality_code"] == "101", "suppressed"].any()


def test_no_suppressed_count_can_be_worked_out_from_the_published_rows(published):
    truth = published.truth()
    attempts = attack(published.parquet("indicator_values"), truth, threshold=5)
    assert len(attempts) >= 20
    recovered = [a for a in attempts if a.recovered]
    assert recovered == []
    # The attacker has teeth: against primary suppression alone it recovers counts.
    assert any(a.recovered for a in attack(primary_only(truth, 5), truth, threshold=5))


def test_intervals_are_wilson_for_shares_and_exact_poisson_for_rates(published):
    rows = published.parquet("indicator_values")
    shown = rows[(~rows["suppressed"]) & (rows["status"] == "ok")]
    shares = shown[(shown["unit"] == "percent") & (shown["denominator"] > 0)]
    low, high = wilson_interval(shares["numerator"], shares["denominator"])
    assert shares["ci_low"].to_numpy() == pytest.approx(100 * low)
    assert shares["ci_high"].to_numpy() == pytest.approx(100 * high)
    rates = shown[shown["unit"] == "per_1000"]
    low, high = poisson_exact_interval(rates["numerator"])
    assert rates["ci_low"].to_numpy() == pytest.approx(low * 1000 / rates["denominator"])
    assert rates["ci_high"].to_numpy() == pytest.approx(high * 1000 / rates["denominator"])
    assert (shown["ci_low"] <= shown["value"]).where(shown["ci_low"].notna(), True).all()
    others = shown[shown["unit"].isin(["days", "per_person", "ratio"])]
    assert others[["ci_low", "ci_high"]].isna().all().all()


def test_the_wide_table_has_a_row_per_municipality_and_cutoff_and_a_column_per_indicator(
    published,
):
    wide = published.parquet("indicator_values_wide")
    mapping = published.parquet("indicator_values_wide_columns")
    assert len(wide) == 2 * 3
    assert list(wide.columns) == list(mapping.sort_values("column_position")["column_name"])
    # The key columns, then SPEC §13's mark: the row's figures are foreløbige.
    assert list(wide.columns[:5]) == [
        "Kommunekode",
        "Kommune",
        "Region",
        "Skæringsdato",
        "Foreløbig",
    ]
    assert list(wide.columns[5:8]) == [
        "1 Institutionsanbragte pr. 1.000",
        "1.1 Andel på døgninstitution (%)",
        "1.2 Andel på sikret døgninstitution (%)",
    ]
    assert len({c.lower() for c in wide.columns}) == len(wide.columns)  # unique, any case
    long = published.parquet("indicator_values").set_index(
        ["municipality_code", "cutoff_date", "indicator_id"]
    )["value"]
    column_of = mapping.dropna(subset=["indicator_id"]).set_index("indicator_id")["column_name"]
    national = [i for i in column_of.index if not i[0].isalpha()]
    assert len(national) == 27
    provisional = (
        published.parquet("indicator_values")
        .groupby(["municipality_code", "cutoff_date"])["provisional"]
        .all()
    )
    # Delivered 2024-01-15: only 31 December 2023 (15 days before) is provisional.
    assert sorted(provisional[provisional].index.get_level_values(1).astype(str)) == [
        "2023-12-31",
        "2023-12-31",
    ]
    for row in wide.to_dict("records"):
        assert row["Foreløbig"] == provisional[(row["Kommunekode"], row["Skæringsdato"])]
        assert (
            row["Region"]
            == {"101": "Region Hovedstaden", "147": "Region Hovedstaden"}[row["Kommunekode"]]
        )
        for indicator_id in national:
            expected = long[(row["Kommunekode"], row["Skæringsdato"], indicator_id)]
            assert row[column_of[indicator_id]] == pytest.approx(expected, nan_ok=True)


def test_indicator_values_speaks_danish_beside_its_codes(published):
    rows = published.parquet("indicator_values")
    # Goal indicators whose optional file the scenario does not deliver are not available.
    assert set(rows["status_da"]) == {"Tilgængelig", "Ikke tilgængelig"}
    assert (rows["status_da"] == "Tilgængelig").eq(rows["status"] == "ok").all()
    units = dict(zip(rows["unit"], rows["unit_da"], strict=True))
    assert units["per_1000"] == "pr. 1.000 0-17-årige" and units["percent"] == "procent"
    hidden = rows[rows["suppressed"]]
    assert hidden["note_da"].str.startswith("Diskretioneret: tallet bygger på færre end 5").all()
    assert (hidden["note_code"] == "suppressed").all()
    assert rows["note_code"].isin(["other"]).sum() == 0  # every reason has Danish wording
    noted = rows[rows["note"].notna()]
    assert noted["note_da"].notna().all()
    # The catalogue's order, not the text order of the ids.
    first = rows[
        (rows["municipality_code"] == "101") & (rows["cutoff_date"] == rows["cutoff_date"].max())
    ]
    ordered = first.sort_values("sort_order")["indicator_id"].tolist()
    assert ordered.index("2") < ordered.index("10") < ordered.index("11")
    assert dict(zip(first["indicator_id"], first["ladder_step"], strict=True))["6"] == 1
    # Counts are whole numbers; kroner stay exact in numerator_amount.
    shown = rows[rows["status"] == "ok"]
    eleven = shown[shown["indicator_id"] == "11"]
    assert eleven["numerator"].isna().all() and eleven["numerator_amount"].notna().all()
    counts = shown[shown["indicator_id"] != "11"]["numerator"].dropna()
    assert (counts == counts.round()).all() and len(counts) > 100


def _searchable_parts(path: Path) -> list[bytes]:
    """The raw bytes, plus what compression or encoding could hide from a byte search: a
    workbook's XML members, and every text value of a DuckDB or Parquet file."""
    parts = [path.read_bytes()]
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as archive:
            parts += [archive.read(member) for member in archive.namelist()]
    elif path.suffix in (".duckdb", ".parquet"):
        with duckdb.connect() as conn:
            if path.suffix == ".duckdb":
                conn.execute(f"attach '{path}' as f (read_only)")
                tables = [
                    f'f.main."{t}"'
                    for (t,) in conn.execute(
                        "select table_name from duckdb_tables() where database_name = 'f'"
                    ).fetchall()
                ]
            else:
                tables = [f"read_parquet('{path}')"]
            for table in tables:
                frame = conn.execute(f"select * from {table}").df()
                parts.append(frame.astype(str).to_csv().encode("utf-8"))
    return parts


def test_nothing_under_serving_holds_a_cpr_number_or_a_pseudonym(published):
    cprs = BIG.cprs + SMALL.cprs
    needles = {c.encode() for c in cprs} | {c.replace("-", "").encode() for c in cprs}
    pseudonyms = set(pseudonymise(pd.Series(cprs), DEMO_PSEUDONYM_KEY))
    in_warehouse = set(
        published.harness.query("select person_id from landing.children")["person_id"]
    )
    assert pseudonyms == in_warehouse  # the search looks for what the warehouse really holds
    needles |= {p.encode() for p in pseudonyms} | {p.upper().encode() for p in pseudonyms}
    files = [p for p in published.serving.rglob("*") if p.is_file()]
    assert len(files) >= 15
    for path in files:
        for part in _searchable_parts(path):
            found = [n for n in needles if n in part]
            assert not found, f"{path.relative_to(published.serving)} holds person identifiers"


def test_each_workbook_is_the_reporting_template_read_back(published):
    rows = published.parquet("indicator_values")
    folder = published.serving / "excel"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [".fingerprints.json"]
        + [f"noegletal_{m}_{c}.xlsx" for m in ("101", "147") for c in CUTOFFS]
    )
    book = openpyxl.load_workbook(folder / "noegletal_147_2023-08-31.xlsx")
    assert book.sheetnames[:2] == [SHEET_INDICATORS, SHEET_DEFINITIONS]
    sheet = book[SHEET_INDICATORS]
    assert sheet["A2"].value == "Kommune: Frederiksberg (147)"
    assert sheet["B3"].value == dt.datetime(2023, 8, 31)
    assert sheet["B3"].number_format == "dd-mm-yyyy"
    assert [c.value for c in sheet[HEADER_ROW]] == HEADER
    expected = rows[(rows["municipality_code"] == "147") & (rows["cutoff_date"] == "2023-08-31")]
    expected = expected.set_index("indicator_id")
    lines = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=False))
    assert [line[0].value for line in lines] == [
        "1", "1.1", "1.2", "1.3", "2", "2.1", "2.2", "2.3", "3", "4", "5", "5.1", "5.2",
        "5.3", "5.4", "6", "7", "7.1", "7.2", "8", "9", "10", "11", "12", "12.1", "12.2", "12.3",
    ]  # fmt: skip
    seen_suppressed = False
    for line in lines:
        row = expected.loc[line[0].value]
        assert line[1].value == row["indicator_name_da"]
        if row["suppressed"]:
            seen_suppressed = True
            assert [line[i].value for i in (2, 3, 4)] == ["<5", "<5", "<5"]
            assert line[6].value.startswith("Diskretioneret")
        elif row["status"] == "ok" and pd.notna(row["value"]):
            assert line[4].value == pytest.approx(row["value"])
            numerator = row["numerator_amount"] if row["unit"] == "ratio" else row["numerator"]
            assert line[2].value == pytest.approx(numerator)
            assert line[2].number_format in ("#,##0", '#,##0" kr."')
            assert line[4].number_format == {
                "per_1000": "#,##0.0", "percent": '0.0" %"', "days": "#,##0",
                "count": "#,##0", "per_person": "0.00", "ratio": "0.00",
            }[row["unit"]]  # fmt: skip
        elif row["status"] != "ok":
            assert line[4].value is None
            assert line[6].value.startswith("Ikke tilgængelig")
    assert seen_suppressed
    definitions = book[SHEET_DEFINITIONS]
    assert definitions["A2"].value == "1"
    assert definitions["E2"].value.startswith("Antal af de 0-17-årige, hvis aktuelle anbringelse")
    assert definitions["E1"].value == "Definition"


def test_dbt_docs_are_published_beside_the_report(published):
    docs = (published.serving / "docs" / "index.html").read_text(encoding="utf-8")
    assert "published_indicator_values" in docs
    assert "Whether a row was hidden for its own" in docs  # the model's description
    # The project's front page (models/overview.md), which dbt shows instead of its own
    # "Welcome!": what nøgletal is, the data flow, and the names BI sees in `main`.
    assert "doc.noegletal.__overview__" in docs and "De navne BI ser" in docs
    index = (published.serving / "report" / "index.html").read_text(encoding="utf-8")
    assert 'href="../docs/index.html"' in index
    assert 'href="noegletal_147.html"' in index


TABLES_IN_PAGE = """() => [...document.querySelectorAll('table[data-indicator]')].map(t => ({
    indicator: t.dataset.indicator,
    rows: [...t.querySelectorAll('tbody tr')].map(tr => [...tr.querySelectorAll('td')].map(
        td => ({text: td.textContent, value: td.dataset.value ?? null,
                suppressed: td.dataset.suppressed === 'true'}))),
}))"""


def _open_offline(playwright, path: Path, errors: list[str], requests: list[str]):
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    return browser, page


@pytest.mark.browser
def test_the_report_renders_its_charts_offline_in_chromium(published):
    if not CHROMIUM.exists():
        if os.environ.get("NOEGLETAL_REQUIRE_BROWSER"):
            pytest.fail("NOEGLETAL_REQUIRE_BROWSER is set but /usr/bin/chromium is missing")
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run does it)")
    from playwright.sync_api import sync_playwright

    rows = published.parquet("indicator_values")
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as playwright:
        # The index: a leader's first page, the key figures of every municipality.
        browser, page = _open_offline(
            playwright, published.serving / "report" / "index.html", errors, requests
        )
        key_figures = page.evaluate(
            """() => [...document.querySelectorAll('#key-figures tbody tr')].map(tr => ({
                code: tr.dataset.municipality,
                date: tr.querySelectorAll('td')[1].dataset.value,
                cells: [...tr.querySelectorAll('td')].slice(2).map(td => ({
                    value: td.dataset.value ?? null, real: td.dataset.real ?? null,
                    suppressed: td.dataset.suppressed === 'true', text: td.textContent})),
            }))"""
        )
        headers = page.evaluate(
            "() => [...document.querySelectorAll('#key-figures th[data-indicator]')]"
            ".map(th => th.dataset.indicator)"
        )
        page.screenshot(path=str(ARTIFACTS / "report_index.png"), full_page=True)
        browser.close()
        assert [k["code"] for k in key_figures] == ["101", "147"]
        assert headers == ["6", "5", "4", "3", "1", "8", "9"]
        verdicts = []
        for figure in key_figures:
            own = rows[rows["municipality_code"] == figure["code"]]
            dates = sorted(own.loc[own["status"] == "ok", "cutoff_date"].unique())
            newest, previous = dates[-1], dates[-2]
            assert figure["date"] == f"{pd.Timestamp(newest):%Y-%m-%d}"
            by_day = own.set_index(["indicator_id", "cutoff_date"])
            for indicator_id, cell in zip(headers, figure["cells"], strict=True):
                now = by_day.loc[(indicator_id, newest)]
                before = by_day.loc[(indicator_id, previous)]
                assert cell["suppressed"] == bool(now["suppressed"])
                if now["status"] != "ok":
                    assert cell["text"] == "ikke tilgængelig"
                    continue
                if now["suppressed"]:
                    continue
                if pd.isna(now["value"]):
                    assert cell["text"] == "-"
                    continue
                assert float(cell["value"]) == pytest.approx(now["value"])
                if before["suppressed"] or pd.isna(before["value"]):
                    assert cell["real"] is None and "ingen sammenligning" in cell["text"]
                    continue
                # Real when the two 95 % intervals do not overlap.
                apart = now["ci_low"] > before["ci_high"] or now["ci_high"] < before["ci_low"]
                assert cell["real"] == str(bool(apart)).lower()
                verdicts.append(cell["real"])
        assert len(verdicts) >= 7  # at least the large municipality's key figures compared

        for code in ("101", "147"):
            browser, page = _open_offline(
                playwright, published.serving / "report" / f"noegletal_{code}.html",
                errors, requests,
            )  # fmt: skip
            page.wait_for_function(
                "document.querySelectorAll('.plotly-graph-div').length > 0 && "
                "[...document.querySelectorAll('.plotly-graph-div')]"
                ".every(d => d.querySelector('svg.main-svg'))",
                timeout=30_000,
            )
            state = page.evaluate(
                """() => {
                    const charts = [...document.querySelectorAll('.plotly-graph-div')];
                    return {
                        charts: charts.length,
                        first: charts[0].id,
                        drawn: charts.filter(d => d._fullData && d._fullData.length > 0
                            && d.querySelector('.trace')).length,
                        points: document.querySelectorAll('.trace .points path').length,
                        ladder: document.querySelectorAll('#chart-indsatstrappe .bars path').length,
                        // No value label drawn on a bar, where it would cover the whisker.
                        barTexts: document.querySelectorAll('#chart-indsatstrappe .bartext')
                            .length,
                        bands: document.querySelectorAll('.scatterlayer .js-fill').length,
                        mostDateTicks: Math.max(...charts.slice(1).map(
                            d => d.querySelectorAll('.xtick').length)),
                        // Plotly's default look, from the page's one copy of the template.
                        styled: charts.filter(d => d._fullLayout.plot_bgcolor === '#E5ECF6')
                            .length,
                    };
                }"""
            )
            tables = page.evaluate(TABLES_IN_PAGE)
            page.screenshot(path=str(ARTIFACTS / f"report_{code}.png"), full_page=True)
            browser.close()
            assert state["charts"] >= 10
            assert state["first"] == "chart-indsatstrappe"  # the ladder is the first picture
            assert state["drawn"] == state["charts"]
            assert state["points"] >= state["charts"] - 1  # markers of the trend lines
            assert state["ladder"] >= 1 and state["barTexts"] == 0
            assert state["bands"] >= 1
            assert state["mostDateTicks"] <= 12
            assert state["styled"] == state["charts"]
            # A table under every chart (the ladder's and one per trend), each holding the
            # published rows: every cut-off date, newest first, the value or the "<5" mark.
            assert len(tables) == state["charts"]
            own = rows[rows["municipality_code"] == code]
            checked = 0
            for table in tables[1:]:
                expected = own[own["indicator_id"] == table["indicator"]].sort_values(
                    "cutoff_date", ascending=False
                )
                assert [r[0]["value"] for r in table["rows"]] == [
                    f"{d:%Y-%m-%d}" for d in expected["cutoff_date"]
                ]
                for cells, row in zip(table["rows"], expected.to_dict("records"), strict=True):
                    value = cells[1]
                    if row["suppressed"]:
                        assert value["suppressed"] and value["text"] == "<5"
                    elif pd.notna(row["value"]):
                        assert float(value["value"]) == pytest.approx(row["value"])
                        checked += 1
                    else:
                        assert value["value"] is None
            assert checked >= 20
    assert errors == []
    assert all(url.startswith("file://") for url in requests), requests


# --- runs that must leave the publication as it was ------------------------------------------


def test_a_run_over_broken_deliveries_leaves_the_publication_byte_for_byte(published):
    before = published_bytes(published.serving)
    broken = [
        published.harness.delivery(code, "2024-02-01", {"children": "cpr;unaccompanied_refugee\n"})
        for code in ("101", "147")
    ]  # no measures.csv: rejected whole
    try:
        summary = published.harness.run(cutoffs=CUTOFFS)
    finally:
        for folder in broken:
            for file in folder.iterdir():
                file.unlink()
            folder.rmdir()
    assert not summary.ok
    assert set(summary.rejected) == {"101", "147"}
    assert summary.published is None
    assert summary.kept is not None and summary.kept["run_id"] == published.run_id
    assert f"Publication untouched: BI still sees run {published.run_id}" in format_summary(summary)
    assert published_bytes(published.serving) == before


def test_a_failing_build_publishes_nothing(published, monkeypatch):
    before = published_bytes(published.serving)
    # A broken snapshot no longer fails the build (SPEC §6: degrade, never halt); a defect in
    # the code that loads it still does.
    statbank = published.harness.landing / "statbank"
    header_only = "OMRÅDE;KØN;ALDER;CIVILSTAND;TID;INDHOLD\n".encode()  # new: parsed again
    write_synthetic_snapshot("FOLK1A", statbank, header_only)

    def defect(table: str, text: str) -> None:
        raise RuntimeError(f"a defect in the {table} parser")

    monkeypatch.setattr(statbank_assets_module, "parse_table", defect)
    try:
        summary = published.harness.run(cutoffs=CUTOFFS)
    finally:
        published.harness.population(POPULATION)
    assert summary.failures
    assert summary.published is None
    assert summary.kept is not None and summary.kept["run_id"] == published.run_id
    assert published_bytes(published.serving) == before


def test_a_publication_that_fails_its_audit_changes_nothing(published, monkeypatch):
    before = published_bytes(published.serving)
    monkeypatch.setattr(release, "audit_release", lambda *_args, **_kwargs: ["planted problem"])
    settings = Settings.from_env()

    def connect():
        return duckdb.connect(str(settings.warehouse_path))

    with pytest.raises(PublicationError, match="planted problem"):
        release.publish(settings, "audit-fails", connect, lambda _message: None)
    assert published_bytes(published.serving) == before
    assert not list(releases_folder(published.serving).glob(".incoming-*"))


def _noegletal_until(marker: str) -> list[str]:
    """Start `noegletal run` as its own process group and kill it (SIGKILL, with its dbt
    child) when it prints `marker`."""
    command = [str(Path(sys.executable).parent / "noegletal"), "run", "--cutoff", *CUTOFFS]
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    seen: list[str] = []
    assert process.stderr is not None
    for line in process.stderr:
        seen.append(line)
        if marker in line:
            os.killpg(process.pid, signal.SIGKILL)
            break
    process.wait()
    assert any(marker in line for line in seen), "".join(seen[-20:])
    return seen


@pytest.mark.parametrize(
    "marker",
    [
        "deliveries: started",  # ingestion
        "dbt_models: started",  # the dbt build (the publication step: the test below)
    ],
)
def test_a_run_killed_at_each_stage_leaves_the_publication_byte_for_byte(published, marker):
    before = published_bytes(published.serving)
    _noegletal_until(marker)
    assert published_bytes(published.serving) == before


KILLED_PUBLISH = textwrap.dedent(
    """
    import duckdb, sys
    from pipeline.publish.release import publish
    from pipeline.settings import Settings
    settings = Settings.from_env()
    publish(settings, "killed", lambda: duckdb.connect(str(settings.warehouse_path)), print)
    """
)


def _publish_until(prefix: str) -> None:
    """Run the publication step in a process of its own and kill it (SIGKILL) when it logs a
    line starting with `prefix`."""
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_PUBLISH],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    seen = False
    for line in process.stdout:
        if line.startswith(prefix):
            seen = True
            os.killpg(process.pid, signal.SIGKILL)
            break
    process.wait()
    assert seen, f"the publication never logged {prefix!r}"


def test_a_publication_killed_while_writing_its_files_changes_nothing(published):
    """The publication step run on its own (what the Dagster asset calls) and killed once the
    serving file, Parquet and docs are staged and the workbooks are being written: cheaper
    than a whole run killed at that point, and the same code."""
    before = published_bytes(published.serving)
    _publish_until("staging: workbooks")
    assert (releases_folder(published.serving) / ".incoming-killed" / "noegletal.duckdb").exists()
    assert published_bytes(published.serving) == before


def _runs_bi_sees(serving: Path) -> set[str]:
    """The run of the serving file and of every Parquet file: one run in a whole publication."""
    with duckdb.connect(str(serving / "noegletal.duckdb"), read_only=True) as conn:
        runs = {conn.execute("select run_id from publication").fetchall()[0][0]}
    with duckdb.connect() as conn:
        for path in (serving / "parquet").glob("*.parquet"):
            runs |= {
                row[0]
                for row in conn.execute(
                    "select value::varchar from parquet_kv_metadata(?) "
                    "where key::varchar = 'noegletal_run_id'",
                    [str(path)],
                ).fetchall()
            }
    return runs


def test_a_publication_killed_while_switching_leaves_one_whole_publication(published):
    """Killed as it logs the switch: BI sees either the old publication, byte for byte, or the
    new one whole, never a mix (the reader test below sees the next publication clear what
    the killed one left)."""
    before = published_bytes(published.serving)
    _publish_until("publish: switching")
    runs = _runs_bi_sees(published.serving)
    assert runs in ({published.run_id}, {"killed"})
    if runs == {published.run_id}:
        assert published_bytes(published.serving) == before


def test_an_audit_copy_without_suppression_never_reaches_serving(published, monkeypatch):
    from pipeline.assets.dbt import dbt_models
    from pipeline.definitions import defs, publication

    before = published_bytes(published.serving)
    monkeypatch.setenv("NOEGLETAL_SUPPRESSION_THRESHOLD", "0")
    with dg.DagsterInstance.get() as instance:
        # The runs killed above still hold the warehouse pool slot; `noegletal run` frees it
        # itself, a bare materialize does not.
        release_abandoned_runs(instance, lambda _message: None)
        result = dg.materialize(
            [dbt_models, publication],
            selection=dg.AssetSelection.groups("publication"),
            instance=instance,
            resources={k: defs.resources[k] for k in ("settings", "warehouse", "dbt")},
            tags={"noegletal/publish": "true"},
        )
    assert result.success
    [materialization] = [
        event.step_materialization_data.materialization
        for event in result.get_asset_materialization_events()
        if event.asset_key == PUBLICATION_KEY
    ]
    assert materialization.metadata["audit_copy"].value is True
    assert published_bytes(published.serving) == before
    copy = published.harness.data_dir / "internal" / "audit-copy"
    with duckdb.connect(str(copy / "noegletal.duckdb"), read_only=True) as conn:
        assert conn.execute(
            "select count(*) from indicator_values where suppressed"
        ).fetchall() == [(0,)]
        assert conn.execute("select is_audit_copy from publication").fetchall() == [(True,)]
    sheet = openpyxl.load_workbook(copy / "excel" / "noegletal_147_2023-08-31.xlsx").active
    assert sheet["A4"].value.startswith("INTERN REVISIONSKOPI")


READER = textwrap.dedent(
    """
    import sys, duckdb
    path = sys.argv[1]
    conn = duckdb.connect(path, read_only=True)
    print(conn.execute("select run_id from publication").fetchall()[0][0], flush=True)
    sys.stdin.readline()
    print(conn.execute("select run_id from publication").fetchall()[0][0], flush=True)
    conn.close()
    conn = duckdb.connect(path, read_only=True)
    print(conn.execute("select run_id from publication").fetchall()[0][0], flush=True)
    """
)


def test_a_reader_holding_the_serving_file_neither_blocks_nor_sees_a_half_finished_run(
    published,
):
    published.harness.delivery("101", "2024-03-01", NEWER.files)
    # The good run's publication, or the killed one's if the test above killed it just after
    # its switch: whole either way.
    [current] = _runs_bi_sees(published.serving)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(published.serving / "noegletal.duckdb")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdin is not None and reader.stdout is not None
        assert reader.stdout.readline().strip() == current
        summary = published.harness.run(cutoffs=CUTOFFS)
        assert summary.ok, format_summary(summary)
        assert summary.published is not None
        reader.stdin.write("again\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == current  # its snapshot is intact
        assert reader.stdout.readline().strip() == summary.published["run_id"]  # reconnected
    finally:
        reader.kill()
        reader.wait()
    # The killed publication's staging folder is gone, BI reads the new release through the
    # one link, and the release before it is kept for readers still holding its files.
    assert not list(releases_folder(published.serving).glob(".*"))
    assert published.serving.is_symlink()
    assert len(list(releases_folder(published.serving).iterdir())) == 2
    with duckdb.connect(str(published.serving / "noegletal.duckdb"), read_only=True) as conn:
        deliveries = conn.execute("select deliveries from publication").fetchall()[0][0]
        threshold = conn.execute("select suppression_threshold from publication").fetchall()
    optional = sorted(spec.name for spec in FILES if not spec.core)
    assert {
        "municipality_code": "101",
        "delivery_date": "2024-03-01",
        "files_not_available": optional,
    } in json.loads(deliveries)
    assert threshold == [(5,)]
