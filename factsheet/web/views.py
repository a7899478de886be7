"""The website's pages, shared by the static site and the download service.

In: a `release.Release` and the language a page is written in. Out: HTML text
from the Jinja2 templates in `templates/` (autoescaped: every title, name and
form value is text, never markup), with the site's own words from the gettext
catalogs (`strings`), dates and sizes formatted by Babel for that language.
Links are relative to the site's root through `root`, so the same pages work
from any folder of a static host and from the web application.

URLs (the same in both):
  index.html, index.<lang>.html     every sheet, its editions, sizes, dates, downloads
  sheets/<sheet>/index.html         a page per sheet, one edition featured
  sheets/<sheet>/<lang>.html        one edition: subject, downloads, previews, languages
  sheets/<sheet>/<lang>.pdf         the primary layout (Letter); <lang>.<layout>.pdf the others
  sheets/<sheet>/<lang>-thumb<N>.png, <lang>-preview<N>.png   page pictures
  sheets/<sheet>/<lang>/clinic      (service only) the clinic form and its target
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import jinja2
from babel.dates import format_date
from babel.units import format_unit

from factsheet.content.clinic import MAX_LOGO_BYTES
from factsheet.web.languages import direction, display_name
from factsheet.web.release import PRIMARY_LAYOUT, Release, ReleasedEdition
from factsheet.web.strings import SOURCE, gettext_for, page_language, site_languages

STYLESHEET = Path(__file__).with_name("templates") / "style.css"


def N_(message: str) -> str:
    """Marks a string for extraction (Babel's -k N_); it is translated where it is shown."""
    return message


LAYOUT_LABELS = {
    "letter": N_("US Letter"),
    "a4": N_("A4"),
    "large-print": N_("Large print"),
}


@dataclass(frozen=True)
class Picture:
    src: str
    alt: str
    width: int
    height: int


@dataclass(frozen=True)
class Download:
    layout: str
    label: str
    href: str
    size: str
    pages: int


@dataclass(frozen=True)
class EditionView:
    """What a page says about one edition; hrefs are relative to the site's root."""

    sheet: str
    lang: str
    language: str  # in its own language: "Español"
    language_here: str  # in the page's language: "Spanish" on an English page
    language_in_text: str  # the same, in the case used inside a sentence ("español")
    dir: str
    status: str  # current, behind, withdrawn
    title: str
    series: str
    subject: str
    reviewed: str  # ISO date, for <time datetime>
    reviewed_text: str  # in the page's language
    downloads: tuple[Download, ...]
    page: str
    clinic_page: str
    thumbnails: tuple[Picture, ...]
    previews: tuple[Picture, ...]

    @property
    def pdf(self) -> str:
        return self.downloads[0].href if self.downloads else ""

    @property
    def size(self) -> str:
        return self.downloads[0].size if self.downloads else ""

    @property
    def published(self) -> bool:
        return self.status != "withdrawn" and bool(self.downloads)


@dataclass(frozen=True)
class SheetView:
    id: str
    editions: tuple[EditionView, ...]  # English first, then by tag
    featured: EditionView  # the edition shown first (the visitor's language, if we have it)
    english: EditionView

    @property
    def page(self) -> str:
        return f"sheets/{self.id}/index.html"


# --- the clinic form -----------------------------------------------------------------------


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    hint: str
    type: str
    required: bool = False
    maxlength: int = 0
    autocomplete: str = ""
    inputmode: str = ""
    value: str = ""
    error: str = ""


@dataclass(frozen=True)
class FormError:
    field: str
    message: str


@dataclass(frozen=True)
class ClinicForm:
    values: dict[str, str] = field(default_factory=dict)
    errors: tuple[FormError, ...] = ()

    def fields(self, lang: str) -> list[FormField]:
        _ = gettext_for(lang).gettext
        errors = {e.field: e.message for e in self.errors}
        return [
            replace(
                f,
                label=_(f.label),
                hint=_(f.hint) % {"mb": MAX_LOGO_BYTES // 1048576},
                value=self.values.get(f.name, ""),
                error=errors.get(f.name, ""),
            )
            for f in FORM_FIELDS
        ]


FORM_FIELDS: tuple[FormField, ...] = (
    FormField(
        "name",
        N_("Clinic name"),
        N_("As it should be printed, up to 80 characters."),
        "text",
        required=True,
        maxlength=80,
        autocomplete="organization",
    ),
    FormField(
        "phone",
        N_("Phone number"),
        N_(
            "With the country code, and an extension if you need one, e.g. +1 555 010 0199 ext. 12."
        ),
        "tel",
        maxlength=40,
        autocomplete="tel",
    ),
    FormField(
        "web",
        N_("Web address"),
        N_("Starting with https://, e.g. https://www.example.org/oncology."),
        "url",
        maxlength=200,
        autocomplete="url",
        inputmode="url",
    ),
    FormField(
        "logo",
        N_("Logo"),
        N_(
            "A PNG or JPEG picture, up to %(mb)d MB and 4 million pixels (for example 2000 × 2000)."
        ),
        "file",
    ),
)
FIELD_NAMES = tuple(f.name for f in FORM_FIELDS)


# --- views of a release --------------------------------------------------------------------


def edition_view(
    edition: ReleasedEdition, lang: str, root: Path, english: ReleasedEdition | None = None
) -> EditionView:
    """`edition` as a page in `lang` shows it (a withdrawn one borrows the English title)."""
    _ = gettext_for(lang).gettext
    base = f"sheets/{edition.sheet}/{edition.lang}"
    shown = edition if edition.title or english is None else english
    downloads = tuple(
        Download(
            files.layout,
            _(LAYOUT_LABELS.get(files.layout, files.layout)),
            f"{base}.pdf" if files.layout == PRIMARY_LAYOUT else f"{base}.{files.layout}.pdf",
            file_size(files.bytes, lang),
            files.pages,
        )
        for files in (edition.layouts if edition.status != "withdrawn" else ())
    )
    title = shown.title or edition.sheet
    pages = len(edition.thumbnails)
    return EditionView(
        sheet=edition.sheet,
        lang=edition.lang,
        language=display_name(edition.lang),
        language_here=display_name(edition.lang, lang),
        language_in_text=display_name(edition.lang, lang, menu=False),
        dir=direction(edition.lang),
        status=edition.status,
        title=title,
        series=shown.series,
        subject=shown.subject,
        reviewed=shown.reviewed,
        reviewed_text=long_date(shown.reviewed, lang),
        downloads=downloads,
        page=f"{base}.html",
        clinic_page=f"{base}/clinic",
        thumbnails=_pictures(root, edition.thumbnails, title, pages, lang),
        previews=_pictures(root, edition.previews, title, pages, lang),
    )


def _pictures(
    root: Path, names: tuple[str, ...], title: str, pages: int, lang: str
) -> tuple[Picture, ...]:
    """The release's PNGs with their alt text in the page's language and their pixel size."""
    _ = gettext_for(lang).gettext
    return tuple(
        Picture(
            name,
            _("Page %(page)d of %(pages)d of “%(title)s”")
            % {"page": n, "pages": pages, "title": title},
            *png_size(root / name),
        )
        for n, name in enumerate(names, start=1)
    )


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk: 24 bytes read, nothing cached."""
    with path.open("rb") as handle:
        head = handle.read(24)
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def sheet_views(
    release: Release, lang: str, featured: dict[str, str] | None = None
) -> list[SheetView]:
    """One view per sheet, in `lang`; `featured` maps a sheet to the edition to show first."""
    views = []
    for sheet in sorted({e.sheet for e in release.editions}):
        found = release.sheet_editions(sheet)
        english = next((e for e in found if e.lang == SOURCE and e.published), None)
        if english is None:
            continue  # a sheet whose English does not build is not on the site
        shown = [edition_view(e, lang, release.root, english) for e in found]
        shown.sort(key=lambda e: (e.lang != SOURCE, e.lang))
        wanted = (featured or {}).get(sheet, SOURCE)
        first = next((e for e in shown if e.lang == wanted and e.published), shown[0])
        views.append(SheetView(sheet, tuple(shown), first, shown[0]))
    return views


def file_size(count: int, lang: str) -> str:
    """ "28 KB" in the page's language and number format (Babel's CLDR units)."""
    locale = _babel_locale(lang)
    if count < 1024 * 1024:
        return format_unit(max(1, round(count / 1024)), "digital-kilobyte", "short", locale=locale)
    return format_unit(round(count / 1048576, 1), "digital-megabyte", "short", locale=locale)


def long_date(iso: str, lang: str) -> str:
    if not iso:
        return ""
    return format_date(dt.date.fromisoformat(iso), "long", locale=_babel_locale(lang))


def _babel_locale(lang: str) -> str:
    return lang.replace("-", "_")


# --- rendering -------------------------------------------------------------------------


@lru_cache(maxsize=32)  # one per site language (never a request's raw header)
def environment(lang: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("factsheet.web", "templates"),
        autoescape=True,  # every page is HTML; names and titles are text, never markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(gettext_for(lang), newstyle=True)  # type: ignore[attr-defined]
    return env


def root_for(depth: int) -> str:
    """The relative path back to the site's root from a page `depth` folders down."""
    return "../" * depth


def _render(template: str, lang: str, depth: int, **context: object) -> str:
    lang = page_language(lang)
    languages = [(tag, display_name(tag), direction(tag)) for tag in site_languages()]
    return (
        environment(lang)
        .get_template(template)
        .render(
            lang=lang,
            dir=direction(lang),
            root=root_for(depth),
            site_languages=languages,
            **context,
        )
    )


def render_index(sheets: list[SheetView], lang: str) -> str:
    return _render("index.html", lang, 0, sheets=sheets)


def render_sheet(sheet: SheetView, edition: EditionView, *, dynamic: bool) -> str:
    """A sheet's page with `edition` featured, in that edition's language (if the site has it).

    `dynamic` (the service) links the clinic form.
    """
    return _render("sheet.html", edition.lang, 2, sheet=sheet, edition=edition, dynamic=dynamic)


def render_clinic(sheet: SheetView, edition: EditionView, form: ClinicForm) -> str:
    lang = page_language(edition.lang)
    return _render(
        "clinic.html", lang, 3, sheet=sheet, edition=edition, form=form, fields=form.fields(lang)
    )


def render_error(
    heading: str, message: str, depth: int, lang: str = SOURCE, message_lang: str = SOURCE
) -> str:
    return _render(
        "error.html",
        lang,
        depth,
        heading=heading,
        message=message,
        message_lang=message_lang,
        message_dir=direction(message_lang),
    )
