"""企业画像: one enterprise's identity, indicators against medians, grades, honours and 三大工厂 eligibility."""

import pandas as pd
import streamlit as st

from plantrack.app import data, filters, widgets
from plantrack.engine import factories
from plantrack.report import charts, tables
from plantrack.report.formatting import plain

st.title("企业画像")
firm = filters.enterprise_picker("enterprise")
if firm is None:  # the picker said why: no enterprise matches the search, or none in the database
    st.stop()
code = firm["credit_code"]
identity = data.query("enterprise_identity", credit_code=code).iloc[0]
cols = st.columns(5)
cols[0].metric("所属镇街", identity["town"])
cols[1].metric("行业", identity["industry"])
cols[2].metric("园区企业", "是" if identity["in_park"] else "否")
founded, last = identity["founded_year"], firm["last_year"]
cols[3].metric("成立年份", f"{int(founded)}年" if pd.notna(founded) else "—")
cols[4].metric("最近数据年度", f"{int(last)}年" if pd.notna(last) else "—")

history = data.up_to_as_of("enterprise_history", credit_code=code)
widgets.chart(
    charts.enterprise_small_multiples,
    history,
    identity["name"],
    tables.history_indicators(data.config()),
    key="enterprise_indicators",
)
st.caption(
    "中位数为同行业全部企业、全区规上企业当年的中位数。来源："
    + tables.source_words(data.query("ledger/import_ledger"), data.is_demo(), ["enterprise_years"])
)


def firm_table(frame: pd.DataFrame, key: str, what: str, container=None) -> None:
    """A table of this firm's, its download named by the firm and what it lists."""
    name, notes = f"{identity['name']}{what}", {"企业": f"{identity['name']}（{code}）"}
    widgets.table(frame, key=key, name=name, notes=notes, container=container)


left, right = st.columns(2)
grades = data.up_to_as_of("enterprise_grades", credit_code=code)
left.markdown("**亩均评价档次**")
firm_table(tables.enterprise_grades_frame(grades), "enterprise_grades", "亩均评价档次", left)
awards = data.up_to_as_of("enterprise_awards", credit_code=code)
right.markdown("**荣誉**")
if awards.empty:
    right.caption("截至所选年度无荣誉记录。")
else:
    widgets.chart(
        charts.honours_timeline,
        awards,
        f"{identity['name']}获得荣誉",
        container=right,
        key="enterprise_honours",
    )

st.subheader("三大工厂资格（附件1）")
facts = data.up_to_as_of("factory_eligibility_facts", credit_code=code)
applications = data.query("enterprise_applications", credit_code=code)
if facts.empty:
    st.info("该企业在所选年度前不是规上工业企业，三大工厂只面向规上企业。")
else:
    latest = facts.iloc[-1]
    verdicts = factories.verdicts(latest, awards, applications)
    st.caption(
        f"按 {int(latest['year'])} 年数据判断（亩均档次、上年档次、亩均税收与行业平均、研发投入与全区平均），有申报的加上最近一次自评分。"
    )
    for column, (category, failing, source) in zip(st.columns(3), verdicts, strict=True):
        with column.container(border=True):
            if failing:
                st.markdown(f"**{category}**：:red[不符合]")
                for reason in failing:
                    st.markdown(f"- {plain(reason)}")
            else:
                st.markdown(f"**{category}**：:green[符合条件]")
            st.caption(source)
if not applications.empty:
    st.markdown("**申报记录**")
    frame = tables.enterprise_applications_frame(applications)
    firm_table(frame, "enterprise_applications", "三大工厂申报记录")
