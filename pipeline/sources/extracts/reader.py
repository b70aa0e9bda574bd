"""Reading one delivered CSV file into text columns with the contract's column names.

Real extracts differ in encoding (UTF-8 with or without BOM, Windows-1252), delimiter (; or ,)
and header spelling (any case, Danish aliases, æøå written out or not). The reader settles all
three and nothing else: values stay text until the normaliser types them.

Raw CPR numbers pass through memory here and nowhere else: nothing in this module writes, logs
or raises with a cell value.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from pipeline.sources.extracts.spec import FileSpec

_BOM = b"\xef\xbb\xbf"
_TRANSLITERATION = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


class UnreadableFileError(ValueError):
    """A delivered file that cannot be read at all: the delivery is rejected with this message."""


@dataclass(frozen=True)
class RawExtract:
    spec: FileSpec
    frame: pd.DataFrame  # text columns named as in the contract; absent optional columns are ""
    line_numbers: np.ndarray  # line of the file each row starts on; the header is line 1
    encoding: str
    delimiter: str
    unknown_columns: tuple[str, ...] = ()
    malformed_lines: tuple[int, ...] = field(default=())  # rows with the wrong number of fields


def normalise_header(name: str) -> str:
    """'Slutdato', ' SLUT DATO ', 'ophørsårsag' -> 'slutdato', 'slut_dato', 'ophoersaarsag'."""
    text = name.replace("\ufeff", "").strip().strip('"').strip().lower()
    text = text.translate(_TRANSLITERATION)
    return re.sub(r"[\s\-.]+", "_", text)


def detect_encoding(data: bytes) -> str:
    if data.startswith(_BOM):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            f"is neither UTF-8 nor Windows-1252 (undecodable byte at offset {exc.start}); "
            "export it again as UTF-8"
        ) from exc
    return "cp1252"


def detect_delimiter(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ";"


# A header cell outside the contract is named in messages only when it is shaped like a column
# name: a few words of letters, not digits. Anything else may be a data row that lost the line
# break before it (SPEC §10: no text from a data row in any message), so it is reported by
# position.
_HARMLESS_HEADER = re.compile(r"[A-Za-zÆØÅæøå][A-Za-zÆØÅæøå0-9_ .\-]{0,39}")
_MAX_DIGITS_IN_HARMLESS_HEADER = 2


def describe_unknown_header(position: int, raw_name: str) -> str:
    """How an unrecognised header cell is named in a message (position counts from 1)."""
    name = raw_name.strip()
    digits = sum(ch.isdigit() for ch in name)
    if _HARMLESS_HEADER.fullmatch(name) and digits <= _MAX_DIGITS_IN_HARMLESS_HEADER:
        return name
    return f"an unrecognised column at position {position}"


def map_header(spec: FileSpec, header: list[str]) -> tuple[dict[int, str], tuple[str, ...]]:
    """Position -> contract column name, and the unknown headers (reported, not fatal), each
    as `describe_unknown_header` names it."""
    lookup = {
        normalise_header(alias): column.name for column in spec.columns for alias in column.names
    }
    positions: dict[int, str] = {}
    unknown: list[str] = []
    seen: dict[str, str] = {}
    for position, raw_name in enumerate(header):
        name = lookup.get(normalise_header(raw_name))
        if name is None:
            unknown.append(describe_unknown_header(position + 1, raw_name))
            continue
        if name in seen:
            raise UnreadableFileError(
                f"has two columns that both mean {name!r}: {seen[name]!r} and {raw_name.strip()!r}"
            )
        seen[name] = raw_name.strip()
        positions[position] = name
    missing = [
        column for column in spec.columns if column.name not in seen and not column.may_be_absent
    ]
    if missing:
        described = "; ".join(
            f"{column.name!r} (accepted headers: {', '.join(column.names)})" for column in missing
        )
        raise UnreadableFileError(f"has no column for {described}")
    return positions, tuple(unknown)


def read_extract(path: Path, spec: FileSpec) -> RawExtract:
    """Read one file of a delivery; raises UnreadableFileError with a data engineer's message."""
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableFileError("is empty (not even a header line)")
    encoding = detect_encoding(data)
    body = data[len(_BOM) :] if encoding == "utf-8-sig" else data
    header_line = body.split(b"\n", 1)[0].decode("utf-8" if encoding != "cp1252" else "cp1252")
    delimiter = detect_delimiter(header_line)
    header = next(csv.reader([header_line.rstrip("\r")], delimiter=delimiter))
    positions, unknown = map_header(spec, header)

    generated = [f"c{i}" for i in range(len(header))]
    malformed: list[int] = []

    def skip_malformed(row: pa_csv.InvalidRow) -> str:
        # The row's text may hold a CPR number: keep only its number.
        malformed.append(int(row.number) if row.number is not None else -1)
        return "skip"

    try:
        table = pa_csv.read_csv(
            io.BytesIO(body),
            read_options=pa_csv.ReadOptions(
                skip_rows=1,
                column_names=generated,
                encoding="utf8" if encoding != "cp1252" else "cp1252",
                use_threads=False,  # row numbers of malformed rows are only known when serial
                block_size=1 << 24,
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                invalid_row_handler=skip_malformed,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(generated, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise UnreadableFileError(f"could not be parsed as CSV: {_without_values(exc)}") from None

    frame = pd.DataFrame(
        {name: table.column(generated[pos]).to_pandas() for pos, name in positions.items()}
    )
    for column in spec.columns:
        if column.name not in frame.columns:
            frame[column.name] = pd.Series("", index=frame.index, dtype="string")
    frame = frame[[c.name for c in spec.columns]].astype("string")
    # Only a quoted value can hold a line break; most extracts quote nothing.
    line_numbers, malformed_lines = _line_numbers(frame, malformed, quoted=b'"' in body)
    return RawExtract(
        spec=spec,
        frame=frame,
        line_numbers=line_numbers,
        encoding=encoding,
        delimiter=delimiter,
        unknown_columns=unknown,
        malformed_lines=malformed_lines,
    )


def _line_numbers(
    frame: pd.DataFrame, skipped: list[int], *, quoted: bool
) -> tuple[np.ndarray, tuple[int, ...]]:
    """The line each kept row starts on, and the lines of the skipped malformed records.

    The CSV reader counts records (header = 1). Quoted values with line breaks and skipped
    records move the following rows down, so both are corrected for.
    """
    n = len(frame)
    skipped_records = np.array(sorted(s for s in skipped if s > 0), dtype=np.int64)
    records = 2 + np.arange(n, dtype=np.int64)
    for record in skipped_records:
        records[records >= record] += 1
    breaks = np.zeros(n, dtype=np.int64)
    for column in frame.columns if quoted else []:
        breaks += frame[column].str.count("\n").fillna(0).to_numpy(dtype=np.int64)
    breaks_before = np.concatenate(([0], np.cumsum(breaks)))  # [k] = breaks in the first k rows
    kept_lines = records + breaks_before[:n]
    skipped_lines = skipped_records + breaks_before[np.searchsorted(records, skipped_records)]
    return kept_lines, tuple(int(line) for line in skipped_lines)


def _without_values(exc: Exception) -> str:
    """Arrow's messages quote the offending row; keep the position, drop the row's text."""
    message = str(exc).splitlines()[0]
    return re.sub(r":\s*'.*$|\".*\"", "", message).strip()
