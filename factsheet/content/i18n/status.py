"""What `factsheet i18n status` reports for one catalog: the truth about an edition.

Per language: how many entries are translated, fuzzy, untranslated, identical
to the English (leaving out strings that are only names and numbers), how many
guard failures, every allowed exception (`# guard-allow:` marker) so a reviewer
sees them all, and whether the edition builds: the catalog checks, the glyphs of
every layout's fonts, and the fit of every layout. A status that says "builds"
is a build that succeeds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from factsheet.content.i18n import guard
from factsheet.content.i18n.catalog import read_catalog, source_strings
from factsheet.content.i18n.edition import inspect_translation
from factsheet.content.i18n.glossary import Glossary, load_glossary
from factsheet.content.yamlfile import load_yaml
from factsheet.errors import InputError, Problem


@dataclass
class LanguageStatus:
    lang: str
    entries: int = 0
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    identical: int = 0
    guard_failures: int = 0
    allowed: list[str] = field(default_factory=list)  # "es.po:329: key: guard-allow: a -> b"
    problems: list[Problem] = field(default_factory=list)  # why it does not build
    layouts: list[str] = field(default_factory=list)  # the layouts it was laid out in

    @property
    def builds(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return (
            f"{self.entries} entries: {self.translated} translated, {self.fuzzy} fuzzy, "
            f"{self.untranslated} untranslated, {self.identical} identical to the English, "
            f"{self.guard_failures} guard failures, {len(self.allowed)} allowed exceptions"
        )


def language_status(sheet_dir: Path, lang: str, layouts: list[str]) -> LanguageStatus:
    """The status of `lang`'s catalog; laid out in each of `layouts` when its entries pass."""
    status = LanguageStatus(lang)
    try:
        _count(sheet_dir, lang, status)
        edition, problems, guard_failures = inspect_translation(sheet_dir, lang)
    except InputError as error:
        status.problems = list(error.problems)
        return status
    status.problems, status.guard_failures = problems, guard_failures
    if edition is not None:
        status.problems += _layout_problems(sheet_dir, lang, layouts, status)
    return status


def _count(sheet_dir: Path, lang: str, status: LanguageStatus) -> None:
    catalog = read_catalog(sheet_dir / f"{lang}.po")
    glossary = load_glossary(sheet_dir)
    strings = source_strings(load_yaml(sheet_dir / "en.yaml"), glossary)
    seen: set[tuple[str | None, str]] = set()
    for string in strings:
        if string.catalog_key in seen:
            continue
        seen.add(string.catalog_key)
        status.entries += 1
        entry = catalog.find(string)
        if entry is None or not entry.msgstr:
            status.untranslated += 1
            continue
        if "fuzzy" in entry.flags:
            status.fuzzy += 1
            continue
        status.translated += 1
        if entry.msgstr == entry.msgid and _has_words(entry.msgid, glossary):
            status.identical += 1
        line = catalog.msgstr_line(entry)
        for marker in guard.markers(entry.tcomment or "")[0]:
            status.allowed.append(f"{catalog.file}:{line}: {string.key}: {marker.line}")


def _has_words(text: str, glossary: Glossary) -> bool:
    """Words left once names, numbers and addresses are taken out: something to translate."""
    facts = guard.values(text, glossary)
    visible = list(facts.visible)
    for start, end in facts.spans:
        visible[start:end] = " " * (end - start)
    return any(char.isalpha() for char in "".join(visible))


def _layout_problems(
    sheet_dir: Path, lang: str, layouts: list[str], status: LanguageStatus
) -> list[Problem]:
    from factsheet.publish.build import lay_out

    problems: list[Problem] = []
    for layout in layouts:
        try:
            lay_out(sheet_dir, lang, layout)
        except InputError as error:
            problems += [p for p in error.problems if p not in problems]
        else:
            status.layouts.append(layout)
    return problems
