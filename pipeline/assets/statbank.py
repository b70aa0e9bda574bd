"""Danmarks Statistik tables as assets: the offline snapshot, parsed, validated and stored.

Each asset reads `<landing>/statbank/<TABLE>.csv` (a live answer saved by `noegletal statbank
refresh` or the nightly schedule, or the demo's synthetic file), parses it, validates it with
its pandera contract and only then replaces `statbank.<table>` (municipality rows) and
`statbank.<table>_national` (all Denmark). A snapshot that breaks its contract fails the asset
and leaves the previous tables in place.
"""

import dagster as dg
import duckdb
import pandas as pd
import pandera.pandas as pa

from pipeline.contracts.statbank import validate_parsed
from pipeline.resources import SettingsResource, WarehouseResource
from pipeline.sources.statbank.bulk import ParsedTable, parse_table
from pipeline.sources.statbank.snapshots import read_snapshot, read_snapshot_meta
from pipeline.sources.statbank.tables import STATBANK_TABLES

GROUP = "statbank"
SCHEMA = "statbank"

_DESCRIPTIONS = {
    "FOLK1A": "Residents on the first day of the quarter (FOLK1A), by municipality, sex, age "
    "and marital status: the 0-17 denominators of the per-1000 indicators.",
    "ANBAAR12": "Placed children and young people on 31 December by administering municipality "
    "(handlekommune) and placement type (ANBAAR12): the benchmark's placement mix.",
    "ANBAAR9": "Placed children and young people on 31 December by administering municipality "
    "(handlekommune) and age group (ANBAAR9): reconciliation of the own count.",
    "BU43": "Share of the age group receiving support on 31 December (BU43), by municipality, "
    "measure group and age group: the benchmark's national comparison.",
}


def statbank_key(table: str) -> dg.AssetKey:
    return dg.AssetKey([GROUP, table.lower()])


def _build(table: str) -> dg.AssetsDefinition:
    @dg.asset(
        key=statbank_key(table),
        group_name=GROUP,
        description=_DESCRIPTIONS[table],
        kinds={"duckdb", "pandas"},
        pool="warehouse",
    )
    def _asset(
        context: dg.AssetExecutionContext, settings: SettingsResource, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        config = settings.load()
        meta = read_snapshot_meta(table, config.statbank_dir)
        parsed = parse_table(table, read_snapshot(table, config.statbank_dir))
        try:
            validate_parsed(parsed)
        except (pa.errors.SchemaErrors, pa.errors.SchemaError) as exc:
            raise dg.Failure(
                description=f"{table} snapshot breaks its contract; previous tables kept: "
                f"{_summary(exc)}"
            ) from None
        with warehouse.get_connection() as conn:
            _store(conn, table, parsed)
        if meta.synthetic:
            context.log.warning(
                f"{table} is a synthetic demo snapshot, not Danmarks Statistik data"
            )
        frame = parsed.municipalities
        period = "quarter" if "quarter" in frame.columns else "year"
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": len(frame),
                "national_rows": len(parsed.national),
                "municipalities": int(frame["municipality_code"].nunique()),
                "newest_period": str(frame[period].max()) if len(frame) else "",
                "excluded_area_codes": dg.MetadataValue.json(list(parsed.excluded_area_codes)),
                "synthetic": meta.synthetic,
                "fetched_at": meta.fetched_at.isoformat() if meta.fetched_at else "",
                "request": dg.MetadataValue.json(meta.request or {}),
            }
        )

    return _asset


def _store(conn: duckdb.DuckDBPyConnection, table: str, parsed: ParsedTable) -> None:
    conn.execute(f"create schema if not exists {SCHEMA}")
    conn.execute("begin transaction")
    try:
        for suffix, frame in (("", parsed.municipalities), ("_national", parsed.national)):
            name = f"{SCHEMA}.{table.lower()}{suffix}"
            conn.register("parsed_rows", frame)
            conn.execute(f"create or replace table {name} as select * from parsed_rows")
            conn.unregister("parsed_rows")
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise


def _summary(exc: Exception) -> str:
    cases = getattr(exc, "failure_cases", None)
    if isinstance(cases, pd.DataFrame) and len(cases):
        counts = cases.groupby(["column", "check"], dropna=False).size()
        return "; ".join(f"{c} {k}: {n} rows" for (c, k), n in counts.items())
    return str(exc).splitlines()[0]


statbank_assets = [_build(table) for table in STATBANK_TABLES]
