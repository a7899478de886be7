"""`factsheet build SHEET`: one edition (sheet × language × layout) as a PDF."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from factsheet.cli.common import (
    edition_args,
    fit_line,
    open_in_viewer,
    output_path,
    print_warnings,
)
from factsheet.cli.exits import Exit
from factsheet.cli.report import escaped, plural


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "build",
        help="build one edition as a PDF",
        description="Build one edition (sheet × language × layout) as a PDF.",
    )
    edition_args(parser)
    parser.add_argument(
        "-o",
        "--output",
        type=output_path,
        help="where to write the PDF (default: build/pdf/SHEET-LANG-LAYOUT.pdf)",
    )
    parser.add_argument(
        "--clinic",
        type=Path,
        metavar="CLINIC_YAML",
        help="co-brand the edition: a clinic.yaml (name, phone, web, logo) printed in the "
        "box reserved at the foot of page 2's sidebar",
    )
    parser.add_argument(
        "--open",
        action="store_true",
        help="open the PDF in the desktop's viewer when it is written (a message, no "
        "error, where there is no display)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
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
    print_warnings(result.warnings)
    pages = plural(result.pages, "page")
    print(f"wrote {result.path}: {pages}, {result.bytes:,} bytes, {fit_line(result)}")
    if clinic is not None:
        note = f"co-branded for {escaped(clinic.name)}"
        if args.output is None:
            note += ": the file name ends with the clinic's, so the plain edition is kept"
        print(note)
    if args.open and result.path is not None:
        print(open_in_viewer(result.path))
    return Exit.OK
