"""Text contrast (WCAG 2.1 AA, success criterion 1.4.3) of a layout's colours.

Every text style is checked against every background the layout can draw it
on: body text and headings on the white page, every region's fill (the
sidebar tint) and the callout fill; box titles and resource entries on the
callout fill; band text on the band; table text on its row fills. A pair below
4.5:1 is a LayoutThemeError naming the file (layout or brand), the key that
sets the text colour, both colours, the ratio, and a nearby colour that would
pass.

The large-text allowance of WCAG (3:1 from 18 pt, or 14 pt bold) is not used:
the fitter may shrink body styles, and one rule is easier to keep.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from factsheet.errors import Problem
from factsheet.layout.frames import Color

if TYPE_CHECKING:
    from factsheet.layout.theme import Band, Theme

MINIMUM = 4.5
WHITE: Color = (1.0, 1.0, 1.0)
Keys = tuple[str | int, ...]
Where = Callable[[Keys], tuple[str, int, int]]  # key path → file, line, column

# Where each text style is drawn: the names of BACKGROUNDS below.
IN_ANY_COLUMN = ("page", "regions", "callout")  # "regions": every column's fill
STYLE_BACKGROUNDS: dict[str, tuple[str, ...]] = {
    "body": IN_ANY_COLUMN,
    "heading2": IN_ANY_COLUMN,
    "heading3": IN_ANY_COLUMN,
    "bullet": IN_ANY_COLUMN,
    "notice": IN_ANY_COLUMN,
    "callout_title": ("callout",),
    "resource_name": ("callout",),
    "resource_text": ("callout",),
    "link": ("callout",),  # resource links; boxes always have the callout fill
    "table_group": ("table_group",),
    "table_header": ("table_header", "page"),  # the header row, and the row labels
    "table_cell": ("page",),
    "footer": ("page",),
    "disclaimer": ("page",),
}


@dataclass(frozen=True)
class Pair:
    """One text colour on one background."""

    what: str  # e.g. "heading2 text", "inline link"
    keys: Keys  # where the text colour is set
    text: Color
    background: str  # e.g. "the callout fill (callout.fill)"
    fill: Color


def relative_luminance(color: Color) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour (0 black … 1 white)."""

    def linear(channel: float) -> float:
        if channel <= 0.04045:
            return channel / 12.92
        return float(((channel + 0.055) / 1.055) ** 2.4)

    r, g, b = (linear(c) for c in color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: Color, b: Color) -> float:
    """(L_lighter + 0.05) / (L_darker + 0.05): 1 for equal colours, 21 for black on white."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def contrast_problems(theme: Theme, data: dict[str, Any], where: Where) -> list[Problem]:
    """One Problem per text colour that is below 4.5:1 on a background it is drawn on.

    The message names the worst background, with its two colours and the ratio,
    and lists any other background the colour also fails on.
    """
    failing: dict[tuple[str, Keys], list[tuple[float, Pair]]] = {}
    for pair in _pairs(theme, data):
        ratio = contrast_ratio(pair.text, pair.fill)
        if ratio < MINIMUM:
            failing.setdefault((pair.what, pair.keys), []).append((ratio, pair))
    return [_problem(theme, where, sorted(found, key=lambda f: f[0])) for found in failing.values()]


def _problem(theme: Theme, where: Where, found: list[tuple[float, Pair]]) -> Problem:
    ratio, pair = found[0]  # the worst background first
    file, line, column = where(pair.keys)
    message = (
        f"{pair.what} {to_hex(pair.text)} on {pair.background} {to_hex(pair.fill)} "
        f"has contrast {_ratio(ratio)}; WCAG AA needs at least {MINIMUM}:1"
    )
    if len(found) > 1:
        others = ", ".join(f"{p.background} ({_ratio(r)})" for r, p in found[1:])
        message += f"; also too low on {others}"
    dotted = ".".join(str(k) for k in pair.keys)
    return Problem(file, line, column, dotted, message, _hint(pair))


def _fills(theme: Theme) -> dict[str, list[tuple[str, Color]]]:
    """Each background name of STYLE_BACKGROUNDS: what it is called, and its colour(s)."""
    regions = [
        (f"the {r.name} fill (regions[{theme.regions.index(r)}].fill)", r.fill)
        for r in theme.columns
        if r.fill is not None
    ]
    fills: dict[str, list[tuple[str, Color]]] = {
        "page": [("the white page", WHITE)],
        "regions": regions,
        "callout": [("the callout fill (callout.fill)", theme.callout_fill)],
        "table_group": [("the group row fill (table.group_fill)", theme.table.group_fill)],
        "table_header": [("the header row fill (table.header_fill)", theme.table.header_fill)],
    }
    if theme.band is not None:
        fills["band"] = [("the header band (header_band.fill)", theme.band.fill)]
    return fills


def _pairs(theme: Theme, data: dict[str, Any]) -> list[Pair]:
    fills = _fills(theme)
    pairs = []
    for name, backgrounds in STYLE_BACKGROUNDS.items():
        keys = _style_keys(data, ("type", "styles", name)) if name != "body" else _BODY
        color = theme.style(name).color
        pairs += [
            Pair(f"{name} text", keys, color, *fill) for bg in backgrounds for fill in fills[bg]
        ]
    if theme.band is not None:
        pairs += _band_pairs(theme.band, data, fills["band"][0])
    link = theme.colors.get("link", theme.body.color)
    link_keys: Keys = ("colors", "link") if "link" in theme.colors else _BODY
    pairs += [Pair("inline link", link_keys, link, *f) for bg in IN_ANY_COLUMN for f in fills[bg]]
    return [*pairs, _draft_label(theme)]


def _band_pairs(band: Band, data: dict[str, Any], fill: tuple[str, Color]) -> list[Pair]:
    pairs = []
    for name, style in (("series", band.series), ("topic", band.topic)):
        keys = _style_keys(data, ("header_band", name))
        pairs.append(Pair(f"band {name} text", keys, style.color, *fill))
    if band.wordmark:
        keys = _style_keys(data, ("header_band", "wordmark"))
        pairs.append(Pair("band wordmark", keys, band.wordmark_style.color, *fill))
    return pairs


def _draft_label(theme: Theme) -> Pair:
    """The DRAFT TRANSLATION tag (layout/draftmark.py): colors.text on colors.draft."""
    text = theme.colors.get("text", (0.0, 0.0, 0.0))
    keys: Keys = ("colors", "text") if "text" in theme.colors else ("colors",)
    where = "colors.draft" if "draft" in theme.colors else "its default yellow"
    return Pair("draft label", keys, text, f"the draft tag ({where})", theme.draft_fill)


_BODY: Keys = ("type", "body", "color")


def _style_keys(data: dict[str, Any], keys: Keys) -> Keys:
    """The key that sets a style's colour: its own `color`, else the body's it inherits."""
    node: Any = data
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return (*keys, "color") if isinstance(node, dict) and "color" in node else _BODY


def _hint(pair: Pair) -> str:
    darker = relative_luminance(pair.text) <= relative_luminance(pair.fill)
    target = (0.0, 0.0, 0.0) if darker else WHITE
    for step in range(1, 21):  # mix towards black (or white) in 5 % steps
        t = step / 20
        candidate: Color = tuple(c + (e - c) * t for c, e in zip(pair.text, target, strict=True))  # type: ignore[assignment]
        if contrast_ratio(candidate, pair.fill) >= MINIMUM:
            ratio = _ratio(contrast_ratio(candidate, pair.fill))
            way = "darken" if darker else "lighten"
            other = "lighten" if darker else "darken"
            return (
                f"{way} the text colour (e.g. {to_hex(candidate)} gives {ratio}) "
                f"or {other} the background"
            )
    return "choose a text colour further from the background"


def _ratio(ratio: float) -> str:
    return f"{int(ratio * 100) / 100:.2f}:1"  # truncated: 4.499 must not print as 4.50


def to_hex(color: Color) -> str:
    return "#" + "".join(f"{round(c * 255):02X}" for c in color)
