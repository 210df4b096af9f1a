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


# A real (imported) warehouse with towns of different sizes: 金塘镇 4 firms, 岑港街道 3, 干览镇 1 (a
# small cell: its aggregates are not shown to other towns' users), over two years (档次变化).
TOWN_FIRMS = {"金塘镇": 4, "岑港街道": 3, "干览镇": 1}
GRADES = {2023: "BCBA", 2024: "ABCB"}


def firm_rows() -> list[dict]:
    from plantrack.ingest import creditcode

    rows = []
    for town_index, (town, count) in enumerate(TOWN_FIRMS.items()):
        for index in range(count):
            code = creditcode.make("330902", f"7{town_index}00000{index}")
            for year, grades in GRADES.items():
                rows.append(
                    {"统一社会信用代码": code, "企业名称": f"{town}真实{index + 1}号有限公司",
                     "所属镇街": town, "所属行业": "机械制造", "年度": year, "是否规上": "是",
                     "用地面积（亩）": 20 + 10 * index, "税收实际贡献（万元）": 100 + 50 * index + 10 * town_index + year % 2,
                     "工业增加值（万元）": 1500 + 100 * index, "营业收入（万元）": 6000 + 500 * index,
                     "年平均职工人数（人）": 50 + index, "亩均评价档次": grades[index] + "类"}
                )  # fmt: skip
    return rows


@pytest.fixture(scope="module")
def towns_db(tmp_path_factory, config):
    import pandas as pd

    folder = tmp_path_factory.mktemp("towns")
    source = folder / "企业年度数据_2023-2024.csv"
    pd.DataFrame(firm_rows()).to_csv(source, index=False, encoding="utf-8")
    path = folder / "real.duckdb"
    report = write.import_file(source, path, config)
    assert report.ok, report.lines()
    return path


def _cells(name: str, content: bytes) -> str:
    """Every text of an exported file, joined (an Excel's every sheet, a deck's every shape)."""
    import io

    if name.endswith(".xlsx"):
        import python_calamine

        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
        return "\n".join(
            str(cell)
            for sheet in book.sheet_names
            for row in book.get_sheet_by_name(sheet).to_python()
            for cell in row
        )
    if name.endswith(".pptx"):
        from pptx import Presentation

        deck = Presentation(io.BytesIO(content))
        texts = []
        for slide in deck.slides:
            for shape in slide.shapes:
                if shape.has_text_frame:
                    texts.append(shape.text_frame.text)
                if shape.has_table:
                    texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
        return "\n".join(texts)
    if name.endswith(".docx"):
        import docx

        document = docx.Document(io.BytesIO(content))
        texts = [paragraph.text for paragraph in document.paragraphs]
        texts += [
            cell.text for table in document.tables for row in table.rows for cell in row.cells
        ]
        return "\n".join(texts)
    raise AssertionError(f"unexpected download {name}")


ROLE_USERS = {"局领导": ("领导", None), "王科长": ("科室", None), "小周": ("数据员", None),
              "局管理员": ("管理员", None), "金塘小李": ("镇街", "金塘镇")}  # fmt: skip


@pytest.mark.parametrize("name", list(ROLE_USERS))
def test_every_download_on_every_page_is_built_for_its_viewer_and_audited(
    towns_db, monkeypatch, name
):
    """Each download's function, run as Streamlit runs it after a click (another thread, no session),
    gives a file (never the failure workbook) holding only what the role may see, and the audit entry
    is written after it, by that user. Enterprise names are checked: a 镇街 user's files name no
    other town's firm."""
    from plantrack.app.navigation import visible
    from plantrack.model.roles import role as find_role
    from plantrack.store import accounts
    from tests.apptest import build_outside, deferred_downloads

    monkeypatch.setenv("PLANTRACK_DB", str(towns_db))
    role, town = ROLE_USERS[name]
    others = [
        f"{t}真实{i + 1}号有限公司" for t, n in TOWN_FIRMS.items() if t != town for i in range(n)
    ]
    own = [f"{town}真实{i + 1}号有限公司" for i in range(TOWN_FIRMS.get(town, 0))]
    audit_path = towns_db.parent / "accounts.sqlite3"
    at = as_user(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120), role, town, name)
    at.run()
    built = {}
    for spec in visible(find_role(role)):
        at.query_params.clear()  # as a sidebar link opens a page: without the last page's filters
        with deferred_downloads() as found:
            at.switch_page(spec.path).run()
        assert not at.exception, (spec.title, at.exception)
        for file_name, function in found.items():
            if file_name.endswith((".pdf", ".zip")):
                continue  # the same slides as the PPTX, the same reports as the .docx (the browser
                # test downloads a PDF; tests/test_word_report.py builds every report)
            before = len(accounts.audit_log(audit_path))
            content = build_outside(function)
            text = _cells(file_name, content)
            assert "导出失败" not in text, (spec.title, file_name, text[:300])
            if "模板" in file_name or "示例规划" in file_name or "_第" in file_name:
                continue  # the plan templates and examples hold no enterprise data: not audited
            assert len(accounts.audit_log(audit_path)) == before + 1, (spec.title, file_name)
            last = accounts.audit_log(audit_path, limit=1).iloc[0]
            action = {".pptx": "导出汇报材料", ".docx": "导出分析报告"}.get(
                file_name[file_name.rfind(".") :], "导出 Excel"
            )
            assert (last["actor"], last["action"]) == (name, action), (spec.title, file_name)
            built[file_name] = text
    texts = "\n".join(built.values())
    assert any(name.startswith("亩均评价企业清单") for name in built)
    assert any(name.startswith("亩均评价档次变化") for name in built)
    assert any(name.endswith(".pptx") for name in built)
    reports = [name for name in built if name.endswith(".docx")]
    assert reports == [f"{town or '定海区'}2024年制造业规划实施情况分析报告.docx"]
    if town is None:
        assert all(firm in texts for firm in others), "a full-rights user's lists name every firm"
    else:
        assert not [firm for firm in others if firm in texts]
        listed = next(text for name, text in built.items() if name.startswith("亩均评价企业清单"))
        assert all(firm in listed for firm in own), listed


@pytest.mark.parametrize(("role", "town"), [("镇街", "金塘镇"), ("科室", None)])
def test_a_one_firm_towns_figures_are_withheld_from_another_towns_user(
    towns_db, monkeypatch, role, town
):
    """干览镇 has one firm: its "town" 亩均税收 is that firm's own (120 万元 ÷ 20 亩 = 6 万元/亩). A
    金塘镇 user sees "—（企业数少于3家，不公开）" in its place; 岑港街道 (3 firms) and their own town are
    shown; a 科室 user, who may see every firm, sees the figure."""
    from plantrack.model.roles import SMALL_CELL_TEXT
    from tests.apptest import open_page, traces

    monkeypatch.setenv("PLANTRACK_DB", str(towns_db))
    at = as_user(AppTest.from_file(str(ROOT / "app.py"), default_timeout=90), role, town)
    at.run()
    open_page(at, "pages/towns.py")
    bars = traces(at, "towns_mu_tax")[0]
    by_town = dict(zip(bars["x"], zip(bars["y"], bars["text"], strict=True), strict=True))
    # 岑港街道: taxes 110, 160, 210 on 20, 30, 40 亩 → 480 ÷ 90; 金塘镇: 100+150+200+250 ÷ 20+…+50
    assert by_town["岑港街道"][1] == f"{480 / 90:.2f}"
    assert by_town["金塘镇"][1] == f"{700 / 140:.2f}"
    captions = " ".join(caption.value for caption in at.caption)
    if town is None:
        assert by_town["干览镇"][1] == "6.00" and SMALL_CELL_TEXT not in captions
    else:
        assert by_town["干览镇"] == (0, SMALL_CELL_TEXT)
        assert "干览镇" in captions and "企业数少于3家，不公开" in captions


def test_a_town_users_low_efficiency_heading_names_its_town_once(towns_db, monkeypatch):
    from tests.apptest import open_page

    monkeypatch.setenv("PLANTRACK_DB", str(towns_db))
    at = as_user(AppTest.from_file(str(ROOT / "app.py"), default_timeout=90), "镇街", "金塘镇")
    at.run()
    open_page(at, "pages/evaluation.py")
    headings = [md.value for md in at.markdown if "参评企业中亩均税收低于" in md.value]
    assert len(headings) == 1 and "2024年金塘镇参评企业中" in headings[0], headings
    assert "金塘镇金塘镇" not in headings[0]
