"""The monthly part of the bench (issue 27), run on its own: `python -m bench.monthly --enterprises N`.

On a demo database of N enterprises (its 规上 firms' months 2023-01—2026-10): the time to import one
month's CSV (2026-11, every firm, 当月 layout) into a copy, the time of every warning as of 2026-10 (wall
and CPU: on a shared machine the CPU time is the steadier figure), the monthly page queries (median), and a
pandas reference of the firm rules that are plain arithmetic (threshold, 同比, streak, peer) which must
flag the same firms. Prints JSON. `make bench` runs it at province scale on its own province database
(`--scale province`), and its table has the lines.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bench.run import SCALES, WORK_DIR, _peak_mb, _timed, database, query_cases
from plantrack.engine import in_year, warnings
from plantrack.ingest import write
from plantrack.model import targets, warning_rules
from plantrack.model.kinds import MONTHLY
from plantrack.store import db, derived

YEAR, MONTH = 2026, 10


def reference(con, rules, shares: pd.DataFrame) -> set[tuple[str, str]]:
    """(rule, credit_code) of the arithmetic firm rules at YEAR-MONTH, computed with pandas from the raw
    tables (loaded untimed, as a pandas tool would keep them)."""
    months = con.execute(
        "select * from enterprise_months where year in (?, ?) and month <= ?",
        [YEAR, YEAR - 1, MONTH],
    ).df()
    land = (
        con.execute("select credit_code, year, land_mu from enterprise_years where land_mu > 0")
        .df()
        .query("year <= @YEAR")
        .sort_values("year")
        .groupby("credit_code")["land_mu"]
        .last()
    )
    towns = con.execute("select credit_code, town from enterprises").df().set_index("credit_code")
    this = months[months["year"] == YEAR]
    last = months[months["year"] == YEAR - 1]
    ytd = this.groupby("credit_code").sum(numeric_only=True)
    ytd_last = last.groupby("credit_code").sum(numeric_only=True).reindex(ytd.index)
    now = this[this["month"] == MONTH].set_index("credit_code").index
    ytd = ytd.loc[ytd.index.intersection(now)]
    ytd_last = ytd_last.loc[ytd.index]
    found = set()
    for rule in rules.rules:
        if rule.scope != "企业" or rule.kind == "projection":
            continue
        if rule.kind == "threshold":
            if rule.metric == "mu_tax_annualised":
                value = ytd["tax_wan"] / shares.loc[MONTH, "tax_share"] / land.reindex(ytd.index)
            else:
                value = ytd["profit_wan"]
            hit = value[value.round(9) < rule.below].index
        elif rule.kind == "yoy":
            column = "electricity_wan_kwh" if rule.metric == "electricity" else f"{rule.metric}_wan"
            before = ytd_last[column].where(ytd_last[column] > 0)
            growth = 100 * (ytd[column] / before - 1)
            hit = growth[growth.round(9) < -rule.decline_pct].index
        elif rule.kind == "streak":
            column = "electricity_wan_kwh" if rule.metric == "electricity" else f"{rule.metric}_wan"
            pair = this.merge(last, on=["credit_code", "month"], suffixes=("", "_last"))
            pair["down"] = (pair[column] < pair[f"{column}_last"]) & (pair[f"{column}_last"] > 0)
            window = pair[pair["month"] > MONTH - rule.months].groupby("credit_code")["down"]
            streak = window.agg(["sum", "count"])
            hit = streak[(streak["sum"] == rule.months) & (streak["count"] == rule.months)].index
            hit = hit.intersection(now)
        else:  # peer: against the town's ratio of totals
            frame = ytd[["tax_wan"]].join(land.rename("land_mu")).join(towns)
            frame = frame[frame["land_mu"].notna()]
            totals = frame.groupby("town")[["tax_wan", "land_mu"]].sum()
            mean = (totals["tax_wan"] / totals["land_mu"]).reindex(frame["town"]).to_numpy()
            share = 100 * (frame["tax_wan"] / frame["land_mu"]) / np.where(mean > 0, mean, np.nan)
            hit = share[share.round(9) < rule.below_share_pct].index
        found |= {(rule.id, code) for code in hit}
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.monthly")
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--scale", help="a scale of make bench (its database, its size)")
    args = parser.parse_args(argv)
    config = targets.load_config()
    rules = warning_rules.load_rules()
    start = time.perf_counter()
    path = database(args.scale) if args.scale else database("monthly", args.enterprises)
    enterprises = SCALES[args.scale] if args.scale else args.enterprises
    out: dict = {"enterprises": enterprises, "build_s": time.perf_counter() - start}
    con = db.connect_read_only(path)
    out["month_rows"] = int(con.execute("select count(*) from enterprise_months").fetchone()[0])
    grades = derived.relations(con, config, ["grades"]).get("grades")
    times, cpu = [], []
    for _ in range(3):
        start, start_cpu = time.perf_counter(), time.process_time()
        found = warnings.evaluate(con, config, rules, YEAR, MONTH, grades=grades)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)  # every thread of the process: python + DuckDB
    out["warnings"] = len(found)
    out["warnings_s"] = {"first": times[0], "median": sorted(times)[1]}
    out["warnings_cpu_s"] = {"first": cpu[0], "median": sorted(cpu)[1]}
    # the monthly page queries as make bench times them (bench/run.py's query_cases), at this scale
    out["queries_ms"] = {}
    for name, params in query_cases(config):
        if name.startswith("warnings/") or name.startswith("in_year"):
            if "viewer_town" in targets.query_parameters(name):
                params = {**params, "viewer_town": None}
            out["queries_ms"][name] = _timed(
                lambda name=name, params=params: db.run_query(con, name, **params), 5
            )[0]
    arithmetic = {
        (w.rule, w.credit_code) for w in found if w.scope == "企业" and w.kind not in ("预计档次",)
    }
    start = time.perf_counter()
    theirs = reference(con, rules, in_year.month_shares(con, YEAR))
    out["pandas_s"] = time.perf_counter() - start
    out["agree"] = arithmetic == theirs
    out["disagreements"] = sorted(map(list, arithmetic ^ theirs))[:10]
    # one month's CSV (2026-11, every 规上 firm reporting 2026-10, 当月 layout) into a copy
    month = con.execute(
        "select credit_code, enterprises.name, 2026 as year, 11 as month, output_wan, revenue_wan, "
        "profit_wan, tax_wan, electricity_wan_kwh from enterprise_months inner join enterprises "
        "using (credit_code) where year = 2026 and month = 10"
    ).df()
    con.close()
    columns = {column.field: MONTHLY.header(column) for column in MONTHLY.columns}
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as folder:
        source = Path(folder) / "2026年11月.csv"
        month.rename(columns=columns).to_csv(source, index=False, encoding="utf-8-sig")
        target = Path(folder) / "warehouse.duckdb"
        shutil.copy(path, target)
        with db.writable(target) as writable:
            db.set_meta(writable, "data_kind", "real")  # a demo database refuses real imports
        start = time.perf_counter()
        report = write.import_file(source, target, config, kind="monthly")
        out["import_month"] = {
            "rows": len(month),
            "seconds": time.perf_counter() - start,
            "ok": report.ok,
        }
    out["peak_mb"] = _peak_mb()
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0 if out["agree"] and out["import_month"]["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
