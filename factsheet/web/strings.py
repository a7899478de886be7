"""The website's own words (labels, buttons, messages) in every language it has a catalog for.

In: gettext catalogs `locale/<lang>.po` beside this file, extracted from the
templates and the Python code by Babel (`make site-strings`, babel.cfg) into
`locale/site.pot`. Out: a `gettext.NullTranslations` per language for Jinja2's
i18n extension and for the few strings built in Python (form messages).

Adding a language to the site is adding its catalog: `site_languages()` lists
what is in the folder. Catalogs are read with Babel and compiled in memory
(no .mo files to keep in step); a language without a catalog gets English.
Entries that are fuzzy or empty are left out, so English shows rather than a
guess. The cache is bounded by the number of catalogs, not by requests.
"""

from __future__ import annotations

import gettext
import io
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).with_name("locale")
SOURCE = "en"


@lru_cache(maxsize=1)
def site_languages() -> tuple[str, ...]:
    """English and every language with a catalog, as BCP 47 tags (`zh-Hans`)."""
    return (SOURCE, *sorted(p.stem for p in LOCALE_DIR.glob("*.po")))


def page_language(wanted: str) -> str:
    """The language a page about an edition in `wanted` is written in: its own, or English."""
    return wanted if wanted in site_languages() else SOURCE


@lru_cache(maxsize=64)  # at most one entry per catalog: callers pass page_language() results
def translations(lang: str) -> gettext.NullTranslations:
    if lang == SOURCE or lang not in site_languages():
        return gettext.NullTranslations()
    with (LOCALE_DIR / f"{lang}.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang.replace("-", "_"))
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer)


def gettext_for(lang: str) -> gettext.NullTranslations:
    return translations(page_language(lang))
