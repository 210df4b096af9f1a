"""A real-data warehouse for the 总览 tests: the fixture's demo rows relabelled as imported data, then two
imports through the importer (plantrack.ingest.write) that change what leadership reads: two new 洁美工厂
认定 in 金塘镇 (a copy of the warehouse is kept after it), then the latest: three firms of 金塘镇 whose
2025 tax falls to 1 万元/亩 (they become 低效)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb

from plantrack.ingest import demo, write
from plantrack.store import db

YEAR = 2025
TOWN = "金塘镇"
IMPORTER = "测试数据员"


def build(folder: Path, config) -> tuple[Path, dict]:
    """(the database, what the import changed: the codes that become 低效, the newly recognised)."""
    path = folder / "real.duckdb"
    demo.build(path, config, seed=7, enterprises=160)
    with db.writable(path) as con:
        db.set_meta(con, "data_kind", "real")
    with duckdb.connect(str(path), read_only=True) as con:
        firms = con.execute(
            "select y.credit_code, e.name, e.town, e.industry, y.land_mu, y.value_added_wan,"
            " y.revenue_wan, y.rd_wan, y.employees from enterprise_years y"
            " join enterprises e using (credit_code) join grades g using (credit_code, year)"
            " where y.year = ? and e.town = ? and y.above_scale and g.grade in ('A', 'B')"
            " and y.land_mu >= 10 order by y.credit_code limit 3",
            [YEAR, TOWN],
        ).fetchall()
        fresh = con.execute(
            "select e.credit_code, e.name from enterprises e where e.town = ? and e.credit_code"
            " not in (select credit_code from awards where award in ('洁美工厂', '品质工厂', '示范工厂'))"
            " order by e.credit_code limit 2",
            [TOWN],
        ).fetchall()
    years = folder / "企业年度数据_2025_更正.csv"
    with years.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["统一社会信用代码", "企业名称", "所属镇街", "所属行业", "年度", "是否规上",
                      "用地面积（亩）", "税收实际贡献（万元）", "工业增加值（万元）", "营业收入（万元）",
                      "研发经费支出（万元）", "年平均职工人数（人）"])  # fmt: skip
        for code, name, town, industry, land, added, revenue, rd, staff in firms:
            out.writerow([code, name, town, industry, YEAR, "是", land, round(land * 1.0, 2),
                          added, revenue, rd, staff])  # fmt: skip
    awards = folder / "荣誉认定_2025_补充.csv"
    with awards.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["统一社会信用代码", "企业名称", "荣誉名称", "级别", "认定年度"])
        for code, name in fresh:
            out.writerow([code, name, "洁美工厂", "区级", YEAR])
    report = write.import_file(awards, path, config, imported_by=IMPORTER)
    assert report.ok, report.lines()
    after_awards = folder / "after_awards.duckdb"
    shutil.copy2(path, after_awards)
    report = write.import_file(years, path, config, imported_by=IMPORTER)  # the latest import
    assert report.ok, report.lines()
    return path, {
        "after_awards": after_awards,
        "low": {code: name for code, name, *_ in firms},
        "recognised": {code: name for code, name in fresh},
    }
