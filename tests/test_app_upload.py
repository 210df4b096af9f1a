"""AppTest: the upload page's password gate (the upload itself is tested in the browser)."""

from tests.apptest import open_page


def test_switched_off_without_a_password(app, monkeypatch):
    monkeypatch.delenv("PLANTRACK_ADMIN_PASSWORD", raising=False)
    open_page(app, "pages/upload.py")
    assert any(
        "上传已关闭" in warning.value and "PLANTRACK_ADMIN_PASSWORD" in warning.value
        for warning in app.warning
    )
    assert not [box for box in app.selectbox if box.key == "upload_kind"]


def test_wrong_password_refused_right_one_accepted(app, monkeypatch):
    monkeypatch.setenv("PLANTRACK_ADMIN_PASSWORD", "定海2025!")
    open_page(app, "pages/upload.py")
    # a form: type and submit in the same run
    app.text_input(key="upload_password").input("guess")
    app.button[0].click().run()
    assert any("密码错误" in error.value for error in app.error)
    assert not [box for box in app.selectbox if box.key == "upload_kind"]
    app.text_input(key="upload_password").input("定海2025!")
    app.button[0].click().run()
    assert not app.exception
    assert app.selectbox(key="upload_kind").value == ""
    assert [button.label for button in app.button if button.key == "upload_import"] == [
        "校验并导入"
    ]
