"""The translation files beside a sheet: writing the template and updating the catalogs.

In: a sheet folder. Out: content/<sheet>/<sheet>.pot and each content/<sheet>/<lang>.po
merged with it (see `content.i18n.merge`), written atomically: a translator's
file is never left half-written, even if the command is interrupted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from factsheet.content.i18n.catalog import read_catalog
from factsheet.content.i18n.edition import SOURCE_LANGUAGE, check_tag
from factsheet.content.i18n.merge import MergeStats, merge, new_catalog
from factsheet.content.i18n.template import build_template
from factsheet.errors import ContentError, Problem
from factsheet.publish.files import write_atomic


@dataclass(frozen=True)
class Written:
    path: Path
    entries: int
    stats: MergeStats | None = None  # for a catalog; None for the template
    created: bool = False


def template_path(sheet_dir: Path) -> Path:
    return sheet_dir / f"{sheet_dir.resolve().name}.pot"


def catalog_languages(sheet_dir: Path) -> list[str]:
    """The languages that have a catalog beside the sheet (file names, sorted)."""
    return sorted(path.stem for path in sheet_dir.glob("*.po"))


def extract(sheet_dir: Path) -> Written:
    """Write the sheet's template; raises ContentError if its English source is invalid."""
    pot = build_template(sheet_dir)
    return extract_to(template_path(sheet_dir), str(pot), len(pot))


def update(sheet_dir: Path, langs: Iterable[str] = ()) -> list[Written]:
    """Re-extract the template and merge it into the catalogs (all, or those of `langs`).

    A language in `langs` without a catalog gets a new one. Every catalog is read
    before any is written, so one unreadable catalog leaves them all untouched.
    """
    wanted = list(dict.fromkeys(langs)) or catalog_languages(sheet_dir)
    for lang in wanted:
        check_tag(sheet_dir, lang)
        if lang == SOURCE_LANGUAGE:
            hint = "English is the source (en.yaml); it has no catalog"
            raise ContentError([Problem(str(sheet_dir), 0, 0, "", "no catalog for en", hint)])
    pot = build_template(sheet_dir)
    merged = []
    for lang in wanted:
        path = sheet_dir / f"{lang}.po"
        created = not path.exists()
        if created:
            old = new_catalog(pot, lang, _new_header(sheet_dir, lang))
        else:
            old = read_catalog(path).po
        catalog, stats = merge(old, pot)
        merged.append((path, catalog, stats, created))
    written = [extract_to(template_path(sheet_dir), str(pot), len(pot))]
    for path, catalog, stats, created in merged:
        write_atomic(path, str(catalog).encode("utf-8") + b"\n")
        written.append(Written(path, len(catalog), stats, created))
    return written


def extract_to(path: Path, text: str, entries: int) -> Written:
    write_atomic(path, text.encode("utf-8") + b"\n")
    return Written(path, entries)


def _new_header(sheet_dir: Path, lang: str) -> str:
    sheet = sheet_dir.resolve().name
    return (
        f"Translation of the fact sheet {sheet} into {lang} "
        f"(source: content/{sheet}/en.yaml).\n"
        "Translate in Poedit, Weblate or Crowdin; see docs/translating.md."
    )
