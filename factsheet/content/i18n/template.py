"""`factsheet i18n extract`: the English source → the catalog template (.pot).

One entry per distinct English string (msgid = the string exactly as en.yaml
has it; a msgctxt only for the key paths the glossary gives their own entry),
with an occurrence per place it is used (`#: content/<sheet>/en.yaml:LINE`) and
extracted comments (`#.`) that say where it sits in words, its key path (which
`i18n update` uses to recognise a changed string), the values the guard will
check, and a reminder to keep Markdown marks. The output is deterministic: the
same source gives the same bytes, so the template diffs cleanly in review.
"""

from __future__ import annotations

from pathlib import Path

import polib

from factsheet import __version__
from factsheet.content import load_sheet
from factsheet.content.i18n import guard
from factsheet.content.i18n.catalog import SourceString, source_strings
from factsheet.content.i18n.glossary import Glossary, load_glossary
from factsheet.content.i18n.versions import SOURCE_VERSION_HEADER, history
from factsheet.content.i18n.where import describe
from factsheet.content.inline import parse_inline
from factsheet.content.yamlfile import Document, load_yaml

# No wrapping (msgcat --no-wrap): polib would also wrap comment lines, splitting a long
# "# guard-allow:" marker in two; and one line per string is what the catalogs already use.
WRAP = 0


def build_template(sheet_dir: Path) -> polib.POFile:
    """The template of the sheet in `sheet_dir`; raises ContentError if en.yaml is invalid."""
    source = sheet_dir / "en.yaml"
    sheet = load_sheet(source)  # a template of an invalid source would mislead translators
    doc = load_yaml(source)
    glossary = load_glossary(sheet_dir, required=False)
    pot = polib.POFile(wrapwidth=WRAP)
    pot.header = (
        f"Translation template of the fact sheet {sheet.id} "
        f'("{sheet.series}: {sheet.title}").\n'
        f"Made by `factsheet i18n extract {sheet.id}` from content/{sheet.id}/en.yaml: "
        "do not edit it;\nstart or refresh a language with `factsheet i18n update`. "
        "See docs/translating.md."
    )
    pot.metadata = template_metadata(sheet.id, sheet.dates.updated.isoformat())
    version = history(doc.data).version
    if version is not None:  # the English version the entries are the text of
        pot.metadata[SOURCE_VERSION_HEADER] = str(version)
    for entry in _entries(doc, sheet.id, source_strings(doc, glossary), glossary):
        pot.append(entry)
    return pot


def template_metadata(sheet_id: str, date: str) -> dict[str, str]:
    """The header of the template: dated by the content, not the clock (deterministic)."""
    return {
        "Project-Id-Version": f"factsheet {sheet_id}",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": f"{date} 00:00+0000",
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": f"factsheet {__version__}",
    }


def _entries(
    doc: Document, sheet_id: str, strings: list[SourceString], glossary: Glossary
) -> list[polib.POEntry]:
    """One entry per catalog key, in the order the strings first appear."""
    grouped: dict[tuple[str | None, str], list[SourceString]] = {}
    for string in strings:
        grouped.setdefault(string.catalog_key, []).append(string)
    occurrence = f"content/{sheet_id}/en.yaml"
    return [
        polib.POEntry(
            msgctxt=context,
            msgid=text,
            msgstr="",
            occurrences=[(occurrence, str(s.line)) for s in uses],
            comment=_comment(doc, text, uses, glossary),
        )
        for (context, text), uses in grouped.items()
    ]


def _comment(doc: Document, text: str, uses: list[SourceString], glossary: Glossary) -> str:
    lines = [describe(doc.data, s.path) for s in uses]
    lines += [f"key: {s.key}" for s in uses]
    kept = _kept(text, glossary)
    if kept:
        lines.append(f"keep as written (checked): {kept}")
    if any(span.bold or span.italic or span.href for span in parse_inline(text)[0]):
        lines.append(
            "Markdown: keep **bold**, *italic* and [text](target) marks; translate the text"
        )
    return "\n".join(lines)


def _kept(text: str, glossary: Glossary) -> str:
    """The values the guard checks in `text`, for the translator to see up front."""
    facts = guard.values(text, glossary)
    shown: list[str] = []
    for fact in (*facts.ordered, *facts.unordered):
        # link targets are inside the Markdown marks; "4 weeks" is part of "3-4 weeks"
        if fact.kind != "link target" and not any(fact.shown in s for s in shown):
            shown.append(fact.shown)
    shown += sorted(facts.names, key=str.casefold)
    return ", ".join(shown)
