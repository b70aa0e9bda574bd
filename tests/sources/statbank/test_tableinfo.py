"""Parsing DST's tableinfo JSON: the fields kept, and clear errors when the shape changes."""

from __future__ import annotations

import pytest

from pipeline.sources.statbank.errors import StatBankResponseError
from pipeline.sources.statbank.tableinfo import parse_table_info
from tests.sources.statbank.standin import tableinfo


def test_recorded_answer_parses_with_dst_case_and_flags():
    info = parse_table_info(tableinfo("FOLK1A"))
    assert info.id == "FOLK1A"
    assert info.unit == "Antal"
    assert info.active is True
    age = info.variable("ALDER")
    assert age is not None
    assert age.value_ids[0] == "IALT" and age.value_ids[-1] == "125"
    assert age.values[1].text == "0 år"
    assert info.variable("alder") is None  # ids are case-sensitive, as DST writes them


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], "is not a JSON object"),
        ({"id": "X"}, "no 'variables' list"),
        ({"id": "X", "variables": []}, "no 'variables' list"),
        ({"id": "X", "variables": [{"id": "A"}]}, "has no 'values' list"),
        ({"id": "X", "variables": [{"id": "A", "values": [{"text": "a"}]}]}, "no text field 'id'"),
        ({"variables": [{"id": "A", "values": []}]}, "no text field 'id'"),
    ],
)
def test_shape_changes_are_named(payload: object, message: str):
    with pytest.raises(StatBankResponseError, match=message):
        parse_table_info(payload)
