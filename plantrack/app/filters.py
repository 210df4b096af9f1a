"""Filter bars shared by pages, each bound to the URL: the enterprise filters of 亩均评价, the 低效企业
line, and the enterprise picker of 企业画像. Each returns what the queries take and what the Excel
说明 sheet says about the choice."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from plantrack.app import data, url_state
from plantrack.model.reference import GRADES, INDUSTRIES, NOT_GRADED, TOWN_NAMES, grade_name
from plantrack.model.targets import Config
from plantrack.report.formatting import plain

SCALES = ["全部", "规上", "规下"]
PARKS = ["全部", "园区内", "园区外"]
CUSTOM_LINE = "自定义"


@dataclass(frozen=True)
class Chosen:
    params: dict  # the queries' $parameters
    notes: dict[str, str]  # for the Excel 说明 sheet


def enterprise_filters(prefix: str, years: list[int], default_year: int) -> Chosen:
    """Year, grades, towns, industries, scale, park and a search, in two rows."""
    grade_options = [*GRADES, NOT_GRADED]
    row1 = st.columns([1, 3, 2, 2])
    year = url_state.year(
        "年度", years, param="y", key=f"{prefix}_year", default=default_year, container=row1[0]
    )
    grades = url_state.multiselect(
        "档次",
        grade_options,
        param="grade",
        key=f"{prefix}_grades",
        default=grade_options,
        container=row1[1],
        format_func=grade_name,
        placeholder="请选择档次",
    )
    towns = url_state.any_of(
        "镇街", TOWN_NAMES, param="town", key=f"{prefix}_towns", container=row1[2]
    )
    industries = url_state.any_of(
        "行业", INDUSTRIES, param="industry", key=f"{prefix}_industries", container=row1[3]
    )
    row2 = st.columns([2, 2, 3])
    scale = url_state.segmented(
        "规模", SCALES, param="scale", key=f"{prefix}_scale", default="全部", container=row2[0]
    )
    park = url_state.segmented(
        "园区", PARKS, param="park", key=f"{prefix}_park", default="全部", container=row2[1]
    )
    search = url_state.text_input(
        "企业名称或统一社会信用代码",
        param="q",
        key=f"{prefix}_search",
        container=row2[2],
        placeholder="输入部分名称或代码",
    )
    params = {
        "year": year,
        "grades": grades or None,
        "towns": towns or None,
        "industries": industries or None,
        "grp": None if scale == "全部" else scale,
        "in_park": None if park == "全部" else park == "园区内",
        "search": search.strip() or None,
    }
    notes = {
        "年度": f"{year}年",
        "档次": "、".join(grades) or "（无）",
        "镇街": "、".join(towns) or "全部",
        "行业": "、".join(industries) or "全部",
        "规模": scale,
        "园区": park,
        "搜索": search or "（无）",
    }
    return Chosen(params, notes)


@dataclass(frozen=True)
class Line:
    line: float  # 万元/亩
    park_only: bool
    label: str

    @property
    def scope(self) -> str:
        """Where the firms listed are: 全区 or 园区内; a 镇街 user's list is of their own town."""
        town = data.viewer_town()
        return (town or "") + ("园区内" if self.park_only else ("" if town else "全区"))


def low_efficiency_line(config: Config, prefix: str, custom: bool = False) -> Line:
    """The 低效企业 line: one of the plans' lines (config.low_efficiency_lines), or, with `custom`, any value."""
    lines = {line.label: line for line in config.low_efficiency_lines}
    options = [*lines, CUSTOM_LINE] if custom else list(lines)
    left, right = st.columns([3, 1]) if custom else (st, None)
    label = url_state.selectbox(
        "低效企业标准（亩均税收低于）",
        options,
        param="line",
        key=f"{prefix}_line",
        default=next(iter(lines)),
        container=left,
    )
    if right is not None and label == CUSTOM_LINE:  # the value box only once 自定义 is chosen
        value = url_state.number_input(
            "自定义（万元/亩）",
            param="custom",
            key=f"{prefix}_custom_line",
            default=5.0,
            min_value=0.0,
            max_value=1000.0,
            step=0.5,
            container=right,
        )
        return Line(float(value), False, f"{value:g}万元/亩（自定义）")
    chosen = lines[label]
    return Line(chosen.line, chosen.park_only, label)


PICKER_ROWS = 1000  # a district lists every firm; a province narrows by search first


def enterprise_picker(prefix: str) -> pd.Series | None:
    """A search box and a list of matching firms (the first PICKER_ROWS by name); the chosen firm's
    row of queries/enterprise_list.sql, or None, having said why: nothing matches the search, or the
    database has no enterprise yet."""
    chosen = st.session_state.get(f"{prefix}_code") or st.query_params.get("code")
    left, right = st.columns([1, 2])
    search = url_state.text_input(
        "查找企业",
        param="q",
        key=f"{prefix}_search",
        container=left,
        placeholder="输入部分名称或统一社会信用代码",
    )
    firms = data.query(
        "enterprise_list", search=search.strip() or None, include=chosen, limit=PICKER_ROWS
    )
    if search.strip() and (firms.empty or int(firms["matches"].iloc[0]) == 0):
        st.info(
            f"没有名称或统一社会信用代码包含「{plain(search.strip())}」的企业，请换个关键词。",
            icon=":material/search_off:",
        )
    if firms.empty:
        if not search.strip():
            st.info("数据库中还没有企业。导入「企业年度数据」后可查看企业画像。")
        return None
    codes = list(firms["credit_code"])
    names = dict(zip(firms["credit_code"], firms["name"], strict=True))
    matches = int(firms["matches"].iloc[0])
    code = url_state.selectbox(
        f"企业（{matches:,} 家{'匹配' if search.strip() else ''}"
        + (f"，列出按名称排序的前 {PICKER_ROWS:,} 家" if matches > PICKER_ROWS else "")
        + "；可在框内输入筛选）",
        codes,
        param="code",
        key=f"{prefix}_code",
        default=codes[0],
        container=right,
        format_func=lambda c: f"{names[c]}（{c}）",
    )
    return firms[firms["credit_code"] == code].iloc[0]


SHOWN_GRADES = "显示档次（官方优先）"
COMPUTED_GRADES = "测算档次（同一办法）"


def _grade_sources(counts: pd.DataFrame, years: list[int]) -> dict[int, str]:
    """Where each year's shown grades come from: 测算, 官方, or both."""
    sources = {}
    for year in years:
        rows = counts[counts["year"] == year]
        computed = int(rows["computed_count"].sum())
        sources[year] = (
            "测算"
            if computed == int(rows["enterprise_count"].sum())
            else ("官方" if computed == 0 else "官方与测算")
        )
    return sources


def grade_basis(prefix: str, from_year: int, to_year: int, method: str) -> bool:
    """Which grades a 档次变化 compares: those shown (the bureau's where published, else computed) or
    the computed ones in both years (one method: like with like). When the two years' shown grades come
    from different sources the computed ones are the default; a caption says what is compared.
    Returns whether the computed grades are compared."""
    sources = data.computed(_grade_sources, data.query("grade_distribution"), [from_year, to_year])
    mixed = sources[from_year] != sources[to_year]
    choice = url_state.segmented(
        "比较口径",
        [COMPUTED_GRADES, SHOWN_GRADES],
        param="basis",
        key=f"{prefix}_grade_basis",
        default=COMPUTED_GRADES if mixed else SHOWN_GRADES,
    )
    if choice == COMPUTED_GRADES:
        note = f"两年均为按 {method} 测算的档次（同一办法比较）"
    else:
        note = f"{from_year}年为{sources[from_year]}档次、{to_year}年为{sources[to_year]}档次"
        if mixed:
            note += "：口径不同，变化可能来自评价办法不同，而非企业本身"
    st.caption(f"比较：{note}。")
    return choice == COMPUTED_GRADES
