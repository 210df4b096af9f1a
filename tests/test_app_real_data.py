"""Every page on a small real-looking warehouse (4 enterprises, one year, imported from the corpus), and
on an empty one: a page that works only on demo data does not work."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from plantrack.app.navigation import PAGES
from plantrack.ingest import write
from plantrack.settings import ROOT
from tests.apptest import as_user

CORPUS = Path(__file__).resolve().parent / "corpus" / "good"


@pytest.fixture(scope="module")
def small_db(tmp_path_factory, config):
    path = tmp_path_factory.mktemp("small") / "real.duckdb"
    for name in [
        "企业年度数据_2024_标题行与合计行.xlsx",
        "荣誉认定_2024.xlsx",
        "申报记录_2024.xlsx",
        "上报指标_2024.csv",
    ]:
        assert write.import_file(CORPUS / name, path, config).ok
    return path


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory):
    from plantrack.store import db

    path = tmp_path_factory.mktemp("empty") / "empty.duckdb"
    with db.writable(path) as con:
        db.create_schema(con)
        db.set_meta(con, "data_kind", "real")
    return path


@pytest.mark.parametrize("which", ["small_db", "empty_db"])
@pytest.mark.parametrize("spec", PAGES, ids=[spec.title for spec in PAGES])
def test_every_page_renders(which, spec, request, monkeypatch):
    monkeypatch.setenv("PLANTRACK_DB", str(request.getfixturevalue(which)))
    at = as_user(AppTest.from_file(str(ROOT / "app.py"), default_timeout=90))
    at.run()
    at.switch_page(spec.path).run()
    assert not at.exception, at.exception
    assert not any("示例数据" in warning.value for warning in at.warning)


def test_small_data_shows_its_own_numbers(small_db, monkeypatch):
    monkeypatch.setenv("PLANTRACK_DB", str(small_db))
    at = as_user(AppTest.from_file(str(ROOT / "app.py"), default_timeout=90), "科室")
    at.run()
    assert at.selectbox(key="as_of_year").value == 2024
    at.switch_page("pages/evaluation.py").run()
    assert any("符合条件的企业 4 家" in md.value for md in at.markdown)


def test_real_data_is_never_served_anonymously(small_db, monkeypatch, tmp_path):
    """No login, no data: only the login form, no page, no figure, no enterprise name."""
    monkeypatch.setenv("PLANTRACK_DB", str(small_db))
    monkeypatch.setenv("PLANTRACK_ACCOUNTS", str(tmp_path / "no_accounts_yet.sqlite3"))
    monkeypatch.setenv("PLANTRACK_ADMIN_PASSWORD", "安装密码-2025")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["q"] = "有限公司"
    at.run()
    assert not at.exception
    assert not at.dataframe and not at.get("plotly_chart") and not at.metric
    assert [title.value for title in at.title] == ["定海区制造业规划进度看板"]
    assert any("创建第一个管理员" in info.value for info in at.info)


def test_an_unknown_role_sees_only_the_login(small_db, monkeypatch):
    monkeypatch.setenv("PLANTRACK_DB", str(small_db))
    at = as_user(AppTest.from_file(str(ROOT / "app.py"), default_timeout=90), "访客")
    at.run()
    assert not at.exception
    assert not at.dataframe and not at.get("plotly_chart")
    assert "_plantrack_login" not in at.session_state
