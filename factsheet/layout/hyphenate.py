"""Hyphenation: where a word too long for its line or cell may be cut.

In: one break unit (a word, perhaps with punctuation) and its language. Out:
the places where it may be cut, each of which shows a hyphen.

The setter calls this only for a word wider than the whole line; the table
layout calls `min_unit` (layout/text.py) which uses it to size columns by the
narrowest width their words can take. Dictionaries are pyphen's (Hunspell's
hyph_*.dic, LGPL/MPL), the ones LibreOffice uses, so a language with one gets
the breaks its typographers expect; a language without one is never cut.

Never hyphenated: anything with a digit (doses, dates, phone numbers), links
(the setter passes no linked text here), e-mail addresses and URLs.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

import pyphen

_WORD = re.compile(r"[^\W\d_]+")  # runs of letters
_NOT_WORDS = re.compile(r"\d|@|://|^www\.", re.IGNORECASE)
# Fewer than this many letters either side of a cut reads badly ("a-", "-ly").
LEFT, RIGHT = 2, 3


@lru_cache(maxsize=64)
def _dictionary(lang: str) -> pyphen.Pyphen | None:
    found = pyphen.language_fallback(lang.replace("-", "_"))
    return pyphen.Pyphen(lang=found, left=LEFT, right=RIGHT) if found else None


@lru_cache(maxsize=20_000)
def cut_points(text: str, lang: str) -> tuple[int, ...]:
    """Offsets in `text` where it may be cut with a hyphen; () when it may not be."""
    dictionary = _dictionary(lang)
    if dictionary is None or _NOT_WORDS.search(text):
        return ()
    points: list[int] = []
    for word in _WORD.finditer(text):
        points.extend(word.start() + p for p in dictionary.positions(word.group()))
    return tuple(points)


def fragments(text: str, lang: str) -> tuple[str, ...]:
    """`text` cut at every point `cut_points` allows (the narrowest setting)."""
    points = cut_points(text, lang)
    bounds = (0, *points, len(text))
    return tuple(text[a:b] for a, b in itertools.pairwise(bounds))


_ADDRESS = re.compile(r"^\S*(://|@|www\.)\S*$|^\S+\.(org|com|net|gov|edu)\S*$", re.IGNORECASE)


def looks_like_address(text: str) -> bool:
    """A URL or an e-mail address (linked or not): never hyphenated."""
    return bool(_ADDRESS.match(text))


def address_points(text: str) -> tuple[int, ...]:
    """Where a URL or e-mail address too long for its line may break, with no hyphen:
    before a dot or @, after a slash (as style guides break addresses)."""
    points = set()
    for i, char in enumerate(text):
        if char in ".@" and i > 0:
            points.add(i)
        elif char == "/" and i + 1 < len(text) and text[i + 1] != "/":
            points.add(i + 1)
    return tuple(sorted(p for p in points if 0 < p < len(text)))
