"""A synthetic municipality for the publication tests: enough children for ordinary cells, few
enough in some categories for small cells, and moves between cut-off dates (indicator 7).

Every CPR number is synthetic (7th digit 4, births 2006-2019, serials from 4000) and listed in
`Scenario.cprs`, so a test can search the published files for each of them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

CUTOFFS = ["2023-04-30", "2023-08-31", "2023-12-31"]
QUARTERS = ["2023K1", "2023K2", "2023K3", "2023K4", "2024K1"]

HEADER_MEASURES = (
    "measure_id;cpr;legal_reference;placement_type;start_date;end_date;end_reason;"
    "disability;authority_granted;provider"
)
PLACEMENT = "SEL § 52, stk. 3, nr. 7"
HOME_BASED = {
    "other": "SEL § 52, stk. 3, nr. 3",
    "family": "SEL § 52, stk. 3, nr. 4",
    "respite": "SEL § 52, stk. 3, nr. 5",
}
OFFER = "SEL § 11, stk. 3, nr. 1"
PARENT_DIRECTED = "SEL § 54"
INVESTIGATION = "SEL § 50"
PLACEMENT_LABELS = [
    ("døgninstitution", 10),
    ("sikret døgninstitution", 2),
    ("socialpædagogisk opholdssted", 8),
    ("plejefamilie", 30),
    ("kommunal plejefamilie", 8),
    ("netværksplejefamilie", 12),
    ("eget værelse", 4),
]


@dataclass
class Scenario:
    files: dict[str, str]
    cprs: list[str] = field(default_factory=list)


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def build_scenario(children: int, seed: int, serial_offset: int = 0) -> Scenario:
    """A delivery (file name -> CSV text) for `children` children with measures."""
    rng = random.Random(seed)
    cprs: list[str] = []
    used: set[str] = set()
    measures: list[str] = []
    follow_ups: list[str] = []
    investigations: list[str] = []
    measure_id = 0
    labels = [label for label, _ in PLACEMENT_LABELS]
    weights = [weight for _, weight in PLACEMENT_LABELS]
    for index in range(children):
        while True:
            birth = _day(rng, dt.date(2006, 1, 1), dt.date(2019, 12, 31))
            cpr = f"{birth:%d%m%y}-{4000 + (serial_offset + index) % 1000:04d}"
            if cpr not in used:
                break
        used.add(cpr)
        cprs.append(cpr)
        kind = rng.choices(["placed", "home", "offer", "moved"], [45, 35, 12, 8])[0]
        start = _day(rng, max(birth, dt.date(2019, 1, 1)), dt.date(2023, 6, 30))
        mine: list[int] = []
        if kind in ("placed", "moved"):
            label = rng.choices(labels, weights)[0]
            end = ""
            if kind == "moved":
                # Institution-placed on 30 April 2023, out by 31 August: 7.1 or 7.2.
                label = rng.choice(["døgninstitution", "socialpædagogisk opholdssted"])
                start = _day(rng, dt.date(2021, 1, 1), dt.date(2023, 3, 31))
                ended = _day(rng, dt.date(2023, 5, 1), dt.date(2023, 7, 31))
                end = ended.isoformat()
                if rng.random() < 0.5:
                    measure_id += 1
                    measures.append(
                        f"{measure_id};{cpr};{PLACEMENT};plejefamilie;"
                        f"{ended + dt.timedelta(days=1)};;;0;1;EXTERNAL"
                    )
                    mine.append(measure_id)
            measure_id += 1
            measures.append(
                f"{measure_id};{cpr};{PLACEMENT};{label};{start};{end};"
                f"{'PLANNED' if end else ''};0;1;EXTERNAL"
            )
            mine.append(measure_id)
            if rng.random() < 0.1:
                measure_id += 1
                measures.append(f"{measure_id};{cpr};{PARENT_DIRECTED};;{start};;;0;1;INTERNAL")
        elif kind == "home":
            which = rng.choices(list(HOME_BASED), [70, 8, 22])[0]
            end = "" if rng.random() < 0.6 else _day(rng, start, dt.date(2024, 6, 30)).isoformat()
            measure_id += 1
            measures.append(
                f"{measure_id};{cpr};{HOME_BASED[which]};;{start};{end};"
                f"{'PLANNED' if end else ''};0;1;INTERNAL"
            )
            mine.append(measure_id)
        else:
            offer_start = _day(rng, dt.date(2022, 6, 1), dt.date(2023, 11, 30))
            measure_id += 1
            measures.append(f"{measure_id};{cpr};{OFFER};;{offer_start};;;0;1;GENERAL")
            if rng.random() < 0.4:
                decided = offer_start + dt.timedelta(days=rng.randrange(5, 60))
                investigations.append(f"{len(investigations) + 1};{cpr};{INVESTIGATION};{decided};")
        for target in mine:
            for _ in range(rng.choice([0, 1, 1, 2])):
                done = _day(rng, dt.date(2022, 9, 1), dt.date(2023, 12, 31))
                follow_ups.append(f"{len(follow_ups) + 1};{target};{done}")
    children_csv = "cpr;unaccompanied_refugee\n" + "".join(f"{c};0\n" for c in cprs)
    return Scenario(
        files={
            "children": children_csv,
            "measures": HEADER_MEASURES + "\n" + "\n".join(measures) + "\n",
            "investigations": "investigation_id;cpr;legal_reference;decision_date;"
            "completed_date\n" + "".join(f"{row}\n" for row in investigations),
            "follow_ups": "follow_up_id;measure_id;completed_date\n"
            + "".join(f"{row}\n" for row in follow_ups),
        },
        cprs=cprs,
    )
