"""The deck pastes as it is: tables sized to their content, every cut list says so, and the 赛马 slide
in 红榜/黑榜 colours with % labels."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation

from plantrack.report.deck import powerpoint, slides

AS_OF = 2024


@pytest.fixture(scope="module")
def built(demo_db, config):
    import duckdb

    with duckdb.connect(str(demo_db), read_only=True) as con:
        deck = slides.build(con, config, AS_OF)
    return deck, Presentation(io.BytesIO(powerpoint.to_pptx(deck)))


def test_cut_lists_say_how_many_are_left_out(built, config):
    deck, _ = built
    own = [p for p in config.plans if p.role == "own" and p.start <= AS_OF <= p.end]  # in force
    cards = {plan.short: plan for plan in own}
    found = [
        s for s in deck.slides if s.title.split("：")[0] in cards and "：目标完成情况" in s.title
    ]
    assert len(found) == len(own) >= 1  # a card for each 本区 plan in force, none for 对标 plans
    for card in found:
        plan = cards[card.title.split("：")[0]]
        total = len(plan.targets)
        if total > len(card.rows):
            assert f"（列出最落后{len(card.rows)}项，共{total}项）" in card.conclusion, plan.short
        else:
            assert "列出最落后" not in card.conclusion
    assert slides.cut_note(3, 3) == "" and slides.cut_note(3, 7, "家") == "（列出最落后3家，共7家）"


def test_race_slide_in_board_colours_with_percent_labels(built):
    deck, pptx = built
    spec = next(s for s in deck.slides if s.title.startswith("镇街赛马排名"))
    index = deck.slides.index(spec)
    chart = next(shape.chart for shape in pptx.slides[index].shapes if shape.has_chart)
    plot = chart.plots[0]
    assert "%" in plot.data_labels.number_format
    boards = [category.split(" ")[0] for category in spec.categories]
    colours = [str(point.format.fill.fore_color.rgb) for point in plot.series[0].points][
        : len(boards)
    ]
    # 红榜: the first three places, 黑榜: the last three
    assert colours[:3] == ["1A9850"] * 3
    assert colours[-3:] == ["D73027"] * 3
    assert all(colour == "6B8FB5" for colour in colours[3:-3])


def test_tables_sized_to_content(built):
    deck, pptx = built
    width = pptx.slide_width
    checked = 0
    for spec, slide in zip(deck.slides, pptx.slides, strict=True):
        if spec.kind != "table" or not spec.rows:
            continue
        table = next(shape for shape in slide.shapes if shape.has_table)
        widths = [column.width for column in table.table.columns]
        assert sum(widths) <= width * 0.92 + 1
        longest = [
            max(len(str(v)) for v in [spec.columns[i], *(r[i] for r in spec.rows)])
            for i in range(len(spec.columns))
        ]
        # the column with the longest text is the widest; a short column is not stretched to fill
        assert widths.index(max(widths)) == longest.index(max(longest))
        shortest = longest.index(min(longest))
        assert widths[shortest] < sum(widths) / len(widths)
        checked += 1
    assert checked >= 3
