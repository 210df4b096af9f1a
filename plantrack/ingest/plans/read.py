"""Read a filled-in plan template into a candidate version: every cell checked on its own and against the
catalogue, each problem naming sheet, row, column and value. What needs the stored versions (is the id
taken, is this a revision of the version in force) is checked in plantrack.ingest.plans.check."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from plantrack.ingest.parsing import CellError, as_written, clean_text, parse_number
from plantrack.ingest.problems import Problem
from plantrack.ingest.read import read_sheets
from plantrack.model import plan_sheets as sheets
from plantrack.model.plan_sheets import (
    AGGREGATE_LABELS,
    COUNT_UNITS,
    FIRST_YEAR,
    LAST_YEAR,
    METRIC_ID_PATTERN,
    NATURE_LABELS,
    NEW,
    PLAN_ID_PATTERN,
    REVISE,
    ROLE_LABELS,
    SAMPLE_LABEL,
    TOTAL_ROW,
    Field,
)
from plantrack.model.plan_versions import PlanVersion
from plantrack.model.reference import TOWN_NAMES
from plantrack.model.targets import (
    DIRECTION_LABELS,
    Metric,
    Plan,
    Problems,
    Quota,
    QuotaTotal,
    Target,
    check_quota_totals,
    query_parameters,
)

HEADER_SCAN_ROWS = 5


@dataclass
class Reading:
    """What a template says, and what is wrong with it."""

    file_name: str
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    action: str = NEW
    version: PlanVersion | None = None  # version number 0 until check() numbers it
    based_on: int | None = None
    plan_rows: dict[str, int] = field(default_factory=dict)  # 规划 field key → Excel row
    target_rows: dict[str, int] = field(default_factory=dict)  # target id → Excel row
    metric_rows: dict[str, int] = field(default_factory=dict)  # declared metric id → Excel row


class Cells:
    """Reads the cells of one sheet, collecting a Problem for each bad one."""

    def __init__(self, sheet: str, reading: Reading):
        self.sheet = sheet
        self.reading = reading
        self.failed = False

    def error(self, row: int | None, column: str | None, raw: object, reason: str) -> None:
        self.failed = True
        self.reading.errors.append(Problem(self.sheet, row, column, _shown(raw), reason))

    def warn(self, row: int | None, column: str | None, raw: object, reason: str) -> None:
        self.reading.warnings.append(Problem(self.sheet, row, column, _shown(raw), reason))

    def value(self, row: int, column: str, raw: object, spec: Field):
        """The cell as the field's kind (None when empty and allowed); a problem when it cannot be."""
        try:
            return _value(raw, spec)
        except CellError as exc:
            self.error(row, column, raw, str(exc))
            return None


def _shown(raw: object) -> str | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    text = str(raw).strip()
    return text[:50] + ("…" if len(text) > 50 else "")


def _value(raw: object, spec: Field):
    empty = raw is None or (isinstance(raw, str) and not raw.strip())
    if empty:
        if spec.required:
            raise CellError("必填，不能为空")
        return None
    if spec.kind in ("text", "params", "metric"):
        return as_written(raw)
    if spec.kind == "period":
        found = re.fullmatch(r"\s*(\d{4})\s*[—–\-~至到]+\s*(\d{4})\s*", as_written(raw))
        if not found or not FIRST_YEAR <= int(found[1]) <= int(found[2]) <= LAST_YEAR:
            raise CellError("应写作 起始年—结束年，如 2016—2020")
        return int(found[1]), int(found[2])
    if spec.kind in ("choice", "town"):
        text = clean_text(raw)
        if text in spec.choices:
            return text
        raise CellError(f"应为{'、'.join(spec.choices[:15])}之一（请用下拉列表选择）")
    number = parse_number(raw)
    if number is None:
        if spec.required:
            raise CellError("必填，不能为空")
        return None
    if spec.kind == "year":
        if not number.is_integer() or not FIRST_YEAR <= number <= LAST_YEAR:
            raise CellError(f"年度应为{FIRST_YEAR}—{LAST_YEAR}之间的整数")
        return int(number)
    if spec.kind == "count":
        if not number.is_integer() or number < 0:
            raise CellError("应为不小于0的整数")
        return int(number)
    return number


def read(
    path: Path,
    data: bytes,
    catalogue: dict[str, Metric],
    district: str,
    reason: str | None = None,
    original_name: str | None = None,
) -> Reading:
    """Read the template at `path` (`data` its bytes). `reason` (the CLI's --reason, the page's box)
    stands for the file's 调整原因 when given."""
    reading = Reading(file_name=original_name or path.name)
    if path.suffix.lower() != ".xlsx":
        reading.errors.append(
            Problem.about_file("规划模板应为 .xlsx 文件（请用下载的模板填写）", path.suffix or None)
        )
        return reading
    found, problems = read_sheets(path, data)
    if problems:
        reading.errors += problems
        return reading
    by_name = {sheet.name.strip(): sheet for sheet in found}
    for name in sheets.REQUIRED_SHEETS:
        if name not in by_name:
            reading.errors.append(
                Problem(
                    name,
                    None,
                    None,
                    None,
                    f"缺少工作表「{name}」：规划模板应有「规划」「目标」「镇街任务」三个工作表"
                    "（「新增指标」「说明」可选），请用看板下载的模板填写",
                )
            )
    if reading.errors:
        return reading

    head = _plan_sheet(by_name[sheets.PLAN].rows, reading, reason, district)
    declared = _metrics_sheet(by_name.get(sheets.METRICS), reading)
    known = {**catalogue, **declared}
    targets = _targets_sheet(by_name[sheets.TARGETS].rows, reading, known, head)
    quotas, totals = _quotas_sheet(by_name[sheets.QUOTAS].rows, reading, head)
    if reading.errors:
        return reading
    try:
        plan = Plan(**head["plan"], targets=targets, quotas=quotas, quota_totals=totals)
    except ValidationError as exc:  # the cell checks above leave nothing here; kept as a guard
        for error in exc.errors():
            reading.errors.append(
                Problem(sheets.PLAN, None, ".".join(map(str, error["loc"])), None, error["msg"])
            )
        return reading
    cells = Cells(sheets.QUOTAS, reading)
    for total, row in zip(totals, head["total_rows"], strict=True):
        found_problems = Problems()
        check_quota_totals(plan.model_copy(update={"quota_totals": [total]}), found_problems)
        for warning in found_problems.warnings:
            cells.warn(row, sheets.field_name(sheets.QUOTAS, "count"), total.count, warning)
    reading.version = PlanVersion(
        plan=plan,
        version=0,
        effective_year=head["effective_year"] or plan.start,
        metrics=declared,
        reason=head["reason"],
    )
    return reading


def _plan_sheet(
    rows: list[list], reading: Reading, reason_override: str | None, district: str
) -> dict:
    cells = Cells(sheets.PLAN, reading)
    labels = {field.name: field for field in sheets.PLAN_FIELDS}
    raw_by_key: dict[str, tuple[int, object]] = {}
    for index, row in enumerate(rows):
        label = clean_text(row[0] if row else "").replace("*", "")
        if label in labels and labels[label].key not in raw_by_key:
            raw_by_key[labels[label].key] = (index + 1, row[1] if len(row) > 1 else None)
    values: dict[str, object] = {}
    for spec in sheets.PLAN_FIELDS:
        if spec.key not in raw_by_key:
            if spec.required:
                cells.error(
                    None,
                    "项目",
                    spec.name,
                    f"缺少“{spec.name}”这一行（第一列写项目名，第二列写内容）",
                )
            continue
        row, raw = raw_by_key[spec.key]
        reading.plan_rows[spec.key] = row
        values[spec.key] = cells.value(row, plan_column(spec.key), raw, spec)
    reading.action = values.get("action") or NEW
    reading.based_on = values.get("based_on")
    where = reading.plan_rows.get
    plan_id = values.get("id")
    if plan_id and not re.fullmatch(PLAN_ID_PATTERN, plan_id):
        cells.error(
            where("id"),
            plan_column("id"),
            plan_id,
            "规划编号只能用小写字母、数字和连字符（3—64位），如 dinghai-mfg-2026",
        )
    start, end = values.get("start"), values.get("end")
    if start is not None and end is not None and start > end:
        cells.error(where("end"), plan_column("end"), end, f"结束年早于起始年 {start}")
        start = end = None  # no period to check the years against
    role = next((key for key, label in ROLE_LABELS.items() if label == values.get("role")), "own")
    sample = values.get("role") == SAMPLE_LABEL
    jurisdiction = values.get("jurisdiction")
    if role == "own" and jurisdiction and jurisdiction != district:
        cells.error(
            where("jurisdiction"),
            plan_column("jurisdiction"),
            jurisdiction,
            f"本区规划的地区应为 {district}（对标规划请把规划类型改为“对标规划”）",
        )
    effective = values.get("effective_year")
    if (
        effective is not None
        and start is not None
        and end is not None
        and not start <= effective <= end
    ):
        cells.error(
            where("effective_year"),
            plan_column("effective_year"),
            effective,
            f"生效年度应在规划期 {start}—{end} 内",
        )
    if reading.action == REVISE and effective is None:
        cells.error(
            where("effective_year"),
            plan_column("effective_year"),
            None,
            "调整已有规划须填写生效年度（本版本从哪一年起用于评价）",
        )
    reason = (reason_override or "").strip() or (values.get("reason") or "")
    if reading.action == REVISE and not reason:
        cells.error(
            where("reason"),
            plan_column("reason"),
            None,
            "调整已有规划须填写调整原因（页面上的“调整原因”框或命令行 --reason 也可）",
        )
    return {
        "plan": {
            "id": plan_id or "",
            "title": values.get("title") or "",
            "short": values.get("short") or "",
            "jurisdiction": jurisdiction or "",
            "doc_no": values.get("doc_no") or "",
            "issuer": values.get("issuer") or "",
            "start": start or 0,
            "end": end or 0,
            "role": role,
            "sample": sample,
            "source": values.get("source") or "",
        },
        "effective_year": effective,
        "reason": reason,
        "total_rows": [],
    }


def plan_column(key: str) -> str:
    """How a problem names the cell of a 规划 item: its 内容 column, with the item's name."""
    return f"内容（{sheets.field_name(sheets.PLAN, key)}）"


def _table(
    rows: list[list], sheet: str, reading: Reading
) -> tuple[dict[str, int], list[tuple[int, list]]]:
    """The header (field name → column) and the data rows (Excel row number, cells) of a sheet."""
    specs = sheets.FIELDS[sheet]
    names = {clean_text(spec.name): spec.name for spec in specs}  # 任务数（家） as 任务数(家)
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = {clean_text(cell).replace("*", ""): col for col, cell in enumerate(row)}
        found = {names[name]: col for name, col in found.items() if name in names}
        if len(found) >= 2:
            cells = Cells(sheet, reading)
            for spec in specs:
                if spec.required and spec.name not in found:
                    cells.error(index + 1, spec.name, None, "缺少必填列（请用看板下载的模板）")
            data = [
                (number + 1, row)
                for number, row in enumerate(rows)
                if number > index and any(as_written(cell) for cell in row)
            ]
            return found, data
    Cells(sheet, reading).error(
        None, None, None, f"找不到表头：第一行应为 {'、'.join(spec.name for spec in specs)}"
    )
    return {}, []


def _row_values(cells: Cells, sheet: str, columns: dict[str, int], number: int, row: list) -> dict:
    """field key → the cell's value (None when empty or bad: a bad one is reported)."""
    values = {}
    for spec in sheets.FIELDS[sheet]:
        if spec.name not in columns:
            continue
        raw = row[columns[spec.name]] if columns[spec.name] < len(row) else None
        values[spec.key] = cells.value(number, spec.name, raw, spec)
    return values


def _metrics_sheet(sheet, reading: Reading) -> dict[str, Metric]:
    declared: dict[str, Metric] = {}
    if sheet is None:
        return declared
    columns, data = _table(sheet.rows, sheets.METRICS, reading)
    cells = Cells(sheets.METRICS, reading)
    name = sheets.field_name
    for number, row in data:
        values = _row_values(cells, sheets.METRICS, columns, number, row)
        metric_id = raw_id = values.get("id")
        if metric_id is None:
            continue
        if not re.fullmatch(METRIC_ID_PATTERN, metric_id):
            cells.error(
                number,
                name(sheets.METRICS, "id"),
                raw_id,
                "指标编号只能用小写字母、数字和下划线（字母开头，3—64位）",
            )
            continue
        if metric_id in reading.metric_rows:
            cells.error(
                number,
                name(sheets.METRICS, "id"),
                raw_id,
                f"与第{reading.metric_rows[metric_id]}行的指标编号重复",
            )
            continue
        reading.metric_rows[metric_id] = number
        low, high = values.get("minimum"), values.get("maximum")
        if low is not None and high is not None and low > high:
            cells.error(number, name(sheets.METRICS, "maximum"), high, f"上限小于下限 {low:g}")
        nature, label, unit = values.get("nature"), values.get("label"), values.get("unit")
        if not (label and unit and nature):
            continue
        declared[metric_id] = Metric(
            label=label,
            unit=unit,
            kind="reported",
            description=values.get("description") or "",
            nature=next(key for key, text in NATURE_LABELS.items() if text == nature),
            minimum=low,
            maximum=high,
        )
    return declared


def resolve_metric(text: str, known: dict[str, Metric]) -> str:
    """A metric's id from its id or its name; an unknown one names the close matches."""
    if text in known:
        return text
    by_label = {metric.label: key for key, metric in known.items()}
    if text in by_label:
        return by_label[text]
    close = difflib.get_close_matches(text, list(known), n=3, cutoff=0.6)
    close += [
        by_label[label]
        for label in difflib.get_close_matches(text, list(by_label), n=3, cutoff=0.5)
    ]
    close = list(dict.fromkeys(close))[:4]
    if close:
        shown = "、".join(f"{key}（{known[key].label}）" for key in close)
        raise CellError(f"未知指标；相近的有：{shown}")
    raise CellError(
        "未知指标：请从「说明」表的指标目录中选择，或在「新增指标」表中声明新的上报指标"
    )


def parse_params(text: str) -> dict:
    """The 参数 cell: TOML, e.g. awards = ["洁美工厂"], min_level = "省级"."""
    for attempt in (
        text,
        text.replace("“", '"').replace("”", '"').replace("＝", "=").replace("，", ","),
    ):
        try:
            return tomllib.loads(f"p = {{ {attempt} }}")["p"]
        except tomllib.TOMLDecodeError:
            continue
    raise CellError('写法有误：应写成 awards = ["洁美工厂"], min_level = "省级"（英文引号、逗号）')


def _targets_sheet(
    rows: list[list], reading: Reading, known: dict[str, Metric], head: dict
) -> list[Target]:
    columns, data = _table(rows, sheets.TARGETS, reading)
    cells = Cells(sheets.TARGETS, reading)
    name = lambda key: sheets.field_name(sheets.TARGETS, key)  # noqa: E731
    start, end = head["plan"]["start"], head["plan"]["end"]
    found: list[Target] = []
    for number, row in data:
        before = len(reading.errors)
        values = _row_values(cells, sheets.TARGETS, columns, number, row)
        get = values.get
        target_id = get("id")
        if target_id in reading.target_rows:
            cells.error(
                number,
                name("id"),
                target_id,
                f"与第{reading.target_rows[target_id]}行的编号重复（编号在规划内须唯一）",
            )
        elif target_id:
            reading.target_rows[target_id] = number
        metric_id = None
        if get("metric"):
            try:
                metric_id = resolve_metric(get("metric"), known)
            except CellError as exc:
                cells.error(number, name("metric"), get("metric"), str(exc))
        metric = known.get(metric_id) if metric_id else None
        params = {}
        if get("params"):
            try:
                params = parse_params(get("params"))
            except CellError as exc:
                cells.error(number, name("params"), get("params"), str(exc))
        if metric is not None and params:
            allowed = (
                (query_parameters(metric.query) - {"town"})
                if metric.kind == "query" and metric.query
                else set()
            )
            unknown = sorted(set(params) - allowed)
            if metric.kind == "reported":
                cells.error(
                    number,
                    name("params"),
                    get("params"),
                    f"上报类指标「{metric.label}」不接受参数，请清空",
                )
            elif unknown:
                cells.error(
                    number,
                    name("params"),
                    get("params"),
                    f"参数 {'、'.join(unknown)} 不是指标「{metric.label}」可用的参数（可用：{'、'.join(sorted(allowed)) or '无'}）",
                )
        direction = next((k for k, v in DIRECTION_LABELS.items() if v == get("direction")), None)
        aggregate = next((k for k, v in AGGREGATE_LABELS.items() if v == get("aggregate")), None)
        unit = get("unit")
        if metric is not None and unit and direction:
            _check_unit(cells, number, name("unit"), unit, direction, metric)
        year = get("year")
        if year is not None and start and end and not start - 1 <= year <= end:
            cells.error(number, name("year"), year, f"目标年 {year} 不在规划期 {start}—{end} 内")
        base_year = get("base_year")
        if direction == "decline_at_least" and base_year is None and get("direction"):
            cells.error(number, name("base_year"), None, "“下降不低于”类目标须填写基期年")
        if base_year is not None and year is not None and base_year >= year:
            cells.error(number, name("base_year"), base_year, f"基期年应早于目标年 {year}")
        if len(reading.errors) > before or None in (
            target_id,
            metric_id,
            direction,
            aggregate,
            unit,
            year,
            get("label"),
            get("target"),
            get("clause"),
        ):
            continue
        found.append(
            Target(
                id=target_id,
                metric=metric_id,
                params=params,
                label=get("label"),
                target=get("target"),
                unit=unit,
                year=year,
                direction=direction,
                aggregate=aggregate,
                base_year=base_year,
                base_period=get("base_period"),
                clause=get("clause"),
                quote=get("quote") or "",
                note=get("note") or "",
            )
        )
    if not data and columns:
        cells.error(None, None, None, "没有目标：至少填写一行目标")
    return found


def _check_unit(
    cells: Cells, number: int, column: str, unit: str, direction: str, metric: Metric
) -> None:
    if direction in ("growth_at_least", "decline_at_least"):
        if unit != "%":
            cells.error(number, column, unit, "增长、下降类目标的单位应为 %")
    elif unit != metric.unit:
        if unit in COUNT_UNITS and metric.unit in COUNT_UNITS:
            cells.warn(
                number,
                column,
                unit,
                f"单位与指标「{metric.label}」的单位「{metric.unit}」不同（都是计数，按同一数值比较）",
            )
        else:
            cells.error(
                number, column, unit, f"单位与指标「{metric.label}」的单位「{metric.unit}」不一致"
            )


def _town(text: str) -> str:
    if text in TOWN_NAMES or text == TOTAL_ROW:
        return text
    for suffix in ("镇", "街道"):
        if text + suffix in TOWN_NAMES:
            return text + suffix
    close = difflib.get_close_matches(text, TOWN_NAMES, n=3, cutoff=0.4)
    hint = f"；相近的有：{'、'.join(close)}" if close else f"（可选：{'、'.join(TOWN_NAMES)}）"
    raise CellError(f"不是定海区的镇街（平台）{hint}")


def _quotas_sheet(
    rows: list[list], reading: Reading, head: dict
) -> tuple[list[Quota], list[QuotaTotal]]:
    columns, data = _table(rows, sheets.QUOTAS, reading)
    cells = Cells(sheets.QUOTAS, reading)
    name = lambda key: sheets.field_name(sheets.QUOTAS, key)  # noqa: E731
    start, end = head["plan"]["start"], head["plan"]["end"]
    town_spec = Field("镇街", "town", "text", True, "")
    quotas: list[Quota] = []
    totals: list[QuotaTotal] = []
    seen: dict[tuple, int] = {}
    for number, row in data:
        before = len(reading.errors)
        values = _row_values(
            cells, sheets.QUOTAS, {k: v for k, v in columns.items() if k != "镇街"}, number, row
        )
        raw_town = (
            row[columns["镇街"]] if "镇街" in columns and columns["镇街"] < len(row) else None
        )
        town = None
        try:
            town = _town(clean_text(_value(raw_town, town_spec)))
        except CellError as exc:
            cells.error(number, "镇街", raw_town, str(exc))
        get = values.get
        award, year, count, clause = get("award"), get("year"), get("count"), get("clause")
        if year is not None and start and end and not start <= year <= end:
            cells.error(number, name("year"), year, f"年度不在规划期 {start}—{end} 内")
        if town is not None and town != TOTAL_ROW and year is None and "年度" in columns:
            cells.error(
                number,
                name("year"),
                None,
                "镇街任务须填写年度（只有合计行可以空着，表示整个规划期）",
            )
        if town == TOTAL_ROW and not clause:
            cells.error(number, name("clause"), None, "合计行须填写条款：合计数出自规划原文哪里")
        key = (award, town, year)
        if None not in (award, town) and key in seen:
            cells.error(
                number, "镇街", town, f"与第{seen[key]}行重复（同一类别、镇街、年度只能有一行）"
            )
        seen.setdefault(key, number)
        if len(reading.errors) > before or None in (award, town, count):
            continue
        if town == TOTAL_ROW:
            totals.append(QuotaTotal(award=award, year=year, count=count, clause=clause))
            head["total_rows"].append(number)
        else:
            quotas.append(Quota(award=award, town=town, year=year, count=count))
    return quotas, totals
