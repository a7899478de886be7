"""`factsheet batch`: build every sheet × language (× layout) in parallel, with progress.

Exit status: 0 when every edition was built or skipped as unchanged, 1 when any
failed, 2 for bad arguments (an unknown layout, sheet or language), 129, 130 or 143
when stopped by SIGHUP, SIGINT or SIGTERM. Progress goes to stderr (a bar on a
terminal, one line per edition otherwise); the summary table goes to stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from factsheet.cli.common import bounded_int, output_path
from factsheet.cli.exits import Exit, signalled
from factsheet.cli.report import escaped, plural

if TYPE_CHECKING:
    from rich.console import Console

    from factsheet.publish.batch import EditionResult, Plan


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised like Ctrl-C so the batch stops the same careful way."""

    def __init__(self, signum: int = signal.SIGTERM) -> None:
        super().__init__()
        self.signum = signum


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "batch",
        help="build every sheet × language (× layout) in parallel",
        description=(
            "Build every edition found under the content folder: each sheet's English source "
            "and each translation catalog (<lang>.po) beside it, in each chosen layout. "
            "Editions whose inputs (content, catalog, layout, fonts, code) are unchanged since "
            "the last batch are skipped. PDFs go to OUT/SHEET/SHEET-LANG-LAYOUT.pdf and a "
            "manifest to OUT/manifest.json."
        ),
        epilog="exit status: 0 all built or skipped, 1 any edition failed, 2 bad arguments, "
        "129/130/143 interrupted (SIGHUP/SIGINT/SIGTERM; no partial file is left)",
    )
    _add_arguments(parser)
    parser.set_defaults(run=run)


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--layout",
        dest="layouts",
        action="extend",
        nargs="+",
        metavar="NAME",
        help="layout names from layouts/ or layout files (default: letter)",
    )
    which.add_argument("--all-layouts", action="store_true", help="every layout in layouts/")
    parser.add_argument(
        "--lang",
        dest="langs",
        action="extend",
        nargs="+",
        metavar="LANG",
        help="only these languages (default: all)",
    )
    parser.add_argument(
        "--sheet",
        dest="sheets",
        action="extend",
        nargs="+",
        metavar="SHEET",
        help="only these sheets (default: all)",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=bounded_int(1),
        default=_cores(),
        help="parallel builds (default: the number of cores, %(default)s here)",
    )
    parser.add_argument(
        "--out",
        type=output_path,
        default=Path("build/editions"),
        help="output folder (default: build/editions)",
    )
    parser.add_argument(
        "--content", type=Path, default=None, help="content folder (default: the repo's content/)"
    )
    parser.add_argument("--force", action="store_true", help="rebuild unchanged editions too")
    parser.add_argument("--draft", action="store_true", help="build draft editions")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="an edition with a warning (draft entries, outlined bold) fails and is not "
        "written; unchanged editions that had warnings fail too (CI builds this way)",
    )


def _cores() -> int:
    """The cores this process may run on (fewer than the machine's in a pinned container)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def run(args: argparse.Namespace) -> int:
    from factsheet.publish.batch import run_plan

    plan = _plan(args)  # InputError here is a bad argument: exit 2 from factsheet.cli.main
    progress = _Progress(plan.total)
    try:
        with _sigterm_interrupts(), progress:
            results = run_plan(plan, args.jobs, progress)
    except KeyboardInterrupt as stop:
        return _interrupted(stop, progress.count, plan.total)
    return _summarize(results, plan)


def _plan(args: argparse.Namespace) -> Plan:
    from factsheet.cli.common import content_folder
    from factsheet.layout.theme import available_layouts
    from factsheet.publish.batch import BatchOptions, plan_batch

    layouts = available_layouts() if args.all_layouts else (args.layouts or ["letter"])
    return plan_batch(
        BatchOptions(
            out=args.out,
            layouts=tuple(layouts),
            langs=tuple(args.langs or ()),
            sheets=tuple(args.sheets or ()),
            content_dir=content_folder(args.content),
            force=args.force,
            draft=args.draft,
            strict=args.strict,
        )
    )


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP (the terminal closed) into `Terminated` while the batch runs,
    then restore the old handlers: the pool is torn down, the manifest written."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise Terminated(signum)

    stopping = (signal.SIGTERM, signal.SIGHUP)
    previous = {signum: signal.signal(signum, handler) for signum in stopping}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def _interrupted(stop: KeyboardInterrupt, done: int, total: int) -> int:
    signum = getattr(stop, "signum", signal.SIGINT)
    print(
        f"interrupted by {signal.Signals(signum).name}: {done} of {total} editions finished, "
        "the rest cancelled; no partial file was left. Run the batch again to finish "
        "(unchanged editions are skipped).",
        file=sys.stderr,
    )
    return signalled(signum)


class _Progress:
    """A rich progress bar on a terminal; one plain line per edition otherwise (logs, CI)."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.total, self.count = total, 0
        self.console = Console(stderr=True)
        self.bar: Progress | None = None
        if self.console.is_terminal:
            # No refresh thread (auto_refresh=False): worker processes are forked, and a
            # thread holding a lock at fork time is a classic hang. We refresh per edition.
            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=self.console,
                auto_refresh=False,
                transient=True,
            )
            self.task = self.bar.add_task("editions", total=total)

    def __enter__(self) -> _Progress:
        if self.bar:
            self.bar.start()
            self.bar.refresh()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar:
            self.bar.stop()

    def __call__(self, result: EditionResult) -> None:
        from factsheet.publish.batch import OK

        self.count += 1
        if self.bar:
            self.bar.update(self.task, advance=1, description=f"{result.name} {result.status}")
            self.bar.refresh()
        else:
            line = f"[{self.count}/{self.total}] {result.status:<7} {result.name}"
            if result.status == OK:
                pages = plural(result.pages, "page")
                line += f" ({pages}, scale {result.scale:.3f}, {result.seconds:.2f} s)"
            print(line, file=sys.stderr)


def _summarize(results: list[EditionResult], plan: Plan) -> int:
    from factsheet.publish.batch import FAILED, OK, SKIPPED

    console = _stdout_console()
    console.print(_table(results))
    counts = {s: sum(r.status == s for r in results) for s in (OK, SKIPPED, FAILED)}
    warned = sum(bool(r.warnings) for r in results)
    console.print(
        f"{plural(len(results), 'edition')}: {counts[OK]} built, "
        f"{counts[SKIPPED]} unchanged (skipped), "
        f"{counts[FAILED]} failed, {warned} with warnings; manifest {plan.out / 'manifest.json'}",
        highlight=False,
    )
    for result in results:
        for warning in result.warnings:  # built or unchanged: every edition's own warnings
            print(f"warning: {escaped(result.name)}: {escaped(warning)}", file=sys.stderr)
    for result in results:
        if result.status == FAILED:
            print(f"error: {escaped(result.name)} failed:", file=sys.stderr)
            for line in result.error.splitlines():
                print(f"  {escaped(line)}", file=sys.stderr)
    return Exit.FAILED if counts[FAILED] else Exit.OK


def _stdout_console() -> Console:
    from rich.console import Console

    # Off a terminal rich would wrap at 80 columns; long edition names read better unwrapped.
    return Console(width=None if sys.stdout.isatty() else 120)


def _table(results: list[EditionResult]) -> Any:
    from rich.table import Table

    from factsheet.publish.batch import FAILED, OK, SKIPPED

    table = Table(title="Editions", title_justify="left")
    table.add_column("edition", no_wrap=True)
    for name in ("pages", "scale", "bytes", "time"):
        table.add_column(name, justify="right")
    table.add_column("status")
    style = {OK: "green", SKIPPED: "dim", FAILED: "bold red"}
    for r in results:
        known = r.status != FAILED
        table.add_row(
            r.name,
            str(r.pages) if known else "–",
            f"{r.scale:.3f}" if known else "–",
            f"{r.bytes:,}" if known else "–",
            f"{r.seconds:.2f} s" if r.status == OK or r.seconds else "–",
            f"[{style[r.status]}]{r.status}[/]",
        )
    return table
