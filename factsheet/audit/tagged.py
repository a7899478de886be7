"""Words joined across a line end, read from the tagged content itself.

Software that reads the structure tree (screen readers, reflow, "save as text")
gets an element's text by joining its marked-content sequences. ISO 32000-1
14.8.2.5 asks that the spaces between words be in the content even where a line
breaks; if the space at a line end is dropped, the tree reads "calledbone".
PDFium cannot show this (it infers spaces from glyph positions), so this check
reads the content streams as `text` decodes them: the fonts' ToUnicode maps for
glyph codes, ActualText where a span gives it (the hyphen at a soft break is an
empty ActualText, so "osteo-|necrosis" is one word, as it should be).

A pair of lines of the same block (paragraph, list body, cell…) is joined when
neither the end of the first nor the start of the next is a space, the first
does not end in a hyphen or slash (where a line may break inside a word), and
the script separates words with spaces (Chinese and Japanese do not).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pikepdf

from factsheet.audit.parenttree import number_tree
from factsheet.audit.report import Finding
from factsheet.audit.text import TEXT_OPS, decoders, shown_glyphs, shown_text

INLINE = frozenset({"/Link", "/Span", "/Quote", "/Code", "/Reference", "/Note", "/Annot"})
BREAKS_INSIDE_WORDS = frozenset("-–‐/\u00ad")  # a line may end inside a word after these


@dataclass
class _Piece:
    block: Any  # the structure element the text belongs to (the block, not a link in it)
    y: float  # baseline
    text: str
    broken: bool = False  # ends with a hyphen drawn inside a word (ActualText ""): it goes on


def check_word_separators(pdf: pikepdf.Pdf) -> list[Finding]:
    """A finding for every line end where two words of one element run together."""
    blocks = _blocks_by_mcid(pdf)
    findings = []
    for index, page in enumerate(pdf.pages):
        pieces = _page_pieces(page, blocks.get(index, {}))
        for before, after in itertools.pairwise(pieces):
            new_line = before.block == after.block and abs(before.y - after.y) > 0.5
            if new_line and not before.broken and _joined(before.text, after.text):
                findings.append(
                    Finding(
                        "word-separators",
                        f"page {index + 1}",
                        f'no space between "…{before.text[-20:]}" and "{after.text[:20]}…" '
                        "at a line end: the tagged text joins the two words",
                    )
                )
    return findings


def _joined(before: str, after: str) -> bool:
    if not before or not after:
        return False
    last, first = before[-1], after[0]
    if last.isspace() or first.isspace() or last in BREAKS_INSIDE_WORDS:
        return False
    return not (_unspaced(last) or _unspaced(first))


def _unspaced(char: str) -> bool:
    """Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer…)."""
    code = ord(char)
    return (
        0x2E80 <= code <= 0x30FF
        or 0x3400 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFE30 <= code <= 0xFE4F
        or 0xFF00 <= code <= 0xFFEF
        or 0x0E00 <= code <= 0x0EFF
        or 0x1780 <= code <= 0x17FF
        or code >= 0x20000
    )


def _blocks_by_mcid(pdf: pikepdf.Pdf) -> dict[int, dict[int, Any]]:
    """page index → MCID → the block element (nearest non-inline ancestor) it belongs to."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None or "/ParentTree" not in root:
        return {}
    nums = number_tree(root.ParentTree)
    out: dict[int, dict[int, Any]] = {}
    for index, page in enumerate(pdf.pages):
        key = page.obj.get("/StructParents")
        parents = nums.get(int(key)) if key is not None else None
        if not isinstance(parents, pikepdf.Array):
            continue
        out[index] = {mcid: _block(elem) for mcid, elem in enumerate(parents)}
    return out


def _block(elem: Any) -> Any:
    while isinstance(elem, pikepdf.Dictionary) and elem.get("/S") in INLINE and "/P" in elem:
        elem = elem.P
    if not isinstance(elem, pikepdf.Dictionary) or "/ActualText" in elem:
        return None  # an element that says its own text (the H1 over the band's capitals)
    return elem.objgen


def _page_pieces(page: pikepdf.Page, blocks: dict[int, Any]) -> list[_Piece]:
    """The text of each tagged text object on the page, in content order."""
    fonts = decoders(page.obj.get("/Resources"))
    pieces: list[_Piece] = []
    marks: list[tuple[int | None, str | None]] = []  # (MCID, ActualText) per open BDC/BMC
    font = None
    y = 0.0
    pending: str | None = None  # an ActualText not yet placed on its line
    backwards: list[str] | None = None  # glyphs inside /ReversedChars (right-to-left text)
    for instruction in pikepdf.parse_content_stream(page):
        if not isinstance(instruction, pikepdf.ContentStreamInstruction):
            continue  # an inline image
        operands, op = instruction.operands, str(instruction.operator)
        if op == "BMC" and operands and str(operands[0]) == "/ReversedChars":
            backwards = []
        elif op == "EMC" and backwards is not None:
            _append(pieces, blocks, marks, y, "".join(reversed(backwards)))
            backwards = None
        elif op in ("BDC", "BMC"):
            marks.append(_mark(op, operands))
            if marks[-1][1] is not None:
                pending = marks[-1][1]  # said where its glyphs are drawn (their line)
        elif op == "EMC" and marks:
            if marks.pop()[1] is not None:
                pending = None
        elif op == "Tf":
            font = fonts.get(str(operands[0]))
        elif op == "Tm":
            y = float(operands[5])
        elif op in ("Td", "TD"):
            y += float(operands[1])
        elif op in TEXT_OPS and pending is not None:
            _append(pieces, blocks, marks, y, pending)
            if marks and marks[-1][1] == "" and pieces and abs(pieces[-1].y - y) <= 0.5:
                # Glyphs said as nothing: the hyphen drawn where a word is broken (soft or
                # dictionary hyphen). The word goes on at the next line, so no space is due.
                pieces[-1].broken = True
            pending = ""  # the span's other glyphs are already said
        elif op in TEXT_OPS and backwards is not None:
            backwards += shown_glyphs(operands, font, gaps=False)
        elif op in TEXT_OPS and not any(actual is not None for _, actual in marks):
            _append(pieces, blocks, marks, y, shown_text(operands, font))
    return pieces


def _mark(op: str, operands: Any) -> tuple[int | None, str | None]:
    props = operands[1] if op == "BDC" and len(operands) > 1 else None
    if not isinstance(props, pikepdf.Dictionary):
        return None, None
    mcid = int(props.MCID) if "/MCID" in props else None
    actual = str(props.ActualText) if "/ActualText" in props else None
    return mcid, actual


def _append(
    pieces: list[_Piece],
    blocks: dict[int, Any],
    marks: list[tuple[int | None, str | None]],
    y: float,
    text: str,
) -> None:
    mcid = next((m for m, _ in reversed(marks) if m is not None), None)
    block = blocks.get(mcid) if mcid is not None else None
    if block is None:
        return  # an artifact, untagged text, or an element with its own ActualText
    if pieces and pieces[-1].block == block and abs(pieces[-1].y - y) <= 0.5:
        pieces[-1].text += text
    else:
        pieces.append(_Piece(block, y, text))
