"""The download service: the site's pages, PDFs with HTTP caching, clinic co-branded editions.

In: HTTP requests. Out: the pages of `views` (the visitor's language first, by
Accept-Language), PDFs and pictures of the current release (`store`), and
clinic editions rendered on demand from the release's own copy of the
sources. A Starlette application, served by uvicorn (`factsheet serve`); see
docs/web.md for why this stack and docs/deploy.md for running several workers.

What the service promises:
- It serves releases, never the working tree: an edit (or a broken catalog)
  in content/ changes nothing until `factsheet release` makes a new release.
- A sheet or language in a URL is looked up in the release; a name that is
  not there is a 404 and never becomes a path.
- Downloads carry Content-Disposition with `filename` and `filename*`, a
  strong ETag (the PDF's SHA-256), Cache-Control, and 304 for If-None-Match.
- Clinic editions are cached by a hash of their inputs and are `private`; at
  most `max_renders` renders run at once, past that 503 with Retry-After; a
  full cache disk is 503 for new renders only.
- Bad input (a form field, an upload, an oversized body) gets a 4xx page that
  says what to fix, in the page's language; nothing a visitor sent is echoed
  at length.
"""

from __future__ import annotations

import gettext
import hashlib
import logging
import os
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anyio import to_thread
from starlette.applications import Starlette
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from factsheet.content.clinic import (
    FIELDS,
    FORM,
    MAX_LOGO_BYTES,
    Clinic,
    check_logo,
    clinic_from_form,
    normalized_logo,
)
from factsheet.errors import InputError, Problem
from factsheet.publish.files import BUILD_DIR, CONTENT_DIR
from factsheet.web.languages import negotiate
from factsheet.web.release import (
    PRIMARY_LAYOUT,
    Release,
    ReleasedEdition,
    make_release,
)
from factsheet.web.serving import (
    Busy,
    DeclaredBodyLimit,
    SingleFlight,
    content_disposition,
    download_names,
    etag_matches,
    shorten,
)
from factsheet.web.store import CacheFull, ClinicBuilt, ClinicCache, NoRelease, ReleaseStore
from factsheet.web.strings import SOURCE, gettext_for, page_language, site_languages
from factsheet.web.views import (
    FIELD_NAMES,
    N_,
    STYLESHEET,
    ClinicForm,
    FormError,
    SheetView,
    render_clinic,
    render_error,
    render_index,
    render_sheet,
    sheet_views,
)

log = logging.getLogger("factsheet.web")

# Pages: no scripts at all, styles and images from here only, forms post here only.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
PUBLIC_CACHE = "public, max-age=300"  # editions change rarely; the ETag revalidates cheaply
PRIVATE_CACHE = "private, max-age=86400"  # a clinic's own edition: browsers only, not proxies
ERROR_HEADINGS = {
    404: N_("Page not found"),
    405: N_("This address does not take that kind of request"),
    413: N_("The upload is too large"),
    503: N_("Please try again in a moment"),
}
ERROR_HEADING = N_("Something is wrong with the request")
# What an error page says under its heading when the error has no words of its own
# (Starlette's routing answers "Not Found", "Method Not Allowed").
ERROR_DETAILS = {
    404: N_("There is no page at this address."),
    405: N_("This address does not take that kind of request."),
}


class PageError(HTTPException):
    """An HTTP error whose explanation is a site string, said in the visitor's language:
    `message` is the msgid (python-format), `params` fills it in."""

    def __init__(
        self,
        status: int,
        message: str,
        headers: dict[str, str] | None = None,
        **params: str,
    ) -> None:
        super().__init__(status, message % params if params else message, headers)
        self.message = message
        self.params = params


MAX_FORM_FIELDS = 8
MAX_FIELD_BYTES = 16 * 1024


@dataclass(frozen=True)
class Settings:
    cache: Path = BUILD_DIR / "cache"  # clinic editions (shared by every worker)
    content_dir: Path = CONTENT_DIR  # only read to make a first release when there is none
    releases: Path | None = None  # default: <cache>/releases
    layout: str = PRIMARY_LAYOUT  # the layout clinic editions are made in
    max_renders: int = 2  # renders at once (the machine's cores); more wait for a 503 retry
    max_body: int = MAX_LOGO_BYTES + 256 * 1024  # a logo and the form's text fields
    recheck: float = 2.0  # seconds between looks at releases/current
    retry_after: int = 2  # seconds, in a 503's Retry-After
    release_if_missing: bool = True  # make a release at start-up when there is none
    clinic_bytes: int = 256 * 1024 * 1024
    clinic_files: int = 10_000

    @property
    def releases_dir(self) -> Path:
        return self.releases if self.releases is not None else self.cache / "releases"


class FormProblems(Exception):
    """The clinic form's input is wrong: re-show the form (422, or 413 for a big logo)."""

    def __init__(self, problems: list[Problem], status: int = 422) -> None:
        super().__init__(problems)
        self.problems = problems
        self.status = status


def create_app(settings: Settings | None = None) -> Starlette:
    """The ASGI application (uvicorn runs it; tests drive it through TestClient)."""
    service = Service(settings or Settings())
    app = Starlette(
        routes=service.routes(),
        middleware=[Middleware(DeclaredBodyLimit, max_bytes=service.settings.max_body)],
        exception_handlers={
            HTTPException: service.http_error,  # type: ignore[dict-item]
            ClientDisconnect: service.client_gone,  # type: ignore[dict-item]
        },
        lifespan=service.lifespan,
    )
    app.state.service = service  # for `factsheet serve`'s log line and the tests
    return app


def app_from_environment() -> Starlette:
    """uvicorn's factory for `factsheet serve --workers N`: each worker builds its own app."""
    env = os.environ
    settings = Settings(
        cache=Path(env["FACTSHEET_CACHE"]),
        content_dir=Path(env["FACTSHEET_CONTENT"]),
        releases=Path(env["FACTSHEET_RELEASES"]),
        max_renders=int(env.get("FACTSHEET_MAX_RENDERS", "2")),
        clinic_bytes=int(env.get("FACTSHEET_CLINIC_BYTES", str(Settings.clinic_bytes))),
        release_if_missing=False,  # the parent made sure there is one
    )
    return create_app(settings)


class Service:
    """The route handlers, around the release store, the clinic cache and a render limiter."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.releases = ReleaseStore(settings.releases_dir, settings.recheck)
        self.clinics = ClinicCache(
            settings.cache / "clinic", settings.clinic_bytes, settings.clinic_files
        )
        self.flight = SingleFlight(settings.max_renders)

    def routes(self) -> list[Route]:
        return [
            Route("/", self.index),
            Route("/index.html", self.index),
            Route("/index.{lang}.html", self.index),
            Route("/style.css", self.stylesheet),
            Route("/healthz", self.health),
            Route("/sheets/{sheet}/", self.sheet_page),
            Route("/sheets/{sheet}", self.to_sheet_page),
            Route("/sheets/{sheet}/index.html", self.sheet_page),
            Route("/sheets/{sheet}/{lang}.html", self.edition_page),
            Route("/sheets/{sheet}/{lang}.{layout}.pdf", self.pdf),
            Route("/sheets/{sheet}/{lang}.pdf", self.pdf),
            Route("/sheets/{sheet}/{lang}-thumb{page:int}.png", self.picture),
            Route("/sheets/{sheet}/{lang}-preview{page:int}.png", self.picture),
            Route(
                "/sheets/{sheet}/{lang}/clinic",
                self.clinic,
                methods=["GET", "POST"],
                max_body_size=self.settings.max_body,  # counted as it arrives, chunked or not
            ),
        ]

    @asynccontextmanager
    async def lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        if not self.clinics.ready():
            log.warning("the clinic cache %s is not writable: clinic renders answer 503",
                        self.clinics.root)  # fmt: skip
        if self.settings.release_if_missing:
            await to_thread.run_sync(self._first_release)
        yield

    def _first_release(self) -> None:
        """No release yet (a fresh checkout): make one, so the first visitor has pages."""
        try:
            self.releases.current()
            return
        except NoRelease:
            pass
        try:
            result = make_release(self.settings.content_dir, self.settings.releases_dir)
        except Exception as error:  # start anyway: pages answer 503 until a release exists
            log.warning("could not make a first release: %s", error)
            return
        log.info("made release %s (%d not published)", result.release.id, len(result.failures))

    # --- looking things up ------------------------------------------------------------

    def _release(self) -> Release:
        try:
            return self.releases.current()
        except NoRelease:
            message = N_("The site has no published sheets yet. Please try again later.")
            raise PageError(503, message, {"Retry-After": "60"}) from None

    def _sheet(self, release: Release, sheet: str) -> list[ReleasedEdition]:
        found = release.sheet_editions(sheet)
        if not any(e.lang == SOURCE and e.published for e in found):
            raise PageError(404, N_("There is no sheet called “%(sheet)s”."), sheet=shorten(sheet))
        return found

    def _edition(self, request: Request) -> tuple[Release, ReleasedEdition]:
        release = self._release()
        sheet, lang = request.path_params["sheet"], request.path_params["lang"]
        self._sheet(release, sheet)  # 404 for the sheet first, if it is the sheet
        edition = release.find(sheet, lang)
        if edition is None:
            message = N_("The sheet “%(sheet)s” has no edition in “%(lang)s”.")
            raise PageError(404, message, sheet=shorten(sheet), lang=shorten(lang))
        return release, edition

    def _view(self, release: Release, sheet: str, lang: str, featured: str) -> SheetView:
        return next(v for v in sheet_views(release, lang, {sheet: featured}) if v.id == sheet)

    # --- pages ------------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        release = self._release()
        asked = request.path_params.get("lang")
        header = request.headers.get("accept-language")
        if asked is not None and asked not in site_languages():
            raise PageError(404, N_("The site has no pages in “%(lang)s”."), lang=shorten(asked))
        lang = asked or negotiate(header, list(site_languages()))
        sheets = sheet_views(release, lang)
        featured = {
            s.id: negotiate(header, [e.lang for e in s.editions if e.published]) for s in sheets
        }
        return _page(render_index(sheet_views(release, lang, featured), lang), vary=not asked)

    async def to_sheet_page(self, request: Request) -> Response:
        """`/sheets/x` → `x/`: a relative Location, so the Host header is never echoed."""
        self._sheet(self._release(), request.path_params["sheet"])
        sheet = request.path_params["sheet"]
        return Response(status_code=308, headers={"Location": f"{sheet}/"})

    async def sheet_page(self, request: Request) -> Response:
        release = self._release()
        sheet = request.path_params["sheet"]
        found = self._sheet(release, sheet)
        header = request.headers.get("accept-language")
        lang = negotiate(header, [e.lang for e in found if e.published])
        view = self._view(release, sheet, lang, lang)
        return _page(render_sheet(view, view.featured, dynamic=True), vary=True)

    async def edition_page(self, request: Request) -> Response:
        release, edition = self._edition(request)
        view = self._view(release, edition.sheet, edition.lang, edition.lang)
        shown = next(e for e in view.editions if e.lang == edition.lang)
        return _page(render_sheet(view, shown, dynamic=True))

    async def stylesheet(self, request: Request) -> Response:
        headers = {"Cache-Control": PUBLIC_CACHE, "X-Content-Type-Options": "nosniff"}
        return FileResponse(STYLESHEET, media_type="text/css", headers=headers)

    async def health(self, request: Request) -> Response:
        """200 with the release being served, or 503 while there is none (for load balancers)."""
        try:
            release = self.releases.current()
        except NoRelease:
            return PlainTextResponse("no release\n", status_code=503)
        return PlainTextResponse(f"ok {release.id}\n", headers={"Cache-Control": "no-store"})

    # --- files ------------------------------------------------------------------------

    async def pdf(self, request: Request) -> Response:
        release, edition = self._edition(request)
        layout = request.path_params.get("layout", PRIMARY_LAYOUT)
        files = edition.layout(layout) if edition.published else None
        if files is None:
            message = N_("“%(sheet)s” in “%(lang)s” has no %(layout)s PDF.")
            sheet, lang = shorten(edition.sheet), edition.lang
            raise PageError(404, message, sheet=sheet, lang=lang, layout=shorten(layout))
        names = download_names([edition.sheet, edition.lang, layout])
        return _file(request, release.file(files.pdf), f'"{files.sha256}"', PUBLIC_CACHE,
                     "application/pdf", names)  # fmt: skip

    async def picture(self, request: Request) -> Response:
        release, edition = self._edition(request)
        page = request.path_params["page"]
        kind = "preview" if request.url.path.endswith(f"-preview{page}.png") else "thumb"
        pictures = {"thumb": edition.thumbnails, "preview": edition.previews}.get(kind, ())
        if not 1 <= page <= len(pictures):
            raise PageError(404, N_("There is no such picture of this edition."))
        etag = f'"{edition.primary.sha256}-{kind}{page}"'
        return _file(request, release.file(pictures[page - 1]), etag, PUBLIC_CACHE, "image/png")

    # --- clinic editions --------------------------------------------------------------

    async def clinic(self, request: Request) -> Response:
        release, edition = self._edition(request)
        if not edition.published:
            message = N_("This translation is being updated; it has no clinic form.")
            raise PageError(404, message)
        if request.method != "POST":
            return self._form_page(release, edition, {}, [], 200)
        form = await request.form(
            max_files=1, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_FIELD_BYTES
        )
        fields = {f: v.strip() for f in FIELDS if isinstance(v := form.get(f), str)}
        try:
            logo = await _read_logo(form)
            clinic = _checked_clinic(fields)
            built = await self._clinic_pdf(release, edition, clinic, fields, logo)
        except FormProblems as problems:
            return self._form_page(release, edition, fields, problems.problems, problems.status)
        names = download_names([edition.sheet, edition.lang, clinic.name])
        return _file(request, built.pdf, built.etag, PRIVATE_CACHE, "application/pdf", names)

    async def _clinic_pdf(
        self,
        release: Release,
        edition: ReleasedEdition,
        clinic: Clinic,
        fields: dict[str, str],
        logo: bytes | None,
    ) -> ClinicBuilt:
        logo_sha = hashlib.sha256(logo).hexdigest() if logo else None
        key = self.clinics.key(release, edition, self.settings.layout, clinic, logo_sha)
        cached = self.clinics.get(key)
        if cached is not None:
            return cached
        job = lambda: self._render_clinic(release, edition, fields, logo, key)  # noqa: E731
        result: ClinicBuilt = await self._render(f"clinic:{key}", job)
        return result

    async def _render(self, key: str, job: Callable[[], Any]) -> Any:
        """Run a blocking render in a worker thread, once per key, within the limit."""

        async def in_thread() -> Any:
            return await to_thread.run_sync(job)

        try:
            return await self.flight.run(key, in_thread)
        except Busy:
            message = N_("Every worker is busy making sheets. Please try again in a moment.")
            headers = {"Retry-After": str(self.settings.retry_after)}
            raise PageError(503, message, headers) from None
        except CacheFull:
            log.error("clinic cache full: %s", self.clinics.root)
            message = N_("New clinic editions cannot be made just now. Please try again later.")
            raise PageError(503, message, {"Retry-After": "300"}) from None

    def _render_clinic(
        self,
        release: Release,
        edition: ReleasedEdition,
        fields: dict[str, str],
        logo: bytes | None,
        key: str,
    ) -> ClinicBuilt:
        """In a worker thread: check the logo, lay out from the release's sources, render."""
        from factsheet.publish.build import lay_out
        from factsheet.render.pdf import render_pdf

        with tempfile.TemporaryDirectory(dir=self.clinics.scratch()) as scratch:
            logo_path = _checked_logo(logo, Path(scratch)) if logo else None
            try:
                clinic = clinic_from_form(fields, logo_path)
                folder = release.sheet_folder(edition.sheet)
                _sheet, doc = lay_out(folder, edition.lang, self.settings.layout, clinic=clinic)
            except InputError as error:
                if all(p.file == FORM for p in error.problems):
                    raise FormProblems(error.problems) from None
                raise  # the sheet itself is broken: not the visitor's fault
            pdf = render_pdf(doc)
        return self.clinics.put(key, pdf)

    def _form_page(
        self,
        release: Release,
        edition: ReleasedEdition,
        fields: dict[str, str],
        problems: list[Problem],
        status: int,
    ) -> Response:
        lang = page_language(edition.lang)
        view = self._view(release, edition.sheet, lang, edition.lang)
        shown = next(e for e in view.editions if e.lang == edition.lang)
        errors = _form_errors(problems, lang)
        html = render_clinic(view, shown, ClinicForm(fields, errors))
        return _page(html, status=status)

    # --- errors -----------------------------------------------------------------------

    async def http_error(self, request: Request, exc: HTTPException) -> Response:
        lang = negotiate(request.headers.get("accept-language"), list(site_languages()))
        words = gettext_for(lang)
        heading = words.gettext(ERROR_HEADINGS.get(exc.status_code, ERROR_HEADING))
        detail, detail_lang = self._error_detail(exc, words, lang)
        depth = min(3, max(0, request.url.path.count("/") - 1))
        html = render_error(heading, detail, depth, lang, detail_lang)
        return _page(html, status=exc.status_code, headers=dict(exc.headers or {}))

    def _error_detail(
        self, exc: HTTPException, words: gettext.NullTranslations, lang: str
    ) -> tuple[str, str]:
        """The sentence under an error page's heading, in the page's language where the
        site has it (else English, and marked so), and that language."""
        params: dict[str, str] = {}
        if isinstance(exc, PageError):
            message, params = exc.message, exc.params
        elif exc.status_code == 413:  # Starlette's body limit says only "Content Too Large"
            message = N_("The upload is too large: at most %(kb)s KB.")
            params = {"kb": f"{self.settings.max_body // 1024:,}"}
        elif exc.status_code in ERROR_DETAILS:
            message = ERROR_DETAILS[exc.status_code]
        else:
            return shorten(str(exc.detail), 300), "en"
        said = words.gettext(message)
        text = said % params if params else said
        return shorten(text, 300), lang if said != message or lang == "en" else "en"

    async def client_gone(self, request: Request, exc: Exception) -> Response:
        """The visitor closed the connection mid-upload: one line in the log, no traceback."""
        log.info("client went away during %s %s", request.method, shorten(request.url.path, 80))
        return Response(status_code=400)


def _checked_clinic(fields: dict[str, str]) -> Clinic:
    """The form's text fields as a Clinic (the logo is checked in the render's thread)."""
    try:
        return clinic_from_form(fields)
    except InputError as error:
        raise FormProblems(error.problems) from None


def _checked_logo(data: bytes, folder: Path) -> Path:
    """The upload checked (every pixel decoded) and re-encoded, as a PNG file in `folder`."""
    upload = folder / "upload"
    upload.write_bytes(data)
    issue = check_logo(upload)
    if issue is not None:
        raise FormProblems([Problem(FORM, 0, 0, "logo", issue.message, issue.hint)])
    try:
        png = normalized_logo(upload)
    except Exception:  # Pillow raises many types on damaged files; check_logo decoded it once
        raise FormProblems([Problem(FORM, 0, 0, "logo", "damaged")]) from None
    path = folder / "logo.png"
    path.write_bytes(png)
    return path


async def _read_logo(form: FormData) -> bytes | None:
    """The uploaded logo's bytes (None when no file was chosen), refusing one too large."""
    upload = form.get("logo")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    data = await upload.read(MAX_LOGO_BYTES + 1)
    if len(data) > MAX_LOGO_BYTES:
        raise FormProblems([Problem(FORM, 0, 0, "logo", "too large: MiB")], status=413)
    if not data:
        raise FormProblems([Problem(FORM, 0, 0, "logo", "empty")])
    return data


def _form_errors(problems: list[Problem], lang: str) -> tuple[FormError, ...]:
    """Each problem as a plain message in the page's language, once per field, in form order.

    The messages never quote what was typed (it is in the field, right there) and
    never use words such as "http: link": the checks' own English is for files.
    """
    _ = gettext_for(lang).gettext
    found: dict[str, str] = {}
    for problem in problems:
        name = problem.path if problem.path in FIELD_NAMES else "name"
        found.setdefault(name, _(_message_for(name, problem.message.lower())))
    return tuple(FormError(n, found[n]) for n in FIELD_NAMES if n in found)


def _message_for(name: str, message: str) -> str:
    """The msgid of the plain message for a field's problem (extracted by Babel from here)."""
    _ = N_  # marks the msgids for extraction (Babel's -k N_ and _); the caller translates
    if name == "name":
        if "empty" in message or "required" in message or "short" in message:
            return _("Enter the clinic’s name")
        if "long" in message:
            return _("The clinic’s name must be 80 characters or fewer")
        if "glyph" in message or "font" in message:
            return _("The clinic’s name uses letters the sheet’s fonts cannot print")
        return _("The clinic’s name can only use letters, numbers, spaces and punctuation")
    if name == "phone":
        if "long" in message:
            return _("The phone number must be 40 characters or fewer")
        return _("Enter a phone number with its country code, like +1 555 010 0199 ext. 12")
    if name == "web":
        if "long" in message:
            return _("The web address must be 200 characters or fewer")
        if "http:" in message:
            return _("Enter a web address that starts with https://")
        return _("Enter a web address, like https://www.example.org")
    if "mib" in message or "large" in message:
        return _("The logo must be smaller than 2 MB")
    if "pixel" in message:
        return _("The logo must be at most 4 million pixels, for example 2000 × 2000")
    if "empty" in message:
        return _("The chosen logo file is empty")
    if "not a png" in message:
        return _("The logo must be a PNG or JPEG picture")
    return _("The logo file is damaged: save it again as PNG or JPEG and choose it again")


def _page(
    html: str, status: int = 200, *, vary: bool = False, headers: dict[str, str] | None = None
) -> HTMLResponse:
    """An HTML page with the security headers; `vary` when Accept-Language chose its content."""
    extra = {**SECURITY_HEADERS, "Cache-Control": "no-cache", **(headers or {})}
    if vary:
        extra["Vary"] = "Accept-Language"
    return HTMLResponse(html, status_code=status, headers=extra)


def _file(
    request: Request,
    path: Path,
    etag: str,
    cache: str,
    media_type: str,
    names: tuple[str, str] | None = None,
) -> Response:
    """A file with a strong ETag, or 304 when the visitor's copy is current (GET and HEAD)."""
    headers = {"ETag": etag, "Cache-Control": cache, "X-Content-Type-Options": "nosniff"}
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    if names is not None:
        headers["Content-Disposition"] = content_disposition(*names)
    return FileResponse(path, media_type=media_type, headers=headers)
