"""Drug names a sheet prints that the glossary does not protect.

A new sheet's table of drugs is exactly what the guard must check in every
translation, and exactly what nobody remembers to add to the glossary. So the
places where sheets name drugs (table cells and headers, resource names and
descriptions) are read for what looks like a drug name:

- a "generic (Brand)" pair, as the series writes them: "Alendronate (Fosamax)";
- a word ending in a stem of the WHO's international non-proprietary names
  ("-dronate", "-mab", "-tinib", "-profen"…; WHO, *The use of stems in the
  selection of INNs*). The stems are a reviewed list: the WHO publishes them as a
  document, not as data a package ships.

Each one the glossary lacks (in any form) is reported with a hint to add it.
"""

from __future__ import annotations

import re

from factsheet.content.i18n.glossary import Glossary
from factsheet.content.translatable import translatable_strings
from factsheet.content.yamlfile import Document, format_path

INN_STEMS = (
    "dronate",
    "dronic acid",
    "mab",
    "tinib",
    "ciclib",
    "parib",
    "profen",
    "coxib",
    "statin",
    "pril",
    "sartan",
    "olol",
    "azole",
    "trozole",
    "mycin",
    "cillin",
    "platin",
    "taxel",
    "rubicin",
    "strant",
    "xifene",
    "relin",
    "parin",
    "caine",
    "dipine",
    "prazole",
    "codone",
    "morphone",
    "tecan",
    "citabine",
    "uracil",
    "lukast",
    "setron",
    "tidine",
)
_PAIR = re.compile(r"\b([A-Z]?[a-z]{3,}(?: acid)?) \(([A-Z][A-Za-z]{2,})\)")
_STEM_WORD = re.compile(
    r"\b([A-Za-z]{3,}(?:" + "|".join(re.escape(s) for s in INN_STEMS) + r"))\b", re.IGNORECASE
)
_PLACES = (".table.", ".resources.")


def unlisted_drugs(doc: Document, glossary: Glossary) -> list[str]:
    """Warnings for the drug-like names of tables and resources that the glossary lacks."""
    known = {form.casefold() for entry in glossary.entries for form in _all_forms(entry)}
    warnings: list[str] = []
    seen: set[str] = set()
    for item in translatable_strings(doc):
        path = format_path(item.path)
        if not any(place in path for place in _PLACES):
            continue
        for name in _candidates(item.text, known, in_table=".table." in path):
            if name.casefold() in known or name.casefold() in seen:
                continue
            seen.add(name.casefold())
            warnings.append(
                f"{doc.file}:{item.line}: {path}: '{name}' looks like a drug name the glossary "
                "does not protect (hint: add it to content/glossary.yaml with kind generic or "
                "brand, and the brand's generic, so every translation must keep it; "
                "docs/translating.md, 'Names')"
            )
    return warnings


def _all_forms(entry: object) -> list[str]:
    name = str(getattr(entry, "name", ""))
    local = getattr(entry, "local", {}) or {}
    return [name, *(form for forms in local.values() for form in forms)]


def _candidates(text: str, known: set[str], *, in_table: bool) -> list[str]:
    """Pairs in tables (where drugs are listed as "generic (Brand)"), stem words anywhere.

    A pair with one side already listed ("RANK ligand (RANKL)") is taken as known.
    """
    found: list[str] = []
    for generic, brand in _PAIR.findall(text) if in_table else []:
        if generic.casefold() not in known and brand.casefold() not in known:
            found += [generic, brand]
    # A stem word inside a listed name of several words ("deruxtecan" in "Trastuzumab
    # deruxtecan") is that name, not a drug of its own.
    for name in (k for k in known if " " in k and k in text.casefold()):
        text = re.sub(re.escape(name), " ", text, flags=re.IGNORECASE)
    found += [match.group(1) for match in _STEM_WORD.finditer(text)]
    return list(dict.fromkeys(found))
