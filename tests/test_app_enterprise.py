"""AppTest: 企业画像 and 规划对比."""

from plantrack.engine import comparison
from tests.apptest import chart_text, open_page


def _code_with_history(con):
    return con.execute(
        "select credit_code from applications join awards using (credit_code) order by credit_code limit 1"
    ).fetchone()[0]


def test_profile_of_a_chosen_enterprise(app, con):
    code = _code_with_history(con)
    open_page(app, "pages/enterprise.py", code=code)
    name, town = con.execute(
        "select name, town from enterprises where credit_code = ?", [code]
    ).fetchone()
    assert app.selectbox(key="enterprise_code").value == code
    assert any(metric.value == town for metric in app.metric)
    spec = chart_text(app, "enterprise_indicators")
    assert name in spec and "行业中位数" in spec
    verdicts = [
        md.value
        for md in app.markdown
        if md.value.startswith(("**洁美工厂**", "**品质工厂**", "**示范工厂**"))
    ]
    assert len(verdicts) == 3


def test_switching_enterprise(app, con):
    open_page(app, "pages/enterprise.py")
    other = con.execute(
        "select credit_code from enterprises order by name desc limit 1"
    ).fetchone()[0]
    app.selectbox(key="enterprise_code").select(other).run()
    assert not app.exception
    industry = con.execute(
        "select industry from enterprises where credit_code = ?", [other]
    ).fetchone()[0]
    assert any(metric.value == industry for metric in app.metric)


def test_comparison_every_shared_metric(app, demo_config, con):
    # the plans on screen: targets.toml's and the example plan the fixture database holds
    config = demo_config
    open_page(app, "pages/comparison.py")
    for metric in comparison.shared_metrics(config):
        app.selectbox(key="comparison_metric").select(metric).run()
        assert not app.exception
        table = app.dataframe[0].value
        plans = {plan.short for plan in config.plans for t in plan.targets if t.metric == metric}
        assert set(table["规划"]) == plans


def test_search_narrows_the_picker(app, con):
    open_page(app, "pages/enterprise.py")
    first = app.selectbox(key="enterprise_code").value
    name, code = con.execute(
        "select name, credit_code from enterprises where credit_code != ? order by name desc limit 1",
        [first],
    ).fetchone()
    app.text_input(key="enterprise_search").input(code[-8:].lower()).run()
    picker = app.selectbox(key="enterprise_code")
    matching = con.execute(
        "select count(*) from enterprises where contains(credit_code, ?)", [code[-8:]]
    ).fetchone()[0]
    # the matches, plus the enterprise already shown (kept so the page does not jump)
    assert len(picker.options) == matching + 1
    assert any(code in option for option in picker.options)
    assert f"{matching:,} 家匹配" in picker.label
    picker.select(code).run()
    assert not app.exception
    assert app.query_params["code"] in (code, [code])
    assert name in chart_text(app, "enterprise_indicators")
