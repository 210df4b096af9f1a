"""What goes on each slide of the briefing deck, from the same queries and progress engine as the pages.
Every slide carries a one-line conclusion written from its data, the data source and the as-of year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from plantrack.engine import progress, quotas
from plantrack.model.quantities import header, label, unit
from plantrack.model.reference import GRADES, NOT_APPLICABLE, WORST_FIRST, grade_name
from plantrack.model.targets import Config
from plantrack.report import tables
from plantrack.report.charts import BOARD_COLORS, GRADE_COLORS
from plantrack.report.formatting import actual, number, share
from plantrack.store import db, derived
from plantrack.store.db import Connection


@dataclass
class Series:
    name: str
    values: list[float]
    color: str | None = None
    point_colors: list[str] | None = None  # one per category (the 赛马's 红榜/黑榜)


def cut_note(shown: int, total: int, unit: str = "项") -> str:
    """Said wherever a list is cut: （列出最落后 N 项，共 M 项）; empty when nothing is left out."""
    return f"（列出最落后{shown}{unit}，共{total}{unit}）" if total > shown else ""


@dataclass
class Slide:
    title: str
    conclusion: str
    source: str
    kind: str  # title | table | bar | stacked | hbar
    categories: list[str] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    row_colors: list[str | None] = field(default_factory=list)
    unit: str = ""
    subtitle: str = ""


@dataclass
class Briefing:
    title: str
    as_of: int
    demo: bool
    slides: list[Slide]

    def footer(self, slide: Slide) -> str:
        sample = "示例数据（模拟）· " if self.demo else ""
        return f"{sample}数据截至{self.as_of}年 · 来源：{slide.source} · 生成于{dt.date.today():%Y-%m-%d}"


def outline(briefing: Briefing) -> pd.DataFrame:
    """The deck's pages as a table (页, 标题, 结论): the preview on 汇报材料."""
    return pd.DataFrame(
        {
            "页": range(1, len(briefing.slides) + 1),
            "标题": [slide.title for slide in briefing.slides],
            "结论": [slide.conclusion for slide in briefing.slides],
        }
    )


def build(
    con: Connection,
    config: Config,
    as_of: int,
    plan_ids: list[str] | None = None,
    town_names: list[str] | None = None,
    viewer_town: str | None = None,
) -> Briefing:
    """The slides; `viewer_town` limits the enterprise-level tables to one town (a 镇街 user's deck)."""
    meta = db.read_meta(con)
    demo = meta.get("data_kind") == "demo"
    plans = [plan for plan in config.plans if not plan_ids or plan.id in plan_ids]
    unknown = set(plan_ids or []) - {plan.id for plan in config.plans}
    if unknown:
        raise KeyError(f"没有编号为 {'、'.join(sorted(unknown))} 的规划")
    evaluated = progress.evaluate(con, config, as_of)  # once; each slide takes its plan's rows
    slides = [
        Slide(
            title="定海区制造业规划进度汇报",
            subtitle=f"截至{as_of}年 · " + "、".join(plan.short for plan in plans),
            conclusion=_headline(evaluated, plans),
            source="plantrack 规划进度看板",
            kind="title",
        )
    ]
    for plan in plans:
        rows = [row for row in evaluated if row.plan == plan.id]
        scorecard = _scorecard(config, as_of, plan, rows)
        slides.append(scorecard)
        notes = _notes(plan, rows, as_of)
        if notes is not None:
            slides.append(notes)
    focus = _focus_slide(evaluated, plans, as_of)
    if focus is not None:
        slides.append(focus)
    quota_plan = next((plan for plan in plans if plan.quotas), None)
    if quota_plan is not None:
        slides += _town_slides(con, config, as_of, quota_plan, town_names)
    slides.append(_grade_slide(con, config, as_of))
    slides.append(_low_efficiency_slide(con, config, as_of, viewer_town))
    return Briefing("定海区制造业规划进度汇报", as_of, demo, slides)


def _focus_slide(evaluated, plans, as_of) -> Slide | None:
    """需重点推进: the targets not yet due that the trend says will not be met, with what they need.
    None when no target is still open."""
    chosen = {plan.id for plan in plans}
    open_rows = [r for r in evaluated if r.plan in chosen and r.outlook is not None]
    if not open_rows:
        return None
    risky = sorted(
        (r for r in open_rows if r.outlook.judgement == "难以完成"),
        key=lambda r: r.outlook.projected_completion or 0,
    )
    unsure = sum(r.outlook.judgement == "数据不足" for r in open_rows)

    def pace(row, value):
        return tables.pace(value, row.unit, row.outlook.pace_unit)

    columns = ["还需", "需要的节奏", "目前节奏", "预计到期"]

    if risky:
        first = risky[0]
        conclusion = (
            f"未到期的{len(open_rows)}项目标中，按目前趋势预计{len(risky)}项难以完成；"
            f"差距最大的是{first.plan_short}“{first.label}”，还需{pace(first, first.outlook.pace_needed)}，"
            f"目前为{pace(first, first.outlook.pace_so_far)}。"
        )
    else:
        conclusion = f"未到期的{len(open_rows)}项目标按目前趋势没有预计难以完成的。"
    if unsure:
        conclusion += f"另有{unsure}项数据不足，不作预计。"
    conclusion += cut_note(min(len(risky), 12), len(risky))
    return Slide(
        title=f"需重点推进（截至{as_of}年，预计）",
        conclusion=conclusion,
        source="plantrack/engine/outlook.py（预计只是趋势，不改变完成状态；方法见口径说明）",
        kind="table",
        columns=["规划", "目标", "目标值", *columns],
        rows=[
            [r.plan_short, r.label, number(r.target, r.unit)]
            + [tables.outlook_cells(r.outlook.as_json(), **_row_facts(r))[c] for c in columns]
            for r in risky[:12]
        ],
    )


def _row_facts(row) -> dict:
    """What tables.outlook_cells reads of a progress row beside its outlook."""
    return {
        "status": row.status,
        "status_label": row.status_label,
        "unit": row.unit,
        "direction": row.direction,
        "target": row.target,
        "actual": row.actual,
    }


def _headline(evaluated, plans) -> str:
    chosen = {plan.id for plan in plans}
    rows = [row for row in evaluated if row.plan in chosen and row.status != NOT_APPLICABLE]
    met = sum(row.status in ("met", "on_pace") for row in rows)
    far = sum(row.status == "far_behind" for row in rows)
    return f"{len(plans)}个规划共{len(rows)}项目标：达标或符合序时{met}项，严重滞后{far}项。"


SCORECARD_ROWS = 10


def _worst_first(rows):
    return sorted(
        rows,
        key=lambda row: (
            [*WORST_FIRST, NOT_APPLICABLE].index(row.status),
            row.completion if row.completion is not None else 9,
        ),
    )


def _scorecard(config, as_of, plan, rows) -> Slide:
    counts = {status: sum(row.status == status for row in rows) for status in WORST_FIRST}
    ordered = _worst_first(rows)
    shown = ordered[:SCORECARD_ROWS]
    labels = config.status.labels
    worst = next((row for row in ordered if row.status == "far_behind"), None)
    conclusion = f"共{len(rows)}项目标：" + "、".join(
        f"{labels[s]}{counts[s]}项" for s in reversed(WORST_FIRST) if counts[s]
    )
    if worst is not None:
        conclusion += f"；最落后：{worst.label}{actual(worst.actual, worst.unit, worst.direction, False)}/{number(worst.target, worst.unit)}"
    conclusion += cut_note(len(shown), len(rows))
    return Slide(
        title=f"{plan.short}：目标完成情况（截至{as_of}年）",
        subtitle=f"{plan.title}（{plan.doc_no or '无文号'}，{plan.start}—{plan.end}年）",
        conclusion=conclusion + "。",
        source="progress.evaluate · targets.toml",
        kind="table",
        columns=["目标", "目标值", "实际值", "完成率", "序时进度", "状态", "能否完成（预计）"],
        rows=[
            [
                f"{row.label}（{row.year}）",
                number(row.target, row.unit),
                actual(row.actual, row.unit, row.direction, row.status == "met"),
                share(row.completion, met=row.status == "met"),
                share(row.expected),
                row.status_label,
                tables.outlook_cells(row.outlook and row.outlook.as_json(), **_row_facts(row))[
                    "能否完成"
                ],
            ]
            for row in shown
        ],
        row_colors=[config.status.colors[row.status] for row in shown],
    )


NOTES_PER_SLIDE = 6
NOTE_CHARS = 90


def _notes(plan, rows, as_of) -> Slide | None:
    """The plan's readings of its own text (targets.toml notes) for the targets on its scorecard, worst
    first: a 完成率 is read with the 口径 it was computed on."""
    every = [row for row in _worst_first(rows)[:SCORECARD_ROWS] if row.note]
    noted = every[:NOTES_PER_SLIDE]
    if not noted:
        return None
    more = f"，此页列前{len(noted)}项，全部见看板「规划详情」" if len(every) > len(noted) else ""

    def short(text: str) -> str:
        return (
            text if len(text) <= NOTE_CHARS else text[:NOTE_CHARS] + "…（全文见看板「规划详情」）"
        )

    return Slide(
        title=f"{plan.short}：口径说明（截至{as_of}年）",
        conclusion=f"上页所列目标中{len(every)}项的统计口径与原文表述有差异或需解读{more}。",
        source="targets.toml（各目标的说明）· docs/口径说明.md",
        kind="table",
        columns=["目标", "说明"],
        rows=[[f"{row.label}（{row.year}）", short(row.note)] for row in noted],
    )


def _town_slides(con, config, as_of, plan, town_names) -> list[Slide]:
    cells = db.run_query(con, "town_factory_fulfillment", quotas=quotas.quota_param(plan))
    if town_names:
        cells = cells[cells["town"].isin(town_names)]
    fulfilled = quotas.fulfillment(cells, plan, as_of, config.status)
    by_town = fulfilled.groupby(["sort_order", "town"], as_index=False)[
        ["quota_due", "awarded"]
    ].sum()
    behind = fulfilled[fulfilled["status"].isin(["far_behind", "behind"])].sort_values("completion")
    if behind.empty:
        conclusion = "各镇街三大工厂认定均达到序时进度。"
    else:
        row = behind.iloc[0]
        conclusion = f"{row['town']}{row['award']}完成 {row['awarded']}/{row['quota_total']}，{row['status_label']}序时进度"
        conclusion += f"；滞后的镇街类别共{len(behind)}个。"
    quota_slide = Slide(
        title=f"三大工厂镇街任务完成情况（截至{as_of}年）",
        conclusion=conclusion,
        source="queries/town_factory_fulfillment.sql · 附件5",
        kind="bar",
        categories=list(by_town["town"]),
        series=[
            Series(label("quota_due"), [float(v) for v in by_town["quota_due"]], "#9ecae1"),
            Series(label("awarded"), [float(v) for v in by_town["awarded"]], "#1f5fa8"),
        ],
        unit=unit("awarded"),
    )
    standing = quotas.ranking(cells, as_of)
    red = "、".join(standing[standing["board"] == "红榜"]["town"])
    black = "、".join(standing[standing["board"] == "黑榜"]["town"])
    ranking_slide = Slide(
        title=f"镇街赛马排名（截至{as_of}年）",
        conclusion=f"红榜：{red or '—'}；黑榜：{black or '—'}。",
        source="queries/town_factory_fulfillment.sql",
        kind="hbar",
        categories=[
            f"第{r}名 {t}" for r, t in zip(standing["rank"], standing["town"], strict=True)
        ],
        series=[
            Series(
                header("quota_fulfilment_pct"),
                [round(float(v) * 100, 1) for v in standing["score"]],
                "#6b8fb5",
                point_colors=[BOARD_COLORS.get(board, "#6b8fb5") for board in standing["board"]],
            )
        ],
        unit=unit("quota_fulfilment_pct"),
    )
    return [quota_slide, ranking_slide]


def _grade_slide(con, config, as_of) -> Slide:
    distribution = derived.run(con, config, "grade_distribution")
    above = distribution[(distribution["grp"] == "规上") & (distribution["year"] <= as_of)]
    years = sorted(above["year"].unique())
    series = []
    for grade in GRADES:
        counts = above[above["grade"] == grade].set_index("year")["enterprise_count"]
        series.append(
            Series(
                grade_name(grade),
                [float(counts.get(year, 0)) for year in years],
                GRADE_COLORS[grade],
            )
        )
    latest = above[above["year"] == as_of].set_index("grade")["enterprise_count"]
    conclusion = (
        f"{as_of}年规上企业A类{int(latest.get('A', 0))}家、B类{int(latest.get('B', 0))}家、"
        f"C类{int(latest.get('C', 0))}家、D类{int(latest.get('D', 0))}家。"
        if not latest.empty
        else f"{as_of}年无评价数据。"
    )
    return Slide(
        title=f"规上工业企业亩均评价档次（{years[0] if years else as_of}—{as_of}年）",
        conclusion=conclusion,
        source="queries/derived/grading.sql · queries/grade_distribution.sql",
        kind="stacked",
        categories=[f"{year}年" for year in years],
        series=series,
        unit=unit("enterprise_count"),
    )


# the figures of each firm on the 低效企业 slide (the catalogue's labels; the unit on every number)
LOW_EFFICIENCY_FIGURES = ["land_mu", "tax_wan", "mu_tax_wan_per_mu"]


def _low_efficiency_slide(con, config, as_of, viewer_town) -> Slide:
    line = config.low_efficiency_lines[0] if config.low_efficiency_lines else None
    value = line.line if line else 5.0
    low = derived.run(
        con,
        config,
        "low_efficiency_enterprises",
        year=as_of,
        line=value,
        park_only=bool(line and line.park_only),
        viewer_town=viewer_town,
    )
    shown = low.head(12)
    return Slide(
        title=f"低效企业清单（参评企业亩均税收低于{value:g}万元/亩，{as_of}年）",
        conclusion=f"{as_of}年参评企业中亩均税收低于{value:g}万元/亩的共{len(low)}家"
        + (f"，其中最低的为{shown.iloc[0]['name']}。" if not shown.empty else "。")
        + cut_note(len(shown), len(low), "家"),
        source="queries/low_efficiency_enterprises.sql",
        kind="table",
        columns=["企业名称", "镇街", "行业", *(label(column) for column in LOW_EFFICIENCY_FIGURES)],
        rows=[
            [
                r["name"],
                r["town"],
                r["industry"],
                *(number(r[column], unit(column)) for column in LOW_EFFICIENCY_FIGURES),
            ]
            for r in shown.to_dict("records")
        ],
    )
