"""DataRequest bodies and their validation against tableinfo (no network)."""

from __future__ import annotations

import pytest

from pipeline.sources.statbank.errors import StatBankRequestError
from pipeline.sources.statbank.request import DataRequest, resolve_selector, validate_request
from pipeline.sources.statbank.tableinfo import TableInfo, parse_table_info
from pipeline.sources.statbank.tables import (
    FOLK1A_REQUEST,
    STATBANK_REQUESTS,
    folk1a_request,
    request_for,
)
from tests.sources.statbank.standin import tableinfo


def _variable(info: TableInfo, variable_id: str):
    variable = info.variable(variable_id)
    assert variable is not None
    return variable


@pytest.mark.parametrize("table", sorted(STATBANK_REQUESTS))
def test_each_pipeline_request_fits_its_table(table: str):
    validate_request(STATBANK_REQUESTS[table], parse_table_info(tableinfo(table)))


def test_the_four_requests_select_what_spec_section_6_needs():
    selections = {
        table: {selection.code: selection.values for selection in request.variables}
        for table, request in STATBANK_REQUESTS.items()
    }
    assert selections["FOLK1A"] == {
        "OMRÅDE": ("*",),
        "KØN": ("TOT",),
        "ALDER": tuple(str(age) for age in range(18)),
        "CIVILSTAND": ("TOT",),
        "Tid": ("*",),
    }
    assert selections["ANBAAR12"] == {"ADMKOM": ("*",), "ANBRINGELSE": ("*",), "Tid": ("*",)}
    assert selections["ANBAAR9"] == {"ADMKOM": ("*",), "ALERAMS": ("*",), "Tid": ("*",)}
    assert selections["BU43"] == {
        "OMRÅDE": ("*",),
        "FORANSTALT": ("*",),
        "ALDER": ("*",),
        "Tid": ("*",),
    }


def test_body_has_the_documented_fields():
    body = DataRequest.of("BU43", {"OMRÅDE": ["101"], "Tid": ["2023"]}).body()
    assert body == {
        "table": "BU43",
        "format": "BULK",
        "lang": "da",
        "valuePresentation": "Code",
        "variables": [
            {"code": "OMRÅDE", "values": ["101"]},
            {"code": "Tid", "values": ["2023"]},
        ],
    }


def test_folk1a_from_a_start_quarter_uses_the_api_range():
    request = folk1a_request("2024K1")
    assert dict((s.code, s.values) for s in request.variables)["Tid"] == (">=2024K1",)
    assert folk1a_request() is FOLK1A_REQUEST


def test_request_for_knows_the_four_tables_in_any_case():
    assert request_for("folk1a") is FOLK1A_REQUEST
    with pytest.raises(ValueError, match="FOLK1A, ANBAAR12, ANBAAR9, BU43"):
        request_for("FOLK1B")


@pytest.mark.parametrize(
    ("variable_id", "selector", "expected"),
    [
        ("KØN", "*", ("TOT", "1", "2")),
        ("Tid", "*K1", ("2024K1",)),
        ("Tid", "2023*", ("2023K3", "2023K4")),
        ("Tid", ">=2024K1", ("2024K1", "2024K2")),
        ("Tid", ">2024K1", ("2024K2",)),
        ("Tid", "<=2023K4", ("2023K3", "2023K4")),
        ("Tid", ">=2023K4<=2024K1", ("2023K4", "2024K1")),
        ("Tid", ">=2000K1", ("2023K3", "2023K4", "2024K1", "2024K2")),
        ("Tid", ">=2099K1", ()),
        ("CIVILSTAND", "U", ("U",)),
        ("CIVILSTAND", "u", ()),
    ],
)
def test_resolve_selector(folk1a_info: TableInfo, variable_id: str, selector: str, expected):
    assert resolve_selector(selector, _variable(folk1a_info, variable_id)) == expected


@pytest.mark.parametrize(
    ("variable_id", "selector", "message"),
    [
        ("ALDER", ">=10", "only supported on the time variable"),
        ("Tid", "(1)", "nth-rules and computed values"),
        ("ALDER", "sum(0-17=0;1;2)", "nth-rules and computed values"),
        ("Tid", ">=", "not a valid range"),
    ],
)
def test_unsupported_selectors_are_refused(
    folk1a_info: TableInfo, variable_id: str, selector: str, message: str
):
    with pytest.raises(StatBankRequestError, match=message):
        resolve_selector(selector, _variable(folk1a_info, variable_id))


def test_validation_lists_every_problem_at_once(folk1a_info: TableInfo):
    request = DataRequest.of(
        "FOLK1A",
        {"OMRÅDE": ["*"], "KØN": [], "ALDER": ["18", "200"], "Tid": [">=2099K1"], "FOO": ["1"]},
    )
    with pytest.raises(StatBankRequestError) as error:
        validate_request(request, folk1a_info)
    message = str(error.value)
    assert "KØN has an empty list of values" in message
    assert "ALDER has no value matching '200'" in message
    assert "Tid has no value matching '>=2099K1'" in message
    assert "unknown variable 'FOO'" in message
    assert "missing: CIVILSTAND" in message
    assert "'18'" not in message


def test_validation_refuses_a_duplicate_variable_and_another_table(folk1a_info: TableInfo):
    request = DataRequest(
        table="FOLK1B",
        variables=(*FOLK1A_REQUEST.variables, FOLK1A_REQUEST.variables[0]),
    )
    with pytest.raises(StatBankRequestError) as error:
        validate_request(request, folk1a_info)
    assert "given more than once: OMRÅDE" in str(error.value)
    assert "for table 'FOLK1B', the metadata for 'FOLK1A'" in str(error.value)


def test_with_values_refuses_an_unknown_variable():
    with pytest.raises(ValueError, match="no variable 'TID'"):
        FOLK1A_REQUEST.with_values("TID", ["*"])
