"""The report's movement page (SPEC §12): flows from the published transitions, survival curves
from the published cohorts, and nothing the suppression hid."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

import pandas as pd

from pipeline.publish.movements_page import (
    movement_page_codes,
    movement_page_name,
    write_movement_pages,
)
from pipeline.publish.record import PublicationRecord

STEPS = ["NONE", "PREVENTIVE_OFFER", "HOME_BASED", "NETWORK_FOSTER_CARE", "FOSTER_CARE",
         "OTHER_PLACEMENT", "INSTITUTION"]  # fmt: skip
RECORD = PublicationRecord(
    run_id="run-1",
    published_at=dt.datetime(2025, 1, 16, 3, 0, tzinfo=dt.UTC),
    pipeline_version="0.1.0",
    git_commit="abc",
    suppression_threshold=5,
)


def _transitions() -> pd.DataFrame:
    # 12m on 2024-12-31: 40 stay in institutions, 12 move to foster care, 3 (hidden) go home;
    # the hidden 3 forced a second cell hidden (the 12). Row total 55 shown.
    cells = {("INSTITUTION", "INSTITUTION"): 40, ("INSTITUTION", "FOSTER_CARE"): 12,
             ("INSTITUTION", "NONE"): 3}  # fmt: skip
    hidden = {("INSTITUTION", "NONE"), ("INSTITUTION", "FOSTER_CARE")}
    rows = []
    axis = [(i, s) for i, s in enumerate(STEPS)] + [(None, "ALL")]
    for fi, f in axis:
        for ti, t in axis:
            persons = sum(
                n for (a, b), n in cells.items() if (f in (a, "ALL")) and (t in (b, "ALL"))
            )
            small = (f, t) in hidden or 0 < persons < 5
            rows.append(
                {
                    "municipality_code": "330",
                    "municipality_name": "Slagelse",
                    "cutoff_date": dt.date(2024, 12, 31),
                    "transition_interval": "12m",
                    "comparison_date": dt.date(2023, 12, 31),
                    "from_step": f,
                    "from_step_number": fi,
                    "from_step_name_da": f"trin {f}",
                    "to_step": t,
                    "to_step_number": ti,
                    "to_step_name_da": f"trin {t}",
                    "persons": None if small else persons,
                    "suppressed": small,
                }
            )
    return pd.DataFrame(rows)


def _durations() -> pd.DataFrame:
    base = {"municipality_code": "330", "municipality_name": "Slagelse", "is_partial_year": False}
    shown = {**base, "entry_year": 2020, "suppressed": False, "still_in_care_182_pct": 85.7,
             "still_in_care_182_ci_low": 62.0, "still_in_care_182_ci_high": 95.2,
             "still_in_care_365_pct": 75.3, "still_in_care_365_ci_low": 50.3,
             "still_in_care_365_ci_high": 88.9, "still_in_care_730_pct": None,
             "still_in_care_730_ci_low": None, "still_in_care_730_ci_high": None}  # fmt: skip
    hidden = {**base, "entry_year": 2021, "suppressed": True}
    hidden.update({f"still_in_care_{t}_{s}": None for t in (182, 365, 730)
                   for s in ("pct", "ci_low", "ci_high")})  # fmt: skip
    return pd.DataFrame([shown, hidden])


def _plots(page: str) -> list[list[dict]]:
    return [json.loads(m) for m in re.findall(r'Plotly\.newPlot\("[^"]+", (\[.*?\]), ', page)]


def test_the_flow_shows_only_published_cells_and_says_how_many_are_hidden(tmp_path):
    [path] = write_movement_pages(_transitions(), _durations(), RECORD, tmp_path).paths
    assert path.name == movement_page_name("330")
    page = path.read_text(encoding="utf-8")
    [flow], [curves] = _plots(page)
    link = flow["link"]
    # Only the 40 who stayed: 6 -> 7 + 6 (the right-hand nodes follow the 7 left-hand ones).
    assert (link["source"], link["target"], link["value"]) == ([6], [13], [40])
    assert "trin INSTITUTION 31-12-2023: 55" in flow["node"]["label"]
    assert "2 felter er skjult" in page
    # The hidden 3 and 12 appear nowhere as a link.
    assert 3 not in link["value"] and 12 not in link["value"]
    # 2021 is suppressed: no curve. 2020 stops at 365 days (730 is NULL).
    assert curves["name"] == "2020"
    assert (curves["x"], curves["y"]) == ([0, 182, 365], [100.0, 85.7, 75.3])
    assert curves["error_y"]["arrayminus"] == [0.0, 85.7 - 62.0, 75.3 - 50.3]
    assert 'id="flow-4m"' not in page  # no 4m rows, no 4m section


def test_no_page_section_without_rows(tmp_path):
    empty = _transitions().iloc[:0]
    [path] = write_movement_pages(empty, _durations(), RECORD, tmp_path).paths
    page = path.read_text(encoding="utf-8")
    assert 'id="flow-12m"' not in page and 'id="durations"' in page


def test_the_index_links_each_movement_page_and_the_page_links_back(tmp_path):
    # 330 has transitions and cohorts, 147 neither: only 330's index row links a movement page.
    from pipeline.publish.report import write_report_frame
    from tests.publish.test_templates import INDICATORS, _values

    values = pd.concat([_values(["2023-12-31"]), _values(["2023-12-31"]).assign(
        municipality_code="147", municipality_name="Frederiksberg")])  # fmt: skip
    linked = movement_page_codes(_transitions(), _durations())
    assert linked == ["330"]
    write_report_frame(values, INDICATORS, RECORD, tmp_path, linked)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<tr data-municipality="(\d+)">.*?</tr>', index)
    assert links == ["147", "330"]
    assert re.findall(r'class="movements" href="([^"]+)"', index) == ["bevaegelser_330.html"]
    [page] = write_movement_pages(_transitions(), _durations(), RECORD, tmp_path).paths
    text = page.read_text(encoding="utf-8")
    assert '<a href="index.html">' in text and '<a href="noegletal_330.html">' in text


def test_an_unchanged_page_is_carried_over_and_a_changed_one_written_again(tmp_path):
    # Two municipalities: 330 as above, 147 the same rows under its own code. The second
    # publication changes one of 147's cohorts only, and in another row order (as DuckDB may
    # return them): 330's page is the first publication's file, naming the first run; 147's is
    # written again and names the second run.
    def both(frame: pd.DataFrame) -> pd.DataFrame:
        other = frame.assign(municipality_code="147", municipality_name="Frederiksberg")
        return pd.concat([frame, other], ignore_index=True)

    first, second = tmp_path / "one", tmp_path / "two"
    write_movement_pages(both(_transitions()), both(_durations()), RECORD, first)
    durations = both(_durations())
    durations.loc[durations["municipality_code"] == "147", "still_in_care_182_pct"] = 80.0
    later = dataclasses.replace(RECORD, run_id="run-2")
    shuffled = both(_transitions()).sample(frac=1, random_state=1)
    pages = write_movement_pages(shuffled, durations.iloc[::-1], later, second, first)

    assert pages.carried == 1
    assert (second / "bevaegelser_330.html").stat().st_ino == (
        first / "bevaegelser_330.html"
    ).stat().st_ino
    assert "(kørsel run-1)" in (second / "bevaegelser_330.html").read_text(encoding="utf-8")
    assert "(kørsel run-2)" in (second / "bevaegelser_147.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in pages.paths) == ["bevaegelser_147.html", "bevaegelser_330.html"]
