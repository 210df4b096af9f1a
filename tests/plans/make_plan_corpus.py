"""Writes the example plan (data/examples/: version 1, and its 2025 revision) and the malformed plan
templates (tests/plans/bad/, each broken in one way, with the words its report must contain in
tests/plans/expected.toml). Run from the repository root: python tests/plans/make_plan_corpus.py"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from plantrack.ingest.plans import example, template  # noqa: E402
from plantrack.model import plan_sheets as sheets  # noqa: E402
from plantrack.model import plan_versions, targets  # noqa: E402
from plantrack.model.targets import Metric, Plan, Quota, QuotaTotal, Target  # noqa: E402

HERE = Path(__file__).resolve().parent
BAD = HERE / "bad"
CONFIG = targets.load_config()

NOTE = "示例：虚构数据，仅用于演示看板功能"
SMART = "example_smart_renovation_projects"
PARK = "example_micro_park_occupancy"


def _target(id, metric, label, target, unit, direction, aggregate="level", **more) -> Target:
    return Target(
        id=id,
        metric=metric,
        label=label,
        target=target,
        unit=unit,
        year=2026,
        direction=direction,
        aggregate=aggregate,
        clause=more.pop("clause", "一、主要目标（示例）"),
        quote=more.pop("quote", ""),
        note=more.pop("note", NOTE),
        **more,
    )


TARGETS = [
    _target("mu-tax-2026", "mu_tax_above_scale", "规上工业亩均税收", 22, "万元/亩", "at_least",
            quote="到2026年，规上工业亩均税收达到22万元/亩（示例）"),
    _target("rd-ratio-2026", "rd_ratio_above_scale", "规上工业R&D经费支出占营业收入比重", 2.0, "%",
            "at_least", quote="规上工业研发经费支出占营业收入比重达到2%（示例）"),
    _target("new-above-scale-2026", "new_above_scale_count", "新增规上工业企业", 36, "家", "at_least",
            "cumulative", quote="三年新增规上工业企业36家（示例）"),
    _target("output-growth", "output_above_scale", "规上工业总产值年均增长", 8, "%", "growth_at_least",
            quote="规上工业总产值年均增长8%以上（示例）"),
    _target("energy-decline-2026", "energy_per_value_added", "规上工业单位增加值能耗下降", 8, "%",
            "decline_at_least", base_year=2023, quote="单位增加值能耗较2023年下降8%（示例）"),
    _target("clean-factory-2026", "award_count", "打造“洁美工厂”", 45, "家", "at_least", "cumulative",
            params={"awards": ["洁美工厂"]}, clause="二、重点任务（一）（示例）",
            quote="三年打造“洁美工厂”45家（示例）"),
    _target("quality-factory-2026", "award_count", "打造“品质工厂”", 24, "家", "at_least", "cumulative",
            params={"awards": ["品质工厂"]}, clause="二、重点任务（一）（示例）",
            quote="三年打造“品质工厂”24家（示例）"),
    _target("low-efficiency-2026", "low_efficiency_count", "亩均税收5万元以下低效企业", 30, "家",
            "at_most", params={"line": 5}, quote="亩均税收5万元/亩以下企业压减至30家以内（示例）"),
    _target("digital-coverage-2026", "digital_transformation_coverage", "规上工业企业数字化改造覆盖率",
            90, "%", "at_least", quote="规上工业企业数字化改造覆盖率达到90%（示例）"),
    _target("smart-projects-2026", SMART, "实施智能化改造项目", 60, "个", "at_least", "cumulative",
            quote="三年实施智能化改造项目60个（示例）"),
    _target("park-occupancy-2026", PARK, "小微企业园入驻率", 95, "%", "at_least",
            quote="小微企业园入驻率保持在95%以上（示例）"),
]  # fmt: skip
CLEAN = {"金塘镇": 3, "定海工业园区": 3, "岑港街道": 2, "马岙街道": 2, "小沙街道": 1, "干览镇": 1,
         "环南街道": 1, "盐仓街道": 1, "白泉镇": 1}  # fmt: skip
QUALITY = {
    "金塘镇": 2,
    "定海工业园区": 2,
    "岑港街道": 1,
    "马岙街道": 1,
    "盐仓街道": 1,
    "双桥街道": 1,
}
YEARS = (2024, 2025, 2026)
QUOTAS = [
    Quota(award=award, town=town, year=year, count=count)
    for award, cells in (("洁美工厂", CLEAN), ("品质工厂", QUALITY))
    for town, count in cells.items()
    for year in YEARS
]
TOTALS = [
    QuotaTotal(award=award, year=year, count=sum(cells.values()), clause="附件 年度任务（示例）")
    for award, cells in (("洁美工厂", CLEAN), ("品质工厂", QUALITY))
    for year in YEARS
] + [
    QuotaTotal(award="洁美工厂", count=45, clause="二、重点任务（一）（示例）"),
    QuotaTotal(award="品质工厂", count=24, clause="二、重点任务（一）（示例）"),
]
PLAN = Plan(
    id=example.PLAN_ID,
    title="【示例】定海区制造业提质增效三年行动计划（2024—2026年）",
    short="示例三年计划",
    jurisdiction="定海区",
    doc_no="示例〔2024〕1号",
    issuer="（示例）定海区人民政府办公室",
    start=2024,
    end=2026,
    role="own",
    source="示例：虚构的规划与数字，仅用于演示规划发布与调整",
    targets=TARGETS,
    quotas=QUOTAS,
    quota_totals=TOTALS,
)
METRICS = {
    SMART: Metric(label="智能化改造项目数（示例）", unit="个", kind="reported", nature="flow",
                  minimum=0, maximum=500, description="当年实施的智能化改造项目个数，经信部门上报（示例指标）"),
    PARK: Metric(label="小微企业园入驻率（示例）", unit="%", kind="reported", nature="stock",
                 minimum=0, maximum=100, description="年末小微企业园已入驻面积占可入驻面积的比例，园区上报（示例指标）"),
}  # fmt: skip
REASON = (
    "【示例】2024年规上工业亩均税收增长快于预期，2026年目标由22万元/亩上调至24万元/亩；"
    "白泉镇新落地企业较多，金塘镇2025年1家“洁美工厂”任务调至白泉镇；增加研发活动覆盖目标。"
)


def _set(cells, key: str, value) -> None:
    """Set a 规划 item."""
    name = next(field.name for field in sheets.PLAN_FIELDS if field.key == key)
    for row in cells[sheets.PLAN]:
        if row[0] == name:
            row[1] = value
            return
    raise KeyError(key)


def _column(sheet: str, key: str) -> int:
    return [field.key for field in sheets.FIELDS[sheet]].index(key)


def first_version():
    version = plan_versions.PlanVersion(plan=PLAN, version=1, effective_year=2024, metrics=METRICS)
    cells = template.content(version, CONFIG.district)
    _set(cells, "action", sheets.NEW)
    _set(cells, "based_on", None)
    return version, cells


def revision(v1):
    targets_ = [
        t.model_copy(update={"target": 24, "quote": "到2026年，规上工业亩均税收达到24万元/亩（示例，2025年调整）"})
        if t.id == "mu-tax-2026"
        else t
        for t in v1.plan.targets
    ] + [
        _target("rd-coverage-2026", "rd_coverage_above_scale", "有研发活动的规上工业企业占比", 85, "%",
                "at_least", clause="二、重点任务（三）（示例，2025年增加）",
                quote="有研发活动的规上工业企业占比达到85%（示例）")
    ]  # fmt: skip
    moved = {("金塘镇", 2025): -1, ("白泉镇", 2025): +1}
    quotas = [
        q.model_copy(update={"count": q.count + moved.get((q.town, q.year), 0)})
        if q.award == "洁美工厂"
        else q
        for q in v1.plan.quotas
    ]
    plan = v1.plan.model_copy(update={"targets": targets_, "quotas": quotas})
    version = plan_versions.PlanVersion(plan=plan, version=1, effective_year=2025, metrics=METRICS)
    cells = template.content(version, CONFIG.district)
    _set(cells, "reason", REASON)
    return cells


def write(path: Path, cells) -> None:
    path.write_bytes(template.workbook_bytes(cells, CONFIG.metrics))


def bad_base():
    """A new plan (not the example: that one is in the demo database) without declared indicators."""
    _, cells = first_version()
    cells = copy.deepcopy(cells)
    _set(cells, "id", "bad-example-2024")
    _set(cells, "short", "坏样例")
    cells[sheets.METRICS] = cells[sheets.METRICS][:1]
    metric = _column(sheets.TARGETS, "metric")
    cells[sheets.TARGETS] = [
        row for row in cells[sheets.TARGETS] if row[metric] not in (SMART, PARK)
    ]
    return cells


def target_row(cells, target_id: str) -> list:
    return next(row for row in cells[sheets.TARGETS] if row[0] == target_id)


def seeded_export():
    """三年行动 as exported for a revision (version 1, targets.toml)."""
    return template.content(
        plan_versions.seeded(CONFIG.plan("dinghai-upgrade-2023")), CONFIG.district
    )


def bad_files() -> dict[str, tuple[object, list[str]]]:
    """file → (cells or raw bytes, words its report must contain)."""
    found = {}
    T, Q, M = sheets.TARGETS, sheets.QUOTAS, sheets.METRICS

    def case(name, words, change=None, base=bad_base):
        cells = base()
        if change is not None:
            change(cells)
        found[name] = (cells, words)

    case("缺少工作表.xlsx", ["缺少工作表「目标」"], lambda c: c.pop(T))
    case(
        "未知指标.xlsx",
        ["「目标」第2行「指标」列", "mu_tax_above_scal", "相近的有", "mu_tax_above_scale"],
        lambda c: target_row(c, "mu-tax-2026").__setitem__(
            _column(T, "metric"), "mu_tax_above_scal"
        ),
    )
    case(
        "单位与指标不符.xlsx",
        ["第2行「单位」列", "亿元", "万元/亩", "不一致"],
        lambda c: target_row(c, "mu-tax-2026").__setitem__(_column(T, "unit"), "亿元"),
    )
    case(
        "年度超出规划期.xlsx",
        ["「年度」列", "2030", "不在规划期 2024—2026 内"],
        lambda c: target_row(c, "rd-ratio-2026").__setitem__(_column(T, "year"), 2030),
    )
    case(
        "目标编号重复.xlsx",
        ["第3行「编号」列", "mu-tax-2026", "与第2行的编号重复"],
        lambda c: target_row(c, "rd-ratio-2026").__setitem__(0, "mu-tax-2026"),
    )
    case(
        "未知镇街.xlsx",
        ["「镇街任务」第2行「镇街」列", "火星镇", "不是定海区的镇街"],
        lambda c: c[Q][1].__setitem__(_column(Q, "town"), "火星镇"),
    )
    case(
        "数字格写了文字.xlsx",
        ["第2行「目标值」列", "二十二", "不是数字"],
        lambda c: target_row(c, "mu-tax-2026").__setitem__(_column(T, "target"), "二十二"),
    )
    case(
        "与预置规划编号相同.xlsx",
        ["「规划」第3行「内容（规划编号）」列", "dinghai-upgrade-2023", "预置", "三年行动"],
        lambda c: _set(c, "id", "dinghai-upgrade-2023"),
    )
    case(
        "下降类缺基期年.xlsx",
        ["「基期年」列", "下降不低于", "须填写基期年"],
        lambda c: target_row(c, "energy-decline-2026").__setitem__(_column(T, "base_year"), None),
    )
    case(
        "方向填错.xlsx",
        ["「方向」列", "至少", "下拉列表"],
        lambda c: target_row(c, "rd-ratio-2026").__setitem__(_column(T, "direction"), "至少"),
    )
    case(
        "规划编号格式错误.xlsx",
        ["规划编号", "定海2026", "小写字母"],
        lambda c: _set(c, "id", "定海2026"),
    )
    case("起止年颠倒.xlsx", ["结束年", "2023", "早于起始年"], lambda c: _set(c, "end", 2023))
    case(
        "任务数为负.xlsx",
        ["「任务数（家）」列", "-1", "不小于0的整数"],
        lambda c: c[Q][1].__setitem__(_column(Q, "count"), -1),
    )
    case(
        "参数写法错误.xlsx",
        ["「参数」列", "awards = 洁美工厂", "写法有误"],
        lambda c: target_row(c, "clean-factory-2026").__setitem__(
            _column(T, "params"), "awards = 洁美工厂"
        ),
    )
    case(
        "上报指标带参数.xlsx",
        ["「参数」列", "不接受参数"],
        lambda c: target_row(c, "digital-coverage-2026").__setitem__(
            _column(T, "params"), 'awards = ["洁美工厂"]'
        ),
    )
    case(
        "参数不属于该指标.xlsx",
        ["「参数」列", "colour", "不是指标「获评企业数」可用的参数"],
        lambda c: target_row(c, "clean-factory-2026").__setitem__(
            _column(T, "params"), 'colour = "红"'
        ),
    )

    def declare_catalogue_id(c):
        c[M].append(["mu_tax_above_scale", "亩均税收（重复声明）", "万元/亩", "存量", 0, None, ""])

    case(
        "新增指标与目录重复.xlsx",
        ["「新增指标」第2行「指标编号」列", "mu_tax_above_scale", "指标目录"],
        declare_catalogue_id,
    )

    case(
        "新增指标上限小于下限.xlsx",
        ["「上限」列", "上限小于下限"],
        lambda c: c[M].append(["bad_projects", "项目数", "个", "流量", 10, 5, ""]),
    )

    def drop_unit_column(c):
        column = _column(T, "unit")
        c[T] = [row[:column] + row[column + 1 :] for row in c[T]]

    case("缺少必填列.xlsx", ["「目标」第1行「单位」列", "缺少必填列"], drop_unit_column)
    case("没有目标.xlsx", ["没有目标"], lambda c: c.__setitem__(T, c[T][:1]))
    case(
        "本区规划地区不符.xlsx",
        ["地区", "慈溪市", "本区规划的地区应为 定海区"],
        lambda c: _set(c, "jurisdiction", "慈溪市"),
    )
    case(
        "生效年度超出规划期.xlsx",
        ["生效年度", "2027", "应在规划期 2024—2026 内"],
        lambda c: _set(c, "effective_year", 2027),
    )
    case(
        "调整了不存在的规划.xlsx",
        ["没有编号为 bad-example-2024 的规划可以调整"],
        lambda c: (_set(c, "action", sheets.REVISE), _set(c, "reason", "测试")),
    )

    def raise_clean_target(c):
        target_row(c, "model-factory")[_column(T, "target")] = 25

    case(
        "调整未填原因.xlsx",
        ["「规划」第14行「内容（调整原因）」列", "须填写调整原因"],
        raise_clean_target,
        seeded_export,
    )

    def stale(c):
        raise_clean_target(c)
        _set(c, "reason", "测试")
        _set(c, "based_on", 5)

    case(
        "据以修改的版本不是现行版本.xlsx",
        ["基于版本", "据第5版修改", "现行为第1版"],
        stale,
        seeded_export,
    )
    case("调整后没有变动.xlsx", ["完全相同"], lambda c: _set(c, "reason", "测试"), seeded_export)
    found["不是Excel文件.xlsx"] = (b"this is not a workbook", ["不是有效的 Excel"])
    return found  # fmt: skip


WARNING_ONLY = {
    # quota cells that do not add up to the stated total: reported, as 附件5's are, and publishable
    "任务合计与分解不符.xlsx": [
        "「镇街任务」",
        "「任务数（家）」列",
        "各镇街任务相加为 15 个",
        "为 16 个",
    ],
}


def main() -> None:
    v1, cells = first_version()
    example.FOLDER.mkdir(parents=True, exist_ok=True)
    write(example.paths()[0], cells)
    write(example.paths()[1], revision(v1))
    BAD.mkdir(exist_ok=True)
    for old in BAD.iterdir():
        old.unlink()
    lines = ["# Generated by make_plan_corpus.py: file → words its check report must contain.", ""]
    for name, (cells, words) in bad_files().items():
        if isinstance(cells, bytes):
            (BAD / name).write_bytes(cells)
        else:
            write(BAD / name, cells)
        lines.append(f'"{name}" = [{", ".join(_quoted(w) for w in words)}]')
    cells = bad_base()
    total = next(
        row for row in cells[sheets.QUOTAS] if row[1] == sheets.TOTAL_ROW and row[2] == 2024
    )
    total[_column(sheets.QUOTAS, "count")] = 16
    write(HERE / "任务合计与分解不符.xlsx", cells)
    lines += ["", "[warning_only]"]
    lines += [f'"{n}" = [{", ".join(_quoted(w) for w in ws)}]' for n, ws in WARNING_ONLY.items()]
    (HERE / "expected.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"示例规划 2 个，错误模板 {len(list(BAD.iterdir()))} 个")


def _quoted(word: str) -> str:
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


if __name__ == "__main__":
    main()
