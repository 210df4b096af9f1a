"""Issue 29's halving, measured as a shared machine allows: the pages as they were when the issue was
filed and as they are now, served at once and run in alternating batches.

This machine's speed drifts by 10–30 % from minute to minute (the same page, same code, measured
16.7 ms in one bench and 21.0 ms in the next). A page's CPU per run, compared with a figure measured
on another day, says as much about the machine as about the page. Here both versions are measured in
the same minutes, so the drift hits both alike, and the ratio new ÷ old is what the issue asks for.

The old code is BASELINE, the commit whose bench measured 33 / 19 / 29 / 15 / 38 ms (its
bench/results.json). It is taken from git history (`git archive`, no worktree) and runs in this venv,
each version on the demo database its own generator makes. This needs the history, so a shallow clone
has none. Then `paired` returns None and the bench judges the absolute figures instead.
"""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import sys
import tarfile
from pathlib import Path

from plantrack.settings import DEMO_GENERATOR_VERSION, ROOT

BASELINE = "745c14715429552ea81a0fe5fd60ed95efb6d0ad"  # README bench of 2026-12-07 03:49
PAIRS = 10  # alternating batches per page …
RUNS = 30  # … of this many warm runs each


def source(work_dir: Path) -> Path | None:
    """BASELINE's files under `work_dir`, extracted once; None without the history."""
    root = work_dir / f"baseline-{BASELINE[:7]}"
    if (root / "app.py").exists():
        return root
    archived = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", BASELINE],
        capture_output=True,
        check=False,
    )
    if archived.returncode != 0:
        return None
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archived.stdout)) as archive:
        archive.extractall(root, filter="data")
    return root


def _demo(root: Path, path: Path) -> Path:
    """The demo database of the code at `root`, made by its own generator (kept in `path`, named by
    the generator's version)."""
    if not path.exists():
        subprocess.run(
            [sys.executable, "-m", "plantrack", "demo", "--db", str(path)],
            cwd=root,
            env={**os.environ, "PYTHONPATH": str(root)},
            capture_output=True,
            check=True,
            timeout=600,
        )
    return path


def paired(work_dir: Path, pages: dict[str, str], pairs: int = PAIRS, runs: int = RUNS):
    """Each page (title → URL path): the server CPU per run of the old and the new code, in `pairs`
    alternating batches of `runs` warm runs (which goes first alternates too). Returns per title the
    medians and the median of the pairs' ratios new ÷ old, or None without the old code."""
    from bench import concurrency

    old_root = source(work_dir)
    if old_root is None:
        return None
    old_db = _demo(old_root, work_dir / f"baseline-{BASELINE[:7]}.duckdb")
    new_db = _demo(ROOT, work_dir / f"baseline-now-{DEMO_GENERATOR_VERSION}.duckdb")
    out: dict = {"baseline": BASELINE, "pairs": pairs, "runs": runs, "pages": {}}
    with (
        concurrency.server(old_db, root=old_root) as (old_url, old_pid),
        concurrency.server(new_db) as (new_url, new_pid),
        concurrency._connect(old_url) as old_ws,
        concurrency._connect(new_url) as new_ws,
    ):
        sides = {"old": (old_ws, old_pid), "new": (new_ws, new_pid)}
        for title, page in pages.items():
            for ws, _ in sides.values():
                for _ in range(3):  # warm: caches filled, replays recorded
                    concurrency._ask(ws, page)
            measured: dict[str, list[float]] = {"old": [], "new": []}
            for index in range(pairs):
                order = ["old", "new"] if index % 2 == 0 else ["new", "old"]
                for side in order:
                    ws, pid = sides[side]
                    cost = concurrency._runs_cost(ws, pid, page, "", runs)
                    measured[side].append(cost["cpu_ms"])
            ratios = [new / old for new, old in zip(measured["new"], measured["old"], strict=True)]
            out["pages"][title] = {
                "old_ms": round(statistics.median(measured["old"]), 2),
                "new_ms": round(statistics.median(measured["new"]), 2),
                "ratio": round(statistics.median(ratios), 3),
                "ratios": [round(ratio, 3) for ratio in ratios],
            }
    return out
