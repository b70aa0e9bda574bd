"""placement_site_id (SPEC §12) at the door: read, checked, and replaced by a keyed pseudonym."""

from __future__ import annotations

import pandas as pd

from pipeline.contracts.extracts import contract_for, violations
from pipeline.sources.extracts.normalise import normalise
from pipeline.sources.extracts.spec import FILES

MEASURES = next(spec for spec in FILES if spec.name == "measures")
KEY = b"k" * 32
CPR = "010115-4001"


def _normalised(sites: list[str]):
    n = len(sites)
    raw = pd.DataFrame(
        {
            "measure_id": [str(i + 1) for i in range(n)],
            "cpr": [CPR] * n,
            "legal_reference": ["SEL § 52, stk. 3, nr. 7"] * n,
            "placement_type": ["plejefamilie"] * n,
            "start_date": ["2020-02-01"] * n,
            "end_date": [""] * n,
            "end_reason": [""] * n,
            "disability": ["0"] * n,
            "authority_granted": ["0"] * n,
            "provider": [""] * n,
            "case_id": [""] * n,
            "placement_site_id": sites,
        }
    )
    lineage = pd.DataFrame(
        {
            "municipality_code": ["101"] * n,
            "delivery_date": pd.to_datetime(["2025-01-15"] * n).astype("datetime64[us]"),
            "line_number": pd.array(range(2, n + 2), dtype="Int64"),
        }
    )
    return normalise(MEASURES, raw, lineage, KEY)


def test_equal_ids_stay_equal_and_nothing_delivered_is_stored():
    out = _normalised(["123456", " 123456 ", "p-1001", "", "0101154001"])
    sites = out.frame["placement_site_id"]
    assert sites[0] == sites[1]  # spaces trimmed before the pseudonym
    assert sites[0] != sites[2]
    assert pd.isna(sites[3])  # empty: no site, the placement type stands in (SPEC §12)
    assert sites.dropna().str.fullmatch(r"[0-9a-f]{64}").all()
    text = out.frame.astype("string").to_csv()
    for delivered in ("123456", "p-1001", "0101154001"):
        assert delivered not in text
    assert out.failures.empty


def test_a_site_id_shaped_like_a_cpr_number_does_not_get_that_persons_pseudonym():
    out = _normalised(["0101154001"])
    assert out.frame.loc[0, "placement_site_id"] != out.frame.loc[0, "person_id"]


def test_an_overlong_id_quarantines_the_row_and_the_contract_holds():
    out = _normalised(["x" * 101, "y" * 100])
    assert out.failures[["row", "column", "rule"]].values.tolist() == [
        [0, "placement_site_id", "identifier_too_long"]
    ]
    assert violations(contract_for(MEASURES), out.frame).empty
