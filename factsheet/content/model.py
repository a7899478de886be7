"""The validated content model: plain, immutable data with no ReportLab in it.

The content stage turns a YAML file into a `Sheet`; the layout stage reads it.
Every block remembers where it came from (`Source`) so later stages can point a
person at the file, line and key that produced a problem.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal


@dataclass(frozen=True)
class Source:
    """Where a value was written: file, 1-based line and column, and key path."""

    file: str
    line: int
    column: int
    path: str  # e.g. "pages[0].main[3].bullets[1]"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Span:
    """A run of text with one style. `href` is an https:, mailto: or tel: URL; `lang`
    is set on text in another language than the sheet's (see content/langspans.py)."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None
    lang: str | None = None


Inline = tuple[Span, ...]


def plain(inline: Inline) -> str:
    """The text of an inline run without its styling."""
    return "".join(span.text for span in inline)


@dataclass(frozen=True)
class Heading:
    text: Inline
    level: int  # 2 for sections; 1 is the sheet title in the header band
    source: Source


@dataclass(frozen=True)
class Paragraph:
    text: Inline
    source: Source


@dataclass(frozen=True)
class BulletList:
    items: tuple[Inline, ...]
    source: Source
    checkbox: bool = False  # a checklist: each item after an empty box to tick, not a bullet


@dataclass(frozen=True)
class Notice:
    """A short line in another language, e.g. "Se habla español"."""

    text: Inline
    lang: str  # BCP 47 tag
    source: Source


@dataclass(frozen=True)
class Image:
    path: Path  # resolved, inside the sheet's content folder
    alt: str
    width: float  # fraction of the region's width, 0 < width <= 1
    source: Source


@dataclass(frozen=True)
class Footer:
    """The helpline block at the foot of a page."""

    text: Inline
    source: Source


@dataclass(frozen=True)
class Disclaimer:
    """Small print."""

    text: Inline
    source: Source


@dataclass(frozen=True)
class ColumnGroup:
    label: Inline
    span: int


@dataclass(frozen=True)
class TableRow:
    label: Inline  # the row header (a TH with row scope)
    cells: tuple[Inline, ...]


@dataclass(frozen=True)
class Table:
    caption: Inline  # a one-line summary, read by screen readers; not printed
    groups: tuple[ColumnGroup, ...]  # spans add up to len(header.cells)
    header: TableRow  # column headers; its label sits in the corner
    rows: tuple[TableRow, ...]
    source: Source


LinkKind = Literal["web", "email", "phone"]


@dataclass(frozen=True)
class Link:
    kind: LinkKind
    text: str  # what the reader sees
    href: str  # https:, mailto: or tel:


@dataclass(frozen=True)
class Resource:
    name: Inline
    description: Inline | None
    links: tuple[Link, ...]


@dataclass(frozen=True)
class ResourceList:
    title: Inline
    items: tuple[Resource, ...]
    source: Source


@dataclass(frozen=True)
class RelatedSheet:
    title: Inline
    href: str | None


@dataclass(frozen=True)
class RelatedList:
    title: Inline
    items: tuple[RelatedSheet, ...]
    source: Source


@dataclass(frozen=True)
class Callout:
    """A titled, tinted box holding other blocks."""

    title: Inline
    blocks: tuple[Block, ...]
    source: Source


Block = (
    Heading
    | Paragraph
    | BulletList
    | Notice
    | Image
    | Footer
    | Disclaimer
    | Table
    | ResourceList
    | RelatedList
    | Callout
)


STANDARD_PARTS = ("main", "sidebar", "footer")


@dataclass(frozen=True)
class Page:
    """One page's content, by the content part (`pages[0].main`) each block was written in.

    `main`, `sidebar` and `footer` are the parts every layout holds; a sheet may name
    others (`pages[0].notes`) for a layout whose regions hold them (layouts/*.yaml,
    `content:`), in the order they were written."""

    main: tuple[Block, ...]
    sidebar: tuple[Block, ...]
    footer: tuple[Block, ...] = ()
    others: tuple[tuple[str, tuple[Block, ...]], ...] = ()

    def part(self, name: str) -> tuple[Block, ...]:
        """The blocks written under `name` on this page (none if it has no such part)."""
        if name in STANDARD_PARTS:
            blocks: tuple[Block, ...] = getattr(self, name)
            return blocks
        return next((blocks for other, blocks in self.others if other == name), ())

    def parts(self) -> tuple[tuple[str, tuple[Block, ...]], ...]:
        """Every part with its blocks: the standard three, then the others."""
        return (
            ("main", self.main),
            ("sidebar", self.sidebar),
            ("footer", self.footer),
            *self.others,
        )


@dataclass(frozen=True)
class Helpline:
    label: str  # "Breast Care Helpline"
    display: str  # "1-877 GO KOMEN"
    number: str  # "+1-877-465-6636", dialled by the tel: link
    hours: str


@dataclass(frozen=True)
class Publisher:
    name: str
    website: str  # https URL
    email: str
    helpline: Helpline


@dataclass(frozen=True)
class Dates:
    updated: dt.date
    reviewed: dt.date
    next_review: dt.date | None = None  # as written; content.review computes the default


@dataclass(frozen=True)
class Sheet:
    id: str  # folder name, e.g. "bone-protection"
    language: str  # BCP 47, e.g. "en", "zh-Hans"
    series: str  # "Metastatic Breast Cancer"
    title: str  # "Bone Protection"
    subject: str  # one-sentence summary for the PDF metadata
    keywords: tuple[str, ...]
    publisher: Publisher
    dates: Dates
    pages: tuple[Page, ...]
    source: Source
    draft: bool = False  # a translation built with --draft
    warnings: tuple[str, ...] = field(default=())
    clinic_heading: str | None = None  # the co-branding box's title, in this language
    clinic_logo: str | None = None  # the word for a clinic's logo, in this language (its Alt)
    review_label: str | None = None  # "Reviewed {reviewed}. Next review by {next_review}."
