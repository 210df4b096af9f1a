"""The catalogue of quantities: what each numeric column is called on screen, its unit and precision, what
it means, where it comes from, how often, and which way is better. One place, read by every table header,
Excel column, chart axis, deck label, import-template header and grading key.

Keys are the SQL column names (queries/schema.sql, the derived tables, the queries' results) and the few
columns the engine adds to what pages show (完成率, 序时进度, 镇街任务). A column's name carries its unit as a
suffix (`_wan` 万元, `_yi` 亿元, `_mu` 亩, `_tce` 吨标准煤, `_wan_kwh` 万千瓦时, `_pct` %), and the entry says
the same unit (tests/test_quantities.py checks both)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Better = Literal["higher", "lower"] | None

# 来源部门: who supplies the raw figure (as 亩均论英雄 data sharing in 浙江 assigns them)
TAX = "区税务局"
STATS = "区统计局"
LAND = "市自然资源和规划局定海分局"
POWER = "国网舟山供电公司定海分公司"
ECOLOGY = "市生态环境局定海分局"
BUREAU = "区经信局"
COMPUTED = "区经信局（由企业数据计算）"
REPORTED = "各填报单位（上报指标）"
SYSTEM = "本看板"

YEARLY = "年度"
ON_IMPORT = "每次导入"
BY_BATCH = "按认定批次"


@dataclass(frozen=True)
class Quantity:
    label: str
    unit: str  # "" for a count of years, a rank or an identifier; a figure whose unit is on its row says so
    decimals: int
    definition: str
    source: str = COMPUTED  # 来源部门
    frequency: str = YEARLY  # 更新频率
    better: Better = None

    @property
    def header(self) -> str:
        """As a table header, Excel column or chart axis: `亩均税收（万元/亩）`."""
        return f"{self.label}（{self.unit}）" if self.unit else self.label


def _q(label, unit, decimals, definition, source=COMPUTED, frequency=YEARLY, better=None):
    return Quantity(label, unit, decimals, definition, source, frequency, better)


HIGHER, LOWER = "higher", "lower"

QUANTITIES: dict[str, Quantity] = {
    # when and where
    "year": _q("年度", "", 0, "数据所属的年度", SYSTEM),
    "founded_year": _q("成立年份", "", 0, "企业投产（成立）的年份", STATS),
    "last_year": _q("最近数据年度", "", 0, "企业有年度数据的最后一年", SYSTEM),
    "effective_year": _q("生效年度", "", 0, "规划版本自这一年起生效", BUREAU, ON_IMPORT),
    "sort_order": _q("排序", "", 0, "镇街（平台）在表中的次序（附件5）", BUREAU, "不变"),
    # one enterprise × year (enterprise_years, imported)
    "land_mu": _q("用地面积", "亩", 2, "企业实际使用的工业用地面积", LAND),
    "tax_wan": _q(
        "税收实际贡献", "万元", 1, "企业当年实缴税收（税收实际贡献）", TAX, better=HIGHER
    ),
    "value_added_wan": _q("工业增加值", "万元", 1, "企业当年工业增加值", STATS, better=HIGHER),
    "output_wan": _q("工业总产值", "万元", 1, "企业当年工业总产值", STATS, better=HIGHER),
    "revenue_wan": _q("营业收入", "万元", 1, "企业当年营业收入", STATS, better=HIGHER),
    "last_revenue_wan": _q("上年营业收入", "万元", 1, "同一企业上一年的营业收入", STATS),
    "profit_wan": _q("利润总额", "万元", 1, "企业当年利润总额", STATS, better=HIGHER),
    "rd_wan": _q("研发经费支出", "万元", 1, "企业当年R&D经费支出", STATS, better=HIGHER),
    "energy_tce": _q("综合能耗", "吨标准煤", 1, "企业当年综合能源消费量", STATS, better=LOWER),
    "emission_t": _q("排放量", "吨", 2, "企业当年主要污染物排放量", ECOLOGY, better=LOWER),
    "electricity_wan_kwh": _q("用电量", "万千瓦时", 2, "企业当年用电量", POWER),
    "employees": _q("年平均职工人数", "人", 0, "企业当年年平均职工人数", STATS),
    # one enterprise × year: ratios (queries/staging/ratios.sql), also as region ratios of totals
    "mu_tax_wan_per_mu": _q(
        "亩均税收", "万元/亩", 2, "税收实际贡献 ÷ 用地面积；区域为合计之比", better=HIGHER
    ),
    "mu_value_added_wan_per_mu": _q(
        "亩均增加值", "万元/亩", 2, "工业增加值 ÷ 用地面积；区域为合计之比", better=HIGHER
    ),
    "mu_revenue_wan_per_mu": _q("亩均营业收入", "万元/亩", 2, "营业收入 ÷ 用地面积", better=HIGHER),
    "value_added_per_energy_wan_per_tce": _q(
        "单位能耗增加值", "万元/吨标准煤", 2, "工业增加值 ÷ 综合能耗", better=HIGHER
    ),
    "value_added_per_emission_wan_per_t": _q(
        "单位排放增加值", "万元/吨", 2, "工业增加值 ÷ 主要污染物排放量", better=HIGHER
    ),
    "labour_productivity_wan_per_person": _q(
        "全员劳动生产率", "万元/人", 2, "工业增加值 ÷ 年平均职工人数；区域为合计之比", better=HIGHER
    ),
    "rd_ratio_pct": _q(
        "R&D经费支出占营业收入比重",
        "%",
        2,
        "研发经费支出 ÷ 营业收入 × 100；区域为合计之比",
        better=HIGHER,
    ),
    "tax_per_electricity_wan_per_wan_kwh": _q(
        "单位电耗税收", "万元/万千瓦时", 2, "税收实际贡献 ÷ 用电量", better=HIGHER
    ),
    "energy_tce_per_wan": _q(
        "单位增加值能耗", "吨标准煤/万元", 3, "规上企业综合能耗合计 ÷ 工业增加值合计", better=LOWER
    ),
    "value_added_rate_pct": _q(
        "工业增加值率", "%", 1, "规上企业工业增加值合计 ÷ 工业总产值合计 × 100", better=HIGHER
    ),
    "rd_coverage_pct": _q(
        "有研发活动的企业占比",
        "%",
        1,
        "研发经费支出大于0的规上企业 ÷ 规上企业数 × 100",
        better=HIGHER,
    ),
    # region totals (derived yearly_summary): 规上 firms, in 亿元
    "output_yi": _q("工业总产值", "亿元", 2, "规上企业工业总产值合计", STATS, better=HIGHER),
    "value_added_yi": _q("工业增加值", "亿元", 2, "规上企业工业增加值合计", STATS, better=HIGHER),
    "revenue_yi": _q("营业收入", "亿元", 2, "营业收入（区域为规上企业合计）", STATS, better=HIGHER),
    "profit_yi": _q("利润总额", "亿元", 2, "规上企业利润总额合计", STATS, better=HIGHER),
    "rd_yi": _q("研发经费支出", "亿元", 2, "规上企业研发经费支出合计", STATS, better=HIGHER),
    # counts of enterprises
    "enterprise_count": _q("企业数", "家", 0, "符合条件的企业家数"),
    "above_scale_count": _q("规上企业数", "家", 0, "当年规上工业企业家数", better=HIGHER),
    "new_above_scale_count": _q(
        "新增规上企业",
        "家",
        0,
        "当年为规上、上年不是规上（或无数据）的企业（小升规）",
        better=HIGHER,
    ),
    "computed_count": _q("其中测算", "家", 0, "档次为按评价办法测算（官方未公布）的企业家数"),
    "evaluated_count": _q("参评企业数", "家", 0, "参加亩均评价（档次不是不参评）的企业家数"),
    "evaluated_firms": _q("参评企业数", "家", 0, "参加亩均评价（档次不是不参评）的企业家数"),
    "low_efficiency_count": _q(
        "低效企业数", "家", 0, "参评企业中亩均税收低于所选标准线的家数", better=LOWER
    ),
    "firms": _q("企业数", "家", 0, "符合指标条件的企业家数"),
    "new_firms": _q("新增企业数", "家", 0, "当年符合、上年不符合条件的企业家数"),
    "awarded_firms": _q("获评企业数", "家", 0, "截至当年持有所列荣誉的企业家数", better=HIGHER),
    "above_scale_firms": _q("规上企业数", "家", 0, "当年规上工业企业家数"),
    "awarded_above_scale_firms": _q("获评规上企业数", "家", 0, "持有所列荣誉的规上企业家数"),
    "coverage_pct": _q("获评覆盖率", "%", 1, "获评规上企业数 ÷ 规上企业数 × 100", better=HIGHER),
    "factory_firms": _q("三大工厂企业数", "家", 0, "已认定三大工厂的规上企业家数"),
    "factory_firms_below_scale": _q("三大工厂规下企业数", "家", 0, "已认定三大工厂的规下企业家数"),
    "factory_growth_pct": _q(
        "三大工厂营业收入增幅",
        "%",
        1,
        "三大工厂企业营业收入合计比上年同一批企业增长",
        better=HIGHER,
    ),
    "district_growth_pct": _q(
        "全区规上营业收入增幅", "%", 1, "全区规上企业营业收入合计比上年同一批企业增长"
    ),
    "gap_points": _q(
        "增幅差", "百分点", 1, "三大工厂营业收入增幅 − 全区规上营业收入增幅", better=HIGHER
    ),
    "matches": _q("匹配企业数", "家", 0, "名称或代码符合搜索的企业家数", SYSTEM),
    # 三大工厂 quotas and applications
    "quota_count": _q(
        "任务数", "家", 0, "附件5 分解给镇街（平台）的当年认定任务", BUREAU, "规划期不变"
    ),
    "awarded_count": _q("已认定", "家", 0, "镇街当年认定的三大工厂企业家数", BUREAU, BY_BATCH),
    "quota_total": _q("三年任务", "家", 0, "附件5 三年任务合计", BUREAU, "规划期不变"),
    "quota_due": _q("截至当年应完成", "家", 0, "截至所选年度的累计任务", BUREAU, "规划期不变"),
    "awarded": _q("已认定", "家", 0, "截至所选年度累计认定的家数", BUREAU, BY_BATCH, HIGHER),
    "remaining": _q("还需", "家", 0, "距三年任务还需认定的家数", better=LOWER),
    "applied": _q("申报", "件", 0, "当年申报的件数", BUREAU, BY_BATCH),
    "recommended": _q("推荐", "件", 0, "镇街推荐的件数", BUREAU, BY_BATCH),
    "passed_review": _q("初审通过", "件", 0, "通过初审的件数", BUREAU, BY_BATCH),
    "recognised": _q("认定", "件", 0, "最终认定的件数", BUREAU, BY_BATCH, HIGHER),
    "score_basic": _q("基础管理", "分", 1, "自评分：基础管理（满分30）", BUREAU, BY_BATCH, HIGHER),
    "score_green": _q("绿色制造", "分", 1, "自评分：绿色制造（满分15）", BUREAU, BY_BATCH, HIGHER),
    "score_digital": _q(
        "数智赋能", "分", 1, "自评分：数智赋能（满分20）", BUREAU, BY_BATCH, HIGHER
    ),
    "score_innovation": _q(
        "科技创新", "分", 1, "自评分：科技创新（满分25）", BUREAU, BY_BATCH, HIGHER
    ),
    "score_brand": _q("品牌建设", "分", 1, "自评分：品牌建设（满分10）", BUREAU, BY_BATCH, HIGHER),
    "score_bonus": _q("加分", "分", 1, "加分项（示范工厂、品质工厂）", BUREAU, BY_BATCH, HIGHER),
    "total_score": _q("自评总分", "分", 1, "五个部分与加分项之和", BUREAU, BY_BATCH, HIGHER),
    # 亩均评价 (derived grades) and 企业画像
    "score": _q(
        "综合得分", "分", 1, "Σ min(指标值 ÷ 基准值, 封顶) × 权重（亩均评价办法）", better=HIGHER
    ),
    "score_rank": _q("组内排名", "", 0, "同年同规模组内按综合得分的名次", better=LOWER),
    "imputed_indicators": _q("按组平均计分的指标数", "项", 0, "缺数据、按组内平均得分计入的指标数"),
    "mu_tax": _q("亩均税收", "万元/亩", 2, "企业税收实际贡献 ÷ 用地面积", better=HIGHER),
    "industry_mu_tax": _q("行业亩均税收", "万元/亩", 2, "同行业规上企业税收合计 ÷ 用地合计"),
    "rd_ratio": _q("R&D经费支出占营业收入比重", "%", 2, "企业研发经费支出 ÷ 营业收入 × 100"),
    "district_rd_ratio": _q(
        "全区R&D经费支出占营业收入比重", "%", 2, "全区规上企业研发经费合计 ÷ 营业收入合计 × 100"
    ),
    # a figure whose unit is on its row (indicators.unit, or the indicator it is a value of)
    "value": _q("数值", "", 2, "指标的数值，单位见同行的单位列或指标", REPORTED),
    "median_value": _q("中位数", "", 2, "同一范围内企业指标值的中位数，单位同指标"),
    "industry_median": _q("行业中位数", "", 2, "同行业全部企业当年的中位数，单位同指标"),
    "district_median": _q("全区规上中位数", "", 2, "全区规上企业当年的中位数，单位同指标"),
    # the progress engine's figures as exported (a share shown in %)
    "completion_pct": _q(
        "完成率", "%", 1, "实际值对照目标的完成程度（口径说明 §1）", better=HIGHER
    ),
    "expected_pct": _q("序时进度", "%", 1, "按规划期到所选年度应完成的程度（口径说明 §1）"),
    "target": _q("目标值", "", 2, "规划目标的数值，单位见同行的单位列", BUREAU, ON_IMPORT),
    "actual": _q("实际值", "", 2, "与目标对照的实际数值，单位见同行的单位列"),
    "target_count": _q("目标数", "项", 0, "规划中的目标项数", BUREAU, ON_IMPORT),
    "quota_fulfilment_pct": _q(
        "认定数 ÷ 截至当年应完成任务数",
        "%",
        0,
        "镇街赛马：累计认定数 ÷ 截至当年的累计任务数 × 100",
        better=HIGHER,
    ),
    # the grading method (targets.toml [grading]): per indicator, in the indicator's unit
    "benchmark": _q(
        "基准值", "", 2, "指标值达到基准值得满权重分（单位见同行）", BUREAU, "办法修订时"
    ),
    "weight": _q("权重", "", 0, "指标在综合得分中的满分", BUREAU, "办法修订时"),
    "slide": _q("页", "", 0, "汇报材料中的页码", SYSTEM, "每次生成"),
    # the ledger and the plans
    "import_id": _q("序号", "", 0, "导入记录的序号", SYSTEM, ON_IMPORT),
    "row_count": _q("行数", "", 0, "一次导入或一张表的行数", SYSTEM, ON_IMPORT),
    "version": _q("版本", "", 0, "规划的版本号（1为预置版本）", BUREAU, ON_IMPORT),
}


def quantity(column: str) -> Quantity:
    """The catalogue's entry for `column`; a KeyError names a column the catalogue lacks."""
    return QUANTITIES[column]


def header(column: str) -> str:
    """`用地面积（亩）` for `land_mu`."""
    return QUANTITIES[column].header


def headers(columns: Iterable[str]) -> dict[str, str]:
    """{column: header}, to rename a frame's columns for display."""
    return {column: header(column) for column in columns}


def label(column: str) -> str:
    return QUANTITIES[column].label


def unit(column: str) -> str:
    return QUANTITIES[column].unit


HEADERS = {entry.header for entry in QUANTITIES.values()}
