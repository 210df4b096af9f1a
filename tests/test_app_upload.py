"""AppTest: who may reach the upload (the upload itself is tested in the browser)."""

from tests.apptest import as_user, open_page


def test_not_logged_in_is_offered_the_login(app, tmp_path, monkeypatch):
    monkeypatch.setenv("PLANTRACK_ACCOUNTS", str(tmp_path / "accounts.sqlite3"))
    monkeypatch.delenv("PLANTRACK_ADMIN_PASSWORD", raising=False)
    open_page(app, "pages/upload.py")
    assert any("导入数据需要登录" in info.value for info in app.info)
    assert not [box for box in app.selectbox if box.key == "upload_kind"]


def test_a_reading_role_may_not_import(app):
    as_user(app, "科室").run()
    open_page(app, "pages/upload.py")
    assert any("不能导入数据" in warning.value for warning in app.warning)
    assert not [box for box in app.selectbox if box.key == "upload_kind"]


def test_data_staff_may_import(app):
    as_user(app, "数据员").run()
    open_page(app, "pages/upload.py")
    assert app.selectbox(key="upload_kind").value == ""
    assert [button.label for button in app.button if button.key == "upload_import"] == [
        "校验并导入"
    ]


def _page_on(db_path, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    from plantrack.settings import ROOT

    monkeypatch.setenv("PLANTRACK_DB", str(db_path))
    monkeypatch.setenv("PLANTRACK_ACCOUNTS", str(tmp_path / "accounts.sqlite3"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    as_user(at, "数据员").run()
    return open_page(at, "pages/upload.py")


def test_undo_on_the_page_says_what_it_restores_then_restores_it(tmp_path, monkeypatch, config):
    """Two imports; the page offers to undo the second, says what comes back, and does it."""
    import duckdb

    from plantrack.ingest import write
    from tests.corpus.make_corpus import CODES, HEADER, ROWS
    from tests.test_import_clerk_files import text_file

    path = tmp_path / "real.duckdb"
    assert write.import_file(text_file(tmp_path / "a.csv", [HEADER] + ROWS), path, config).written
    changed = [HEADER] + [list(row) for row in ROWS]
    changed[1][7] = 999
    assert write.import_file(text_file(tmp_path / "b.csv", changed), path, config).written
    at = _page_on(path, monkeypatch, tmp_path)
    at.button(key="upload_undo").click().run()
    asked = " ".join(warning.value for warning in at.warning).replace("\\", "")  # markdown escapes
    assert "撤销第2次导入（b.csv" in asked and "企业年度数据 1 行恢复为导入前的值" in asked
    with duckdb.connect(str(path), read_only=True) as con:  # nothing undone before the confirmation
        query = "select tax_wan from enterprise_years where credit_code = ?"
        assert con.execute(query, [CODES[0]]).fetchone() == (999,)
    at.button(key="upload_undo_confirm").click().run()
    assert not at.exception, at.exception
    assert any("已撤销第2次导入" in success.value for success in at.success)
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute(query, [CODES[0]]).fetchone() == (360,)
    assert [button.label for button in at.button if button.key == "upload_undo"] == [
        "撤销第1次导入…"
    ]


def test_on_demo_data_nothing_to_undo_and_no_checkbox(app):
    as_user(app, "数据员").run()
    open_page(app, "pages/upload.py")
    assert any("没有可撤销的导入" in caption.value for caption in app.caption)
    assert not [box for box in app.checkbox if box.key == "upload_replace_demo"]


def test_the_first_real_import_asks_in_words_and_its_undo_brings_the_demo_back(
    demo_db, tmp_path, monkeypatch
):
    import shutil

    from plantrack.store import db
    from tests.corpus.make_corpus import HEADER, ROWS
    from tests.test_import_clerk_files import text_file
    from tests.test_import_corpus import ENTERPRISE_FILE, fingerprint

    path = tmp_path / "data" / "plantrack.duckdb"
    path.parent.mkdir()
    shutil.copyfile(demo_db, path)
    demo = fingerprint(path)
    at = _page_on(path, monkeypatch, tmp_path)

    # a file with a problem of its own: the problem, and no question
    rows = [HEADER] + [list(row) for row in ROWS]
    rows[2][6] = -8
    bad = text_file(tmp_path / "用地为负.csv", rows)
    at.file_uploader(key="upload_file").upload(bad.name, bad.read_bytes()).run()
    at.button(key="upload_import").click().run()
    assert any("发现 1 个问题" in error.value for error in at.error)
    assert not [b for b in at.button if b.key == "upload_replace_demo"]

    # a valid file: what it holds, then 替换示例数据？ in words, nothing written yet
    good = ENTERPRISE_FILE
    at.file_uploader(key="upload_file").upload(good.name, good.read_bytes()).run()
    at.button(key="upload_import").click().run()
    assert not at.exception, at.exception
    assert any("替换示例数据？" in header.value for header in at.subheader)
    shown = " ".join(
        [w.value for w in at.warning] + [i.value for i in at.info] + [e.value for e in at.error]
    ).replace("\\", "")
    assert "校验通过：4 行" in shown and "撤销这次导入可恢复示例数据" in shown
    assert not any(part in shown for part in ("--", "python", ".duckdb", str(tmp_path)))
    assert fingerprint(path) == demo

    at.button(key="upload_replace_demo").click().run()
    assert not at.exception, at.exception
    assert any("已导入 4 行" in s.value for s in at.success)
    assert db.file_meta(path)["data_kind"] == "real"

    at.button(key="upload_undo").click().run()
    asked = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "恢复为导入前的示例数据" in asked
    at.button(key="upload_undo_confirm").click().run()
    assert not at.exception, at.exception
    assert any("已恢复导入前的示例数据" in s.value for s in at.success)
    assert fingerprint(path) == demo
