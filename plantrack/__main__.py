"""Command line: python -m plantrack {demo,validate,progress,template,import,undo,rebuild,brief,serve}
— see `python -m plantrack -h`. Each command imports what it needs when it runs (a quick start)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from plantrack import settings


def _db_arg(value: str | None) -> Path:
    return Path(value).expanduser().resolve() if value else settings.db_path()


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


def cmd_progress(args: argparse.Namespace) -> int:
    import json

    from plantrack.engine import progress
    from plantrack.model import targets
    from plantrack.model.reference import NOT_APPLICABLE, STATUS_ORDER
    from plantrack.report import formatting
    from plantrack.store import db, writer

    config = targets.load_config()
    path = _db_arg(args.db)
    if not path.exists():
        print(
            f"数据库不存在：{path}（先运行 make run 或 python -m plantrack demo）", file=sys.stderr
        )
        return 2
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
        json.dump([row.as_json() for row in rows], sys.stdout, ensure_ascii=False, indent=1)
        print()
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
    from plantrack.model import targets

    path = Path(args.file)
    if not path.exists():
        print(f"文件不存在：{path}", file=sys.stderr)
        return 2
    report = write.import_file(
        path,
        _db_arg(args.db),
        targets.load_config(),
        kind=args.kind,
        dry_run=args.dry_run,
        replace_demo=args.replace_demo,
    )
    print("\n".join(report.lines()))
    return 0 if report.ok else 2


def cmd_template(args: argparse.Namespace) -> int:
    from plantrack.ingest import templates
    from plantrack.model.kinds import KIND_BY_LABEL, KINDS

    kind = KINDS.get(args.kind) or KIND_BY_LABEL.get(args.kind)
    if kind is None:
        print(f"未知的数据类型 {args.kind}（可选：{'、'.join(KINDS)}）", file=sys.stderr)
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
    except ValueError as exc:
        print(f"无法撤销：{exc}", file=sys.stderr)
        return 2
    return 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    from plantrack.ingest import write
    from plantrack.model import targets

    db_path = _db_arg(args.db)
    archive = Path(args.archive) if args.archive else write.archive_dir(settings.db_path())
    try:
        reports = write.rebuild(archive, db_path, targets.load_config())
    except FileExistsError as exc:
        print(exc, file=sys.stderr)
        return 2
    for report in reports:
        print("\n".join(report.lines()))
    return 0 if all(report.ok for report in reports) else 2


def cmd_brief(args: argparse.Namespace) -> int:
    from plantrack.model import targets
    from plantrack.report.deck import pdf, powerpoint, slides
    from plantrack.store import db, writer

    out = Path(args.out)
    if out.suffix.lower() not in (".pptx", ".pdf"):
        print("输出文件须以 .pptx 或 .pdf 结尾", file=sys.stderr)
        return 2
    path = _db_arg(args.db)
    if not path.exists():
        print(f"数据库不存在：{path}", file=sys.stderr)
        return 2
    config = targets.load_config()
    writer.upgrade(path)
    try:
        with db.read_only(path) as con:
            deck = slides.build(con, config, args.as_of, args.plan, args.town)
        data = powerpoint.to_pptx(deck) if out.suffix.lower() == ".pptx" else pdf.to_pdf(deck)
    except (KeyError, RuntimeError) as exc:
        print(f"无法生成汇报材料：{exc.args[0]}", file=sys.stderr)
        return 2
    out.write_bytes(data)
    print(f"已生成 {out}（{len(deck.slides)} 页）")
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
    p.add_argument("--as-of", type=int, required=True, help="截至年度")
    p.add_argument("--plan", help="规划编号（默认全部）")
    p.add_argument("--town", help="镇街（只列该镇街的任务与可按镇街计算的指标）")
    p.add_argument("--db", help="数据库路径")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_progress)

    kinds = "enterprise_years（企业年度数据）、awards（荣誉认定）、applications（申报记录）、indicators（上报指标）"
    p = sub.add_parser("import", help="导入局里的数据文件（xlsx/csv）：先全部校验，有错则一行不写")
    p.add_argument("file")
    p.add_argument("--kind", help=f"数据类型（默认按表头识别）：{kinds}")
    p.add_argument("--db", help="数据库路径")
    p.add_argument("--dry-run", action="store_true", help="只校验，不写入")
    p.add_argument(
        "--replace-demo", action="store_true", help="目标库是示例数据时，以空库替换后导入"
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("template", help="生成导入模板（xlsx：表头＋示例行）")
    p.add_argument("kind", help=kinds)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("undo", help="撤销最近一次导入（恢复被替换的数据）")
    p.add_argument("import_id", type=int)
    p.add_argument("--db", help="数据库路径")
    p.set_defaults(func=cmd_undo)

    p = sub.add_parser("rebuild", help="仅凭存档文件重建数据库（写入新文件）")
    p.add_argument("--archive", help="存档目录（默认数据库旁的 archive/）")
    p.add_argument("--db", required=True, help="新数据库路径（不能已存在）")
    p.set_defaults(func=cmd_rebuild)

    p = sub.add_parser("brief", help="生成汇报材料（PPTX 原生图表，或 PDF）")
    p.add_argument("--as-of", type=int, required=True)
    p.add_argument("--plan", action="append", help="规划编号，可多次（默认全部）")
    p.add_argument("--town", action="append", help="镇街，可多次（默认全部）")
    p.add_argument("--out", required=True, help="输出文件 .pptx 或 .pdf")
    p.add_argument("--db", help="数据库路径")
    p.set_defaults(func=cmd_brief)

    sub.add_parser("serve", help="启动看板，其余参数原样交给 streamlit run（make run 的最后一步）")

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:
        from plantrack.app import serve

        return serve.main(argv[1:])
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
