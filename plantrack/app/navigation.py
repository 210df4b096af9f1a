"""The pages, declared once, in sidebar order. app.py registers exactly these with st.navigation, which
lists them in the sidebar; each page's URL is its file name (overview, plan_detail, …)."""

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


def registered(role) -> tuple[list, object]:
    """The st.Page of each page `role` sees, in sidebar order, and a hidden alias of the first: the
    landing page is served at / and also answers at its own address (/overview), like every page.

    Made once per session and role (st.Page looks for its file on disk each time it is made; st.navigation
    marks the one page a run may call, on the session's own objects)."""
    import streamlit as st

    made = st.session_state.get("_pages")
    name = role.name if role is not None else None
    if made is None or made[0] != name:
        pages = [st.Page(spec.path, title=spec.title, icon=spec.icon) for spec in visible(role)]
        landing = PAGES[0]
        pages[0] = st.Page(
            landing.path, title=landing.title, icon=landing.icon, default=True, url_path=""
        )
        alias = st.Page(
            landing.path,
            title=landing.title,
            icon=landing.icon,
            url_path=landing.url_path,
            visibility="hidden",
        )
        made = st.session_state["_pages"] = (name, pages, alias)
    return made[1], made[2]
