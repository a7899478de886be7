"""What the tags say makes sense to a screen reader.

Headings do not skip levels, tables have header cells with a scope and rows of
equal width (and what `tables` checks), lists hold items made of a label and a body, figures have
alternate text, links hold their annotation, and language tags look like
language tags.
"""

from __future__ import annotations

import itertools
import re

from factsheet.audit.report import Finding
from factsheet.audit.tables import check_tables
from factsheet.audit.tree import Node, ObjRef

HEADING = re.compile(r"^H([1-6])$")
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
TABLE_PARTS = {"TR", "THead", "TBody", "TFoot", "Caption"}


def check_rules(roots: list[Node]) -> list[Finding]:
    nodes = [node for root in roots for node in root.walk()]
    failures = _headings(nodes) + check_tables(nodes)
    for node in nodes:
        check = _CHECKS.get(node.role)
        if check is not None:
            failures += check(node)
        if "Lang" in node.attrs and not LANGUAGE.match(node.attrs["Lang"]):
            failures.append(_fail("lang", node, f"/Lang '{node.attrs['Lang']}' is not a tag"))
    return failures


def _fail(check: str, node: Node, message: str) -> Finding:
    return Finding(check, node.where, message)


def _headings(nodes: list[Node]) -> list[Finding]:
    """In reading order, each heading at most one level deeper than the one before."""
    failures, previous = [], 0
    numbered = [(node, int(m.group(1))) for node in nodes if (m := HEADING.match(node.role))]
    for node, level in numbered:
        if level > previous + 1:
            after = f"H{previous}" if previous else "the start of the document"
            failures.append(_fail("headings", node, f"H{level} follows {after}: a level skipped"))
        previous = level
    if numbered and any(node.role == "H" for node in nodes):
        failures.append(Finding("headings", "structure tree", "mixes H with H1-H6"))
    return failures


def _children(node: Node) -> list[Node]:
    return [kid for kid in node.kids if isinstance(kid, Node)]


def _table(node: Node) -> list[Finding]:
    rows = [row for kid in _children(node) for row in _rows(kid)]
    failures = [
        _fail("tables", kid, f"a {kid.role} directly in a Table")
        for kid in _children(node)
        if kid.role not in TABLE_PARTS
    ]
    cells = [cell for row in rows for cell in _children(row)]
    if not any(cell.role == "TH" for cell in cells):
        failures.append(_fail("tables", node, "the table has no header cells (TH)"))
    widths = {row.path: sum(_span(cell) for cell in _children(row)) for row in rows}
    if rows and len(set(widths.values())) > 1 and not any("RowSpan" in c.attrs for c in cells):
        first = widths[rows[0].path]
        for row in rows[1:]:
            if widths[row.path] != first:
                message = f"the row is {widths[row.path]} columns wide; the first row {first}"
                failures.append(_fail("tables", row, message))
    return failures


def _rows(node: Node) -> list[Node]:
    if node.role == "TR":
        return [node]
    return [kid for kid in _children(node) if kid.role == "TR"]


def _span(cell: Node) -> int:
    try:
        return int(cell.attrs.get("ColSpan", "1"))
    except ValueError:
        return 1


def _row(node: Node) -> list[Finding]:
    return [
        _fail("tables", kid, f"a {kid.role} in a table row (only TH and TD belong there)")
        for kid in _children(node)
        if kid.role not in ("TH", "TD")
    ]


def _header_cell(node: Node) -> list[Finding]:
    if node.attrs.get("Scope") in ("Row", "Column", "Both"):
        return []
    if "Headers" in node.attrs:
        return []
    return [_fail("tables", node, "header cell without /Scope (Row, Column or Both)")]


def _list(node: Node) -> list[Finding]:
    return [
        _fail("lists", kid, f"a {kid.role} directly in a list (only LI and Caption belong)")
        for kid in _children(node)
        if kid.role not in ("LI", "Caption")
    ]


def _item(node: Node) -> list[Finding]:
    return [
        _fail("lists", kid, f"a {kid.role} directly in a list item (only Lbl and LBody)")
        for kid in _children(node)
        if kid.role not in ("Lbl", "LBody")
    ]


def _figure(node: Node) -> list[Finding]:
    if node.attrs.get("Alt", "").strip() or node.attrs.get("ActualText", "").strip():
        return []
    return [_fail("figures", node, "figure without alternate text (/Alt)")]


def _link(node: Node) -> list[Finding]:
    annots = [kid for kid in node.kids if isinstance(kid, ObjRef)]
    if not annots:
        return [_fail("links", node, "link element without its annotation (no OBJR)")]
    failures = []
    for first, second in itertools.pairwise(annots):
        if _same_line(first, second):
            message = (
                "its text is split into two annotations on one line (two tab stops "
                "for one link): one annotation per line segment"
            )
            failures.append(_fail("links", node, message))
    return failures


def _same_line(a: ObjRef, b: ObjRef) -> bool:
    """Two annotations on one page whose rectangles share most of their height."""
    if a.page != b.page or a.rect is None or b.rect is None:
        return False
    overlap = min(a.rect[3], b.rect[3]) - max(a.rect[1], b.rect[1])
    return overlap > 0.5 * min(a.rect[3] - a.rect[1], b.rect[3] - b.rect[1])


_CHECKS = {
    "Table": _table,
    "TR": _row,
    "TH": _header_cell,
    "L": _list,
    "LI": _item,
    "Figure": _figure,
    "Link": _link,
}
