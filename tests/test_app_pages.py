"""AppTest for 规划详情 and 口径说明, against the progress engine on the same fixture."""

from plantrack.engine import progress
from plantrack.report.formatting import share


def test_plan_detail_lists_every_target(app, con, config):
    app.switch_page("pages/plan_detail.py").run()
    assert not app.exception
    app.selectbox(key="plan_detail_plan").select("dinghai-tenglong-2021").run()
    table = app.dataframe[0].value
    plan = config.plan("dinghai-tenglong-2021")
    assert len(table) == len(plan.targets)
    assert {"目标", "完成率", "序时进度", "状态", "说明", "条款", "数据来源"} <= set(table.columns)
    # what is read on screen: units on every number, no raw floats, no "None"
    assert all(
        text == "—"
        or text.endswith(
            (
                "%",
                "万元/亩",
                "万元/人",
                "家",
                "个",
                "项",
                "台",
                "亩",
                "亿元",
                "比值",
                "名",
                "吨标准煤/万元",
            )
        )
        for text in table["实际值"]
    )
    assert not table.astype(str).isin(["None", "nan", "NaN"]).any().any()
    noted = next(t for t in plan.targets if t.note)
    assert noted.note in set(table["说明"])
    rows = {row.target_id: row for row in progress.evaluate(con, config, 2025, plan_id=plan.id)}
    first = table.iloc[0]
    assert first["目标"] == rows[plan.targets[0].id].label
    assert first["状态"] == rows[plan.targets[0].id].status_label


def test_plan_detail_status_filter(app, con, config):
    app.switch_page("pages/plan_detail.py").run()
    app.selectbox(key="plan_detail_plan").select("cixi-tenglong-2021").run()
    app.multiselect(key="plan_detail_status").set_value(["met"]).run()
    table = app.dataframe[0].value
    met = [
        row
        for row in progress.evaluate(con, config, 2025, plan_id="cixi-tenglong-2021")
        if row.status == "met"
    ]
    assert len(table) == len(met)
    assert set(table["状态"]) == {"达标"}


def test_plan_detail_follows_the_as_of_year(app, con, config):
    app.selectbox(key="as_of_year").select(2022).run()
    app.switch_page("pages/plan_detail.py").run()
    app.selectbox(key="plan_detail_plan").select("dinghai-tenglong-2021").run()
    table = app.dataframe[0].value
    rows = progress.evaluate(con, config, 2022, plan_id="dinghai-tenglong-2021")
    assert list(table["状态"]) == [row.status_label for row in rows]


def test_overview_shows_status_counts_per_plan(app, con, config):
    rows = progress.evaluate(con, config, 2025)
    met = sum(1 for row in rows if row.plan == config.plans[0].id and row.status == "met")
    assert any(f"达标 **{met}** 项" in md.value for md in app.markdown)
    assert any("数据口径提示" in info.value for info in app.info)


def test_method_page(app):
    app.switch_page("pages/method.py").run()
    assert not app.exception
    assert any("序时进度" in md.value for md in app.markdown)
    assert len(app.dataframe[0].value) == 8


def test_comparison_evaluates_targets_as_plan_detail_does(app, con, config):
    """规划对比 and 规划详情 read one evaluation: the 2023 亩均税收 target is judged on 2023's value even as of
    2025 (规划对比 used the latest year)."""
    from tests.apptest import open_page

    tax, land = con.execute(
        "select sum(tax_wan), sum(land_mu) from enterprise_years"
        " where year = 2023 and above_scale and land_mu > 0"
    ).fetchone()
    target = next(t for t in config.plan("dinghai-tenglong-2021").targets if t.id == "mu-tax-2023")
    completion = tax / land / target.target
    open_page(app, "pages/comparison.py")
    app.selectbox(key="comparison_metric").select("mu_tax_above_scale").run()
    table = next(frame.value for frame in app.dataframe if "评价年度" in frame.value.columns)
    row = table[(table["规划"] == "定海腾笼换鸟") & (table["目标"] == target.label)].iloc[0]
    assert row["评价年度"] == "2023年"
    assert row["完成率"] == share(completion, 1, met=completion >= 1)
    app.switch_page("pages/plan_detail.py").run()
    app.selectbox(key="plan_detail_plan").select("dinghai-tenglong-2021").run()
    detail = app.dataframe[0].value
    assert detail[detail["目标"] == target.label].iloc[0]["完成率"] == row["完成率"]
