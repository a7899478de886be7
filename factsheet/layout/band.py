"""The branded header band: ribbon mark, series name and topic, wordmark.

The band keeps its size whatever the fitter does to the body type: it is the
brand, and it must look the same on every sheet and in every language. Only a
long title changes it: the topic wraps to a second line (the band grows, up to
the layout's `max_height`) before it is set smaller, never below `topic_min`,
and always ends `wordmark_gap` before the wordmark.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from factsheet.content import model as m
from factsheet.errors import Problem
from factsheet.layout.flow import Context, Flow
from factsheet.layout.frames import Item, Path, Rect, TextLine
from factsheet.layout.text import simple
from factsheet.layout.theme import Band, TextStyle

# An awareness-ribbon loop drawn as one stroked curve, in a 0.6 × 1 box.
# Our own drawing: no other organisation's logo is used.
RIBBON = (
    ("M", (0.08, 0.02)),
    ("C", (0.28, 0.36, 0.56, 0.60, 0.50, 0.84)),
    ("C", (0.45, 1.02, 0.15, 1.02, 0.10, 0.84)),
    ("C", (0.04, 0.60, 0.32, 0.36, 0.52, 0.02)),
)


@dataclass(frozen=True)
class TopicSetting:
    """How the topic is set: its size, its lines, and the band's height for them."""

    style: TextStyle
    lines: int
    height: float


def topic_setting(ctx: Context, sheet: m.Sheet) -> TopicSetting:
    """The largest topic size at which the title fits the band in one or two lines.

    At each size (the brand's first, then down in half points to the layout's
    `topic_min`) one line is tried, then two with the band grown to at most
    `max_height`: a long title wraps before it shrinks. Below `topic_min` the
    build fails, naming the title and how many characters to cut.
    """
    band = _band(ctx)
    width = _topic_width(ctx, sheet)
    text = simple(sheet.title.upper())
    size = band.topic.size
    while size >= band.topic_min - 1e-9:
        style = replace(band.topic, size=size)
        lines = _lines(ctx, text, style, width)
        height = band.height + (lines - 1) * style.line_height  # a second line grows it
        if lines == 1 or (lines == 2 and height <= band.max_height + 0.01):
            return TopicSetting(style, lines, height)
        size = round(size - 0.5, 2)
    # Reported with everything else that does not fit; laid out at the smallest size.
    ctx.problem(_too_long(ctx, sheet, width))
    return TopicSetting(replace(band.topic, size=band.topic_min), 2, band.max_height)


def _band(ctx: Context) -> Band:
    band = ctx.theme.band
    assert band is not None  # the engine asks only for a layout's band region
    return band


def _geometry(ctx: Context) -> tuple[float, float, float]:
    """The band's left edge, the topic's left edge and the topic column's width."""
    theme, band = ctx.theme, _band(ctx)
    x = theme.margin_left
    text_x = x + band.padding * 1.6 + band.mark_height * 0.6
    return x, text_x, theme.content_width - (text_x - x) - band.padding


def _topic_width(ctx: Context, sheet: m.Sheet) -> float:
    """The topic's lines end a `wordmark_gap` before the wordmark, on every line."""
    band = _band(ctx)
    mark = _wordmark_width(ctx, sheet)
    return _geometry(ctx)[2] - (mark + band.wordmark_gap if mark else 0.0)


def _lines(ctx: Context, text: m.Inline, style: TextStyle, width: float) -> int:
    # The topic is in the edition's language: its line breaking and hyphenation.
    tokens = ctx.setter.tokens(text, style.font, style.color, ctx.lang)
    return ctx.setter.count_lines(tokens, width, style.size, ctx.lang)


def _too_long(ctx: Context, sheet: m.Sheet, width: float) -> Problem:
    """How much of the title to cut: the longest run of its words that fits in two lines."""
    band = _band(ctx)
    style = replace(band.topic, size=band.topic_min)
    words = sheet.title.split()
    kept = 0
    while kept < len(words):
        trial = simple(" ".join(words[: kept + 1]).upper())
        if _lines(ctx, trial, style, width) > 2:
            break
        kept += 1
    cut = max(1, len(sheet.title) - len(" ".join(words[:kept])))
    return Problem(
        sheet.source.file,
        0,
        0,
        "title",
        f"the title '{sheet.title}' ({len(sheet.title)} characters) does not fit the band "
        f"in two lines even at the smallest topic size, {band.topic_min:g} pt",
        f"cut about {cut} characters from the title (the subject can say the rest)",
    )


def band_items(ctx: Context, sheet: m.Sheet, page: int) -> tuple[list[Item], float]:
    """Items of the band on `page` (0-based), and the y below the band's gap."""
    theme = ctx.theme
    band = _band(ctx)
    topic = topic_setting(ctx, sheet)
    x, text_x, text_w = _geometry(ctx)
    top = theme.page_height - theme.margin_top
    width = theme.content_width
    items: list[Item] = [Rect(x, top - topic.height, width, topic.height, band.fill)]
    mark_h = band.mark_height
    mark_y = top - (band.height + mark_h) / 2  # level with the first lines, however tall
    items.append(_ribbon(x + band.padding, mark_y, mark_h, band.mark_color))
    # The title is the document's H1 on the first page; repeats are page furniture.
    # The topic prints in capitals; a screen reader gets the words as written,
    # not "B-O-N-E" or a shouted title.
    title = f"{sheet.series}: {sheet.title}"
    elem = ctx.elem("H1", 0, ActualText=title) if page == 0 else None
    bottom = top - topic.height
    wordmark = _wordmark(ctx, sheet, x + width - band.padding, bottom + band.padding)
    flow = Flow(ctx, text_x, top - band.padding * 0.75, text_w, None)
    # Mirrored, the lines are set from the left and then flipped: they end up against
    # the mark, at the right. Not mirrored, right-to-left lines start at the right.
    align = "left" if ctx.mirror else "start"
    flow.text(simple(sheet.series), band.series, elem, align=align)
    topic_text = simple(sheet.title.upper())
    flow.text(topic_text, topic.style, elem, width=_topic_width(ctx, sheet), align=align)
    # Right to left, the wordmark is drawn before the titles: readers that build lines
    # from where glyphs sit (PDFium) put it on one line with the topic beside it when
    # it comes next, and read that line in the Latin wordmark's direction ("العظام
    # حماية Susan G. Komen®"); drawn first, it is a line of its own. Left to right,
    # the titles come first, as they are read.
    items.extend([*wordmark, *flow.items] if ctx.rtl else [*flow.items, *wordmark])
    return _mirrored(ctx, items), bottom - band.gap_after


def _ribbon(x: float, y: float, height: float, color: tuple[float, float, float]) -> Path:
    points = tuple(
        (op, tuple(v * height + (x if i % 2 == 0 else y) for i, v in enumerate(coords)))
        for op, coords in RIBBON
    )
    return Path(points, None, color, height * 0.13)


def _wordmark(ctx: Context, sheet: m.Sheet, right: float, baseline_bottom: float) -> list[Item]:
    """The layout's wordmark, right-aligned in the band; `{publisher}` is the
    sheet's publisher, so the mark needs no translation."""
    band = _band(ctx)
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


def _wordmark_width(ctx: Context, sheet: m.Sheet) -> float:
    band = _band(ctx)
    text = band.wordmark.replace("{publisher}", sheet.publisher.name)
    if not text:
        return 0.0
    style = band.wordmark_style
    tokens = ctx.setter.tokens(simple(text), style.font, style.color)
    return ctx.setter.lines(tokens, 1e9, style.size)[0].width(style.size)


def _mirrored(ctx: Context, items: list[Item]) -> list[Item]:
    """A right-to-left edition: mark and topic at the right, wordmark at the left."""
    if not ctx.mirror:
        return items
    theme = ctx.theme
    left, right = theme.margin_left, theme.margin_left + theme.content_width
    out: list[Item] = []
    for item in items:
        if isinstance(item, TextLine):
            width = sum(run.width for run in item.runs)
            out.append(replace(item, x=left + right - item.x - width))
        elif isinstance(item, Path):
            out.append(replace(item, points=_flip(item.points, left + right)))
        else:
            out.append(item)  # the band's fill spans the page: unchanged
    return out


def _flip(
    points: tuple[tuple[str, tuple[float, ...]], ...], axis: float
) -> tuple[tuple[str, tuple[float, ...]], ...]:
    return tuple(
        (op, tuple(axis - v if i % 2 == 0 else v for i, v in enumerate(coords)))
        for op, coords in points
    )
