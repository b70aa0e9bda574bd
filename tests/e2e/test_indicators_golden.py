"""Golden end-to-end test of marts.indicator_values: every key indicator on three cut-off dates,
against numbers worked out by hand from SPEC §2-§5 and §11, not from the dbt models.

One hand-made delivery (municipality 101, delivered 2025-01-15; plus a three-row delivery for
860, see TEXT_IDS) runs once through the real Dagster jobs (`module_harness`); each (cut-off
date, indicator) pair is then its own test case.

Cut-off dates (default calendar) and the dates each one looks at (SPEC §2, §11):

    D      previous cut-off  D - 1 year   D - 6 months  FOLK1A  expense months
    D1 2023-12-31  2023-08-31  2022-12-31  2023-06-30  2024K1  2023-10, -11, -12
    D2 2024-04-30  2023-12-31  2023-04-30  2023-10-30  2024K2  2024-02, -03, -04
    D3 2024-08-31  2024-04-30  2023-08-31  2024-02-29  2024K3  2024-06, -07, -08

D3 - 6 months is 2024-02-29 (31 Aug clamped to February's last day in a leap year); windows are
half-open: (D - 6 months, D] and (D - 1 year, D].

The children (letter = the name used in the working below; every CPR number is synthetic, the
serial counts up from 4001, century digit 4 = born 2000-2036):

    A 010110-4001  move day: døgninstitution 2022-06-01..2024-04-30 and plejefamilie from
                   2024-04-30. On D2 both are active: latest start wins -> foster family (3, not
                   1); in both 12.1 and 12.2 on D2; left institution care -> 7.1 on D2.
    B 150509-4002  sikret døgninstitution 2023-11-01..2024-04-30: ends exactly on D2, so still
                   placed on D2; not placed on D3 -> 7.2 on D3; D3 has no secure placement at
                   all (2.2 = 0 / 0 / NULL). Reference in key notation "SEL-58 jf. 52-3.7".
    C 200711-4003  tie: measures 9 (døgninstitution) and 10 (socialpædagogisk opholdssted) both
                   start 2024-02-01; ids are numbers, so 10 > 9 and the current placement is the
                   social-pedagogical home (as text "9" > "10" would pick the institution).
                   Parent-directed BL § 76 from 2024-08-01 (5.4 on D3).
    D 100908-4004  type spell across a 1-day gap and the change of law: Serviceloven døgninst.
                   2023-03-01..2023-12-31, BL § 46 delvis lukket døgninstitution from 2024-01-01
                   -> one spell from 2023-03-01 (the two labels are DST 9 and 7 but one type,
                   RESIDENTIAL_INSTITUTION, and types are what spells join). SEL § 54 to
                   2023-12-31 and BL § 76 from 2024-05-01 (5.4 on D1 and D3, not D2).
    E 031110-4005  not joined: opholdssted 2023-05-01..2023-12-31, next from 2024-01-02 -> new
                   spell from 2024-01-02. References without a law ("§52 stk.3 nr.7" started in
                   2023 = SEL, "§ 46" started in 2024 = BL).
    G 300406-4006  turns 18 on D2 itself (born 2006-04-30): in 1 on D1, out of everything on D2
                   and D3, so not in 7's base on D2. Granted offer from 2023-12-01: in 6 and 10
                   on D1 only (6 counts persons aged 0-17).
    H 200109-4007  unaccompanied refugee: institution-placed and with a granted offer, counted
                   nowhere.
    I 051208-4008  disability measure 2023-12-01..2023-12-31 (active on D1 only): out of every
                   indicator on D1; on D2 in 1 (the measure is not active on D2) but out of 7
                   (comparison date D1), out of 12 on D2 and D3 (the measure lies in the 12-month
                   window); in 7's base on D3.
    J 010412-4009  disability measure 2023-04-01..2023-04-30, active on D2 - 1 year: out of 8/9 on
                   D2, but in 5 and 12 on D2 (the window (2023-04-30, 2024-04-30] starts the day
                   after). Barnets lov §32 stk 1 nr 3 from 2024-01-15.
    K 100213-4010  granted offer from 2023-11-15, disability measure 2024-02-01..2024-02-29,
                   investigation 2024-03-10: out of 10 on D2 (measure in the 6-month window), in
                   6 on D2 (not active on D2), in 10 on D3 (window starts after 2024-02-29).
    L 101011-4011  home-based from 2023-01-01 and a second one from 2023-06-01 with a planned end
                   after the delivery date (2025-06-30): one person in 5, not two. A
                   disability-flagged order Feb-Mar 2023: out of 12 on D1 only. In 8/9's base on
                   D2, D3, stays in home-based help.
    M 060614-4012  two granted offers (from 2023-09-01 and 2024-03-01) and one with an empty
                   authority_granted (= not granted): 6 counts 1 on D1, 2 on D2 and D3.
                   Investigations 2023-08-15 (before any offer: no) and 2023-12-31 (yes, on D1).
    N 121212-4013  only a non-granted offer (and an investigation): never in 6 or 10. Home-based
                   2023-01-01..2023-06-30: in 9's base on D2, out of the system (offer only).
    O 030315-4014  granted offer 2024-03-01, investigation decided 2024-03-01: not after -> no.
                   A measures.csv row with BL § 20 from 2024-03-05 must not count: investigations
                   come from investigations.csv only (SPEC §11).
    P 040315-4015  granted offer 2024-03-01, investigation decided 2024-03-02: counts in 10.
    Q 280210-4016  granted offer 2023-11-01..2024-02-29 (ends on D3 - 6 months: not in D3's
                   window), investigation 2024-01-15: in 10 on D1 (not yet decided) and D2.
    R 080809-4017  home-based 2022-10-01..2023-06-30; on D2/D3 only an order (BL § 38) and a
                   parent-directed effort (BL § 75): out of the system in 9; not in 5.4 (not
                   placed).
    S 050111-4018  NO children.csv row (kept, not a refugee). § 52 a (key notation
                   "SEL-52-a.1.2") 2022-11-01..2023-09-30, then BL § 47 netværksplejefamilie from
                   2024-01-10: 9 (out) on D1, 8 (placed) on D2 and D3, 4 on D2 and D3.
    V 290208-4019  born 29 February 2008. Respite (aflastning, SEL § 52.3.5) 2023-06-01..
                   2024-05-31, then støtteophold BL § 32.1.7 written with a placement type
                   ("plejefamilie", ignored on a non-placement): 5.2 on all dates, never 3.
                   No cut-off date falls on 28 Feb or 1 Mar, so the birthday only tests that a
                   29 February CPR number is read as a real date (2008 is a leap year).
    T 090916-4020  family residential stay SEL § 52.3.4 Feb-May 2023, forstærket plejefamilie
                   2023-06-01..2024-06-30, familieanbringelse BL § 32.1.6 from 2024-07-01.
    U 030309-4021  opholdssted 2022-03-01..2023-09-30, then efterskole (boarding school) to
                   2024-06-30: 7.1 on D1 (placed in another form); BL § 75 in 2024 (5.4 on D2).
    W 111111-4022  skibsprojekt (OTHER) 2023-07-01..2024-02-28, kommunal plejefamilie from
                   2024-03-01 (3 on D2, D3).
    Z 120707-4023  døgninstitution 2024-03-01..2024-07-31 (in 1 on D2), then eget værelse, and a
                   disability measure from 2024-08-01: excluded on D3, so not in 7 on D3 (7's
                   dates are D and the previous cut-off).
    X 151012-4024  nested spells: opholdssted 2022-01-01..2023-12-31, a duplicate-like opholdssted
                   2022-03-01..2022-03-31 inside it, then opholdssted from 2024-01-01. No day is
                   uncovered, so one spell from 2022-01-01 (comparing with the placement that
                   merely started last, 2022-03-31, would wrongly split it).
    Y 050516-4025  granted offer 2023-07-01..2023-11-30, investigation decided 2024-04-01 after
                   the offer ended: counts on D2 (the offer is active in the window, the
                   decision is after its start and on or before D).
    F 010711-4026  plejefamilie 2023-01-01..2024-12-31 and home-based help (§ 52.3.9) Feb-Sep 2023
                   at the same time: in 9's base on D2 and D3 but not in 8's (placed a year
                   earlier). Its follow-up on the home-based measure counts in 12, not in 12.2.
    Ø 020216-4027  granted offer 2022, investigation 2023-06-01, granted offer from 2024-03-15:
                   in 10's base on D2 and D3, not in the numerator (the investigation follows the
                   2022 offer, which is not active in the window, and precedes the 2024 one).

Follow-ups sit on both sides of the window boundaries: G has one on 2022-12-31 (= D1 - 1 year,
out) and one on 2023-01-01 (in); D has one on D3 itself (in). Follow-ups on a person's ended
measures of the group still count (SPEC §11: "on any of that person's measures of the group").
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

MUNICIPALITY = "101"
DELIVERY_DATE = "2025-01-15"
D1, D2, D3 = "2023-12-31", "2024-04-30", "2024-08-31"
CUTOFFS = [D1, D2, D3]

CHILDREN = """cpr;unaccompanied_refugee
010110-4001;0
150509-4002;0
200711-4003;0
100908-4004;nej
031110-4005;0
300406-4006;0
200109-4007;1
051208-4008;0
010412-4009;0
100213-4010;0
101011-4011;0
060614-4012;0
121212-4013;0
030315-4014;0
040315-4015;0
280210-4016;0
080809-4017;0
290208-4019;0
090916-4020;0
030309-4021;0
111111-4022;0
120707-4023;0
151012-4024;0
050516-4025;0
010711-4026;0
020216-4027;0
"""
# S (050111-4018) has measures but deliberately no row above.

MEASURES = """\
measure_id;cpr;legal_reference;placement_type;start_date;end_date;end_reason;disability;\
authority_granted;provider
1;010110-4001;SEL § 52, stk. 3, nr. 7;døgninstitution;2022-06-01;2024-04-30;PLANNED;0;1;EXTERNAL
2;010110-4001;BL § 46;plejefamilie;2024-04-30;;;0;1;EXTERNAL
3;150509-4002;SEL-58 jf. 52-3.7;sikret døgninstitution;2023-11-01;2024-04-30;PLANNED;0;1;EXTERNAL
9;200711-4003;BL § 46;døgninstitution;2024-02-01;;;0;1;EXTERNAL
10;200711-4003;BL § 46, stk. 1;socialpædagogisk opholdssted;2024-02-01;;;0;1;EXTERNAL
11;200711-4003;BL § 76;;2024-08-01;;;0;1;INTERNAL
12;100908-4004;Serviceloven § 52, stk. 3, nr. 7;døgninstitution;2023-03-01;2023-12-31;PLANNED;0;1;\
EXTERNAL
13;100908-4004;BL § 46;delvis lukket døgninstitution;2024-01-01;;;0;1;EXTERNAL
14;100908-4004;SEL § 54;;2023-06-01;2023-12-31;PLANNED;0;1;INTERNAL
15;100908-4004;BL § 76;;2024-05-01;;;0;1;INTERNAL
16;031110-4005;§52 stk.3 nr.7;socialpædagogisk opholdssted;2023-05-01;2023-12-31;OTHER;0;1;EXTERNAL
17;031110-4005;§ 46;opholdssted;2024-01-02;;;0;1;EXTERNAL
18;300406-4006;SEL-52-3.7;døgninstitution;2021-09-01;;;0;1;EXTERNAL
19;200109-4007;SEL § 52, stk. 3, nr. 7;døgninstitution;2023-10-01;;;0;1;EXTERNAL
20;200109-4007;SEL § 11, stk. 3, nr. 1;;2023-06-01;;;0;1;GENERAL
21;051208-4008;SEL § 52, stk. 3, nr. 7;døgninstitution;2022-01-10;;;0;1;EXTERNAL
22;051208-4008;SEL § 52, stk. 3, nr. 2;;2023-12-01;2023-12-31;PLANNED;1;1;INTERNAL
23;010412-4009;SEL § 52, stk. 3, nr. 3;;2023-04-01;2023-04-30;PLANNED;1;1;INTERNAL
24;010412-4009;Barnets lov §32 stk 1 nr 3;;2024-01-15;;;0;1;INTERNAL
25;100213-4010;SEL § 11, stk. 3, nr. 2;;2023-11-15;;;0;1;GENERAL
26;100213-4010;BL § 32, stk. 1, nr. 2;;2024-02-01;2024-02-29;PLANNED;1;1;INTERNAL
27;101011-4011;SEL § 52, stk. 3, nr. 6;;2023-01-01;;;0;1;INTERNAL
28;101011-4011;SEL § 57 a;;2023-02-01;2023-03-31;PLANNED;1;1;INTERNAL
29;060614-4012;SEL § 11, stk. 3, nr. 1;;2023-09-01;;;0;1;GENERAL
30;060614-4012;BL § 30, stk. 1, nr. 4;;2024-03-01;;;0;ja;GENERAL
31;060614-4012;SEL § 11, stk. 3, nr. 3;;2023-10-01;;;0;;GENERAL
32;121212-4013;SEL § 11, stk. 3, nr. 4;;2023-07-01;;;0;0;GENERAL
33;030315-4014;BL § 30, stk. 1, nr. 2;;2024-03-01;;;0;1;GENERAL
34;040315-4015;BL § 30, stk. 1, nr. 1;;2024-03-01;;;0;1;GENERAL
35;280210-4016;SEL § 11, stk. 3, nr. 2;;2023-11-01;2024-02-29;PLANNED;0;j;GENERAL
36;080809-4017;SEL § 52, stk. 3, nr. 2;;2022-10-01;2023-06-30;PLANNED;0;1;INTERNAL
37;080809-4017;BL § 38;;2024-02-01;;;0;1;INTERNAL
38;080809-4017;BL § 75;;2024-03-01;;;0;1;INTERNAL
39;050111-4018;SEL-52-a.1.2;;2022-11-01;2023-09-30;PLANNED;0;1;INTERNAL
40;050111-4018;BL § 47;netværksplejefamilie;2024-01-10;;;0;1;EXTERNAL
41;290208-4019;SEL § 52, stk. 3, nr. 5;;2023-06-01;2024-05-31;PLANNED;0;1;EXTERNAL
42;290208-4019;BL § 32, stk. 1, nr. 7;plejefamilie;2024-06-01;;;0;1;EXTERNAL
43;090916-4020;SEL § 52, stk. 3, nr. 4;;2023-02-01;2023-05-31;PLANNED;0;1;EXTERNAL
44;090916-4020;SEL § 52, stk. 3, nr. 7;forstærket plejefamilie;2023-06-01;2024-06-30;PLANNED;0;1;\
EXTERNAL
45;090916-4020;BL § 32, stk. 1, nr. 6;;2024-07-01;;;0;1;EXTERNAL
46;030309-4021;SEL § 52, stk. 3, nr. 7;socialpædagogisk opholdssted;2022-03-01;2023-09-30;PLANNED;\
0;1;EXTERNAL
47;030309-4021;SEL § 52, stk. 3, nr. 7;efterskole;2023-10-01;2024-06-30;PLANNED;0;1;EXTERNAL
48;030309-4021;BL § 75;;2024-01-01;2024-06-30;PLANNED;0;1;INTERNAL
49;111111-4022;BL § 46;kommunal plejefamilie;2024-03-01;;;0;1;EXTERNAL
50;111111-4022;SEL § 52, stk. 3, nr. 7;skibsprojekt;2023-07-01;2024-02-28;PLANNED;0;1;EXTERNAL
51;121212-4013;SEL § 52, stk. 3, nr. 8;;2023-01-01;2023-06-30;PLANNED;0;1;INTERNAL
52;120707-4023;BL § 46;døgninstitution;2024-03-01;2024-07-31;PLANNED;0;1;EXTERNAL
53;120707-4023;BL § 46;eget værelse;2024-08-01;;;0;1;EXTERNAL
54;120707-4023;BL § 32, stk. 1, nr. 8;;2024-08-01;;;1;1;INTERNAL
55;151012-4024;SEL § 52, stk. 3, nr. 7;socialpædagogisk opholdssted;2022-01-01;2023-12-31;PLANNED;\
0;1;EXTERNAL
56;151012-4024;SEL § 52, stk. 3, nr. 7;socialpædagogisk opholdssted;2022-03-01;2022-03-31;OTHER;\
0;1;EXTERNAL
57;151012-4024;BL § 46;socialpædagogisk opholdssted;2024-01-01;;;0;1;EXTERNAL
58;300406-4006;SEL § 11, stk. 3, nr. 2;;2023-12-01;;;0;1;GENERAL
59;101011-4011;SEL § 52, stk. 3, nr. 1;;2023-06-01;2025-06-30;;0;1;GENERAL
60;030315-4014;BL § 20;;2024-03-05;2024-06-30;PLANNED;0;1;INTERNAL
61;050516-4025;SEL § 11, stk. 3, nr. 1;;2023-07-01;2023-11-30;PLANNED;0;1;GENERAL
62;010711-4026;SEL § 52, stk. 3, nr. 7;plejefamilie;2023-01-01;2024-12-31;PLANNED;0;1;EXTERNAL
63;010711-4026;SEL § 52, stk. 3, nr. 9;;2023-02-01;2023-09-30;PLANNED;0;1;INTERNAL
64;020216-4027;SEL § 11, stk. 3, nr. 3;;2022-01-01;2022-12-31;PLANNED;0;1;GENERAL
65;020216-4027;BL § 30, stk. 1, nr. 3;;2024-03-15;;;0;1;GENERAL
"""

INVESTIGATIONS = """investigation_id;cpr;legal_reference;decision_date;completed_date
1;100213-4010;BL § 20;2024-03-10;2024-06-30
2;060614-4012;SEL § 50;2023-08-15;2023-11-30
3;060614-4012;SEL § 50;2023-12-31;
4;121212-4013;SEL § 50;2023-09-01;2023-12-01
5;030315-4014;BL § 20;2024-03-01;
6;040315-4015;Barnets lov § 20;2024-03-02;
7;280210-4016;BL § 20;2024-01-15;2024-05-01
8;050516-4025;BL § 20;2024-04-01;
9;020216-4027;SEL § 50;2023-06-01;2023-09-01
"""

FOLLOW_UPS = """follow_up_id;measure_id;completed_date
1;1;2023-06-15
2;1;2024-01-10
3;2;2024-07-31
4;3;2024-02-01
5;10;2024-04-29
6;9;2024-08-01
7;12;2023-05-31
8;13;2024-04-30
9;13;2024-08-31
10;16;2023-08-01
11;18;2022-12-31
12;18;2023-01-01
13;19;2023-12-01
14;21;2024-03-15
15;24;2024-04-15
16;27;2023-06-01
17;27;2024-01-20
18;27;2024-06-01
19;39;2023-05-01
20;40;2024-04-30
21;41;2023-12-31
22;43;2023-06-15
23;44;2023-09-15
24;44;2024-02-15
25;46;2023-03-01
26;49;2024-06-15
27;52;2024-04-10
28;55;2023-11-15
29;63;2023-05-15
"""

# Months outside each 3-month window carry decoy amounts; 2024-07 has no row at all (11 on D3).
EXPENSES = """month;account;amount_dkk
2023-09;5.28.21;999999
2023-10;5.28.21;100000
2023-10;5.28.23;300000
2023-11;5.28.21;80000
2023-11;5.28.22;200000
2023-12;52821;60000
2023-12;5.28.20;50000
2023-12;5.28.24;50000
2024-01;5.28.23;777777
2024-02;5.28.21;150000
2024-02;5.28.21.01;50000
2024-02;5.28.23;400000
2024-03;5.28.21;100000
2024-03;5.28.23;-40000
2024-03;5.28.22;240000
2024-04;5.28.21;125000
2024-04;5.28.21.02;-25000
2024-04;5.28.20;200000
2024-05;5.28.21;100000
2024-05;5.28.23;300000
2024-06;5.28.21;100000
2024-06;5.28.23;300000
2024-08;5.28.21;100000
2024-08;5.28.22;300000
"""

# Municipality 860: one id in measures.csv ("X1") is not a number, so ids compare as text
# (SPEC §11) and "9" > "10": the secure institution (9) is the current placement of the tie,
# not the residential institution (10) that a numeric comparison would pick. Its 0-17
# population is only given for 2024K1, so only D1 is checked.
TEXT_IDS = "860"
TEXT_ID_FILES = {
    "children": "cpr;unaccompanied_refugee\n050510-4028;0\n060610-4029;0\n",
    "measures": MEASURES.splitlines()[0]
    + """
9;050510-4028;SEL § 52, stk. 3, nr. 7;sikret døgninstitution;2023-06-01;;;0;1;EXTERNAL
10;050510-4028;SEL § 52, stk. 3, nr. 7;døgninstitution;2023-06-01;;;0;1;EXTERNAL
X1;060610-4029;SEL § 52, stk. 3, nr. 2;;2023-01-01;;;0;1;INTERNAL
""",
    "investigations": INVESTIGATIONS.splitlines()[0] + "\n",
    "follow_ups": FOLLOW_UPS.splitlines()[0] + "\n",
}
# D1: 1 person at the secure institution since 2023-06-01: 214 days (Jun 30 + Jul 31 + Aug 31 +
# Sep 30 + Oct 31 + Nov 30 + Dec 31), per 1000 of 500.
TEXT_ID_EXPECTED = {
    "1": (1, 500, 2.0),
    "1.1": (0, 1, 0.0),
    "1.2": (1, 1, 100.0),
    "1.3": (0, 1, 0.0),
    "2": (214, 1, 214.0),
    "2.1": (0, 0, None),
    "2.2": (214, 1, 214.0),
    "2.3": (0, 0, None),
}

# The quarters each date must use, and decoys on both sides (a wrong quarter gives a wrong value).
POPULATION = {
    (MUNICIPALITY, "2023K4"): 999,
    (MUNICIPALITY, "2024K1"): 2000,
    (MUNICIPALITY, "2024K2"): 2500,
    (MUNICIPALITY, "2024K3"): 1600,
    (MUNICIPALITY, "2024K4"): 3001,
    (TEXT_IDS, "2024K1"): 500,
}

UNITS = {
    **dict.fromkeys(["1", "3", "4", "5", "5.1", "5.2", "5.3", "6"], "per_1000"),
    **dict.fromkeys(["1.1", "1.2", "1.3", "7", "7.1", "7.2", "8", "9", "10"], "percent"),
    **dict.fromkeys(["2", "2.1", "2.2", "2.3"], "days"),
    **dict.fromkeys(["12", "12.1", "12.2", "12.3"], "per_person"),
    "5.4": "count",
    "11": "ratio",
}
INDICATORS = list(UNITS)

NA = "not_available"

# ---------------------------------------------------------------------------------------------
# D1 = 2023-12-31. FOLK1A 2024K1 = 2000. Excluded on D1: H (refugee), I (disability measure 22
# active on D1). Also out of 12 (window (2022-12-31, 2023-12-31]): J (23 in April), L (28 Feb-Mar).
#
# Current placement on D1 (age < 18): A døgninst. (579 d: 2022-06-01..), B sikret (61 d:
# 2023-11-01..), D døgninst. (306 d: 2023-03-01..), E opholdssted (245 d: 2023-05-01..), G
# døgninst. (852 d: 2021-09-01.., age 17), X opholdssted (730 d: 2022-01-01..), T forstærket
# plejefamilie, F plejefamilie, U efterskole, W skibsprojekt.
#   1   = {A, B, D, E, G, X} = 6 -> 6 * 1000 / 2000 = 3.0
#   1.1 = {A, D, G} 3/6 = 50 %; 1.2 = {B} 1/6; 1.3 = {E, X} 2/6
#   2   = (579 + 61 + 306 + 245 + 852 + 730) / 6 = 2773 / 6
#   2.1 = (579 + 306 + 852) / 3 = 1737 / 3 = 579; 2.2 = 61 / 1; 2.3 = (245 + 730) / 2 = 487.5
#   3   = {T, F} = 2 -> 1.0;  4 = 0 -> 0.0
# Home-based on D1: L (27 and 59: one person), V (aflastning = RESPITE). I's 22 excluded.
#   5 = 2 -> 1.0; 5.1 = 0; 5.2 = {V} -> 0.5; 5.3 = {L} -> 0.5
#   5.4 = {D} (placed, SEL § 54 to 2023-12-31) = 1
#   6 = granted offers active on D1: K 25, M 29, Q 35, G 58 (age 17) = 4 -> 2.0 (M 31 empty =
#       not granted, N 32 = 0, Y 61 ended 2023-11-30, H excluded)
#   7: in 1 on 2023-08-31 = {A, D, E, G, U, X} (I is out: excluded on D1; T foster, W other, B
#      not yet placed). On D1 U is at efterskole (another form), the rest still institutions.
#      7 = 1/6; 7.1 = 1/6; 7.2 = 0/6
#   8/9: home-based on 2022-12-31: R (36), S (39); neither placed then (L and N start
#      2023-01-01). On D1 neither has a home-based measure nor a placement (S's placement starts
#      2024-01-10). 8 = 0/2 = 0 %; 9 = 2/2 = 100 %
#   10: granted offer active in (2023-06-30, 2023-12-31]: G, K, M, Q, Y. Investigation strictly
#      after the offer start and <= D1: M (2023-12-31 > 2023-09-01). K (2024-03-10), Q
#      (2024-01-15) and Y (2024-04-01) are later than D1; G has none. 10 = 1/5 = 20 %
#   11: preventive 100000 + 80000 + 60000 (52821) = 240000; placement 300000 + 200000 + 50000 +
#      50000 = 600000; 2023-09 is outside -> 0.4
#   12: base = PLACEMENT/HOME_BASED active on D1: A B D E F G T U V W X = 11. Follow-ups in
#      (2022-12-31, 2023-12-31]: A 1 (2023-06-15), B 0, D 1, E 1, F 1 (on ended 63), G 1
#      (2023-01-01; 2022-12-31 is out), T 2 (43 home-based, 44 placement), U 1 (on ended 46),
#      V 1, W 0, X 1 = 10 -> 10/11
#   12.1: institution placements active on D1: A B D E G X (U's 46 ended) = 6; 1+0+1+1+1+1 = 5
#   12.2: {T, F}: T 1 (44 on 2023-09-15), F 0 = 1/2;  12.3: {V} (L excluded): 41 on 2023-12-31
#      = 1/1
# ---------------------------------------------------------------------------------------------
# D2 = 2024-04-30. FOLK1A 2024K2 = 2500. G is 18 on D2 (born 2006-04-30). Excluded on D2: H.
# Out of 7 (also D1): I. Out of 8/9 (also 2023-04-30): J. Out of 10 (window (2023-10-30,
# 2024-04-30]): I, K. Out of 12 (window (2023-04-30, 2024-04-30]): I, K. Z's disability measure
# starts 2024-08-01: Z counts everywhere on D2.
#
# Current placement on D2: A plejefamilie (move day, latest start), B sikret (ends on D2, 182 d),
# C opholdssted (tie -> id 10, 90 d: 2024-02-01..), D delvis lukket døgninst. (427 d: one spell
# from 2023-03-01), E opholdssted (120 d: new spell from 2024-01-02), I døgninst. (842 d:
# 2022-01-10..), X opholdssted (851 d: one spell from 2022-01-01), Z døgninst. (61 d:
# 2024-03-01..), S netværksplejefamilie, T forstærket plejefamilie, F plejefamilie, U efterskole,
# W kommunal plejefamilie.
#   1 = {B, C, D, E, I, X, Z} = 7 -> 2.8
#   1.1 = {D, I, Z} 3/7; 1.2 = {B} 1/7; 1.3 = {C, E, X} 3/7
#   2 = (182 + 90 + 427 + 120 + 842 + 851 + 61) / 7 = 2573 / 7
#   2.1 = (427 + 842 + 61) / 3 = 1330 / 3; 2.2 = 182 / 1; 2.3 = (90 + 120 + 851) / 3 = 1061 / 3
#   3 = {A, F, T, W} = 4 -> 1.6; 4 = {S} -> 0.4
#   5 = {J (BL § 32.1.3), L, V (respite to 2024-05-31)} = 3 -> 1.2; 5.1 = 0; 5.2 = {V} -> 0.4;
#   5.3 = {J, L} -> 0.8
#   5.4 = {U} (efterskole + BL § 75) = 1; R has BL § 75 but is not placed; D's § 76 starts 05-01
#   6 = K 25, M 29 + 30, O 33, P 34, Ø 65 = 6 -> 2.4 (Q's and Y's ended; K not excluded on D2;
#       G is 18)
#   7: in 1 on D1 = {A, B, D, E, G, X}; G is 18 on D2 -> base {A, B, D, E, X} = 5. A is in a
#      foster family now. 7 = 1/5 = 20 %; 7.1 = 1/5; 7.2 = 0/5
#   8/9: home-based on 2023-04-30, not excluded: F (63), L, N (51), R, S, T (43, family
#      residential; T's placement starts 2023-06-01). F was placed then: in 9's base, not 8's.
#      On D2: F, S, T placed; N (offer only) and R (order + parent-directed only) out; L still
#      home-based. 8 = {S, T} 2/5 = 40 %; 9 = {N, R} 2/6
#   10: base {M, O, P, Q, Y, Ø} (K excluded); numerator M (2023-12-31), P (day after), Q
#      (2024-01-15), Y (2024-04-01, after its offer ended); O decided on the start day, and O's
#      measures.csv "BL § 20" is not an investigation; Ø's decision precedes its 2024 offer
#      -> 4/6
#   11: preventive 150000 + 50000 (.01) + 100000 + 125000 - 25000 (.02 income) = 400000;
#      placement 400000 - 40000 (income) + 240000 + 200000 = 800000 -> 0.5
#   12: base A B C D E F J L S T U V W X Z = 15. Follow-ups in (2023-04-30, 2024-04-30]: A 2,
#      B 1, C 1 (on 10), D 2 (2023-05-31, 2024-04-30), E 1, F 1, J 1, L 2, S 2 (on 39 and 40),
#      T 3, U 0 (2023-03-01 is out), V 1, W 0, X 1 (on ended 55), Z 1 = 19 -> 19/15
#   12.1: {A (1 ends on D2), B, C, D, E, X, Z} = 7; 2 + 1 + 1 + 2 + 1 + 1 + 1 = 9 -> 9/7
#   12.2: {A (2), F, S, T, W} = 5; 0 + 0 + 1 + 2 + 0 = 3 -> 0.6
#   12.3: {J, L, V} = 3; 1 + 2 + 1 = 4 -> 4/3
# ---------------------------------------------------------------------------------------------
# D3 = 2024-08-31. FOLK1A 2024K3 = 1600. Excluded on D3: H, Z (disability measure 54 active on
# D3). Out of 12 (window (2023-08-31, 2024-08-31]): I, K, Z. K's disability measure ends on
# 2024-02-29 = D3 - 6 months: not in 10's window, so K is in 10.
#
# Current placement on D3: A plejefamilie, C opholdssted (213 d), D døgninst. (550 d), E
# opholdssted (243 d), I døgninst. (965 d), X opholdssted (974 d), S netværk, W kommunal, F
# plejefamilie (ends 2024-12-31). No secure placement.
#   1 = {C, D, E, I, X} = 5 -> 3.125
#   1.1 = {D, I} 2/5 = 40 %; 1.2 = 0/5 = 0 %; 1.3 = {C, E, X} 3/5 = 60 %
#   2 = (213 + 550 + 243 + 965 + 974) / 5 = 2945 / 5 = 589
#   2.1 = (550 + 965) / 2 = 757.5; 2.2 = 0 / 0 -> NULL; 2.3 = (213 + 243 + 974) / 3 = 1430 / 3
#   3 = {A, F, W} -> 1.875; 4 = {S} -> 0.625
#   5 = {J, L, T (BL § 32.1.6), V (BL § 32.1.7)} = 4 -> 2.5 (Z excluded); 5.1 = {T} -> 0.625;
#   5.2 = {V} -> 0.625; 5.3 = {J, L} -> 1.25
#   5.4 = {C (§ 76 from 08-01), D (§ 76 from 05-01)} = 2
#   6 = K, M x2, O, P, Ø = 6 -> 3.75
#   7: in 1 on D2 = {B, C, D, E, I, X, Z}; Z excluded on D3 -> base 6; B is not placed on D3.
#      7 = 1/6; 7.1 = 0/6; 7.2 = 1/6
#   8/9: home-based on 2023-08-31: F (63, placed then: 9 only), L, S (39 to 09-30), V (41 from
#      06-01). On D3: F, S placed; L and V still home-based. 8 = {S} 1/3; 9 = 0/4
#   10: base {K, M, O, P, Ø} (Q's offer ended 2024-02-29, outside); numerator K, M, P -> 3/5
#   11: 2024-07 has no row -> not_available
#   12: base A C D E F J L S T V W X = 12. Follow-ups in (2023-08-31, 2024-08-31]: A 2 (on ended
#      1 and on 2), C 2, D 2 (2024-04-30, 2024-08-31 = D), E 0, F 0, J 1, L 2, S 1, T 2 (on ended
#      44), V 1 (on ended 41), W 1, X 1 = 15 -> 15/12
#   12.1: {C, D, E, X} = 4; 2 + 2 + 0 + 1 = 5 -> 1.25
#   12.2: {A, F, S, W} = 4; 1 + 0 + 1 + 1 = 3 -> 0.75 (A's follow-up on institution 1 and F's on
#      home-based 63 are not in 12.2)
#   12.3: {J, L, T, V} = 4; 1 + 2 + 0 + 1 = 4 -> 1.0
# ---------------------------------------------------------------------------------------------

# (numerator, denominator, value); value None = NULL. Status "ok" unless NA is given.
EXPECTED: dict[str, dict[str, tuple]] = {
    D1: {
        "1": (6, 2000, 3.0),
        "1.1": (3, 6, 50.0),
        "1.2": (1, 6, 100 / 6),
        "1.3": (2, 6, 200 / 6),
        "2": (2773, 6, 2773 / 6),
        "2.1": (1737, 3, 579.0),
        "2.2": (61, 1, 61.0),
        "2.3": (975, 2, 487.5),
        "3": (2, 2000, 1.0),
        "4": (0, 2000, 0.0),
        "5": (2, 2000, 1.0),
        "5.1": (0, 2000, 0.0),
        "5.2": (1, 2000, 0.5),
        "5.3": (1, 2000, 0.5),
        "5.4": (1, None, 1.0),
        "6": (4, 2000, 2.0),
        "7": (1, 6, 100 / 6),
        "7.1": (1, 6, 100 / 6),
        "7.2": (0, 6, 0.0),
        "8": (0, 2, 0.0),
        "9": (2, 2, 100.0),
        "10": (1, 5, 20.0),
        "11": (240000, 600000, 0.4),
        "12": (10, 11, 10 / 11),
        "12.1": (5, 6, 5 / 6),
        "12.2": (1, 2, 0.5),
        "12.3": (1, 1, 1.0),
    },
    D2: {
        "1": (7, 2500, 2.8),
        "1.1": (3, 7, 300 / 7),
        "1.2": (1, 7, 100 / 7),
        "1.3": (3, 7, 300 / 7),
        "2": (2573, 7, 2573 / 7),
        "2.1": (1330, 3, 1330 / 3),
        "2.2": (182, 1, 182.0),
        "2.3": (1061, 3, 1061 / 3),
        "3": (4, 2500, 1.6),
        "4": (1, 2500, 0.4),
        "5": (3, 2500, 1.2),
        "5.1": (0, 2500, 0.0),
        "5.2": (1, 2500, 0.4),
        "5.3": (2, 2500, 0.8),
        "5.4": (1, None, 1.0),
        "6": (6, 2500, 2.4),
        "7": (1, 5, 20.0),
        "7.1": (1, 5, 20.0),
        "7.2": (0, 5, 0.0),
        "8": (2, 5, 40.0),
        "9": (2, 6, 100 / 3),
        "10": (4, 6, 200 / 3),
        "11": (400000, 800000, 0.5),
        "12": (19, 15, 19 / 15),
        "12.1": (9, 7, 9 / 7),
        "12.2": (3, 5, 0.6),
        "12.3": (4, 3, 4 / 3),
    },
    D3: {
        "1": (5, 1600, 3.125),
        "1.1": (2, 5, 40.0),
        "1.2": (0, 5, 0.0),
        "1.3": (3, 5, 60.0),
        "2": (2945, 5, 589.0),
        "2.1": (1515, 2, 757.5),
        "2.2": (0, 0, None),
        "2.3": (1430, 3, 1430 / 3),
        "3": (3, 1600, 1.875),
        "4": (1, 1600, 0.625),
        "5": (4, 1600, 2.5),
        "5.1": (1, 1600, 0.625),
        "5.2": (1, 1600, 0.625),
        "5.3": (2, 1600, 1.25),
        "5.4": (2, None, 2.0),
        "6": (6, 1600, 3.75),
        "7": (1, 6, 100 / 6),
        "7.1": (0, 6, 0.0),
        "7.2": (1, 6, 100 / 6),
        "8": (1, 3, 100 / 3),
        "9": (0, 4, 0.0),
        "10": (3, 5, 60.0),
        "11": (None, None, None, NA),
        "12": (15, 12, 1.25),
        "12.1": (5, 4, 1.25),
        "12.2": (3, 4, 0.75),
        "12.3": (4, 4, 1.0),
    },
}

# Cases where the pipeline disagrees with the hand-worked value and SPEC backs the hand value:
# {(cut-off, indicator): reason}. Each one is reported; the expected value above stays as is.
DISAGREEMENTS: dict[tuple[str, str], str] = {}


def _cases() -> list:
    cases = []
    for cutoff in CUTOFFS:
        for indicator in INDICATORS:
            marks = []
            if (cutoff, indicator) in DISAGREEMENTS:
                reason = DISAGREEMENTS[cutoff, indicator]
                marks.append(pytest.mark.xfail(strict=True, reason=reason))
            cases.append(pytest.param(cutoff, indicator, marks=marks, id=f"{cutoff}-{indicator}"))
    return cases


@pytest.fixture(scope="module")
def golden(module_harness):
    """Ingest the delivery once, build the three cut-off dates, return the harness."""
    module_harness.delivery(
        MUNICIPALITY,
        DELIVERY_DATE,
        {
            "children": CHILDREN,
            "measures": MEASURES,
            "investigations": INVESTIGATIONS,
            "follow_ups": FOLLOW_UPS,
            "expenses": EXPENSES,
        },
    )
    module_harness.delivery(TEXT_IDS, DELIVERY_DATE, TEXT_ID_FILES)
    module_harness.population(POPULATION)
    summary = module_harness.run(cutoffs=CUTOFFS)
    assert summary.ok, summary
    return module_harness


def _values(harness, municipality: str) -> pd.DataFrame:
    return harness.query(
        "select indicator_id, cast(cutoff_date as varchar) as cutoff_date, numerator, "
        "denominator, value, unit, status, note, cast(delivery_date as varchar) as delivery_date "
        "from marts.indicator_values where municipality_code = ? "
        # The national key indicators; the goal indicators have tests of their own.
        "and indicator_id in "
        "(select indicator_id from reference.indicators where family = 'national')",
        [municipality],
    )


@pytest.fixture(scope="module")
def values(golden) -> pd.DataFrame:
    return _values(golden, MUNICIPALITY)


def _is_null(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA


@pytest.mark.slow
def test_delivery_is_clean(golden):
    """The scenario is meant to be valid in full: a quarantined row would silently change what
    the golden numbers test, so none may be quarantined."""
    quarantined = golden.query(
        'select municipality_code, file, line_number, "column", rule from landing.quarantine '
        "order by all"
    )
    assert quarantined.empty, quarantined.to_string()


@pytest.mark.slow
def test_one_row_per_cutoff_and_indicator(values):
    got = sorted(zip(values.cutoff_date, values.indicator_id, strict=True))
    assert got == sorted((c, i) for c in CUTOFFS for i in INDICATORS)
    assert set(values.delivery_date) == {DELIVERY_DATE}


def _check(values: pd.DataFrame, cutoff: str, indicator: str, expected: tuple) -> None:
    numerator, denominator, value = expected[:3]
    status = expected[3] if len(expected) > 3 else "ok"
    rows = values[(values.cutoff_date == cutoff) & (values.indicator_id == indicator)]
    assert len(rows) == 1, f"{len(rows)} rows for {indicator} on {cutoff}"
    row = rows.iloc[0]
    got = (row.numerator, row.denominator, row.value, row.status, row.unit)
    where = f"indicator {indicator} on {cutoff}: got {got}"

    assert row.status == status, where
    assert row.unit == UNITS[indicator], where
    if status == NA:
        assert isinstance(row.note, str) and row.note.strip(), f"{where}: no note says why"
    for name, want, have in (
        ("numerator", numerator, row.numerator),
        ("denominator", denominator, row.denominator),
        ("value", value, row.value),
    ):
        if want is None:
            assert _is_null(have), f"{where}: {name} should be NULL"
        else:
            assert not _is_null(have), f"{where}: {name} is NULL, expected {want}"
            assert float(have) == pytest.approx(want, rel=1e-9), f"{where}: {name}"


@pytest.mark.slow
@pytest.mark.parametrize(("cutoff", "indicator"), _cases())
def test_indicator_value(values, cutoff, indicator):
    _check(values, cutoff, indicator, EXPECTED[cutoff][indicator])


@pytest.mark.slow
@pytest.mark.parametrize("indicator", list(TEXT_ID_EXPECTED))
def test_ids_compare_as_text_when_one_is_not_a_number(golden, indicator):
    _check(_values(golden, TEXT_IDS), D1, indicator, TEXT_ID_EXPECTED[indicator])
