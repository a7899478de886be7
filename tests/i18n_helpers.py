"""Helpers for the translation tests: catalogs written with polib, and pseudo-translations.

A pseudo-translation replaces every English word by words of the target script
while keeping what the guard protects (numbers, addresses, link targets, drug
names) and the Markdown marks, so a whole catalog can be made for any language
without waiting for the translators, and it exercises the same paths.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

import polib

from factsheet.content.i18n.facts import NEGATIONS, extract
from factsheet.content.i18n.glossary import Glossary, Name, load_glossary
from factsheet.content.i18n.template import build_template
from factsheet.content.inline import parse_inline
from factsheet.content.model import plain

# Words the pseudo-translations are made of, per language.
ALPHABETS = {
    # Short words too, as Spanish has: real Spanish runs about 15-20 % longer than English.
    "es": ["hueso", "cáncer", "mama", "dolor", "también", "que", "médico", "señal"],
    "vi": ["xương", "ung thư", "vú", "đau", "thuốc", "điều trị", "bác sĩ", "bệnh"],
    "zh-Hans": ["骨", "转移", "乳腺癌", "治疗", "药物", "疼痛", "医生", "钙"],
    "ko": ["뼈", "전이", "유방암", "치료", "약물", "통증", "의사", "칼슘"],
    "ar": ["عظم", "سرطان", "الثدي", "ألم", "علاج", "دواء", "طبيب", "كالسيوم"],
    "hi": ["हड्डी", "कैंसर", "स्तन", "दर्द", "इलाज", "दवा", "डॉक्टर", "कैल्शियम"],
}
_HAN = "\u4e00-\u9fff"
# Kept as written: link targets, addresses, digits, Markdown marks; words are replaced.
_KEEP = re.compile(
    r"\{[a-z_]+\}"  # a placeholder the build fills in ({reviewed})
    r"|"
    r"\]\([^)]*\)"  # a Markdown link target
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # an email address
    r"|(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}"  # a web address
)
_WORD = re.compile(r"[A-Za-z]+")

Translate = Callable[[str], str]


def pseudo(lang: str, names: Iterable[str]) -> Translate:
    """A deterministic pseudo-translation into `lang` that keeps the protected facts.

    What the guard reads as a fact (numbers with their units and day periods,
    phone numbers, addresses, names) is kept as the English writes it, which the
    guard accepts in every language; a negation becomes the language's own.
    """
    words = ALPHABETS[lang]
    glossary = Glossary(tuple(Name(name) for name in names), frozenset())
    negation = NEGATIONS[lang.split("-")[0]][0]

    def word_for(match: re.Match[str]) -> str:
        word = match.group()
        if word.casefold() in NEGATIONS["en"] or word.endswith("n't"):
            return negation
        return words[sum(map(ord, word)) % len(words)]

    def translate(text: str) -> str:
        found = extract(text, "en", glossary)
        facts = sorted(
            [(f.start, f.end) for f in (*found.ordered, *found.unordered) if f.start >= 0]
            + [(m.start, m.end) for m in found.mentions]
        )
        to_source = _visible_offsets(text)
        kept = sorted(
            [to_source(start, end) for start, end in facts]
            + [(m.start(), m.end()) for m in _KEEP.finditer(text)]
        )
        out, position = [], 0
        for start, end in kept:
            if end <= position:
                continue
            start = max(start, position)
            out.append(_WORD.sub(word_for, text[position:start]))
            out.append(text[start:end])
            position = end
        out.append(_WORD.sub(word_for, text[position:]))
        result = "".join(out)
        if lang == "zh-Hans":  # Chinese is written without spaces between words
            result = re.sub(f"(?<=[{_HAN}]) +(?=[{_HAN}])", "", result)
        return result

    return translate


def _visible_offsets(text: str) -> Callable[[int, int], tuple[int, int]]:
    """Facts are found in the visible text; map them back into the Markdown source.

    A fact's text is searched for in the Markdown from the last match on, so
    `**bold**` marks and link targets in between do not shift it.
    """
    spans, _ = parse_inline(text)
    visible = plain(spans)
    cursor = [0]

    def offsets(start: int, end: int) -> tuple[int, int]:
        if text == visible:
            return start, end
        where = text.find(visible[start:end], cursor[0])
        if where < 0:
            return start, start
        cursor[0] = where
        return where, where + (end - start)

    return offsets


def write_catalog(
    folder: Path,
    lang: str,
    translate: Translate | None = None,
    *,
    change: Callable[[polib.POEntry], None] | None = None,
) -> Path:
    """Write `folder/<lang>.po` from the sheet's template, every entry translated.

    `change(entry)` may then edit any entry (clear it, flag it fuzzy, add a marker).
    """
    template = build_template(folder)
    translate = translate or pseudo(lang, load_glossary(folder).names)
    catalog = polib.POFile(wrapwidth=0)
    catalog.metadata = dict(template.metadata, Language=lang)
    for entry in template:
        entry.msgstr = translate(entry.msgid)
        if change is not None:
            change(entry)
        catalog.append(entry)
    path = folder / f"{lang}.po"
    catalog.save(str(path))
    return path


def msgstr_line(path: Path, msgid: str) -> int:
    """The line of the msgstr of the entry whose msgid is `msgid` (as a person reads the file)."""
    catalog = polib.pofile(str(path))
    entry = catalog.find(msgid)
    assert entry is not None, msgid
    lines = path.read_text(encoding="utf-8").splitlines()
    for number in range(int(entry.linenum), len(lines) + 1):
        if lines[number - 1].startswith("msgstr"):
            return number
    raise AssertionError(msgid)


def squash(text: str) -> str:
    """Text without any whitespace: CJK lines join without spaces, Latin ones with."""
    return re.sub(r"\s+", "", text)
