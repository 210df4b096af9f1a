"""The pages, declared once, in sidebar order. app.py registers exactly these with st.navigation;
each page's URL is its file name (overview, plan_detail, …)."""

from __future__ import annotations

from typing import NamedTuple


class PageSpec(NamedTuple):
    path: str
    title: str
    icon: str

    @property
    def url_path(self) -> str:
        return self.path.removeprefix("pages/").removesuffix(".py")


PAGES = [
    PageSpec("pages/overview.py", "总览", ":material/dashboard:"),
    PageSpec("pages/plan_detail.py", "规划详情", ":material/checklist:"),
    PageSpec("pages/towns.py", "镇街任务", ":material/location_city:"),
    PageSpec("pages/evaluation.py", "亩均评价", ":material/analytics:"),
    PageSpec("pages/enterprise.py", "企业画像", ":material/factory:"),
    PageSpec("pages/comparison.py", "规划对比", ":material/compare_arrows:"),
    PageSpec("pages/briefing.py", "汇报材料", ":material/slideshow:"),
    PageSpec("pages/method.py", "口径说明", ":material/menu_book:"),
    PageSpec("pages/upload.py", "数据导入", ":material/upload_file:"),
]
