"""Bidirectional text: embedding levels (UAX #9, from ICU) and the visual order of a line.

In: a paragraph's text and its direction. Out: each character's embedding level
(even: left to right, odd: right to left), and for a line's runs, the order in
which they sit from left to right.

Lines are broken in logical order (the order the text is read); each line's runs
are then split where the level changes and reordered by rule L2 of UAX #9. A
right-to-left run is shaped right to left, so HarfBuzz gives its glyphs in
visual order and mirrors its brackets; numbers, phone numbers, URLs and Latin
drug names inside an Arabic sentence keep their left-to-right order because
their level is even.

ICU (PyICU) rather than python-bidi: it is already shipped for line breaking,
and its `Bidi` gives the resolved levels of the whole paragraph directly, with
the bracket-pair rule (N0) of Unicode 6.3 and later.

A paragraph with no right-to-left character in a left-to-right edition skips all
of this (`levels` returns None): English pays one regular-expression search.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from functools import lru_cache

import icu

# Characters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, …, their
# presentation forms, and the supplementary planes' RTL blocks) and the RTL marks.
_RTL = re.compile(
    "[\u0590-\u08ff\u200f\u202b\u202e\u2067\ufb1d-\ufdff\ufe70-\ufefe"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_local = threading.local()  # an ICU Bidi object is stateful: one per thread


def has_rtl(text: str) -> bool:
    """Whether `text` holds a right-to-left character (the quick test of the LTR path)."""
    return _RTL.search(text) is not None


# A number with its separators and an optional Latin unit ("1-877-465-6636", "3–4",
# "9:30", "4 mg"): after Arabic letters UAX #9 makes its digits Arabic numbers and its
# separators neutral, so "1-877" would read "877-1"; set apart (an isolate) it keeps
# its order, as a typesetter sets a phone number in an Arabic sentence.
_NUMBER = re.compile(r"[0-9]+(?:[-\u2010\u2011\u2013/.:,][0-9]+)*(?: ?[A-Za-z]+\b)?")
# A Latin name with its trademark sign ("Susan G. Komen®"): the sign has no direction,
# so after a Latin word and before Arabic UAX #9 gives it the paragraph's level and
# prints it on the name's far side ("®Susan G. Komen"); set apart, it stays with the name.
_MARKED_NAME = re.compile(r"[A-Za-z][A-Za-z0-9.&'-]*(?:[ \u00a0][A-Za-z][A-Za-z0-9.&'-]*)*[®™℠]")
LRI, PDI = "\u2066", "\u2069"


@lru_cache(maxsize=20_000)
def levels(text: str, rtl: bool, ltr: tuple[tuple[int, int], ...] = ()) -> tuple[int, ...] | None:
    """Each character's resolved embedding level; None when every level is 0
    (left-to-right text: nothing to reorder).

    The paragraph is right to left when `rtl` and it holds a right-to-left
    character (a paragraph that is only a name, a phone number or an address reads
    left to right, though it starts at the right). The `ltr` ranges (a link's
    text: phone numbers, addresses) and every number are set apart as
    left-to-right isolates (UAX #9 LRI … PDI), so their order holds.
    """
    if not text or not has_rtl(text):
        return None
    marked, where = _isolated(text, ltr)
    bidi = getattr(_local, "bidi", None) or _new()
    utf16 = icu.UnicodeString(marked)  # ICU reads it until getLevels: kept alive here
    bidi.setPara(utf16, 1 if rtl else 0)
    found = bidi.getLevels()
    if any(ord(c) > 0xFFFF for c in marked):  # ICU counts UTF-16 units
        found = _per_char(marked, found)
    return tuple(found[i] for i in where)


def _isolated(text: str, ltr: tuple[tuple[int, int], ...]) -> tuple[str, list[int]]:
    """`text` with LRI … PDI around its left-to-right islands, and where each of its
    characters went."""
    spans = [(a, b) for a, b in ltr if not has_rtl(text[a:b])]
    taken = [False] * (len(text) + 1)
    for a, b in spans:
        taken[a:b] = [True] * (b - a)
    for found in (_MARKED_NAME, _NUMBER):
        for m in found.finditer(text):
            if not any(taken[m.start() : m.end()]):
                spans.append(m.span())
                taken[m.start() : m.end()] = [True] * (m.end() - m.start())
    starts = {a for a, _ in spans}
    ends = {b for _, b in spans}
    out: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text):
        if i in ends:
            out.append(PDI)
        if i in starts:
            out.append(LRI)
        where.append(len(out))
        out.append(char)
    if len(text) in ends:
        out.append(PDI)
    return "".join(out), where


def _new() -> icu.Bidi:
    bidi = _local.bidi = icu.Bidi()
    return bidi


def _per_char(text: str, units: Sequence[int]) -> list[int]:
    out, at = [], 0
    for char in text:
        out.append(units[at])
        at += 2 if ord(char) > 0xFFFF else 1
    return out


def visual_order(run_levels: Sequence[int]) -> list[int]:
    """The indexes of a line's runs from left to right (UAX #9 rule L2): from the
    highest level down to the lowest odd one, reverse every stretch at or above it."""
    order = list(range(len(run_levels)))
    if not run_levels:
        return order
    highest = max(run_levels)
    lowest_odd = min(run_levels) | 1  # 0 → 1, 1 → 1, 2 → 3
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if run_levels[order[i]] >= level:
                j = i
                while j < len(order) and run_levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order
