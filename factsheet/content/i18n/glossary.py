"""A sheet's translation glossary: content/<sheet>/glossary.yaml → `Glossary`.

The glossary names what a translation must not lose: the drug and brand names
of the number and name guard (see `guard`), and the few key paths whose English
string needs a catalog entry of its own. It is loaded like every file people
edit: the safe YAML loader, then a JSON Schema, every problem reported at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from factsheet.content.yamlfile import load_schema, load_yaml, validate_schema
from factsheet.errors import ContentError

SCHEMA_PATH = Path(__file__).parents[1] / "schemas" / "glossary.schema.json"
GLOSSARY_FILE = "glossary.yaml"


@dataclass(frozen=True)
class Glossary:
    names: tuple[str, ...]  # protected names, as the English prints them
    own_entries: frozenset[str]  # key paths ("pages[0].main[2].paragraph") with a msgctxt


EMPTY = Glossary((), frozenset())


def load_glossary(sheet_dir: Path, *, required: bool = True) -> Glossary:
    """The sheet's glossary; without the file, an error (or EMPTY when not `required`).

    A translated edition requires it: without it, drug names would go unguarded
    and nobody would notice.
    """
    path = sheet_dir / GLOSSARY_FILE
    if not path.is_file() and not required:
        return EMPTY
    doc = load_yaml(path, max_bytes=65_536)  # raises ContentError, e.g. "file not found"
    problems = validate_schema(doc, load_schema(SCHEMA_PATH), doc.file)
    if problems:
        raise ContentError(problems)
    names = [str(name) for name in doc.data["names"]]
    seen: set[str] = set()
    for index, name in enumerate(names):
        if name.casefold() in seen:
            hint = "names are matched without regard to case: keep one"
            problems.append(doc.problem(("names", index), f"'{name}' is listed twice", hint))
        seen.add(name.casefold())
    if problems:
        raise ContentError(problems)
    # Longest first, so "Susan G. Komen®" is matched before "Komen".
    ordered = tuple(sorted(names, key=lambda n: (-len(n), n.casefold())))
    return Glossary(ordered, frozenset(doc.data.get("own_entries", [])))
