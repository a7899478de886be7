"""Text in another language than the edition's, marked so a screen reader switches voice.

In a translated edition some words stay English: names the glossary protects
("Zoledronic acid", "Susan G. Komen®") and, in a draft, every entry still
printed in English. Read in a Spanish or Korean voice they come out garbled;
with a span of `lang` "en" (a Span element with /Lang in the PDF) they are
read in English. Which names are English in a language (`english_names`):
in an edition not written in Latin letters, every name (a Korean voice
cannot read "Zometa"); in a Latin-script one, the names of kind `other` (the
publisher, a group's name) and the generic names the glossary gives a local
form for ("ibuprofen", where Spanish says "ibuprofeno"). A brand, or a
generic spelt the same in that language ("denosumab"), is not marked there.
In an edition not written in Latin letters, any run of Latin-letter words
("MBC Impact Series") is English too: the source is English.

In: the translated `Sheet`. Out: the same sheet with those spans split out and
their `lang` set. Every text of the sheet is visited generically (any field of
any block holding an Inline), so a new kind of block is covered without a change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import fields, is_dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from babel.core import get_global

from factsheet.content import model as m

if TYPE_CHECKING:
    from factsheet.content.i18n.glossary import Glossary

SOURCE = "en"  # the language of the English source and of the glossary's names


def english_names(glossary: Glossary, lang: str) -> list[str]:
    """The glossary's names that are English text inside an edition in `lang`."""
    latin = script_of_language(lang) == "Latn"
    out = []
    for entry in glossary.entries:
        local = {form.casefold() for form in entry.forms(lang)[1:]}
        if entry.name.casefold() in local:
            continue  # the language writes it the same way: not foreign
        if not latin or entry.kind == "other" or local:
            out.append(entry.name)
    return out


def script_of_language(lang: str) -> str:
    """The ISO 15924 script a language is written in ("Latn", "Hans", "Kore"; "" unknown):
    the tag's own script subtag, else CLDR's likely one for the language in its region
    ("zh-TW" → "zh_Hant_TW"), else for the language ("ko" → "ko_Kore_KR").

    The one answer for the glossary's English names, the brand's per-script type
    (layout/theme.py), a catalog header's language (content/language.py) and the audit."""
    parts = lang.replace("_", "-").split("-")
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            return part.title()
    language = parts[0].lower()
    region = next((p.upper() for p in parts[1:] if len(p) == 2 or p.isdigit()), "")
    likely = get_global("likely_subtags")
    full = (region and likely.get(f"{language}_{region}")) or likely.get(language) or ""
    return next((p for p in str(full).split("_")[1:] if len(p) == 4 and p.isalpha()), "")


def mark_foreign(sheet: m.Sheet, names: Iterable[str], untranslated: Iterable[str] = ()) -> m.Sheet:
    """`sheet` with English `names` and whole `untranslated` texts marked as English.

    `names` are matched whole-word and without regard to case; `untranslated`
    are plain texts (as `m.plain` gives them) that a draft printed in English.
    """
    if sheet.language.split("-")[0].lower() == SOURCE:
        return sheet
    latin = script_of_language(sheet.language) == "Latn"
    pattern = _pattern(tuple(sorted(set(names), key=lambda n: (-len(n), n))), latin)
    return _visit(sheet, _Marker(pattern, frozenset(untranslated)))


class _Marker:
    def __init__(self, pattern: re.Pattern[str] | None, untranslated: frozenset[str]) -> None:
        self.pattern = pattern
        self.untranslated = untranslated

    def inline(self, inline: m.Inline) -> m.Inline:
        if m.plain(inline).strip() in self.untranslated:
            return tuple(replace(span, lang=span.lang or SOURCE) for span in inline)
        if self.pattern is None:
            return inline
        return tuple(part for span in inline for part in self._split(span))

    def _split(self, span: m.Span) -> list[m.Span]:
        if span.lang is not None or self.pattern is None:
            return [span]
        if span.href is not None:  # a link stays one span: marked only when it is a name
            whole = self.pattern.fullmatch(span.text.strip())
            return [replace(span, lang=SOURCE) if whole else span]
        out, at = [], 0
        for match in self.pattern.finditer(span.text):
            if match.start() > at:
                out.append(replace(span, text=span.text[at : match.start()]))
            out.append(replace(span, text=match.group(0), lang=SOURCE))
            at = match.end()
        if at < len(span.text):
            out.append(replace(span, text=span.text[at:]))
        return out or [span]


# Latin-letter words (with digits, ®, apostrophes, hyphens, dots inside), one or more
# separated by spaces: in a Korean sentence, "MBC Impact Series" is one English run.
_LATIN_WORD = r"[A-Za-z][A-Za-z0-9®'’.&-]*[A-Za-z0-9®]|[A-Za-z]{2,}"
_LETTER = r"[A-Za-z0-9\u00C0-\u024F]"
LATIN_RUN = rf"(?:{_LATIN_WORD})(?:[ ](?:{_LATIN_WORD}))*"


@lru_cache(maxsize=64)
def _pattern(names: tuple[str, ...], latin: bool) -> re.Pattern[str] | None:
    """One regex for every name, longest first, never inside a longer word; in an
    edition written in another script, any run of Latin-letter words as well."""
    alternatives = [re.escape(name) for name in names]
    if not latin:
        alternatives.append(LATIN_RUN)
    if not alternatives:
        return None
    # Bounded by Latin letters only: a Korean particle may follow a name directly ("Komen의").
    return re.compile(rf"(?<!{_LETTER})(?:{'|'.join(alternatives)})(?!{_LETTER})", re.IGNORECASE)


def _visit(value: Any, marker: _Marker) -> Any:
    if _is_inline(value):
        return marker.inline(value)
    if isinstance(value, tuple):
        return tuple(_visit(item, marker) for item in value)
    if is_dataclass(value) and not isinstance(value, type | m.Span | m.Source):
        changes = {}
        for f in fields(value):
            old = getattr(value, f.name)
            new = _visit(old, marker)
            if new is not old:
                changes[f.name] = new
        return replace(value, **changes) if changes else value
    return value


def _is_inline(value: Any) -> bool:
    return isinstance(value, tuple) and bool(value) and all(isinstance(v, m.Span) for v in value)
