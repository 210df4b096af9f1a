"""A rejected file comes back as a copy of the user's own workbook, each bad cell marked red with the
problem in a comment (issue 13): for every bad file of the corpus that can be read at all."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
import python_calamine

from plantrack.__main__ import main
from plantrack.ingest import marked, read, write
from tests.test_import_corpus import EXPECTED

CORPUS = Path(__file__).resolve().parent / "corpus"


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _comments(data: bytes) -> dict[str, dict[str, str]]:
    """Sheet name → cell reference → comment text, read from the xlsx's XML."""
    found: dict[str, dict[str, str]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = re.findall(r'<sheet name="([^"]*)"', archive.read("xl/workbook.xml").decode())
        for index, name in enumerate(names, start=1):
            rels = f"xl/worksheets/_rels/sheet{index}.xml.rels"
            if rels not in archive.namelist():
                continue
            target = re.search(r'Target="\.\./(comments\d+\.xml)"', archive.read(rels).decode())
            if not target:
                continue
            xml = archive.read(f"xl/{target.group(1)}").decode()
            found[name] = {
                ref: "".join(re.findall(r"<t[^>]*>([^<]*)</t>", body))
                for ref, body in re.findall(
                    r'<comment ref="([A-Z]+\d+)"[^>]*>(.*?)</comment>', xml, re.S
                )
            }
    return found


def _unescape(text: str) -> str:
    return (
        text.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_problem_is_marked_in_a_copy_of_the_file(name, config, tmp_path):
    path = CORPUS / "bad" / name
    report = write.import_file(path, tmp_path / "empty.duckdb", config, dry_run=True)
    assert report.problems
    data = marked.marked_workbook(name, path.read_bytes(), report.problems)
    sheets, unreadable = read.read_sheets(path, path.read_bytes())
    if unreadable:
        assert data is None  # nothing to copy: the list of problems is all there is
        return
    copy = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert copy.sheet_names[-1] == "问题清单"
    listed = copy.get_sheet_by_name("问题清单").to_python()
    assert len(listed) == len(report.problems) + 1
    assert [row[4] for row in listed[1:]] == [problem.reason for problem in report.problems]
    comments = _comments(data)
    for sheet, data_name in zip(sheets, copy.sheet_names, strict=False):
        original = sheet.all_rows()
        copied = copy.get_sheet_by_name(data_name).to_python(skip_empty_area=False)
        for r, row in enumerate(original):  # the user's own values, where they were
            for c, value in enumerate(row):
                if value not in (None, "") and (r, c) not in sheet.errors:
                    assert copied[r][c] == value, (data_name, r, c)
        for problem in report.problems:
            if problem.sheet == sheet.name and problem.row:
                ref = f"{_column_letters(problem.col or 0)}{problem.row}"
                assert problem.reason in _unescape(comments[data_name][ref]), (ref, problem)


def test_cli_writes_the_marked_workbook(tmp_path, capsys):
    out = tmp_path / "问题.xlsx"
    bad = CORPUS / "bad" / "用地为负.xlsx"
    assert (
        main(["import", str(bad), "--db", str(tmp_path / "x.duckdb"), "--errors-out", str(out)])
        == 2
    )
    assert "已生成标注问题的工作簿" in capsys.readouterr().out
    assert "不能为负数" in _unescape(_comments(out.read_bytes())["Sheet1"]["G4"])
    good = CORPUS / "good" / "上报指标_2024.csv"
    other = tmp_path / "不应生成.xlsx"
    assert (
        main(["import", str(good), "--db", str(tmp_path / "x.duckdb"), "--errors-out", str(other)])
        == 0
    )
    assert not other.exists()
