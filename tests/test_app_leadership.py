"""总览 says what to act on (issue 24), on the demo and on a real-data warehouse (tests/realdata.py):
本区 plans apart from 对标, ended plans closed, 预警 first with links, freshness and what the latest import
changed, drill-down by link, 镇街任务 for every quota plan, a town's own view, no developer text."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from plantrack.app.navigation import PAGES
from plantrack.settings import ROOT
from tests import realdata
from tests.apptest import as_user, open_page

DEVELOPER_TEXT = re.compile(r"None|\bnan\b|NaN|\.sql|\.py\b|targets\.toml|progress\.evaluate")


@pytest.fixture(scope="module")
def real(tmp_path_factory, config):
    return realdata.build(tmp_path_factory.mktemp("leadership"), config)


def _app(db_path, monkeypatch, role=None, town=None):
    monkeypatch.setenv("PLANTRACK_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if role:
        as_user(at, role, town)
    at.run()
    assert not at.exception, at.exception
    return at


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def rendered_text(at) -> list[str]:
    """Every text a reader sees on the page: titles, Markdown, captions, notices, metrics, link labels,
    expander labels and every table cell and header."""
    texts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success",
                 "error"):  # fmt: skip
        texts += [_unescape(str(element.value)) for element in at.get(kind)]
    for metric in at.get("metric"):
        texts += [metric.label, str(metric.value)]
    for link in at.get("page_link"):
        texts.append(_unescape(link.proto.label))
    for expander in at.get("expander"):
        texts.append(expander.label)
    for frame in at.dataframe:
        value = frame.value
        texts += [str(column) for column in value.columns]
        texts += [str(cell) for cell in value.astype(object).to_numpy().ravel()]
    return texts


@pytest.mark.parametrize("which", ["demo", "real"])
@pytest.mark.parametrize("spec", PAGES, ids=[spec.title for spec in PAGES])
def test_no_page_shows_developer_text_or_missing_values(which, spec, demo_db, real, monkeypatch):
    path = demo_db if which == "demo" else real[0]
    at = _app(path, monkeypatch, "管理员")
    open_page(at, spec.path)
    found = [text for text in rendered_text(at) if DEVELOPER_TEXT.search(text)]
    assert not found, found[:5]
