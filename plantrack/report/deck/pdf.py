"""The briefing as PDF for reading on a phone: HTML printed by Chromium, searchable Chinese text
(WenQuanYi Micro Hei), charts as SVG."""

from __future__ import annotations

import html
import subprocess
import tempfile
from pathlib import Path

from plantrack.report import images
from plantrack.report.deck.slides import Briefing, Slide

PDF_FONT = "WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif"


def _figure(spec: Slide):
    import plotly.graph_objects as go

    from plantrack.report import charts  # noqa: F401 — importing registers the "plantrack" template

    fig = go.Figure()
    for series in spec.series:
        horizontal = spec.kind == "hbar"
        fig.add_bar(
            x=series.values if horizontal else spec.categories,
            y=spec.categories if horizontal else series.values,
            orientation="h" if horizontal else "v",
            name=series.name,
            marker_color=series.point_colors or series.color,
            text=[f"{v:g}%" if spec.unit == "%" else f"{v:g}" for v in series.values],
            textposition="inside" if spec.kind == "stacked" else "outside",
        )
    fig.update_layout(
        template="plantrack",
        barmode="stack" if spec.kind == "stacked" else "group",
        font={"family": PDF_FONT},
        margin={"l": 140 if spec.kind == "hbar" else 60, "r": 30, "t": 40, "b": 60},
    )
    if spec.kind == "hbar":
        fig.update_yaxes(autorange="reversed")
    fig.update_yaxes(title_text=f"（{spec.unit}）") if spec.kind != "hbar" else fig.update_xaxes(
        title_text=f"（{spec.unit}）"
    )
    return fig


def to_html(briefing: Briefing) -> str:
    pages = []
    for spec in briefing.slides:
        if spec.kind == "title":
            body = (
                f"<h1 class='cover'>{html.escape(spec.title)}</h1><p class='sub'>{html.escape(spec.subtitle)}</p>"
                f"<p class='conclusion'>{html.escape(spec.conclusion)}</p>"
            )
        else:
            body = f"<h2>{html.escape(spec.title)}</h2><p class='conclusion'>结论：{html.escape(spec.conclusion)}</p>"
            if spec.kind == "table":
                head = "".join(f"<th>{html.escape(c)}</th>" for c in spec.columns)
                rows = []
                for index, values in enumerate(spec.rows):
                    color = spec.row_colors[index] if spec.row_colors else None
                    cells = "".join(
                        f"<td style='background:{color}'>{html.escape(str(v))}</td>"
                        if color and c == len(values) - 1
                        else f"<td>{html.escape(str(v))}</td>"
                        for c, v in enumerate(values)
                    )
                    rows.append(f"<tr>{cells}</tr>")
                body += (
                    f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
                )
            else:
                svg = images.render(_figure(spec), "svg", width=1100, height=470).decode("utf-8")
                body += f"<div class='chart'>{svg}</div>"
        body += f"<p class='footer'>{html.escape(briefing.footer(spec))}</p>"
        pages.append(f"<section class='page'>{body}</section>")
    style = f"""
    @page {{ size: 297mm 167mm; margin: 8mm 10mm; }}
    body {{ font-family: {PDF_FONT}; color: #222; margin: 0; }}
    .page {{ page-break-after: always; height: 146mm; position: relative; overflow: hidden; }}
    .page:last-child {{ page-break-after: auto; }}
    h1.cover {{ color: #1F3A68; font-size: 30pt; margin-top: 40mm; }}
    h2 {{ color: #1F3A68; font-size: 18pt; margin: 0 0 2mm 0; }}
    .sub {{ font-size: 14pt; color: #444; }}
    .conclusion {{ color: #B22222; font-weight: bold; font-size: 12pt; margin: 0 0 3mm 0; }}
    table {{ border-collapse: collapse; width: 100%; font-size: 9.5pt; }}
    th {{ background: #1F3A68; color: white; padding: 1.2mm; text-align: left; }}
    td {{ border-bottom: 1px solid #ddd; padding: 1mm 1.2mm; }}
    .chart svg {{ width: 100%; height: auto; }}
    .footer {{ position: absolute; bottom: 0; font-size: 8pt; color: #666; }}
    """
    return f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{html.escape(briefing.title)}</title><style>{style}</style></head><body>{''.join(pages)}</body></html>"


def to_pdf(briefing: Briefing) -> bytes:
    reason = images.problem()
    if reason:
        raise RuntimeError(reason)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "briefing.html"
        out = Path(folder) / "briefing.pdf"
        page.write_text(to_html(briefing), encoding="utf-8")
        command = [
            images.chromium(),
            *images.CHROMIUM_FLAGS,
            f"--user-data-dir={folder}/profile",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if not out.exists():
            raise RuntimeError(f"Chromium 未能生成 PDF：{result.stderr[-500:]}")
        return out.read_bytes()
