"""One page run reads one version of the database (issue 13): an import that replaces the file while
a page runs is seen from the next run on, never half-way through a run."""

from __future__ import annotations

from pathlib import Path

import pytest

from plantrack.ingest import creditcode, write
from plantrack.store import db
from tests.apptest import as_user, open_page

CORPUS = Path(__file__).resolve().parent / "corpus"


@pytest.fixture
def real_app(tmp_path, monkeypatch, config):
    path = tmp_path / "real.duckdb"
    assert write.import_file(CORPUS / "good" / "企业年度数据_2024_GBK.csv", path, config).ok
    monkeypatch.setenv("PLANTRACK_DB", str(path))
    from streamlit.testing.v1 import AppTest

    from plantrack.settings import ROOT

    return as_user(AppTest.from_file(str(ROOT / "app.py"), default_timeout=90), "科室"), path


def test_an_import_during_a_page_run_is_seen_from_the_next_run(
    real_app, tmp_path, monkeypatch, config
):
    at, path = real_app
    newer = tmp_path / "新企业.csv"
    code = creditcode.make("330902", "88000001")
    newer.write_text(
        "统一社会信用代码,企业名称,所属镇街,所属行业,年度,是否规上,用地面积（亩）,税收实际贡献（万元）\n"
        f"{code},版本测试有限公司,白泉镇,水产品加工,2024,是,12,90\n",
        encoding="utf-8",
    )
    read_from: list[str] = []
    state = {"importing": False, "imported": False}
    original = db.run_query

    def watching(con, name, relations=None, **params):
        if state["importing"]:
            return original(con, name, relations, **params)
        read_from.append(
            con.execute(
                "select path from duckdb_databases() where database_name = current_database()"
            ).fetchone()[0]
        )
        if len(read_from) == 3 and not state["imported"]:  # mid-run: an import replaces the file
            state["importing"] = True
            assert write.import_file(newer, path, config).written
            state["importing"], state["imported"] = False, True
        return original(con, name, relations, **params)

    at.run()  # the landing page, before watching
    monkeypatch.setattr(db, "run_query", watching)
    open_page(at, "pages/evaluation.py")
    assert state["imported"] and len(read_from) > 3
    assert len(set(read_from)) == 1, set(read_from)  # the whole run read one version
    first = read_from[0]
    read_from.clear()
    at.run()  # the next run reads the new version
    assert read_from and set(read_from) != {first}
    assert not at.exception
    assert any("版本测试有限公司" in frame.value.to_string() for frame in at.dataframe)
