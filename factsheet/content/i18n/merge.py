"""`factsheet i18n update`: merge the template into a language's catalog.

What msgmerge does, with one thing it cannot know: the key path of each string
(the template's `#. key:` comments). For each template entry:

- the same msgid (and msgctxt) in the catalog: its translation, flags and the
  translators' own comments are kept; occurrences and extracted comments are
  refreshed from the template;
- otherwise, a changed source string: the closest unused old entry, found by
  similarity (difflib) with a bonus for the same key path, hands over its
  translation marked fuzzy, with the old msgid as `#| msgid` so Poedit shows
  what changed; a fuzzy entry does not build until a translator clears it;
- otherwise, a new, untranslated entry.

Old entries nothing claimed become obsolete (`#~`) rather than being deleted,
so a translation is never lost; an obsolete entry whose string comes back is
revived as fuzzy.

Why not Babel's `Catalog.update`: it matches by similarity alone, and it parses
the Language header as a CLDR locale, which rejects tags such as zh-Hans that
our file names use. polib reads and writes the files; the matching is ours.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import polib

from factsheet.content.i18n.catalog import entry_keys
from factsheet.content.i18n.versions import SOURCE_VERSION_HEADER

SIMILAR = 0.6  # difflib ratio above which a changed string keeps its old translation
SAME_PLACE = 0.25  # bonus when the old entry was at the same key path


@dataclass(frozen=True)
class MergeStats:
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int

    def __str__(self) -> str:
        return (
            f"{self.translated} translated, {self.fuzzy} fuzzy, "
            f"{self.untranslated} untranslated, {self.obsolete} obsolete"
        )


def merge(catalog: polib.POFile, template: polib.POFile) -> tuple[polib.POFile, MergeStats]:
    """A new catalog: `template`'s entries with `catalog`'s translations carried over."""
    old = {(e.msgctxt, e.msgid): e for e in catalog if e.msgid and e.msgstr and not e.obsolete}
    retired = [e for e in catalog.obsolete_entries() if e.msgstr]
    merged = polib.POFile(wrapwidth=template.wrapwidth)
    merged.header = catalog.header or template.header
    merged.metadata = dict(catalog.metadata) or dict(template.metadata)
    merged.metadata["POT-Creation-Date"] = template.metadata.get("POT-Creation-Date", "")
    pending: list[polib.POEntry] = []
    for new in template:
        same = old.pop((new.msgctxt, new.msgid), None)
        merged.append(_carried(new, same) if same else _fresh(new))
        if same is None:
            pending.append(merged[-1])
    candidates = list(old.values()) + retired
    for entry in pending:
        match = _closest(entry, candidates)
        if match is not None:
            candidates.remove(match)
            _make_fuzzy(entry, match)
    for leftover in candidates:
        merged.append(_obsolete(leftover))
    stats = _stats(merged)
    _record_version(merged, template, stats)
    return merged, stats


def _record_version(merged: polib.POFile, template: polib.POFile, stats: MergeStats) -> None:
    """A complete catalog translates the template's English version: record it.

    An incomplete one keeps the version it had, so an edition after an editorial
    change is still built from the translation it has (content.i18n.versions).
    """
    version = template.metadata.get(SOURCE_VERSION_HEADER)
    if version and stats.fuzzy == 0 and stats.untranslated == 0:
        merged.metadata[SOURCE_VERSION_HEADER] = version


def _fresh(new: polib.POEntry) -> polib.POEntry:
    return polib.POEntry(
        msgctxt=new.msgctxt,
        msgid=new.msgid,
        msgstr="",
        occurrences=list(new.occurrences),
        comment=new.comment,
    )


def _carried(new: polib.POEntry, old: polib.POEntry) -> polib.POEntry:
    entry = _fresh(new)
    entry.msgstr = old.msgstr
    entry.tcomment = old.tcomment
    entry.flags = [flag for flag in old.flags if flag == "fuzzy"]
    if "fuzzy" in entry.flags:  # still waiting for review: keep what it was reviewed against
        entry.previous_msgid = old.previous_msgid
        entry.previous_msgctxt = old.previous_msgctxt
    return entry


def _make_fuzzy(entry: polib.POEntry, old: polib.POEntry) -> None:
    entry.msgstr = old.msgstr
    entry.tcomment = old.tcomment
    entry.flags = ["fuzzy"]
    entry.previous_msgid = old.msgid
    entry.previous_msgctxt = old.msgctxt


def _closest(entry: polib.POEntry, candidates: list[polib.POEntry]) -> polib.POEntry | None:
    """The old entry most like `entry` (same place counts), if like enough."""
    keys = set(entry_keys(entry))
    best, best_score = None, SIMILAR
    for old in candidates:
        bonus = SAME_PLACE if keys & set(entry_keys(old)) else 0.0
        matcher = difflib.SequenceMatcher(None, entry.msgid, old.msgid, autojunk=False)
        if matcher.real_quick_ratio() + bonus < best_score:
            continue  # cannot win: skip the costly exact ratio
        score = matcher.ratio() + bonus
        if score >= best_score:
            best, best_score = old, score
    return best


def _obsolete(old: polib.POEntry) -> polib.POEntry:
    return polib.POEntry(
        msgctxt=old.msgctxt,
        msgid=old.msgid,
        msgstr=old.msgstr,
        tcomment=old.tcomment,
        obsolete=True,
    )


def _stats(catalog: polib.POFile) -> MergeStats:
    active = [e for e in catalog if not e.obsolete]
    fuzzy = sum(1 for e in active if "fuzzy" in e.flags)
    untranslated = sum(1 for e in active if not e.msgstr)
    return MergeStats(
        translated=len(active) - fuzzy - untranslated,
        fuzzy=fuzzy,
        untranslated=untranslated,
        obsolete=len(catalog) - len(active),
    )


def new_catalog(template: polib.POFile, lang: str, header: str) -> polib.POFile:
    """An empty catalog for a new language, to merge the template into."""
    catalog = polib.POFile(wrapwidth=template.wrapwidth)
    catalog.header = header
    catalog.metadata = dict(template.metadata)
    catalog.metadata["Language"] = lang
    catalog.metadata["Language-Team"] = lang
    return catalog
