"""Helpers for tests: reading the sheet's strings and finding them in extracted text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from factsheet.content import model as m
from factsheet.layout import frames

ROOT = Path(__file__).resolve().parents[1]
SHEET_DIR = ROOT / "content" / "bone-protection"


def edit_sheet(folder: Path, change: object) -> None:
    """Apply `change(data)` to the copy's en.yaml (the data is edited in place)."""
    path = folder / "en.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def normalize(text: str) -> str:
    """Extracted text with line breaks undone: a break after a hyphen or slash
    joins the halves (the setter broke inside a word), any other is a space."""
    text = re.sub(r"(?<=\S[/\-–])\n", "", text)
    return re.sub(r"\s+", " ", text).strip()


def block_strings(block: m.Block) -> list[str]:
    """The strings a reader should find for a block, in reading order."""
    t = m.plain
    if isinstance(block, m.Heading | m.Paragraph | m.Footer | m.Disclaimer | m.Notice):
        return [t(block.text)]
    if isinstance(block, m.BulletList):
        return [t(item) for item in block.items]
    if isinstance(block, m.Callout):
        return [t(block.title)] + [s for b in block.blocks for s in block_strings(b)]
    if isinstance(block, m.Table):
        out = [t(g.label) for g in block.groups]
        for row in (block.header, *block.rows):
            out += [t(row.label)] + [t(c) for c in row.cells]
        return out
    if isinstance(block, m.ResourceList):
        out = [t(block.title)]
        for item in block.items:
            out.append(t(item.name))
            if item.description:
                out.append(t(item.description))
            out += [link.text for link in item.links]
        return out
    if isinstance(block, m.RelatedList):
        return [t(block.title)] + [t(item.title) for item in block.items]
    return []


def region_strings(page: m.Page, text: str | None = None) -> list[str]:
    """Every string of a page in reading order: main, then sidebar, then footer.

    Given the extracted `text`, a table whose header label it repeats was stacked one
    small table per drug (a layout too narrow for it, like large print), and is read so.
    """
    blocks = (*page.main, *page.sidebar, *page.footer)
    out = []
    for block in blocks:
        stacked = (
            isinstance(block, m.Table)
            and text is not None
            and _bare(text).count(_bare(m.plain(block.header.label))) > 1
        )
        out += stacked_table_strings(block) if stacked else block_strings(block)  # type: ignore[arg-type]
    return out


def _bare(text: str) -> str:
    """Text without spacing, to find words however an extractor spaced them."""
    return re.sub(r"\s+", "", normalize(text))


def stacked_table_strings(table: m.Table) -> list[str]:
    """A table set one drug at a time: its header, then each row's label and that drug's cell."""
    t = m.plain
    out = []
    for column, cell in enumerate(table.header.cells):
        out += [t(table.header.label), t(cell)]
        for row in table.rows:
            out += [t(row.label), t(row.cells[column])]
    return out


def find_in_order(haystack: str, needles: list[str]) -> list[str]:
    """Needles missing from `haystack` or found out of order (empty when all is well)."""
    problems, position = [], 0
    for needle in needles:
        found = haystack.find(normalize(needle), position)
        if found < 0:
            where = "missing" if normalize(needle) not in haystack else "out of order"
            problems.append(f"{where}: {needle[:60]!r}")
        else:
            position = found + len(normalize(needle))
    return problems


def copy_series(content: Path, target: Path, but: str) -> None:
    """The series' shared files and every sheet but `but` (English only) into `target`."""
    for name in ("glossary.yaml", "series.yaml"):
        if (content / name).is_file():
            shutil.copy2(content / name, target / name)
    for source in content.glob("*/en.yaml"):
        if source.parent.name != but:
            ignore = shutil.ignore_patterns("*.po", "*.pot")
            shutil.copytree(source.parent, target / source.parent.name, ignore=ignore)


def printed_strings(sheet_dir: Path, lang: str) -> list[str]:
    """The plain text of every string an edition prints, from its catalog: the pages, the
    band and the filled review line; not metadata (subject, keywords), the helpline's parts
    (printed inside the footer's sentence) or the clinic labels."""
    from factsheet.content.i18n import open_edition
    from factsheet.content.inline import parse_inline

    edition = open_edition(sheet_dir, lang)
    on_page = re.compile(r"^(series|title|pages\[|labels\.review)")
    strings = [s for s in edition.strings if on_page.match(s.path) and "{" not in s.text]
    return [m.plain(parse_inline(s.text)[0]) for s in strings]


def text_runs(doc: frames.Document) -> list[tuple[frames.TextLine, frames.Run]]:
    """Every text run of a laid-out document with its line, page by page in drawing order."""
    return [
        (item, run)
        for page in doc.pages
        for item in page.items
        if isinstance(item, frames.TextLine)
        for run in item.runs
    ]
