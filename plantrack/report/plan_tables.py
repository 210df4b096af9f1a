"""Frames shaped for display about plan versions: the preview of an upload, what a version changed, a
plan's history and the publications in the ledger. Chinese headers; no empty cell shows None."""

from __future__ import annotations

import json

import pandas as pd

from plantrack.engine.progress import TargetProgress
from plantrack.model.plan_versions import Change, Entry, summary
from plantrack.model.quantities import header
from plantrack.report.formatting import number, share


def preview_frame(
    rows: list[TargetProgress], current: dict[str, TargetProgress], revision: bool
) -> pd.DataFrame:
    """What each target of an uploaded plan would show on the current data; for a revision, beside
    what the version in force shows. Text, units written: a preview is read, not exported."""
    frame = pd.DataFrame(
        {
            "编号": [row.target_id for row in rows],
            "目标": [row.label for row in rows],
            "目标值": [f"{number(row.target, row.unit)}（{row.year}年）" for row in rows],
            "实际值": [number(row.actual, row.unit) for row in rows],
            "完成率": [share(row.completion) for row in rows],
            "序时进度": [share(row.expected) for row in rows],
            "状态": [row.status_label for row in rows],
            "口径": [row.basis for row in rows],
        }
    )
    if revision:
        before = [current.get(row.target_id) for row in rows]
        frame["现行版本目标值"] = [
            number(b.target, b.unit) if b else "（新增目标）" for b in before
        ]
        frame["现行版本完成率"] = [share(b.completion) if b else "—" for b in before]
        frame["现行版本状态"] = [b.status_label if b else "—" for b in before]
    return frame


def changes_frame(changes: list[Change]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "部分": [c.part for c in changes],
            "项目": [c.item for c in changes],
            "字段": [c.field for c in changes],
            "原值": [c.before for c in changes],
            "新值": [c.after for c in changes],
        }
    )


def history_frame(entries: list[Entry]) -> pd.DataFrame:
    """A plan's versions, newest first."""
    entries = list(reversed(entries))
    return pd.DataFrame(
        {
            "版本": [f"第{e.version.version}版" for e in entries],
            "状态": [e.status for e in entries],
            "生效年度": [e.version.effective_year for e in entries],
            "发布时间": [
                "随系统预置"
                if e.version.seeded
                else f"{e.version.published_at:%Y-%m-%d %H:%M}"
                if e.version.published_at
                else "—"
                for e in entries
            ],
            "发布人": [e.version.published_by or "—" for e in entries],
            "文件": [e.version.file_name or "系统预置" for e in entries],
            "调整原因": [e.version.reason or "—" for e in entries],
            "变动": [summary(e.changes) if e.previous is not None else "首次发布" for e in entries],
            header("target_count"): [len(e.version.plan.targets) for e in entries],
            "导入序号": [e.version.import_id or "—" for e in entries],
        }
    )


def publications_frame(ledger: pd.DataFrame) -> pd.DataFrame:
    """The ledger's plan publications, newest first."""
    plans = ledger[ledger["kind"] == "plan"]
    details = [json.loads(text) if text else {} for text in plans["detail"]]
    return pd.DataFrame(
        {
            "序号": plans["import_id"].astype(int).tolist(),
            "规划": [d.get("简称") or d.get("规划", "—") for d in details],
            "编号": [d.get("规划", "—") for d in details],
            "版本": [f"第{d['版本']}版" if "版本" in d else "—" for d in details],
            "生效年度": [d.get("生效年度", "—") for d in details],
            "文件": plans["file_name"].tolist(),
            "时间": plans["imported_at"].astype(str).str.slice(0, 16).tolist(),
            "发布人": plans["imported_by"].fillna("—").tolist(),
            "结果": plans["outcome"].tolist(),
            "变动": [d.get("变动", "—") for d in details],
        }
    )
