"""The reports as files: the district's, one town's, or the district's and every quota town's at once."""

from __future__ import annotations

import plotly.graph_objects as go

from plantrack.engine import progress
from plantrack.model.targets import Config
from plantrack.report import images
from plantrack.report.charts import footer_line
from plantrack.report.excel import safe_filename
from plantrack.report.word import content, document
from plantrack.store.db import Connection


def _drawer(report: content.Report):
    """Charts as PNG for the report: 300 dpi at the text width, laid out as every export is (legend
    below the title, labels never cut, the footer line)."""
    footer = footer_line(report.as_of, report.demo)

    def png(fig: go.Figure, width: int, height: int) -> bytes:
        return images.render(
            fig, "png", width=width, height=height, scale=content.CHART_SCALE, footer=footer
        )

    return png


def report_file(
    con: Connection, config: Config, as_of: int, town: str | None = None, evaluated=None
) -> tuple[str, bytes]:
    """(file name, .docx bytes) of the district's report, or of `town`'s."""
    report = content.build(con, config, as_of, town, evaluated)
    return f"{safe_filename(report.file_stem)}.docx", document.to_docx(report, _drawer(report))


def all_reports(con: Connection, config: Config, as_of: int) -> dict[str, bytes]:
    """The district's report and one per town with a 三大工厂 quota, by file name."""
    evaluated = progress.evaluate(con, config, as_of)  # once, for the district and every town
    files = dict([report_file(con, config, as_of, None, evaluated)])
    for town in content.quota_towns(con, config, as_of):
        name, data = report_file(con, config, as_of, town, evaluated)
        files[name] = data
    return files


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """Several reports in one .zip (file names in UTF-8, as Windows' own unzip reads them)."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()
