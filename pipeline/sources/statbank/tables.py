"""The four StatBank requests the pipeline makes (SPEC §6), in one place.

Variable ids are written as DST's `tableinfo` writes them: upper case with Danish letters
(`OMRÅDE`, `KØN`) and `Tid` for the time variable. (The BULK answer's header upper-cases the time
variable to `TID`; the request must use `Tid`.) Every request is validated against the live
`tableinfo` before data is fetched, so a renamed variable or a new one fails loudly and early.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pipeline.sources.statbank.request import DataRequest

# FOLK1A: residents on the first day of each quarter. Only what the 0-17 denominators need
# (SPEC §2, §6): both sexes together, all marital statuses together, each age 0..17. Totals
# (ALDER=IALT) are not requested; the 0-17 sum is made downstream from the single years.
FOLK1A_AGES = tuple(str(age) for age in range(18))
FOLK1A_REQUEST = DataRequest.of(
    "FOLK1A",
    {
        "OMRÅDE": ["*"],
        "KØN": ["TOT"],
        "ALDER": list(FOLK1A_AGES),
        "CIVILSTAND": ["TOT"],
        "Tid": ["*"],
    },
)

# ANBAAR12: placed children and young people on 31 December, by administering municipality
# (handlekommune) and placement type (SPEC §4 lists the DST codes).
ANBAAR12_REQUEST = DataRequest.of(
    "ANBAAR12",
    {"ADMKOM": ["*"], "ANBRINGELSE": ["*"], "Tid": ["*"]},
)

# ANBAAR9: placed on 31 December by administering municipality and age group
# (0 = total, 9917 = 0-17, 1822 = 18-22).
ANBAAR9_REQUEST = DataRequest.of(
    "ANBAAR9",
    {"ADMKOM": ["*"], "ALERAMS": ["*"], "Tid": ["*"]},
)

# BU43: share (%) of an age group receiving support on 31 December, by municipality.
BU43_REQUEST = DataRequest.of(
    "BU43",
    {"OMRÅDE": ["*"], "FORANSTALT": ["*"], "ALDER": ["*"], "Tid": ["*"]},
)

STATBANK_REQUESTS: Mapping[str, DataRequest] = MappingProxyType(
    {
        request.table: request
        for request in (FOLK1A_REQUEST, ANBAAR12_REQUEST, ANBAAR9_REQUEST, BU43_REQUEST)
    }
)
STATBANK_TABLES: tuple[str, ...] = tuple(STATBANK_REQUESTS)


def folk1a_request(from_quarter: str | None = None) -> DataRequest:
    """FOLK1A, optionally only from `from_quarter` (e.g. '2020K1') on, via the API's `>=` range."""
    if from_quarter is None:
        return FOLK1A_REQUEST
    return FOLK1A_REQUEST.with_values("Tid", [f">={from_quarter}"])


def request_for(table: str) -> DataRequest:
    """The pipeline's request for `table` (any case); ValueError names the known tables."""
    request = STATBANK_REQUESTS.get(table.upper())
    if request is None:
        raise ValueError(
            f"Unknown StatBank table {table!r}; the pipeline uses {', '.join(STATBANK_TABLES)}."
        )
    return request
