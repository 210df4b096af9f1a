"""What the Word 分析报告 says: sentences written by fixed rules from the progress engine, the 镇街任务
engine and the deck's content functions (never recomputed here), the same on every run for the same data.
Every number written into the text is recorded with where it comes from, for the 附表.

A district report covers every 本区 plan (对标 plans only in one comparison paragraph); a town report is
about that town, with district figures labelled 全区."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from plantrack.engine import leadership, progress, quotas
from plantrack.model.reference import DISTRICT, GRADES, NOT_APPLICABLE, WORST_FIRST
from plantrack.model.roles import SMALL_CELL_FIRMS
from plantrack.model.targets import Config, Plan
from plantrack.report import charts, outlook_words, tables
from plantrack.report.deck import slides
from plantrack.report.formatting import actual, number, share
from plantrack.store import db, derived
from plantrack.store.db import Connection

CHINESE_NUMERALS = "一二三四五六七八九十"
LISTED = 3  # the furthest-behind targets named per plan
LOW_LISTED = 5  # the 低效 firms named
CHART_WIDTH_PX = 640  # × CHART_SCALE = 1843 px over the 156 mm text width (6.14 in): 300 dpi,
CHART_SCALE = 2.88  # with the chart's 14 px text about 10 pt on the page


@dataclass
class Fact:
    """One number as written in the text, and where it comes from in plain words."""

    section: str
    figure: str
    source: str


@dataclass
class Block:
    kind: str  # heading1 | heading2 | para | figure | table
    text: str = ""
    figure: go.Figure | None = None
    height: int = 0
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Report:
    title: str
    subtitle: str
    as_of: int
    demo: bool
    town: str | None
    blocks: list[Block] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    @property
    def file_stem(self) -> str:
        return file_stem(self.town, self.as_of)


def file_stem(town: str | None, as_of: int) -> str:
    """定海区2025年制造业规划实施情况分析报告, or the town's name first: files are named by their town."""
    return f"{town or DISTRICT}{as_of}年制造业规划实施情况分析报告"


class _Writer:
    """Appends headings, paragraphs, figures (图1、图2…) and tables, numbering them as it goes."""

    def __init__(self, report: Report):
        self.report = report
        self.sections = 0
        self.subsections = 0
        self.figures = 0
        self.section = ""

    def heading(self, text: str) -> None:
        self.subsections = 0
        self.section = f"{CHINESE_NUMERALS[self.sections]}、{text}"
        self.sections += 1
        self.report.blocks.append(Block("heading1", self.section))

    def subheading(self, text: str) -> None:
        self.subsections += 1
        self.report.blocks.append(
            Block("heading2", f"（{CHINESE_NUMERALS[self.subsections - 1]}）{text}")
        )

    def para(self, text: str, facts: list[tuple[str, str]] = ()) -> None:
        """A paragraph; `facts` are (the figure as written in `text`, its source)."""
        text = tight(text)
        facts = [(tight(figure), source) for figure, source in facts]
        for figure, _ in facts:
            assert figure in text, f"{figure} 不在段落中"
        self.report.blocks.append(Block("para", text))
        self.report.facts += [Fact(self.section, figure, source) for figure, source in facts]

    def figure(self, fig: go.Figure, caption: str, height: int) -> str:
        self.figures += 1
        name = f"图{self.figures}"
        self.report.blocks.append(Block("figure", f"{name} {caption}", fig, height))
        return name

    def table(self, columns: list[str], rows: list[list[str]]) -> None:
        rows = [[tight(str(value)) for value in row] for row in rows]
        self.report.blocks.append(Block("table", columns=columns, rows=rows))


def tight(text: str) -> str:
    """Chinese body text: no space between a number and its unit (“20家”, not the dashboard's “20 家”)."""
    return re.sub(r"(?<=[\d%]) (?=[^\d\s])", "", text)


def quoted(text: str) -> str:
    """“…” around a name, its own quotation marks turned to ‘…’ (“打造‘示范工厂’”)."""
    return "“" + text.replace("“", "‘").replace("”", "’") + "”"


def _counts(rows, labels: dict[str, str]) -> tuple[str, list[tuple[str, str]], int]:
    """ "达标2项，符合序时1项……" over the rows that count (不适用 left out), with its facts."""
    counted = [row for row in rows if row.status != NOT_APPLICABLE]
    parts = []
    for status in reversed(WORST_FIRST):
        count = sum(row.status == status for row in counted)
        if count:
            parts.append(f"{labels[status]}{count}项")
    return "，".join(parts), [(part, "") for part in parts], len(counted)


def _own_plans(config: Config, as_of: int) -> list[Plan]:
    """The 本区 plans, in force first (the one selection every surface uses)."""
    return leadership.own_plans(config, as_of).plans


def _peer_plans(config: Config, as_of: int) -> list[Plan]:
    return [plan for plan in config.plans if plan.role == "peer" and plan.start <= as_of]


def _source_progress(plan: Plan, as_of: int, town: str | None = None) -> str:
    where = f"{town}的" if town else ""
    return f"规划进度评估：《{plan.title}》{where}全部目标截至{as_of}年的完成状态，按口径说明的规则判定"


def build(
    con: Connection, config: Config, as_of: int, town: str | None = None, evaluated=None
) -> Report:
    """The district's report (`town` None) or one town's; `evaluated` is progress.evaluate's rows for
    the district, when already at hand (all the towns' reports at once)."""
    demo = db.read_meta(con).get("data_kind") == "demo"
    if evaluated is None:
        evaluated = progress.evaluate(con, config, as_of)
    if town is None:
        report = Report(
            f"{DISTRICT}{as_of}年制造业规划实施情况分析报告",
            f"（截至{as_of}年底）",
            as_of,
            demo,
            None,
        )
        _district(con, config, as_of, evaluated, _Writer(report))
    else:
        report = Report(
            f"{town}{as_of}年制造业规划任务完成情况分析报告",
            f"（截至{as_of}年底）",
            as_of,
            demo,
            town,
        )
        _town(con, config, as_of, evaluated, town, _Writer(report))
    return report


def quota_towns(con: Connection, config: Config, as_of: int) -> list[str]:
    """The towns (platforms) with a 三大工厂 quota in a 本区 plan, in 附件5's order."""
    names: list[str] = []
    for plan in _own_plans(config, as_of):
        if plan.quotas:
            cells = quotas.cells(con, plan)
            tasked = cells[cells["quota_count"] > 0].sort_values("sort_order")
            names += list(tasked["town"])
    return list(dict.fromkeys(names))


# ---------------------------------------------------------------- the district


def _district(con, config, as_of, evaluated, w: _Writer) -> None:
    labels = config.status.labels
    selection = leadership.own_plans(config, as_of)
    own = selection.plans
    rows = [row for row in evaluated if row.plan in {plan.id for plan in own}]
    in_force = [row for row in rows if row.plan in {plan.id for plan in selection.in_force}]
    w.heading("总体情况")
    text, facts, counted = _counts(in_force, labels)
    source = (
        f"规划进度评估：本区在实施的{len(selection.in_force)}个规划全部目标截至{as_of}年的完成状态"
        "（不适用的不计入）"
    )
    sentences = []
    if selection.in_force:
        sentences.append(
            f"截至{as_of}年底，全区在实施的{len(selection.in_force)}个本区规划共{counted}项目标"
            f"纳入评估，其中{text}。各规划情况见图1。"
        )
    ended_facts = []
    for plan in selection.ended:
        counts = leadership.final_result(progress.to_frame([r for r in rows if r.plan == plan.id]))
        said = f"终期达标{counts['met']}项、未达标{counts['missed']}项"
        sentences.append(f"{plan.short}已于{plan.end}年结束，{said}。")
        ended_facts.append(
            (said, f"{plan.short}终期：各目标最后一年的完成状态（逐年目标只计最后一年）")
        )
    w.para(
        "".join(sentences) or f"截至{as_of}年底，没有在实施的本区规划。",
        [(f"{len(selection.in_force)}个本区规划", source), (f"{counted}项目标", source)]
        + [(figure, source) for figure, _ in facts]
        + ended_facts,
    )
    frame = pd.DataFrame(
        [
            {"plan_short": plan.short, "status": status, "count": count}
            for plan in selection.in_force
            for status in labels
            if status != NOT_APPLICABLE
            and (count := sum(r.plan == plan.id and r.status == status for r in rows))
        ]
    )
    if not frame.empty:
        w.figure(
            charts.status_counts(
                frame, labels, config.status.colors, f"在实施规划目标完成状态（截至{as_of}年）"
            ),
            f"在实施规划目标完成状态（截至{as_of}年，项）",
            140 + 40 * len(selection.in_force) + 60,
        )

    w.heading("各规划完成情况")
    for plan in own:
        _plan_section(plan, [r for r in rows if r.plan == plan.id], as_of, labels, w)
    _peer_paragraph(config, as_of, evaluated, w)

    quota_plans = [plan for plan in own if plan.quotas]
    if quota_plans:
        w.heading("镇街任务与赛马")
        for plan in quota_plans:
            _district_quotas(con, config, as_of, plan, w, several=len(quota_plans) > 1)

    w.heading("亩均评价")
    _grades(con, config, as_of, w, town=None)
    _low_efficiency(con, config, as_of, w, town=None)

    w.heading("预警与需重点推进")
    lagging = _focus(con, config, evaluated, own, as_of, w, scope="全区")
    w.heading("下一步")
    _next_steps(lagging, w, town=None)


def _plan_section(plan: Plan, rows, as_of: int, labels, w: _Writer) -> None:
    w.subheading(f"{plan.short}")
    source = _source_progress(plan, as_of)
    period = f"{plan.start}—{plan.end}年"
    if leadership.is_ended(plan, as_of):  # closed: its final result, not a list of the late
        frame = progress.to_frame(rows)
        final = tables.final_result_text(
            leadership.final_targets(frame), leadership.final_result(frame), LISTED
        )
        said = final.replace(" · ", "，").replace(" 项", "项").replace("标 ", "标")
        w.para(f"《{plan.title}》（{period}）{said}。", [(said.split("：")[0], source)])
        return
    text, facts, counted = _counts(rows, labels)
    due = "已到期" if plan.end <= as_of else f"实施期内（剩{plan.end - as_of}年）"
    w.para(
        f"截至{as_of}年底，《{plan.title}》（{period}，{due}）{counted}项目标中，{text}。",
        [(f"{counted}项目标", source)] + [(figure, source) for figure, _ in facts],
    )
    behind = [row for row in slides._worst_first(rows) if row.status in ("far_behind", "behind")]
    if not behind:
        return
    shown = behind[:LISTED]
    cut = f"列出最落后{len(shown)}项（共{len(behind)}项）" if len(behind) > len(shown) else ""
    parts = []
    plan_facts = []
    for row in shown:
        done = actual(row.actual, row.unit, row.direction, False)
        rate = share(row.completion, met=False)
        sentence = f"{quoted(row.label)}目标{number(row.target, row.unit)}（{row.year}年），实际{done}，完成率{rate}"
        plan_facts.append(
            (
                f"实际{done}",
                f"{row.label}：{_plain_source(row)}，{row.eval_year}年",
            )
        )
        if row.outlook is not None and row.outlook.remaining is not None:
            still = outlook_words.amount(row.outlook.remaining, row.unit)
            pace = outlook_words.pace(row.outlook.pace_needed, row.unit, row.outlook.pace_unit)
            sentence += f"，还需{still}，需{pace}"
            plan_facts.append(
                (
                    f"还需{still}",
                    f"{row.label}：目标值减截至{as_of}年的实际值（剩{row.outlook.years_left}年）",
                )
            )
        parts.append(sentence)
    lead = "滞后或严重滞后的目标" + (f"共{len(behind)}项，{cut}：" if cut else "：")
    w.para(lead + "；".join(parts) + "。", plan_facts)


def _plain_source(row) -> str:
    """A target's data source in plain words: the catalogue's wording, not a file name."""
    if row.source.startswith("queries/"):
        return "企业数据汇总（按该指标的统计口径）"
    return "上报指标"


def _peer_paragraph(config, as_of, evaluated, w: _Writer) -> None:
    peers = _peer_plans(config, as_of)
    if not peers:
        return
    labels = config.status.labels
    w.subheading("与对标地区比较")
    parts, facts = [], []
    for plan in peers:
        rows = [row for row in evaluated if row.plan == plan.id]
        text, _, counted = _counts(rows, labels)
        parts.append(f"{plan.jurisdiction}《{plan.title}》{counted}项目标中{text}")
        facts.append((f"{counted}项目标中{text}", _source_progress(plan, as_of) + "（对方上报数）"))
    w.para(
        "对标规划的完成情况只作比较，不计入本区："
        + "；".join(parts)
        + "。对标数字为对方公开或上报的数字。",
        facts,
    )


def _district_quotas(con, config, as_of, plan: Plan, w: _Writer, several: bool) -> None:
    cells = quotas.cells(con, plan)
    fulfilled = quotas.fulfillment(cells, plan, as_of, config.status)
    tasked = fulfilled[fulfilled["status"] != NOT_APPLICABLE]
    if several:
        w.subheading(f"{plan.short}三大工厂任务")
    due, done, total = (
        int(tasked["quota_due"].sum()),
        int(tasked["awarded"].sum()),
        int(tasked["quota_total"].sum()),
    )
    behind = tasked[tasked["status"].isin(["far_behind", "behind"])]
    source = f"镇街任务：《{plan.title}》附件5各镇街（平台）任务，与各年认定的三大工厂逐格对照，截至{as_of}年累计"
    w.para(
        f"三大工厂全期任务{total}家，截至{as_of}年应完成{due}家，全区已认定{done}家；"
        f"有任务的镇街类别中，滞后或严重滞后的{len(behind)}个。",
        [
            (f"任务{total}家", source),
            (f"应完成{due}家", source),
            (f"已认定{done}家", source),
            (f"{len(behind)}个", source),
        ],
    )
    standing = quotas.ranking(cells, as_of)
    if standing.empty:
        return
    red = "、".join(standing[standing["board"] == "红榜"]["town"])
    black = "、".join(standing[standing["board"] == "黑榜"]["town"])
    rank_source = f"镇街赛马：各镇街截至{as_of}年认定数除以应完成数排序，前三为红榜、后三为黑榜"
    name = w.figure(
        charts.town_ranking(standing, f"镇街赛马排名（截至{as_of}年）"),
        f"{plan.short}镇街赛马排名（截至{as_of}年，认定数÷应完成数）",
        120 + 26 * len(standing) + 60,
    )
    w.para(
        f"镇街赛马（{name}）：红榜{red or '—'}；黑榜{black or '—'}。",
        [(f"红榜{red}", rank_source), (f"黑榜{black}", rank_source)],
    )


def _grades(con, config, as_of, w: _Writer, town: str | None) -> None:
    distribution = derived.run(con, config, "grade_distribution")
    above = distribution[(distribution["grp"] == "规上") & (distribution["year"] <= as_of)]
    now = above[above["year"] == as_of].set_index("grade")["enterprise_count"]
    before = above[above["year"] == as_of - 1].set_index("grade")["enterprise_count"]
    if now.empty:
        w.para(f"{as_of}年尚无亩均评价数据。")
        return
    source = f"亩均评价：{as_of}年全区规上工业企业按评价办法分档的企业数"
    parts, changes, facts = [], [], []
    for grade in GRADES:
        count = int(now.get(grade, 0))
        parts.append(f"{grade}类{count}家")
        facts.append((f"{grade}类{count}家", source))
        if not before.empty:
            delta = count - int(before.get(grade, 0))
            word = f"增加{delta}家" if delta > 0 else f"减少{-delta}家" if delta < 0 else "持平"
            changes.append(f"{grade}类{word}")
    scope = "全区" if town else ""
    text = f"{as_of}年{scope}规上工业企业亩均评价：" + "、".join(parts) + "。"
    if changes:
        text += f"与{as_of - 1}年相比，" + "，".join(changes) + "。"
        facts.append((changes[0], f"亩均评价：{as_of}年与{as_of - 1}年各档企业数之差"))
    if town is None:
        name = w.figure(
            charts.grade_bars(above, f"规上工业企业亩均评价档次（截至{as_of}年）"),
            "规上工业企业亩均评价档次分布（家）",
            400,
        )
        text += f"历年分布见{name}。"
    w.para(text, facts)


def _low_efficiency(con, config, as_of, w: _Writer, town: str | None) -> None:
    value, _ = config.low_efficiency_line
    low = derived.low_efficiency(con, config, as_of, town)
    scope = town or "全区"
    source = f"低效企业：{as_of}年{scope}参评企业中亩均税收低于{value:g}万元/亩的企业（按亩均税收从低到高）"
    text = f"{as_of}年{scope}参评企业中亩均税收低于{value:g}万元/亩的低效企业{len(low)}家"
    facts = [(f"低效企业{len(low)}家", source)]
    if low.empty:
        w.para(text + "。", facts)
        return
    shown = low.head(LOW_LISTED)
    cut = f"（列出最落后{len(shown)}家，共{len(low)}家）" if len(low) > len(shown) else ""
    names = "、".join(
        f"{r['name']}（{number(r['mu_tax_wan_per_mu'], '万元/亩')}）"
        for r in shown.to_dict("records")
    )
    w.para(f"{text}，亩均税收最低的是{names}{cut}。", facts)


def _focus(con, config, evaluated, plans, as_of, w: _Writer, scope: str):
    """预警 (targets 严重滞后 at the as-of year) and 需重点推进 (open targets the trend says will miss,
    the deck's list). Returns the rows the 下一步 speaks of."""
    chosen = {plan.id for plan in plans}
    rows = [row for row in evaluated if row.plan in chosen]
    far = slides._worst_first([row for row in rows if row.status == "far_behind"])
    source = f"规划进度评估：{scope}本区规划截至{as_of}年状态为严重滞后的目标"
    if far:
        shown = far[:LISTED]
        cut = f"，列出最落后{len(shown)}项（共{len(far)}项）" if len(far) > len(shown) else ""
        names = "、".join(
            f"{r.plan_short}{quoted(r.label)}（完成率{share(r.completion, met=False)}）"
            for r in shown
        )
        w.para(
            f"预警：严重滞后的目标{len(far)}项{cut}：{names}。",
            [(f"严重滞后的目标{len(far)}项", source)],
        )
    else:
        w.para("预警：没有严重滞后的目标。")
    selection = leadership.own_plans(config, as_of, [plan.id for plan in plans])
    towns = None if scope == "全区" else [scope]  # a town's report: its own quota cells only
    focus = slides.focus(con, config, as_of, selection, progress.to_frame(evaluated), towns)
    if focus is None:
        w.para(f"截至{as_of}年，本区规划的目标均已到期，没有需要预计的目标。")
        return []
    w.para("需重点推进（按目前趋势预计，不改变完成状态）：" + focus.conclusion)
    if focus.rows:
        w.table(focus.columns, focus.rows)
    open_rows = [r for r in rows if r.outlook is not None and r.outlook.judgement == "难以完成"]
    return sorted(open_rows, key=lambda r: r.outlook.projected_completion or 0)


def _next_steps(lagging, w: _Writer, town: str | None) -> None:
    if not lagging:
        w.para("巩固已达标目标，按序时推进实施期内的各项目标。")
        return
    for index, row in enumerate(lagging[:LISTED], start=1):
        still = outlook_words.amount(row.outlook.remaining, row.unit)
        pace = outlook_words.pace_phrase(row.outlook.pace_needed, row.unit, row.outlook.pace_unit)
        now = outlook_words.pace_phrase(row.outlook.pace_so_far, row.unit, row.outlook.pace_unit)
        w.para(
            f"{index}．{row.plan_short}{quoted(row.label)}：剩余{row.outlook.years_left}年还需{still}，"
            f"需{pace}（目前{now}），请牵头单位制定赶超措施。",
            [
                (f"还需{still}", f"{row.label}：目标值减截至当年实际值"),
                (f"需{pace}", f"{row.label}：还需部分除以剩余年数"),
            ],
        )
    if len(lagging) > LISTED:
        w.para(
            f"其余{len(lagging) - LISTED}项见需重点推进表（列出最落后{LISTED}项，共{len(lagging)}项）。"
        )


# ---------------------------------------------------------------- one town


def _town(con, config, as_of, evaluated, town: str, w: _Writer) -> None:
    labels = config.status.labels
    own = _own_plans(config, as_of)
    rows = [row for row in evaluated if row.plan in {plan.id for plan in own}]
    w.heading("总体情况")
    text, facts, counted = _counts(rows, labels)
    source = f"规划进度评估：本区{len(own)}个规划全部目标截至{as_of}年的完成状态（全区）"
    w.para(
        f"截至{as_of}年底，全区{len(own)}个规划共{counted}项目标纳入评估，全区{text}。"
        f"本报告以下内容为{town}的任务完成情况。",
        [(f"共{counted}项目标", source)] + [(f"全区{facts[0][0]}", source)][: len(facts)],
    )
    w.heading("三大工厂任务")
    for plan in [plan for plan in own if plan.quotas]:
        _town_quotas(con, config, as_of, plan, town, w)
    w.heading("申报情况")
    _town_applications(con, as_of, town, w)
    w.heading("亩均评价")
    _town_mu(con, config, as_of, town, w)
    _low_efficiency(con, config, as_of, w, town=town)
    w.heading("预警与需重点推进")
    town_rows = [
        r for r in progress.evaluate(con, config, as_of, town=town) if r.plan in {p.id for p in own}
    ]
    lagging = _focus(con, config, town_rows, own, as_of, w, scope=town)
    w.heading("下一步")
    _next_steps(lagging, w, town=town)


def _town_quotas(con, config, as_of, plan: Plan, town: str, w: _Writer) -> None:
    cells = quotas.cells(con, plan)
    fulfilled = quotas.fulfillment(cells, plan, as_of, config.status)
    mine = fulfilled[(fulfilled["town"] == town) & (fulfilled["status"] != NOT_APPLICABLE)]
    w.subheading(f"{plan.short}（{plan.start}—{plan.end}年）")
    if mine.empty:
        w.para(f"《{plan.title}》附件5未给{town}分配三大工厂任务。")
        return
    source = f"镇街任务：《{plan.title}》附件5中{town}的任务，与{town}企业各年认定的三大工厂对照，截至{as_of}年累计"
    total, due, done = (
        int(mine["quota_total"].sum()),
        int(mine["quota_due"].sum()),
        int(mine["awarded"].sum()),
    )
    w.para(
        f"{town}三大工厂全期任务{total}家，截至{as_of}年应完成{due}家，已认定{done}家。",
        [(f"任务{total}家", source), (f"应完成{due}家", source), (f"已认定{done}家", source)],
    )
    w.table(*_quota_table(mine))
    standing = quotas.ranking(cells, as_of)
    place = standing[standing["town"] == town]
    if not place.empty:
        row = place.iloc[0]
        board = f"，列{row['board']}" if row["board"] else ""
        rank_source = (
            f"镇街赛马：全区各镇街截至{as_of}年认定数除以应完成数排序（与全区报告同一排名）"
        )
        w.para(
            f"在全区{len(standing)}个有任务的镇街（平台）中排第{int(row['rank'])}名{board}"
            f"（认定数÷应完成数{share(row['score'])}）。",
            [(f"第{int(row['rank'])}名", rank_source), (f"{len(standing)}个", rank_source)],
        )
    needs = mine[mine["remaining"].notna() & (mine["remaining"] > 0)]
    if not needs.empty:
        parts = [
            f"{r['award']}{int(r['remaining'])}家（需每年{r['outlook']['pace_needed']:.1f}家）"
            for r in needs.to_dict("records")
        ]
        w.para(
            f"到{plan.end}年还需：" + "、".join(parts) + "。",
            [
                (
                    parts[0].split("（")[0],
                    f"镇街任务：{town}全期任务减截至{as_of}年已认定（剩{plan.end - as_of}年）",
                )
            ],
        )
    elif plan.end <= as_of:
        short = mine[mine["status"].isin(["far_behind", "behind"])]
        if not short.empty:
            w.para(
                "规划已到期，未完成的类别："
                + "、".join(
                    f"{r['award']}（{r['awarded']}/{r['quota_total']}家）"
                    for r in short.to_dict("records")
                )
                + "。"
            )


def _quota_table(mine: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    columns = ["类别", "全期任务", "截至当年应完成", "已认定", "完成率", "状态"]
    rows = [
        [
            r["award"],
            f"{r['quota_total']}家",
            f"{r['quota_due']}家",
            f"{r['awarded']}家",
            share(r["completion"], met=r["status"] == "met"),
            r["status_label"],
        ]
        for r in mine.to_dict("records")
    ]
    return columns, rows


def _town_applications(con, as_of, town: str, w: _Writer) -> None:
    pipeline = db.run_query(con, "application_pipeline", year=as_of, town=None)
    steps = [
        ("applied", "申报"),
        ("recommended", "镇街推荐"),
        ("passed_review", "通过初审"),
        ("recognised", "认定"),
    ]
    mine = pipeline[pipeline["town"] == town]
    source = f"三大工厂申报：{as_of}年各镇街企业的申报记录，按到达的环节计数（件）"
    counts = "，".join(f"{label}{int(mine[column].sum())}件" for column, label in steps)
    district = int(pipeline["applied"].sum())
    w.para(
        f"{as_of}年{town}企业三大工厂申报：{counts}（全区申报{district}件）。",
        [(counts.split("，")[0], source), (f"全区申报{district}件", source)],
    )


def _town_mu(con, config, as_of, town: str, w: _Writer) -> None:
    value, park_only = config.low_efficiency_line
    # as a viewer of this town reads it: another town's figures from too few firms are withheld
    by_town = db.run_query(
        con,
        "town_indicators",
        year=as_of,
        line=value,
        park_only=park_only,
        viewer_town=town,
        min_firms=SMALL_CELL_FIRMS,
    )
    district = db.run_query(con, "yearly_indicators", town=None).set_index("year")
    mine = by_town[by_town["town"] == town]
    if mine.empty or pd.isna(mine.iloc[0]["mu_tax_wan_per_mu"]):
        w.para(f"{as_of}年{town}没有参评的规上工业企业。")
        return
    row = mine.iloc[0]
    mu = number(row["mu_tax_wan_per_mu"], "万元/亩")
    source = f"亩均效益：{as_of}年{town}规上工业企业税收合计除以用地合计"
    text = f"{as_of}年{town}规上工业亩均税收{mu}"
    facts = [(f"亩均税收{mu}", source)]
    if as_of in district.index:
        whole = number(district.loc[as_of, "mu_tax_wan_per_mu"], "万元/亩")
        text += f"（全区{whole}）"
        facts.append((f"全区{whole}", f"亩均效益：{as_of}年全区规上工业企业税收合计除以用地合计"))
    text += "。"
    w.para(text, facts)
