"""make bench: measured speed at district, city and province scale, beside a pandas reference and the
floor (a bare DuckDB scan of the same columns). Writes a table to stdout, bench/results.json and the
README's benchmark section.

Warm = median and p95 over repeated runs in one process (caches and OS file cache warm).
Cold = the first run of each item in a fresh process. Peak memory = the peak RSS of the process that
ran the item (python + DuckDB), from /proc/self/status (VmHWM).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from plantrack.ingest import demo
from plantrack.model import targets
from plantrack.model.reference import LEVELS, THREE_FACTORIES
from plantrack.model.roles import SMALL_CELL_FIRMS
from plantrack.settings import DEMO_GENERATOR_VERSION, ROOT
from plantrack.store import db, derived

BENCH_DIR = ROOT / "bench"


def _sql(name: str) -> str:
    """bench/sql/<name>.sql: the benchmark's own statements (floors, sample picks), kept out of Python."""
    return (BENCH_DIR / "sql" / f"{name}.sql").read_text(encoding="utf-8")


WORK_DIR = BENCH_DIR / "work"
SCALES = {"district": 500, "city": 10_000, "province": 120_000}
WARM_RUNS = 20
PAGE_WARM_RUNS = WARM_RUNS  # each run is a fresh session visiting the page: what a reload costs
LATEST_YEAR = 2025

GOALS = {
    "query_city_ms": 50,
    "query_province_ms": 150,
    "progress_district_ms": 300,
    "progress_province_ms": 2000,
    "grading_province_ms": 2000,
    "page_district_ms": 1000,
    "page_province_ms": 3000,
    "pandas_ratio_province": 0.2,  # ours ÷ pandas: at least 5× faster
    "floor_ratio_province": 10,  # ours ÷ floor: within 10×
    "import_xlsx_100k_s": 20,
    "import_csv_1m_s": 15,
    "warnings_province_s": 2,  # every warning for every firm, 120,000 firms × 46 months
    "import_month_s": 10,  # one month's CSV, every 规上 firm
    "peak_memory_mb": 2048,
    "run_first_page_s": 5,
    "bench_total_s": 15 * 60,
    "concurrent_visitors": 20,  # at district scale, at once …
    "concurrent_p95_s": 2,  # … each page within this (p95) in each of three runs, with no errors
    "crowd_visitors": 50,  # a crowd at district scale on one process …
    "crowd_p95_s": 4,  # … each page within this (p95)
    "two_servers_p95_s": 1.5,  # GOALS["concurrent_visitors"] on two processes behind HAProxy
    "reports_district_s": 60,  # the Word 分析报告 for the district and every town, all at once
}
COMPARE_LABELS = {
    "summary_from_rows": "（district_indicators 从明细算：导入时存为 yearly_summary，无目标）"
}
# issue 29: each page's server CPU per run at district halved from what the bench measured then (ms)
PAGE_CPU_BEFORE_MS = {"总览": 33, "规划详情": 19, "镇街任务": 29, "预警": 15, "亩均评价": 38}
# visitors at once, per scale (the two-server comparison at GOALS["concurrent_visitors"], district)
CONCURRENCY_LEVELS = {"district": [1, 5, 20, 50], "city": [1, 5, 20]}


def halving_pages() -> dict[str, str]:
    """The pages issue 29 halves: title → URL path (总览 at the landing address, where both the old and
    the new code serve it)."""
    from plantrack.app.navigation import PAGES

    paths = {spec.title: spec.url_path for spec in PAGES} | {PAGES[0].title: ""}
    return {title: paths[title] for title in PAGE_CPU_BEFORE_MS}


def query_cases(config: targets.Config) -> list[tuple[str, dict]]:
    """Every named query with the parameters the pages use."""
    from plantrack.engine import quotas

    plan = next(plan for plan in config.plans if plan.quotas)
    year = LATEST_YEAR
    # 亩均评价 as first opened: every filter at "all"
    unfiltered = dict.fromkeys(["grades", "towns", "industries", "grp", "in_park", "search"]) | {
        "year": year
    }
    return [
        ("yearly_indicators", {"town": None}),
        ("yearly_indicators", {"town": "金塘镇"}),
        ("grade_distribution", {}),
        ("town_factory_fulfillment", {"quotas": quotas.quota_param(plan)}),
        ("application_pipeline", {"year": year, "town": None}),
        ("town_applications", {"town": "金塘镇", "year": None}),
        ("town_indicators", {"year": year, "line": 5.0, "park_only": False}),
        ("enterprise_evaluation", {**unfiltered, "limit": 2000, "sample": False}),
        ("enterprise_evaluation", {**unfiltered, "limit": 3000, "sample": True}),  # the scatter
        ("evaluation_summary", unfiltered),
        (
            "enterprise_evaluation",
            {
                **unfiltered,
                "grades": ["C", "D"],
                "towns": ["金塘镇"],
                "grp": "规上",
                "limit": 2000,
                "sample": False,
            },
        ),
        ("grade_transition_matrix", {"from_year": year - 1, "to_year": year, "computed": True}),
        (
            "grade_transitions",
            {
                "from_year": year - 1,
                "to_year": year,
                "computed": True,
                "movements": ["上升", "下降"],
                "limit": 2000,
            },
        ),
        ("low_efficiency_enterprises", {"year": year, "line": 5.0, "park_only": False}),
        ("enterprise_list", {"search": None, "include": None, "limit": 1000}),
        ("enterprise_list", {"search": "机械", "include": None, "limit": 1000}),
        ("enterprise_identity", {"credit_code": "CODE"}),
        ("enterprise_history", {"credit_code": "CODE"}),
        ("enterprise_awards", {"credit_code": "CODE"}),
        ("enterprise_applications", {"credit_code": "CODE"}),
        ("enterprise_grades", {"credit_code": "CODE"}),
        ("factory_eligibility_facts", {"credit_code": "CODE"}),
        (
            "metrics/award_count",
            {"town": None, "awards": ["高新技术企业"], "min_level": None, "levels": LEVELS},
        ),
        (
            "metrics/award_coverage",
            {"town": None, "awards": THREE_FACTORIES, "min_level": None, "levels": LEVELS},
        ),
        (
            "metrics/band_count",
            {"town": None, "measure": "revenue", "min_wan": 50000.0, "max_wan": None},
        ),
        ("metrics/low_efficiency_count", {"town": None, "line": 5.0, "park_only": False}),
        ("metrics/factory_revenue_growth_gap", {"town": None, "factories": THREE_FACTORIES}),
        ("reported_indicators", {}),
        ("data_years", {}),
        ("warehouse/meta", {}),
        ("ledger/import_ledger", {}),
        ("plans/plan_versions", {}),  # read on every page run's first config of a database version
        # 预警 and 年内进度 (issue 27), as of 2026-10
        ("warnings/month_span", {}),
        ("warnings/monthly_shares", {"year": 2026}),
        ("warnings/town_month_facts", {"year": 2026, "month": 10}),
        ("warnings/firm_warnings", {"year": 2026, "month": 10}),
        ("warnings/projected_grades", {"year": 2026, "month": 10, "grade": "D"}),
        ("in_year_indicators", {"year": 2026, "month": 10, "town": None, "tax_share": 0.8}),
    ]


def _grade_into_table(con: duckdb.DuckDBPyConnection, config: targets.Config) -> None:
    """What derived.store does for grades, into a temporary table (the bench database is read-only)."""
    db.materialise(
        con,
        "grades_now",
        "derived/grading",
        temporary=True,
        **config.grading.query_params(),
    )


def _timed(fn, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]


def _peak_mb() -> float:
    """This process's peak resident memory since it started (VmHWM). Not getrusage's ru_maxrss alone:
    Linux keeps that across fork and exec, so a worker would report the driver's own peak (building the
    province database) as its own."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def database(scale: str, enterprises: int | None = None) -> Path:
    """The benchmark's own database for a scale (never the user's), generated once per generator version."""
    size = enterprises or SCALES[scale]
    path = WORK_DIR / f"{scale}-{size}.duckdb"
    if path.exists():
        with duckdb.connect(str(path), read_only=True) as con:
            if db.read_meta(con).get("generator_version") == DEMO_GENERATOR_VERSION:
                return path
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    demo.build(path, targets.load_config(), seed=7, enterprises=size)
    return path


# --- worker: runs inside a fresh process, prints JSON ------------------------------------------------


def worker_queries(path: Path) -> dict:
    """Cold first run, then warm runs, of every query, the whole progress evaluation and grading."""
    from plantrack.engine import progress

    config = targets.load_config()
    out: dict = {"queries": {}}
    con = db.connect_read_only(path)
    code = con.execute(_sql("sample_enterprise")).fetchone()[0]
    # grading as the product runs it when data change: every enterprise-year into a table
    start = time.perf_counter()
    _grade_into_table(con, config)
    out["grading"] = {"cold_ms": (time.perf_counter() - start) * 1000}
    out["grading"]["median_ms"], out["grading"]["p95_ms"] = _timed(
        lambda: _grade_into_table(con, config), WARM_RUNS
    )
    for name, params in query_cases(config):
        params = {k: code if v == "CODE" else v for k, v in params.items()}
        if "viewer_town" in targets.query_parameters(name):  # read as 科室: every town
            params["viewer_town"] = None
        if "min_firms" in targets.query_parameters(name):
            params["min_firms"] = SMALL_CELL_FIRMS
        relations = derived.relations(con, config, derived.reads(name))
        label = name + (
            ""
            if name not in out["queries"]
            else f"[{len([k for k in out['queries'] if k.startswith(name)]) + 1}]"
        )
        start = time.perf_counter()
        db.run_query(con, name, relations=relations, **params)
        cold = (time.perf_counter() - start) * 1000
        median, p95 = _timed(
            lambda name=name, params=params, relations=relations: db.run_query(
                con, name, relations=relations, **params
            ),
            WARM_RUNS,
        )
        out["queries"][label] = {"cold_ms": cold, "median_ms": median, "p95_ms": p95}
    start = time.perf_counter()
    rows = progress.evaluate(con, config, LATEST_YEAR)
    out["progress"] = {"cold_ms": (time.perf_counter() - start) * 1000, "targets": len(rows)}
    out["progress"]["median_ms"], out["progress"]["p95_ms"] = _timed(
        lambda: progress.evaluate(con, config, LATEST_YEAR), WARM_RUNS
    )
    out["peak_mb"] = _peak_mb()
    return out


def worker_compare(path: Path) -> dict:
    """Ours against the pandas reference and the floor, on the same aggregates; checks they agree."""
    import numpy as np

    from bench import reference as ref
    from plantrack.engine import quotas

    config = targets.load_config()
    con = db.connect_read_only(path)
    loads = ["enterprise_years", "enterprises", "awards"]
    # pandas works on frames in memory: they are loaded once, untimed (a pandas tool would keep them);
    # what loading them from the warehouse costs is recorded beside, for reading the ratios
    load_ms = {table: _timed(lambda table=table: con.table(table).df(), 3)[0] for table in loads}
    ey, ent, awards = (con.table(table).df() for table in loads)
    needs = {
        "district_indicators": ["enterprise_years"],
        "summary_from_rows": ["enterprise_years"],
        "town_indicators": ["enterprise_years", "enterprises"],
        "grading": ["enterprise_years", "enterprises"],
        "quota_fulfilment": ["awards", "enterprises"],
    }
    plan = next(plan for plan in config.plans if plan.quotas)
    quota_rows = [
        {"town": q.town, "award": q.award, "year": q.year, "quota_count": q.count}
        for q in plan.quotas
    ]
    import pandas as pd

    quota_frame = pd.DataFrame(quota_rows)
    method = json.loads(config.grading.model_dump_json())
    cases = {
        "district_indicators": (
            lambda: db.run_query(con, "yearly_indicators", town=None),
            lambda: ref.district_indicators(ey),
            _sql("floor_district_indicators"),
        ),
        # what the page no longer does: the stored summary computed from the rows (at import, for the
        # district and every town); informational, no goal
        "summary_from_rows": (
            lambda: db.run_query(con, "derived/yearly_summary"),
            lambda: ref.district_indicators(ey),
            _sql("floor_district_indicators"),
        ),
        "town_indicators": (
            lambda: db.run_query(
                con,
                "town_indicators",
                year=LATEST_YEAR,
                line=5.0,
                park_only=False,
                viewer_town=None,
                min_firms=SMALL_CELL_FIRMS,
            ),
            lambda: ref.town_indicators(ey, ent, LATEST_YEAR, 5.0, config.grading),
            _sql("floor_town_indicators"),
        ),
        "grading": (
            lambda: _grade_into_table(con, config),
            lambda: ref.grade(ey, ent, method),
            _sql("floor_grading"),
        ),
        "quota_fulfilment": (
            lambda: db.run_query(con, "town_factory_fulfillment", quotas=quotas.quota_param(plan)),
            lambda: ref.quota_fulfilment(awards, ent, quota_frame),
            _sql("floor_quota_fulfilment"),
        ),
    }
    out = {}
    for name, (ours, theirs, floor_sql) in cases.items():
        ours_ms, _ = _timed(ours, 5)
        pandas_ms, _ = _timed(theirs, 3)
        floor_ms, _ = _timed(lambda sql=floor_sql: con.execute(sql).fetchall(), 5)
        least_sql = _sql(f"least_{name.replace('summary_from_rows', 'district_indicators')}")
        least_ms, _ = _timed(lambda sql=least_sql: con.execute(sql).fetchall(), 5)
        out[name] = {
            "ours_ms": ours_ms,
            "pandas_ms": pandas_ms,
            "pandas_load_ms": sum(load_ms[table] for table in needs[name]),
            "floor_ms": floor_ms,
            "least_ms": least_ms,
            "agree": _agree(name, _result(con, name, ours), theirs(), np, method["shares"]),
        }
    out["peak_mb"] = _peak_mb()
    return out


def _result(con, name, ours):
    """Our result as a frame (grading writes a table; read it back)."""
    result = ours()
    return con.table("grades_now").df() if name == "grading" else result


def _agree(name, ours, theirs, np, shares: dict | None = None) -> bool:
    """Whether ours and the reference agree; `shares`: the grading method's A/B/C/D shares (grading)."""
    if name == "summary_from_rows":
        ours = ours[ours["town"].isna()].drop(columns="town")
        name = "district_indicators"
    if name == "district_indicators":
        ours = ours.set_index("year").loc[theirs.index, list(theirs.columns)]
        return bool(
            np.allclose(ours.to_numpy(float), theirs.to_numpy(float), equal_nan=True, rtol=1e-9)
        )
    if name == "town_indicators":
        ours = ours.set_index("town").loc[theirs.index]
        return bool(
            np.allclose(ours["mu_tax_wan_per_mu"], theirs["mu_tax_wan_per_mu"], equal_nan=True)
            and (
                ours["low_efficiency_count"].values
                == theirs["low_efficiency_count"].fillna(0).values
            ).all()
        )
    if name == "grading":  # every column of the stored table, on every row
        from bench import reference as ref

        merged = ours.merge(theirs, on=["credit_code", "year"], suffixes=("", "_ref"))

        def same(column):
            a, b = (merged[col].astype(object).fillna("∅") for col in (column, f"{column}_ref"))
            return bool((a == b).all())  # missing on both sides counts as the same

        def close(column, rtol):
            a, b = merged[column].to_numpy(float), merged[f"{column}_ref"].to_numpy(float)
            return bool(np.allclose(a, b, rtol=rtol, atol=0, equal_nan=True))

        # ranks and grades follow from the scores by the method's rule: from our scores, the rule
        # (as the reference writes it) must give exactly our ranks and grades. The reference's own
        # ranks come from its plain-mean scores, which may order two nearly equal firms the other way.
        eligible = (
            merged["not_graded_reason"].isna().to_numpy() & merged["score"].notna().to_numpy()
        )
        rank, computed = ref.rank_and_grade(
            merged["score"], merged["year"], merged["grp"] == "规上", eligible, shares
        )
        ranked_as_ours = bool(
            np.array_equal(rank, merged["score_rank"].to_numpy(float), equal_nan=True)
            and (computed == merged["computed_grade"].to_numpy(object)).all()
        )
        return bool(  # a Python bool: the worker reports it as JSON
            len(merged) == len(ours) == len(theirs)
            and all(
                same(column)
                for column in (
                    "grp",
                    "not_graded_reason",
                    "official_grade",
                    "grade_source",
                    "imputed_indicators",
                )
            )
            and close("score", 1e-9)
            and all(close(column, 1e-12) for column in ("land_mu", "tax_wan", "mu_tax_wan_per_mu"))
            and ranked_as_ours
            and (merged["grade"] == merged["official_grade"].fillna(merged["computed_grade"])).all()
            and (merged["computed_grade"] == merged["computed_grade_ref"]).mean() > 0.999
        )
    if name == "quota_fulfilment":
        ours = ours.sort_values(["town", "award", "year"]).reset_index(drop=True)
        return bool((ours["awarded_count"].values == theirs["awarded_count"].values).all())
    return False


def worker_pages(path: Path) -> dict:
    """Each page's full server-side run under AppTest: cold (first run in this process), then warm."""
    os.environ["PLANTRACK_DB"] = str(path)
    from streamlit.testing.v1 import AppTest

    from plantrack.app import data
    from plantrack.app.navigation import PAGES
    from plantrack.app.serve import skip_component_scan, warm_imports
    from plantrack.app.v1pages import disable_v1_pages_folder

    # as `python -m plantrack serve` does at start-up, before the first visitor
    disable_v1_pages_folder()
    skip_component_scan()
    warm_imports()
    data.warm_up()
    # AppTest runs pages without a server, so Streamlit would once inspect the call stack to warn
    # that it is not under `streamlit run` (0.5 s); a served page never does
    import streamlit.delta_generator

    streamlit.delta_generator._use_warning_has_been_displayed = True
    out = {}
    for spec in PAGES:

        def run(spec=spec):
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
            at.switch_page(spec.path)  # a visit straight to this page, as from a link
            at.run()
            if at.exception:
                raise RuntimeError(f"{spec.title}: {at.exception}")

        start = time.perf_counter()
        run()
        cold = (time.perf_counter() - start) * 1000
        median, p95 = _timed(run, PAGE_WARM_RUNS)
        out[spec.title] = {"cold_ms": cold, "median_ms": median, "p95_ms": p95}
        print(
            f"{spec.title}: cold {cold:.0f} ms, warm {median:.0f} ms", file=sys.stderr, flush=True
        )
    out["peak_mb"] = _peak_mb()
    return out


def worker_deck(path: Path) -> dict:
    from plantrack.report import images
    from plantrack.report.deck import pdf, powerpoint, slides

    config = targets.load_config()
    con = db.connect_read_only(path)
    start = time.perf_counter()
    deck = slides.build(con, config, LATEST_YEAR)
    pptx = powerpoint.to_pptx(deck)
    out = {
        "pptx_ms": (time.perf_counter() - start) * 1000,
        "slides": len(deck.slides),
        "bytes": len(pptx),
    }
    if images.problem() is None:
        start = time.perf_counter()
        pdf.to_pdf(deck)
        out["pdf_ms"] = (time.perf_counter() - start) * 1000
    out["peak_mb"] = _peak_mb()
    return out


def worker_reports(path: Path) -> dict:
    """The Word 分析报告: the district's and every quota town's, charts drawn, in one process."""
    from plantrack.report import images
    from plantrack.report.word import files

    if images.problem() is not None:
        return {"skipped": images.problem()}
    from plantrack.store import plans

    con = db.connect_read_only(path)
    config = plans.config_as_of(
        con, targets.load_config(), LATEST_YEAR
    )  # as the CLI: with published
    start = time.perf_counter()
    written = files.all_reports(con, config, LATEST_YEAR)
    return {
        "seconds": time.perf_counter() - start,
        "reports": len(written),
        "peak_mb": _peak_mb(),
    }


def worker_import(path: Path, fmt: str, rows: int) -> dict:
    """Import `rows` enterprise-year rows (xlsx or csv) into a fresh warehouse."""
    import tempfile

    import pandas as pd

    from plantrack.ingest import write
    from plantrack.model import kinds

    config = targets.load_config()
    kind = kinds.ENTERPRISE_YEARS
    con = db.connect_read_only(path)
    frame = con.execute(_sql("import_source_rows"), {"rows": rows}).df()
    copies = [frame]
    while (
        sum(len(part) for part in copies) < rows
    ):  # earlier years of the same enterprises, as a real backfill
        copies.append(copies[-1].assign(year=copies[-1]["year"] - 6))
    frame = pd.concat(copies, ignore_index=True).head(rows)
    frame["above_scale"] = frame["above_scale"].map({True: "是", False: "否"})
    frame.columns = [kind.header(column) for column in kind.columns]
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"企业年度数据.{fmt}"
        if fmt == "csv":
            frame.to_csv(source, index=False, encoding="utf-8-sig")
        else:
            import xlsxwriter

            workbook = xlsxwriter.Workbook(str(source), {"constant_memory": True})
            sheet = workbook.add_worksheet()
            sheet.write_row(0, 0, list(frame.columns))
            for index, row in enumerate(frame.itertuples(index=False), start=1):
                sheet.write_row(
                    index, 0, ["" if value is None or value != value else value for value in row]
                )
            workbook.close()
        target = Path(folder) / "warehouse.duckdb"
        start = time.perf_counter()
        report = write.import_file(source, target, config)
        seconds = time.perf_counter() - start
    return {
        "rows": len(frame),
        "seconds": seconds,
        "ok": report.ok,
        "problems": len(report.problems),
        "peak_mb": _peak_mb(),
    }


def worker_first_page() -> dict:
    """`make run` from an installed venv: seconds from running it until the server is healthy, until
    an already open browser has the whole first page from the server (its last line, below the charts),
    and until the browser has drawn its first chart (browser start-up is not counted)."""
    import signal
    import socket
    import urllib.request
    from contextlib import ExitStack

    from plantrack.report import images

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    db_path = database("district")
    with ExitStack() as stack:
        page = None
        if images.chromium():
            from playwright.sync_api import sync_playwright

            playwright = stack.enter_context(sync_playwright())
            browser = playwright.chromium.launch(
                executable_path=images.chromium(),
                args=["--headless", "--no-sandbox", "--disable-gpu"],
            )
            stack.callback(browser.close)
            page = browser.new_page()
        start = time.perf_counter()
        process = subprocess.Popen(
            ["make", "--no-print-directory", "-s", "run", f"PORT={port}", f"DB={db_path}"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        stack.callback(process.wait, timeout=10)
        stack.callback(lambda: os.killpg(process.pid, signal.SIGTERM))
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                    break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("make run 未能启动看板") from None
                time.sleep(0.05)
        healthy = time.perf_counter() - start
        served = drawn = None
        if page is not None:
            page.goto(f"http://127.0.0.1:{port}/")
            page.get_by_text("算法见口径说明 §6b").first.wait_for(timeout=60000)
            served = time.perf_counter() - start
            page.get_by_text("本区规划目标状态").first.wait_for(timeout=60000)
            drawn = time.perf_counter() - start
        return {"healthy_s": healthy, "first_page_s": served, "first_chart_s": drawn}


def _spawn(*args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "bench", "worker", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if result.returncode != 0:
        raise RuntimeError(f"基准测试子进程失败（{' '.join(args)}）：\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _spawn_monthly() -> dict:
    """bench.monthly at province, in a process of its own, on make bench's province database."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.monthly", "--scale", "province"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if not result.stdout.strip():
        raise RuntimeError(f"月度基准子进程失败：\n{result.stderr[-2000:]}")
    return json.loads(result.stdout)


# --- driver ------------------------------------------------------------------------------------------


def run(scales: list[str], enterprises: int | None, out: Path, update_readme: bool) -> dict:
    begun = time.perf_counter()
    results: dict = {
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "duckdb": duckdb.__version__,
            "date": time.strftime("%Y-%m-%d %H:%M"),
        },
        "goals": GOALS,
        "scales": {},
        "phases": {},
    }

    def phase(label: str, work):
        started = time.perf_counter()
        value = work()
        seconds = time.perf_counter() - started
        results["phases"][label] = round(seconds, 1)
        elapsed = time.perf_counter() - begun
        print(f"[{elapsed // 60:02.0f}:{elapsed % 60:02.0f}] {label}：{seconds:.0f} s", flush=True)
        return value

    for scale in scales:
        path = phase(
            f"{scale} 数据库生成/检查",
            lambda scale=scale: database(scale, enterprises if scale == "custom" else None),
        )
        entry = {"db_mb": path.stat().st_size / 1e6}
        entry["queries"] = phase(
            f"{scale} 查询、进度评估、评价", lambda p=path: _spawn("queries", str(p))
        )
        if (
            scale != "city"
        ):  # the goals name pages and the pandas/floor ratios at district and province
            entry["compare"] = phase(
                f"{scale} pandas 对照与下限", lambda p=path: _spawn("compare", str(p))
            )
            entry["pages"] = phase(f"{scale} 页面", lambda p=path: _spawn("pages", str(p)))
        entry["deck"] = phase(f"{scale} 汇报材料", lambda p=path: _spawn("deck", str(p)))
        if scale == "district":
            entry["reports"] = phase(
                f"{scale} 分析报告（全区及各镇街）", lambda p=path: _spawn("reports", str(p))
            )
        if scale in CONCURRENCY_LEVELS:
            from bench import concurrency

            entry["concurrency"] = phase(
                f"{scale} 并发访客",
                lambda p=path, s=scale: concurrency.measure(
                    p,
                    CONCURRENCY_LEVELS[s],
                    GOALS["concurrent_visitors"] if s == "district" else None,
                ),
            )
            if scale == "district":
                from bench import baseline

                entry["halving"] = phase(
                    f"{scale} 每页 CPU 与 {baseline.BASELINE[:7]} 同时交替测",
                    lambda: baseline.paired(WORK_DIR, halving_pages()),
                )
        results["scales"][scale] = entry
    if "province" in scales or "city" in scales:
        source = database("city" if "city" in scales else scales[-1])
        big = database("province") if "province" in scales else source
        results["import"] = {
            "xlsx_100k": phase(
                "导入 xlsx 10万行", lambda: _spawn("import", str(source), "xlsx", "100000")
            ),
            "csv_1m": phase(
                "导入 CSV 100万行", lambda: _spawn("import", str(big), "csv", "1000000")
            ),
        }
    if "province" in scales:
        results["monthly"] = phase("月度数据与预警（province）", _spawn_monthly)
    results["first_page"] = phase("首页", lambda: _spawn("first_page"))
    results["total_s"] = round(time.perf_counter() - begun, 1)
    results["checks"] = checks(results)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    table = render(results)
    print(table)
    if update_readme:
        _update_readme(table, results["machine"])
    return results


def checks(results: dict) -> list[dict]:
    """Every goal with its measured value and a pass/miss mark."""
    rows = []

    def add(label, value, goal, unit, lower_is_better=True, least=None):
        """`least`: the same ratio for the least work the computation must do (bench/sql/least_*.sql);
        a miss whose least work alone misses the goal cannot be met here, and is marked so."""
        if value is None:
            rows.append({"goal": label, "value": None, "target": goal, "unit": unit, "pass": None})
            return
        ok = value <= goal if lower_is_better else value >= goal
        if not ok and least is not None and least > goal:
            ok = "argued"
        rows.append(
            {"goal": label, "value": round(value, 2), "target": goal, "unit": unit, "pass": ok}
        )

    scales = results["scales"]
    for scale, goal in (("city", GOALS["query_city_ms"]), ("province", GOALS["query_province_ms"])):
        if "queries" in scales.get(scale, {}).get("queries", {}):
            queries = scales[scale]["queries"]["queries"]
            worst = max(queries.items(), key=lambda item: item[1]["median_ms"])
            add(f"页面查询中位数最慢（{scale}：{worst[0]}）", worst[1]["median_ms"], goal, "ms")
    for scale, goal in (
        ("district", GOALS["progress_district_ms"]),
        ("province", GOALS["progress_province_ms"]),
    ):
        if "progress" in scales.get(scale, {}).get("queries", {}):
            add(
                f"全部目标进度评估（{scale}）",
                scales[scale]["queries"]["progress"]["median_ms"],
                goal,
                "ms",
            )
    if "province" in scales:
        add(
            "全部企业年度评价（province）",
            scales["province"]["queries"]["grading"]["median_ms"],
            GOALS["grading_province_ms"],
            "ms",
        )
    for scale, goal in (
        ("district", GOALS["page_district_ms"]),
        ("province", GOALS["page_province_ms"]),
    ):
        if "pages" in scales.get(scale, {}):
            pages = {k: v for k, v in scales[scale]["pages"].items() if k != "peak_mb"}
            worst = max(pages.items(), key=lambda item: item[1]["cold_ms"])
            add(f"页面完整运行最慢·冷（{scale}：{worst[0]}）", worst[1]["cold_ms"], goal, "ms")
    if "province" in scales:
        compare = {
            k: v
            for k, v in scales["province"]["compare"].items()
            if k not in ("peak_mb", "summary_from_rows")
        }
        for name, item in compare.items():
            least = item.get("least_ms")
            add(
                f"ours÷pandas（province：{name}）",
                item["ours_ms"] / item["pandas_ms"],
                GOALS["pandas_ratio_province"],
                "倍",
                least=least / item["pandas_ms"] if least else None,
            )
            add(
                f"ours÷floor（province：{name}）",
                item["ours_ms"] / item["floor_ms"],
                GOALS["floor_ratio_province"],
                "倍",
                least=least / item["floor_ms"] if least else None,
            )
            rows.append(
                {
                    "goal": f"与 pandas 结果一致（{name}）",
                    "value": item["agree"],
                    "target": True,
                    "unit": "",
                    "pass": bool(item["agree"]),
                }
            )
    if "import" in results:
        add(
            "导入 xlsx 10万行",
            results["import"]["xlsx_100k"]["seconds"],
            GOALS["import_xlsx_100k_s"],
            "s",
        )
        add(
            "导入 CSV 100万行",
            results["import"]["csv_1m"]["seconds"],
            GOALS["import_csv_1m_s"],
            "s",
        )
    reports = scales.get("district", {}).get("reports", {})
    if "seconds" in reports:
        add(
            f"分析报告 全区及{reports['reports'] - 1}个镇街（district，Word）",
            reports["seconds"],
            GOALS["reports_district_s"],
            "s",
        )
    peaks = [
        entry[part]["peak_mb"]
        for entry in scales.values()
        for part in ("queries", "compare", "pages", "deck", "reports")
        if "peak_mb" in entry.get(part, {})
    ]
    peaks += [item["peak_mb"] for item in results.get("import", {}).values()]
    monthly = results.get("monthly")
    if monthly:
        add(
            f"全部预警（province：{monthly['enterprises']:,} 家，{monthly['month_rows']:,} 行月度数据）",
            monthly["warnings_s"]["median"],
            GOALS["warnings_province_s"],
            "s",
        )
        add(
            f"导入一个月 CSV（province：{monthly['import_month']['rows']:,} 行）",
            monthly["import_month"]["seconds"],
            GOALS["import_month_s"],
            "s",
        )
        rows.append(
            {
                "goal": "与 pandas 结果一致（企业预警：阈值、同比、连续下滑、低于本镇街均值）",
                "value": monthly["agree"],
                "target": True,
                "unit": "",
                "pass": bool(monthly["agree"]),
            }
        )
        peaks.append(monthly["peak_mb"])
    add(
        "峰值内存（所有子进程中最大）", max(peaks) if peaks else None, GOALS["peak_memory_mb"], "MB"
    )
    if "total_s" in results:
        generated = sum(
            seconds for label, seconds in results.get("phases", {}).items() if "数据库" in label
        )
        add(
            f"make bench 全程用时（其中生成数据 {generated:.0f} s）",
            results["total_s"],
            GOALS["bench_total_s"],
            "s",
        )
    concurrency = scales.get("district", {}).get("concurrency", {})
    crowd = concurrency.get("one_server", [])
    at_goal = next((row for row in crowd if row["visitors"] == GOALS["concurrent_visitors"]), None)
    # one process runs Python on one core (the GIL); deploy/README.md runs one per core behind HAProxy
    visitors = GOALS["concurrent_visitors"]
    if at_goal:  # the goal holds in each of the runs: the slowest run's p95
        slowest = max(run for run in at_goal.get("p95_runs_s") or [at_goal["p95_s"]] if run)
        runs = len(at_goal.get("p95_runs_s") or [1])
        add(
            f"{visitors} 位访客同时（district，单进程）：页面 p95（{runs} 次中最慢的一次）",
            slowest,
            GOALS["concurrent_p95_s"],
            "s",
        )
        add(f"{visitors} 位访客同时（单进程）：出错页面", at_goal["errors"], 0, "个")
    crowded = next((row for row in crowd if row["visitors"] == GOALS["crowd_visitors"]), None)
    if crowded:
        add(
            f"{GOALS['crowd_visitors']} 位访客同时（district，单进程）：页面 p95",
            crowded["p95_s"],
            GOALS["crowd_p95_s"],
            "s",
        )
        add(f"{GOALS['crowd_visitors']} 位访客同时（单进程）：出错页面", crowded["errors"], 0, "个")
    two = concurrency.get("two_servers")
    if two:  # the run with the median p95 of three
        where = "2 进程 + HAProxy，部署方案"
        add(
            f"{visitors} 位访客同时（district，{where}）：页面 p95（3 次取中）",
            two["p95_s"],
            GOALS["two_servers_p95_s"],
            "s",
        )
        add(f"{visitors} 位访客同时（{where}）：出错页面", two["errors"], 0, "个")
    halving = results["scales"].get("district", {}).get("halving")
    if halving:  # the old and the new code measured in the same minutes (bench.baseline)
        for page, measured in halving["pages"].items():
            add(
                f"每页服务端 CPU 减半（district：{page}；与 {halving['baseline'][:7]} 的代码同时交替测"
                f" {halving['pairs']} 对、每对各 {halving['runs']} 次，中位数 {measured['old_ms']:.1f} → "
                f"{measured['new_ms']:.1f} ms；新÷旧取各对之比的中位数）",
                measured["ratio"],
                0.5,
                "倍",
            )
    else:  # no git history here: the figures against those measured then, on whatever day that was
        halving_lines(concurrency, add)
    first = results["first_page"]
    add(
        "make run（已装好 venv）到首页内容全部送达",
        first["first_page_s"] or first["healthy_s"],
        GOALS["run_first_page_s"],
        "s",
    )
    return rows


def render(results: dict) -> str:
    lines = [
        f"机器：{results['machine']['platform']} · {results['machine']['cpus']} 核 · Python {results['machine']['python']} · DuckDB {results['machine']['duckdb']} · {results['machine']['date']}",
        "",
        "| 指标 | 实测 | 目标 | 结果 |",
        "|---|---|---|---|",
    ]
    for row in results["checks"]:
        value = (
            "—"
            if row["value"] is None
            else (
                row["value"]
                if isinstance(row["value"], bool)
                else f"{row['value']:,} {row['unit']}"
            )
        )
        mark = {
            None: "—",
            True: "✅ 达标",
            False: "❌ 未达标",
            "argued": "⚠️ 本机不可达（其必需运算或下限本身已超出目标，见下方）",
        }[row["pass"]]
        target = (
            row["target"]
            if isinstance(row["target"], bool)
            else f"≤ {row['target']:,} {row['unit']}"
        )
        lines.append(f"| {row['goal']} | {value} | {target} | {mark} |")
    lines.append("")
    lines.append(
        "| 规模 | 企业年度行 | 数据库 | 查询中位数最大/最小 | 进度评估 | 评价 | 汇报材料 PPTX | 峰值内存 |"
    )
    lines.append("|---|---|---|---|---|---|---|---|")
    for scale, entry in results["scales"].items():
        queries = entry["queries"]["queries"].values()
        medians = [q["median_ms"] for q in queries]
        peak = max(
            entry[part]["peak_mb"]
            for part in ("queries", "compare", "pages", "deck")
            if part in entry
        )
        lines.append(
            f"| {scale} | {SCALES.get(scale, '-')}×6年 | {entry['db_mb']:.0f} MB | {max(medians):.1f} / {min(medians):.2f} ms "
            f"| {entry['queries']['progress']['median_ms']:.0f} ms | {entry['queries']['grading']['median_ms']:.0f} ms "
            f"| {entry['deck']['pptx_ms']:.0f} ms（{entry['deck']['slides']}页） | {peak:.0f} MB |"
        )
    lines += server_cpu_table(results)
    lines += concurrency_table(results)
    for scale, entry in results["scales"].items():
        compare = {k: v for k, v in entry.get("compare", {}).items() if k != "peak_mb"}
        if not compare:
            continue
        lines += [
            "",
            f"pandas 对照与下限（{scale}；pandas 在内存中的表上计算，读入耗时另列）：",
            "",
            "| 计算 | ours | pandas | pandas 读入 | 下限（裸扫描） | 必需运算 | ours÷pandas | ours÷(pandas+读入) | ours÷下限 | 必需运算÷pandas | 必需运算÷下限 | 结果一致 |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for name, item in compare.items():
            load = item.get("pandas_load_ms", 0)
            least = item.get("least_ms")
            least_cells = (
                f"{least:.1f} ms | … | … | {least / item['pandas_ms']:.2f} | {least / item['floor_ms']:.1f}"
                if least
                else "— | … | … | — | —"
            )
            ours_cells = (
                f"{item['ours_ms'] / item['pandas_ms']:.2f} "
                f"| {item['ours_ms'] / (item['pandas_ms'] + load):.2f} "
                f"| {item['ours_ms'] / item['floor_ms']:.1f}"
            )
            shown = COMPARE_LABELS.get(name, name)
            lines.append(
                f"| {shown} | {item['ours_ms']:.1f} ms | {item['pandas_ms']:.1f} ms | {load:.1f} ms "
                f"| {item['floor_ms']:.1f} ms | {least_cells.replace('… | …', ours_cells)} "
                f"| {'是' if item['agree'] else '否'} |"
            )
    return "\n".join(lines)


def _page_cost(item: dict) -> str:
    floor = (
        f"下限 {item['floor_cpu_ms']:.1f} / {item.get('widget_floor_cpu_ms', 0):.1f} / "
        f"{item['built_floor_cpu_ms']:.1f} ms · {item['elements']} 个元素 · "
        if "floor_cpu_ms" in item
        else ""
    )
    return f"{item['cpu_ms']:.1f} ms（{floor}{item['median_ms']:.0f} ms）"


def halving_lines(concurrency: dict, add) -> None:
    """Each page's CPU against half what the bench measured when issue 29 was filed. 本机不可达 only
    when the least such a page can cost already misses the goal: its elements sent again unchanged
    but its widgets built, each the least of its kind (bench/floor_page.py) — what is left when
    everything else is replayed (plantrack.app.replay), as widgets are made live in every run."""
    for page, before in PAGE_CPU_BEFORE_MS.items():
        measured = concurrency.get("server_cpu", {}).get(page)
        if measured:
            least = measured.get("widget_floor_cpu_ms")
            add(
                f"每页服务端 CPU 减半（district：{page}，原 {before} ms"
                + (
                    f"；原样发送它的 {measured['elements']} 个元素、只建出其中的控件 {least:.1f} ms）"
                    if least
                    else "）"
                ),
                round(measured["cpu_ms"], 1),
                before / 2,
                "ms",
                least=least,
            )


def server_cpu_table(results: dict) -> list[str]:
    """每页服务端 CPU: what one warm page run costs the server process, per page and scale."""
    from bench.concurrency import SERVER_CPU_ROUNDS, SERVER_CPU_RUNS

    measured = {
        scale: entry["concurrency"]["server_cpu"]
        for scale, entry in results["scales"].items()
        if "server_cpu" in entry.get("concurrency", {})
    }
    if not measured:
        return []
    scales = list(measured)
    pages = list(next(iter(measured.values())))
    lines = [
        "",
        f"每页服务端 CPU（一位访客，已预热；每页连续打开 {SERVER_CPU_RUNS} 次，服务进程用户态+内核态"
        f" CPU 时间 ÷ 次数；所有页面轮流量 {SERVER_CPU_ROUNDS} 轮，取中位数；"
        "括号内：三个下限——一个什么都不计算的 Streamlit 脚本（bench/floor_page.py）把该页发出的元素原样再发一次"
        "（Streamlit 发送这一页的花费）/ 原样再发一次、但其中的控件（选择框、下载按钮、打开时重跑的弹出框）每个按"
        "最简单的样子建出（页面其余部分重放、控件每次现建时的最少花费）/ 用 Streamlit 的接口建同样多个最简单的元素"
        "（一个点、一个空容器）再发出（全部现建的最少花费）；该页的元素数；页面完成时间中位数）：",
        "",
        "| 页面 | " + " | ".join(scales) + " |",
        "|---|" + "---|" * len(scales),
    ]
    for page in pages:
        cells = [
            _page_cost(measured[scale][page]) if page in measured[scale] else "—"
            for scale in scales
        ]
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    return lines


def concurrency_table(results: dict) -> list[str]:
    """并发访客: one row per scale × N (and two servers behind HAProxy), with the N where p95 > 3 s."""
    lines = [
        "",
        "并发访客（每位访客依次打开 总览、规划详情、镇街任务、亩均评价；N ≥ 10 时其中 2 位用真浏览器）：",
        "",
        "| 规模 | 服务进程 | 访客 N | 页面数 | 中位数 | p95 | 其中 轻客户端 p95 / 浏览器 p95 | 出错 | 每会话内存 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]

    def seconds(value) -> str:
        return "—" if value is None else f"{value:.2f} s"

    def row(scale: str, servers: int, item: dict) -> str:
        runs = item.get("p95_runs_s") or []
        spread = (
            f"（{len(runs)} 次取中：{' / '.join(seconds(v) for v in runs)}）"
            if len(runs) > 1
            else ""
        )
        return (
            f"| {scale} | {servers} | {item['visitors']} | {item['pages']} | {item['median_s']:.2f} s "
            f"| {item['p95_s']:.2f} s{spread} "
            f"| {seconds(item.get('light_p95_s'))} / {seconds(item.get('browser_p95_s'))} "
            f"| {item['errors']} | {item['mb_per_session']:.1f} MB |"
        )

    passing = []
    for scale, entry in results["scales"].items():
        crowd = entry.get("concurrency")
        if not crowd:
            continue
        for item in crowd["one_server"]:
            lines.append(row(scale, 1, item))
        if "two_servers" in crowd:
            lines.append(row(scale, 2, crowd["two_servers"]))
        over = next((i["visitors"] for i in crowd["one_server"] if (i["p95_s"] or 0) > 3), None)
        passing.append(
            f"{scale}：{f'N = {over} 时 p95 超过 3 s' if over else '所测 N 内 p95 均未超过 3 s'}"
        )
    if len(lines) == 5:
        return []
    return [*lines, "", "；".join(passing) + "。"]


def _update_readme(table: str, machine: dict) -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    block = f"{start}\n{table}\n{end}"
    if start in text and end in text:  # everything after the block's end is kept as it is
        text = text.split(start, 1)[0] + block + text.split(end, 1)[1]
    else:
        text += f"\n## 性能（make bench 最近一次结果）\n\n{block}\n"
    readme.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["worker"]:
        kind, *rest = argv[1:]
        functions = {
            "queries": lambda: worker_queries(Path(rest[0])),
            "compare": lambda: worker_compare(Path(rest[0])),
            "pages": lambda: worker_pages(Path(rest[0])),
            "deck": lambda: worker_deck(Path(rest[0])),
            "reports": lambda: worker_reports(Path(rest[0])),
            "import": lambda: worker_import(Path(rest[0]), rest[1], int(rest[2])),
            "first_page": worker_first_page,
        }
        print(json.dumps(functions[kind](), ensure_ascii=False, default=str))
        return 0
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="性能基准（区、市、省三个规模）"
    )
    parser.add_argument(
        "--scales", default="district,city,province", help="逗号分隔：district,city,province"
    )
    parser.add_argument("--enterprises", type=int, help="只跑一个自定义规模（企业数）")
    parser.add_argument(
        "--years", type=int, default=6, help="年份数（示例数据固定为 2020—2025 共 6 年）"
    )
    parser.add_argument("--out", default=str(BENCH_DIR / "results.json"))
    parser.add_argument("--no-readme", action="store_true", help="不更新 README 中的结果表")
    args = parser.parse_args(argv)
    if args.years != 6:
        print("示例数据生成器固定生成 2020—2025 共 6 年；--years 暂只接受 6", file=sys.stderr)
        return 2
    scales = ["custom"] if args.enterprises else [s for s in args.scales.split(",") if s]
    unknown = [s for s in scales if s not in SCALES and s != "custom"]
    if unknown:
        print(f"未知规模：{'、'.join(unknown)}（可选 {', '.join(SCALES)}）", file=sys.stderr)
        return 2
    if args.enterprises:
        SCALES["custom"] = args.enterprises
    run(scales, args.enterprises, Path(args.out), update_readme=not args.no_readme)
    return 0


if __name__ == "__main__":
    sys.exit(main())
