"""The .docx rendered to PDF with LibreOffice (headless), the 公文 fonts mapped by fonts.conf: to look at
a report here and to check its layout. A private LibreOffice profile per call: two conversions at once
must not share one."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

FONTS_CONF = Path(__file__).with_name("fonts.conf")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: Path, out_dir: Path) -> Path:
    """`docx` converted into `out_dir` (same stem, .pdf)."""
    program = soffice()
    if program is None:
        raise RuntimeError("服务器未安装 LibreOffice（Debian：apt-get install libreoffice-writer）")
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}
    with tempfile.TemporaryDirectory(prefix="plantrack-lo-") as profile:
        subprocess.run(
            [
                program,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                str(docx),
            ],
            env=env,
            check=True,
            capture_output=True,
            timeout=180,
        )
    return out_dir / f"{docx.stem}.pdf"
