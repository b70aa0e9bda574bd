"""Plain Danish for the quarantine's rule names, and what each rule expected (SPEC §13).

A rule name this module does not know (a rule added to the contracts later) still shows, with a
generic text naming the rule: the report never drops a quarantined row for want of a wording.
Nothing here ever repeats a value of the row except its own id and dates that were read as
dates (those are not personal data, and the municipality's staff need them to find the row).
"""

from __future__ import annotations

import datetime as dt

from pipeline.sources.extracts.spec import DATE_ORDER_RULES, FILES_BY_NAME, Kind

RULES_DA: dict[str, tuple[str, str]] = {
    # rule: (what is wrong, what was expected)
    "cpr_invalid": (
        "CPR-nummeret er ikke gyldigt",
        "DDMMÅÅ-SSSS (med eller uden bindestreg) med en rigtig fødselsdato",
    ),
    "date_invalid": ("Datoen kan ikke læses", "ÅÅÅÅ-MM-DD, DD-MM-ÅÅÅÅ eller DD.MM.ÅÅÅÅ"),
    "boolean_invalid": ("Ja/nej-feltet kan ikke læses", "1/0, true/false, ja/nej, j/n eller tomt"),
    "number_invalid": ("Tallet kan ikke læses", "et tal med decimalkomma eller -punktum"),
    "month_invalid": ("Måneden kan ikke læses", "ÅÅÅÅ-MM"),
    "school_year_invalid": ("Skoleåret kan ikke læses", "fx 2010/11 eller 2010/2011"),
    "account_invalid": ("Kontonummeret kan ikke læses", "fx 5.28.21, 52821 eller 5.28.21.01"),
    "value_not_allowed": ("Værdien er ikke en af de tilladte", "en af kontraktens værdier"),
    "required": ("Feltet er tomt, men skal udfyldes", "en værdi"),
    "legal_reference_unmapped": (
        "Paragraffen kan ikke henføres til en indsatskategori",
        "en paragraf med stk. og nr., hvor loven kræver det (fx SEL § 52, stk. 3, nr. 7); "
        "§ 52 eller § 11 alene er ikke nok",
    ),
    "not_an_investigation": (
        "Paragraffen er ikke en børnefaglig undersøgelse",
        "fx SEL § 50 eller BL § 20",
    ),
    "placement_type_unknown": (
        "Anbringelsesstedet er ikke et kendt anbringelsessted",
        "et anbringelsessted fra kontraktens liste (fx plejefamilie, døgninstitution)",
    ),
    "placement_type_missing": (
        "Anbringelsen mangler anbringelsessted",
        "et anbringelsessted, når indsatsen er en anbringelse",
    ),
    "duplicate_id": (
        "Id'et står på flere rækker i filen; alle rækker med id'et er sat til side",
        "et id, der kun står på én række",
    ),
    "measure_missing": (
        "Opfølgningen henviser til en indsats, der ikke er blandt leverancens godkendte indsatser",
        "et indsats_id fra measures.csv",
    ),
    # SPEC §11: a cascade (issue 14's rule name); the row that caused it is named beside it.
    "measure_quarantined": (
        "Opfølgningen henviser til en indsats, der selv er sat til side",
        "at indsatsen i measures.csv rettes; så godkendes opfølgningen også",
    ),
    "end_before_start": ("Slutdatoen ligger før startdatoen", "en slutdato på eller efter start"),
    "date_after_delivery": (
        "Datoen ligger efter leverancedatoen",
        "en dato på eller før leverancedatoen",
    ),
    "wrong_number_of_fields": (
        "Rækken har ikke det samme antal felter som overskriftslinjen",
        "ét felt pr. kolonne i overskriften",
    ),
}


def rule_text(
    rule: str,
    column: str | None,
    file: str,
    found: dt.date | None,
    compared: dt.date | None,
    delivery_date: dt.date,
) -> tuple[str, str]:
    """(what is wrong, what was expected), in Danish, for one quarantined row."""
    base = rule.split("[", 1)[0]
    wrong, expected = RULES_DA.get(
        base, (f"Rækken overholder ikke kontraktens regel »{base}«", "se leverancekontrakten")
    )
    name = file.removesuffix(".csv")
    if base == "end_before_start" and found is not None and compared is not None:
        earlier = next((e for f, e, late in DATE_ORDER_RULES if f == name and late == column), "")
        wrong = (
            f"{_danish(name, column).capitalize()} {_d(found)} ligger før "
            f"{_danish(name, earlier)} {_d(compared)}"
        )
    elif base == "date_after_delivery" and found is not None:
        wrong = (
            f"{_danish(name, column).capitalize()} {_d(found)} ligger efter leverancedatoen "
            f"{_d(delivery_date)}"
        )
    elif base == "value_not_allowed":
        allowed = _allowed_values(file, column)
        if allowed:
            expected = "en af: " + ", ".join(allowed)
    return wrong, expected


def column_label(file: str, column: str | None) -> str:
    """'end_date (slutdato)': the contract's name and its Danish alias, never the file's header."""
    if not column:
        return "rækken"
    spec = FILES_BY_NAME.get(file.removesuffix(".csv"))
    if spec is None:
        return column
    try:
        aliases = spec.column(column).aliases
    except KeyError:
        return column
    return f"{column} ({aliases[0]})" if aliases else column


def _danish(file: str, column: str | None) -> str:
    """The column's Danish alias ('slutdato'), or its contract name when it has none."""
    spec = FILES_BY_NAME.get(file)
    try:
        aliases = spec.column(column).aliases if spec is not None and column else ()
    except KeyError:
        aliases = ()
    return aliases[0] if aliases else str(column)


def _allowed_values(file: str, column: str | None) -> list[str]:
    spec = FILES_BY_NAME.get(file.removesuffix(".csv"))
    if spec is None or not column:
        return []
    try:
        found = spec.column(column)
    except KeyError:
        return []
    return sorted(set(found.values.values())) if found.kind is Kind.ENUM else []


def _d(day: dt.date) -> str:
    return day.isoformat()
