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
