"""Reusable pieces of the pages: the 示例数据 banner, 数据口径提示, and charts and tables that come with
their downloads (PNG/SVG/PDF, Excel)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from plantrack.app import replay, session
from plantrack.app.data import (
    as_of_choices,
    as_of_month,
    as_of_year,
    computed,
    is_demo,
    loaded_config,
)
from plantrack.report.formatting import plain

SHOWN_ROWS = 2000  # a table on screen shows at most this many rows; its Excel download has them all


def sample_banner() -> None:
    if is_demo():
        st.warning(
            "**示例数据**：当前看板展示的是程序生成的模拟数据（企业、数值、荣誉均为虚构），"
            "仅用于演示，不代表定海区实际情况。导入局里的真实数据后，本提示消失。",
            icon=":material/science:",
        )


def quota_warnings(plan=None) -> None:
    """数据口径提示: where the plans disagree with themselves (shown, never fatal); with `plan`, only
    that plan's (a published one's too)."""
    warnings = loaded_config().problems.warnings
    if plan is not None:
        from plantrack.model.targets import Problems, check_quota_totals

        found = Problems()
        check_quota_totals(plan, found)
        warnings = found.warnings
    if len(warnings) == 1:
        st.info(f"**数据口径提示**：{plain(warnings[0])}", icon=":material/info:")
    elif warnings:  # one box, a line each
        lines = "\n".join(f"- {plain(warning)}" for warning in warnings)
        st.info(f"**数据口径提示**：\n{lines}", icon=":material/info:")


def xlsx_download(
    label: str,
    sheets: dict[str, pd.DataFrame | Callable[[], pd.DataFrame]],
    notes: dict[str, str],
    filename: str,
    key: str,
) -> None:
    """An Excel download built only when clicked (a big table would otherwise be written on every rerun).
    A sheet may be a function: the full result is then queried only for the download. Such a function
    runs after the page, in a worker thread without the session: it reads with the page's
    data.reader(), never data.query. The export is audited under the page's caller once it is built."""
    from plantrack.report import excel

    notes = {"数据": "示例数据（模拟）" if is_demo() else "区经信局导入数据", **notes}
    caller = session.caller()

    def workbook(detail: dict) -> bytes:
        frames = {name: sheet() if callable(sheet) else sheet for name, sheet in sheets.items()}
        detail["行数"] = sum(map(len, frames.values()))
        return excel.xlsx_bytes(frames, notes)

    def build() -> bytes:
        detail = {"文件": filename, **notes}
        try:
            return caller.export("导出 Excel", detail, lambda: workbook(detail))
        except Exception as exc:  # noqa: BLE001 — built after the click, where no message can show
            return excel.failure_bytes(f"生成该表时出错（{_reason(exc)}），请联系管理员")

    st.download_button(
        label,
        data=build,
        file_name=f"{excel.safe_filename(filename)}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


def _reason(exc: Exception) -> str:
    """An error for a user: our own refusals say why; anything else only names its kind (a message
    may carry a server path)."""
    if isinstance(exc, session.NotAllowed):
        return str(exc)
    return f"内部错误：{type(exc).__name__}"


def chart(build: Callable, *args, key: str, container=None, **kwargs) -> None:
    """A plotly chart, `build(*args, **kwargs)` (a function of plantrack.report.charts), with PNG/SVG/PDF
    downloads rendered on the server only when clicked; the file name is the chart's title (which says
    what and when), e.g. 镇街赛马排名（截至2024年）.png. In a part drawn once (plantrack.app.replay),
    the downloads' popover is made where the part ends."""
    from plantrack.report import excel

    fig = computed(build, *args, **kwargs)
    sent = _sendable(fig)
    filename = excel.safe_filename(html.unescape(sent.sent_title or key))
    (container or st).plotly_chart(
        sent,
        key=key,
        config={"toImageButtonOptions": {"filename": filename, "scale": 2}, "displaylogo": False},
    )
    replay.later(_image_export, fig, sent.sent_title or key, filename, key, container)


def _image_export(fig: go.Figure, title: str, filename: str, key: str, container=None) -> None:
    """导出图片: the download buttons are made only while the popover is open (opening it reruns the
    page): a page has up to six charts, and many visitors rarely export."""
    from plantrack.report import images
    from plantrack.report.charts import footer_line

    export = (container or st).popover(
        "导出图片", icon=":material/download:", key=f"{key}_export", on_change="rerun"
    )
    if not export.open:
        return
    reason = images.problem()
    footer = footer_line(as_of_year(), is_demo())  # read now: the download runs outside the page
    caller = session.caller()

    def image(fmt: str) -> bytes:
        detail = {"图表": title, "格式": fmt.upper()}
        return caller.export("导出图片", detail, lambda: images.render(fig, fmt, footer=footer))

    with export:
        st.caption(
            reason or "16:9 版式，PNG 为 3200×1800，可直接贴入汇报材料；图下方注明来源与截至年度"
        )
        for fmt in images.FORMATS:
            st.download_button(
                f"下载 {fmt.upper()}",
                data=lambda fmt=fmt: image(fmt),
                file_name=f"{filename}.{fmt}",
                mime=images.FORMATS[fmt],
                key=f"{key}_{fmt}",
                on_click="ignore",
                disabled=reason is not None,
                icon=":material/download:",
            )


class _Sent(go.Figure):
    """What st.plotly_chart is given for a shared figure: Streamlit asks a figure for its dict
    (`to_dict`, a deep copy that also encodes every array) on every run, and then only reads it.
    Here the dict is made once per figure and handed over each time."""

    def __init__(self, figure: go.Figure):
        super().__init__()
        self._spec = figure.to_dict()
        self._title = figure.layout.title.text

    def to_dict(self) -> dict:
        return self._spec

    @property
    def sent_title(self) -> str | None:
        return self._title


def _sendable(fig: go.Figure) -> _Sent:
    """`fig` as st.plotly_chart is given it, made once per shared figure (data.computed's result,
    never changed afterwards) and kept with it."""
    sent = fig.__dict__.get("_plantrack_sent")
    if sent is None:
        sent = fig._plantrack_sent = _Sent(fig)
    return sent


def table(
    frame: pd.DataFrame,
    key: str,
    name: str,
    notes: dict[str, str] | None = None,
    container=None,
    full: Callable[[], pd.DataFrame] | None = None,
    total: int | None = None,
    **kwargs,
) -> None:
    """A table with an Excel download beside it (numbers stay numbers; 说明 sheet with the filters).
    When `frame` is the first rows of `total`, `full` gives all of them for the download."""
    from contextlib import nullcontext

    with container if container is not None else nullcontext():
        if frame.empty and full is None:  # not Streamlit's own "empty" grid, nor an empty workbook
            st.caption("（无记录）")
            return
        shown(frame, key, **kwargs)
        if total is not None and total > len(frame):
            st.caption(f"表中显示前 {len(frame):,} 行（共 {total:,} 行）；完整结果请下载 Excel。")
        notes = {"截至年度": f"{as_of_year()}年", **(notes or {})}
        sheets = {name[:31]: full or frame}
        replay.later(xlsx_download, "下载 Excel", sheets, notes, name, f"{key}_xlsx")


def shown(frame: pd.DataFrame, key: str, **kwargs) -> None:
    """A table as read on screen (tables.for_screen), without a download: converted to Arrow once for
    the same rows and shared."""
    st.dataframe(computed(_arrow, frame), hide_index=True, key=key, **kwargs)


def _arrow(frame: pd.DataFrame):
    """The table as Streamlit sends it (its own pandas → Arrow conversion, with its fixes for mixed
    columns), converted once for the same rows and shared: many visitors see the same tables."""
    from streamlit import dataframe_util

    from plantrack.report.tables import for_screen

    screen = for_screen(frame.reset_index(drop=True))
    # a column of numbers with — for the missing ones: shown as text, as Streamlit would after a
    # failed first try (which also wrote a traceback to the server's console)
    screen = dataframe_util.fix_arrow_incompatible_column_types(screen)
    return dataframe_util.convert_pandas_df_to_arrow_table(screen)


def marked_download(name: str, data: bytes, problems: list) -> None:
    """数据导入: the user's own workbook back, each bad cell red with the problem in a comment (built
    when clicked)."""
    from pathlib import Path

    from plantrack.ingest import marked
    from plantrack.report import excel

    def build() -> bytes:
        try:
            built = marked.marked_workbook(name, data, problems)
        except Exception as exc:  # noqa: BLE001 — built after the click, where no message can show
            return excel.failure_bytes(f"生成标注工作簿时出错（{_reason(exc)}）")
        return (
            built if built is not None else excel.failure_bytes("文件无法读取，问题见页面上的列表")
        )

    st.download_button(
        "下载标注了问题的工作簿（问题单元格标红，批注写明原因）",
        data=build,
        file_name=f"{excel.safe_filename(Path(name).stem)}_问题标注.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="upload_marked",
        on_click="ignore",
        icon=":material/download:",
    )


def quota_outlook(fulfilled: pd.DataFrame, as_of: int, end: int) -> None:
    """镇街任务: what each town still needs, and whose remaining task the run-rate so far will not
    finish. Projections are labelled 预计 and never change a status."""
    from plantrack.engine import quotas
    from plantrack.report import tables

    if as_of >= end or fulfilled.empty:
        return
    need = fulfilled[fulfilled["remaining"].notna()].groupby("town", sort=False)["remaining"].sum()
    text = "；".join(f"{town} {int(n)} 家" for town, n in need.items() if n > 0) or "各镇街均已完成"
    st.markdown(f"**还需（剩余 {end - as_of} 年）**：{plain(text)}")
    risky = quotas.at_risk(fulfilled)
    if not risky.empty:
        st.markdown(f"**按目前节奏预计难以完成的任务格：{len(risky)} 个**")
        st.dataframe(
            pd.DataFrame(
                {
                    "镇街": risky["town"],
                    "类别": risky["award"],
                    **tables.quota_outlook_columns(risky),
                }
            ).drop(columns="能否完成"),  # all 难以完成: the heading says so
            hide_index=True,
            key="towns_at_risk",
        )
    st.caption(
        "预计按各镇街已过年份的年均认定数外推（口径说明 第 10 节），只是趋势，不改变完成状态。"
    )


class Upload(NamedTuple):
    name: str  # as the browser sent it, control characters (a NUL byte …) removed: for display only
    data: bytes

    def getvalue(self) -> bytes:
        return self.data


def file_upload(label: str, suffixes: list[str], key: str) -> Upload | None:
    """A file upload whose name is checked here, not by Streamlit: Streamlit refuses a file name
    holding a NUL byte before the page runs, on every run, which leaves a traceback in place of the
    page until a reload. The suffix is checked here too (the reader checks the content)."""
    uploaded = st.file_uploader(label, key=key)
    if uploaded is None:
        return None
    name = re.sub(r"[\x00-\x1f\x7f]", "", uploaded.name)
    if not any(name.lower().endswith(f".{suffix}") for suffix in suffixes):
        st.error(
            plain(
                f"「{name}」不是可以上传的文件类型；请选择 {'、'.join('.' + s for s in suffixes)} 文件。"
            ),
            icon=":material/block:",
        )
        return None
    return Upload(name, uploaded.getvalue())


def _small_cell_towns(frame: pd.DataFrame) -> list[str]:
    return frame.loc[frame["small_cell"].fillna(False).astype(bool), "town"].tolist()


def small_cells_note(frame: pd.DataFrame) -> None:
    """The towns whose figures are withheld from this viewer (by the town_indicators query), in words."""
    from plantrack.model.roles import SMALL_CELL_TEXT

    hidden = computed(_small_cell_towns, frame)
    if hidden:
        st.caption(plain(f"{'、'.join(hidden)}：{SMALL_CELL_TEXT}"))


# Shared page style (app.py, every page):
# - Streamlit has no setting for its widgets' own English words: the file uploader's button ("Upload")
#   and size line ("200MB per file • XLSX") are replaced in CSS by Chinese, found by Streamlit's own
#   data-testid attributes (a browser test checks they still match);
# - on a phone (≤ 640 px): no plotly mode bar, the page's own year picker shown (the sidebar is folded
#   away there); on a wider screen the year picker stays in the sidebar only.
PAGE_CSS = """
<style>
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] p::after {
  content: "选择文件"; font-size: 0.875rem;
}
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "拖放文件到此处，或点“选择文件”；单个文件不超过 200MB"; font-size: 0.875rem;
}
.st-key-phone_year { display: none; }
@media (max-width: 640px) {
  .st-key-phone_year { display: block; }
  .modebar-container { display: none !important; }
}
</style>
"""


def page_style() -> None:
    st.html(PAGE_CSS)


def page_top() -> None:
    """Above every page (app.py): the 示例数据 banner, what a month chosen means."""
    sample_banner()
    as_of_banner()


def as_of_label(choice: int | str) -> str:
    """A choice of the shared 截至 picker in words: 2025 → 2025年, "2026-10" → 2026年10月（月度）."""
    if isinstance(choice, str):
        return f"{choice[:4]}年{int(choice[5:])}月（月度）"
    return f"{choice}年"


def as_of_banner() -> None:
    """When a month is chosen in the shared 截至 picker: what each kind of figure on the page is as of."""
    month = as_of_month()
    if month is None:
        return
    year, last = as_of_year(), month[1]
    annual = f"年度数据截至{year}年" if year < month[0] else "尚无更早的年度数据"
    st.info(
        f"截至{month[0]}年{month[1]}月：{annual}，规划进度、评价档次与镇街任务按此计算；"
        f"{month[0]}年按1—{last}月的月度数据显示年内进度、累计同比与预警。",
        icon=":material/calendar_month:",
    )


def phone_layout() -> None:
    """The 截至 picker on top of the page, shown on a phone only (PAGE_CSS), bound to the sidebar's:
    choosing here changes it there, and the URL's ?year=."""
    years = as_of_choices()
    if not years:
        return

    def chosen() -> None:
        st.session_state["as_of_year"] = st.session_state["phone_year_choice"]

    st.session_state["phone_year_choice"] = st.session_state.get("as_of_year", years[0])
    with st.container(key="phone_year"):
        st.selectbox(
            "截至",
            years,
            key="phone_year_choice",
            format_func=as_of_label,
            on_change=chosen,
        )


def warning_list(frame: pd.DataFrame, as_of: int, key: str, shown: int = 6) -> None:
    """预警 (engine.leadership.warnings) as links: a target to its row on 规划详情, a town's quota cell to
    the town on 镇街任务; the first `shown`, the rest in an expander (session state `<key>_more`)."""

    if frame.empty:
        st.success(
            "本区在实施的规划中，没有严重滞后或预计难以完成的目标，也没有落后于序时进度的镇街任务。"
        )
        return
    items = computed(_warning_items, frame, as_of)
    for item in items[:shown]:
        _warning_item(*item)
    if len(items) > shown:
        replay.later(_more_warnings, items[shown:], key)


def _warning_item(page: str, params: dict, label: str, caption: str) -> None:
    st.page_link(page, label=label, query_params=params, icon=":material/warning:")
    st.caption(caption)


def _more_warnings(items: list, key: str) -> None:
    """The rest, drawn only once opened (opening reruns the page): every visitor reads the first few,
    and each item is two elements, the largest part of 总览's run when all were drawn."""
    more = st.expander(f"其余 {len(items)} 项预警", key=f"{key}_more", on_change="rerun")
    if more.open:
        with more:
            for item in items:
                _warning_item(*item)


def _warning_items(frame: pd.DataFrame, as_of: int) -> list[tuple[str, dict, str, str]]:
    """Each 预警 as (page, its query parameters, link label, caption), in words (tables.warning_table)."""
    from plantrack.report import tables

    text = tables.warning_table(frame)
    items = []
    for row, words in zip(frame.to_dict("records"), text.to_dict("records"), strict=True):
        if row["kind"] == "目标":
            page, params = "pages/plan_detail.py", {"plan": row["plan"], "target": row["target_id"]}
        else:
            page, params = "pages/towns.py", {"plan": row["plan"], "town": row["town"]}
        parts = [f"完成率/序时进度 {words['完成率/序时进度']}"]
        if words["需要的节奏"] == "—":  # due now: what it ends short by
            parts.append(words["还需"])
        else:
            parts += [
                f"还需 {words['还需']}",
                f"需要的节奏 {words['需要的节奏']}（目前 {words['目前节奏']}）",
                words["预计"],
            ]
        label = plain(f"{row['plan_short']} · {row['label']}：{words['状态']}")
        items.append((page, {**params, "year": str(as_of)}, label, plain(" · ".join(parts))))
    return items


def since_last_import(as_of: int) -> None:
    """自上次导入以来: statuses that moved, new 认定, firms that became 低效 or changed grade, in words,
    each a link to where to look (plantrack.engine.changes)."""
    from plantrack.app import data

    st.subheader("自上次导入以来")
    if is_demo():
        st.caption("示例数据由程序生成，没有导入记录；导入真实数据后，这里列出每次导入带来的变化。")
        return
    row, found = data.since_last_import(as_of)
    if row is None:
        st.caption("尚无数据导入。")
        return
    st.caption(
        plain(
            f"最近一次导入：{str(row['imported_at'])[:16]}，{row['imported_by'] or '—'}，"
            f"{row['file_name']}；以下为截至{as_of}年的变化（企业名单在您的权限内）。"
        )
    )
    if not found:
        st.markdown("该次导入没有改变本区在实施规划的目标状态、三大工厂认定、低效企业或评价档次。")
        return
    for change in found:
        st.page_link(
            change.page,
            label=plain(f"{change.kind}：{change.text}"),
            query_params={**change.params, "year": str(as_of)},
            icon=":material/update:",
        )
