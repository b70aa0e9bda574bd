"""SPEC §6, degrade, never halt: a run whose StatBank inputs are missing or hand-placed still
computes and publishes everything that does not need them, and says what was missing."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd
import pytest

from pipeline.summary import format_summary
from tests.delivery_builder import DeliveryBuilder


def _delivery() -> dict[str, str]:
    b = DeliveryBuilder()
    for n in range(6):
        child = b.person(f"2015-0{n + 1}-01")
        placement = b.placement(child, "2023-01-01")
        b.follow_up(placement, "2023-06-01")
        b.investigation(child, "2023-03-01", "2023-05-01")
    return b.files()


@pytest.mark.slow
def test_only_a_hand_placed_folk1a_is_enough_for_the_key_indicators(harness):
    """The landing area of a municipality that downloaded FOLK1A from statbank.dk by hand and
    has no ANBAAR12, ANBAAR9 or BU43: the run succeeds and names what it went without."""
    harness.delivery("101", "2024-01-15", _delivery())
    # A newer folder that is not named as a date: refused by name, never skipped silently.
    harness.delivery("101", "08-01-2026", _delivery())
    statbank = harness.landing / "statbank"
    statbank.mkdir()
    rows = [f"101;TOT;{age};TOT;2024K1;100" for age in range(18)]
    (statbank / "FOLK1A.csv").write_text(
        "OMRÅDE;KØN;ALDER;CIVILSTAND;TID;INDHOLD\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )

    summary = harness.run(cutoffs=["2023-12-31"])

    text = format_summary(summary)
    assert summary.ok, text
    assert summary.published is not None, text
    assert sorted(summary.unavailable) == ["ANBAAR12", "ANBAAR9", "BU43"]
    assert "WITHOUT ANBAAR9: No StatBank snapshot for ANBAAR9" in text
    assert "; not available: the reconciliation" in text
    assert "WARNING: folder 101/08-01-2026 is not read: its name is not a date" in text
    values = harness.query(
        "select indicator_id, status, value from marts.indicator_values where indicator_id = '1'"
    )
    assert values.status.tolist() == ["ok"]  # 6 placed of 1800 residents aged 0-17
    assert values.value.tolist() == [pytest.approx(6 / 1800 * 1000)]
    serving = harness.data_dir / "serving" / "noegletal.duckdb"
    with duckdb.connect(str(serving), read_only=True) as conn:
        (snapshots,) = conn.execute("select statbank_snapshots from publication").fetchone()
        (deliveries,) = conn.execute("select deliveries from publication").fetchone()
    # The provenance names the delivery whose rows were read.
    [delivery] = json.loads(deliveries)
    assert (delivery["municipality_code"], delivery["delivery_date"]) == ("101", "2024-01-15")
    assert "expenses" in delivery["files_not_available"]  # not delivered: 11 not available
    by_table = {entry["table"]: entry for entry in json.loads(snapshots)}
    assert by_table["FOLK1A"]["status"] == "loaded"
    assert by_table["FOLK1A"]["provenance"] == "placed by hand"
    assert len(by_table["FOLK1A"]["sha256"]) == 64
    assert by_table["ANBAAR9"]["status"] == "unavailable"
    assert "No StatBank snapshot for ANBAAR9" in by_table["ANBAAR9"]["reason"]
    for table in ("ANBAAR12", "BU43"):
        assert by_table[table]["status"] == "unavailable"
        assert f"No StatBank snapshot for {table}" in by_table[table]["reason"]

    # Exactly the figures that need the missing tables are not_available, with the reason, and
    # their rows are there (SPEC §6); never "Danmarks Statistik has not published the year".
    # Reconciliation, 101 on 2023-12-31: the six children (born 2015, placed since
    # 2023-01-01) -> own 6; ANBAAR9 missing -> not_available, no DST count, no difference.
    [reconciliation] = harness.query(
        "select own_placed_0_17, dst_placed_0_17, difference, status, note "
        "from marts.reconciliation where municipality_code = '101'"
    ).to_dict("records")
    assert reconciliation["own_placed_0_17"] == 6
    assert pd.isna(reconciliation["dst_placed_0_17"]) and pd.isna(reconciliation["difference"])
    assert reconciliation["status"] == "not_available"
    assert reconciliation["note"] == (
        "ANBAAR9 (Danmarks Statistik) could not be used in this run: there is no snapshot of it"
    )
    # Benchmark: neither BU43 nor ANBAAR12, so no year is known from them; every year of a
    # 31 December cut-off date of the calendar up to today gets a row for each of the 98
    # municipalities, both tables not_available with the reason.
    calendar = harness.query("select cutoff_date from reference.cutoff_calendar")
    years = sorted(
        d.year
        for d in pd.to_datetime(calendar.cutoff_date).dt.date
        if (d.month, d.day) == (12, 31) and d <= dt.date.today()
    )
    assert 2023 in years
    benchmark = harness.query(
        "select year, bu43_status, anbaar12_status, bu43_note, anbaar12_note_da, "
        "placed_0_17_per_1000, placed_all_ages from marts.benchmark_placements"
    )
    assert len(benchmark) == 98 * len(years)
    assert sorted(benchmark.year.unique()) == years
    assert set(benchmark.bu43_status) == set(benchmark.anbaar12_status) == {"not_available"}
    assert set(benchmark.bu43_note) == {
        "BU43 (Danmarks Statistik) could not be used in this run: there is no snapshot of it"
    }
    assert set(benchmark.anbaar12_note_da) == {
        "Tabellen ANBAAR12 fra Danmarks Statistik kunne ikke bruges i denne kørsel: "
        "der er ingen fil med tabellen."
    }
    assert benchmark.placed_0_17_per_1000.isna().all() and benchmark.placed_all_ages.isna().all()
    # The published estimate "Hele landet" of indicator 1: one row per year, no value, the
    # reasons of both tables.
    with duckdb.connect(str(serving), read_only=True) as conn:
        national = conn.execute(
            "select year(cutoff_date) as year, value, status, note from indicator_benchmarks "
            "where municipality_code is null order by cutoff_date"
        ).df()
        published = conn.execute(
            "select status, note_da from reconciliation where municipality_code = '101'"
        ).fetchall()
    assert national.year.tolist() == years
    assert national.value.isna().all()
    assert set(national.status) == {"not_available"}
    assert set(national.note) == {
        "BU43 (Danmarks Statistik) could not be used in this run: there is no snapshot of it; "
        "ANBAAR12 (Danmarks Statistik) could not be used in this run: there is no snapshot of it"
    }
    # The published reconciliation words the note in Danish beside it.
    assert published == [
        (
            "not_available",
            "Tabellen ANBAAR9 fra Danmarks Statistik kunne ikke bruges i denne kørsel: "
            "der er ingen fil med tabellen.",
        )
    ]


@pytest.mark.slow
def test_without_folk1a_the_per_1000_indicators_are_not_available_and_the_rest_publish(harness):
    """Also: a follow_ups.csv with only its header makes indicator 12 not_available, not 0."""
    files = _delivery()
    files["follow_ups"] = files["follow_ups"].split("\n", 1)[0] + "\n"
    harness.delivery("101", "2024-01-15", files)

    summary = harness.run(cutoffs=["2023-12-31"])

    text = format_summary(summary)
    assert summary.ok, text
    assert summary.published is not None, text
    assert "FOLK1A" in summary.unavailable
    values = harness.query(
        "select indicator_id, status, note from marts.indicator_values "
        "where cutoff_date = date '2023-12-31'"
    )
    per_1000 = values[values.indicator_id == "1"]
    assert per_1000.status.tolist() == ["not_available"]
    assert "FOLK1A" in per_1000.note.iloc[0]
    follow_ups = values[values.indicator_id.isin(["12", "12.1", "12.2", "12.3"])]
    assert follow_ups.status.tolist() == ["not_available"] * 4
    assert set(follow_ups.note) == {
        "follow_ups.csv of the delivery of 2024-01-15 has no accepted rows"
    }
    ok = values[values.status == "ok"].indicator_id.tolist()
    assert "1.1" in ok and "10" in ok  # the shares need no population; 10 has investigations
