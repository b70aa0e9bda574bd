"""write_demo_data: simulate, cut into deliveries, render, plant bad rows, write, summarise."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

import numpy as np

from demo import (
    badrows,
    codes,
    csvfile,
    dates,
    dialects,
    snapshot,
    statbank,
    stats,
    world,
)
from demo.cpr import SerialCounter
from demo.profiles import DEMO_MUNICIPALITIES, MunicipalityProfile, load_profiles
from demo.render import Renderer, Table, identities
from demo.sampling import stream
from demo.summary import (
    DeliverySummary,
    DemoSummary,
    ExtraColumn,
    FileInfo,
    MunicipalitySummary,
    PlantedRow,
    PlantedWarning,
)

Scale = Literal["municipal", "national"]

OLDER_DELIVERY = date(2025, 9, 5)
NEWEST_DELIVERY = date(2026, 1, 8)
SUCCESS_MARKER = "_SUCCESS"


def write_demo_data(
    out: Path,
    scale: Scale = "municipal",
    seed: int = 20261122,
    *,
    population_scale: float = 1.0,
    municipalities: Sequence[int] | None = None,
) -> DemoSummary:
    """Write synthetic deliveries and StatBank files under `out`; same seed, same bytes.

    scale="municipal": København, Slagelse and Hjørring, two deliveries each (2025-09-05
    and 2026-01-08), with planted bad rows in the newest. scale="national": all 98
    municipalities, one delivery each, no planted rows. `population_scale` (internal, for
    tests) shrinks every population; `municipalities` (internal) restricts the run.
    """
    started = time.perf_counter()
    out = Path(out)
    profiles = load_profiles()
    if scale == "municipal":
        run_codes = list(DEMO_MUNICIPALITIES)
        delivery_dates = (OLDER_DELIVERY, NEWEST_DELIVERY)
    elif scale == "national":
        run_codes = sorted(profiles)
        delivery_dates = (NEWEST_DELIVERY,)
    else:
        raise ValueError(f"scale must be 'municipal' or 'national', not {scale!r}")
    if municipalities is not None:
        run_codes = [c for c in run_codes if c in set(municipalities)]

    counter = SerialCounter()
    figures: dict[int, statbank.Figures] = {}
    summaries: list[MunicipalitySummary] = []
    deliveries: list[DeliverySummary] = []
    planted: list[PlantedRow] = []
    warnings: list[PlantedWarning] = []
    extras: list[ExtraColumn] = []
    for index, code in enumerate(run_codes):
        result = _municipality(
            out,
            profiles[code],
            index,
            seed,
            population_scale,
            delivery_dates,
            counter,
            plant=scale == "municipal",
        )
        figures[code] = result.figures
        summaries.append(result.summary)
        deliveries += result.deliveries
        planted += result.planted
        warnings += result.warnings
        extras.append(result.extra_column)

    for code in sorted(set(profiles) - set(figures)):
        figures[code] = statbank.synthetic_figures(profiles[code], seed, population_scale)
    statbank_files = statbank.write(out / "statbank", figures, profiles, seed)
    return DemoSummary(
        out=out,
        scale=scale,
        seed=seed,
        population_scale=population_scale,
        municipalities=tuple(summaries),
        deliveries=tuple(deliveries),
        planted=tuple(planted),
        warnings=tuple(warnings),
        extra_columns=tuple(extras),
        statbank_files=tuple(statbank_files),
        wall_time_s=time.perf_counter() - started,
    )


@dataclass
class _Result:
    figures: statbank.Figures
    summary: MunicipalitySummary
    extra_column: ExtraColumn
    deliveries: list[DeliverySummary] = field(default_factory=list)
    planted: list[PlantedRow] = field(default_factory=list)
    warnings: list[PlantedWarning] = field(default_factory=list)


def _municipality(
    out: Path,
    profile: MunicipalityProfile,
    index: int,
    seed: int,
    population_scale: float,
    delivery_dates: Sequence[date],
    counter: SerialCounter,
    *,
    plant: bool,
) -> _Result:
    code = profile.code
    w = world.simulate(profile, seed, population_scale)
    snaps = [snapshot.take(w, dates.day(d)) for d in delivery_dates]
    newest = snaps[-1]
    rng = stream(seed, code, "bad-rows")

    # The planted extras need persons: one child who is in the case data but left out of
    # children.csv (a warning), and one child nobody else mentions (for a bad children row).
    missing_child = _missing_child(newest, w.refugee, rng) if plant else None
    fresh = _fresh_child(w, newest, rng) if plant else None
    children = newest.children["person"].to_numpy()
    if fresh is not None:
        children = np.r_[children, fresh]
    ids = identities(
        counter,
        w.population.birth,
        w.population.male,
        children,
        w.adults.birth,
        w.adults.male,
        newest.housing["adult"].to_numpy(),
    )
    system = dialects.system_style(index, code)
    renderer = Renderer(code=code, system=system, ids=ids)
    file_dialects = {f: dialects.file_dialect(index, f) for f in dialects.FILES}

    counts = {y: stats.counts_on(w, dates.day(f"{y}-12-31")) for y in statbank.YEARS}
    figures = statbank.Figures(
        profile=profile,
        folk=statbank.folk(w.population),
        placed_by_code={y: c.placed_by_dst_code for y, c in counts.items()},
        home_not_placed={y: c.home_based_not_placed for y, c in counts.items()},
    )
    extra_file, extra_column, _ = system.extra_column
    result = _Result(
        figures=figures,
        summary=MunicipalitySummary(code, profile.name, figures.children(2024), 0, 0),
        extra_column=ExtraColumn(code, f"{extra_file}.csv", extra_column),
    )
    for d, snap in zip(delivery_dates, snaps, strict=True):
        is_newest = snap is newest
        if is_newest and missing_child is not None:
            kept = snap.children[snap.children["person"] != missing_child]
            snap = dataclasses.replace(snap, children=kept)
        persons = len(snap.children)
        tables = {f: renderer.render(f, snap, file_dialects[f]) for f in dialects.FILES}
        if is_newest and plant and fresh is not None:
            rows = badrows.plant(
                tables,
                snap,
                renderer,
                file_dialects,
                rng,
                variant=index,
                n_world_measures=len(w.measures),
                n_world_investigations=len(w.investigations),
                n_world_follow_ups=len(w.follow_ups),
                fresh_person=fresh,
                refugee=w.refugee,
            )
            result.planted += [
                PlantedRow(code, d, r.file, r.line, r.kind, r.column, r.value) for r in rows
            ]
            if missing_child is not None:
                result.warnings.append(
                    PlantedWarning(
                        code,
                        d,
                        "person_without_children_row",
                        "measures.csv",
                        _lines_of(tables["measures"], ids.children[missing_child]),
                    )
                )
        result.deliveries.append(
            _write_delivery(
                out / str(code) / d.isoformat(), code, d, tables, file_dialects, persons
            )
        )

    newest_summary = result.deliveries[-1]
    result.summary = dataclasses.replace(
        result.summary, persons=newest_summary.persons, adults=newest_summary.adults
    )
    return result


def _missing_child(snap: snapshot.Snapshot, refugee: np.ndarray, rng: np.random.Generator) -> int:
    """A child with a home-based measure (and no investigation) to leave out of children.csv."""
    m = snap.measures
    home = np.sort(m.loc[m["category"] == codes.HOME_BASED, "person"].unique())
    people = np.setdiff1d(home, snap.investigations["person"].unique())
    people = people[~refugee[people]]
    return int(rng.choice(people if people.size else home))


def _fresh_child(w: world.World, snap: snapshot.Snapshot, rng: np.random.Generator) -> int:
    """A child of the population whom the case data never mentions."""
    born = w.population.birth
    school_age = (born >= dates.day("2008-01-01")) & (born < dates.day("2014-01-01"))
    known = snap.children["person"].to_numpy()
    unknown = np.setdiff1d(np.flatnonzero(school_age), known)
    if unknown.size == 0:
        unknown = np.setdiff1d(np.arange(born.size), known)
    return int(rng.choice(unknown))


def _lines_of(table: Table, cpr_text: str) -> tuple[int, ...]:
    column = table.column("cpr")
    plain = cpr_text.replace("-", "")
    hits = np.flatnonzero((column == cpr_text) | (column == plain))
    return tuple(int(i) + 2 for i in hits)


def _write_delivery(
    folder: Path,
    code: int,
    day: date,
    tables: dict[str, Table],
    file_dialects: dict[str, dialects.FileDialect],
    persons: int,
) -> DeliverySummary:
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / SUCCESS_MARKER
    # A rerun into the same folder must not leave an old marker claiming completeness.
    marker.unlink(missing_ok=True)
    infos = []
    for name in dialects.FILES:
        d = file_dialects[name]
        rows = csvfile.write(folder / f"{name}.csv", tables[name], d)
        infos.append(
            FileInfo(
                name=f"{name}.csv",
                rows=rows,
                encoding=d.encoding,
                delimiter=d.delimiter,
                date_format=d.date_format,
                decimal=d.decimal,
                boolean=d.boolean,
                empty_false=d.empty_false,
                header=tuple(tables[name].header),
                danish_enums=d.danish_enums,
                line_ending=d.line_ending,
            )
        )
    # Written last: the ops convention is that a delivery is complete once _SUCCESS exists.
    marker.write_bytes(b"")
    adults = len(np.unique(tables["housing_centre_stays"].columns[0]))
    return DeliverySummary(
        municipality_code=code,
        delivery_date=day,
        folder=folder,
        persons=persons,
        adults=adults,
        files=tuple(infos),
    )
