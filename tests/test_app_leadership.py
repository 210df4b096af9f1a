"""总览 says what to act on (issue 24), on the demo and on a real-data warehouse (tests/realdata.py):
本区 plans apart from 对标, ended plans closed, 预警 first with links, freshness and what the latest import
changed, drill-down by link, 镇街任务 for every quota plan, a town's own view, no developer text."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from plantrack.app.navigation import PAGES
from plantrack.settings import ROOT
from tests import realdata
from tests.apptest import as_user, open_page

DEVELOPER_TEXT = re.compile(r"None|\bnan\b|NaN|\.sql|\.py\b|targets\.toml|progress\.evaluate")


@pytest.fixture(scope="module")
def real(tmp_path_factory, config):
    return realdata.build(tmp_path_factory.mktemp("leadership"), config)


def _app(db_path, monkeypatch, role=None, town=None):
    monkeypatch.setenv("PLANTRACK_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if role:
        as_user(at, role, town)
    at.run()
    assert not at.exception, at.exception
    return at


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def rendered_text(at) -> list[str]:
    """Every text a reader sees on the page: titles, Markdown, captions, notices, metrics, link labels,
    expander labels and every table cell and header."""
    texts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success",
                 "error"):  # fmt: skip
        texts += [_unescape(str(element.value)) for element in at.get(kind)]
    for metric in at.get("metric"):
        texts += [metric.label, str(metric.value)]
    for link in at.get("page_link"):
        texts.append(_unescape(link.proto.label))
    for expander in at.get("expander"):
        texts.append(expander.label)
    for frame in at.dataframe:
        value = frame.value
        texts += [str(column) for column in value.columns]
        texts += [str(cell) for cell in value.astype(object).to_numpy().ravel()]
    return texts


@pytest.mark.parametrize("which", ["demo", "real"])
@pytest.mark.parametrize("spec", PAGES, ids=[spec.title for spec in PAGES])
def test_no_page_shows_developer_text_or_missing_values(which, spec, demo_db, real, monkeypatch):
    path = demo_db if which == "demo" else real[0]
    at = _app(path, monkeypatch, "管理员")
    open_page(at, spec.path)
    at.session_state["overview_warnings_more"] = True  # 总览's 其余…项预警 opened: every item drawn
    at.run()
    found = [text for text in rendered_text(at) if DEVELOPER_TEXT.search(text)]
    assert not found, found[:5]


PEERS = ("绍兴长高长壮", "慈溪腾笼换鸟")


def _town_standing(con, plan, as_of):
    """赛马 by hand from raw rows: per town, first recognitions (one per firm and award) up to `as_of`
    against the quota due, over the awards the town has a task for; ties: more recognised, then 附件5."""
    order = {}
    tasked = {}
    for q in plan.quotas:
        order.setdefault(q.town, len(order))
        tasked[(q.town, q.award)] = tasked.get((q.town, q.award), 0) + q.count
    first = con.execute(
        "select e.town, a.award, min(a.year) from awards a join enterprises e using (credit_code)"
        " where a.award in ('洁美工厂', '品质工厂', '示范工厂') group by e.town, a.award, a.credit_code"
    ).fetchall()
    scores = {}
    for town in order:
        due = sum(
            q.count
            for q in plan.quotas
            if q.town == town and q.year <= as_of and tasked[(town, q.award)] > 0
        )
        done = sum(1 for t, award, year in first if t == town and plan.start <= year <= as_of
                   and tasked.get((town, award), 0) > 0)  # fmt: skip
        if due > 0:
            scores[town] = (done / due, done, order[town])
    ranked = sorted(scores, key=lambda t: (-scores[t][0], -scores[t][1], scores[t][2]))
    return ranked


def test_overview_counts_own_plans_only_and_closes_ended_ones(demo_db, monkeypatch, config):
    """1, 2: 总览's chart, headline, cards and 预警 name no 对标 plan; an ended plan shows 已结束 · 终期 with
    its final result, after the plans in force."""
    at = _app(demo_db, monkeypatch)
    at.selectbox(key="as_of_year").select(2025).run()
    at.session_state["overview_warnings_more"] = True  # 其余…项预警 opened: every item drawn
    at.run()
    texts = rendered_text(at)
    assert not [
        text for text in texts if any(peer in text for peer in PEERS) and "对标规划（" not in text
    ]
    from tests.apptest import traces

    shown = {name for trace in traces(at, "overview_status_counts") for name in trace["y"]}
    assert shown == {"三年行动", "示例三年计划"}  # in force at 2025; 2021—2023 plans have ended
    cards = [
        _unescape(link.proto.label)
        for link in at.get("page_link")
        if link.proto.page == "plan_detail"
    ]
    titles = {plan.short: plan.title for plan in config.plans}
    assert titles["定海腾笼换鸟"] in cards and titles["绍兴长高长壮"] not in cards
    closed = [md.value for md in at.markdown if "已结束 · 终期达标" in md.value]
    assert len(closed) == 2  # 定海腾笼换鸟 and 攀升行动
    labels = {t.label for t in config.plan("dinghai-tenglong-2021").targets}
    met, missed = (
        int(n) for n in re.search(r"终期达标 (\d+) 项、未达标 (\d+) 项", closed[0]).groups()
    )
    assert met + missed <= len(labels)  # each target once, in its last year
    assert cards.index(titles["三年行动"]) < cards.index(titles["定海腾笼换鸟"])


def test_warnings_come_first_link_to_their_detail_and_are_the_decks_list(
    demo_db, con, monkeypatch, config
):
    """3: 预警 before anything else; a town cell behind 序时 is listed with 还需 and links to the town on
    镇街任务, a target to its row on 规划详情; the deck's 需重点推进 lists the same items first."""
    at = _app(demo_db, monkeypatch)
    at.selectbox(key="as_of_year").select(2024).run()
    at.session_state["overview_warnings_more"] = True  # 其余…项预警 opened: every item drawn
    at.run()
    heads = [h.value for h in at.subheader]
    assert heads[0].startswith("预警") and heads.index("本区规划完成情况") > 0
    links = [link.proto for link in at.get("page_link") if "warning" in link.proto.icon]
    plan = config.plan("dinghai-upgrade-2023")
    due = sum(
        q.count
        for q in plan.quotas
        if q.town == "金塘镇" and q.award == "洁美工厂" and q.year <= 2024
    )
    total = sum(q.count for q in plan.quotas if q.town == "金塘镇" and q.award == "洁美工厂")
    done = con.execute(
        "select count(*) from (select credit_code, min(a.year) y from awards a join enterprises e"
        " using (credit_code) where e.town = '金塘镇' and award = '洁美工厂' group by credit_code)"
        " where y between 2023 and 2024"
    ).fetchone()[0]
    assert done / due < 0.9  # behind 序时 on the fixture, so it must be listed
    (cell,) = [link for link in links if link.label.startswith("三年行动 · 金塘镇洁美工厂")]
    assert cell.page == "towns" and "town=%E9%87%91%E5%A1%98%E9%95%87" in cell.query_string
    captions = [c.value for c in at.caption]
    assert any(f"还需 {total - done} 家（剩1年）" in _unescape(c) for c in captions)
    target = next(link for link in links if link.page == "plan_detail")
    assert "target=" in target.query_string and "plan=" in target.query_string
    import duckdb

    from plantrack.report.deck import slides
    from plantrack.store import plans

    with duckdb.connect(str(demo_db), read_only=True) as connection:
        deck = slides.build(connection, plans.config_as_of(connection, config, 2024), 2024)
    (focus,) = [s for s in deck.slides if s.title.startswith("需重点推进")]
    assert [f"{row[0]} · {row[1]}：{row[2]}" for row in focus.rows] == [
        _unescape(link.label) for link in links[: len(focus.rows)]
    ]


def test_freshness_and_what_the_latest_import_changed(real, monkeypatch):
    """4: on real data, 数据截至 · 最近导入 (who), and the firms the latest import made 低效, each a link to
    the firm on 企业画像."""
    path, made = real
    at = _app(path, monkeypatch, "领导")
    at.selectbox(key="as_of_year").select(2025).run()
    captions = [_unescape(c.value) for c in at.caption]
    import datetime as dt

    assert (
        f"数据截至2025年 · 最近导入 {dt.date.today():%Y-%m-%d}（{realdata.IMPORTER}）" in captions
    )
    links = [link.proto for link in at.get("page_link") if "update" in link.proto.icon]
    became = {link.query_string.split("code=")[1].split("&")[0]: _unescape(link.label) for link in links
              if link.label.startswith("新增低效")}  # fmt: skip
    assert set(became) == set(made["low"])
    for code, name in made["low"].items():
        assert became[code].startswith(
            f"新增低效：{name}（金塘镇）成为低效企业：亩均税收 1.00 万元/亩"
        )
    heads = [h.value for h in at.subheader]
    assert heads.index("自上次导入以来") < heads.index("本区规划完成情况")


def test_new_recognitions_since_the_import_are_counted_by_town(real, config):
    """4: the awards import (kept as a copy) recognised two firms of 金塘镇 as 洁美工厂 in 2025."""
    from plantrack.engine import changes
    from plantrack.ingest import before
    from plantrack.store import db, plans

    copy = real[1]["after_awards"]
    with db.read_only(copy) as after:
        merged = plans.config_as_of(after, config, 2025)
        with before.before_last_import(copy, merged) as old:
            found = changes.since(old, after, merged, 2025, None)
    recognised = [
        c for c in found if c.kind == "新认定" and c.params.get("plan") == "dinghai-upgrade-2023"
    ]
    assert [c.text for c in recognised] == ["金塘镇新认定洁美工厂2家（三年行动镇街任务）"]
    assert recognised[0].params == {"plan": "dinghai-upgrade-2023", "town": "金塘镇"}


def test_drill_down_from_a_target_to_its_towns_and_their_firms(demo_db, con, monkeypatch, config):
    """5: 规划详情 opened by a link (?plan=&target=) shows the target's towns, each a link to the town on
    镇街任务, which lists that town's firms; the choices stay in the URL."""
    at = _app(demo_db, monkeypatch)
    at.selectbox(key="as_of_year").select(2024).run()
    open_page(
        at, "pages/plan_detail.py", plan="dinghai-upgrade-2023", target="clean-factory", year="2024"
    )
    assert at.selectbox(key="plan_detail_plan").value == "dinghai-upgrade-2023"
    towns = at.dataframe[0].value
    plan = config.plan("dinghai-upgrade-2023")
    tasked = sorted({q.town for q in plan.quotas if q.award == "洁美工厂" and q.count > 0})
    assert sorted(towns["镇街"]) == tasked
    town_links = [
        link.proto
        for link in at.get("page_link")
        if link.proto.page == "towns" and link.proto.label != "镇街任务"
    ]  # not the sidebar
    assert sorted({_unescape(link.label) for link in town_links}) == tasked, [
        link.label for link in town_links
    ]
    at.selectbox(key="plan_detail_plan").select("dinghai-tenglong-2021").run()
    assert (
        at.query_params["plan"] == ["dinghai-tenglong-2021"]
        or at.query_params["plan"] == "dinghai-tenglong-2021"
    )
    at2 = _app(demo_db, monkeypatch)
    at2.selectbox(key="as_of_year").select(2024).run()
    open_page(at2, "pages/towns.py", plan="dinghai-upgrade-2023", town="金塘镇", year="2024")
    firms = con.execute(
        "select count(*) from applications join enterprises using (credit_code) where town = '金塘镇' and year <= 2024"
    ).fetchone()[0]
    listed = next(f.value for f in at2.dataframe if "未通过原因" in f.value.columns)
    assert len(listed) == firms


def test_peer_plan_detail_is_labelled(demo_db, monkeypatch):
    at = _app(demo_db, monkeypatch)
    open_page(at, "pages/plan_detail.py", plan="cixi-tenglong-2021")
    assert any("对标规划 · 数据为该市口径" in _unescape(c.value) for c in at.caption)


def test_towns_page_covers_every_own_plan_with_quotas(demo_db, monkeypatch, demo_config):
    """6: a plan selector, in the URL, of every 本区 plan with town quotas (the example plan's too)."""
    at = _app(demo_db, monkeypatch)
    at.selectbox(key="as_of_year").select(2025).run()
    open_page(at, "pages/towns.py")
    expected = [p for p in demo_config.plans if p.role == "own" and p.quotas]
    assert len(expected) == 2  # 三年行动 and the example plan
    shown = at.selectbox(key="towns_plan").options
    assert sorted(shown) == sorted(f"{p.short}（{p.start}—{p.end}年）" for p in expected)
    at.selectbox(key="towns_plan").select("example-dinghai-2024").run()
    assert "example-dinghai-2024" in str(at.query_params["plan"])
    assert "示例" in " ".join(_unescape(c.value) for c in at.caption)


def test_a_town_users_view_is_their_towns(real, monkeypatch, config):
    """7: a 镇街 user's 镇街任务 opens on their town with its district rank (among all towns, by hand),
    and their 档次变化 counts are their town's."""
    import duckdb

    path, _ = real
    at = _app(path, monkeypatch, "镇街", "金塘镇")
    at.selectbox(key="as_of_year").select(2024).run()
    open_page(at, "pages/towns.py")
    with duckdb.connect(str(path), read_only=True) as con:
        ranked = _town_standing(con, config.plan("dinghai-upgrade-2023"), 2024)
    rank = ranked.index("金塘镇") + 1
    assert any(
        f"金塘镇在全区镇街赛马中第{rank}名/共{len(ranked)}个镇街" in _unescape(m.value)
        for m in at.markdown
    )
    low = next(f.value for f in at.dataframe if "亩均税收（万元/亩）" in f.value.columns)
    assert set(low["镇街"]) <= {"金塘镇"}
    open_page(at, "pages/evaluation.py")
    assert any("本镇街（金塘镇）档次上升" in _unescape(m.value) for m in at.markdown)


def _deck_texts(path) -> list[list[str]]:
    from pptx import Presentation

    pages = []
    for slide in Presentation(str(path)).slides:
        texts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
        pages.append(texts)
    return pages


FILE_OR_FUNCTION = re.compile(r"\.sql|\.py\b|\.toml|queries/|plantrack|[a-z_]+\.[a-z_]+\(|evaluate")


def test_cli_brief_names_no_peer_and_no_file(demo_db, tmp_path, config):
    """8, 1: `brief --as-of 2025`: the cover and 需重点推进 name no 对标 plan; no slide text or footer
    holds a file name, .sql/.py/.toml or a function name."""
    from plantrack.__main__ import main

    out = tmp_path / "x.pptx"
    assert main(["brief", "--as-of", "2025", "--out", str(out), "--db", str(demo_db)]) == 0
    pages = _deck_texts(out)
    cover = " ".join(pages[0])
    focus = " ".join(next(page for page in pages if any("需重点推进" in text for text in page)))
    for peer in PEERS:
        assert peer not in cover and peer not in focus
    assert "已结束" in cover  # 定海腾笼换鸟 and 攀升行动 ended in 2023
    for page in pages:
        for text in page:
            assert not FILE_OR_FUNCTION.search(text), text


def test_a_town_deck_holds_only_that_towns_firms_and_its_district_rank(demo_db, tmp_path, config):
    """7 (and issue 22 item 4): `brief --town 金塘镇`: its quota row and rank among all towns (by hand),
    and every enterprise-level table limited to 金塘镇."""
    import duckdb

    from plantrack.__main__ import main

    out = tmp_path / "town.pptx"
    assert (
        main(
            [
                "brief",
                "--as-of",
                "2024",
                "--town",
                "金塘镇",
                "--out",
                str(out),
                "--db",
                str(demo_db),
            ]
        )
        == 0
    )
    pages = _deck_texts(out)
    with duckdb.connect(str(demo_db), read_only=True) as con:
        ranked = _town_standing(con, config.plan("dinghai-upgrade-2023"), 2024)
        names = dict(con.execute("select name, town from enterprises").fetchall())
    town_page = " ".join(pages[1])
    assert f"金塘镇在全区赛马中第{ranked.index('金塘镇') + 1}名/共{len(ranked)}个镇街" in town_page
    assert "第1名 金塘镇" not in " ".join(" ".join(page) for page in pages) or ranked[0] == "金塘镇"
    firms = [text for page in pages for text in page if text in names]
    assert firms and {names[firm] for firm in firms} == {"金塘镇"}


def test_method_page_links_the_grading_source_alone(demo_db, monkeypatch, config):
    """8: the grading method's web address is a link of its own (written bare in the text, it
    swallowed the words after it)."""
    at = _app(demo_db, monkeypatch)
    open_page(at, "pages/method.py")
    assert any("（来源：办法原文，见下方链接）。档次比例" in md.value for md in at.markdown)
    (button,) = at.get("link_button")
    assert button.proto.url == config.grading.source


def test_a_town_users_briefing_is_their_towns(real, monkeypatch):
    """7: 汇报材料 for a 镇街 user: the deck is their town's briefing (its own slide first), its plans
    本区 only."""
    at = _app(real[0], monkeypatch, "镇街", "金塘镇")
    at.selectbox(key="as_of_year").select(2025).run()
    open_page(at, "pages/briefing.py")
    outline = at.dataframe[0].value
    assert outline["标题"].iloc[1].startswith("金塘镇：镇街任务与排名")
    assert not any(peer in " ".join(outline["标题"]) for peer in PEERS)
    assert "金塘镇在全区赛马中第" in outline["结论"].iloc[1]


def test_a_town_decks_district_figures_say_so(demo_db, config):
    """7: in a town briefing the plans' figures are the district's, and each such slide says 全区."""
    import duckdb

    from plantrack.report.deck import slides
    from plantrack.store import plans

    with duckdb.connect(str(demo_db), read_only=True) as con:
        deck = slides.build(con, plans.config_as_of(con, config, 2025), 2025, None, ["金塘镇"])
    assert deck.slides[0].conclusion.startswith("全区：")
    cards = [s for s in deck.slides if "目标完成情况" in s.title or "已结束 · 终期" in s.title]
    assert cards and all("全区" in s.title for s in cards)
    assert all("全区" in s.title for s in deck.slides if "赛马" in s.title or "评价档次" in s.title)
