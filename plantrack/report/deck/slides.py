"""What goes on each slide of the briefing deck, from the same queries and progress engine as the pages.
Every slide carries a one-line conclusion written from its data, the data source and the as-of year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from plantrack.engine import leadership, progress, quotas
from plantrack.model.quantities import header, label, unit
from plantrack.model.reference import GRADES, NOT_APPLICABLE, WORST_FIRST, grade_name
from plantrack.model.targets import Config
from plantrack.report import outlook_words, tables
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
    """The slides of the 本区 plans (engine.leadership.own_plans: in force first, ended ones closed with
    their 终期); 对标 plans are never in the deck. `town_names` makes it a town briefing: the towns'
    quota rows with their district ranks, and every enterprise-level table limited to those towns;
    `viewer_town` limits the enterprise-level tables to one town (a 镇街 user's deck)."""
    meta = db.read_meta(con)
    demo = meta.get("data_kind") == "demo"
    unknown = set(plan_ids or []) - {plan.id for plan in config.plans}
    if unknown:
        raise KeyError(f"没有编号为 {'、'.join(sorted(unknown))} 的规划")
    selection = leadership.own_plans(config, as_of, plan_ids)
    plans = selection.plans
    ledger = db.run_query(con, "ledger/import_ledger")

    def source(kinds: list[str], method: str = "") -> str:
        return tables.source_words(ledger, demo, kinds, method)

    evaluated = progress.evaluate(con, config, as_of)  # once; each slide takes its plan's rows
    frame = progress.to_frame(evaluated)
    towns = list(town_names or [])
    if viewer_town is not None:
        towns = [viewer_town]
    slides = [
        Slide(
            title="定海区制造业规划进度汇报" + (f"（{'、'.join(towns)}）" if towns else ""),
            subtitle=f"截至{as_of}年 · " + "、".join(plan.short for plan in plans),
            # a town briefing's plan figures are the district's: said so
            conclusion=("全区：" if towns else "") + tables.plans_headline(frame, selection),
            source=source(["enterprise_years", "awards", "indicators"]),
            kind="title",
        )
    ]
    quota_plan = next((plan for plan in selection.in_force if plan.quotas), None)
    # before any chosen plan with town tasks has begun: the tasks already set (an empty 赛马)
    upcoming = leadership.own_plans(config, as_of).upcoming
    quota_plan = quota_plan or next(
        (plan for plan in [*selection.ended, *upcoming] if plan.quotas), None
    )
    if towns and quota_plan is not None:
        slides.append(_town_brief(con, config, as_of, quota_plan, towns, viewer_town, source))
    for plan in plans:
        rows = [row for row in evaluated if row.plan == plan.id]
        slides.append(_scorecard(config, as_of, plan, rows, frame, source, bool(towns)))
        notes = _notes(plan, rows, as_of)
        if notes is not None:
            slides.append(notes)
    slides.append(focus(con, config, as_of, selection, frame, towns, source))
    if quota_plan is not None:
        slides += _town_slides(con, config, as_of, quota_plan, towns, source)
    slides.append(_grade_slide(con, config, as_of, source, bool(towns)))
    slides.append(_low_efficiency_slide(con, config, as_of, viewer_town, towns, source))
    return Briefing("定海区制造业规划进度汇报", as_of, demo, slides)


FOCUS_ROWS = 12


def focus(con, config, as_of, selection, frame, towns=None, source=None) -> Slide:
    """需重点推进 — 总览's 预警 (engine.leadership.warnings) of the `selection` of 本区 plans (own_plans),
    `frame` their progress (progress.to_frame); with `towns`, the district's targets and those towns'
    quota cells. The deck's slide and the Word report's table."""
    if source is None:
        ledger = db.run_query(con, "ledger/import_ledger")
        demo = db.read_meta(con).get("data_kind") == "demo"

        def source(kinds, method=""):
            return tables.source_words(ledger, demo, kinds, method)

    fulfilled = {
        plan.id: quotas.fulfillment(quotas.cells(con, plan), plan, as_of, config.status)
        for plan in selection.in_force
        if plan.quotas
    }
    warned = leadership.warnings(frame, fulfilled, selection)
    if towns:
        warned = warned[warned["town"].isna() | warned["town"].isin(towns)]
    return _focus_slide(warned, as_of, source)


def _focus_slide(warned: pd.DataFrame, as_of: int, source) -> Slide:
    """需重点推进: the 预警 of 总览 (engine.leadership.warnings), furthest behind first."""
    shown = warned.head(FOCUS_ROWS)
    table = tables.warning_table(shown) if not shown.empty else None
    if warned.empty:
        conclusion = (
            "本区在实施的规划中，没有严重滞后或预计难以完成的目标，也没有落后于序时进度的镇街任务。"
        )
    else:
        first = warned.iloc[0]
        targets = int((warned["kind"] == "目标").sum())
        cells = int((warned["kind"] == "镇街任务").sum())
        conclusion = (
            f"本区在实施的规划中需重点推进{len(warned)}项（目标{targets}项、镇街任务格{cells}个）；"
            f"差距最大的是{first['plan_short']}“{first['label']}”，"
            f"完成{share(first['completion'])}，序时进度{share(first['expected'])}。"
        )
        conclusion += cut_note(min(len(warned), FOCUS_ROWS), len(warned))
    return Slide(
        title=f"需重点推进（截至{as_of}年）",
        conclusion=conclusion,
        source=source(
            ["enterprise_years", "awards", "indicators"], "预计只是趋势，算法见口径说明 §10"
        ),
        kind="table",
        columns=[] if table is None else list(table.columns),
        rows=[] if table is None else table.astype(str).values.tolist(),
    )


def _row_facts(row) -> dict:
    """What outlook_words.outlook_cells reads of a progress row beside its outlook."""
    return {
        "status": row.status,
        "status_label": row.status_label,
        "unit": row.unit,
        "direction": row.direction,
        "target": row.target,
        "actual": row.actual,
    }


SCORECARD_ROWS = 10


def _worst_first(rows):
    return sorted(
        rows,
        key=lambda row: (
            [*WORST_FIRST, NOT_APPLICABLE].index(row.status),
            row.completion if row.completion is not None else 9,
        ),
    )


def _scorecard(config, as_of, plan, rows, frame, source, district_label=False) -> Slide:
    ordered = _worst_first(rows)
    shown = ordered[:SCORECARD_ROWS]
    labels = config.status.labels
    tag = leadership.tag(plan)
    if leadership.is_ended(plan, as_of):
        plan_rows = frame[frame["plan"] == plan.id]
        final = leadership.final_targets(plan_rows)
        conclusion = tables.final_result_text(final, leadership.final_result(plan_rows), 4)
        title = f"{plan.short}：已结束 · 终期（{'全区，' if district_label else ''}{plan.end}年）"
    else:
        counts = {status: sum(row.status == status for row in rows) for status in WORST_FIRST}
        worst = next((row for row in ordered if row.status == "far_behind"), None)
        conclusion = f"共{len(rows)}项目标：" + "、".join(
            f"{labels[s]}{counts[s]}项" for s in reversed(WORST_FIRST) if counts[s]
        )
        if worst is not None:
            conclusion += f"；最落后：{worst.label}{actual(worst.actual, worst.unit, worst.direction, False)}/{number(worst.target, worst.unit)}"
        title = f"{plan.short}：目标完成情况（{'全区，' if district_label else ''}截至{as_of}年）"
    conclusion += cut_note(len(shown), len(rows))
    return Slide(
        title=title,
        subtitle=f"{plan.title}（{plan.doc_no or '无文号'}，{plan.start}—{plan.end}年）· {tag}",
        conclusion=conclusion + "。",
        source=source(["enterprise_years", "awards", "indicators"], "算法见口径说明 §3—§5"),
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
                outlook_words.outlook_cells(
                    row.outlook and row.outlook.as_json(), **_row_facts(row)
                )["能否完成"],
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
        source="规划原文与各目标的口径说明（看板「规划详情」）；算法见口径说明",
        kind="table",
        columns=["目标", "说明"],
        rows=[[f"{row.label}（{row.year}）", short(row.note)] for row in noted],
    )


def _town_slides(con, config, as_of, plan, towns, source) -> list[Slide]:
    """The quota bars and the 赛马, ranked over every town (a town briefing marks its towns, never
    ranks inside them)."""
    cells = quotas.cells(con, plan)
    fulfilled = quotas.fulfillment(cells, plan, as_of, config.status)
    by_town = fulfilled.groupby(["sort_order", "town"], as_index=False)[
        ["quota_due", "awarded"]
    ].sum()
    behind = fulfilled[fulfilled["status"].isin(["far_behind", "behind"])].sort_values("completion")
    if towns:
        behind = behind[behind["town"].isin(towns)]
    if behind.empty:
        conclusion = ("所选镇街" if towns else "各镇街") + "三大工厂认定均达到序时进度。"
    else:
        row = behind.iloc[0]
        conclusion = f"{row['town']}{row['award']}完成 {row['awarded']}/{row['quota_total']} 家，{row['status_label']}"
        conclusion += f"；{'所选镇街' if towns else ''}落后于序时进度的镇街类别共{len(behind)}个。"
    where = source(["awards"], f"任务数取自{plan.short}附件5；算法见口径说明 §6")
    quota_slide = Slide(
        title=f"三大工厂镇街任务完成情况（全区各镇街，截至{as_of}年）",
        conclusion=conclusion,
        source=where,
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
    conclusion = f"红榜：{red or '—'}；黑榜：{black or '—'}。"
    if not standing.empty:
        conclusion = f"全区{len(standing)}个镇街排名：" + conclusion
    if towns:
        conclusion += "".join(f"{town}{tables.rank_text(standing, town)}。" for town in towns)
    ranking_slide = Slide(
        title=f"镇街赛马排名（全区，截至{as_of}年）",
        conclusion=conclusion,
        source=where,
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


def _town_brief(con, config, as_of, plan, towns, viewer_town, source) -> Slide:
    """A town briefing's own slide: each chosen town's quota row (三年任务、应完成、已认定、还需), its rank
    among all the district's towns, its 申报 and its 低效 firms (counts; the lists follow)."""
    cells = quotas.cells(con, plan)
    fulfilled = quotas.fulfillment(cells, plan, as_of, config.status)
    standing = quotas.ranking(cells, as_of)
    low = derived.low_efficiency(con, config, as_of, viewer_town)
    rows, lines = [], []
    for town in towns:
        mine = fulfilled[(fulfilled["town"] == town) & (fulfilled["quota_total"] > 0)]
        applied = db.run_query(
            con, "town_applications", town=town, year=as_of, viewer_town=viewer_town
        )
        # still needed: the whole task less what is recognised (a due cell has no outlook to say it)
        needs = [
            max(int(t) - int(a), 0)
            for t, a in zip(mine["quota_total"], mine["awarded"], strict=True)
        ]
        still = sum(needs)
        for cell, need in zip(mine.to_dict("records"), needs, strict=True):
            rows.append(
                [
                    town,
                    cell["award"],
                    f"{cell['quota_total']} 家",
                    f"{cell['quota_due']} 家",
                    f"{cell['awarded']} 家",
                    cell["status_label"],
                    f"{need} 家",
                ]
            )
        lines.append(
            f"{town}在全区赛马中{tables.rank_text(standing, town)}，"
            f"三大工厂已认定{int(mine['awarded'].sum())}家/截至当年应完成{int(mine['quota_due'].sum())}家，"
            f"还需{still}家；{as_of}年申报{len(applied)}件；"
            f"参评企业中低效企业{int((low['town'] == town).sum())}家"
        )
    return Slide(
        title=f"{'、'.join(towns)}：镇街任务与排名（截至{as_of}年）",
        conclusion="；".join(lines) + "。",
        source=source(["awards", "applications", "enterprise_years"], "算法见口径说明 §6"),
        kind="table",
        columns=["镇街", "类别", "三年任务", "截至当年应完成", "已认定", "状态", "还需"],
        rows=rows,
    )


def _grade_slide(con, config, as_of, source, district_label: bool) -> Slide:
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
    scope = "全区" if district_label else ""
    return Slide(
        title=f"{scope}规上工业企业亩均评价档次（{years[0] if years else as_of}—{as_of}年）",
        conclusion=scope + conclusion,
        source=source(["enterprise_years"], f"档次按{config.grading.name}测算，官方公布的优先"),
        kind="stacked",
        categories=[f"{year}年" for year in years],
        series=series,
        unit=unit("enterprise_count"),
    )


# the figures of each firm on the 低效企业 slide (the catalogue's labels; the unit on every number)
LOW_EFFICIENCY_FIGURES = ["land_mu", "tax_wan", "mu_tax_wan_per_mu"]


def _low_efficiency_slide(con, config, as_of, viewer_town, towns, source) -> Slide:
    """低效企业 of the district, or only of the chosen towns (a town briefing holds no other town's firm);
    a 镇街 user's deck only their own town's."""
    value, _ = config.low_efficiency_line
    low = derived.low_efficiency(con, config, as_of, viewer_town)
    if towns:
        low = low[low["town"].isin(towns)]
    scope = "、".join(towns) if towns else "全区"
    shown = low.head(12)
    return Slide(
        title=f"低效企业清单（{scope}，参评企业亩均税收低于{value:g}万元/亩，{as_of}年）",
        conclusion=f"{as_of}年{scope}参评企业中亩均税收低于{value:g}万元/亩的共{len(low)}家"
        + (f"，其中最低的为{shown.iloc[0]['name']}。" if not shown.empty else "。")
        + cut_note(len(shown), len(low), "家"),
        source=source(["enterprise_years"], "算法见口径说明 §6a"),
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
