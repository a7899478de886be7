"""The download service: the site's pages, PDFs with HTTP caching, clinic co-branded editions.

In: HTTP requests. Out: the pages of `views` (the visitor's language first, by
Accept-Language), PDFs and thumbnails from an `EditionStore`, and clinic
editions rendered on demand. A Starlette application, served by uvicorn
(`factsheet serve`); see docs/web.md for why this stack.

What the service promises:
- A sheet or language in a URL is looked up in the catalogue; a name that is
  not there is a 404 and never becomes a path.
- Downloads carry Content-Disposition with `filename` and `filename*`, a
  strong ETag (the PDF's SHA-256), Cache-Control, and 304 for If-None-Match.
- A missing or stale edition is built on demand, once however many visitors
  ask; clinic editions are cached by a hash of their inputs and are `private`.
- At most `max_renders` renders run at once; past that, 503 with Retry-After.
- Bad input (a form field, an upload, an oversized body) gets a 4xx page that
  says what to fix; request bodies are capped before they are read.
"""

from __future__ import annotations

import hashlib
import logging
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
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
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
from factsheet.publish.catalogue import Edition
from factsheet.publish.files import BUILD_DIR, CONTENT_DIR
from factsheet.web.languages import negotiate
from factsheet.web.serving import (
    Busy,
    DeclaredBodyLimit,
    SingleFlight,
    content_disposition,
    download_names,
    etag_matches,
)
from factsheet.web.store import Built, ClinicBuilt, EditionStore
from factsheet.web.views import (
    FIELD_LABELS,
    STYLESHEET,
    ClinicForm,
    FormError,
    SheetView,
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
MAX_FORM_FIELDS = 8
MAX_FIELD_BYTES = 16 * 1024


@dataclass(frozen=True)
class Settings:
    cache: Path = BUILD_DIR / "cache"
    content_dir: Path = CONTENT_DIR
    layout: str = "letter"
    max_renders: int = 2  # renders at once (the machine's cores); more wait for a 503 retry
    max_body: int = MAX_LOGO_BYTES + 256 * 1024  # a logo and the form's text fields
    recheck: float = 2.0  # seconds between checks that a built edition is still fresh
    retry_after: int = 2  # seconds, in a 503's Retry-After
    warm: bool = False  # build every edition when the server starts


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
        exception_handlers={HTTPException: service.http_error},  # type: ignore[dict-item]
        lifespan=service.lifespan,
    )
    app.state.service = service  # for `factsheet serve`'s log line and the tests
    return app


class Service:
    """The route handlers, around one store and one render limiter."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = EditionStore(
            settings.cache, settings.content_dir, settings.layout, recheck=settings.recheck
        )
        self.flight = SingleFlight(settings.max_renders)

    def routes(self) -> list[Route]:
        return [
            Route("/", self.index),
            Route("/index.html", self.index),
            Route("/style.css", self.stylesheet),
            Route("/sheets/{sheet}/", self.sheet_page),
            Route("/sheets/{sheet}/index.html", self.sheet_page),
            Route("/sheets/{sheet}/{lang}.html", self.edition_page),
            Route("/sheets/{sheet}/{lang}.pdf", self.pdf),
            Route("/sheets/{sheet}/{lang}-p{page:int}.png", self.thumbnail),
            Route(
                "/sheets/{sheet}/{lang}/clinic",
                self.clinic,
                methods=["GET", "POST"],
                max_body_size=self.settings.max_body,  # counted as it arrives, chunked or not
            ),
        ]

    @asynccontextmanager
    async def lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        if self.settings.warm:
            try:
                await self._all_built()
            except (HTTPException, InputError) as error:  # the pages will say so
                log.warning("warming the edition cache failed: %s", error)
        yield

    # --- looking things up ------------------------------------------------------------

    def _sheet_editions(self, sheet: str) -> list[Edition]:
        found = [e for (name, _lang), e in self.store.catalogue().items() if name == sheet]
        if not found:
            raise HTTPException(404, f"There is no sheet called “{sheet}”.")
        return found

    def _edition(self, request: Request) -> Edition:
        sheet, lang = request.path_params["sheet"], request.path_params["lang"]
        edition = self.store.find(sheet, lang)
        if edition is None:
            self._sheet_editions(sheet)  # 404 for the sheet first, if it is the sheet
            raise HTTPException(404, f"The sheet “{sheet}” has no edition in “{lang}”.")
        return edition

    async def _render(self, key: str, job: Callable[[], Any]) -> Any:
        """Run a blocking render in a worker thread, once per key, within the limit."""

        async def in_thread() -> Any:
            return await to_thread.run_sync(job)

        try:
            return await self.flight.run(key, in_thread)
        except Busy:
            message = "Every worker is busy making sheets. Please try again in a moment."
            headers = {"Retry-After": str(self.settings.retry_after)}
            raise HTTPException(503, message, headers) from None

    async def _built(self, edition: Edition) -> Built:
        built = self.store.fresh(edition)
        if built is not None:
            return built
        result: Built = await self._render(
            f"edition:{edition.sheet}/{edition.lang}", lambda: self.store.ensure(edition)
        )
        return result

    async def _all_built(self, sheet: str | None = None) -> list[Built]:
        wanted = [e for e in self.store.catalogue().values() if sheet in (None, e.sheet)]
        fresh = [self.store.fresh(e) for e in wanted]
        if all(b is not None for b in fresh):
            return [b for b in fresh if b is not None]
        result: list[Built] = await self._render(
            f"editions:{sheet or '*'}", lambda: [self.store.ensure(e) for e in wanted]
        )
        return result

    # --- pages ------------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        builts = await self._all_built()
        header = request.headers.get("accept-language")
        sheets = sheet_views(builts)
        featured = {s.id: negotiate(header, [e.lang for e in s.editions]) for s in sheets}
        return _page(render_index(sheet_views(builts, featured)), vary=True)

    async def sheet_page(self, request: Request) -> Response:
        sheet = request.path_params["sheet"]
        self._sheet_editions(sheet)
        view = await self._sheet_view(sheet, request)
        return _page(render_sheet(view, view.featured, dynamic=True), vary=True)

    async def edition_page(self, request: Request) -> Response:
        edition = self._edition(request)
        view = await self._sheet_view(edition.sheet, request)
        shown = next(e for e in view.editions if e.lang == edition.lang)
        return _page(render_sheet(view, shown, dynamic=True))

    async def _sheet_view(self, sheet: str, request: Request) -> SheetView:
        builts = await self._all_built(sheet)
        header = request.headers.get("accept-language")
        first = negotiate(header, [b.lang for b in builts])
        return sheet_views(builts, {sheet: first})[0]

    async def stylesheet(self, request: Request) -> Response:
        headers = {"Cache-Control": PUBLIC_CACHE, "X-Content-Type-Options": "nosniff"}
        return FileResponse(STYLESHEET, media_type="text/css", headers=headers)

    # --- files ------------------------------------------------------------------------

    async def pdf(self, request: Request) -> Response:
        edition = self._edition(request)
        built = await self._built(edition)
        names = download_names([edition.sheet, edition.lang, self.settings.layout])
        return _file(request, built.pdf, built.etag, PUBLIC_CACHE, "application/pdf", names)

    async def thumbnail(self, request: Request) -> Response:
        edition = self._edition(request)
        built = await self._built(edition)
        page = request.path_params["page"]
        if not 1 <= page <= len(built.thumbnails):
            raise HTTPException(404, f"This edition has {len(built.thumbnails)} pages.")
        etag = f'"{built.sha256}-p{page}"'
        return _file(request, built.thumbnails[page - 1], etag, PUBLIC_CACHE, "image/png")

    # --- clinic editions --------------------------------------------------------------

    async def clinic(self, request: Request) -> Response:
        edition = self._edition(request)
        if request.method != "POST":  # the form lives on the edition's page
            return RedirectResponse(f"../{edition.lang}.html#clinic", status_code=303)
        form = await request.form(
            max_files=1, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_FIELD_BYTES
        )
        fields = {f: v.strip() for f in FIELDS if isinstance(v := form.get(f), str)}
        try:
            logo = await _read_logo(form)
            clinic = _checked_clinic(fields)
            built = await self._clinic_pdf(edition, clinic, fields, logo)
        except FormProblems as problems:
            return await self._form_page(request, edition, fields, problems)
        names = download_names([edition.sheet, edition.lang, clinic.name])
        return _file(request, built.pdf, built.etag, PRIVATE_CACHE, "application/pdf", names)

    async def _clinic_pdf(
        self, edition: Edition, clinic: Clinic, fields: dict[str, str], logo: bytes | None
    ) -> ClinicBuilt:
        logo_sha = hashlib.sha256(logo).hexdigest() if logo else None
        key = self.store.clinic_key(edition, clinic, logo_sha)
        cached = self.store.clinic_cached(key)
        if cached is not None:
            return cached
        result: ClinicBuilt = await self._render(
            f"clinic:{key}", lambda: self._render_clinic(edition, fields, logo, key)
        )
        return result

    def _render_clinic(
        self, edition: Edition, fields: dict[str, str], logo: bytes | None, key: str
    ) -> ClinicBuilt:
        """In a worker thread: check and store the logo, then lay out and render."""
        logo_path = self._stored_logo(logo) if logo else None
        try:
            clinic = clinic_from_form(fields, logo_path)
            return self.store.build_clinic(edition, clinic, key)
        except InputError as error:
            if all(p.file == FORM for p in error.problems):
                raise FormProblems(error.problems) from None
            raise  # the sheet itself is broken: not the visitor's fault

    def _stored_logo(self, data: bytes) -> Path:
        with tempfile.NamedTemporaryFile(dir=self.store.scratch_dir(), suffix=".upload") as tmp:
            tmp.write(data)
            tmp.flush()
            issue = check_logo(Path(tmp.name))
            if issue is not None:
                raise FormProblems([Problem(FORM, 0, 0, "logo", issue.message, issue.hint)])
            return self.store.store_logo(normalized_logo(Path(tmp.name)))

    async def _form_page(
        self, request: Request, edition: Edition, fields: dict[str, str], error: FormProblems
    ) -> Response:
        view = await self._sheet_view(edition.sheet, request)
        shown = next(e for e in view.editions if e.lang == edition.lang)
        form = ClinicForm(fields, tuple(_form_error(p) for p in error.problems))
        html = render_sheet(view, shown, dynamic=True, form=form, depth=3)
        return _page(html, status=error.status)

    # --- errors -----------------------------------------------------------------------

    async def http_error(self, request: Request, exc: HTTPException) -> Response:
        headings = {404: "Not found", 405: "Not allowed", 413: "Too large", 503: "Busy"}
        heading = headings.get(exc.status_code, "Something is wrong with the request")
        detail = str(exc.detail)
        if exc.status_code == 413:  # Starlette's body limit says only "Content Too Large"
            detail = f"The upload is too large: at most {self.settings.max_body // 1024:,} KB."
        depth = max(0, request.url.path.count("/") - 1)
        html = render_error(heading, detail, depth)
        return _page(html, status=exc.status_code, headers=dict(exc.headers or {}))


def _checked_clinic(fields: dict[str, str]) -> Clinic:
    """The form's text fields as a Clinic (the logo is checked in the render's thread)."""
    try:
        return clinic_from_form(fields)
    except InputError as error:
        raise FormProblems(error.problems) from None


async def _read_logo(form: FormData) -> bytes | None:
    """The uploaded logo's bytes (None when no file was chosen), refusing one too large."""
    upload = form.get("logo")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    data = await upload.read(MAX_LOGO_BYTES + 1)
    if len(data) > MAX_LOGO_BYTES:
        limit = f"{MAX_LOGO_BYTES // 1048576} MB"
        problem = Problem(FORM, 0, 0, "logo", f"the logo is over the {limit} limit")
        raise FormProblems([problem], status=413)
    if not data:
        raise FormProblems([Problem(FORM, 0, 0, "logo", "the logo file is empty")])
    return data


def _form_error(problem: Problem) -> FormError:
    """A problem as the form shows it, next to its field."""
    name = problem.path if problem.path in FIELD_LABELS else "name"
    message, hint = problem.message, problem.hint
    if message == "empty text" or "required key 'name'" in message:
        message, hint = "enter the clinic's name", ""
    if "key" in hint:  # hints written for YAML files ("remove the key") mean nothing here
        hint = ""
    return FormError(name, FIELD_LABELS[name], message, hint)


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
