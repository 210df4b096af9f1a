"""Blank import templates, one per file kind: the canonical header (units in brackets) and an example row."""

from __future__ import annotations

import pandas as pd

from plantrack.model.kinds import KINDS


def template_bytes(kind_key: str) -> bytes:
    """An .xlsx with the canonical header (units in brackets) and one example row."""
    from plantrack.report.excel import xlsx_bytes

    kind = KINDS[kind_key]
    headers = [kind.header(column) for column in kind.columns]
    frame = pd.DataFrame([list(kind.example)], columns=headers)
    notes = {
        "用途": f"{kind.label}导入模板：第一行为表头，从第二行起每行一条记录（示例行请替换为真实数据）",
        "必填列": "、".join(kind.header(c) for c in kind.columns if c.required),
        "可选列": "、".join(kind.header(c) for c in kind.columns if not c.required) or "无",
        "说明": "金额可用元、万元、亿元（在表头括号中注明），面积可用亩或平方米；缺失值留空或填“—”",
    }
    return xlsx_bytes({kind.label: frame}, notes)
