"""Layout themes: page geometry, type scale and brand, read from `layouts/*.yaml`.

In: a layout name (a file in `layouts/`) or a path. Out: a validated, immutable
`Theme`. Colours are resolved to RGB and font files to absolute paths here, so
the layout engine never sees a name it has to look up.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from factsheet.content.yamlfile import load_yaml, validate_schema
from factsheet.errors import LayoutThemeError, Problem
from factsheet.layout.contrast import contrast_problems
from factsheet.layout.frames import Color

ROOT = Path(__file__).resolve().parents[2]
LAYOUTS_DIR = ROOT / "layouts"
FONTS_DIR = ROOT / "fonts"
SCHEMA_PATH = Path(__file__).with_name("schemas") / "layout.schema.json"
FONT_FACES = ("regular", "bold", "italic", "bold_italic")
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
    label_width: float  # the row-header column, as a fraction of the table's width
    padding: float
    group_fill: Color
    header_fill: Color
    rule: Color
    rule_width: float
    gap_after: float


@dataclass(frozen=True)
class Band:
    height: float
    fill: Color
    padding: float
    series: TextStyle
    topic: TextStyle
    mark_color: Color
    mark_height: float
    wordmark: str
    wordmark_style: TextStyle
    gap_after: float


@dataclass(frozen=True, eq=False)  # hashed by identity: load_theme caches one per file
class Theme:
    name: str
    file: Path
    page_width: float
    page_height: float
    margin_top: float
    margin_right: float
    margin_bottom: float
    margin_left: float
    max_pages: int
    fonts: dict[str, dict[str, Path]]  # script → face → file
    band: Band
    sidebar_width: float
    gutter: float
    sidebar_fill: Color
    sidebar_padding: float
    callout_fill: Color
    callout_padding: float
    callout_gap: float
    table: TableStyle
    footer_gap: float
    footer_rule: Color
    footer_rule_width: float
    footer_padding: float
    clinic_page: int  # 1-based
    clinic_height: float
    floor: float  # smallest body size the fitter may use
    step: float
    body: TextStyle
    styles: dict[str, TextStyle]
    colors: dict[str, Color]

    @property
    def content_width(self) -> float:
        return self.page_width - self.margin_left - self.margin_right

    def style(self, name: str) -> TextStyle:
        return self.styles.get(name, self.body)


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


@cache
def _schema() -> dict[str, Any]:
    return dict(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


@cache
def load_theme(name_or_path: str = "letter") -> Theme:
    """Read, validate and resolve a layout. Cached: a theme is immutable."""
    path = resolve_layout(name_or_path)
    doc = load_yaml(path, error_cls=LayoutThemeError)
    problems = validate_schema(doc, _schema(), str(path))
    if problems:
        raise LayoutThemeError(problems)
    builder = _ThemeBuilder(path, doc.data, doc.where)
    theme = builder.build()
    if builder.problems:
        raise LayoutThemeError(builder.problems)
    low_contrast = contrast_problems(theme, doc.data, doc.where)  # WCAG AA, 4.5:1
    if low_contrast:
        raise LayoutThemeError(low_contrast)
    return theme


class _ThemeBuilder:
    """Turns schema-valid layout data into a Theme, collecting semantic problems."""

    def __init__(self, path: Path, data: dict[str, Any], where: Any) -> None:
        self.path = path
        self.data = data
        self.where = where
        self.problems: list[Problem] = []
        self.colors = self._colors()

    def problem(self, keys: tuple[str | int, ...], message: str, hint: str = "") -> None:
        line, column = self.where(keys)
        dotted = ".".join(str(k) for k in keys)
        self.problems.append(Problem(str(self.path), line, column, dotted, message, hint))

    def _colors(self) -> dict[str, Color]:
        colors: dict[str, Color] = {}
        for name, value in self.data["colors"].items():
            if not HEX.match(value):
                self.problem(("colors", name), f"'{value}' is not a colour", "write #RRGGBB")
                continue
            colors[name] = tuple(int(value[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[assignment]
        return colors

    def color(self, keys: tuple[str | int, ...], name: str) -> Color:
        if name in self.colors:
            return self.colors[name]
        if HEX.match(name):
            return tuple(int(name[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]
        self.problem(
            keys, f"unknown colour '{name}'", f"define it under colors: {sorted(self.colors)}"
        )
        return (0.0, 0.0, 0.0)

    def text_style(
        self, keys: tuple[str | int, ...], raw: dict[str, Any], base: TextStyle | None
    ) -> TextStyle:
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
        for script, faces in self.data["fonts"].items():
            fonts[script] = {}
            for face, rel in faces.items():
                file = (FONTS_DIR / rel).resolve()
                if not file.is_file() or FONTS_DIR.resolve() not in file.parents:
                    self.problem(("fonts", script, face), f"font file '{rel}' not found in fonts/")
                fonts[script][face] = file
        if "latin" not in fonts or "regular" not in fonts["latin"]:
            self.problem(("fonts",), "a layout needs fonts.latin.regular")
        return fonts

    def band(self, body: TextStyle) -> Band:
        raw = self.data["header_band"]
        keys: tuple[str | int, ...] = ("header_band",)
        return Band(
            height=float(raw["height"]),
            fill=self.color((*keys, "fill"), raw["fill"]),
            padding=float(raw["padding"]),
            series=self.text_style((*keys, "series"), raw["series"], body),
            topic=self.text_style((*keys, "topic"), raw["topic"], body),
            mark_color=self.color((*keys, "mark", "color"), raw["mark"]["color"]),
            mark_height=float(raw["mark"]["height"]),
            wordmark=raw["wordmark"]["text"],
            wordmark_style=self.text_style((*keys, "wordmark"), raw["wordmark"], body),
            gap_after=float(raw["gap_after"]),
        )

    def table(self) -> TableStyle:
        raw = self.data["table"]
        return TableStyle(
            label_width=float(raw["label_width"]),
            padding=float(raw["padding"]),
            group_fill=self.color(("table", "group_fill"), raw["group_fill"]),
            header_fill=self.color(("table", "header_fill"), raw["header_fill"]),
            rule=self.color(("table", "rule"), raw["rule"]),
            rule_width=float(raw["rule_width"]),
            gap_after=float(raw["gap_after"]),
        )

    def build(self) -> Theme:
        d = self.data
        kind = d["type"]
        body = self.text_style(("type", "body"), kind["body"], None)
        styles = {
            name: self.text_style(("type", "styles", name), raw, body)
            for name, raw in kind.get("styles", {}).items()
        }
        if kind["floor"] > body.size:
            self.problem(("type", "floor"), "the floor is larger than the body size")
        return Theme(
            name=d["name"],
            file=self.path,
            page_width=float(d["page"]["width"]),
            page_height=float(d["page"]["height"]),
            margin_top=float(d["margins"]["top"]),
            margin_right=float(d["margins"]["right"]),
            margin_bottom=float(d["margins"]["bottom"]),
            margin_left=float(d["margins"]["left"]),
            max_pages=int(d["max_pages"]),
            fonts=self.fonts(),
            band=self.band(body),
            sidebar_width=float(d["columns"]["sidebar_width"]),
            gutter=float(d["columns"]["gutter"]),
            sidebar_fill=self.color(("sidebar", "fill"), d["sidebar"]["fill"]),
            sidebar_padding=float(d["sidebar"]["padding"]),
            callout_fill=self.color(("callout", "fill"), d["callout"]["fill"]),
            callout_padding=float(d["callout"]["padding"]),
            callout_gap=float(d["callout"]["gap_after"]),
            table=self.table(),
            footer_gap=float(d["footer"]["gap_before"]),
            footer_rule=self.color(("footer", "rule"), d["footer"]["rule"]),
            footer_rule_width=float(d["footer"]["rule_width"]),
            footer_padding=float(d["footer"]["padding"]),
            clinic_page=int(d["clinic_slot"]["page"]),
            clinic_height=float(d["clinic_slot"]["height"]),
            floor=float(kind["floor"]),
            step=float(kind["step"]),
            body=body,
            styles=styles,
            colors=self.colors,
        )
