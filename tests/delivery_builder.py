"""Build a municipal delivery (input contract v1, SPEC §8) row by row, for tests that work
figures out by hand. Every CPR number is synthetic: the serial counts up from the lowest value
the century digit allows (born 2000-2036: 4001, 4002, ...; born in the 1900s: 0001, ...).

Files are written with `;` and ISO dates. A file is part of the delivery when a row was added
or it was named in `include`; core files are always written (empty when no rows).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

HOME_BASED = "SEL § 52, stk. 3, nr. 3"
PLACEMENT = "SEL § 52, stk. 3, nr. 7"
ORDER = "SEL § 57 a"
PREVENTIVE_OFFER = "SEL § 11, stk. 3"
INVESTIGATION = "SEL § 50"

HEADERS: dict[str, tuple[str, ...]] = {
    "children": ("cpr", "unaccompanied_refugee"),
    "measures": (
        "measure_id",
        "cpr",
        "legal_reference",
        "placement_type",
        "start_date",
        "end_date",
        "end_reason",
        "disability",
        "authority_granted",
        "provider",
    ),
    "investigations": (
        "investigation_id",
        "cpr",
        "legal_reference",
        "decision_date",
        "completed_date",
    ),
    "follow_ups": ("follow_up_id", "measure_id", "completed_date"),
    "action_plans": ("plan_id", "cpr", "created_date"),
    "caseworker_assignments": ("case_id", "cpr", "caseworker_id", "role", "from_date", "to_date"),
    "inquiries": ("inquiry_id", "inquiry_date", "channel", "outcome"),
    "family_involvement": ("cpr", "recorded_date", "status"),
    "school_absence": ("cpr", "school_year", "municipal_school", "absence_pct"),
    "school_completion": ("cpr", "school_year", "completed_9th_grade"),
    "youth_education": ("cpr", "start_date", "completed_date", "kind"),
    "charges": ("cpr", "charge_date", "severity"),
    "child_conversations": ("cpr", "conversation_date", "goals_achieved"),
    "wellbeing": ("cpr", "assessment_date", "score"),
    "housing_centre_stays": ("cpr", "centre_id", "start_date", "end_date", "destination"),
}
CORE = ("children", "measures", "investigations", "follow_ups")


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@dataclass
class DeliveryBuilder:
    rows: dict[str, list[tuple[object, ...]]] = field(default_factory=dict)
    include: set[str] = field(default_factory=set)
    # The header of measures.csv's optional placement_site_id column (SPEC §12), written only
    # when a measure has a site; "anbringelsessted_id" is its Danish alias.
    site_header: str = "placement_site_id"
    _serials: dict[str, int] = field(default_factory=dict)
    _ids: dict[str, int] = field(default_factory=dict)

    def _add(self, file: str, *values: object) -> None:
        self.rows.setdefault(file, []).append(values)

    def _next_id(self, kind: str) -> str:
        self._ids[kind] = self._ids.get(kind, 0) + 1
        return str(self._ids[kind])

    def person(self, birth: dt.date | str, *, refugee: bool = False, listed: bool = True) -> str:
        """A new CPR number for someone born on `birth`; listed in children.csv by default."""
        birth = d(birth) if isinstance(birth, str) else birth
        if 2000 <= birth.year <= 2036:
            century, first = "20", 4001
        elif 1900 <= birth.year <= 1999:
            century, first = "19", 1
        else:
            raise ValueError(f"no synthetic CPR century for {birth}")
        serial = self._serials.get(century, first)
        self._serials[century] = serial + 1
        cpr = f"{birth:%d%m%y}-{serial:04d}"
        if listed:
            self._add("children", cpr, refugee)
        return cpr

    def measure(
        self,
        cpr: str,
        start: str,
        end: str | None = None,
        *,
        reference: str = HOME_BASED,
        placement_type: str = "",
        end_reason: str = "",
        disability: bool = False,
        granted: bool = False,
        provider: str = "",
        site: str = "",
    ) -> str:
        measure_id = self._next_id("measure")
        if reference == PLACEMENT and not placement_type:
            placement_type = "døgninstitution"
        self._add(
            "measures",
            measure_id,
            cpr,
            reference,
            placement_type,
            d(start),
            d(end) if end else None,
            end_reason,
            disability,
            granted,
            provider,
            site,
        )
        return measure_id

    def placement(self, cpr: str, start: str, end: str | None = None, **kwargs: object) -> str:
        return self.measure(cpr, start, end, reference=PLACEMENT, **kwargs)  # type: ignore[arg-type]

    def investigation(self, cpr: str, decided: str, completed: str | None = None) -> str:
        investigation_id = self._next_id("investigation")
        self._add(
            "investigations",
            investigation_id,
            cpr,
            INVESTIGATION,
            d(decided),
            d(completed) if completed else None,
        )
        return investigation_id

    def follow_up(self, measure_id: str, completed: str) -> None:
        self._add("follow_ups", self._next_id("follow_up"), measure_id, d(completed))

    def action_plan(self, cpr: str, created: str) -> None:
        self._add("action_plans", self._next_id("plan"), cpr, d(created))

    def assignment(
        self, case_id: str, cpr: str, caseworker: str, role: str, start: str, end: str | None = None
    ) -> None:
        self._add(
            "caseworker_assignments",
            case_id,
            cpr,
            caseworker,
            role,
            d(start),
            d(end) if end else None,
        )

    def inquiry(self, day: str, channel: str, outcome: str) -> None:
        self._add("inquiries", self._next_id("inquiry"), d(day), channel, outcome)

    def involvement(self, cpr: str, day: str, status: str) -> None:
        self._add("family_involvement", cpr, d(day), status)

    def absence(
        self, cpr: str, school_year: str, absence_pct: float, municipal: bool = True
    ) -> None:
        self._add("school_absence", cpr, school_year, municipal, absence_pct)

    def completion(self, cpr: str, school_year: str, completed: bool) -> None:
        self._add("school_completion", cpr, school_year, completed)

    def education(self, cpr: str, start: str, completed: str | None = None) -> None:
        self._add("youth_education", cpr, d(start), d(completed) if completed else None, "EUD")

    def charge(self, cpr: str, day: str, severity: str) -> None:
        self._add("charges", cpr, d(day), severity)

    def conversation(self, cpr: str, day: str, achieved: str) -> None:
        self._add("child_conversations", cpr, d(day), achieved)

    def wellbeing(self, cpr: str, day: str, score: float) -> None:
        self._add("wellbeing", cpr, d(day), score)

    def stay(self, cpr: str, start: str, end: str | None = None, destination: str = "") -> None:
        self._add("housing_centre_stays", cpr, "B1", d(start), d(end) if end else None, destination)

    def files(self) -> dict[str, str]:
        """The delivery as {file name without .csv: text}."""
        names = [n for n in HEADERS if n in CORE or n in self.rows or n in self.include]
        out: dict[str, str] = {}
        for name in names:
            header, rows = HEADERS[name], self.rows.get(name, [])
            if name == "measures":
                # The site column is written only when some measure has one.
                if any(row[-1] for row in rows):
                    header = (*header, self.site_header)
                else:
                    rows = [row[:-1] for row in rows]
            lines = [";".join(header)]
            lines += [";".join(_text(v) for v in row) for row in rows]
            out[name] = "\n".join(lines) + "\n"
        return out
