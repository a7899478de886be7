"""`factsheet preview SHEET`: each page of the edition as a PNG."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from factsheet.cli.common import edition_args, laid_out
from factsheet.cli.exits import Exit


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
        type=Path,
        default=Path("build/preview"),
        help="folder for the PNG files (default: build/preview)",
    )
    parser.add_argument("--dpi", type=int, default=110, help="resolution (default: 110)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from factsheet.publish.preview import write_previews
    from factsheet.render.pdf import render_pdf

    sheet, doc = laid_out(args)
    stem = f"{sheet.id}-{sheet.language}-{args.layout}"
    for path in write_previews(render_pdf(doc), args.out_dir, stem, args.dpi):
        print(f"wrote {path}")
    return Exit.OK
