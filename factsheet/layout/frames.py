"""What the layout stage hands to the renderer: pages of placed items.

A closed set of item kinds (text line, rectangle, path, image, link area), each
with absolute coordinates in PDF points (origin bottom-left), plus a structure
tree that says what every item means. The renderer draws items in list order,
which is the reading order: the layout's regions in their order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path as FilePath

Color = tuple[float, float, float]  # RGB, 0..1


@dataclass(frozen=True)
class Run:
    """Part of a line set in one font, size and colour."""

    text: str
    font: str  # registered font name
    size: float
    color: Color
    width: float
    elem: int | None  # the structure element this text belongs to; None for an artifact
    embolden: bool = False  # bold from a font with no bold face: fill and stroke the glyphs
    invisible: bool = False  # read, not printed: a table's caption (text render mode 3)
    # What the run stands for when it is not its own text (PDF ActualText): "" for the
    # hyphen shown at a soft break, which is not part of the word; None for plain text.
    actual: str | None = None
    # Where the run's glyphs start, from the line's x: runs are in logical (reading)
    # order, and in a line with right-to-left text that is not their order on the page.
    dx: float = 0.0
    rtl: bool = False  # shaped right to left (odd bidi level): glyphs in visual order


@dataclass(frozen=True)
class TextLine:
    x: float  # the left edge of what shows
    y: float  # baseline
    runs: tuple[Run, ...]  # in reading order, each at its own `dx`

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: Color | None
    stroke: Color | None = None
    line_width: float = 0.0


@dataclass(frozen=True)
class Path:
    """A vector shape: move-to, then lines and cubic curves; filled or stroked."""

    points: tuple[tuple[str, tuple[float, ...]], ...]  # ("M"|"L"|"C", coords)
    fill: Color | None
    stroke: Color | None = None
    line_width: float = 0.0


@dataclass(frozen=True)
class ImageItem:
    x: float
    y: float
    width: float
    height: float
    path: FilePath
    elem: int | None


@dataclass(frozen=True)
class LinkArea:
    """A clickable rectangle over text; `elem` is the Link element it belongs to."""

    x: float
    y: float
    width: float
    height: float
    href: str
    elem: int | None


Item = TextLine | Rect | Path | ImageItem | LinkArea


@dataclass
class Element:
    """A node of the structure tree (PDF/UA roles: H1, P, L, LI, Table, TH, …)."""

    id: int
    role: str
    parent: int | None
    attrs: dict[str, str] = field(default_factory=dict)  # Alt, Lang, Scope, …


@dataclass(frozen=True)
class PageFrame:
    width: float
    height: float
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Document:
    """A laid-out sheet: everything the renderer needs, nothing it must compute."""

    pages: tuple[PageFrame, ...]
    elements: tuple[Element, ...]
    metadata: dict[str, str]  # title, author, subject, keywords, lang, creator, date
    fonts: dict[str, str]  # registered font name → TrueType file, for the renderer
    scale: float  # the type scale the fitter chose (1.0 = the layout's sizes)
    body_size: float  # body text size at that scale, in points
    passes: int  # layout passes the fitter made
    warnings: tuple[str, ...] = ()  # what a careful reader of the output should know
    rebalanced: bool = False  # boxes moved to another column (`overflow_to`) to fit
