"""The benchmark compares equal work: the pandas reference agrees with ours at small scale."""

import json

import pytest

from bench import run as bench


def test_pandas_reference_agrees_with_ours(demo_db):
    result = bench.worker_compare(demo_db)
    for name in ["district_indicators", "town_indicators", "grading", "quota_fulfilment"]:
        assert result[name]["agree"] is True, name  # a bool, as the table expects
        assert (
            result[name]["ours_ms"] > 0
            and result[name]["pandas_ms"] > 0
            and result[name]["floor_ms"] > 0
        )


def test_query_cases_cover_every_named_query():
    from plantrack.model import targets
    from plantrack.store import db

    named = {name for name, _ in bench.query_cases(targets.load_config())}
    # the rest are used by the importer/profile internals, not timed on a page
    # grading is timed through grading.grade; indicator_medians and yearly_summary are stored with the
    # data (derived.py; the summary is timed beside pandas, as summary_from_rows); the others serve the
    # importer
    assert set(db.query_names()) - named <= {
        "derived/grading",
        "derived/indicator_medians",
        "derived/yearly_summary",
        "derived/revenue_pairs",
        "derived/month_facts",
        "derived/year_to_date",
        "derived/month_grades",
        "derived/month_warnings",
        "warehouse/enterprise_codes",
        "warehouse/table_columns",
        # 预计档次 is graded through plantrack.store.projection when the data change (projected_grades reads
        # the stored grades, timed); year_grades serves the warnings backtest
        "warnings/projected_years",
        "warnings/year_grades",
        "ledger/import_changes_of",
        "warehouse/table_counts",
    }


def test_checks_mark_pass_and_miss():
    results = {
        "scales": {
            "district": {
                "queries": {
                    "queries": {"a": {"median_ms": 1, "cold_ms": 2, "p95_ms": 1}},
                    "progress": {"median_ms": 400},
                    "grading": {"median_ms": 1},
                    "peak_mb": 100,
                },
                "compare": {"peak_mb": 100},
                "pages": {
                    "总览": {"cold_ms": 500, "median_ms": 100, "p95_ms": 100},
                    "peak_mb": 100,
                },
                "deck": {"peak_mb": 100},
            }
        },
        "first_page": {"healthy_s": 1.0, "first_page_s": 3.0},
        "phases": {"district 数据库生成/检查": 30.0, "district 页面": 100.0},
        "total_s": 1000.0,
    }
    # city runs only the queries and the deck (no goal names its pages)
    results["scales"]["city"] = {
        "queries": {
            "queries": {"a": {"median_ms": 70, "cold_ms": 80, "p95_ms": 75}},
            "progress": {"median_ms": 1},
            "grading": {"median_ms": 1},
            "peak_mb": 100,
        },
        "deck": {"peak_mb": 100, "pptx_ms": 1, "slides": 10},
        "db_mb": 1,
    }
    for entry in results["scales"].values():
        entry.setdefault("db_mb", 1)
        entry["deck"].setdefault("pptx_ms", 1)
        entry["deck"].setdefault("slides", 10)
    rows = {row["goal"]: row for row in bench.checks(results)}
    assert rows["全部目标进度评估（district）"]["pass"] is False  # 400 ms > 300 ms
    assert rows["make run（已装好 venv）到首页内容全部送达"]["pass"] is True
    assert rows["页面查询中位数最慢（city：a）"]["pass"] is False  # 70 ms > 50 ms
    results["machine"] = {
        "platform": "x",
        "cpus": 2,
        "python": "3.11",
        "duckdb": "2",
        "date": "now",
    }
    results["checks"] = bench.checks(results)
    assert "| city |" in bench.render(results)
    json.dumps(rows, ensure_ascii=False)


def test_agreement_check_notices_a_difference(demo_db):
    import duckdb
    import numpy as np

    from bench import reference as bench_reference
    from plantrack.store import db

    with duckdb.connect(str(demo_db), read_only=True) as con:
        ours = db.run_query(con, "yearly_indicators", town=None)
        theirs = bench_reference.district_indicators(
            con.execute("select * from enterprise_years").df()
        )
    assert bench._agree("district_indicators", ours, theirs, np)
    ours.loc[ours.index[-1], "new_above_scale_count"] += 1
    assert not bench._agree("district_indicators", ours, theirs, np)


def test_grading_agreement_covers_every_stored_column(demo_db):
    """The reference computes the whole grades table, so a wrong reason, rank or imputed count shows."""
    import json as json_module

    import duckdb
    import numpy as np

    from bench import reference as bench_reference
    from plantrack.model import targets

    method = json_module.loads(targets.load_config().grading.model_dump_json())
    with duckdb.connect(str(demo_db), read_only=True) as con:
        ours = con.table("grades").df()
        theirs = bench_reference.grade(
            con.table("enterprise_years").df(), con.table("enterprises").df(), method
        )
    assert bench._agree("grading", ours, theirs, np, method["shares"]) is True  # JSON-able
    reason = ours["not_graded_reason"].notna().idxmax()
    graded = ours.index[ours["score_rank"].notna()]
    first_b = ours.index[ours["computed_grade"] == "B"][0]
    for column, row, wrong in [
        ("not_graded_reason", reason, "税收数据缺失" if ours.at[reason, "not_graded_reason"] != "税收数据缺失" else "投产未满规定年限"),
        ("imputed_indicators", graded[0], ours.at[graded[0], "imputed_indicators"] + 1),
        ("grp", graded[0], "规下" if ours.at[graded[0], "grp"] == "规上" else "规上"),
        ("score_rank", graded[0], ours.at[graded[0], "score_rank"] + 1),  # one rank off
        ("computed_grade", first_b, "A"),  # one firm over a cut-off
        ("score", graded[0], ours.at[graded[0], "score"] * (1 + 1e-7)),
    ]:  # fmt: skip
        changed = ours.copy()
        changed.at[row, column] = wrong
        assert not bench._agree("grading", changed, theirs, np, method["shares"]), column
    assert not bench._agree("grading", ours.iloc[1:], theirs, np, method["shares"])  # a row missing


def test_total_run_time_is_checked():
    rows = bench.checks(
        {
            "scales": {},
            "first_page": {"healthy_s": 1.0, "first_page_s": None},
            "phases": {"province 数据库生成/检查": 60.0},
            "total_s": 1000.0,
        }
    )
    total = next(row for row in rows if row["goal"].startswith("make bench 全程用时"))
    assert total["pass"] is False and "生成数据 60 s" in total["goal"]


def test_concurrency_goal_and_table():
    def crowd(visitors, p95, errors=0):
        return {"visitors": visitors, "browsers": 0, "pages": visitors * 4, "median_s": p95 / 2,
                "p95_s": p95, "errors": errors, "mb_per_session": 3.0}  # fmt: skip

    results = {
        "scales": {
            "district": {
                "queries": {"progress": {"median_ms": 1}},
                "concurrency": {
                    "one_server": [
                        crowd(1, 0.3),
                        {**crowd(20, 1.9, errors=1), "p95_runs_s": [1.5, 2.5, 1.9]},
                        crowd(50, 6.0),
                    ],
                    "two_servers": {
                        **crowd(20, 1.8),
                        "p95_runs_s": [2.1, 1.8, 1.5],
                        "light_p95_s": 1.2,
                        "browser_p95_s": 4.0,
                    },
                    "server_cpu": {  # halved from 33 / 19 / 38 ms: 16.5 / 9.5 / 19 ms
                        "总览": {"cpu_ms": 20.0, "widget_floor_cpu_ms": 9.0, "elements": 100},
                        "规划详情": {"cpu_ms": 12.0, "widget_floor_cpu_ms": 9.8, "elements": 40},
                        "亩均评价": {"cpu_ms": 18.0, "widget_floor_cpu_ms": 8.0, "elements": 70},
                    },
                },
            }
        },
        "first_page": {"healthy_s": 1.0, "first_page_s": 3.0},
    }
    rows = {row["goal"]: row for row in bench.checks(results)}
    # the goal holds in each run: the slowest of the three (2.5 s > 2 s), not the median (1.9 s)
    one = rows["20 位访客同时（district，单进程）：页面 p95（3 次中最慢的一次）"]
    assert (one["value"], one["pass"]) == (2.5, False)
    assert rows["20 位访客同时（单进程）：出错页面"]["pass"] is False
    assert rows["50 位访客同时（district，单进程）：页面 p95"]["pass"] is False  # 6 s > 4 s
    two = rows["20 位访客同时（district，2 进程 + HAProxy，部署方案）：页面 p95（3 次取中）"]
    assert (two["value"], two["pass"]) == (1.8, False)  # > 1.5 s
    assert rows["20 位访客同时（2 进程 + HAProxy，部署方案）：出错页面"]["pass"] is True
    halved = {
        row["goal"].split("：")[1].split("，")[0]: row
        for row in rows.values()
        if "减半" in row["goal"]
    }
    assert (
        halved["总览"]["pass"] is False
    )  # 20 ms > 16.5 ms, and its floor (9 ms) is below the goal
    assert halved["规划详情"]["pass"] == "argued"  # its floor alone, 9.8 ms, misses 9.5 ms
    assert "原样发送它的 40 个元素、只建出其中的控件 9.8 ms" in next(
        g for g in rows if "规划详情" in g and "减半" in g
    )
    assert halved["亩均评价"]["pass"] is True  # 18 ms ≤ 19 ms
    assert "镇街任务" not in halved  # not measured: no line
    table = "\n".join(bench.concurrency_table(results))
    assert (
        "| district | 2 | 20 | 80 | 0.90 s | 1.80 s（3 次取中：2.10 s / 1.80 s / 1.50 s） "
        "| 1.20 s / 4.00 s | 0 | 3.0 MB |"
    ) in table
    assert "| district | 1 | 1 | 4 | 0.15 s | 0.30 s | — / — | 0 | 3.0 MB |" in table
    assert "district：N = 50 时 p95 超过 3 s" in table


def test_light_visitors_open_every_page(demo_db):
    """The bench's websocket client against a real server: every page it asks for is run and timed,
    none raises (on the test fixture; a handful of visitors, nothing timed against a goal)."""
    from bench import concurrency

    with concurrency.server(demo_db) as (url, pid):
        result = concurrency.crowd(url, 3, 0, [pid])
    assert result["pages"] == 3 * len(concurrency.VISIT), result
    assert result["errors"] == 0, result["error_samples"]


def test_the_halving_is_new_over_old_when_both_were_measured_together():
    """With the old code measured beside the new (bench.baseline), each page's line is the ratio
    new ÷ old against ½, and the figures of another day are not judged."""
    halving = {
        "baseline": "745c14715429552ea81a0fe5fd60ed95efb6d0ad",
        "pairs": 10,
        "runs": 30,
        "pages": {
            "总览": {"old_ms": 40.0, "new_ms": 18.0, "ratio": 0.45, "ratios": [0.45]},
            "预警": {"old_ms": 20.0, "new_ms": 10.2, "ratio": 0.51, "ratios": [0.51]},
        },
    }
    results = {
        "scales": {
            "district": {
                "queries": {"progress": {"median_ms": 1}},
                "concurrency": {"server_cpu": {"总览": {"cpu_ms": 99.0, "elements": 9}}},
                "halving": halving,
            }
        },
        "first_page": {"healthy_s": 1.0, "first_page_s": 3.0},
    }
    halved = {
        row["goal"].split("：")[1].split("；")[0]: row
        for row in bench.checks(results)
        if "减半" in row["goal"]
    }
    assert set(halved) == {"总览", "预警"}
    assert (halved["总览"]["value"], halved["总览"]["pass"]) == (0.45, True)
    assert (halved["预警"]["value"], halved["预警"]["pass"]) == (0.51, False)  # > ½
    assert "与 745c147 的代码同时交替测 10 对、每对各 30 次，中位数 40.0 → 18.0 ms" in next(
        row["goal"] for row in bench.checks(results) if "总览" in row["goal"]
    )


def test_without_the_history_there_is_no_old_code_to_measure(tmp_path, monkeypatch):
    """A clone without the baseline commit (shallow): nothing is measured side by side, and the bench
    judges the absolute figures (the test above it)."""
    from bench import baseline

    monkeypatch.setattr(baseline, "BASELINE", "0" * 40)
    assert baseline.source(tmp_path) is None
    assert baseline.paired(tmp_path, {"预警": "warnings"}) is None


def test_the_old_and_the_new_code_are_served_side_by_side(tmp_path):
    """The baseline commit's code, from git history, still runs here on its own demo database, beside
    today's: both are measured, each pair in turn (a failure here means BASELINE no longer runs with
    this venv, and the bench would fall over)."""
    from bench import baseline

    if baseline.source(tmp_path) is None:
        pytest.skip("这份代码没有 git 历史（浅克隆或导出的文件），没有旧版可比")
    measured = baseline.paired(tmp_path, {"预警": "warnings"}, pairs=2, runs=2)
    page = measured["pages"]["预警"]
    assert page["old_ms"] > 0 and page["new_ms"] > 0
    assert len(page["ratios"]) == 2
    assert min(page["ratios"]) <= page["ratio"] <= max(page["ratios"])


def test_server_cpu_per_page_is_measured_for_every_page_a_visitor_opens(demo_db):
    """Each page a visitor without a login can open is run warm against a real server and its server
    CPU per run recorded (a positive figure; nothing compared with a goal here)."""
    from bench import concurrency
    from plantrack.app.navigation import PAGES

    with concurrency.server(demo_db) as (url, pid):
        measured = concurrency.server_cpu(url, pid, runs=2, rounds=2)
    assert set(measured) == {spec.title for spec in PAGES if not spec.permission}
    assert all(item["cpu_ms"] > 0 and item["median_ms"] > 0 for item in measured.values())
    assert all(len(item["cpu_rounds_ms"]) == 2 for item in measured.values())
    # beside each, its floor: the same elements sent again by a script that builds nothing
    assert all(item["elements"] > 5 for item in measured.values())
    assert all(
        item["floor_cpu_ms"] >= 0
        and item["built_floor_cpu_ms"] >= 0
        and item["widget_floor_cpu_ms"] >= 0
        for item in measured.values()
    )


def test_the_floor_page_sends_the_captured_elements_unchanged(tmp_path):
    """bench/floor_page.py, asked for a page, sends exactly the element messages captured from it."""
    import pickle

    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from bench import concurrency

    def element(text: str, index: int) -> bytes:
        message = ForwardMsg()
        message.metadata.delta_path[:] = [0, index]
        message.delta.new_element.markdown.body = text
        return message.SerializeToString()

    picker = ForwardMsg()
    picker.metadata.delta_path[:] = [0, 1]
    picker.delta.new_element.selectbox.label = "镇街"
    picker.delta.new_element.selectbox.options[:] = ["金塘镇", "白泉镇"]
    captured = {
        "甲": [element("第一段", 0), element("第二段", 1)],
        "乙": [element("只有一段", 0)],
        "丙": [element("说明", 0), picker.SerializeToString()],
    }
    path = tmp_path / "capture.pickle"
    path.write_bytes(pickle.dumps(captured))
    sent: list[bytes] = []
    built: list[bytes] = []
    with (
        concurrency.server(path, script="bench/floor_page.py") as (url, _),
        concurrency._connect(url) as ws,
    ):
        _, failed = concurrency._ask(ws, "", "page=%E7%94%B2", deltas=sent)
        concurrency._ask(ws, "", "page=%E7%94%B2&built=1", deltas=built)
        widgets: list[bytes] = []
        concurrency._ask(ws, "", "page=%E4%B8%99&widgets=1", deltas=widgets)
    assert failed is None
    bodies = []
    for data in sent:
        message = ForwardMsg.FromString(data)
        bodies.append((list(message.metadata.delta_path), message.delta.new_element.markdown.body))
    assert bodies == [([0, 0], "第一段"), ([0, 1], "第二段")]
    dots = [ForwardMsg.FromString(data).delta.new_element.markdown.body for data in built]
    assert dots == ["·", "·"]  # as many elements, each the least there is
    # the elements sent unchanged, the widget built as the least of its kind
    third = [ForwardMsg.FromString(data).delta.new_element for data in widgets]
    assert third[0].markdown.body == "说明"
    assert (third[1].selectbox.label, list(third[1].selectbox.options)) == ("·", ["·"])


def test_server_cpu_table_lists_each_page_by_scale():
    def pages(overview_ms):
        return {"总览": {"cpu_ms": overview_ms, "median_ms": 40.0}}

    results = {
        "scales": {
            "district": {"concurrency": {"server_cpu": pages(16.44)}},
            "city": {"concurrency": {"server_cpu": pages(30.05)}},
            "province": {"queries": {}},
        }
    }
    results["scales"]["district"]["concurrency"]["server_cpu"]["总览"] |= {
        "floor_cpu_ms": 7.25,
        "widget_floor_cpu_ms": 11.0,
        "built_floor_cpu_ms": 15.5,
        "elements": 107,
    }
    table = "\n".join(bench.server_cpu_table(results))
    assert "| 页面 | district | city |" in table
    assert (
        "| 总览 | 16.4 ms（下限 7.2 / 11.0 / 15.5 ms · 107 个元素 · 40 ms） | 30.1 ms（40 ms） |"
        in table
    )
    assert bench.server_cpu_table({"scales": {"province": {}}}) == []


def test_a_missed_ratio_is_argued_only_when_the_least_work_alone_misses_it():
    """ours÷pandas ≤ 0.2 and ours÷floor ≤ 10 (province): a miss is marked 本机不可达 only when the least
    work the computation must do (bench/sql/least_*.sql), measured, already misses the goal."""

    def compare(ours, pandas, floor, least):
        return {"ours_ms": ours, "pandas_ms": pandas, "floor_ms": floor, "least_ms": least,
                "pandas_load_ms": 1.0, "agree": True}  # fmt: skip

    results = {
        "scales": {
            "province": {
                "queries": {"grading": {"median_ms": 1}},
                "compare": {
                    "argued": compare(ours=90, pandas=100, floor=1, least=30),  # 0.3 > 0.2, 30 > 10
                    "missed": compare(
                        ours=90, pandas=100, floor=5, least=10
                    ),  # 0.1, 2: could be met
                    "met": compare(ours=10, pandas=100, floor=5, least=5),
                },
            }
        },
        "first_page": {"healthy_s": 1.0, "first_page_s": 3.0},
    }
    rows = {row["goal"]: row["pass"] for row in bench.checks(results)}
    assert rows["ours÷pandas（province：argued）"] == "argued"
    assert rows["ours÷floor（province：argued）"] == "argued"
    assert rows["ours÷pandas（province：missed）"] is False
    assert rows["ours÷floor（province：missed）"] is False
    assert rows["ours÷pandas（province：met）"] is True
    assert rows["ours÷floor（province：met）"] is True


def test_a_repeated_measurement_reports_its_median_run_and_the_spread():
    from bench import concurrency

    p95s = iter([3.0, 1.0, 2.0])
    result = concurrency.repeated(lambda: {"p95_s": next(p95s), "pages": 80}, 3)
    assert result["p95_s"] == 2.0
    assert result["p95_runs_s"] == [3.0, 1.0, 2.0]


def test_least_grading_gives_what_ours_gives(demo_db):
    """The floor for grading stores the same table as ours (every enterprise-year, every column but the
    imputed count): a floor that skipped part of the job would not bound it."""
    import duckdb

    with duckdb.connect(str(demo_db), read_only=True) as con:
        con.execute(bench._sql("least_grading"))
        least = con.table("least_grades").df()
        ours = con.table("grades").df()
    assert list(least.columns) == [c for c in ours.columns if c != "imputed_indicators"]
    assert len(least) == len(ours)
    assert least["not_graded_reason"].notna().sum() == ours["not_graded_reason"].notna().sum()


def test_least_town_indicators_gives_what_the_reference_gives(demo_db):
    """The floor for town_indicators does the whole job (亩均 totals and the 低效 count per town), in
    one pass: its figures equal the reference's."""
    import duckdb

    from bench import reference as bench_reference
    from plantrack.model import targets

    with duckdb.connect(str(demo_db), read_only=True) as con:
        least = {
            row[0]: row[1:] for row in con.execute(bench._sql("least_town_indicators")).fetchall()
        }
        theirs = bench_reference.town_indicators(
            con.table("enterprise_years").df(), con.table("enterprises").df(),
            bench.LATEST_YEAR, 5.0, targets.load_config().grading,
        )  # fmt: skip
    assert set(least) == set(theirs.index)
    for town, (tax, land, low) in least.items():
        expected = theirs.at[town, "mu_tax_wan_per_mu"]
        if land is None:  # a town without 规上 firms that year
            assert expected != expected
        else:
            assert abs(tax / land - expected) < 1e-9
        assert low == (theirs["low_efficiency_count"].fillna(0).at[town])


def test_the_monthly_lines_are_checked():
    """bench.monthly's province figures: all warnings ≤ 2 s, one month's import ≤ 10 s, pandas agrees,
    and its peak counts in the peak-memory line."""
    results = {
        "scales": {},
        "monthly": {
            "enterprises": 120000,
            "month_rows": 3140000,
            "warnings_s": {"first": 3.5, "median": 2.5},
            "import_month": {"rows": 80000, "seconds": 9.0, "ok": True},
            "agree": False,
            "peak_mb": 2100.0,
        },
        "first_page": {"healthy_s": 1.0, "first_page_s": 3.0},
    }
    rows = {row["goal"]: row for row in bench.checks(results)}
    assert rows["全部预警（province：120,000 家，3,140,000 行月度数据）"]["pass"] is False  # 2.5 s
    assert rows["导入一个月 CSV（province：80,000 行）"]["pass"] is True
    agreement = "与 pandas 结果一致（企业预警：阈值、同比、连续下滑、低于本镇街均值）"
    assert rows[agreement]["pass"] is False
    assert rows["峰值内存（所有子进程中最大）"]["value"] == 2100.0
