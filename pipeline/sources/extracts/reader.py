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
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
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
    # For the feedback report (SPEC §13): (contract column, the contract's alias the header
    # used) where it was not the column's own name, and the 1-based positions of the columns
    # outside the contract (their header text is the municipality's, never repeated).
    header_aliases: tuple[tuple[str, str], ...] = ()
    unknown_positions: tuple[int, ...] = ()
    # The id (spec.id_column) each malformed row holds, "" when it has none; in memory only,
    # so a row sharing its id can be quarantined with it (SPEC §11). May be a CPR number.
    malformed_ids: tuple[str, ...] = field(default=())


def normalise_header(name: str) -> str:
    """'Slutdato', ' SLUT DATO ', 'ophørsårsag' -> 'slutdato', 'slut_dato', 'ophoersaarsag'."""
    text = name.replace("\ufeff", "").strip().strip('"').strip().lower()
    text = text.translate(_TRANSLITERATION)
    return re.sub(r"[\s\-.]+", "_", text)


def _without_utf16(data: bytes) -> tuple[bytes, bool]:
    """UTF-16 text (Excel's "Unicode text") re-encoded as UTF-8, and whether it was UTF-16.

    Only a file that starts with a UTF-16 byte order mark is taken for UTF-16; one without it
    is refused by the NUL-byte check, which names the line."""
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16").encode("utf-8"), True
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(
                f"starts like UTF-16 text but is not (undecodable at byte {exc.start}); "
                "export it again as UTF-8"
            ) from None
    return data, False


def _refuse_nul_bytes(data: bytes) -> None:
    """A NUL byte is never part of a value: it is a file cut off or written in another
    encoding (UTF-16 without its byte order mark); the rows around it cannot be trusted."""
    first = data.find(b"\x00")
    if first < 0:
        return
    nul_lines = {data.count(b"\n", 0, position) + 1 for position in _positions(data, b"\x00")}
    raise UnreadableFileError(
        f"holds NUL bytes (\\0) on {len(nul_lines)} line(s), the first on line "
        f"{min(nul_lines)}; a value never holds one. Is it UTF-16 without a byte order mark, "
        "or cut off? Export it again as UTF-8"
    )


def _positions(data: bytes, byte: bytes) -> np.ndarray:
    return np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == byte[0])


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
        line = data.count(b"\n", 0, exc.start) + 1
        raise UnreadableFileError(
            f"is neither UTF-8 nor Windows-1252 (a byte on line {line}, at offset {exc.start}, "
            "is neither); export it again as UTF-8"
        ) from None
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
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(f"cannot be read: {exc.strerror}") from None
    if not data.strip():
        raise UnreadableFileError("is empty (not even a header line)")
    data, was_utf16 = _without_utf16(data)
    _refuse_nul_bytes(data)
    encoding = "utf-16" if was_utf16 else detect_encoding(data)
    body = data[len(_BOM) :] if encoding == "utf-8-sig" else data
    text_encoding = "cp1252" if encoding == "cp1252" else "utf-8"
    header_line = body.split(b"\n", 1)[0].decode(text_encoding)
    delimiter = detect_delimiter(header_line)
    header = next(csv.reader([header_line.rstrip("\r")], delimiter=delimiter))
    try:
        positions, unknown = map_header(spec, header)
    except UnreadableFileError as exc:
        hint = _lost_line_break_hint(body, header, delimiter)
        raise UnreadableFileError(f"{exc}{hint}") from None

    generated = [f"c{i}" for i in range(len(header))]
    malformed: list[int] = []
    malformed_spans: list[int] = []
    malformed_ids: list[str] = []
    id_position = next((p for p, name in positions.items() if name == spec.id_column), None)
    swallowing: list[int] = []  # malformed records that hold whole rows in a quoted value
    swallowed = _swallowed_rows_pattern(delimiter, len(header))

    def skip_malformed(row: pa_csv.InvalidRow) -> str:
        # The row's text may hold a CPR number: keep only its number and shape.
        number = int(row.number) if row.number is not None else -1
        malformed.append(number)
        malformed_spans.append(_nonblank_span(row.text))
        malformed_ids.append(_field(row.text, delimiter, id_position))
        if swallowed.search(row.text):
            swallowing.append(number)
        return "skip"

    try:
        table = pa_csv.read_csv(
            io.BytesIO(body),
            read_options=pa_csv.ReadOptions(
                skip_rows=1,
                column_names=generated,
                encoding="cp1252" if encoding == "cp1252" else "utf8",
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
    quoted = b'"' in body
    spans = _record_spans(table, swallowed) if quoted else _Spans.single(table.num_rows)
    by_record = sorted(zip(malformed, malformed_spans, malformed_ids, strict=True))
    line_numbers, malformed_lines = _line_numbers(
        body, spans, [(record, span) for record, span, _ in by_record], swallowing
    )
    return RawExtract(
        spec=spec,
        frame=frame,
        line_numbers=line_numbers,
        encoding=encoding,
        delimiter=delimiter,
        unknown_columns=unknown,
        malformed_lines=malformed_lines,
        header_aliases=_aliases_used(spec, header, positions),
        unknown_positions=tuple(p + 1 for p in range(len(header)) if p not in positions),
        malformed_ids=tuple(found for record, _, found in by_record if record > 0),
    )


def _aliases_used(
    spec: FileSpec, header: list[str], positions: dict[int, str]
) -> tuple[tuple[str, str], ...]:
    """(column, alias) for each header that named a column by one of its aliases; the alias
    as the contract spells it, so nothing of the file's own text is kept."""
    used = []
    for position, name in positions.items():
        spelled = normalise_header(header[position])
        if spelled == normalise_header(name):
            continue
        column = spec.column(name)
        alias = next((a for a in column.aliases if normalise_header(a) == spelled), spelled)
        used.append((name, alias))
    return tuple(used)


@dataclass(frozen=True)
class _Spans:
    """Per kept record: the non-blank physical lines it covers, and whether a quoted value of
    it holds what look like whole rows (an unbalanced quote swallowing the lines below)."""

    lines: np.ndarray
    swallowing: np.ndarray  # bool

    @classmethod
    def single(cls, n: int) -> _Spans:
        return cls(np.ones(n, dtype=np.int64), np.zeros(n, dtype=bool))


def _field(text: str, delimiter: str, position: int | None) -> str:
    """Field `position` of a malformed record's text, stripped; "" when it has none."""
    if position is None:
        return ""
    try:
        fields = next(csv.reader([text], delimiter=delimiter), [])
    except csv.Error:
        return ""
    return fields[position].strip() if position < len(fields) else ""


def _swallowed_rows_pattern(delimiter: str, fields: int) -> re.Pattern[str]:
    """A line break followed by a line with a row's worth of delimiters."""
    d = re.escape(delimiter)
    return re.compile(rf"\n(?:[^\n]*?{d}){{{max(fields - 1, 1)}}}")


# A line break followed by another (an empty line inside a quoted value).
_BLANK_LINE_IN_VALUE = r"\n\r?(?=\n)"


def _nonblank_span(text: str) -> int:
    return 1 + text.count("\n") - len(re.findall(_BLANK_LINE_IN_VALUE, text))


def _record_spans(table: pa.Table, swallowed: re.Pattern[str]) -> _Spans:
    lines = np.ones(table.num_rows, dtype=np.int64)
    swallowing = np.zeros(table.num_rows, dtype=bool)
    for name in table.column_names:  # every column: a comment column may hold the break
        values = table.column(name).to_pandas().astype("string").fillna("")
        breaks = values.str.count("\n").to_numpy(dtype=np.int64)
        if not breaks.any():
            continue
        blank = values.str.count(_BLANK_LINE_IN_VALUE).to_numpy(dtype=np.int64)
        lines += breaks - blank
        swallowing |= values.str.contains(swallowed).to_numpy(dtype=bool)
    return _Spans(lines, swallowing)


def _nonblank_lines(body: bytes) -> np.ndarray:
    """The physical line numbers (1 = the header) of the lines that hold something."""
    newlines = _positions(body, b"\n")
    starts = np.concatenate(([0], newlines + 1))
    ends = np.concatenate((newlines, [len(body)]))
    as_bytes = np.frombuffer(body, dtype=np.uint8)
    carriage = np.zeros(len(ends), dtype=bool)
    inside = ends > starts
    carriage[inside] = as_bytes[ends[inside] - 1] == ord("\r")
    lengths = ends - starts - carriage
    return np.flatnonzero(lengths > 0) + 1


def _line_numbers(
    body: bytes,
    kept: _Spans,
    skipped: list[tuple[int, int]],
    swallowing_skipped: list[int],
) -> tuple[np.ndarray, tuple[int, ...]]:
    """The line each kept row starts on, and the lines of the skipped malformed records.

    Every line of the file is accounted for: the records read (kept and skipped, each with
    the lines it covers) must cover exactly the non-blank lines after the header, or the file
    is refused, naming the line where reading went wrong. A quoted value that holds whole rows
    (an unbalanced quote) is refused the same way, never read as one record.
    """
    n = len(kept.lines)
    skipped_records = np.array([record for record, _ in skipped if record > 0], dtype=np.int64)
    records = 2 + np.arange(n, dtype=np.int64)
    for record in skipped_records:
        records[records >= record] += 1
    order = np.argsort(np.concatenate((records, skipped_records)), kind="stable")
    spans = np.concatenate(
        (kept.lines, np.array([span for record, span in skipped if record > 0], dtype=np.int64))
    )[order]
    data_lines = _nonblank_lines(body)[1:]
    first_index = np.concatenate(([0], np.cumsum(spans)))[:-1]
    starts = np.empty(len(spans), dtype=np.int64)
    if len(spans):
        # Clipped: past the end only when the count below does not add up, which refuses.
        starts[order] = data_lines[np.minimum(first_index, max(len(data_lines) - 1, 0))]
    kept_lines, skipped_lines = starts[:n], starts[n:]
    swallowing_lines = [
        *kept_lines[kept.swallowing].tolist(),
        *skipped_lines[np.isin(skipped_records, swallowing_skipped)].tolist(),
    ]
    if swallowing_lines:
        line = min(swallowing_lines)
        raise UnreadableFileError(
            f"line {line}: a quoted value opened there runs on over lines that look like rows "
            'of their own, so they would be read as one value; a quote (") is missing or '
            f"one too many. Fix the quotes on line {line} and deliver the file again"
        )
    covered = int(spans.sum())
    if covered != len(data_lines):
        where = _first_unaccounted(data_lines, first_index, spans)
        raise UnreadableFileError(
            f"has {len(data_lines)} lines of data after the header, but the records read cover "
            f'{covered}; reading goes wrong at line {where}. Check the quotes (") and line '
            "breaks there and deliver the file again"
        )
    return kept_lines, tuple(int(line) for line in skipped_lines)


def _first_unaccounted(data_lines: np.ndarray, first_index: np.ndarray, spans: np.ndarray) -> int:
    """The physical line where the records read and the lines of the file part ways."""
    if len(data_lines) == 0:
        return 2
    ends = first_index + spans
    beyond = np.flatnonzero(ends > len(data_lines))
    if len(beyond):
        return int(data_lines[min(first_index[beyond[0]], len(data_lines) - 1)])
    return int(data_lines[min(int(spans.sum()), len(data_lines) - 1)])


def _lost_line_break_hint(body: bytes, header: list[str], delimiter: str) -> str:
    """When the header has more fields than the line below it, say what that usually means."""
    lines = body.split(b"\n", 2)
    if len(lines) < 2:
        return ""
    below = lines[1].count(delimiter.encode("ascii")) + 1
    if len(header) > below:
        return (
            f". Line 1 has {len(header)} fields and line 2 has {below}: is the line break "
            "after the header missing?"
        )
    return ""


def _without_values(exc: Exception) -> str:
    """Arrow's messages quote the offending row; keep the position, drop the row's text."""
    message = str(exc).splitlines()[0]
    return re.sub(r":\s*'.*$|\".*\"", "", message).strip()
