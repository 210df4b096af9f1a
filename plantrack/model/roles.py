"""Who may see and do what: the roles of the bureau's users. Deny by default: a role not listed here
(or none) may do nothing but log in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    name: str
    all_enterprises: bool  # enterprise-level rows of every town (else only the user's own town)
    may_import: bool  # data imports, undo, plan publication
    may_manage_users: bool
    description: str


ROLES: dict[str, Role] = {
    role.name: role
    for role in [
        Role("领导", True, False, False, "区领导：看全区，可导出"),
        Role("科室", True, False, False, "经信局科室：看全区，可导出"),
        Role(
            "镇街", False, False, False, "镇街工作人员：全区与各镇街汇总、排名；企业明细只看本镇街"
        ),
        Role("数据员", True, True, False, "同科室，另可导入、撤销、发布规划"),
        Role("管理员", True, True, True, "同数据员，另可管理账户、查看审计日志"),
    ]
}
TOWN_ROLE = "镇街"
# a town aggregate of fewer firms is those firms' own figures: not shown to a viewer of another town
SMALL_CELL_FIRMS = 3
SMALL_CELL_TEXT = "—（企业数少于3家，不公开）"


def role(name: str | None) -> Role | None:
    """The role named `name`, or None for an unknown or missing one (which may do nothing)."""
    return ROLES.get(name or "")
