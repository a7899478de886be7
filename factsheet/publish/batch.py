"""Batch builds: every sheet × language (× layout) in a process pool, skipping what has not changed.

In: `BatchOptions` (content folder, layouts, language and sheet filters, output
folder, force, draft). Out: PDFs at `<out>/<sheet>/<sheet>-<lang>-<layout>.pdf`,
each written atomically by `build_edition`; `<out>/manifest.json`; and one
`EditionResult` per planned edition, sorted by sheet, language and layout.

An edition is skipped when its input fingerprint (see `inputs`) and its PDF's
SHA-256 both match the previous manifest. One failing edition does not stop
the others: the worker turns its error into a failed result carrying the
problems' messages. On KeyboardInterrupt (the command line turns SIGTERM into
one as well) pending builds are cancelled, running ones finish (each writes
atomically), stray temporary files are removed, the manifest records what was
built, and the interrupt goes on up to the caller.
"""

from __future__ import annotations

import ctypes
import gc
import glob
import importlib
import multiprocessing
import os
import pickle
import signal
import sys
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing.context import BaseContext
from pathlib import Path
from types import FrameType
from typing import Any

from factsheet.content.yamlfile import display_name
from factsheet.errors import BuildError, InputError, LayoutThemeError, Problem
from factsheet.publish.catalogue import SOURCE_LANG, Edition, editions, languages
from factsheet.publish.files import BUILD_DIR, CONTENT_DIR
from factsheet.publish.inputs import (
    ContentFiles,
    Hasher,
    catalog_revision,
    code_revision,
    content_files,
    content_inputs,
    fingerprint,
    layout_inputs,
)
from factsheet.publish.manifest import Entry, Key, read_manifest, update_manifest

DEFAULT_OUT = BUILD_DIR / "editions"
OK, SKIPPED, FAILED = "ok", "skipped", "failed"


@dataclass(frozen=True)
class BatchOptions:
    out: Path = DEFAULT_OUT
    layouts: tuple[str, ...] = ("letter",)  # names in layouts/, or layout files
    langs: tuple[str, ...] = ()  # empty: every language
    sheets: tuple[str, ...] = ()  # empty: every sheet
    content_dir: Path = CONTENT_DIR
    force: bool = False  # rebuild even what has not changed
    draft: bool = False  # passed on to build_edition
    strict: bool = False  # an edition with a warning fails (and is not written)


@dataclass(frozen=True)
class Task:
    """One edition to build, with everything a worker process needs (it is pickled)."""

    edition: Edition
    layout: str  # as build_edition takes it: a name or a layout file
    layout_name: str  # as it appears in file names and the manifest
    out: Path
    draft: bool
    inputs: str  # the fingerprint
    source_revision: str
    catalog_revision: dict[str, str | None] | None
    strict: bool = False

    @property
    def key(self) -> Key:
        return (self.edition.sheet, self.edition.lang, self.layout_name)

    @property
    def name(self) -> str:
        return "-".join(self.key)

    @property
    def relpath(self) -> str:
        return f"{self.edition.sheet}/{self.name}.pdf"

    @property
    def output(self) -> Path:
        return self.out / self.relpath


@dataclass(frozen=True)
class EditionResult:
    """What became of one edition: plain data, cheap to send back from a worker."""

    sheet: str
    lang: str
    layout: str
    status: str  # OK, SKIPPED or FAILED
    path: Path
    pages: int = 0
    scale: float = 0.0
    bytes: int = 0
    seconds: float = 0.0  # build time in the worker; 0 when skipped
    error: str = ""  # for FAILED: every problem, one per line
    warnings: tuple[str, ...] = ()  # what the build noticed (kept in the manifest for skips)
    entry: Entry | None = field(default=None, repr=False)  # the manifest entry, unless failed

    @property
    def key(self) -> Key:
        return (self.sheet, self.lang, self.layout)

    @property
    def name(self) -> str:
        return "-".join(self.key)


@dataclass(frozen=True)
class Plan:
    out: Path
    build: list[Task]
    skip: list[tuple[Task, Entry]]  # unchanged editions and their previous entries
    previous: dict[Key, Entry]

    @property
    def total(self) -> int:
        return len(self.build) + len(self.skip)


# --- planning ------------------------------------------------------------------------


def plan_batch(options: BatchOptions) -> Plan:
    """Decide what to build and what to skip; raises InputError for unknown names."""
    layouts, layout_problems = _resolve_layouts(options.layouts)
    chosen, problems = _select(editions(options.content_dir), options)
    if layout_problems or problems:
        raise InputError(layout_problems + problems)
    hasher, code, listing = Hasher(), code_revision(), content_files(options.content_dir)
    previous = read_manifest(options.out)
    plan = Plan(options.out, [], [], previous)
    for edition in chosen:
        for layout in layouts:
            task = _task(edition, layout, options, (hasher, code, listing))
            entry = previous.get(task.key)
            if entry and not options.force and _unchanged(task, entry, hasher):
                plan.skip.append((task, entry))
            else:
                plan.build.append(task)
    return plan


def _task(
    edition: Edition,
    layout: tuple[str, str, Path],
    options: BatchOptions,
    known: tuple[Hasher, str, ContentFiles],
) -> Task:
    """The task for one edition in one layout; `known` is what every task shares."""
    hasher, code, listing = known
    given, name, layout_file = layout
    files = content_inputs(edition, listing) + layout_inputs(layout_file, given)
    return Task(
        edition,
        given,
        name,
        options.out,
        options.draft,
        inputs=fingerprint(files, hasher, code, options.draft),
        source_revision=hasher.file(edition.source),
        catalog_revision=catalog_revision(edition.catalog),
        strict=options.strict,
    )


def _resolve_layouts(names: tuple[str, ...]) -> tuple[list[tuple[str, str, Path]], list[Problem]]:
    """(name as given, name for files, layout file) for each layout, and the unknown ones."""
    from factsheet.layout.theme import resolve_layout

    found: list[tuple[str, str, Path]] = []
    problems: list[Problem] = []
    for name in dict.fromkeys(names):
        try:
            path = resolve_layout(name)
        except LayoutThemeError as error:
            problems += error.problems
            continue
        found.append((name, path.stem, path))
    return found, problems


def _select(found: list[Edition], options: BatchOptions) -> tuple[list[Edition], list[Problem]]:
    """The editions the filters ask for, and a problem for each name that matches nothing."""
    where = display_name(options.content_dir)
    problems = []
    if not found:
        problems.append(
            Problem(where, 0, 0, "", "no sheets found", "a sheet is a folder with en.yaml")
        )
    for label, wanted, known in (
        ("sheet", options.sheets, sorted({e.sheet for e in found})),
        ("language", options.langs, languages(found)),
    ):
        for name in wanted:
            if found and name not in known:
                problems.append(
                    Problem(
                        where, 0, 0, "", f"no {label} '{name}'", f"use one of: {', '.join(known)}"
                    )
                )
    chosen = [
        e
        for e in found
        if (not options.sheets or e.sheet in options.sheets)
        and (not options.langs or e.lang in options.langs)
    ]
    return chosen, problems


def _unchanged(task: Task, entry: Entry, hasher: Hasher) -> bool:
    """Same inputs as last time, and the file on disk is the one that build wrote."""
    if entry.get("inputs") != task.inputs or entry.get("path") != task.relpath:
        return False
    return task.output.is_file() and hasher.file(task.output) == entry.get("sha256")


# --- running -------------------------------------------------------------------------


def run_plan(
    plan: Plan, jobs: int, on_result: Callable[[EditionResult], None] | None = None
) -> list[EditionResult]:
    """Build the plan's editions in `jobs` processes; write the manifest even if interrupted.

    `on_result` is called in the calling process as each edition finishes (for progress).
    """
    results: list[EditionResult] = []

    def record(result: EditionResult) -> None:
        results.append(result)
        if on_result:
            on_result(result)

    try:
        for task, entry in plan.skip:
            record(_skipped(task, entry))
        _build_all(plan.build, jobs, record)
    finally:
        # Merged into the manifest as it is now, under its lock: a batch running beside
        # this one (other languages into the same folder) keeps its entries too.
        update_manifest(plan.out, [r.entry for r in results if r.entry is not None])
    return sorted(results, key=lambda r: r.key)


def _build_all(tasks: list[Task], jobs: int, record: Callable[[EditionResult], None]) -> None:
    if not tasks:
        return
    workers = max(1, min(jobs, len(tasks)))
    groups = _by_language(tasks, workers)
    context = _warm_context(tasks)
    stop = context.Event()  # set when interrupted: a job stops after the build it is in
    pool = ProcessPoolExecutor(
        workers, context, initializer=_worker_init, initargs=(os.getpid(), stop)
    )
    futures = {pool.submit(build_tasks, group): group for group in groups}
    seen: set[Future[list[EditionResult]]] = set()
    try:
        for future in as_completed(futures):
            seen.add(future)
            for result in _outcomes(future, futures[future]):
                record(result)
    except BaseException:
        # Interrupted: drop the queue, let running builds finish (they write atomically)
        # and keep their results, so the manifest lists every complete file.
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
        for future in futures.keys() - seen:
            if future.done() and not future.cancelled():
                for result in _outcomes(future, futures[future]):
                    record(result)
        raise
    finally:
        pool.shutdown(wait=True)
        _remove_temporaries(tasks)


# The most builds in one job: progress is reported, and memory freed, job by job.
JOB_SIZE = 12


def _by_language(tasks: list[Task], workers: int) -> list[list[Task]]:
    """The tasks as jobs: translations by language (up to JOB_SIZE builds each, largest
    first), then the English builds one by one.

    One process builds a job's editions, so what a language costs once per
    process is paid once, not in every worker that meets one of its editions:
    a translation's word lists and the guard's data, its script's fonts, and
    each edition's content, parsed once for all its layouts (the build keeps
    checked editions). Largest first, by the bytes of content read, so that the
    workers end together; that guess is rough (a table costs more than its
    words), so the English builds, the cheapest (no catalog to check) and set in
    the fonts every worker starts with, come last one by one: whichever worker
    ends first takes them, and the other is waited for one build at most.
    """
    languages: dict[str, list[Task]] = {}
    for task in tasks:
        languages.setdefault(task.edition.lang, []).append(task)
    source = languages.pop(SOURCE_LANG, [])
    groups = [
        group[start : start + JOB_SIZE]
        for group in languages.values()
        for start in range(0, len(group), JOB_SIZE)
    ]
    if workers == 1:
        groups.append(source)
        source = []
    return sorted((g for g in groups if g), key=_size, reverse=True) + [[t] for t in source]


def _size(group: list[Task]) -> int:
    """The bytes of content files the group's builds read (a source read per layout)."""
    size = 0
    for task in group:
        edition = task.edition
        files = [edition.source] + ([edition.catalog] if edition.catalog else [])
        try:
            size += sum(path.stat().st_size for path in files)
        except OSError:  # the build reports it
            continue
    return size


def _outcomes(future: Future[list[EditionResult]], group: list[Task]) -> list[EditionResult]:
    error = future.exception()
    if error is not None:  # the worker itself died or was stopped, not the build
        reason = f"the build process stopped: {type(error).__name__}: {error}"
        return [_failed(task, reason, 0.0) for task in group]
    return future.result()


def _remove_temporaries(tasks: list[Task]) -> None:
    """Remove temporary files a killed worker could not clean up.

    write_atomic names them `.NAME.*.tmp` beside the file it writes.
    """
    for task in tasks:
        pattern = f".{glob.escape(task.output.name)}.*.tmp"
        for stray in task.output.parent.glob(pattern):
            stray.unlink(missing_ok=True)


# Each worker used to import the build's modules and load the layouts' fonts itself
# (about 0.35 s a worker on the development machine), so a second worker paid that
# again before its first edition and small catalogues gained little. Now the
# batch's own process does it once and the workers are forked from it warm; where
# fork is not the safe default (macOS, others), a forkserver preloads the modules.
_WARM_MODULES = ["factsheet.publish.build"]


def _warm_context(tasks: list[Task]) -> BaseContext:
    """The process context for the pool, its workers starting with modules and fonts loaded."""
    if sys.platform == "linux":
        _warm_up({task.layout for task in tasks})
        return multiprocessing.get_context("fork")
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_WARM_MODULES)
        return context
    return multiprocessing.get_context("spawn")


def _warm_up(layouts: set[str]) -> None:
    """Import what a build runs and load each layout's fonts, in this process."""
    from factsheet.layout.engine import setter_for
    from factsheet.layout.theme import load_theme

    for module in _WARM_MODULES:
        importlib.import_module(module)
    for layout in sorted(layouts):
        try:
            fonts = setter_for(load_theme(layout)).fonts
        except InputError:  # its builds fail in the workers and say why
            continue
        fonts.covers(0, ord(" "))  # parses the layout's first (Latin) font, every face


_STOP: Any = None  # in a worker: the batch's stop event (a multiprocessing Event)


def _worker_init(batch_pid: int, stop: Any) -> None:
    """In each worker: Ctrl-C is the parent's to handle (a running build is left to finish,
    and the job it belongs to stops after it: `stop`); SIGTERM aborts the build through
    Python, so write_atomic removes its temporary file; and the worker dies with the
    process that started it, however that one ends."""
    global _STOP
    _STOP = stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_worker)
    _die_with_parent(batch_pid)


def _die_with_parent(batch_pid: int) -> None:
    """Ask Linux to SIGKILL this worker when its parent exits (prctl PR_SET_PDEATHSIG).

    Without it a SIGKILLed batch left its workers (~110 MB each) blocked forever on
    a queue nobody writes to. SIGKILL, not SIGTERM: a worker's SIGTERM handler
    unwinds into the pool's loop, which would wait on that queue again. The parent
    is the batch (fork) or the fork server, which itself exits with the batch. A
    temporary file a killed worker leaves is removed by the next batch. If the
    batch is already gone when this runs (it died during the fork), exit now.
    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    try:
        os.kill(batch_pid, 0)
    except ProcessLookupError:
        os._exit(1)
    except PermissionError:
        pass  # it exists, owned by another user (a reused pid): keep going


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _stop_worker(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


# --- one edition, in a worker ----------------------------------------------------------


def build_tasks(tasks: list[Task]) -> list[EditionResult]:
    """Build the tasks in turn; a language's job in a process of its own (Linux).

    The worker forks a child for a job of several editions: the child starts as
    warm as the worker (modules imported, Latin fonts parsed) and takes with it,
    when it ends, what its language loaded: a script's fonts (ReportLab's tables
    of the Korean font alone are 25 MB), the catalogs and the guard's word lists.
    So no process grows to hold every script of the catalogue (189 MB for one
    worker that built all 30 editions). A job of one English edition is built
    here: it needs only what the worker has, and a child would start without the
    caches the worker's earlier English builds left.
    """
    if len(tasks) == 1 and tasks[0].edition.lang == SOURCE_LANG:
        return _build_until_stopped(tasks)
    if not sys.platform.startswith("linux"):
        return _build_until_stopped(tasks)
    read_end, write_end = os.pipe()
    worker = os.getpid()
    gc.freeze()  # the child's collector then leaves the worker's objects (their pages) alone
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the forked child, which never returns
        _child_builds(tasks, worker, read_end, write_end)
    gc.unfreeze()  # in the worker, its objects are collectable again
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(child, 0)
    if not payload:  # killed (by the kernel, or a signal to its group) before it reported
        code = os.waitstatus_to_exitcode(status)
        raise ChildProcessError(f"it ended with status {code}")
    results: list[EditionResult] = pickle.loads(payload)
    return results


def _build_until_stopped(tasks: list[Task]) -> list[EditionResult]:
    """Each task's result, until the batch is interrupted (the rest are left unbuilt)."""
    results = []
    for task in tasks:
        if _STOP is not None and _STOP.is_set():
            break
        results.append(build_task(task))
    return results


def _child_builds(tasks: list[Task], worker: int, read_end: int, write_end: int) -> None:
    """In the forked child: build, send the results through the pipe, exit; never return
    (a SystemExit from SIGTERM included: nothing may unwind into the worker's loop)."""
    status = 1
    try:
        os.close(read_end)
        _die_with_parent(worker)
        payload = pickle.dumps(_build_until_stopped(tasks))
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        status = 0
    finally:
        os._exit(status)


def build_task(task: Task) -> EditionResult:
    """Build one edition; every error becomes a failed result so the batch goes on."""
    started = time.perf_counter()
    try:
        built = _build(task)
    except InputError as error:
        return _failed(task, "\n".join(str(p) for p in error.problems), started)
    except BuildError as error:
        return _failed(task, f"build failed: {error}", started)
    except Exception as error:  # a bug met by one edition must not stop the others
        return _failed(task, _internal_error(error), started)
    return _done(task, built, time.perf_counter() - started)


def _internal_error(error: Exception) -> str:
    """A bug's type, message and the line that raised it (for whoever fixes the code)."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"internal error: {type(error).__name__}: {error}{where}"


def _build(task: Task) -> Any:
    from factsheet.publish.build import build_edition

    extra: dict[str, Any] = {"draft": True} if task.draft else {}  # only drafts need it
    edition = task.edition
    return build_edition(
        edition.folder, edition.lang, task.layout, task.output, strict=task.strict, **extra
    )


def _done(task: Task, built: Any, seconds: float) -> EditionResult:
    entry = {
        "sheet": task.edition.sheet,
        "language": task.edition.lang,
        "layout": task.layout_name,
        "path": task.relpath,
        "pages": built.pages,
        "bytes": built.bytes,
        "sha256": built.sha256,
        "scale": round(built.scale, 4),
        "draft": task.draft,
        "source_revision": task.source_revision,
        "catalog_revision": task.catalog_revision,
        "inputs": task.inputs,
        "warnings": list(built.warnings),
    }
    return _result(task, OK, entry, seconds=seconds)


def _skipped(task: Task, entry: Entry) -> EditionResult:
    warnings = tuple(entry.get("warnings", ()))
    if task.strict and warnings:  # unchanged, but built without --strict: it fails now
        listed = "; ".join(warnings)
        return _failed(task, f"{len(warnings)} warning(s) with --strict: {listed}", 0.0)
    return _result(task, SKIPPED, entry)


def _failed(task: Task, error: str, started: float) -> EditionResult:
    seconds = time.perf_counter() - started if started else 0.0
    return EditionResult(*task.key, FAILED, task.output, seconds=seconds, error=error)


def _result(task: Task, status: str, entry: Entry, seconds: float = 0.0) -> EditionResult:
    return EditionResult(
        *task.key,
        status,
        task.output,
        pages=int(entry["pages"]),
        scale=float(entry["scale"]),
        bytes=int(entry["bytes"]),
        seconds=seconds,
        warnings=tuple(entry.get("warnings", ())),
        entry=entry,
    )
