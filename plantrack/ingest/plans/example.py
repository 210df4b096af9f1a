"""The example plan shipped with the dashboard (data/examples/): an invented 2024—2026 plan marked 示例,
first published in 2024 and revised from 2025. The demo database includes both versions, published
through the same check as any upload."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from pathlib import Path

from plantrack.ingest.plans.check import check_stored
from plantrack.model import plan_versions
from plantrack.model.plan_versions import PlanVersion
from plantrack.model.targets import Config
from plantrack.settings import DATA_DIR
from plantrack.store import db, plans
from plantrack.store.db import Connection

FOLDER = DATA_DIR / "examples"
PLAN_ID = "example-dinghai-2024"
# file, when and by whom the demo says it was published
FILES = [
    ("示例规划_定海区制造业提质增效三年行动（2024—2026年）.xlsx", dt.datetime(2024, 2, 20, 10, 0)),
    (
        "示例规划_定海区制造业提质增效三年行动（2024—2026年）_2025年调整.xlsx",
        dt.datetime(2025, 3, 18, 15, 30),
    ),
]
PUBLISHER = "区经信局（示例）"


def paths() -> list[Path]:
    return [FOLDER / name for name, _ in FILES]


def versions(config: Config) -> list[PlanVersion]:
    """The example's versions, each checked as an upload would be, numbered and dated for the demo."""
    found: list[PlanVersion] = []
    for import_id, (name, when) in enumerate(FILES, start=1):
        path = FOLDER / name
        result = check_stored(path, path.read_bytes(), config, found, None)
        if not result.ok:
            raise ValueError(
                f"示例规划 {name} 未通过校验：" + "；".join(p.text() for p in result.errors)
            )
        found.append(
            dataclasses.replace(
                result.version,
                plan=result.version.plan.model_copy(update={"sample": True}),
                import_id=import_id,
                published_at=when,
                published_by=PUBLISHER,
                file_name=name,
            )
        )
    return found


def store(con: Connection, found: list[PlanVersion]) -> None:
    """Write the versions and their ledger entries (the demo's only entries) into a new demo database."""
    previous = None
    for version in found:
        detail = {
            "规划": version.plan_id,
            "简称": version.plan.short,
            "版本": version.version,
            "生效年度": version.effective_year,
            "变动": plan_versions.summary(plan_versions.changes(previous, version))
            if previous
            else f"新规划，{len(version.plan.targets)} 个目标",
        }
        db.run_query(
            con,
            "write/record_publication",
            import_id=version.import_id,
            file_name=version.file_name,
            sha256=hashlib.sha256((FOLDER / version.file_name).read_bytes()).hexdigest(),
            row_count=len(version.plan.targets),
            imported_at=version.published_at,
            imported_by=version.published_by,
            detail=json.dumps(detail, ensure_ascii=False),
        )
        plans.store_version(con, version)
        previous = version
