"""Faults during imports (issue 13): an import killed with kill -9 leaves temporaries that the next
start or import removes; the archive is written atomically and `rebuild` refuses a file whose sha256
does not match the ledger."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from plantrack.ingest import archive, write
from plantrack.settings import ROOT
from tests.test_import_corpus import ENTERPRISE_FILE, fingerprint

CORPUS = Path(__file__).resolve().parent / "corpus"
HONOURS = CORPUS / "good" / "荣誉认定_2024.xlsx"


@pytest.fixture
def real_db(tmp_path, config):
    path = tmp_path / "real.duckdb"
    assert write.import_file(ENTERPRISE_FILE, path, config).ok
    return path


def _killed_import(db_path: Path, source: Path, at: str) -> None:
    """Import `source` in another process that kills itself (SIGKILL) when it reaches `at`."""
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from plantrack.ingest import archive, write
        from plantrack.model import targets
        from plantrack.store import derived

        def die(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)

        if {at!r} == "refresh":
            derived.refresh = die  # inside the import: the copy and the archive file are written
        else:
            archive.promote = die  # the database is replaced, the archive not yet renamed
        write.import_file(Path({str(source)!r}), Path({str(db_path)!r}), targets.load_config())
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()


def _leftovers(db_path: Path) -> list[str]:
    copies = db_path.parent.glob(f".{db_path.name}.import-*")
    partials = archive.archive_dir(db_path).glob(".*.partial")
    return sorted(path.name for path in [*copies, *partials])


def test_kill_during_an_import_leaves_nothing_after_the_next_import(real_db, config):
    before = fingerprint(real_db)
    _killed_import(real_db, HONOURS, "refresh")
    assert fingerprint(real_db) == before  # the data survived
    left = _leftovers(real_db)
    assert any(".import-" in name for name in left) and any(".partial" in n for n in left), left
    report = write.import_file(CORPUS / "good" / "上报指标_2024.csv", real_db, config)
    assert report.ok and report.written
    assert _leftovers(real_db) == []
    # the killed import's file is not in the archive: a rebuild will not replay what never was in
    archived = [p.name for p in archive.archive_dir(real_db).iterdir()]
    assert not any("awards" in name for name in archived), archived


def test_kill_after_the_database_keeps_the_archive_at_the_next_start(real_db, config):
    _killed_import(real_db, HONOURS, "promote")
    with duckdb.connect(str(real_db), read_only=True) as con:
        assert con.execute("select count(*) from awards").fetchone()[0] == 2  # the import is in
    assert [name for name in _leftovers(real_db) if name.endswith(".partial")]
    stale_copy = real_db.parent / f".{real_db.name}.import-999999"
    stale_copy.write_bytes(b"a copy left by a killed import")
    removed = archive.clean_at_start(real_db)
    assert stale_copy in removed and _leftovers(real_db) == []
    archived = [p.name for p in archive.archive_dir(real_db).iterdir()]
    assert len([name for name in archived if "__awards__" in name]) == 1  # renamed, kept
    rebuilt = real_db.with_name("rebuilt.duckdb")
    reports = write.rebuild(archive.archive_dir(real_db), rebuilt, config, ledger=real_db)
    assert [report.ok for report in reports] == [True, True]
    assert fingerprint(rebuilt)["awards"] == fingerprint(real_db)["awards"]


def test_the_ledger_names_the_archive_and_its_checksum(real_db):
    with duckdb.connect(str(real_db), read_only=True) as con:
        sha, detail = con.execute("select sha256, detail from imports").fetchone()
    (archived,) = archive.archive_dir(real_db).iterdir()
    assert sha == hashlib.sha256(ENTERPRISE_FILE.read_bytes()).hexdigest()
    assert archived.name in detail and sha in detail
    assert hashlib.sha256(archived.read_bytes()).hexdigest() == sha


@pytest.mark.parametrize("with_ledger", [True, False])
def test_rebuild_refuses_a_truncated_archive(real_db, config, tmp_path, with_ledger):
    assert write.import_file(HONOURS, real_db, config).ok
    archived = sorted(archive.archive_dir(real_db).iterdir())
    truncated = archived[-1]
    truncated.write_bytes(truncated.read_bytes()[:500])  # as a kill mid-copy used to leave it
    rebuilt = tmp_path / "rebuilt.duckdb"
    reports = write.rebuild(
        archive.archive_dir(real_db), rebuilt, config, ledger=real_db if with_ledger else None
    )
    assert [report.ok for report in reports] == [True, False]
    text = "\n".join(reports[-1].lines())
    assert "存档文件校验失败" in text and truncated.name in text and "未重放" in text
    with duckdb.connect(str(rebuilt), read_only=True) as con:
        assert con.execute("select count(*) from awards").fetchone()[0] == 0


def test_cli_rebuild_finds_the_ledger_beside_the_archive(real_db, config, tmp_path, capsys):
    from plantrack.__main__ import main

    archived = next(archive.archive_dir(real_db).iterdir())
    data = archived.read_bytes()
    archived.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # same length, one bit changed
    code = main(
        [
            "rebuild",
            "--archive",
            str(archive.archive_dir(real_db)),
            "--db",
            str(tmp_path / "n.duckdb"),
        ]
    )
    assert code == 2 and "存档文件校验失败" in capsys.readouterr().out
