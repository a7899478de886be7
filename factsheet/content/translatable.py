"""Which strings in a sheet a translator translates: the one definition everybody uses.

The loader applies its `translate` hook to exactly these strings, and the i18n
extractor lists exactly these for a catalog, so the two can never disagree.
Translatable means human-readable text. Ids, language tags, URLs, email
addresses, phone numbers, image paths, dates and numbers are not.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from factsheet.content.yamlfile import Document, KeyPath

# Key-path shapes, with `int` standing for any list index.
_SHEET_FIELDS: frozenset[tuple[Any, ...]] = frozenset(
    {
        ("series",),
        ("title",),
        ("subject",),
        ("keywords", int),
        ("publisher", "helpline", "label"),
        ("publisher", "helpline", "display"),
        ("publisher", "helpline", "hours"),
        ("labels", "clinic"),
        ("labels", "logo"),
        ("labels", "review"),
    }
)
# Shapes inside one block, starting at its kind key.
_BLOCK_FIELDS: frozenset[tuple[Any, ...]] = frozenset(
    {
        ("heading",),
        ("heading", "text"),
        ("paragraph",),
        ("bullets", int),
        ("checklist", int),
        ("notice", "text"),
        ("callout", "title"),
        ("table", "caption"),
        ("table", "groups", int, "label"),
        ("table", "header", "label"),
        ("table", "header", "cells", int),
        ("table", "rows", int, "label"),
        ("table", "rows", int, "cells", int),
        ("resources", "title"),
        ("resources", "items", int, "name"),
        ("resources", "items", int, "description"),
        ("resources", "items", int, "web", "text"),
        ("resources", "items", int, "email", "text"),
        ("resources", "items", int, "phone", "text"),
        ("related", "title"),
        ("related", "items", int, "title"),
        ("image", "alt"),
        ("footer",),
        ("disclaimer",),
    }
)


class TranslatableString(NamedTuple):
    """One string a translator sees, with where it sits in the source file."""

    path: KeyPath
    text: str
    line: int


def _shape(path: KeyPath) -> tuple[Any, ...]:
    return tuple(int if isinstance(part, int) else part for part in path)


def _inside_block(path: KeyPath) -> KeyPath | None:
    """The part of `path` after its innermost block, or None outside the pages' blocks."""
    head = _shape(path[:4])
    if len(path) < 5 or head[0:2] != ("pages", int) or head[3] is not int:
        return None
    if not isinstance(path[2], str):  # any content part: main, sidebar, footer, a layout's own
        return None
    rest = path[4:]
    while len(rest) >= 4 and rest[:2] == ("callout", "blocks") and isinstance(rest[2], int):
        rest = rest[3:]
    return rest


def is_translatable(path: KeyPath) -> bool:
    """Whether the string at `path` is text a translator should translate."""
    if _shape(path) in _SHEET_FIELDS:
        return True
    rest = _inside_block(path)
    return rest is not None and _shape(rest) in _BLOCK_FIELDS


def translatable_strings(doc: Document) -> list[TranslatableString]:
    """Every translatable string in `doc`, in the order it is written."""
    return [
        TranslatableString(path, text, doc.where(path)[0])
        for path, text in _strings(doc.data, ())
        if is_translatable(path)
    ]


def _strings(value: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))
