"""The Danish wording of the quarantine's rules, and what the report withholds."""

import datetime as dt

from pipeline.feedback.report import WITHHELD_ID, safe_id
from pipeline.feedback.rules import RULES_DA, rule_text
from pipeline.publish.audit import audit_folder

DELIVERY = dt.date(2026, 1, 8)


def test_a_date_rule_names_both_dates_in_danish():
    found, compared = dt.date(2023, 1, 31), dt.date(2023, 2, 1)
    wrong, expected = rule_text(
        "end_before_start", "end_date", "measures.csv", found, compared, DELIVERY
    )
    assert wrong == "Slutdato 2023-01-31 ligger før startdato 2023-02-01"
    assert expected == RULES_DA["end_before_start"][1]


def test_a_rule_the_report_does_not_know_still_shows_with_a_generic_text():
    wrong, expected = rule_text(
        "a_rule_of_tomorrow", "measure_id", "follow_ups.csv", None, None, DELIVERY
    )
    assert wrong == "Rækken overholder ikke kontraktens regel »a_rule_of_tomorrow«"
    assert expected == "se leverancekontrakten"


def test_a_cascaded_follow_up_says_its_measure_was_set_aside():
    # SPEC §11: the rule of a follow-up quarantined only because its measure was.
    wrong, expected = rule_text(
        "measure_quarantined", "measure_id", "follow_ups.csv", None, None, DELIVERY
    )
    assert wrong == "Opfølgningen henviser til en indsats, der selv er sat til side"
    assert expected.startswith("at indsatsen i measures.csv rettes")


def test_an_id_shaped_like_a_cpr_number_or_a_pseudonym_is_withheld():
    assert safe_id("M-1234") == "M-1234"
    assert safe_id("010115-4001") == WITHHELD_ID
    assert safe_id("0101154001") == WITHHELD_ID
    assert safe_id("a" * 64) == WITHHELD_ID
    assert safe_id(None) is None


def test_the_feedback_audit_finds_cpr_shaped_text_and_pseudonyms(tmp_path):
    (tmp_path / "ok.html").write_text("linje 3, indsats 17, 2023-01-31", encoding="utf-8")
    assert audit_folder(tmp_path, {"b" * 64}) == []
    (tmp_path / "bad.html").write_text("010115-4001 " + "b" * 64, encoding="utf-8")
    assert audit_folder(tmp_path, {"b" * 64}) == [
        "bad.html: a pseudonym",
        "bad.html: text shaped like a CPR number",
    ]
