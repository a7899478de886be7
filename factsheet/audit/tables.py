"""What table navigation needs beyond rows and header cells, and where tables and figures sit.

A screen reader announces a data cell with its headers. That works when the
header rows are a THead and the data rows a TBody, the table has a Caption
(first or last), a header cell that labels a row says Scope Row (a cell whose
column holds only header cells below it labels rows, not a column), a header
that spans columns has an /ID that the cells below name in /Headers, and every
/Headers entry names an existing /ID. Tables and figures have a /BBox layout
attribute (PDF 1.7 14.8.5.4.3), which magnifiers and reflow use.
"""

from __future__ import annotations

from dataclasses import dataclass

from factsheet.audit.report import Finding
from factsheet.audit.tree import Node

BOXED = ("Table", "Figure")


@dataclass(frozen=True)
class _Cell:
    node: Node
    row: int
    column: int
    span: int


def check_tables(nodes: list[Node]) -> list[Finding]:
    ids = {node.attrs["ID"] for node in nodes if node.attrs.get("ID")}
    failures = []
    for node in nodes:
        if node.role in BOXED and len(node.attrs.get("BBox", "").split()) != 4:
            failures.append(_fail(node, f"a {node.role} without a /BBox layout attribute"))
        if node.role == "Table":
            failures += _parts(node) + _scopes(node) + _spans(node)
        for name in node.attrs.get("Headers", "").split():
            if name not in ids:
                failures.append(_fail(node, f"/Headers names '{name}', which no element has"))
    return failures


def _fail(node: Node, message: str) -> Finding:
    return Finding("tables" if node.role != "Figure" else "figures", node.where, message)


def _kids(node: Node) -> list[Node]:
    return [kid for kid in node.kids if isinstance(kid, Node)]


def _parts(table: Node) -> list[Finding]:
    kids = _kids(table)
    roles = [kid.role for kid in kids]
    failures = []
    if "Caption" not in roles:
        failures.append(_fail(table, "the table has no Caption element"))
    elif roles.index("Caption") not in (0, len(roles) - 1):
        failures.append(_fail(table, "the Caption is neither the table's first nor last child"))
    loose = [kid for kid in kids if kid.role == "TR"]
    if any(all(cell.role == "TH" for cell in _kids(row)) for row in loose):
        message = "its header rows are not in a THead (and its data rows in a TBody)"
        failures.append(_fail(table, message))
    return failures


def _grid(table: Node) -> list[_Cell]:
    rows = [r for kid in _kids(table) for r in ([kid] if kid.role == "TR" else _kids(kid))]
    cells = []
    for number, row in enumerate(r for r in rows if r.role == "TR"):
        column = 0
        for cell in _kids(row):
            span = _int(cell.attrs.get("ColSpan", "1"))
            cells.append(_Cell(cell, number, column, span))
            column += span
    return cells


def _scopes(table: Node) -> list[Finding]:
    """A TH with Scope Column over a column of header cells labels a row, not a column."""
    cells = _grid(table)
    failures = []
    for head in cells:
        if head.node.role != "TH" or head.node.attrs.get("Scope") != "Column":
            continue
        below = [c for c in cells if c.row > head.row and c.column == head.column]
        if below and all(c.node.role == "TH" for c in below):
            message = "header cell labels a row (only header cells below it) but has Scope Column"
            failures.append(_fail(head.node, message))
    return failures


def _spans(table: Node) -> list[Finding]:
    """A header spanning columns is named, in /Headers, by the data cells below it."""
    cells = _grid(table)
    failures = []
    for head in cells:
        if head.node.role != "TH" or head.span < 2:
            continue
        name = head.node.attrs.get("ID", "")
        if not name:
            message = f"header spans {head.span} columns but has no /ID for the cells to name"
            failures.append(_fail(head.node, message))
            continue
        under = [
            c
            for c in cells
            if c.row > head.row
            and c.node.role == "TD"
            and head.column <= c.column < head.column + head.span
        ]
        missing = [c for c in under if name not in c.node.attrs.get("Headers", "").split()]
        if missing:
            message = f"{len(missing)} data cells below this spanning header do not name it"
            failures.append(_fail(head.node, f"{message} in /Headers ('{name}')"))
    return failures


def _int(value: str) -> int:
    try:
        return max(1, int(value))
    except ValueError:
        return 1
