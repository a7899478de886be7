"""The fitter's promises: the largest type that fits, found in a bounded number of passes."""

from __future__ import annotations

import dataclasses

import pytest

from factsheet.content import model as m
from factsheet.errors import FitError
from factsheet.layout.engine import _candidate_sizes, compose, layout_sheet, setter_for
from factsheet.layout.theme import load_theme

SENTENCE = "Radiation therapy to the bone can ease pain and help prevent fractures. "


def _grow(sheet: m.Sheet, page: int, region: str, words: int) -> m.Sheet:
    """The sheet with a paragraph of about `words` words added to one region."""
    text = (SENTENCE * (words // 12 + 1)).strip()
    block = m.Paragraph((m.Span(text),), sheet.source)
    pages = list(sheet.pages)
    blocks = (*getattr(pages[page], region), block)
    pages[page] = dataclasses.replace(pages[page], **{region: blocks})
    return dataclasses.replace(sheet, pages=tuple(pages))


def _fits(sheet: m.Sheet, layout: str, size: float, spill: bool = False) -> bool:
    theme = load_theme(layout)
    scale = round(size / theme.body.size, 4)
    trial = compose(sheet, theme, setter_for(theme), scale, spill=spill)
    return not trial.overflows


@pytest.mark.parametrize(
    ("page", "region", "words"),
    [(0, "main", 0), (0, "main", 120), (0, "sidebar", 40), (1, "main", 80), (1, "sidebar", 120)],
)
@pytest.mark.parametrize("layout", ["letter", "a4"])
def test_the_chosen_size_fits_and_one_step_larger_does_not(
    sheet: m.Sheet, layout: str, page: int, region: str, words: int
) -> None:
    grown = _grow(sheet, page, region, words)
    theme = load_theme(layout)
    doc = layout_sheet(grown, theme)
    sizes = _candidate_sizes(theme)
    assert doc.body_size in sizes
    # A sheet that fits only with boxes moved (docs/layouts.md) fits so, and not without.
    assert _fits(grown, layout, doc.body_size, doc.rebalanced)
    if doc.rebalanced:
        assert not _fits(grown, layout, sizes[-1])
    if doc.body_size < sizes[0]:
        larger = sizes[sizes.index(doc.body_size) - 1]
        assert not _fits(grown, layout, larger, doc.rebalanced)
    # 11 sizes (10 pt down to 9 pt by 0.1): a search, not a walk down every size;
    # a sheet fitted by moving boxes was searched twice (without, then with).
    assert doc.passes <= (16 if doc.rebalanced else 9)


def test_content_that_fits_at_full_size_takes_two_passes(sheet: m.Sheet) -> None:
    # Take away the page-1 sidebar's resources box and page 2's review line (small print at
    # its foot) so every region fits at 10 pt.
    pages = list(sheet.pages)
    pages[0] = dataclasses.replace(pages[0], sidebar=pages[0].sidebar[:1])
    pages[-1] = dataclasses.replace(pages[-1], footer=())
    doc = layout_sheet(dataclasses.replace(sheet, pages=tuple(pages)), load_theme("letter"))
    assert doc.scale == 1.0 and doc.passes == 2  # one measuring pass, one to place items


def test_content_too_long_for_the_floor_names_its_region(sheet: m.Sheet) -> None:
    with pytest.raises(FitError) as info:
        layout_sheet(_grow(sheet, 1, "sidebar", 900), load_theme("letter"))
    messages = [str(p) for p in info.value.problems]
    assert any("page 2 sidebar overflows by" in text for text in messages), messages
    assert all("page 1" not in text for text in messages)
