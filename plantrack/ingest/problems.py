"""What an import found wrong, and what it did: each problem names sheet, row, column and value."""

from __future__ import annotations

from dataclasses import dataclass, field

from plantrack.model.kinds import Kind


@dataclass
class Problem:
    sheet: str
    row: int | None  # as the user sees it in Excel (1-based), None for the whole file
    column: str | None
    value: str | None
    reason: str
    col: int | None = None  # 0-based column in the sheet, when known (to mark the cell)

    @classmethod
    def about_file(cls, reason: str, value: str | None = None) -> Problem:
        """A problem with the file as a whole (no sheet, row or column to point at)."""
        return cls("", None, None, value, reason)

    def text(self) -> str:
        where = [f"工作表「{self.sheet}」"] if self.sheet else []
        if self.row:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"「{self.column}」列")
        value = f"值「{self.value}」" if self.value not in (None, "") else ""
        return (
            "".join(where) + ("：" if where else "") + value + ("，" if value else "") + self.reason
        )


@dataclass
class Report:
    file_name: str
    sha256: str = ""
    kind: Kind | None = None
    sheet: str | None = None  # the sheet read ("" for a CSV; None before reading)
    notes: list[str] = field(default_factory=list)  # what the reading assumed (units converted)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    changed_cells: int = 0  # in every table the import touched
    renamed: list[tuple[str, str]] = field(default_factory=list)  # enterprises: (old, new name)
    summary: str = ""  # changed cells per table, renames
    written: bool = False
    import_id: int | None = None
    message: str = ""
    asks_replace_demo: bool = False  # valid, but the database holds the demo: replace it?
    replaced_demo: bool = False
    archived: str = ""  # the archive file's name (for the command line, never shown on a page)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self, limit: int = 200) -> list[str]:
        about = [self.kind.label] if self.kind else []
        if self.sheet:
            about.append(f"工作表「{self.sheet}」")
        head = f"文件：{self.file_name}" + (f"（{'，'.join(about)}）" if about else "")
        lines = [head] + [f"说明：{note}" for note in self.notes]
        if self.problems:
            lines.append(f"发现 {len(self.problems)} 个问题，未写入任何数据：")
            lines += [f"  {problem.text()}" for problem in self.problems[:limit]]
            if len(self.problems) > limit:
                lines.append(f"  …… 另有 {len(self.problems) - limit} 个问题")
        if self.message:
            lines.append(self.message)
        return lines
