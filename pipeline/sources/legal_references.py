"""Legal references (paragraf) as case systems write them, and the measure category they map to.

Why: every measure in an extract carries its legal basis as free text, and the indicators need
one set of categories across the change of law on 2024-01-01 (Serviceloven, SEL, until
2023-12-31; Barnets Lov, BL, from 2024-01-01). SPEC §4 keeps that mapping as data, in the
seed ``dbt_project/seeds/reference/legal_crosswalk.csv``; this module reads the text and applies
the seed. A reference that cannot decide a category is a failure with a reason (the caller
quarantines the row), never a guess and never a silent drop.

Notations accepted (case, spaces, non-breaking spaces and trailing punctuation do not matter):

- prose: ``SEL § 52, stk. 3, nr. 7``, ``§52 stk.3 nr.7``, ``Barnets lov §32 stk 1 nr 3``,
  ``servicelovens § 52, stk. 3, nr. 7``, ``Lov om social service § 52, stk. 3, nr. 7``,
  ``§ 52 a``, ``§ 52a, stk. 1, nr. 2``, ``§ 52, stk. 3, nr. 7 i serviceloven``,
  ``paragraf 52 stykke 3 nummer 7``;
- key notation ``LAW-PARAGRAPH-[letter.]STK[.NR]``: ``SEL-52-3.7``, ``SEL-52-a.1.2``,
  ``BL-32-1.6``, ``SEL-58-`` (no stk.), ``SEL-52-a`` (§ 52 a). Only with the law in front: a
  bare ``21-22`` could be a range of paragraphs, so it is rejected;
- dotted notation ``SEL 52.3.7`` (paragraph.stk.nr).

Decisions, each so that a text is read one way only:

- Only the part before ``jf.``/``jfr.``/``jævnfør`` is read: ``SEL-58 jf. 52-3.7`` is § 58, the
  provision the measure was granted under; what follows ``jf.`` is a cross-reference.
  Parenthesised text is a comment and is dropped too, except that a law named in it counts
  (``§ 58 (SEL)``).
- ``N. pkt.`` (a sentence inside a stk.) is ignored: no category depends on it.
- Several provisions (``§§ 21-22``, ``nr. 1-4``, ``stk. 3 og 4``, ``§ 75/§ 76``) are rejected: a
  measure has one legal basis, and picking one of them would be a guess.
- A text that names another law (``FSL-20-2``, ``sundhedsloven § 5``), or has any word the
  parser does not know, is rejected rather than read as SEL/BL.
- A reference without a law is read by the measure's start date: SEL before 2024-01-01, BL
  from 2024-01-01, and BL when there is no date (the law in force now). An explicit law in the
  text always wins over the date.

Matching semantics of the crosswalk seed (columns ``law,paragraph,letter,stk,nr``):

- A row matches a reference when law and paragraph are equal, the letter is equal (an empty
  letter means "no letter": § 52 a is a paragraph of its own, so the row for § 52 never matches
  § 52 a), and every non-empty ``stk``/``nr`` of the row equals the reference's (empty = any).
- Among matching rows the most specific (most non-empty fields) wins; a tie between rows of
  different categories is reported as ambiguous. No matching row: the reference is unmapped.
- A row with an empty category names a provision that is deliberately no measure category
  (BL § 35, stk. 1-3: economic support); it wins like any row and the reference is unmapped
  with that row's source as the reason.
- So ``§ 52`` and ``§ 52, stk. 3`` are unmapped (SEL § 52 has rows only with stk. and nr.),
  ``BL § 32, stk. 1, nr. 6`` is FAMILY_RESIDENTIAL while any other ``BL § 32`` is HOME_BASED,
  and ``SEL § 58, stk. 1`` is PLACEMENT (§ 58 is mapped as a whole).

Parse failures never repeat digits from the input, and crosswalk reasons show only the parsed
provision (numbers of at most 4 digits), so a CPR number typed into the wrong column cannot leak
into the quarantine or a log through a reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from pipeline.paths import SEEDS_DIR

SEL: Final = "SEL"
BL: Final = "BL"
LAWS: Final = (SEL, BL)

#: First day of Barnets Lov (LOV nr 721 af 13/06/2023); a reference without a law is read as
#: Serviceloven for measures that started before it.
BARNETS_LOV_FROM: Final = dt.date(2024, 1, 1)


def _categories(path: Path) -> tuple[str, ...]:
    """The measure categories of SPEC §4, in the seed's order: the seed is their one list."""
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(row["category"].strip() for row in csv.DictReader(handle))


#: The measure categories (the ``measure_categories`` seed); the crosswalk and the extract
#: contracts accept these and no others.
CATEGORIES: Final = _categories(SEEDS_DIR / "reference" / "measure_categories.csv")

CROSSWALK_COLUMNS: Final = ("law", "paragraph", "letter", "stk", "nr", "category", "source")
RESULT_COLUMNS: Final = ("law", "paragraph", "letter", "stk", "nr", "category", "failure")


def default_crosswalk_path() -> Path:
    """The seed file; a function so tests and callers see the same path."""
    return SEEDS_DIR / "reference" / "legal_crosswalk.csv"


class LegalReferenceError(ValueError):
    """A legal reference text that cannot be read as exactly one provision."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CrosswalkError(ValueError):
    """The crosswalk seed is malformed; the run must not classify anything with it."""


@dataclass(frozen=True)
class LegalReference:
    """One provision: law (None when the text names none), § paragraph [letter], stk., nr.

    ``law_inferred`` is True when ``law`` was filled in from the measure's start date rather than
    read from the text (see :func:`law_for_start`).
    """

    law: str | None
    paragraph: int
    letter: str | None = None
    stk: int | None = None
    nr: int | None = None
    law_inferred: bool = False

    def __post_init__(self) -> None:
        if self.law is not None and self.law not in LAWS:
            raise ValueError(f"law must be one of {LAWS} or None, not {self.law!r}")

    def __str__(self) -> str:
        text = f"§ {self.paragraph}" + (f" {self.letter}" if self.letter else "")
        if self.stk is not None:
            text += f", stk. {self.stk}"
        if self.nr is not None:
            text += f", nr. {self.nr}"
        return f"{self.law} {text}" if self.law else text


# --- parsing ---------------------------------------------------------------------------------

# Characters that render as nothing (soft hyphen, zero-width space, BOM) would split tokens.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))
_SPACES = re.compile(r"\s+")
_EDGE_PUNCTUATION = " ,.;:-'\"«»\u201c\u201d\u2018\u2019"

_CROSS_REFERENCE = re.compile(r"\b(?:jf|jfr|jvf|jævnfør)\b\.?")
_PARENTHESES = re.compile(r"\([^()]*\)")
_LAW_NAMES: Final = {
    "sel": SEL,
    "serviceloven": SEL,
    "servicelovens": SEL,
    "lov om social service": SEL,
    "bl": BL,
    "barnets lov": BL,
    "barnets lovs": BL,
}
# An optional "i"/"efter" belongs to the law name ("§ 52 i serviceloven"); without it the "i"
# would be read as the paragraph letter. "bl.a." (blandt andet) is not Barnets Lov.
_LAW = re.compile(
    r"(?:\b(?:i|efter|ifølge|iht)\.?\s+)?"
    r"\b(?P<name>lov om social service|servicelovens?|barnets lovs?|sel|bl(?!\.a\b))\b\.?"
)
_OTHER_LAW_KEY = re.compile(r"^(?P<name>[^\W\d_]{1,12}) ?- ?[0-9]")
# Key notation is recognised only after a law written key-style ("SEL-52-3.7"): a bare "21-22"
# could as well be a range of paragraphs.
_KEY_STYLE_LAW = re.compile(r"^(?:sel|bl) ?- ?[0-9]")
_SEVERAL = re.compile(r"§§|\b(?:og|eller|samt|til)\b|[/&+;]")

_NUMBER = r"[0-9]{1,4}"
_KEY = re.compile(
    rf"^(?P<paragraph>{_NUMBER}) ?- ?(?:(?P<letter>[a-z])(?:\.|(?=[0-9])|$))?"
    rf"(?P<stk>{_NUMBER})?(?:\.(?P<nr>{_NUMBER}))?$"
)
_DOTTED = re.compile(
    rf"^(?:§ ?)?(?P<paragraph>{_NUMBER}) ?(?P<letter>[a-z])?\.(?P<stk>{_NUMBER})"
    rf"(?:\.(?P<nr>{_NUMBER}))?$"
)
_PROSE_SPLIT = re.compile(r"(?<=[0-9])(?=[^\W\d_])|(?<=[^\W\d_])(?=[0-9])|(?<=§)(?=\S)")
_PROSE_WORDS: Final = {
    "paragraf": "§",
    "pgf": "§",
    "stk": "stk",
    "stykke": "stk",
    "nr": "nr",
    "nummer": "nr",
    "pkt": "pkt",
    "punktum": "pkt",
}
_KEYWORDS: Final = frozenset(_PROSE_WORDS.values())
_DIGITS = re.compile(r"[0-9]+")
_LETTER = re.compile(r"[a-z]")


def parse_legal_reference(text: str) -> LegalReference:
    """Read one provision from ``text``; raise :class:`LegalReferenceError` with the reason.

    Liberal in notation (see the module docstring), strict in meaning: a text that could be
    read in two ways, names several provisions or contains anything unknown is rejected.
    """
    if not isinstance(text, str):
        raise LegalReferenceError("the legal reference is not text")
    normalised = _normalise(text)
    if not normalised:
        raise LegalReferenceError("empty legal reference")
    main = _main_part(normalised)
    law, rest = _extract_law(main)
    key_style = bool(_KEY_STYLE_LAW.match(main.strip()))
    return LegalReference(law, *_parse_provision(rest, key_style=key_style))


def _normalise(text: str) -> str:
    """One spelling per meaning: NFKC (non-breaking spaces become spaces), lower case, one dash."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_DASHES)
    return _SPACES.sub(" ", text.casefold()).strip(_EDGE_PUNCTUATION)


def _main_part(text: str) -> str:
    """The provision itself: what precedes ``jf.`` (also inside a parenthesis)."""
    match = _CROSS_REFERENCE.search(text)
    if match:
        text = text[: match.start()].rstrip(_EDGE_PUNCTUATION + "(")
        if not text:
            raise LegalReferenceError("nothing before 'jf.': the provision itself is missing")
    return text


def _extract_law(text: str) -> tuple[str | None, str]:
    """Find the law name wherever it is written, then drop it and parenthesised comments.

    The law is looked for before comments are dropped, so "§ 58 (SEL)" keeps its law instead of
    having one inferred from the date.
    """
    laws = {_LAW_NAMES[_SPACES.sub(" ", m["name"])] for m in _LAW.finditer(text)}
    if len(laws) > 1:
        raise LegalReferenceError("names both Serviceloven and Barnets Lov")
    rest = _PARENTHESES.sub(" ", _LAW.sub(" ", text))
    rest = _SPACES.sub(" ", rest).strip(_EDGE_PUNCTUATION)
    other = _OTHER_LAW_KEY.match(rest)
    if other and not laws:
        raise LegalReferenceError(
            f"unknown law {_quote(other['name'])}: only SEL and BL references can be classified"
        )
    return (laws.pop() if laws else None), rest


def _parse_provision(
    text: str, *, key_style: bool
) -> tuple[int, str | None, int | None, int | None]:
    """Paragraph, letter, stk., nr. from the text without the law name."""
    if not text:
        raise LegalReferenceError("no paragraph number")
    several = _SEVERAL.search(text)
    if several:
        raise LegalReferenceError(
            f"names several provisions ({_quote(several.group())}); a measure has one legal basis"
        )
    match = (key_style and _KEY.match(text)) or _DOTTED.match(text)
    if match:
        return _checked(
            _to_int(match["paragraph"]),
            match["letter"],
            _to_int(match["stk"]),
            _to_int(match["nr"]),
        )
    return _parse_prose(text)


def _parse_prose(text: str) -> tuple[int, str | None, int | None, int | None]:
    """``[§] N [letter] [stk. N] [nr. N] [N. pkt.]`` with any separators, in that order."""
    spaced = _PROSE_SPLIT.sub(" ", re.sub(r"[.,:]", " ", text)).replace("-", " - ")
    tokens = [_PROSE_WORDS.get(token, token) for token in spaced.split()]
    reader = _Tokens(tokens)
    reader.skip("§")
    paragraph = reader.number("no paragraph number")
    letter = reader.take_if(lambda token: bool(_LETTER.fullmatch(token)))
    stk = reader.number("'stk.' without a number") if reader.skip("stk") else None
    nr = reader.number("'nr.' without a number") if reader.skip("nr") else None
    if reader.peek_is_number() and reader.peek(1) == "pkt":
        reader.position += 2  # "2. pkt.": a sentence inside the stk.; no category depends on it
    reader.expect_end()
    return _checked(paragraph, letter, stk, nr)


@dataclass
class _Tokens:
    """A cursor over prose tokens that knows how to say what went wrong."""

    tokens: list[str]
    position: int = 0

    def peek(self, ahead: int = 0) -> str | None:
        index = self.position + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def peek_is_number(self) -> bool:
        token = self.peek()
        return token is not None and bool(_DIGITS.fullmatch(token))

    def skip(self, token: str) -> bool:
        if self.peek() == token:
            self.position += 1
            return True
        return False

    def take_if(self, accept: Callable[[str], bool]) -> str | None:
        token = self.peek()
        if token is not None and accept(token):
            self.position += 1
            return token
        return None

    def number(self, missing: str) -> int:
        token = self.peek()
        if token is None or token in _KEYWORDS:
            raise LegalReferenceError(missing)
        if not _DIGITS.fullmatch(token):
            raise LegalReferenceError(_unexpected(token, missing))
        self.position += 1
        value = _to_int(token)
        assert value is not None  # the fullmatch above guarantees digits
        return value

    def expect_end(self) -> None:
        token = self.peek()
        if token is not None:
            raise LegalReferenceError(_unexpected(token, "unexpected text after the provision"))


def _unexpected(token: str, default: str) -> str:
    """The reason for a token that does not fit where it stands."""
    if token in _KEYWORDS:
        return f"'{token}' out of place: expected '§ N [letter], stk. N, nr. N'"
    if token == "-":
        return "names a range or an unknown key notation; a measure has one legal basis"
    if _DIGITS.fullmatch(token):
        return "unexpected number: expected '§ N [letter], stk. N, nr. N'"
    if token.isalpha():
        return f"unrecognised word {_quote(token)}"
    return f"{default} (unexpected character)"


def _to_int(digits: str | None) -> int | None:
    if digits is None:
        return None
    if len(digits) > 4:
        raise LegalReferenceError("number too long for a paragraph, stk. or nr.")
    return int(digits)


def _checked(
    paragraph: int | None, letter: str | None, stk: int | None, nr: int | None
) -> tuple[int, str | None, int | None, int | None]:
    if paragraph is None:
        raise LegalReferenceError("no paragraph number")
    if paragraph == 0 or stk == 0 or nr == 0:
        raise LegalReferenceError("paragraph, stk. and nr. start at 1")
    return paragraph, letter, stk, nr


def _quote(word: str) -> str:
    """Quote a word from the input for a reason; letters only, so no number leaks."""
    letters = "".join(character for character in word if not character.isdigit())
    return f"'{letters[:24]}'"


# --- the crosswalk ---------------------------------------------------------------------------


def law_for_start(measure_start: dt.date | None) -> str:
    """The law a reference without a law is read under: SEL before 2024-01-01, else BL.

    No date means BL, the law in force now: a measure without a start date is new or broken,
    and a broken row is quarantined for its date anyway.
    """
    if measure_start is None or pd.isna(measure_start):
        return BL
    if isinstance(measure_start, dt.datetime):  # incl. pandas.Timestamp; date < datetime fails
        measure_start = measure_start.date()
    return SEL if measure_start < BARNETS_LOV_FROM else BL


def laws_for_starts(start_dates: pd.Series) -> pd.Series:
    """Vectorised :func:`law_for_start`, for the ``default_laws`` of :func:`classify_references`.

    Expects parsed dates (date, datetime or datetime64); extract dates such as DD-MM-YYYY must be
    parsed by the reader first, or they would be read month-first here.
    """
    dates = pd.to_datetime(start_dates)
    before = (dates < pd.Timestamp(BARNETS_LOV_FROM)).fillna(False).to_numpy(dtype=bool)
    return pd.Series(np.where(before, SEL, BL), index=start_dates.index, dtype=object)


@dataclass(frozen=True)
class CrosswalkRow:
    """One row of the seed; empty stk/nr are wildcards, an empty letter means no letter."""

    law: str
    paragraph: int
    letter: str | None
    stk: int | None
    nr: int | None
    category: str | None  # None: a known provision that is deliberately no measure category
    source: str

    @property
    def specificity(self) -> int:
        """How many key fields the row pins down; the most specific matching row wins."""
        return 1 + sum(field is not None for field in (self.letter, self.stk, self.nr))

    def matches(self, reference: LegalReference) -> bool:
        return (
            self.law == reference.law
            and self.paragraph == reference.paragraph
            and self.letter == reference.letter
            and (self.stk is None or self.stk == reference.stk)
            and (self.nr is None or self.nr == reference.nr)
        )


@dataclass(frozen=True)
class Classification:
    """The outcome for one reference: a category, or None with the reason."""

    reference: LegalReference
    law_used: str
    category: str | None
    reason: str | None
    crosswalk_row: CrosswalkRow | None


class LegalCrosswalk:
    """The SPEC §4 crosswalk, loaded from its seed; see the module docstring for matching."""

    def __init__(self, rows: Iterable[CrosswalkRow]) -> None:
        self.rows: tuple[CrosswalkRow, ...] = tuple(rows)
        # Rows grouped by what must match exactly, so a lookup scans a handful of rows.
        self._by_paragraph: dict[tuple[str, int, str | None], list[CrosswalkRow]] = {}
        for row in self.rows:
            self._by_paragraph.setdefault((row.law, row.paragraph, row.letter), []).append(row)

    @classmethod
    def from_seed(cls, path: Path | None = None) -> LegalCrosswalk:
        """Read and validate the seed; a malformed seed raises :class:`CrosswalkError`."""
        path = default_crosswalk_path() if path is None else path
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != CROSSWALK_COLUMNS:
                raise CrosswalkError(
                    f"{path.name}: columns must be {','.join(CROSSWALK_COLUMNS)}, "
                    f"not {','.join(reader.fieldnames or ())}"
                )
            rows = [_crosswalk_row(row, path.name, line) for line, row in enumerate(reader, 2)]
        _reject_duplicate_keys(rows, path.name)
        return cls(rows)

    def classify(
        self, reference: LegalReference, measure_start: dt.date | None = None
    ) -> Classification:
        """The category of ``reference``; a reference without a law is read by the start date."""
        return self.classify_under(reference, law_for_start(measure_start))

    def classify_under(self, reference: LegalReference, default_law: str) -> Classification:
        """As :meth:`classify`, with the default law already derived from the start date."""
        if default_law not in LAWS:
            raise ValueError(f"default law must be 'SEL' or 'BL', not {default_law!r}")
        law = reference.law or default_law
        if reference.law is None:
            reference = replace(reference, law=law, law_inferred=True)
        candidates = self._by_paragraph.get((law, reference.paragraph, reference.letter), [])
        matching = [row for row in candidates if row.matches(reference)]
        if not matching:
            return Classification(reference, law, None, self._unmapped_reason(reference), None)
        best = max(row.specificity for row in matching)
        winners = [row for row in matching if row.specificity == best]
        if len({row.category for row in winners}) > 1:
            reason = f"{reference}: crosswalk rows of equal specificity disagree"
            return Classification(reference, law, None, reason, None)
        winner = winners[0]
        if winner.category is None:
            reason = f"{reference} is not a measure category of SPEC §4 ({winner.source})"
            return Classification(reference, law, None, reason, winner)
        return Classification(reference, law, winner.category, None, winner)

    def _unmapped_reason(self, reference: LegalReference) -> str:
        """Say whether the paragraph is unknown or just not specific enough."""
        key = (reference.law, reference.paragraph, reference.letter)
        if key in self._by_paragraph:
            return (
                f"{reference} does not decide the category: the crosswalk maps "
                f"{reference.law} § {reference.paragraph}"
                f"{' ' + reference.letter if reference.letter else ''} only with other stk./nr."
            )
        return f"{reference} is not in the legal crosswalk"


def _crosswalk_row(record: dict[str, str | None], file: str, line: int) -> CrosswalkRow:
    """One validated seed row; the message names the file and line to fix."""

    def fail(problem: str) -> CrosswalkError:
        return CrosswalkError(f"{file} line {line}: {problem}")

    values = {key: (value or "").strip() for key, value in record.items() if key is not None}
    if values["law"] not in LAWS:
        raise fail(f"law must be one of {LAWS}")
    if values["category"] and values["category"] not in CATEGORIES:
        raise fail(f"unknown category {values['category']!r}")
    if values["letter"] and not _LETTER.fullmatch(values["letter"]):
        raise fail("letter must be one lowercase letter or empty")
    if not values["source"]:
        raise fail("source is empty; every mapping needs its source")
    try:
        paragraph = int(values["paragraph"])
        stk, nr = (int(values[name]) if values[name] else None for name in ("stk", "nr"))
    except ValueError as exc:
        raise fail("paragraph, stk and nr must be whole numbers") from exc
    if paragraph < 1 or (stk is not None and stk < 1) or (nr is not None and nr < 1):
        raise fail("paragraph, stk and nr start at 1")
    letter = values["letter"] or None
    category = values["category"] or None
    return CrosswalkRow(values["law"], paragraph, letter, stk, nr, category, values["source"])


def _reject_duplicate_keys(rows: list[CrosswalkRow], file: str) -> None:
    """Two rows with the same key are either redundant or contradictory: both are mistakes."""
    seen: set[tuple[str, int, str | None, int | None, int | None]] = set()
    for row in rows:
        key = (row.law, row.paragraph, row.letter, row.stk, row.nr)
        if key in seen:
            raise CrosswalkError(f"{file}: more than one row for {key}")
        seen.add(key)


@lru_cache(maxsize=1)
def _default_crosswalk() -> LegalCrosswalk:
    """The seed is read once per process; the helpers below are called per file and row."""
    return LegalCrosswalk.from_seed()


# --- entry points for ingestion and the command line -----------------------------------------


def classify_references(
    texts: pd.Series, default_laws: pd.Series, *, crosswalk: LegalCrosswalk | None = None
) -> pd.DataFrame:
    """Classify a column of references; same index, columns ``RESULT_COLUMNS``.

    ``default_laws`` holds "SEL"/"BL" per row (see :func:`laws_for_starts`); a missing value
    reads as BL, like a missing start date in :func:`law_for_start`. The Python parser runs once
    per distinct (text, default law) pair, which are few even in millions of rows; the results
    are spread back to the rows by integer codes, without a Python loop over rows.
    ``failure`` is None or a short reason; ``law`` is the law used.
    """
    if not texts.index.equals(default_laws.index):
        raise ValueError("texts and default_laws must have the same index")
    crosswalk = _default_crosswalk() if crosswalk is None else crosswalk
    text_codes, text_values = pd.factorize(texts, use_na_sentinel=False)
    law_codes, law_values = pd.factorize(default_laws, use_na_sentinel=False)
    width = max(len(law_values), 1)
    pair_codes, pairs = pd.factorize(text_codes.astype(np.int64) * width + law_codes)
    distinct = [
        _classify_one(text_values[pair // width], law_values[pair % width], crosswalk)
        for pair in pairs
    ]
    table = _result_frame(distinct)
    return table.take(pair_codes).set_axis(texts.index)


def _classify_one(text: object, default_law: object, crosswalk: LegalCrosswalk) -> tuple[Any, ...]:
    """One distinct (text, default law) pair as a result row."""
    law = BL if default_law is None or pd.isna(default_law) else str(default_law)
    if not isinstance(text, str) or not text.strip():
        return (None, None, None, None, None, None, "empty legal reference")
    try:
        reference = parse_legal_reference(text)
    except LegalReferenceError as error:
        return (None, None, None, None, None, None, error.reason)
    outcome = crosswalk.classify_under(reference, law)
    ref = outcome.reference
    return (ref.law, ref.paragraph, ref.letter, ref.stk, ref.nr, outcome.category, outcome.reason)


def _result_frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """Typed result columns: nullable integers, and None (not NaN) for missing text."""
    frame = pd.DataFrame.from_records(rows, columns=list(RESULT_COLUMNS))
    for column in ("paragraph", "stk", "nr"):
        frame[column] = frame[column].astype("Int64")
    for column in ("law", "letter", "category", "failure"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def describe_reference(
    text: str, measure_start: dt.date | None = None, *, crosswalk: LegalCrosswalk | None = None
) -> dict[str, Any]:
    """What ``noegletal classify-reference TEXT`` prints: a JSON-serialisable dict.

    ``reason`` is None when the text was classified, else why not (parse or crosswalk).
    """
    crosswalk = _default_crosswalk() if crosswalk is None else crosswalk
    try:
        reference = parse_legal_reference(text)
    except LegalReferenceError as error:
        unparsed = dict.fromkeys(("law", "paragraph", "letter", "stk", "nr", "category"))
        return {"text": text, **unparsed, "law_inferred": False, "reason": error.reason}
    outcome = crosswalk.classify(reference, measure_start)
    ref = outcome.reference
    return {
        "text": text,
        "law": ref.law,
        "law_inferred": ref.law_inferred,
        "paragraph": ref.paragraph,
        "letter": ref.letter,
        "stk": ref.stk,
        "nr": ref.nr,
        "category": outcome.category,
        "reason": outcome.reason,
    }
