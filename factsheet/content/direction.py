"""Text that says one direction and is written in the other: refused before layout.

In: an edition's printed strings (each with the place a person fixes it) and
the language each is written in (the edition's, or a notice's own `lang`).
Out: problems, one per string, naming the file, line and key.

Two mistakes a reader would meet as scrambled lines, and nothing else does:
- **Bidi controls** (U+202A–U+202E embeddings and overrides, U+2066–U+2069
  isolates) are invisible and reorder what is printed. The engine orders
  mixed text itself (UAX #9 from the language's direction, numbers, addresses
  and names kept left to right), so none is ever needed in the content; an
  override pasted from a web page or a word processor, or planted, is refused.
  (Left-to-right and right-to-left *marks*, U+200E/U+200F/U+061C, only say
  which way a neutral character leans, and are allowed.)
- **Right-to-left letters in left-to-right text**: Arabic or Hebrew letters in
  an English sheet or a Spanish catalog are a catalog entry pasted into the
  wrong file, or a phrase a screen reader would read in the wrong voice. A
  phrase in another language is written as a `notice` with its `lang`, which
  is checked against that language instead. (The other way round is normal:
  an Arabic edition keeps names, numbers and addresses in Latin letters.)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Protocol

from babel import Locale, UnknownLocaleError

from factsheet.content import model as m
from factsheet.errors import Problem

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_RTL_CLASSES = frozenset({"R", "AL"})
_CONTROL = re.compile(f"[{''.join(sorted(BIDI_CONTROLS))}]")
# Every character of bidi class R or AL lies in these blocks (Hebrew to
# Arabic extended, RLM, the presentation forms, the historic right-to-left scripts):
# a string with none of them needs no look at each character's class.
_MAYBE_RTL = re.compile(
    "[\u0590-\u08ff\u200f\ufb1d-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]"
)


class Located(Protocol):
    """A printed string and where to fix it (content.i18n.edition.Located)."""

    @property
    def text(self) -> str: ...
    @property
    def file(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def path(self) -> str: ...


@lru_cache(maxsize=256)  # keyed by tags from content: bounded all the same
def is_rtl(language: str) -> bool:
    """Whether `language` (a BCP 47 tag) is written right to left, from CLDR: the one
    answer for the content checks and the layout's direction (layout/engine.py)."""
    try:
        return Locale.parse(language.replace("-", "_")).text_direction == "rtl"
    except (ValueError, UnknownLocaleError):
        return False


def notice_languages(sheet: m.Sheet) -> dict[str, str]:
    """Key path of each notice's text → the language it is written in."""
    found: dict[str, str] = {}
    blocks = [block for page in sheet.pages for _name, part in page.parts() for block in part]
    while blocks:
        block = blocks.pop()
        if isinstance(block, m.Notice):
            found[f"{block.source.path}.notice.text"] = block.lang
        elif isinstance(block, m.Callout):
            blocks.extend(block.blocks)
    return found


def direction_problems(
    strings: Iterable[Located], language: str, notices: dict[str, str]
) -> list[Problem]:
    """A problem for each string with a bidi control, or right-to-left letters in a
    string whose language is written left to right."""
    problems = []
    for string in strings:
        own = notices.get(string.path, language)
        problem = _controls(string) or (None if is_rtl(own) else _rtl_letters(string, own))
        if problem is not None:
            problems.append(problem)
    return problems


def _controls(string: Located) -> Problem | None:
    match = _CONTROL.search(string.text)
    if match is None:
        return None
    found = match.group()
    name = unicodedata.name(found, "")
    return Problem(
        string.file,
        string.line,
        0,
        string.path,
        f"the text contains U+{ord(found):04X} {name}, an invisible control that reorders "
        "what is printed",
        "delete it: the engine sets the direction of mixed text itself (from the language, "
        "with numbers, addresses and names kept left to right)",
    )


def _rtl_letters(string: Located, language: str) -> Problem | None:
    text = string.text
    maybe = _MAYBE_RTL.search(text)
    if maybe is None:
        return None
    rtl = (
        i
        for i, char in enumerate(text[maybe.start() :], maybe.start())
        if unicodedata.bidirectional(char) in _RTL_CLASSES
    )
    first = next(rtl, None)
    if first is None:
        return None
    sample = text[first : first + 24].strip()
    return Problem(
        string.file,
        string.line,
        0,
        string.path,
        f"right-to-left letters (\"{sample}…\") in text written in '{language}', which runs "
        "left to right",
        "a catalog entry pasted into the wrong file? A phrase in another language goes in a "
        "`notice` with its `lang` (docs/content-format.md)",
    )
