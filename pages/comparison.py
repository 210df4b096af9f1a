"""规划对比: 定海's actual against its own targets and 慈溪's and 绍兴's on shared metrics. The chart and
table are drawn once per data version and choice, and replayed (plantrack.app.replay)."""

import streamlit as st

from plantrack.app import data, url_state, widgets
from plantrack.app.replay import drawn
from plantrack.engine import comparison
from plantrack.report import charts, tables
from plantrack.report.formatting import plain


def compared_chart(metric: str, as_of: int) -> None:
    """`metric`: 定海's actual and every plan's target on it, year by year."""
    config = data.config(as_of)
    definition = config.metrics[metric]
    yearly = data.up_to_as_of("yearly_indicators", town=None)
    reported = data.up_to_as_of("reported_indicators")
    widgets.chart(
        charts.comparison_lines,
        comparison.actual_series(config, metric, yearly, reported),
        comparison.targets_on(config, metric),
        definition.label,
        definition.unit,
        f"{definition.label}：定海与对标地区（截至{as_of}年）",
        key="comparison_chart",
    )


def compared_table(metric: str, as_of: int) -> None:
    """Each plan's target on `metric`, evaluated as on 规划详情."""
    config = data.config(as_of)
    definition = config.metrics[metric]
    rows = comparison.evaluated(comparison.targets_on(config, metric), data.progress_frame(as_of))
    st.caption(
        "各目标的实际值、完成率与状态与「规划详情」相同：按各自的评价年度（截至年度与目标年度中较早者）计算。"
    )
    widgets.table(
        tables.comparison_frame(rows),
        key="comparison_table",
        name=f"规划对比_{definition.label}_{as_of}",
        notes={"指标": definition.label, "口径": definition.description},
    )


def compared_source(metric: str, as_of: int) -> None:
    definition = data.config(as_of).metrics[metric]
    st.caption(
        f"口径：{plain(definition.description)}。来源：定海为企业年度数据计算，对标地区为该市上报的数据；"
        "目标取自各规划原文。"
    )


as_of = data.as_of_year()
config = data.config()
st.title("规划对比")
st.caption(
    "定海区实际值由企业数据计算；慈溪、绍兴的实际值为其上报数据。菱形为各规划在目标年的目标值。"
)
metrics = comparison.shared_metrics(config)
metric = url_state.selectbox(
    "指标",
    metrics,
    param="metric",
    key="comparison_metric",
    default=metrics[0],
    format_func=lambda m: config.metrics[m].label,
)
# each part ends at its chart or table, so its export stays under it (replay.later)
drawn(compared_chart, metric, as_of)
drawn(compared_table, metric, as_of)
drawn(compared_source, metric, as_of)
