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
