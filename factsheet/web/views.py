"""The website's pages, shared by the static site and the download service.

In: `store.Built` editions. Out: HTML text from the Jinja2 templates in
`templates/` (autoescaped: every title, name and form value is text, never
markup). Links are relative to the site's root through `root`, so the same
pages work from any folder of a static host and from the web application.

URLs (the same in both):
  index.html                       every sheet, its editions, sizes, dates, downloads
  sheets/<sheet>/index.html        a page per sheet, the first edition featured
  sheets/<sheet>/<lang>.html       one edition: pages, download, language switch
  sheets/<sheet>/<lang>.pdf        the PDF;  sheets/<sheet>/<lang>-p<N>.png  thumbnails
  sheets/<sheet>/<lang>/clinic     (service only) the clinic form's target
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import jinja2
from babel.dates import format_date
from PIL import Image

from factsheet.content.clinic import MAX_LOGO_BYTES
from factsheet.web.languages import direction, display_name, english_name
from factsheet.web.store import Built

STYLESHEET = Path(__file__).with_name("templates") / "style.css"


@dataclass(frozen=True)
class Thumbnail:
    src: str
    alt: str
    width: int
    height: int


@dataclass(frozen=True)
class EditionView:
    """What a page says about one edition; hrefs are relative to the site's root."""

    sheet: str
    lang: str
    language: str  # in its own language: "Español"
    language_en: str  # "Spanish", for the English page text
    dir: str
    title: str
    series: str
    reviewed: str  # ISO date, for <time datetime>
    reviewed_text: str  # "27 November 2026"
    size: str
    pages: int
    pdf: str
    page: str
    clinic_action: str
    thumbnails: tuple[Thumbnail, ...]


@dataclass(frozen=True)
class SheetView:
    id: str
    editions: tuple[EditionView, ...]  # English first, then by tag
    featured: EditionView  # the edition shown first (the visitor's language, if we have it)

    @property
    def page(self) -> str:
        return f"sheets/{self.id}/index.html"


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    hint: str
    type: str
    required: bool = False
    maxlength: int = 0
    autocomplete: str = ""
    value: str = ""
    error: str = ""


@dataclass(frozen=True)
class FormError:
    field: str
    label: str
    message: str
    hint: str = ""


@dataclass(frozen=True)
class ClinicForm:
    values: dict[str, str] = field(default_factory=dict)
    errors: tuple[FormError, ...] = ()

    @property
    def fields(self) -> list[FormField]:
        errors = {e.field: e.message for e in self.errors}
        return [
            replace(f, value=self.values.get(f.name, ""), error=errors.get(f.name, ""))
            for f in FORM_FIELDS
        ]


FORM_FIELDS: tuple[FormField, ...] = (
    FormField(
        "name",
        "Clinic name",
        "As it should be printed, at most 80 characters.",
        "text",
        required=True,
        maxlength=80,
        autocomplete="organization",
    ),
    FormField(
        "phone",
        "Phone number",
        "With the country code, e.g. +1 555 010 0199.",
        "tel",
        maxlength=32,
        autocomplete="tel",
    ),
    FormField(
        "web",
        "Web address",
        "Starting with https://, e.g. https://www.example.org/oncology.",
        "url",
        maxlength=200,
        autocomplete="url",
    ),
    FormField(
        "logo",
        "Logo",
        f"A PNG or JPEG picture, at most {MAX_LOGO_BYTES // 1048576} MB and 2000 × 2000 pixels.",
        "file",
    ),
)
FIELD_LABELS = {f.name: f.label for f in FORM_FIELDS}


def edition_view(built: Built) -> EditionView:
    base = f"sheets/{built.sheet}/{built.lang}"
    title = built.title
    thumbs = tuple(
        Thumbnail(
            f"{base}-p{number}.png",
            f"Page {number} of {built.pages} of “{title}” ({english_name(built.lang)})",
            *_image_size(path),
        )
        for number, path in enumerate(built.thumbnails, start=1)
    )
    return EditionView(
        sheet=built.sheet,
        lang=built.lang,
        language=display_name(built.lang),
        language_en=english_name(built.lang),
        dir=direction(built.lang),
        title=title,
        series=built.series,
        reviewed=built.reviewed,
        reviewed_text=format_date(dt.date.fromisoformat(built.reviewed), "long", locale="en"),
        size=_size(built.bytes),
        pages=built.pages,
        pdf=f"{base}.pdf",
        page=f"{base}.html",
        clinic_action=f"{base}/clinic",
        thumbnails=thumbs,
    )


def sheet_views(builts: Iterable[Built], featured: dict[str, str] | None = None) -> list[SheetView]:
    """One view per sheet; `featured` maps a sheet to the language to show first."""
    grouped: dict[str, list[EditionView]] = {}
    for built in builts:
        grouped.setdefault(built.sheet, []).append(edition_view(built))
    views = []
    for sheet, found in sorted(grouped.items()):
        found.sort(key=lambda e: (e.lang != "en", e.lang))
        wanted = (featured or {}).get(sheet, "en")
        first = next((e for e in found if e.lang == wanted), found[0])
        views.append(SheetView(sheet, tuple(found), first))
    return views


def _size(count: int) -> str:
    if count < 1024 * 1024:
        return f"{max(1, round(count / 1024))} KB"
    return f"{count / 1048576:.1f} MB"


@cache
def _image_size_cached(path: Path, stamp: tuple[int, int]) -> tuple[int, int]:
    with Image.open(path) as image:
        width, height = image.size
    return width, height


def _image_size(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return _image_size_cached(path, (stat.st_mtime_ns, stat.st_size))


# --- rendering -----------------------------------------------------------------------


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("factsheet.web", "templates"),
        autoescape=True,  # every page is HTML; names and titles are text, never markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def root_for(depth: int) -> str:
    """The relative path back to the site's root from a page `depth` folders down."""
    return "../" * depth


def render_index(sheets: list[SheetView]) -> str:
    return environment().get_template("index.html").render(sheets=sheets, root=root_for(0))


def render_sheet(
    sheet: SheetView,
    edition: EditionView,
    *,
    dynamic: bool,
    form: ClinicForm | None = None,
    depth: int = 2,
) -> str:
    """A sheet's page with `edition` featured; `dynamic` adds the clinic form."""
    return (
        environment()
        .get_template("sheet.html")
        .render(
            sheet=sheet,
            edition=edition,
            dynamic=dynamic,
            form=form or ClinicForm(),
            root=root_for(depth),
        )
    )


def render_error(heading: str, message: str, depth: int) -> str:
    template = environment().get_template("error.html")
    return template.render(heading=heading, message=message, root=root_for(depth))
