"""Which block a fit problem points at, and what to say about a block taller than its room.

In: the blocks of a region (or a galley) with the heights they were set at. Out:
`Problem`s at the block's own file, line and key path, so an overflow names where
the region runs out and a picture taller than a page names the picture and the
width that would let it fit, not a count of lines to cut.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from factsheet.content import model as m
from factsheet.errors import Problem


@dataclass(frozen=True)
class Mark:
    """Where a block was set in a column: from `top` down to `bottom` (y grows upwards)."""

    block: m.Block
    top: float
    bottom: float


def crossing(marks: list[Mark], limit: float) -> m.Block | None:
    """The first block that reaches below `limit`: where the room runs out."""
    return next((mark.block for mark in marks if mark.bottom < limit - 0.01), None)


def starting(marks: list[Mark], limit: float) -> m.Block:
    """The block a page starting at `limit` starts in (the last one, if the page holds
    only what follows the blocks, such as a clinic's slot). `marks` is not empty."""
    return crossing(marks, limit) or marks[-1].block


def at(source: m.Source, message: str, hint: str, path: str | None = None) -> Problem:
    return Problem(
        source.file, source.line, source.column, source.path if path is None else path,
        message, hint,
    )  # fmt: skip


def too_tall(block: m.Block, height: float, room: float, where: str) -> Problem:
    """A block that cannot fit `where` (e.g. "page 1 main") at any type size."""
    if isinstance(block, m.Image):
        return _picture(block, height, room, where)
    return at(
        block.source,
        f"this block is {height:.0f} pt tall even at the smallest type; {where} has room "
        f"for {room:.0f} pt",
        "split it into smaller blocks (a table: fewer rows), or shorten it",
    )


def _picture(image: m.Image, height: float, room: float, where: str) -> Problem:
    """A picture's height follows its width, not the type size: say which width fits."""
    fits = math.floor(image.width * room / height * 100) / 100
    if fits >= 0.1:
        hint = f"give it 'width: {fits:.2f}' or less (a fraction of the column), or crop it"
    else:
        hint = "crop the picture: it is too tall for its column at any readable width"
    return at(
        image.source,
        f"the picture '{image.path.name}' is {height:.0f} pt tall at width {image.width:g} "
        f"of its column; {where} has room for {room:.0f} pt",
        hint,
        path=f"{image.source.path}.image.width",
    )
