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

import gettext
import re
from dataclasses import dataclass
from pathlib import Path

import polib
from babel.core import UnknownLocaleError
from babel.messages.plurals import get_plural

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
    lines = text.splitlines()
    problems = _header_problems(po, lines, file, path.stem)
    if problems:
        raise ContentError(problems)
    return Catalog(file, po, lines)


def _read_text(path: Path, file: str) -> str:
    return read_text(path, file, MAX_BYTES)


def _header_problems(po: polib.POFile, lines: list[str], file: str, lang: str) -> list[Problem]:
    """The header fields polib takes as they come: the charset the file is read in, and
    the plural rule gettext tools evaluate (a garbage rule breaks msgfmt and Poedit)."""
    problems = []
    content_type = po.metadata.get("Content-Type")
    if content_type is not None:
        charset = content_type.partition("charset=")[2].split(";")[0].strip().strip('"').lower()
        if charset not in ("utf-8", "utf8"):
            said = f"declares charset {charset}" if charset else "declares no charset"
            message = f"the catalog {said} (Content-Type: {content_type})"
            hint = "write 'Content-Type: text/plain; charset=UTF-8' and save the file as UTF-8"
            problems.append(
                Problem(file, _header_line(lines, "Content-Type"), 0, "", message, hint)
            )
    rule = po.metadata.get("Plural-Forms")
    if rule is not None:
        why = _plural_problem(rule)
        if why:
            message = f"Plural-Forms '{rule}' is not a gettext plural rule: {why}"
            hint = (
                f"write a rule such as '{_plural_example(lang)}' (Poedit: Catalog → Properties), "
                "or delete the line: a sheet's catalog has no plural entries"
            )
            problems.append(
                Problem(file, _header_line(lines, "Plural-Forms"), 0, "", message, hint)
            )
    return problems


_PLURAL_FORMS = re.compile(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=(.*?);?\s*")


def _plural_problem(rule: str) -> str:
    """Why `rule` is not 'nplurals=N; plural=EXPR;' with EXPR a C expression of n giving
    0 … N-1 (checked by the standard library's gettext, for n from 0 to 1000); "" if it is."""
    found = _PLURAL_FORMS.fullmatch(rule)
    if found is None:
        return "expected 'nplurals=N; plural=EXPRESSION;'"
    count = int(found.group(1))
    if not 1 <= count <= 6:
        return f"nplurals={count}, where a language has 1 to 6 forms"
    try:
        choose = gettext.c2py(found.group(2).strip())
        forms = {choose(n) for n in range(1001)}
    except (ValueError, ArithmeticError, RecursionError) as error:
        return str(error) or type(error).__name__
    if not forms <= set(range(count)):
        return f"it chooses form {max(forms)}, but nplurals={count} (forms 0 to {count - 1})"
    return ""


def _plural_example(lang: str) -> str:
    """The rule CLDR gives the catalog's language (Babel), or the commonest one."""
    try:
        return str(get_plural(lang.replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        return "nplurals=2; plural=(n != 1);"


def _header_line(lines: list[str], field: str) -> int:
    """The line of a header field (1 if it cannot be found)."""
    pattern = re.compile(rf'^"{re.escape(field)}\s*:', re.IGNORECASE)
    return next((n for n, line in enumerate(lines, 1) if pattern.match(line)), 1)


def catalog_language(po: polib.POFile) -> str:
    """The catalog's Language header as a BCP 47 tag ("zh_Hans" → "zh-Hans"); "" if unset."""
    return str(po.metadata.get("Language", "")).strip().replace("_", "-")
