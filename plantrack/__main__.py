"""Command line: python -m plantrack {demo,validate,progress,template,plan,import,undo,rebuild,brief,
report,warnings,warnings-backtest,user,serve}
— see `python -m plantrack -h`. Each command imports what it needs when it runs (a quick start)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from plantrack import settings

CLIENT = "本机（命令行）"  # the audit trail's client column for commands run on the server


def _db_arg(value: str | None) -> Path:
    return Path(value).expanduser().resolve() if value else settings.db_path()


def _print_json(value) -> None:
    """--json output: the value as JSON on stdout, Chinese as written, one line after."""
    import json

    json.dump(value, sys.stdout, ensure_ascii=False, indent=1)
    print()


def _print_rows(as_json: bool, rows: list, heading: str, line: Callable[[Any], str]) -> int:
    """A listing command's rows: as JSON with --json; else the heading, then one line a row."""
    if as_json:
        _print_json([row.as_json() for row in rows])
        return 0
    print(heading)
    for row in rows:
        print(line(row))
    return 0


def _existing_db(value: str | None) -> Path | None:
    """The database named by --db (or the default one); None, said on stderr, when it is not there."""
    path = _db_arg(value)
    if not path.exists():
        print(
            f"数据库不存在：{path}（先运行 make run 或 python -m plantrack demo）", file=sys.stderr
        )
        return None
    return path


def _config(db_path: Path, as_of: int | None = None):
    """targets.toml with the plans published into `db_path`, each in its version in force for `as_of`
    (None: the latest)."""
    from plantrack.model import targets
    from plantrack.store import db, plans

    config = targets.load_config()
    if not db_path.exists():
        return config
    with db.read_only(db_path) as con:
        merged = plans.config_as_of(con, config, as_of)
    problems = targets.Problems()
    if merged is not config:
        targets.check(merged, problems)
    # targets.toml changed under a published plan: say so, keep the seeded plans
    if problems.errors:
        print("提示：已发布的规划与当前 targets.toml 不一致，暂只用预置规划：", file=sys.stderr)
        for error in problems.errors[:10]:
            print(f"  {error}", file=sys.stderr)
        return config
    return merged


def cmd_demo(args: argparse.Namespace) -> int:
    from plantrack.ingest import demo
    from plantrack.model import targets

    config = targets.load_config()
    path = _db_arg(args.db)
    if args.if_missing:
        print(demo.ensure(path, config, seed=args.seed, enterprises=args.enterprises))
        return 0
    counts = demo.build(path, config, seed=args.seed, enterprises=args.enterprises)
    size = path.stat().st_size / 1024 / 1024
    print(f"已生成示例数据库 {path}（{size:.1f} MB）")
    for table, count in counts.items():
        print(f"  {table}: {count} 行")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from plantrack.model import targets

    loaded = targets.load(Path(args.file) if args.file else None)
    for error in loaded.problems.errors:
        print(f"错误：{error}")
    for warning in loaded.problems.warnings:
        print(f"提示：{warning}")
    if loaded.config is None:
        print(f"校验未通过：{len(loaded.problems.errors)} 个错误")
        return 1
    config = loaded.config
    count = sum(len(plan.targets) for plan in config.plans)
    print(f"校验通过：{len(config.plans)} 个规划，{count} 个目标，{len(config.metrics)} 个指标")
    return 0


def _year_or_month(value: str) -> int | tuple[int, int]:
    """2024 → 2024; 2026-10 → (2026, 10)."""
    return int(value) if value.strip().isdigit() else _month_arg(value)


def cmd_in_year_progress(args: argparse.Namespace) -> int:
    """progress --as-of 2026-10: this year's targets after N months (plantrack.engine.in_year)."""

    from plantrack.engine import in_year
    from plantrack.report import formatting
    from plantrack.store import db, writer

    year, month = args.as_of
    path = _db_arg(args.db)
    config = _config(path, year)
    writer.upgrade(path)
    with db.read_only(path) as con:
        rows = in_year.evaluate(con, config, year, month, plan_id=args.plan, town=args.town)
    heading = f"截至{year}年{month}月（年内进度，按企业月度数据）：{len(rows)} 项当年目标"
    return _print_rows(
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

    path = _existing_db(args.db)
    if path is None:
        return 2
    if isinstance(args.as_of, tuple):
        return cmd_in_year_progress(args)
    config = _config(path, args.as_of)
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
        _print_json([row.as_json() for row in rows])
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


def cmd_import(args: argparse.Namespace) -> int:
    from plantrack.ingest import write

    path = Path(args.file)
    if not path.exists():
        print(f"文件不存在：{path}", file=sys.stderr)
        return 2
    file = {"文件": path.name}
    report = write.import_file(
        path,
        _db_arg(args.db),
        _config(_db_arg(args.db)),  # with the indicators published plans declare
        kind=args.kind,
        dry_run=args.dry_run,
        replace_demo=args.replace_demo,
        sheet=args.sheet,
        on_commit=lambda done: _audit(
            args, "导入", {**file, "导入序号": done.import_id, "行数": done.rows}
        ),
    )
    print("\n".join(report.lines()))
    if report.asks_replace_demo:
        print("命令行：加 --replace-demo 替换示例数据，或用 --db 指定新的数据库")
    if any("指定要导入的工作表" in problem.reason for problem in report.problems):
        print("命令行：加 --sheet 工作表名")
    if report.written:
        print(f"存档：{report.archived}；撤销：python -m plantrack undo {report.import_id}")
    if report.problems:
        _audit(args, "导入被拒", {**file, "问题数": len(report.problems), "只校验": args.dry_run})
    elif not report.written:
        _audit(args, "导入校验（未写入）", {**file, "行数": report.rows, "只校验": args.dry_run})
    if args.errors_out and report.problems:
        from plantrack.ingest import marked

        data = marked.marked_workbook(path.name, path.read_bytes(), report.problems)
        if data is None:
            print("文件无法读取，未生成标注问题的工作簿（问题见上）", file=sys.stderr)
        else:
            Path(args.errors_out).write_bytes(data)
            print(f"已生成标注问题的工作簿：{args.errors_out}（问题单元格标红，批注写明原因）")
    elif report.problems:
        print("可加 --errors-out 标注.xlsx，取回一份标注了问题单元格的原工作簿")
    return 0 if report.ok else 2


def _actor() -> str:
    import getpass

    return f"命令行：{getpass.getuser()}"


def _audit(args: argparse.Namespace, action: str, detail: dict) -> None:
    """The audit trail beside the database the command worked on; the actor is the OS user."""
    from plantrack.store import accounts

    path = settings.accounts_path(_db_arg(getattr(args, "db", None)))
    accounts.audit(path, _actor(), action, detail, CLIENT)


def audited_export(args: argparse.Namespace, action: str, detail: dict, build):
    """An export from the command line (brief, report): `build()`, then its audit entry, as the
    page's downloads are recorded (plantrack.store.accounts.audited): `action` once the file is
    built, or `action`失败 with the reason; by the OS user, from this machine."""
    from plantrack.store import accounts

    path = settings.accounts_path(_db_arg(getattr(args, "db", None)))
    return accounts.audited(path, _actor(), CLIENT, action, detail, build)


def cmd_outlook_backtest(args: argparse.Namespace) -> int:
    """Per judgement, how often it came true: on the database, or on demo data built per --seed."""
    import tempfile

    from plantrack.ingest import demo
    from plantrack.model import targets

    if not args.seed:
        path = _existing_db(args.db)
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
        _print_json({name: run for name, run in runs.items()})
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
        config = _config(path, last)
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


def _month_arg(value: str) -> tuple[int, int]:
    """2026-10 (or 2026年10月) → (2026, 10)."""
    import re

    match = re.fullmatch(r"\s*(\d{4})\s*(?:-|年|/)\s*(\d{1,2})\s*月?\s*", value)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise argparse.ArgumentTypeError(f"应为年月，如 2026-10（收到 {value}）")
    return int(match.group(1)), int(match.group(2))


def _rules():
    from plantrack.model import warning_rules

    rules, problems = warning_rules.load()
    for error in problems.errors:
        print(f"错误：{error}", file=sys.stderr)
    return rules


def cmd_warnings(args: argparse.Namespace) -> int:

    from plantrack.engine import warnings
    from plantrack.report import formatting
    from plantrack.store import db, derived, writer

    path = _existing_db(args.db)
    if path is None:
        return 2
    rules = _rules()
    if rules is None:
        return 2
    writer.upgrade(path)
    with db.read_only(path) as con:
        span = db.run_query(con, "warnings/month_span")
        if span.empty:
            print("数据库中没有企业月度数据，无法预警", file=sys.stderr)
            return 2
        year, month = args.as_of or (int(span["year"].max()), int(span["last_month"].iloc[-1]))
        config = _config(path, year)
        grades = derived.relations(con, config, ["grades"]).get("grades")
        found = warnings.evaluate(con, config, rules, year, month, grades=grades)
    if args.town:
        found = [w for w in found if w.town == args.town]
    return _print_rows(
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

    rules = _rules()
    if rules is None:
        return 2
    found = []
    with tempfile.TemporaryDirectory(prefix="plantrack-backtest-") as folder:
        if args.db:
            sources = [("", _db_arg(args.db))]
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
                    config = _config(path, year)
                    grades = derived.relations(con, config, ["grades"]).get("grades")
                    for score in warnings_backtest.scores(
                        con, config, rules, year, args.month, grades
                    ):
                        if args.rule is None or score.rule == args.rule:
                            found.append({"data": label, **score.as_json()})
    if args.json:
        _print_json(found)
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


def cmd_user(args: argparse.Namespace) -> int:
    from plantrack.store import accounts

    path = settings.accounts_path(_db_arg(args.db))
    try:
        if args.action == "list":
            frame = accounts.users(path)
            if frame.empty:
                print("还没有账户。")
            for row in frame.itertuples():
                state = "已停用" if row.disabled else "正常"
                town = row.town if isinstance(row.town, str) and row.town else "—"
                print(f"{row.name}\t{row.role}\t{town}\t{state}")
            return 0
        if not args.name:
            print("请给出用户名", file=sys.stderr)
            return 2
        if args.action in ("add", "reset"):
            if not args.password_stdin:
                print(
                    "密码须经 --password-stdin 从标准输入读入（不出现在命令行与历史中）",
                    file=sys.stderr,
                )
                return 2
            password = sys.stdin.readline().rstrip("\n")
            if args.action == "add":
                user = accounts.add_user(path, args.name, args.role or "", args.town, password)
                _audit(args, "新建账户", {"用户": user.name, "角色": user.role, "镇街": user.town})
                print(
                    f"已新建账户 {user.name}（{user.role}{'·' + user.town if user.town else ''}）"
                )
            else:
                accounts.reset_password(path, args.name, password)
                _audit(args, "重设密码", {"用户": args.name})
                print(f"已重设 {args.name} 的密码")
        else:
            accounts.set_disabled(path, args.name, args.action == "disable")
            word = "停用" if args.action == "disable" else "启用"
            _audit(args, f"{word}账户", {"用户": args.name})
            print(f"已{word} {args.name}")
    except accounts.AccountError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from plantrack.ingest import templates
    from plantrack.model.kinds import KIND_BY_LABEL, KINDS

    if args.kind in ("plan", "规划"):
        from plantrack.ingest.plans import template

        config = _config(_db_arg(args.db))
        Path(args.out).write_bytes(template.plan_bytes(None, config.metrics, config.district))
        print(f"已生成规划模板：{args.out}")
        return 0
    kind = KINDS.get(args.kind) or KIND_BY_LABEL.get(args.kind)
    if kind is None:
        print(f"未知的数据类型 {args.kind}（可选：{'、'.join(KINDS)}、plan）", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.write_bytes(templates.template_bytes(kind.key))
    print(f"已生成{kind.label}模板：{out}")
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    from plantrack.ingest import write
    from plantrack.model import targets

    try:
        print(write.undo(args.import_id, _db_arg(args.db), targets.load_config()))
        _audit(args, "撤销导入", {"导入序号": args.import_id})
    except ValueError as exc:
        print(f"无法撤销：{exc}", file=sys.stderr)
        return 2
    return 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    from plantrack.ingest import archive, write
    from plantrack.model import targets

    db_path = _db_arg(args.db)
    folder = Path(args.archive) if args.archive else archive.archive_dir(settings.db_path())
    ledger = Path(args.ledger) if args.ledger else None
    if ledger is None:  # the database the archive belongs to, when there is exactly one beside it
        beside = [p for p in folder.parent.glob("*.duckdb") if archive.archive_dir(p) == folder]
        ledger = beside[0] if len(beside) == 1 else None
    try:
        reports = write.rebuild(folder, db_path, targets.load_config(), ledger)
    except FileExistsError as exc:
        print(exc, file=sys.stderr)
        return 2
    for report in reports:
        print("\n".join(report.lines()))
    return 0 if all(report.ok for report in reports) else 2


def cmd_brief(args: argparse.Namespace) -> int:
    from plantrack.report.deck import pdf, powerpoint, slides
    from plantrack.store import db, writer

    out = Path(args.out)
    if out.suffix.lower() not in (".pptx", ".pdf"):
        print("输出文件须以 .pptx 或 .pdf 结尾", file=sys.stderr)
        return 2
    path = _existing_db(args.db)
    if path is None:
        return 2
    writer.upgrade(path)
    config = _config(path, args.as_of)
    fmt = out.suffix.lower().lstrip(".")
    detail = {
        "格式": fmt.upper(),
        "截至年度": args.as_of,
        "规划": args.plan,
        "镇街": args.town,
        "文件": out.name,
    }

    def build() -> bytes:
        with db.read_only(path) as con:
            built = slides.build(con, config, args.as_of, args.plan, args.town)
        detail["页数"] = len(built.slides)
        return powerpoint.to_pptx(built) if fmt == "pptx" else pdf.to_pdf(built)

    try:
        data = audited_export(args, "导出汇报材料", detail, build)
    except (KeyError, RuntimeError) as exc:
        print(f"无法生成汇报材料：{exc.args[0]}", file=sys.stderr)
        return 2
    out.write_bytes(data)
    print(f"已生成 {out}（{detail['页数']} 页）")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """分析报告 (Word, 公文 layout): the district's, one town's, or all of them into a folder."""
    from plantrack.report.word import content, files
    from plantrack.store import db, writer

    path = _existing_db(args.db)
    if path is None:
        return 2
    out = Path(args.out)
    if not args.all_towns and out.suffix.lower() != ".docx":
        print("输出文件须以 .docx 结尾（或用 --all-towns 并给出目录）", file=sys.stderr)
        return 2
    writer.upgrade(path)
    config = _config(path, args.as_of)
    scope = "全区及各镇街" if args.all_towns else args.town or "全区"
    try:
        with db.read_only(path) as con:
            if args.town and args.town not in content.quota_towns(con, config, args.as_of):
                known = "、".join(content.quota_towns(con, config, args.as_of))
                print(f"{args.town} 没有三大工厂任务。可选：{known}", file=sys.stderr)
                return 2

            def build() -> dict[str, bytes]:
                if args.all_towns:
                    return files.all_reports(con, config, args.as_of)
                return dict([files.report_file(con, config, args.as_of, args.town)])

            written = audited_export(
                args, "导出分析报告", {"截至年度": args.as_of, "范围": scope}, build
            )
    except RuntimeError as exc:  # no Chromium or no CJK font: the charts cannot be drawn
        print(f"无法生成分析报告：{exc.args[0]}", file=sys.stderr)
        return 2
    if args.all_towns:
        out.mkdir(parents=True, exist_ok=True)
        for name, data in written.items():
            (out / name).write_bytes(data)
        print(f"已生成 {len(written)} 份分析报告（全区及各镇街）：{out}")
    else:
        out.write_bytes(next(iter(written.values())))
        print(f"已生成分析报告：{out}")
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    """python -m plantrack plan {export,check,publish,history,undo}: the 规划发布 page's steps."""

    from plantrack.ingest.plans import check, publish, template
    from plantrack.model import plan_versions, targets
    from plantrack.store import db, plans

    path = _db_arg(args.db)
    config = targets.load_config()
    if args.action == "export":
        stored = []
        if path.exists():
            with db.read_only(path) as con:
                stored = plans.stored_versions(con)
        versions = plan_versions.histories(config, stored).get(args.plan_id, [])
        version = plan_versions.in_force(versions)
        if version is None:
            known = "、".join(plan_versions.histories(config, stored))
            print(f"没有编号为 {args.plan_id} 的规划。可选：{known}", file=sys.stderr)
            return 2
        catalogue = plan_versions.catalogue(config, stored)
        Path(args.out).write_bytes(template.plan_bytes(version, catalogue, config.district))
        print(f"已导出规划「{version.plan.short}」{version.describe()}：{args.out}")
        return 0
    if args.action in ("check", "publish"):
        file = Path(args.file)
        if not file.exists():
            print(f"文件不存在：{file}", file=sys.stderr)
            return 2
        if args.action == "check":
            result = check.check(file, path, config, reason=args.reason)
            if result.ok:
                result.message = "校验通过，未写入任何数据。发布：python -m plantrack plan publish 文件 --reason “调整原因”"
        else:
            result = publish.publish(file, path, config, reason=args.reason, published_by=args.by)
        if args.json:
            _print_json(result.as_json())
        else:
            print("\n".join(result.lines()))
        return 0 if result.ok else 2
    if args.action == "history":
        try:
            entries = publish.history(args.plan_id, path, config)
        except KeyError:
            print(f"没有编号为 {args.plan_id} 的规划", file=sys.stderr)
            return 2
        print("\n".join(publish.history_lines(entries)))
        return 0
    try:
        print(publish.undo(args.import_id, path, config))
    except ValueError as exc:
        print(f"无法撤销：{exc}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m plantrack", description="定海区制造业规划进度看板"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="生成示例数据库（确定性：同一 seed 得到相同数据）")
    p.add_argument("--db", help="数据库路径（默认 data/plantrack.duckdb 或 $PLANTRACK_DB）")
    p.add_argument("--seed", type=int, default=20231)
    p.add_argument("--enterprises", type=int, default=500, help="企业数（默认 500，约 300 家规上）")
    p.add_argument("--if-missing", action="store_true", help="仅在数据库缺失或示例数据过旧时生成")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("validate", help="校验 targets.toml")
    p.add_argument("--file", help="规划目标文件（默认 targets.toml）")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("progress", help="各目标截至某年的完成情况")
    p.add_argument(
        "--as-of",
        type=_year_or_month,
        required=True,
        help="截至年度（如 2024）或年月（如 2026-10：当年目标按月度数据的年内进度）",
    )
    p.add_argument("--plan", help="规划编号（默认全部）")
    p.add_argument("--town", help="镇街（只列该镇街的任务与可按镇街计算的指标）")
    p.add_argument("--db", help="数据库路径")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_progress)

    kinds = "enterprise_years（企业年度数据）、awards（荣誉认定）、applications（申报记录）、indicators（上报指标）"
    p = sub.add_parser(
        "import", help="导入局里的数据文件（xlsx/xls/csv）：先全部校验，有错则一行不写"
    )
    p.add_argument("file")
    p.add_argument("--kind", help=f"数据类型（默认按表头识别）：{kinds}")
    p.add_argument("--db", help="数据库路径")
    p.add_argument("--sheet", help="要导入的工作表（工作簿中有多个工作表像是数据时必须指定）")
    p.add_argument("--dry-run", action="store_true", help="只校验，不写入")
    p.add_argument(
        "--errors-out",
        metavar="F.xlsx",
        help="文件有问题时，另存一份原工作簿：问题单元格标红，批注写明原因，另附问题清单",
    )
    p.add_argument(
        "--replace-demo", action="store_true", help="目标库是示例数据时，以空库替换后导入"
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("template", help="生成导入模板（xlsx：表头＋示例行），或 plan：规划模板")
    p.add_argument("kind", help=kinds + "、plan（规划模板）")
    p.add_argument("--out", required=True)
    p.add_argument("--db", help="数据库路径（规划模板的指标目录含已发布规划声明的新指标）")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser(
        "plan", help="规划：导出、校验与预览、发布、调整记录、撤销（与「规划发布」页相同）"
    )
    steps = p.add_subparsers(dest="action", required=True)
    q = steps.add_parser("export", help="把规划（现行版本）导出为规划模板，修改后可作为调整上传")
    q.add_argument("plan_id")
    q.add_argument("--out", required=True)
    q = steps.add_parser("check", help="校验规划模板并预览（不写入任何数据）")
    q.add_argument("file")
    q.add_argument("--reason", help="调整原因（代替文件中的“调整原因”）")
    q.add_argument("--json", action="store_true", help="输出 JSON")
    q = steps.add_parser("publish", help="校验并发布规划模板（有错误则不发布，退出码 2）")
    q.add_argument("file")
    q.add_argument("--reason", help="调整原因（调整已有规划时必填，可代替文件中的“调整原因”）")
    q.add_argument("--by", help="发布人（默认当前用户）")
    q.add_argument("--json", action="store_true", help="输出 JSON")
    q = steps.add_parser("history", help="规划的版本与调整记录")
    q.add_argument("plan_id")
    q = steps.add_parser("undo", help="撤销一次规划发布（恢复到上一版本）")
    q.add_argument("import_id", type=int, help="导入记录中的序号")
    for q in steps.choices.values():
        q.add_argument("--db", help="数据库路径")
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser("undo", help="撤销最近一次导入（恢复被替换的数据）")
    p.add_argument("import_id", type=int)
    p.add_argument("--db", help="数据库路径")
    p.set_defaults(func=cmd_undo)

    p = sub.add_parser("rebuild", help="仅凭存档文件重建数据库（写入新文件）")
    p.add_argument("--archive", help="存档目录（默认数据库旁的 archive/）")
    p.add_argument("--db", required=True, help="新数据库路径（不能已存在）")
    p.add_argument(
        "--ledger",
        help="原数据库（用其导入记录核对存档文件的 sha256；默认为存档目录旁唯一的 .duckdb）",
    )
    p.set_defaults(func=cmd_rebuild)

    p = sub.add_parser("brief", help="生成汇报材料（PPTX 原生图表，或 PDF）")
    p.add_argument("--as-of", type=int, required=True)
    p.add_argument("--plan", action="append", help="规划编号，可多次（默认全部）")
    p.add_argument("--town", action="append", help="镇街，可多次（默认全部）")
    p.add_argument("--out", required=True, help="输出文件 .pptx 或 .pdf")
    p.add_argument("--db", help="数据库路径")
    p.set_defaults(func=cmd_brief)

    p = sub.add_parser(
        "report", help="生成分析报告（Word，党政机关公文格式）：全区、一个镇街或全部镇街"
    )
    p.add_argument("--as-of", type=int, required=True)
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--town", help="镇街（默认全区）")
    scope.add_argument(
        "--all-towns", action="store_true", help="全区及每个有任务的镇街各一份，写入 --out 目录"
    )
    p.add_argument("--out", required=True, help="输出文件 .docx（--all-towns 时为目录）")
    p.add_argument("--db", help="数据库路径")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "outlook-backtest", help="回测“能否完成”的判断：从更早年度判断，与到期结果比较"
    )
    p.add_argument("--json", action="store_true")
    p.add_argument("--db", help="数据库路径")
    p.add_argument(
        "--seed",
        type=int,
        action="append",
        help="在临时示例数据库上回测（按此种子生成，可多次）；不给时回测 --db",
    )
    p.set_defaults(func=cmd_outlook_backtest)

    p = sub.add_parser("warnings", help="预警：按 warnings.toml 的规则，判断截至某月的企业和镇街")
    p.add_argument(
        "--as-of", type=_month_arg, help="截至年月，如 2026-10（默认：月度数据的最新月份）"
    )
    p.add_argument("--town", help="只列该镇街的预警（企业所属镇街或镇街本身）")
    p.add_argument("--json", action="store_true")
    p.add_argument("--db", help="数据库路径")
    p.set_defaults(func=cmd_warnings)

    p = sub.add_parser(
        "warnings-backtest", help="回测企业预警：用截至年中的数据预警，与当年D档企业比较"
    )
    p.add_argument("--month", type=int, default=6, choices=range(1, 12), help="截至月份（默认6月）")
    p.add_argument(
        "--seeds", type=int, nargs="+", default=[20231, 7], help="示例数据种子（默认两个）"
    )
    p.add_argument("--db", help="用这个数据库回测（不生成示例数据）")
    p.add_argument("--rule", help="只列这条规则（规则编号），并加一行合计")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_warnings_backtest)

    p = sub.add_parser("user", help="账户：add / disable / enable / reset / list")
    p.add_argument("action", choices=["add", "disable", "enable", "reset", "list"])
    p.add_argument("name", nargs="?")
    p.add_argument("--role", help="领导、科室、镇街、数据员、管理员（add 时必填）")
    p.add_argument("--town", help="所属镇街（镇街账户必填）")
    p.add_argument("--password-stdin", action="store_true", help="从标准输入读入密码")
    p.add_argument("--db", help="数据库路径（账户文件在它旁边）")
    p.set_defaults(func=cmd_user)

    sub.add_parser("serve", help="启动看板，其余参数原样交给 streamlit run（make run 的最后一步）")

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:
        from plantrack.app import serve

        return serve.main(argv[1:])
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
