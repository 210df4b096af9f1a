"""The warnings backtest (issue 27): 口径说明 第 12 节 shows `warnings-backtest --rule projected_grade_d` as
printed on the two demo seeds (built in a temporary folder), and the rule meets the aim stated for demo
data: at least 70 % of each year's D firms flagged, at most 20 % of the flags false, over both seeds."""

from __future__ import annotations

from plantrack.__main__ import main
from plantrack.settings import ROOT


def test_the_table_in_the_method_note_is_the_commands_output(capsys):
    assert main(["warnings-backtest", "--rule", "projected_grade_d"]) == 0
    printed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("|")]
    note = (ROOT / "docs" / "口径说明.md").read_text(encoding="utf-8")
    assert len(printed) == 7  # header, rule, 2 seeds × 2 years, 合计
    assert "\n".join(printed) in note
    cells = [cell.strip() for cell in printed[-1].strip("|").split("|")]
    d_firms, flagged, hits, false_flags = (int(cells[i]) for i in (3, 4, 5, 7))
    assert hits >= 0.7 * d_firms and false_flags <= 0.2 * flagged
