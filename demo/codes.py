"""The domain's enumerations as the generator stores them: small integers, named here once.

Tables inside the generator hold these codes; only rendering (render.py) turns them into the
English codes or Danish labels that an extract writes (SPEC §4 and §8).
"""

from __future__ import annotations

from typing import Final

from pipeline.sources.placement_types import PLACEMENT_TYPES

# Measure categories (SPEC §4). INVESTIGATION lives in investigations.csv, not here.
OFFER: Final = 0  # PREVENTIVE_OFFER, § 11, stk. 3 / BL § 30
HOME_BASED: Final = 1  # incl. FAMILY_RESIDENTIAL and RESPITE sub-categories
PLACEMENT: Final = 2
PARENT_DIRECTED: Final = 3
ORDER: Final = 4
CATEGORY_NAMES: Final = ("PREVENTIVE_OFFER", "HOME_BASED", "PLACEMENT", "PARENT_DIRECTED", "ORDER")

# Home-based measures are kept by their Serviceloven § 52, stk. 3 number; 10 stands for § 52 a.
# Barnets Lov renumbered them (SPEC §4):
# SEL nr 1,2,3,4,5,6,8,9 -> BL § 32, stk. 1, nr 1,2,5,6,7,3,4,8.
SEL_52A: Final = 10
SEL_TO_BL_NR: Final = {1: 1, 2: 2, 3: 5, 4: 6, 5: 7, 6: 3, 8: 4, 9: 8}
FAMILY_RESIDENTIAL_NR: Final = 4
RESPITE_NR: Final = 5

# Placement types (SPEC §4), in the order of the SPEC table.
FOSTER_FAMILY: Final = 0
MUNICIPAL_FOSTER_FAMILY: Final = 1
NETWORK_FOSTER_FAMILY: Final = 2
RESIDENTIAL_INSTITUTION: Final = 3
SECURE_INSTITUTION: Final = 4
SOCIAL_PEDAGOGICAL_HOME: Final = 5
OWN_ROOM: Final = 6
BOARDING_SCHOOL: Final = 7
OTHER_PLACEMENT: Final = 8
# The extract codes, indexed by the integers above (the contract's own list and order).
PLACEMENT_TYPE_CODES: Final = PLACEMENT_TYPES

# Danish labels per placement type (SPEC §4), each with the DST ANBRINGELSE code it counts
# under. Which DST code each foster-family label gets is this generator's assumption; the
# pipeline only needs the code to fall in the type's code list.
PLACEMENT_LABELS: Final[tuple[tuple[tuple[str, int], ...], ...]] = (
    (
        ("plejefamilie", 21),
        ("almen plejefamilie", 23),
        ("forstærket plejefamilie", 24),
        ("specialiseret plejefamilie", 25),
    ),
    (("kommunal plejefamilie", 22),),
    (("netværksplejefamilie", 1),),
    (("døgninstitution", 9), ("børne- og ungehjem", 9)),
    (("sikret døgninstitution", 8), ("sikret afdeling", 8)),
    (("socialpædagogisk opholdssted", 27), ("opholdssted for børn og unge", 27)),
    (("eget værelse", 6), ("kollegium", 6), ("kollegielignende opholdssted", 6)),
    (("kostskole", 11), ("efterskole", 11)),
    (("andet", 99), ("uoplyst", 99)),
)
# Every DST ANBRINGELSE code of SPEC §4, in table order, with its placement type.
DST_PLACEMENT_CODES: Final = (
    (21, FOSTER_FAMILY),
    (23, FOSTER_FAMILY),
    (24, FOSTER_FAMILY),
    (25, FOSTER_FAMILY),
    (26, FOSTER_FAMILY),
    (22, MUNICIPAL_FOSTER_FAMILY),
    (1, NETWORK_FOSTER_FAMILY),
    (9, RESIDENTIAL_INSTITUTION),
    (7, RESIDENTIAL_INSTITUTION),
    (8, SECURE_INSTITUTION),
    (27, SOCIAL_PEDAGOGICAL_HOME),
    (6, OWN_ROOM),
    (11, BOARDING_SCHOOL),
    (99, OTHER_PLACEMENT),
)

# End reasons (measures.csv): English code and the Danish labels extracts use.
PLANNED: Final = 0
UNPLANNED: Final = 1
OTHER_REASON: Final = 2
NO_REASON: Final = -1
END_REASON_CODES: Final = ("PLANNED", "UNPLANNED", "OTHER")
# UNPLANNED has two Danish labels; OTHER has none in the contract, so it stays in English.
END_REASON_DANISH: Final = (("planlagt",), ("sammenbrud", "ikke planlagt"), ("OTHER",))

PROVIDER_CODES: Final = ("INTERNAL", "EXTERNAL", "GENERAL")
INTERNAL: Final = 0
EXTERNAL: Final = 1
GENERAL: Final = 2

# Three-state booleans: an empty cell reads as false (SPEC §11).
FALSE: Final = 0
TRUE: Final = 1
EMPTY: Final = 2

ROLE_CODES: Final = ("INTAKE", "RESPONSIBLE")
ROLE_DANISH: Final = ("modtagelse", "sagsbehandler")

CHANNEL_CODES: Final = ("SCHOOL", "DAYCARE", "OTHER")
OUTCOME_CODES: Final = ("LOCAL_EFFORT", "CASE_OPENED", "NONE")
INVOLVEMENT_CODES: Final = ("INVOLVED", "DECLINED", "NOT_INVOLVED")
SEVERITY_CODES: Final = ("SERIOUS", "VIOLENT", "OTHER")
GOALS_CODES: Final = ("YES", "PARTLY", "NO")
DESTINATION_CODES: Final = ("INDEPENDENT", "OTHER_CENTRE", "HOSPITAL", "DECEASED", "OTHER")
OTHER_CENTRE: Final = 1

# Youth education kinds: a free-text column; some systems write codes, others names.
EDUCATION_CODES: Final = ("STX", "HHX", "HTX", "HF", "EUD", "EUX", "FGU")
EDUCATION_DANISH: Final = (
    "Gymnasial uddannelse (stx)",
    "Højere handelseksamen (hhx)",
    "Højere teknisk eksamen (htx)",
    "Højere forberedelseseksamen (hf)",
    "Erhvervsuddannelse (eud)",
    "Erhvervsuddannelse med studiekompetence (eux)",
    "Forberedende grunduddannelse (FGU)",
)

# Finance accounts of function 5.28 (SPEC §7).
ACCOUNTS: Final = ("5.28.20", "5.28.21", "5.28.22", "5.28.23", "5.28.24")
