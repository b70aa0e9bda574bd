"""The publication for BI as a Dagster asset (pipeline/publish/release.py does the work).
It depends on every other asset of the build job but the seeds (the models it waits for read
them), so it runs only when everything before it in the run succeeded: the landing and
StatBank contracts, every dbt model, contract and test (a failed dbt test fails its build
step and Dagster skips what is downstream). When one command needs several build runs, only
the last one selects this asset (pipeline/run.py), so the command publishes once, after all
of its builds.
"""

from collections.abc import Sequence

import dagster as dg

from pipeline.publish.release import publish
from pipeline.resources import SettingsResource, WarehouseResource

PUBLICATION_KEY = dg.AssetKey(["publication", "serving"])


def build_publication_asset(upstream: Sequence[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(
        key=PUBLICATION_KEY,
        deps=list(upstream),
        group_name="publication",
        kinds={"duckdb", "parquet", "excel", "html"},
        pool="warehouse",
        description=(
            "What BI reads: <data-dir>/serving/noegletal.duckdb, Parquet per table, a workbook "
            "per municipality and cut-off date, the HTML report and dbt docs. Written to a "
            "release folder, audited, then published by switching the one link serving/ to it; "
            "a failure leaves the last "
            "publication as it was."
        ),
    )
    def serving(
        context: dg.AssetExecutionContext,
        settings: SettingsResource,
        warehouse: WarehouseResource,
    ) -> dg.MaterializeResult:
        config = settings.load()
        result = publish(config, context.run.run_id, warehouse.get_connection, context.log.info)
        record = result.record
        if result.audit_copy:
            context.log.warning(
                f"suppression is OFF (threshold 0): internal audit copy written to "
                f"{result.target}; the BI publication was not touched"
            )
        else:
            context.log.info(f"published run {record.run_id} to {result.target}")
        return dg.MaterializeResult(
            metadata={
                "published": True,
                "target": dg.MetadataValue.path(str(result.target)),
                "audit_copy": result.audit_copy,
                "suppression_threshold": record.suppression_threshold,
                "tables": dg.MetadataValue.json(record.tables),
                "files": result.files,
                "suppressed_indicator_rows": result.suppressed_rows,
                # SPEC §13: figures whose published row changed against the last publication
                "revisions": result.changes.revisions if result.changes else 0,
                "new_figures": result.changes.new if result.changes else 0,
                "revised_municipalities": dg.MetadataValue.json(
                    list(result.changes.municipalities) if result.changes else []
                ),
                "git_commit": record.git_commit,
            }
        )

    return serving
