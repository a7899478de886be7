"""Where a translatable string sits, in words a translator understands.

`describe(data, path)` turns a key path into the extracted comment of its
catalog entry: "page 1 · main · section 'How do our bones work?' · paragraph",
"page 2 · main · table cell (row 'How is it given?', column 2)". Translators
never see key paths in Poedit's main view, but they do see these comments.
"""

from __future__ import annotations

from typing import Any

from factsheet.content.yamlfile import KeyPath

_SHEET_FIELDS = {
    "series": "header band · series name (also in the PDF title)",
    "title": "header band · sheet title (printed in capitals; also in the PDF title)",
    "subject": "PDF document properties · subject (not printed)",
    "label": "publisher · helpline name",
    "display": "publisher · helpline number as printed (letters are keypad letters)",
    "hours": "publisher · helpline opening hours",
}
_REGIONS = {"main": "main", "sidebar": "sidebar", "footer": "footer"}


def describe(data: Any, path: KeyPath) -> str:
    """The place of the string at `path` in `data` (a sheet's YAML data), in words."""
    if path[0] == "keywords":
        return f"PDF document properties · keyword {int(path[1]) + 1} (not printed)"
    if path[0] != "pages":
        return _SHEET_FIELDS.get(str(path[-1]), ".".join(map(str, path)))
    page, region, index = int(path[1]), str(path[2]), int(path[3])
    blocks = data["pages"][page][region]
    parts = [f"page {page + 1}", _REGIONS.get(region, region)]
    section = _section(blocks, index)
    if section:
        parts.append(f"section '{section}'")
    parts += _block(blocks[index], path[4:])
    return " · ".join(parts)


def _section(blocks: list[Any], index: int) -> str:
    """The nearest heading above block `index` of a region (not the block itself)."""
    for block in reversed(blocks[:index]):
        if isinstance(block, dict) and "heading" in block:
            heading = block["heading"]
            return str(heading.get("text", "") if isinstance(heading, dict) else heading)
    return ""


def _block(block: dict[str, Any], rest: KeyPath) -> list[str]:
    kind = str(rest[0])
    value = block[kind]
    if kind == "callout" and rest[1] == "blocks":
        inner = value["blocks"]
        return [f"box '{value['title']}'", *_block(inner[int(rest[2])], rest[3:])]
    describe_kind = _KINDS.get(kind)
    return [describe_kind(value, rest[1:]) if describe_kind else kind]


def _heading(value: Any, rest: KeyPath) -> str:
    return "heading"


def _paragraph(value: Any, rest: KeyPath) -> str:
    return "paragraph"


def _bullets(value: Any, rest: KeyPath) -> str:
    return f"bullet list item {int(rest[0]) + 1}"


def _checklist(value: Any, rest: KeyPath) -> str:
    return f"checklist item {int(rest[0]) + 1} (a question or task the reader ticks)"


def _notice(value: Any, rest: KeyPath) -> str:
    return f"notice for speakers of '{value.get('lang', '?')}' (see docs/translating.md)"


def _callout(value: Any, rest: KeyPath) -> str:
    return "box title"


def _table(value: Any, rest: KeyPath) -> str:
    where = rest[0]
    if where == "caption":
        return "table summary for screen readers (not printed)"
    if where == "groups":
        return f"table column group {int(rest[1]) + 1} (coloured row above the headers)"
    if where == "header":
        if rest[1] == "label":
            return "table corner header (above the row headers)"
        return f"table column header {int(rest[2]) + 1}"
    row = value["rows"][int(rest[1])]
    if rest[2] == "label":
        return f"table row header {int(rest[1]) + 1}"
    return f"table cell (row '{row.get('label', '')}', column {int(rest[3]) + 1})"


def _resources(value: Any, rest: KeyPath) -> str:
    if rest[0] == "title":
        return "resource box title"
    item = value["items"][int(rest[1])]
    field = {"name": "name", "description": "description"}.get(str(rest[2]))
    what = field or f"{rest[2]} link text"
    return f"resource '{item.get('name', '')}' · {what}"


def _related(value: Any, rest: KeyPath) -> str:
    if rest[0] == "title":
        return "related resources box title"
    return f"related resource {int(rest[1]) + 1} (title of another fact sheet)"


def _image(value: Any, rest: KeyPath) -> str:
    return "picture description for screen readers (alt text, not printed)"


def _footer(value: Any, rest: KeyPath) -> str:
    return "helpline paragraph"


def _disclaimer(value: Any, rest: KeyPath) -> str:
    return "disclaimer (small print)"


_KINDS = {
    "heading": _heading,
    "paragraph": _paragraph,
    "bullets": _bullets,
    "checklist": _checklist,
    "notice": _notice,
    "callout": _callout,
    "table": _table,
    "resources": _resources,
    "related": _related,
    "image": _image,
    "footer": _footer,
    "disclaimer": _disclaimer,
}
