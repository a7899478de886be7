"""The tag tree as a reviewer reads it: an indented outline in reading order.

One line per element: its type, its attributes in brackets, and, when it holds
only text, that text after a colon. An element that mixes text and child
elements (a paragraph with a link) lists its text pieces as quoted lines
between its children, so the order a screen reader announces stays visible:

    P
      "To learn more, go to"
      Link [URI=https://www.komen.org]: komen.org
      ", call the helpline."

An element with /ActualText is read as that text instead of what it draws, so
its line shows the ActualText in brackets and nothing after it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from factsheet.audit.text import Key, TextMap, join
from factsheet.audit.tree import Content, Node, ObjRef

INDENT = "  "
SHOWN = ("Lang", "Scope", "ColSpan", "RowSpan", "ID", "Headers", "Alt", "ActualText", "Summary")
QUOTED = ("Alt", "ActualText", "Summary")


def outline(roots: list[Node], text: TextMap) -> list[str]:
    lines: list[str] = []
    for root in roots:
        _node(root, text, 0, lines)
    return lines


# Inline elements (PDF 32000-1 14.8.4.4) continue their paragraph's text; any other
# element starts a new piece of text, which a screen reader reads after a pause.
INLINE = frozenset(
    {"Span", "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "Warichu"}
)


def document_text(roots: list[Node], text: TextMap) -> str:
    """The whole tagged text in reading order: inline elements run on, blocks are apart."""
    parts: list[str] = []

    def visit(node: Node) -> None:
        if node.attrs.get("ActualText"):  # read instead of what is drawn (the H1's capitals)
            parts.append(node.attrs["ActualText"])
            return
        for kid in node.kids:
            if isinstance(kid, Content):
                marked = text.get((kid.page, kid.mcid))
                parts.append(marked.text if marked else "")
            elif isinstance(kid, Node):
                block = kid.role not in INLINE
                parts.append(" " if block else "")
                visit(kid)
                parts.append(" " if block else "")

    for root in roots:
        visit(root)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def reading_order(roots: list[Node]) -> list[Key]:
    """Every marked-content sequence in the order a screen reader walks the tree: depth
    first, an element's own content and its children interleaved as its /K lists them."""
    out: list[Key] = []

    def visit(node: Node) -> None:
        for kid in node.kids:
            if isinstance(kid, Content):
                out.append((kid.page, kid.mcid))
            elif isinstance(kid, Node):
                visit(kid)

    for root in roots:
        visit(root)
    return out


def _node(node: Node, text: TextMap, depth: int, lines: list[str]) -> None:
    head = INDENT * depth + node.role + _attributes(node)
    children = [kid for kid in node.kids if isinstance(kid, Node)]
    if node.attrs.get("ActualText"):  # what a reader hears is in the brackets
        lines.append(head)
        return
    if not children:
        own = join(_keys(node.kids), text)
        lines.append(f"{head}: {own}" if own else head)
        return
    lines.append(head)
    run: list[Content] = []
    for kid in [*node.kids, None]:
        if isinstance(kid, Content):
            run.append(kid)
            continue
        if run:
            lines.append(f'{INDENT * (depth + 1)}"{join(_keys(run), text)}"')
            run = []
        if isinstance(kid, Node):
            _node(kid, text, depth + 1, lines)


def _keys(kids: Sequence[Node | Content | ObjRef]) -> list[Key]:
    return [(kid.page, kid.mcid) for kid in kids if isinstance(kid, Content)]


def _attributes(node: Node) -> str:
    shown = []
    for key in SHOWN:
        value = node.attrs.get(key)
        if value:
            shown.append(f'{key}="{value}"' if key in QUOTED else f"{key}={value}")
    shown += [f"URI={kid.uri}" for kid in node.kids if isinstance(kid, ObjRef) and kid.uri]
    return f" [{', '.join(dict.fromkeys(shown))}]" if shown else ""
