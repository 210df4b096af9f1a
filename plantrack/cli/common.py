"""What the commands share: the database and plans they work on, their output (JSON or lines), the
audit trail of what they did (by the OS user, from this machine), and their year/month arguments."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from plantrack import settings

CLIENT = "本机（命令行）"  # the audit trail's client column for commands run on the server


def db_arg(value: str | None) -> Path:
    return Path(value).expanduser().resolve() if value else settings.db_path()


def print_json(value) -> None:
    """--json output: the value as JSON on stdout, Chinese as written, one line after."""
    import json

    json.dump(value, sys.stdout, ensure_ascii=False, indent=1)
    print()


def print_rows(as_json: bool, rows: list, heading: str, line: Callable[[Any], str]) -> int:
    """A listing command's rows: as JSON with --json; else the heading, then one line a row."""
    if as_json:
        print_json([row.as_json() for row in rows])
        return 0
    print(heading)
    for row in rows:
        print(line(row))
    return 0


def existing_db(value: str | None) -> Path | None:
    """The database named by --db (or the default one); None, said on stderr, when it is not there."""
    path = db_arg(value)
    if not path.exists():
        print(
            f"数据库不存在：{path}（先运行 make run 或 python -m plantrack demo）", file=sys.stderr
        )
        return None
    return path


def plans_config(db_path: Path, as_of: int | None = None):
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


def actor() -> str:
    import getpass

    return f"命令行：{getpass.getuser()}"


def audit(args: argparse.Namespace, action: str, detail: dict) -> None:
    """The audit trail beside the database the command worked on; the actor is the OS user."""
    from plantrack.store import accounts

    path = settings.accounts_path(db_arg(getattr(args, "db", None)))
    accounts.audit(path, actor(), action, detail, CLIENT)


def audited_export(args: argparse.Namespace, action: str, detail: dict, build):
    """An export from the command line (brief, report): `build()`, then its audit entry, as the
    page's downloads are recorded (plantrack.store.accounts.audited): `action` once the file is
    built, or `action`失败 with the reason; by the OS user, from this machine."""
    from plantrack.store import accounts

    path = settings.accounts_path(db_arg(getattr(args, "db", None)))
    return accounts.audited(path, actor(), CLIENT, action, detail, build)


def year_or_month(value: str) -> int | tuple[int, int]:
    """2024 → 2024; 2026-10 → (2026, 10)."""
    return int(value) if value.strip().isdigit() else month_arg(value)


def month_arg(value: str) -> tuple[int, int]:
    """2026-10 (or 2026年10月) → (2026, 10)."""
    import re

    match = re.fullmatch(r"\s*(\d{4})\s*(?:-|年|/)\s*(\d{1,2})\s*月?\s*", value)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise argparse.ArgumentTypeError(f"应为年月，如 2026-10（收到 {value}）")
    return int(match.group(1)), int(match.group(2))


def load_warning_rules():
    from plantrack.model import warning_rules

    rules, problems = warning_rules.load()
    for error in problems.errors:
        print(f"错误：{error}", file=sys.stderr)
    return rules
