"""The "DRAFT TRANSLATION" tag: a contrasting label in the header band of every page.

A translation built with --draft (some entries still in English, or stale) must
never pass for a finished edition, whether printed, photocopied or read aloud:
the tag sits on both pages, in the band where every reader looks first, as
real text (a screen reader announces it on page 1, where it is tagged as a
paragraph in English; on page 2 it repeats as page furniture). It stays in
English on purpose: it speaks to the staff who review the draft.
"""

from __future__ import annotations

from dataclasses import replace

from factsheet.content import model as m
from factsheet.layout.flow import Context, Flow
from factsheet.layout.frames import Item, Rect
from factsheet.layout.text import simple

LABEL = "DRAFT TRANSLATION"


def draft_items(ctx: Context, sheet: m.Sheet, page: int) -> list[Item]:
    """The tag's box and text at the top right of the band, or nothing for a final edition."""
    if not sheet.draft:
        return []
    theme = ctx.theme
    band = theme.band
    if band is None:  # a layout without a band: the tag goes in the top margin
        return []
    style = replace(band.wordmark_style, color=theme.colors.get("text", (0.0, 0.0, 0.0)))
    label = simple(LABEL)
    tokens = ctx.setter.tokens(label, style.font, style.color)
    width = ctx.setter.lines(tokens, 1e9, style.size)[0].width(style.size)
    pad = style.size * 0.6
    right = theme.margin_left + theme.content_width - band.padding
    top = theme.page_height - theme.margin_top - band.padding * 0.5
    height = style.line_height + pad
    fill = theme.draft_fill  # colors.draft, or signal yellow
    box = Rect(right - width - 2 * pad, top - height, width + 2 * pad, height, fill)
    elem = ctx.elem("P", 0, Lang="en") if page == 0 else None
    flow = Flow(ctx, right - width - pad, top - pad / 2, width + 1.0, None)
    flow.text(label, style, elem)
    return [box, *flow.items]
