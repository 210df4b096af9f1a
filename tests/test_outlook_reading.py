"""How the outlook reads (plantrack/report/tables.py, the one wording every surface uses): the pace in
the quantity's unit, a fall shown as a fall, one clause where status and judgement differ, and one
终期差 for a target due. Expected texts written out by hand."""

import pandas as pd

from plantrack.report import outlook_words, tables


def _outlook(**given) -> dict:
    base = {
        "years_left": 3,
        "remaining": 6.5,
        "pace_so_far": -3.1,
        "pace_needed": 2.1667,
        "pace_unit": "个百分点/年",
        "projection": 74.2,
        "projected_completion": 74.2 / 90,
        "judgement": "难以完成",
        "method": "按近 4 年线性趋势外推",
        "reason": "趋势背离目标",
        "basis": "按近4年趋势",
    }
    return base | given


def _facts(**given) -> dict:
    base = {
        "status": "behind",
        "status_label": "滞后",
        "unit": "%",
        "direction": "at_least",
        "target": 90.0,
        "actual": 83.5,
    }
    return base | given


def test_a_falling_share_reads_in_points_a_year_with_its_sign():
    cells = outlook_words.outlook_cells(_outlook(), **_facts())
    assert cells["还需"] == "6.5个百分点（剩3年）"
    assert cells["需要的节奏"] == "2.2个百分点/年"
    assert cells["目前节奏"] == "−3.1个百分点/年"
    assert cells["预计到期"] == "预计 74.2%"
    assert cells["能否完成"] == "难以完成（趋势背离目标）"


def test_a_growth_rate_reads_as_a_rate():
    growth = _outlook(
        pace_unit="%/年",
        pace_so_far=6.25,
        pace_needed=8.0,
        remaining=1.75,
        projection=6.25,
        reason="",
        basis="按规划以来年均增长",
    )
    cells = outlook_words.outlook_cells(growth, **_facts(target=8.0, actual=6.25))
    assert (cells["还需"], cells["需要的节奏"], cells["目前节奏"]) == (
        "1.8个百分点（剩3年）",
        "8.0%/年",
        "6.3%/年",
    )


def test_one_clause_when_status_and_judgement_differ():
    likely = _outlook(judgement="预计完成", reason="", basis="按近2年趋势")
    behind = _facts(status="far_behind", status_label="严重滞后")
    assert outlook_words.outlook_cells(likely, **behind)["能否完成"] == (
        "预计完成（严重滞后，但按近2年趋势预计可完成）"
    )
    unlikely = _outlook(reason="", basis="按年均进度")
    on_pace = _facts(status="on_pace", status_label="符合序时")
    assert outlook_words.outlook_cells(unlikely, **on_pace)["能否完成"] == (
        "难以完成（符合序时，但按年均进度难以完成）"
    )
    at_risk = _outlook(judgement="有风险", reason="", basis="按近3年趋势")
    met = _facts(status="met", status_label="达标")
    assert (
        outlook_words.outlook_cells(at_risk, **met)["能否完成"]
        == "有风险（已达标，但按近3年趋势可能回落）"
    )
    agreeing = _outlook(judgement="难以完成", reason="")
    assert outlook_words.outlook_cells(agreeing, **_facts())["能否完成"] == "难以完成"


def test_a_target_due_shows_one_final_gap_or_met():
    # 50 家 due, 42.3 reached: 7.7 short, shown rounded away from the target as 8 家
    cells = outlook_words.outlook_cells(None, **_facts(unit="家", target=50.0, actual=42.3))
    assert cells == {
        "能否完成": "终期差 8 家",
        "还需": "—",
        "需要的节奏": "—",
        "目前节奏": "—",
        "预计到期": "—",
    }
    # 不高于 5 %, ended at 7.25 %: 2.25 points over, shown as 2.3
    ceiling = _facts(direction="at_most", target=5.0, actual=7.25, status="far_behind")
    assert outlook_words.outlook_cells(None, **ceiling)["能否完成"] == "终期差 2.3个百分点"
    assert (
        outlook_words.outlook_cells(None, **_facts(status="met", actual=91.0))["能否完成"]
        == "已达到"
    )


def test_the_deciding_column_is_beside_the_target_and_in_the_excel_download():
    frame = pd.DataFrame(
        [
            {
                "label": "数控化率",
                "direction": "at_least",
                "target": 90.0,
                "unit": "%",
                "actual": 83.5,
                "completion": 83.5 / 90,
                "expected": 0.95,
                "status": "behind",
                "status_label": "滞后",
                "year": 2025,
                "eval_year": 2022,
                "basis": "",
                "note": "",
                "clause": "",
                "quote": "",
                "source": "",
                "outlook": _outlook(),
            }
        ]
    )
    shown = tables.progress_table(frame, {"behind": "滞后"})
    assert list(shown.columns[:2]) == ["目标", "能否完成"]
    exported = tables.progress_export(frame, {"behind": "滞后"})
    assert exported.loc[0, "能否完成（预计）"] == "难以完成（趋势背离目标）"
    assert exported.loc[0, "目前节奏"] == "−3.1个百分点/年"


def test_a_pace_in_a_sentence_says_a_fall_as_a_fall():
    """The Word report's 下一步: "需每年减少13 家", never "需−13 家/年"; a share in 个百分点; a rate as 年均."""
    assert outlook_words.pace_phrase(-13.0, "家", "家/年") == "每年减少13 家"
    assert outlook_words.pace_phrase(4.0, "家", "家/年") == "每年增加4 家"
    assert outlook_words.pace_phrase(2.2, "%", "个百分点/年") == "每年提高2.2个百分点"
    assert outlook_words.pace_phrase(-3.1, "%", "个百分点/年") == "每年降低3.1个百分点"
    assert outlook_words.pace_phrase(8.0, "%", "%/年") == "年均增长8.0%"
    assert outlook_words.pace_phrase(-1.5, "%", "%/年") == "年均下降1.5%"
    assert outlook_words.pace_phrase(None, "家", "家/年") == "—"
    assert outlook_words.pace_phrase(0.04, "%", "个百分点/年") == "基本持平"
