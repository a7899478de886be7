"""The outline (bookmarks) a viewer shows: every heading of the structure tree, in reading order.

Derived from the tree rather than listed by each kind of block, so no heading
can be missing: the H1 in the band, the section headings, and the titles of
the sidebar's boxes and the clinic box (all H2) appear in the order a screen
reader meets them, each pointing at the top of its first line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from factsheet.layout.frames import Document, Element, TextLine
from factsheet.layout.text import script_of

HEADING = re.compile(r"^H([1-6])$")


@dataclass(frozen=True)
class Bookmark:
    title: str
    level: int  # 0 for H1
    page: int  # 0-based
    y: float  # the top of the heading's first line


def bookmarks(doc: Document) -> list[Bookmark]:
    """One bookmark per heading element, in drawing (reading) order."""
    owner = _heading_of(doc.elements)
    lines: dict[int, list[str]] = {}
    where: dict[int, tuple[int, float]] = {}
    for number, page in enumerate(doc.pages):
        for item in page.items:
            if not isinstance(item, TextLine):
                continue
            for heading in dict.fromkeys(owner.get(run.elem) for run in item.runs):
                if heading is None:
                    continue
                text = "".join(run.text for run in item.runs if owner.get(run.elem) == heading)
                lines.setdefault(heading, []).append(text.strip())
                size = max(run.size for run in item.runs)
                where.setdefault(heading, (number, item.y + size))
    out = []
    for heading, parts in lines.items():
        element = doc.elements[heading]
        title = element.attrs.get("ActualText") or _join(parts)
        level = int(HEADING.match(element.role).group(1)) - 1  # type: ignore[union-attr]
        out.append(Bookmark(title, level, *where[heading]))
    return out


def _heading_of(elements: tuple[Element, ...]) -> dict[int | None, int]:
    """Element id → the heading it is (or is inside: a link or a language span in a heading)."""
    out: dict[int | None, int] = {}
    for element in elements:
        if HEADING.match(element.role):
            out[element.id] = element.id
        elif element.parent is not None and element.parent in out:
            out[element.id] = out[element.parent]  # parents come before their children
    return out


def _join(parts: list[str]) -> str:
    """A heading's lines as one title: a space at each line end, except between
    two Chinese or Japanese characters (those scripts put no space between words)."""
    title = ""
    for part in parts:
        if title and part and not (script_of(title[-1]) == script_of(part[0]) == "cjk"):
            title += " "
        title += part
    return title
