"""Large print: every sheet in every language, one column, body at least 16 pt, every
string of the content in reading order, over as many pages as it needs."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest

from factsheet.layout.frames import TextLine
from factsheet.layout.theme import load_theme
from factsheet.publish.build import lay_out
from factsheet.publish.catalogue import editions
from factsheet.render.pdf import render_pdf
from tests.helpers import region_strings

EDITIONS = [(e.folder, e.lang) for e in editions()]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\u00ad", ""))


@pytest.mark.parametrize(("folder", "lang"), EDITIONS, ids=[f"{f.name}-{g}" for f, g in EDITIONS])
def test_large_print_has_16_pt_body_and_every_string_in_order(folder: Path, lang: str) -> None:
    theme = load_theme("large-print")
    assert theme.band is not None
    sheet, doc = lay_out(folder, lang, "large-print", draft=lang != "en")
    assert 2 <= len(doc.pages) <= theme.max_pages
    band_bottom = theme.page_height - theme.margin_top - theme.band.max_height
    for page in doc.pages:
        for item in page.items:
            if isinstance(item, TextLine) and item.y < band_bottom:  # below the band
                assert all(run.size >= 16 for run in item.runs), item.text
    sizes = [
        run.size
        for page in doc.pages
        for item in page.items
        if isinstance(item, TextLine) and item.y < band_bottom
        for run in item.runs
    ]
    assert max(sizes) >= 20  # headings larger than the body
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(doc)))
    furniture = [sheet.series, sheet.title.upper(), sheet.publisher.name, "DRAFT TRANSLATION"]
    text = "".join(_without_band(page.extract_text(), furniture) for page in reader.pages)
    text = text.replace("-", "")  # a word hyphenated at a line end extracts with its hyphen
    position = 0
    for content in sheet.pages:
        for string in region_strings(content, text):
            found = text.find(_squash(string).replace("-", ""), position)
            assert found >= 0, (lang, string)  # present, and after the one before
            position = found


def _without_band(page: str, furniture: list[str]) -> str:
    """A page's text without the band it repeats (a paragraph may run on past it)."""
    text = _squash(page)
    for part in furniture:
        head = text.find(_squash(part), 0, 300)
        if head >= 0:
            text = text[:head] + text[head + len(_squash(part)) :]
    return text
