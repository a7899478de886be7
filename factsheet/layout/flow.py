"""Block flow: stacks a region's blocks top-down and places every line.

One `Flow` lays out one pass of one sheet at one type scale. It appends placed
items in reading order and records the structure element of each, so the
renderer can tag what it draws without guessing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, assert_never

from PIL import Image as PILImage

from factsheet.content import model as m
from factsheet.errors import Problem
from factsheet.layout.frames import (
    Element,
    ImageItem,
    Item,
    LinkArea,
    Rect,
    Run,
    TextLine,
)
from factsheet.layout.table import WideTable, place_table
from factsheet.layout.text import Line, Segment, Setter, linked, simple
from factsheet.layout.theme import TextStyle, Theme

BULLET = "•"
TOO_WIDE = 10_000.0  # points a region overflows by when a word cannot fit its width


@dataclass
class Context:
    """What every block needs during one layout pass."""

    theme: Theme
    scale: float
    setter: Setter
    elements: list[Element] = field(default_factory=list)
    links: dict[tuple[int | None, int], int] = field(default_factory=dict)  # (block, span) → Link
    spans: dict[tuple[int | None, int], int] = field(default_factory=dict)  # … → Span with /Lang
    tall_rows: list[tuple[m.Source, str, float]] = field(default_factory=list)  # for fit errors
    too_wide: list[WideTable] = field(default_factory=list)  # tables wider than their region
    page: int = 0
    measure: bool = False  # a fitter's trial: advance the cursor, build no items
    styles: dict[str, TextStyle] = field(default_factory=dict)  # scaled, by name
    fill: float = 0.0  # the fullest region's used height over its room
    warnings: list[str] = field(default_factory=list)  # travel with the result
    problems: list[Problem] = field(default_factory=list)  # fail the build whatever the size
    page_use: dict[int, float] = field(default_factory=dict)  # page → sum of column fills
    # Spans (top, bottom) a page break must not cut: a heading with the lines after
    # it, a table row (used by flowing layouts, layout/galley.py).
    keeps: list[tuple[float, float]] = field(default_factory=list)
    only: frozenset[tuple[int, str]] | None = None  # regions to lay out; None for all
    rtl: bool = False  # the edition is written right to left: lines start at the right
    mirror: bool = False  # regions, table columns and band mirrored (rtl and `mirror_rtl`)
    spill: bool = False  # columns' trailing blocks that do not fit move to `overflow_to`
    lang: str = ""  # the edition's language (BCP 47): line breaking and hyphenation
    source: m.Source | None = None  # the block being laid out, for errors about its words
    long_words: list[tuple[m.Source | None, str]] = field(default_factory=list)  # unfit words

    def wants(self, page: int, region: str) -> bool:
        return self.only is None or (page, region) in self.only

    def style(self, name: str) -> TextStyle:
        style = self.styles.get(name)
        if style is None:
            style = self.styles[name] = self.theme.style(name).scaled(self.scale)
        return style

    def problem(self, problem: Problem) -> None:
        """Something that fails the build, reported with every other fit problem."""
        if problem not in self.problems:
            self.problems.append(problem)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def elem(self, role: str, parent: int | None, **attrs: str) -> int:
        element = Element(len(self.elements), role, parent, dict(attrs))
        self.elements.append(element)
        return element.id


class Flow:
    """Places blocks from `top` downwards in a column of the given width."""

    def __init__(
        self,
        ctx: Context,
        x: float,
        top: float,
        width: float,
        parent: int | None,
        region: str = "",
    ) -> None:
        self.ctx = ctx
        self.region = region  # the layout region this flow fills, for fit messages
        self.x = x
        self.top = top
        self.width = width
        self.parent = parent
        self.items: list[Item] = []
        self.y = top  # the top of the next block
        self.links: list[LinkArea] = []  # link areas of the line being placed
        self._after = 0.0  # space owed below the previous block

    @property
    def height(self) -> float:
        return self.top - self.y

    # -- spacing --------------------------------------------------------------

    def _open(self, space_before: float) -> None:
        """Collapse the previous block's space below with this one's space above."""
        if self.y < self.top:
            self.y -= max(self._after, space_before)
        self._after = 0.0

    def _close(self, space_after: float) -> None:
        self._after = space_after

    # -- text -----------------------------------------------------------------

    def text(
        self,
        inline: m.Inline,
        style: TextStyle,
        elem: int | None,
        x: float | None = None,
        width: float | None = None,
        align: str = "start",
    ) -> float:
        """Set inline text at the cursor; return its height. Lines start at the left,
        or at the right in a right-to-left edition; `align` "center" centres them,
        "left" sets them from the left whatever the direction."""
        x = self.x if x is None else x
        width = self.width if width is None else width
        setter, lang, rtl = self.ctx.setter, self.ctx.lang, self.ctx.rtl
        tokens = setter.tokens(inline, style.font, style.color, lang, rtl)
        top = self.y
        word = setter.unfit_word(tokens, width, style.size, lang)
        if word:
            # Not even hyphenated: the region cannot hold it at this size, and the
            # fitter's error names the word if no smaller size helps.
            self.ctx.long_words.append((self.ctx.source, word))
            self.y -= TOO_WIDE
        if self.ctx.measure:
            self.y -= setter.count_lines(tokens, width, style.size, lang) * style.line_height
            return top - self.y
        lines = setter.lines(tokens, width, style.size, lang)
        for line in lines:
            room = width - line.width(style.size)
            offset = room / 2 if align == "center" else room if rtl and align == "start" else 0.0
            self._line(line, x + offset, style, elem, inline)
        # No line alone at a page's foot or head: the first two and the last two
        # lines stay together (used when a flowing layout cuts pages).
        lead = style.line_height
        self.ctx.keeps.append((top, top - min(2, len(lines)) * lead))
        self.ctx.keeps.append((self.y + min(2, len(lines)) * lead, self.y))
        return top - self.y

    def _line(
        self, line: Line, x: float, style: TextStyle, elem: int | None, inline: m.Inline
    ) -> None:
        lead = style.line_height
        size = style.size
        baseline = self.y - (lead - size) / 2 - size * 0.8
        runs: list[Run] = []
        for segment, left, width in _placed(line, x, size):
            first = segment.first
            rtl = first.level % 2 == 1
            # What does not show (the space at the line's end) hangs off the run's end:
            # its left end when the run is set right to left.
            dx = left - x - (segment.unit * size - width if rtl else 0.0)
            run_elem = self._link_elem(elem, first.span, first.href) if first.href else elem
            lang = inline[first.span].lang if first.span < len(inline) else None
            if lang is not None:
                run_elem = self._lang_elem(run_elem, first.span, lang)
            if first.embolden:
                message = f"bold text is drawn by outlining {first.font}, which has no bold face"
                self.ctx.warn(message)
            text = segment.text
            actual = "" if first.soft else None
            runs.append(
                Run(
                    text,
                    first.font,
                    size,
                    first.color,
                    width,
                    run_elem,
                    first.embolden,
                    actual=actual,
                    dx=dx,
                    rtl=rtl,
                )
            )
            if first.href and text.strip():
                # The clickable area covers the glyphs from descender to ascender.
                link = self._link_elem(elem, first.span, first.href)
                top = baseline - size * 0.25
                area = LinkArea(left, top, width, size * 1.15, first.href, link)
                self._add_link_area(area)
        self.items.append(TextLine(x, baseline, tuple(runs)))
        self.items.extend(self.links)
        self.links.clear()
        self.y -= lead

    def _add_link_area(self, area: LinkArea) -> None:
        """One annotation per link per line: a link whose words are separate runs (a space
        in another font, a bold word) still gets a single area, one tab stop, not several."""
        last = self.links[-1] if self.links else None
        if last is not None and last.elem == area.elem and last.href == area.href:
            left = min(last.x, area.x)  # a right-to-left line places its runs leftwards
            right = max(last.x + last.width, area.x + area.width)
            self.links[-1] = replace(last, x=left, width=right - left)
        else:
            self.links.append(area)

    def _lang_elem(self, parent: int | None, span: int, lang: str) -> int:
        """One Span element with /Lang per marked span of a block, shared by its lines."""
        key = (parent, span)
        if key not in self.ctx.spans:
            self.ctx.spans[key] = self.ctx.elem("Span", parent, Lang=lang)
        return self.ctx.spans[key]

    def _link_elem(self, parent: int | None, span: int, href: str) -> int:
        """One Link element per link span of a block, shared by its lines."""
        key = (parent, span)
        if key not in self.ctx.links:
            self.ctx.links[key] = self.ctx.elem("Link", parent, href=href)
        return self.ctx.links[key]

    # -- blocks ---------------------------------------------------------------

    def blocks(self, blocks: tuple[m.Block, ...]) -> None:
        for block in blocks:
            self.block(block)

    def block(self, block: m.Block) -> None:
        """One block, by its type: a `match` mypy checks for exhaustiveness."""
        self.ctx.source = block.source
        match block:
            case m.Heading():
                self._heading(block)
            case m.Paragraph():
                self._paragraph(block)
            case m.BulletList():
                self._bulletlist(block)
            case m.Notice():
                self._notice(block)
            case m.Image():
                self._image(block)
            case m.Footer():
                self._paragraph(m.Paragraph(block.text, block.source), "footer")
            case m.Disclaimer():
                self._paragraph(m.Paragraph(block.text, block.source), "disclaimer")
            case m.Table():
                self._table(block)
            case m.ResourceList():
                self._resourcelist(block)
            case m.RelatedList():
                self._relatedlist(block)
            case m.Callout():
                self._callout(block)
            case _:
                assert_never(block)

    def _heading(self, block: m.Heading) -> None:
        style = self.ctx.style("heading2" if block.level <= 2 else "heading3")
        self._open(style.space_before)
        elem = self.ctx.elem(f"H{block.level}", self.parent)
        top = self.y
        self.text(block.text, style, elem)
        self._close(style.space_after)
        self.keep_with_next(top)

    def keep_with_next(self, top: float) -> None:
        """A title is not left at a page's foot: it keeps two body lines after it."""
        lines = 2 * self.ctx.style("body").line_height + self._after
        self.ctx.keeps.append((top, self.y - lines))

    def _paragraph(self, block: m.Paragraph, style_name: str = "body") -> None:
        style = self.ctx.style(style_name)  # "body" is no named style: the body's
        self._open(style.space_before)
        self.text(block.text, style, self.ctx.elem("P", self.parent))
        self._close(style.space_after)

    def _notice(self, block: m.Notice) -> None:
        style = self.ctx.style("notice")
        self._open(style.space_before)
        self.text(block.text, style, self.ctx.elem("P", self.parent, Lang=block.lang))
        self._close(style.space_after)

    def _bulletlist(self, block: m.BulletList) -> None:
        if block.checkbox:
            self.bullets(block.items, self.ctx.style("bullet"), checkbox=True)
        else:
            self.bullets(block.items, self.ctx.style("bullet"))

    def bullets(
        self,
        items: tuple[m.Inline, ...],
        style: TextStyle,
        hrefs: tuple[str | None, ...] = (),
        checkbox: bool = False,
    ) -> None:
        lst = self.ctx.elem("L", self.parent)
        # A box to tick needs more room than a bullet; both scale with the type.
        indent = style.size * 1.6 if checkbox else style.indent or style.size * 1.1
        for i, item in enumerate(items):
            self._open(style.space_before)
            li = self.ctx.elem("LI", lst)
            top = self.y
            if checkbox:
                self._checkbox(style)
            else:
                self.text(simple(BULLET), style, self.ctx.elem("Lbl", li))
            body = self.ctx.elem("LBody", li)
            self.y = top
            href = hrefs[i] if i < len(hrefs) else None
            text = linked(item, href)
            x = self.x if self.ctx.rtl else self.x + indent  # the indent at the start edge
            self.text(text, style, body, x=x, width=self.width - indent)
            self._close(style.space_after)

    def _checkbox(self, style: TextStyle) -> None:
        """An empty square on the first line's cap height: ink for a pen, not text.

        It is drawn as a rule (an artifact), so a screen reader hears the item's
        words only, as in any list; the list structure says it is one of several.
        """
        if self.ctx.measure:
            return
        side = style.size * 0.8
        baseline = self.y - (style.line_height - style.size) / 2 - style.size * 0.8
        x = self.x + self.width - side if self.ctx.rtl else self.x  # at the start edge
        color = self.ctx.theme.colors["text"]
        self.items.append(Rect(x, baseline - side * 0.05, side, side, None, color, 0.8))

    def _image(self, block: m.Image) -> None:
        with PILImage.open(block.path) as img:
            px_w, px_h = img.size
        width = self.width * block.width
        height = width * px_h / px_w
        self._open(self.ctx.theme.body.space_after * self.ctx.scale)
        elem = self.ctx.elem("Figure", self.parent, Alt=block.alt)
        self.y -= height
        self.items.append(ImageItem(self.x, self.y, width, height, block.path, elem))
        self._close(self.ctx.theme.body.space_after * self.ctx.scale)

    # -- boxes ----------------------------------------------------------------

    def box(self, title: m.Inline, fill: Any, fill_blocks: Any) -> None:
        """A titled, tinted box; `fill_blocks(inner)` lays out its content."""
        pad = self.ctx.theme.callout_padding * self.ctx.scale
        self._open(0.0)
        sect = self.ctx.elem("Sect", self.parent)
        mark = len(self.items)
        top = self.y
        inner = Flow(self.ctx, self.x + pad, top - pad, self.width - 2 * pad, sect, self.region)
        title_style = self.ctx.style("callout_title")
        inner.text(title, title_style, self.ctx.elem("H2", sect))
        inner._close(title_style.space_after)
        inner.keep_with_next(top)
        fill_blocks(inner)
        self.y = inner.y - pad
        self.items.insert(mark, Rect(self.x, self.y, self.width, top - self.y, fill))
        self.items.extend(inner.items)
        self._close(self.ctx.theme.callout_gap * self.ctx.scale)

    def _callout(self, block: m.Callout) -> None:
        self.box(block.title, self.ctx.theme.callout_fill, lambda inner: inner.blocks(block.blocks))

    def _resourcelist(self, block: m.ResourceList) -> None:
        self.box(
            block.title, self.ctx.theme.callout_fill, lambda inner: inner.resources(block.items)
        )

    def resources(self, items: tuple[m.Resource, ...]) -> None:
        name_style, text_style, link_style = (
            self.ctx.style(n) for n in ("resource_name", "resource_text", "link")
        )
        lst = self.ctx.elem("L", self.parent)
        for item in items:
            # No bullet, so no Lbl; an LI holds only Lbl and LBody (PDF/UA).
            body = self.ctx.elem("LBody", self.ctx.elem("LI", lst))
            self._open(name_style.space_before)
            self.text(item.name, name_style, self.ctx.elem("P", body))
            if item.description:
                self.text(item.description, text_style, self.ctx.elem("P", body))
            for link in item.links:
                self.text(simple(link.text, link.href), link_style, self.ctx.elem("P", body))
            self._close(text_style.space_after)

    def _relatedlist(self, block: m.RelatedList) -> None:
        style = self.ctx.style("bullet")
        items = tuple(item.title for item in block.items)
        hrefs = tuple(item.href for item in block.items)
        self.box(
            block.title,
            self.ctx.theme.callout_fill,
            lambda inner: inner.bullets(items, style, hrefs),
        )

    def _table(self, block: m.Table) -> None:
        self._open(0.0)
        self.y = place_table(self, block)
        self._close(self.ctx.theme.table.gap_after * self.ctx.scale)


def _placed(line: Line, x: float, size: float) -> list[tuple[Segment, float, float]]:
    """The line's segments in reading order, each with its left edge (the line's
    starting at `x`) and the room it takes at `size`: side by side in visual order.

    The last segment in reading order takes no room for the space at its end.
    """
    segments = line.segments
    widths = [segment.unit * size for segment in segments]
    widths[-1] = max(line.width(size) - sum(widths[:-1]), 0.0)
    lefts = [0.0] * len(segments)
    cursor = x
    for index in line.order or range(len(segments)):
        lefts[index] = cursor
        cursor += widths[index]
    return list(zip(segments, lefts, widths, strict=True))
