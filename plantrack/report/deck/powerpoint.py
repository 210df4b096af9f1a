"""The briefing as PPTX (16:9) with native, restylable PowerPoint/WPS charts."""

from __future__ import annotations

from plantrack.report.deck.slides import Briefing, Slide
from plantrack.report.layout import column_widths

EAST_ASIAN_FONT = "Microsoft YaHei"
TABLE_TEXT_PT = 11


def _font(
    run_or_font, size: float | None = None, bold: bool | None = None, color: str | None = None
) -> None:
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    font = getattr(run_or_font, "font", run_or_font)
    font.name = EAST_ASIAN_FONT
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if color:
        font.color.rgb = RGBColor.from_string(color.lstrip("#"))
    rpr = (
        font._element
        if font._element.tag.endswith("rPr") or font._element.tag.endswith("defRPr")
        else font._rPr
    )
    for tag in ("a:ea", "a:cs"):
        node = rpr.find(qn(tag))
        if node is None:
            node = rpr.makeelement(qn(tag), {})
            rpr.append(node)
        node.set("typeface", EAST_ASIAN_FONT)


def _text(slide, text, left, top, width, height, size, bold=False, color="#222222"):
    from pptx.util import Emu

    box = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    run = paragraph.add_run()
    run.text = text
    _font(run, size, bold, color)
    return box


def to_pptx(briefing: Briefing) -> bytes:
    import io

    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Emu, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(12192000), Emu(6858000)  # 16:9
    width, height = deck.slide_width, deck.slide_height
    blank = deck.slide_layouts[6]
    margin = int(width * 0.04)
    for spec in briefing.slides:
        slide = deck.slides.add_slide(blank)
        if spec.kind == "title":
            _text(
                slide,
                spec.title,
                margin,
                int(height * 0.28),
                width - 2 * margin,
                int(height * 0.15),
                40,
                True,
                "#1F3A68",
            )
            _text(
                slide,
                spec.subtitle,
                margin,
                int(height * 0.45),
                width - 2 * margin,
                int(height * 0.1),
                20,
                False,
                "#444444",
            )
            _text(
                slide,
                spec.conclusion,
                margin,
                int(height * 0.58),
                width - 2 * margin,
                int(height * 0.12),
                20,
                True,
                "#B22222",
            )
        else:
            _text(
                slide,
                spec.title,
                margin,
                int(height * 0.03),
                width - 2 * margin,
                int(height * 0.09),
                26,
                True,
                "#1F3A68",
            )
            _text(
                slide,
                "结论：" + spec.conclusion,
                margin,
                int(height * 0.12),
                width - 2 * margin,
                int(height * 0.09),
                16,
                True,
                "#B22222",
            )
            top, body_height = int(height * 0.22), int(height * 0.66)
            if spec.kind == "table":
                _table(slide, spec, margin, top, width - 2 * margin, body_height)
            else:
                data = CategoryChartData()
                data.categories = spec.categories
                for series in spec.series:
                    data.add_series(series.name, series.values)
                chart_type = {
                    "bar": XL_CHART_TYPE.COLUMN_CLUSTERED,
                    "stacked": XL_CHART_TYPE.COLUMN_STACKED,
                    "hbar": XL_CHART_TYPE.BAR_CLUSTERED,
                }[spec.kind]
                frame = slide.shapes.add_chart(
                    chart_type,
                    Emu(margin),
                    Emu(top),
                    Emu(width - 2 * margin),
                    Emu(body_height),
                    data,
                )
                chart = frame.chart
                chart.has_legend = len(spec.series) > 1
                if chart.has_legend:
                    chart.legend.position = XL_LEGEND_POSITION.TOP
                    chart.legend.include_in_layout = False
                _font(chart.font, 12)
                plot = chart.plots[0]
                plot.has_data_labels = True
                plot.data_labels.font.size = Pt(10)
                plot.data_labels.number_format = "0.0" if spec.unit == "%" else "0"
                plot.data_labels.number_format_is_linked = False
                if spec.kind == "hbar":
                    chart.category_axis.reverse_order = True
                chart.has_title = False
                if spec.unit == "%":
                    plot.data_labels.number_format = '0.0"%"'
                for index, series in enumerate(spec.series):
                    color = series.color
                    if color:
                        fill = plot.series[index].format.fill
                        fill.solid()
                        fill.fore_color.rgb = RGBColor.from_string(color.lstrip("#"))
                    for point, point_color in enumerate(series.point_colors or []):
                        fill = plot.series[index].points[point].format.fill
                        fill.solid()
                        fill.fore_color.rgb = RGBColor.from_string(point_color.lstrip("#"))
                chart.value_axis.has_title = True
                chart.value_axis.axis_title.text_frame.text = f"（{spec.unit}）"
                _font(chart.value_axis.axis_title.text_frame.paragraphs[0].runs[0], 11)
        _text(
            slide,
            briefing.footer(spec),
            margin,
            int(height * 0.92),
            width - 2 * margin,
            int(height * 0.06),
            10,
            False,
            "#666666",
        )
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _table(slide, spec: Slide, left, top, width, height) -> None:
    from pptx.dml.color import RGBColor
    from pptx.util import Emu

    rows = len(spec.rows) + 1
    # sized to content: columns as wide as their text (a table that fits is not stretched), rows as
    # tall as a line of 11 pt text with its padding
    widths = column_widths(spec.columns, spec.rows, TABLE_TEXT_PT, width, stretch=False)
    shape = slide.shapes.add_table(
        rows,
        len(spec.columns),
        Emu(left),
        Emu(top),
        Emu(sum(widths)),
        Emu(min(height, 370000 * rows)),
    )
    table = shape.table
    for index, column_width in enumerate(widths):
        table.columns[index].width = Emu(column_width)
    for col, header in enumerate(spec.columns):
        cell = table.cell(0, col)
        cell.text = header
        _font(cell.text_frame.paragraphs[0].runs[0], 12, True, "#FFFFFF")
        cell.fill.solid()
        cell.fill.fore_color.rgb = RGBColor.from_string("1F3A68")
    for r, values in enumerate(spec.rows, start=1):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = str(value)
            _font(cell.text_frame.paragraphs[0].runs[0], TABLE_TEXT_PT)
            color = spec.row_colors[r - 1] if spec.row_colors else None
            if color and c == len(values) - 1:
                cell.fill.solid()
                cell.fill.fore_color.rgb = RGBColor.from_string(color.lstrip("#"))
