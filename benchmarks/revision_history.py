"""How large the history of published figures grows (SPEC §13, issue 16), at national scale
over a simulated year of nightly publications, and what recording it costs per night.

Not a pipeline run (a national run takes minutes; 365 of them do not fit a benchmark): the
publication's own history step (pipeline/publish/revisions.py: stage_revisions, then
record_history) on a synthetic published `indicator_values` of national size, changed night by
night the way deliveries change it. The model, stated so the figures can be judged:

- 98 municipalities x 47 indicators (27 key, 20 goal) on 51 cut-off dates to start with
  (2009-12-31 .. 2026-08-31, three a year); a new cut-off date every 122 nights adds 98 x 47
  new figures.
- Each night one municipality delivers (each about every 14 weeks, about what the delivery
  sensor sees nationally). Late registrations move figures of its newest three cut-off dates:
  each of those figures changes with probability CHANGE_SHARE; a figure on an older date with
  probability OLD_CHANGE_SHARE (a back-dated correction).

Run: `.venv/bin/python benchmarks/revision_history.py [--nights 365]` (prints JSON).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
import time
from pathlib import Path

import duckdb

from pipeline.publish.revisions import VERSIONS, record_history, stage_revisions

MUNICIPALITIES = 98
INDICATORS = 47
CUTOFFS = 51
CHANGE_SHARE = 0.30
OLD_CHANGE_SHARE = 0.002
SOURCE = "published"


def _initial(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("create schema if not exists publication")
    conn.execute(
        f"""
        create or replace table {SOURCE} as
        select
            lpad((100 + m)::varchar, 3, '0') as municipality_code,
            (date '2009-12-31' + to_months(4 * c))::date as cutoff_date,
            i::varchar as indicator_id,
            (50 + hash(m, c, i) % 500)::double as numerator,
            10000::double as denominator,
            ((50 + hash(m, c, i) % 500) / 10.0)::double as value,
            false as suppressed,
            'ok' as status,
            false as provisional,
            date '2026-09-15' as delivery_date
        from range({MUNICIPALITIES}) as t1(m), range({CUTOFFS}) as t2(c),
            range({INDICATORS}) as t3(i)
        """
    )


def _night(conn: duckdb.DuckDBPyConnection, night: int) -> None:
    """One municipality's new delivery changes some of its figures; sometimes a new date."""
    municipality = f"{100 + night % MUNICIPALITIES:03d}"
    delivered = dt.date(2026, 9, 15) + dt.timedelta(days=night)
    if night and night % 122 == 0:
        conn.execute(
            f"""
            insert into {SOURCE}
            select municipality_code, (max(cutoff_date) + interval 4 month)::date, indicator_id,
                any_value(numerator), 10000, any_value(value), false, 'ok', true, ?
            from {SOURCE} group by municipality_code, indicator_id
            """,
            [delivered],
        )
    conn.execute(
        f"""
        with newest as (
            select distinct cutoff_date from {SOURCE} order by cutoff_date desc limit 3
        )
        update {SOURCE} set
            numerator = numerator + 1,
            value = (numerator + 1) / 10.0
        where municipality_code = ?
            and random() < case when cutoff_date in (select cutoff_date from newest)
                then {CHANGE_SHARE} else {OLD_CHANGE_SHARE} end
        """,
        [municipality],
    )
    conn.execute(
        f"update {SOURCE} set delivery_date = ? where municipality_code = ?",
        [delivered, municipality],
    )


def simulate(nights: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "warehouse.duckdb"
        conn = duckdb.connect(str(path))
        conn.execute("select setseed(0.16)")
        _initial(conn)
        seconds: list[float] = []
        revisions = 0
        for night in range(nights + 1):
            if night:
                _night(conn, night)
            at = dt.datetime(2026, 9, 15, 2) + dt.timedelta(days=night)
            started = time.perf_counter()
            changes = stage_revisions(conn, f"run-{night:03d}", at, SOURCE)
            record_history(conn, f"run-{night:03d}", at, SOURCE)
            seconds.append(time.perf_counter() - started)
            revisions += changes.revisions
        figures = conn.execute(f"select count(*) from {SOURCE}").fetchone()[0]
        versions = conn.execute(f"select count(*) from {VERSIONS}").fetchone()[0]
        published_revisions = conn.execute(
            "select count(*) from publication.indicator_revisions"
        ).fetchone()[0]
        conn.execute("checkpoint")
        conn.close()
        size = path.stat().st_size
    nightly = sorted(seconds[1:])
    return {
        "nights": nights,
        "figures_published_at_the_end": figures,
        "history_rows": versions,
        "history_rows_per_figure": round(versions / figures, 3),
        "revisions_published": published_revisions,
        "revisions_counted_nightly": revisions,
        "warehouse_file_mib": round(size / 2**20, 1),
        "first_night_seconds": round(seconds[0], 2),
        "nightly_median_seconds": round(nightly[len(nightly) // 2], 3),
        "nightly_max_seconds": round(nightly[-1], 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nights", type=int, default=365)
    print(json.dumps(simulate(parser.parse_args().nights), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
