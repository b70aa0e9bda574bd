"""Writing a rendered table as CSV bytes: quoting as RFC 4180 requires, then encoding.

Quoting is decided per cell (a field holding the delimiter, a quote or a line break is
quoted, inner quotes doubled), like the csv module's QUOTE_MINIMAL, but column-wise so
a national run does not pay Python's per-row cost twice.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.demo.dialects import FileDialect
from pipeline.demo.render import Table


def _quote(column: np.ndarray, delimiter: str) -> np.ndarray:
    series = pd.Series(column, dtype=object)
    needs = (
        series.str.contains(delimiter, regex=False)
        | series.str.contains('"', regex=False)
        | series.str.contains("\n", regex=False)
        | series.str.contains("\r", regex=False)
    )
    if not needs.any():
        return column
    out = column.copy()
    idx = np.flatnonzero(needs.to_numpy())
    out[idx] = ['"' + str(value).replace('"', '""') + '"' for value in column[idx]]
    return out


def to_bytes(table: Table, dialect: FileDialect) -> bytes:
    delimiter = dialect.delimiter
    header = delimiter.join(_quote(np.array(table.header, dtype=object), delimiter))
    columns = [_quote(np.asarray(c, dtype=object), delimiter) for c in table.columns]
    lines = [header, *map(delimiter.join, zip(*columns, strict=True))]
    text = dialect.line_ending.join(lines) + dialect.line_ending
    return text.encode(dialect.encoding)


def write(path: Path, table: Table, dialect: FileDialect) -> int:
    """Write the file and return its number of data rows."""
    path.write_bytes(to_bytes(table, dialect))
    return len(table)
