"""Plans the bureau publishes, on the pages: the plan template's downloads, the admin's check → preview →
publish, the publications with undo (规划发布), and a plan's versions and history (规划详情)."""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from plantrack import settings
from plantrack.app import access, data, session, url_state, widgets
from plantrack.app.replay import drawn
from plantrack.engine import leadership, progress
from plantrack.ingest.plans import check, example, publish, template
from plantrack.model import plan_versions
from plantrack.model.reference import STATUSES
from plantrack.report import charts, excel, plan_tables, tables
from plantrack.report.formatting import plain

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook_button(label: str, data, file_name: str, key: str) -> None:
    """A workbook download (a plan template, an example or an exported plan), built when clicked."""
    st.download_button(
        label,
        data=data,
        file_name=file_name,
        mime=XLSX,
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


def template_download(prefix: str) -> None:
    """The blank plan template (its 说明 lists the catalogue's metrics, with what they mean)."""
    config = data.config()
    _workbook_button(
        "规划模板（新规划）",
        lambda: template.plan_bytes(None, config.metrics, config.district),
        "规划模板.xlsx",
        f"{prefix}_plan_template",
    )


def downloads(prefix: str) -> None:
    """Blank template, the example plan (both versions), and any plan exported for a revision."""
    config = data.config()
    histories = data.plan_histories()
    blank, examples, export = st.columns(3)
    with blank:
        template_download(prefix)
        st.caption("「说明」表列出可选的指标、单位与含义；封闭字段有下拉列表。")
    with examples:
        for index, path in enumerate(example.paths()):
            _workbook_button(
                "示例规划" + ("（2025年调整）" if index else ""),
                path.read_bytes,
                path.name,
                f"{prefix}_example_{index}",
            )
    with export:
        live = {
            plan_id: version
            for plan_id, versions in histories.items()
            if (version := plan_versions.in_force(versions)) is not None
        }
        chosen = st.selectbox(
            "导出已有规划（修改后作为调整上传）",
            list(live),
            format_func=lambda key: f"{live[key].plan.short}（第{live[key].version}版）",
            key=f"{prefix}_export_plan",
        )
        if chosen:
            catalogue = config.metrics
            _workbook_button(
                f"导出「{live[chosen].plan.short}」",
                lambda: template.plan_bytes(live[chosen], catalogue, config.district),
                excel.safe_filename(f"{live[chosen].plan.short}_第{live[chosen].version}版")
                + ".xlsx",
                f"{prefix}_export",
            )


def admin_gate(prefix: str) -> bool:
    """Whether the user may publish (数据员, 管理员); else the login, or why not."""
    role = session.current_role()
    if role is not None and role.may_import:
        return True
    if role is None:
        st.info("发布规划需要登录（角色：数据员、管理员）。", icon=":material/lock:")
        access.login_form(f"{prefix}_login")
    else:
        st.warning(f"当前账户（{role.name}）不能发布规划；需要角色：数据员、管理员。")
    return False


def _run(step, name: str, content: bytes, reason: str, **more):
    """Run check.check or publish.publish on the uploaded bytes, saved under a safe name."""
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", Path(name).name) or "规划.xlsx"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / safe
        path.write_bytes(content)
        return step(
            path,
            settings.db_path(),
            data.base_config(),
            reason=reason or None,
            original_name=Path(name).name,
            **more,
        )


def upload_and_publish(prefix: str) -> None:
    """Upload → 校验并预览 → 发布: the preview stays while neither the file nor the reason changes."""
    done = st.session_state.pop(f"{prefix}_done", None)
    if done:
        st.success(plain(done), icon=":material/check_circle:")
    uploaded = widgets.file_upload("上传填好的规划模板（.xlsx）", ["xlsx"], key=f"{prefix}_file")
    reason = st.text_area(
        "调整原因（调整已有规划时必填；填写后代替文件中的“调整原因”）",
        key=f"{prefix}_reason",
        height=80,
    )
    if uploaded is None:
        return
    content = uploaded.getvalue()
    token = hashlib.sha256(content + reason.encode()).hexdigest()
    if st.button("校验并预览", key=f"{prefix}_check"):
        st.session_state[f"{prefix}_checked"] = (
            token,
            _run(check.check, uploaded.name, content, reason),
        )
    state = st.session_state.get(f"{prefix}_checked")
    if state is None or state[0] != token:
        return
    result = state[1]
    show_check(result, prefix)
    if result.ok and st.button(
        f"发布为第{result.version.version}版", type="primary", key=f"{prefix}_publish"
    ):
        published = _run(
            publish.publish, uploaded.name, content, reason, published_by=session.actor()
        )
        if published.ok:
            access.audit(
                "发布规划",
                {
                    "文件": uploaded.name,
                    "规划": published.version.plan.id,
                    "版本": published.version.version,
                    "原因": reason,
                },
            )
            st.session_state.pop(f"{prefix}_checked", None)
            st.session_state[f"{prefix}_done"] = published.message
            st.rerun()
        show_check(published, f"{prefix}_again")


def show_check(result: check.Check, prefix: str) -> None:
    st.markdown(plain(result.heading()))
    if result.errors:
        st.error(
            f"{plain(result.reading.file_name)}：发现 {len(result.errors)} 个问题，未发布任何内容。"
            "请修改后重新上传。"
        )
        frame = tables.problems_frame(result.errors)
        st.dataframe(frame.fillna(""), hide_index=True, key=f"{prefix}_problems")
    if result.warnings:
        st.warning(f"{len(result.warnings)} 条提示（不妨碍发布）：", icon=":material/info:")
        frame = tables.problems_frame(result.warnings)
        st.dataframe(frame.fillna(""), hide_index=True, key=f"{prefix}_warnings")
    if result.errors or result.version is None:
        return
    if result.demo:
        st.info(
            "当前数据库是示例数据：在此发布的规划只随示例数据存在，导入真实数据（清空示例数据）后请重新发布。",
            icon=":material/science:",
        )
    if result.current is not None:
        st.subheader(
            f"与现行第{result.current.version}版相比：{plan_versions.summary(result.changes)}"
        )
        st.caption("调整原因：" + plain(result.version.reason))
        st.dataframe(
            plan_tables.changes_frame(result.changes), hide_index=True, key=f"{prefix}_changes"
        )
    if result.as_of is None:
        st.caption("数据库中还没有企业数据，无法预览完成情况。")
        return
    st.subheader(f"预览：按截至{result.as_of}年的数据")
    config = data.base_config()
    frame = progress.to_frame(result.preview)
    widgets.chart(
        charts.progress_bars,
        frame,
        config.status.labels,
        config.status.colors,
        f"「{result.version.plan.short}」各项目标完成率与序时进度（预览，截至{result.as_of}年）",
        key=f"{prefix}_preview_chart",
    )
    st.dataframe(
        plan_tables.preview_frame(
            result.preview, result.preview_current, result.current is not None
        ),
        hide_index=True,
        key=f"{prefix}_preview",
    )


def publications(prefix: str, admin: bool) -> None:
    """The plan publications in the ledger; the admin may undo a plan's latest."""
    st.subheader("规划发布记录")
    frame = plan_tables.publications_frame(data.query("ledger/import_ledger"))
    if frame.empty:
        st.caption("还没有发布过规划。")
        return
    st.dataframe(frame, hide_index=True, key=f"{prefix}_ledger")
    if not admin:
        return
    latest = {}
    for versions in data.plan_histories().values():
        live = plan_versions.active(versions)
        if live and not live[-1].seeded:
            latest[live[-1].import_id] = live[-1]
    if not latest:
        return
    chosen = st.selectbox(
        "撤销一次发布（该规划回到上一版本；只能撤销各规划最近的一次）",
        sorted(latest, reverse=True),
        format_func=lambda key: f"第{key}次：{latest[key].plan.short} 第{latest[key].version}版",
        key=f"{prefix}_undo_choice",
    )
    if st.button("撤销", key=f"{prefix}_undo"):
        try:
            message = publish.undo(chosen, settings.db_path(), data.base_config())
        except ValueError as exc:
            st.error(plain(str(exc)))
            return
        access.audit("撤销规划发布", {"导入序号": chosen})
        st.session_state[f"{prefix}_done"] = message
        st.rerun()


def version_caption(plan_id: str, as_of: int) -> None:
    """规划详情: which version the as-of year is evaluated on (and which is in force now)."""
    versions = data.plan_histories().get(plan_id, [])
    used, latest = plan_versions.in_force(versions, as_of), plan_versions.in_force(versions)
    if used is None:
        return
    text = f"版本：截至{as_of}年按{used.describe()}评价"
    if latest is not used:
        text += f"；现行为{latest.describe()}"
    st.caption(plain(text) + "（见页末“版本与调整记录”）")


def history(plan_id: str) -> None:
    """规划详情: the plan's versions, what each changed, when and why."""
    count, versions, changes = data.versioned(_history, plan_id)
    if not count:
        return
    with st.expander(f"版本与调整记录（共{count}版）", icon=":material/history:"):
        widgets.shown(versions, key="plan_detail_history")
        for version, heading, reason, frame in changes:
            st.markdown(heading)
            if reason:
                st.caption(reason)
            widgets.shown(frame, key=f"plan_detail_changes_{version}")


def _history(plan_id: str) -> tuple[int, pd.DataFrame, list[tuple[int, str, str, pd.DataFrame]]]:
    """(versions, their table, and each revision newest first as (version, heading, 调整原因, what
    it changed)): built once per data version, shared."""
    entries = plan_versions.timeline(data.plan_histories().get(plan_id, []))
    changes = [
        (
            entry.version.version,
            f"**第{entry.version.version}版**（{plain(entry.status)}）与第{entry.previous.version}版相比："
            + plain(plan_versions.summary(entry.changes)),
            "调整原因：" + plain(entry.version.reason) if entry.version.reason else "",
            plan_tables.changes_frame(entry.changes),
        )
        for entry in reversed(entries)
        if entry.previous is not None
    ]
    return len(entries), plan_tables.history_frame(entries), changes


def final_text(rows: pd.DataFrame) -> str:
    """An ended plan's 终期 in words, every shortfall (规划详情)."""
    return tables.final_result_text(leadership.final_targets(rows), leadership.final_result(rows))


def plans_shown(as_of: int) -> dict:
    """规划详情's plans, id → plan: the 本区 plans at `as_of` (in force first), then the peers'."""
    config = data.config()
    selection = data.own_plans(as_of)
    peers = [plan for plan in config.plans if plan.role == "peer"]
    return {plan.id: plan for plan in [*selection.plans, *peers]}


def plan_of(plan_id: str, as_of: int):
    return plans_shown(as_of)[plan_id]


@st.fragment
def targets_table(plan_id: str, as_of: int) -> None:
    """规划详情's status filter, the targets' bars and table, and their notes: a fragment, so that
    changing the filter reruns this part alone."""
    chosen = url_state.multiselect(
        "状态",
        STATUSES,
        param="status",
        key="plan_detail_status",
        default=STATUSES,
        format_func=data.config().status.labels.get,
    )
    chosen = tuple(chosen)
    drawn(_targets_bars, plan_id, chosen, as_of)
    drawn(_targets_table, plan_id, chosen, as_of)
    drawn(_targets_notes, plan_id, chosen, as_of)


def _targets_shown(plan_id: str, statuses: tuple, as_of: int) -> pd.DataFrame:
    return data.computed(of_status, data.progress_frame(as_of, plan_id=plan_id), list(statuses))


def _targets_bars(plan_id: str, statuses: tuple, as_of: int) -> None:
    config = data.config()
    widgets.chart(
        charts.progress_bars,
        _targets_shown(plan_id, statuses, as_of),
        config.status.labels,
        config.status.colors,
        f"{plan_of(plan_id, as_of).short}各项目标完成率与序时进度（截至{as_of}年）",
        key="plan_detail_bars",
    )


def _targets_table(plan_id: str, statuses: tuple, as_of: int) -> None:
    labels = data.config().status.labels
    plan = plan_of(plan_id, as_of)
    shown = _targets_shown(plan_id, statuses, as_of)
    widgets.table(
        data.computed(tables.progress_table, shown, labels),
        key="plan_detail_table",
        name=f"{plan.short}目标完成情况_{as_of}",
        notes={"规划": plan.title, "状态筛选": "、".join(labels[s] for s in statuses)},
        full=lambda: tables.progress_export(shown, labels),
        column_config={"能否完成": st.column_config.TextColumn(width="large")},
    )


def _targets_notes(plan_id: str, statuses: tuple, as_of: int) -> None:
    st.caption(
        "“说明”列是对规划原文的解读与口径差异；“数据来源”列写明每个数字由哪类导入数据计算，或来自哪项上报指标；"
        "计算规则见「口径说明」页。"
    )
    noted, notes = data.computed(notes_list, _targets_shown(plan_id, statuses, as_of))
    if noted:
        with st.expander(f"本规划 {noted} 项目标的口径说明", icon=":material/info:"):
            st.markdown(notes)


def target_names(rows: pd.DataFrame) -> dict[str, str]:
    """规划详情's target picker: each target's id → 名称（年度）."""
    return {row.target_id: f"{row.label}（{row.year}年）" for row in rows.itertuples()}


def of_status(rows: pd.DataFrame, statuses: list[str]) -> pd.DataFrame:
    return rows[rows["status"].isin(statuses)]


def notes_list(rows: pd.DataFrame) -> tuple[int, str]:
    """(how many targets have a note, the notes as one Markdown list)."""
    noted = rows[rows["note"].fillna("") != ""]
    return len(noted), "\n".join(
        f"- **{plain(row.label)}（{row.year}年）**：{plain(row.note)}" for row in noted.itertuples()
    )


def target_drill(plan, row, as_of: int) -> None:
    """规划详情 with one target chosen (?target=): its figures, then its towns — each a link to the town
    on 镇街任务, where its firms are (within the viewer's rights)."""
    from plantrack.model.reference import DISTRICT, THREE_FACTORIES, TOWN_NAMES

    config = data.config()
    one = row.to_frame().T
    text = tables.progress_table(one, config.status.labels).iloc[0]
    with st.container(border=True, key="plan_detail_target_box"):
        st.markdown(f"**{plain(row['label'])}（{row['year']}年）** · {plain(text['状态'])}")
        st.markdown(
            plain(
                f"目标 {text['目标值']} · 实际 {text['实际值']} · 完成率 {text['完成率']} · "
                f"序时进度 {text['序时进度']} · 还需 {text['还需']} · 需要的节奏 {text['需要的节奏']}"
                f"（目前 {text['目前节奏']}） · {text['预计到期']}"
            )
        )
        st.caption(plain(f"{text['口径']} · 数据来源：{text['数据来源']}"))
        target = next((t for t in plan.targets if t.id == row["target_id"]), None)
        awards = target.params.get("awards") if target and target.metric == "award_count" else None
        award = awards[0] if isinstance(awards, list) and len(awards) == 1 else None
        town_page = {"plan": plan.id} if plan.quotas else {}
        if plan.role == "peer":
            st.caption("对标规划只有该市的全市数，不分解到镇街。")
            return
        if plan.quotas and award in THREE_FACTORIES:
            cells = data.fulfilled(plan, as_of)
            cells = cells[(cells["award"] == award) & (cells["quota_total"] > 0)]
            st.markdown(f"**各镇街{award}任务**（附件5，截至{as_of}年，全区各镇街）")
            st.dataframe(
                tables.for_screen(data.computed(tables.town_award_table, cells)),
                hide_index=True,
                key="plan_detail_target_towns",
            )
            towns = list(cells.sort_values("sort_order")["town"])
        else:
            per_town = progress.targets_for(plan, config, TOWN_NAMES[0])
            if row["target_id"] not in {t.id for t in per_town} or plan.jurisdiction != DISTRICT:
                st.caption("该目标为全区数，不分解到镇街（口径说明 §6）。")
                return
            found = []
            for town in TOWN_NAMES:
                frame = data.progress_frame(as_of, plan_id=plan.id, town=town)
                found.append(frame[frame["target_id"] == row["target_id"]].assign(town=town))
            towns_rows = pd.concat(found, ignore_index=True)
            st.markdown(f"**各镇街**（截至{as_of}年，各镇街本身的数）")
            st.dataframe(
                tables.for_screen(
                    data.computed(tables.town_target_table, towns_rows, config.status.labels)
                ),
                hide_index=True,
                key="plan_detail_target_towns",
            )
            towns = TOWN_NAMES
        st.caption("点击镇街，看该镇街的任务、申报企业与低效企业：")
        columns = st.columns(4)
        for index, town in enumerate(towns):
            columns[index % 4].page_link(
                "pages/towns.py",
                label=plain(town),
                query_params={**town_page, "town": town, "year": str(as_of)},
                icon=":material/location_city:",
            )
