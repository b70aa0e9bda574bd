"""Writing a rendered table as CSV bytes: quoting as RFC 4180 requires, then encoding.

Quoting is decided per cell (a field holding the delimiter, a quote or a line break is
quoted, inner quotes doubled), like the csv module's QUOTE_MINIMAL, but column by column,
so that the columns which cannot need it are cleared with one scan.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from demo.dialects import FileDialect
from demo.render import Table


def _quote(column: np.ndarray, delimiter: str) -> np.ndarray:
    # One C-level scan of the whole column first: most columns (ids, dates, CPR numbers)
    # never need quotes, and only the few that might are looked at cell by cell.
    joined = "\x00".join(column.tolist())
    if not any(special in joined for special in (delimiter, '"', "\n", "\r")):
        return column
    specials = (delimiter, '"', "\n", "\r")
    return np.array(
        [
            '"' + value.replace('"', '""') + '"'
            if any(special in value for special in specials)
            else value
            for value in column.tolist()
        ],
        dtype=object,
    )


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
