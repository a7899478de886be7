"""The facts of one string, as a patient would act on them.

`extract(text, lang, glossary)` reads a string of inline Markdown and returns:
- the numbers in their order, each with its unit when one follows it
  ("3-4 weeks" is 3 weeks, 4 weeks; "1 to 2 days" is 1 day, 2 days), numbers
  written as words when a unit follows them ("cuatro semanas"), digits of any
  script ("١٢", "१२", "１２" are 12), times of day as a 24-hour time ("7 p.m.",
  "오후 7시", "19:00" are 19:00);
- phone numbers with their keypad letters ("1-877 GO KOMEN"), link targets,
  web and email addresses;
- the glossary's names, in any form accepted for the language, and which
  generic each brand is written with;
- negation words (a "not" added beside a dose reverses it);
- characters that change what a reader sees without being seen: bidi controls,
  invisible and format characters, and letters of another script that look
  like Latin ones (Unicode's confusables data), with where they are.

The words come from `vocab` (CLDR through Babel, num2words) and, where no
maintained data has them, from the reviewed tables in `words/` (negations and the
restrictions said with one, counters of times, clitics); no list of one
language's words is written here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from factsheet.content.i18n import words
from factsheet.content.i18n.glossary import Glossary, Name
from factsheet.content.i18n.vocab import TIMES, Vocabulary, han_number, vocabulary
from factsheet.content.inline import parse_inline
from factsheet.content.model import Span, plain

# Letters and digits of the Latin script: a name or address must not run into them.
# (Not \w: a name inside Chinese text is not preceded by a space.)
LATIN = r"0-9A-Za-z\u00c0-\u024f\u1e00-\u1eff"
_LATIN_CHAR = re.compile(f"[{LATIN}]")
_EMAIL = re.compile(rf"(?<![{LATIN}@.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# A web address in plain text ends in a top-level domain people print on handouts; without
# the list, abbreviations such as "p.ej." or "a.m." would read as addresses.
_TLDS = (
    "com|org|net|gov|edu|info|int|io|us|uk|ca|au|nz|ie|eu|de|fr|es|it|mx|ar|br|cl|co|pe|"
    "cn|hk|tw|jp|kr|vn|ph|in"
)
_WEB = re.compile(
    rf"(?<![{LATIN}@./-])(?:https?://)?(?:[A-Za-z0-9-]+\.)+(?:{_TLDS})(?![{LATIN}-])"
    r"(?:/[^\s)\]]*[^\s)\].,;:!?])?",
    re.IGNORECASE,
)
# A phone number: a digit group, then at least two more groups of digits or keypad letters
# ("1-877 GO KOMEN", "+1-877-465-6636", "(800) 555-0100").
_GROUP = r"(?:\(?\d{2,5}\)?|[A-Z]{2,8})"
_PHONE = re.compile(rf"(?<![\w+])\+?\(?\d{{1,4}}\)?(?:[ \u00a0.\-–]{_GROUP}){{2,}}(?![\w])")
_NUMBER = re.compile(r"\d+(?:[.,\u066b\u066c]\d+)*")
_CLOCK = re.compile(r"(\d{1,2})[:\uff1a](\d{2})(?!\d)")
# Between the two ends of a range, or two numbers sharing the unit after them: a dash,
# a tilde, a short connecting word ("to", "a", "đến", "至", "إلى", "से", "or").
_SHARED_UNIT_GAP = re.compile(r"^\s*(?:[-–—~～〜至到]|\S{1,4})\s*$")
_HAN_NUMERALS = re.compile(r"[〇零一二两三四五六七八九十百]+")
# Words that reverse a statement, per language (words/negations.yaml: no maintained data
# lists them), and the restrictions said with one ("لا … إلا" = only: words/restrictions.yaml).
NEGATIONS: dict[str, tuple[str, ...]] = {
    lang: tuple(str(w) for w in found) for lang, found in words.table("negations").items()
}
_UNSPACED = {"zh", "ko", "ja"}  # negation particles attach to words: found anywhere
# Scripts written without spaces between words, or with particles joined to them: a
# name or unit there may touch the next letter ("4주마다", "布洛芬片").
_JOINED_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI", "LAO", "KHMER", "MYANMAR")
# Bidi embeddings, overrides and isolates reorder what a reader sees: refused anywhere.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class Fact:
    """One number, time, phone number or address, as written and as compared."""

    kind: str  # "number", "time", "phone number", "link target", "web address", "email address"
    key: str  # what is compared: "4 weeks", "19:00", "1877GOKOMEN", "https://…"
    shown: str  # as the string writes it: "4 semanas", "오후 7시"
    start: int = -1  # in the visible text; -1 for a link target
    end: int = -1

    def describe(self) -> str:
        """ "4 meses" (4 months): the words as written and, if different, what they mean."""
        if self.kind == "phone number" or self.shown.casefold() == self.key.casefold():
            return f'"{self.shown}"'
        return f'"{self.shown}" ({self.key})'


@dataclass(frozen=True)
class Mention:
    """A protected name found in a string, in whichever accepted form it is written."""

    start: int
    end: int
    form: str  # as written
    entry: Name


@dataclass(frozen=True)
class Hidden:
    """A character a reader does not see as what it is."""

    char: str
    index: int
    reason: str  # "a bidi control", "an invisible format character", "looks like 'o'"

    def describe(self) -> str:
        name = unicodedata.name(self.char, "unnamed")
        return f"U+{ord(self.char):04X} {name} ({self.reason})"


@dataclass(frozen=True)
class Facts:
    """Everything the guard compares in one string."""

    ordered: tuple[Fact, ...]  # numbers and times, in reading order
    unordered: tuple[Fact, ...]  # phone numbers and addresses
    mentions: tuple[Mention, ...]
    negations: tuple[str, ...]
    hidden: tuple[Hidden, ...]
    text: str  # the visible text and link targets, casefolded, to look for a marker's value
    visible: str = ""  # the visible text as written (full-width forms folded)
    spans: tuple[tuple[int, int], ...] = field(default=())  # where facts and names are

    @property
    def names(self) -> frozenset[str]:
        return frozenset(m.entry.name for m in self.mentions)

    @property
    def pairs(self) -> dict[str, str]:
        return pairings(list(self.mentions))


def extract(text: str, lang: str, glossary: Glossary) -> Facts:
    """The facts of one string of inline Markdown written in `lang`."""
    spans_, _ = parse_inline(text)
    raw = plain(spans_)
    visible = _normalise(raw)
    vocab = vocabulary(lang)
    links = tuple(
        Fact("link target", str(span.href), str(span.href)) for span in _link_spans(spans_)
    )
    unordered, masked = _addresses(visible)
    ordered = _numbers(masked, vocab)
    found = mentions(visible, glossary.forms(lang), lang)
    spans = tuple(
        sorted(
            [(f.start, f.end) for f in (*unordered, *ordered)] + [(m.start, m.end) for m in found]
        )
    )
    hidden = _hidden(visible, vocab, spans)
    searchable = " ".join([visible, *(link.key for link in links)])
    return Facts(
        ordered=ordered,
        unordered=(*links, *unordered),
        mentions=tuple(found),
        negations=_negations(visible, lang) if (ordered or unordered or found) else (),
        hidden=hidden,
        text=searchable.casefold(),
        visible=visible,
        spans=spans,
    )


def _normalise(text: str) -> str:
    """NFKC per character, keeping positions: full-width "１２" reads as "12".

    Only a character whose compatibility form is one character is replaced, so
    every index still points at the same character of the string as written.
    """
    out = []
    for char in text:
        folded = unicodedata.normalize("NFKC", char)
        out.append(folded if len(folded) == 1 else char)
    return "".join(out)


def _link_spans(spans: Iterable[Span]) -> list[Span]:
    """One entry per link (a link split into styled spans is still one link)."""
    links, last = [], None
    for span in spans:
        if span.href and span.href != last:
            links.append(span)
        last = span.href
    return links


def _addresses(visible: str) -> tuple[tuple[Fact, ...], str]:
    """Emails, web addresses and phone numbers, and the text with them blanked out."""
    found: list[Fact] = []
    masked = visible
    for kind, pattern in (
        ("email address", _EMAIL),
        ("web address", _WEB),
        ("phone number", _PHONE),
    ):
        for match in pattern.finditer(masked):
            value = match.group()
            key = re.sub(r"[^0-9A-Za-z+]", "", value).upper() if kind == "phone number" else value
            found.append(
                Fact(
                    kind,
                    key.lower() if kind != "phone number" else key,
                    value,
                    match.start(),
                    match.end(),
                )
            )
        masked = pattern.sub(lambda m: " " * len(m.group()), masked)
    return tuple(sorted(found, key=lambda f: f.start)), masked


# --- numbers ------------------------------------------------------------------------------


@dataclass
class _Number:
    value: Decimal
    start: int
    end: int
    unit: str = ""
    unit_end: int = -1
    time: str = ""  # "19:00" when a day period or a clock makes it a time of day
    lead: int = -1  # where a day period written before the hour starts ("오후 7시")


def _numbers(text: str, vocab: Vocabulary) -> tuple[Fact, ...]:
    numbers = _clock_times(text) + _digit_numbers(text, vocab)
    numbers += _word_numbers(text, vocab, numbers)
    numbers.sort(key=lambda n: n.start)
    for number in numbers:  # a day period first: "9 giờ sáng" is a time, not 9 hours
        if not number.time:
            _attach_period(text, number, vocab)
        if not number.time and not number.unit:
            _attach_unit(text, number, vocab)
    _share_units(text, numbers)
    numbers += _bare_units(text, vocab, numbers)
    numbers += _counts(text, vocab, numbers)
    numbers = [n for n in numbers if not (n.unit == TIMES and _no_count(text, n, vocab))]
    numbers.sort(key=lambda n: n.start)
    return tuple(_as_fact(text, n) for n in numbers)


def _clock_times(text: str) -> list[_Number]:
    found = []
    for match in _CLOCK.finditer(text):
        hour, minute = int(_ascii(match[1])), int(_ascii(match[2]))
        if hour < 24 and minute < 60:
            number = _Number(Decimal(hour), match.start(), match.end())
            number.time = f"{hour:02d}:{minute:02d}"
            found.append(number)
    return found


def _ascii(digits: str) -> str:
    return "".join(str(unicodedata.decimal(c)) if c.isdigit() else c for c in digits)


def _digit_numbers(text: str, vocab: Vocabulary) -> list[_Number]:
    found: list[_Number] = []
    taken = _CLOCK.sub(lambda m: " " * len(m.group()), text)
    for match in _NUMBER.finditer(taken):
        for value, start, end in _split_number(match.group(), match.start(), vocab):
            found.append(_Number(value, start, end))
    return found


def _split_number(token: str, offset: int, vocab: Vocabulary) -> list[tuple[Decimal, int, int]]:
    """A digit run with separators read with the language's symbols ("1,5" is 1.5 in es).

    A separator that is neither the decimal nor a thousands group separates two numbers.
    """
    separators = {vocab.decimal: ".", vocab.group: ""}
    if vocab.decimal in ",٫":
        separators["٫"] = "."
    parts = re.split(r"([.,\u066b\u066c])", token)
    out: list[tuple[Decimal, int, int]] = []
    current, start, position = "", offset, offset
    for index, part in enumerate(parts):
        if index % 2 == 0:
            current += _ascii(part)
        else:
            following = parts[index + 1] if index + 1 < len(parts) else ""
            meaning = separators.get(part)
            if meaning == "" and len(following) == 3:
                pass  # a thousands separator
            elif meaning == "." and "." not in current:
                current += "."
            else:
                out.append((_decimal(current), start, position))
                current, start = "", position + len(part)
        position += len(part)
    out.append((_decimal(current), start, offset + len(token)))
    return out


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text).normalize()
    except InvalidOperation:  # pragma: no cover - the pattern gives digits only
        return Decimal(0)


def _word_numbers(text: str, vocab: Vocabulary, taken: list[_Number]) -> list[_Number]:
    """Numbers written as words count when a unit follows them ("cuatro semanas", "四周")."""
    found: list[_Number] = []
    candidates: list[tuple[int, int, int]] = []
    folded = text.casefold()
    for word, value in vocab.words:
        start = folded.find(word)
        while start >= 0:
            end = start + len(word)
            if _whole_word(text, start, end):
                candidates.append((start, end, value))
            start = folded.find(word, end)
    for match in _HAN_NUMERALS.finditer(text):
        han = han_number(match.group())
        if han is not None:
            candidates.append((match.start(), match.end(), han))
    used = [(n.start, n.end) for n in taken]
    for start, end, value in sorted(candidates, key=lambda c: (c[0], -(c[1] - c[0]))):
        if any(start < e and s < end for s, e in used):
            continue
        number = _Number(Decimal(value), start, end)
        _attach_unit(text, number, vocab)
        if number.unit:
            found.append(number)
            used.append((start, end))
    return found


def _whole_word(text: str, start: int, end: int, clitics: tuple[str, ...] = ()) -> bool:
    """Not part of a longer word: no Latin letter or digit touches a Latin end, and no
    letter or mark of a spaced script touches an end in that script ("أ", a week's
    abbreviation, is not the first letter of "أدوية"), but for `clitics` written
    joined before it ("و", "بال")."""
    if _LATIN_CHAR.match(text[start]) and start > 0 and _LATIN_CHAR.match(text[start - 1]):
        return False
    if _LATIN_CHAR.match(text[end - 1]) and end < len(text) and _LATIN_CHAR.match(text[end]):
        return False
    if end < len(text) and _joined(text[end - 1], text[end]):
        return False
    if start > 0 and _joined(text[start - 1], text[start]):
        word_start = start
        while word_start > 0 and _joined(text[word_start - 1], text[start]):
            word_start -= 1
        return text[word_start:start] in clitics
    return True


def _joined(before: str, after: str) -> bool:
    """Two characters of one word in a script that separates words with spaces."""
    if _LATIN_CHAR.match(before) or _LATIN_CHAR.match(after):
        return False  # Latin's own rule above (a digit may touch a Latin unit: "3次")
    if not all(unicodedata.category(c)[0] in "LM" for c in (before, after)):
        return False
    return not any(s in unicodedata.name(c, "") for c in (before, after) for s in _JOINED_SCRIPTS)


def _form_at(text: str, position: int, forms: tuple[str, ...]) -> int:
    """The end of the first of `forms` written at `position` (after spaces), or -1."""
    index = position
    while index < len(text) and text[index] in " \u00a0\u202f":
        index += 1
    folded = text[index : index + 40].casefold()
    for form in forms:
        if folded.startswith(form.casefold()) and _whole_word(text, index, index + len(form)):
            return index + len(form)
    return -1


def _attach_unit(text: str, number: _Number, vocab: Vocabulary) -> None:
    for form, unit in vocab.units:
        end = _form_at(text, number.end, (form,))
        if end >= 0:
            number.unit, number.unit_end = unit, end
            return


_SHORT_WORD = re.compile(r"\s*[^\W\d]{1,5}")


def _attach_period(text: str, number: _Number, vocab: Vocabulary) -> None:
    """A day period after ("9 a.m.", "9 giờ sáng") or before ("上午9点", "오전 9시").

    One short word may stand between the hour and its period: the hour word of
    the language ("giờ", "时"), which CLDR does not list on its own.
    """
    after = [number.end]
    marker_end = _form_at(text, number.end, vocab.hour_markers)
    word = _SHORT_WORD.match(text, number.end)
    after += [end for end in (marker_end, word.end() if word else -1) if end > number.end]
    for start in after:
        period, end = _period_after(text, start, vocab)
        if period:
            number.time, number.unit, number.unit_end = _clock(number.value, period), "", end
            return
    period, lead = _period_before(text, number.start, vocab)
    if period:
        number.time, number.unit, number.lead = _clock(number.value, period), "", lead


def _period_after(text: str, position: int, vocab: Vocabulary) -> tuple[str, int]:
    window = text[position : position + 24]
    squeezed, index_map = [], []
    for index, char in enumerate(window):
        if char not in ". \u00a0\u202f":
            squeezed.append(char.casefold())
            index_map.append(index)
    joined = "".join(squeezed)
    for form, period in vocab.periods:
        if joined.startswith(form):
            end = position + index_map[len(form) - 1] + 1
            if _ends_word(text, end):
                return period, end
    return "", -1


def _ends_word(text: str, end: int) -> bool:
    """`text[:end]` ends a word: "م" is p.m. in "٧ م" but not in "٧ مرات" (7 times).

    Han text has no spaces between words, so there any end is a word's end.
    """
    if end >= len(text) or not text[end].isalpha():
        return True
    return "CJK" in unicodedata.name(text[end - 1], "")


def _period_before(text: str, position: int, vocab: Vocabulary) -> tuple[str, int]:
    """A period written before the hour, where the language's clock puts it (上午, 오후, सुबह)."""
    if not vocab.periods_first:
        return "", -1
    first = max(0, position - 12)
    window = text[first:position].rstrip(" \u00a0")
    for form, period in vocab.periods:
        if period not in vocab.periods_first:
            continue
        if window.casefold().endswith(form) and not _LATIN_CHAR.match(form[-1:] or " "):
            return period, first + len(window) - len(form)
    return "", -1


def _clock(value: Decimal, period: str) -> str:
    """The 24-hour time of an hour said with a CLDR day period ("7", "pm" → "19:00")."""
    hour = int(value) % 24
    if period == "midnight":
        hour = 0
    elif period == "noon":
        hour = 12
    elif period == "am" or period.startswith("morning"):
        hour %= 12
    elif period == "pm" or period.startswith(("afternoon", "evening")):
        hour = hour % 12 + 12
    elif period.startswith("night"):
        hour = hour % 12 + 12 if 6 <= hour < 12 else hour % 12
    return f"{hour:02d}:00"


def _share_units(text: str, numbers: list[_Number]) -> None:
    """ "3-4 weeks", "1 to 2 days", "9 a 7 p. m.": the first number takes the second's unit."""
    for first, second in zip(reversed(numbers[:-1]), reversed(numbers[1:]), strict=True):
        if first.unit or first.time or not (second.unit or second.time):
            continue
        gap = text[first.end : second.start]
        if _SHARED_UNIT_GAP.match(gap) and not any(c.isdigit() for c in gap):
            if second.unit:
                first.unit, first.unit_end = second.unit, second.unit_end  # shown: "3-4 weeks"
            elif second.time and _is_hour(first.value):
                first.time, first.unit_end = _same_half(first.value, second.time), second.end


def _is_hour(value: Decimal) -> bool:
    return value == value.to_integral_value() and 0 < value <= 12


def _same_half(value: Decimal, other: str) -> str:
    """ "9-11 a.m.": the first hour is in the same half of the day as the second."""
    hour = int(value) % 12 + (12 if int(other[:2]) >= 12 else 0)
    return f"{hour:02d}:00"


def _listed_words(
    text: str,
    numbers: list[_Number],
    forms: Iterable[tuple[str, int, str, tuple[str, ...]]],
    accept: Callable[[int, int, tuple[str, ...]], bool],
) -> list[_Number]:
    """Each occurrence of a (form, value, unit, context) word that no number already
    covers and `accept(start, end, context)` takes, as a number of that unit."""
    found: list[_Number] = []
    folded = text.casefold()
    used = [(n.start, n.unit_end if n.unit_end > 0 else n.end) for n in numbers]
    for form, value, unit, context in forms:
        start = folded.find(form.casefold())
        while start >= 0:
            end = start + len(form)
            if not any(start < e and s < end for s, e in used) and accept(start, end, context):
                found.append(_Number(Decimal(value), start, end, unit, end))
                used.append((start, end))
            start = folded.find(form.casefold(), end)
    return found


def _bare_units(text: str, vocab: Vocabulary, numbers: list[_Number]) -> list[_Number]:
    """A unit word that is its own number: Arabic's dual "أسبوعان" is two weeks."""
    forms = [(form, value, unit, ()) for form, value, unit in vocab.bare_units]
    return _listed_words(text, numbers, forms, lambda _start, _end, _context: True)


def _counts(text: str, vocab: Vocabulary, numbers: list[_Number]) -> list[_Number]:
    """A word that is a count of times ("twice", "مرتين"; "once" before "a", "every"…)."""

    def accept(start: int, end: int, after: tuple[str, ...]) -> bool:
        followed = not after or _form_at(text, end, after) > 0
        return followed and _whole_word(text, start, end)

    forms = [(form, value, TIMES, after) for form, value, after in vocab.counts]
    return _listed_words(text, numbers, forms, accept)


def _no_count(text: str, number: _Number, vocab: Vocabulary) -> bool:
    """Once (the count every schedule has unless it says otherwise: "每4周一次" is "every
    4 weeks"), or an ordinal ("第二次" the second time, "두 번째"), is not a count."""
    if number.value == 1:
        return True
    before = text[: number.start].rstrip()
    after = text[number.unit_end : number.unit_end + 4]
    return before.endswith(vocab.ordinal_before) or after.startswith(vocab.ordinal_after)


def _as_fact(text: str, number: _Number) -> Fact:
    if number.time:
        start = number.lead if number.lead >= 0 else number.start
        end = max(number.end, number.unit_end)
        return Fact("time", number.time, text[start:end].strip(), start, end)
    value = format(number.value, "f")
    end = number.unit_end if number.unit and number.unit_end > 0 else number.end
    key = f"{value} {number.unit}" if number.unit else value
    return Fact("number", key, text[number.start : end].strip(), number.start, end)


# --- names ---------------------------------------------------------------------------------


def mentions(text: str, forms: tuple[tuple[str, Name], ...], lang: str = "en") -> list[Mention]:
    """Every glossary name in `text`, in order, whole words, ignoring case.

    A whole word in its script: letters of a spaced script joined before or after
    it make another word ("ديكسإيبوبروفين" is not "إيبوبروفين"), except the clitics
    the language writes joined to a word ("والإيبوبروفين": words/clitics.yaml).

    Longest forms are matched first and a matched stretch is not matched again,
    so "Susan G. Komen®" is one name, not two, and "帕米膦酸二钠" is not also
    read as "帕米膦酸".
    """
    folded = text.casefold()
    found: list[Mention] = []
    clitics = tuple(str(c) for c in words.for_language("clitics", lang) or ())
    for form, entry in forms:
        if form.casefold() not in folded:  # a cheap test first: most names are absent
            continue
        for match in name_pattern(form).finditer(text):
            if any(match.start() < m.end and m.start < match.end() for m in found):
                continue
            if not _whole_word(text, match.start(), match.end(), clitics):
                continue
            found.append(Mention(match.start(), match.end(), match.group(), entry))
    return sorted(found, key=lambda mention: mention.start)


_NAME_PATTERNS: dict[str, re.Pattern[str]] = {}


def name_pattern(name: str) -> re.Pattern[str]:
    pattern = _NAME_PATTERNS.get(name)
    if pattern is None:
        pattern = re.compile(rf"(?<![{LATIN}]){re.escape(name)}(?![{LATIN}])", re.IGNORECASE)
        _NAME_PATTERNS[name] = pattern
    return pattern


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


# --- negation and hidden characters --------------------------------------------------------


def _negations(text: str, lang: str) -> tuple[str, ...]:
    base = lang.split("-")[0]
    negations = NEGATIONS.get(base, ())
    if base in _UNSPACED:
        return tuple(word for word in negations for _ in range(text.count(word)))
    found: list[str] = []
    for sentence in _SENTENCE_END.split(text.casefold()):
        # words end at spaces and punctuation (not at \W: Devanagari vowel signs are not \w)
        tokens = [t.replace("’", "'") for t in re.findall(r"[^\s.,;:!?()\[\]\"“”«»،؛।]+", sentence)]
        here = [token for token in tokens if token in negations]
        here += ["n't" for token in tokens if token.endswith("n't") and token not in negations]
        found += [word for word in here if not _restricts(word, tokens, base)]
    return tuple(found)


_SENTENCE_END = re.compile(r"[.!?;؛؟।]")


def _restricts(negation: str, tokens: list[str], lang: str) -> bool:
    """The negation opens a restriction in its sentence ("لا … إلا", "no … más que"): it
    says "only", not "not" (words/restrictions.yaml)."""
    joined = f" {' '.join(tokens)} "
    for construction in words.for_language("restrictions", lang) or ():
        if negation in construction["negations"] and any(
            f" {exception} " in joined for exception in construction["exceptions"]
        ):
            return True
    return False


def _hidden(text: str, vocab: Vocabulary, spans: tuple[tuple[int, int], ...]) -> tuple[Hidden, ...]:
    """Bidi controls anywhere; invisible characters and look-alike letters in or by a fact."""
    found = []
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if char in BIDI_CONTROLS:
            found.append(Hidden(char, index, "a bidi control: it reorders what is shown"))
        elif category in ("Cf", "Cc", "Co", "Cn") and _touches(index, spans):
            found.append(Hidden(char, index, "an invisible character"))
    found += _lookalikes(text, vocab)
    return tuple(sorted(found, key=lambda h: h.index))


def _touches(index: int, spans: tuple[tuple[int, int], ...]) -> bool:
    return any(start - 1 <= index <= end for start, end in spans)


def _lookalikes(text: str, vocab: Vocabulary) -> list[Hidden]:
    """Letters of a script the language does not use, inside a word with Latin letters or digits.

    "Zоmeta" with a Cyrillic "о" is not the drug a pharmacist will find; the
    confusables data (Unicode's confusables.txt) says what it imitates.
    """
    from confusable_homoglyphs import categories, confusables

    found = []
    for match in re.finditer(r"\w+", text):
        word = match.group()
        if not any(c.isascii() and c.isalnum() for c in word):
            continue
        for offset, char in enumerate(word):
            if char.isascii() or not char.isalpha():
                continue
            alias = categories.alias(char)
            if alias in vocab.scripts or alias in ("COMMON", "INHERITED"):
                continue
            like = confusables.is_confusable(char, greedy=True, preferred_aliases=["latin"])
            if like:
                looks = like[0]["homoglyphs"][0]["c"]
                reason = f"a {alias.title()} letter that looks like '{looks}'"
                found.append(Hidden(char, match.start() + offset, reason))
    return found
