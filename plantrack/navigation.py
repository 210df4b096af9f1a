"""The pages, declared once, in sidebar order. app.py registers exactly these with st.navigation."""

from __future__ import annotations

from typing import NamedTuple


class PageSpec(NamedTuple):
    path: str
    title: str
    icon: str
    url_path: str


PAGES = [
    PageSpec("pages/overview.py", "总览", ":material/dashboard:", "overview"),
]
