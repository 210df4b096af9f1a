"""Plotly figures. Every figure uses the explicit `plantrack` template: Streamlit swaps plotly's default
template on import (exports then come out with black placeholder colours), and the CJK font must be
named for static export."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from plantrack.formatting import axis_title

FONT_FAMILY = "Noto Sans CJK SC, WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, sans-serif"
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
GRADE_COLORS = {"A": "#1a9850", "B": "#91cf60", "C": "#fdae61", "D": "#d73027", "不参评": "#bdbdbd"}

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT_FAMILY, "size": 14, "color": "#222"},
        title={"font": {"size": 18}, "x": 0.01, "xanchor": "left"},
        colorway=PALETTE,
        paper_bgcolor="white",
        plot_bgcolor="white",
        xaxis={"gridcolor": "#eee", "linecolor": "#999", "zeroline": False},
        yaxis={"gridcolor": "#eee", "linecolor": "#999", "zeroline": False},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        margin={"l": 60, "r": 20, "t": 70, "b": 50},
        hoverlabel={"font": {"family": FONT_FAMILY}},
    )
)
pio.templates["plantrack"] = TEMPLATE


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    fig.update_layout(template="plantrack", title=title, xaxis_title=x_title, yaxis_title=y_title)
    return fig


def yearly_line(frame: pd.DataFrame, column: str, label: str, unit: str, title: str) -> go.Figure:
    """One indicator over the years, the value written at each point."""
    fig = go.Figure(
        go.Scatter(
            x=frame["year"],
            y=frame[column],
            mode="lines+markers+text",
            text=[f"{value:,.2f}" for value in frame[column]],
            textposition="top center",
            name=label,
            hovertemplate=f"%{{x}}年<br>{label}：%{{y:,.2f}} {unit}<extra></extra>",
        )
    )
    fig.update_xaxes(dtick=1, tickformat="d")
    return _layout(fig, title, "年度", axis_title(label, unit))


def grade_bars(frame: pd.DataFrame, title: str) -> go.Figure:
    """Enterprises per grade by year, stacked; `frame` has year, grade, enterprise_count."""
    fig = go.Figure()
    for grade, color in GRADE_COLORS.items():
        part = frame[frame["grade"] == grade]
        if part.empty:
            continue
        fig.add_bar(
            x=part["year"],
            y=part["enterprise_count"],
            name=f"{grade}类" if grade != "不参评" else grade,
            marker_color=color,
            text=part["enterprise_count"],
            textposition="inside",
            hovertemplate=f"%{{x}}年 {grade}：%{{y}} 家<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(dtick=1, tickformat="d")
    return _layout(fig, title, "年度", "企业数（家）")


STATUS_ORDER = ["met", "on_pace", "behind", "far_behind", "no_data"]


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
    fig.update_layout(barmode="stack", height=120 + 48 * len(plans))
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, "目标数（项）", "")


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
        customdata=list(zip(shown["status"].map(labels), shown["basis"], strict=True)),
        text=[f"{v:.0f}%" if v == v else "—" for v in shown["completion_pct"]],
        textposition="outside",
        hovertemplate="%{y}<br>完成率 %{x:.0f}%<br>%{customdata[0]} · %{customdata[1]}<extra></extra>",
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
