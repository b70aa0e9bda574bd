"""One municipality's complete synthetic history (the "world"), before any delivery cuts it.

Everything is kept with true dates up to the horizon (the last day of the history) and
beyond it where a measure has a planned end. snapshot.py turns the world into what a case
system would have extracted on a delivery date.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from demo import (
    adults,
    casework,
    codes,
    dates,
    finance,
    inquiries,
    investigations,
    legal,
    placements,
    population,
    school,
    support,
)
from demo.profiles import MunicipalityProfile
from demo.sampling import first_of_runs, stream

HORIZON = "2025-12-31"


@dataclass(frozen=True)
class World:
    profile: MunicipalityProfile
    horizon: int
    population: population.Population
    refugee: np.ndarray  # per child of the population
    adults: adults.Adults
    measures: pd.DataFrame
    investigations: pd.DataFrame
    follow_ups: pd.DataFrame
    action_plans: pd.DataFrame
    caseworkers: pd.DataFrame
    family_involvement: pd.DataFrame
    conversations: pd.DataFrame
    wellbeing: pd.DataFrame
    absence: pd.DataFrame
    completion: pd.DataFrame
    education: pd.DataFrame
    charges: pd.DataFrame
    expenses: pd.DataFrame
    inquiries: pd.DataFrame
    calibration: dict[str, float]


def _measure_frame(rows: support.MeasureRows, **extra: np.ndarray | int) -> pd.DataFrame:
    m = len(rows)
    frame = pd.DataFrame(
        {
            "person": rows.person.astype(np.int64),
            "category": rows.category.astype(np.int8),
            "nr": rows.nr.astype(np.int8),
            "ref_key": rows.ref_key.astype(np.int16),
            "ptype": np.full(m, -1, np.int8),
            "label": np.full(m, -1, np.int8),
            "dst_code": np.full(m, -1, np.int16),
            "start": rows.start.astype(np.int64),
            "end": rows.end.astype(np.int64),
            "end_reason": rows.end_reason.astype(np.int8),
            "provider": rows.provider.astype(np.int8),
            "granted": rows.granted.astype(np.int8),
            "disability": rows.disability.astype(bool),
            "group": np.full(m, -1, np.int64),
            "main": np.zeros(m, bool),
        }
    )
    for name, value in extra.items():
        frame[name] = value
    return frame


def simulate(profile: MunicipalityProfile, seed: int, population_scale: float = 1.0) -> World:
    code = profile.code
    horizon = dates.day(HORIZON)
    size = profile.children_0_17 * population_scale
    pop = population.generate(size, stream(seed, code, "population"))
    birth = pop.birth.astype(np.int64)

    careers, p_placed = placements.simulate(
        stream(seed, code, "placements"), birth, profile.placed_per_1000
    )
    before_after = support.placement_spells(stream(seed, code, "support-around"), birth, careers)
    placement_support_days = float(
        (np.minimum(before_after.end, horizon) - before_after.start + 1).clip(min=0).sum()
    )
    # Home-based support of its own makes up what support around placements does not.
    target = profile.home_based_ratio * profile.placed_per_1000 / 1000
    around = placement_support_days / (birth.size * 18 * 365.25)
    own, p_home = support.own_spells(stream(seed, code, "home-based"), birth, target - around)
    spells = support.Spells(
        person=np.r_[own.person, before_after.person],
        start=np.r_[own.start, before_after.start],
        end=np.r_[own.end, before_after.end],
        origin=np.r_[own.origin, before_after.origin],
        disabled=np.r_[own.disabled, before_after.disabled],
    )
    disabled_person = careers.disabled.copy()
    home, home_spell = support.spell_measures(
        stream(seed, code, "home-measures"), spells, disabled_person
    )
    offer_rows, p_offer = support.offers(
        stream(seed, code, "offers"), birth, profile.offers_per_1000
    )
    order_rows = support.orders(stream(seed, code, "orders"), birth, spells)
    parent_rows = support.parent_directed(stream(seed, code, "parents"), careers)

    # Group ids: placement careers first, then home-based spells.
    n_spells = spells.person.size
    n_careers = careers.career_person.size
    home_frame = _measure_frame(
        home,
        group=home_spell + n_careers,
        main=np.r_[np.ones(n_spells, bool), np.zeros(len(home) - n_spells, bool)],
    )
    m = careers.person.size
    first_episode = first_of_runs(careers.career)
    placement_frame = pd.DataFrame(
        {
            "person": careers.person.astype(np.int64),
            "category": np.full(m, codes.PLACEMENT, np.int8),
            "nr": np.full(m, 7, np.int8),
            "ref_key": np.where(
                careers.consent, legal.PLACEMENT_CONSENT_KEY, legal.PLACEMENT_NO_CONSENT_KEY
            ).astype(np.int16),
            "ptype": careers.ptype,
            "label": careers.label,
            "dst_code": careers.dst_code,
            "start": careers.start.astype(np.int64),
            "end": careers.end.astype(np.int64),
            "end_reason": careers.end_reason,
            "provider": careers.provider,
            "granted": np.full(m, codes.TRUE, np.int8),
            "disability": careers.disabled[careers.person],
            "group": careers.career.astype(np.int64),
            "main": first_episode,
        }
    )
    measures = pd.concat(
        [
            placement_frame,
            home_frame,
            _measure_frame(offer_rows),
            _measure_frame(order_rows),
            _measure_frame(parent_rows),
        ],
        ignore_index=True,
    )
    style_rng = stream(seed, code, "styles")
    measures["style"] = style_rng.integers(0, 256, len(measures)).astype(np.int16)
    measures["plan_u"] = style_rng.random(len(measures))
    # A measure exists in the case system from its start; ids follow the order of creation.
    measures = measures.sort_values(["start", "person", "category", "end"], kind="stable")
    measures = measures.reset_index(drop=True)

    inv = investigations.simulate(
        stream(seed, code, "investigations"), profile, birth, careers, spells, offer_rows
    )
    inv_frame = pd.DataFrame(
        {"person": inv.person, "decision": inv.decision, "completed": inv.completed}
    )
    inv_frame["style"] = stream(seed, code, "inv-styles").integers(0, 256, len(inv_frame))
    inv_frame = inv_frame.sort_values(["decision", "person"], kind="stable").reset_index(drop=True)

    fups = casework.follow_ups(stream(seed, code, "follow-ups"), measures, horizon)
    fups = fups.sort_values(["day", "measure_row"], kind="stable").reset_index(drop=True)
    refugee = careers.refugee
    return World(
        profile=profile,
        horizon=horizon,
        population=pop,
        refugee=refugee,
        adults=adults.simulate(stream(seed, code, "adults"), size, horizon),
        measures=measures,
        investigations=inv_frame,
        follow_ups=fups,
        action_plans=casework.action_plans(stream(seed, code, "plans"), measures, horizon),
        caseworkers=casework.caseworker_assignments(
            stream(seed, code, "caseworkers"),
            measures,
            inv_frame,
            profile.caseworker_turnover,
            horizon,
        ),
        family_involvement=casework.family_involvement(
            stream(seed, code, "family"), measures, horizon
        ),
        conversations=casework.child_conversations(
            stream(seed, code, "conversations"), measures, fups, birth
        ),
        wellbeing=casework.wellbeing(stream(seed, code, "wellbeing"), measures, horizon),
        absence=school.absence(stream(seed, code, "absence"), measures, birth),
        completion=school.completion(stream(seed, code, "completion"), measures, birth),
        education=school.youth_education(stream(seed, code, "education"), measures, birth, horizon),
        charges=school.charges(stream(seed, code, "charges"), measures, birth, pop.male, horizon),
        expenses=finance.simulate(stream(seed, code, "expenses"), measures, horizon),
        inquiries=inquiries.simulate(stream(seed, code, "inquiries"), size, horizon),
        calibration={"placed": p_placed, "home_based": p_home, "offers": p_offer},
    )
