"""A minimal .xls writer (BIFF8 in a compound file), enough to write the corpus's old-format files:
one or more sheets of text and numbers. No library on PyPI that is still kept writes .xls."""

from __future__ import annotations

import struct

SECTOR = 512
END, FREE, FAT_SECTOR = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _text(value: str, length_bytes: int) -> bytes:
    encoded = value.encode("utf-16-le")
    count = struct.pack("<H" if length_bytes == 2 else "<B", len(value))
    return count + b"\x01" + encoded


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 1996, 0, 0x06))


def _sheet(rows: list[list]) -> bytes:
    width = max((len(row) for row in rows), default=0)
    body = _bof(0x0010) + _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, int | float) and not isinstance(value, bool):
                body += _record(0x0203, struct.pack("<HHHd", r, c, 15, float(value)))
            else:
                body += _record(0x0204, struct.pack("<HHH", r, c, 15) + _text(str(value), 2))
    return body + _record(0x000A, b"")


def _workbook_stream(
    sheets: dict[str, list[list]], encrypted: bool = False, cell_format: int = 0
) -> bytes:
    xf = _record(0x00E0, struct.pack("<HHHHHHIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0x20C0))
    cell_xf = _record(
        0x00E0, struct.pack("<HHHHHHIIH", 0, cell_format, 0x0001, 0x20, 0, 0, 0, 0, 0x20C0)
    )
    head = _bof(0x0005)
    if encrypted:  # FILEPASS: RC4 encryption, as Excel writes for a password to open
        head += _record(0x002F, struct.pack("<HHH", 1, 1, 1) + b"\x00" * 48)
    head += _record(0x0042, struct.pack("<H", 1200))
    head += _record(
        0x0031, struct.pack("<HHHHHHHH", 200, 0, 0x7FFF, 400, 0, 0, 0, 0) + _text("Arial", 1)
    )
    head += xf * 15 + cell_xf
    bodies = [_sheet(rows) for rows in sheets.values()]
    bound_size = sum(4 + 6 + 2 + 2 * len(name) for name in sheets)
    eof = _record(0x000A, b"")
    # streams under 4096 bytes would belong in the mini stream: keep to big sectors by growing the
    # globals with ignorable records (WRITEACCESS: the user name, spaces)
    while len(head) + bound_size + len(eof) + sum(map(len, bodies)) < 4096:
        head += _record(0x005C, b"\x20" * 112)
    offset = len(head) + bound_size + len(eof)
    bounds = b""
    for name, body in zip(sheets, bodies, strict=True):
        bounds += _record(0x0085, struct.pack("<IBB", offset, 0, 0) + _text(name, 1))
        offset += len(body)
    stream = head + bounds + eof + b"".join(bodies)
    return stream


def _directory_entry(
    name: str, kind: int, start: int, size: int, child: int = FREE, right: int = FREE
) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    entry = encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
    entry += struct.pack("<III", FREE, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
    entry += struct.pack("<IQ", start, size)
    return entry


def xls_bytes(
    sheets: dict[str, list[list]], encrypted: bool = False, cell_format: int = 0
) -> bytes:
    """An .xls file with these sheets (name → rows of str, int, float or None); every cell in number
    format `cell_format` (Excel's built-in ids: 10 is 0.00%); `encrypted` adds the FILEPASS record of
    a workbook with a password to open."""
    return compound({"Workbook": _workbook_stream(sheets, encrypted, cell_format)})


def compound(streams: dict[str, bytes]) -> bytes:
    """A compound file holding these streams (each kept at 4096 bytes or more, out of the mini
    stream): an .xls, or what an encrypted .xlsx is (EncryptionInfo, EncryptedPackage)."""
    streams = {name: data.ljust(4096, b"\0") for name, data in streams.items()}
    sectors = [(len(data) + SECTOR - 1) // SECTOR for data in streams.values()]
    # sector 0: FAT; 1: directory; then each stream's sectors in turn
    fat = [FAT_SECTOR, END]
    starts = []
    for count in sectors:
        start = len(fat)
        starts.append(start)
        fat += [start + i + 1 for i in range(count - 1)] + [END]
    assert len(fat) <= SECTOR // 4, "one FAT sector is enough for the test files"
    fat += [FREE] * (SECTOR // 4 - len(fat))
    directory = _directory_entry("Root Entry", 5, END, 0, child=1)
    names = list(streams)
    for index, (name, start) in enumerate(zip(names, starts, strict=True)):
        sibling = index + 2 if index + 1 < len(names) else FREE
        directory += _directory_entry(name, 2, start, len(streams[name]), right=sibling)
    directory = directory.ljust(SECTOR * ((len(directory) + SECTOR - 1) // SECTOR), b"\0")
    assert len(directory) == SECTOR, "up to three streams"
    header = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", FREE) * 108
    body = b"".join(
        data.ljust(count * SECTOR, b"\0")
        for data, count in zip(streams.values(), sectors, strict=True)
    )
    return header + struct.pack(f"<{SECTOR // 4}I", *fat) + directory + body
