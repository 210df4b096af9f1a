"""The running app against a careless user and an attacker (issue 13): outside text is never rendered
as Markdown, the upload folder cannot be left, no page crashes before the first quota year, an empty
search says so, and every download works."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pandas as pd
import pytest
import python_calamine

from plantrack.ingest import creditcode, write
from plantrack.report import excel
from plantrack.report.formatting import plain
from tests.apptest import as_user, chart_text, open_page

CORPUS = Path(__file__).resolve().parent / "corpus"
PHISHING = "[登录已过期，请点此重新登录](http://evil.example/login)"
IMAGE = "![x](http://evil.example/pixel.png)"


@pytest.mark.parametrize(
    "text",
    [PHISHING, IMAGE, "<img src=x onerror=alert(1)>", "http://evil.example", "www.evil.example",
     "a@evil.example", ":red[假通知] :material/warning: $x^2$", "**粗体** `代码` # 标题\n- 列表"],
)  # fmt: skip
def test_plain_text_has_no_markdown_left(text):
    shown = plain(text)
    # every Markdown mark is escaped (a backslash before it), lines are joined, links are broken
    for mark in "[]()!<>`*#:$_":
        assert all(shown[i - 1] == "\\" for i, char in enumerate(shown) if char == mark), shown
    assert "\n" not in shown
    assert "http://" not in shown.replace("\\", "") and "www." not in shown.replace("\\", "")
    # nothing is lost: without the escapes and the invisible word joiners it is the same text
    assert shown.replace("\\", "").replace("\u2060", "") == text.replace("\\", "").replace(
        "\n", " "
    )


def test_bad_url_parameter_notice_shows_the_value_as_text(app):
    open_page(app, "pages/towns.py", town=PHISHING, pyear=IMAGE)
    notices = [toast.value for toast in app.toast]
    assert len(notices) == 1
    notice = notices[0]
    assert plain(f"town={PHISHING}") in notice and plain(f"pyear={IMAGE}") in notice
    assert "](" not in notice and "![" not in notice  # no link, no image


def test_pages_before_the_first_quota_year(app, config):
    first = min(q.year for plan in config.plans for q in plan.quotas)
    earlier = [year for year in app.selectbox(key="as_of_year").options if int(year[:4]) < first]
    assert earlier, "the fixture should offer a year before the first quota"
    app.selectbox(key="as_of_year").select(int(earlier[0][:4])).run()
    open_page(app, "pages/towns.py")
    assert "镇街赛马排名" in chart_text(app, "towns_ranking")
    open_page(app, "pages/briefing.py")
    (outline,) = [frame.value for frame in app.dataframe if "结论" in frame.value.columns]
    ranking = outline[outline["标题"].str.startswith("镇街赛马排名")]
    assert list(ranking["结论"]) == ["红榜：—；黑榜：—。"]


def test_search_matching_nothing_says_so(app, con):
    assert con.execute("select count(*) from enterprises").fetchone()[0] > 0
    open_page(app, "pages/enterprise.py", q="不存在的企业[x](http://e.example)")
    infos = [info.value for info in app.info]
    assert any("没有名称或统一社会信用代码包含「不存在的企业\\[x\\]" in text for text in infos), (
        infos
    )
    assert not any("数据库中还没有企业" in text for text in infos)
    # with an enterprise already chosen, it stays on screen, and the search still says it found none
    app.text_input(key="enterprise_search").input("").run()
    app.text_input(key="enterprise_search").input("又一个不存在的").run()
    assert not app.exception
    assert any("包含「又一个不存在的」" in info.value for info in app.info)


HOSTILE_NAMES = ["=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "'引号开头", "[括号]:公司?"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_excel_download_works_for_any_enterprise_name(name):
    # as 企业画像 builds it: the sheet is named after the enterprise (plantrack.app.widgets.table)
    frame = pd.DataFrame({"企业名称": [name], "税收（万元）": [float("inf")], "年度": [2024]})
    data = excel.xlsx_bytes({f"{name}亩均评价档次": frame}, {"企业": name})
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert len(workbook.sheet_names) == 2 and all(len(n) <= 31 for n in workbook.sheet_names)
    rows = workbook.get_sheet_by_index(0).to_python()
    assert rows[1][0] == name  # text, never a formula
    notes = workbook.get_sheet_by_name("说明").to_python()
    assert [name] == [row[1] for row in notes if row[0] == "企业"]


def test_a_failed_download_says_why():
    data = excel.failure_bytes("测试原因")
    rows = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(
        "说明"
    )
    assert ["导出失败", "测试原因"] in rows.to_python()


@pytest.fixture
def upload_app(tmp_path, monkeypatch, config):
    db_path = tmp_path / "data" / "real.duckdb"
    db_path.parent.mkdir()
    assert write.import_file(CORPUS / "good" / "企业年度数据_2024_GBK.csv", db_path, config).ok
    staging = tmp_path / "tmp" / "deeper"
    staging.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(staging))
    monkeypatch.setenv("PLANTRACK_DB", str(db_path))
    from streamlit.testing.v1 import AppTest

    from plantrack.settings import ROOT

    at = as_user(AppTest.from_file(str(ROOT / "app.py"), default_timeout=90), "数据员")
    at.run()
    return open_page(at, "pages/upload.py"), tmp_path


@pytest.mark.parametrize("button", ["upload_check", "upload_import"])
@pytest.mark.parametrize(
    "name",
    ["../../逃逸.csv", "../../../../../../../../tmp/逃逸.csv", "子目录/逃逸.csv", "..\\逃逸.csv"],
)
def test_uploaded_file_name_is_never_a_path(upload_app, name, button):
    at, root = upload_app
    content = (CORPUS / "good" / "上报指标_2024.csv").read_bytes()
    at.file_uploader(key="upload_file").upload(name, content).run()
    at.button(key=button).click().run()
    assert not at.exception, at.exception
    assert not [p for p in root.rglob("*逃逸*") if p.parent.name != "archive"]
    assert not list(Path("/tmp").glob("逃逸*"))
    shown = [box.value for box in [*at.success, *at.error]]
    assert len(shown) == 1 and "逃逸" in shown[0], shown
    assert shown and all("](" not in text for text in shown)
    archived = list((root / "data" / "archive").rglob("*逃逸*"))
    assert all(path.parent == root / "data" / "archive" for path in archived)
    assert len(archived) == (1 if button == "upload_import" else 0), (shown, list(root.rglob("*")))


def test_enterprise_names_in_charts_are_text_not_markup():
    from plantrack.report import charts

    name = '<a href="http://evil.example">点此</a><b>%{x}</b>'
    history = pd.DataFrame(
        {"indicator": ["mu_tax_wan_per_mu"], "year": [2024], "value": [1.0],
         "industry_median": [1.0], "district_median": [1.0]}
    )  # fmt: skip
    fig = charts.enterprise_small_multiples(
        history, name, [("mu_tax_wan_per_mu", "亩均税收", "万元/亩")]
    )
    shown = fig.to_json()
    assert "<a" not in shown and "<b>%{x}" not in shown
    assert "&lt;a href" in fig.layout.title.text and fig.data[0].name.startswith("&lt;a href")


def test_a_rejected_upload_offers_the_marked_workbook(upload_app):
    at, _ = upload_app
    at.file_uploader(key="upload_file").upload(
        "用地为负.xlsx", (CORPUS / "bad" / "用地为负.xlsx").read_bytes()
    ).run()
    at.button(key="upload_check").click().run()
    assert not at.exception
    assert any("发现 1 个问题" in error.value for error in at.error)
    labels = [button.label for button in at.get("download_button")]
    assert any("标注了问题的工作簿" in label for label in labels), labels


def test_upload_page_reads_the_sheet_the_user_chooses(upload_app):
    at, _ = upload_app
    name = "两个工作表都像数据.xlsx"
    at.file_uploader(key="upload_file").upload(name, (CORPUS / "bad" / name).read_bytes()).run()
    assert at.selectbox(key="upload_sheet").options == ["自动识别", "2023年", "2023年（修订）"]
    at.button(key="upload_check").click().run()
    assert any("指定要导入的工作表" in frame.value.to_string() for frame in at.dataframe)
    at.selectbox(key="upload_sheet").select("2023年（修订）").run()
    at.button(key="upload_check").click().run()
    assert not at.exception
    assert any(
        "工作表「2023年（修订）」" in box.value and "校验通过" in box.value for box in at.success
    )


HOSTILE_FIRM = "[登录已过期](http://evil.example/x)![i](http://evil.example/i.png)<b>公司</b>"


def _rendered_as_markdown(at) -> list[str]:
    """Every text AppTest sees that Streamlit renders as Markdown."""
    kinds = ["markdown", "caption", "info", "warning", "error", "success", "toast", "title",
             "subheader", "header"]  # fmt: skip
    texts = [element.value for kind in kinds for element in at.get(kind)]
    return texts + [metric.label for metric in at.metric]


def test_an_enterprise_name_from_the_database_is_never_markdown(tmp_path, monkeypatch, config):
    from tests.corpus.make_corpus import HEADER, ROWS, csv_bytes

    code = creditcode.make("330902", "66000001")
    rows = [HEADER] + ROWS + [[code, HOSTILE_FIRM, "金塘镇", "机械制造", 2024, "是", 50, 1,
                               10, 20, None, 5, "D"]]  # fmt: skip
    source = tmp_path / "恶意名称.csv"
    source.write_bytes(csv_bytes(rows))
    path = tmp_path / "real.duckdb"
    assert write.import_file(source, path, config).written
    monkeypatch.setenv("PLANTRACK_DB", str(path))
    from streamlit.testing.v1 import AppTest

    from plantrack.app.navigation import PAGES
    from plantrack.settings import ROOT

    at = as_user(AppTest.from_file(str(ROOT / "app.py"), default_timeout=90), "管理员")
    at.run()
    seen = []
    for spec in PAGES:
        query = {"code": code} if spec.path == "pages/enterprise.py" else {}
        open_page(at, spec.path, **query)
        seen += _rendered_as_markdown(at)
    open_page(at, "pages/briefing.py")
    (outline,) = [frame.value for frame in at.dataframe if "结论" in frame.value.columns]
    assert outline["结论"].str.contains(HOSTILE_FIRM, regex=False).any()  # the name, as text
    for text in seen:
        assert "](http" not in text and "<b>" not in text, text


@pytest.mark.parametrize("button", ["upload_check", "upload_import"])
def test_a_nul_byte_in_an_upload_name_is_handled(upload_app, button):
    """Streamlit refuses such a name before the page runs (a traceback in place of the page until a
    reload): the page checks names itself, drops control characters, and goes on."""
    at, _ = upload_app
    content = (CORPUS / "good" / "上报指标_2024.csv").read_bytes()
    at.file_uploader(key="upload_file").upload("上报\x00指标.csv", content).run()
    assert not at.exception, at.exception
    at.button(key=button).click().run()
    assert not at.exception, at.exception
    shown = [box.value for box in [*at.success, *at.error]]
    assert len(shown) == 1 and "上报指标\\.csv" in shown[0] and "\x00" not in shown[0], shown


def test_uploads_of_every_outcome_are_audited_by_the_uploader(upload_app):
    from plantrack.store import accounts

    at, root = upload_app
    log_path = root / "data" / "accounts.sqlite3"
    good = (CORPUS / "good" / "上报指标_2024.csv").read_bytes()
    for name, content, button in [
        ("用地为负.xlsx", (CORPUS / "bad" / "用地为负.xlsx").read_bytes(), "upload_check"),
        ("上报指标.csv", good, "upload_check"),
        ("上报指标.csv", good, "upload_import"),
    ]:
        at.file_uploader(key="upload_file").upload(name, content).run()
        at.button(key=button).click().run()
        assert not at.exception, at.exception
    at.file_uploader(key="upload_file").upload("不是表格.docx", b"PK").run()
    assert any("不是可以上传的文件类型" in error.value for error in at.error)
    log = accounts.audit_log(log_path)
    rows = log[log["action"].str.startswith("导入")]
    assert rows["action"].tolist() == ["导入", "导入校验（未写入）", "导入被拒"]
    assert set(rows["actor"]) == {"测试数据员"}


def test_an_import_whose_audit_entry_fails_is_not_imported(tmp_path, config):
    """The 导入 entry is written in the step that commits the import: if it cannot be written, the
    database stays as it was."""
    path = tmp_path / "real.duckdb"
    assert write.import_file(CORPUS / "good" / "企业年度数据_2024_GBK.csv", path, config).ok
    before = path.stat().st_ino

    def audit_fails(report):
        raise OSError("审计日志无法写入")

    with pytest.raises(OSError, match="审计日志无法写入"):
        write.import_file(
            CORPUS / "good" / "上报指标_2024.csv", path, config, on_commit=audit_fails
        )
    assert path.stat().st_ino == before
    seen = []
    report = write.import_file(
        CORPUS / "good" / "上报指标_2024.csv", path, config, on_commit=seen.append
    )
    assert report.written and seen == [report] and path.stat().st_ino != before
