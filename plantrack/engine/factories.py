"""三大工厂 eligibility under 附件1 of 定政办发〔2023〕24号: which category an enterprise qualifies for and
which rule stops it. Used by the enterprise profile and by the demo generator (one set of rules)."""

from __future__ import annotations

from dataclasses import dataclass

SECTION_MAX = {"basic": 30, "green": 15, "digital": 20, "innovation": 25, "brand": 10}
SECTION_LABELS = {
    "basic": "基础管理",
    "green": "绿色制造",
    "digital": "数智赋能",
    "innovation": "科技创新",
    "brand": "品牌建设",
}
SCORE_RANGES = {"洁美工厂": (70, 80), "品质工厂": (80, 90), "示范工厂": (90, 1000)}
DIRECT_MODEL_HONOURS = {"单项冠军", '专精特新"小巨人"'}  # 国家级: 自动认定为示范工厂


@dataclass(frozen=True)
class Facts:
    """What the enterprise data says (factory_eligibility_facts.sql)."""

    grade: str | None
    previous_grade: str | None
    mu_tax_at_least_industry_avg: bool
    has_rd: bool
    rd_ratio_at_least_district_avg: bool
    national_honours: frozenset[str] = frozenset()


def total_score(scores: dict[str, float], bonus: float, category: str) -> float:
    return sum(scores.values()) + (bonus if category != "洁美工厂" else 0.0)


def problems(
    category: str,
    facts: Facts,
    scores: dict[str, float] | None = None,
    bonus: float = 0.0,
    veto: bool = False,
    credit: str | None = None,
) -> list[str]:
    """Every rule of 附件1 the enterprise fails for `category`, in Chinese; [] = qualifies.
    Without `scores` (no application yet) only the data rules are checked."""
    if category == "示范工厂" and facts.national_honours & DIRECT_MODEL_HONOURS:
        return []
    found = []
    if veto:
        found.append("一票否决：当年发生重大安全生产、环境等事故")
    if credit == "差":
        found.append("社会信用评价低于中等")
    if facts.grade not in ("A", "B", "C"):
        found.append(f"当年亩均评价为{facts.grade or '无'}，须C档及以上")
    if scores is not None:
        low, high = SCORE_RANGES[category]
        total = total_score(scores, bonus, category)
        if total < low:
            found.append(f"自评总分{total:.1f}分，低于{category}的{low}分")
        elif total >= high:
            found.append(f"自评总分{total:.1f}分，达到更高类别（{high}分以上）")
        if category == "洁美工厂" and scores["basic"] < 20:
            found.append("基础管理得分低于20分")
        if category == "品质工厂" and scores["green"] < 10:
            found.append("绿色制造得分低于10分")
    if category == "品质工厂":
        if not facts.mu_tax_at_least_industry_avg:
            found.append("亩均税收低于行业平均水平")
        if not facts.has_rd:
            found.append("无研发经费投入")
    if category == "示范工厂":
        if facts.previous_grade not in ("A", "B"):
            found.append(f"上年度亩均评价为{facts.previous_grade or '无'}，须B档及以上")
        if not facts.rd_ratio_at_least_district_avg:
            found.append("研发投入强度低于全区平均水平")
    return found


def verdicts(facts_row, awards, applications) -> list[tuple[str, list[str], str]]:
    """(category, failing rules, what it was judged on) for each of the three, for the profile page.

    `facts_row`: a factory_eligibility_facts.sql row; `awards`/`applications`: the enterprise's rows."""
    national = awards[awards["level"] == "国家级"]["award"] if not awards.empty else []
    facts = Facts(
        grade=facts_row["grade"],
        previous_grade=facts_row["previous_grade"],
        mu_tax_at_least_industry_avg=bool(facts_row["mu_tax_at_least_industry_avg"]),
        has_rd=bool(facts_row["has_rd"]),
        rd_ratio_at_least_district_avg=bool(facts_row["rd_ratio_at_least_district_avg"]),
        national_honours=frozenset(national),
    )
    result = []
    for category in SCORE_RANGES:
        mine = (
            applications[applications["category"] == category]
            if not applications.empty
            else applications
        )
        if mine is not None and not mine.empty:
            latest = mine.iloc[0]
            scores = {key: float(latest[f"score_{key}"]) for key in SECTION_MAX}
            failing = problems(
                category,
                facts,
                scores,
                float(latest["score_bonus"]),
                bool(latest["veto"]),
                latest["credit_rating"],
            )
            source = f"含{int(latest['year'])}年申报自评分（{latest['stage']}）"
        else:
            failing = problems(category, facts)
            source = "未申报：只按数据条件判断，另需自评分达到分档"
        if category == "示范工厂" and facts.national_honours & DIRECT_MODEL_HONOURS:
            source = (
                "国家级单项冠军或专精特新“小巨人”，符合直接认定条件；"
                "经认定公布、列入示范工厂名单后才计入示范工厂任务数"
            )
        result.append((category, failing, source))
    return result
