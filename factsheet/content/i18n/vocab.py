"""The words of one language that make a number a fact: units, times of day, number words.

All from maintained data, per language, built once:
- unit names (weeks, mg, percent…) from CLDR's unit patterns, as Babel ships
  them ("{0} semanas", "{0}주", "{0} أسابيع", and Arabic's dual "أسبوعان" = 2 weeks);
- day periods (a.m., p.m., 上午, 오후, sáng, tối…) from CLDR's day periods;
- the hour marker of a clock time ("时" in "ah时", "시" in "a h시") from CLDR's
  datetime skeletons, plus the language's own word for hours;
- decimal and group separators from CLDR's number symbols;
- numbers written as words from num2words (CLDR has spell-out rules, but Babel
  does not expose them), and Han numerals from the Unicode character database;
- what no maintained data has, from the reviewed tables in `words/`: counters of
  times ("veces", "번", "बार", "مرات") read as the unit "times", words that are a
  count ("twice", "مرتين"), and number words num2words lacks (Hindi, Korean's
  native numerals, Arabic's feminine forms).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from factsheet.content.i18n import words as tables

# CLDR unit keys the guard reads → the name a message shows.
UNITS = {
    "duration-minute": "minutes",
    "duration-hour": "hours",
    "duration-day": "days",
    "duration-week": "weeks",
    "duration-month": "months",
    "duration-year": "years",
    "mass-microgram": "µg",
    "mass-milligram": "mg",
    "mass-gram": "g",
    "mass-kilogram": "kg",
    "volume-milliliter": "mL",
    "volume-liter": "L",
    "concentr-percent": "%",
    "length-centimeter": "cm",
}
TIMES = "times"  # the unit of a count of times: "twice" is 2 times
# ISO 15924 script of a language (CLDR likely subtags) → the script names of the Unicode
# confusables data (confusable_homoglyphs' aliases) that a word of that language may use.
_SCRIPT_ALIASES = {
    "Latn": {"LATIN"},
    "Arab": {"ARABIC"},
    "Deva": {"DEVANAGARI"},
    "Hans": {"HAN"},
    "Hant": {"HAN"},
    "Kore": {"HANGUL", "HAN"},
    "Jpan": {"HIRAGANA", "KATAKANA", "HAN"},
    "Cyrl": {"CYRILLIC"},
    "Grek": {"GREEK"},
    "Hebr": {"HEBREW"},
    "Thai": {"THAI"},
}
_NUMBER_WORDS_UP_TO = 100


@dataclass(frozen=True)
class Vocabulary:
    lang: str
    units: tuple[tuple[str, str], ...]  # (form, unit name), longest first
    bare_units: tuple[tuple[str, int, str], ...]  # (form, value, unit): Arabic "أسبوعان"
    periods: tuple[tuple[str, str], ...]  # (normalised form, CLDR period id), longest first
    hour_markers: tuple[str, ...]  # words between a number and its day period ("giờ")
    decimal: str
    group: str
    words: tuple[tuple[str, int], ...]  # number words, longest first
    scripts: frozenset[str]  # confusables-data script names this language writes in
    # CLDR periods said before the hour: "오후 7시", "下午7点", Hindi's "सुबह 9 बजे"
    periods_first: frozenset[str] = frozenset()
    # words that are a count of times by themselves: (form, count, words one of which
    # must follow it, or () for none): "twice", "once a month", "مرتين"
    counts: tuple[tuple[str, int, tuple[str, ...]], ...] = ()
    # written before a count's number or after its counter, it makes an ordinal (第二次)
    ordinal_before: tuple[str, ...] = ()
    ordinal_after: tuple[str, ...] = ()


def _locale(lang: str) -> Locale | None:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


@functools.cache
def vocabulary(lang: str) -> Vocabulary:
    """The vocabulary of `lang` (a BCP 47 tag); a language CLDR lacks gets English's units."""
    locale = _locale(lang) or Locale.parse("en")
    units, bare = _units(locale)
    english_units, _ = _units(Locale.parse("en"))
    # English unit names and day periods are read in every language too: a translation
    # may keep "mg" or "9 AM" as the source writes them.
    units = _longest_first({*units, *english_units, *_counters(lang), *_counters("en")})
    symbols = locale.number_symbols.get("latn", {})
    return Vocabulary(
        lang=lang,
        units=units,
        bare_units=bare,
        periods=_longest_first({*_periods(locale), *_periods(Locale.parse("en"))}),
        hour_markers=_hour_markers(locale, units),
        decimal=str(symbols.get("decimal", ".")),
        group=str(symbols.get("group", ",")),
        words=_number_words(lang),
        scripts=frozenset(_scripts(locale)),
        periods_first=_periods_first(locale),
        counts=_counts(lang),
        ordinal_before=_ordinals(lang, "before"),
        ordinal_after=_ordinals(lang, "after"),
    )


def _ordinals(lang: str, side: str) -> tuple[str, ...]:
    ordinals = (tables.table("frequencies").get("ordinals") or {}).get(lang.split("-")[0], {})
    return tuple(str(word) for word in ordinals.get(side, ()))


def _periods_first(locale: Locale) -> frozenset[str]:
    """The day periods said before the hour, from CLDR's clock patterns: a.m./p.m. from
    the hour's ("ah时", "a h시"), the others from the hour with a flexible period ("B h":
    Hindi's "सुबह 9 बजे" = 9 in the morning, though its a.m. goes after: "9 am")."""
    first: set[str] = set()
    for skeleton, letter in (("h", "a"), ("Bh", "B")):
        pattern = re.sub(r"'[^']*'", "", str(locale.datetime_skeletons.get(skeleton, "")))
        period, hour = pattern.find(letter), pattern.find("h")
        if 0 <= period < hour:
            ids = {str(p) for c in locale.day_periods.values() for w in c.values() for p in w}
            first |= {p for p in ids if (p in ("am", "pm")) == (letter == "a")}
    return frozenset(first)


def _counters(lang: str) -> set[tuple[str, str]]:
    """ "veces", "번", "बार": a number before one of them counts times (words/frequencies)."""
    counters = (tables.table("frequencies").get("counters") or {}).get(lang.split("-")[0], [])
    return {(str(form), TIMES) for form in counters}


def _counts(lang: str) -> tuple[tuple[str, int, tuple[str, ...]], ...]:
    found = []
    for code in dict.fromkeys(("en", lang.split("-")[0])):
        for entry in (tables.table("frequencies").get("words") or {}).get(code, []):
            after = tuple(str(w) for w in entry.get("next", ()))
            found.append((str(entry["word"]), int(entry["count"]), after))
    return tuple(sorted(found, key=lambda c: (-len(c[0]), c[0])))


def _longest_first(pairs: set[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(pairs, key=lambda pair: (-len(pair[0]), pair)))


def _units(locale: Locale) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, int, str], ...]]:
    patterns = locale._data.get("unit_patterns", {})
    forms: set[tuple[str, str]] = set()
    bare: set[tuple[str, int, str]] = set()
    for key, name in UNITS.items():
        for length in ("long", "short", "narrow"):
            for count, pattern in dict(patterns.get(key, {}).get(length, {})).items():
                if count == "per" or not isinstance(pattern, str):
                    continue
                if "{0}" in pattern:
                    form = pattern.split("{0}", 1)[1].strip()
                    # one Latin letter ("a" for años) would read "1 a 2" as one year
                    if form and not (len(form) == 1 and form.isascii() and form.isalpha()):
                        forms.add((form, name))
                elif count == "two":  # the dual: "أسبوعان" is "two weeks" in one word
                    bare.add((pattern.strip(), 2, name))
    return _longest_first(forms), tuple(sorted(bare, key=lambda b: (-len(b[0]), b)))


def normalise_period(text: str) -> str:
    """ "a. m.", "a.m." and "AM" are one form: no dots or spaces, case folded."""
    return re.sub(r"[.\s\u00a0\u202f]", "", text).casefold()


def _periods(locale: Locale) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for context in ("format", "stand-alone"):
        for width in ("abbreviated", "wide"):  # narrow ("a", "p") would read "9 a 7" as 9 a.m.
            for period, text in dict(locale.day_periods.get(context, {}).get(width, {})).items():
                form = normalise_period(str(text))
                if len(form) >= 1:
                    found.add((form, str(period)))
    return found


def _hour_markers(locale: Locale, units: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """ "时" of zh's "ah时", "시" of ko's "a h시", and the language's hour unit ("giờ")."""
    markers = {form for form, name in units if name == "hours"}
    skeleton = str(locale.datetime_skeletons.get("h", ""))
    literal = re.sub(r"'[^']*'|[aBbhHkKm\s]", "", skeleton).strip()
    if literal:
        markers.add(literal)
    return tuple(sorted(markers, key=lambda m: (-len(m), m)))


@functools.cache
def _number_words(lang: str) -> tuple[tuple[str, int], ...]:
    """Number words of `lang` (and English's) from num2words, 0 to 100, and words/numbers.yaml."""
    try:
        from num2words import num2words
    except ImportError:  # pragma: no cover - a declared dependency
        return ()
    words: dict[str, int] = {}
    for code in dict.fromkeys(("en", lang.split("-")[0])):
        for value in range(_NUMBER_WORDS_UP_TO + 1):
            try:
                word = str(num2words(value, lang=code))
            except (NotImplementedError, KeyError, ValueError, TypeError, AttributeError):
                break
            words.setdefault(word.casefold(), value)
            if code == "es" and word.endswith("uno"):  # "una semana": the feminine form
                words.setdefault(word[:-3].casefold() + "una", value)
    for word, value in (tables.for_language("numbers", lang) or {}).items():
        words.setdefault(str(word).casefold(), int(value))
    return tuple(sorted(words.items(), key=lambda w: (-len(w[0]), w[0])))


def han_number(text: str) -> int | None:
    """The value of Han numerals ("十二" = 12, "两" = 2, "二十" = 20), or None."""
    total, current = 0, 0
    for char in text:
        value = 2 if char == "两" else unicodedata.numeric(char, -1)
        if value < 0:
            return None
        if value >= 10:  # a multiplier: 十, 百
            total += int((current or 1) * value)
            current = 0
        else:
            current = int(value)
    return total + current


def _scripts(locale: Locale) -> set[str]:
    script = locale.script
    if script is None:
        likely = get_global("likely_subtags").get(locale.language, "")
        parts = str(likely).split("_")
        script = parts[1] if len(parts) > 1 else "Latn"
    return {"LATIN", *_SCRIPT_ALIASES.get(script, set())}
