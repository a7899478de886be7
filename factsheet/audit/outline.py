"""The tag tree as a reviewer reads it: an indented outline in reading order.

One line per element: its type, its attributes in brackets, and, when it holds
only text, that text after a colon. An element that mixes text and child
elements (a paragraph with a link) lists its text pieces as quoted lines
between its children, so the order a screen reader announces stays visible:

    P
      "To learn more, go to"
      Link [URI=https://www.komen.org]: komen.org
      ", call the helpline."
"""

from __future__ import annotations

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
