"""The shipped Hindi edition (content/bone-protection/hi.po), as a Hindi reader gets it.

Built from the shipped catalog in every layout: two pages where the layout has two,
the audit passes, every string of the catalog reads back as the translator wrote
it (PDFium's extraction and the tagged text a screen reader gets), its conjuncts
are the font's own glyphs (GSUB), and its lines have the room the brand gives
Devanagari (`scripts: {Deva: {leading: …}}`).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from reportlab.pdfbase import pdfmetrics

from factsheet.audit import audit_pdf
from factsheet.layout import frames
from factsheet.layout.shaping import shape
from factsheet.layout.theme import available_layouts, load_theme
from factsheet.publish.build import lay_out
from factsheet.render.tounicode import parse_cmap
from tests.conftest import EditionKey
from tests.helpers import SHEET_DIR, printed_strings, text_runs

LANG = "hi"
LAYOUTS = available_layouts()
VIRAMA = "\u094d"
# A conjunct: consonant, virama, consonant ("ड्ड", "स्त", "ष्ट").
CONJUNCT = re.compile(f"[\u0915-\u0939\u0958-\u095f]{VIRAMA}[\u0915-\u0939\u0958-\u095f]")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _extracted(path: Path) -> str:
    """PDFium's text. It marks a line that ends in a hyphen with U+FFFE (a word it joins):
    here always a compound's own hyphen ("कौन-सी"), as Hindi has no hyphenation patterns."""
    pdf = pdfium.PdfDocument(path)
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    return text.replace("\ufffe", "-")


@pytest.fixture(scope="module")
def printed() -> list[str]:
    """The plain text of every string the Hindi edition prints, from its catalog."""
    return printed_strings(SHEET_DIR, LANG)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_hindi_edition_fits_its_pages_and_passes_the_audit(
    layout: str, built: Callable[[EditionKey], Path]
) -> None:
    path = built((SHEET_DIR.name, LANG, layout))
    theme = load_theme(layout)
    with pikepdf.open(path) as pdf:
        pages = len(pdf.pages)
        assert str(pdf.Root.Lang) == LANG
    assert pages == 2 if not theme.flowing else pages <= theme.max_pages
    report = audit_pdf(path)
    assert report.ok, [f.message for f in report.failures]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_catalog_string_reads_back_as_written(
    layout: str, built: Callable[[EditionKey], Path], printed: list[str]
) -> None:
    """Both what a viewer extracts and what a screen reader hears hold each translated
    string, character for character (matras, nuktas and conjuncts in logical order)."""
    path = built((SHEET_DIR.name, LANG, layout))
    extracted = _squash(_extracted(path))
    tagged = _squash(audit_pdf(path).text)
    assert [s for s in printed if _squash(s) not in extracted] == []
    assert [s for s in printed if _squash(s) not in tagged] == []


def test_the_conjuncts_are_the_fonts_own_glyphs() -> None:
    """Every conjunct of the shipped text is set with glyphs HarfBuzz took from the font's
    GSUB (a half form, a ligature, a reph): glyph ids that are none of its characters'
    nominal glyphs. The renderer draws exactly these glyphs (next test)."""
    _, doc = lay_out(SHEET_DIR, LANG, "letter")
    runs = [run for _, run in text_runs(doc) if "Devanagari" in run.font]
    written = {(m.group(), run.font) for run in runs for m in CONJUNCT.finditer(run.text)}
    assert len({c for c, _ in written}) > 20  # the sheet has dozens: स्त, ड्ड, ष्ट, ज़्य…
    unformed = []
    for conjunct, font in sorted(written):
        cmap = pdfmetrics.getFont(font).face.charToGlyph
        drawn = {cmap[ord(char)] for char in shape(conjunct, font).chars}
        if not drawn - {cmap[ord(char)] for char in conjunct}:  # a half form, a ligature…
            unformed.append(conjunct)
    assert unformed == []


def test_the_pdf_draws_conjunct_glyphs(built: Callable[[EditionKey], Path]) -> None:
    with pikepdf.open(built((SHEET_DIR.name, LANG, "letter"))) as pdf:
        values = [
            text
            for page in pdf.pages
            for font in page.Resources.Font.values()
            if "Devanagari" in str(font.BaseFont)
            for text in parse_cmap(font.ToUnicode.read_bytes()).chars.values()
        ]
    assert sum(1 for text in values if CONJUNCT.search(text)) >= 20


@pytest.mark.parametrize("layout", ["letter", "large-print"])
def test_devanagari_lines_have_the_room_the_brand_gives_them(layout: str) -> None:
    """Lines of a Hindi paragraph sit (size × leading × the brand's Deva factor) apart:
    room above the headline for the vowel signs and below for stacked conjuncts."""
    theme = load_theme(layout)
    factor = theme.script_leading["Deva"]
    assert factor > 1
    _, doc = lay_out(SHEET_DIR, LANG, layout)
    lines = [i for i in doc.pages[0].items if isinstance(i, frames.TextLine) and i.runs]
    size = Counter(line.runs[0].size for line in lines).most_common(1)[0][0]  # the body's
    body = [line for line in lines if line.runs[0].size == size]
    steps = Counter(round(a.y - b.y, 2) for a, b in itertools.pairwise(body) if a.x == b.x)
    # the most common step between two body lines is one line: 9.1 × 1.3 × 1.2 = 14.2 pt
    assert steps.most_common(1)[0][0] == round(size * theme.body.leading * factor, 2)


def test_a_script_the_brand_says_nothing_of_keeps_the_layouts_type() -> None:
    from factsheet.layout.theme import for_language

    theme = load_theme("letter")
    assert for_language(theme, "en") is theme and for_language(theme, "zz") is theme
    hindi = for_language(theme, "hi")
    assert hindi is for_language(theme, "hi")  # one theme per script: one setter, one cache
    assert hindi.body.leading == pytest.approx(theme.body.leading * theme.script_leading["Deva"])
    assert hindi.body.size == theme.body.size and hindi.regions == theme.regions


def test_the_hindi_catalog_needs_no_guard_exception() -> None:
    """Its clock times ("सुबह 9 बजे" = 9 a.m.) are read as times: no reviewed marker is
    left to hide a wrong hour (tests/catalog_cases/hindi-time-of-day shows one refused)."""
    assert "guard-allow" not in (SHEET_DIR / f"{LANG}.po").read_text(encoding="utf-8")
