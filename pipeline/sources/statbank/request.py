"""A BULK data request, its JSON body, and its validation against `tableinfo`.

BULK is one of StatBank's streaming formats, and the API documentation says streaming formats
allow no elimination: every variable of the table must be given, or DST answers 400
("Der skal vælges værdier for variabel: OMRÅDE"). Checking the request against `tableinfo`
first turns that, an unknown variable or an unknown value into one clear error before any data
call is made, listing every problem at once.

Selectors follow the API documentation (DATA function):
- a value id, exactly as `tableinfo` lists it (`TOT`, `2024K1`);
- `*` as a wildcard anywhere (`*` = all values, `*K1` = every first quarter);
- on the time variable, a range `>=2010K1`, `<=2015K4`, `>=2010K1<=2015K4` (with or without `=`).
nth-rules such as `(1)` and sums exist in the API but are not used by this pipeline, and sums are
not allowed in streaming formats, so the validator rejects them rather than guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from pipeline.sources.statbank.errors import StatBankRequestError
from pipeline.sources.statbank.tableinfo import TableInfo, Variable

# With lang=da the period codes are Danish ("2024K1"); lang=en would turn quarters into "2024Q1"
# in the BULK answer, so the pipeline always asks in Danish.
DEFAULT_LANG = "da"

_RANGE = re.compile(r"^(?P<op1>[<>]=?)(?P<bound1>[^<>=]+)(?:(?P<op2>[<>]=?)(?P<bound2>[^<>=]+))?$")


@dataclass(frozen=True)
class VariableSelection:
    """The values requested for one variable, as selectors (ids, wildcards or time ranges)."""

    code: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class DataRequest:
    """One BULK request: a table and a selection for every one of its variables."""

    table: str
    variables: tuple[VariableSelection, ...]
    lang: str = DEFAULT_LANG

    @classmethod
    def of(cls, table: str, selections: Mapping[str, Sequence[str]]) -> DataRequest:
        """Build a request from `{variable id: [selectors]}`, keeping the mapping's order."""
        return cls(
            table=table,
            variables=tuple(
                VariableSelection(code=code, values=tuple(values))
                for code, values in selections.items()
            ),
        )

    def with_values(self, code: str, values: Sequence[str]) -> DataRequest:
        """The same request with the selection of one variable replaced."""
        if code not in {selection.code for selection in self.variables}:
            raise ValueError(f"{self.table} request has no variable {code!r}")
        return replace(
            self,
            variables=tuple(
                VariableSelection(code=code, values=tuple(values))
                if selection.code == code
                else selection
                for selection in self.variables
            ),
        )

    def body(self) -> dict[str, object]:
        """The JSON body of `POST /v1/data` for this request."""
        return {
            "table": self.table,
            "format": "BULK",
            "lang": self.lang,
            # Codes, not labels: "101" and "TOT", never "København" and "I alt".
            "valuePresentation": "Code",
            "variables": [
                {"code": selection.code, "values": list(selection.values)}
                for selection in self.variables
            ],
        }


def validate_request(request: DataRequest, info: TableInfo) -> None:
    """Raise `StatBankRequestError` listing every way `request` does not fit the table."""
    problems: list[str] = []
    if request.table.upper() != info.id.upper():
        problems.append(f"the request is for table {request.table!r}, the metadata for {info.id!r}")

    requested = [selection.code for selection in request.variables]
    duplicates = sorted({code for code in requested if requested.count(code) > 1})
    if duplicates:
        problems.append(f"variables given more than once: {', '.join(duplicates)}")

    for selection in request.variables:
        variable = info.variable(selection.code)
        if variable is None:
            problems.append(_unknown_variable(selection.code, info))
            continue
        problems.extend(_selection_problems(selection, variable))

    missing = [variable_id for variable_id in info.variable_ids if variable_id not in requested]
    if missing:
        problems.append(
            "BULK needs a selection for every variable of the table; missing: " + ", ".join(missing)
        )

    if problems:
        raise StatBankRequestError(
            f"Request for StatBank table {request.table} does not fit the table's metadata "
            f"(tableinfo): " + "; ".join(problems)
        )


def resolve_selector(selector: str, variable: Variable) -> tuple[str, ...]:
    """The value ids of `variable` that `selector` selects, in the table's order.

    Raises `StatBankRequestError` when the selector is of a kind this client does not send.
    """
    if "*" in selector:
        pattern = re.compile(".*".join(re.escape(part) for part in selector.split("*")))
        return tuple(value for value in variable.value_ids if pattern.fullmatch(value))
    if selector[:1] in ("<", ">"):
        return _resolve_range(selector, variable)
    if selector[:1] == "(" or selector.lower().startswith(("sum(", "subtract(", "multiply(")):
        raise StatBankRequestError(
            f"selector {selector!r} for {variable.id}: nth-rules and computed values are not "
            "used by this pipeline (and BULK allows no computations); list the values instead"
        )
    return (selector,) if selector in variable.value_ids else ()


def _resolve_range(selector: str, variable: Variable) -> tuple[str, ...]:
    match = _RANGE.fullmatch(selector)
    if match is None:
        raise StatBankRequestError(f"selector {selector!r} for {variable.id} is not a valid range")
    if not variable.time:
        # The documentation shows ranges on periods only; elsewhere the ordering is unclear.
        raise StatBankRequestError(
            f"range selector {selector!r} is only supported on the time variable, "
            f"not on {variable.id}"
        )
    conditions = [(match["op1"], match["bound1"])]
    if match["op2"] is not None:
        conditions.append((match["op2"], match["bound2"]))
    # Period codes of one table share one format (2024, 2024K1, 2024M01), so text order is time
    # order; the bound itself need not be a period of the table.
    return tuple(
        value
        for value in variable.value_ids
        if all(_compare(value, op, bound) for op, bound in conditions)
    )


def _compare(value: str, op: str, bound: str) -> bool:
    if op == ">=":
        return value >= bound
    if op == ">":
        return value > bound
    if op == "<=":
        return value <= bound
    return value < bound


def _selection_problems(selection: VariableSelection, variable: Variable) -> Iterable[str]:
    if not selection.values:
        yield f"{variable.id} has an empty list of values"
        return
    for selector in selection.values:
        try:
            matched = resolve_selector(selector, variable)
        except StatBankRequestError as exc:
            yield str(exc)
            continue
        if not matched:
            yield _unknown_value(selector, variable)


def _unknown_variable(code: str, info: TableInfo) -> str:
    near = [variable_id for variable_id in info.variable_ids if variable_id.upper() == code.upper()]
    hint = f" (ids are case-sensitive: did you mean {near[0]!r}?)" if near else ""
    return f"unknown variable {code!r}{hint}; the table has: {', '.join(info.variable_ids)}"


def _unknown_value(selector: str, variable: Variable) -> str:
    near = [value for value in variable.value_ids if value.upper() == selector.upper()]
    if near:
        return f"{variable.id} has no value {selector!r} (did you mean {near[0]!r}?)"
    shown = ", ".join(variable.value_ids[:12])
    more = f", … ({len(variable.value_ids)} in all)" if len(variable.value_ids) > 12 else ""
    return f"{variable.id} has no value matching {selector!r}; its values are {shown}{more}"
