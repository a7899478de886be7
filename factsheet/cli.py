"""The `factsheet` command line.

Exit status: 0 ok, 1 the build failed on good input, 2 bad input. Only this
module prints or exits; the stages raise typed errors. Heavy imports happen
inside each command so `--help` and cold builds start fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from factsheet import __version__
from factsheet.errors import BuildError, InputError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
# Modules adding subcommands: each defines `register(subparsers)`; keep them light to import.
COMMAND_MODULES: tuple[str, ...] = ("cli_batch", "cli_web", "cli_i18n", "cli_audit")


def _edition_args(parser: argparse.ArgumentParser) -> None:
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
        help="treat warnings (draft entries, a shrunk topic, outlined bold) as errors: "
        "exit 1 and write nothing (CI builds this way)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factsheet",
        description="Build printable, branded two-page PDF fact sheets from content files.",
    )
    parser.add_argument("--version", action="version", version=f"factsheet {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = sub.add_parser(
        "build",
        help="build one edition as a PDF",
        description="Build one edition (sheet × language × layout) as a PDF.",
    )
    _edition_args(build)
    build.add_argument(
        "-o",
        "--output",
        type=Path,
        help="where to write the PDF (default: build/pdf/SHEET-LANG-LAYOUT.pdf)",
    )
    build.add_argument(
        "--clinic",
        type=Path,
        metavar="CLINIC_YAML",
        help="co-brand the edition: a clinic.yaml (name, phone, web, logo) printed in the "
        "box reserved at the foot of page 2's sidebar",
    )
    build.set_defaults(run=_cmd_build)

    check = sub.add_parser(
        "check",
        help="validate content and layout; write nothing",
        description="Validate the content and layout and fit the pages, without writing any file.",
    )
    _edition_args(check)
    check.set_defaults(run=_cmd_check)

    preview = sub.add_parser(
        "preview",
        help="render the pages as PNG images",
        description="Build the edition and render each page to a PNG.",
    )
    _edition_args(preview)
    preview.add_argument(
        "-o",
        "--out-dir",
        type=Path,
        default=Path("build/preview"),
        help="folder for the PNG files (default: build/preview)",
    )
    preview.add_argument("--dpi", type=int, default=110, help="resolution (default: 110)")
    preview.set_defaults(run=_cmd_preview)
    for register in _more_commands():
        register(sub)
    return parser


def _more_commands() -> list[Callable[[Any], None]]:
    """Subcommands that live in their own modules (each has `register(subparsers)`)."""
    import importlib

    return [importlib.import_module(f"factsheet.{name}").register for name in COMMAND_MODULES]


def _fit_line(result: object) -> str:
    scale = getattr(result, "scale", 1.0)
    size = getattr(result, "body_size", 0.0)
    passes = getattr(result, "passes", 0)
    return f"type scale {scale:.3f} (body {size:g} pt, {passes} layout passes)"


def _print_warnings(warnings: Sequence[str]) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


def _cmd_build(args: argparse.Namespace) -> int:
    from factsheet.publish.build import build_edition
    from factsheet.publish.files import resolve_sheet

    clinic = None
    if args.clinic is not None:
        from factsheet.content.clinic import load_clinic

        clinic = load_clinic(args.clinic)
    result = build_edition(
        resolve_sheet(args.sheet),
        args.lang,
        args.layout,
        args.output,
        args.draft,
        clinic=clinic,
        strict=args.strict,
    )
    _print_warnings(result.warnings)
    print(f"wrote {result.path}: {result.pages} pages, {result.bytes:,} bytes, {_fit_line(result)}")
    return EXIT_OK


def _laid_out(args: argparse.Namespace) -> tuple[Any, Any]:
    """The edition laid out, its warnings printed, or refused under --strict."""
    from factsheet.publish.build import lay_out, refuse_warnings, warnings_of
    from factsheet.publish.files import resolve_sheet

    sheet, doc = lay_out(resolve_sheet(args.sheet), args.lang, args.layout, args.draft)
    if args.strict:
        refuse_warnings(sheet, doc)
    _print_warnings(warnings_of(sheet, doc))
    return sheet, doc


def _cmd_check(args: argparse.Namespace) -> int:

    sheet, doc = _laid_out(args)
    print(
        f"ok: {sheet.id} ({sheet.language}, {args.layout}) fits {len(doc.pages)} pages at "
        f"{_fit_line(doc)}"
    )
    return EXIT_OK


def _cmd_preview(args: argparse.Namespace) -> int:
    from factsheet.publish.preview import write_previews
    from factsheet.render.pdf import render_pdf

    sheet, doc = _laid_out(args)
    stem = f"{sheet.id}-{sheet.language}-{args.layout}"
    for path in write_previews(render_pdf(doc), args.out_dir, stem, args.dpi):
        print(f"wrote {path}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except InputError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''}; nothing was written.", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BuildError as error:
        print(f"error: build failed: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("interrupted; nothing was written.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
