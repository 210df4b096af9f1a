"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character over the first 17."""

from __future__ import annotations

import operator
import re

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, Z, S, V
VALUES = {char: index for index, char in enumerate(CHARSET)}
WELL_FORMED = re.compile(f"[{CHARSET}]{{18}}")
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, …

# GB 11714 organisation code (characters 9–17): weights and its own check over 8 characters.
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def check_char(first17: str) -> str:
    total = sum(map(operator.mul, map(VALUES.__getitem__, first17), WEIGHTS))
    return CHARSET[(31 - total % 31) % 31]


def org_check_char(body8: str) -> str:
    total = sum(int(char, 36) * weight for char, weight in zip(body8, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def problem(code: object) -> str | None:
    """Why `code` is not a valid 统一社会信用代码, in Chinese; None when it is valid."""
    if not isinstance(code, str) or not code.strip():
        return "统一社会信用代码为空"
    text = code.strip().upper()
    if len(text) != 18:
        return f"统一社会信用代码应为18位，实为{len(text)}位"
    bad = (
        "" if WELL_FORMED.fullmatch(text) else sorted({char for char in text if char not in VALUES})
    )
    if bad:
        return f"统一社会信用代码含非法字符：{''.join(bad)}"
    expected = check_char(text[:17])
    if text[17] != expected:
        return f"统一社会信用代码校验位错误（末位应为 {expected}）"
    return None


def is_valid(code: object) -> bool:
    return problem(code) is None


def make(region: str, org_body8: str, registry: str = "9", kind: str = "1") -> str:
    """A valid code from a 6-digit region code and an 8-character organisation body."""
    org = org_body8 + org_check_char(org_body8)
    first17 = registry + kind + region + org
    return first17 + check_char(first17)
