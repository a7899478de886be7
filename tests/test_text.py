"""The text engine as a reader sees it: where lines break, what extracts, what the tags say."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pytest

from factsheet.audit import audit_pdf
from factsheet.audit.tagged import check_word_separators
from factsheet.errors import FitError
from factsheet.publish.build import build_edition
from tests.conftest import CATALOGUE, EditionKey, edition_id
from tests.helpers import edit_sheet

NBSP, NNBSP, SHY = "\u00a0", "\u202f", "\u00ad"
PARTIAL = re.compile(r"\bzo(ri(pla(ne)?)?)?-")  # the made-up word below, cut with a hyphen
LONG = "Anastrozole" + "anastrozole" * 4  # 55 letters: three cells of it cannot sit whole
HYPHEN_JOIN = "\ufffe"  # PDFium's mark where it joined a word hyphenated at a line end


def _build(folder: Path, out: Path, text: str, where: int = 0) -> Path:
    def change(data: Any) -> None:
        data["pages"][0]["main"][where]["paragraph"] = text

    edit_sheet(folder, change)
    result = build_edition(folder, "en", "letter", out)
    assert result.path is not None
    return result.path


def _first_table(data: Any) -> Any:
    blocks = [b for page in data["pages"] for r in ("main", "sidebar") for b in page.get(r, [])]
    return next(b["table"] for b in blocks if "table" in b)


def _lines(path: Path) -> list[str]:
    """The page's text lines as PDFium extracts them."""
    pdf = pdfium.PdfDocument(path)
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    return [line.strip() for line in text.replace("\r", "").split("\n")]


def test_no_break_spaces_hold_at_every_line_width(sheet_copy: Path, tmp_path: Path) -> None:
    # Many short phrases that must stay whole, at every position of a line.
    phrase = f"every 4{NBSP}weeks, 3{NNBSP}% of (IV){NBSP}drips"
    text = " ".join(f"{'x' * (i % 7 + 1)} {phrase}" for i in range(40))
    lines = _lines(_build(sheet_copy, tmp_path / "nbsp.pdf", text))
    ends = [(a, b) for a, b in itertools.pairwise(lines)]
    assert any(a.endswith(("%", "drips")) for a, _ in ends)  # the phrases reach line ends
    for a, b in ends:
        assert not (a.endswith(" 4") and b.startswith("weeks")), (a, b)
        assert not (a.endswith(" 3") and b.startswith("%")), (a, b)
        assert not (a.endswith("(IV)") and b.startswith("drips")), (a, b)


def test_a_soft_hyphen_breaks_only_where_used_and_extracts_as_nothing(
    sheet_copy: Path, tmp_path: Path
) -> None:
    word = SHY.join(["zo", "ri", "pla", "ne", "tix"])  # a made-up word the sheet lacks
    text = " ".join(f"{'y' * (i % 9 + 1)} {word}" for i in range(60))
    path = _build(sheet_copy, tmp_path / "shy.pdf", text)
    # PDFium joins a word hyphenated at a line end and marks the join with U+FFFE
    # (what a viewer's search then skips); everything else of the word is plain.
    lines = _lines(path)
    assert any(HYPHEN_JOIN in line for line in lines), "no line broke at a soft hyphen"
    extracted = " ".join(lines).replace(HYPHEN_JOIN, "")
    assert extracted.count("zoriplanetix") == 60
    assert SHY not in extracted and not re.search(PARTIAL, extracted)
    # The tagged text (content streams, ActualText honoured) has the whole word
    # 60 times, no hyphen and no soft hyphen in it.
    tagged = _tagged_text(path)
    assert tagged.count("zoriplanetix") == 60
    assert SHY not in tagged and not re.search(PARTIAL, tagged)


def _tagged_text(path: Path) -> str:
    from factsheet.audit import tagged

    with pikepdf.open(path) as pdf:
        blocks = tagged._blocks_by_mcid(pdf)
        pieces = [
            p.text
            for index, page in enumerate(pdf.pages)
            for p in tagged._page_pieces(page, blocks.get(index, {}))
        ]
    return "".join(pieces)


def test_the_space_at_every_line_end_is_in_the_tagged_text(tmp_path: Path) -> None:
    from tests.helpers import SHEET_DIR

    for lang in ("en", "es", "ko", "vi"):
        path = build_edition(SHEET_DIR, lang, "letter", tmp_path / f"{lang}.pdf").path
        assert path is not None
        with pikepdf.open(path) as pdf:
            assert check_word_separators(pdf) == [], lang
    assert "calledbone" not in _tagged_text(tmp_path / "en.pdf")
    assert "called bone" in _tagged_text(tmp_path / "en.pdf")


def test_the_audit_fails_words_joined_at_a_line_end(tmp_path: Path) -> None:
    from tests.helpers import SHEET_DIR

    path = build_edition(SHEET_DIR, "en", "letter", tmp_path / "en.pdf").path
    assert path is not None
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        # Drop the trailing space of every line, as the engine once did.
        for page in pdf.pages:
            ops = []
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "Tj" and bytes(operands[0]).endswith(b" "):
                    operands = [pikepdf.String(bytes(operands[0]).rstrip(b" "))]
                elif str(operator) == "TJ" and bytes(operands[0][-1]).endswith(b" "):
                    parts = list(operands[0])
                    parts[-1] = pikepdf.String(bytes(parts[-1]).rstrip(b" "))
                    operands = [pikepdf.Array(parts)]
                ops.append(pikepdf.ContentStreamInstruction(operands, operator))
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
        pdf.save(path)
    report = audit_pdf(path)
    joined = [f for f in report.failures if f.check == "word-separators"]
    assert len(joined) > 20
    assert any('"…bone, this is called" and "bone metastases' in f.message for f in joined)


def test_a_long_word_in_a_narrow_cell_is_hyphenated_never_cut(
    sheet_copy: Path, tmp_path: Path
) -> None:
    def change(data: Any) -> None:
        table = _first_table(data)
        for column in range(3):  # longer than the table can give: it hyphenates, last resort
            table["rows"][0]["cells"][column] = f"{LONG} (Arimidexarimidex)"

    edit_sheet(sheet_copy, change)
    path = build_edition(sheet_copy, "en", "letter", tmp_path / "cell.pdf").path
    assert path is not None
    # A word cut with a hyphen is one word to PDFium (it marks the join); a word cut
    # without one would come out as two lines.
    words = re.findall(r"Anastroz[\w\ufffe]*", "\n".join(_lines(path)))
    assert len(words) == 3 and all(HYPHEN_JOIN in word for word in words), words
    assert all(word.replace(HYPHEN_JOIN, "") == LONG for word in words)
    tagged = _tagged_text(path)
    assert f"{LONG} (Arimidexarimidex)" in tagged


def test_a_word_that_cannot_fit_even_hyphenated_names_file_key_and_word(
    sheet_copy: Path, tmp_path: Path
) -> None:
    number = "-".join(["1-877-465-6636"] * 4)  # digits: never hyphenated

    def change(data: Any) -> None:
        sidebar = data["pages"][0]["sidebar"]
        box = next(b for b in sidebar if "callout" in b)["callout"]
        box["blocks"].insert(0, {"paragraph": f"Call {number} today."})

    edit_sheet(sheet_copy, change)
    with pytest.raises(FitError) as caught:
        build_edition(sheet_copy, "en", "letter", tmp_path / "wide.pdf")
    text = str(caught.value)
    assert "en.yaml:" in text and "pages[0].sidebar[" in text, text
    assert f'the word "{number}" is wider than its line' in text
    assert not (tmp_path / "wide.pdf").exists()


def test_kerning_changes_the_measured_width_and_the_drawn_glyphs_follow(
    sheet_copy: Path, tmp_path: Path
) -> None:
    from reportlab.pdfbase import pdfmetrics

    from factsheet.layout.engine import setter_for
    from factsheet.layout.text import simple
    from factsheet.layout.theme import load_theme

    setter = setter_for(load_theme("letter"))
    word = "AVATAR"
    tokens = setter.tokens(simple(word), "regular", (0.0, 0.0, 0.0))
    measured = setter.lines(tokens, 1e9, 10.0)[0].width(10.0)
    font = tokens[0].pieces[0].font
    nominal = pdfmetrics.stringWidth(word, font, 10.0)  # the glyphs' own widths, unkerned
    assert measured < nominal - 1.0  # "AV", "VA", "TA" pull together
    # In the PDF: the line is drawn with those advances (a TJ array of adjustments),
    # and still extracts as the letters, ligatures ("ffi") included.
    path = _build(sheet_copy, tmp_path / "kern.pdf", f"{word} and an office with fine coffee.")
    extracted = " ".join(_lines(path))
    assert f"{word} and an office with fine coffee." in extracted
    assert f"{word} and an office with fine coffee." in _tagged_text(path)
    with pikepdf.open(path) as pdf:
        arrays = [
            operands[0]
            for operands, operator in pikepdf.parse_content_stream(pdf.pages[0])
            if str(operator) == "TJ"
        ]
    assert any(any(not isinstance(part, pikepdf.String) for part in a) for a in arrays)


def test_a_script_without_a_font_is_one_message_per_script(
    sheet_copy: Path, tmp_path: Path
) -> None:
    from factsheet.errors import ContentError

    def change(data: Any) -> None:
        main = data["pages"][0]["main"]
        # three entries in Ethiopic, which no font covers (a left-to-right script:
        # right-to-left letters in English text are refused before, content/direction.py)
        for index in (0, 1, 3):
            main[index]["paragraph"] = "ስብራት በቀላሉ ይከሰታል"
        data["pages"][0]["main"][2]["heading"] = "Ⲁⲃⲅ"  # one in Coptic: the precise form

    edit_sheet(sheet_copy, change)
    with pytest.raises(ContentError) as caught:
        build_edition(sheet_copy, "en", "letter", tmp_path / "ar.pdf")
    messages = [p.message for p in caught.value.problems]
    ethiopic = [m for m in messages if m.startswith("Ethiopic script:")]
    assert len(ethiopic) == 1, messages
    assert "3 entries use it, first at" in ethiopic[0] and "en.yaml:" in ethiopic[0]
    assert any(m.startswith("no glyph for U+2C80 COPTIC CAPITAL LETTER ALFA") for m in messages)
    assert len(messages) == 2
    assert not (tmp_path / "ar.pdf").exists()


def test_hindi_text_sets_conjuncts_from_the_font_and_reads_logically(
    sheet_copy: Path, tmp_path: Path
) -> None:
    from reportlab.pdfbase import pdfmetrics

    from factsheet.layout.shaping import shape
    from factsheet.render.tounicode import parse_cmap

    first = (
        "जब स्तन कैंसर की कोशिकाएँ स्तन से निकलकर किसी हड्डी में पहुँच जाती हैं, तो इसे "
        "हड्डियों में मेटास्टेसिस कहते हैं। यह हड्डी का कैंसर नहीं है।"
    )
    path = _build(sheet_copy, tmp_path / "hi.pdf", first)
    # Extracted (PDFium) and tagged text read as written, in logical order (a run
    # whose marks are placed by offsets carries its text as ActualText).
    assert first in " ".join(_lines(path))
    assert first in _tagged_text(path)
    # "हड्डी": the conjunct ड्ड is a glyph of the font's own (GSUB), not ड + ् + ड.
    shaped = shape("हड्डी", "NotoSansDevanagari-Regular")
    cmap = pdfmetrics.getFont("NotoSansDevanagari-Regular").face.charToGlyph
    nominal = {cmap[ord(c)] for c in "हड्डी"}
    assert len(shaped.chars) < len("हड्डी")
    assert any(cmap[ord(c)] not in nominal for c in shaped.chars)
    # ...and that glyph is what the PDF draws: a code of the embedded font stands for
    # the whole conjunct in its ToUnicode map.
    with pikepdf.open(path) as pdf:
        values = [
            text
            for font in pdf.pages[0].Resources.Font.values()
            if "Devanagari" in str(font.BaseFont)
            for text in parse_cmap(font.ToUnicode.read_bytes()).chars.values()
        ]
    assert any("\u094d" in text and len(text) > 1 for text in values)


@pytest.mark.parametrize("key", CATALOGUE, ids=edition_id)
def test_no_edition_joins_words_across_a_line_end_in_its_tagged_text(
    key: EditionKey, built: Callable[[EditionKey], Path]
) -> None:
    """Every sheet × language × layout, read from the content streams as the structure
    tree reads them (scripts written without spaces, Chinese, are exempt by the check)."""
    with pikepdf.open(built(key)) as pdf:
        assert check_word_separators(pdf) == []
