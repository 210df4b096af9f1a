"""Every malformed file in tests/corpus/bad is rejected with the expected Chinese message, and the
database is unchanged; the messy-but-valid files in tests/corpus/good import correctly."""

import hashlib
import re
import shutil
import tomllib
from pathlib import Path

import duckdb
import pytest

from plantrack.__main__ import main
from plantrack.engine import grading
from plantrack.ingest import write
from plantrack.store import derived

CORPUS = Path(__file__).resolve().parent / "corpus"
EXPECTED = tomllib.loads((CORPUS / "expected.toml").read_text(encoding="utf-8"))
ENTERPRISE_FILE = CORPUS / "good" / "企业年度数据_2024_标题行与合计行.xlsx"


def fingerprint(path: Path) -> dict:
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [
            row[0]
            for row in con.execute("select table_name from information_schema.tables").fetchall()
        ]
        return {
            table: con.execute(
                f"select count(*), coalesce(sum(hash(t)), 0) from {table} as t"
            ).fetchone()
            for table in sorted(tables)
        }


@pytest.fixture(scope="module")
def base_db(tmp_path_factory, config):
    path = tmp_path_factory.mktemp("import") / "real.duckdb"
    report = write.import_file(ENTERPRISE_FILE, path, config)
    assert report.ok and report.written, report.lines()
    return path


@pytest.fixture
def real_db(base_db, tmp_path):
    path = tmp_path / "real.duckdb"
    shutil.copyfile(base_db, path)
    shutil.copytree(base_db.parent / "archive", tmp_path / "archive")
    return path


def test_corpus_is_big_enough():
    assert len(EXPECTED) >= 30
    assert {p.name for p in (CORPUS / "bad").iterdir()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_is_rejected_and_nothing_written(name, real_db, config):
    before_bytes = hashlib.sha256(real_db.read_bytes()).hexdigest()
    before = fingerprint(real_db)
    report = write.import_file(CORPUS / "bad" / name, real_db, config)
    text = "\n".join(report.lines())
    assert not report.ok, text
    assert not report.written
    for part in EXPECTED[name]:
        assert part in text, f"{name}: 「{part}」 not in\n{text}"
    assert text.startswith(f"文件：{name}")
    assert fingerprint(real_db) == before
    assert hashlib.sha256(real_db.read_bytes()).hexdigest() == before_bytes
    assert not (real_db.parent / "archive").exists() or not any(
        name in p.name for p in (real_db.parent / "archive").iterdir()
    )


def test_cli_exit_code_2_on_a_rejected_file(real_db, capsys):
    assert main(["import", str(CORPUS / "bad" / "用地为负.xlsx"), "--db", str(real_db)]) == 2
    out = capsys.readouterr().out
    assert "第4行" in out and "不能为负数" in out


def test_messy_excel_is_read_with_units_converted(base_db):
    with duckdb.connect(str(base_db), read_only=True) as con:
        rows = con.execute(
            "select credit_code, land_mu, tax_wan, rd_wan, official_grade, above_scale from enterprise_years order by credit_code"
        ).fetchall()
        names = dict(con.execute("select credit_code, name from enterprises").fetchall())
    assert len(rows) == 4  # blank and 合计 rows skipped
    by_code = {row[0]: row for row in rows}
    first = next(row for row in rows if names[row[0]] == "舟山测试螺杆有限公司")
    assert first[1] == pytest.approx(30, rel=1e-3)  # 平方米 → 亩
    assert first[2] == pytest.approx(360)  # 元 → 万元
    assert first[4] == "B"  # "B类"
    fish = next(row for row in by_code.values() if names[row[0]] == "舟山测试水产有限公司")
    assert fish[3] is None  # "—" is missing
    assert fish[4] == "不参评" and fish[5] is False


def test_gbk_csv_reads_the_same_values(real_db, config):
    report = write.import_file(CORPUS / "good" / "企业年度数据_2024_GBK.csv", real_db, config)
    assert report.ok, report.lines()
    assert report.added == 0  # same enterprise-years as the Excel file
    assert report.unchanged + report.replaced == 4


def test_other_kinds_import(real_db, config):
    for name in ["荣誉认定_2024.xlsx", "申报记录_2024.xlsx", "上报指标_2024.csv"]:
        report = write.import_file(CORPUS / "good" / name, real_db, config)
        assert report.ok and report.written, report.lines()
    with duckdb.connect(str(real_db), read_only=True) as con:
        assert con.execute("select count(*) from awards").fetchone()[0] == 2
        assert con.execute("select stage from applications").fetchone()[0] == "认定"
        metric = con.execute(
            "select metric from indicators where jurisdiction = '慈溪市'"
        ).fetchone()[0]
        assert metric == "mu_tax_above_scale"  # label mapped to the metric id


def test_honours_leave_the_derived_tables_alone(real_db, config, monkeypatch):
    stored = []
    monkeypatch.setattr(derived, "store", lambda con, config: stored.append(True))
    report = write.import_file(CORPUS / "good" / "荣誉认定_2024.xlsx", real_db, config)
    assert report.ok and report.written and stored == []
    report = write.import_file(
        ENTERPRISE_FILE.with_name("企业年度数据_2024_GBK.csv"), real_db, config
    )
    assert report.ok and stored == [True]


def test_reimport_is_a_no_op(real_db, config):
    before = fingerprint(real_db)
    report = write.import_file(ENTERPRISE_FILE, real_db, config)
    assert report.ok and not report.written
    assert "已于" in report.message and "未作改动" in report.message
    assert fingerprint(real_db) == before


def test_newer_data_replaces_and_undo_restores(real_db, config, tmp_path):
    before = fingerprint(real_db)
    newer = tmp_path / "更正.csv"
    newer.write_text(
        "统一社会信用代码,企业名称,所属镇街,所属行业,年度,是否规上,用地面积（亩）,税收实际贡献（万元）\n"
        + (ENTERPRISE_FILE and _first_code(real_db))
        + ",舟山测试螺杆有限公司,金塘镇,机械制造,2024,是,30,999\n",
        encoding="utf-8",
    )
    report = write.import_file(newer, real_db, config)
    assert report.ok and report.replaced == 1, report.lines()
    with duckdb.connect(str(real_db), read_only=True) as con:
        tax, value_added = con.execute(
            "select tax_wan, value_added_wan from enterprise_years where credit_code = ?",
            [_first_code(real_db)],
        ).fetchone()
        ledger = con.execute(
            "select file_name, sha256, imported_by, outcome from imports order by import_id"
        ).fetchall()
    assert tax == 999
    assert value_added == 2100  # a column the file does not carry keeps its value
    with duckdb.connect(str(real_db), read_only=True) as con:  # grades follow the new figures
        assert derived.is_current(con, config)
        stored = con.execute(
            "select score from grades where credit_code = ? and year = 2024", [_first_code(real_db)]
        ).fetchone()[0]
        now = grading.grade(con, config.grading).set_index(["credit_code", "year"])
        assert stored == now.loc[(_first_code(real_db), 2024), "score"]
    assert ledger[-1][0] == "更正.csv" and len(ledger[-1][1]) == 64 and ledger[-1][3] == "成功"
    write.undo(report.import_id, real_db, config)
    assert fingerprint(real_db)["enterprise_years"] == before["enterprise_years"]


def _first_code(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(
            "select credit_code from enterprises where name = '舟山测试螺杆有限公司'"
        ).fetchone()[0]


def test_only_the_latest_import_can_be_undone(real_db, config):
    write.import_file(CORPUS / "good" / "荣誉认定_2024.xlsx", real_db, config)
    with pytest.raises(ValueError, match="只能撤销最近一次"):
        write.undo(1, real_db, config)


def test_rebuild_from_the_archive_alone(real_db, config, tmp_path):
    for name in ["荣誉认定_2024.xlsx", "上报指标_2024.csv"]:
        write.import_file(CORPUS / "good" / name, real_db, config)
    rebuilt = tmp_path / "rebuilt.duckdb"
    reports = write.rebuild(real_db.parent / "archive", rebuilt, config)
    assert all(report.ok for report in reports)
    original, copy = fingerprint(real_db), fingerprint(rebuilt)
    for table in ["enterprises", "enterprise_years", "awards", "indicators"]:
        assert original[table] == copy[table], table


def test_import_into_a_missing_path_creates_an_empty_warehouse(tmp_path, config):
    path = tmp_path / "new" / "warehouse.duckdb"
    report = write.import_file(CORPUS / "good" / "企业年度数据_2024_GBK.csv", path, config)
    assert report.ok and path.exists()
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("select count(*) from enterprises").fetchone()[0] == 4
        assert con.execute("select value from meta where key = 'data_kind'").fetchone()[0] == "real"


def test_demo_data_is_never_mixed_with_real_data(demo_db, tmp_path, config):
    copy = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, copy)
    report = write.import_file(ENTERPRISE_FILE, copy, config)
    assert not report.ok and "示例数据" in report.lines()[-1]
    replaced = write.import_file(ENTERPRISE_FILE, copy, config, replace_demo=True)
    assert replaced.ok
    with duckdb.connect(str(copy), read_only=True) as con:
        assert con.execute("select count(*) from enterprises").fetchone()[0] == 4


def test_templates_round_trip(tmp_path, config):
    from plantrack.model.kinds import KINDS

    for key in KINDS:
        path = tmp_path / f"{key}.xlsx"
        assert main(["template", key, "--out", str(path)]) == 0
        report = write.import_file(path, tmp_path / f"{key}.duckdb", config, kind=key, dry_run=True)
        problems = [p.reason for p in report.problems]
        # the example row is valid; awards/applications need the enterprise in the warehouse first
        assert report.ok or problems == ["数据库中没有该企业，请先导入其企业年度数据"], (
            report.lines()
        )


def test_explicit_kind_that_does_not_match(real_db, config):
    report = write.import_file(ENTERPRISE_FILE, real_db, config, kind="awards")
    text = "\n".join(report.lines())
    assert not report.ok and "缺少必填列" in text and "荣誉名称" in text


# Files that used to be imported wrong without a word (issue 13), now read right: each gives the
# figures of make_corpus.ROWS, in the warehouse's units.
VARIANTS = {
    "企业年度数据_2024_标题下写金额单位.xlsx": "金额单位：元",  # title line: money in 元
    "企业年度数据_2024_分组单元格写单位.xlsx": "经济效益（单位：元）",  # group cell, two-row header
    "企业年度数据_2024_两行表头.xlsx": None,  # identity columns merged down over two rows
    "企业年度数据_2024_旧格式.xls": None,  # .xls from an older system
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variants_read_the_same_figures(name, tmp_path, config):
    from tests.corpus.make_corpus import HEADER, ROWS

    path = tmp_path / "fresh.duckdb"
    report = write.import_file(CORPUS / "good" / name, path, config)
    assert report.ok and report.written, report.lines()
    assert report.sheet == "Sheet1" and "工作表「Sheet1」" in report.lines()[0]
    stated = VARIANTS[name]
    assert [stated in note for note in report.notes] == ([True] if stated else [])
    fields = ["land_mu", "tax_wan", "value_added_wan", "revenue_wan", "rd_wan", "employees"]
    columns = [HEADER.index(h) for h in HEADER if h.split("（")[0] in (
        "用地面积", "税收实际贡献", "工业增加值", "营业收入", "研发经费支出", "年平均职工人数")]  # fmt: skip
    with duckdb.connect(str(path), read_only=True) as con:
        got = {
            row[0]: list(row[1:])
            for row in con.execute(
                f"select credit_code, {', '.join(fields)} from enterprise_years"
            ).fetchall()
        }
        names = dict(con.execute("select credit_code, name from enterprises").fetchall())
    assert set(got) == {row[0] for row in ROWS}
    for row in ROWS:
        assert got[row[0]] == pytest.approx([row[i] for i in columns], nan_ok=True), row[1]
        assert names[row[0]] == row[1]


def test_two_sheets_like_data_read_the_one_chosen(real_db, config):
    name = CORPUS / "bad" / "两个工作表都像数据.xlsx"
    report = write.import_file(name, real_db, config, sheet="2023年（修订）")
    assert report.ok and report.sheet == "2023年（修订）", report.lines()
    assert "工作表「2023年（修订）」" in report.lines()[0]
    with duckdb.connect(str(real_db), read_only=True) as con:
        assert con.execute(
            "select tax_wan from enterprise_years where credit_code = ?", [_first_code(real_db)]
        ).fetchone() == (365,)
    unknown = write.import_file(name, real_db, config, sheet="2024年")
    assert "没有名为「2024年」的工作表" in "\n".join(unknown.lines())


def test_cli_reads_the_chosen_sheet(real_db, capsys):
    name = str(CORPUS / "bad" / "两个工作表都像数据.xlsx")
    assert main(["import", name, "--db", str(real_db), "--dry-run"]) == 2
    assert main(["import", name, "--db", str(real_db), "--dry-run", "--sheet", "2023年"]) == 0
    assert "工作表「2023年」" in capsys.readouterr().out


def _rows_csv(path: Path, change) -> Path:
    """The corpus's enterprise-years as a CSV, with `change(rows)` applied (rows include the header)."""
    from tests.corpus.make_corpus import HEADER, ROWS, csv_bytes

    rows = [list(HEADER)] + [list(row) for row in ROWS]
    change(rows)
    path.write_bytes(csv_bytes(rows))
    return path


def _cell(path: Path, sql: str, *params):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, list(params)).fetchone()[0]


def _baseline(real_db, config, tmp_path) -> None:
    """The corpus rows exactly as the CSVs below carry them (the messy xlsx rounds 平方米 to 亩)."""
    report = write.import_file(_rows_csv(tmp_path / "基准.csv", lambda rows: None), real_db, config)
    assert report.ok and report.written, report.lines()


def test_a_number_that_becomes_empty_is_a_change_and_undo_restores_it(real_db, config, tmp_path):
    _baseline(real_db, config, tmp_path)
    code = _first_code(real_db)
    before = fingerprint(real_db)
    assert _cell(real_db, "select rd_wan from enterprise_years where credit_code = ?", code) == 160

    def empty_rd(rows):
        rows[1][rows[0].index("研发经费支出（万元）")] = None

    report = write.import_file(_rows_csv(tmp_path / "研发为空.csv", empty_rd), real_db, config)
    assert report.ok and report.written, report.lines()
    assert (report.replaced, report.unchanged, report.changed_cells) == (1, 3, 1)
    assert "企业年度数据改动 1 个单元格" in report.message
    assert _cell(real_db, "select rd_wan from enterprise_years where credit_code = ?", code) is None
    write.undo(report.import_id, real_db, config)
    assert _cell(real_db, "select rd_wan from enterprise_years where credit_code = ?", code) == 160
    assert fingerprint(real_db)["enterprise_years"] == before["enterprise_years"]


def test_renamed_enterprises_are_counted_reported_and_undone(real_db, config, tmp_path):
    _baseline(real_db, config, tmp_path)
    code = _first_code(real_db)
    before = fingerprint(real_db)

    def rename(rows):
        rows[1][1] = "舟山测试螺杆股份有限公司"

    report = write.import_file(_rows_csv(tmp_path / "更名.csv", rename), real_db, config)
    assert report.ok and report.written, report.lines()
    assert report.renamed == [("舟山测试螺杆有限公司", "舟山测试螺杆股份有限公司")]
    assert "更名 1 家：舟山测试螺杆有限公司→舟山测试螺杆股份有限公司" in report.message
    assert "企业信息改动 1 个单元格" in report.message
    detail = _cell(real_db, "select detail from imports where import_id = ?", report.import_id)
    assert "舟山测试螺杆有限公司→舟山测试螺杆股份有限公司" in detail
    name = "select name from enterprises where credit_code = ?"
    assert _cell(real_db, name, code) == "舟山测试螺杆股份有限公司"
    write.undo(report.import_id, real_db, config)
    assert _cell(real_db, name, code) == "舟山测试螺杆有限公司"
    assert fingerprint(real_db)["enterprises"] == before["enterprises"]


def test_a_sheet_repeating_the_header_without_rows_is_not_a_second_candidate(tmp_path, config):
    from tests.corpus.make_corpus import HEADER, ROWS, grid

    path = tmp_path / "带填报说明.xlsx"
    grid(path, {"填报说明": [["请按下列表头填报："], HEADER], "数据": [HEADER] + ROWS})
    report = write.import_file(path, tmp_path / "x.duckdb", config, dry_run=True)
    assert report.ok and report.sheet == "数据", report.lines()


def test_cells_without_a_position_count_towards_the_bound(tmp_path, config, monkeypatch):
    from plantrack.ingest import read
    from tests.corpus.make_corpus import HEADER, ROWS, _rewrite, xlsx

    path = tmp_path / "无位置.xlsx"
    xlsx(path, [HEADER] + ROWS * 40)
    _rewrite(
        path, lambda xml: re.sub(rb' r="[A-Z]+[0-9]+"', b"", re.sub(rb'<row r="\d+"', b"<row", xml))
    )
    read_whole = write.import_file(path, tmp_path / "x.duckdb", config, dry_run=True)
    assert "文件过大" not in "\n".join(read_whole.lines())  # under the usual bound it is read
    monkeypatch.setattr(read, "MAX_SHEET_CELLS", 13 * 100)  # 161 rows × 13 cells is over it
    report = write.import_file(path, tmp_path / "x.duckdb", config, dry_run=True)
    assert "数据区域超过 1,300 个单元格" in "\n".join(report.lines())
