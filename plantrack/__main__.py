"""Command line: python -m plantrack {demo,ensure-demo,validate,…} — see `python -m plantrack -h`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from plantrack import demo, settings, targets


def _db_arg(value: str | None) -> Path:
    return Path(value).expanduser().resolve() if value else settings.db_path()


def cmd_demo(args: argparse.Namespace) -> int:
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

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
