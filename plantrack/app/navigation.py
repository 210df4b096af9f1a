"""The pages, declared once, in sidebar order. app.py registers exactly these with st.navigation;
each page's URL is its file name (overview, plan_detail, …)."""

from __future__ import annotations

from typing import NamedTuple


class PageSpec(NamedTuple):
    path: str
    title: str
    icon: str
    permission: str | None = None  # a Role attribute the user needs to see the page at all

    @property
    def url_path(self) -> str:
        return self.path.removeprefix("pages/").removesuffix(".py")


PAGES = [
    PageSpec("pages/overview.py", "总览", ":material/dashboard:"),
    PageSpec("pages/plan_detail.py", "规划详情", ":material/checklist:"),
    PageSpec("pages/towns.py", "镇街任务", ":material/location_city:"),
    PageSpec("pages/warnings.py", "预警", ":material/notifications_active:"),
    PageSpec("pages/evaluation.py", "亩均评价", ":material/analytics:"),
    PageSpec("pages/enterprise.py", "企业画像", ":material/factory:"),
    PageSpec("pages/comparison.py", "规划对比", ":material/compare_arrows:"),
    PageSpec("pages/briefing.py", "汇报材料", ":material/slideshow:"),
    PageSpec("pages/method.py", "口径说明", ":material/menu_book:"),
    PageSpec("pages/upload.py", "数据导入", ":material/upload_file:"),
    PageSpec("pages/plan_publish.py", "规划发布", ":material/post_add:"),
    PageSpec("pages/admin.py", "账户与审计", ":material/admin_panel_settings:", "may_manage_users"),
]


def visible(role) -> list[PageSpec]:
    """The pages a user with `role` (None: not logged in, demo data) sees in the sidebar."""
    return [
        spec
        for spec in PAGES
        if spec.permission is None or (role is not None and getattr(role, spec.permission))
    ]
