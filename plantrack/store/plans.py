"""The plan versions stored in the warehouse (published from the plan template), read into the model, and
the config as of a year: targets.toml's plans and catalogue with the stored versions in force."""

from __future__ import annotations

import json

import pandas as pd

from plantrack.model import plan_versions
from plantrack.model.plan_versions import PlanVersion
from plantrack.model.targets import Config, Metric, Plan
from plantrack.store import db
from plantrack.store.db import Connection


def stored_versions(con: Connection) -> list[PlanVersion]:
    """Every stored version, undone ones included (the history shows them); none in a warehouse from
    before plans were published (it has no plan_versions table)."""
    if db.run_query(con, "warehouse/table_columns", table_name="plan_versions").empty:
        return []
    frame = db.run_query(con, "plans/plan_versions")
    return [
        PlanVersion(
            plan=Plan.model_validate_json(row["plan_json"]),
            version=int(row["version"]),
            effective_year=int(row["effective_year"]),
            metrics={
                key: Metric.model_validate(value)
                for key, value in json.loads(row["metrics_json"]).items()
            },
            import_id=int(row["import_id"]),
            published_at=pd.Timestamp(row["published_at"]).to_pydatetime(),
            published_by=row["published_by"] or "",
            file_name=row["file_name"] or "",
            reason=row["reason"] or "",
            undone=bool(row["undone"]),
        )
        for row in frame.to_dict("records")
    ]


def config_as_of(con: Connection, config: Config, year: int | None = None) -> Config:
    """targets.toml's config with every plan in the version in force for `year` (None: the latest)."""
    return plan_versions.as_of(config, stored_versions(con), year)


def store_version(con: Connection, version: PlanVersion) -> None:
    """Write a version (its ledger entry, write/record_publication, comes first)."""
    db.run_query(
        con,
        "write/insert_plan_version",
        plan_id=version.plan_id,
        version=version.version,
        import_id=version.import_id,
        effective_year=version.effective_year,
        reason=version.reason,
        plan_json=version.plan.model_dump_json(),
        metrics_json=json.dumps(
            {key: metric.model_dump(mode="json") for key, metric in version.metrics.items()},
            ensure_ascii=False,
        ),
    )
