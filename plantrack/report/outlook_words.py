"""还需多少、能否完成 in words (plantrack.engine.outlook's figures as every surface shows them: 规划详情,
镇街任务, 总览, the deck, the Word report and the Excel downloads), and a due target's 终期差."""

from __future__ import annotations

import pandas as pd

from plantrack.report.formatting import is_missing, number


def amount(value, unit: str, toward: str | None = None) -> str:
    """A difference in the target's unit: for a target in %, percentage points (个百分点)."""
    text = number(value, unit, toward=toward)
    return text.replace("%", "个百分点") if unit == "%" else text


RATE = "%/年"  # plantrack.engine.outlook's pace unit for a growth rate (增速)


def pace(value, unit: str, pace_unit: str) -> str:
    """Per year: a growth rate as %/年; else the change a year in the target's unit, a level in % in
    个百分点/年, a fall shown as a fall (−3.1个百分点/年)."""
    if is_missing(value):
        return "—"
    if pace_unit == RATE:
        return _signed(number(abs(value), "%"), value) + "/年"
    return _signed(amount(abs(value), unit), value) + "/年"


def pace_phrase(value, unit: str, pace_unit: str) -> str:
    """The pace a year in a sentence (the Word report's 下一步): 年均增长8.0%, 每年增加3 家, 每年减少13 家,
    每年提高1.2个百分点 — a fall said as a fall, never "需−13 家/年"; 基本持平 when it rounds to nothing."""
    if is_missing(value):
        return "—"
    text = number(abs(value), "%") if pace_unit == RATE else amount(abs(value), unit)
    if not any(c in "123456789" for c in text):  # rounds to nothing
        return "基本持平"
    if pace_unit == RATE:
        return ("年均增长" if value >= 0 else "年均下降") + text
    verbs = ("提高", "降低") if unit == "%" else ("增加", "减少")
    return "每年" + verbs[value < 0] + text


def _signed(text: str, value: float) -> str:
    return "−" + text if value < 0 and any(c in "123456789" for c in text) else text


def projected(outlook: dict, unit: str) -> str:
    if outlook["projection"] is None:
        return "—"
    measure = "%" if outlook["pace_unit"] == RATE else unit
    return "预计 " + _signed(number(abs(outlook["projection"]), measure), outlook["projection"])


OUTLOOK_COLUMNS = ("能否完成", "还需", "需要的节奏", "目前节奏", "预计到期")
_BEHIND = ("behind", "far_behind")


def outlook_cells(
    outlook: dict | None,
    *,
    status: str,
    status_label: str,
    unit: str,
    direction: str,
    target: float,
    actual: float | None,
) -> dict[str, str]:
    """还需多少、能否完成 (engine/outlook.py) for one row, as every surface reads it (规划详情, 镇街任务,
    the deck, Excel). Projections say 预计 and never colour a status. When the judgement and the status
    disagree, one clause says so; a target due (or past its deadline) shows one 终期差 (met: 已达到)."""
    cells = dict.fromkeys(OUTLOOK_COLUMNS, "—")
    if not isinstance(outlook, dict):
        cells["能否完成"] = final_gap(status, unit, direction, target, actual)
        return cells
    cells["能否完成"] = outlook["judgement"] + _aside(outlook, status, status_label)
    left = f"（剩{outlook['years_left']}年）"
    if outlook["remaining"] == 0:  # met now: nothing more is needed, only to stay there
        cells["还需"] = "已达到" + left
    elif outlook["remaining"] is not None:
        cells["还需"] = amount(outlook["remaining"], unit) + left
        cells["需要的节奏"] = pace(outlook["pace_needed"], unit, outlook["pace_unit"])
    cells["目前节奏"] = pace(outlook["pace_so_far"], unit, outlook["pace_unit"])
    cells["预计到期"] = projected(outlook, unit)
    return cells


def _aside(outlook: dict, status: str, status_label: str) -> str:
    """（…）after the judgement: why there is none, why the trend will not do, or how it differs from
    the status beside it."""
    judgement, basis = outlook["judgement"], outlook.get("basis", "")
    if outlook["reason"]:
        return f"（{outlook['reason']}）"
    if judgement == "预计完成" and status in _BEHIND:
        return f"（{status_label}，但{basis}预计可完成）"
    if judgement == "难以完成" and status in ("met", "on_pace"):
        return f"（{status_label}，但{basis}难以完成）"
    if judgement == "有风险" and status == "met":
        return f"（已达标，但{basis}可能回落）"
    if judgement == "有风险" and status == "on_pace":
        return f"（符合序时，但{basis}有风险）"
    return ""


def final_gap(status: str, unit: str, direction: str, target: float, actual) -> str:
    """A target due: 已达到, or how far short it ended (终期差, rounded away from the target)."""
    if status == "met":
        return "已达到"
    if status in ("on_pace", *_BEHIND) and not is_missing(actual):
        short = actual - target if direction == "at_most" else target - actual
        return f"终期差 {amount(max(short, 0.0), unit, toward='up')}"
    return {"not_applicable": "不适用", "no_data": "无数据"}.get(status, "—")


def outlook_columns(frame: pd.DataFrame) -> dict[str, list[str]]:
    """The outlook columns of a progress frame (one row per target), by outlook_cells."""
    outlooks = frame["outlook"] if "outlook" in frame else [None] * len(frame)
    cells = [
        outlook_cells(o, status=s, status_label=label, unit=u, direction=d, target=t, actual=a)
        for o, s, label, u, d, t, a in zip(
            outlooks,
            frame["status"],
            frame["status_label"],
            frame["unit"],
            frame["direction"],
            frame["target"],
            frame["actual"],
            strict=True,
        )
    ]
    return {column: [c[column] for c in cells] for column in OUTLOOK_COLUMNS}
