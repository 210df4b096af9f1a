"""Commands that judge: progress (a year or a month), outlook-backtest, warnings, warnings-backtest."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from plantrack.cli.common import (
    db_arg,
    existing_db,
    load_warning_rules,
    plans_config,
    print_json,
    print_rows,
)


def cmd_in_year_progress(args: argparse.Namespace) -> int:
    """progress --as-of 2026-10: this year's targets after N months (plantrack.engine.in_year)."""

    from plantrack.engine import in_year
    from plantrack.report import formatting
    from plantrack.store import db, writer

    year, month = args.as_of
    path = db_arg(args.db)
    config = plans_config(path, year)
    writer.upgrade(path)
    with db.read_only(path) as con:
        rows = in_year.evaluate(con, config, year, month, plan_id=args.plan, town=args.town)
    heading = f"截至{year}年{month}月（年内进度，按企业月度数据）：{len(rows)} 项当年目标"
    return print_rows(
        args.json,
        rows,
        heading,
        lambda row: (
            f"{row.plan_short}\t{row.label}\t目标 {formatting.number(row.target, row.unit if row.unit != '%' else '%')}"
            f"\t实际 {formatting.number(row.actual, row.unit)}\t完成率 {formatting.share(row.completion)}"
            f"\t序时 {formatting.share(row.expected)}（{row.pace}）\t{row.status_label}"
        ),
    )


def cmd_progress(args: argparse.Namespace) -> int:

    from plantrack.engine import progress
    from plantrack.model.reference import NOT_APPLICABLE, STATUS_ORDER
    from plantrack.report import formatting
    from plantrack.store import db, writer

    path = existing_db(args.db)
    if path is None:
        return 2
    if isinstance(args.as_of, tuple):
        return cmd_in_year_progress(args)
    config = plans_config(path, args.as_of)
    if args.plan:
        try:
            config.plan(args.plan)
        except KeyError as exc:
            print(
                exc.args[0] + "。可选：" + "、".join(plan.id for plan in config.plans),
                file=sys.stderr,
            )
            return 2
    writer.upgrade(path)
    with db.read_only(path) as con:
        rows = progress.evaluate(con, config, args.as_of, plan_id=args.plan, town=args.town)
    if args.json:
        print_json([row.as_json() for row in rows])
        return 0
    for row in rows:
        print(
            f"{row.plan_short}\t{row.label}\t目标 {formatting.number(row.target, row.unit)}（{row.year}年）"
            f"\t实际 {formatting.actual(row.actual, row.unit, row.direction, row.status == 'met')}"
            f"\t完成率 {formatting.share(row.completion, met=row.status == 'met')}"
            f"\t序时 {formatting.share(row.expected)}\t{row.status_label}"
        )
    labels = config.status.labels
    counts = {status: sum(row.status == status for row in rows) for status in STATUS_ORDER}
    left_out = sum(row.status == NOT_APPLICABLE for row in rows)
    print(
        "合计 "
        + "，".join(f"{labels[status]} {count}" for status, count in counts.items() if count)
        + (f"（另有{labels[NOT_APPLICABLE]} {left_out} 项，不计入）" if left_out else "")
    )
    return 0


def cmd_outlook_backtest(args: argparse.Namespace) -> int:
    """Per judgement, how often it came true: on the database, or on demo data built per --seed."""
    import tempfile

    from plantrack.ingest import demo
    from plantrack.model import targets

    if not args.seed:
        path = existing_db(args.db)
        if path is None:
            return 2
        runs = {"": _backtest(path)}
    else:
        runs = {}
        with tempfile.TemporaryDirectory() as folder:
            for seed in args.seed:
                path = Path(folder) / f"seed{seed}.duckdb"
                demo.build(path, targets.load_config(), seed=seed)
                runs[f"示例数据 种子 {seed}"] = _backtest(path)
    if args.json:
        print_json({name: run for name, run in runs.items()})
        return 0
    if any(run["demo"] for run in runs.values()):
        print(
            "注意：示例数据是模拟的，下表只说明程序按口径说明第 10 节判断、且各判断的名称与其记录相符；"
            "说明不了真实数据上的命中率。在导入真实数据后运行同一命令才有意义。"
        )
    print(_backtest_table(runs))
    return 0


def _backtest(path: Path) -> dict:
    from plantrack.engine import backtest
    from plantrack.store import db

    with db.read_only(path) as con:
        meta = db.read_meta(con)
        last = int(db.run_query(con, "data_years")["year"].max())
        config = plans_config(path, last)
        found = backtest.cases(con, config, last)
    return {
        "demo": meta.get("data_kind") == "demo",
        "last": last,
        "labels": backtest.by_label(found),
        "methods": backtest.summary(found),
        "cases": [c.__dict__ for c in found],
    }


def _backtest_table(runs: dict[str, dict]) -> str:
    """Markdown: per data set and judgement, how many, how many settled, ended met, came true."""
    lines = [
        "| 数据 | 判断 | 判断次数 | 到期有结果 | 其中到期达标 | 应验 | 应验率 | 应达 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, run in runs.items():
        where = name or f"截至{run['last']}年"
        for row in run["labels"]:
            if row["judgement"] == "数据不足":
                lines.append(f"| {where} | 数据不足 | {row['cases']} | — | — | — | 不作判断 | — |")
                continue
            rate = "—" if row["hit_rate"] is None else f"{row['hit_rate']:.0%}"
            hits = "—" if row["hits"] is None else str(row["hits"])
            stated = "不作断言" if row["stated_rate"] is None else f"≥ {row['stated_rate']:.0%}"
            lines.append(
                f"| {where} | {row['judgement']} | {row['cases']} | {row['resolved']} | "
                f"{row['met']} | {hits} | {rate} | {stated} |"
            )
    return "\n".join(lines)


def cmd_warnings(args: argparse.Namespace) -> int:

    from plantrack.engine import warnings
    from plantrack.report import formatting
    from plantrack.store import db, derived, writer

    path = existing_db(args.db)
    if path is None:
        return 2
    rules = load_warning_rules()
    if rules is None:
        return 2
    writer.upgrade(path)
    with db.read_only(path) as con:
        span = db.run_query(con, "warnings/month_span")
        if span.empty:
            print("数据库中没有企业月度数据，无法预警", file=sys.stderr)
            return 2
        year, month = args.as_of or (int(span["year"].max()), int(span["last_month"].iloc[-1]))
        config = plans_config(path, year)
        grades = derived.relations(con, config, ["grades"]).get("grades")
        found = warnings.evaluate(con, config, rules, year, month, grades=grades)
    if args.town:
        found = [w for w in found if w.town == args.town]
    return print_rows(
        args.json,
        found,
        f"截至{year}年{month}月：{len(found)} 条预警",
        lambda w: (
            f"{w.severity}\t{w.town}\t{w.subject}\t{w.rule_label}\t"
            f"{formatting.warning_value(w.value, w.unit)}（阈值 {formatting.warning_value(w.threshold, w.unit)}）"
            f"\t自{w.since[:4]}年{int(w.since[5:])}月起" + (f"\t{w.detail}" if w.detail else "")
        ),
    )


def cmd_warnings_backtest(args: argparse.Namespace) -> int:
    import tempfile

    from plantrack.engine import warnings_backtest
    from plantrack.ingest import demo
    from plantrack.model import targets
    from plantrack.store import db, derived

    rules = load_warning_rules()
    if rules is None:
        return 2
    found = []
    with tempfile.TemporaryDirectory(prefix="plantrack-backtest-") as folder:
        if args.db:
            sources = [("", db_arg(args.db))]
        else:  # two demo databases of the usual size
            sources = []
            for seed in args.seeds:
                path = Path(folder) / f"demo-{seed}.duckdb"
                demo.build(path, targets.load_config(), seed=seed)
                sources.append((f"示例种子{seed}", path))
        demo_data = not args.db
        for label, path in sources:
            with db.read_only(path) as con:
                demo_data = demo_data or db.read_meta(con).get("data_kind") == "demo"
                for year in warnings_backtest.finished_years(con):
                    config = plans_config(path, year)
                    grades = derived.relations(con, config, ["grades"]).get("grades")
                    for score in warnings_backtest.scores(
                        con, config, rules, year, args.month, grades
                    ):
                        if args.rule is None or score.rule == args.rule:
                            found.append({"data": label, **score.as_json()})
    if args.json:
        print_json(found)
        return 0
    if demo_data:
        print("注意：这是示例数据（模拟），比率只说明预警机制能运行，说明不了真实数据上的命中率。")
    print(
        f"用截至各年{args.month}月的数据预警，与当年亩均评价D档企业比较（规上、有月度数据的企业）："
    )
    print("| 数据 | 年度 | 规则 | D档企业 | 预警 | 命中 | 命中率 | 误报 | 误报率 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row in found:
        recall = "—" if row["recall"] is None else f"{row['recall']:.0%}"
        false_share = "—" if row["false_share"] is None else f"{row['false_share']:.0%}"
        print(
            f"| {row['data']} | {row['year']} | {row['rule_label']} | {row['d_firms']} | {row['flagged']} "
            f"| {row['hits']} | {recall} | {row['false_flags']} | {false_share} |"
        )
    if args.rule is not None and found:
        d_firms, flagged, hits = (
            sum(row[key] for row in found) for key in ("d_firms", "flagged", "hits")
        )
        recall = f"{hits / d_firms:.0%}" if d_firms else "—"
        false_share = f"{(flagged - hits) / flagged:.0%}" if flagged else "—"
        print(
            f"| 合计 | | {found[0]['rule_label']} | {d_firms} | {flagged} | {hits} | {recall} "
            f"| {flagged - hits} | {false_share} |"
        )
    return 0
