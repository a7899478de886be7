"""One edition, end to end: content → layout → render → file."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from factsheet.content import model as m
from factsheet.content.clinic import Clinic
from factsheet.content.i18n import Edition, open_edition
from factsheet.errors import FitError
from factsheet.layout.engine import layout_sheet, setter_for
from factsheet.layout.frames import Document
from factsheet.layout.glyphs import check_glyphs
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
    warnings: tuple[str, ...] = ()  # e.g. a draft translation's entries printed in English


def load_edition(sheet_dir: Path, lang: str = "en", draft: bool = False) -> m.Sheet:
    """The sheet in one language: English is the source, others merge `<lang>.po` into it."""
    return open_edition(sheet_dir, lang, draft=draft).sheet


def default_output(sheet: str, lang: str, layout: str) -> Path:
    return BUILD_DIR / "pdf" / f"{sheet}-{lang}-{layout}.pdf"


def lay_out(
    sheet_dir: Path,
    lang: str = "en",
    layout: str = "letter",
    draft: bool = False,
    *,
    clinic: Clinic | None = None,
) -> tuple[m.Sheet, Document]:
    """Load, check the glyphs of, and fit an edition without rendering it (what `check` runs)."""
    theme = load_theme(layout)
    edition = open_edition(sheet_dir, lang, draft=draft)
    check_glyphs(edition.strings, setter_for(theme).fonts, theme.name)
    try:
        return edition.sheet, layout_sheet(edition.sheet, theme, clinic)
    except FitError as error:
        raise _fit_error_of(edition, error) from None


def _fit_error_of(edition: Edition, error: FitError) -> FitError:
    """A translation that does not fit is the catalog's to shorten: name it, with the region."""
    if not edition.catalog:
        return error
    source = edition.sheet.source.file
    return FitError(
        [
            replace(problem, file=edition.catalog)
            if problem.file == source and not problem.line
            else problem
            for problem in error.problems
        ]
    )


def build_edition(
    sheet_dir: Path,
    lang: str = "en",
    layout: str = "letter",
    output: Path | None = None,
    draft: bool = False,  # a translation with unfinished entries, marked as a draft
    *,
    clinic: Clinic | None = None,  # a co-branded edition: the clinic's block in its slot
) -> BuildResult:
    """Build one edition and write it; raises InputError subclasses on bad input."""
    sheet, doc = lay_out(sheet_dir, lang, layout, draft, clinic=clinic)
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
        warnings=sheet.warnings,
    )
