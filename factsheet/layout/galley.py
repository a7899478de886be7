"""Flowing layouts (large print): the content set once as one long column, then cut into pages.

A layout with `pages: flow` has one column; every part of every sheet page it
holds (main, sidebar, footer) is set in it in reading order at the layout's own
type size — a large-print edition never shrinks its type — as a *galley*, with
y counted down from 0. The galley is then cut into pages between lines, never
inside a line, a table row or a picture, and never right after a heading or a
box title (they keep with what follows). A box cut by a page break continues
on the next page with its fill. Each page gets the band; items keep their
structure elements, so the tags read in the same order as the pages.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from factsheet.errors import FitError
from factsheet.layout.blame import Mark, at, starting, too_tall
from factsheet.layout.frames import ImageItem, Item, Path, Rect, TextLine
from factsheet.layout.theme import Theme

EDGE = 6.0  # a box cut by a page break keeps this much fill beyond the last line


@dataclass(frozen=True)
class Slice:
    """One page's part of the galley: from `top` down to `bottom` (galley coordinates)."""

    top: float
    bottom: float


def _extent(item: Item) -> tuple[float, float] | None:
    """The vertical span (top, bottom) a page break must not cut; None for fills."""
    if isinstance(item, TextLine):
        size = max((run.size for run in item.runs), default=0.0)
        return item.y + size, item.y - size * 0.35
    if isinstance(item, ImageItem):
        return item.y + item.height, item.y
    return None


def _merged(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Overlapping spans joined, top first."""
    out: list[tuple[float, float]] = []
    for top, bottom in sorted(spans, key=lambda s: -s[0]):
        if out and top > out[-1][1] - 0.01:
            out[-1] = (out[-1][0], min(out[-1][1], bottom))
        else:
            out.append((top, bottom))
    return out


def cut(
    items: list[Item], keeps: list[tuple[float, float]], room: float, marks: list[Mark]
) -> list[Slice]:
    """Page slices of at most `room` points, cut only between unbreakable spans; `marks`
    say where each block was set, for the message about one taller than a page."""
    spans = _merged([e for e in map(_extent, items) if e is not None] + keeps)
    slices: list[Slice] = []
    index = 0
    while index < len(spans):
        top = spans[index][0]
        end = index
        while end < len(spans) and top - spans[end][1] <= room + 0.01:
            end += 1
        if end == index:
            block = starting(marks, top)
            raise FitError([too_tall(block, top - spans[index][1], room, "a page")])
        slices.append(Slice(top, spans[end - 1][1]))
        index = end
    return slices


def place(items: list[Item], slices: list[Slice], content_top: float) -> list[list[Item]]:
    """The galley's items moved onto their pages; fills cut by a break are split."""
    pages: list[list[Item]] = [[] for _ in slices]
    for item in items:
        if isinstance(item, Rect):
            for number, piece in _pieces(item, slices):
                pages[number].append(_moved(piece, content_top - slices[number].top))
            continue
        number = _page_of(_top(item), slices)
        pages[number].append(_moved(item, content_top - slices[number].top))
    return pages


def _top(item: Item) -> float:
    if isinstance(item, TextLine):
        return item.y + max((run.size for run in item.runs), default=0.0)
    if isinstance(item, Path):
        return max(p[1][1] for p in item.points if len(p[1]) > 1)
    return item.y + item.height


def _page_of(y: float, slices: list[Slice]) -> int:
    """The page whose part of the galley holds y (see `_pieces`)."""
    for number, piece in enumerate(slices):
        if y > piece.bottom - 0.01:
            return number
    return len(slices) - 1


def _pieces(rect: Rect, slices: list[Slice]) -> list[tuple[int, Rect]]:
    """A fill's part on each page it reaches: page k owns the galley from the
    previous page's bottom down to its own (the last page: to the end)."""
    top, bottom = rect.y + rect.height, rect.y
    out = []
    for number, piece in enumerate(slices):
        upper = slices[number - 1].bottom if number else float("inf")
        lower = piece.bottom if number < len(slices) - 1 else float("-inf")
        if top <= lower or bottom >= upper:
            continue
        piece_top = top if top <= upper else piece.top + EDGE
        piece_bottom = bottom if bottom >= lower else piece.bottom - EDGE
        if piece_top - piece_bottom > 0.01:
            out.append((number, replace(rect, y=piece_bottom, height=piece_top - piece_bottom)))
    return out


def _moved(item: Item, dy: float) -> Item:
    if isinstance(item, Path):
        points = tuple(
            (op, tuple(v + dy if i % 2 else v for i, v in enumerate(coords)))
            for op, coords in item.points
        )
        return replace(item, points=points)
    return replace(item, y=item.y + dy)


def check_pages(slices: list[Slice], theme: Theme, marks: list[Mark]) -> None:
    """Refuse more pages than the layout allows, pointing at the block the first page
    too many starts with."""
    if len(slices) <= theme.max_pages:
        return
    block = starting(marks, slices[theme.max_pages].top)
    message = (
        f"the sheet needs {len(slices)} pages in layout '{theme.name}', which allows "
        f"{theme.max_pages}; page {theme.max_pages + 1} starts in this block"
    )
    raise FitError(
        [at(block.source, message, "shorten the sheet, or raise max_pages in the layout")]
    )
