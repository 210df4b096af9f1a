"""AppTest: the 总览 page, against direct SQL on the same fixture."""

from plantrack.app.navigation import PAGES
from plantrack.report import formatting
from plantrack.settings import ROOT
from plantrack.store import db
from tests.apptest import chart_text


def test_sample_data_banner(app):
    assert any("示例数据" in warning.value for warning in app.warning)


def test_metrics_match_sql(app, con):
    latest = con.execute("select max(year) from enterprise_years").fetchone()[0]
    tax, land, rd, revenue = con.execute(
        "select sum(tax_wan) filter (where land_mu > 0), sum(land_mu) filter (where land_mu > 0),"
        " sum(rd_wan) filter (where revenue_wan > 0), sum(revenue_wan) filter (where rd_wan is not null)"
        " from enterprise_years where year = ? and above_scale",
        [latest],
    ).fetchone()
    shown = {metric.label: metric.value for metric in app.metric}
    # labels and units come from the metric catalogue (targets.toml)
    assert shown[f"规上工业亩均税收（{latest}年）"] == formatting.number(tax / land, "万元/亩")
    assert shown[f"规上工业R&D经费支出占营业收入比重（{latest}年）"] == formatting.number(
        100 * rd / revenue, "%"
    )


def test_as_of_year_changes_the_page(app, con):
    yearly = db.run_query(con, "yearly_indicators", town=None).set_index("year")
    app.selectbox(key="as_of_year").select(2022).run()
    assert not app.exception
    shown = {metric.label: metric.value for metric in app.metric}
    assert shown["规上工业亩均税收（2022年）"] == formatting.number(
        yearly.loc[2022, "mu_tax_wan_per_mu"], "万元/亩"
    )
    chart = chart_text(app, "overview_chart_labour_productivity_wan_per_person")
    assert "2022" in chart and "2025年" not in chart


def test_every_page_file_is_declared():
    files = sorted(f"pages/{path.name}" for path in (ROOT / "pages").glob("*.py"))
    assert sorted(spec.path for spec in PAGES) == files


def test_plan_cards_count_each_status_and_list_the_furthest_behind():
    """Hand-made progress rows: counts per status (0 where none, 不适用 not counted), the 预计 line only
    for targets not yet due, and at most five furthest behind, lowest 完成率 first."""
    import pandas as pd

    from plantrack.report.tables import plan_cards

    def row(plan, status, completion, label="", outlook=None):
        return {"plan": plan, "status": status, "completion": completion, "label": label,
                "actual": 50.0, "unit": "家", "direction": "at_least", "target": 100.0,
                "outlook": outlook}  # fmt: skip

    hard = {"judgement": "难以完成"}
    unsure = {"judgement": "数据不足"}
    progress = pd.DataFrame(
        [
            row("p1", "met", 1.2),
            row("p1", "met", 1.0),
            row("p1", "not_applicable", None),
            *(row("p1", "behind", 0.5 + i / 100, f"慢{i}") for i in range(4)),
            row("p1", "far_behind", 0.1, "最慢"),
            row("p1", "far_behind", 0.2, "次慢"),
            row("p2", "on_pace", 0.6, outlook=hard),
            row("p2", "no_data", None, outlook=unsure),
            row("p2", "on_pace", 0.7, outlook={"judgement": "可以完成"}),
        ]
    )
    cards = plan_cards(progress, ["p1", "p2", "p3"])
    assert cards["p1"]["counts"] == {
        "met": 2, "on_pace": 0, "behind": 4, "far_behind": 2, "no_data": 0
    }  # fmt: skip
    assert cards["p1"]["behind"] == "；".join(
        f"{label} 50 家/100 家" for label in ["最慢", "次慢", "慢0", "慢1", "慢2"]
    )
    assert cards["p1"]["outlook"] == ""
    assert cards["p2"]["counts"]["on_pace"] == 2 and cards["p2"]["behind"] == ""
    assert cards["p2"]["outlook"] == (
        "未到期的 3 项目标中，按目前趋势预计难以完成 1 项（另有 1 项数据不足，不作预计）"
        "；预计只是趋势，不改变上面的状态。"
    )
    assert cards["p3"]["counts"] == dict.fromkeys(cards["p1"]["counts"], 0)  # no targets yet


def test_the_shared_picker_offers_the_months_after_the_annual_data(app, con):
    """The demo: annual data to 2025, monthly to 2026-10. The picker's first choice is 2026年10月; the
    annual views stay at 2025; the banner says what each kind of figure is as of; 1—10月 figures
    beside the annual ones, computed here from the raw monthly rows."""
    last_year = con.execute("select max(year) from enterprise_years").fetchone()[0]
    year, month = con.execute(
        "select year, max(month) from enterprise_months group by year order by year desc limit 1"
    ).fetchone()
    assert year > last_year
    picker = app.selectbox(key="as_of_year")
    assert picker.value == f"{year}-{month:02d}"
    assert picker.options[0] == f"{year}年{month}月（月度）"
    assert f"{last_year}年" in picker.options
    banner = next(info.value for info in app.info if info.value.startswith("截至"))
    assert banner.startswith(f"截至{year}年{month}月：年度数据截至{last_year}年")
    shown = {metric.label: metric.value for metric in app.metric}
    assert f"规上工业亩均税收（{last_year}年）" in shown  # the annual figures as they were

    # 累计税收 of every firm; 同比 over the firms with both years' 1—N月 (last year's positive)
    total, paired_this, paired_last = con.execute(
        """
        with ytd as (
            select credit_code, year, sum(tax_wan) as tax
            from enterprise_months where month <= ? and year in (?, ?) group by all
        )
        select sum(a.tax), sum(a.tax) filter (where b.tax > 0), sum(b.tax) filter (where b.tax > 0)
        from ytd a left join ytd b on a.credit_code = b.credit_code and b.year = a.year - 1
        where a.year = ?
        """,
        [month, year, year - 1, year],
    ).fetchone()
    firms = con.execute(
        "select count(distinct credit_code) from enterprise_months where year = ? and month <= ?",
        [year, month],
    ).fetchone()[0]
    assert any(
        f"{year}年1—{month}月（月度数据，规上工业企业 {firms} 家）" in md.value
        for md in app.markdown
    )
    assert shown[f"1—{month}月累计税收"] == formatting.number(total, "万元", 1)
    assert shown["累计税收同比增长"] == formatting.number(
        100 * (paired_this / paired_last - 1), "%", 1
    )


def test_choosing_a_year_keeps_the_annual_page(app):
    app.selectbox(key="as_of_year").select(2023).run()
    assert not app.exception
    assert not any(info.value.startswith("截至") for info in app.info)
    assert not any("1—" in metric.label for metric in app.metric)
