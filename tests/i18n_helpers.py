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

from factsheet.content.i18n.glossary import load_glossary
from factsheet.content.i18n.template import build_template

# Words the pseudo-translations are made of, per language.
ALPHABETS = {
    "es": ["hueso", "cáncer", "mama", "dolor", "también", "tratamiento", "médico", "señal"],
    "vi": ["xương", "ung thư", "vú", "đau", "thuốc", "điều trị", "bác sĩ", "tiếng"],
    "zh-Hans": ["骨", "转移", "乳腺癌", "治疗", "药物", "疼痛", "医生", "钙"],
    "ko": ["뼈", "전이", "유방암", "치료", "약물", "통증", "의사", "칼슘"],
}
_HAN = "\u4e00-\u9fff"
# Kept as written: link targets, addresses, digits, Markdown marks; words are replaced.
_KEEP = re.compile(
    r"\]\([^)]*\)"  # a Markdown link target
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # an email address
    r"|(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}"  # a web address
)
_WORD = re.compile(r"[A-Za-z]+")

Translate = Callable[[str], str]


def pseudo(lang: str, names: Iterable[str]) -> Translate:
    """A deterministic pseudo-translation into `lang` that keeps the protected values."""
    words = ALPHABETS[lang]
    protected = sorted(names, key=len, reverse=True)
    name_pattern = "|".join(re.escape(name) for name in protected)
    keep = re.compile(f"{_KEEP.pattern}|(?i:{name_pattern})")

    def word_for(match: re.Match[str]) -> str:
        word = match.group()
        return words[sum(map(ord, word)) % len(words)]

    def translate(text: str) -> str:
        out, position = [], 0
        for kept in keep.finditer(text):
            out.append(_WORD.sub(word_for, text[position : kept.start()]))
            out.append(kept.group())
            position = kept.end()
        out.append(_WORD.sub(word_for, text[position:]))
        result = "".join(out)
        if lang == "zh-Hans":  # Chinese is written without spaces between words
            result = re.sub(f"(?<=[{_HAN}]) +(?=[{_HAN}])", "", result)
        return result

    return translate


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
