"""The briefing deck: what goes on each slide (from the same queries and progress engine as the pages),
rendered as PPTX with native, restylable charts, and as PDF for reading on a phone.

Every slide carries a one-line conclusion written from its data, the data source and the as-of year.
"""

from __future__ import annotations

import datetime as dt
import html
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from plantrack.engine import progress, quotas
from plantrack.model.targets import Config
from plantrack.report import images
from plantrack.report.charts import GRADE_COLORS
from plantrack.report.formatting import number, share
from plantrack.store import db, derived
from plantrack.store.db import Connection

STATUS_ORDER = ["far_behind", "behind", "no_data", "on_pace", "met"]


@dataclass
class Series:
    name: str
    values: list[float]
    color: str | None = None


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


def build(
    con: Connection,
    config: Config,
    as_of: int,
    plan_ids: list[str] | None = None,
    town_names: list[str] | None = None,
) -> Briefing:
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
        slides.append(
            _scorecard(config, as_of, plan, [row for row in evaluated if row.plan == plan.id])
        )
    quota_plan = next((plan for plan in plans if plan.quotas), None)
    if quota_plan is not None:
        slides += _town_slides(con, config, as_of, quota_plan, town_names)
    slides.append(_grade_slide(con, config, as_of))
    slides.append(_low_efficiency_slide(con, config, as_of))
    return Briefing("定海区制造业规划进度汇报", as_of, demo, slides)


def _headline(evaluated, plans) -> str:
    rows = [row for row in evaluated if row.plan in {plan.id for plan in plans}]
    met = sum(row.status in ("met", "on_pace") for row in rows)
    far = sum(row.status == "far_behind" for row in rows)
    return f"{len(plans)}个规划共{len(rows)}项目标：达标或符合序时{met}项，严重滞后{far}项。"


def _scorecard(config, as_of, plan, rows) -> Slide:
    counts = {status: sum(row.status == status for row in rows) for status in STATUS_ORDER}
    ordered = sorted(
        rows,
        key=lambda row: (
            STATUS_ORDER.index(row.status),
            row.completion if row.completion is not None else 9,
        ),
    )
    shown = ordered[:10]
    labels = config.status.labels
    worst = next((row for row in ordered if row.status == "far_behind"), None)
    conclusion = f"共{len(rows)}项目标：" + "、".join(
        f"{labels[s]}{counts[s]}项" for s in reversed(STATUS_ORDER) if counts[s]
    )
    if worst is not None:
        conclusion += f"；最落后：{worst.label}{number(worst.actual, worst.unit)}/{number(worst.target, worst.unit)}"
    return Slide(
        title=f"{plan.short}：目标完成情况（截至{as_of}年）",
        subtitle=f"{plan.title}（{plan.doc_no or '无文号'}，{plan.start}—{plan.end}年）",
        conclusion=conclusion + "。",
        source="progress.evaluate · targets.toml",
        kind="table",
        columns=["目标", "目标值", "实际值", "完成率", "序时进度", "状态"],
        rows=[
            [
                f"{row.label}（{row.year}）",
                number(row.target, row.unit),
                number(row.actual, row.unit),
                share(row.completion),
                share(row.expected),
                row.status_label,
            ]
            for row in shown
        ],
        row_colors=[config.status.colors[row.status] for row in shown],
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
            Series("截至当年应完成", [float(v) for v in by_town["quota_due"]], "#9ecae1"),
            Series("已认定", [float(v) for v in by_town["awarded"]], "#1f5fa8"),
        ],
        unit="家",
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
                "认定数÷应完成数（%）",
                [round(float(v) * 100, 1) for v in standing["score"]],
                "#1f5fa8",
            )
        ],
        unit="%",
    )
    return [quota_slide, ranking_slide]


def _grade_slide(con, config, as_of) -> Slide:
    distribution = db.run_query(
        con, "grade_distribution", relations=derived.relations(con, config, ["grades"])
    )
    above = distribution[(distribution["grp"] == "规上") & (distribution["year"] <= as_of)]
    years = sorted(above["year"].unique())
    series = []
    for grade in ["A", "B", "C", "D"]:
        counts = above[above["grade"] == grade].set_index("year")["enterprise_count"]
        series.append(
            Series(
                f"{grade}类", [float(counts.get(year, 0)) for year in years], GRADE_COLORS[grade]
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
        unit="家",
    )


def _low_efficiency_slide(con, config, as_of) -> Slide:
    line = config.low_efficiency_lines[0] if config.low_efficiency_lines else None
    value = line.line if line else 5.0
    low = db.run_query(
        con,
        "low_efficiency_enterprises",
        year=as_of,
        line=value,
        park_only=bool(line and line.park_only),
    )
    shown = low.head(12)
    return Slide(
        title=f"低效企业清单（亩均税收低于{value:g}万元/亩，{as_of}年）",
        conclusion=f"{as_of}年亩均税收低于{value:g}万元/亩的企业共{len(low)}家"
        + (f"，其中最低的为{shown.iloc[0]['name']}。" if not shown.empty else "。"),
        source="queries/low_efficiency_enterprises.sql",
        kind="table",
        columns=["企业名称", "镇街", "行业", "用地面积", "税收实际贡献", "亩均税收"],
        rows=[
            [
                r["name"],
                r["town"],
                r["industry"],
                number(r["land_mu"], "亩"),
                number(r["tax_wan"], "万元"),
                number(r["mu_tax_wan_per_mu"], "万元/亩"),
            ]
            for r in shown.to_dict("records")
        ],
    )


# --- PPTX ------------------------------------------------------------------------------------------

EAST_ASIAN_FONT = "Microsoft YaHei"


def _font(
    run_or_font, size: float | None = None, bold: bool | None = None, color: str | None = None
) -> None:
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    font = getattr(run_or_font, "font", run_or_font)
    font.name = EAST_ASIAN_FONT
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if color:
        font.color.rgb = RGBColor.from_string(color.lstrip("#"))
    rpr = (
        font._element
        if font._element.tag.endswith("rPr") or font._element.tag.endswith("defRPr")
        else font._rPr
    )
    for tag in ("a:ea", "a:cs"):
        node = rpr.find(qn(tag))
        if node is None:
            node = rpr.makeelement(qn(tag), {})
            rpr.append(node)
        node.set("typeface", EAST_ASIAN_FONT)


def _text(slide, text, left, top, width, height, size, bold=False, color="#222222"):
    from pptx.util import Emu

    box = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    run = paragraph.add_run()
    run.text = text
    _font(run, size, bold, color)
    return box


def to_pptx(briefing: Briefing) -> bytes:
    import io

    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Emu, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(12192000), Emu(6858000)  # 16:9
    width, height = deck.slide_width, deck.slide_height
    blank = deck.slide_layouts[6]
    margin = int(width * 0.04)
    for spec in briefing.slides:
        slide = deck.slides.add_slide(blank)
        if spec.kind == "title":
            _text(
                slide,
                spec.title,
                margin,
                int(height * 0.28),
                width - 2 * margin,
                int(height * 0.15),
                40,
                True,
                "#1F3A68",
            )
            _text(
                slide,
                spec.subtitle,
                margin,
                int(height * 0.45),
                width - 2 * margin,
                int(height * 0.1),
                20,
                False,
                "#444444",
            )
            _text(
                slide,
                spec.conclusion,
                margin,
                int(height * 0.58),
                width - 2 * margin,
                int(height * 0.12),
                20,
                True,
                "#B22222",
            )
        else:
            _text(
                slide,
                spec.title,
                margin,
                int(height * 0.03),
                width - 2 * margin,
                int(height * 0.09),
                26,
                True,
                "#1F3A68",
            )
            _text(
                slide,
                "结论：" + spec.conclusion,
                margin,
                int(height * 0.12),
                width - 2 * margin,
                int(height * 0.09),
                16,
                True,
                "#B22222",
            )
            top, body_height = int(height * 0.22), int(height * 0.66)
            if spec.kind == "table":
                _table(slide, spec, margin, top, width - 2 * margin, body_height)
            else:
                data = CategoryChartData()
                data.categories = spec.categories
                for series in spec.series:
                    data.add_series(series.name, series.values)
                chart_type = {
                    "bar": XL_CHART_TYPE.COLUMN_CLUSTERED,
                    "stacked": XL_CHART_TYPE.COLUMN_STACKED,
                    "hbar": XL_CHART_TYPE.BAR_CLUSTERED,
                }[spec.kind]
                frame = slide.shapes.add_chart(
                    chart_type,
                    Emu(margin),
                    Emu(top),
                    Emu(width - 2 * margin),
                    Emu(body_height),
                    data,
                )
                chart = frame.chart
                chart.has_legend = len(spec.series) > 1
                if chart.has_legend:
                    chart.legend.position = XL_LEGEND_POSITION.TOP
                    chart.legend.include_in_layout = False
                _font(chart.font, 12)
                plot = chart.plots[0]
                plot.has_data_labels = True
                plot.data_labels.font.size = Pt(10)
                plot.data_labels.number_format = "0.0" if spec.unit == "%" else "0"
                plot.data_labels.number_format_is_linked = False
                if spec.kind == "hbar":
                    chart.category_axis.reverse_order = True
                chart.has_title = False
                for index, series in enumerate(spec.series):
                    color = series.color
                    if color:
                        fill = plot.series[index].format.fill
                        fill.solid()
                        fill.fore_color.rgb = RGBColor.from_string(color.lstrip("#"))
                chart.value_axis.has_title = True
                chart.value_axis.axis_title.text_frame.text = f"（{spec.unit}）"
                _font(chart.value_axis.axis_title.text_frame.paragraphs[0].runs[0], 11)
        _text(
            slide,
            briefing.footer(spec),
            margin,
            int(height * 0.92),
            width - 2 * margin,
            int(height * 0.06),
            10,
            False,
            "#666666",
        )
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _table(slide, spec: Slide, left, top, width, height) -> None:
    from pptx.dml.color import RGBColor
    from pptx.util import Emu

    rows = len(spec.rows) + 1
    shape = slide.shapes.add_table(
        rows, len(spec.columns), Emu(left), Emu(top), Emu(width), Emu(min(height, 420000 * rows))
    )
    table = shape.table
    first = int(width * 0.36)
    table.columns[0].width = Emu(first)
    for index in range(1, len(spec.columns)):
        table.columns[index].width = Emu(int((width - first) / (len(spec.columns) - 1)))
    for col, header in enumerate(spec.columns):
        cell = table.cell(0, col)
        cell.text = header
        _font(cell.text_frame.paragraphs[0].runs[0], 12, True, "#FFFFFF")
        cell.fill.solid()
        cell.fill.fore_color.rgb = RGBColor.from_string("1F3A68")
    for r, values in enumerate(spec.rows, start=1):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = str(value)
            _font(cell.text_frame.paragraphs[0].runs[0], 11)
            color = spec.row_colors[r - 1] if spec.row_colors else None
            if color and c == len(values) - 1:
                cell.fill.solid()
                cell.fill.fore_color.rgb = RGBColor.from_string(color.lstrip("#"))


# --- PDF (HTML printed by Chromium: searchable Chinese text, charts as SVG) ------------------------

PDF_FONT = "WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif"


def _figure(spec: Slide):
    import plotly.graph_objects as go

    from plantrack.report import charts  # noqa: F401 — importing registers the "plantrack" template

    fig = go.Figure()
    for series in spec.series:
        horizontal = spec.kind == "hbar"
        fig.add_bar(
            x=series.values if horizontal else spec.categories,
            y=spec.categories if horizontal else series.values,
            orientation="h" if horizontal else "v",
            name=series.name,
            marker_color=series.color,
            text=[f"{v:g}" for v in series.values],
            textposition="inside" if spec.kind == "stacked" else "outside",
        )
    fig.update_layout(template="plantrack", barmode="stack" if spec.kind == "stacked" else "group", font={"family": PDF_FONT},
                      margin={"l": 140 if spec.kind == "hbar" else 60, "r": 30, "t": 40, "b": 60})  # fmt: skip
    if spec.kind == "hbar":
        fig.update_yaxes(autorange="reversed")
    fig.update_yaxes(title_text=f"（{spec.unit}）") if spec.kind != "hbar" else fig.update_xaxes(
        title_text=f"（{spec.unit}）"
    )
    return fig


def to_html(briefing: Briefing) -> str:
    pages = []
    for spec in briefing.slides:
        if spec.kind == "title":
            body = (
                f"<h1 class='cover'>{html.escape(spec.title)}</h1><p class='sub'>{html.escape(spec.subtitle)}</p>"
                f"<p class='conclusion'>{html.escape(spec.conclusion)}</p>"
            )
        else:
            body = f"<h2>{html.escape(spec.title)}</h2><p class='conclusion'>结论：{html.escape(spec.conclusion)}</p>"
            if spec.kind == "table":
                head = "".join(f"<th>{html.escape(c)}</th>" for c in spec.columns)
                rows = []
                for index, values in enumerate(spec.rows):
                    color = spec.row_colors[index] if spec.row_colors else None
                    cells = "".join(
                        f"<td style='background:{color}'>{html.escape(str(v))}</td>"
                        if color and c == len(values) - 1
                        else f"<td>{html.escape(str(v))}</td>"
                        for c, v in enumerate(values)
                    )
                    rows.append(f"<tr>{cells}</tr>")
                body += (
                    f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
                )
            else:
                svg = images.render(_figure(spec), "svg", width=1100, height=470).decode("utf-8")
                body += f"<div class='chart'>{svg}</div>"
        body += f"<p class='footer'>{html.escape(briefing.footer(spec))}</p>"
        pages.append(f"<section class='page'>{body}</section>")
    style = f"""
    @page {{ size: 297mm 167mm; margin: 8mm 10mm; }}
    body {{ font-family: {PDF_FONT}; color: #222; margin: 0; }}
    .page {{ page-break-after: always; height: 146mm; position: relative; overflow: hidden; }}
    .page:last-child {{ page-break-after: auto; }}
    h1.cover {{ color: #1F3A68; font-size: 30pt; margin-top: 40mm; }}
    h2 {{ color: #1F3A68; font-size: 18pt; margin: 0 0 2mm 0; }}
    .sub {{ font-size: 14pt; color: #444; }}
    .conclusion {{ color: #B22222; font-weight: bold; font-size: 12pt; margin: 0 0 3mm 0; }}
    table {{ border-collapse: collapse; width: 100%; font-size: 9.5pt; }}
    th {{ background: #1F3A68; color: white; padding: 1.2mm; text-align: left; }}
    td {{ border-bottom: 1px solid #ddd; padding: 1mm 1.2mm; }}
    .chart svg {{ width: 100%; height: auto; }}
    .footer {{ position: absolute; bottom: 0; font-size: 8pt; color: #666; }}
    """
    return f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{html.escape(briefing.title)}</title><style>{style}</style></head><body>{''.join(pages)}</body></html>"


def to_pdf(briefing: Briefing) -> bytes:
    reason = images.problem()
    if reason:
        raise RuntimeError(reason)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "briefing.html"
        out = Path(folder) / "briefing.pdf"
        page.write_text(to_html(briefing), encoding="utf-8")
        command = [
            images.chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={folder}/profile", "--no-pdf-header-footer", f"--print-to-pdf={out}", page.as_uri(),
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if not out.exists():
            raise RuntimeError(f"Chromium 未能生成 PDF：{result.stderr[-500:]}")
        return out.read_bytes()
