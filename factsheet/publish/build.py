"""One edition, end to end: content → layout → render → file."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from factsheet.content import load_sheet
from factsheet.content import model as m
from factsheet.layout.engine import layout_sheet
from factsheet.layout.frames import Document
from factsheet.layout.theme import load_theme
from factsheet.publish.files import BUILD_DIR, write_atomic
from factsheet.render.pdf import render_pdf


@dataclass(frozen=True)
class BuildResult:
    sheet: str
    lang: str
    layout: str
    path: Path | None  # None when nothing was written (check)
    pages: int
    scale: float
    body_size: float
    passes: int
    bytes: int
    sha256: str


def load_edition(sheet_dir: Path, lang: str = "en") -> m.Sheet:
    """The sheet in one language (English is the source)."""
    return load_sheet(sheet_dir / "en.yaml")


def default_output(sheet: str, lang: str, layout: str) -> Path:
    return BUILD_DIR / "pdf" / f"{sheet}-{lang}-{layout}.pdf"


def lay_out(sheet_dir: Path, lang: str = "en", layout: str = "letter") -> tuple[m.Sheet, Document]:
    """Load and fit an edition without rendering it (what `check` runs)."""
    theme = load_theme(layout)
    sheet = load_edition(sheet_dir, lang)
    return sheet, layout_sheet(sheet, theme)


def build_edition(
    sheet_dir: Path, lang: str = "en", layout: str = "letter", output: Path | None = None
) -> BuildResult:
    """Build one edition and write it; raises InputError subclasses on bad input."""
    sheet, doc = lay_out(sheet_dir, lang, layout)
    pdf = render_pdf(doc)
    path = output or default_output(sheet.id, lang, layout)
    write_atomic(path, pdf)
    return result_for(sheet, layout, doc, pdf, path)


def result_for(
    sheet: m.Sheet, layout: str, doc: Document, pdf: bytes, path: Path | None
) -> BuildResult:
    return BuildResult(
        sheet=sheet.id,
        lang=sheet.language,
        layout=layout,
        path=path,
        pages=len(doc.pages),
        scale=doc.scale,
        body_size=doc.body_size,
        passes=doc.passes,
        bytes=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
