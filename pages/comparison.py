"""规划对比: 定海's actual against its own targets and 慈溪's and 绍兴's on shared metrics."""

import streamlit as st

from plantrack import charts, comparison, tables, ui

as_of = ui.as_of_year()
config = ui.config()
st.title("规划对比")
st.caption(
    "定海区实际值由企业数据计算；慈溪、绍兴的实际值为其上报数据。菱形为各规划在目标年的目标值。"
)
yearly = ui.query("yearly_indicators", town=None)
yearly = yearly[yearly["year"] <= as_of]
reported = ui.query("reported_indicators")
reported = reported[reported["year"] <= as_of]
metrics = comparison.shared_metrics(config)
ui.url_choice("metric", "comparison_metric", metrics, metrics[0])
metric = st.selectbox(
    "指标", metrics, key="comparison_metric", format_func=lambda m: config.metrics[m].label
)
ui.remember("metric", "comparison_metric")
definition = config.metrics[metric]
targets = comparison.targets_on(config, metric)
actual = comparison.actual_series(config, metric, yearly, reported)
ui.chart(
    fig=charts.comparison_lines(
        actual,
        targets,
        definition.label,
        definition.unit,
        f"{definition.label}：定海与对标地区（截至{as_of}年）",
    ),
    key="comparison_chart",
)
latest = actual[actual["jurisdiction"] == config.district].dropna().tail(1)
ui.table(
    tables.comparison_frame(targets, latest, definition.unit),
    key="comparison_table",
    name=f"规划对比_{definition.label}_{as_of}",
    notes={"指标": definition.label, "口径": definition.description},
)
st.caption(
    f"口径：{definition.description}。查询：queries/yearly_indicators.sql、queries/reported_indicators.sql；目标见 targets.toml。"
)
