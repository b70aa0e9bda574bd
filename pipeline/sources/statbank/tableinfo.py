"""The `tableinfo` answer of the StatBank API, as typed, immutable metadata.

DST's answer (POST /v1/tableinfo, format JSON) looks like this, trimmed:

    {"id": "FOLK1A", "text": "Befolkningen den 1. i kvartalet", "unit": "Antal",
     "suppressedDataValue": "0", "updated": "2025-08-11T08:00:00", "active": true,
     "variables": [{"id": "OMRÅDE", "text": "område", "elimination": true, "time": false,
                    "map": "Denmark_municipality_07",
                    "values": [{"id": "000", "text": "Hele landet"}, ...]},
                   ...,
                   {"id": "Tid", "text": "tid", "elimination": false, "time": true,
                    "values": [{"id": "2008K1", "text": "2008K1"}, ...]}]}

Only the fields the pipeline uses are kept. Variable ids keep DST's own case (`OMRÅDE`, `Tid`):
they are what a data request must send.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pipeline.sources.statbank.errors import StatBankResponseError


@dataclass(frozen=True)
class Value:
    """One allowed value of a variable: the code to request and its Danish label."""

    id: str
    text: str


@dataclass(frozen=True)
class Variable:
    """One dimension of a table.

    `elimination` says whether non-streaming formats may leave the variable out (DST then sums
    over it); BULK is a streaming format and never allows that, so it is informative here.
    """

    id: str
    text: str
    elimination: bool
    time: bool
    values: tuple[Value, ...]

    @property
    def value_ids(self) -> tuple[str, ...]:
        return tuple(value.id for value in self.values)


@dataclass(frozen=True)
class TableInfo:
    """Metadata of one StatBank table.

    `suppressed_data_value` is what DST says a row that BULK leaves out stands for (usually
    "0"): streaming formats omit combinations whose value is that. The parser does not fill
    those rows in (SPEC §6: no filling); the value is kept so a reader of the snapshot can tell.
    """

    id: str
    text: str
    unit: str | None
    updated: str | None
    active: bool | None
    suppressed_data_value: str | None
    variables: tuple[Variable, ...]

    def variable(self, variable_id: str) -> Variable | None:
        """The variable with exactly this id (case-sensitive, as DST writes it), if any."""
        for variable in self.variables:
            if variable.id == variable_id:
                return variable
        return None

    @property
    def variable_ids(self) -> tuple[str, ...]:
        return tuple(variable.id for variable in self.variables)

    @property
    def time_variable(self) -> Variable | None:
        return next((variable for variable in self.variables if variable.time), None)

    @property
    def time_values(self) -> tuple[str, ...]:
        time_variable = self.time_variable
        return time_variable.value_ids if time_variable is not None else ()


def parse_table_info(payload: object) -> TableInfo:
    """Turn the decoded JSON of a `tableinfo` answer into a `TableInfo`.

    Raises `StatBankResponseError` naming the first field that is missing or of the wrong type,
    so an API change shows up as one clear message rather than a KeyError deep in the pipeline.
    """
    root = _mapping(payload, "the tableinfo answer")
    variables_raw = root.get("variables")
    if not isinstance(variables_raw, list) or not variables_raw:
        raise StatBankResponseError("tableinfo answer has no 'variables' list")
    variables = tuple(
        _parse_variable(raw, index) for index, raw in enumerate(variables_raw, start=1)
    )
    return TableInfo(
        id=_text(root, "id", "the tableinfo answer"),
        text=_optional_text(root, "text") or "",
        unit=_optional_text(root, "unit"),
        updated=_optional_text(root, "updated"),
        active=root.get("active") if isinstance(root.get("active"), bool) else None,
        suppressed_data_value=_optional_text(root, "suppressedDataValue"),
        variables=variables,
    )


def _parse_variable(raw: object, index: int) -> Variable:
    where = f"variable {index} of the tableinfo answer"
    variable = _mapping(raw, where)
    values_raw = variable.get("values")
    if not isinstance(values_raw, list):
        raise StatBankResponseError(f"{where} has no 'values' list")
    values = tuple(
        Value(
            id=_text(_mapping(value, f"a value of {where}"), "id", where),
            text=_optional_text(_mapping(value, where), "text") or "",
        )
        for value in values_raw
    )
    return Variable(
        id=_text(variable, "id", where),
        text=_optional_text(variable, "text") or "",
        elimination=bool(variable.get("elimination", False)),
        time=bool(variable.get("time", False)),
        values=values,
    )


def _mapping(raw: object, where: str) -> Mapping[str, object]:
    if not isinstance(raw, Mapping):
        raise StatBankResponseError(f"{where} is not a JSON object")
    return raw


def _text(raw: Mapping[str, object], key: str, where: str) -> str:
    value = raw.get(key)
    # DST writes ids as strings; a bare number would be a change in the API worth hearing about.
    if not isinstance(value, str) or value == "":
        raise StatBankResponseError(f"{where} has no text field {key!r}")
    return value


def _optional_text(raw: Mapping[str, object], key: str) -> str | None:
    value = raw.get(key)
    return value if isinstance(value, str) else None
