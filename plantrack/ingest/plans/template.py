"""The plan template (xlsx): blank, or filled with a plan version for the bureau to revise. Sheets 规划,
目标, 镇街任务, 新增指标 and 说明 (the catalogue's metrics, with units and meaning); drop-down lists on
the closed fields. The fields are defined once, in plantrack.model.plan_sheets."""

from __future__ import annotations

import io

from plantrack.model import plan_sheets as sheets
from plantrack.model.plan_sheets import (
    AGGREGATE_LABELS,
    FIRST_YEAR,
    LAST_YEAR,
    NATURE_LABELS,
    NEW,
    REVISE,
    ROLE_LABELS,
    SAMPLE_LABEL,
    TOTAL_ROW,
)
from plantrack.model.plan_versions import PlanVersion, params_text
from plantrack.model.targets import DIRECTION_LABELS, Metric, query_parameters
from plantrack.report.excel import safe_workbook

ROWS_WITH_LISTS = 1000  # drop-down lists and number checks reach this far down each sheet
Content = dict[str, list[list]]  # sheet → rows (header first), as the reader sees them


def content(version: PlanVersion | None, district: str) -> Content:
    """The cells of the template: blank (a new plan), or a version to revise (操作 = 调整已有规划)."""
    plan = version.plan if version else None
    values: dict[str, object] = {
        "action": NEW,
        "jurisdiction": district,
        "role": ROLE_LABELS["own"],
    }
    if plan is not None:
        values = {
            "action": REVISE,
            "id": plan.id,
            "title": plan.title,
            "short": plan.short,
            "doc_no": plan.doc_no,
            "issuer": plan.issuer,
            "start": plan.start,
            "end": plan.end,
            "jurisdiction": plan.jurisdiction,
            "role": SAMPLE_LABEL if plan.sample else ROLE_LABELS[plan.role],
            "source": plan.source,
            "effective_year": version.effective_year,
            "based_on": version.version,
        }
    found: Content = {
        sheets.PLAN: [["项目", "内容", "填写说明"]]
        + [
            [field.name, values.get(field.key), ("（必填）" if field.required else "") + field.help]
            for field in sheets.PLAN_FIELDS
        ]
    }
    found[sheets.TARGETS] = [[field.name for field in sheets.TARGET_FIELDS]] + [
        [
            target.id,
            target.label,
            target.metric,
            params_text(target.params),
            target.target,
            target.unit,
            target.year,
            DIRECTION_LABELS[target.direction],
            AGGREGATE_LABELS[target.aggregate],
            target.base_year,
            target.clause,
            target.quote,
            target.note,
            "—".join(map(str, target.base_period)) if target.base_period else None,
        ]
        for target in (plan.targets if plan else [])
    ]
    found[sheets.QUOTAS] = [[field.name for field in sheets.QUOTA_FIELDS]] + [
        [quota.award, quota.town, quota.year, quota.count, None]
        for quota in (plan.quotas if plan else [])
    ]
    found[sheets.QUOTAS] += [
        [total.award, TOTAL_ROW, total.year, total.count, total.clause]
        for total in (plan.quota_totals if plan else [])
    ]
    found[sheets.METRICS] = [[field.name for field in sheets.METRIC_FIELDS]] + [
        [
            metric_id,
            metric.label,
            metric.unit,
            NATURE_LABELS.get(metric.nature or "", None),
            metric.minimum,
            metric.maximum,
            metric.description,
        ]
        for metric_id, metric in (version.metrics.items() if version else [])
    ]
    return found


def plan_bytes(version: PlanVersion | None, catalogue: dict[str, Metric], district: str) -> bytes:
    """The template, blank (`version` None) or filled with a version to revise."""
    return workbook_bytes(content(version, district), catalogue)


def workbook_bytes(cells: Content, catalogue: dict[str, Metric]) -> bytes:
    """Write the sheets of `cells` (in the template's order), then 说明; drop-downs on the closed fields."""
    buffer = io.BytesIO()
    book = safe_workbook(buffer)
    header = book.add_format({"bold": True, "bg_color": "#DDE7F3", "border": 1, "text_wrap": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    help_format = book.add_format({"font_color": "#555555", "text_wrap": True, "valign": "top"})
    notes_row = _notes_layout(catalogue)
    for name in (sheets.PLAN, sheets.TARGETS, sheets.QUOTAS, sheets.METRICS):
        if name not in cells:
            continue
        sheet = book.add_worksheet(name)
        rows = cells[name]
        for row_index, row in enumerate(rows):
            for col_index, value in enumerate(row):
                style = header if row_index == 0 else None
                if name == sheets.PLAN and row_index > 0:
                    style = header if col_index == 0 else help_format if col_index == 2 else wrap
                _write(sheet, row_index, col_index, value, style)
        fields = sheets.FIELDS[name]
        if name == sheets.PLAN:
            sheet.set_column(0, 0, 12)
            sheet.set_column(1, 1, 60)
            sheet.set_column(2, 2, 70)
            for row_index, field in enumerate(fields, start=1):
                if row_index < len(rows) and rows[row_index][:1] == [field.name]:
                    _validate(sheet, row_index, 1, row_index, field, notes_row)
            continue
        sheet.freeze_panes(1, 0)
        headers = rows[0] if rows else []
        for col_index, title in enumerate(headers):
            field = next((f for f in fields if f.name == title), None)
            width = 14
            if field is not None:
                sheet.write_comment(
                    0, col_index, ("必填。" if field.required else "可空。") + field.help
                )
                width = {"text": 24, "params": 28}.get(field.kind, 14)
                if field.key in ("quote", "label", "title"):
                    width = 40
                _validate(sheet, 1, col_index, ROWS_WITH_LISTS, field, notes_row)
            sheet.set_column(col_index, col_index, width)
    _notes(book, catalogue, header, wrap)
    book.close()
    return buffer.getvalue()


def _write(sheet, row: int, col: int, value: object, style) -> None:
    if value is None or value == "":
        if style is not None:
            sheet.write_blank(row, col, None, style)
        return
    if isinstance(value, bool):
        sheet.write_string(row, col, "是" if value else "否", style)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, style)
    else:
        sheet.write_string(row, col, str(value), style)


def _validate(sheet, first: int, col: int, last: int, field, notes_row: dict) -> None:
    """A drop-down for a closed field, a whole number for years and counts."""
    options = {"ignore_blank": True, "error_title": field.name[:32]}
    if field.kind in ("choice", "town"):
        options |= {
            "validate": "list",
            "source": list(field.choices),
            "error_message": f"请从下拉列表中选择：{'、'.join(field.choices)}"[:255],
        }
    elif field.kind == "metric":
        options |= {
            "validate": "list",
            "source": f"='{sheets.NOTES}'!$A${notes_row['first'] + 1}:$A${notes_row['last'] + 1}",
            # a metric declared on 新增指标, or a name, is allowed too: a warning, not a stop
            "error_type": "warning",
            "error_message": "不在「说明」表的指标目录中：若是「新增指标」表中声明的新指标，可以继续。",
        }
    elif field.kind == "year":
        options |= {
            "validate": "integer",
            "criteria": "between",
            "minimum": FIRST_YEAR,
            "maximum": LAST_YEAR,
            "error_message": f"年度应为{FIRST_YEAR}—{LAST_YEAR}之间的整数",
        }
    elif field.kind == "count":
        options |= {
            "validate": "integer",
            "criteria": ">=",
            "value": 0,
            "error_message": "应为不小于0的整数",
        }
    elif field.kind == "number":
        options |= {
            "validate": "decimal",
            "criteria": "between",
            "minimum": -1e15,
            "maximum": 1e15,
            "error_message": "应为数字（不带单位）",
        }
    else:
        return
    sheet.data_validation(first, col, last, col, options)


NOTES_TEXT = [
    "用途：发布新规划，或调整已有规划（预置的、已发布的都可以）。填好后在看板「规划发布」页上传，"
    "或在服务器上运行 python -m plantrack plan check 文件.xlsx；先校验、预览，再由管理员发布。",
    "「规划」：一项一行，见“填写说明”列。「目标」：一行一个目标。「镇街任务」：三大工厂任务按镇街×年度分解，"
    f"镇街填“{TOTAL_ROW}”的行是规划原文的合计数（与各镇街之和不符时提示，不报错）。"
    "「新增指标」：声明目录里没有、需要上报数值的新指标。",
    "调整已有规划：先导出该规划（「规划发布」页，或 python -m plantrack plan export 规划编号 --out 文件.xlsx），"
    "在导出的文件上修改，填写“生效年度”和“调整原因”后上传。旧版本保留，「规划详情」页可查看调整记录。",
    "指标：计算类指标由企业数据计算，只能从下表选择，不能在表格中新定义；上报类指标（含「新增指标」中声明的）"
    "的数值通过「数据导入」的上报指标文件导入。",
    "各列的含义见下方“字段说明”，也可把鼠标移到各表表头的批注上查看。",
]


def _notes_layout(catalogue: dict[str, Metric]) -> dict[str, int]:
    """Where the catalogue's rows are on 说明 (0-based): the 指标 drop-down points there."""
    field_rows = sum(len(fields) for fields in sheets.FIELDS.values())
    header = 1 + len(NOTES_TEXT) + 1 + 1 + field_rows + 1  # title, text, gap, 字段说明, fields, gap
    return {"header": header, "first": header + 1, "last": header + max(len(catalogue), 1)}


def _notes(book, catalogue: dict[str, Metric], header, wrap) -> None:
    sheet = book.add_worksheet(sheets.NOTES)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 34)
    sheet.set_column(2, 4, 12)
    sheet.set_column(5, 5, 30)
    sheet.set_column(6, 6, 80)
    sheet.write_string(0, 0, "规划模板填写说明", header)
    row = 1
    for text in NOTES_TEXT:
        sheet.write_string(row, 0, text)
        row += 1
    row += 1
    sheet.write_string(row, 0, "字段说明", header)
    row += 1
    for name, fields in sheets.FIELDS.items():
        for field in fields:
            sheet.write_string(row, 0, f"{name} › {field.name}")
            sheet.write_string(row, 1, "必填" if field.required else "可空")
            sheet.write_string(row, 2, "、".join(field.choices)[:200] if field.choices else "")
            sheet.write_string(row, 6, field.help)
            row += 1
    layout = _notes_layout(catalogue)
    row = layout["header"]
    titles = ["指标编号", "指标名称", "单位", "类型", "性质", "可用参数", "含义"]
    for col, title in enumerate(titles):
        sheet.write_string(row, col, title, header)
    for metric_id, metric in catalogue.items():
        row += 1
        params = (
            sorted(query_parameters(metric.query) - {"town"} - set(metric.params))
            if metric.kind == "query" and metric.query
            else []
        )
        cells = [
            metric_id,
            metric.label,
            metric.unit,
            "计算（企业数据）" if metric.kind == "query" else "上报",
            NATURE_LABELS.get(metric.nature or "", ""),
            "、".join(params),
            metric.description,
        ]
        for col, value in enumerate(cells):
            sheet.write_string(row, col, value, wrap if col == 6 else None)
    sheet.freeze_panes(layout["header"] + 1, 1)
