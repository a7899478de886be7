"""The band holds any reasonable title: it wraps before it shrinks, keeps clear of the
wordmark, and a title too long even for two lines at the smallest size fails the build."""

from __future__ import annotations

import dataclasses
import io

import pypdf
import pytest

from factsheet.content import model as m
from factsheet.errors import FitError
from factsheet.layout.engine import layout_sheet
from factsheet.layout.frames import TextLine
from factsheet.layout.theme import load_theme
from factsheet.render.pdf import render_pdf

TITLE_60 = "Bone Protection and Pain Relief When Cancer Reaches the Bones"
TITLE_140 = (
    "Bone Protection, Bone Strength and Bone Pain: Everything You Need to Know About "
    "Living With Metastatic Breast Cancer That Has Spread to Bone"
)


def _band_lines(doc_page: tuple[object, ...], top: float, bottom: float) -> list[TextLine]:
    return [i for i in doc_page if isinstance(i, TextLine) and bottom <= i.y <= top]


@pytest.mark.parametrize("layout", ["letter", "a4"])
def test_a_60_character_title_wraps_to_two_lines_and_keeps_the_gap(
    sheet: m.Sheet, layout: str
) -> None:
    assert 60 <= len(TITLE_60) <= 62
    theme = load_theme(layout)
    band = theme.band
    assert band is not None
    doc = layout_sheet(dataclasses.replace(sheet, title=TITLE_60), theme)
    top = theme.page_height - theme.margin_top
    lines = _band_lines(doc.pages[0].items, top, top - band.max_height)
    topic = [line for line in lines if line.text.isupper() and line.runs[0].size >= 16]
    wordmark = next(line for line in lines if line.text == sheet.publisher.name)
    assert len(topic) == 2, [line.text for line in lines]
    assert " ".join(line.text.strip() for line in topic) == TITLE_60.upper()
    assert topic[0].runs[0].size >= band.topic_min
    for line in topic:  # every topic line ends at least the layout's gap before the mark
        right = line.x + sum(run.width for run in line.runs)
        assert right + band.wordmark_gap <= wordmark.x + 0.01
    assert not doc.warnings
    # In the PDF: the title's last word and the publisher are separate words.
    text = pypdf.PdfReader(io.BytesIO(render_pdf(doc))).pages[0].extract_text()
    assert "BONESSusan" not in text
    assert "BONES" in text and sheet.publisher.name in text


def test_a_140_character_title_fails_naming_the_title_and_what_to_cut(sheet: m.Sheet) -> None:
    assert len(TITLE_140) == 140
    with pytest.raises(FitError) as info:
        layout_sheet(dataclasses.replace(sheet, title=TITLE_140), load_theme("letter"))
    message = str(info.value)
    assert f"the title '{TITLE_140}' (140 characters) does not fit the band" in message
    assert "smallest topic size, 16 pt" in message
    cut = int(message.split("cut about ")[1].split()[0])
    assert 20 < cut < 140
    # Cutting that much (whole words from the end) does fit.
    shorter = TITLE_140[: len(TITLE_140) - cut].rsplit(" ", 1)[0]
    doc = layout_sheet(dataclasses.replace(sheet, title=shorter), load_theme("letter"))
    assert len(doc.pages) == 2


def test_the_default_title_keeps_one_line_at_the_brand_size(sheet: m.Sheet) -> None:
    theme = load_theme("letter")
    assert theme.band is not None
    doc = layout_sheet(sheet, theme)
    sizes = {
        run.size
        for item in doc.pages[0].items
        if isinstance(item, TextLine)
        for run in item.runs
        if item.text == sheet.title.upper()
    }
    assert sizes == {theme.band.topic.size}
