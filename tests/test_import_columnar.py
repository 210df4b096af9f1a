"""CSV files are read column by column by pyarrow when they are regular, row by row otherwise. Both
readings must give the same rows and the same problems (same rows, columns, values and reasons)."""

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from plantrack.ingest import creditcode, read, validate

CORPUS = Path(__file__).resolve().parent / "corpus"


def _as_csv(path: Path) -> list[tuple[str, bytes]]:
    """The corpus file itself if it is a CSV; each sheet of an xlsx written out as a CSV."""
    data = path.read_bytes()
    if path.suffix == ".csv":
        return [(path.name, data)]
    sheets, problems = read.read_sheets(path, data)
    out = []
    for sheet in sheets:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in sheet.rows:
            writer.writerow(["" if cell is None else cell for cell in row])
        out.append((f"{path.stem}_{sheet.name}.csv", buffer.getvalue().encode("utf-8")))
    return out


CASES = [case for path in sorted(CORPUS.glob("*/*.*")) for case in _as_csv(path)]
MESSY = [
    ("合计与空行.csv", "代码,企业名称\n标题\n".encode()),
    (
        "手写.csv",
        "统一社会信用代码,企业名称,所属镇街,行业,年度,是否规上,用地面积（亩）,税收实际贡献（万元）\n"
        '91330902MA2A0BYA4L,甲,金塘,机械制造,2024,是,"1,234",12%\n'
        "91330902MA2A0BYA4L,甲,金塘,机械制造,2024年,规上,  12 ,－\n"
        "合计,,,,,,1246,\n"
        "注：单位为万元\n".encode(),
    ),
    (
        "数字写法.csv",
        (
            "统一社会信用代码,企业名称,所属镇街,行业,年度,是否规上,用地面积（亩）,税收实际贡献（万元）\n"
            + "".join(
                f"{code},企业{index},金塘镇,机械制造,2024,是,{land},{tax}\n"
                for index, (code, land, tax) in enumerate(
                    zip(
                        [
                            "91330902000000010A",
                            "91330902000000028X",
                            "91330902000000036T",
                            "91330902000000044P",
                            "91330902000000052K",
                            "91330902000000060F",
                        ],
                        ["+5", ".5", "5.", "1e3", "1_000", "7"],
                        ["nan", "inf", "-0", "1e400", "", "3.25"],
                        strict=True,
                    )
                )
            )
        ).encode(),
    ),
    (
        "数字都规整.csv",
        (
            "统一社会信用代码,企业名称,所属镇街,行业,年度,是否规上,用地面积（亩）,税收实际贡献（万元）\n"
            f"{creditcode.make('330902', '00000001')},甲,金塘镇,机械制造,2024,是,12.5,0.75\n"
            f"{creditcode.make('330902', '00000002')},乙,金塘镇,机械制造,2024,否,+3,1e2\n"
        ).encode(),
    ),
]


def _parse(name: str, data: bytes, tmp_path: Path, config, columnar: bool, monkeypatch):
    path = tmp_path / name
    path.write_bytes(data)
    used = []
    real = validate._csv_columns

    def spy(*args):
        result = real(*args) if columnar else None
        used.append(result is not None)
        return result

    monkeypatch.setattr(validate, "_csv_columns", spy)
    parsed, problems = validate.parse(path, data, config, None, set())
    return parsed, [p.text() for p in problems], any(used)


@pytest.mark.parametrize(("name", "data"), CASES + MESSY, ids=[n for n, _ in CASES + MESSY])
def test_columnar_and_row_readings_agree(name, data, tmp_path, config, monkeypatch):
    by_row, row_problems, _ = _parse(name, data, tmp_path, config, False, monkeypatch)
    by_column, column_problems, _ = _parse(name, data, tmp_path, config, True, monkeypatch)
    assert column_problems == row_problems
    assert (by_row is None) == (by_column is None)
    if by_row is not None:
        pd.testing.assert_frame_equal(
            by_column.frame.astype(object).where(by_column.frame.notna(), None),
            by_row.frame.astype(object).where(by_row.frame.notna(), None),
        )


def test_regular_files_take_the_columnar_path(tmp_path, config, monkeypatch):
    taken = [_parse(n, d, tmp_path, config, True, monkeypatch)[2] for n, d in CASES]
    print(f"{sum(taken)} of {len(CASES)} read column by column")
    assert sum(taken) >= len(CASES) // 2


def test_plain_numbers_are_read_and_kept(tmp_path, config, monkeypatch):
    name, data = MESSY[-1]
    parsed, problems, columnar = _parse(name, data, tmp_path, config, True, monkeypatch)
    assert problems == [] and columnar
    assert parsed.frame["land_mu"].tolist() == [12.5, 3.0]
    assert parsed.frame["tax_wan"].tolist() == [0.75, 100.0]
