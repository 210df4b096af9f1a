"""AppTest: published plans on the pages — 规划详情 evaluates the version in force for the 截至年度 and shows
the history (what, when, why); 规划发布 offers the template, the example and exports, keeps publishing
behind the admin password, lists the publications and undoes one. (Uploading is tested in the browser.)"""

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from plantrack.settings import ROOT
from plantrack.store import accounts
from tests.apptest import open_page

PASSWORD = "定海-plans-2025"


def _table(at, column: str, value: str):
    """The dataframe that has `value` in `column`."""
    for frame in at.dataframe:
        data = frame.value
        if column in data.columns and (data[column].astype(str) == value).any():
            return data
    raise AssertionError(f"no table with {column} = {value}")


def _detail(at, year=None):
    if year:
        at.selectbox(key="as_of_year").select(year).run()
    open_page(at, "pages/plan_detail.py")
    at.selectbox(key="plan_detail_plan").set_value("example-dinghai-2024").run()
    assert not at.exception, at.exception
    return at


def _captions(at) -> str:
    return "\n".join(caption.value.replace("\\", "") for caption in at.caption)


def test_plan_detail_uses_the_version_in_force_for_the_year(app):
    _detail(app)
    assert "截至2025年按第2版（2025年起生效，2025-03-18 发布）评价" in _captions(app)
    assert _table(app, "目标", "规上工业亩均税收").set_index("目标").loc["规上工业亩均税收", "目标值"] == "24.00 万元/亩"  # fmt: skip
    _detail(app, 2024)
    text = _captions(app)
    assert "截至2024年按第1版（2024年起生效，2024-02-20 发布）评价" in text
    assert "现行为第2版" in text
    progress = _table(app, "目标", "规上工业亩均税收").set_index("目标")
    assert progress.loc["规上工业亩均税收", "目标值"] == "22.00 万元/亩"
    assert "有研发活动的规上工业企业占比" not in progress.index  # added by version 2


def test_plan_detail_shows_the_history(app):
    _detail(app)
    assert [e.label for e in app.expander if "版本" in e.label] == ["版本与调整记录（共2版）"]
    history = _table(app, "版本", "第2版")
    assert list(history["版本"]) == ["第2版", "第1版"]
    assert list(history["状态"]) == ["现行", "2025年起由第2版取代"]
    assert list(history["生效年度"]) == [2025, 2024]
    assert history["调整原因"].iloc[0].startswith("【示例】2024年规上工业亩均税收增长快于预期")
    assert history["变动"].iloc[0] == "目标 修改1项、新增1项；镇街任务 修改2格"
    changes = _table(app, "字段", "目标值").set_index("字段")
    assert (changes.loc["目标值", "原值"], changes.loc["目标值", "新值"]) == ("22", "24")
    assert "None" not in history.to_string() and "nan" not in history.to_string()


def test_a_seeded_plan_has_one_version_from_targets_toml(app):
    open_page(app, "pages/plan_detail.py")
    assert "按第1版（2023年起生效，随系统预置）评价" in _captions(app)


@pytest.fixture
def plans_app(demo_db, tmp_path, monkeypatch):
    """The app on a copy of the fixture database (undo writes), an account of 数据员 beside it."""
    path = tmp_path / "plans.duckdb"
    shutil.copyfile(demo_db, path)
    monkeypatch.setenv("PLANTRACK_DB", str(path))
    monkeypatch.delenv("PLANTRACK_ACCOUNTS", raising=False)
    accounts.add_user(tmp_path / "accounts.sqlite3", "数据员小周", "数据员", None, PASSWORD)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    return at


def test_publish_page_offers_template_example_and_exports_without_login(app, monkeypatch):
    monkeypatch.delenv("PLANTRACK_ADMIN_PASSWORD", raising=False)
    open_page(app, "pages/plan_publish.py")
    labels = [button.proto.label for button in app.get("download_button")]
    assert labels[:3] == ["规划模板（新规划）", "示例规划", "示例规划（2025年调整）"]
    assert any(label.startswith("导出「") for label in labels)
    assert any("发布规划需要登录" in info.value for info in app.info)
    assert not [box for box in app.selectbox if box.key == "plan_publish_undo_choice"]
    assert list(_table(app, "序号", "2")["版本"]) == ["第2版", "第1版"]


def test_upload_page_offers_the_plan_template(app):
    open_page(app, "pages/upload.py")
    labels = [button.proto.label for button in app.get("download_button")]
    assert "规划模板（新规划）" in labels


def test_admin_undoes_a_publication_and_the_pages_follow(plans_app):
    at = plans_app
    open_page(at, "pages/plan_publish.py")
    at.text_input(key="plan_publish_login_name").input("数据员小周")
    at.text_input(key="plan_publish_login_password").input("猜的密码-0000")
    at.button(key="FormSubmitter:plan_publish_login_form-登录").click().run()
    assert any("用户名或密码错误" in error.value for error in at.error)
    at.text_input(key="plan_publish_login_password").input(PASSWORD)
    at.button(key="FormSubmitter:plan_publish_login_form-登录").click().run()
    assert not at.exception, at.exception
    assert at.selectbox(key="plan_publish_undo_choice").value == 2
    at.button(key="plan_publish_undo").click().run()
    assert not at.exception, at.exception
    success = " ".join(s.value.replace("\\", "") for s in at.success)
    assert "已撤销第2次导入" in success and "现行为第1版" in success
    assert list(_table(at, "序号", "2")["结果"]) == ["已撤销", "成功"]
    _detail(at)
    assert "截至2025年按第1版" in _captions(at)
    assert list(_table(at, "版本", "第2版")["状态"]) == ["已撤销", "现行"]
    open_page(at, "pages/upload.py")  # one login serves every page; the ledger names publications
    assert list(_table(at, "类型", "规划发布")["结果"]) == ["已撤销", "成功"]


def test_a_publication_that_no_longer_fits_targets_toml_is_shown_not_fatal(demo_db, tmp_path, monkeypatch, config):  # fmt: skip
    """targets.toml may change after a plan was published (a metric renamed): the pages warn and keep
    the seeded plans instead of failing."""
    import datetime as dt

    import duckdb

    from plantrack.model.plan_versions import PlanVersion
    from plantrack.store import db, plans

    path = tmp_path / "stale.duckdb"
    shutil.copyfile(demo_db, path)
    plan = config.plan("dinghai-climb-2023")
    gone = plan.targets[0].model_copy(update={"metric": "renamed_since"})
    stale = PlanVersion(
        plan=plan.model_copy(update={"id": "stale-2023", "short": "过期规划", "targets": [gone]}),
        version=1,
        effective_year=2023,
        import_id=3,
        published_at=dt.datetime(2024, 1, 1),
    )
    with duckdb.connect(str(path)) as con:
        db.run_query(con, "write/record_publication", import_id=3, file_name="旧.xlsx", sha256="",
                     row_count=1, imported_at=stale.published_at, imported_by="测试", detail="{}")  # fmt: skip
        plans.store_version(con, stale)
    monkeypatch.setenv("PLANTRACK_DB", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    warning = " ".join(w.value.replace("\\", "") for w in at.warning)
    assert "已发布的规划与当前的规划目标文件不一致" in warning and "renamed_since" in warning
    open_page(at, "pages/plan_detail.py")
    options = at.selectbox(key="plan_detail_plan").options
    assert len(options) == len(config.plans) and not any("过期规划" in o for o in options)
