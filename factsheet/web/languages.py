"""Languages as visitors see them: names in their own language, and Accept-Language.

In: BCP 47 tags of the editions that exist (`en`, `es`, `zh-Hans`) and a
browser's Accept-Language header. Out: each language's name written in that
language ("Español", "Tiếng Việt", "中文 (简体)", "한국어"), its writing
direction, and the edition a visitor should see first.

Names come from Babel's copy of the Unicode CLDR, the well-kept source, rather
than a table of our own. Babel's `negotiate_locale` matches tags literally, so
a Taiwanese browser (`zh-TW`) would not find `zh-Hant`, nor a Brazilian one
(`pt`) find `pt-BR`; CLDR's likely-subtags data (also in Babel) fills each tag
out to language + script + region first, and the match is made on those.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from factsheet.content.direction import is_rtl

_MAX_PREFERENCES = 16  # a header longer than any browser sends is cut, not parsed in full
# Tags come from visitors' headers, so every cache here is bounded: a stream of
# made-up tags evicts old entries instead of growing the process (docs/web.md).
_CACHED_TAGS = 512


@lru_cache(maxsize=_CACHED_TAGS)
def _locale(tag: str) -> Locale | None:
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


@lru_cache(maxsize=_CACHED_TAGS)
def display_name(tag: str, in_language: str | None = None, *, menu: bool = True) -> str:
    """The language's name, capitalised as a menu item: es → "Español"; in English, "Spanish".

    In itself unless `in_language` says which language to name it in; `menu=False`
    keeps CLDR's own case, for use inside a sentence ("la traducción al español").
    """
    locale = _locale(tag)
    where = _locale(in_language) if in_language else locale
    name = locale.get_display_name(where) if locale is not None and where is not None else None
    if not name:
        return tag
    return name[:1].upper() + name[1:] if menu else name


def direction(tag: str) -> str:
    """ "rtl" for Arabic, Hebrew, Persian, Urdu…; "ltr" otherwise (HTML's dir attribute):
    the same answer the PDF's layout gets (content.direction, from CLDR)."""
    return "rtl" if is_rtl(tag) else "ltr"


def preferences(header: str | None) -> list[str]:
    """The tags of an Accept-Language header, most wanted first ("*" and q=0 dropped)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")[:_MAX_PREFERENCES]):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        if not tag or tag == "*" or len(tag) > 35:
            continue
        quality = _quality(params)
        if quality > 0:
            ranked.append((-quality, index, tag))
    return [tag for _, _, tag in sorted(ranked)]


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


@lru_cache(maxsize=_CACHED_TAGS)
def _maximal(tag: str) -> tuple[str, str, str] | None:
    """(language, script, region) with CLDR's likely subtags filled in: zh-TW → zh, Hant, TW."""
    locale = _locale(tag)
    if locale is None:
        return None
    likely = get_global("likely_subtags")
    for key in (str(locale), locale.language):
        filled = likely.get(key)
        if filled:
            full = Locale.parse(filled)
            return (
                locale.language,
                locale.script or full.script or "",
                locale.territory or full.territory or "",
            )
    return (locale.language, locale.script or "", locale.territory or "")


def negotiate(header: str | None, available: Iterable[str], default: str = "en") -> str:
    """The edition language to show first: the best match of the header, else `default`."""
    offered = list(available)
    for wanted in preferences(header):
        found = _best_match(wanted, offered)
        if found is not None:
            return found
    return default if default in offered or not offered else offered[0]


def _best_match(wanted: str, offered: list[str]) -> str | None:
    exact = [tag for tag in offered if tag.lower() == wanted.lower()]
    if exact:
        return exact[0]
    want = _maximal(wanted)
    if want is None:
        return None
    same_script = [t for t in offered if (m := _maximal(t)) is not None and m[:2] == want[:2]]
    same_region = [t for t in same_script if _maximal(t) == want]
    # es-MX finds es-MX first, else plain "es", else any Spanish in the same script.
    plain = [t for t in same_script if "-" not in t and "_" not in t]
    for group in (same_region, plain, same_script):
        if group:
            return sorted(group)[0]
    return None
