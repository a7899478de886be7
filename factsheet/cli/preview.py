"""`factsheet preview SHEET`: each page of the edition as a PNG."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from factsheet.cli.common import bounded_int, edition_args, laid_out, output_path
from factsheet.cli.exits import Exit

# 36 dpi is a thumbnail; 600 a print proof (a letter page is 5100 × 6600 pixels, 100 MB
# of RGB): past it one page takes seconds and gigabytes for nothing a screen can show.
DPI_RANGE = (36, 600)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "preview",
        help="render the pages as PNG images",
        description="Build the edition and render each page to a PNG.",
    )
    edition_args(parser)
    parser.add_argument(
        "-o",
        "--out-dir",
        type=output_path,
        default=Path("build/preview"),
        help="folder for the PNG files (default: build/preview)",
    )
    parser.add_argument(
        "--dpi",
        type=bounded_int(*DPI_RANGE),
        default=110,
        help=f"resolution, {DPI_RANGE[0]} to {DPI_RANGE[1]} (default: 110)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from factsheet.publish.preview import write_previews
    from factsheet.render.pdf import render_pdf

    sheet, doc = laid_out(args)
    stem = f"{sheet.id}-{sheet.language}-{args.layout}"
    for path in write_previews(render_pdf(doc), args.out_dir, stem, args.dpi):
        print(f"wrote {path}")
    return Exit.OK
