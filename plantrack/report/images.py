"""Static chart images (PNG/SVG/PDF) through kaleido and the system's Chromium, for downloads and decks.

One kept-alive kaleido server renders a chart in ~0.2 s after a ~2 s start; it is not safe for
concurrent callers, so calls are serialised. Without Chromium or a CJK font the export would fail or
draw boxes for Chinese: `problem()` says so in Chinese instead.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import threading

import plotly.graph_objects as go

SLIDE = {"width": 1280, "height": 720}  # 16:9; PNG at scale 2.5 → 3200 × 1800
FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}

_lock = threading.Lock()
_started = False


# headless Chromium with nothing fetched from outside (no updates, sync or background requests): the
# deck's PDF, and the tests' and the bench's browsers
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str | None:
    return os.environ.get("BROWSER_PATH") or _installed_chromium()


@functools.cache
def _installed_chromium() -> str | None:
    """Looked up once per process (every chart on every page asks, through problem())."""
    return (
        shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )


@functools.cache
def cjk_fonts() -> list[str]:
    try:
        listed = subprocess.run(
            ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=20
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    return sorted(
        {line.split(",")[0].strip() for line in listed.stdout.splitlines() if line.strip()}
    )


def problem() -> str | None:
    """Why charts cannot be exported here, in Chinese; None when they can."""
    if chromium() is None:
        return "服务器未安装 Chromium，无法导出图片（Debian：apt-get install chromium）。可先用图表右上角的相机按钮在浏览器端下载 PNG。"
    if not cjk_fonts():
        return "服务器未安装中文字体，导出的图片中的中文会显示为方框（Debian：apt-get install fonts-noto-cjk fonts-wqy-microhei）。"
    return None


def render(
    fig: go.Figure,
    fmt: str = "png",
    width: int = SLIDE["width"],
    height: int = SLIDE["height"],
    scale: float = 2.5,
    footer: str | None = None,
) -> bytes:
    """The figure as PNG/SVG/PDF bytes (PNG at `scale` × the size: sharp on a projector). With
    `footer` (来源, 截至, 示例数据), laid out for pasting into a briefing (charts.for_export)."""
    import kaleido

    global _started
    reason = problem()
    if reason:
        raise RuntimeError(reason)
    if fmt not in FORMATS:
        raise ValueError(f"不支持的图片格式：{fmt}")
    if footer is not None:
        from plantrack.report.charts import for_export

        fig = for_export(fig, footer, width, height)
    opts = {"format": fmt, "width": width, "height": height, "scale": scale if fmt == "png" else 1}
    with _lock:
        if not _started:
            kaleido.start_sync_server(mathjax=False, silence_warnings=True)
            _started = True
        return kaleido.calc_fig_sync(fig, opts=opts)
