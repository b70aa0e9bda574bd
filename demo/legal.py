"""Legal references as case systems write them (SPEC §4).

A measure is stored as a reference key (which provision of which category); the law is
Serviceloven when the measure started before 2024-01-01 and Barnets Lov from then on.
Rendering picks one of the notations a municipality's system uses: prose
("SEL § 52, stk. 3, nr. 7"), compact ("§52 stk.3 nr.7", "Barnets lov §32 stk 1 nr 3"), key
("SEL-52-3.7", "SEL-58 jf. 52-3.7") or without a law ("§ 52, stk. 3, nr. 7"). Only notations
the SPEC names are used, so every generated reference maps to exactly one category.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from demo import codes, dates
from pipeline.sources import legal_references

# The pipeline's own date of the change of law, as a day number.
BARNETS_LOV_FROM = dates.day(legal_references.BARNETS_LOV_FROM)

Family = Literal["prose", "compact", "key"]
FAMILIES: tuple[Family, ...] = ("prose", "compact", "key")


@dataclass(frozen=True)
class Provision:
    para: int
    letter: str = ""
    stk: int | None = None
    nr: int | None = None


@dataclass(frozen=True)
class Reference:
    sel: Provision
    bl: Provision


# Reference keys. Offers and home-based measures are indexed by their number.
_REFS: list[Reference] = []
OFFER_KEY: dict[int, int] = {}
HOME_BASED_KEY: dict[int, int] = {}


def _add(sel: Provision, bl: Provision) -> int:
    _REFS.append(Reference(sel, bl))
    return len(_REFS) - 1


for _nr in (1, 2, 3, 4):
    OFFER_KEY[_nr] = _add(Provision(11, stk=3, nr=_nr), Provision(30, stk=1, nr=_nr))
for _nr, _bl_nr in codes.SEL_TO_BL_NR.items():
    HOME_BASED_KEY[_nr] = _add(Provision(52, stk=3, nr=_nr), Provision(32, stk=1, nr=_bl_nr))
HOME_BASED_KEY[codes.SEL_52A] = _add(Provision(52, "a", stk=1, nr=2), Provision(35))
PLACEMENT_CONSENT_KEY = _add(Provision(52, stk=3, nr=7), Provision(46))
PLACEMENT_NO_CONSENT_KEY = _add(Provision(58), Provision(47))
PARENT_DIRECTED_KEY = _add(Provision(54), Provision(75))
PARENT_ORDER_KEY = _add(Provision(57, "a"), Provision(38))
YOUTH_ORDER_KEY = _add(Provision(57, "b"), Provision(39))
INVESTIGATION_KEY = _add(Provision(50), Provision(20))
N_KEYS = len(_REFS)


def _para(p: Provision) -> str:
    if not p.letter:
        return str(p.para)
    return f"{p.para} {p.letter}"


def _sel_forms(p: Provision, key_of_58: bool) -> dict[str, str]:
    para = _para(p)
    if p.stk is not None:
        tail = f", stk. {p.stk}, nr. {p.nr}"
        forms = {
            "prose_sel": f"SEL § {para}{tail}",
            "prose_long": f"Serviceloven § {para}{tail}",
            "nolaw": f"§ {para}{tail}",
        }
        if p.letter:
            forms["key"] = f"SEL-{p.para}-{p.letter}.{p.stk}.{p.nr}"
            forms["compact"] = forms["nolaw"]
        else:
            forms["key"] = f"SEL-{p.para}-{p.stk}.{p.nr}"
            forms["compact"] = f"§{p.para} stk.{p.stk} nr.{p.nr}"
        return forms
    forms = {
        "prose_sel": f"SEL § {para}",
        "prose_long": f"Serviceloven § {para}",
        "nolaw": f"§ {para}",
        "compact": f"§{para}" if not p.letter else f"§ {para}",
        "key": f"SEL § {para}",
    }
    if key_of_58:
        forms["key"] = "SEL-58 jf. 52-3.7"
        forms["prose_sel"] = "SEL § 58, stk. 1"  # an extra qualifier, ignored by the crosswalk
    return forms


def _bl_forms(p: Provision) -> dict[str, str]:
    if p.stk is not None:
        return {
            "prose_bl": f"BL § {p.para}, stk. {p.stk}, nr. {p.nr}",
            "prose_long": f"Barnets Lov § {p.para}, stk. {p.stk}, nr. {p.nr}",
            "compact_long": f"Barnets lov §{p.para} stk {p.stk} nr {p.nr}",
            "compact": f"§{p.para} stk.{p.stk} nr.{p.nr}",
        }
    # A qualifier on a paragraph mapped as a whole. § 35 is the exception: only its stk. 4
    # succeeded SEL § 52 a (stk. 1-3 are economic support, no category; legal crosswalk seed).
    qualifier = 4 if p.para == 35 else 1
    return {
        "prose_bl": f"BL § {p.para}",
        "prose_long": f"Barnets Lov § {p.para}, stk. {qualifier}",
        "compact_long": f"Barnets lov §{p.para}",
        "compact": f"§{p.para}",
    }


# Which forms each notation family uses, per law (cycled per row).
_FAMILY_FORMS: dict[Family, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "prose": (("prose_sel", "prose_long"), ("prose_bl", "prose_long")),
    "compact": (("compact", "nolaw", "prose_sel"), ("compact", "compact_long", "prose_bl")),
    "key": (("key", "prose_sel"), ("prose_bl", "compact_long")),
}


def _table(family: Family) -> tuple[np.ndarray, np.ndarray]:
    """strings[key, law, form] and the number of forms per (key, law)."""
    sel_names, bl_names = _FAMILY_FORMS[family]
    width = max(len(sel_names), len(bl_names))
    strings = np.empty((N_KEYS, 2, width), dtype=object)
    counts = np.empty((N_KEYS, 2), dtype=np.int64)
    for key, ref in enumerate(_REFS):
        sel = _sel_forms(ref.sel, key_of_58=key == PLACEMENT_NO_CONSENT_KEY)
        bl = _bl_forms(ref.bl)
        for law, (forms, names) in enumerate(((sel, sel_names), (bl, bl_names))):
            values = [forms[name] for name in names]
            counts[key, law] = len(values)
            for j in range(width):
                strings[key, law, j] = values[j % len(values)]
    return strings, counts


def render(keys: np.ndarray, start: np.ndarray, style: np.ndarray, family: Family) -> np.ndarray:
    """One reference string per row: law from the start date, notation from the family."""
    strings, counts = _table(family)
    law = (start >= BARNETS_LOV_FROM).astype(np.int64)
    form = style.astype(np.int64) % counts[keys, law]
    return strings[keys, law, form]
