"""Danish labels and number formats shared by the workbook and the report."""

from __future__ import annotations

# The units' Danish labels are reference data (dbt seed `units`), published as `unit_da`.

# Excel number formats. Excel shows the separators of the reader's locale, so a Danish Excel
# shows 1.234,5; the formats fix the number of decimals and the thousands grouping per unit.
VALUE_FORMATS = {
    "per_1000": "#,##0.0",
    "percent": '0.0" %"',
    "days": "#,##0",
    "ratio": "0.00",
    "count": "#,##0",
    "per_person": "0.00",
    "per_1000_care_days": "0.00",
}
COUNT_FORMAT = "#,##0"
KRONER_FORMAT = '#,##0" kr."'
DATE_FORMAT = "dd-mm-yyyy"
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"

# The same conventions in text (the HTML report): Danish decimal comma and thousands point.
DECIMALS = {
    "per_1000": 1,
    "percent": 1,
    "days": 0,
    "ratio": 2,
    "count": 0,
    "per_person": 2,
    "per_1000_care_days": 2,
}


def danish_number(value: float, decimals: int) -> str:
    """1234.5 -> '1.234,5' (Danish separators)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def suppressed_label(threshold: int) -> str:
    """How a suppressed figure is shown: '<5' for the default threshold."""
    return f"<{threshold}"


SUPPRESSION_NOTE_DA = (
    "Diskretioneret: tallet bygger på færre end {threshold} børn, eller er skjult, så et sådant "
    "tal ikke kan regnes ud af de øvrige."
)

# SPEC §13: a figure computed shortly after its cut-off date may still change (the
# `provisional` flag of the published rows; BI shows it as "foreløbig"), marked beside the
# figure in the workbook and the report.
PROVISIONAL_LABEL_DA = "foreløbig"
PROVISIONAL_NOTE_DA = (
    '"Foreløbig": tallet er beregnet ud fra en leverance, der kom kort efter skæringsdatoen '
    "(som standard under 60 dage efter). Sager registreres ofte sent, så tallet kan blive "
    "rettet, når en senere leverance kommer."
)


def is_provisional(row: dict[str, object]) -> bool:
    """The row's `provisional` flag; rows of a publication made before the flag are final."""
    flag = row.get("provisional")
    return bool(flag) if flag is not None and flag == flag else False  # NaN != NaN
