"""Text from a file, a URL or the database, shown as written: never read as Markdown."""

from __future__ import annotations

import re


def plain(text: object) -> str:
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$])", r"\\\1", str(text))
