"""Readers keep reading while imports run and fail: no reader error, and every read sees either the old
or the new data, never a mix (the import replaces the file atomically)."""

import shutil
import threading
import time
from pathlib import Path

import duckdb
import pytest

from plantrack.ingest import write

CORPUS = Path(__file__).resolve().parent / "corpus"


def _write_version(path: Path, tax: int, rows: int) -> None:
    from plantrack.ingest import creditcode

    lines = [
        "统一社会信用代码,企业名称,所属镇街,所属行业,年度,是否规上,用地面积（亩）,税收实际贡献（万元）"
    ]
    for index in range(rows):
        code = creditcode.make("330902", f"{index:08d}")
        lines.append(f"{code},并发测试{index}有限公司,金塘镇,机械制造,2024,是,10,{tax}")
    path.write_text("\n".join(lines), encoding="utf-8")


def _read(path: Path):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(
            "select count(*), count(distinct tax_wan), min(tax_wan) from enterprise_years"
        ).fetchone()


@pytest.mark.parametrize("rounds", [6])
def test_readers_see_old_or_new_never_a_mix(tmp_path, config, rounds):
    db_path = tmp_path / "warehouse.duckdb"
    first = tmp_path / "v0.csv"
    _write_version(first, tax=100, rows=300)
    assert write.import_file(first, db_path, config).ok

    errors: list[str] = []
    seen: set[tuple] = set()
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            try:
                count, distinct, tax = _read(db_path)
                seen.add((count, distinct, tax))
                if distinct != 1 or count != 300:
                    errors.append(f"mixed read: {count} rows, {distinct} tax values")
            except Exception as exc:  # noqa: BLE001 — any reader error fails the test
                errors.append(repr(exc))

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        for version in range(1, rounds + 1):
            good = tmp_path / f"v{version}.csv"
            _write_version(good, tax=100 + version, rows=300)
            assert write.import_file(good, db_path, config).ok
            failing = tmp_path / "bad.xlsx"
            shutil.copyfile(CORPUS / "bad" / "用地为负.xlsx", failing)
            assert not write.import_file(failing, db_path, config).ok
            time.sleep(0.05)
        time.sleep(0.5)  # let the readers see the last version
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert errors == []
    assert _read(db_path) == (300, 1, 100 + rounds)  # the last import is what a new reader sees
    assert len(seen) >= 2  # readers saw more than one version while imports ran


def test_concurrent_writers_queue_behind_the_lock(tmp_path, config):
    db_path = tmp_path / "warehouse.duckdb"
    files = []
    for version in range(3):
        path = tmp_path / f"w{version}.csv"
        _write_version(path, tax=200 + version, rows=50)
        files.append(path)
    results = []
    threads = [
        threading.Thread(target=lambda p=p: results.append(write.import_file(p, db_path, config)))
        for p in files
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(report.ok for report in results)
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.execute("select count(*) from imports").fetchone()[0] == 3
        assert con.execute("select count(*) from enterprise_years").fetchone()[0] == 50


def test_a_reader_reopening_after_an_import_sees_the_new_data(tmp_path, config):
    from plantrack.store import db

    db_path = tmp_path / "warehouse.duckdb"
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    _write_version(first, tax=100, rows=10)
    _write_version(second, tax=200, rows=10)
    assert write.import_file(first, db_path, config).ok
    old = db.connect_read_only(db_path)
    assert old.execute("select min(tax_wan) from enterprise_years").fetchone()[0] == 100
    assert write.import_file(second, db_path, config).ok
    new = db.connect_read_only(db_path)  # the old connection is still open, as in the app
    assert new.execute("select min(tax_wan) from enterprise_years").fetchone()[0] == 200
    assert old.execute("select min(tax_wan) from enterprise_years").fetchone()[0] == 100
    old.close()
    new.close()
