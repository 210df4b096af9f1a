"""AppTest: 亩均评价 — every filter by key, counts checked against the grading on the same fixture."""

import pytest

from plantrack.engine import grading
from tests.apptest import open_page
from tests.raw import low_efficiency_by_raw_rows


@pytest.fixture
def graded(con, config):
    frame = grading.grade(con, config.grading)
    firms = con.execute("select credit_code, town, industry, in_park, name from enterprises").df()
    return frame.merge(firms, on="credit_code")


def _count(app):
    text = next(md.value for md in app.markdown if md.value.startswith("**符合条件的企业"))
    return int(text.split("企业 ")[1].split(" 家")[0].replace(",", ""))


def test_default_shows_every_enterprise_of_the_year(app, graded):
    open_page(app, "pages/evaluation.py")
    assert _count(app) == int((graded["year"] == 2025).sum())


def test_grade_town_industry_scale_park_filters(app, graded):
    open_page(app, "pages/evaluation.py")
    app.selectbox(key="evaluation_year").select(2023).run()
    app.multiselect(key="evaluation_grades").set_value(["C", "D"]).run()
    app.multiselect(key="evaluation_towns").set_value(["金塘镇"]).run()
    app.multiselect(key="evaluation_industries").set_value(["机械制造"]).run()
    expected = graded[
        (graded["year"] == 2023)
        & graded["grade"].isin(["C", "D"])
        & (graded["town"] == "金塘镇")
        & (graded["industry"] == "机械制造")
    ]
    assert _count(app) == len(expected)
    app.segmented_control(key="evaluation_scale").set_value("规上").run()
    assert _count(app) == int((expected["grp"] == "规上").sum())
    app.segmented_control(key="evaluation_park").set_value("园区内").run()
    assert _count(app) == int(((expected["grp"] == "规上") & expected["in_park"]).sum())


def test_search_by_name_or_code(app, graded):
    open_page(app, "pages/evaluation.py")
    row = graded[graded["year"] == 2025].iloc[0]
    app.text_input(key="evaluation_search").input(row["credit_code"][-6:].lower()).run()
    assert _count(app) >= 1
    table = app.dataframe[0].value
    assert row["name"] in set(table["企业名称"])


def test_transitions_and_low_efficiency(app, con, config):
    open_page(app, "pages/evaluation.py")
    app.selectbox(key="evaluation_from_year").select(2022).run()
    assert any("档次上升" in md.value for md in app.markdown)
    app.selectbox(key="evaluation_line").select("自定义").run()
    app.number_input(key="evaluation_custom_line").set_value(3.0).run()
    # among the 参评 firms only (no longer every firm with land: small 规下 plots and new firms are out)
    expected = low_efficiency_by_raw_rows(con, config, 2025, 3)
    assert any(f"低于 3 万元/亩的 {expected} 家" in md.value for md in app.markdown)


def test_url_filters(app):
    open_page(app, "pages/evaluation.py", grade="A,B", town="金塘镇", scale="规上")
    assert app.multiselect(key="evaluation_grades").value == ["A", "B"]
    assert app.multiselect(key="evaluation_towns").value == ["金塘镇"]
    assert app.segmented_control(key="evaluation_scale").value == "规上"


def test_bad_url_filters_fall_back(app):
    open_page(app, "pages/evaluation.py", grade="Z", y="1999")
    assert app.multiselect(key="evaluation_grades").value == ["A", "B", "C", "D", "不参评"]
    assert any("grade=Z" in toast.value for toast in app.toast)


def test_grade_changes_compare_like_with_like(app, con):
    """2024 has the bureau's grades, 2025 only computed ones: the change is counted on computed grades
    in both years by default, and the page says so; the grades shown can be chosen, with a warning."""
    open_page(app, "pages/evaluation.py")
    app.selectbox(key="evaluation_from_year").select(2024).run()
    assert app.segmented_control(key="evaluation_grade_basis").value.startswith("测算档次")
    assert any("两年均为按" in caption.value for caption in app.caption)

    def moved(column):
        return con.execute(
            f"select count(*) filter (where a.{column} < b.{column}) from grades as b"
            f" join grades as a on a.credit_code = b.credit_code and a.year = 2025 and b.year = 2024"
            f" where a.{column} in ('A', 'B', 'C', 'D') and b.{column} in ('A', 'B', 'C', 'D')"
        ).fetchone()[0]

    assert any(f"档次上升 {moved('computed_grade'):,} 家" in md.value for md in app.markdown)
    app.segmented_control(key="evaluation_grade_basis").set_value("显示档次（官方优先）").run()
    assert any("口径不同" in caption.value for caption in app.caption)
    assert any(f"档次上升 {moved('grade'):,} 家" in md.value for md in app.markdown)
