"""Commands that export for briefings, audited: brief (the deck) and report (the Word report)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from plantrack.cli.common import (
    audited_export,
    existing_db,
    plans_config,
)


def cmd_brief(args: argparse.Namespace) -> int:
    from plantrack.report.deck import pdf, powerpoint, slides
    from plantrack.store import db, writer

    out = Path(args.out)
    if out.suffix.lower() not in (".pptx", ".pdf"):
        print("输出文件须以 .pptx 或 .pdf 结尾", file=sys.stderr)
        return 2
    path = existing_db(args.db)
    if path is None:
        return 2
    writer.upgrade(path)
    config = plans_config(path, args.as_of)
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

    path = existing_db(args.db)
    if path is None:
        return 2
    out = Path(args.out)
    if not args.all_towns and out.suffix.lower() != ".docx":
        print("输出文件须以 .docx 结尾（或用 --all-towns 并给出目录）", file=sys.stderr)
        return 2
    writer.upgrade(path)
    config = plans_config(path, args.as_of)
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
