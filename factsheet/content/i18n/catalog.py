"""Catalogs and the strings they translate.

`source_strings` lists what a translator translates, from the one definition in
`content.translatable`, each with the catalog key it is filed under: its
English text as msgid, and a msgctxt (its key path) only for the key paths the
glossary gives an entry of their own. `read_catalog` reads a gettext PO file
with polib after the same safety checks as the YAML loader (size cap, UTF-8)
and a strict check of its syntax (`strict`: polib is lenient),
and can say on which line each entry's msgstr is, for messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polib

from factsheet.content.i18n.glossary import Glossary
from factsheet.content.i18n.strict import check_syntax
from factsheet.content.translatable import translatable_strings
from factsheet.content.yamlfile import Document, KeyPath, display_name, format_path, read_text
from factsheet.errors import ContentError, Problem

MAX_BYTES = 1_048_576
_SYNTAX_LINE = re.compile(r"\(line (\d+)\)")


@dataclass(frozen=True)
class SourceString:
    """One translatable English string and the catalog key it is filed under."""

    path: KeyPath
    text: str
    line: int  # in en.yaml
    context: str | None  # msgctxt, for strings with an entry of their own

    @property
    def key(self) -> str:
        return format_path(self.path)

    @property
    def catalog_key(self) -> tuple[str | None, str]:
        return (self.context, self.text)


def source_strings(doc: Document, glossary: Glossary) -> list[SourceString]:
    """Every translatable string of the English source, in the order it is written."""
    found = []
    for item in translatable_strings(doc):
        key = format_path(item.path)
        context = key if key in glossary.own_entries else None
        found.append(SourceString(item.path, item.text, item.line, context))
    return found


def entry_keys(entry: polib.POEntry) -> list[str]:
    """The key paths an entry's extracted comments name ("key: pages[0].main[1].paragraph")."""
    return [
        line.removeprefix("key:").strip()
        for line in (entry.comment or "").splitlines()
        if line.startswith("key:")
    ]


@dataclass
class Catalog:
    """A parsed catalog, with its active entries indexed by (msgctxt, msgid)."""

    file: str  # as shown in messages
    po: polib.POFile
    lines: list[str]

    def __post_init__(self) -> None:
        self.index = {
            (entry.msgctxt, entry.msgid): entry
            for entry in self.po
            if not entry.obsolete and entry.msgid
        }

    def find(self, string: SourceString) -> polib.POEntry | None:
        return self.index.get(string.catalog_key)

    def msgstr_line(self, entry: polib.POEntry) -> int:
        """The line of the entry's msgstr: where a translator types the fix."""
        start = max(int(entry.linenum or 1), 1)
        for number in range(start, len(self.lines) + 1):
            if self.lines[number - 1].startswith("msgstr"):
                return number
        return start

    def problem(self, line: int, path: str, message: str, hint: str = "") -> Problem:
        return Problem(self.file, line, 0, path, message, hint)


def read_catalog(path: Path) -> Catalog:
    """Read a PO file, or raise ContentError saying why it cannot be read."""
    file = display_name(path)
    text = _read_text(path, file)
    problems = check_syntax(text, file)  # polib forgives what a build must not
    if problems:
        raise ContentError(problems)
    try:
        po = polib.pofile(text) if text.strip() else polib.POFile()
    except (OSError, ValueError) as exc:  # polib reports syntax errors as OSError
        found = _SYNTAX_LINE.search(str(exc))
        line = int(found.group(1)) if found else 0
        hint = "open it in Poedit or run msgfmt --check to see the mistake"
        raise ContentError([Problem(file, line, 0, "", "not a valid PO file", hint)]) from None
    _check_charset(po, file)
    return Catalog(file, po, text.splitlines())


def _read_text(path: Path, file: str) -> str:
    return read_text(path, file, MAX_BYTES)


def _check_charset(po: polib.POFile, file: str) -> None:
    content_type = po.metadata.get("Content-Type", "")
    charset = content_type.partition("charset=")[2].strip().lower()
    if charset and charset not in ("utf-8", "utf8"):
        message = f"the catalog declares charset {charset}"
        hint = "declare and save it as UTF-8"
        raise ContentError([Problem(file, 1, 0, "", message, hint)])


def catalog_language(po: polib.POFile) -> str:
    """The catalog's Language header as a BCP 47 tag ("zh_Hans" → "zh-Hans"); "" if unset."""
    return str(po.metadata.get("Language", "")).strip().replace("_", "-")
