"""The layout's rules, checked on the source: who may import DuckDB and Streamlit, which way the
packages of plantrack/ may depend on each other, and no import circle. Every import counts, also one
inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from plantrack.settings import ROOT

# plantrack's packages, and which of them each may import (besides itself and plantrack.settings)
MAY_IMPORT = {
    "model": set(),
    "store": {"model"},
    "engine": {"model", "store"},
    "report": {"model", "store", "engine"},
    "ingest": {"model", "store", "engine", "report"},
    "app": {"model", "store", "engine", "report", "ingest"},
    "cli": {
        "model",
        "store",
        "engine",
        "report",
        "ingest",
    },  # the commands; the dashboard's app/ aside
}
PAGE_FILES = ["app.py", *sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))]


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # `from plantrack.store import db` imports the module plantrack.store.db
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


SOURCES = {_module_name(p): p for p in sorted((ROOT / "plantrack").rglob("*.py"))}
IMPORTS = {name: _imports(path) for name, path in SOURCES.items()}


def _package(module: str) -> str | None:
    parts = module.split(".")
    in_package = len(parts) > 2 and parts[0] == "plantrack" and parts[1] in MAY_IMPORT
    return parts[1] if in_package else None


def _uses(imports: set[str], library: str) -> bool:
    return any(name == library or name.startswith(library + ".") for name in imports)


def test_duckdb_only_in_store():
    users = [name for name, imports in IMPORTS.items() if _uses(imports, "duckdb")]
    assert users and all(_package(name) == "store" for name in users), users
    for page in PAGE_FILES:
        assert not _uses(_imports(ROOT / page), "duckdb"), page


def test_streamlit_only_in_the_app_adapter():
    users = [name for name, imports in IMPORTS.items() if _uses(imports, "streamlit")]
    assert users and all(_package(name) == "app" for name in users), users


@pytest.mark.parametrize("module", sorted(SOURCES))
def test_packages_depend_one_way(module):
    own = _package(module)
    if own is None:  # plantrack/__init__, settings, __main__ (the CLI, at the top)
        if module == "plantrack.settings":
            assert not any(n.startswith("plantrack.") for n in IMPORTS[module]), IMPORTS[module]
        return
    allowed = MAY_IMPORT[own] | {own}
    for name in IMPORTS[module]:
        target = _package(name)
        if name.startswith("plantrack.") and target is not None:
            assert target in allowed, (
                f"{module} imports {name}: {own}/ may import {sorted(allowed)}"
            )


def test_product_never_imports_the_benchmark():
    for name, imports in IMPORTS.items():
        assert not _uses(imports, "bench"), name


def test_no_import_circle():
    graph = {
        name: {target for target in imports if target in SOURCES and target != name}
        for name, imports in IMPORTS.items()
    }
    # a package's __init__ is imported on the way to its modules: not an edge of its own
    graph = {
        name: {t for t in targets if not name.startswith(t + ".")}
        for name, targets in graph.items()
    }
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                raise AssertionError(" → ".join([*path[path.index(target) :], target]))
            if target not in state:
                visit(target, [*path, target])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])


def test_no_flat_module_left_behind():
    flat = sorted(p.name for p in (ROOT / "plantrack").glob("*.py"))
    assert flat == ["__init__.py", "__main__.py", "settings.py"]


# Pages read as ruff formats them (one argument a line where a call is long; no `# fmt: skip` packing):
# a simple page is under 90 lines, the densest (亩均评价: filters, table, two charts, scatter, moves,
# low-efficiency list) about 130.
PAGE_LINES = 135


@pytest.mark.parametrize("page", PAGE_FILES)
def test_pages_are_short(page):
    lines = len((ROOT / page).read_text(encoding="utf-8").splitlines())
    assert lines <= PAGE_LINES, f"{page}: {lines} lines; move reusable parts into plantrack/app/"


def test_code_is_formatted_not_packed():
    """`# fmt: skip` packs code to dodge the formatter (and the page-length rule): a few data tables
    at most."""
    packed = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in [
            *(ROOT / "plantrack").rglob("*.py"),
            *(ROOT / "pages").glob("*.py"),
            ROOT / "app.py",
        ]
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if line.rstrip().endswith("# fmt: skip")
    ]
    assert len(packed) <= 5, packed


@pytest.mark.parametrize("path", sorted((ROOT / "queries").rglob("*.sql")), ids=lambda p: p.stem)
def test_no_pass_through_or_shadowing_cte(path):
    """A CTE does a step of its own, and never hides a table behind a filtered copy of the same name."""
    import re

    sql = path.read_text(encoding="utf-8")
    for match in re.finditer(r"^(\w+) as \((.*?)^\)", sql, re.S | re.M):
        name, body = match.groups()
        assert not re.search(rf"\b(from|join)\s+{name}\b", body), f"{name} shadows the table {name}"
        assert not re.fullmatch(r"\s*select \* from \w+\s*", body), f"{name} only passes rows on"


def test_modules_warmed_before_the_runtime_define_no_cached_function():
    """serve.warm_up imports LIBRARY_MODULES before Streamlit's runtime exists: none may define a
    cached function (each would log "No runtime found"), so none is in plantrack/app/."""
    from plantrack.app import serve

    defining = {
        _module_name(path)
        for path in (ROOT / "plantrack" / "app").glob("*.py")
        if "\n@st.cache_" in path.read_text(encoding="utf-8")
    }
    assert defining <= set(serve.APP_MODULES)
    assert not [m for m in serve.LIBRARY_MODULES if _package(m) == "app"]


def test_server_warm_up_names_modules_that_exist():
    from plantrack.app import serve

    serve.warm_imports()  # an unknown module name raises
    serve.warm_imports(serve.APP_MODULES)


# Each per-enterprise ratio and each region ratio of totals is written once, in queries/staging/ratios.sql
# (the first pattern is the repository's pre-commit check on 亩均税收; the others the same for every ratio).
RATIO_FORMULAS = {
    "亩均税收": r"tax_wan\)?\s*/\s*(nullif\()?\s*(sum\()?[a-z_.]*land",
    "亩均增加值": r"value_added_wan\)?\s*/\s*(nullif\()?\s*(sum\()?[a-z_.]*land",
    "亩均营收": r"revenue_wan\)?\s*/\s*(nullif\()?\s*(sum\()?[a-z_.]*land",
    "单位能耗增加值": r"value_added_wan\)?\s*/\s*(nullif\()?\s*(sum\()?[a-z_.]*energy",
    "单位排放增加值": r"value_added_wan\)?\s*/\s*(nullif\()?\s*(sum\()?[a-z_.]*emission",
    "劳动生产率": r"value_added_wan\)?\s*/\s*(nullif\()?\s*(sum\()?[a-z_.]*employees",
    "R&D占比": r"rd_wan\)?\s*/\s*(nullif\()?\s*(sum\()?[a-z_.]*revenue",
    "单位电耗税收": r"tax_wan\)?\s*/\s*(nullif\()?\s*(sum\()?[a-z_.]*electricity",
    "单位增加值能耗": r"energy_tce\)?\s*/\s*(nullif\()?\s*(sum\()?[a-z_.]*value_added",
    "增加值率": r"value_added_wan\)?\s*/\s*(nullif\()?\s*(sum\()?[a-z_.]*output",
}


@pytest.mark.parametrize("ratio", sorted(RATIO_FORMULAS))
def test_each_ratio_is_written_in_one_sql_file(ratio):
    import re

    pattern = re.compile(RATIO_FORMULAS[ratio])
    files = sorted(
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "queries").rglob("*.sql")
        if pattern.search(path.read_text(encoding="utf-8"))
    )
    assert set(files) <= {"queries/staging/ratios.sql"}, files


def test_staging_macros_are_defined_once_and_used():
    import re

    sql = {
        path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
        for path in (ROOT / "queries").rglob("*.sql")
    }
    defined = [
        (name, file)
        for file, text in sql.items()
        for name in re.findall(r"create or replace macro (\w+)", text)
    ]
    names = [name for name, _ in defined]
    assert len(names) == len(set(names)), defined
    assert all(file.startswith("queries/staging/") for _, file in defined), defined
    everything = "\n".join(sql.values())
    for name in names:
        calls = len(re.findall(rf"\b{name}\(", everything)) - 1  # less its own definition
        assert calls > 0, f"macro {name} is defined but never used"


def test_pages_restate_no_label_or_unit_of_the_catalogue(config):
    """Labels and units come from targets.toml (metric catalogue, grading method), not from pages: no
    string in a page is a catalogue label or unit, and none contains a metric's full label."""
    metric_labels = {metric.label for metric in config.metrics.values()}
    short_labels = {item.label for item in config.grading.indicators}
    units = {metric.unit for metric in config.metrics.values()} | {
        item.unit for item in config.grading.indicators
    }
    for page in PAGE_FILES:
        tree = ast.parse((ROOT / page).read_text(encoding="utf-8"))
        in_fstrings = {
            id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
            for part in node.values
        }  # fmt: skip
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            text = node.value
            assert not any(label in text for label in metric_labels), (page, node.lineno, text)
            if id(node) not in in_fstrings:
                assert text not in short_labels | units, (page, node.lineno, text)


def test_every_workbook_is_opened_with_the_safe_options():
    """One place sets how a workbook writes values (text stays text, ±inf never fails):
    plantrack.report.excel.safe_workbook; no other module opens an xlsxwriter workbook itself."""
    opened = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "plantrack").rglob("*.py")
        if "xlsxwriter.Workbook(" in path.read_text(encoding="utf-8")
    ]
    assert opened == ["plantrack/report/excel.py"]
