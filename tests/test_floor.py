"""A readable floor: body text never below 9 pt in letter and a4, and every shipped
edition fits at or above it (by rebalancing its columns when it must)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from factsheet.content import model as m
from factsheet.errors import FitError
from factsheet.layout.engine import column_boxes, layout_sheet
from factsheet.layout.frames import TextLine
from factsheet.layout.theme import load_theme
from factsheet.publish.build import lay_out
from factsheet.publish.catalogue import editions

FLOOR = 9.0
SHIPPED = [(e.folder, e.lang) for e in editions()]


@pytest.mark.parametrize("layout", ["letter", "a4"])
def test_the_shipped_layouts_never_set_body_text_below_9_pt(layout: str) -> None:
    assert load_theme(layout).floor >= FLOOR


@pytest.mark.parametrize("layout", ["letter", "a4"])
@pytest.mark.parametrize(
    ("folder", "lang"), SHIPPED, ids=[f"{f.name}-{lang}" for f, lang in SHIPPED]
)
def test_every_shipped_edition_fits_at_9_pt_or_more(folder: Path, lang: str, layout: str) -> None:
    # Drafts too: an entry a translator has not finished prints in English, and
    # the edition must still fit (a finished one is the same length or shorter).
    _, doc = lay_out(folder, lang, layout, draft=lang != "en")
    assert doc.body_size >= FLOOR
    assert len(doc.pages) <= load_theme(layout).max_pages


def _with_sidebar_paragraph(sheet: m.Sheet, words: int) -> m.Sheet:
    text = " ".join(["Ask your care team which of these drugs suits you best."] * (words // 10))
    paragraph = m.Paragraph((m.Span(text),), sheet.source)
    block = m.Callout((m.Span("Questions for your care team"),), (paragraph,), sheet.source)
    first = sheet.pages[0]
    pages = (dataclasses.replace(first, sidebar=(*first.sidebar, block)), *sheet.pages[1:])
    return dataclasses.replace(sheet, pages=pages)


def test_a_sidebar_too_full_for_the_floor_moves_its_last_box_to_the_main_column(
    sheet: m.Sheet,
) -> None:
    theme = load_theme("letter")
    grown = _with_sidebar_paragraph(sheet, 120)
    doc = layout_sheet(grown, theme)
    assert doc.body_size >= FLOOR
    main_x, main_w = column_boxes(theme, rtl=False)["main"]
    moved = [i for i in doc.pages[0].items if isinstance(i, TextLine) and "care team" in i.text]
    assert moved and all(main_x <= line.x < main_x + main_w for line in moved)
    # It is read where it was written: after the main text and the sidebar's boxes.
    texts = [i.text for i in doc.pages[0].items if isinstance(i, TextLine)]
    last_main = max(i for i, t in enumerate(texts) if "spinal cord compression" in t)
    last_side = max(i for i, t in enumerate(texts) if "send a request" in t)
    assert texts.index(moved[0].text) > max(last_main, last_side)


def test_what_does_not_fit_even_after_moving_boxes_still_fails_naming_the_region(
    sheet: m.Sheet,
) -> None:
    with pytest.raises(FitError) as info:
        layout_sheet(_with_sidebar_paragraph(sheet, 900), load_theme("letter"))
    assert "page 1 sidebar overflows by" in str(info.value)
    assert "even at the floor size 9 pt" in str(info.value)
