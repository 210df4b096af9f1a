"""Reference lists the warehouse, the demo generator and the importer share: towns, industries, honours."""

from __future__ import annotations

DISTRICT = "定海区"

# 附件5 of 定政办发〔2023〕24号 lists the first eleven (with quotas); 昌国/临城/千岛 carry none.
TOWNS: list[tuple[str, str, bool]] = [
    ("城东街道", "街道", True),
    ("环南街道", "街道", True),
    ("盐仓街道", "街道", True),
    ("小沙街道", "街道", True),
    ("岑港街道", "街道", True),
    ("马岙街道", "街道", True),
    ("双桥街道", "街道", True),
    ("白泉镇", "镇", True),
    ("干览镇", "镇", True),
    ("金塘镇", "镇", True),
    ("定海工业园区", "平台", True),
    ("昌国街道", "街道", False),
    ("临城街道", "街道", False),
    ("千岛街道", "街道", False),
]
TOWN_NAMES = [name for name, _, _ in TOWNS]

INDUSTRIES = [
    "石油化工",
    "船舶修造",
    "机械制造",
    "粮油加工",
    "水产品加工",
    "新材料",
    "海洋电子信息",
    "海洋生物医药",
    "高端装备",
    "其他",
]

THREE_FACTORIES = ["洁美工厂", "品质工厂", "示范工厂"]

# honour → the levels it is awarded at
HONOURS: dict[str, tuple[str, ...]] = {
    "洁美工厂": ("区级",),
    "品质工厂": ("区级",),
    "示范工厂": ("区级",),
    "专精特新中小企业": ("省级",),
    '专精特新"小巨人"': ("国家级",),
    "单项冠军": ("国家级", "省级"),
    "隐形冠军": ("省级",),
    "雄鹰企业": ("省级",),
    "高新技术企业": ("国家级",),
    "科技型中小企业": ("省级",),
    "品字标": ("省级",),
    "绿色工厂": ("国家级", "省级", "市级"),
    "智能工厂": ("省级", "市级"),
    "数字化车间": ("省级", "市级"),
    "未来工厂": ("省级", "市级"),
    "上市企业": ("国家级",),
    "企业研发机构": ("省级", "市级"),
    "首台套": ("国家级", "省级"),
    "云上企业": ("省级",),
    "省级重点企业研究院": ("省级",),
    "企业研究院": ("省级", "市级"),
    "高新技术企业研发中心": ("省级",),
    "服务型制造示范企业": ("省级", "市级"),
    "创新型领军企业": ("省级",),
    "市长质量奖": ("市级",),
    "省政府质量奖": ("省级",),
    "中国质量奖提名奖": ("国家级",),
    "中国质量奖": ("国家级",),
}
LEVELS = ["国家级", "省级", "市级", "区级"]  # highest first: “级别不低于” compares positions here

# A target's status (plantrack.engine.progress), best first: the order of tiles, legends and filters.
# Labels and colours are in targets.toml [status]. 不适用 is its own grey status, left out of every count
# and ranking: the target is about enterprises the town has none of.
STATUS_ORDER = ["met", "on_pace", "behind", "far_behind", "no_data"]
NOT_APPLICABLE = "not_applicable"
STATUSES = [*STATUS_ORDER, NOT_APPLICABLE]
WORST_FIRST = ["far_behind", "behind", "no_data", "on_pace", "met"]  # where attention goes first

GRADES = ["A", "B", "C", "D"]
NOT_GRADED = "不参评"


def grade_name(grade: str) -> str:
    """A grade as read on screen: `A类` … `D类`, and 不参评 as it is."""
    return grade if grade == NOT_GRADED else f"{grade}类"


GRADE_NAMES = {"A": "优先发展类", "B": "提升发展类", "C": "调控帮扶类", "D": "倒逼整治类"}

# 规上: 主营业务收入 2000万元 and above (国家统计局 standard since 2011)
ABOVE_SCALE_REVENUE_WAN = 2000

APPLICATION_STAGES = ["申报", "推荐", "初审", "联评", "认定"]
REJECTED_STAGE = "未通过"
CREDIT_RATINGS = ["优", "良", "中", "差"]

# Reference lists the queries take as $parameters (never written into SQL): the engine and the pages pass
# the ones a query declares.
QUERY_CONSTANTS: dict[str, list[str]] = {"factories": THREE_FACTORIES, "levels": LEVELS}
