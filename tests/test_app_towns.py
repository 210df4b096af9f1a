"""AppTest: 镇街任务, checked against direct SQL on the fixture."""

import pytest

from tests.apptest import chart_text, open_page


def _awarded(con, town, award, upto):
    return con.execute(
        "select count(distinct awards.credit_code) from awards join enterprises using (credit_code) "
        "where award = ? and town = ? and year between 2023 and ?",
        [award, town, upto],
    ).fetchone()[0]


def test_matrix_cells_match_sql(app, con):
    open_page(app, "pages/towns.py")
    spec = chart_text(app, "towns_matrix")
    expected = _awarded(con, "金塘镇", "洁美工厂", 2025)
    # short cell text (whole on a phone); the three-year task in the hover: 金塘镇 洁美 quotas 4 + 3 + 3
    assert f'"{expected}/10"' in spec and "三年任务 10 家" in spec


def test_as_of_year_changes_quota_due(app, con):
    app.selectbox(key="as_of_year").select(2023).run()
    open_page(app, "pages/towns.py")
    spec = chart_text(app, "towns_matrix")
    expected = _awarded(con, "金塘镇", "洁美工厂", 2023)
    assert f'"{expected}/4"' in spec


def test_ranking_boards(app):
    open_page(app, "pages/towns.py")
    boards = [md.value for md in app.markdown if "红榜" in md.value]
    assert boards and "黑榜" in boards[0]


@pytest.mark.parametrize("as_of", [2023, 2025])
def test_town_selection_lists_its_applications_up_to_the_as_of_year(app, con, as_of):
    app.selectbox(key="as_of_year").select(as_of).run()
    open_page(app, "pages/towns.py")
    app.selectbox(key="towns_town").select("金塘镇").run()
    count = con.execute(
        "select count(*) from applications join enterprises using (credit_code)"
        " where town = '金塘镇' and year <= ?",
        [as_of],
    ).fetchone()[0]
    assert any(
        f"**本镇街三大工厂申报**：金塘镇截至{as_of}年 {count} 件" in md.value for md in app.markdown
    )
    tables = [frame.value for frame in app.dataframe]
    listed = next(table for table in tables if "未通过原因" in table.columns)
    assert len(listed) == count and (listed["申报年度"] <= as_of).all()


def test_pipeline_year_filter(app, con):
    open_page(app, "pages/towns.py")
    app.selectbox(key="towns_pipeline_year").select(2024).run()
    spec = chart_text(app, "towns_pipeline")
    assert "2024年三大工厂申报" in spec
    applied = con.execute("select count(*) from applications where year = 2024").fetchone()[0]
    assert applied > 0


def test_low_efficiency_line_filter(app, con):
    open_page(app, "pages/towns.py")
    labels = [option for option in app.selectbox(key="towns_line").options]
    app.selectbox(key="towns_line").select_index(2).run()
    assert "8万元" in labels[2]
    spec = chart_text(app, "towns_low_efficiency")
    assert "园区参评企业亩均税收低于8万元/亩" in spec


def test_url_parameters_reproduce_the_view(app):
    open_page(app, "pages/towns.py", town="干览镇", pyear="2023")
    assert app.selectbox(key="towns_town").value == "干览镇"
    assert app.selectbox(key="towns_pipeline_year").value == 2023


def test_bad_url_parameter_falls_back_with_a_notice(app):
    open_page(app, "pages/towns.py", town="火星镇")
    assert app.selectbox(key="towns_town").value == "城东街道"
    assert any("town=火星镇" in toast.value for toast in app.toast)


def test_a_category_without_task_reads_as_a_dash_and_the_download_keeps_numbers(app, con, config):
    """城东街道 has 洁美工厂 tasks only (附件5): its 品质/示范 rows have no 完成率 — `—` on screen, never
    "None" — and an empty cell in the Excel download, whose 完成率 stays a number. 洁美's 已认定 is
    counted from the raw award rows."""
    from plantrack.engine import quotas
    from plantrack.report import tables
    from plantrack.store import db

    open_page(app, "pages/towns.py", town="城东街道")
    shown = next(frame.value for frame in app.dataframe if "序时进度" in frame.value.columns)
    assert not shown.astype(str).isin(["None", "nan", "NaN", "<NA>"]).any().any()
    rows = shown.set_index("类别")
    assert rows.loc["品质工厂", "完成率"] == "—" and rows.loc["示范工厂", "序时进度"] == "—"
    assert rows.loc["洁美工厂", "已认定（家）"] == _awarded(con, "城东街道", "洁美工厂", 2025)

    plan = next(plan for plan in config.plans if plan.quotas)
    cells = db.run_query(con, "town_factory_fulfillment", quotas=quotas.quota_param(plan))
    fulfilled = quotas.fulfillment(cells, plan, 2025, config.status)
    exported = tables.town_quota_export(fulfilled[fulfilled["town"] == "城东街道"])
    exported = exported.set_index("类别")
    assert exported["完成率（%）"].dtype.kind == "f"
    assert (
        exported["完成率（%）"].isna()["品质工厂"]
        and not exported["完成率（%）"].isna()["洁美工厂"]
    )
