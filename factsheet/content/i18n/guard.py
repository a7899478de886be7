"""The translation guard: a translation states the same facts as its source.

A patient reads a dose interval, a phone number or a drug name off the sheet
and acts on it, so a translation that changes one is as serious as a failing
test. For each catalog entry the facts of the English and of the translation
are extracted (`facts`) and compared as facts, not as characters:

- numbers with their units, in their order ("every 4 weeks" is not "cada 4
  meses"; "3-4 weeks or 12 weeks" is not "3-12 semanas o 4 semanas"), times of
  day (7 p.m. is 19:00 is 오후 7시), numbers written as words;
- phone numbers with their keypad letters, link targets, web and email addresses;
- the glossary's names (a local generic form counts as the drug) and which
  generic each brand is written with;
- a negation added or removed in a string that states a fact;
- bidi controls anywhere, and invisible characters or look-alike letters of
  another script in or next to a fact or a name.

A deliberate difference passes only with a reviewed marker in the entry's
translator comments, `# guard-allow: <source value> -> <translated value>`
(either side may be `(none)`; `# guard-allow: order` for facts deliberately
reordered). A marker that no longer matches the strings is itself an error, so
an outdated exception cannot hide a new mistake.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from factsheet.content.i18n.facts import Fact, Facts, extract, name_pattern
from factsheet.content.i18n.glossary import Glossary

NONE = "(none)"
ORDER = "order"
MARKER = "guard-allow:"
_MARKER_LINE = re.compile(
    r"^guard-allow:\s*(?:(?P<order>order)|(?P<source>.+?)\s+->\s+(?P<translated>.+?))\s*$"
)
UNORDERED = ("phone number", "link target", "web address", "email address")
NAME = "name"

__all__ = ["Facts", "Finding", "Marker", "check", "extract", "markers", "values"]


@dataclass(frozen=True)
class Marker:
    source: str  # a value of the source, NONE, or ORDER
    translated: str  # what the translation has instead, NONE, or ORDER
    line: str  # the comment line as written


@dataclass(frozen=True)
class Finding:
    """One difference the guard refuses, worded for the translator."""

    message: str
    hint: str


def values(text: str, glossary: Glossary, lang: str = "en") -> Facts:
    """The facts of one string of inline Markdown in `lang` (the English source by default)."""
    return extract(text, lang, glossary)


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
        elif match["order"]:
            found.append(Marker(ORDER, ORDER, line))
        else:
            found.append(Marker(match["source"], match["translated"], line))
    return found, bad


def check(source: Facts, translated: Facts, allowed: list[Marker]) -> list[Finding]:
    """Every fact the translation drops, changes, adds or reorders, less the allowed ones."""
    findings = _stale(source, translated, allowed)
    findings += _ordered(source, translated, allowed)
    for kind in UNORDERED:
        before = [f for f in source.unordered if f.kind == kind]
        after = [f for f in translated.unordered if f.kind == kind]
        findings += _multiset(kind, before, after, allowed)
    findings += _names(source, translated, allowed)
    findings += _negation(source, translated, allowed)
    findings += _hidden(translated, allowed)
    return findings


# --- matching facts and markers -------------------------------------------------------------


def _spellings(fact: Fact) -> set[str]:
    """What a marker may write for a fact: as shown, its meaning, or its bare number."""
    return {fact.shown.casefold(), fact.key.casefold(), fact.key.split(" ")[0].casefold()}


def _excused(before: Fact | None, after: Fact | None, allowed: list[Marker]) -> bool:
    for marker in allowed:
        left = (
            marker.source == NONE
            if before is None
            else marker.source.casefold() in _spellings(before)
        )
        right = (
            marker.translated == NONE
            if after is None
            else marker.translated.casefold() in _spellings(after)
        )
        if left and right:
            return True
    return False


def _hint(before: str, after: str, fix: str = "keep it as the source states it") -> str:
    return (
        f"{fix}; if the difference is deliberate, have it reviewed and add the translator "
        f'comment "# {MARKER} {before} -> {after}" to this entry'
    )


def _changed(kind: str, before: Fact, after: Fact) -> Finding:
    message = f"the translation changes the {kind} {before.describe()} to {after.describe()}"
    return Finding(message, _hint(before.shown, after.shown))


def _dropped(kind: str, before: Fact) -> Finding:
    message = f"the translation drops the {kind} {before.describe()} that the source has"
    return Finding(message, _hint(before.shown, "<what the translation has instead>"))


def _added(kind: str, after: Fact) -> Finding:
    message = f"the translation adds the {kind} {after.describe()}, which the source lacks"
    return Finding(message, _hint(NONE, after.shown, "remove it"))


# --- numbers and times, in order ------------------------------------------------------------


def _ordered(source: Facts, translated: Facts, allowed: list[Marker]) -> list[Finding]:
    before, after = list(source.ordered), list(translated.ordered)
    keys_before, keys_after = [f.key for f in before], [f.key for f in after]
    if keys_before == keys_after:
        return []
    if Counter(keys_before) == Counter(keys_after):
        if any(m.source == ORDER for m in allowed):
            return []
        message = (
            "the translation puts the same numbers in another order: the source says "
            f"{_listed(before)}, the translation {_listed(after)}"
        )
        hint = (
            "keep each number with the words it belongs to, in the source's order; if the new "
            f'order is right, have it reviewed and add the translator comment "# {MARKER} '
            f'{ORDER}" to this entry'
        )
        return [Finding(message, hint)]
    findings: list[Finding] = []
    matcher = SequenceMatcher(a=keys_before, b=keys_after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old, new = before[i1:i2], after[j1:j2]
        for left, right in zip(old, new, strict=False):
            if not _excused(left, right, allowed):
                findings.append(_changed(_kind(left, right), left, right))
        for left in old[len(new) :]:
            if not _excused(left, None, allowed):
                findings.append(_dropped(left.kind, left))
        for right in new[len(old) :]:
            if not _excused(None, right, allowed):
                findings.append(_added(right.kind, right))
    return findings


def _kind(left: Fact, right: Fact) -> str:
    return left.kind if left.kind == right.kind else "number or time"


def _listed(facts: list[Fact]) -> str:
    return ", ".join(f.key for f in facts)


# --- phone numbers and addresses, as a set ----------------------------------------------------


def _multiset(
    kind: str, before: list[Fact], after: list[Fact], allowed: list[Marker]
) -> list[Finding]:
    """A drop and an addition of the same kind read as one change ("…6636" → "…6637")."""
    left = Counter(f.key for f in before)
    right = Counter(f.key for f in after)
    dropped = [f for f in before if _take(left, right, f.key)]
    added = [f for f in after if _take(right, Counter(f.key for f in before), f.key)]
    dropped = [f for f in dropped if not _excused(f, _match_marker(f, added, allowed), allowed)]
    added = [f for f in added if not any(_excused(d, f, allowed) for d in [None, *before])]
    findings = [_changed(kind, old, new) for old, new in zip(dropped, added, strict=False)]
    findings += [_dropped(kind, f) for f in dropped[len(added) :]]
    findings += [_added(kind, f) for f in added[len(dropped) :]]
    return findings


def _take(mine: Counter[str], other: Counter[str], key: str) -> bool:
    """True for the occurrences of `key` beyond what `other` has (each counted once)."""
    if other[key] > 0:
        other[key] -= 1
        return False
    return True


def _match_marker(fact: Fact, added: list[Fact], allowed: list[Marker]) -> Fact | None:
    return next((new for new in added if _excused(fact, new, allowed)), None)


# --- names ------------------------------------------------------------------------------------


def _names(source: Facts, translated: Facts, allowed: list[Marker]) -> list[Finding]:
    excused = {m.source.casefold() for m in allowed if m.source not in (NONE, ORDER)}
    findings = []
    for name in sorted(source.names - translated.names, key=str.casefold):
        if name.casefold() not in excused:
            message = f'the translation drops the name "{name}" that the source has'
            hint = _hint(
                name,
                "<what the translation has instead>",
                "keep it, or write a local form the glossary lists for this language",
            )
            findings.append(Finding(message, hint))
    pairs = translated.pairs
    for brand, generic in sorted(source.pairs.items()):
        now = pairs.get(brand)
        if now is None or now == generic or brand.casefold() in excused:
            continue
        if generic not in translated.names:  # already reported as a dropped name
            continue
        message = (
            f'the translation puts the brand "{brand}" with "{now}"; the source puts it with '
            f'"{generic}"'
        )
        fix = f'write "{brand}" beside {generic} (or its local name), as the source does'
        findings.append(Finding(message, _hint(brand, brand, fix)))
    return findings


# --- negation and hidden characters -----------------------------------------------------------


def _negation(source: Facts, translated: Facts, allowed: list[Marker]) -> list[Finding]:
    if not (source.ordered or source.unordered or source.mentions):
        return []
    if bool(source.negations) == bool(translated.negations):
        return []
    if translated.negations:
        word = translated.negations[0]
        if any(m.source == NONE and m.translated.casefold() == word for m in allowed):
            return []
        message = (
            f'the translation adds a negation ("{word}") to a sentence that states a fact; '
            "the source has none"
        )
        return [Finding(message, _hint(NONE, word, "check it does not say the opposite"))]
    word = source.negations[0]
    if any(m.source.casefold() == word and m.translated == NONE for m in allowed):
        return []
    message = (
        f'the translation has no negation where the source says "{word}" in a sentence that '
        "states a fact"
    )
    return [Finding(message, _hint(word, NONE, "check it does not say the opposite"))]


def _hidden(translated: Facts, allowed: list[Marker]) -> list[Finding]:
    findings = []
    for hidden in translated.hidden:
        code = f"U+{ord(hidden.char):04X}"
        if any(m.translated.upper() == code for m in allowed):
            continue
        context = translated.visible[max(0, hidden.index - 12) : hidden.index + 12]
        message = f'the translation has {hidden.describe()} in "{_visible(context)}"'
        fix = "delete it and type the text around it again"
        findings.append(Finding(message, _hint(NONE, code, fix)))
    return findings


def _visible(text: str) -> str:
    """The context of a hidden character with every invisible one shown as <U+XXXX>."""
    return "".join(
        f"<U+{ord(c):04X}>" if not c.isprintable() or c in "\u202a\u202b\u202c\u202d\u202e" else c
        for c in text
    )


# --- markers that no longer match -------------------------------------------------------------


def _stale(source: Facts, translated: Facts, allowed: list[Marker]) -> list[Finding]:
    """Markers that no longer describe the strings: an outdated exception hides nothing."""
    findings = []
    known: set[str] = set()
    for fact in (*source.ordered, *source.unordered):
        known |= _spellings(fact)
    known |= {name.casefold() for name in source.names}
    known |= set(source.negations)
    for marker in allowed:
        if marker.source == ORDER:
            continue
        if marker.source != NONE and marker.source.casefold() not in known:
            message = f'the marker "{marker.line}" names "{marker.source}", which the source lacks'
            findings.append(Finding(message, "update or remove the marker"))
        if marker.translated != NONE and not _in_translation(translated, marker.translated):
            message = (
                f'the marker "{marker.line}" says the translation has "{marker.translated}", '
                "but it does not"
            )
            findings.append(Finding(message, "update or remove the marker"))
    return findings


def _in_translation(translated: Facts, value: str) -> bool:
    if re.fullmatch(r"U\+[0-9A-Fa-f]{4,6}", value):
        return any(f"U+{ord(h.char):04X}" == value.upper() for h in translated.hidden)
    spelled = {s for f in (*translated.ordered, *translated.unordered) for s in _spellings(f)}
    return value.casefold() in spelled or name_pattern(value).search(translated.text) is not None
