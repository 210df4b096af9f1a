"""Frames shaped for display: Chinese headers with units, formatted by unit."""

from __future__ import annotations

import pandas as pd

from plantrack.formatting import number, share
from plantrack.targets import DIRECTION_LABELS


def progress_table(frame: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "目标": frame["label"],
            "方向": frame["direction"].map(DIRECTION_LABELS),
            "目标值": [number(v, u) for v, u in zip(frame["target"], frame["unit"], strict=True)],
            "目标年度": frame["year"],
            "实际值": [number(v, u) for v, u in zip(frame["actual"], frame["unit"], strict=True)],
            "完成率": frame["completion"].map(share),
            "序时进度": frame["expected"].map(share),
            "状态": frame["status"].map(labels),
            "口径": frame["basis"],
            "条款": frame["clause"],
            "原文": frame["quote"],
            "数据来源": frame["source"],
        }
    )
