"""Arguments and output shared by the edition commands (build, check, preview).

Light to import: anything heavy is imported inside the function that needs it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def edition_args(parser: argparse.ArgumentParser) -> None:
    """SHEET, --lang, --draft, --layout, --strict: how every edition command names an edition."""
    parser.add_argument(
        "sheet", help="sheet id (a folder under content/) or a path to a sheet folder"
    )
    parser.add_argument("--lang", default="en", help="language of the edition (default: en)")
    parser.add_argument(
        "--draft",
        action="store_true",
        help="build a translation whose catalog still has untranslated or fuzzy entries: "
        "they print in English and both pages carry a DRAFT TRANSLATION mark",
    )
    parser.add_argument(
        "--layout",
        default="letter",
        help="layout name from layouts/ or a layout file (default: letter)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (draft entries, outlined bold) as errors: "
        "exit 1 and write nothing (CI builds this way)",
    )


def fit_line(result: object) -> str:
    """How the content fitted: the type scale, body size and layout passes."""
    scale = getattr(result, "scale", 1.0)
    size = getattr(result, "body_size", 0.0)
    passes = getattr(result, "passes", 0)
    return f"type scale {scale:.3f} (body {size:g} pt, {passes} layout passes)"


def print_warnings(warnings: Sequence[str]) -> None:
    from factsheet.cli.report import Reporter

    reporter = Reporter()
    for warning in warnings:
        reporter.warning(warning)


def laid_out(args: argparse.Namespace) -> tuple[Any, Any]:
    """The edition laid out, its warnings printed, or refused under --strict."""
    from factsheet.publish.build import lay_out, refuse_warnings, warnings_of
    from factsheet.publish.files import resolve_sheet

    sheet, doc = lay_out(resolve_sheet(args.sheet), args.lang, args.layout, args.draft)
    if args.strict:
        refuse_warnings(sheet, doc)
    print_warnings(warnings_of(sheet, doc))
    return sheet, doc


def bounded_int(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`, else a one-line usage error."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            span = f"from {low} to {high}" if high is not None else f"of at least {low}"
            raise argparse.ArgumentTypeError(f"expected a whole number {span}, got {text!r}")
        return value

    return parse


def output_path(text: str) -> Path:
    """An argparse type for -o/--out: a path that is not empty (`-o ''` would mean '.')."""
    if not text.strip():
        raise argparse.ArgumentTypeError("expected a file or folder name, got an empty one")
    if "\0" in text:
        raise argparse.ArgumentTypeError(f"the name {text!r} contains a NUL character")
    return Path(text)


def open_in_viewer(path: Path | str) -> str:
    """Open a file or URL in the desktop's viewer (xdg-open, open, or the browser); what
    happened.

    Without a display (a server, CI, SSH) nothing is started: the message says so.
    """
    import os
    import shutil
    import subprocess
    import sys

    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        return f"not opened: no display here (DISPLAY and WAYLAND_DISPLAY are unset); open {path}"
    opener = shutil.which("xdg-open") or shutil.which("open")
    if opener:
        subprocess.Popen(  # detached: the viewer outlives this command
            [opener, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        return f"opened {path} with {Path(opener).name}"
    import webbrowser

    target = path if isinstance(path, str) else path.resolve().as_uri()
    if webbrowser.open(target):
        return f"opened {path} in the web browser"
    return f"not opened: no viewer found; open {path}"


def content_folder(given: Path | None) -> Path:
    """--content, or the project's content folder; a folder that does not exist is bad input."""
    from factsheet.errors import ContentError, Problem
    from factsheet.publish.files import CONTENT_DIR

    folder = given or CONTENT_DIR
    if not folder.is_dir():
        hint = "give the folder that holds the sheets (each a folder with en.yaml)"
        raise ContentError([Problem(str(folder), 0, 0, "", "no such folder", hint)])
    return folder
