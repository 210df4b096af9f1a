"""The plan template (xlsx) the bureau fills in: its sheets, their fields, the closed choices and what
each field means. One definition, read by the template writer, the reader and the change list."""

from __future__ import annotations

from dataclasses import dataclass

from plantrack.model.reference import THREE_FACTORIES, TOWN_NAMES
from plantrack.model.targets import DIRECTION_LABELS

PLAN = "规划"
TARGETS = "目标"
QUOTAS = "镇街任务"
METRICS = "新增指标"
NOTES = "说明"
REQUIRED_SHEETS = (PLAN, TARGETS, QUOTAS)  # 新增指标 may be left out; 说明 is never read

NEW = "新规划"
REVISE = "调整已有规划"
ROLE_LABELS = {"own": "本区规划", "peer": "对标规划"}
SAMPLE_LABEL = "本区示例规划"  # the demo's invented example plan: own, tagged 示例
AGGREGATE_LABELS = {"level": "当年值", "cumulative": "期内累计", "annual": "当年新增"}
NATURE_LABELS = {"level": "存量", "flow": "流量"}
TOTAL_ROW = "合计"  # a 镇街任务 row whose 镇街 is 合计 states the plan's own total
COUNT_UNITS = {
    "家",
    "个",
    "项",
    "件",
}  # counts: one may stand for another (a warning, not an error)
PLAN_ID_PATTERN = r"[a-z0-9][a-z0-9-]{2,63}"
METRIC_ID_PATTERN = r"[a-z][a-z0-9_]{2,63}"
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Field:
    name: str  # the row label (规划) or column header (other sheets), exactly as in the template
    key: str  # the model's field
    kind: str  # text | choice | year | number | count | params | metric | town
    required: bool
    help: str
    choices: tuple[str, ...] = ()


PLAN_FIELDS = (
    Field("操作", "action", "choice", True, "新规划：第一次发布；调整已有规划：修订已发布或预置的规划", (NEW, REVISE)),
    Field("规划编号", "id", "text", True, "小写字母、数字、连字符，如 dinghai-mfg-2026；调整时不能改"),
    Field("规划名称", "title", "text", True, "文件全称"),
    Field("简称", "short", "text", True, "页面上显示的短名，如 三年行动"),
    Field("文号", "doc_no", "text", False, "如 定政办发〔2026〕1号；没有可空"),
    Field("发文单位", "issuer", "text", False, "如 定海区人民政府办公室"),
    Field("起始年", "start", "year", True, "规划期第一年"),
    Field("结束年", "end", "year", True, "规划期最后一年"),
    Field("地区", "jurisdiction", "text", True, "本区规划填 定海区；对标规划填对方地区，如 慈溪市"),
    Field("规划类型", "role", "choice", True, "本区规划：跟踪完成情况；对标规划：用于规划对比；本区示例规划：演示用的虚构规划", (*ROLE_LABELS.values(), SAMPLE_LABEL)),
    Field("来源", "source", "text", False, "原文出处：文件名、网址或存档位置"),
    Field("生效年度", "effective_year", "year", False, "本版本从哪一年起用于评价；新规划可空（即起始年），调整时必填"),
    Field("调整原因", "reason", "text", False, "调整已有规划时必填：为什么调整、依据什么文件"),
    Field("基于版本", "based_on", "count", False, "导出时自动填写：据以修改的版本号，请勿改动"),
)  # fmt: skip

TARGET_FIELDS = (
    Field("编号", "id", "text", True, "规划内唯一，如 mu-tax-2026；调整时保持不变，页面据此对照新旧版本"),
    Field("名称", "label", "text", True, "页面上显示的目标名称"),
    Field("指标", "metric", "metric", True, "「说明」表指标目录中的指标编号（或名称），或「新增指标」表中新上报指标的编号"),
    Field("参数", "params", "params", False, '只用于计算类指标，写法如 awards = ["洁美工厂"], min_level = "省级"'),
    Field("目标值", "target", "number", True, "数字，不带单位"),
    Field("单位", "unit", "text", True, "与指标的单位相同；增长、下降类目标填 %"),
    Field("年度", "year", "year", True, "目标年（规划期内）"),
    Field("方向", "direction", "choice", True, "不低于、不高于、增长不低于、下降不低于", tuple(DIRECTION_LABELS.values())),
    Field("口径", "aggregate", "choice", True, "当年值：目标年的数值；期内累计：规划期内逐年新增之和；当年新增：目标年当年新增", tuple(AGGREGATE_LABELS.values())),
    Field("基期年", "base_year", "year", False, "“下降不低于”必填；“增长不低于”可填（空则为比上年）"),
    Field("条款", "clause", "text", True, "目标在规划原文中的位置，如 一、（二）主要目标"),
    Field("原文", "quote", "text", False, "规划原文摘录"),
    Field("备注", "note", "text", False, "口径理解、与原文的差别"),
    Field("基期段", "base_period", "period", False, "只用于“期内累计”的增长目标：与之相比的起止年，如 2016—2020（“累计比十三五翻番”）"),
)  # fmt: skip

QUOTA_FIELDS = (
    Field("类别", "award", "choice", True, "洁美工厂、品质工厂、示范工厂", tuple(THREE_FACTORIES)),
    Field("镇街", "town", "town", True, f"定海区的镇街（平台）；填“{TOTAL_ROW}”表示规划原文的全区合计数", (*TOWN_NAMES, TOTAL_ROW)),
    Field("年度", "year", "year", False, "规划期内的年度；合计行空着表示整个规划期"),
    Field("任务数（家）", "count", "count", True, "不小于0的整数"),
    Field("条款", "clause", "text", False, "合计行必填：合计数出自原文哪里"),
)  # fmt: skip

METRIC_FIELDS = (
    Field("指标编号", "id", "text", True, "小写字母、数字、下划线，如 smart_renovation_projects；不能与指标目录重复"),
    Field("指标名称", "label", "text", True, "如 智能化改造项目数"),
    Field("单位", "unit", "text", True, "如 个、%、亿元"),
    Field("性质", "nature", "choice", True, "存量：某一时点的数值（如覆盖率、企业总数）；流量：一年内发生的数（如当年新增项目数）", tuple(NATURE_LABELS.values())),
    Field("下限", "minimum", "number", False, "上报值不能小于它（如 0）；可空"),
    Field("上限", "maximum", "number", False, "上报值不能大于它（如覆盖率 100）；可空"),
    Field("含义", "description", "text", False, "口径：统计范围、上报部门"),
)  # fmt: skip

FIELDS = {PLAN: PLAN_FIELDS, TARGETS: TARGET_FIELDS, QUOTAS: QUOTA_FIELDS, METRICS: METRIC_FIELDS}


def field_name(sheet: str, key: str) -> str:
    return next(field.name for field in FIELDS[sheet] if field.key == key)
