"""Table columns sized to their content, for the Word report and the deck alike."""

from __future__ import annotations

EMU_PER_PT = 12700


def column_widths(
    columns: list[str], rows: list[list[str]], size_pt: float, available: int, stretch: bool = True
) -> list[int]:
    """Widths in EMU (`available` too) for text of `size_pt` points: each column gets up
    to 6 characters (all of a shorter text: never wrapped), and what is left is shared by the longer
    columns in proportion to what they still need. A table that fits is stretched to `available`
    (`stretch`) or left at its content's width."""
    longest = [
        max([len(str(columns[i])), *(len(str(row[i])) for row in rows)])
        for i in range(len(columns))
    ]
    per_char, padding = size_pt * 1.05 * EMU_PER_PT, 12 * EMU_PER_PT
    needs = [int(per_char * n + padding) for n in longest]
    if sum(needs) <= available:
        if not stretch:
            return needs
        return [int(need * available / sum(needs)) for need in needs]
    floors = [min(need, int(per_char * 6 + padding)) for need in needs]
    if sum(floors) >= available:  # many columns: even 6 characters each do not fit, so share alike
        return [int(floor * available / sum(floors)) for floor in floors]
    extra = [need - floor for need, floor in zip(needs, floors, strict=True)]
    left = available - sum(floors)
    return [
        floor + int(more * left / sum(extra)) for floor, more in zip(floors, extra, strict=True)
    ]
