"""Language tags that name a catalog: well formed, in their canonical case, known to CLDR.

In: a tag as a person typed it (`--lang`, a catalog's file name). Out: nothing, or
an `Issue` saying what is wrong and the tag they probably meant.

The tag is the catalog's file name and the edition's /Lang, and CLDR (through
Babel) gives the edition its direction, its dates and its plural rules, so a tag
CLDR does not know (`xx`, or a country code typed for a language: `jp`, `cn`)
would build with English dates and left-to-right lines without a word. `EN` and
`pt-br` are the same languages as `en` and `pt-BR` but other file names: `EN.po`
beside `en.yaml` would be a second English.
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from factsheet.content.langspans import script_of_language
from factsheet.content.links import Issue
from factsheet.content.validate import _LANGUAGE_TAG as TAG

_EXAMPLES = "es, vi, zh-Hans, pt-BR or ko"


def canonical_case(tag: str) -> str:
    """pt-br → pt-BR, ZH-HANS → zh-Hans: the language (and variants) lower case, a script
    title case, a region upper case (BCP 47's conventions, which file names keep)."""
    first, *rest = tag.split("-")
    out = [first.lower()]
    for part in rest:
        if len(part) == 4 and part.isalpha() and len(out) == 1:
            out.append(part.title())
        elif len(part) == 2 or (len(part) == 3 and part.isdigit()):
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


@cache
def tag_issue(tag: str) -> Issue | None:
    """What is wrong with `tag` as the name of a translation, or None."""
    if not TAG.match(tag):
        hyphened = tag.replace("_", "-")  # gettext's pt_BR.po, as Weblate or Poedit name it
        hint = (
            f"BCP 47 joins with hyphens: {canonical_case(hyphened)}"
            if "_" in tag and TAG.match(hyphened)
            else f"use a BCP 47 tag such as {_EXAMPLES}"
        )
        return Issue(f"'{tag}' is not a language tag", hint)
    canonical = canonical_case(tag)
    if canonical != tag:
        hint = "a tag is written language lower case, script title case, region upper case"
        return Issue(f"'{tag}' is written '{canonical}'", f"{hint}: rename it '{canonical}'")
    try:
        Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        message = (
            f"'{tag}' is not a language CLDR knows, so its dates, plural rules and "
            "direction are unknown"
        )
        return Issue(message, _meant(tag))
    return None


def _meant(tag: str) -> str:
    """A hint: a country code typed for a language (jp → ja), else where to look tags up."""
    region = tag.split("-")[0].upper()
    spoken = get_global("territory_languages").get(region, {})
    official = [
        lang
        for lang, about in spoken.items()
        if about.get("official_status") in ("official", "de_facto_official")
    ]
    if official:
        country = Locale("en").territories.get(region, region)
        return (
            f"{region} is the country code of {country}; its language's tag is "
            f"{' or '.join(o.replace('_', '-') for o in official[:3])}"
        )
    return f"use a language tag such as {_EXAMPLES} (the IANA language subtag registry lists all)"


def same_edition(declared: str, tag: str) -> bool:
    """Whether a catalog's Language header `declared` fits its file name `tag`: the same
    language in the same script, and the file's region if it names one. Poedit writes
    fr_FR for French and zh_CN for Simplified Chinese (both fit fr.po, zh-Hans.po);
    zh_TW is Traditional Chinese, which does not fit zh-Hans.po, nor pt_PT pt-BR.po."""
    header, name = declared.replace("_", "-").lower(), tag.lower()
    if header == name:
        return True
    if header.split("-")[0] != name.split("-")[0]:
        return False
    if script_of_language(header) != script_of_language(name):
        return False
    region = _region(name)
    return not region or region == _region(header)


def _region(tag: str) -> str:
    return next((p for p in tag.split("-")[1:] if len(p) == 2 or p.isdigit()), "").upper()
