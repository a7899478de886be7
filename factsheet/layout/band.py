"""The branded header band: ribbon mark, series name and topic, wordmark.

The band keeps its size whatever the fitter does to the body type: it is the
brand, and it must look the same on every sheet and in every language.
"""

from __future__ import annotations

from dataclasses import replace

from factsheet.content import model as m
from factsheet.layout.flow import Context, Flow
from factsheet.layout.frames import Item, Path, Rect
from factsheet.layout.text import simple
from factsheet.layout.theme import TextStyle

# An awareness-ribbon loop drawn as one stroked curve, in a 0.6 × 1 box.
# Our own drawing: no other organisation's logo is used.
RIBBON = (
    ("M", (0.08, 0.02)),
    ("C", (0.28, 0.36, 0.56, 0.60, 0.50, 0.84)),
    ("C", (0.45, 1.02, 0.15, 1.02, 0.10, 0.84)),
    ("C", (0.04, 0.60, 0.32, 0.36, 0.52, 0.02)),
)


def band_items(ctx: Context, sheet: m.Sheet, page: int) -> tuple[list[Item], float]:
    """Items of the band on `page` (0-based), and the y below the band's gap."""
    theme = ctx.theme
    band = theme.band
    assert band is not None  # the engine calls this only for a layout's band region
    x = theme.margin_left
    top = theme.page_height - theme.margin_top
    width = theme.content_width
    items: list[Item] = [Rect(x, top - band.height, width, band.height, band.fill)]
    mark_h = band.mark_height
    mark_w = mark_h * 0.6
    mark_y = top - (band.height + mark_h) / 2
    items.append(_ribbon(x + band.padding, mark_y, mark_h, band.mark_color))
    # The title is the document's H1 on the first page; repeats are page furniture.
    # The topic prints in capitals; a screen reader gets the words as written,
    # not "B-O-N-E" or a shouted title.
    title = f"{sheet.series}: {sheet.title}"
    elem = ctx.elem("H1", 0, ActualText=title) if page == 0 else None
    text_x = x + band.padding * 1.6 + mark_w
    text_w = width - (text_x - x) - band.padding
    wordmark = _wordmark(ctx, sheet, x + width - band.padding, top - band.height + band.padding)
    flow = Flow(ctx, text_x, top - band.padding * 0.75, text_w, None)
    flow.text(simple(sheet.series), band.series, elem)
    topic_text = simple(sheet.title.upper())
    flow.text(topic_text, _shrink_to(ctx, topic_text, band.topic, text_w - _width(wordmark)), elem)
    items.extend(flow.items)
    items.extend(wordmark)
    return items, top - band.height - band.gap_after


def _shrink_to(ctx: Context, text: m.Inline, style: TextStyle, width: float) -> TextStyle:
    """A long translated topic gets smaller type rather than a second line."""
    tokens = ctx.setter.tokens(text, style.font, style.color)
    natural = sum(t.unit + (t.space.unit if t.space else 0.0) for t in tokens) * style.size
    if natural <= width:
        return style
    size = style.size * width / natural
    ctx.warn(f"the topic is set at {size:.1f} pt, not {style.size:g} pt, to fit the band")
    return replace(style, size=size)


def _ribbon(x: float, y: float, height: float, color: tuple[float, float, float]) -> Path:
    points = tuple(
        (op, tuple(v * height + (x if i % 2 == 0 else y) for i, v in enumerate(coords)))
        for op, coords in RIBBON
    )
    return Path(points, None, color, height * 0.13)


def _wordmark(ctx: Context, sheet: m.Sheet, right: float, baseline_bottom: float) -> list[Item]:
    """The layout's wordmark, right-aligned in the band; `{publisher}` is the
    sheet's publisher, so the mark needs no translation."""
    band = ctx.theme.band
    assert band is not None
    text = band.wordmark.replace("{publisher}", sheet.publisher.name)
    if not text:
        return []
    style = band.wordmark_style
    inline = simple(text)
    tokens = ctx.setter.tokens(inline, style.font, style.color)
    width = ctx.setter.lines(tokens, 1e9, style.size)[0].width(style.size)
    flow = Flow(ctx, right - width, baseline_bottom + style.line_height, width, None)
    flow.text(inline, style, None)
    return list(flow.items)


def _width(items: list[Item]) -> float:
    return sum(run.width for item in items for run in getattr(item, "runs", ()))
