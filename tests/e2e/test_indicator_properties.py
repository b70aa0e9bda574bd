"""Properties of marts.indicator_values that hold for any delivery, checked on generated data.

A seeded generator writes two deliveries (municipality 101 with expenses.csv and a full FOLK1A
series; 330 without expenses.csv and with one FOLK1A quarter missing). The pipeline runs twice:
once over several cut-off dates, and once, in a fresh warehouse, over one date alone. The
properties follow from SPEC §5 and §11, whatever the data:

- 7 = 7.1 + 7.2 (a child no longer institution-placed is either placed otherwise or not placed);
- 1.1 + 1.2 + 1.3 = 100 % of 1, and 2.1-2.3 split 2's persons and days (every person in 1 has
  exactly one current placement type);
- shares lie in [0, 100], sub-bases lie inside their bases (8's inside 9's, 12.x's inside 12's);
- a zero denominator gives a NULL value, and a missing input (expenses.csv, a FOLK1A quarter)
  gives not_available with a note, never a missing row or a 0;
- a backfill of one date gives exactly the rows of the multi-date run (SPEC §11).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

import pandas as pd
import pytest

from tests.harness import PipelineHarness

DELIVERY_DATE = dt.date(2025, 1, 15)
CUTOFFS = ["2023-08-31", "2023-12-31", "2024-04-30", "2024-08-31", "2024-12-31"]
BACKFILL = "2024-04-30"  # its previous cut-off (2023-12-31) is not computed by the backfill run
CHILDREN_PER_MUNICIPALITY = {"101": 120, "330": 60}
SEED = 20240430

LAW_CHANGE = dt.date(2024, 1, 1)
# (Serviceloven, Barnets Lov) references per category; the law follows the start date.
REFERENCES = {
    "PLACEMENT": [("SEL § 52, stk. 3, nr. 7", "BL § 46"), ("SEL § 58", "BL § 47")],
    "HOME_BASED": [
        (f"SEL § 52, stk. 3, nr. {a}", f"BL § 32, stk. 1, nr. {b}")
        for a, b in [(1, 1), (2, 2), (3, 5), (6, 3), (8, 4), (9, 8)]
    ],
    "FAMILY_RESIDENTIAL": [("SEL § 52, stk. 3, nr. 4", "BL § 32, stk. 1, nr. 6")],
    "RESPITE": [("SEL § 52, stk. 3, nr. 5", "BL § 32, stk. 1, nr. 7")],
    "PREVENTIVE_OFFER": [
        (f"SEL § 11, stk. 3, nr. {n}", f"BL § 30, stk. 1, nr. {n}") for n in range(1, 5)
    ],
    "PARENT_DIRECTED": [("SEL § 54", "BL § 75"), ("SEL § 54", "BL § 76")],
    "ORDER": [("SEL § 57 a", "BL § 38"), ("SEL § 57 b", "BL § 39")],
}
CATEGORY_WEIGHTS = {
    "PLACEMENT": 5,
    "HOME_BASED": 5,
    "FAMILY_RESIDENTIAL": 1,
    "RESPITE": 1,
    "PREVENTIVE_OFFER": 3,
    "PARENT_DIRECTED": 1,
    "ORDER": 1,
}
PLACEMENT_LABELS = [
    "døgninstitution",
    "delvis lukket døgninstitution",
    "sikret døgninstitution",
    "socialpædagogisk opholdssted",
    "plejefamilie",
    "kommunal plejefamilie",
    "netværksplejefamilie",
    "eget værelse",
    "efterskole",
    "andet",
]
MEASURES_HEADER = (
    "measure_id;cpr;legal_reference;placement_type;start_date;end_date;end_reason;"
    "disability;authority_granted;provider"
)
UNITS_PER_1000 = ["1", "3", "4", "5", "5.1", "5.2", "5.3", "6"]
INDICATORS = [
    "1", "1.1", "1.2", "1.3", "2", "2.1", "2.2", "2.3", "3", "4", "5", "5.1", "5.2", "5.3",
    "5.4", "6", "7", "7.1", "7.2", "8", "9", "10", "11", "12", "12.1", "12.2", "12.3",
]  # fmt: skip
# 330 has no FOLK1A figure for 2024K3, so its per-1000 indicators on 2024-08-31 are not available.
QUARTERS = [f"{y}K{q}" for y in (2023, 2024, 2025) for q in (1, 2, 3, 4)]
POPULATION = {
    **{("101", q): 9000 + 10 * i for i, q in enumerate(QUARTERS)},
    **{("330", q): 4000 + 10 * i for i, q in enumerate(QUARTERS) if q != "2024K3"},
}
COLUMNS = (
    "municipality_code, cast(cutoff_date as varchar) as cutoff_date, indicator_id, numerator, "
    "denominator, value, unit, status, note, cast(delivery_date as varchar) as delivery_date"
)


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _cpr(birth: dt.date, serial: int) -> str:
    # Century digit 4 with YY <= 36 is born 2000-2036; the serial counts up from 4001.
    return f"{birth:%d%m%y}-{serial}"


class _Generator:
    """Deterministic synthetic deliveries: same seed, same files."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.serial = 4000
        self.measure_id = 0
        self.investigation_id = 0
        self.follow_up_id = 0

    def delivery(self, children: int, with_expenses: bool) -> dict[str, str]:
        rows = {"children": [], "measures": [], "investigations": [], "follow_ups": []}
        for _ in range(children):
            self._child(rows)
        files = {
            "children": "cpr;unaccompanied_refugee\n" + "".join(rows["children"]),
            "measures": MEASURES_HEADER + "\n" + "".join(rows["measures"]),
            "investigations": "investigation_id;cpr;legal_reference;decision_date;"
            "completed_date\n" + "".join(rows["investigations"]),
            "follow_ups": "follow_up_id;measure_id;completed_date\n" + "".join(rows["follow_ups"]),
        }
        if with_expenses:
            files["expenses"] = self._expenses()
        return files

    def _child(self, rows: dict[str, list[str]]) -> None:
        rng = self.rng
        self.serial += 1
        birth = _day(rng, dt.date(2005, 1, 1), dt.date(2020, 12, 31))
        cpr = _cpr(birth, self.serial)
        if rng.random() > 0.03:  # a few persons have measures but no children.csv row
            refugee = "1" if rng.random() < 0.04 else rng.choice(["0", "nej", ""])
            rows["children"].append(f"{cpr};{refugee}\n")
        start = _day(rng, max(birth, dt.date(2021, 1, 1)), dt.date(2024, 12, 1))
        # A chain of placements (moves, 0/1/2-day gaps, overlaps) for about half the children.
        if rng.random() < 0.5:
            for _ in range(rng.randint(1, 3)):
                end = start + dt.timedelta(days=rng.randint(0, 500))
                self._measure(rows, cpr, "PLACEMENT", start, end)
                start = end + dt.timedelta(days=rng.choice([-20, 0, 0, 1, 1, 2, 40]))
                if start > dt.date(2024, 12, 31):
                    break
        for _ in range(rng.randint(0, 4)):
            category = rng.choices(list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values()))[0]
            begin = _day(rng, max(birth, dt.date(2021, 1, 1)), dt.date(2024, 12, 31))
            end = begin + dt.timedelta(days=rng.randint(0, 700))
            self._measure(rows, cpr, category, begin, end)
        if rng.random() < 0.35:
            self.investigation_id += 1
            decided = _day(rng, dt.date(2022, 6, 1), dt.date(2025, 1, 10))
            completed = decided + dt.timedelta(days=rng.randint(0, 150))
            done = completed.isoformat() if completed <= DELIVERY_DATE else ""
            law = "SEL § 50" if decided < LAW_CHANGE else "BL § 20"
            rows["investigations"].append(
                f"{self.investigation_id};{cpr};{law};{decided.isoformat()};{done}\n"
            )

    def _measure(
        self, rows: dict[str, list[str]], cpr: str, category: str, start: dt.date, end: dt.date
    ) -> None:
        rng = self.rng
        self.measure_id += 1
        sel, bl = rng.choice(REFERENCES[category])
        reference = sel if start < LAW_CHANGE else bl
        label = rng.choice(PLACEMENT_LABELS) if category == "PLACEMENT" else ""
        ongoing = rng.random() < 0.3 or end > dt.date(2025, 12, 31)
        end_text = "" if ongoing else end.isoformat()  # an end after delivery is a planned end
        reason = "" if ongoing or end > DELIVERY_DATE else rng.choice(["PLANNED", "UNPLANNED"])
        disability = "1" if rng.random() < 0.04 else "0"
        granted = rng.choice(["1", "1", "0", ""]) if category == "PREVENTIVE_OFFER" else "1"
        rows["measures"].append(
            f"{self.measure_id};{cpr};{reference};{label};{start.isoformat()};{end_text};"
            f"{reason};{disability};{granted};{rng.choice(['INTERNAL', 'EXTERNAL', 'GENERAL'])}\n"
        )
        if category in {"PLACEMENT", "HOME_BASED", "FAMILY_RESIDENTIAL", "RESPITE"}:
            last = min(DELIVERY_DATE, end if not ongoing else DELIVERY_DATE)
            for _ in range(rng.randint(0, 3)):
                self.follow_up_id += 1
                rows["follow_ups"].append(
                    f"{self.follow_up_id};{self.measure_id};{_day(rng, start, last).isoformat()}\n"
                )

    def _expenses(self) -> str:
        lines = ["month;account;amount_dkk"]
        for year in (2023, 2024):
            for month in range(1, 13):
                for account in ("5.28.20", "5.28.21", "5.28.21.01", "5.28.22", "5.28.23"):
                    lines.append(f"{year}-{month:02d};{account};{self.rng.randint(-5, 60) * 1000}")
        return "\n".join(lines) + "\n"


def _deliver(harness: PipelineHarness) -> None:
    generator = _Generator(SEED)
    for municipality, children in CHILDREN_PER_MUNICIPALITY.items():
        files = generator.delivery(children, with_expenses=municipality == "101")
        harness.delivery(municipality, DELIVERY_DATE.isoformat(), files)
    harness.population(POPULATION)


NATIONAL = (
    "indicator_id in (select indicator_id from reference.indicators where family = 'national')"
)


def _rows(harness: PipelineHarness, cutoffs: list[str]) -> pd.DataFrame:
    return harness.query(
        f"select {COLUMNS} from marts.indicator_values "
        "where cast(cutoff_date as varchar) in (select unnest(?)) "
        # The national key indicators; the goal indicators have tests of their own.
        f"and {NATIONAL} "
        "order by municipality_code, cutoff_date, indicator_id",
        [cutoffs],
    ).reset_index(drop=True)


@pytest.fixture(scope="module")
def full(module_harness) -> pd.DataFrame:
    _deliver(module_harness)
    summary = module_harness.run(cutoffs=CUTOFFS)
    assert summary.ok, summary
    # The generator writes valid rows only; a quarantined one would mean it drifted.
    quarantined = module_harness.query(
        "select file, rule, count(*) from landing.quarantine group by all"
    )
    assert quarantined.empty, quarantined.to_string()
    return _rows(module_harness, CUTOFFS)


@pytest.fixture(scope="module")
def backfill(full, tmp_path_factory) -> Iterator[pd.DataFrame]:
    """The same deliveries in a fresh warehouse, computing BACKFILL alone. Depends on `full` so
    that the multi-date run is read before this harness points the environment elsewhere."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        harness = PipelineHarness.create(tmp_path_factory.mktemp("backfill"), monkeypatch)
        _deliver(harness)
        summary = harness.run(cutoffs=[BACKFILL])
        assert summary.ok, summary
        yield _rows(harness, [BACKFILL])


def _pairs(full: pd.DataFrame) -> Iterator[tuple[str, str, dict[str, object]]]:
    for (municipality, cutoff), group in full.groupby(["municipality_code", "cutoff_date"]):
        yield municipality, cutoff, {r.indicator_id: r for r in group.itertuples()}


@pytest.mark.slow
def test_no_row_missing(full):
    got = sorted(zip(full.municipality_code, full.cutoff_date, full.indicator_id, strict=True))
    want = sorted((m, c, i) for m in CHILDREN_PER_MUNICIPALITY for c in CUTOFFS for i in INDICATORS)
    assert got == want


@pytest.mark.slow
def test_the_data_exercises_the_indicators(full):
    """Guards the generator: properties over empty indicators would prove nothing."""
    ok = full[(full.municipality_code == "101") & (full.status == "ok")]
    for indicator in ("1", "3", "4", "5", "6", "7", "8", "9", "10", "12"):
        assert ok[ok.indicator_id == indicator].numerator.max() > 0, indicator


@pytest.mark.slow
def test_7_is_7_1_plus_7_2(full):
    for municipality, cutoff, row in _pairs(full):
        where = f"{municipality} {cutoff}"
        assert row["7"].numerator == row["7.1"].numerator + row["7.2"].numerator, where
        assert row["7"].denominator == row["7.1"].denominator == row["7.2"].denominator, where


@pytest.mark.slow
def test_shares_lie_between_0_and_100(full):
    shares = full[full.unit == "percent"]
    assert not shares.empty
    valued = shares[shares.value.notna()]
    assert valued.value.between(0, 100).all(), valued[~valued.value.between(0, 100)]
    assert (shares.numerator <= shares.denominator).all()


@pytest.mark.slow
def test_institution_types_split_indicator_1_and_2(full):
    for municipality, cutoff, row in _pairs(full):
        where = f"{municipality} {cutoff}"
        # 1.1-1.3 do not need FOLK1A, so their base is there even where 1 is not available.
        persons = row["1.1"].denominator
        if row["1"].status == "ok":
            assert row["1"].numerator == persons, where
        parts = [row[i] for i in ("1.1", "1.2", "1.3")]
        assert sum(p.numerator for p in parts) == persons, where
        assert all(p.denominator == persons for p in parts), where
        if persons > 0:
            assert sum(p.value for p in parts) == pytest.approx(100), where
        days = [row[i] for i in ("2.1", "2.2", "2.3")]
        assert row["2"].denominator == persons, where
        assert sum(d.numerator for d in days) == row["2"].numerator, where
        assert [d.denominator for d in days] == [p.numerator for p in parts], where


@pytest.mark.slow
def test_sub_bases_lie_inside_their_bases(full):
    for municipality, cutoff, row in _pairs(full):
        where = f"{municipality} {cutoff}"
        assert row["8"].denominator <= row["9"].denominator, where
        for part in ("12.1", "12.2", "12.3"):
            assert row[part].denominator <= row["12"].denominator, where
            assert row[part].numerator <= row["12"].numerator, where
        if row["5"].status == "ok":
            for part in ("5.1", "5.2", "5.3"):
                assert row[part].numerator <= row["5"].numerator, where


@pytest.mark.slow
def test_zero_denominator_gives_null_value(full):
    zero = full[(full.denominator == 0)]
    assert not zero.empty, "the generated data should have some empty base"
    assert zero.value.isna().all(), zero
    assert (zero.numerator == 0).all(), zero
    assert (zero.status == "ok").all(), zero


@pytest.mark.slow
def test_missing_inputs_are_not_available_with_a_note(full):
    missing_expenses = full[(full.municipality_code == "330") & (full.indicator_id == "11")]
    missing_folk1a = full[
        (full.municipality_code == "330")
        & (full.cutoff_date == "2024-08-31")
        & full.indicator_id.isin(UNITS_PER_1000)
    ]
    for rows in (missing_expenses, missing_folk1a):
        assert len(rows) > 0
        assert (rows.status == "not_available").all(), rows
        assert rows.value.isna().all(), rows
        assert rows.note.fillna("").str.strip().ne("").all(), rows
    # Everything else of 330 on that date does not need FOLK1A or expenses.
    other = full[
        (full.municipality_code == "330")
        & (full.cutoff_date == "2024-08-31")
        & ~full.indicator_id.isin([*UNITS_PER_1000, "11"])
    ]
    assert (other.status == "ok").all(), other


@pytest.mark.slow
def test_backfill_of_one_date_gives_the_rows_of_the_full_run(full, backfill):
    expected = full[full.cutoff_date == BACKFILL].reset_index(drop=True)
    pd.testing.assert_frame_equal(backfill, expected)


@pytest.mark.slow
def test_values_follow_the_conventions(full):
    """per 1000 = n x 1000 / population; percent = 100 n / d; days, per person and ratio = n / d;
    5.4 is a count with no denominator (SPEC §5, §11)."""
    ok = full[full.status == "ok"]
    count = ok[ok.unit == "count"]
    assert (count.indicator_id == "5.4").all()
    assert count.denominator.isna().all() and (count.value == count.numerator).all()
    scale = {"per_1000": 1000, "percent": 100, "days": 1, "per_person": 1, "ratio": 1}
    rest = ok[(ok.unit != "count") & (ok.denominator != 0)]
    assert set(rest.unit) == set(scale)
    expected = rest.numerator * rest.unit.map(scale) / rest.denominator
    assert (rest.value - expected).abs().max() < 1e-9
