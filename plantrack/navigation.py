"""The pages, declared once, in sidebar order. app.py registers exactly these with st.navigation;
each page's URL is its file name (overview, plan_detail, …)."""

from __future__ import annotations

from typing import NamedTuple


class PageSpec(NamedTuple):
    path: str
    title: str
    icon: str


PAGES = [
    PageSpec("pages/overview.py", "总览", ":material/dashboard:"),
    PageSpec("pages/plan_detail.py", "规划详情", ":material/checklist:"),
    PageSpec("pages/method.py", "口径说明", ":material/menu_book:"),
]
