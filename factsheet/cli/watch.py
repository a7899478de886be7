"""`factsheet watch SHEET`: a live preview in the browser, rebuilt on every save."""

from __future__ import annotations

import argparse
from typing import Any

from factsheet.cli.common import bounded_int, edition_args
from factsheet.cli.exits import Exit


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "watch",
        help="preview an edition in the browser, rebuilt every time a file is saved",
        description=(
            "Serve a page on 127.0.0.1 that shows the edition's pages, the type scale they "
            "fit at, and any warnings or errors (with the source line), and updates itself "
            "each time the sheet, its catalogs, images, the layouts or the glossary are "
            "saved. While there is an error the last good pages stay on screen. Ctrl-C stops."
        ),
    )
    edition_args(parser)  # SHEET, --lang, --layout, --draft, --strict as for `build`
    parser.add_argument(
        "--port",
        type=bounded_int(0, 65535),
        default=0,
        help="port on 127.0.0.1 (default: 0, a free one; the address is printed)",
    )
    parser.add_argument(
        "--open", action="store_true", help="open the page in the web browser once it runs"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import socket
    import sys

    import uvicorn

    from factsheet.cli.live import Build, Edition, create_app
    from factsheet.cli.report import Reporter
    from factsheet.layout.theme import resolve_layout
    from factsheet.publish.files import resolve_sheet

    edition = Edition(
        resolve_sheet(args.sheet), args.lang, args.layout, args.draft, strict=args.strict
    )
    resolve_layout(args.layout)  # an unknown layout is a usage mistake: exit 2 now
    reporter = Reporter()

    def report(build: Build) -> None:
        if build.ok:
            print(f"build {build.number}: {build.summary} ({build.seconds:.1f} s)", flush=True)
            for warning in build.warnings:
                reporter.warning(warning)
        else:
            print(f"build {build.number} failed: {build.summary}", flush=True)
            for error in build.errors:
                reporter.error(error["text"])

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", args.port))
        sock.listen(128)  # connections wait from now on, even before uvicorn serves them
    except OSError as error:
        sock.close()
        reporter.error(f"cannot listen on 127.0.0.1:{args.port}: {error.strerror}")
        return Exit.FAILED
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    print(f"watching {edition.sheet_dir} ({args.lang}, {args.layout}) at {url}", flush=True)
    print("Ctrl-C stops.", flush=True)
    if args.open:
        from factsheet.cli.common import open_in_viewer

        print(open_in_viewer(url), flush=True)
    config = uvicorn.Config(
        create_app(edition, report),
        log_level="warning",
        timeout_graceful_shutdown=1,  # the event streams never end by themselves
        access_log=False,
    )
    uvicorn.Server(config).run(sockets=[sock])
    sys.stdout.flush()
    return Exit.OK
