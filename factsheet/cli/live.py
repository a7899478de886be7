"""The live preview behind `factsheet watch`: one edition in the browser, rebuilt on every save.

Not a subcommand module: `watch.py` imports it when it runs (it imports Starlette).

A live preview

A small Starlette app (served by uvicorn on 127.0.0.1): `/` is a page showing
the edition's pages as images with the fit, warnings and errors; `/events` is a
server-sent event stream that says "build N is ready" after every rebuild, and
the page fetches the new images then (no manual reload, no polling). Saves are
noticed by watchfiles (the OS's file events, debounced); each change to the
sheet folder, the layouts or the series glossary lays the edition out again in
a worker thread. A build that fails keeps the last good pages on screen and
shows the same messages as the command line, with the source line and caret.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from factsheet.errors import FactsheetError, InputError, Problem

PAGE_DPI = 110  # on screen a page is about as wide as the browser column; crisp, quick
KEEPALIVE_SECONDS = 15.0  # a comment line now and then keeps proxies and browsers connected


@dataclass(frozen=True)
class Edition:
    """Which edition to watch."""

    sheet_dir: Path
    lang: str = "en"
    layout: str = "letter"
    draft: bool = False
    strict: bool = False  # warnings fail the build, as `build --strict` would


@dataclass
class Build:
    """The outcome of one build, as the page shows it."""

    number: int
    ok: bool
    summary: str  # "fits 2 pages at type scale …", or "2 problems: …"
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class State:
    """The latest build and the last good pages, shared by the watcher and the requests."""

    edition: Edition
    build: Build | None = None
    pages: list[bytes] = field(default_factory=list)  # PNGs of the last good build
    pages_build: int = 0  # which build they come from (for cache-busting URLs)
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    def as_json(self) -> dict[str, Any]:
        build = self.build
        return {
            "build": build.number if build else 0,
            "ok": build.ok if build else False,
            "summary": build.summary if build else "building…",
            "errors": build.errors if build else [],
            "warnings": build.warnings if build else [],
            "seconds": round(build.seconds, 2) if build else 0,
            "pages": len(self.pages),
            "pages_build": self.pages_build,
        }


Report = Callable[[Build], None]  # told about every build (the command line prints it)


def build_once(edition: Edition, number: int) -> tuple[Build, list[bytes] | None]:
    """Lay out, render and rasterise the edition; a Build and its page PNGs (None if failed)."""
    from factsheet.cli.common import fit_line
    from factsheet.publish.build import lay_out, refuse_warnings, warnings_of
    from factsheet.publish.preview import page_images
    from factsheet.render.pdf import render_pdf

    started = time.perf_counter()
    try:
        sheet, doc = lay_out(edition.sheet_dir, edition.lang, edition.layout, edition.draft)
        if edition.strict:
            refuse_warnings(sheet, doc)
        pages = page_images(render_pdf(doc), PAGE_DPI)
    except InputError as error:
        count = len(error.problems)
        summary = (
            f"{count} problem{'s' if count != 1 else ''}; the pages shown are the last good ones"
        )
        return Build(
            number,
            False,
            summary,
            [_problem(p) for p in error.problems],
            seconds=time.perf_counter() - started,
        ), None
    except FactsheetError as error:
        return Build(
            number,
            False,
            "the build failed",
            [_message(f"build failed: {error}")],
            seconds=time.perf_counter() - started,
        ), None
    except Exception as error:  # a bug must not stop the preview: say it, keep watching
        message = f"internal error (a bug in factsheet): {type(error).__name__}: {error}"
        return Build(
            number,
            False,
            "the build failed",
            [_message(message)],
            seconds=time.perf_counter() - started,
        ), None
    count = len(doc.pages)
    summary = f"fits {count} page{'s' if count != 1 else ''} at {fit_line(doc)}"
    warnings = [str(w) for w in warnings_of(sheet, doc)]
    return Build(
        number, True, summary, warnings=warnings, seconds=time.perf_counter() - started
    ), pages


def _problem(problem: Problem) -> dict[str, Any]:
    """A problem as the page shows it: the command line's text and its source excerpt."""
    from factsheet.cli.report import escaped, excerpt

    found = excerpt(problem)
    return {
        "text": escaped(str(problem)),
        "excerpt": None
        if found is None
        else {
            "line": found.line_number,
            "text": found.text,
            "caret": " " * found.caret_column + "^" * found.caret_width,
        },
    }


def _message(text: str) -> dict[str, Any]:
    from factsheet.cli.report import escaped

    return {"text": escaped(text), "excerpt": None}


def watched_paths(edition: Edition) -> list[Path]:
    """What a build of the edition reads that an author edits: the sheet folder, the
    project's layouts and brands, a layout file kept elsewhere, and the series glossary
    beside the sheets."""
    from factsheet.layout.theme import LAYOUTS_DIR, resolve_layout

    paths = [edition.sheet_dir.resolve(), LAYOUTS_DIR.resolve()]
    with contextlib.suppress(FactsheetError):
        folder = resolve_layout(edition.layout).resolve().parent
        if not folder.is_relative_to(paths[1]):
            paths.append(folder)
    glossary = edition.sheet_dir.resolve().parent / "glossary.yaml"
    if glossary.is_file():
        paths.append(glossary)
    return paths


class Watcher:
    """Rebuilds on every change and wakes the event streams."""

    def __init__(self, state: State, report: Report | None = None) -> None:
        self.state = state
        self.report = report
        self.stop = asyncio.Event()
        self.count = 0

    async def rebuild(self) -> None:
        self.count += 1
        build, pages = await asyncio.to_thread(build_once, self.state.edition, self.count)
        async with self.state.changed:
            self.state.build = build
            if pages is not None:
                self.state.pages, self.state.pages_build = pages, build.number
            self.state.changed.notify_all()
        if self.report:
            self.report(build)

    async def run(self) -> None:
        """Watch first, then build: a save during the first build is not missed."""
        saved: asyncio.Queue[None] = asyncio.Queue()
        watching = asyncio.create_task(self._watch(saved))
        try:
            await asyncio.sleep(0)  # let the watcher start before the first build
            await self.rebuild()
            while not self.stop.is_set():
                await saved.get()
                while not saved.empty():  # saves during the last build: one build for all
                    saved.get_nowait()
                await self.rebuild()
        finally:
            watching.cancel()

    async def _watch(self, saved: asyncio.Queue[None]) -> None:
        from watchfiles import awatch

        paths = watched_paths(self.state.edition)
        async for _changes in awatch(*paths, stop_event=self.stop, recursive=True):
            saved.put_nowait(None)


def create_app(edition: Edition, report: Report | None = None) -> Starlette:
    state = State(edition)
    watcher = Watcher(state, report)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        task = asyncio.create_task(watcher.run())
        try:
            yield
        finally:
            watcher.stop.set()
            async with state.changed:
                state.changed.notify_all()  # wake the event streams so they end
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def page(request: Request) -> HTMLResponse:
        title = f"{edition.sheet_dir.name} ({edition.lang}, {Path(edition.layout).stem})"
        return HTMLResponse(PAGE.replace("{title}", _html(title)))

    async def status(request: Request) -> JSONResponse:
        return JSONResponse(state.as_json(), headers={"Cache-Control": "no-store"})

    async def image(request: Request) -> Response:
        number = request.path_params["number"]
        if not 1 <= number <= len(state.pages):
            return Response("no such page", status_code=404, media_type="text/plain")
        return Response(
            state.pages[number - 1],
            media_type="image/png",
            headers={"Cache-Control": "no-store"},
        )

    async def events(request: Request) -> StreamingResponse:
        return StreamingResponse(
            _event_stream(state, watcher.stop),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    routes = [
        Route("/", page),
        Route("/status", status),
        Route("/events", events),
        Route("/pages/{number:int}.png", image),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


async def _event_stream(state: State, stop: asyncio.Event) -> AsyncIterator[str]:
    """`build` events: one now, then one after every build, until the server stops."""
    yield "retry: 1000\n\n"  # reconnect quickly after a restart of `factsheet watch`
    seen = -1
    while not stop.is_set():
        current = state.build.number if state.build else 0
        if current != seen:
            seen = current
            yield f"event: build\ndata: {json.dumps(state.as_json())}\n\n"
            continue
        async with state.changed:
            try:
                await asyncio.wait_for(state.changed.wait(), KEEPALIVE_SECONDS)
            except TimeoutError:
                yield ": still watching\n\n"


def _html(text: str) -> str:
    import html

    return html.escape(text, quote=True)


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · factsheet watch</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0; background: #eceff1; color: #1b1b1b; }
  header { position: sticky; top: 0; background: #fff; border-bottom: 1px solid #c8ccd0;
           padding: .6rem 1rem; z-index: 1; }
  h1 { font-size: 1rem; margin: 0; }
  #summary { margin: .2rem 0 0; }
  #summary.failed { color: #a4001d; font-weight: 600; }
  #messages { margin: 0; padding: 0; list-style: none; }
  #messages li { margin: .5rem 0 0; }
  .error { color: #a4001d; }
  .warning { color: #7a4b00; }
  pre { margin: .2rem 0 0; padding: .4rem .6rem; background: #f6f7f8; overflow-x: auto;
        font: 13px/1.35 ui-monospace, monospace; }
  main { display: flex; flex-wrap: wrap; gap: 1rem; padding: 1rem; justify-content: center; }
  main img { width: min(100%, 600px); height: auto; background: #fff;
             box-shadow: 0 1px 4px rgba(0, 0, 0, .25); }
  main.stale img { opacity: .55; }
</style>
</head>
<body>
<header>
  <h1>{title}</h1>
  <p id="summary" role="status" aria-live="polite">building…</p>
  <ul id="messages"></ul>
</header>
<main id="pages" aria-label="pages"></main>
<script>
"use strict";
const summary = document.getElementById("summary");
const messages = document.getElementById("messages");
const pages = document.getElementById("pages");
let shownPages = -1;

function line(kind, item) {
  const li = document.createElement("li");
  li.className = kind;
  li.textContent = kind + ": " + (item.text ?? item);
  if (item.excerpt) {
    const pre = document.createElement("pre");
    const number = String(item.excerpt.line);
    const gutter = " ".repeat(number.length);
    pre.textContent = gutter + " |\\n" + number + " | " + item.excerpt.text + "\\n" +
      gutter + " | " + item.excerpt.caret;
    li.appendChild(pre);
  }
  return li;
}

function show(state) {
  summary.textContent = "build " + state.build + (state.ok ? ": " : " failed: ") + state.summary;
  summary.className = state.ok ? "" : "failed";
  messages.replaceChildren(
    ...state.errors.map((e) => line("error", e)),
    ...state.warnings.map((w) => line("warning", w)));
  pages.className = state.ok ? "" : "stale";
  if (state.pages_build !== shownPages) {
    shownPages = state.pages_build;
    const images = [];
    for (let n = 1; n <= state.pages; n++) {
      const img = document.createElement("img");
      img.src = "/pages/" + n + ".png?build=" + state.pages_build;
      img.alt = "page " + n + " of " + state.pages;
      images.push(img);
    }
    pages.replaceChildren(...images);
  }
  document.body.dataset.build = String(state.build);
}

const source = new EventSource("/events");
source.addEventListener("build", (event) => show(JSON.parse(event.data)));
source.onerror = () => { summary.textContent = "not connected: is factsheet watch running?"; };
</script>
</body>
</html>
"""
