"""What leadership sees first, on hand-made cases: which plans are 本区 and in force, the 预警 list and its
order, an ended plan's 终期 wording, a town's rank among all towns."""

import pandas as pd

from plantrack.engine import leadership
from plantrack.model.targets import Config
from plantrack.report import outlook_words, tables


def _plan(**fields):
    base = {"title": "t", "jurisdiction": "定海区", "doc_no": "", "targets": [], "quotas": []}
    return {**base, **fields}


def _config(config, plans) -> Config:
    return config.model_copy(update={"plans": [type(config.plans[0])(**p) for p in plans]})


def test_own_plans_in_force_first_ended_after_never_a_peer(config):
    chosen = _config(
        config,
        [
            _plan(id="old", short="旧", start=2021, end=2023),
            _plan(
                id="peer", short="慈溪", start=2021, end=2025, role="peer", jurisdiction="慈溪市"
            ),
            _plan(id="now", short="现", start=2023, end=2025),
            _plan(id="example", short="示例", start=2024, end=2026, sample=True),
            _plan(id="older", short="更旧", start=2019, end=2022),
            _plan(id="later", short="未开始", start=2026, end=2028),  # not begun: not listed
        ],
    )
    selection = leadership.own_plans(chosen, 2025)
    assert [p.id for p in selection.in_force] == ["now", "example"]
    assert [p.id for p in selection.ended] == ["old", "older"]  # the latest ending first
    assert selection.ids == ["now", "example", "old", "older"]
    assert [p.id for p in selection.upcoming] == ["later"]
    assert leadership.own_plans(chosen, 2025, ["peer", "old"]).ids == ["old"]
    assert leadership.tag(chosen.plans[1]) == "对标规划 · 数据为该市口径"
    assert leadership.tag(chosen.plans[3]) == "本区规划 · 示例"
    # the plans of targets.toml: 定海's three, never 绍兴's or 慈溪's
    assert leadership.own_plans(config, 2025).ids == [
        "dinghai-upgrade-2023", "dinghai-tenglong-2021", "dinghai-climb-2023",
    ]  # fmt: skip


def _row(plan, target_id, status, completion, expected, judgement=None, **more):
    outlook = None
    if judgement is not None:
        outlook = {"judgement": judgement, "remaining": 4.0, "years_left": 1, "pace_needed": 4.0,
                   "pace_so_far": 1.0, "pace_unit": "家/年", "projection": 2.0,
                   "projected_completion": 0.5, "reason": ""}  # fmt: skip
    return {"plan": plan, "plan_short": plan, "target_id": target_id, "label": target_id,
            "unit": "家", "direction": "at_least", "target": 10.0, "actual": 3.0,
            "completion": completion, "expected": expected, "status": status,
            "status_label": status, "outlook": outlook, **more}  # fmt: skip


def test_warnings_are_far_behind_or_hard_targets_and_lagging_town_cells_furthest_first(config):
    chosen = _config(
        config,
        [
            _plan(id="now", short="现", start=2023, end=2025),
            _plan(id="old", short="旧", start=2021, end=2023),
        ],
    )
    progress = pd.DataFrame(
        [
            _row("now", "far", "far_behind", 0.30, 0.90),  # 60 points behind
            _row("now", "hard", "on_pace", 0.70, 0.67, "难以完成"),  # judged 难以完成
            _row("now", "fine", "behind", 0.60, 0.67, "预计完成"),  # behind but fine: not listed
            _row("old", "ended", "far_behind", 0.10, 1.00),  # an ended plan: not a 预警
        ]
    )
    cells = pd.DataFrame(
        [
            {"town": "金塘镇", "award": "洁美工厂", "quota_total": 10, "awarded": 2, "completion": 0.2,
             "expected": 0.7, "status": "far_behind", "status_label": "严重滞后", "outlook": None},
            {"town": "白泉镇", "award": "品质工厂", "quota_total": 4, "awarded": 4, "completion": 1.0,
             "expected": 0.5, "status": "met", "status_label": "达标", "outlook": None},
        ]
    )  # fmt: skip
    found = leadership.warnings(
        progress, {"now": cells, "old": cells}, leadership.own_plans(chosen, 2025)
    )
    assert list(found["label"]) == ["far", "金塘镇洁美工厂", "hard"]  # gaps 0.60, 0.50, −0.03
    assert list(found["kind"]) == ["目标", "镇街任务", "目标"]
    shown = tables.warning_table(found)
    assert shown.loc[1, "还需"] == "终期差 8 家"  # due: 10 − 2
    assert shown.loc[2, ["还需", "需要的节奏", "目前节奏", "预计"]].tolist() == [
        "4 家（剩1年）", "4 家/年", "1 家/年", "预计 2 家",
    ]  # fmt: skip


def test_final_gap_is_said_once_in_one_wording():
    # one wording, outlook_words.final_gap (shared with the outlook columns): 不高于 too says by how much
    assert outlook_words.final_gap("far_behind", "家", "at_least", 6, 3) == "终期差 3 家"
    assert outlook_words.final_gap("far_behind", "家", "at_most", 0, 28) == "终期差 28 家"
    assert (
        outlook_words.final_gap("behind", "%", "growth_at_least", 8.0, 5.5) == "终期差 2.5个百分点"
    )
    rows = pd.DataFrame(
        [
            {"label": "投资增速", "unit": "%", "target": 8.0, "actual": 7.0, "direction": "at_least",
             "status": "behind", "year": 2022},
            {"label": "投资增速", "unit": "%", "target": 8.0, "actual": 7.5, "direction": "at_least",
             "status": "behind", "year": 2023},
            {"label": "新增企业", "unit": "家", "target": 6, "actual": 6, "direction": "at_least",
             "status": "met", "year": 2023},
            {"label": "园区", "unit": "家", "target": 0, "actual": None, "direction": "at_most",
             "status": "not_applicable", "year": 2023},
        ]
    )  # fmt: skip
    final = leadership.final_targets(rows)
    counts = leadership.final_result(rows)
    assert counts == {"met": 1, "missed": 1, "no_data": 0}
    assert tables.final_result_text(final, counts) == (
        "已结束 · 终期达标 1 项、未达标 1 项：投资增速 终期差 0.5个百分点"
    )


def test_a_towns_rank_is_among_all_towns():
    standing = pd.DataFrame({"town": [f"镇{i}" for i in range(1, 12)], "rank": range(1, 12)})
    assert tables.rank_text(standing, "镇8") == "第8名/共11个镇街"
    assert tables.rank_text(standing, "金塘镇") == "未排名（截至当年尚无应完成任务）"


def _cells(scores: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """One award, one year: each town's (quota, recognised), in 附件5 order."""
    return pd.DataFrame(
        [
            {"town": town, "award": "洁美工厂", "year": 2024, "quota_count": quota,
             "awarded_count": awarded, "sort_order": order}
            for order, (town, (quota, awarded)) in enumerate(scores.items())
        ]
    )  # fmt: skip


def test_boards_are_earned_not_drawn_by_the_attachment_order():
    from plantrack.engine import quotas

    all_zero = quotas.ranking(_cells({f"镇{i}": (2, 0) for i in range(1, 8)}), 2024)
    assert list(all_zero["rank"]) == list(range(1, 8))  # ranked by 附件5 order, as the rule says
    assert set(all_zero["board"]) == {""}  # but nobody is on a board for a tie at 0 %
    # 镇1 2/2 = 100 %, 镇2 1/2 = 50 %, 镇3…镇7 0/2: red only for those above the lowest with some
    # recognised (镇1, 镇2); black for the last three (below the highest)
    mixed = quotas.ranking(
        _cells({"镇1": (2, 2), "镇2": (2, 1), **{f"镇{i}": (2, 0) for i in range(3, 8)}}), 2024
    )
    boards = dict(zip(mixed["town"], mixed["board"], strict=True))
    assert [t for t, b in boards.items() if b == "红榜"] == ["镇1", "镇2"]
    assert [t for t, b in boards.items() if b == "黑榜"] == ["镇5", "镇6", "镇7"]
