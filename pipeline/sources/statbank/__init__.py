"""Danmarks Statistik's StatBank: client, offline snapshots and BULK parsing (SPEC §6).

client.py     HTTP: tableinfo, BULK data, retries, DST's error text
request.py    DataRequest and its validation against tableinfo
tables.py     the four requests the pipeline makes
snapshots.py  <landing>/statbank/<TABLE>.csv + .request.json, and refresh()
nightly.py    refresh_stale_snapshots(settings): the nightly schedule's refresh policy
bulk.py       BULK text -> tidy frames (municipality rows and all-Denmark rows)
areas.py      which area codes are municipalities
periods.py    2023 / 2023K4 period codes
"""

from pipeline.sources.statbank.bulk import (
    ParsedTable,
    parse_anbaar9,
    parse_anbaar12,
    parse_bu43,
    parse_folk1a,
    parse_table,
)
from pipeline.sources.statbank.client import BulkAnswer, StatBankClient
from pipeline.sources.statbank.errors import (
    BulkFormatError,
    SnapshotError,
    SnapshotMissingError,
    StatBankError,
    StatBankRequestError,
    StatBankResponseError,
    StatBankUnavailableError,
)
from pipeline.sources.statbank.nightly import refresh_stale_snapshots
from pipeline.sources.statbank.request import DataRequest, VariableSelection, validate_request
from pipeline.sources.statbank.snapshots import (
    RefreshResult,
    SnapshotMeta,
    is_synthetic,
    read_snapshot,
    read_snapshot_meta,
    refresh,
    snapshot_age,
    write_synthetic_snapshot,
)
from pipeline.sources.statbank.tableinfo import TableInfo, Value, Variable
from pipeline.sources.statbank.tables import (
    ANBAAR9_REQUEST,
    ANBAAR12_REQUEST,
    BU43_REQUEST,
    FOLK1A_REQUEST,
    STATBANK_REQUESTS,
    STATBANK_TABLES,
    folk1a_request,
)

__all__ = [
    "ANBAAR9_REQUEST",
    "ANBAAR12_REQUEST",
    "BU43_REQUEST",
    "FOLK1A_REQUEST",
    "STATBANK_REQUESTS",
    "STATBANK_TABLES",
    "BulkAnswer",
    "BulkFormatError",
    "DataRequest",
    "ParsedTable",
    "RefreshResult",
    "SnapshotError",
    "SnapshotMeta",
    "SnapshotMissingError",
    "StatBankClient",
    "StatBankError",
    "StatBankRequestError",
    "StatBankResponseError",
    "StatBankUnavailableError",
    "TableInfo",
    "Value",
    "Variable",
    "VariableSelection",
    "folk1a_request",
    "is_synthetic",
    "parse_anbaar9",
    "parse_anbaar12",
    "parse_bu43",
    "parse_folk1a",
    "parse_table",
    "read_snapshot",
    "read_snapshot_meta",
    "refresh",
    "refresh_stale_snapshots",
    "snapshot_age",
    "validate_request",
    "write_synthetic_snapshot",
]
