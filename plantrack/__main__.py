"""Command line: python -m plantrack {demo,validate,progress,template,plan,import,undo,rebuild,brief,
report,outlook-backtest,warnings,warnings-backtest,user,serve} — see `python -m plantrack -h`. The
arguments are declared here; each command lives in plantrack/cli/ by its kind and imports what it
needs when it runs (a quick start)."""

from __future__ import annotations

import argparse
import sys

from plantrack.cli.common import month_arg, year_or_month
from plantrack.cli.data import (
    cmd_demo,
    cmd_import,
    cmd_plan,
    cmd_rebuild,
    cmd_template,
    cmd_undo,
    cmd_user,
    cmd_validate,
)
from plantrack.cli.progress import (
    cmd_outlook_backtest,
    cmd_progress,
    cmd_warnings,
    cmd_warnings_backtest,
)
from plantrack.cli.reports import cmd_brief, cmd_report


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
        type=year_or_month,
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
        "--as-of", type=month_arg, help="截至年月，如 2026-10（默认：月度数据的最新月份）"
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
