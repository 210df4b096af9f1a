"""Chart exports that paste straight into a briefing: the longest plan names never cut, the legend on
its own line below the title, and a footer line (来源, 截至, 示例数据). The PNG is kept in
tests/artifacts/ for looking at."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from plantrack.report import charts, images
from tests.browser import ARTIFACTS

pytestmark = pytest.mark.skipif(images.problem() is not None, reason=str(images.problem()))


def _longest_names_figure(config):
    names = sorted((plan.title for plan in config.plans), key=len, reverse=True)
    frame = pd.DataFrame(
        [
            {"plan_short": name, "status": status, "count": count}
            for name in names
            for status, count in (("met", 5), ("behind", 2), ("far_behind", 3))
        ]
    )
    labels, colors = config.status.labels, config.status.colors
    return names, charts.status_counts(frame, labels, colors, "各规划目标完成状态（截至2025年）")


def test_long_labels_legend_and_footer(config):
    names, fig = _longest_names_figure(config)
    footer = charts.footer_line(2025, demo=True)
    svg = images.render(fig, "svg", footer=footer).decode("utf-8")
    # every plan's full name is drawn as a tick label, and its right-aligned text starts inside the image
    ticks = re.findall(r'<g class="ytick"><text[^>]*x="(-?[\d.]+)"[^>]*>([^<]*)</text>', svg)
    drawn = {text.replace("&amp;", "&"): float(x) for x, text in ticks}
    for name in names:
        assert name in drawn, name
    margin_left = min(drawn.values())
    assert margin_left > 0
    # the legend's top is below the title's line
    title_y = float(re.search(r'<text class="gtitle"[^>]*y="([\d.]+)"', svg).group(1))
    legend_y = float(
        re.search(r'class="legend"[^>]*transform="translate\([\d.]+,([\d.]+)\)"', svg).group(1)
    )
    assert legend_y >= title_y + 18 + 10
    assert "来源：" in svg and "数据截至2025年" in svg and "示例数据" in svg

    png = images.render(fig, "png", footer=footer)
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    assert (width, height) == (3200, 1800)
    left_edge = [image.getpixel((x, y)) for x in range(4) for y in range(0, height, 3)]
    assert min(left_edge) > 240  # nothing drawn against the left edge: no label cut there
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "chart_export_longest_plan_names.png").write_bytes(png)


def test_footer_line_says_demo_only_on_demo():
    assert "示例数据" in charts.footer_line(2024, demo=True)
    assert "示例数据" not in charts.footer_line(2024, demo=False)
    assert "数据截至2024年" in charts.footer_line(2024, demo=False)
