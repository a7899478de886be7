"""Tables sized by their content: measured on the laid-out page and in the PDF."""

from __future__ import annotations

import dataclasses

import pypdf
import pytest

from factsheet.content import model as m
from factsheet.errors import FitError
from factsheet.layout.engine import layout_sheet
from factsheet.layout.frames import Document, Rect, TextLine
from factsheet.layout.text import Setter, unit_width
from factsheet.layout.theme import load_theme
from factsheet.render.pdf import render_pdf

DRUGS = [
    "Pamidronate (Aredia)",
    "Zoledronic acid (Zometa)",
    "Ibandronate (Boniva)",
    "Risedronate (Actonel)",
    "Denosumab (Xgeva)",
]
ROWS = {
    "How is it given?": [
        "Through an IV",
        "Through an IV",
        "By mouth or through an IV",
        "By mouth",
        "By injection under the skin",
    ],
    "How often?": [
        "Every 3-4 weeks",
        "Every 12 weeks",
        "Every month",
        "Every week",
        "Every 4 weeks",
    ],
}


def _inline(text: str) -> m.Inline:
    return (m.Span(text),)


def _table(sheet: m.Sheet, drugs: list[str], rows: dict[str, list[str]]) -> m.Table:
    groups = (
        (
            m.ColumnGroup(_inline("Given through a vein"), 2),
            m.ColumnGroup(_inline("Taken by mouth"), len(drugs) - 3),
            m.ColumnGroup(_inline("RANKL inhibitor"), 1),
        )
        if len(drugs) >= 4
        else ()
    )
    return m.Table(
        caption=(m.Span("test table"),),
        groups=groups,
        header=m.TableRow(_inline("Drug (brand)"), tuple(_inline(d) for d in drugs)),
        rows=tuple(m.TableRow(_inline(k), tuple(_inline(c) for c in v)) for k, v in rows.items()),
        source=m.Source("test.yaml", 3, 7, "pages[1].main[4].table"),
    )


def _with_table(sheet: m.Sheet, table: m.Table) -> m.Sheet:
    """The sheet with page 2's table replaced by `table`."""
    page = sheet.pages[1]
    main = tuple(table if isinstance(b, m.Table) else b for b in page.main)
    pages = (sheet.pages[0], dataclasses.replace(page, main=main))
    return dataclasses.replace(sheet, pages=pages)


def _rules(doc: Document, rule: tuple[float, float, float]) -> list[Rect]:
    """The table's vertical rules on page 2 (thin rectangles in the rule colour)."""
    return [
        i
        for i in doc.pages[1].items
        if isinstance(i, Rect) and i.fill == rule and i.width < 2 and i.height > 2
    ]


@pytest.mark.parametrize("layout", ["letter", "a4"])
def test_five_drug_columns_keep_every_word_whole_and_inside_its_column(
    sheet: m.Sheet, layout: str
) -> None:
    theme = load_theme(layout)
    doc = layout_sheet(_with_table(sheet, _table(sheet, DRUGS, ROWS)), theme)
    rules = _rules(doc, theme.table.rule)
    edges = sorted({round(r.x + r.width / 2, 2) for r in rules})
    assert len(edges) >= len(DRUGS)  # a rule before every drug column
    low, high = min(r.y for r in rules), max(r.y + r.height for r in rules)
    cells = [c for row in ROWS.values() for c in row]
    words = {w for text in [*DRUGS, *ROWS, *cells] for w in text.split()}
    # In the laid-out page: no word of the table is wider than the room to the next rule.
    checked = 0
    for item in doc.pages[1].items:
        if not isinstance(item, TextLine) or not low <= item.y <= high:
            continue
        right = min((e for e in edges if e > item.x + 1), default=None)
        for run in item.runs:
            for word in run.text.split():
                width = unit_width(word, run.font) * run.size
                if right is not None:
                    assert item.x + width <= right + 0.01, (word, item.x, width, right)
                    checked += 1
    assert checked > 20
    # In the PDF a reader gets: every word of the table extracts whole (none cut in two).
    pdf = pypdf.PdfReader(__import__("io").BytesIO(render_pdf(doc)))
    extracted = set(pdf.pages[1].extract_text().split())
    assert words <= extracted, sorted(words - extracted)


def test_a_table_too_wide_even_at_the_floor_names_table_and_column(sheet: m.Sheet) -> None:
    # A code with digits is never hyphenated (a long plain word would be, and then fit).
    long = ["Pneumonoultramicroscopicsilicovolcanoconiosis-2026", *DRUGS[1:]]
    rows = {k: v for k, v in ROWS.items()}
    with pytest.raises(FitError) as info:
        layout_sheet(_with_table(sheet, _table(sheet, long, rows)), load_theme("letter"))
    text = str(info.value)
    assert "test.yaml:3:7: pages[1].main[4].table:" in text
    assert "column 'Pneumonoultramicroscopicsilicovolcanoconiosis-2026'" in text
    assert "even at the floor size" in text


@pytest.mark.parametrize(("columns", "rows"), [(50, 2), (200, 500)])
def test_a_table_with_too_many_columns_is_refused_at_once(
    sheet: m.Sheet, columns: int, rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    drugs = [f"Drug {i}" for i in range(columns)]
    body = {f"Row {r}": [f"cell {r}.{c}" for c in range(columns)] for r in range(rows)}
    grown = _with_table(sheet, _table(sheet, drugs, body))

    def measured(*args: object) -> None:
        raise AssertionError("text was measured before the table's size was checked")

    # Refused before a single word is measured, so at once whatever the table's size.
    monkeypatch.setattr(Setter, "tokens", measured)
    with pytest.raises(FitError) as info:
        layout_sheet(grown, load_theme("letter"))
    assert (
        f"the table has {columns} columns besides its labels; layout 'letter' allows at most 8"
        in str(info.value)
    )
