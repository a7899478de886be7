"""Comparison tables: a row of column groups, a header row, then labelled rows.

Cells are top-aligned and wrap within their column; a row is as tall as its
tallest cell. Fills go under the text and rules over the fills, in that order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from factsheet.content import model as m
from factsheet.layout.frames import Color, Rect
from factsheet.layout.theme import TextStyle

if TYPE_CHECKING:
    from factsheet.layout.flow import Flow

Cell = tuple[m.Inline, float, float, str, dict[str, str]]  # text, x, width, role, attrs


def place_table(flow: Flow, table: m.Table) -> float:
    """Lay out `table` at the flow's cursor; return the y below it."""
    ctx = flow.ctx
    spec = ctx.theme.table
    width = flow.width
    label_w = width * 0.25
    col_w = (width - label_w) / len(table.header.cells)
    elem = ctx.elem("Table", flow.parent, Summary=table.caption)
    rules: list[Rect] = []

    x0 = flow.x
    group_cells: list[Cell] = [((), x0, label_w, "TD", {})]
    x = x0 + label_w
    for group in table.groups:
        attrs = {"Scope": "Column", "ColSpan": str(group.span)}
        group_cells.append((group.label, x, col_w * group.span, "TH", attrs))
        x += col_w * group.span
    y = _row(
        flow,
        elem,
        group_cells,
        ctx.style("table_group"),
        spec.group_fill,
        rules,
        "center",
        skip_fill_first=True,
    )

    header = _cells(table.header, x0, label_w, col_w, header=True)
    y = _row(flow, elem, header, ctx.style("table_header"), spec.header_fill, rules)
    for row in table.rows:
        cells = _cells(row, x0, label_w, col_w, header=False)
        top = flow.y
        y = _row(
            flow,
            elem,
            cells,
            ctx.style("table_cell"),
            None,
            rules,
            label_style=ctx.style("table_header"),
        )
        ctx.tall_rows.append((table.source, m.plain(row.label), top - y))
    flow.items.extend(rules)
    return y


def _cells(row: m.TableRow, x0: float, label_w: float, col_w: float, header: bool) -> list[Cell]:
    scope = "Column" if header else "Row"
    cells: list[Cell] = [
        (row.label, x0, label_w, "TH", {"Scope": "Row" if not header else "Column"})
    ]
    for i, text in enumerate(row.cells):
        role, attrs = ("TH", {"Scope": scope}) if header else ("TD", {})
        cells.append((text, x0 + label_w + i * col_w, col_w, role, attrs))
    return cells


def _row(
    flow: Flow,
    table: int,
    cells: list[Cell],
    style: TextStyle,
    fill: Color | None,
    rules: list[Rect],
    align: str = "left",
    label_style: TextStyle | None = None,
    skip_fill_first: bool = False,
) -> float:
    """Place one row of cells; return the y of its bottom edge."""
    ctx = flow.ctx
    pad = ctx.theme.table.padding * ctx.scale
    tr = ctx.elem("TR", table)
    top = flow.y
    mark = len(flow.items)
    bottom = top
    for i, (text, x, w, role, attrs) in enumerate(cells):
        cell_style = label_style if (label_style and i == 0) else style
        cell = ctx.elem(role, tr, **attrs)
        flow.y = top - pad
        flow.text(text, cell_style, cell, x=x + pad, width=w - 2 * pad, align=align)
        bottom = min(bottom, flow.y - pad)
    flow.y = bottom
    if fill is not None:
        start = 1 if skip_fill_first else 0
        for _, x, w, _, _ in cells[start:]:
            flow.items.insert(mark, Rect(x, bottom, w, top - bottom, fill))
    rule = ctx.theme.table.rule
    weight = ctx.theme.table.rule_width
    rules.append(Rect(cells[0][1], bottom - weight / 2, sum(c[2] for c in cells), weight, rule))
    for _, x, _, _, _ in cells[1:]:
        rules.append(Rect(x - weight / 2, bottom, weight, top - bottom, rule))
    return bottom
