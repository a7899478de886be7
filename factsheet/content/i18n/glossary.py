"""The translation glossary: content/glossary.yaml (+ content/<sheet>/glossary.yaml) → `Glossary`.

The glossary names what a translation must not lose: the drug and brand names
of the guard (see `guard`), and the few key paths whose English string needs a
catalog entry of its own. One series glossary beside the sheet folders serves
every sheet, so a new sheet is protected from its first translation; a sheet
may add names of its own in its folder. Each name has a kind:

- `generic` (an INN), with the local forms patients know per language
  ("ibuprofeno", "布洛芬"), which the guard accepts as the same drug;
- `brand`, with the generic it belongs to, so the guard can check that a
  translation keeps each brand beside its own generic;
- `other`: kept as printed (the publisher, a group readers search for).

Both files are loaded like every file people edit: the safe YAML loader, then
a JSON Schema, then the rules a schema cannot express, every problem at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factsheet.content.yamlfile import Document, load_schema, load_yaml, validate_schema
from factsheet.errors import ContentError, Problem

SCHEMA_PATH = Path(__file__).parents[1] / "schemas" / "glossary.schema.json"
GLOSSARY_FILE = "glossary.yaml"
KINDS = ("generic", "brand", "other")
_MAX_BYTES = 262_144
_HINT_FORMAT = "see docs/translating.md, 'Names', for the glossary's format"


@dataclass(frozen=True)
class Name:
    """One protected name, as the English prints it."""

    name: str
    kind: str = "other"  # generic | brand | other
    generic: str = ""  # for a brand: the generic it belongs to
    local: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def forms(self, lang: str) -> tuple[str, ...]:
        """The forms accepted in `lang`: the English one and the reviewed local ones.

        A regional tag falls back to its language ("es-MX" uses the "es" forms).
        """
        local = self.local.get(lang) or self.local.get(lang.split("-")[0], ())
        return (self.name, *local)


@dataclass(frozen=True)
class Glossary:
    entries: tuple[Name, ...]  # longest name first, so "Susan G. Komen®" wins over "Komen"
    own_entries: frozenset[str]  # key paths ("pages[0].main[2].paragraph") with a msgctxt
    files: tuple[str, ...] = ()  # the files it was read from, as shown in messages

    @property
    def names(self) -> tuple[str, ...]:
        """Every protected name as the English prints it, longest first."""
        return tuple(entry.name for entry in self.entries)

    def entry(self, name: str) -> Name | None:
        folded = name.casefold()
        return next((e for e in self.entries if e.name.casefold() == folded), None)

    def forms(self, lang: str) -> tuple[tuple[str, Name], ...]:
        """(form, name) for every accepted form in `lang`, longest form first."""
        pairs = [(form, entry) for entry in self.entries for form in entry.forms(lang)]
        return tuple(sorted(pairs, key=lambda pair: (-len(pair[0]), pair[0].casefold())))


EMPTY = Glossary((), frozenset())


def series_glossary_path(sheet_dir: Path) -> Path:
    """The series glossary: `glossary.yaml` in the folder that holds the sheet folders."""
    return sheet_dir.resolve().parent / GLOSSARY_FILE


def load_glossary(sheet_dir: Path, *, required: bool = True) -> Glossary:
    """The series glossary plus the sheet's additions.

    A translated edition requires one of them: without it, drug names would go
    unguarded and nobody would notice. Without either, an error with a hint (or
    EMPTY when not `required`, for the template).
    """
    paths = [p for p in (series_glossary_path(sheet_dir), sheet_dir / GLOSSARY_FILE) if p.is_file()]
    if not paths:
        if not required:
            return EMPTY
        message = "no glossary: the guard would not know which drug names to protect"
        hint = (
            f"create {series_glossary_path(sheet_dir)} (the series' names; copy the shipped "
            f"content/glossary.yaml) or {sheet_dir / GLOSSARY_FILE} (this sheet's); " + _HINT_FORMAT
        )
        raise ContentError([Problem(str(sheet_dir / GLOSSARY_FILE), 0, 0, "", message, hint)])
    docs = [_load(path) for path in paths]
    return _merge(docs)


def _load(path: Path) -> Document:
    doc = load_yaml(path, max_bytes=_MAX_BYTES)  # raises ContentError, e.g. "file not found"
    problems = validate_schema(doc, load_schema(SCHEMA_PATH), doc.file)
    if problems:
        raise ContentError(problems)
    return doc


def _merge(docs: list[Document]) -> Glossary:
    """One glossary from the series file and the sheet's, checked as a whole."""
    problems: list[Problem] = []
    entries: list[Name] = []
    where: dict[str, tuple[Document, int]] = {}
    own: set[str] = set()
    for doc in docs:
        own.update(doc.data.get("own_entries", []) or [])
        for index, raw in enumerate(doc.data.get("names", []) or []):
            entry = _entry(raw)
            folded = entry.name.casefold()
            if folded in where:
                first = where[folded][0].file
                hint = f"names are matched without regard to case: keep one (first in {first})"
                problems.append(
                    doc.problem(("names", index), f"'{entry.name}' is listed twice", hint)
                )
                continue
            where[folded] = (doc, index)
            entries.append(entry)
    problems += _pairing_problems(entries, where)
    problems += _form_problems(entries, where)
    if problems:
        raise ContentError(problems)
    ordered = tuple(sorted(entries, key=lambda e: (-len(e.name), e.name.casefold())))
    return Glossary(ordered, frozenset(own), tuple(doc.file for doc in docs))


def _entry(raw: Any) -> Name:
    if isinstance(raw, str):
        return Name(raw)
    local = {
        str(lang): tuple(str(f) for f in forms) for lang, forms in (raw.get("local") or {}).items()
    }
    return Name(str(raw["name"]), str(raw["kind"]), str(raw.get("generic", "")), local)


def _pairing_problems(entries: list[Name], where: dict[str, tuple[Document, int]]) -> list[Problem]:
    """A brand names a listed generic; only a brand names one."""
    kinds = {e.name.casefold(): e.kind for e in entries}
    problems = []
    for entry in entries:
        doc, index = where[entry.name.casefold()]
        path = ("names", index)
        if entry.kind == "brand" and kinds.get(entry.generic.casefold()) != "generic":
            message = (
                f"the brand '{entry.name}' belongs to '{entry.generic}', "
                "which is not listed as a generic"
                if entry.generic
                else f"the brand '{entry.name}' does not say which generic it belongs to"
            )
            hint = "add `generic: <its generic name>` and list that generic with `kind: generic`"
            problems.append(doc.problem(path, message, hint))
        elif entry.kind != "brand" and entry.generic:
            message = f"'{entry.name}' is a {entry.kind} name, so it has no generic"
            problems.append(doc.problem(path, message, "give `generic:` to brands only"))
    return problems


def _form_problems(entries: list[Name], where: dict[str, tuple[Document, int]]) -> list[Problem]:
    """A form stands for one name only in its language, or the guard could not tell which."""
    problems = []
    english = {e.name.casefold(): e.name for e in entries}
    taken: dict[tuple[str, str], str] = {}  # (lang, folded form) → the name it stands for
    for entry in entries:
        doc, index = where[entry.name.casefold()]
        for lang, forms in entry.local.items():
            for number, form in enumerate(forms):
                folded = form.casefold()
                other = taken.get((lang, folded)) or english.get(folded)
                taken.setdefault((lang, folded), entry.name)
                if other is None:
                    continue
                message = (
                    f"the {lang} form '{form}' repeats the name itself"
                    if other == entry.name
                    else f"the {lang} form '{form}' already stands for '{other}'"
                )
                hint = "a local form must name one drug only, once: remove it"
                problems.append(doc.problem(("names", index, "local", lang, number), message, hint))
    return problems
