"""Page composition and fitting.

In: a validated `Sheet` and a `Theme`. Out: a `frames.Document` whose every
region holds its content, at the largest type scale that fits.

The fitter searches the body sizes from the layout's size down to its floor in
`step`s. It tries full size first (most sheets fit), then the floor (to fail
fast with a useful message), then bisects: a bounded number of passes, about
log2(sizes) + 2, never a walk down every size.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from factsheet import __version__
from factsheet.content import model as m
from factsheet.content.clinic import Clinic
from factsheet.content.direction import is_rtl
from factsheet.errors import ContentError, FitError, Problem
from factsheet.layout import blame, galley
from factsheet.layout.band import band_items
from factsheet.layout.clinic import clinic_items
from factsheet.layout.draftmark import draft_items
from factsheet.layout.flow import Context, Flow
from factsheet.layout.frames import Document, Item, PageFrame, Rect, TextLine
from factsheet.layout.table import WideTable, table_size_problems
from factsheet.layout.text import FontSet, Setter
from factsheet.layout.theme import Box, Region, Theme, for_language


@dataclass(frozen=True)
class Overflow:
    page: int  # 1-based
    region: str  # the layout's region name: main, sidebar, …
    points: float
    lines: int
    wide: bool = False  # a table wider than the region, not text taller than it
    room: float = 0.0  # the region's height for its content


@dataclass
class Pass:
    """One layout of the whole sheet at one scale."""

    pages: list[PageFrame]
    ctx: Context
    overflows: list[Overflow]
    fill: float  # the fullest region's used height over its room (> 1 overflows)


class _Fitter:
    """Finds the largest body size at which every region holds its content.

    Trial passes only measure (no items are built). The first guess comes from
    the full-size pass: text height grows about with the square of the scale
    (taller lines, and more of them), so sqrt(room / used) lands on or next to
    the answer; one neighbouring probe confirms it, bisection handles the rest.
    """

    def __init__(self, sheet: m.Sheet, theme: Theme, rtl: bool, spill: bool) -> None:
        self.sheet = sheet
        self.theme = theme
        self.rtl = rtl
        self.spill = spill
        self.setter = setter_for(theme)
        self.sizes = _candidate_sizes(theme)
        self.trials: dict[int, Pass] = {}
        self.passes = 0
        # Regions that overflow at full size. Smaller type only makes the others
        # emptier, so trials measure just these; the final pass checks them all.
        self.critical: frozenset[tuple[int, str]] | None = None

    def compose(
        self, index: int, measure: bool, only: frozenset[tuple[int, str]] | None = None
    ) -> Pass:
        self.passes += 1
        scale = round(self.sizes[index] / self.theme.body.size, 4)
        trial = compose(
            self.sheet,
            self.theme,
            self.setter,
            scale,
            measure,
            only,
            rtl=self.rtl,
            spill=self.spill,
        )
        self.trials[index] = trial
        return trial

    def fits(self, index: int) -> bool:
        trial = self.trials.get(index) or self.compose(index, True, self.critical)
        return not trial.overflows

    def guess(self, full: Pass) -> int:
        """The size at which the full-size pass's fullest region would just fit."""
        return self._toward(0, full.fill)

    def _toward(self, index: int, fill: float) -> int:
        size = self.sizes[index] / math.sqrt(fill)
        step = round((self.theme.body.size - size) / self.theme.step)
        return min(max(step, index + 1), len(self.sizes) - 1)

    def search(self, guess: int) -> int:
        """Index of the largest fitting size; index 0 is known not to fit.

        Probes interpolate on the measured fill (regula falsi) twice, then
        bisect, so the number of passes stays bounded by about log2(sizes) + 3.
        """
        last = len(self.sizes) - 1
        lo, hi = 0, None
        probe = guess
        for attempt in range(len(self.sizes)):
            if self.fits(probe):
                hi = probe
            elif probe == last:
                raise FitError(_fit_problems(self.sheet, self.theme, self.trials[last]))
            else:
                lo = probe
            if hi is not None and hi - lo == 1:
                return hi
            probe = self._next(lo, hi, interpolate=attempt < 2)
        raise AssertionError("the fitter's search did not converge")  # bounded above

    def _next(self, lo: int, hi: int | None, interpolate: bool) -> int:
        if hi is None:  # nothing fits yet: head for where the fill says, else the floor
            last = len(self.sizes) - 1
            return self._toward(lo, self.trials[lo].fill) if interpolate else last
        if not interpolate:
            return (lo + hi) // 2
        over, under = self.trials[lo].fill, self.trials[hi].fill
        share = (over - 1) / (over - under) if over > under else 0.5
        return min(max(lo + round(share * (hi - lo)), lo + 1), hi - 1)


def layout_sheet(
    sheet: m.Sheet, theme: Theme, clinic: Clinic | None = None, direction: str | None = None
) -> Document:
    """Lay out and fit `sheet`; raise FitError when it cannot fit at the floor.

    A `clinic` fills the slot the layout reserves on every edition, so it is
    added after fitting, at the scale found without it: nothing else moves.
    `direction` ("ltr" or "rtl") defaults to the sheet language's; a layout
    with `mirror_rtl` mirrors its regions for a right-to-left edition.
    """
    theme = for_language(theme, sheet.language)  # the brand's type for the edition's script
    _check_page_count(sheet, theme)
    too_big = table_size_problems(list(_tables(sheet)), theme)
    if too_big:  # before any text is measured: a 500-column table is refused at once
        raise FitError(too_big)
    rtl = direction == "rtl" if direction else is_rtl(sheet.language)
    if clinic is not None and theme.clinic_region is None:
        raise FitError([_no_clinic_slot(theme, clinic)])
    if theme.flowing:  # large print: never smaller type, as many pages as it needs
        flowing = compose_flowing(sheet, theme, setter_for(theme), rtl, clinic)
        return _document(sheet, theme, flowing, 1)
    fitter = _Fitter(sheet, theme, rtl, spill=False)
    try:
        final = _fit(fitter)
    except FitError as error:
        if not any(r.overflow_to for r in theme.regions):
            raise
        # What an editor does before giving up: move the boxes that do not fit a
        # column to the foot of the one its `overflow_to` names (the half-empty main
        # column), then fit again. If even that fails, the first error is the one
        # to show: it names the region where the content is written.
        spent = fitter.passes
        fitter = _Fitter(sheet, theme, rtl, spill=True)
        fitter.passes = spent
        try:
            final = _fit(fitter)
        except FitError:
            raise error from None
    if clinic is not None:
        scale = final.ctx.scale
        final = compose(
            sheet, theme, fitter.setter, scale, clinic=clinic, rtl=rtl, spill=final.ctx.spill
        )
    return _document(sheet, theme, final, fitter.passes)


def _fit(fitter: _Fitter) -> Pass:
    """The fitted pass at the largest size that fits (FitError below the floor)."""
    first = fitter.compose(0, measure=True)  # most sheets fit at the layout's own size
    if first.overflows:
        fitter.critical = frozenset((o.page - 1, o.region) for o in first.overflows)
        index = fitter.search(fitter.guess(first))
    else:
        index = 0
    final = fitter.compose(index, measure=False)
    if final.overflows:  # a region outside the critical set filled up: search them all
        fitter.critical, fitter.trials = None, {0: first}
        final = fitter.compose(fitter.search(index), measure=False)
    return final


@cache
def setter_for(theme: Theme) -> Setter:
    """One setter per theme, so measured words are reused across builds."""
    return Setter(FontSet(theme.fonts), theme.colors.get("link", theme.body.color))


def _candidate_sizes(theme: Theme) -> list[float]:
    count = math.floor((theme.body.size - theme.floor) / theme.step + 1e-9) + 1
    return [round(theme.body.size - i * theme.step, 4) for i in range(count)]


def _tables(sheet: m.Sheet) -> Iterator[m.Table]:
    """Every table of the sheet, those inside boxes included."""
    stack = [block for page in sheet.pages for _name, part in page.parts() for block in part]
    while stack:
        block = stack.pop(0)
        if isinstance(block, m.Table):
            yield block
        elif isinstance(block, m.Callout):
            stack[:0] = block.blocks


def _no_clinic_slot(theme: Theme, clinic: Clinic) -> Problem:
    return Problem(
        clinic.source,
        0,
        0,
        "",
        f"layout '{theme.name}' has no clinic slot",
        "co-brand an edition in a layout whose column reserves one (letter, a4, large-print)",
    )


def compose_flowing(
    sheet: m.Sheet, theme: Theme, setter: Setter, rtl: bool, clinic: Clinic | None = None
) -> Pass:
    """A flowing layout: the content set once in its column, then cut into pages.

    A clinic slot (`clinic: {page: last}`) is kept free at the foot of the last page
    of every edition, a page of its own if the content leaves too little room, so a
    co-branded edition has the same pages as the plain one."""
    ctx = Context(
        theme, 1.0, setter, rtl=rtl, mirror=rtl and theme.mirror_rtl, lang=sheet.language
    )  # the language: its line breaking and hyphenation
    ctx.elem("Document", None, Lang=sheet.language)
    top = theme.page_height - theme.margin_top
    first: list[Item] = []
    if theme.band is not None:
        first, top = band_items(ctx, sheet, 0)
        first += draft_items(ctx, sheet, 0)
    ctx.keeps.clear()  # the band's own lines are not in the galley
    column = theme.columns[0]
    x, width = column_boxes(theme, ctx.mirror)[column.name]
    pad = column.padding
    flow = Flow(ctx, x + pad, 0.0, width - 2 * pad, 0, column.name)
    marks = _set(flow, [block for page in sheet.pages for block in blocks_of(page, column)])
    room = top - theme.margin_bottom - 2 * pad
    slices = galley.cut(flow.items, ctx.keeps, room, marks)
    reserve = column.clinic.height if column.clinic is not None else 0.0
    if reserve and slices and slices[-1].top - slices[-1].bottom + reserve > room:
        end = slices[-1].bottom
        slices.append(galley.Slice(end, end))  # the slot alone on a last page
    galley.check_pages(slices, theme, marks)
    pages: list[PageFrame] = []
    for number, items in enumerate(galley.place(flow.items, slices, top - pad)):
        ctx.page = number
        furniture = first
        if number and theme.band is not None:
            furniture = band_items(ctx, sheet, number)[0] + draft_items(ctx, sheet, number)
        if clinic is not None and number == len(slices) - 1:
            box = Box(x + pad, theme.margin_bottom + pad, width - 2 * pad, reserve)
            items = [*items, *clinic_items(ctx, clinic, box, sheet.clinic_heading,
                                           sheet.clinic_logo)]  # fmt: skip
        frame = (*furniture, *items)
        pages.append(PageFrame(theme.page_width, theme.page_height, frame))
    return Pass(pages, ctx, [], 0.0)


def _check_page_count(sheet: m.Sheet, theme: Theme) -> None:
    if theme.flowing:  # pages are the layout's to make: only max_pages counts
        return
    if len(sheet.pages) > theme.max_pages:
        extra = sheet.pages[theme.max_pages]  # pointed at by its first block
        first = next((block for _name, part in extra.parts() for block in part), None)
        message = (
            f"the sheet has {len(sheet.pages)} pages; layout '{theme.name}' allows "
            f"{theme.max_pages}, and page {theme.max_pages + 1} starts here"
        )
        hint = "merge or shorten pages, or choose a layout with more pages"
        raise FitError([blame.at(first.source if first else sheet.source, message, hint, "pages")])


def compose(
    sheet: m.Sheet,
    theme: Theme,
    setter: Setter,
    scale: float,
    measure: bool = False,
    only: frozenset[tuple[int, str]] | None = None,
    clinic: Clinic | None = None,
    rtl: bool = False,
    spill: bool = False,
) -> Pass:
    """Lay out every page at `scale`, recording what overflows its region.

    With `measure`, lines are counted but not built: a trial pass of the fitter,
    which may also name the `only` regions (page index, region) worth measuring.
    `rtl` sets lines from the right, and mirrors the regions when the layout says so
    (`mirror_rtl`); with
    `spill`, a column's trailing blocks that do not fit move to its `overflow_to`.
    """
    ctx = Context(
        theme,
        scale,
        setter,
        measure=measure,
        only=only,
        rtl=rtl,
        mirror=rtl and theme.mirror_rtl,
        lang=sheet.language,
    )
    ctx.spill = spill
    ctx.elem("Document", None, Lang=sheet.language)
    pages: list[PageFrame] = []
    overflows: list[Overflow] = []
    for index, page in enumerate(sheet.pages):
        ctx.page = index
        items, over = _compose_page(ctx, sheet, page, index, clinic)
        pages.append(PageFrame(theme.page_width, theme.page_height, tuple(items)))
        overflows.extend(over)
    return Pass(pages, ctx, overflows, ctx.fill)


def check_parts(sheet: m.Sheet, theme: Theme) -> None:
    """Raise ContentError for content written in a part no region of the layout holds
    (`pages[0].notes` with a layout that has no `notes`): it would not be printed."""
    problems = []
    for index, page in enumerate(sheet.pages):
        for name, blocks in page.others:
            if name in theme.holds:
                continue
            where = blocks[0].source if blocks else sheet.source
            held = ", ".join(sorted(theme.holds))
            problems.append(
                Problem(
                    where.file,
                    where.line if blocks else 0,
                    where.column if blocks else 0,
                    f"pages[{index}].{name}",
                    f"no region of layout '{theme.name}' holds '{name}' content "
                    f"(its regions hold: {held}), so it would not be printed",
                    f"move these blocks to one of {held}, or use a layout with a region "
                    f"whose content lists '{name}'",
                )
            )
    if problems:
        raise ContentError(problems)


def blocks_of(page: m.Page, region: Region) -> tuple[m.Block, ...]:
    """The content a region holds on one page: its content parts, in order."""
    return tuple(block for part in region.content for block in page.part(part))


def column_boxes(theme: Theme, rtl: bool) -> dict[str, tuple[float, float]]:
    """Each column's x and width: side by side by `position` from the start edge.

    Fixed widths first; `fill` columns share what is left after the gutters.
    Mirrored (x counted from the right) with `rtl`: a right-to-left edition of a
    layout that mirrors (`Context.mirror`).
    """
    columns = sorted(theme.columns, key=lambda r: r.position)
    fixed = sum(r.width for r in columns if r.width is not None)
    fills = sum(1 for r in columns if r.width is None)
    rest = theme.content_width - fixed - theme.gutter * (len(columns) - 1)
    share = rest / fills if fills else 0.0
    boxes: dict[str, tuple[float, float]] = {}
    x = theme.margin_left
    for region in columns:
        width = region.width if region.width is not None else share
        left = theme.page_width - x - width if rtl else x
        boxes[region.name] = (left, width)
        x += width + theme.gutter
    return boxes


def _compose_page(
    ctx: Context, sheet: m.Sheet, page: m.Page, index: int, clinic: Clinic | None = None
) -> tuple[list[Item], list[Overflow]]:
    """One page: the regions in the layout's order, which is the reading order."""
    theme = ctx.theme
    top = theme.page_height - theme.margin_top
    footer = theme.footer
    footer_blocks = blocks_of(page, footer) if footer is not None else ()
    bottom = theme.margin_bottom
    if footer is not None and footer_blocks:
        bottom += _measure_footer(ctx, footer_blocks, footer) + footer.gap
    band_bottom = top
    items: list[Item] = []
    overflows: list[Overflow] = []
    for region in theme.regions:
        if region.kind == "band":
            band, band_bottom = band_items(ctx, sheet, index)
            items += band
            items += draft_items(ctx, sheet, index)  # nothing unless a --draft translation
            break
    columns = {r.name: _Column(ctx, r, band_bottom, bottom, index) for r in theme.columns}
    assigned = {name: blocks_of(page, column.region) for name, column in columns.items()}
    moved = _spill(columns, assigned) if ctx.spill else {}
    last = theme.columns[-1].name
    for region in theme.regions:
        if region.kind == "column":
            items += columns[region.name].place(sheet, assigned[region.name], clinic)
            if region.name == last:
                # Moved boxes continue their new column, but are read where they
                # were written: after every column's own content.
                for target, blocks in moved.items():
                    items += columns[target].more(blocks)
        elif region.kind == "footer" and footer_blocks:
            items += _footer_items(ctx, footer_blocks, region, bottom)
    for column in columns.values():
        overflows += column.overflows()
    return items, overflows


def _spill(
    columns: dict[str, _Column], assigned: dict[str, tuple[m.Block, ...]]
) -> dict[str, tuple[m.Block, ...]]:
    """Take each column's trailing blocks that do not fit, for the foot of its `overflow_to`."""
    moved: dict[str, tuple[m.Block, ...]] = {}
    for name, column in columns.items():
        target = column.region.overflow_to
        if target is None or target not in columns:
            continue
        blocks = assigned[name]
        kept = column.fitting(blocks)
        if kept < len(blocks):
            assigned[name] = blocks[:kept]
            moved[target] = (*moved.get(target, ()), *blocks[kept:])
    return moved


class _Column:
    """One column region on one page: its fill, its blocks, the clinic slot."""

    def __init__(self, ctx: Context, region: Region, top: float, bottom: float, index: int) -> None:
        self.ctx = ctx
        self.region = region
        self.top = top
        self.bottom = bottom
        self.index = index  # the page, 0-based
        self.x, self.width = column_boxes(ctx.theme, ctx.mirror)[region.name]
        slot = region.clinic
        self.reserved = slot.height if slot is not None and index + 1 == slot.page else 0.0
        self.room = top - bottom - 2 * region.padding - self.reserved
        self.flow: Flow | None = None  # once placed
        self.wide = 0  # tables too wide, counted from here in ctx.too_wide

    def fitting(self, blocks: tuple[m.Block, ...]) -> int:
        """How many of `blocks`, from the first, fit this column (measured in a scratch pass)."""
        ctx = self.ctx
        scratch = Context(
            ctx.theme, ctx.scale, ctx.setter, measure=True, rtl=ctx.rtl, mirror=ctx.mirror,
            lang=ctx.lang,
        )  # fmt: skip
        flow = Flow(scratch, 0.0, 0.0, self.width - 2 * self.region.padding, None)
        for count, block in enumerate(blocks):
            flow.block(block)
            if flow.height > self.room + 0.01:
                return count
        return len(blocks)

    def place(
        self, sheet: m.Sheet, blocks: tuple[m.Block, ...], clinic: Clinic | None
    ) -> list[Item]:
        ctx, region, index, reserved = self.ctx, self.region, self.index, self.reserved
        pad = region.padding
        items: list[Item] = []
        if region.fill is not None:
            items.append(Rect(self.x, self.bottom, self.width, self.top - self.bottom, region.fill))
        if not ctx.wants(index, region.name):
            return items
        width = self.width - 2 * pad
        self.wide = len(ctx.too_wide)
        # The first column is the document's body; any other is a section beside it.
        parent = 0 if region == ctx.theme.columns[0] else ctx.elem("Sect", 0)
        self.flow = Flow(ctx, self.x + pad, self.top - pad, width, parent, region.name)
        self.flow.blocks(blocks)
        items.extend(self.flow.items)
        if clinic is not None and reserved:
            box = Box(self.x + pad, self.bottom + pad, width, reserved)
            items.extend(clinic_items(ctx, clinic, box, sheet.clinic_heading, sheet.clinic_logo))
        return items

    def more(self, blocks: tuple[m.Block, ...]) -> list[Item]:
        """Blocks moved here from another column, below this column's own."""
        if self.flow is None:
            return []
        mark = len(self.flow.items)
        self.flow.blocks(blocks)
        return self.flow.items[mark:]

    def overflows(self) -> list[Overflow]:
        ctx, index, name, flow = self.ctx, self.index, self.region.name, self.flow
        if flow is None:
            return []
        found = _overflow(ctx, index, name, flow.height, self.room)
        used = ctx.page_use.get(index, 0.0)
        ctx.page_use[index] = used + flow.height / self.room if self.room > 0 else used
        for table in ctx.too_wide[self.wide :]:
            if table.page == index and table.region == name:
                ctx.fill = max(ctx.fill, (table.need / table.room) ** 2)  # fill grows as size²
                found.append(Overflow(index + 1, name, table.need - table.room, 0, True))
        return found


def _set(flow: Flow, blocks: list[m.Block] | tuple[m.Block, ...]) -> list[blame.Mark]:
    """Set `blocks` in `flow`, noting where each went (for messages about them)."""
    marks = []
    for block in blocks:
        top = flow.y
        flow.block(block)
        marks.append(blame.Mark(block, top, flow.y))
    return marks


def _scratch_marks(ctx: Context, width: float, blocks: tuple[m.Block, ...]) -> list[blame.Mark]:
    """`blocks` measured in a column of `width` at the pass's scale, from y = 0 down."""
    scratch = Context(
        ctx.theme, ctx.scale, ctx.setter, measure=True, rtl=ctx.rtl, mirror=ctx.mirror,
        lang=ctx.lang,
    )  # fmt: skip
    return _set(Flow(scratch, 0.0, 0.0, width, None), blocks)


def _measure_footer(ctx: Context, blocks: tuple[m.Block, ...], region: Region) -> float:
    """The footer's height at this scale, laid out in a scratch context."""
    scratch = Context(ctx.theme, ctx.scale, ctx.setter, lang=ctx.lang, rtl=ctx.rtl)
    flow = Flow(scratch, 0.0, 0.0, ctx.theme.content_width, None)
    flow.blocks(blocks)
    return flow.height + region.padding


def _footer_items(
    ctx: Context, blocks: tuple[m.Block, ...], region: Region, bottom: float
) -> list[Item]:
    theme = ctx.theme
    top = bottom - region.gap  # the footer's rule sits a gap below the columns
    rule = Rect(
        theme.margin_left,
        top - theme.footer_rule_width,
        theme.content_width,
        theme.footer_rule_width,
        theme.footer_rule,
    )
    flow = Flow(ctx, theme.margin_left, top - region.padding, theme.content_width, 0)
    flow.blocks(blocks)
    return [rule, *flow.items]


def _overflow(ctx: Context, page: int, region: str, used: float, room: float) -> list[Overflow]:
    ctx.fill = max(ctx.fill, used / room if room > 0 else math.inf)
    if used <= room + 0.01:
        return []
    over = used - room
    lead = ctx.theme.body.line_height * ctx.scale
    return [Overflow(page + 1, region, over, math.ceil(over / lead), room=room)]


def _fit_problems(sheet: m.Sheet, theme: Theme, floor: Pass) -> list[Problem]:
    """Say what does not fit at the floor, naming page, region and overflow."""
    problems = list(floor.ctx.problems)
    src = sheet.source
    for source, label, height in floor.ctx.tall_rows:
        band = theme.band.height if theme.band is not None else 0.0
        room = theme.page_height - theme.margin_top - theme.margin_bottom - band
        if height > room:
            problems.append(
                Problem(
                    source.file,
                    source.line,
                    source.column,
                    source.path,
                    f"table row '{label}' is {height:.0f} pt tall; a page has {room:.0f} pt",
                    "shorten the row's cells",
                )
            )
    for wide in floor.ctx.too_wide:
        problems.append(_wide_problem(wide, theme))
    words = dict.fromkeys(floor.ctx.long_words)  # each word once, in reading order
    for origin, word in words:
        where = origin or src
        problems.append(
            Problem(
                where.file,
                where.line,
                where.column,
                where.path,
                f'the word "{word}" is wider than its line or cell even at the floor size '
                f"{theme.floor:g} pt, and cannot be hyphenated there",
                "write a shorter word, add a soft hyphen (U+00AD) where it may break, "
                "or choose a layout with wider columns",
            )
        )
    if words:
        return problems  # the overflow follows from the word: one message, not two
    problems += [
        _overflow_problem(sheet, theme, floor.ctx, o) for o in floor.overflows if not o.wide
    ]
    return problems


def _overflow_problem(sheet: m.Sheet, theme: Theme, ctx: Context, over: Overflow) -> Problem:
    """An overflow at the floor, pointed at the first block that does not fit its region;
    a picture that could not fit even alone is named for what it is."""
    where = f"page {over.page} {over.region}"
    region = next(r for r in theme.columns if r.name == over.region)
    width = column_boxes(theme, ctx.mirror)[region.name][1] - 2 * region.padding
    blocks = blocks_of(sheet.pages[over.page - 1], region)
    block = blame.crossing(_scratch_marks(ctx, width, blocks), -over.room)
    source = block.source if block is not None else sheet.source
    if isinstance(block, m.Image):  # its height follows its width, not the type size
        alone = _scratch_marks(ctx, width, (block,))[0]
        if alone.top - alone.bottom > over.room + 0.01:
            return blame.too_tall(block, alone.top - alone.bottom, over.room, where)
    return blame.at(
        source,
        f"{where} overflows by {over.points:.1f} pt (about {over.lines} lines) even at the "
        f"floor size {theme.floor:g} pt; it is full before this block ends",
        f"shorten this region by {over.lines} lines or more, or move a block to another region",
        path=source.path or f"pages[{over.page - 1}].{over.region}",
    )


EMPTY = 0.10  # a page whose columns are less full than this is worth a warning


def _wide_problem(wide: WideTable, theme: Theme) -> Problem:
    src = wide.source
    return Problem(
        src.file,
        src.line,
        src.column,
        src.path,
        f"the table on page {wide.page + 1} needs {wide.need:.0f} pt but its region is "
        f"{wide.room:.0f} pt wide, even at the floor size {theme.floor:g} pt: column "
        f"'{wide.column}' cannot be narrower than {wide.column_min:.0f} pt, the width of "
        f"'{wide.word}'",
        "shorten the longest words of the widest columns, or split the table in two",
    )


def _document(sheet: m.Sheet, theme: Theme, best: Pass, passes: int) -> Document:
    if best.ctx.problems:  # e.g. a title too long for the band, at any body size
        raise FitError(best.ctx.problems)
    columns = len(theme.columns)
    for page, used in sorted(best.ctx.page_use.items()):
        if used / columns < EMPTY:
            best.ctx.warn(
                f"page {page + 1} is {100 - used / columns * 100:.0f} % empty: "
                "add content, or move it to the page before"
            )
    scale = best.ctx.scale
    return Document(
        pages=tuple(best.pages),
        elements=tuple(best.ctx.elements),
        metadata=metadata(sheet),
        fonts=_fonts_used(best.pages, setter_for(theme).fonts.loaded()),
        scale=scale,
        body_size=round(theme.body.size * scale, 3),
        passes=passes,
        warnings=tuple(best.ctx.warnings),
        rebalanced=best.ctx.spill,
    )


def _fonts_used(pages: list[PageFrame], loaded: dict[str, str]) -> dict[str, str]:
    """The fonts the runs are set in, body font first: what the renderer embeds."""
    used = {
        run.font
        for page in pages
        for item in page.items
        if isinstance(item, TextLine)
        for run in item.runs
    }
    return {name: file for name, file in loaded.items() if name in used}


def metadata(sheet: m.Sheet) -> dict[str, str]:
    return {
        "title": f"{sheet.series}: {sheet.title}",
        "author": sheet.publisher.name,
        "subject": sheet.subject,
        "keywords": ", ".join(sheet.keywords),
        "lang": sheet.language,
        "creator": f"factsheet {__version__}",
        "date": sheet.dates.updated.isoformat(),
        "reviewed": sheet.dates.reviewed.isoformat(),
        # set by content.review from the series' interval; a sheet laid out without it
        # (a test's model) carries no next review rather than a made-up one
        "next_review": sheet.dates.next_review.isoformat() if sheet.dates.next_review else "",
        "draft": "yes" if sheet.draft else "",
    }
