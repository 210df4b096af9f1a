"""Commands that write or check data: demo, validate, import, template, undo, rebuild, plan, user."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from plantrack import settings
from plantrack.cli.common import (
    audit,
    db_arg,
    plans_config,
    print_json,
)


def cmd_demo(args: argparse.Namespace) -> int:
    from plantrack.ingest import demo
    from plantrack.model import targets

    config = targets.load_config()
    path = db_arg(args.db)
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


def cmd_import(args: argparse.Namespace) -> int:
    from plantrack.ingest import write

    path = Path(args.file)
    if not path.exists():
        print(f"文件不存在：{path}", file=sys.stderr)
        return 2
    file = {"文件": path.name}
    report = write.import_file(
        path,
        db_arg(args.db),
        plans_config(db_arg(args.db)),  # with the indicators published plans declare
        kind=args.kind,
        dry_run=args.dry_run,
        replace_demo=args.replace_demo,
        sheet=args.sheet,
        on_commit=lambda done: audit(
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
        audit(args, "导入被拒", {**file, "问题数": len(report.problems), "只校验": args.dry_run})
    elif not report.written:
        audit(args, "导入校验（未写入）", {**file, "行数": report.rows, "只校验": args.dry_run})
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


def cmd_template(args: argparse.Namespace) -> int:
    from plantrack.ingest import templates
    from plantrack.model.kinds import KIND_BY_LABEL, KINDS

    if args.kind in ("plan", "规划"):
        from plantrack.ingest.plans import template

        config = plans_config(db_arg(args.db))
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
        print(write.undo(args.import_id, db_arg(args.db), targets.load_config()))
        audit(args, "撤销导入", {"导入序号": args.import_id})
    except ValueError as exc:
        print(f"无法撤销：{exc}", file=sys.stderr)
        return 2
    return 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    from plantrack.ingest import archive, write
    from plantrack.model import targets

    db_path = db_arg(args.db)
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


def cmd_plan(args: argparse.Namespace) -> int:
    """python -m plantrack plan {export,check,publish,history,undo}: the 规划发布 page's steps."""

    from plantrack.ingest.plans import check, publish, template
    from plantrack.model import plan_versions, targets
    from plantrack.store import db, plans

    path = db_arg(args.db)
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
            print_json(result.as_json())
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


def cmd_user(args: argparse.Namespace) -> int:
    from plantrack.store import accounts

    path = settings.accounts_path(db_arg(args.db))
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
                audit(args, "新建账户", {"用户": user.name, "角色": user.role, "镇街": user.town})
                print(
                    f"已新建账户 {user.name}（{user.role}{'·' + user.town if user.town else ''}）"
                )
            else:
                accounts.reset_password(path, args.name, password)
                audit(args, "重设密码", {"用户": args.name})
                print(f"已重设 {args.name} 的密码")
        else:
            accounts.set_disabled(path, args.name, args.action == "disable")
            word = "停用" if args.action == "disable" else "启用"
            audit(args, f"{word}账户", {"用户": args.name})
            print(f"已{word} {args.name}")
    except accounts.AccountError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    return 0
