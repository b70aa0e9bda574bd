"""Typed snapshot tables -> the text columns of each CSV file, in a file's dialect.

One function per file, each returning a Table (header + one object array of strings per
column). Values are formatted column-wise through lookup tables, never row by row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from demo import codes, cpr, dates, legal, text
from demo.dialects import FileDialect, SystemStyle
from demo.snapshot import Snapshot

# SPEC §8 Danish aliases, per file that has them.
DANISH_ALIASES: dict[str, dict[str, str]] = {
    "children": {"cpr": "personnummer", "unaccompanied_refugee": "uledsaget_flygtning"},
    "measures": {
        "measure_id": "indsats_id",
        "cpr": "cpr_nr",
        "legal_reference": "paragraf",
        "placement_type": "anbringelsessted",
        "start_date": "startdato",
        "end_date": "slutdato",
        "end_reason": "ophoersaarsag",
        "disability": "funktionsnedsaettelse",
        "authority_granted": "myndighedsbevilget",
        "provider": "leverandoer",
        "case_id": "sags_id",
    },
    "investigations": {
        "cpr": "cpr_nr",
        "legal_reference": "paragraf",
        "decision_date": "afgoerelsesdato",
        "completed_date": "afslutningsdato",
    },
}


@dataclass
class Table:
    names: list[str]  # contract (English) column names
    header: list[str]  # as written: aliases and case of the file's dialect
    columns: list[np.ndarray]

    def column(self, name: str) -> np.ndarray:
        return self.columns[self.names.index(name)]

    def __len__(self) -> int:
        return int(self.columns[0].size) if self.columns else 0


@dataclass(frozen=True)
class Identities:
    """CPR numbers (with the hyphen) of the municipality's children and adults, by index."""

    children: np.ndarray
    adults: np.ndarray


@dataclass(frozen=True)
class Renderer:
    """Formats one municipality's snapshot in each file's dialect."""

    code: int
    system: SystemStyle
    ids: Identities

    # -- value formatters -------------------------------------------------------------

    def cpr(self, who: np.ndarray, d: FileDialect, adults: bool = False) -> np.ndarray:
        values = (self.ids.adults if adults else self.ids.children)[who]
        if d.cpr_style == "hyphen":
            return values
        if values.size == 0:
            return values
        plain = np.char.replace(values.astype(str), "-", "").astype(object)
        if d.cpr_style == "plain":
            return plain
        return np.where(who % 4 == 0, plain, values)

    @staticmethod
    def date(days: np.ndarray, d: FileDialect) -> np.ndarray:
        return dates.format_days(np.asarray(days, dtype=np.int64), d.date_format)

    @staticmethod
    def boolean(values: np.ndarray, d: FileDialect) -> np.ndarray:
        lut = np.array([d.boolean[1], d.boolean[0], ""], dtype=object)
        if d.empty_false:
            lut[codes.FALSE] = ""
        return lut[np.asarray(values, dtype=np.int64)]

    @staticmethod
    def enum(values: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
        lut = np.array([*names, ""], dtype=object)
        return lut[np.where(np.asarray(values) < 0, len(names), values)]

    @staticmethod
    def decimal(values: np.ndarray, digits: int, d: FileDialect) -> np.ndarray:
        values = np.asarray(values, dtype=float)
        if values.size == 0:
            return np.zeros(0, dtype=object)
        out = np.char.mod(f"%.{digits}f", values).astype(object)
        if d.decimal == ",":
            out = np.char.replace(out.astype(str), ".", ",").astype(object)
        return out

    def measure_id(self, rows: np.ndarray) -> np.ndarray:
        return self._id(rows, 100_000 + self.code * 1_000_000, "IND")

    def investigation_id(self, rows: np.ndarray) -> np.ndarray:
        return self._id(rows, 500_000 + self.code * 1_000_000, "BFU")

    def case_id(self, persons: np.ndarray) -> np.ndarray:
        return self._id(persons, 700_000 + self.code * 1_000_000, "SAG")

    def _id(self, rows: np.ndarray, base: int, prefix: str) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.int64)
        if self.system.numeric_ids:
            return (rows + base).astype(str).astype(object)
        return text.concat(f"{self.system.id_prefix}{prefix}-", text.zfill(rows, 7))

    @staticmethod
    def plain_id(prefix: str, rows: np.ndarray, width: int = 6) -> np.ndarray:
        return text.concat(prefix, text.zfill(rows, width))

    def school_year(self, year: np.ndarray, d: FileDialect) -> np.ndarray:
        year = np.asarray(year, dtype=np.int64)
        nxt = year + 1 if d.long_school_year else (year + 1) % 100
        width = 4 if d.long_school_year else 2
        return text.concat(year.astype(str), "/", text.zfill(nxt, width))

    # -- headers --------------------------------------------------------------------------

    def header(self, file: str, names: list[str], d: FileDialect) -> list[str]:
        aliases = DANISH_ALIASES.get(file, {}) if d.danish_headers else {}
        out = [aliases.get(name, name) for name in names]
        if d.header_case == "upper":
            return [name.upper() for name in out]
        if d.header_case == "title":
            return ["_".join(part.capitalize() for part in name.split("_")) for name in out]
        return out

    def table(self, file: str, d: FileDialect, columns: dict[str, np.ndarray]) -> Table:
        names = list(columns)
        values = list(columns.values())
        extra_file, extra_name, extra_value = self.system.extra_column
        if file == extra_file:
            names.append(extra_name)
            values.append(np.full(values[0].size, extra_value, dtype=object))
        return Table(names, self.header(file, names, d), values)

    # -- files ----------------------------------------------------------------------------

    def children(self, s: Snapshot, d: FileDialect) -> Table:
        refugee = np.where(s.children["refugee"].to_numpy(), codes.TRUE, codes.FALSE)
        return self.table(
            "children",
            d,
            {
                "cpr": self.cpr(s.children["person"].to_numpy(), d),
                "unaccompanied_refugee": self.boolean(refugee, d),
            },
        )

    def measures(self, s: Snapshot, d: FileDialect) -> Table:
        m = s.measures
        placement = m["category"].to_numpy() == codes.PLACEMENT
        ptype = m["ptype"].to_numpy().astype(np.int64)
        label = m["label"].to_numpy().astype(np.int64)
        if d.danish_enums:
            lut = np.array(
                [
                    [name for name, _ in labels] + [""] * (4 - len(labels))
                    for labels in codes.PLACEMENT_LABELS
                ],
                dtype=object,
            )
            placement_text = lut[np.maximum(ptype, 0), np.maximum(label, 0)]
        else:
            placement_text = np.array(codes.PLACEMENT_TYPE_CODES, dtype=object)[
                np.maximum(ptype, 0)
            ]
        placement_text = np.where(placement, placement_text, "")
        style = m["style"].to_numpy()
        reasons = m["reason_shown"].to_numpy().astype(np.int64)
        if d.danish_enums:
            first = self.enum(reasons, tuple(labels[0] for labels in codes.END_REASON_DANISH))
            reason_text = np.where(
                (reasons == codes.UNPLANNED) & (style % 2 == 1), "ikke planlagt", first
            )
        else:
            reason_text = self.enum(reasons, codes.END_REASON_CODES)
        columns = {
            "measure_id": self.measure_id(m["row"].to_numpy()),
            "cpr": self.cpr(m["person"].to_numpy(), d),
            "legal_reference": legal.render(
                m["ref_key"].to_numpy().astype(np.int64),
                m["start"].to_numpy(),
                style,
                self.system.notation,
            ),
            "placement_type": placement_text,
            "start_date": self.date(m["start"].to_numpy(), d),
            "end_date": self.date(m["end_shown"].to_numpy(), d),
            "end_reason": reason_text,
            "disability": self.boolean(m["disability"].to_numpy().astype(np.int64), d),
            "authority_granted": self.boolean(m["granted"].to_numpy(), d),
            "provider": self.enum(m["provider"].to_numpy(), codes.PROVIDER_CODES),
        }
        if self.system.with_case_id:
            columns["case_id"] = self.case_id(m["person"].to_numpy())
        return self.table("measures", d, columns)

    def investigations(self, s: Snapshot, d: FileDialect) -> Table:
        inv = s.investigations
        keys = inv.get("ref_key", pd.Series(legal.INVESTIGATION_KEY, index=inv.index))
        return self.table(
            "investigations",
            d,
            {
                "investigation_id": self.investigation_id(inv["row"].to_numpy()),
                "cpr": self.cpr(inv["person"].to_numpy(), d),
                "legal_reference": legal.render(
                    keys.to_numpy().astype(np.int64),
                    inv["decision"].to_numpy(),
                    inv["style"].to_numpy(),
                    self.system.notation,
                ),
                "decision_date": self.date(inv["decision"].to_numpy(), d),
                "completed_date": self.date(inv["completed_shown"].to_numpy(), d),
            },
        )

    def follow_ups(self, s: Snapshot, d: FileDialect) -> Table:
        f = s.follow_ups
        return self.table(
            "follow_ups",
            d,
            {
                "follow_up_id": (f["row"].to_numpy() + 1).astype(str).astype(object),
                "measure_id": self.measure_id(f["measure_row"].to_numpy()),
                "completed_date": self.date(f["day"].to_numpy(), d),
            },
        )

    def action_plans(self, s: Snapshot, d: FileDialect) -> Table:
        p = s.action_plans
        measure = p["measure_row"].to_numpy()
        return self.table(
            "action_plans",
            d,
            {
                "plan_id": self.plain_id("HP", p["row"].to_numpy()),
                "cpr": self.cpr(p["person"].to_numpy(), d),
                "created_date": self.date(p["day"].to_numpy(), d),
                "measure_id": np.where(measure >= 0, self.measure_id(np.maximum(measure, 0)), ""),
            },
        )

    def caseworker_assignments(self, s: Snapshot, d: FileDialect) -> Table:
        c = s.caseworkers
        worker = c["worker"].to_numpy()
        role = c["role"].to_numpy()
        worker_id = np.where(
            role == 0, self.plain_id("MOD", worker - 10_000, 2), self.plain_id("SB", worker, 4)
        )
        return self.table(
            "caseworker_assignments",
            d,
            {
                "case_id": self.case_id(c["person"].to_numpy()),
                "cpr": self.cpr(c["person"].to_numpy(), d),
                "caseworker_id": worker_id,
                "role": self.enum(role, codes.ROLE_DANISH if d.danish_enums else codes.ROLE_CODES),
                "from_date": self.date(c["from_day"].to_numpy(), d),
                "to_date": self.date(c["to_shown"].to_numpy(), d),
            },
        )

    def expenses(self, s: Snapshot, d: FileDialect) -> Table:
        e = s.expenses
        year = e["year"].to_numpy()
        month = e["month"].to_numpy()
        month_text = text.concat(year.astype(str), "-", text.zfill(month, 2))
        account = np.array(codes.ACCOUNTS, dtype=object)[e["account"].to_numpy()]
        sub = e["sub"].to_numpy()
        style = self.system.account_style
        if style == "compact":
            account = np.char.replace(account.astype(str), ".", "").astype(object)
        elif style == "sub_accounts":
            account = text.concat(account, ".", text.zfill(sub, 2))
        return self.table(
            "expenses",
            d,
            {
                "month": month_text,
                "account": account,
                "amount_dkk": self.decimal(e["amount"].to_numpy(), 2, d),
            },
        )

    def inquiries(self, s: Snapshot, d: FileDialect) -> Table:
        q = s.inquiries
        return self.table(
            "inquiries",
            d,
            {
                "inquiry_id": self.plain_id("H", q["row"].to_numpy() + 1),
                "inquiry_date": self.date(q["day"].to_numpy(), d),
                "channel": self.enum(q["channel"].to_numpy(), codes.CHANNEL_CODES),
                "outcome": self.enum(q["outcome"].to_numpy(), codes.OUTCOME_CODES),
            },
        )

    def family_involvement(self, s: Snapshot, d: FileDialect) -> Table:
        f = s.family_involvement
        return self.table(
            "family_involvement",
            d,
            {
                "cpr": self.cpr(f["person"].to_numpy(), d),
                "recorded_date": self.date(f["day"].to_numpy(), d),
                "status": self.enum(f["status"].to_numpy(), codes.INVOLVEMENT_CODES),
            },
        )

    def school_absence(self, s: Snapshot, d: FileDialect) -> Table:
        a = s.absence
        return self.table(
            "school_absence",
            d,
            {
                "cpr": self.cpr(a["person"].to_numpy(), d),
                "school_year": self.school_year(a["school_year"].to_numpy(), d),
                "municipal_school": self.boolean(a["municipal"].to_numpy(), d),
                "absence_pct": self.decimal(a["pct"].to_numpy(), 1, d),
            },
        )

    def school_completion(self, s: Snapshot, d: FileDialect) -> Table:
        c = s.completion
        return self.table(
            "school_completion",
            d,
            {
                "cpr": self.cpr(c["person"].to_numpy(), d),
                "school_year": self.school_year(c["school_year"].to_numpy(), d),
                "completed_9th_grade": self.boolean(c["completed"].to_numpy(), d),
            },
        )

    def youth_education(self, s: Snapshot, d: FileDialect) -> Table:
        e = s.education
        names = codes.EDUCATION_DANISH if d.danish_enums else codes.EDUCATION_CODES
        return self.table(
            "youth_education",
            d,
            {
                "cpr": self.cpr(e["person"].to_numpy(), d),
                "start_date": self.date(e["start"].to_numpy(), d),
                "completed_date": self.date(e["completed_shown"].to_numpy(), d),
                "kind": self.enum(e["kind"].to_numpy(), names),
            },
        )

    def charges(self, s: Snapshot, d: FileDialect) -> Table:
        c = s.charges
        return self.table(
            "charges",
            d,
            {
                "cpr": self.cpr(c["person"].to_numpy(), d),
                "charge_date": self.date(c["day"].to_numpy(), d),
                "severity": self.enum(c["severity"].to_numpy(), codes.SEVERITY_CODES),
            },
        )

    def child_conversations(self, s: Snapshot, d: FileDialect) -> Table:
        c = s.conversations
        return self.table(
            "child_conversations",
            d,
            {
                "cpr": self.cpr(c["person"].to_numpy(), d),
                "conversation_date": self.date(c["day"].to_numpy(), d),
                "goals_achieved": self.enum(c["goals"].to_numpy(), codes.GOALS_CODES),
            },
        )

    def wellbeing(self, s: Snapshot, d: FileDialect) -> Table:
        w = s.wellbeing
        return self.table(
            "wellbeing",
            d,
            {
                "cpr": self.cpr(w["person"].to_numpy(), d),
                "assessment_date": self.date(w["day"].to_numpy(), d),
                "score": self.decimal(w["score"].to_numpy(), 1, d),
            },
        )

    def housing_centre_stays(self, s: Snapshot, d: FileDialect) -> Table:
        h = s.housing
        return self.table(
            "housing_centre_stays",
            d,
            {
                "cpr": self.cpr(h["adult"].to_numpy(), d, adults=True),
                "centre_id": self.plain_id(f"BC{self.code}-", h["centre"].to_numpy() + 1, 2),
                "start_date": self.date(h["start"].to_numpy(), d),
                "end_date": self.date(h["end_shown"].to_numpy(), d),
                "destination": self.enum(
                    h["destination_shown"].to_numpy(), codes.DESTINATION_CODES
                ),
            },
        )

    def render(self, file: str, s: Snapshot, d: FileDialect) -> Table:
        method: Callable[[Snapshot, FileDialect], Table] = getattr(self, file)
        return method(s, d)


def identities(
    counter: cpr.SerialCounter,
    child_birth: np.ndarray,
    child_male: np.ndarray,
    children: np.ndarray,
    adult_birth: np.ndarray,
    adult_male: np.ndarray,
    adults: np.ndarray,
) -> Identities:
    """CPR numbers for the children and adults who appear in the files (registered in a
    fixed order, so the serials are deterministic)."""
    child_cpr = np.full(child_birth.size, "", dtype=object)
    adult_cpr = np.full(adult_birth.size, "", dtype=object)
    for who, birth, male, out in (
        (children, child_birth, child_male, child_cpr),
        (adults, adult_birth, adult_male, adult_cpr),
    ):
        who = np.unique(who)
        serial = counter.assign(birth[who], male[who])
        out[who] = cpr.format_cpr(birth[who], serial, hyphen=True)
    return Identities(children=child_cpr, adults=adult_cpr)
