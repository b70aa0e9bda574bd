"""Hand-made deliveries for the golden tests of the goal indicators (SPEC §9).

Each municipality carries one family of goals, so the persons of one family never enter the
figures of another. The comments give the working: who is in the base, who in the numerator,
and why each decoy is left out. test_goals_golden.py asserts the figures.

- 101 Københavns Kommune: the baselines of seeds 000 and 003 rebuilt: G3 2010 = 9.3 years,
  G5 2009/10 = 85 %, G4 2010/11 = 15.5 %, G10a 2011 = 95 %, G11a/b/c 2011 = 97/73/88 %,
  Q2 2010 = 6 % (and 10 % in 2013, the target).
- 330 Slagelse Kommune: G10a/G10b = 83 and 10 of 404 investigations (seed 001), S1 = 80 %,
  S3, S4, S5, S6.
- 147: G1, G2. 151: G6a, G6b. 153: G7a, G7b. 155: G8, G9 (all at 31 December 2023).
- 157: core files only, so every goal that needs an optional file is not available.
"""

from __future__ import annotations

import datetime as dt

from tests.delivery_builder import (
    HOME_BASED,
    ORDER,
    PLACEMENT,
    PREVENTIVE_OFFER,
    DeliveryBuilder,
)

COPENHAGEN, SLAGELSE = "101", "330"
EARLY_HELP, YOUTH_CRIME, FORMER_RECIPIENTS, PLACEMENTS, CORE_ONLY = (
    "147",
    "151",
    "153",
    "155",
    "157",
)
DELIVERY_DATES = {
    COPENHAGEN: "2014-01-15",
    SLAGELSE: "2020-03-01",
    EARLY_HELP: "2024-02-01",
    YOUTH_CRIME: "2024-02-01",
    FORMER_RECIPIENTS: "2024-02-01",
    PLACEMENTS: "2024-02-01",
    CORE_ONLY: "2024-02-01",
}


def _day(start: str, days: int) -> str:
    return (dt.date.fromisoformat(start) + dt.timedelta(days=days)).isoformat()


def _years_before(day: str, years: int, days_before: int = 0) -> str:
    """The birth date of someone who turns `years` old `days_before` days before `day`."""
    date = dt.date.fromisoformat(day)
    birthday = date.replace(year=date.year - years)
    return (birthday - dt.timedelta(days=days_before)).isoformat()


def _add_months(day: str, months: int) -> str:
    """Calendar months, clamped to the month's end (DuckDB's date + interval)."""
    date = dt.date.fromisoformat(day)
    month0 = date.month - 1 + months
    year, month = date.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(date.day, last)).isoformat()
        except ValueError:
            continue
    raise AssertionError("unreachable")


# --- 101 Københavns Kommune -------------------------------------------------------------------


def copenhagen() -> DeliveryBuilder:
    b = DeliveryBuilder()
    _g3_average_age_2010(b)
    _g10a_on_time_2011(b)
    _g4_absence_2010_11(b)
    _g5_ninth_grade_2009_10(b)
    _g11_action_plans_and_follow_ups_2011(b)
    _q2_housing_centres(b)
    return b


def _g3_average_age_2010(b: DeliveryBuilder) -> None:
    """G3 at 2010-12-31: investigations decided in (2009-12-31, 2010-12-31]. Ten children aged
    5, 6, 7, 8, 9, 10, 11, 12, 12, 13 on the decision date: 93 / 10 = 9.3 years, Copenhagen's
    baseline (seed 000: "2010: 9,3 år"). All decided by 31 August 2010, so their deadlines fall
    in 2010 and stay out of G10a 2011."""
    ages = [5, 6, 7, 8, 9, 10, 11, 12, 12, 13]
    for i, age in enumerate(ages):
        decided = f"2010-{i % 8 + 1:02d}-15"
        # The second 12-year-old turns 12 on the decision day itself: that counts as 12.
        days_before = 0 if i == 8 else 40
        child = b.person(_years_before(decided, age, days_before))
        b.investigation(child, decided, _day(decided, 60))
    # Decided on 2009-12-31, the day before the window: not counted (a 17-year-old).
    b.investigation(b.person("1992-06-01"), "2009-12-31", "2010-02-01")
    # An unaccompanied refugee minor (aged 16): excluded at every cut-off date.
    b.investigation(b.person("1994-01-01", refugee=True), "2010-05-01", "2010-06-01")
    # A disability measure active in the window excludes the child (aged 16).
    disabled = b.person("1994-02-01")
    b.measure(disabled, "2010-01-01", "2010-03-31", disability=True)
    b.investigation(disabled, "2010-05-01", "2010-06-01")


def _g10a_on_time_2011(b: DeliveryBuilder) -> None:
    """G10a at 2011-12-31: deadlines (decision + 4 months) in (2010-12-31, 2011-12-31]. Twenty
    investigations decided 2011-01-01 .. 2011-08-31; 19 completed on or before the deadline, one
    a day late: 19 / 20 = 95 %, Copenhagen's 2011 baseline (seed 000). The first is decided on
    2011-01-01, the day after G3's 2010 window; the last on 2011-08-31, whose deadline is
    2011-12-31 = D (in the window), completed on D (on time)."""
    decisions = ["2011-01-01", *[_day("2011-01-12", 12 * k) for k in range(18)], "2011-08-31"]
    for i, decided in enumerate(decisions):
        child = b.person("2004-03-01")
        deadline = _add_months(decided, 4)
        completed = _day(deadline, 1) if i == 5 else deadline if i % 2 else _day(decided, 50)
        b.investigation(child, decided, completed)


def _g4_absence_2010_11(b: DeliveryBuilder) -> None:
    """G4 for school year 2010/11 (carried by 2011-08-31): 200 pupils aged 6-17 on 2011-07-31 in
    a municipal school with a measure during the year; 31 with absence >= 10 %: 31 / 200 =
    15.5 %, Copenhagen's baseline (seed 000: "Skoleåret 2010/2011: 15,5 %")."""
    for i in range(200):
        pupil = b.person(f"{2000 + i % 5}-0{i % 9 + 1}-1{i % 10}")
        reference = ORDER if i == 0 else PLACEMENT if i == 1 else HOME_BASED
        b.measure(pupil, "2010-09-01", "2011-06-30", reference=reference)
        # Exactly 10.0 is concerning; 9.99 is not.
        pct = 9.99 if i == 3 else 10.0 if i == 2 else 12.0 if i < 32 else 5.0
        b.absence(pupil, "2010/11", pct)
    decoys = [
        # not in a municipal school
        ("2003-01-01", HOME_BASED, "2010-09-01", "2011-06-30", {"municipal": False}),
        # aged 5 on 2011-07-31
        ("2005-08-01", HOME_BASED, "2010-09-01", "2011-06-30", {}),
        # turns 18 on 2011-07-31
        ("1993-07-31", HOME_BASED, "2010-09-01", "2011-06-30", {}),
        # only a § 11, stk. 3 offer
        ("2003-01-01", PREVENTIVE_OFFER, "2010-09-01", "2011-06-30", {}),
        # the measure ended on 2010-07-31, before the school year
        ("2003-01-01", HOME_BASED, "2009-09-01", "2010-07-31", {}),
    ]
    for birth, reference, start, end, options in decoys:
        pupil = b.person(birth)
        b.measure(pupil, start, end, reference=reference)
        b.absence(pupil, "2010/11", 20.0, **options)
    # A row for 2009/10 only.
    pupil = b.person("2003-01-01")
    b.measure(pupil, "2010-09-01", "2011-06-30")
    b.absence(pupil, "2009/10", 20.0)
    # A disability measure during the year excludes the pupil.
    pupil = b.person("2003-01-01")
    b.measure(pupil, "2010-09-01", "2011-06-30", disability=True)
    b.absence(pupil, "2010/11", 20.0)


def _g5_ninth_grade_2009_10(b: DeliveryBuilder) -> None:
    """G5 for school year 2009/10 (carried by 2010-08-31): 20 persons aged 17 on 2010-07-31 with
    a home-based measure during 2007/08 or 2008/09; 17 completed 9th grade by the end of 2009/10:
    17 / 20 = 85 %, Copenhagen's baseline (seed 000: "Skoleåret 2009/2010: 85 %")."""
    for i in range(20):
        # i == 0 turns 17 on 2010-07-31 itself: aged 17.
        birth = "1993-07-31" if i == 0 else f"1992-{i % 12 + 1:02d}-0{i % 9 + 1}"
        if birth <= "1992-07-31":
            birth = f"1992-{i % 4 + 8:02d}-0{i % 9 + 1}"
        person = b.person(birth)
        b.measure(person, "2008-01-01", "2008-12-31")
        if i < 16:
            b.completion(person, "2008/09", True)
        elif i == 16:
            b.completion(person, "2009/10", True)  # completed in Y itself: counts
        elif i == 17:
            b.completion(person, "2010/11", True)  # after Y: does not count
        elif i == 18:
            b.completion(person, "2009/10", False)
        # i == 19: no row at all
    # Turns 18 on 2010-07-31: not 17.
    person = b.person("1992-07-31")
    b.measure(person, "2008-01-01", "2008-12-31")
    b.completion(person, "2008/09", True)
    # A measure only during 2009/10 (Y itself): not in the base.
    person = b.person("1993-01-01")
    b.measure(person, "2009-09-01", "2010-06-30")
    # A measure that ended on 2007-07-31, the day before Y - 2 began.
    person = b.person("1993-01-01")
    b.measure(person, "2006-08-01", "2007-07-31")


def _g11_action_plans_and_follow_ups_2011(b: DeliveryBuilder) -> None:
    """G11 at 2011-12-31 (seed 000's 2011 baselines 97 / 73 / 88 %).

    100 children (born 2005) with one open home-based measure each.
    - measures 1-75 start in (2011-06-30, 2011-09-30]; 1-73 get their first follow-up within 3
      months (measure 1 starts 2011-07-31 and is followed up on 2011-10-31, exactly 3 months;
      measure 2 starts 2011-09-30, the window's last day); 74-75 a day too late.
    - measures 76-100 start in (2010-09-30, 2011-06-30): first follow-up 4 months after the
      start (late); 76-97 also followed up on 2011-11-15, inside (2011-06-30, 2011-12-31].
    G11a: 100 children active on D, 97 with an action plan created by D -> 97 %.
    G11b: 100 measures started in (2010-09-30, 2011-09-30], 73 on time -> 73 %.
    G11c: 25 measures active on D that started before 2011-06-30, 22 followed up -> 88 %.
    """
    for i in range(1, 101):
        child = b.person("2005-04-01")
        if i == 1:
            start = "2011-07-31"
        elif i == 2:
            start = "2011-09-30"
        elif i <= 75:
            start = _day("2011-07-01", i)
        elif i >= 98:
            start = _day("2010-10-01", i - 98)
        else:
            start = _day("2010-10-10", 7 * (i - 76))
        measure = b.measure(child, start)
        if i <= 73:
            b.follow_up(measure, _add_months(start, 3) if i == 1 else _day(start, 30))
        elif i <= 75:
            b.follow_up(measure, _day(_add_months(start, 3), 1))
        else:
            b.follow_up(measure, _add_months(start, 4))
            if i <= 97:
                b.follow_up(measure, "2011-11-15")
        if i <= 97:
            b.action_plan(child, start)
        elif i == 98:
            b.action_plan(child, "2012-01-02")  # after D
    # Started on 2010-09-30 (the day before the window) and not active on D.
    decoy = b.measure(b.person("2005-04-01"), "2010-09-30", "2011-03-01")
    b.follow_up(decoy, "2010-10-15")
    # Started after the window (2011-10-01) and ended before D.
    b.measure(b.person("2005-04-01"), "2011-10-01", "2011-11-30")


def _q2_housing_centres(b: DeliveryBuilder) -> None:
    """Q2 (seed 003: from 6 % to 10 % a year, 2010-2013). Adults, not in children.csv.
    2010: 50 residents, 3 moved to independent housing -> 6 %. 2011: 47 residents (the 46
    staying and one who came and left for independent housing) -> 1 / 47. 2012: 46, none ->
    0 %. 2013: 20 new residents, 2 moved to independent housing -> 10 %."""
    for i in range(50):
        adult = b.person("1980-01-01", listed=False)
        if i < 3:
            b.stay(adult, "2009-01-01", "2010-01-01" if i == 0 else "2010-06-30", "INDEPENDENT")
        elif i == 3:
            b.stay(adult, "2009-01-01", "2010-05-01", "OTHER_CENTRE")
        else:
            b.stay(adult, "2009-01-01", "2012-12-31", "OTHER")
    # Left on 2009-12-31: not a resident in 2010.
    b.stay(b.person("1980-01-01", listed=False), "2008-01-01", "2009-12-31", "INDEPENDENT")
    b.stay(b.person("1980-01-01", listed=False), "2011-02-01", "2011-12-31", "INDEPENDENT")
    for i in range(20):
        adult = b.person("1985-01-01", listed=False)
        if i < 2:
            b.stay(adult, "2013-01-01", "2013-09-30", "INDEPENDENT")
        else:
            b.stay(adult, "2013-01-01")


# --- 330 Slagelse Kommune ---------------------------------------------------------------------

SLAGELSE_TOTAL, SLAGELSE_ON_TIME, SLAGELSE_WITHIN_6_WEEKS = 404, 83, 10


def slagelse() -> DeliveryBuilder:
    b = DeliveryBuilder()
    _g10_slagelse_2019(b)
    _s1_caseworker_continuity_2019(b)
    _s3_inquiries_2019(b)
    _s4_general_environment_2019(b)
    _s5_child_conversations_2019(b)
    _s6_education_starts(b)
    return b


def _g10_slagelse_2019(b: DeliveryBuilder) -> None:
    """Seed 001: "Ud af 404 BFU, der burde være afsluttet inden 5/9-2019 (ift. fristen på 4
    mdr.), er dette kun sket i 83 af tilfældene ... I kun 10 sager er BFU udarbejdet inden for 6
    uger." The nearest cut-off date is 2019-08-31: deadlines in (2018-08-31, 2019-08-31], i.e.
    decisions from 2018-05-01 to 2019-04-30. 404 investigations:
    - 9 completed 30 days after the decision, 1 after 42 days (6 weeks exactly): 10 within 6 weeks;
    - 1 after 43 days and 72 on the deadline day itself: 83 on time (one decided 2018-10-31,
      whose deadline is clamped to 2019-02-28);
    - 200 a day after the deadline and 121 not completed: late.
    G10a = 83 / 404 = 20.54 % (the document rounds to "20 %"), G10b = 10 / 404 = 2.48 %."""
    for i in range(SLAGELSE_TOTAL):
        decided = "2018-10-31" if i == 11 else _day("2018-05-01", i * 364 // 403)
        deadline = _add_months(decided, 4)
        if i < 9:
            completed: str | None = _day(decided, 30)
        elif i == 9:
            completed = _day(decided, 42)
        elif i == 10:
            completed = _day(decided, 43)
        elif i < SLAGELSE_ON_TIME:
            completed = deadline
        elif i < SLAGELSE_ON_TIME + 200:
            completed = _day(deadline, 1)
        else:
            completed = None
        b.investigation(b.person(f"{2005 + i % 10}-0{i % 9 + 1}-1{i % 10}"), decided, completed)
    # Deadline 2018-08-30: before the window.
    b.investigation(b.person("2010-01-01"), "2018-04-30", "2018-06-01")
    # Deadline 2019-09-01: after the 31 August cut-off (the document's "inden 5/9" would count it).
    b.investigation(b.person("2010-01-01"), "2019-05-01", "2019-06-01")
    # A refugee minor and a child with a disability measure in the window: excluded.
    b.investigation(b.person("2010-01-01", refugee=True), "2019-01-10")
    disabled = b.person("2010-01-01")
    # Open on 2019-12-31 with provider GENERAL: also S4's excluded decoy.
    b.measure(disabled, "2019-01-01", "2019-12-31", disability=True, provider="GENERAL")
    b.investigation(disabled, "2018-12-01")


def _s1_caseworker_continuity_2019(b: DeliveryBuilder) -> None:
    """S1 for 2019: cases whose first RESPONSIBLE assignment started in 2019.
    c1 one caseworker; c2 changes after 11 months (a change); c3 changes exactly one year after
    the start (not within the first year); c4 goes back to the same caseworker; c5 has an intake
    worker before the responsible one (intake does not count). 4 of 5 without a change = 80 %,
    the figure Slagelse reports for its sample (seed 001). c6 started in 2018; c7 belongs to a
    refugee minor."""
    rows = [
        ("c1", "A", "RESPONSIBLE", "2019-02-01", None),
        ("c2", "A", "RESPONSIBLE", "2019-03-01", "2020-01-31"),
        ("c2", "B", "RESPONSIBLE", "2020-02-01", None),
        ("c3", "A", "RESPONSIBLE", "2019-01-15", "2020-01-14"),
        ("c3", "B", "RESPONSIBLE", "2020-01-15", None),
        ("c4", "A", "RESPONSIBLE", "2019-05-01", "2019-08-01"),
        ("c4", "A", "RESPONSIBLE", "2019-09-01", None),
        ("c5", "X", "INTAKE", "2019-04-01", "2019-04-20"),
        ("c5", "A", "RESPONSIBLE", "2019-04-21", None),
        ("c6", "A", "RESPONSIBLE", "2018-12-20", "2019-01-09"),
        ("c6", "B", "RESPONSIBLE", "2019-01-10", None),
    ]
    children = {case: b.person("2012-01-01") for case in ("c1", "c2", "c3", "c4", "c5", "c6")}
    for case, worker, role, start, end in rows:
        b.assignment(case, children[case], worker, role, start, end)
    refugee = b.person("2012-01-01", refugee=True)
    b.assignment("c7", refugee, "A", "RESPONSIBLE", "2019-06-01", "2019-07-01")
    b.assignment("c7", refugee, "B", "RESPONSIBLE", "2019-07-02")


def _s3_inquiries_2019(b: DeliveryBuilder) -> None:
    """S3 for 2019: 5 inquiries via school or daycare, 3 led to a local effort -> 60 %. Inquiries
    via other channels and outside 2019 do not count."""
    for day, channel, outcome in [
        ("2019-01-01", "SCHOOL", "LOCAL_EFFORT"),
        ("2019-06-01", "SCHOOL", "LOCAL_EFFORT"),
        ("2019-12-31", "SCHOOL", "LOCAL_EFFORT"),
        ("2019-03-01", "SCHOOL", "CASE_OPENED"),
        ("2019-04-01", "DAYCARE", "NONE"),
        ("2019-05-01", "OTHER", "LOCAL_EFFORT"),
        ("2019-05-02", "OTHER", "LOCAL_EFFORT"),
        ("2018-12-31", "SCHOOL", "LOCAL_EFFORT"),
        ("2020-01-01", "DAYCARE", "LOCAL_EFFORT"),
    ]:
        b.inquiry(day, channel, outcome)


def _s4_general_environment_2019(b: DeliveryBuilder) -> None:
    """S4 at 2019-12-31: 4 home-based measures active on D (GENERAL, INTERNAL, EXTERNAL ending on
    D, no provider) -> 1 / 4 = 25 %, Slagelse's target. Not counted: a GENERAL measure that ended
    the day before, a placement with provider GENERAL, the disability decoy above."""
    for provider, end in [
        ("GENERAL", None),
        ("INTERNAL", None),
        ("EXTERNAL", "2019-12-31"),
        ("", None),
    ]:
        b.measure(b.person("2011-01-01"), "2019-01-01", end, provider=provider)
    b.measure(b.person("2011-01-01"), "2019-01-01", "2019-12-30", provider="GENERAL")
    b.placement(b.person("2011-01-01"), "2019-01-01", provider="GENERAL")


def _s5_child_conversations_2019(b: DeliveryBuilder) -> None:
    """S5 for 2019: conversations with placed children aged 13+ on the day. A (aged 13-14,
    placed): YES and NO; C turns 13 on the conversation day: YES -> 2 / 3 = 66.7 %. Not counted:
    B aged 12, D not yet placed on the day, A's conversation on 2018-12-31."""
    a = b.person("2005-05-01")
    b.placement(a, "2018-01-01")
    b.conversation(a, "2019-03-01", "YES")
    b.conversation(a, "2019-06-01", "NO")
    b.conversation(a, "2018-12-31", "YES")
    c = b.person("2006-04-10")
    b.placement(c, "2019-01-01")
    b.conversation(c, "2019-04-10", "YES")
    young = b.person("2007-01-01")
    b.placement(young, "2019-01-01")
    b.conversation(young, "2019-05-01", "YES")
    later = b.person("2004-01-01")
    b.placement(later, "2019-07-01")
    b.conversation(later, "2019-06-15", "YES")


def _s6_education_starts(b: DeliveryBuilder) -> None:
    """S6 for 2019 relative to 2016: young people aged 15-24 with a measure that started by the
    end of the year, starting a youth education in the year. 2016: e1-e4 -> 4; 2019: f1-f5 -> 5
    (f1 starts twice, counted once): +25 %, above the +15 % target. Not counted: e5 aged 25 at
    the start; e6's measure started in 2017; f6 aged 14; f7's measure started in 2020."""
    for birth in ["1998-01-01", "1999-01-01", "2000-01-01", "2000-06-01"]:
        e = b.person(birth)
        b.measure(e, "2014-01-01", "2015-12-31")
        b.education(e, "2016-08-15")
    e5 = b.person("1991-01-01")
    b.measure(e5, "2014-01-01", "2015-12-31")
    b.education(e5, "2016-08-15")
    e6 = b.person("2000-01-01")
    b.measure(e6, "2017-01-01", "2017-12-31")
    b.education(e6, "2016-08-15")
    for i, birth in enumerate(
        ["2003-01-01", "2002-01-01", "2001-01-01", "2000-01-01", "1999-09-01"]
    ):
        f = b.person(birth)
        b.measure(f, "2018-01-01", "2018-12-31")
        b.education(f, "2019-08-15")
        if i == 0:
            b.education(f, "2019-09-01")
    f6 = b.person("2005-01-01")
    b.measure(f6, "2018-01-01", "2018-12-31")
    b.education(f6, "2019-08-15")
    f7 = b.person("2002-01-01")
    b.measure(f7, "2020-01-10")
    b.education(f7, "2019-08-15")


# --- 147: G1 and G2 at 2023-12-31 -------------------------------------------------------------


def early_help() -> DeliveryBuilder:
    """G1: persons aged 0-17 on D with a home-based measure or a placement active on D: a, b, c
    (both kinds, counted once), j and k (placed from D itself) = 5 of 1000 -> 5.0 per 1000.
    Not counted: d (18 on D), e (offer only), f (ended the day before D), g (disability), h
    (refugee).
    G2: the same persons of any age (d too) = 6; latest involvement record on or before D is
    INVOLVED or DECLINED for a, c (DECLINED; the INVOLVED record is after D) and j (two records
    on the same day, one INVOLVED) = 3 -> 50 %. b's latest record is NOT_INVOLVED; d and k have
    none."""
    b = DeliveryBuilder()
    a = b.person("2013-05-01")
    b.measure(a, "2023-01-01")
    b.involvement(a, "2023-06-01", "NOT_INVOLVED")
    b.involvement(a, "2023-11-01", "INVOLVED")
    placed = b.person("2008-03-01")
    b.placement(placed, "2022-01-01")
    b.involvement(placed, "2023-11-01", "INVOLVED")
    b.involvement(placed, "2023-12-15", "NOT_INVOLVED")
    c = b.person("2015-02-01")
    b.measure(c, "2023-02-01")
    b.placement(c, "2023-03-01")
    b.involvement(c, "2023-05-01", "DECLINED")
    b.involvement(c, "2024-01-10", "INVOLVED")
    adult = b.person("2005-12-31")
    b.measure(adult, "2023-01-01")
    offer = b.person("2012-01-01")
    b.measure(offer, "2023-01-01", reference=PREVENTIVE_OFFER, granted=True)
    b.involvement(offer, "2023-05-01", "INVOLVED")
    b.measure(b.person("2012-01-01"), "2023-01-01", "2023-12-30")
    b.measure(b.person("2012-01-01"), "2023-01-01", disability=True)
    b.placement(b.person("2010-01-01", refugee=True), "2023-01-01")
    j = b.person("2011-07-01")
    b.measure(j, "2023-01-01")
    b.involvement(j, "2023-10-01", "NOT_INVOLVED")
    b.involvement(j, "2023-10-01", "INVOLVED")
    b.placement(b.person("2006-01-01"), "2023-12-31")
    return b


# --- 151: G6 for 2023 -------------------------------------------------------------------------


def youth_crime() -> DeliveryBuilder:
    """G6 for 2023: measure recipients (a measure active in 2022 or 2023) aged 14-17 on some day
    of 2023: w, x, y, z (turns 14 on 31 Dec), aa (17 on 1 Jan), ac, ae = 7. Charged in 2023 with
    a serious or violent offence while 14-17 and after their first measure started: w (twice,
    counted once) and y = 2. G6a = 2; G6b = 2 x 1000 / 7 = 285.7 per 1000.
    Not charged: x (serious charge before the first measure; other charge OTHER), z (13 on the
    charge date), aa (18 on the charge date), ac (charged in 2022), ae (charged on the day the
    first measure started). Not recipients: ab (measure ended 2021), ad (13 all year), af
    (disability measure in 2022)."""
    b = DeliveryBuilder()
    w = b.person("2008-03-01")
    b.measure(w, "2022-01-01", "2022-12-31")
    b.charge(w, "2023-05-01", "VIOLENT")
    b.charge(w, "2023-08-01", "VIOLENT")
    x = b.person("2007-06-01")
    b.placement(x, "2023-02-01")
    b.charge(x, "2023-01-15", "SERIOUS")
    b.charge(x, "2023-03-01", "OTHER")
    y = b.person("2006-02-01")
    b.measure(y, "2021-01-01")
    b.charge(y, "2023-12-01", "SERIOUS")
    z = b.person("2009-12-31")
    b.measure(z, "2023-01-01")
    b.charge(z, "2023-12-30", "VIOLENT")
    aa = b.person("2005-06-01")
    b.measure(aa, "2022-06-01", "2023-03-31")
    b.charge(aa, "2023-07-01", "SERIOUS")
    ab = b.person("2008-01-01")
    b.measure(ab, "2019-01-01", "2021-06-30")
    b.charge(ab, "2023-04-01", "SERIOUS")
    ac = b.person("2008-06-01")
    b.measure(ac, "2023-01-01")
    b.charge(ac, "2022-11-01", "SERIOUS")
    ad = b.person("2010-01-01")
    b.measure(ad, "2023-01-01")
    b.charge(ad, "2023-06-01", "VIOLENT")
    ae = b.person("2008-05-05")
    b.measure(ae, "2023-06-01")
    b.charge(ae, "2023-06-01", "VIOLENT")
    af = b.person("2008-01-01")
    b.measure(af, "2022-01-01", "2022-06-30", disability=True)
    b.charge(af, "2023-03-01", "VIOLENT")
    return b


# --- 153: G7 at 2023-12-31 --------------------------------------------------------------------


def former_recipients() -> DeliveryBuilder:
    """G7 at 2023-12-31: aged 16+ on D, every measure ended, the last in (2021-12-31,
    2022-12-31]: k, l (ended on 2022-12-31 itself), p, q, s (turns 16 on D) = 5. Started a youth
    education by D: k, l, s = 3 -> 60 % (G7a); completed by D: l = 1 -> 20 % (G7b). Not in the
    base: m (ended 2021-12-31), n (an offer still open), o (15), r (disability measure in the
    window). q starts after D."""
    b = DeliveryBuilder()
    k = b.person("2005-03-01")
    b.measure(k, "2019-01-01", "2022-06-30")
    b.education(k, "2023-08-15")
    l_ = b.person("2004-05-01")
    b.placement(l_, "2020-01-01", "2022-12-31")
    b.education(l_, "2021-08-01", "2023-06-30")
    m = b.person("2005-01-01")
    b.measure(m, "2019-01-01", "2021-12-31")
    b.education(m, "2022-08-01")
    n = b.person("2005-01-01")
    b.measure(n, "2019-01-01", "2022-03-01")
    b.measure(n, "2023-01-01", reference=PREVENTIVE_OFFER)
    b.education(n, "2023-08-01")
    o = b.person("2008-02-01")
    b.measure(o, "2019-01-01", "2022-05-01")
    b.education(o, "2023-08-01")
    b.measure(b.person("2005-07-01"), "2019-01-01", "2022-05-01")
    q = b.person("2005-09-01")
    b.measure(q, "2019-01-01", "2022-05-01")
    b.education(q, "2024-01-15")
    r = b.person("2005-01-01")
    b.measure(r, "2018-01-01", "2022-07-01")
    b.measure(r, "2022-01-01", "2022-02-01", disability=True)
    b.education(r, "2023-08-01")
    s = b.person("2007-12-31")
    b.measure(s, "2019-01-01", "2022-09-30")
    b.education(s, "2023-08-01")
    return b


# --- 155: G8 and G9 at 2023-12-31 -------------------------------------------------------------


def placements() -> DeliveryBuilder:
    """G8 at 2023-12-31, placed persons with assessments on two or more days of the current
    placement episode: b 2 -> 5 (+3; the assessment before the placement and the one after D
    do not count); c moved from an institution to a foster family the next day (one episode),
    4 and 6 on one day (mean 5) -> 4 (-1). (3 - 1) / 2 = 1.0 point. Not counted: r (one
    assessment), r2 (the earlier assessment belongs to an earlier episode), h (refugee).
    G9 at 2023-12-31, placements ended in (2022-12-31, 2023-12-31]: c's institution placement
    (planned), s (unplanned), t (unplanned, ended on D), u (no reason) = 4; unplanned: s, t ->
    50 %. Not counted: r2's placement ended on 2022-12-31; v has a disability measure; a
    home-based measure that ended unplanned."""
    b = DeliveryBuilder()
    placed = b.person("2010-01-01")
    b.placement(placed, "2022-01-01")
    for day, score in [("2021-12-01", 1), ("2022-03-01", 2), ("2023-06-01", 5), ("2024-01-15", 9)]:
        b.wellbeing(placed, day, score)
    c = b.person("2012-01-01")
    b.placement(c, "2023-01-01", "2023-06-30", end_reason="PLANNED")
    b.placement(c, "2023-07-01", placement_type="plejefamilie")
    for day, score in [("2023-02-01", 4), ("2023-02-01", 6), ("2023-10-01", 4)]:
        b.wellbeing(c, day, score)
    r = b.person("2013-01-01")
    b.placement(r, "2023-01-01")
    b.wellbeing(r, "2023-05-01", 3)
    r2 = b.person("2013-01-01")
    b.placement(r2, "2021-01-01", "2022-12-31", end_reason="PLANNED")
    b.placement(r2, "2023-03-01")
    b.wellbeing(r2, "2022-06-01", 3)
    b.wellbeing(r2, "2023-05-01", 6)
    h = b.person("2011-01-01", refugee=True)
    b.placement(h, "2022-01-01")
    b.wellbeing(h, "2022-05-01", 1)
    b.wellbeing(h, "2023-05-01", 9)
    helped = b.person("2011-01-01")
    b.measure(helped, "2022-01-01", "2023-05-01", end_reason="UNPLANNED")
    b.wellbeing(helped, "2022-05-01", 1)
    b.wellbeing(helped, "2023-04-01", 9)
    b.placement(b.person("2010-01-01"), "2021-01-01", "2023-03-01", end_reason="UNPLANNED")
    b.placement(b.person("2010-01-01"), "2022-01-01", "2023-12-31", end_reason="UNPLANNED")
    b.placement(b.person("2010-01-01"), "2022-01-01", "2023-05-01")
    v = b.person("2010-01-01")
    b.placement(v, "2022-01-01", "2023-05-01", end_reason="UNPLANNED", disability=True)
    return b


# --- 157: core files only ---------------------------------------------------------------------


def core_only() -> DeliveryBuilder:
    """One child with an open home-based measure and one investigation; no optional file."""
    b = DeliveryBuilder()
    child = b.person("2012-01-01")
    measure = b.measure(child, "2023-01-01")
    b.follow_up(measure, "2023-03-01")
    b.investigation(child, "2023-02-01", "2023-04-01")
    return b


DELIVERIES = {
    COPENHAGEN: copenhagen,
    SLAGELSE: slagelse,
    EARLY_HELP: early_help,
    YOUTH_CRIME: youth_crime,
    FORMER_RECIPIENTS: former_recipients,
    PLACEMENTS: placements,
    CORE_ONLY: core_only,
}
