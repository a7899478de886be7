"""Comparison tables: a row of column groups, a header row, then labelled rows.

Columns are sized by their content the way browsers lay out automatic tables
(CSS 2.1 §17.5.2.2): each column, the label column included, is given at
least its min-content width (its longest unbreakable word, plus padding) and
at most its share of the room above that, in proportion to how much wider its
natural, one-line width is. A column group's label widens the columns it
spans when it needs more than they have. When even the min-content widths do
not fit, the table overflows its region (the fitter then tries smaller type)
or, in a layout that allows it (`table.stack`, large print), is set as one
small two-column table per data column.

Cells are top-aligned and wrap within their column; a row is as tall as its
tallest cell. Fills go under the text and rules over the fills, in that order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from factsheet.content import model as m
from factsheet.errors import Problem
from factsheet.layout.frames import Color, Item, Rect, TextLine
from factsheet.layout.text import Setter
from factsheet.layout.theme import TextStyle, Theme

if TYPE_CHECKING:
    from factsheet.layout.flow import Flow

Cell = tuple[m.Inline, float, float, str, dict[str, str]]  # text, x, width, role, attrs


@dataclass(frozen=True)
class WideTable:
    """A table whose narrowest setting is still wider than its region."""

    source: m.Source
    page: int  # 0-based
    region: str  # the flow's region (for the fitter)
    need: float  # the sum of the columns' min-content widths
    room: float
    column: str  # the widest column's name (its header)
    word: str  # the word that sets that column's minimum
    column_min: float


@dataclass(frozen=True)
class _Extent:
    low: float  # min-content: the longest word, plus padding
    high: float  # max-content: the whole text on one line, plus padding
    word: str


def _extent(
    setter: Setter, text: m.Inline, style: TextStyle, pad: float, lang: str, hyphenate: bool
) -> _Extent:
    tokens = setter.tokens(text, style.font, style.color, lang)
    if not tokens:
        return _Extent(2 * pad, 2 * pad, "")
    if hyphenate:  # the last resort: words cut with a hyphen where their language allows
        low, word = setter.min_content(tokens, lang)
    else:
        widest = max(tokens, key=lambda t: t.unit)
        low, word = widest.unit, widest.text
    natural = setter.natural_unit(tokens)
    return _Extent(low * style.size + 2 * pad, natural * style.size + 2 * pad, word)


class _Sizer:
    """Min- and max-content widths of a table's columns (0 is the label column)."""

    def __init__(self, flow: Flow, table: m.Table, hyphenate: bool = False) -> None:
        ctx = flow.ctx
        self.hyphenate = hyphenate
        self.setter = ctx.setter
        self.lang = ctx.lang
        self.pad = ctx.theme.table.padding * ctx.scale
        count = len(table.header.cells) + 1
        self.low = [0.0] * count
        self.high = [0.0] * count
        self.words = [""] * count
        label, header, cell = (ctx.style(n) for n in ("table_header", "table_header", "table_cell"))
        self._row(table.header, label, header)
        for row in table.rows:
            self._row(row, label, cell)
        start = 1
        for group in table.groups:
            found = _extent(
                self.setter,
                group.label,
                ctx.style("table_group"),
                self.pad,
                self.lang,
                self.hyphenate,
            )
            self._spread(range(start, start + group.span), found)
            start += group.span

    def _row(self, row: m.TableRow, label: TextStyle, cell: TextStyle) -> None:
        self._take(0, self._extent(row.label, label))
        for index, text in enumerate(row.cells, start=1):
            self._take(index, self._extent(text, cell))

    def _extent(self, text: m.Inline, style: TextStyle) -> _Extent:
        return _extent(self.setter, text, style, self.pad, self.lang, self.hyphenate)

    def _take(self, index: int, found: _Extent) -> None:
        if found.low > self.low[index]:
            self.low[index], self.words[index] = found.low, found.word
        self.high[index] = max(self.high[index], found.high)

    def _spread(self, columns: range, found: _Extent) -> None:
        """A spanning label's extra need is shared equally by the columns it spans."""
        for widths, need in ((self.low, found.low), (self.high, found.high)):
            extra = need - sum(widths[i] for i in columns)
            if extra > 0:
                for i in columns:
                    widths[i] += extra / len(columns)
        for i in columns:
            self.high[i] = max(self.high[i], self.low[i])

    def widths(self, room: float) -> list[float] | None:
        """Column widths filling `room`, or None when the min-content widths do not fit."""
        low, high = sum(self.low), sum(self.high)
        if low > room + 0.01:
            return None
        if high <= room:  # everything on one line: the spare room in proportion to width
            return [w * room / high for w in self.high]
        share = (room - low) / (high - low)
        return [lo + (hi - lo) * share for lo, hi in zip(self.low, self.high, strict=True)]


def _column_name(table: m.Table, index: int) -> str:
    return m.plain(table.header.cells[index - 1] if index else table.header.label)


def place_table(flow: Flow, table: m.Table) -> float:
    """Lay out `table` at the flow's cursor; return the y below it."""
    sizer = _Sizer(flow, table)
    widths = sizer.widths(flow.width)
    if widths is None and flow.ctx.theme.table.stack:  # large print: a table per column
        return _stacked(flow, table)
    if widths is None:  # whole words do not fit: let words be hyphenated (layout/hyphenate.py)
        sizer = _Sizer(flow, table, hyphenate=True)
        widths = sizer.widths(flow.width)
    if widths is None:
        widths = sizer.low  # set at its narrowest; the fitter hears it does not fit
        widest = max(range(len(widths)), key=lambda i: widths[i])
        flow.ctx.too_wide.append(
            WideTable(
                table.source,
                flow.ctx.page,
                flow.region,
                sum(widths),
                flow.width,
                _column_name(table, widest),
                sizer.words[widest],
                widths[widest],
            )
        )
    return _grid(flow, table, widths, table.caption)


def _grid(flow: Flow, table: m.Table, widths: list[float], caption: m.Inline) -> float:
    """The table's rows, tagged for table navigation.

    Table → Caption (the content's caption: read, not printed), THead (the
    group row and the header row), TBody (the labelled rows). A header row's
    label cell and every body row's label cell label their row (Scope Row);
    the drug names label their column. When a group label spans columns, every
    header has an /ID and every cell lists its headers (/Headers), so a screen
    reader names the group too ("Bisphosphonates, Pamidronate (Aredia)").
    """
    ctx = flow.ctx
    spec = ctx.theme.table
    xs = _positions(flow.x, flow.width, widths, ctx.mirror)
    top = flow.y
    elem = ctx.elem("Table", flow.parent)
    _caption(flow, ctx.elem("Caption", elem), caption, xs, widths)
    ids = _HeaderIds(len(ctx.elements), table) if table.groups else None
    head, body = ctx.elem("THead", elem), ctx.elem("TBody", elem)
    rules: list[Rect] = []
    y = flow.y
    if table.groups:
        group_cells: list[Cell] = [((), xs[0], widths[0], "TD", {})]
        start = 1
        for index, group in enumerate(table.groups):
            span = range(start, start + group.span)
            x = min(xs[i] for i in span)
            attrs = {"Scope": "Column", "ColSpan": str(group.span), **_ids(ids, "g", index)}
            group_cells.append((group.label, x, sum(widths[i] for i in span), "TH", attrs))
            start += group.span
        style = ctx.style("table_group")
        y = _row(flow, head, group_cells, style, spec.group_fill, rules, "center", True)
    header = _cells(table.header, xs, widths, ids, row=None)
    y = _row(flow, head, header, ctx.style("table_header"), spec.header_fill, rules)
    for number, row in enumerate(table.rows):
        cells = _cells(row, xs, widths, ids, row=number)
        row_top = flow.y
        y = _row(
            flow,
            body,
            cells,
            ctx.style("table_cell"),
            None,
            rules,
            label_style=ctx.style("table_header"),
        )
        ctx.tall_rows.append((table.source, m.plain(row.label), row_top - y))
    flow.items.extend(rules)
    left = min(xs)
    ctx.elements[elem].attrs["BBox"] = _bbox(left, y, left + sum(widths), top)
    return y


def _caption(
    flow: Flow, elem: int, caption: m.Inline, xs: list[float], widths: list[float]
) -> None:
    """The caption as invisible text over the table's first row (the content format
    says it is read by screen readers, not printed); the table is not moved."""
    if not m.plain(caption).strip():
        return
    top, mark = flow.y, len(flow.items)
    style = flow.ctx.style("table_cell")
    flow.text(caption, style, elem, x=min(xs), width=sum(widths))
    flow.y = top
    flow.items[mark:] = [_unprinted(item) for item in flow.items[mark:]]


def _unprinted(item: Item) -> Item:
    if not isinstance(item, TextLine):
        return item
    return replace(item, runs=tuple(replace(run, invisible=True) for run in item.runs))


class _HeaderIds:
    """IDs of a table's header cells: g<i> groups, c<i> column heads, r<i> row labels."""

    def __init__(self, key: int, table: m.Table) -> None:
        self.key = key  # unique in the document: the next element's number
        self.groups: list[int] = []  # the group of each data column
        for index, group in enumerate(table.groups):
            self.groups += [index] * group.span

    def name(self, kind: str, index: int | str = "") -> str:
        return f"t{self.key}{kind}{index}"

    def of_column(self, column: int) -> list[str]:
        """The headers above data column `column` (0-based): its group, its head."""
        out = [self.name("g", self.groups[column])] if column < len(self.groups) else []
        return [*out, self.name("c", column)]


def _ids(ids: _HeaderIds | None, kind: str, index: int | str = "") -> dict[str, str]:
    return {"ID": ids.name(kind, index)} if ids is not None else {}


def _bbox(x0: float, y0: float, x1: float, y1: float) -> str:
    return " ".join(f"{v:.2f}" for v in (x0, y0, x1, y1))


def _stacked(flow: Flow, table: m.Table) -> float:
    """One two-column table per data column: its header over label/value rows.

    For a layout whose type is too large for the table's width (large print):
    each drug gets its own small table, read in the same order as the columns.
    """
    y = flow.y
    for index, name in enumerate(table.header.cells):
        group = _group_of(table, index)
        heading = (*group, m.Span(": "), *name) if group else name
        part = m.Table(
            caption=(*table.caption, m.Span(f" ({m.plain(heading)})")),
            groups=(),
            header=m.TableRow(table.header.label, (heading,)),
            rows=tuple(m.TableRow(row.label, (row.cells[index],)) for row in table.rows),
            source=table.source,
        )
        sizer = _Sizer(flow, part)
        widths = sizer.widths(flow.width) or sizer.low
        y = _grid(flow, part, widths, part.caption)
        flow.y = y - flow.ctx.theme.table.gap_after * flow.ctx.scale
    flow.y = y
    return y


def _group_of(table: m.Table, index: int) -> m.Inline:
    start = 0
    for group in table.groups:
        if start <= index < start + group.span:
            return group.label
        start += group.span
    return ()


def _positions(x0: float, room: float, widths: list[float], mirror: bool) -> list[float]:
    """Each column's left edge; column 0 (the labels) at the start edge (the right one
    when `mirror`)."""
    xs, x = [], x0
    for width in widths:
        xs.append(x0 + room - (x - x0) - width if mirror else x)
        x += width
    return xs


def _cells(
    line: m.TableRow,
    xs: list[float],
    widths: list[float],
    ids: _HeaderIds | None,
    row: int | None,
) -> list[Cell]:
    """A row's cells; `row` is the body row's number, None for the header row.

    The label cell labels its row in both (the header row's label says what
    the drug names are); the header row's other cells head their columns.
    """
    label = _ids(ids, "h") if row is None else _ids(ids, "r", row)
    cells: list[Cell] = [(line.label, xs[0], widths[0], "TH", {"Scope": "Row", **label})]
    for column, text in enumerate(line.cells):
        at = column + 1
        attrs: dict[str, str] = {}
        if row is None:
            attrs = {"Scope": "Column", **_ids(ids, "c", column)}
        if ids is not None:
            # a head names its group; a data cell its group, its head and its row's label
            own = ids.of_column(column)
            attrs["Headers"] = " ".join(own[:-1] if row is None else [*own, label["ID"]])
        attrs = {key: value for key, value in attrs.items() if value}
        cells.append((text, xs[at], widths[at], "TH" if row is None else "TD", attrs))
    return cells


def _row(
    flow: Flow,
    table: int,
    cells: list[Cell],
    style: TextStyle,
    fill: Color | None,
    rules: list[Rect],
    align: str = "start",
    skip_fill_first: bool = False,
    label_style: TextStyle | None = None,
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
    left = min(c[1] for c in cells)
    rules.append(Rect(left, bottom - weight / 2, sum(c[2] for c in cells), weight, rule))
    for _, x, w, _, _ in cells:
        edge = x + w if ctx.mirror else x  # a rule between neighbouring cells
        if abs(edge - left) > 0.01 and abs(edge - (left + sum(c[2] for c in cells))) > 0.01:
            rules.append(Rect(edge - weight / 2, bottom, weight, top - bottom, rule))
    ctx.keeps.append((top, bottom))  # a page break never cuts a row
    return bottom


def table_size_problems(tables: list[m.Table], theme: Theme) -> list[Problem]:
    """Tables too big for the layout, found before any text is measured.

    More data columns than `table.max_columns` is refused outright; so is a
    table with more rows than the layout's pages could hold even at the floor
    (each row at least one line of the smallest table type).
    """
    problems = []
    cell = theme.style("table_cell")
    floor_scale = theme.floor / theme.body.size
    row_height = (cell.line_height + 2 * theme.table.padding) * floor_scale
    room = (theme.page_height - theme.margin_top - theme.margin_bottom) * theme.max_pages
    most_rows = int(room / row_height)
    limit = theme.table.max_columns
    for table in tables:
        src = table.source
        columns = len(table.header.cells)
        if columns > limit:
            problems.append(
                Problem(
                    src.file,
                    src.line,
                    src.column,
                    src.path,
                    f"the table has {columns} columns besides its labels; layout "
                    f"'{theme.name}' allows at most {limit}",
                    f"split it into tables of at most {limit} columns, or turn it round "
                    "(rows for drugs, columns for questions)",
                )
            )
        if len(table.rows) > most_rows:
            problems.append(
                Problem(
                    src.file,
                    src.line,
                    src.column,
                    src.path,
                    f"the table has {len(table.rows)} rows; layout '{theme.name}' "
                    f"can hold at most {most_rows} on its {theme.max_pages} pages",
                    "shorten the table or split it",
                )
            )
    return problems
