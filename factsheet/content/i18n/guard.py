"""The number and name guard: a translation keeps every number, address and drug name.

A patient reads a dose interval, a phone number or a drug name off the sheet
and acts on it, so a translation that drops or changes one is as serious as a
failing test. For each catalog entry, the values below are taken from the
English source and from the translation, and compared:

- numbers: every run of digits in the visible text (full-width and other
  digits count as their ASCII value), as many times as the source has it; a
  translation that adds a number is flagged too ("every 4 weeks" → "every 4
  or 5 weeks" changes the dose);
- link targets of Markdown links (`https:`, `mailto:`, `tel:`);
- web and email addresses written as plain text ("komen.org");
- the names of the series and sheet glossary, matched without regard to case,
  in their English form or a reviewed local form of the edition's language
  ("ibuprofeno"), and which generic each brand is written with.

A deliberate difference (a Spanish-language web address, a drug name in its
local form) passes only with a reviewed marker in the entry's translator
comments, `# guard-allow: <source value> -> <translated value>`, where either
side may be `(none)`. A marker that no longer matches the strings is itself an
error, so an outdated exception cannot hide a new mistake.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from factsheet.content.i18n.glossary import Glossary, Name
from factsheet.content.inline import parse_inline
from factsheet.content.model import Span, plain

NONE = "(none)"
MARKER = "guard-allow:"
_MARKER_LINE = re.compile(r"^guard-allow:\s*(?P<source>.+?)\s+->\s+(?P<translated>.+?)\s*$")
# Letters and digits of the Latin script: a name or address must not run into them.
# (Not \w: a name inside Chinese text is not preceded by a space.)
_LATIN = r"0-9A-Za-z\u00c0-\u024f\u1e00-\u1eff"
_EMAIL = re.compile(rf"(?<![{_LATIN}@.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# A web address in plain text ends in a top-level domain people print on handouts; without
# the list, abbreviations such as "p.ej." or "a.m." would read as addresses.
_TLDS = (
    "com|org|net|gov|edu|info|int|io|us|uk|ca|au|nz|ie|eu|de|fr|es|it|mx|ar|br|cl|co|pe|"
    "cn|hk|tw|jp|kr|vn|ph|in"
)
_WEB = re.compile(
    rf"(?<![{_LATIN}@./-])(?:https?://)?(?:[A-Za-z0-9-]+\.)+(?:{_TLDS})(?![{_LATIN}-])"
    r"(?:/[^\s)\]]*[^\s)\].,;:!?])?",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")

KINDS = ("number", "link target", "web address", "email address")  # counted kinds
NAME = "name"


@dataclass(frozen=True)
class Values:
    """What the guard protects in one string."""

    counted: dict[str, Counter[str]]  # kind → value → times it occurs
    names: frozenset[str]  # glossary names found (in any accepted form), as the English writes them
    pairs: dict[str, str]  # brand → the generic the text puts it with
    text: str  # the visible text and link targets, casefolded, to look for marker values


@dataclass(frozen=True)
class Marker:
    source: str  # a value of the source, or NONE
    translated: str  # what the translation has instead, or NONE
    line: str  # the comment line as written


@dataclass(frozen=True)
class Finding:
    """One difference the guard refuses, worded for the translator."""

    message: str
    hint: str


def values(text: str, glossary: Glossary, lang: str = "en") -> Values:
    """The protected values of one string of inline Markdown, in `lang`."""
    spans, _ = parse_inline(text)
    visible = unicodedata.normalize("NFKC", plain(spans))
    counted: dict[str, Counter[str]] = {kind: Counter() for kind in KINDS}
    counted["link target"].update(str(span.href) for span in _link_spans(spans))
    rest = visible
    for kind, pattern in (("email address", _EMAIL), ("web address", _WEB)):
        found = pattern.findall(rest)
        counted[kind].update(value.lower() for value in found)
        rest = pattern.sub(" ", rest)
    counted["number"].update(_ascii_digits(run) for run in _DIGITS.findall(rest))
    found = mentions(visible, glossary.forms(lang))
    names = frozenset(mention.entry.name for mention in found)
    searchable = " ".join([visible, *counted["link target"]])
    return Values(counted, names, pairings(found), searchable.casefold())


def _link_spans(spans: Iterable[Span]) -> list[Span]:
    """One entry per link (a link split into styled spans is still one link)."""
    links, last = [], None
    for span in spans:
        if span.href and span.href != last:
            links.append(span)
        last = span.href
    return links


def _ascii_digits(run: str) -> str:
    return "".join(str(unicodedata.decimal(char)) for char in run)


@dataclass(frozen=True)
class Mention:
    """A protected name found in a string, in whichever accepted form it is written."""

    start: int
    end: int
    form: str  # as written
    entry: Name


def mentions(text: str, forms: tuple[tuple[str, Name], ...]) -> list[Mention]:
    """Every glossary name in `text`, in order, whole words, ignoring case.

    Longest forms are matched first and a matched stretch is not matched again,
    so "Susan G. Komen®" is one name, not two, and "帕米膦酸二钠" is not also
    read as "帕米膦酸".
    """
    folded = text.casefold()
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for form, entry in forms:
        if form.casefold() not in folded:  # a cheap test first: most names are absent
            continue
        for match in _name_pattern(form).finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append(match.span())
            found.append(Mention(match.start(), match.end(), match.group(), entry))
    return sorted(found, key=lambda mention: mention.start)


def pairings(found: list[Mention]) -> dict[str, str]:
    """Brand → the generic the text puts it with.

    A brand belongs to the last generic named before it ("ibuprofen (Advil or
    Motrin)", "acetaminophen (paracetamol; Tylenol)"), or, when none comes
    before, to the first one after it ("Tylenol, or acetaminophen"). Applied to
    the source and the translation alike, it tells a kept pairing from a swapped
    one ("naproxeno (Advil)").
    """
    paired: dict[str, str] = {}
    for index, mention in enumerate(found):
        if mention.entry.kind != "brand":
            continue
        before = [m for m in found[:index] if m.entry.kind == "generic"]
        after = [m for m in found[index + 1 :] if m.entry.kind == "generic"]
        anchor = before[-1] if before else (after[0] if after else None)
        if anchor is not None:
            paired.setdefault(mention.entry.name, anchor.entry.name)
    return paired


def _has_name(text: str, name: str) -> bool:
    return _name_pattern(name).search(text) is not None


@functools.cache
def _name_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![{_LATIN}]){re.escape(name)}(?![{_LATIN}])", re.IGNORECASE)


def markers(comment: str) -> tuple[list[Marker], list[str]]:
    """The guard-allow markers of an entry's translator comment, and malformed lines."""
    found, bad = [], []
    for raw in comment.splitlines():
        line = raw.strip()
        if not line.startswith(MARKER):
            continue
        match = _MARKER_LINE.match(line)
        if match is None:
            bad.append(line)
        else:
            found.append(Marker(match["source"], match["translated"], line))
    return found, bad


def check(source: Values, translated: Values, allowed: list[Marker]) -> list[Finding]:
    """Every protected value the translation drops, changes or adds, less the allowed ones."""
    findings = _stale(source, translated, allowed)
    excused_source = {m.source.casefold() for m in allowed if m.source != NONE}
    excused_added = {m.translated.casefold() for m in allowed if m.translated != NONE}
    for kind in KINDS:
        dropped = _excuse(source.counted[kind] - translated.counted[kind], excused_source)
        added = _excuse(translated.counted[kind] - source.counted[kind], excused_added)
        findings += _differences(kind, dropped, added)
    for name in sorted(source.names - translated.names):
        if name.casefold() not in excused_source:
            findings.append(_dropped(NAME, name))
    return findings + _swapped(source, translated, excused_source)


def _swapped(source: Values, translated: Values, excused: set[str]) -> list[Finding]:
    """A brand the translation puts with another generic than the source does."""
    findings = []
    for brand, generic in sorted(source.pairs.items()):
        now = translated.pairs.get(brand)
        if now is None or now == generic or brand.casefold() in excused:
            continue
        message = (
            f'the translation puts the brand "{brand}" with "{now}"; the source puts it with '
            f'"{generic}"'
        )
        fix = f'write "{brand}" beside {generic} (or its local name), as the source does'
        findings.append(Finding(message, _hint(brand, brand, fix)))
    return findings


def _excuse(values: Counter[str], excused: set[str]) -> list[str]:
    return [value for value in values.elements() if value.casefold() not in excused]


def _differences(kind: str, dropped: list[str], added: list[str]) -> list[Finding]:
    """A drop and an addition of the same kind read as one change ("12" → "21")."""
    findings = []
    for before, after in zip(dropped, added, strict=False):
        message = f'the translation changes the {kind} "{before}" to "{after}"'
        findings.append(Finding(message, _hint(before, after)))
    for value, times in Counter(dropped[len(added) :]).items():
        findings.append(_dropped(kind, value, times))
    for value, times in Counter(added[len(dropped) :]).items():
        message = (
            f'the translation adds the {kind} "{value}"{_times(times)}, which the source lacks'
        )
        findings.append(Finding(message, _hint(NONE, value, "remove it")))
    return findings


def _times(count: int) -> str:
    return f" ({count} times)" if count > 1 else ""


def _dropped(kind: str, value: str, times: int = 1) -> Finding:
    message = f'the translation drops the {kind} "{value}"{_times(times)} that the source has'
    return Finding(message, _hint(value, "<what the translation has instead>"))


def _hint(before: str, after: str, fix: str = "keep it exactly as the source writes it") -> str:
    return (
        f"{fix}; if the difference is deliberate, have it reviewed and add the translator "
        f'comment "# {MARKER} {before} -> {after}" to this entry'
    )


def _stale(source: Values, translated: Values, allowed: list[Marker]) -> list[Finding]:
    """Markers that no longer describe the strings: an outdated exception hides nothing."""
    findings = []
    known = {v.casefold() for kind in KINDS for v in source.counted[kind]}
    known |= {name.casefold() for name in source.names}
    for marker in allowed:
        if marker.source != NONE and marker.source.casefold() not in known:
            message = f'the marker "{marker.line}" names "{marker.source}", which the source lacks'
            findings.append(Finding(message, "update or remove the marker"))
        if marker.translated != NONE and not _has_name(translated.text, marker.translated):
            message = (
                f'the marker "{marker.line}" says the translation has "{marker.translated}", '
                "but it does not"
            )
            findings.append(Finding(message, "update or remove the marker"))
    return findings
