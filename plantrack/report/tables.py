"""Frames shaped for display: Chinese headers with units, formatted by unit."""

from __future__ import annotations

import json

import pandas as pd

from plantrack.engine import leadership
from plantrack.model.kinds import KINDS
from plantrack.model.quantities import GRADED, QUANTITIES, header, headers
from plantrack.model.reference import STATUS_ORDER
from plantrack.model.targets import DIRECTION_LABELS, Config
from plantrack.report.formatting import actual, number, plain, share
from plantrack.report.outlook_words import (
    final_gap,
    outlook_columns,
)


def for_screen(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as read on screen: yes/no as 是/否, and — where a value is missing (never "None" or
    "nan"); numbers stay numbers where none is missing. The Excel download keeps the frame itself."""
    shown = frame.copy()
    for column in shown.columns:
        values = shown[column]
        if values.dtype == bool or (
            values.dtype == object and values.map(lambda v: isinstance(v, bool)).any()
        ):
            shown[column] = values.map(lambda v: "是" if v is True else "否" if v is False else v)
            values = shown[column]
        if values.isna().any():
            shown[column] = values.astype(object).where(values.notna(), "—")
    return shown


def progress_table(frame: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """Every target's progress as read on screen: each number at its unit's precision with the unit
    (an actual short of its target rounded away from it), — where there is none, the plan's note."""
    met = frame["status"] == "met"
    outlook = outlook_columns(frame)
    return pd.DataFrame(
        {
            "目标": frame["label"],
            "能否完成": outlook.pop("能否完成"),  # the deciding column, beside the target's name
            "方向": frame["direction"].map(DIRECTION_LABELS),
            "目标值": [number(v, u) for v, u in zip(frame["target"], frame["unit"], strict=True)],
            "实际值": [
                actual(v, u, d, m)
                for v, u, d, m in zip(
                    frame["actual"], frame["unit"], frame["direction"], met, strict=True
                )
            ],
            "完成率": [share(c, 1, met=m) for c, m in zip(frame["completion"], met, strict=True)],
            "序时进度": [share(e, 1) for e in frame["expected"]],
            "状态": frame["status"].map(labels),
            **outlook,
            "目标年度": frame["year"].map(lambda year: f"{year}年"),
            "评价年度": frame["eval_year"].map(lambda year: f"{year}年"),
            "口径": frame["basis"].fillna(""),
            "说明": frame["note"].fillna(""),
            "条款": frame["clause"].fillna(""),
            "原文": frame["quote"].fillna(""),
            "数据来源": frame["source"].map(source_text),
        }
    )


def plan_cards(progress: pd.DataFrame, plan_ids: list[str]) -> dict[str, dict]:
    """总览's card per plan, from its targets' progress: how many targets have each status (every status,
    0 when none), the 预计 line for the targets not yet due, and the five furthest behind (lowest 完成率
    first). Computed once and shared (plantrack.app.data.computed): many visitors open 总览 at once."""
    cards = {}
    for plan_id, rows in progress.groupby("plan", sort=False):
        counts = rows["status"].value_counts()
        behind = (
            rows[rows["status"].isin(["far_behind", "behind"])].sort_values("completion").head(5)
        )
        cards[plan_id] = {
            "counts": {status: int(counts.get(status, 0)) for status in STATUS_ORDER},
            "outlook": outlook_text(rows.get("outlook", [])),
            "behind": "；".join(
                plain(f"{label} {actual(value, unit, direction, False)}/{number(target, unit)}")
                for label, value, unit, direction, target in zip(
                    behind["label"],
                    behind["actual"],
                    behind["unit"],
                    behind["direction"],
                    behind["target"],
                    strict=True,
                )
            ),
        }
    empty = {"counts": dict.fromkeys(STATUS_ORDER, 0), "outlook": "", "behind": ""}
    return {plan_id: cards.get(plan_id, empty) for plan_id in plan_ids}


def outlook_text(outlooks) -> str:
    """Of a plan's targets not yet due, how many the trend says are 难以完成 (预计, not a status); "" when
    none is due later."""
    ahead = [o for o in outlooks if isinstance(o, dict)]
    if not ahead:
        return ""
    hard = sum(o["judgement"] == "难以完成" for o in ahead)
    risky = sum(o["judgement"] == "有风险" for o in ahead)
    unsure = sum(o["judgement"] == "数据不足" for o in ahead)
    return (
        f"未到期的 {len(ahead)} 项目标中，按目前趋势预计难以完成 {hard} 项"
        + (f"、有风险 {risky} 项" if risky else "")
        + (f"（另有 {unsure} 项数据不足，不作预计）" if unsure else "")
        + "；预计只是趋势，不改变上面的状态。"
    )


def plans_headline(frame: pd.DataFrame, selection) -> str:
    """The one-line summary of the 本区 plans (总览's first line, the deck's cover): those in force
    (达标或符合序时 / 严重滞后), then each ended one's 终期. `selection` is engine.leadership.own_plans."""
    parts = []
    if selection.in_force:
        ids = [plan.id for plan in selection.in_force]
        rows = frame[frame["plan"].isin(ids) & (frame["status"] != "not_applicable")]
        met = int(rows["status"].isin(["met", "on_pace"]).sum())
        far = int((rows["status"] == "far_behind").sum())
        parts.append(
            f"在实施的{len(ids)}个本区规划共{len(rows)}项目标：达标或符合序时{met}项，严重滞后{far}项"
        )
    for plan in selection.ended:
        counts = leadership.final_result(frame[frame["plan"] == plan.id])
        parts.append(f"{plan.short}已结束，终期达标{counts['met']}项、未达标{counts['missed']}项")
    return "；".join(parts) + "。" if parts else "没有本区规划。"


def final_result_text(rows: pd.DataFrame, counts: dict, listed: int | None = None) -> str:
    """An ended plan's closing line: 已结束 · 终期达标 N 项、未达标 M 项, then each missed target once with
    its shortfall (final_gap); `rows` are its final targets (engine.leadership.final_targets), `listed`
    how many shortfalls to name (None: all)."""
    text = f"已结束 · 终期达标 {counts['met']} 项、未达标 {counts['missed']} 项"
    if counts.get("no_data"):
        text += f"、无数据 {counts['no_data']} 项"
    missed = rows[rows["status"].isin(["on_pace", "behind", "far_behind"])]
    gaps = [
        f"{label} {final_gap(status, unit, direction, target, value)}"
        for label, status, target, value, unit, direction in zip(
            missed["label"],
            missed["status"],
            missed["target"],
            missed["actual"],
            missed["unit"],
            missed["direction"],
            strict=True,
        )
    ]
    if listed is not None and len(gaps) > listed:
        gaps = [*gaps[:listed], f"等 {len(gaps)} 项"]
    return text + ("：" + "；".join(gaps) if gaps else "")


def warning_table(frame: pd.DataFrame) -> pd.DataFrame:
    """预警 (plantrack.engine.leadership.warnings) as read on 总览 and on the deck's 需重点推进 slide:
    what, how far, 还需 (a target due: its 终期差), the pace needed beside the pace so far, and the
    projection (预计) — worded by outlook_cells, as on 规划详情."""
    cells = outlook_columns(frame)
    due = [not isinstance(o, dict) for o in frame["outlook"]]
    return pd.DataFrame(
        {
            "规划": frame["plan_short"],
            "预警项": frame["label"],
            "状态": [
                s if j is None or j != j else f"{s}（预计{j}）"
                for s, j in zip(frame["status_label"], frame["judgement"], strict=True)
            ],
            "完成率/序时进度": [
                f"{share(c, 0)}/{share(e, 0)}"
                for c, e in zip(frame["completion"], frame["expected"], strict=True)
            ],
            "还需": [
                final if d else need
                for d, final, need in zip(due, cells["能否完成"], cells["还需"], strict=True)
            ],
            "需要的节奏": cells["需要的节奏"],
            "目前节奏": cells["目前节奏"],
            "预计": cells["预计到期"],
        }
    )


SOURCE_KINDS = {
    "enterprise_years": "企业年度数据",
    "awards": "荣誉认定",
    "applications": "申报记录",
    "indicators": "上报指标",
}


def last_imports(ledger: pd.DataFrame) -> dict[str, dict]:
    """The latest import still in effect of each kind of data (the rows of the ledger's import_ledger query)."""
    done = ledger[(ledger["outcome"] == "成功") & ledger["kind"].isin(list(SOURCE_KINDS))]
    done = done.sort_values("import_id")
    return {kind: row for kind, row in zip(done["kind"], done.to_dict("records"), strict=True)}


def _day(value) -> str:
    return str(value)[:10]


def freshness(ledger: pd.DataFrame, as_of: int, demo: bool) -> str:
    """数据截至2025年 · 最近导入 2026-12-05（导入人）."""
    if demo:
        return f"数据截至{as_of}年 · 示例数据（程序生成，无导入记录）"
    latest = last_imports(ledger)
    if not latest:
        return f"数据截至{as_of}年 · 尚无导入记录"
    row = max(latest.values(), key=lambda r: r["import_id"])
    who = (
        row["imported_by"]
        if row["imported_by"] == row["imported_by"] and row["imported_by"]
        else "—"
    )
    return f"数据截至{as_of}年 · 最近导入 {_day(row['imported_at'])}（{who}）"


def source_words(ledger: pd.DataFrame, demo: bool, kinds: list[str], method: str = "") -> str:
    """Where a figure comes from, in plain words: 企业年度数据，2026-12-05 导入; then 算法见口径说明 §3."""
    latest = {} if demo else last_imports(ledger)
    parts = []
    for kind in kinds:
        label = SOURCE_KINDS.get(kind, kind)
        if demo:
            parts.append(f"{label}（示例）")
        elif kind in latest:
            parts.append(f"{label}，{_day(latest[kind]['imported_at'])} 导入")
        else:
            parts.append(label)
    text = "；".join(parts)
    return f"{text}；{method}" if method and text else (method or text)


# the enterprise data behind a query metric of the catalogue: what a reader is told it comes from
QUERY_SOURCES = {
    "award_count": "荣誉认定名单",
    "award_coverage": "荣誉认定名单与企业年度数据",
    "factory_revenue_growth_gap": "荣誉认定名单与企业年度数据",
    "town_factory_fulfillment": "三大工厂认定名单",
}


def source_text(source: str) -> str:
    """The progress engine's source of a target's number (a query and column, or a reported indicator)
    in plain words: 由企业年度数据计算 / 上报指标（定海区）."""
    if not isinstance(source, str) or not source:
        return "—"
    if source.startswith("queries/"):
        name = source.removeprefix("queries/").split(".sql")[0].rsplit("/", 1)[-1]
        return f"由{QUERY_SOURCES.get(name, '企业年度数据')}计算（算法见口径说明 §2）"
    if source.startswith("上报指标"):
        where = source.removeprefix("上报指标").strip().split(" › ")[0]
        return f"上报指标（{where}）" if where else "上报指标"
    return source


def progress_export(frame: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """The same rows for Excel: numbers stay numbers (the unit has its own column)."""
    return pd.DataFrame(
        {
            "目标": frame["label"],
            "方向": frame["direction"].map(DIRECTION_LABELS),
            "目标值": frame["target"],
            "实际值": frame["actual"].astype(float),
            "单位": frame["unit"],
            "目标年度": frame["year"],
            "评价年度": frame["eval_year"],
            header("completion_pct"): frame["completion"].astype(float) * 100,
            header("expected_pct"): frame["expected"].astype(float) * 100,
            "状态": frame["status"].map(labels),
            **{
                f"{name}（预计）" if name == "能否完成" else name: cells
                for name, cells in outlook_columns(frame).items()
            },
            "口径": frame["basis"].fillna(""),
            "说明": frame["note"].fillna(""),
            "条款": frame["clause"].fillna(""),
            "原文": frame["quote"].fillna(""),
            "数据来源": frame["source"].map(source_text),
        }
    )


def rank_text(standing: pd.DataFrame, town: str) -> str:
    """A town's place in the district's 赛马 (quotas.ranking over every town, never a subset):
    第8名/共11个镇街; 未排名 when it has nothing due yet."""
    found = standing[standing["town"] == town]
    if found.empty:
        return "未排名（截至当年尚无应完成任务）"
    return f"第{int(found['rank'].iloc[0])}名/共{len(standing)}个镇街"


def town_quota_table(frame: pd.DataFrame) -> pd.DataFrame:
    """镇街任务's table for one town, as read on screen: 完成率 and 序时进度 as text (`—` where a category has
    no task), as 规划详情 shows them; town_quota_export gives the numbers for the Excel download."""
    met = frame["status"] == "met"
    return pd.DataFrame(
        {
            "类别": frame["award"],
            header("quota_total"): frame["quota_total"],
            header("quota_due"): frame["quota_due"],
            header("awarded"): frame["awarded"],
            "完成率": [share(c, 1, met=m) for c, m in zip(frame["completion"], met, strict=True)],
            "序时进度": [share(e, 1) for e in frame["expected"]],
            "状态": frame["status_label"],
            **{
                f"{name}（预计）" if name == "能否完成" else name: cells
                for name, cells in quota_outlook_columns(frame).items()
            },
        }
    )


def quota_outlook_columns(frame: pd.DataFrame) -> dict[str, list[str]]:
    """A town's 三大工厂 cells' outlook columns, worded as on 规划详情 (outlook_cells): a cell is a
    target of its quota, in 家, to reach at least."""
    as_targets = frame.assign(
        unit="家", direction="at_least", target=frame["quota_total"], actual=frame["awarded"]
    )
    return outlook_columns(as_targets)


def town_award_table(frame: pd.DataFrame) -> pd.DataFrame:
    """One 三大工厂 award across the towns (规划详情, a target chosen): town_quota_table with the town."""
    return (
        town_quota_table(frame)
        .drop(columns=["类别"])
        .assign(镇街=frame["town"].to_numpy())[
            ["镇街", *town_quota_table(frame).columns.drop("类别")]
        ]
    )


def town_target_table(frame: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """One target in each town (规划详情, a target chosen): the town's own figure, 完成率 and status."""
    shown = progress_table(frame, labels)
    return shown.assign(镇街=frame["town"].to_numpy())[
        ["镇街", "实际值", "目标值", "完成率", "序时进度", "状态"]
    ]


def town_quota_export(frame: pd.DataFrame) -> pd.DataFrame:
    """town_quota_table for Excel: numbers stay numbers (an empty cell where a category has no task)."""
    shown = town_quota_table(frame)
    return shown.assign(
        **{
            "完成率": (frame["completion"].astype(float) * 100).round(1).to_numpy(),
            "序时进度": (frame["expected"].astype(float) * 100).round(1).to_numpy(),
        }
    ).rename(columns={"完成率": header("completion_pct"), "序时进度": header("expected_pct")})


def applications_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "申报年度": frame["year"],
            "类别": frame["category"],
            "企业名称": frame["name"],
            "统一社会信用代码": frame["credit_code"],
            "行业": frame["industry"],
            header("total_score"): frame["total_score"].round(1),
            header("score_basic"): frame["score_basic"],
            header("score_green"): frame["score_green"],
            "环节": frame["stage"],
            "止于": frame["failed_at"].fillna(""),
            "未通过原因": frame["reject_reason"].fillna(""),
        }
    )


# who a firm is, as every list of firms starts
FIRM_COLUMNS = {
    "name": "企业名称",
    "credit_code": "统一社会信用代码",
    "town": "镇街",
    "industry": "行业",
}

EVALUATION_COLUMNS = {
    **FIRM_COLUMNS,
    "grp": "规模",
    "in_park": "园区",
    **headers(["land_mu", "tax_wan", *GRADED, "score", "score_rank"]),
    "official_grade": "官方档次",
    "computed_grade": "测算档次",
    "grade": "档次（官方优先）",
    "grade_source": "档次来源",
    "not_graded_reason": "不参评原因",
}


def evaluation_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers stay numbers (sortable, exportable); headers carry the units."""
    shown = frame[list(EVALUATION_COLUMNS)].rename(columns=EVALUATION_COLUMNS)
    numeric = shown.select_dtypes("number").columns
    shown[numeric] = shown[numeric].round(2)
    return shown


LOW_EFFICIENCY_COLUMNS = {
    **FIRM_COLUMNS,
    "in_park": "园区",
    **headers(["land_mu", "tax_wan", "mu_tax_wan_per_mu"]),
}


def low_efficiency_frame(frame: pd.DataFrame) -> pd.DataFrame:
    shown = frame[list(LOW_EFFICIENCY_COLUMNS)].rename(columns=LOW_EFFICIENCY_COLUMNS)
    column = "mu_tax_wan_per_mu"
    return shown.round({header(column): QUANTITIES[column].decimals})


def transitions_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "企业名称": frame["name"],
            "镇街": frame["town"],
            "行业": frame["industry"],
            "原档次": frame["from_grade"],
            "现档次": frame["to_grade"],
            "变化": frame["movement"],
        }
    )


# 企业画像's panels: the indicators of queries/enterprise_history.sql (the 规上 亩均评价 indicators it
# has, then the firm's revenue)
HISTORY_INDICATORS = [
    "mu_tax_wan_per_mu",
    "mu_value_added_wan_per_mu",
    "labour_productivity_wan_per_person",
    "rd_ratio_pct",
    "value_added_per_energy_wan_per_tce",
]


def history_indicators(config: Config) -> list[tuple[str, str, str]]:
    """(column, label, unit) of each panel, from the catalogue of quantities: the 亩均评价 indicators the
    grading method scores for 规上 firms, and the firm's revenue."""
    graded = {item.indicator for item in config.grading.indicators if item.grp == "规上"}
    shown = [column for column in HISTORY_INDICATORS if column in graded] + ["revenue_yi"]
    return [(column, QUANTITIES[column].label, QUANTITIES[column].unit) for column in shown]


def enterprise_grades_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "年度": frame["year"],
            "规模": frame["grp"],
            header("score"): frame["score"].round(1),
            header("score_rank"): frame["score_rank"],
            "档次": frame["grade"],
            "来源": frame["grade_source"],
            "测算档次": frame["computed_grade"],
            "不参评原因": frame["not_graded_reason"].fillna(""),
        }
    )


def enterprise_applications_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "申报年度": frame["year"],
            "类别": frame["category"],
            **{
                header(column): frame[column]
                for column in [
                    "score_basic",
                    "score_green",
                    "score_digital",
                    "score_innovation",
                    "score_brand",
                    "score_bonus",
                ]
            },
            header("total_score"): frame["total_score"].round(1),
            "信用评价": frame["credit_rating"],
            "环节": frame["stage"],
            "未通过原因": frame["reject_reason"].fillna(""),
        }
    )


def comparison_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """Each plan's target on the metric and where it stands, evaluated as on 规划详情 (comparison.evaluated):
    each jurisdiction's own actual in the target's evaluation year."""
    met = rows["status"] == "met"
    return pd.DataFrame(
        {
            "规划": rows["plan"],
            "地区": rows["jurisdiction"],
            "规划期": rows["period"],
            "目标": rows["label"],
            "方向": rows["direction"].map(DIRECTION_LABELS),
            "目标值": [number(v, u) for v, u in zip(rows["target"], rows["unit"], strict=True)],
            "目标年度": rows["year"].map(lambda year: f"{year}年"),
            "评价年度": rows["eval_year"].map(
                lambda year: f"{int(year)}年" if year == year else "—"
            ),
            "实际值": [
                actual(v, u, d, m)
                for v, u, d, m in zip(
                    rows["actual"], rows["unit"], rows["direction"], met, strict=True
                )
            ],
            "完成率": [share(c, 1, met=m) for c, m in zip(rows["completion"], met, strict=True)],
            "状态": rows["status_label"].fillna("—"),
            "条款": rows["clause"],
        }
    )


def problems_frame(problems) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "工作表": [p.sheet for p in problems],
            "行": [p.row for p in problems],
            "列": [p.column or "" for p in problems],
            "值": [p.value or "" for p in problems],
            "原因": [p.reason for p in problems],
        }
    )


def _change_in_words(detail: object) -> str:
    """The ledger's 变化 column: the import's own words (stored since issue 26), or words made from the
    counts an older import stored; a plan publication's detail is already words."""
    if not isinstance(detail, str) or not detail.startswith("{"):
        return detail if isinstance(detail, str) else ""
    try:
        facts = json.loads(detail)
    except ValueError:
        return ""
    if facts.get("说明"):
        return facts["说明"]
    if facts.get("规划"):  # a plan publication
        return f"发布{facts.get('简称') or facts['规划']}第{facts.get('版本')}版：{facts.get('变动', '')}"
    parts = [f"{name} {facts[name]} 行" for name in ("新增", "替换") if facts.get(name)]
    if facts.get("更名"):
        parts.append(f"更名 {len(facts['更名'])} 家")
    return "；".join(parts) or "没有改动"


def ledger_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            header("import_id"): frame["import_id"],
            "文件": frame["file_name"],
            "类型": frame["kind"].map(
                lambda key: KINDS[key].label if key in KINDS else {"plan": "规划发布"}.get(key, key)
            ),
            header("row_count"): frame["row_count"],
            "时间": frame["imported_at"].astype(str).str.slice(0, 19),
            "导入人": frame["imported_by"],
            "结果": frame["outcome"],
            "变化": frame["detail"].map(_change_in_words),
            "sha256": frame["sha256"].str.slice(0, 12),
        }
    )


def users_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "用户名": frame["name"],
            "角色": frame["role"],
            "所属镇街": frame["town"].fillna("—"),
            "状态": frame["disabled"].map({0: "正常", 1: "已停用"}),
            "创建时间": frame["created_at"].str.replace("T", " "),
            "最近修改": frame["updated_at"].str.replace("T", " "),
        }
    )


def audit_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "序号": frame["audit_id"],
            "时间": frame["at"].str.replace("T", " "),
            "用户": frame["actor"].fillna("—"),
            "事件": frame["action"],
            "详情": frame["detail"].fillna(""),
            "来源地址": frame["client"].fillna("—"),
        }
    )


WARNING_COLUMNS = {
    "severity": "级别",
    "town": "责任镇街",
    "subject": "企业/镇街",
    "rule_label": "预警规则",
    "shown_value": "触发值",
    "shown_threshold": "阈值",
    "shown_since": "持续自",
    "detail": "说明",
    "credit_code": "统一社会信用代码",
}


def warnings_table(found: pd.DataFrame) -> pd.DataFrame:
    """预警 as shown: value and threshold with their units, since when as 2026年3月起."""
    from plantrack.report.formatting import warning_value

    written: dict = {}  # a rule's threshold is one figure for most of its rows: written once

    def threshold(value, unit) -> str:
        if (value, unit) not in written:  # (a missing figure is never found: written each time)
            written[value, unit] = warning_value(value, unit)
        return written[value, unit]

    shown = found.assign(
        shown_value=[
            warning_value(v, u) for v, u in zip(found["value"], found["unit"], strict=True)
        ],
        shown_threshold=[
            threshold(v, u) for v, u in zip(found["threshold"], found["unit"], strict=True)
        ],
        shown_since=[f"{s[:4]}年{int(s[5:])}月起" for s in found["since"]],
        credit_code=found["credit_code"].fillna("—"),
    )
    return shown[list(WARNING_COLUMNS)].rename(columns=WARNING_COLUMNS)


def warnings_export(found: pd.DataFrame) -> pd.DataFrame:
    """预警 for Excel: numbers stay numbers, with their unit in a column."""
    columns = {
        "severity": "级别",
        "town": "责任镇街",
        "scope": "范围",
        "subject": "企业/镇街",
        "credit_code": "统一社会信用代码",
        "rule_label": "预警规则",
        "kind": "规则类型",
        "value": "触发值",
        "threshold": "阈值",
        "unit": "单位",
        "since": "持续自（年月）",
        "as_of": "截至（年月）",
        "detail": "说明",
    }
    return found[list(columns)].rename(columns=columns)


def filter_warnings(
    found: pd.DataFrame, towns: list[str], rule_labels: list[str], severity: str
) -> pd.DataFrame:
    """The 预警 page's filters: towns and rules (none chosen: all), severity (全部: both)."""
    keep = pd.Series(True, index=found.index)
    if towns:
        keep &= found["town"].isin(towns)
    if rule_labels:
        keep &= found["rule_label"].isin(rule_labels)
    if severity in ("红色", "黄色"):
        keep &= found["severity"] == severity
    return found[keep].reset_index(drop=True)


def in_year_table(rows: pd.DataFrame) -> pd.DataFrame:
    """年内进度 as shown: target, 1—N月 actual, 完成率 and 序时进度 with units, status."""
    return pd.DataFrame(
        {
            "规划": rows["plan_short"],
            "目标": rows["label"],
            "全年目标": [number(t, u) for t, u in zip(rows["target"], rows["unit"], strict=True)],
            "实际（1—N月）": [
                number(a, u) for a, u in zip(rows["actual"], rows["unit"], strict=True)
            ],
            "完成率": [share(c) for c in rows["completion"]],
            "序时进度": [share(e) for e in rows["expected"]],
            "序时口径": rows["pace"],
            "状态": rows["status_label"],
            "口径": rows["basis"],
        }
    )
