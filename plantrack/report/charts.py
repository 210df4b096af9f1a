"""Plotly figures. Every figure uses the explicit `plantrack` template: Streamlit swaps plotly's default
template on import (exports then come out with black placeholder colours), and the CJK font must be
named for static export."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from plantrack.model.quantities import QUANTITIES, header
from plantrack.model.reference import (
    GRADES,
    NOT_GRADED,
    STATUS_ORDER,
    THREE_FACTORIES,
    grade_name,
)
from plantrack.model.roles import SMALL_CELL_TEXT
from plantrack.report.formatting import axis_title, bare, d3, share

FONT_FAMILY = "Noto Sans CJK SC, WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, sans-serif"
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
BOARD_COLORS = {
    "红榜": "#1a9850",
    "黑榜": "#d73027",
}  # the 赛马's top and bottom three; others #6b8fb5
GRADE_COLORS = {"A": "#1a9850", "B": "#91cf60", "C": "#fdae61", "D": "#d73027", "不参评": "#bdbdbd"}

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT_FAMILY, "size": 14, "color": "#222"},
        title={"font": {"size": 18}, "x": 0.01, "xanchor": "left"},
        colorway=PALETTE,
        paper_bgcolor="white",
        plot_bgcolor="white",
        # automargin: a long category label (a plan's name, a town's) widens the margin, never cut
        xaxis={"gridcolor": "#eee", "linecolor": "#999", "zeroline": False, "automargin": True},
        yaxis={"gridcolor": "#eee", "linecolor": "#999", "zeroline": False, "automargin": True},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        margin={"l": 60, "r": 20, "t": 70, "b": 50},
        hoverlabel={"font": {"family": FONT_FAMILY}},
    )
)
pio.templates["plantrack"] = TEMPLATE


TITLE_BAND_PX = 46  # from the top of an exported image to the legend: the title's line
LEGEND_ROW_PX = 26
FOOTER_PX = 30


def for_export(fig: go.Figure, footer: str, width: int, height: int) -> go.Figure:
    """A copy laid out for pasting into a briefing at `width` × `height` px: the title on the top line,
    the legend on its own rows below it (never over the title), room for every category label, and a
    footer line (来源, 截至, 示例数据) at the foot."""
    out = go.Figure(fig)
    title_size = 18
    names = [trace.name for trace in out.data if trace.name and trace.showlegend is not False]
    names = [name for name in names if name]
    shown = out.layout.showlegend
    legend = shown is not False and (len(names) > 1 or bool(shown and names))
    rows = 0
    if legend:
        space, row = width - 80, 0
        rows = 1
        for name in names:
            item = 40 + 15 * len(str(name))
            if row + item > space and row:
                rows, row = rows + 1, 0
            row += item
        out.update_layout(
            legend={
                "orientation": "h",
                "yref": "container",
                "yanchor": "top",
                "y": 1 - TITLE_BAND_PX / height,
                "xref": "container",
                "x": 0.01,
                "xanchor": "left",
            }
        )
    top = TITLE_BAND_PX + rows * LEGEND_ROW_PX + 10
    margin = out.layout.margin
    bottom = (margin.b if margin.b is not None else 50) + FOOTER_PX
    out.update_layout(
        title={
            "yref": "container",
            "y": 1 - 10 / height,
            "yanchor": "top",
            "font": {"size": title_size},
        },
        margin={"t": max(top, margin.t or 0), "b": bottom},
        height=height,
        width=width,
    )
    # the footer as a second legend pinned to the foot of the image (a legend can be placed by the
    # image's own coordinates, an annotation only by the plot's, which automargin moves)
    out.add_scatter(
        x=[None],
        y=[None],
        mode="markers",
        marker={"opacity": 0, "size": 1, "color": "rgba(0,0,0,0)"},
        name=_text(footer),
        legend="legend2",
        hoverinfo="skip",
        showlegend=True,
    )
    out.update_layout(
        legend2={
            "orientation": "h",
            "xref": "container",
            "x": 0,
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "itemwidth": 30,
            "font": {"size": 12, "color": "#555"},
        }
    )
    out.update_xaxes(automargin=True)
    out.update_yaxes(automargin=True)
    return out


def footer_line(as_of: int, demo: bool, source: str = "定海区制造业规划进度看板") -> str:
    """The line at the foot of an exported chart: 来源, 截至, and 示例数据 when it is."""
    return f"来源：{source} · 数据截至{as_of}年" + (
        " · 示例数据（模拟），不代表实际情况" if demo else ""
    )


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    fig.update_layout(
        template="plantrack", title=_text(title), xaxis_title=x_title, yaxis_title=y_title
    )
    return fig


def log_axis(column: str) -> str:
    """A catalogued quantity's axis on a log scale: `亩均税收（万元/亩，对数刻度）`."""
    entry = QUANTITIES[column]
    return f"{entry.label}（{entry.unit}，对数刻度）"


def _text(value: object) -> str:
    """Text shown in a chart as it is: plotly reads <…> and &…; in titles, names and hover labels as
    markup (a link, bold), so an enterprise's name must not carry any."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def yearly_line(frame: pd.DataFrame, column: str, label: str, unit: str, title: str) -> go.Figure:
    """One indicator over the years, the value written at each point."""
    fig = go.Figure(
        go.Scatter(
            x=frame["year"],
            y=frame[column],
            mode="lines+markers+text",
            text=[bare(value, unit) for value in frame[column]],
            textposition="top center",
            name=label,
            hovertemplate=f"%{{x}}年<br>{label}：%{{y:{d3(unit)}}} {unit}<extra></extra>",
        )
    )
    fig.update_xaxes(dtick=1, tickformat="d")
    return _layout(fig, title, "年度", axis_title(label, unit))


def _by_grade(frame: pd.DataFrame) -> Iterator[tuple[str, str, pd.DataFrame]]:
    """Each grade that has rows in `frame`, in the grades' order: (grade, its colour, its rows)."""
    for grade, color in GRADE_COLORS.items():
        part = frame[frame["grade"] == grade]
        if not part.empty:
            yield grade, color, part


def grade_bars(frame: pd.DataFrame, title: str) -> go.Figure:
    """Enterprises per grade by year, stacked; `frame` has year, grade, enterprise_count."""
    fig = go.Figure()
    for grade, color, part in _by_grade(frame):
        fig.add_bar(
            x=part["year"],
            y=part["enterprise_count"],
            name=grade_name(grade),
            marker_color=color,
            text=part["enterprise_count"],
            textposition="inside",
            hovertemplate=f"%{{x}}年 {grade}：%{{y}} 家<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(dtick=1, tickformat="d")
    return _layout(fig, title, "年度", header("enterprise_count"))


def status_counts(
    frame: pd.DataFrame, labels: dict[str, str], colors: dict[str, str], title: str
) -> go.Figure:
    """Targets per plan by status, stacked; `frame` has plan_short, status, count."""
    fig = go.Figure()
    plans = list(dict.fromkeys(frame["plan_short"]))
    for status in STATUS_ORDER:
        part = frame[frame["status"] == status].set_index("plan_short").reindex(plans)
        fig.add_bar(
            y=plans,
            x=part["count"].fillna(0),
            orientation="h",
            name=labels[status],
            marker_color=colors[status],
            text=[f"{int(v)}" if v else "" for v in part["count"].fillna(0)],
            textposition="inside",
            hovertemplate=f"%{{y}} {labels[status]}：%{{x}} 项<extra></extra>",
        )
    # the legend under the bars: above them it runs into the title on a phone
    fig.update_layout(
        barmode="stack",
        height=190 + 48 * len(plans),
        legend={"orientation": "h", "yanchor": "top", "y": -0.3, "x": 0},
        margin={"b": 90},
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, header("target_count"), "")


def progress_bars(
    frame: pd.DataFrame, labels: dict[str, str], colors: dict[str, str], title: str
) -> go.Figure:
    """完成率 bars coloured by status, with 序时进度 as a marker. `frame` is progress.to_frame()."""
    shown = frame.copy()
    shown["completion_pct"] = (shown["completion"].astype(float) * 100).clip(lower=0, upper=150)
    shown["expected_pct"] = shown["expected"].astype(float) * 100
    names = [
        f"{label}（{year}）" for label, year in zip(shown["label"], shown["year"], strict=True)
    ]
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=shown["completion_pct"].fillna(0),
        orientation="h",
        marker_color=[colors[status] for status in shown["status"]],
        name="完成率",
        customdata=list(
            zip(
                shown["status"].map(labels),
                shown["basis"],
                [
                    share(c, met=s == "met")
                    for c, s in zip(shown["completion"], shown["status"], strict=True)
                ],
                strict=True,
            )
        ),
        text=[
            share(c, met=s == "met")
            for c, s in zip(shown["completion"], shown["status"], strict=True)
        ],
        textposition="outside",
        hovertemplate="%{y}<br>完成率 %{customdata[2]}<br>%{customdata[0]} · %{customdata[1]}<extra></extra>",
    )
    fig.add_scatter(
        y=names,
        x=shown["expected_pct"],
        mode="markers",
        marker={"symbol": "line-ns", "size": 18, "line": {"width": 3, "color": "#333"}},
        name="序时进度",
        hovertemplate="%{y}<br>序时进度 %{x:.0f}%<extra></extra>",
    )
    fig.update_layout(height=140 + 30 * len(shown), bargap=0.35)
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(range=[0, 165], ticksuffix="%")
    return _layout(fig, title, "完成率（%，超过150%按150%显示）", "")


def quota_matrix(frame: pd.DataFrame, colors: dict[str, str], title: str) -> go.Figure:
    """Towns × award: recognised / quota due, coloured by status. `frame` is towns.fulfillment()."""
    towns = list(dict.fromkeys(frame.sort_values("sort_order")["town"]))
    awards = THREE_FACTORIES
    status_rank = {"far_behind": 0, "behind": 1, "on_pace": 2, "met": 3, "no_data": None}
    z, text, hover = [], [], []
    for town in towns:
        z_row, text_row, hover_row = [], [], []
        for award in awards:
            cell = frame[(frame["town"] == town) & (frame["award"] == award)]
            if cell.empty or cell["quota_total"].iloc[0] == 0:
                z_row.append(None)
                text_row.append("无任务")
                hover_row.append(f"{town} {award}：无任务")
                continue
            row = cell.iloc[0]
            z_row.append(status_rank[row["status"]])
            text_row.append(f"{row['awarded']}/{row['quota_due']}")  # short: whole on a phone
            hover_row.append(
                f"{town} {award}<br>认定 {row['awarded']} 家 · 应完成 {row['quota_due']} 家 · 三年任务 {row['quota_total']} 家"
                f"<br>{row['status_label']}"
            )
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    scale = [
        [0.0, colors["far_behind"]],
        [0.25, colors["far_behind"]],
        [0.25, colors["behind"]],
        [0.5, colors["behind"]],
        [0.5, colors["on_pace"]],
        [0.75, colors["on_pace"]],
        [0.75, colors["met"]],
        [1.0, colors["met"]],
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=awards,
            y=towns,
            text=text,
            customdata=hover,
            texttemplate="%{text}",
            textfont={"size": 14},
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=scale,
            zmin=0,
            zmax=3,
            showscale=False,
            xgap=3,
            ygap=3,
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(side="top")
    fig.update_layout(
        height=140 + 42 * len(towns), plot_bgcolor="#f0f0f0", margin={"l": 10, "r": 10, "t": 90}
    )
    return _layout(fig, title, "", "")


def town_ranking(frame: pd.DataFrame, title: str) -> go.Figure:
    """赛马: towns by recognised ÷ quota due; 红榜 green, 黑榜 red, rank change in the label."""
    colors = [BOARD_COLORS.get(board, "#6b8fb5") for board in frame["board"]]

    def change(value) -> str:
        if pd.isna(value):
            return "新"
        return f"↑{int(value)}" if value > 0 else f"↓{-int(value)}" if value < 0 else "—"

    labels = [f"第{r}名 {t}" for r, t in zip(frame["rank"], frame["town"], strict=True)]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=frame["score"] * 100,
            orientation="h",
            marker_color=colors,
            text=[
                f"{share(s)}（{a}/{q}） {change(c)}"
                for s, a, q, c in zip(
                    frame["score"],
                    frame["awarded"],
                    frame["quota_due"],
                    frame["rank_change"],
                    strict=True,
                )
            ],
            textposition="outside",
            cliponaxis=False,  # the label of the longest bar is drawn past the axis, not cut
            hovertemplate="%{y}<br>完成 %{x:.0f}%<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(range=[0, max(150, float(frame["score"].max() * 100) * 1.15)], ticksuffix="%")
    fig.update_layout(height=140 + 34 * len(frame), showlegend=False)
    fig.update_layout(margin={"r": 150})
    return _layout(fig, title, header("quota_fulfilment_pct"), "")


def pipeline_bars(frame: pd.DataFrame, title: str) -> go.Figure:
    """申报 → 推荐 → 初审 → 认定 per town (all categories summed), in applications (件): one
    enterprise may apply for more than one category."""
    steps = [
        ("applied", "申报"),
        ("recommended", "镇街推荐"),
        ("passed_review", "通过初审"),
        ("recognised", "认定"),
    ]
    by_town = frame.groupby(["sort_order", "town"])[[step for step, _ in steps]].sum().reset_index()
    fig = go.Figure()
    for (column, label), color in zip(
        steps, ["#c6dbef", "#6baed6", "#2171b5", "#08306b"], strict=True
    ):
        fig.add_bar(
            x=by_town["town"],
            y=by_town[column],
            name=label,
            marker_color=color,
            text=by_town[column],
            textposition="outside",
            hovertemplate=f"%{{x}} {label}：%{{y}} 件<extra></extra>",
        )
    fig.update_layout(barmode="group")
    fig.update_xaxes(tickangle=-30)
    return _layout(fig, title, "", header("applied"))


def town_bars(
    frame: pd.DataFrame,
    column: str,
    label: str,
    unit: str,
    title: str,
    reference: float | None = None,
) -> go.Figure:
    """One value per town, with an optional reference line (the district, or a plan's line). A town
    whose figure is withheld (`small_cell`: built from too few firms, queries/town_indicators.sql)
    says so where its bar would be."""
    hidden = (
        frame["small_cell"].fillna(False).astype(bool)
        if "small_cell" in frame.columns
        else pd.Series(False, index=frame.index)
    )
    shown = [
        SMALL_CELL_TEXT if h else f"{bare(v, unit)} {unit}"
        for v, h in zip(frame[column], hidden, strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=frame["town"],
            y=frame[column].where(~hidden, 0),
            marker_color="#4575b4",
            text=[
                SMALL_CELL_TEXT if h else bare(v, unit)
                for v, h in zip(frame[column], hidden, strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            customdata=shown,
            hovertemplate=f"%{{x}}<br>{label}：%{{customdata}}<extra></extra>",
        )
    )
    if reference is not None:
        fig.add_hline(
            y=reference,
            line_dash="dash",
            line_color="#d73027",
            annotation_text=f"全区 {bare(reference, unit)}",
        )
    fig.update_xaxes(tickangle=-30)
    return _layout(fig, title, "", axis_title(label, unit))


def grade_share_bars(frame: pd.DataFrame, by: str, title: str) -> go.Figure:
    """Enterprises per grade within each town or industry (horizontal, stacked). `frame`: by, grade, and
    enterprise_count (one row per group, as queries/evaluation_summary.sql gives) or one row per firm."""
    if "enterprise_count" in frame.columns:
        counts = (
            frame.groupby([by, "grade"])["enterprise_count"].sum().rename("count").reset_index()
        )
    else:
        counts = frame.groupby([by, "grade"]).size().rename("count").reset_index()
    order = counts.groupby(by)["count"].sum().sort_values(ascending=True).index.tolist()
    fig = go.Figure()
    for grade, color in GRADE_COLORS.items():
        part = counts[counts["grade"] == grade].set_index(by).reindex(order)
        fig.add_bar(
            y=order,
            x=part["count"].fillna(0),
            orientation="h",
            name=grade_name(grade),
            marker_color=color,
            hovertemplate=f"%{{y}} {grade}：%{{x}} 家<extra></extra>",
        )
    fig.update_layout(barmode="stack", height=140 + 28 * len(order))
    fig.update_yaxes(automargin=True)
    return _layout(fig, title, header("enterprise_count"), "")


def mu_scatter(frame: pd.DataFrame, title: str) -> go.Figure:
    """亩均税收 against 亩均增加值, one dot per enterprise, coloured by grade (log axes: heavy tails)."""
    fig = go.Figure()
    shown = frame[(frame["mu_tax_wan_per_mu"] > 0) & (frame["mu_value_added_wan_per_mu"] > 0)]
    for grade, color, part in _by_grade(shown):
        fig.add_scatter(
            x=part["mu_value_added_wan_per_mu"],
            y=part["mu_tax_wan_per_mu"],
            mode="markers",
            name=grade_name(grade),
            marker={
                "color": color,
                "size": 8,
                "opacity": 0.8,
                "line": {"width": 0.5, "color": "#555"},
            },
            customdata=[
                [_text(value) for value in row]
                for row in zip(part["name"], part["town"], part["industry"], strict=True)
            ],
            hovertemplate="%{customdata[0]}<br>%{customdata[1]} · %{customdata[2]}"
            "<br>亩均增加值 %{x:,.1f} 万元/亩<br>亩均税收 %{y:,.2f} 万元/亩<extra></extra>",
        )
    fig.update_xaxes(type="log", dtick="D2")
    fig.update_yaxes(type="log", dtick="D2")
    return _layout(fig, title, log_axis("mu_value_added_wan_per_mu"), log_axis("mu_tax_wan_per_mu"))


def transition_matrix(
    frame: pd.DataFrame, from_year: int, to_year: int, scope: str = ""
) -> go.Figure:
    """How many enterprises went from each grade to each grade. `frame`: from_grade, to_grade and
    enterprise_count (queries/grade_transition_matrix.sql), or one row per firm."""
    grades = [*GRADES, NOT_GRADED]
    if "enterprise_count" in frame.columns:
        counts = frame.groupby(["from_grade", "to_grade"])["enterprise_count"].sum()
    else:
        counts = frame.groupby(["from_grade", "to_grade"]).size()
    z = [[int(counts.get((a, b), 0)) for b in grades] for a in grades]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[f"{g}（{to_year}）" for g in grades],
            y=[f"{g}（{from_year}）" for g in grades],
            text=z,
            texttemplate="%{text}",
            colorscale="Blues",
            showscale=False,
            hovertemplate="%{y} → %{x}：%{z} 家<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(height=380)
    return _layout(
        fig,
        f"{scope}亩均评价档次变化（{from_year}→{to_year}年，家）",
        f"{to_year}年档次",
        f"{from_year}年档次",
    )


def enterprise_small_multiples(
    frame: pd.DataFrame, name: str, indicators: list[tuple[str, str, str]]
) -> go.Figure:
    """One panel per indicator: the enterprise against its industry's and the district's medians."""
    from plotly.subplots import make_subplots

    columns = 3
    rows = (len(indicators) + columns - 1) // columns
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=[f"{label}（{unit}）" for _, label, unit in indicators],
        vertical_spacing=0.16,
    )
    styles = [
        ("value", _text(name), "#1f5fa8", "solid"),
        ("industry_median", "行业中位数", "#ff7f0e", "dash"),
        ("district_median", "全区规上中位数", "#7f7f7f", "dot"),
    ]
    for index, (indicator, label, unit) in enumerate(indicators):
        part = frame[frame["indicator"] == indicator]
        for column, series_name, color, dash in styles:
            fig.add_scatter(
                x=part["year"],
                y=part[column],
                mode="lines+markers",
                name=series_name,
                legendgroup=series_name,
                showlegend=index == 0,
                line={"color": color, "dash": dash},
                hovertemplate=f"%{{x}}年 %{{fullData.name}}<br>{label} %{{y:,.2f}} {unit}<extra></extra>",
                row=index // columns + 1,
                col=index % columns + 1,
            )
    fig.update_xaxes(dtick=1, tickformat="d")
    _layout(fig, f"{name}主要指标与行业、全区对比", "", "")
    fig.update_layout(
        height=300 * rows + 120,
        margin={"t": 90, "b": 70},
        legend={"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0},
    )
    return fig


def honours_timeline(frame: pd.DataFrame, title: str) -> go.Figure:
    """Honours by year: one row per honour, a marker per year awarded."""
    fig = go.Figure(
        go.Scatter(
            x=frame["year"],
            y=frame["award"],
            mode="markers+text",
            text=frame["level"],
            textposition="top center",
            marker={"size": 16, "color": "#1f5fa8", "symbol": "star"},
            hovertemplate="%{x}年 %{y}（%{text}）<extra></extra>",
        )
    )
    fig.update_xaxes(dtick=1, tickformat="d")
    fig.update_layout(height=160 + 40 * frame["award"].nunique(), showlegend=False)
    return _layout(fig, title, "年度", "")


def comparison_lines(
    actual: pd.DataFrame, targets: pd.DataFrame, label: str, unit: str, title: str
) -> go.Figure:
    """Actual by jurisdiction (lines) and each plan's target (diamonds at its target year)."""
    colors = {"定海区": "#1f5fa8", "慈溪市": "#2ca02c", "绍兴市": "#9467bd"}
    fig = go.Figure()
    for jurisdiction, part in actual.groupby("jurisdiction", sort=False):
        fig.add_scatter(
            x=part["year"],
            y=part["value"],
            mode="lines+markers",
            name=f"{jurisdiction}实际" + ("" if jurisdiction == "定海区" else "（上报）"),
            line={
                "color": colors.get(jurisdiction, "#7f7f7f"),
                "dash": "solid" if jurisdiction == "定海区" else "dash",
            },
            hovertemplate=f"%{{x}}年 {jurisdiction}<br>{label} %{{y:,.2f}} {unit}<extra></extra>",
        )
    for row in targets.itertuples():
        if row.direction not in ("at_least", "at_most"):
            continue
        fig.add_scatter(
            x=[row.year],
            y=[row.target],
            mode="markers+text",
            marker={
                "symbol": "diamond",
                "size": 14,
                "color": colors.get(row.jurisdiction, "#7f7f7f"),
            },
            text=[f"{row.plan}目标 {row.target:g}"],
            textposition="middle right",
            name=f"{row.plan}目标（{row.period}）",
            hovertemplate=f"{row.plan}（{row.period}）<br>{row.year}年目标 {row.target:g} {unit}<br>{row.clause}<extra></extra>",
        )
    years = list(actual["year"]) + list(targets["year"])
    if years:
        fig.update_xaxes(range=[min(years) - 0.5, max(years) + 1.2])
    fig.update_xaxes(dtick=1, tickformat="d")
    # the legend (two series and a target per plan: two rows or more) under the axis: above the plot
    # its rows ran into the title
    fig.update_layout(
        legend={"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0}, margin={"b": 110}
    )
    return _layout(fig, title, "年度", axis_title(label, unit))
