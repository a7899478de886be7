"""One edition, end to end: content → layout → render → file."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from factsheet.content import model as m
from factsheet.content.clinic import Clinic
from factsheet.content.i18n import Edition, open_edition
from factsheet.content.reads import Read, recording, unchanged
from factsheet.errors import BuildError, FitError, Problem
from factsheet.layout.engine import check_parts, layout_sheet, setter_for
from factsheet.layout.frames import Document
from factsheet.layout.glyphs import check_glyphs
from factsheet.layout.theme import load_theme, resolve_layout
from factsheet.publish.files import BUILD_DIR, refuse_inputs, write_atomic
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
    return checked_edition(sheet_dir, lang, draft, None).sheet


# A long-lived process (the download service, a benchmark, a batch worker)
# rebuilds the same editions again and again; parsing and validating unchanged
# files each time is waste. Each entry keeps the files its load read
# (content/reads.py) with a digest of each: a reuse re-hashes just those, so an
# edit is seen at once and a file no edition reads costs nothing. Only
# successful loads are kept, so errors always re-report. The checks against a
# layout (its parts, its fonts' glyphs) are remembered apart, per layout, so an
# edition built in three layouts is parsed (and a translation's catalog checked
# by the guard) once, not three times.
_CHECKED: OrderedDict[tuple[object, ...], tuple[tuple[Read, ...], Edition]] = OrderedDict()
_CHECKED_MAX = 64
_LAYOUT_CHECKED: OrderedDict[tuple[object, ...], tuple[Edition, object]] = OrderedDict()


def checked_edition(sheet_dir: Path, lang: str, draft: bool, layout: str | None) -> Edition:
    """The edition, validated, and checked against `layout` (parts, glyphs) if given."""
    key = (sheet_dir.resolve(), lang, draft)
    edition = _loaded(key, sheet_dir, lang, draft)
    if layout is not None:
        theme = load_theme(layout)
        seen = _LAYOUT_CHECKED.get((*key, layout))
        if seen is None or seen[0] is not edition or seen[1] != theme:
            check_parts(edition.sheet, theme)
            check_glyphs(edition.strings, setter_for(theme).fonts, theme.name)
            _remember(_LAYOUT_CHECKED, (*key, layout), (edition, theme))
    return edition


def _loaded(key: tuple[object, ...], sheet_dir: Path, lang: str, draft: bool) -> Edition:
    """The edition from the cache while every file its load read is unchanged, else read."""
    found = _CHECKED.get(key)
    if found is not None and unchanged(found[0]):
        _CHECKED.move_to_end(key)
        return found[1]
    with recording() as read:
        edition = open_edition(sheet_dir, lang, draft=draft)
    _remember(_CHECKED, key, (tuple(read), edition))
    return edition


def _remember(
    cache: OrderedDict[tuple[object, ...], Any], key: tuple[object, ...], value: Any
) -> None:
    """Keep `value` as the newest entry of a bounded least-recently-used cache."""
    cache[key] = value
    cache.move_to_end(key)
    if len(cache) > _CHECKED_MAX:
        cache.popitem(last=False)


def forget_editions() -> None:
    """Empty the caches of checked editions (a benchmark timing loads from files)."""
    _CHECKED.clear()
    _LAYOUT_CHECKED.clear()


def default_output(sheet: str, lang: str, layout: str, clinic: Clinic | None = None) -> Path:
    """build/pdf/SHEET-LANG-LAYOUT.pdf; a clinic edition adds the clinic, so it never
    overwrites the plain edition (or another clinic's)."""
    stem = f"{sheet}-{lang}-{Path(layout).stem}"
    if clinic is not None:
        stem += f"-{clinic_slug(clinic.name)}"
    return BUILD_DIR / "pdf" / f"{stem}.pdf"


def clinic_slug(name: str) -> str:
    """A file-name part for a clinic: ASCII words (Clínica San José → clinica-san-jose), or a
    short hash of the name when it has no Latin letters (a Korean or Arabic name)."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40].strip("-")
    return slug or "clinic-" + hashlib.sha256(name.encode()).hexdigest()[:8]


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
    edition = checked_edition(sheet_dir, lang, draft, layout)
    try:
        return edition.sheet, layout_sheet(edition.sheet, theme, clinic)
    except FitError as error:
        raise _fit_error_of(edition, error) from None


def _fit_error_of(edition: Edition, error: FitError) -> FitError:
    """Point what does not fit at the line a person would edit: a block's text or the
    title in en.yaml, or, in a translation, the catalog entry of that text."""
    source = edition.sheet.source.file
    return FitError([_located(edition, p) if p.file == source else p for p in error.problems])


def _located(edition: Edition, problem: Problem) -> Problem:
    """`problem` at the first string of the key path it names (a block's, the title's),
    where that string was written; a path with no text of its own (a picture's width,
    `pages`) stays in en.yaml, at the line the layout gave."""
    path = problem.path
    found = next(
        (s for s in edition.strings if s.path == path or s.path.startswith(path + ".")), None
    )
    if found is None:
        return (
            problem
            if problem.line or not edition.catalog
            else replace(problem, file=edition.catalog)
        )
    if found.file == problem.file and problem.line:
        return problem  # English: the block's own line and column
    return replace(problem, file=found.file, line=found.line, column=0)


def build_edition(
    sheet_dir: Path,
    lang: str = "en",
    layout: str = "letter",
    output: Path | None = None,
    draft: bool = False,  # a translation with unfinished entries, marked as a draft
    *,
    clinic: Clinic | None = None,  # a co-branded edition: the clinic's block in its slot
    strict: bool = False,  # warnings fail the build, before anything is written
) -> BuildResult:
    """Build one edition and write it; raises InputError subclasses on bad input."""
    sheet, doc = lay_out(sheet_dir, lang, layout, draft, clinic=clinic)
    if strict:
        refuse_warnings(sheet, doc)
    path = output or default_output(sheet.id, lang, layout, clinic)
    refuse_inputs(path, inputs_of(sheet_dir, lang, draft, layout, clinic))  # before the render
    pdf = render_pdf(doc)
    write_atomic(path, pdf)
    return result_for(sheet, layout, doc, pdf, path)


def inputs_of(
    sheet_dir: Path, lang: str, draft: bool, layout: str, clinic: Clinic | None = None
) -> list[Path]:
    """The files an edition is made from: what its load read (en.yaml, the catalog, the
    glossary, pictures), the layout file, and a clinic's details and logo."""
    found = _CHECKED.get((sheet_dir.resolve(), lang, draft))
    inputs = [read.path for read in found[0]] if found else [sheet_dir / "en.yaml"]
    inputs.append(resolve_layout(layout))
    if clinic is not None:
        inputs += [Path(clinic.source), *([clinic.logo] if clinic.logo else [])]
    return inputs


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
        warnings=warnings_of(sheet, doc),
    )


def warnings_of(sheet: m.Sheet, doc: Document) -> tuple[str, ...]:
    """What the content stage (a draft's English entries) and the layout noticed."""
    return (*sheet.warnings, *doc.warnings)


def refuse_warnings(sheet: m.Sheet, doc: Document) -> None:
    """--strict: a warning is a failed build (CI runs this way)."""
    warnings = warnings_of(sheet, doc)
    if warnings:
        listed = "; ".join(warnings)
        raise BuildError(f"{len(warnings)} warning(s) with --strict: {listed}")
