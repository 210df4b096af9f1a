"""企业画像: one enterprise's identity, indicators against medians, grades, honours and 三大工厂 eligibility.
All but the picker is drawn once per data version, viewer and firm, and replayed (plantrack.app.replay)."""

import pandas as pd
import streamlit as st

from plantrack.app import data, filters, widgets
from plantrack.app.replay import drawn
from plantrack.engine import factories
from plantrack.report import charts, tables
from plantrack.report.formatting import plain


def _name(code: str) -> str:
    return data.query("enterprise_identity", credit_code=code).iloc[0]["name"]


def _firm_table(frame: pd.DataFrame, code: str, key: str, what: str) -> None:
    """A table of the firm's, its download named by the firm and what it lists."""
    name = _name(code)
    widgets.table(frame, key=key, name=f"{name}{what}", notes={"企业": f"{name}（{code}）"})


def identity_and_history(code: str, last: int | None, as_of: int) -> None:
    """Who the firm is, and its indicators year by year against the medians."""
    identity = data.query("enterprise_identity", credit_code=code).iloc[0]
    cols = st.columns(5)
    cols[0].metric("所属镇街", identity["town"])
    cols[1].metric("行业", identity["industry"])
    cols[2].metric("园区企业", "是" if identity["in_park"] else "否")
    founded = identity["founded_year"]
    cols[3].metric("成立年份", f"{int(founded)}年" if pd.notna(founded) else "—")
    cols[4].metric("最近数据年度", f"{last}年" if last is not None else "—")
    widgets.chart(
        charts.enterprise_small_multiples,
        data.up_to_as_of("enterprise_history", credit_code=code),
        identity["name"],
        tables.history_indicators(data.config(as_of)),
        key="enterprise_indicators",
    )


def history_source() -> None:
    st.caption(
        "中位数为同行业全部企业、全区规上企业当年的中位数。来源："
        + tables.source_words(
            data.query("ledger/import_ledger"), data.is_demo(), ["enterprise_years"]
        )
    )


def grades(code: str, as_of: int) -> None:
    st.markdown("**亩均评价档次**")
    frame = tables.enterprise_grades_frame(data.up_to_as_of("enterprise_grades", credit_code=code))
    _firm_table(frame, code, "enterprise_grades", "亩均评价档次")


def honours(code: str, as_of: int) -> None:
    st.markdown("**荣誉**")
    awards = data.up_to_as_of("enterprise_awards", credit_code=code)
    if awards.empty:
        st.caption("截至所选年度无荣誉记录。")
        return
    widgets.chart(
        charts.honours_timeline, awards, f"{_name(code)}获得荣誉", key="enterprise_honours"
    )


def eligibility(code: str, as_of: int) -> None:
    """三大工厂 eligibility by the latest year's facts, and the firm's applications."""
    st.subheader("三大工厂资格（附件1）")
    facts = data.up_to_as_of("factory_eligibility_facts", credit_code=code)
    awards = data.up_to_as_of("enterprise_awards", credit_code=code)
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
        _firm_table(frame, code, "enterprise_applications", "三大工厂申报记录")


st.title("企业画像")
firm = filters.enterprise_picker("enterprise")
if firm is None:  # the picker said why: no enterprise matches the search, or none in the database
    st.stop()
code, as_of = firm["credit_code"], data.as_of_year()
last = None if pd.isna(firm["last_year"]) else int(firm["last_year"])
# each part ends at its chart or table, so its export stays under it (replay.later)
drawn(identity_and_history, code, last, as_of)
drawn(history_source)
left, right = st.columns(2)
with left:
    drawn(grades, code, as_of)
with right:
    drawn(honours, code, as_of)
drawn(eligibility, code, as_of)
