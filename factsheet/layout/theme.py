"""Layout themes: page regions and geometry from `layouts/*.yaml`, the brand's
colours, fonts and type from the `layouts/brand/*.yaml` file it names.

In: a layout name (a file in `layouts/`) or a path. Out: a validated, immutable
`Theme`. The layout's keys override the brand's (a large-print layout keeps the
brand and sets bigger type). Colours are resolved to RGB and font files to
absolute paths here, so the layout engine never sees a name it has to look up.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

from factsheet.content.langspans import script_of_language
from factsheet.content.yamlfile import Document, format_path, load_yaml, validate_schema
from factsheet.errors import LayoutThemeError, Problem
from factsheet.layout.contrast import contrast_problems
from factsheet.layout.frames import Color

ROOT = Path(__file__).resolve().parents[2]
LAYOUTS_DIR = ROOT / "layouts"
FONTS_DIR = ROOT / "fonts"
SCHEMA_PATH = Path(__file__).with_name("schemas") / "layout.schema.json"
BRAND_SCHEMA_PATH = SCHEMA_PATH.with_name("brand.schema.json")
DEFAULT_DRAFT_FILL: Color = (1.0, 0.84, 0.0)  # signal yellow: reads as a warning on any brand
FONT_FACES = ("regular", "bold", "italic", "bold_italic")
# The narrowest text a column may be left with (an inch): below it a 9 pt line holds one or
# two words, and a layout mistake would surface as "word too wide" errors blamed on the text.
MIN_COLUMN_TEXT = 72.0
HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class TextStyle:
    font: str  # a face: regular, bold, italic or bold_italic
    size: float
    leading: float  # multiple of size
    color: Color
    space_before: float = 0.0
    space_after: float = 0.0
    indent: float = 0.0

    @property
    def line_height(self) -> float:
        return self.size * self.leading

    def scaled(self, factor: float) -> TextStyle:
        return replace(
            self,
            size=self.size * factor,
            space_before=self.space_before * factor,
            space_after=self.space_after * factor,
            indent=self.indent * factor,
        )


@dataclass(frozen=True)
class Box:
    x: float
    y: float  # bottom
    width: float
    height: float

    @property
    def top(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class TableStyle:
    padding: float
    group_fill: Color
    header_fill: Color
    rule: Color
    rule_width: float
    gap_after: float
    max_columns: int  # data columns a table may have; more is refused before layout
    stack: bool  # too wide for its region: one small table per column instead of failing


@dataclass(frozen=True)
class Band:
    """The header band: its look from the brand, its size from the layout."""

    height: float
    max_height: float  # a two-line topic may grow the band to this
    fill: Color
    padding: float
    series: TextStyle
    topic: TextStyle
    topic_min: float  # the smallest topic size; below it the build fails
    mark_color: Color
    mark_height: float
    wordmark: str
    wordmark_style: TextStyle
    wordmark_gap: float  # kept free between the topic and the wordmark
    gap_after: float


@dataclass(frozen=True)
class ClinicSlot:
    page: int | None  # 1-based; None: the last page (`page: last`, a flowing layout's)
    height: float


RegionKind = Literal["band", "column", "footer"]


@dataclass(frozen=True)
class Region:
    """One region of a page, as the layout declares it.

    `content` names the parts of a sheet's page (pages[].main, .sidebar,
    .footer) the region holds, in that order. Columns sit side by side, their
    `position` counted from the start edge (left, or right when mirrored).
    """

    name: str
    kind: RegionKind
    content: tuple[str, ...]
    width: float | None  # a column's width; None: share what the others leave
    position: int
    fill: Color | None
    padding: float
    gap: float  # band: space below it; footer: space above its rule
    clinic: ClinicSlot | None
    overflow_to: str | None = None  # a column whose trailing blocks may move to this one


@dataclass(frozen=True, eq=False)  # hashed by identity: load_theme caches one per file
class Theme:
    name: str
    file: Path
    sources: tuple[Path, ...]  # the layout file and its brand file
    page_width: float
    page_height: float
    margin_top: float
    margin_right: float
    margin_bottom: float
    margin_left: float
    max_pages: int
    flowing: bool  # content runs on over as many pages as it needs (up to max_pages)
    mirror_rtl: bool  # right-to-left editions get the regions mirrored
    fonts: dict[str, dict[str, Path]]  # script → face → file
    band: Band | None
    regions: tuple[Region, ...]  # in reading order
    gutter: float
    callout_fill: Color
    callout_padding: float
    callout_gap: float
    table: TableStyle
    footer_rule: Color
    footer_rule_width: float
    floor: float  # smallest body size the fitter may use
    step: float
    body: TextStyle
    styles: dict[str, TextStyle]
    colors: dict[str, Color]
    draft_fill: Color
    # ISO 15924 script → factor on every style's leading, for an edition written in it
    script_leading: dict[str, float] = field(default_factory=dict)

    @property
    def content_width(self) -> float:
        return self.page_width - self.margin_left - self.margin_right

    @property
    def holds(self) -> frozenset[str]:
        """The content parts (`pages[].main`, `pages[].notes`…) some region of this layout holds."""
        return frozenset(part for region in self.regions for part in region.content)

    @property
    def columns(self) -> tuple[Region, ...]:
        return tuple(r for r in self.regions if r.kind == "column")

    @property
    def footer(self) -> Region | None:
        return next((r for r in self.regions if r.kind == "footer"), None)

    @property
    def clinic_region(self) -> Region | None:
        """The column that reserves the clinic slot, if any."""
        return next((r for r in self.regions if r.clinic is not None), None)

    def region(self, name: str) -> Region:
        return next(r for r in self.regions if r.name == name)

    def style(self, name: str) -> TextStyle:
        return self.styles.get(name, self.body)


def for_language(theme: Theme, language: str) -> Theme:
    """`theme` as an edition in `language` (a BCP 47 tag) sets it: see `for_script`."""
    return for_script(theme, script_of_language(language))


@cache
def for_script(theme: Theme, script: str) -> Theme:
    """`theme` as an edition written in `script` (ISO 15924: "Deva") sets it.

    The brand's `scripts.<code>.leading` multiplies every style's leading: Devanagari's
    vowel signs stand above the headline and its conjuncts hang below the baseline, so
    its lines need more room than Latin's. The same theme when the brand says nothing
    (cached, so a theme's setter and measured words are shared across builds).
    """
    factor = theme.script_leading.get(script)
    if factor is None or factor == 1.0:
        return theme

    def lead(style: TextStyle) -> TextStyle:
        return replace(style, leading=style.leading * factor)

    band = theme.band
    if band is not None:
        band = replace(
            band,
            series=lead(band.series),
            topic=lead(band.topic),
            wordmark_style=lead(band.wordmark_style),
        )
    styles = {name: lead(style) for name, style in theme.styles.items()}
    return replace(theme, body=lead(theme.body), styles=styles, band=band)


def available_layouts() -> list[str]:
    return sorted(p.stem for p in LAYOUTS_DIR.glob("*.yaml"))


def resolve_layout(name_or_path: str) -> Path:
    """A layout name (`letter`) or a path to a layout file."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") and candidate.exists():
        return candidate
    path = LAYOUTS_DIR / f"{name_or_path}.yaml"
    if not path.exists():
        known = ", ".join(available_layouts())
        raise LayoutThemeError(
            [
                Problem(
                    str(path), 0, 0, "", f"unknown layout '{name_or_path}'", f"use one of: {known}"
                )
            ]
        )
    return path


def brand_file(layout_file: Path, name: str) -> Path:
    """`brand: komen` → brand/komen.yaml beside the layout, else in layouts/brand/."""
    local = layout_file.parent / "brand" / f"{name}.yaml"
    return local if local.exists() else LAYOUTS_DIR / "brand" / f"{name}.yaml"


@cache
def _schema(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text(encoding="utf-8")))


@cache
def load_theme(name_or_path: str = "letter") -> Theme:
    """Read, validate and resolve a layout and its brand. Cached: a theme is immutable."""
    path = resolve_layout(name_or_path)
    layout = _load(path, SCHEMA_PATH)
    brand_path = brand_file(path, layout.data["brand"])
    if not brand_path.exists():
        raise LayoutThemeError(
            [layout.problem(("brand",), f"no brand file {brand_path.name} in layouts/brand/")]
        )
    brand = _load(brand_path, BRAND_SCHEMA_PATH)
    merged = _Merged(layout, brand)
    builder = _ThemeBuilder(path, (path, brand_path), merged)
    theme = builder.build()
    if builder.problems:
        raise LayoutThemeError(builder.problems)
    low_contrast = contrast_problems(theme, merged.data, merged.locate)  # WCAG AA, 4.5:1
    if low_contrast:
        raise LayoutThemeError(low_contrast)
    return theme


def _load(path: Path, schema: Path) -> Document:
    doc = load_yaml(path, error_cls=LayoutThemeError)
    problems = validate_schema(doc, _schema(schema), str(path))
    if problems:
        raise LayoutThemeError(problems)
    return doc


Keys = tuple[str | int, ...]


class _Merged:
    """The brand with the layout's keys laid over it, and where each key was written."""

    def __init__(self, layout: Document, brand: Document) -> None:
        self.layout = layout
        self.brand = brand
        self.data = _overlay(brand.data, layout.data)

    def locate(self, keys: Keys) -> tuple[str, int, int]:
        """File, line and column of the key path: the layout's if it sets it, else the brand's."""
        doc = (
            self.layout
            if _has(self.layout.data, keys) or not _has(self.brand.data, keys)
            else self.brand
        )
        line, column = doc.where(keys)
        return doc.file, line, column


def _overlay(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in top.items():
        below = merged.get(key)
        merged[key] = (
            _overlay(below, value) if isinstance(below, dict) and isinstance(value, dict) else value
        )
    return merged


def _has(data: Any, keys: Keys) -> bool:
    for key in keys:
        found = isinstance(data, dict) and key in data
        found = found or (isinstance(data, list) and isinstance(key, int) and key < len(data))
        if not found:
            return False
        data = data[key]
    return True


class _ThemeBuilder:
    """Turns schema-valid layout data into a Theme, collecting semantic problems."""

    def __init__(self, path: Path, sources: tuple[Path, ...], merged: _Merged) -> None:
        self.path = path
        self.sources = sources
        self.merged = merged
        self.data = merged.data
        self.problems: list[Problem] = []
        self.colors = self._colors()

    def problem(self, keys: Keys, message: str, hint: str = "") -> None:
        file, line, column = self.merged.locate(keys)
        # The same key-path form as content messages: regions[2].width
        self.problems.append(Problem(file, line, column, format_path(keys), message, hint))

    def need(self, keys: Keys) -> Any:
        """A value the brand or the layout must set; a problem (and None) when neither does."""
        node: Any = self.data
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                dotted = ".".join(str(k) for k in keys)
                self.problem(keys, f"{dotted} is not set", "set it in the layout or its brand")
                return None
            node = node[key]
        return node

    def _colors(self) -> dict[str, Color]:
        colors: dict[str, Color] = {}
        for name, value in (self.need(("colors",)) or {}).items():
            if not HEX.match(value):
                self.problem(("colors", name), f"'{value}' is not a colour", "write #RRGGBB")
                continue
            colors[name] = _rgb(value)
        return colors

    def color(self, keys: Keys, name: str) -> Color:
        if name in self.colors:
            return self.colors[name]
        if HEX.match(name):
            return _rgb(name)
        self.problem(
            keys, f"unknown colour '{name}'", f"define it under colors: {sorted(self.colors)}"
        )
        return (0.0, 0.0, 0.0)

    def text_style(self, keys: Keys, raw: dict[str, Any], base: TextStyle | None) -> TextStyle:
        def pick(key: str, default: Any) -> Any:
            return raw.get(key, default)

        fallback = base or TextStyle("regular", 10.0, 1.3, (0.0, 0.0, 0.0))
        color = self.color((*keys, "color"), raw["color"]) if "color" in raw else fallback.color
        return TextStyle(
            font=pick("font", fallback.font),
            size=float(pick("size", fallback.size)),
            leading=float(pick("leading", fallback.leading)),
            color=color,
            space_before=float(pick("space_before", 0.0)),
            space_after=float(pick("space_after", 0.0)),
            indent=float(pick("indent", 0.0)),
        )

    def fonts(self) -> dict[str, dict[str, Path]]:
        fonts: dict[str, dict[str, Path]] = {}
        for script, faces in (self.need(("fonts",)) or {}).items():
            fonts[script] = {}
            for face, rel in faces.items():
                file = (FONTS_DIR / rel).resolve()
                if not file.is_file() or FONTS_DIR.resolve() not in file.parents:
                    self.problem(("fonts", script, face), f"font file '{rel}' not found in fonts/")
                fonts[script][face] = file
        if "latin" not in fonts or "regular" not in fonts["latin"]:
            self.problem(("fonts",), "a layout needs fonts.latin.regular")
        return fonts

    def band(self, body: TextStyle, region: dict[str, Any], index: int) -> Band:
        look = self.need(("header_band",)) or {}
        keys: Keys = ("header_band",)
        where: Keys = ("regions", index)
        height = float(region.get("height", 0.0))
        topic = self.text_style((*keys, "topic"), look.get("topic", {}), body)
        topic_min = float(region.get("topic_min", topic.size))
        if topic_min > topic.size:
            self.problem((*where, "topic_min"), "topic_min is larger than the topic's size")
        wordmark = look.get("wordmark", {})
        return Band(
            height=height,
            max_height=max(height, float(region.get("max_height", height))),
            fill=self.color((*keys, "fill"), look.get("fill", "#000000")),
            padding=float(region.get("padding", 0.0)),
            series=self.text_style((*keys, "series"), look.get("series", {}), body),
            topic=topic,
            topic_min=topic_min,
            mark_color=self.color(
                (*keys, "mark", "color"), look.get("mark", {}).get("color", "#FFFFFF")
            ),
            mark_height=float(region.get("mark_height", 0.0)),
            wordmark=wordmark.get("text", ""),
            wordmark_style=self.text_style((*keys, "wordmark"), wordmark, body),
            wordmark_gap=float(region.get("wordmark_gap", 0.0)),
            gap_after=float(region.get("gap_after", 0.0)),
        )

    def table(self) -> TableStyle:
        raw = self.need(("table",)) or {}
        keys: Keys = ("table",)

        def number(key: str) -> float:
            value = self.need((*keys, key))
            return float(value) if value is not None else 0.0

        return TableStyle(
            padding=number("padding"),
            group_fill=self.color((*keys, "group_fill"), raw.get("group_fill", "#000000")),
            header_fill=self.color((*keys, "header_fill"), raw.get("header_fill", "#FFFFFF")),
            rule=self.color((*keys, "rule"), raw.get("rule", "#000000")),
            rule_width=number("rule_width"),
            gap_after=number("gap_after"),
            max_columns=int(raw.get("max_columns", 8)),
            stack=bool(raw.get("stack", False)),
        )

    def regions(self) -> tuple[list[Region], list[tuple[dict[str, Any], int]]]:
        """The layout's regions, and the raw band regions (the band is built apart)."""
        regions: list[Region] = []
        bands: list[tuple[dict[str, Any], int]] = []
        names: set[str] = set()
        held: set[str] = set()
        columns = 0
        for index, raw in enumerate(self.data["regions"]):
            keys: Keys = ("regions", index)
            if raw["name"] in names:
                self.problem((*keys, "name"), f"two regions are named '{raw['name']}'")
            names.add(raw["name"])
            for part in raw.get("content", []):
                if part in held:
                    self.problem((*keys, "content"), f"'{part}' is held by two regions")
                held.add(part)
            columns += raw["kind"] == "column"
            if raw["kind"] == "band":
                bands.append((raw, index))
            regions.append(self.region(raw, keys, columns))
        if columns == 0:
            self.problem(("regions",), "a layout needs at least one column region")
        for part in ("main", "sidebar", "footer"):
            if part not in held:
                hint = f"add '{part}' to a region's content, e.g. the main column's"
                self.problem(("regions",), f"no region holds the sheets' {part} blocks", hint)
        columns_named = {r.name for r in regions if r.kind == "column"}
        for index, region in enumerate(regions):
            target = region.overflow_to
            if target is not None and (target not in columns_named or target == region.name):
                self.problem(
                    ("regions", index, "overflow_to"),
                    f"overflow_to names '{target}', which is not another column region",
                )
        if self.data.get("pages") == "flow" and columns != 1:
            self.problem(("regions",), "a flowing layout (pages: flow) has exactly one column")
        if len(bands) > 1:
            self.problem(("regions",), "a layout has at most one band")
        return regions, bands

    def geometry(self, regions: list[Region]) -> None:
        """The margins and columns fit the page, each column keeping room for text.

        Caught here, naming the layout's own keys, rather than later as every word
        of the sheet "wider than its line" (the column the words were given was the
        layout's mistake, not the text's)."""
        page, margins = self.data["page"], self.data["margins"]
        width = float(page["width"]) - float(margins["left"]) - float(margins["right"])
        height = float(page["height"]) - float(margins["top"]) - float(margins["bottom"])
        if min(width, height) < MIN_COLUMN_TEXT:
            message = f"the margins leave {width:g} × {height:g} pt of the page for content"
            self.problem(("margins",), message, "make the margins smaller or the page larger")
            return
        columns = [(i, r) for i, r in enumerate(regions) if r.kind == "column"]
        for index, region in columns:
            inside = (region.width or MIN_COLUMN_TEXT) - 2 * region.padding
            if region.width is not None and inside < MIN_COLUMN_TEXT:
                self.problem(
                    ("regions", index, "width"),
                    f"column '{region.name}' leaves {inside:g} pt for text inside its padding; "
                    f"a column needs at least {MIN_COLUMN_TEXT:g} pt",
                    "widen the column or reduce its padding",
                )
        self._columns_fit(columns, width)

    def _columns_fit(self, columns: list[tuple[int, Region]], width: float) -> None:
        gutters = float(self.data.get("gutter", 0.0)) * (len(columns) - 1)
        fixed = sum(r.width for _, r in columns if r.width is not None)
        fills = [r for _, r in columns if r.width is None]
        share = (width - fixed - gutters) / len(fills) if fills else 0.0
        if all(share - 2 * r.padding >= MIN_COLUMN_TEXT for r in fills) and (
            fills or fixed + gutters <= width
        ):
            return
        sized = [(r.width or 0.0, i) for i, r in columns if r.width is not None]
        where: Keys = ("regions", max(sized)[1], "width") if sized else ("gutter",)
        need = f", and {len(fills)} fill column(s) of at least {MIN_COLUMN_TEXT:g} pt"
        self.problem(
            where,
            f"the columns do not fit the page: fixed widths {fixed:g} pt and gutters "
            f"{gutters:g} pt{need if fills else ''}, but the page has {width:g} pt "
            "between its margins",
            "narrow the fixed-width columns, the gutter or the margins",
        )

    def clinic_page(self, page: int | str, keys: Keys) -> None:
        """A fixed layout names the page (1 to max_pages); a flowing one, whose pages are
        not known before its content is set, reserves the foot of its last page."""
        flowing = self.data.get("pages") == "flow"
        last = int(self.data["max_pages"])
        if flowing and page != "last":
            self.problem(keys, "a flowing layout's clinic slot is on its last page", "page: last")
        elif not flowing and (page == "last" or int(page) > last):  # else the block vanishes
            self.problem(keys, f"page {page} is not a page of this layout (1 to {last})",
                         f"use a page from 1 to {last}")  # fmt: skip

    def region(self, raw: dict[str, Any], keys: Keys, column: int) -> Region:
        width = raw.get("width", "fill")
        slot = raw.get("clinic")
        if slot is not None and raw["kind"] != "column":
            self.problem((*keys, "clinic"), "only a column can reserve the clinic slot")
        if slot is not None:
            self.clinic_page(slot["page"], (*keys, "clinic", "page"))
        gap = raw.get("gap_after", 0.0) if raw["kind"] == "band" else raw.get("gap_before", 0.0)
        return Region(
            name=raw["name"],
            kind=raw["kind"],
            content=tuple(raw.get("content", [])),
            width=None if width == "fill" else float(width),
            position=int(raw.get("position", column)),
            fill=self.color((*keys, "fill"), raw["fill"]) if "fill" in raw else None,
            padding=float(raw.get("padding", 0.0)),
            gap=float(gap),
            clinic=_slot(slot) if slot else None,
            overflow_to=raw.get("overflow_to"),
        )

    def build(self) -> Theme:
        d = self.data
        kind = self.need(("type",)) or {}
        body = self.text_style(("type", "body"), kind.get("body", {}), None)
        styles = {
            name: self.text_style(("type", "styles", name), raw, body)
            for name, raw in kind.get("styles", {}).items()
        }
        floor = float(kind.get("floor", body.size))
        if floor > body.size:
            self.problem(("type", "floor"), "the floor is larger than the body size")
        regions, bands = self.regions()
        self.geometry(regions)
        band = self.band(body, *bands[0]) if bands else None
        callout = self.need(("callout",)) or {}
        footer = d.get("footer", {})
        return Theme(
            name=d["name"],
            file=self.path,
            sources=self.sources,
            page_width=float(d["page"]["width"]),
            page_height=float(d["page"]["height"]),
            margin_top=float(d["margins"]["top"]),
            margin_right=float(d["margins"]["right"]),
            margin_bottom=float(d["margins"]["bottom"]),
            margin_left=float(d["margins"]["left"]),
            max_pages=int(d["max_pages"]),
            flowing=d.get("pages", "fixed") == "flow",
            mirror_rtl=bool(d.get("mirror_rtl", True)),
            fonts=self.fonts(),
            band=band,
            regions=tuple(regions),
            gutter=float(d.get("gutter", 0.0)),
            callout_fill=self.color(("callout", "fill"), callout.get("fill", "#FFFFFF")),
            callout_padding=float(callout.get("padding", 0.0)),
            callout_gap=float(callout.get("gap_after", 0.0)),
            table=self.table(),
            footer_rule=self.color(("footer", "rule"), footer.get("rule", "#000000")),
            footer_rule_width=float(footer.get("rule_width", 0.0)),
            floor=floor,
            step=float(kind.get("step", 0.1)),
            body=body,
            styles=styles,
            colors=self.colors,
            draft_fill=self.colors.get("draft", DEFAULT_DRAFT_FILL),
            script_leading={
                script: float(raw["leading"])
                for script, raw in (d.get("scripts") or {}).items()
                if "leading" in raw
            },
        )


def _slot(raw: dict[str, Any]) -> ClinicSlot:
    page = raw["page"]
    return ClinicSlot(None if page == "last" else int(page), float(raw["height"]))


def _rgb(value: str) -> Color:
    return (int(value[1:3], 16) / 255, int(value[3:5], 16) / 255, int(value[5:7], 16) / 255)
