"""The four kinds of file the bureau loads, their canonical columns and the variants accepted."""

from __future__ import annotations

from dataclasses import dataclass, field

from plantrack.model.quantities import QUANTITIES


@dataclass(frozen=True)
class Column:
    name: str  # canonical header, as in the template
    field: str  # warehouse column
    type: str  # code | text | town | industry | year | number | integer | bool | grade | award | level | category | stage | rating | jurisdiction | metric
    unit: str | None = None
    required: bool = True  # the column must be in the file and the cell filled
    aliases: tuple[str, ...] = ()
    minimum: float | None = 0
    maximum: float | None = None


def measure(field: str, type: str = "number", **more) -> Column:
    """A column holding a catalogued quantity: its template header is the catalogue's label and unit."""
    entry = QUANTITIES[field]
    return Column(entry.label, field, type, entry.unit, **more)


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    table: str
    keys: tuple[str, ...]  # fields that identify a row (duplicates inside a file are errors)
    columns: tuple[Column, ...]
    example: tuple = field(default=())

    def header(self, column: Column) -> str:
        return f"{column.name}（{column.unit}）" if column.unit else column.name


# Every file about enterprises names them by these two columns; the example rows are one made-up firm's
CREDIT_CODE = Column(
    "统一社会信用代码", "credit_code", "code", aliases=("社会信用代码", "信用代码", "统一代码")
)
FIRM_NAME = Column("企业名称", "name", "text", aliases=("单位名称", "企业", "名称", "企业全称"))
EXAMPLE_FIRM = ("91330902MA2A1B3C2K", "舟山示例机械有限公司")

ENTERPRISE_YEARS = Kind(
    key="enterprise_years",
    label="企业年度数据",
    table="enterprise_years",
    keys=("credit_code", "year"),
    columns=(
        CREDIT_CODE,
        FIRM_NAME,
        Column(
            "所属镇街",
            "town",
            "town",
            aliases=(
                "镇街",
                "所属镇(街道)",
                "镇(街道)",
                "所属乡镇",
                "乡镇街道",
                "所属镇街(平台)",
                "镇街(平台)",
            ),
        ),
        Column("所属行业", "industry", "industry", aliases=("行业", "行业类别", "行业分类")),
        Column("年度", "year", "year", aliases=("年份", "评价年度", "数据年度")),
        Column(
            "是否规上",
            "above_scale",
            "bool",
            aliases=("规上", "是否规模以上", "规模以上", "企业规模", "规上/规下"),
        ),
        measure(
            "land_mu",
            aliases=("实际用地面积", "用地", "占地面积", "土地面积", "实际占地面积"),
        ),
        measure(
            "tax_wan",
            aliases=("实缴税金", "税收", "实际税收", "实缴税收", "税收贡献", "实缴税费"),
        ),
        measure(
            "value_added_wan",
            required=False,
            aliases=("增加值",),
            minimum=None,
        ),
        measure("output_wan", required=False, aliases=("总产值", "产值")),
        measure(
            "revenue_wan",
            required=False,
            aliases=("主营业务收入", "营收", "销售收入"),
        ),
        measure(
            "profit_wan",
            required=False,
            aliases=("利润",),
            minimum=None,
        ),
        measure(
            "rd_wan",
            required=False,
            aliases=("R&D经费支出", "研发费用", "研发投入", "R&D经费", "研发经费"),
        ),
        measure(
            "energy_tce",
            required=False,
            aliases=("总用能量", "能耗", "用能量", "综合能源消费量"),
        ),
        measure(
            "emission_t",
            required=False,
            aliases=("主要污染物排放量", "污染物排放量", "排放"),
        ),
        measure(
            "electricity_wan_kwh",
            required=False,
            aliases=("总用电量", "用电"),
        ),
        measure(
            "employees",
            "integer",
            required=False,
            aliases=("从业人员", "职工人数", "年平均从业人员", "年平均从业人数"),
        ),
        Column(
            "亩均评价档次",
            "official_grade",
            "grade",
            required=False,
            aliases=("档次", "评价档次", "亩均档次", "综合评价档次", "评价结果"),
        ),
    ),
    example=(
        *EXAMPLE_FIRM,
        "金塘镇",
        "机械制造",
        2024,
        "是",
        25.5,
        320.0,
        1800.0,
        7200.0,
        7000.0,
        420.0,
        150.0,
        260.0,
        0.35,
        580.0,
        96,
        "B",
    ),
)

AWARDS = Kind(
    key="awards",
    label="荣誉认定",
    table="awards",
    keys=("credit_code", "award", "year"),
    columns=(
        CREDIT_CODE,
        FIRM_NAME,
        Column("荣誉名称", "award", "award", aliases=("荣誉", "称号", "认定类别", "荣誉类别")),
        Column("级别", "level", "level", aliases=("荣誉级别", "认定级别", "层级")),
        Column("认定年度", "year", "year", aliases=("年度", "认定年份", "年份")),
        Column("文号", "doc_no", "text", required=False, aliases=("认定文号", "发文字号")),
    ),
    example=(*EXAMPLE_FIRM, "专精特新中小企业", "省级", 2024, "浙经信企业〔2024〕123号"),
)

APPLICATIONS = Kind(
    key="applications",
    label="申报记录",
    table="applications",
    keys=("credit_code", "year", "category"),
    columns=(
        CREDIT_CODE,
        FIRM_NAME,
        Column("申报年度", "year", "year", aliases=("年度", "申报年份")),
        Column("申报类别", "category", "category", aliases=("类别", "创建类别", "申报类型")),
        measure("score_basic", maximum=30, aliases=("基础管理得分",)),
        measure("score_green", maximum=15, aliases=("绿色制造得分",)),
        measure("score_digital", maximum=20, aliases=("数智赋能得分",)),
        measure("score_innovation", maximum=25, aliases=("科技创新得分",)),
        measure("score_brand", maximum=10, aliases=("品牌建设得分",)),
        measure(
            "score_bonus",
            required=False,
            maximum=60,
            aliases=("加分项", "加分项得分"),
        ),
        Column("一票否决", "veto", "bool", required=False, aliases=("是否一票否决",)),
        Column(
            "信用评价",
            "credit_rating",
            "rating",
            required=False,
            aliases=("社会信用评价", "信用等级"),
        ),
        Column("环节", "stage", "stage", aliases=("当前环节", "状态", "评审环节")),
        Column("未通过原因", "reject_reason", "text", required=False, aliases=("原因", "备注")),
    ),
    example=(
        *EXAMPLE_FIRM,
        2024,
        "品质工厂",
        25,
        12,
        16,
        18,
        8,
        3,
        "否",
        "良",
        "认定",
        "",
    ),
)

INDICATORS = Kind(
    key="indicators",
    label="上报指标",
    table="indicators",
    keys=("jurisdiction", "metric", "year"),
    columns=(
        Column("地区", "jurisdiction", "jurisdiction", aliases=("区域", "行政区")),
        Column("指标", "metric", "metric", aliases=("指标名称", "指标编码")),
        Column("年度", "year", "year", aliases=("年份",)),
        Column("数值", "value", "number", aliases=("值", "完成值", "实际值"), minimum=None),
        Column("单位", "unit", "text", aliases=("计量单位",)),
        Column("来源", "source", "text", required=False, aliases=("数据来源", "填报单位")),
    ),
    example=("定海区", "tech_renovation_investment_growth", 2024, 8.6, "%", "区统计局"),
)


# 规上工业 monthly figures: each as 当月 or as 1—N月累计 (the 统计 月报 form); a file may mix the two
# layouts across figures, not within one (plantrack.ingest.monthly turns 累计 into 当月 and checks both)
MONTHLY_FIGURES = (
    # field (its 1—N月累计 is ytd_<field>, both in the catalogue), aliases (without 当月/累计), signed
    ("output_wan", ("工业总产值", "总产值", "产值"), False),
    ("revenue_wan", ("营业收入", "主营业务收入", "营收"), False),
    ("profit_wan", ("利润总额", "利润"), True),
    ("tax_wan", ("税收", "实缴税金", "税收实际贡献", "实缴税费"), False),
    ("electricity_wan_kwh", ("用电量", "总用电量"), False),
)
CURRENT_WORD = "当月"
CURRENT_WORDS = (CURRENT_WORD, "本月")
CUMULATIVE_WORDS = ("1—N月累计", "1-N月累计", "累计", "本年累计", "1至N月累计")


def _monthly_columns() -> tuple[Column, ...]:
    """当月 columns named 当月 + the catalogue's label; 1—N月累计 columns are the catalogue's ytd_ entries."""
    current, cumulative = [], []
    for field_name, names, signed in MONTHLY_FIGURES:
        minimum = None if signed else 0
        entry, ytd = QUANTITIES[field_name], QUANTITIES[f"ytd_{field_name}"]
        current.append(
            Column(
                f"{CURRENT_WORD}{entry.label}",
                field_name,
                "number",
                entry.unit,
                required=False,
                aliases=tuple(f"{word}{n}" for n in names for word in CURRENT_WORDS)
                + tuple(f"{n}{word}" for n in names for word in CURRENT_WORDS),
                minimum=minimum,
            )
        )
        cumulative.append(
            Column(
                ytd.label,
                f"ytd_{field_name}",
                "number",
                ytd.unit,
                required=False,
                aliases=tuple(f"{word}{n}" for n in names for word in CUMULATIVE_WORDS)
                + tuple(f"{n}{word}" for n in names for word in CUMULATIVE_WORDS),
                minimum=minimum,
            )
        )
    return tuple(current + cumulative)


MONTHLY = Kind(
    key="monthly",
    label="企业月度数据",
    table="enterprise_months",
    keys=("credit_code", "year", "month"),
    columns=(
        CREDIT_CODE,
        FIRM_NAME,
        Column("年度", "year", "year", aliases=("年份", "报告年度")),
        Column("月份", "month", "integer", aliases=("月", "报告月份"), minimum=1, maximum=12),
        *_monthly_columns(),
    ),
    # 当月 filled, 累计 left blank (an empty column counts as absent): fill one layout per figure
    example=(
        *EXAMPLE_FIRM,
        2026,
        10,
        610.0,
        598.0,
        35.2,
        27.5,
        48.6,
        "",
        "",
        "",
        "",
        "",
    ),
)

KINDS = {kind.key: kind for kind in (ENTERPRISE_YEARS, AWARDS, APPLICATIONS, INDICATORS, MONTHLY)}
KIND_BY_LABEL = {kind.label: kind for kind in KINDS.values()}
