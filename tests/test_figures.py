"""The six figures issue 12 found wrong, checked on the full default demo (the database `make run` shows).
Every expected value is computed here from the raw tables (enterprises, enterprise_years, awards,
indicators) and targets.toml, never by calling the code under test or reading queries/."""

from __future__ import annotations

from fractions import Fraction

import duckdb
import pytest

from plantrack.engine import progress
from plantrack.ingest import demo
from tests.raw import low_efficiency_by_raw_rows


@pytest.fixture(scope="module")
def default_db(tmp_path_factory, config):
    path = tmp_path_factory.mktemp("default") / "plantrack.duckdb"
    demo.build(path, config)  # the seed and size of `make run`
    return path


@pytest.fixture
def raw(default_db):
    with duckdb.connect(str(default_db), read_only=True) as connection:
        yield connection


def evaluate(raw, config, as_of, plan_id=None, town=None):
    return {row.target_id: row for row in progress.evaluate(raw, config, as_of, plan_id, town)}


def status_by_rule(completion: Fraction, expected: Fraction, met: bool, lag_points=10) -> str:
    """docs/口径说明.md §5 on exact fractions."""
    if met:
        return "met"
    if completion >= expected:
        return "on_pace"
    return "behind" if completion >= expected - Fraction(lag_points, 100) else "far_behind"


def test_1_clean_factories_2023_status_on_exact_points(raw, config):
    plan = config.plan("dinghai-upgrade-2023")
    recognised = raw.execute(
        "select count(distinct credit_code) from awards where award = '洁美工厂' and year = 2023"
    ).fetchone()[0]
    due = sum(t.count for t in plan.quota_totals if t.award == "洁美工厂" and t.year == 2023)
    total = next(t.target for t in plan.targets if t.id == "clean-factory")
    completion, expected = Fraction(recognised, int(total)), Fraction(due, int(total))
    row = evaluate(raw, config, 2023, plan.id)["clean-factory"]
    assert row.actual == recognised
    assert row.completion == pytest.approx(float(completion))
    assert row.expected == pytest.approx(float(expected))
    assert row.status == status_by_rule(completion, expected, recognised >= total)


def test_2_new_firms_on_a_reported_stock_are_end_minus_base(raw, config):
    # 绍兴 "新增100亿元以上企业6家" reads the reported level series the "累计达到20家" target reads
    plan = config.plan("shaoxing-grow-2021")
    key = "revenue_band_count[min_wan=1000000]"
    by_year = dict(
        raw.execute(
            "select year, value from indicators where jurisdiction = ? and metric = ?",
            [plan.jurisdiction, key],
        ).fetchall()
    )
    end, base = Fraction(repr(by_year[2023])), Fraction(repr(by_year[plan.start - 1]))
    rows = evaluate(raw, config, 2023, plan.id)
    new, level = rows["revenue-100yi-firms-new-2023"], rows["revenue-100yi-firms-2023"]
    assert new.actual == pytest.approx(float(end - base))
    assert new.completion == pytest.approx(float((end - base) / 6))
    assert new.status == status_by_rule((end - base) / 6, Fraction(1), end - base >= 6)
    assert level.actual == pytest.approx(float(end))  # the same series read as a level
    assert "年末比" in new.basis


def _revenue_growth(raw, year, town=None, factories_only=False) -> float | None:
    """Same-firm revenue growth (%) over last year, as the label says: the 三大工厂 recognised by then
    (规上 or not), in `town`; or every 规上 firm of the district. From the raw tables."""
    rows = raw.execute(
        """
        select this.credit_code, enterprises.town, this.above_scale, this.revenue_wan, last.revenue_wan
        from enterprise_years as this
        join enterprise_years as last on last.credit_code = this.credit_code and last.year = this.year - 1
        join enterprises on enterprises.credit_code = this.credit_code
        where this.year = ?
        """,
        [year],
    ).fetchall()
    factories = {
        code
        for (code,) in raw.execute(
            "select distinct credit_code from awards where award in ('洁美工厂', '品质工厂', '示范工厂')"
            " and year <= ?",
            [year],
        ).fetchall()
    }
    now = then = Fraction(0)
    for code, firm_town, above, revenue, last_revenue in rows:
        if revenue is None or last_revenue is None or last_revenue <= 0:
            continue
        chosen = (code in factories and town in (None, firm_town)) if factories_only else above
        if chosen:
            now += Fraction(repr(revenue))
            then += Fraction(repr(last_revenue))
    return None if then == 0 else float(100 * (now / then - 1))


@pytest.mark.parametrize("town", ["岑港街道", "金塘镇", None])
@pytest.mark.parametrize("as_of", [2024, 2025])
def test_3_factory_revenue_growth_is_compared_with_the_district_average(raw, config, town, as_of):
    factories = _revenue_growth(raw, as_of, town, factories_only=True)
    district = _revenue_growth(raw, as_of)  # 全区, whatever the town
    row = evaluate(raw, config, as_of, "dinghai-upgrade-2023", town)["factory-revenue-growth"]
    assert row.actual == pytest.approx(factories - district, abs=1e-9)
    assert row.status == ("met" if factories - district >= 0 else "behind")


def test_3_factories_below_scale_stay_in_their_growth(raw):
    # the demo has a recognised factory that fell below 规上 in its last year: it must be counted
    below = raw.execute(
        "select count(*) from enterprise_years join (select credit_code, min(year) as first_year"
        " from awards where award in ('洁美工厂', '品质工厂', '示范工厂') group by credit_code)"
        " using (credit_code) where year >= first_year and not above_scale"
    ).fetchone()[0]
    assert below >= 1


def _park_firms(raw, town) -> int:
    return raw.execute(
        "select count(*) from enterprises where town = ? and in_park", [town]
    ).fetchone()[0]


@pytest.mark.parametrize("town", ["岑港街道", "城东街道"])
def test_4_park_only_targets_do_not_apply_in_towns_without_park_firms(raw, config, town):
    assert _park_firms(raw, town) == 0
    rows = progress.evaluate(raw, config, 2023, town=town)
    park_only = [
        row for row in rows if "园区" in row.label and row.metric == "low_efficiency_count"
    ]
    assert len(park_only) == 2
    for row in park_only:
        assert row.status == "not_applicable" and row.status_label == "不适用"
        assert row.actual is None and row.completion is None


def test_4_park_only_targets_apply_where_there_are_park_firms(raw, config):
    assert _park_firms(raw, "金塘镇") > 0
    rows = progress.evaluate(raw, config, 2023, town="金塘镇")
    park_only = [
        row for row in rows if "园区" in row.label and row.metric == "low_efficiency_count"
    ]
    assert park_only and all(row.status != "not_applicable" for row in park_only)


def test_4_not_applicable_is_left_out_of_the_cli_counts(default_db, capsys):
    from plantrack.__main__ import main

    assert main(["progress", "--as-of", "2023", "--town", "岑港街道", "--db", str(default_db)]) == 0
    total = capsys.readouterr().out.strip().splitlines()[-1]
    assert "不适用 2 项，不计入" in total


def test_5_town_low_efficiency_under_a_park_line_is_one_number(
    default_db, raw, config, monkeypatch
):
    """金塘 2023 at 8万 (园区): the 镇街任务 bar, progress --town and the raw rows agree."""
    from streamlit.testing.v1 import AppTest

    from plantrack.settings import ROOT
    from tests.apptest import open_page, traces

    expected = low_efficiency_by_raw_rows(raw, config, 2023, 8, "金塘镇", park_only=True)
    everyone = low_efficiency_by_raw_rows(raw, config, 2023, 8, "金塘镇", park_only=False)
    assert everyone > expected  # the page used to count every firm under the 园区 line
    cli = evaluate(raw, config, 2023, "dinghai-tenglong-2021", "金塘镇")[
        "park-low-efficiency-8-2023"
    ]
    assert cli.actual == expected

    monkeypatch.setenv("PLANTRACK_DB", str(default_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.selectbox(key="as_of_year").select(2023).run()
    open_page(at, "pages/towns.py")
    line = next(o for o in at.selectbox(key="towns_line").options if o.startswith("8万元"))
    at.selectbox(key="towns_line").select(line).run()
    bars = traces(at, "towns_low_efficiency")[0]
    assert dict(zip(bars["x"], bars["y"], strict=True))["金塘镇"] == expected


@pytest.mark.parametrize("as_of", [2023, 2025])
def test_6_cumulative_doubling_is_computed_on_cumulative_totals(raw, config, as_of):
    """慈溪 "研发投入总额(累计)翻番": 2021—as_of total against the 十三五 (2016—2020) total, as labelled."""
    plan = config.plan("cixi-tenglong-2021")
    by_year = {
        year: Fraction(repr(value))
        for year, value in raw.execute(
            "select year, value from indicators where jurisdiction = ? and metric = ?",
            [plan.jurisdiction, "rd_expenditure_above_scale"],
        ).fetchall()
    }
    before = sum(by_year[year] for year in range(2016, 2021))
    so_far = sum(by_year[year] for year in range(plan.start, as_of + 1))
    completion = so_far / (2 * before)
    expected = Fraction(as_of - plan.start + 1, plan.end - plan.start + 1)
    row = evaluate(raw, config, as_of, plan.id)["rd-expenditure-doubling-2025"]
    assert row.label.endswith("(累计)翻番") and row.aggregate == "cumulative"
    assert row.actual == pytest.approx(float(100 * (so_far / before - 1)))
    assert row.completion == pytest.approx(float(completion))
    assert row.expected == pytest.approx(float(expected))
    assert row.status == status_by_rule(completion, expected, so_far >= 2 * before)
    assert "2016—2020年累计" in row.basis


@pytest.mark.slow  # a page under AppTest, the command line and the deck
def test_town_factories_are_one_number_on_page_cli_and_deck(default_db, raw, config, monkeypatch):
    """A town's 三大工厂 recognised to date: 镇街任务's matrix, progress --town and the deck's town slide
    agree with the awards table (an enterprise counts once per award, in its first year)."""
    from streamlit.testing.v1 import AppTest

    from plantrack.report.deck import slides
    from plantrack.settings import ROOT
    from tests.apptest import chart_text, open_page

    plan = config.plan("dinghai-upgrade-2023")
    as_of = 2024
    first = raw.execute(
        "select enterprises.town, award, min(awards.year) from awards join enterprises"
        " using (credit_code) where award in ('洁美工厂', '品质工厂', '示范工厂')"
        " group by enterprises.town, award, credit_code"
    ).fetchall()
    expected = {}
    for town, award, year in first:
        if plan.start <= year <= as_of:
            expected[(town, award)] = expected.get((town, award), 0) + 1
    towns = sorted({q.town for q in plan.quotas})

    for town in towns:  # the CLI
        rows = evaluate(raw, config, as_of, plan.id, town)
        for award in ["洁美工厂", "品质工厂", "示范工厂"]:
            assert rows[f"quota-{award}"].actual == expected.get((town, award), 0), (town, award)

    deck = slides.build(raw, config, as_of)  # the deck: recognised per town, all three awards
    quota_slide = next(s for s in deck.slides if s.title.startswith("三大工厂镇街任务"))
    recognised = dict(zip(quota_slide.categories, quota_slide.series[1].values, strict=True))
    for town in towns:
        assert recognised[town] == sum(
            expected.get((town, a), 0) for a in ["洁美工厂", "品质工厂", "示范工厂"]
        )

    monkeypatch.setenv("PLANTRACK_DB", str(default_db))  # the page
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.selectbox(key="as_of_year").select(as_of).run()
    open_page(at, "pages/towns.py")
    matrix = chart_text(at, "towns_matrix")
    for q_town in ["金塘镇", "岑港街道", "定海工业园区"]:
        due = sum(
            q.count
            for q in plan.quotas
            if q.town == q_town and q.award == "洁美工厂" and q.year <= as_of
        )
        total = sum(q.count for q in plan.quotas if q.town == q_town and q.award == "洁美工厂")
        assert f'"{expected.get((q_town, "洁美工厂"), 0)}/{due}"' in matrix
        assert f"{q_town} 洁美工厂<br>认定 {expected.get((q_town, '洁美工厂'), 0)} 家" in matrix
        assert f"三年任务 {total} 家" in matrix
