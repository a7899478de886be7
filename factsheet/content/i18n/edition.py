"""One edition of a sheet: the English source, or the source merged with a catalog.

In: a sheet folder, a language and whether a draft is wanted. Out: an `Edition`
(the validated `Sheet` and every printed string with the place a person fixes
it: the catalog entry's msgstr line, or en.yaml's line for English).

The catalog only supplies strings: `load_sheet` walks the English structure and
asks for each translatable string, so a translated edition cannot lose, add or
reorder a block. Before that, every entry is checked and every problem of the
catalog is collected into one ContentError: entries missing from the catalog,
untranslated or fuzzy (stale) ones — unless `draft`, which shows those in
English and marks the edition — and the number and name guard (never waived).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from factsheet.content import model as m
from factsheet.content.direction import direction_problems, notice_languages
from factsheet.content.i18n import versions
from factsheet.content.i18n.catalog import (
    Catalog,
    SourceString,
    catalog_language,
    read_catalog,
    source_strings,
)
from factsheet.content.i18n.glossary import Glossary, load_glossary
from factsheet.content.inline import parse_inline
from factsheet.content.langspans import english_names, mark_foreign
from factsheet.content.language import same_edition, tag_issue
from factsheet.content.review import with_review
from factsheet.content.validate import load_sheet
from factsheet.content.yamlfile import Document, KeyPath, format_path, load_yaml
from factsheet.errors import ContentError, Problem

SOURCE_LANGUAGE = "en"
DRAFT_KEYWORD = "draft translation"


@dataclass(frozen=True)
class Located:
    """A string as the edition prints it, and where a person would fix it."""

    text: str
    file: str
    line: int
    path: str  # key path in en.yaml


@dataclass(frozen=True)
class Edition:
    sheet: m.Sheet
    strings: tuple[Located, ...]
    catalog: str = ""  # the catalog a translated edition was merged from, as shown in messages


def open_edition(sheet_dir: Path, lang: str = SOURCE_LANGUAGE, *, draft: bool = False) -> Edition:
    """The edition of `sheet_dir` in `lang`; raises ContentError listing every problem."""
    source = sheet_dir / "en.yaml"
    if lang == SOURCE_LANGUAGE:
        if draft:
            hint = "--draft marks an unfinished translation; build English without it"
            raise ContentError([Problem(str(source), 0, 0, "", "English is the source", hint)])
        return _reviewed(_english(source), sheet_dir)
    return _reviewed(
        _Translation(sheet_dir, check_tag(sheet_dir, lang), draft).edition(), sheet_dir
    )


def _reviewed(edition: Edition, sheet_dir: Path) -> Edition:
    """The review line printed and the review dates in the keywords (content.review); bidi
    controls and letters of the wrong direction refused (content.direction)."""
    notices = notice_languages(edition.sheet)
    problems = direction_problems(edition.strings, edition.sheet.language, notices)
    if problems:
        raise ContentError(problems)
    sheet, line = with_review(edition.sheet, sheet_dir)
    strings = edition.strings
    label = next((s for s in strings if s.path == "labels.review"), None)
    if line is not None and label is not None:  # its glyphs are checked like every string's
        strings = (*strings, replace(label, text=line))
    return replace(edition, sheet=sheet, strings=strings)


def inspect_translation(sheet_dir: Path, lang: str) -> tuple[Edition | None, list[Problem], int]:
    """The edition, or every problem that stops it, and how many are the guard's.

    For `i18n status`, which reports instead of raising. Problems found before
    the entries are read (a catalog that cannot be read, no glossary) still raise.
    """
    translation = _Translation(sheet_dir, check_tag(sheet_dir, lang), False)
    try:
        return translation.edition(), [], 0
    except ContentError as error:
        return None, list(error.problems), translation.guard_failures


def _english(source: Path) -> Edition:
    located: dict[KeyPath, Located] = {}

    def record(text: str, path: KeyPath) -> str:
        line = doc.where(path)[0]
        located[path] = Located(text, doc.file, line, format_path(path))
        return text

    doc = load_yaml(source)
    sheet = load_sheet(source, translate=record, doc=doc)
    return Edition(sheet, tuple(located.values()))


def check_tag(sheet_dir: Path, lang: str) -> str:
    """`lang` names a catalog file: refuse anything but a language tag (no paths) in its
    canonical case that CLDR knows (content/language.py)."""
    issue = tag_issue(lang)
    if issue is not None:
        named = sheet_dir / f"{lang}.po" if "/" not in lang else sheet_dir
        where = named if named.is_file() else sheet_dir  # a catalog found, or a --lang typed
        raise ContentError([Problem(str(where), 0, 0, "", issue.message, issue.hint)])
    return lang


@dataclass
class _Entry:
    """What the edition uses for one source string."""

    text: str  # the translation, or the English when there is none to use
    located: Located
    translated: bool  # False: untranslated, fuzzy or missing (shown in English in a draft)


class _Translation:
    """Builds a translated edition, collecting every problem of its catalog."""

    def __init__(self, sheet_dir: Path, lang: str, draft: bool) -> None:
        self.sheet_dir = sheet_dir
        self.lang = lang
        self.draft = draft
        self.problems: list[Problem] = []
        self.guard_failures = 0  # how many of the problems are the guard's
        self.behind: list[versions.Change] = []  # editorial changes the catalog has not caught up
        self.translates: int | None = None  # the English version the catalog translates
        self.unfinished: list[str] = []  # "es.po:45" of entries a draft shows in English

    def edition(self) -> Edition:
        source = self.sheet_dir / "en.yaml"
        doc = load_yaml(source)
        glossary = load_glossary(self.sheet_dir)
        catalog = self._catalog()
        self._standing(catalog, doc)
        strings = source_strings(doc, glossary)
        entries = {s.path: self._resolve(catalog, s, doc.file) for s in strings}
        self._guard(catalog, strings, entries, glossary)
        self._notice_rule(catalog, doc, strings, entries)
        sheet = self._load(source, doc, catalog, entries)
        if self.problems or sheet is None:
            raise ContentError(self.problems)
        sheet = self._finish(sheet, strings, entries, catalog)
        english = [*english_names(glossary, self.lang), *_quoted_sources(strings, entries)]
        sheet = mark_foreign(sheet, english, _english_texts(entries))
        located = tuple(entry.located for entry in entries.values())
        return Edition(sheet, located, catalog.file)

    # --- the catalog --------------------------------------------------------------------

    def _catalog(self) -> Catalog:
        path = self.sheet_dir / f"{self.lang}.po"
        if not path.is_file():
            have = sorted(p.stem for p in self.sheet_dir.glob("*.po")) or ["none yet"]
            hint = (
                f"translations of this sheet: {', '.join(have)}; start one with "
                f"`factsheet i18n update {self.sheet_dir.name} --lang {self.lang}`"
            )
            raise ContentError([Problem(str(path), 0, 0, "", "no such catalog", hint)])
        catalog = read_catalog(path)
        declared = catalog_language(catalog.po)
        if declared and not same_edition(declared, self.lang):
            message = (
                f"the catalog's Language header says '{declared}', its name says '{self.lang}'"
            )
            hint = "set the Language header (Poedit: Catalogue → Properties) or rename the file"
            self.problems.append(catalog.problem(1, "", message, hint))
        return catalog

    def _standing(self, catalog: Catalog, doc: Document) -> None:
        """Editorial changes since the catalog's version: build behind; a clinical one: refuse."""
        source = versions.history(doc.data)
        self.translates = versions.catalog_version(catalog.po.metadata)
        state, changes = versions.standing(source, self.translates)
        if state == "behind":
            self.behind = changes
        elif state == "withdrawn":
            for change in changes:
                message = (
                    f"the catalog translates English version {self.translates}, and "
                    f"{change.describe()}"
                )
                hint = (
                    f"update the translation: `factsheet i18n update {self.sheet_dir.name}`, "
                    "translate the fuzzy entries, then run `i18n update` again to record "
                    f"version {source.version} ({versions.SOURCE_VERSION_HEADER})"
                )
                self.problems.append(catalog.problem(1, "", message, hint))

    def _resolve(self, catalog: Catalog, string: SourceString, yaml_file: str) -> _Entry:
        entry = catalog.find(string)
        # After editorial changes only, a fuzzy entry keeps its previous translation: the
        # edition is the translation of the English it was made from, marked as behind.
        usable = entry is not None and ("fuzzy" not in entry.flags or bool(self.behind))
        if entry is not None and entry.msgstr and usable:
            text = unicodedata.normalize("NFC", entry.msgstr)  # precomposed: one glyph each
            located = Located(text, catalog.file, catalog.msgstr_line(entry), string.key)
            return _Entry(text, located, True)
        if entry is None:
            line, message = 0, f'no entry for "{_short(string.text)}" (en.yaml:{string.line})'
            hint = f"run `factsheet i18n update {self.sheet_dir.name}` to add it"
        else:
            line = catalog.msgstr_line(entry)
            state = "untranslated" if not entry.msgstr else "fuzzy: its source changed"
            message = f'{state}: "{_short(string.text)}"'
            hint = (
                "translate it"
                if not entry.msgstr
                else "check the translation against the new "
                "English, then clear the fuzzy flag (Poedit: Needs Work)"
            )
        if self.draft:
            self.unfinished.append(f"{catalog.file}:{line}" if line else string.key)
        else:
            self.problems.append(catalog.problem(line, string.key, message, hint))
        return _Entry(string.text, Located(string.text, yaml_file, string.line, string.key), False)

    # --- checks ---------------------------------------------------------------------------

    def _guard(
        self,
        catalog: Catalog,
        strings: list[SourceString],
        entries: dict[KeyPath, _Entry],
        glossary: Glossary,
    ) -> None:
        """The number and name guard, once per catalog entry; never waived by --draft."""
        # Imported here: its patterns take a tenth of a cold English build's imports.
        from factsheet.content.i18n import guard

        seen: set[tuple[str | None, str]] = set()
        for string in strings:
            entry = catalog.find(string)
            if entry is None or not entries[string.path].translated or string.catalog_key in seen:
                continue
            seen.add(string.catalog_key)
            allowed, malformed = guard.markers(entry.tcomment or "")
            line = catalog.msgstr_line(entry)
            for bad in malformed:
                hint = f"write it as '{guard.MARKER} <source value> -> <translated value>'"
                message = f'cannot read the marker "{bad}"'
                self.problems.append(catalog.problem(line, string.key, message, hint))
            found = guard.check(
                guard.values(string.text, glossary),
                guard.values(entries[string.path].text, glossary, self.lang),
                allowed,
            )
            self.guard_failures += len(found)
            for finding in found:
                problem = catalog.problem(line, string.key, finding.message, finding.hint)
                self.problems.append(problem)

    def _notice_rule(
        self,
        catalog: Catalog,
        doc: Document,
        strings: list[SourceString],
        entries: dict[KeyPath, _Entry],
    ) -> None:
        """A notice kept as the source's own words must not address the edition's own readers.

        "Se habla español." inside the Spanish edition would be a foreign-language
        note in the edition's own language: it must say something for its readers.
        """
        for string in strings:
            if not _is_notice(string.path) or not entries[string.path].translated:
                continue
            if entries[string.path].text != string.text:
                continue
            notice_lang = str(_at(doc.data, (*string.path[:-1], "lang")))
            if notice_lang.split("-")[0].lower() == self.lang.split("-")[0].lower():
                located = entries[string.path].located
                message = (
                    f'the notice "{string.text}" addresses speakers of {notice_lang}, '
                    f"the readers of this edition"
                )
                hint = (
                    "translate it into a sentence for this edition's readers (docs/translating.md)"
                )
                self.problems.append(catalog.problem(located.line, string.key, message, hint))

    # --- the sheet ------------------------------------------------------------------------

    def _load(
        self, source: Path, doc: Document, catalog: Catalog, entries: dict[KeyPath, _Entry]
    ) -> m.Sheet | None:
        """The sheet with translations applied; problems in a translation point at the catalog."""

        def translate(text: str, path: KeyPath) -> str:
            found = entries.get(path)
            return found.text if found is not None else text

        try:
            return load_sheet(source, translate=translate, doc=doc)
        except ContentError as error:
            by_key = {e.located.path: e.located for e in entries.values() if e.translated}
            self.problems += [_in_catalog(p, by_key.get(p.path)) for p in error.problems]
            return None

    def _finish(
        self,
        sheet: m.Sheet,
        strings: list[SourceString],
        entries: dict[KeyPath, _Entry],
        catalog: Catalog,
    ) -> m.Sheet:
        translated_notices = {
            format_path(s.path[:-2])
            for s in strings
            if _is_notice(s.path) and entries[s.path].text != s.text
        }
        pages = tuple(
            _with_notice_lang(page, translated_notices, self.lang) for page in sheet.pages
        )
        warnings = list(sheet.warnings) + self._warnings(catalog, strings)
        keywords = (*sheet.keywords, DRAFT_KEYWORD) if self.draft else sheet.keywords
        if self.behind:
            current = self.behind[-1].version
            keywords = (
                *keywords,
                versions.BEHIND_KEYWORD,
                f"translates English version {self.translates} of {current}",
            )
        return replace(
            sheet,
            language=self.lang,
            pages=pages,
            draft=self.draft,
            keywords=keywords,
            warnings=tuple(warnings),
        )

    def _warnings(self, catalog: Catalog, strings: list[SourceString]) -> list[str]:
        warnings = []
        if self.unfinished:
            shown = ", ".join(self.unfinished[:8]) + (" …" if len(self.unfinished) > 8 else "")
            warnings.append(
                f"draft translation: {len(self.unfinished)} untranslated or fuzzy entries "
                f"are printed in English ({shown})"
            )
        elif self.draft:
            warnings.append("draft translation: marked as a draft on both pages, as asked")
        if self.behind:
            changes = "; ".join(change.describe() for change in self.behind)
            warnings.append(
                f"{catalog.file} translates English version {self.translates}: built from its "
                f"translations as they are, marked one version behind ({changes})"
            )
        wanted = {s.catalog_key for s in strings}
        extra = [key for key in catalog.index if key not in wanted]
        if extra:
            warnings.append(
                f"{catalog.file}: {len(extra)} entries the English no longer has "
                f"(`factsheet i18n update` marks them obsolete)"
            )
        return warnings


def _quoted_sources(strings: list[SourceString], entries: dict[KeyPath, _Entry]) -> list[str]:
    """English source texts of two words or more that their translation keeps verbatim,
    e.g. a programme's name followed by a gloss in the edition's language."""
    out = []
    for string in strings:
        entry = entries[string.path]
        source = m.plain(parse_inline(string.text)[0]).strip()
        quoted = len(source.split()) > 1 and source in m.plain(parse_inline(entry.text)[0])
        if entry.translated and entry.text != string.text and quoted:
            out.append(source)
    return out


def _english_texts(entries: dict[KeyPath, _Entry]) -> list[str]:
    """Plain texts a draft prints in English (untranslated or fuzzy entries)."""
    return [m.plain(parse_inline(e.text)[0]).strip() for e in entries.values() if not e.translated]


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_notice(path: KeyPath) -> bool:
    return path[-2:] == ("notice", "text")


def _at(data: Any, path: KeyPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _in_catalog(problem: Problem, located: Located | None) -> Problem:
    """A problem the loader found in a translated string, pointed at the catalog entry."""
    if located is None:
        return problem
    return replace(problem, file=located.file, line=located.line, column=0)


def _with_notice_lang(page: m.Page, translated: set[str], lang: str) -> m.Page:
    return replace(
        page,
        main=_blocks_with_notice_lang(page.main, translated, lang),
        sidebar=_blocks_with_notice_lang(page.sidebar, translated, lang),
        footer=_blocks_with_notice_lang(page.footer, translated, lang),
        others=tuple(
            (name, _blocks_with_notice_lang(blocks, translated, lang))
            for name, blocks in page.others
        ),
    )


def _blocks_with_notice_lang(
    blocks: tuple[m.Block, ...], translated: set[str], lang: str
) -> tuple[m.Block, ...]:
    """The notice rule: a notice the catalog reworded is now in the edition's language."""
    out: list[m.Block] = []
    for block in blocks:
        if isinstance(block, m.Notice) and block.source.path in translated:
            block = replace(block, lang=lang)
        elif isinstance(block, m.Callout):
            block = replace(block, blocks=_blocks_with_notice_lang(block.blocks, translated, lang))
        out.append(block)
    return tuple(out)
