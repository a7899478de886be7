"""Large print: every sheet in every language, one column, body at least 16 pt, every
string of the content in reading order, over as many pages as it needs."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest

from factsheet.content.clinic import load_clinic
from factsheet.layout.frames import TextLine
from factsheet.layout.theme import load_theme
from factsheet.publish.build import lay_out
from factsheet.publish.catalogue import editions
from factsheet.render.pdf import render_pdf
from tests.helpers import ROOT, region_strings

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


@pytest.mark.parametrize("sheet_id", ["bone-protection", "questions-to-ask"])
def test_a_co_branded_large_print_edition_moves_nothing(sheet_id: str) -> None:
    """The clinic's block fills the slot kept free at the foot of the last page: the same
    pages, the same lines, and the clinic's details after everything else."""
    folder = ROOT / "content" / sheet_id
    clinic = load_clinic(ROOT / "examples" / "clinic.yaml")
    _sheet, plain = lay_out(folder, "en", "large-print")
    _sheet, branded = lay_out(folder, "en", "large-print", clinic=clinic)
    assert len(branded.pages) == len(plain.pages)
    lines = [[i.text for i in p.items if isinstance(i, TextLine)] for p in plain.pages]
    branded_lines = [[i.text for i in p.items if isinstance(i, TextLine)] for p in branded.pages]
    assert branded_lines[:-1] == lines[:-1] and branded_lines[-1][: len(lines[-1])] == lines[-1]
    added = branded_lines[-1][len(lines[-1]) :]
    assert clinic.name in added and clinic.phone in added
    last = [i for i in branded.pages[-1].items if isinstance(i, TextLine)]
    content_bottom = min(i.y for i in last[: len(lines[-1])])
    assert all(i.y < content_bottom for i in last[len(lines[-1]) :])  # below the content
    text = pypdf.PdfReader(io.BytesIO(render_pdf(branded))).pages[-1].extract_text()
    assert clinic.name in text


def test_large_print_breaks_lines_by_the_editions_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """Line breaking and hyphenation follow the edition's language (Chinese kinsoku,
    Spanish hyphenation), in the flowing layout as in the fixed ones."""
    import functools

    import factsheet.layout.engine as engine
    import factsheet.layout.text as text

    asked: dict[str, set[str]] = {}
    real = text.break_units

    def spy(paragraph: str, lang: str = "") -> tuple[str, ...]:
        asked.setdefault(lang, set()).add(paragraph)
        return real(paragraph, lang)

    monkeypatch.setattr(text, "break_units", spy)
    # A fresh setter, so every text is broken here, not found among earlier tests' words.
    monkeypatch.setattr(engine, "setter_for", functools.cache(engine.setter_for.__wrapped__))
    lay_out(ROOT / "content" / "bone-protection", "zh-Hans", "large-print")
    chinese = re.compile(r"[\u4e00-\u9fff]")
    elsewhere = [p for lang, texts in asked.items() if lang != "zh-Hans" for p in texts]
    assert asked.get("zh-Hans") and not [p for p in elsewhere if chinese.search(p)]
