"""Read a bureau file into sheets of cells (.xlsx and .xls via python-calamine, CSV in UTF-8/GBK); the
rows that hold its header are found by plantrack.ingest.header.

What one file may cost is bounded before anything is loaded: an .xlsx is a zip whose sheets may expand
a thousandfold, and python-calamine holds a sheet as a dense grid from A1 to its farthest cell. Each
sheet's XML is therefore first streamed (never read whole) to find its extent, its formula errors and
its formulas that were never calculated."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from plantrack.ingest.problems import Problem

MAX_CELL = 1000
HEADER_SCAN_ROWS = 15
# What one workbook may cost: its unpacked size, and the cells of one sheet's grid (A1 to the
# farthest cell). 100,000 enterprise-years of 18 columns unpack to ~90 MB and 1.8 million cells.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_SHEET_CELLS = 4_000_000
MAX_XLS_BYTES = 50 * 1024 * 1024
UNCALCULATED = "#未计算"  # a formula cell saved without its result (no cached value)


class TooBig(ValueError):
    """The file would cost more to read than one file may; the message says why, in Chinese."""


@dataclass
class Sheet:
    name: str
    rows: list[list]
    errors: dict[tuple[int, int], str] = field(
        default_factory=dict
    )  # (row, col) 0-based → "#DIV/0!", or UNCALCULATED
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1
    # (row, col) 0-based of number cells shown as a percentage (number format 0.0%): the clerk sees
    # 68.5 % where the file holds 0.685
    percent: set[tuple[int, int]] = field(default_factory=set)
    note: str = ""  # what reading the file assumed (a .et that is .xlsx inside), for the report
    # A CSV is read in two steps: its first rows (to find the header), then the rest column by column
    # from `utf8`; `rows` holds every row only once `complete`.
    utf8: bytes | None = None
    dialect: type[csv.Dialect] | None = None
    complete: bool = True
    encoding: str = ""  # a CSV's: "utf-8-sig" or "gb18030"

    @property
    def is_csv(self) -> bool:
        return self.utf8 is not None

    def all_rows(self) -> list[list]:
        if not self.complete:
            self.rows = list(csv.reader(io.StringIO(self.utf8.decode("utf-8")), self.dialect))
            self.complete = True
        return self.rows


def _column_index(letters: str | bytes) -> int:
    index = 0
    for char in letters.decode() if isinstance(letters, bytes) else letters:
        index = index * 26 + ord(char) - 64
    return index - 1


_CELL_AT = re.compile(rb' r="([A-Z]{1,3})([0-9]{1,7})"')
_CELL_COLUMN = re.compile(rb' r="([A-Z]{1,3})[0-9]')
_CELL_ROW = re.compile(rb' r="[A-Z]{1,3}([0-9]{1,7})"')
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_CELL_STYLE = re.compile(rb' s="([0-9]+)"')
_NOT_A_NUMBER = re.compile(rb' t="(?!n")')
# Excel's built-in number formats 9 (0%) and 10 (0.00%); a custom format is a percentage when it has
# a % outside quotes and brackets
_PERCENT_FORMATS = {9, 10}


def _is_percent_format(code: str) -> bool:
    return "%" in re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code)


def _percent_styles(archive: zipfile.ZipFile) -> set[bytes]:
    """The cell styles (indices into cellXfs, as the s="…" of a cell) whose number format shows a
    percentage."""
    try:
        styles = archive.read("xl/styles.xml").decode("utf-8", "replace")
    except KeyError:
        return set()
    custom = {
        int(number): code.replace("&quot;", '"').replace("&amp;", "&")
        for number, code in re.findall(
            r'<numFmt\b[^>]*numFmtId="([0-9]+)"[^>]*formatCode="([^"]*)"', styles
        )
    }
    percent = _PERCENT_FORMATS | {n for n, code in custom.items() if _is_percent_format(code)}
    cell_xfs = re.search(r"<cellXfs\b[^>]*>(.*?)</cellXfs>", styles, re.S)
    if not cell_xfs:
        return set()
    found = set()
    for index, xf in enumerate(re.findall(r"<xf\b[^>]*>", cell_xfs.group(1))):
        number = re.search(r'numFmtId="([0-9]+)"', xf)
        if number and int(number.group(1)) in percent:
            found.add(str(index).encode())
    return found


def _sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML member, from xl/workbook.xml and its relationships."""
    names = set(archive.namelist())
    workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = (
        archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
        if "xl/_rels/workbook.xml.rels" in names
        else ""
    )
    targets = dict(re.findall(r'<Relationship[^>]*Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
    targets |= {
        k: v for v, k in re.findall(r'<Relationship[^>]*Target="([^"]+)"[^>]*Id="([^"]+)"', rels)
    }
    members = {}
    for tag in re.findall(r"<sheet\b[^>]*>", workbook):
        name = re.search(r'name="([^"]*)"', tag)
        rid = re.search(r'r:id="([^"]*)"', tag)
        if not name or not rid or rid.group(1) not in targets:
            continue
        target = targets[rid.group(1)].lstrip("/")
        member = target if target.startswith("xl/") else f"xl/{target}"
        if member in names:
            sheet = name.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
            members[sheet.replace("&quot;", '"').replace("&apos;", "'")] = member
    return members


def _scan_sheet(
    archive: zipfile.ZipFile, member: str, sheet: str, percent_styles: set[bytes]
) -> tuple[dict[tuple[int, int], str], set[tuple[int, int]]]:
    """Stream one sheet's XML: refuse a grid over MAX_SHEET_CELLS, and return its formula cells
    without a number ((row, col) → "#DIV/0!" etc., or UNCALCULATED) and its number cells shown as a
    percentage (a style of `percent_styles`)."""
    found: dict[tuple[int, int], str] = {}
    percent: set[tuple[int, int]] = set()
    styled = (
        re.compile(rb' s="(?:' + b"|".join(sorted(percent_styles)) + rb')"')
        if percent_styles
        else None
    )
    last_row = last_col = rows = cells = 0
    buffer = b""
    with archive.open(member) as stream:
        while True:
            chunk = stream.read(1 << 22)
            buffer += chunk
            end = buffer.rfind(b"</row>") if chunk else len(buffer)
            if end < 0:
                if len(buffer) > 64 * 1024 * 1024:
                    raise TooBig(f"工作表「{sheet}」有一行超过 64 MB")
                continue
            part, buffer = buffer[:end], buffer[end:]
            # distinct values first (C speed), then numbers of those only
            last_row = max(last_row, *map(int, set(_CELL_ROW.findall(part)) or {b"0"}))
            for letters in set(_CELL_COLUMN.findall(part)):
                last_col = max(last_col, _column_index(letters) + 1)
            # rows and cells may also come without an r="…" (then one after the other): count them
            rows += part.count(b"<row")
            cells += part.count(b"<c ") + part.count(b"<c>") + part.count(b"<c/>")
            last_row = max(last_row, rows)
            if last_row * last_col > MAX_SHEET_CELLS or cells > MAX_SHEET_CELLS:
                raise TooBig(
                    f"工作表「{sheet}」的数据区域超过 {MAX_SHEET_CELLS:,} 个单元格"
                    f"（至少 {last_row:,} 行 × {last_col:,} 列），请删去多余的行列或分成几个文件导入"
                )
            if b't="e"' in part or b"<f" in part:
                for attrs, body in _CELL.findall(part):
                    at = _CELL_AT.search(b" " + attrs)
                    if not at:
                        continue
                    where = (int(at.group(2)) - 1, _column_index(at.group(1)))
                    value = re.search(rb"<v>([^<]*)</v>", body or b"")
                    if b't="e"' in attrs:
                        found[where] = value.group(1).decode() if value else "#错误"
                    elif body and b"<f" in body and (value is None or value.group(1) == b""):
                        found[where] = UNCALCULATED
            if styled is not None and styled.search(part):
                for attrs, _body in _CELL.findall(part):
                    style = _CELL_STYLE.search(attrs)
                    at = _CELL_AT.search(b" " + attrs)
                    text = _NOT_A_NUMBER.search(attrs)
                    if style and at and style.group(1) in percent_styles and not text:
                        percent.add((int(at.group(2)) - 1, _column_index(at.group(1))))
            if not chunk:
                return found, percent


def _scan_xlsx(data: bytes) -> dict[str, tuple[dict[tuple[int, int], str], set[tuple[int, int]]]]:
    """Bound what the workbook may cost, then each sheet's formula cells without a number and its
    cells shown as a percentage."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise TooBig(
                f"文件解压后有 {unpacked / 1024 / 1024:,.0f} MB，超过上限"
                f" {MAX_UNPACKED_BYTES // 1024 // 1024} MB，请删去多余的工作表、行列或分成几个文件导入"
            )
        percent = _percent_styles(archive)
        return {
            name: _scan_sheet(archive, member, name, percent)
            for name, member in _sheet_members(archive).items()
        }


_XLS_CELLS = {0x0006, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E}  # FORMULA…RK: row, col first
_XLS_NUMBERS = {0x0006, 0x0203, 0x027E}  # FORMULA, NUMBER, RK: row, col, style (XF)
_XLS_ROWS_OF_CELLS = {0x00BD, 0x00BE}  # MULRK, MULBLANK: row, first col, …, last col at the end
_FILEPASS, _FORMAT, _XF, _MULRK = 0x002F, 0x041E, 0x00E0, 0x00BD
_GLOBALS_BOF = re.compile(rb"\x09\x08\x10\x00\x00\x06\x05\x00")  # BIFF8 BOF of the workbook globals


class Encrypted(ValueError):
    """The workbook has a password to open: nothing in it can be read until that is removed."""


def _compound_streams(data: bytes) -> dict[str, bytes | None]:
    """The streams of a compound file (.xls; an encrypted .xlsx), by name, read by their sector chains:
    None for a stream small enough to live in the mini stream (not read here). {} when the file is not
    laid out as expected (python-calamine then says what is wrong)."""
    if len(data) < 512 or not data.startswith(b"\xd0\xcf\x11\xe0"):
        return {}
    shift, mini_cutoff = (
        struct.unpack_from("<H", data, 30)[0],
        struct.unpack_from("<I", data, 56)[0],
    )
    size = 1 << shift
    if size not in (512, 4096):
        return {}

    def sector(number: int) -> bytes:
        return data[(number + 1) * size : (number + 2) * size]

    fat_sectors = [n for n in struct.unpack_from("<109I", data, 76) if n < 0xFFFFFFFA]
    difat, seen = struct.unpack_from("<I", data, 68)[0], set()
    while difat < 0xFFFFFFFA and difat not in seen:
        seen.add(difat)
        entries = struct.unpack(f"<{size // 4}I", sector(difat).ljust(size, b"\0"))
        fat_sectors += [n for n in entries[:-1] if n < 0xFFFFFFFA]
        difat = entries[-1]
    fat = [
        n
        for s in fat_sectors
        for n in struct.unpack(f"<{size // 4}I", sector(s).ljust(size, b"\0"))
    ]

    def chain(start: int) -> bytes:
        parts, number, visited = [], start, set()
        while number < len(fat) and number not in visited:
            visited.add(number)
            parts.append(sector(number))
            number = fat[number]
        return b"".join(parts)

    directory = chain(struct.unpack_from("<I", data, 48)[0])
    streams: dict[str, bytes | None] = {}
    for offset in range(0, len(directory) - 127, 128):
        length = struct.unpack_from("<H", directory, offset + 64)[0]
        name = directory[offset : offset + max(length - 2, 0)].decode("utf-16-le", "replace")
        if directory[offset + 66] != 2:  # not a stream
            continue
        start, stream_size = struct.unpack_from("<IQ", directory, offset + 116)
        streams[name] = None if stream_size < mini_cutoff else chain(start)[:stream_size]
    return streams


def _is_encrypted_package(data: bytes) -> bool:
    """An .xlsx with a password to open is no zip: a compound file holding EncryptionInfo and the
    EncryptedPackage."""
    streams = _compound_streams(data)
    return "EncryptionInfo" in streams or "EncryptedPackage" in streams


def _xls_stream(data: bytes) -> bytes | None:
    """The Workbook stream of an .xls; None when it is small (no bound needed) or not found."""
    streams = _compound_streams(data)
    return streams.get("Workbook") or streams.get("Book")


def _format_string(body: bytes) -> str:
    """FORMAT record: the number format's code (an XLUnicodeString after its 2-byte index)."""
    if len(body) < 5:
        return ""
    count, wide = struct.unpack_from("<HB", body, 2)
    raw = body[5 : 5 + count * (2 if wide & 1 else 1)]
    return raw.decode("utf-16-le" if wide & 1 else "latin-1", "replace")


def _scan_xls(data: bytes) -> list[set[tuple[int, int]]]:
    """Refuse an .xls whose sheet grid (A1 to its farthest cell) exceeds MAX_SHEET_CELLS (BIFF cell
    records name their row and column, and python-calamine would allocate the whole grid) or that has
    a password to open (a FILEPASS record); return each sheet's number cells shown as a percentage."""
    stream = _xls_stream(data)
    if stream is None:  # a small workbook (in the mini stream): FILEPASS follows the first BOF
        if any(
            data[m.end() + 12 : m.end() + 14] == b"\x2f\x00" for m in _GLOBALS_BOF.finditer(data)
        ):
            raise Encrypted
        return []
    offset, last_row, last_col, sheet = 0, 0, 0, 0
    percent_formats, percent_styles, styles = set(_PERCENT_FORMATS), set(), 0
    percent: list[set[tuple[int, int]]] = []
    while offset + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, offset)
        body = offset + 4
        if kind == 0x0809:  # BOF: a new sheet
            sheet, last_row, last_col = sheet + 1, 0, 0
            if sheet > 1:
                percent.append(set())
        elif kind == _FILEPASS and sheet == 1:
            raise Encrypted
        elif kind == _FORMAT and sheet == 1:
            record = stream[body : body + length]
            if len(record) >= 2 and _is_percent_format(_format_string(record)):
                percent_formats.add(struct.unpack_from("<H", record)[0])
        elif kind == _XF and sheet == 1 and length >= 4:
            if struct.unpack_from("<H", stream, body + 2)[0] in percent_formats:
                percent_styles.add(styles)
            styles += 1
        elif kind in _XLS_CELLS and length >= 4:
            row, col = struct.unpack_from("<HH", stream, body)
            last_row, last_col = max(last_row, row + 1), max(last_col, col + 1)
            style = struct.unpack_from("<H", stream, body + 4)[0] if length >= 6 else None
            if kind in _XLS_NUMBERS and percent and style in percent_styles:
                percent[-1].add((row, col))
        elif kind in _XLS_ROWS_OF_CELLS and length >= 6:
            row, first = struct.unpack_from("<HH", stream, body)
            col = struct.unpack_from("<H", stream, body + length - 2)[0]
            last_row, last_col = max(last_row, row + 1), max(last_col, col + 1)
            if kind == _MULRK and percent:
                for index in range((length - 6) // 6):
                    style = struct.unpack_from("<H", stream, body + 4 + 6 * index)[0]
                    if style in percent_styles:
                        percent[-1].add((row, first + index))
        if last_row * last_col > MAX_SHEET_CELLS:
            raise TooBig(
                f"第{sheet - 1}个工作表的数据区域超过 {MAX_SHEET_CELLS:,} 个单元格"
                f"（至少 {last_row:,} 行 × {last_col:,} 列），请删去多余的行列或分成几个文件导入"
            )
        offset = body + length
    return percent


def _whole_file(reason: str) -> list[Problem]:
    return [Problem.about_file(reason)]


ENCRYPTED = (
    "文件设有打开密码（已加密），无法读取。请在 Excel 中打开文件，另存时取消打开密码"
    "（Excel：文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码后保存；WPS：文件 → 文档加密 → "
    "密码加密，清空打开密码后保存），再重新上传。只保护工作表（不设打开密码）的文件可以直接导入"
)


def _workbook(data: bytes, scanned: dict | list) -> list[Sheet]:
    """Every sheet of a workbook; `scanned` is what the scan found, by sheet name (.xlsx: formula
    errors, percent cells) or by position (.xls: percent cells)."""
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = []
    for position, name in enumerate(workbook.sheet_names):
        sheet = workbook.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []]
        if isinstance(scanned, dict):
            errors, percent = scanned.get(name, ({}, set()))
        else:
            errors, percent = {}, scanned[position] if position < len(scanned) else set()
        sheets.append(Sheet(name, rows, errors, merged, percent))
    return sheets


def _read_xlsx(data: bytes) -> tuple[list[Sheet], list[Problem]]:
    try:
        return _workbook(data, _scan_xlsx(data)), []
    except TooBig as exc:
        return [], _whole_file(f"文件过大：{exc}")
    except (python_calamine.CalamineError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        return [], _whole_file(f"无法读取 Excel 文件：{exc}")


def _read_xls(data: bytes) -> tuple[list[Sheet], list[Problem]]:
    if len(data) > MAX_XLS_BYTES:
        return [], _whole_file(
            f"文件过大：.xls 文件超过 {MAX_XLS_BYTES // 1024 // 1024} MB，请另存为 .xlsx 或分成几个文件导入"
        )
    try:
        return _workbook(data, _scan_xls(data)), []
    except Encrypted:
        return [], _whole_file(ENCRYPTED)
    except TooBig as exc:
        return [], _whole_file(f"文件过大：{exc}")
    except (python_calamine.CalamineError, ValueError, struct.error) as exc:
        return [], _whole_file(
            f"无法读取旧版 Excel（.xls）文件：{exc}，请用 Excel 另存为 .xlsx 后重试"
        )


def _read_et(data: bytes) -> tuple[list[Sheet], list[Problem]]:
    """A WPS 表格 (.et) file: WPS saves most of them as an .xls or .xlsx inside; those are read as such
    (and the report says which), its own format is refused."""
    if data.startswith(b"PK"):
        sheets, problems = _read_xlsx(data)
        inside = ".xlsx"
    elif data.startswith(b"\xd0\xcf\x11\xe0") and _xls_stream(data) is not None:
        sheets, problems = _read_xls(data)
        inside = ".xls"
    else:
        return [], _whole_file(
            "WPS 表格（.et）文件的内容不是 Excel 格式，无法读取，请在 WPS 中另存为 .xlsx 后重新上传"
        )
    for sheet in sheets:
        sheet.note = f"文件扩展名为 .et（WPS 表格），内容是 Excel {inside} 格式，已按 {inside} 读取"
    return sheets, problems


def read_sheets(path: Path, data: bytes) -> tuple[list[Sheet], list[Problem]]:
    suffix = path.suffix.lower()
    if not data:
        return [], _whole_file("文件为空")
    if suffix in (".xlsx", ".xlsm", ".xls", ".et") and _is_encrypted_package(data):
        return [], _whole_file(ENCRYPTED)
    if suffix in (".xlsx", ".xlsm"):
        if not data.startswith(b"PK"):
            return [], _whole_file(
                "不是有效的 Excel（.xlsx）文件：内容不是 Excel 格式，请用 Excel 另存为 .xlsx 后重试"
            )
        return _read_xlsx(data)
    if suffix == ".xls":
        if not data.startswith(b"\xd0\xcf\x11\xe0"):
            return [], _whole_file(
                "不是有效的旧版 Excel（.xls）文件，请用 Excel 另存为 .xlsx 后重试"
            )
        return _read_xls(data)
    if suffix == ".et":
        return _read_et(data)
    if suffix in (".csv", ".txt"):
        return _read_csv(data)
    return [], _whole_file(
        f"不支持的文件类型“{suffix or '无扩展名'}”（支持 .xlsx、.xls、.et、.csv、.txt）"
    )


class _Rfc4180(csv.excel):
    """How Excel, pandas and Python write CSV (RFC 4180): a doubled quote inside a quoted field is
    always an escaped quote. Only the delimiter (and spaces after it) is taken from the sniffer, which
    turns doubled quotes off when its sample holds no quote."""


def _dialect(sample: str) -> type[csv.Dialect]:
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        return csv.excel
    return type(
        "Sniffed",
        (_Rfc4180,),
        {"delimiter": sniffed.delimiter, "skipinitialspace": sniffed.skipinitialspace},
    )


def _read_csv(data: bytes) -> tuple[list[Sheet], list[Problem]]:
    encoding = ""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode 文本": UTF-16, tab-separated
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return [], _whole_file(
                "文件声明为 UTF-16 编码但内容无法解码，请另存为 UTF-8 编码的 CSV"
            )
    elif b"\x00" in data[:4096]:
        return [], _whole_file("不是文本 CSV 文件（含二进制内容），请另存为 CSV 或 .xlsx")
    for candidate in ("utf-8-sig", "gb18030"):
        if encoding:
            break
        try:
            text, encoding = data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    if not encoding:
        return [], _whole_file(
            "无法识别文件编码（支持 UTF-8、UTF-8 BOM、GBK/GB18030、UTF-16）" + _mixed_encoding(data)
        )
    text = text.removeprefix("\ufeff")
    dialect = _dialect(text[:4096])
    head = list(itertools.islice(csv.reader(io.StringIO(text), dialect), HEADER_SCAN_ROWS + 1))
    utf8 = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    if encoding != "utf-8-sig":
        utf8 = text.encode("utf-8")
    sheet = Sheet("", head, utf8=utf8, dialect=dialect, complete=False, encoding=encoding)
    if encoding == "utf-16":
        sheet.note = "文件是 UTF-16 编码的文本（Excel「Unicode 文本」），已按此读取"
    return [sheet], []


def _mixed_encoding(data: bytes) -> str:
    """Where a file mixes UTF-8 and GBK lines: 'the first such line', for the message."""
    kinds = []
    for number, line in enumerate(data.splitlines(), start=1):
        if line.isascii():
            continue
        for encoding in ("utf-8", "gb18030"):
            try:
                line.decode(encoding)
                kinds.append((number, encoding))
                break
            except UnicodeDecodeError:
                continue
        else:
            return f"；第{number}行混有两种编码（可能是从别处粘贴的文字），请统一编码后另存"
    if len({encoding for _, encoding in kinds}) > 1:
        first = next(number for number, encoding in kinds if encoding != kinds[0][1])
        return f"；文件中 UTF-8 与 GBK 两种编码混用（第{first}行起不同），请统一编码后另存"
    return ""


def sheet_names(name: str, data: bytes) -> list[str]:
    """The sheets of an uploaded workbook, for the user to choose one; [] for a CSV or a bad file."""
    if Path(name).suffix.lower() not in (".xlsx", ".xlsm", ".xls", ".et"):
        return []
    try:
        return list(python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names)
    except (python_calamine.CalamineError, ValueError, zipfile.BadZipFile):
        return []
