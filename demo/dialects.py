"""How each municipality's systems write each file: the messiness of SPEC §8, on purpose.

Real extracts come from different systems (case system, finance, school, police), so the
format varies by municipality and by file. Each dimension is rotated with its own stride
over (municipality, file), so that every variant appears within the three municipalities
of the municipal demo, and each municipality still looks like one system per file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from demo import dates
from demo.legal import FAMILIES, Family

CORE_FILES = ("children", "measures", "investigations", "follow_ups")
OPTIONAL_FILES = (
    "action_plans",
    "caseworker_assignments",
    "expenses",
    "inquiries",
    "family_involvement",
    "school_absence",
    "school_completion",
    "youth_education",
    "charges",
    "child_conversations",
    "wellbeing",
    "housing_centre_stays",
)
FILES = CORE_FILES + OPTIONAL_FILES
# Files with a Danish alias for (some of) their columns in SPEC §8.
ALIASED_FILES = ("children", "measures", "investigations")
# Which files a dialect dimension shows up in at all.
DECIMAL_FILES = ("expenses", "school_absence", "wellbeing")
BOOLEAN_FILES = ("children", "measures", "school_absence", "school_completion")
LABEL_FILES = ("measures", "caseworker_assignments", "youth_education")
SCHOOL_YEAR_FILES = ("school_absence", "school_completion")

Encoding = Literal["utf-8-sig", "utf-8", "cp1252"]
HeaderCase = Literal["lower", "upper", "title"]
CprStyle = Literal["hyphen", "plain", "mixed"]
AccountStyle = Literal["dotted", "compact", "sub_accounts"]

ENCODINGS: tuple[Encoding, ...] = ("utf-8-sig", "cp1252", "utf-8")
DELIMITERS = (";", ",")
BOOLEANS = (("1", "0"), ("true", "false"), ("ja", "nej"), ("j", "n"))
HEADER_CASES: tuple[HeaderCase, ...] = ("lower", "upper", "title")
CPR_STYLES: tuple[CprStyle, ...] = ("hyphen", "plain", "mixed")
ACCOUNT_STYLES: tuple[AccountStyle, ...] = ("dotted", "compact", "sub_accounts")
NOT_APPLICABLE = "n/a"
ENCODING_NAMES = {"utf-8-sig": "UTF-8 with BOM", "utf-8": "UTF-8", "cp1252": "Windows-1252"}


@dataclass(frozen=True)
class FileDialect:
    """How one file of one municipality is written."""

    encoding: Encoding
    delimiter: str
    date_format: str
    decimal: str
    boolean: tuple[str, str]  # (true, false)
    empty_false: bool  # false written as an empty cell (which reads as false)
    header_case: HeaderCase
    danish_headers: bool
    danish_enums: bool
    cpr_style: CprStyle
    long_school_year: bool  # 2010/2011 rather than 2010/11
    line_ending: str

    def describe(self, file: str) -> dict[str, str]:
        """The dialect in words, with "n/a" for dimensions the file has no column for."""
        fmt = self.date_format.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD")
        empty = " (false often empty)" if self.empty_false else ""
        headers = ("Danish aliases, " if self.danish_headers else "") + self.header_case
        return {
            "encoding": ENCODING_NAMES[self.encoding],
            "delimiter": f"`{self.delimiter}`",
            "dates": fmt,
            "decimal": f"`{self.decimal}`" if file in DECIMAL_FILES else NOT_APPLICABLE,
            "booleans": "/".join(self.boolean) + empty if file in BOOLEAN_FILES else NOT_APPLICABLE,
            "headers": headers,
            "labels": ("Danish" if self.danish_enums else "English codes")
            if file in LABEL_FILES
            else NOT_APPLICABLE,
            "school year": ("2010/2011" if self.long_school_year else "2010/11")
            if file in SCHOOL_YEAR_FILES
            else NOT_APPLICABLE,
            "cpr": self.cpr_style
            if file not in ("expenses", "inquiries", "follow_ups")
            else NOT_APPLICABLE,
            "line ending": "CRLF" if self.line_ending == "\r\n" else "LF",
        }


@dataclass(frozen=True)
class SystemStyle:
    """What a municipality's systems share across files."""

    notation: Family  # legal reference notation family
    numeric_ids: bool  # measure/investigation ids as numbers, or as prefixed text
    id_prefix: str
    account_style: AccountStyle
    with_case_id: bool  # measures.csv carries the optional case_id column
    extra_column: tuple[str, str, str]  # (file, column, value): an unknown column


_EXTRA_COLUMNS = (
    ("follow_ups", "registreret_af", "DUBU-integration"),
    ("measures", "kildesystem", "Nexus"),
    ("children", "importkoersel", "2"),
)


def system_style(index: int, code: int) -> SystemStyle:
    """The municipality at position `index` of the run (0, 1, 2, ... in code order)."""
    return SystemStyle(
        notation=FAMILIES[index % 3],
        numeric_ids=index % 3 != 1,
        id_prefix=f"K{code}-",
        account_style=ACCOUNT_STYLES[index % 3],
        with_case_id=index % 2 == 0,
        extra_column=_EXTRA_COLUMNS[index % 3],
    )


def file_dialect(index: int, file: str) -> FileDialect:
    """The dialect of one file; `index` is the municipality's position in the run."""
    f = FILES.index(file)
    i = index
    encoding = ENCODINGS[(i + f) % 3]
    return FileDialect(
        encoding=encoding,
        delimiter=DELIMITERS[(i + f // 2) % 2],
        date_format=dates.DATE_FORMATS[(2 * i + f) % 3],
        decimal=(",", ".")[(i + f // 5) % 2],
        boolean=BOOLEANS[(i + f) % 4],
        empty_false=(i + f) % 5 == 2,
        header_case=HEADER_CASES[(i + 2 * f) % 3],
        danish_headers=file in ALIASED_FILES and (i + f) % 2 == 0,
        danish_enums=(i + f) % 2 == 1,
        cpr_style=CPR_STYLES[(i + f // 4) % 3],
        long_school_year=(i + f) % 2 == 0,
        # Windows systems tend to write CRLF; a few others do too.
        line_ending="\r\n" if encoding == "cp1252" or (i + f) % 7 == 3 else "\n",
    )


def markdown_tables(codes: list[int], names: dict[int, str]) -> str:
    """The dialect of every file per municipality, as the README shows it."""
    columns = list(file_dialect(0, FILES[0]).describe(FILES[0]))
    out = []
    for index, code in enumerate(codes):
        system = system_style(index, code)
        extra_file, extra_column, _ = system.extra_column
        ids = "numbers" if system.numeric_ids else f"text ({system.id_prefix}...)"
        out.append(
            f"**{code} {names[code]}**: legal references in {system.notation} notation; "
            f"ids as {ids}; accounts {system.account_style}; case_id in measures.csv: "
            f"{'yes' if system.with_case_id else 'no'}; unknown extra column "
            f"`{extra_column}` in {extra_file}.csv."
        )
        out.append("")
        out.append("| file | " + " | ".join(columns) + " |")
        out.append("|---" * (len(columns) + 1) + "|")
        for file in FILES:
            cells = file_dialect(index, file).describe(file)
            out.append(f"| {file}.csv | " + " | ".join(cells[c] for c in columns) + " |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
