"""Input contract v1 (SPEC §8): the files of a municipal delivery, their columns and aliases.

This module is the one place that lists what a delivery holds. The reader uses it to recognise
headers, the normaliser to type values, the contracts to know what is required, the warehouse
writer to create landing tables, and dbt's sources mirror it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """How a column's text is turned into a value."""

    CPR = "cpr"  # replaced by person_id, birth_date and sex at the door (SPEC §3, §10)
    # An identifier that is only ever compared for equality and may be a person's number (a
    # foster family's site id can be the foster parent's CPR number): replaced at the door by
    # a keyed pseudonym, like the CPR number.
    PSEUDONYMISED_ID = "pseudonymised_id"
    ID = "id"  # an identifier kept as text, stripped
    TEXT = "text"
    DATE = "date"  # YYYY-MM-DD, DD-MM-YYYY or DD.MM.YYYY
    BOOLEAN = "boolean"  # 1/0, true/false, ja/nej, j/n; empty = false (SPEC §11)
    DECIMAL = "decimal"  # decimal comma or point
    ENUM = "enum"  # a code from a fixed list, Danish labels accepted
    LEGAL_REFERENCE = "legal_reference"  # classified through the legal crosswalk seed
    PLACEMENT_TYPE = "placement_type"  # mapped through the placement type seed
    MONTH = "month"  # YYYY-MM
    SCHOOL_YEAR = "school_year"  # 2010/11 or 2010/2011
    ACCOUNT = "account"  # municipal chart of accounts: 5.28.21, 52821, 5.28.21.01


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: Kind
    required: bool = False  # the value may not be empty
    may_be_absent: bool = False  # the header may lack the column (SPEC marks it optional)
    aliases: tuple[str, ...] = ()
    # ENUM only: accepted spellings (lower case) -> code.
    values: dict[str, str] = field(default_factory=dict)

    @property
    def names(self) -> tuple[str, ...]:
        """Every header spelling that means this column, lower case."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class FileSpec:
    name: str  # the table name, e.g. "measures"; the file is f"{name}.csv"
    columns: tuple[ColumnSpec, ...]
    core: bool
    id_column: str | None = None  # unique within the file (SPEC §8)
    feeds: str = ""

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> ColumnSpec:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.filename} has no column {name!r}")

    @property
    def has_cpr(self) -> bool:
        return any(c.kind is Kind.CPR for c in self.columns)


def _enum(*pairs: tuple[str, tuple[str, ...]]) -> dict[str, str]:
    """Map each code and its Danish labels (lower case) to the code."""
    mapping: dict[str, str] = {}
    for code, labels in pairs:
        for spelling in (code, *labels):
            mapping[spelling.lower()] = code
    return mapping


_CPR = ColumnSpec("cpr", Kind.CPR, required=True, aliases=("cpr_nr", "cprnr", "personnummer"))

END_REASONS = _enum(
    ("PLANNED", ("planlagt", "planlagt ophør")),
    ("UNPLANNED", ("sammenbrud", "ikke planlagt", "ikke-planlagt", "uplanlagt")),
    ("OTHER", ("andet", "anden")),
)
PROVIDERS = _enum(
    ("INTERNAL", ("intern",)),
    ("EXTERNAL", ("ekstern",)),
    ("GENERAL", ("almen", "almenmiljø", "almenområdet", "almindelig")),
)
ROLES = _enum(
    ("INTAKE", ("modtagelse", "modtager")),
    ("RESPONSIBLE", ("sagsbehandler", "ansvarlig", "ansvarlig sagsbehandler")),
)
CHANNELS = _enum(
    ("SCHOOL", ("skole",)), ("DAYCARE", ("dagtilbud", "daginstitution")), ("OTHER", ("andet",))
)
OUTCOMES = _enum(
    ("LOCAL_EFFORT", ("lokal indsats",)),
    ("CASE_OPENED", ("sag oprettet", "myndighedssag")),
    ("NONE", ("ingen",)),
)
INVOLVEMENT = _enum(
    ("INVOLVED", ("inddraget",)),
    ("DECLINED", ("fravalgt", "ønsker ikke", "har ikke ønsket")),
    ("NOT_INVOLVED", ("ikke inddraget",)),
)
SEVERITIES = _enum(
    ("SERIOUS", ("alvorlig",)),
    ("VIOLENT", ("personfarlig", "vold")),
    ("OTHER", ("anden", "andet")),
)
GOALS_ACHIEVED = _enum(("YES", ("ja",)), ("PARTLY", ("delvist", "delvis")), ("NO", ("nej",)))
DESTINATIONS = _enum(
    ("INDEPENDENT", ("selvstændig bolig", "egen bolig")),
    ("OTHER_CENTRE", ("andet bocenter",)),
    ("HOSPITAL", ("hospital", "sygehus")),
    ("DECEASED", ("død", "afgået ved døden")),
    ("OTHER", ("andet",)),
)

FILES: tuple[FileSpec, ...] = (
    FileSpec(
        "children",
        core=True,
        id_column="cpr",
        columns=(
            _CPR,
            ColumnSpec("unaccompanied_refugee", Kind.BOOLEAN, aliases=("uledsaget_flygtning",)),
        ),
    ),
    FileSpec(
        "measures",
        core=True,
        id_column="measure_id",
        columns=(
            ColumnSpec("measure_id", Kind.ID, required=True, aliases=("indsats_id",)),
            _CPR,
            ColumnSpec(
                "legal_reference", Kind.LEGAL_REFERENCE, required=True, aliases=("paragraf",)
            ),
            ColumnSpec("placement_type", Kind.PLACEMENT_TYPE, aliases=("anbringelsessted",)),
            ColumnSpec("start_date", Kind.DATE, required=True, aliases=("startdato",)),
            ColumnSpec("end_date", Kind.DATE, aliases=("slutdato",)),
            ColumnSpec("end_reason", Kind.ENUM, aliases=("ophoersaarsag",), values=END_REASONS),
            ColumnSpec("disability", Kind.BOOLEAN, aliases=("funktionsnedsaettelse",)),
            ColumnSpec("authority_granted", Kind.BOOLEAN, aliases=("myndighedsbevilget",)),
            ColumnSpec("provider", Kind.ENUM, aliases=("leverandoer",), values=PROVIDERS),
            ColumnSpec("case_id", Kind.ID, may_be_absent=True, aliases=("sags_id",)),
            # Where the child is placed (Tilbudsportalen id or p-number; SPEC §12): a change of
            # site between two days in care is a move (indicator ST1). Ignored on measures that
            # are not placements, as placement_type is.
            ColumnSpec(
                "placement_site_id",
                Kind.PSEUDONYMISED_ID,
                may_be_absent=True,
                aliases=("anbringelsessted_id",),
            ),
        ),
    ),
    FileSpec(
        "investigations",
        core=True,
        id_column="investigation_id",
        columns=(
            ColumnSpec("investigation_id", Kind.ID, required=True, aliases=("undersoegelse_id",)),
            _CPR,
            ColumnSpec(
                "legal_reference", Kind.LEGAL_REFERENCE, required=True, aliases=("paragraf",)
            ),
            ColumnSpec("decision_date", Kind.DATE, required=True, aliases=("afgoerelsesdato",)),
            ColumnSpec("completed_date", Kind.DATE, aliases=("afslutningsdato",)),
        ),
    ),
    FileSpec(
        "follow_ups",
        core=True,
        id_column="follow_up_id",
        columns=(
            ColumnSpec("follow_up_id", Kind.ID, required=True, aliases=("opfoelgning_id",)),
            ColumnSpec("measure_id", Kind.ID, required=True, aliases=("indsats_id",)),
            ColumnSpec("completed_date", Kind.DATE, required=True, aliases=("afslutningsdato",)),
        ),
    ),
    FileSpec(
        "action_plans",
        core=False,
        id_column="plan_id",
        feeds="goal G11",
        columns=(
            ColumnSpec("plan_id", Kind.ID, required=True, aliases=("handleplan_id",)),
            _CPR,
            ColumnSpec("created_date", Kind.DATE, required=True, aliases=("oprettet_dato",)),
            ColumnSpec("measure_id", Kind.ID, may_be_absent=True, aliases=("indsats_id",)),
        ),
    ),
    FileSpec(
        "caseworker_assignments",
        core=False,
        feeds="goal S1",
        columns=(
            ColumnSpec("case_id", Kind.ID, required=True, aliases=("sags_id",)),
            _CPR,
            ColumnSpec("caseworker_id", Kind.ID, required=True, aliases=("sagsbehandler_id",)),
            ColumnSpec("role", Kind.ENUM, required=True, aliases=("rolle",), values=ROLES),
            ColumnSpec("from_date", Kind.DATE, required=True, aliases=("fra_dato",)),
            ColumnSpec("to_date", Kind.DATE, aliases=("til_dato",)),
        ),
    ),
    FileSpec(
        "expenses",
        core=False,
        feeds="indicator 11",
        columns=(
            ColumnSpec("month", Kind.MONTH, required=True, aliases=("maaned",)),
            ColumnSpec("account", Kind.ACCOUNT, required=True, aliases=("konto",)),
            ColumnSpec("amount_dkk", Kind.DECIMAL, required=True, aliases=("beloeb_kr", "beloeb")),
        ),
    ),
    FileSpec(
        "inquiries",
        core=False,
        id_column="inquiry_id",
        feeds="goal S3",
        columns=(
            ColumnSpec("inquiry_id", Kind.ID, required=True, aliases=("henvendelse_id",)),
            ColumnSpec("inquiry_date", Kind.DATE, required=True, aliases=("henvendelsesdato",)),
            ColumnSpec("channel", Kind.ENUM, required=True, aliases=("kanal",), values=CHANNELS),
            ColumnSpec("outcome", Kind.ENUM, required=True, aliases=("udfald",), values=OUTCOMES),
        ),
    ),
    FileSpec(
        "family_involvement",
        core=False,
        feeds="goal G2",
        columns=(
            _CPR,
            ColumnSpec("recorded_date", Kind.DATE, required=True, aliases=("registreringsdato",)),
            ColumnSpec("status", Kind.ENUM, required=True, values=INVOLVEMENT),
        ),
    ),
    FileSpec(
        "school_absence",
        core=False,
        feeds="goals G4, Q1",
        columns=(
            _CPR,
            ColumnSpec("school_year", Kind.SCHOOL_YEAR, required=True, aliases=("skoleaar",)),
            ColumnSpec("municipal_school", Kind.BOOLEAN, aliases=("kommunal_skole", "folkeskole")),
            ColumnSpec("absence_pct", Kind.DECIMAL, required=True, aliases=("fravaer_pct",)),
        ),
    ),
    FileSpec(
        "school_completion",
        core=False,
        feeds="goal G5",
        columns=(
            _CPR,
            ColumnSpec("school_year", Kind.SCHOOL_YEAR, required=True, aliases=("skoleaar",)),
            ColumnSpec("completed_9th_grade", Kind.BOOLEAN, aliases=("gennemfoert_9_klasse",)),
        ),
    ),
    FileSpec(
        "youth_education",
        core=False,
        feeds="goals G7, S6",
        columns=(
            _CPR,
            ColumnSpec("start_date", Kind.DATE, required=True, aliases=("startdato",)),
            ColumnSpec("completed_date", Kind.DATE, aliases=("afslutningsdato",)),
            ColumnSpec("kind", Kind.TEXT, aliases=("uddannelse", "type")),
        ),
    ),
    FileSpec(
        "charges",
        core=False,
        feeds="goal G6",
        columns=(
            _CPR,
            ColumnSpec("charge_date", Kind.DATE, required=True, aliases=("sigtelsesdato",)),
            ColumnSpec(
                "severity", Kind.ENUM, required=True, aliases=("grovhed",), values=SEVERITIES
            ),
        ),
    ),
    FileSpec(
        "child_conversations",
        core=False,
        feeds="goal S5",
        columns=(
            _CPR,
            ColumnSpec("conversation_date", Kind.DATE, required=True, aliases=("samtaledato",)),
            ColumnSpec(
                "goals_achieved",
                Kind.ENUM,
                required=True,
                aliases=("maal_naaet",),
                values=GOALS_ACHIEVED,
            ),
        ),
    ),
    FileSpec(
        "wellbeing",
        core=False,
        feeds="goal G8",
        columns=(
            _CPR,
            ColumnSpec("assessment_date", Kind.DATE, required=True, aliases=("vurderingsdato",)),
            ColumnSpec("score", Kind.DECIMAL, required=True),
        ),
    ),
    FileSpec(
        "housing_centre_stays",
        core=False,
        feeds="goal Q2",
        columns=(
            _CPR,
            ColumnSpec("centre_id", Kind.ID, required=True, aliases=("bocenter_id",)),
            ColumnSpec("start_date", Kind.DATE, required=True, aliases=("startdato",)),
            ColumnSpec("end_date", Kind.DATE, aliases=("slutdato",)),
            ColumnSpec("destination", Kind.ENUM, aliases=("fraflytning_til",), values=DESTINATIONS),
        ),
    ),
)

FILES_BY_NAME: dict[str, FileSpec] = {f.name: f for f in FILES}
CORE_FILES: tuple[FileSpec, ...] = tuple(f for f in FILES if f.core)
OPTIONAL_FILES: tuple[FileSpec, ...] = tuple(f for f in FILES if not f.core)

# Dates that may lie after the delivery date: a measure's planned end (SPEC §11 "Rows").
DATES_ALLOWED_AFTER_DELIVERY: frozenset[tuple[str, str]] = frozenset({("measures", "end_date")})

# Pairs (file, earlier, later) where the later date may not precede the earlier one (SPEC §8).
DATE_ORDER_RULES: tuple[tuple[str, str, str], ...] = (
    ("measures", "start_date", "end_date"),
    ("investigations", "decision_date", "completed_date"),
    ("caseworker_assignments", "from_date", "to_date"),
    ("youth_education", "start_date", "completed_date"),
    ("housing_centre_stays", "start_date", "end_date"),
)
