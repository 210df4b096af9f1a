"""汇报材料 offers the Word 分析报告: the bureau picks 全区 or any town with a quota, or all at once; a
镇街 user gets only their own town's (the scope and the viewer are resolved while the page runs)."""

from __future__ import annotations

from tests.apptest import as_user, open_page

TOWN = "金塘镇"


def _labels(at) -> list[str]:
    return [button.proto.label for button in at.get("download_button")]


def test_bureau_chooses_district_or_any_town(app, con):
    open_page(app, "pages/briefing.py")
    scope = app.selectbox(key="briefing_report_scope")
    quota_towns = {
        row[0] for row in con.execute("select distinct town from enterprises").fetchall()
    } & set(scope.options)
    assert scope.options[0] == "全区" and TOWN in scope.options and len(quota_towns) >= 10
    labels = _labels(app)
    assert "生成并下载分析报告（Word）" in labels
    assert f"全区及{len(scope.options) - 1}个镇街的分析报告（ZIP）" in labels


def test_town_user_gets_only_their_own_report(app):
    as_user(app, "镇街", TOWN, name="金塘小李").run()
    open_page(app, "pages/briefing.py")
    assert app.selectbox(key="briefing_report_scope").options == [TOWN]
    labels = _labels(app)
    assert "生成并下载分析报告（Word）" in labels
    assert not [label for label in labels if "ZIP" in label]
