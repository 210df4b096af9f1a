"""Table columns sized to content (the Word report and the deck share the rule)."""

from plantrack.report.layout import EMU_PER_PT, column_widths

WIDTH = 440 * EMU_PER_PT


def test_widths_never_exceed_the_width_and_follow_the_text():
    for columns, rows in (
        (["序号", "来源"], [["1", "很长的来源说明" * 10]]),
        ([f"很长的列名{i}号列" for i in range(7)], [["一二三四五六七八九十" * 2] * 7]),
        (["a", "b"], [["短", "短"]]),
    ):
        widths = column_widths(columns, rows, 12, WIDTH)
        assert sum(widths) <= WIDTH
        assert all(width > 0 for width in widths)
    short_long = column_widths(["序号", "来源"], [["1", "很长的来源说明" * 10]], 12, WIDTH)
    assert short_long[0] < short_long[1]
    # a table that fits keeps its content's width when not stretched
    narrow = column_widths(["a", "b"], [["短", "短"]], 12, WIDTH, stretch=False)
    assert sum(narrow) < WIDTH / 2
