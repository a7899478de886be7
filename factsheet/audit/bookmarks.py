"""The outline (bookmarks) lists every heading of the tag tree, in reading order.

A reader who navigates by bookmarks, or a screen reader's list of them, should
meet the same sections as one who walks the headings: a heading in the sidebar
that has no bookmark is a section some readers never find. Titles are compared
without case and spacing; a heading's /ActualText counts as its title.
"""

from __future__ import annotations

import re
from typing import Any

import pikepdf

from factsheet.audit.outline import reading_order
from factsheet.audit.report import Finding
from factsheet.audit.rules import HEADING
from factsheet.audit.text import TextMap, join
from factsheet.audit.tree import Node

MAX_ITEMS = 10_000  # a malformed outline can loop; stop there


def check_bookmarks(pdf: pikepdf.Pdf, roots: list[Node], text: TextMap) -> list[Finding]:
    headings = [n for root in roots for n in root.walk() if HEADING.match(n.role)]
    if not headings:
        return []
    titles = [_key(title) for title in outline_titles(pdf)]
    if not titles:
        message = f"no outline (bookmarks) though the document has {len(headings)} headings"
        return [Finding("bookmarks", "catalog", message)]
    failures, at = [], 0
    for heading in headings:
        wanted = _key(heading.attrs.get("ActualText") or join(reading_order([heading]), text))
        found = next((i for i in range(at, len(titles)) if titles[i] == wanted), None)
        if found is None:
            where = "out of reading order" if wanted in titles else "missing"
            message = f"heading '{_short(heading, text)}' has no bookmark ({where})"
            failures.append(Finding("bookmarks", heading.where, message))
        else:
            at = found + 1
    return failures


def outline_titles(pdf: pikepdf.Pdf) -> list[str]:
    """Every outline item's title, depth first (the order a viewer lists them)."""
    outlines = pdf.Root.get("/Outlines")
    titles: list[str] = []
    seen: set[tuple[int, int]] = set()

    def visit(item: Any) -> None:
        while isinstance(item, pikepdf.Dictionary) and len(titles) < MAX_ITEMS:
            if item.objgen in seen:
                return
            seen.add(item.objgen)
            titles.append(str(item.get("/Title", "")))
            visit(item.get("/First"))
            item = item.get("/Next")

    if isinstance(outlines, pikepdf.Dictionary):
        visit(outlines.get("/First"))
    return titles


def _key(title: str) -> str:
    return re.sub(r"\s+", "", title).casefold()


def _short(heading: Node, text: TextMap) -> str:
    title = heading.attrs.get("ActualText") or join(reading_order([heading]), text)
    return title if len(title) <= 60 else title[:59] + "…"
