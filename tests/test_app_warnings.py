"""AppTest: 预警 — the month picker, the filters, and a 镇街 user who sees only its own town's firm
warnings (town totals name no firm and stay visible). Firms checked against the raw monthly rows."""

from __future__ import annotations

from tests.apptest import as_user, open_page

TOWN = "金塘镇"


def _table(at):
    return next(frame.value for frame in at.dataframe if "预警规则" in frame.value.columns)


def _loss_making(con, inside: bool) -> set[str]:
    """Firms with a 1—10月 2026 loss (the rule 1—N月累计亏损), in or outside TOWN, from the raw rows."""
    rows = con.execute(
        "select enterprises.name from enterprise_months join enterprises using (credit_code) "
        "where year = 2026 and month <= 10 and (town = ?) = ? group by all having sum(profit_wan) < 0",
        [TOWN, inside],
    ).fetchall()
    return {name for (name,) in rows}


def test_the_page_says_as_of_which_month_and_lists_warnings(app, con):
    open_page(app, "pages/warnings.py")
    assert any("截至2026年10月" in caption.value for caption in app.caption)
    table = _table(app)
    losses = table[table["预警规则"] == "1—N月累计亏损"]
    assert set(losses["企业/镇街"]) == _loss_making(con, True) | _loss_making(con, False)
    assert not table.isna().any().any()
    assert not table.astype(str).apply(lambda column: column.str.contains("None|nan")).any().any()


def test_filters_by_severity_town_and_rule(app):
    open_page(app, "pages/warnings.py")
    everything = len(_table(app))
    app.segmented_control(key="warnings_severity").set_value("红色").run()
    red = _table(app)
    assert set(red["级别"]) == {"红色"} and len(red) < everything
    app.segmented_control(key="warnings_severity").set_value("全部").run()
    app.multiselect(key="warnings_towns").set_value([TOWN]).run()
    assert set(_table(app)["责任镇街"]) == {TOWN}
    app.multiselect(key="warnings_rules").set_value(["1—N月累计亏损"]).run()
    assert set(_table(app)["预警规则"]) == {"1—N月累计亏损"}


def test_an_earlier_month_is_judged_on_its_own_data(app):
    open_page(app, "pages/warnings.py", month="2026-03")
    assert any("截至2026年3月" in caption.value for caption in app.caption)
    assert set(_table(app)["持续自"]) <= {"2026年1月起", "2026年2月起", "2026年3月起"}


def test_a_town_user_sees_only_its_own_towns_firm_warnings(app, con):
    elsewhere = _loss_making(con, False)
    assert elsewhere  # the check below means something
    as_user(app, "镇街", TOWN, name="金塘小李").run()
    open_page(app, "pages/warnings.py")
    table = _table(app)
    firms = table[table["统一社会信用代码"] != "—"]
    assert set(firms["责任镇街"]) == {TOWN}
    assert not set(table["企业/镇街"]) & elsewhere
    assert set(table.loc[table["预警规则"] == "1—N月累计亏损", "企业/镇街"]) == _loss_making(
        con, True
    )
    towns = table[table["统一社会信用代码"] == "—"]
    assert len(set(towns["责任镇街"])) > 1  # every town's totals


def test_this_years_targets_after_ten_months(app, con):
    open_page(app, "pages/warnings.py")
    assert any(h.value == "年内进度（截至2026年10月）" for h in app.subheader)
    table = next(frame.value for frame in app.dataframe if "序时进度" in frame.value.columns)
    assert set(table["目标"]) == {"规上工业亩均税收", "规上工业总产值年均增长"}
    # the seasonal 序时 of 产值 at October, from the raw rows: 2023—2025's 1—10月 share of the year, averaged
    shares = con.execute(
        "select avg(part) from (select year, sum(output_wan) filter (where month <= 10) / sum(output_wan) "
        "as part from enterprise_months where year < 2026 group by year)"
    ).fetchone()[0]
    growth = table[table["目标"] == "规上工业总产值年均增长"].iloc[0]
    assert growth["序时进度"] == f"{round(shares * 100)}%"


def test_a_bad_rules_file_is_reported_in_chinese(app, tmp_path, monkeypatch):
    bad = tmp_path / "rules.toml"
    bad.write_text('[[rules]]\nid = "x"\nlabel = "排名"\nkind = "rank"\nscope = "企业"\nbottom = 3\n',
                   encoding="utf-8")  # fmt: skip
    monkeypatch.setenv("PLANTRACK_WARNINGS", str(bad))
    open_page(app, "pages/warnings.py")
    shown = [error.value for error in app.error]
    assert any("规则 x（排名）：镇街排名规则只能用于镇街" in text for text in shown), shown
    assert not any("toml" in text for text in shown)


def test_overview_shows_this_year_after_ten_months(app):
    open_page(app, "pages/overview.py")
    assert any(h.value == "年内进度（截至2026年10月）" for h in app.subheader)
    table = next(frame.value for frame in app.dataframe if "序时进度" in frame.value.columns)
    assert set(table["目标"]) == {"规上工业亩均税收", "规上工业总产值年均增长"}


def test_a_long_list_shows_its_first_rows_red_first_and_says_how_many_there_are(app, monkeypatch):
    """Past widgets.SHOWN_ROWS (a province: tens of thousands of warnings) the page shows the first
    rows, the red ones first, and says how many there are; the counts above stay whole."""
    from plantrack.app import replay, widgets

    open_page(app, "pages/warnings.py")
    whole = _table(app)
    red = int((whole["级别"] == "红色").sum())
    shown = red + 3  # all the red ones and three yellow
    assert 0 < red < shown < len(whole)
    monkeypatch.setattr(widgets, "SHOWN_ROWS", shown)
    replay._drawn.clear()  # the list was drawn whole above: drawn again, cut
    try:
        app.run()
        cut = _table(app)
        assert len(cut) == shown
        assert list(cut["级别"]) == ["红色"] * red + ["黄色"] * 3
        assert cut.equals(whole.head(shown))
        assert any(f"表中显示前 {shown} 行（共 {len(whole):,} 行）" in c.value for c in app.caption)
        counts = {metric.label: metric.value for metric in app.metric}
        assert counts["红色预警"] == f"{red} 条"
    finally:
        replay._drawn.clear()  # nobody after this test is shown the cut list
