"""A 镇街 user sees district and town aggregates, but enterprise rows only of their own town, whatever
they try: a URL parameter, a search, the tables behind the downloads, the deck, 企业画像's selector.
The restriction comes from the login (plantrack/app/data.py), so each attempt reads nothing else."""

import pytest

from tests.apptest import as_user, open_page

TOWN = "金塘镇"


@pytest.fixture
def town_app(app):
    as_user(app, "镇街", TOWN, name="金塘小李").run()
    return app


def _other(con):
    return con.execute(
        "select credit_code, name from enterprises where town <> ? order by credit_code limit 1",
        [TOWN],
    ).fetchone()


def test_a_url_parameter_naming_another_towns_firm(town_app, con):
    code, name = _other(con)
    open_page(town_app, "pages/enterprise.py", code=code)
    assert town_app.selectbox(key="enterprise_code").value != code
    assert {m.value for m in town_app.metric if m.label == "所属镇街"} == {TOWN}
    assert not any(name in text.value for text in [*town_app.markdown, *town_app.caption])


def test_a_search_for_another_towns_firm(town_app, con):
    _, name = _other(con)
    open_page(town_app, "pages/evaluation.py", q=name)
    assert any("符合条件的企业 0 家" in md.value for md in town_app.markdown), [
        md.value for md in town_app.markdown
    ]
    open_page(town_app, "pages/enterprise.py", q=name)
    assert not [box for box in town_app.selectbox if box.key == "enterprise_code"]


def test_enterprise_tables_hold_only_the_own_town(town_app, con):
    open_page(town_app, "pages/evaluation.py")
    (shown,) = [
        frame.value
        for frame in town_app.dataframe
        if "亩均税收" in " ".join(frame.value.columns) and "镇街" in frame.value.columns
    ][:1]
    own = con.execute(
        "select count(*) from grades join enterprises using (credit_code) where year = 2025 and town = ?",
        [TOWN],
    ).fetchone()[0]
    assert len(shown) == own and set(shown["镇街"]) == {TOWN}


def test_aggregates_and_rankings_stay_district_wide(town_app, con):
    open_page(town_app, "pages/towns.py")
    towns = con.execute("select count(distinct town) from enterprises").fetchone()[0]
    assert towns > 1
    assert any("红榜" in md.value for md in town_app.markdown)


def test_another_towns_lists_are_not_shown_as_empty(town_app, con):
    """镇街任务 for another town: its quota row, but no 申报 or 低效 list claiming "0" — a line says the
    lists are that town's; the own town's lists count its own firms."""
    open_page(town_app, "pages/towns.py", town="白泉镇")
    texts = [md.value for md in town_app.markdown] + [c.value for c in town_app.caption]
    assert not any("本镇街三大工厂申报" in t or "本镇街低效企业" in t for t in texts)
    assert any("白泉镇的三大工厂申报企业与低效企业名单只对白泉镇的账户开放" in t for t in texts)
    assert any("类别" in frame.value.columns for frame in town_app.dataframe)  # its quota row
    town_app.selectbox(key="towns_town").select(TOWN).run()
    applied = con.execute(
        "select count(*) from applications join enterprises using (credit_code) where town = ?"
        " and year <= 2025",
        [TOWN],
    ).fetchone()[0]
    assert any(
        f"{TOWN}截至2025年 {applied} 件" in t for t in [md.value for md in town_app.markdown]
    )


def test_the_deck_lists_only_the_own_towns_enterprises(town_app, con):
    open_page(town_app, "pages/briefing.py")
    (outline,) = [frame.value for frame in town_app.dataframe if "结论" in frame.value.columns]
    others = {
        row[0]
        for row in con.execute("select name from enterprises where town <> ?", [TOWN]).fetchall()
    }
    text = " ".join(outline["结论"])
    assert not [name for name in others if name in text]
