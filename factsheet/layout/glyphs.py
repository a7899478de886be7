"""Before anything is drawn: every character has a glyph in the font that will draw it.

In: the edition's printed strings (each with the place a person fixes it) and
the layout's `FontSet`. Out: nothing, or a ContentError naming the file and
entry, the string and each missing character as U+XXXX with its Unicode name.

A PDF viewer shows a missing glyph as an empty box or as nothing at all, and a
reader cannot tell that a word is missing. The check asks the same question
the setter asks when it sets the text (`FontSet.font_for`), for every face the
text might be set in, so it cannot pass a character the page would lose.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import icu

from factsheet.content.i18n.edition import Located
from factsheet.content.inline import parse_inline
from factsheet.content.model import plain
from factsheet.errors import ContentError, Problem
from factsheet.layout.text import FACES, FontSet, covered_chars

_NOT_DRAWN = ("Cc", "Cf", "Zs", "Zl", "Zp")  # controls, format characters, spaces


def check_glyphs(strings: Iterable[Located], fonts: FontSet, layout: str) -> None:
    """Raise ContentError if any character of `strings` lacks a glyph in its font.

    One message per script, not per character: "Arabic script: no font of layout
    'letter' has it; 86 entries use it, the first here". A script that only one
    entry uses keeps the precise form: the character, its name and its context.
    Symbols, emoji and marks belong to no one script (Unicode's Common and
    Inherited): each missing one is its own message, so a sheet with ✓ and → gets
    both at once rather than one per run.
    """
    strings = list(strings)
    printed = [_printed(string) for string in strings]
    verdicts = {char: _missing(char, fonts) for char in set().union(*printed)}
    if not any(verdicts.values()):
        return  # nearly every edition: each distinct character looked up once, all print
    found: dict[tuple[str, str], list[tuple[Located, str, str]]] = {}  # (script, why) → uses
    for string, text in zip(strings, printed, strict=True):
        for char in dict.fromkeys(text):
            if verdicts[char]:
                uses = found.setdefault((_group(char), verdicts[char]), [])
                if not uses or uses[-1][0] is not string:
                    uses.append((string, text, char))
    problems = [_grouped(script, why, uses, layout) for (script, why), uses in found.items()]
    if problems:
        raise ContentError(problems)


_NO_SCRIPT = ("Common", "Inherited", "Unknown")  # symbols, emoji, combining marks


def _group(char: str) -> str:
    """What one message covers: a script ("Hebrew"), or a symbol of no script on its own."""
    script = script_name(char)
    return char if script in _NO_SCRIPT else script


def script_name(char: str) -> str:
    """The Unicode script of `char` ("Arabic", "Devanagari", "Latin"), from ICU."""
    return str(icu.Script.getScript(char).getName()).replace("_", " ")


def _grouped(script: str, why: str, uses: list[tuple[Located, str, str]], layout: str) -> Problem:
    string, text, char = uses[0]
    if len(uses) == 1:
        return _problem(string, text, char, why, layout)
    first = f"{string.file}:{string.line}" if string.line else string.file
    name = unicodedata.name(char, "unnamed character")
    what = f"{script} script" if script != char else f'U+{ord(char):04X} {name} ("{char}")'
    example = f" (U+{ord(char):04X} {name} …)" if script != char else ""
    message = f"{what}: {why}{example}; {len(uses)} entries use it, first at {first}"
    hint = (
        "set this language in a layout whose fonts cover its script, or add a font for it "
        "to the layout's fonts: (docs/translating.md, Fonts and scripts)"
    )
    return Problem(string.file, string.line, 0, string.path, message, hint)


def _printed(string: Located) -> str:
    """What the page shows of a string: the text without Markdown (and the title in capitals)."""
    text = plain(parse_inline(string.text)[0])
    return f"{text} {text.upper()}" if string.path == "title" else text


def _missing(char: str, fonts: FontSet) -> str:
    """Why `char` would not print ("" if it would): no font at all, or a face lacks it."""
    if unicodedata.category(char) in _NOT_DRAWN:
        return ""
    if fonts.font_for(char, "regular") is None:
        return "no font of the layout has it"
    for face in FACES:
        font = fonts.font_for(char, face) or fonts.primary(face)
        if ord(char) not in covered_chars(font):
            return f"the {face.replace('_', ' ')} face ({font}) lacks it"
    return ""


def _problem(string: Located, text: str, char: str, reason: str, layout: str) -> Problem:
    name = unicodedata.name(char, "unnamed character")
    at = text.find(char)
    context = text[max(at - 12, 0) : at + 13]
    message = f'no glyph for U+{ord(char):04X} {name} ("{char}") in "…{context}…": {reason}'
    hint = (
        f"write it with characters the fonts of layout '{layout}' have, or add a font that "
        "covers it to the layout's fonts: (docs/translating.md, Fonts)"
    )
    return Problem(string.file, string.line, 0, string.path, message, hint)
