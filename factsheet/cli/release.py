"""`factsheet release`: an immutable release of every edition that builds, made current.

The website (`factsheet serve`) serves the current release, never the working
tree; see docs/web.md and docs/deploy.md.
"""

from __future__ import annotations

import argparse
from typing import Any

from factsheet.cli.exits import Exit
from factsheet.cli.site import plural, report_failures, web_options


def register(sub: Any) -> None:
    release = sub.add_parser(
        "release",
        help="make a release of every edition that builds, for the website to serve",
        description="Build every edition that builds, in every layout, with page pictures, "
        "into a new read-only folder under --releases with a manifest (source revision, "
        "catalog revisions, review dates, the English version each translation translates), "
        "and make it the current release. Editions that do not build are listed and left "
        "out (a translation is withdrawn: its page offers the English); exit 1 if any. "
        "A running `factsheet serve` picks the new release up within seconds.",
    )
    release.add_argument(
        "--strict", action="store_true", help="keep the current release unless every edition builds"
    )
    release.add_argument(
        "--keep", type=int, default=5, help="releases kept on disk, the current one included"
    )
    web_options(release)
    release.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from factsheet.cli.common import content_folder
    from factsheet.web.release import activate_release, make_release, prune_releases

    made = make_release(content_folder(args.content), args.releases, activate=False)
    report_failures(made.failures)
    if made.failures and args.strict:
        print(f"release {made.release.id} not made current (--strict)")
        return Exit.FAILED
    activate_release(args.releases, made.release.id)
    prune_releases(args.releases, max(1, args.keep))
    published = sum(1 for e in made.release.editions if e.published)
    print(
        f"release {made.release.id}: {plural(published, 'edition')} published, "
        f"{len(made.failures)} not; {plural(made.built, 'PDF')} built, {made.reused} reused "
        f"({made.release.root})"
    )
    return Exit.FAILED if made.failures else Exit.OK
