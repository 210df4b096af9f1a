"""企业月度数据 after the cell checks: 1—N月累计 turned into 当月 (with the months already stored), and the
checks a clerk expects of monthly figures — a 累计 never decreases (利润 may), a month already stored
with other figures is a conflict (not overwritten), and a finished year's twelve months against its
annual figure (a difference beyond ANNUAL_TOLERANCE_PCT is reported, not refused)."""

from __future__ import annotations

import pandas as pd

from plantrack.ingest.problems import Problem
from plantrack.model.kinds import MONTHLY, MONTHLY_FIGURES
from plantrack.model.quantities import QUANTITIES
from plantrack.store import db
from plantrack.store.db import Connection

ANNUAL_TOLERANCE_PCT = 1.0  # twelve months vs the annual figure (统计 revisions, rounding)
KEYS = ["credit_code", "year", "month"]
FIGURES = [field_name for field_name, *_ in MONTHLY_FIGURES]
NAMES = {field_name: QUANTITIES[field_name].label for field_name in FIGURES}
SIGNED = {field_name for field_name, *_, signed in MONTHLY_FIGURES if signed}
CUMULATIVE = {column.field: column for column in MONTHLY.columns if column.field.startswith("ytd_")}
CURRENT_OF = {cumulative: cumulative.removeprefix("ytd_") for cumulative in CUMULATIVE}


def _where(row) -> str:
    return f"{row.credit_code} {int(row.year)}年{int(row.month)}月"


def prepare(
    con: Connection | None, frame: pd.DataFrame, sheet: str
) -> tuple[pd.DataFrame, list[Problem], list[str]]:
    """The file's rows as enterprise_months rows (当月 figures), the problems that refuse the file, and
    notes for the report. `con`: the warehouse (None when it does not exist yet)."""
    problems: list[Problem] = []
    blank = [f for f in [*FIGURES, *CUMULATIVE] if f in frame.columns and frame[f].isna().all()]
    frame = frame.drop(columns=blank)  # a column left empty (the template has both layouts)
    present_current = [f for f in FIGURES if f in frame.columns]
    present_cumulative = [f for f in CUMULATIVE if f in frame.columns]
    both = [f for f in present_cumulative if CURRENT_OF[f] in present_current]
    for field_name in both:
        problems.append(
            Problem(
                sheet,
                None,
                CUMULATIVE[field_name].name,
                None,
                f"同一指标不能既有当月又有累计（{NAMES[CURRENT_OF[field_name]]}），请只保留一种",
            )
        )
    if not present_current and not present_cumulative:
        problems.append(
            Problem(
                sheet,
                None,
                None,
                None,
                "没有任何月度指标列（当月或1—N月累计的工业总产值、营业收入、利润总额、税收、用电量）",
            )
        )
    if problems:
        return frame, problems, []
    incoming = frame[["credit_code", "year"]].drop_duplicates()
    if con is not None:
        stored = db.run_query(con, "write/stored_months", relations={"incoming": incoming})
        annual = db.run_query(con, "write/annual_figures", relations={"incoming": incoming})
    else:
        stored = pd.DataFrame(columns=[*KEYS, *FIGURES])
        annual = pd.DataFrame(columns=["credit_code", "year", *FIGURES])
    rows = frame.drop(columns=["name"], errors="ignore").copy()
    rows["year"] = rows["year"].astype(int)
    rows["month"] = rows["month"].astype(int)
    for cumulative in present_cumulative:
        current, problem_list = _current_from_cumulative(rows, stored, cumulative, sheet)
        problems += problem_list
        rows[CURRENT_OF[cumulative]] = current
        rows = rows.drop(columns=[cumulative])
    if problems:
        return rows, problems, []
    problems += _conflicts(rows, stored, sheet)
    if problems:
        return rows, problems, []
    # only the figures the file has: the others keep what is stored
    rows = rows[[*KEYS, *(f for f in FIGURES if f in rows.columns)]]
    return rows, [], _annual_notes(rows, stored, annual)


def _current_from_cumulative(
    rows: pd.DataFrame, stored: pd.DataFrame, cumulative: str, sheet: str
) -> tuple[pd.Series, list[Problem]]:
    """当月 = this month's 累计 − last month's 累计; last month's from the file, else the stored months
    1..N−1 added up; January's 当月 is its 累计."""
    current = CURRENT_OF[cumulative]
    name = CUMULATIVE[cumulative].name
    in_file = rows[["credit_code", "year", "month", cumulative]].rename(columns={cumulative: "ytd"})
    stored_ytd = stored[["credit_code", "year", "month", current]].sort_values(KEYS).copy()
    stored_ytd["count"] = stored_ytd.groupby(["credit_code", "year"]).cumcount() + 1
    stored_ytd["ytd"] = stored_ytd.groupby(["credit_code", "year"])[current].cumsum()
    # a stored 累计 counts only where every month up to it is stored and filled
    stored_ytd = stored_ytd[(stored_ytd["count"] == stored_ytd["month"])]
    stored_ytd = stored_ytd[stored_ytd[current].notna()][KEYS + ["ytd"]]
    previous = in_file.assign(month=in_file["month"] + 1)
    merged = in_file.merge(
        previous.rename(columns={"ytd": "file_previous"}), on=KEYS, how="left"
    ).merge(
        stored_ytd.assign(month=stored_ytd["month"] + 1).rename(columns={"ytd": "stored_previous"}),
        on=KEYS,
        how="left",
    )
    merged.index = rows.index
    last = merged["file_previous"].combine_first(merged["stored_previous"])
    last = last.where(merged["month"] != 1, 0.0)
    values = merged["ytd"] - last
    problems = []

    def flag(row, reason: str) -> None:
        problems.append(Problem(sheet, None, name, _where(row), reason))

    for row in merged[merged["ytd"].notna() & last.isna()].itertuples():
        flag(
            row,
            f"缺少{int(row.year)}年1—{int(row.month) - 1}月累计，无法换算当月："
            "请在同一文件中一并报送上月累计，或先导入此前各月",
        )
    if current not in SIGNED:
        decreasing = merged[values < -1e-9]
        for row, before in zip(decreasing.itertuples(), last[values < -1e-9], strict=True):
            flag(row, f"累计值{row.ytd:g}小于上月累计{before:g}：累计不应减少，请核对")
    return values, problems


def _conflicts(rows: pd.DataFrame, stored: pd.DataFrame, sheet: str) -> list[Problem]:
    """A month already stored with other figures: refused, never overwritten in silence."""
    if stored.empty:
        return []
    both = rows.merge(stored, on=KEYS, how="inner", suffixes=("", "__stored"))
    problems = []
    for record in both.to_dict("records"):
        differ = []
        for field_name in FIGURES:
            if field_name not in rows.columns:
                continue
            new, old = record[field_name], record[field_name + "__stored"]
            if pd.isna(new) and pd.isna(old):
                continue
            if pd.isna(new) or pd.isna(old) or abs(new - old) > 1e-6 * max(1.0, abs(old)):
                differ.append(f"{NAMES[field_name]} 已有{_shown(old)}，本次{_shown(new)}")
        if differ:
            problems.append(
                Problem(
                    sheet,
                    None,
                    None,
                    f"{record['credit_code']} {record['year']}年{record['month']}月",
                    "该月已导入且数值不同（" + "；".join(differ) + "）：同一月份重复报送视为冲突，"
                    "请核对；如需更正，先撤销原导入再导入",
                )
            )
    return problems


def _shown(value) -> str:
    return "空" if pd.isna(value) else f"{value:g}"


def _annual_notes(rows: pd.DataFrame, stored: pd.DataFrame, annual: pd.DataFrame) -> list[str]:
    """Each finished year whose twelve months (this file's, with the stored ones) differ from its
    annual figure by more than ANNUAL_TOLERANCE_PCT: reported, per figure, with the first few firms."""
    if annual.empty:
        return []
    months = (
        rows.set_index(KEYS)
        .combine_first(stored[[*KEYS, *FIGURES]].set_index(KEYS))
        .reindex(columns=FIGURES)
        .reset_index()
    )
    full = months.groupby(["credit_code", "year"]).filter(lambda group: len(group) == 12)
    if full.empty:
        return []
    totals = full.groupby(["credit_code", "year"])[FIGURES].sum(min_count=12).reset_index()
    compared = totals.merge(annual, on=["credit_code", "year"], suffixes=("", "__annual"))
    notes = []
    for field_name in FIGURES:
        if field_name not in rows.columns or rows[field_name].isna().all():
            continue
        total, year_figure = compared[field_name], compared[field_name + "__annual"]
        gap = (total - year_figure).abs() / year_figure.abs().where(year_figure.abs() > 0)
        off = compared[(gap * 100 > ANNUAL_TOLERANCE_PCT).fillna(False)]
        if off.empty:
            continue
        listed = "、".join(
            f"{row.credit_code}（{int(row.year)}年：12个月合计{getattr(row, field_name):g}，"
            f"年度{getattr(row, field_name + '__annual'):g}）"
            for row in off.head(5).itertuples()
        )
        notes.append(
            f"{NAMES[field_name]}：{len(off)} 家企业全年12个月合计与年度数据相差超过"
            f"{ANNUAL_TOLERANCE_PCT:g}%（已导入，请核对）：{listed}"
            + ("等" if len(off) > 5 else "")
        )
    return notes
