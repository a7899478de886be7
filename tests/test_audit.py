"""Accessible PDFs: what a screen reader gets from every edition, and what the audit catches.

The promises: every edition (every language, every layout) passes the
structural PDF/UA-1 audit; the English sheet's tag tree is the reviewed outline
in tests/golden (refresh with FACTSHEET_UPDATE_GOLDEN=1, then review the diff);
the text a screen reader hears holds every string of the content in order, with
the sidebar's callouts after the main column of their page; and the audit
reports untagged content, a figure without alt text, a skipped heading level,
a table without header cells, an untagged link and a missing language, each
with its location. Layout colours below WCAG AA contrast are refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import polib
import pytest
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from factsheet.audit import AuditReport, audit_pdf
from factsheet.cli import main
from factsheet.content import model as m
from factsheet.content.clinic import clinic_from_form
from factsheet.content.i18n.glossary import load_glossary
from factsheet.content.langspans import english_names
from factsheet.errors import ContentError, InputError, LayoutThemeError
from factsheet.layout.contrast import contrast_ratio
from factsheet.layout.theme import LAYOUTS_DIR, available_layouts, load_theme
from factsheet.publish.build import BuildResult, build_edition, load_edition
from tests.conftest import CATALOGUE, UPDATE_GOLDEN, EditionKey, edition_id
from tests.helpers import ROOT, SHEET_DIR, edit_sheet, find_in_order, normalize, region_strings
from tests.i18n_helpers import write_catalog

GOLDEN = Path(__file__).with_name("golden") / "bone-protection-en.outline.txt"
CJK = ("zh", "ja")  # scripts that break lines between characters, without spaces


def _failures(report: AuditReport) -> str:
    return "\n".join(str(f) for f in report.failures)


@pytest.fixture(scope="module")
def reports(builds: dict[str, BuildResult]) -> dict[str, AuditReport]:
    """The audit of the English sheet in every layout."""
    return {layout: audit_pdf(result.path) for layout, result in builds.items() if result.path}


# --- every edition passes ------------------------------------------------------------


def test_the_english_sheet_passes_the_audit_in_every_layout(
    reports: dict[str, AuditReport],
) -> None:
    assert set(reports) == set(available_layouts())
    for layout, report in reports.items():
        assert report.ok, f"{layout}:\n{_failures(report)}"
        # the links of the resources box and the footer are all tagged annotations
        assert report.counts.annotations >= 6, layout
        if not load_theme(layout).flowing:
            assert report.counts.pages == 2, layout


@pytest.mark.parametrize("key", CATALOGUE, ids=edition_id)
def test_every_edition_passes_the_audit_and_reads_in_order(
    key: EditionKey, built: Callable[[EditionKey], Path]
) -> None:
    sheet_id, lang, _layout = key
    report = audit_pdf(built(key))
    assert report.ok, f"{key}:\n{_failures(report)}"
    sheet = load_edition(ROOT / "content" / sheet_id, lang)
    assert _out_of_order(report, sheet) == [], key


def test_a_co_branded_edition_passes_the_audit_with_its_logo_as_a_figure(
    tmp_path: Path,
) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 120), (40, 90, 160)).save(logo)
    clinic = clinic_from_form({"name": "Riverside Oncology", "phone": "+1 555 010 0199"}, logo)
    result = build_edition(SHEET_DIR, "en", "letter", tmp_path / "clinic.pdf", clinic=clinic)
    assert result.path is not None
    report = audit_pdf(result.path)
    assert report.ok, _failures(report)
    outline = "\n".join(report.outline)
    assert 'Figure [Alt="Logo: Riverside Oncology"]' in outline
    assert "P: Riverside Oncology" in outline


# --- what a screen reader hears ------------------------------------------------------


def test_the_tag_tree_is_the_reviewed_outline_in_every_layout(
    reports: dict[str, AuditReport],
) -> None:
    outline = "\n".join(reports["letter"].outline) + "\n"
    if UPDATE_GOLDEN:
        GOLDEN.write_text(outline, encoding="utf-8")
    assert GOLDEN.exists(), f"{GOLDEN} is missing: run with FACTSHEET_UPDATE_GOLDEN=1"
    assert outline == GOLDEN.read_text(encoding="utf-8")
    # The structure is the content's, not the page's: every layout with the
    # reference's regions reads the same (large print has one column, no sidebar Sect).
    for layout, report in reports.items():
        if not load_theme(layout).flowing:
            assert "\n".join(report.outline) + "\n" == outline, layout


def test_a_screen_reader_hears_every_string_in_order_callouts_after_their_main_column(
    reports: dict[str, AuditReport], sheet: m.Sheet
) -> None:
    for layout, report in reports.items():
        assert _out_of_order(report, sheet) == [], layout
        text = normalize(report.text)
        for number, page in enumerate(sheet.pages):
            last_main = _end_of(text, [s for b in page.main for s in _strings(b)])
            first_side = text.find(normalize(_strings(page.sidebar[0])[0]), last_main)
            assert first_side > last_main, (layout, number)  # the sidebar follows the main
        # the title is heard once, as written (the H1's ActualText), not in capitals;
        # the page-2 band repeats it as page furniture
        assert text.count(f"{sheet.series}: {sheet.title}") == 1
        assert sheet.title.upper() not in text


def test_the_spanish_notice_is_marked_as_spanish_and_the_table_has_its_headers_and_caption(
    reports: dict[str, AuditReport],
) -> None:
    outline = reports["letter"].outline
    assert "  P [Lang=es]: Se habla español." in outline
    text = "\n".join(line.strip() for line in outline)
    assert re.search(r"^TH \[Scope=Row, ID=t\d+r0\]: How is it given\?", text, re.M)
    assert re.search(r"^TH \[Scope=Column, ColSpan=2, ID=t\d+g0\]: Bisphosphonates", text, re.M)
    # the header row's label names what its row holds: a row header
    assert re.search(r"^TH \[Scope=Row, ID=t\d+h\]: Drug names", text, re.M)
    assert "    Caption: How three bone-strengthening drugs" in "\n".join(outline)


TRANSLATED = [key for key in CATALOGUE if key[1] != "en"]


@pytest.mark.parametrize("key", TRANSLATED, ids=edition_id)
def test_english_names_in_a_translation_are_read_as_english(
    key: EditionKey, built: Callable[[EditionKey], Path]
) -> None:
    """Every glossary name that stays English in the edition's text sits in an element with
    /Lang en (a Span), so a Spanish or Korean voice does not garble it."""
    sheet_id, lang, _layout = key
    folder = ROOT / "content" / sheet_id
    report = audit_pdf(built(key))
    marked = "\n".join(line for line in report.outline if "[Lang=en" in line)
    names = english_names(load_glossary(folder), lang)
    found = [
        n
        for n in names
        if re.search(rf"(?<![A-Za-z]){re.escape(n)}(?![A-Za-z])", report.text, re.I)
    ]
    missing = [n for n in found if n.casefold() not in marked.casefold()]
    assert missing == [], key


def test_a_draft_reads_its_english_fallbacks_in_english(sheet_copy: Path, tmp_path: Path) -> None:
    dose = "Every 3-4 weeks or every 12 weeks"

    def untranslated(entry: polib.POEntry) -> None:
        if entry.msgid == dose:
            entry.msgstr = ""

    write_catalog(sheet_copy, "ko", change=untranslated)
    result = build_edition(sheet_copy, "ko", "letter", tmp_path / "draft.pdf", draft=True)
    assert result.path is not None
    report = audit_pdf(result.path)
    assert report.ok, _failures(report)
    assert any(line.strip() == f"Span [Lang=en]: {dose}" for line in report.outline)


def test_the_clinic_logo_is_described_in_the_editions_language(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 120), (40, 90, 160)).save(logo)
    clinic = clinic_from_form({"name": "Riverside Oncology", "phone": "+1 555 010 0199"}, logo)
    result = build_edition(SHEET_DIR, "es", "letter", tmp_path / "es.pdf", clinic=clinic)
    assert result.path is not None
    outline = "\n".join(audit_pdf(result.path).outline)
    assert 'Figure [Alt="Logotipo: Riverside Oncology"]' in outline


def test_images_need_alt_text_in_the_content(sheet_copy: Path) -> None:
    Image.new("RGB", (40, 40), "white").save(sheet_copy / "square.png")
    image = {"image": {"path": "square.png"}}  # no alt
    edit_sheet(sheet_copy, lambda d: d["pages"][1]["sidebar"].append(image))
    with pytest.raises(ContentError) as error:
        load_edition(sheet_copy)
    assert "pages[1].sidebar[1]" in str(error.value) and "alt" in str(error.value)


# --- what the audit catches ----------------------------------------------------------


def test_an_untagged_pdf_fails_with_the_place_of_each_untagged_operator(tmp_path: Path) -> None:
    path = tmp_path / "plain.pdf"
    canvas = Canvas(str(path), invariant=True)
    canvas.drawString(72, 720, "Hello")
    canvas.rect(72, 600, 100, 50, fill=1)
    canvas.save()
    report = audit_pdf(path)
    assert not report.ok
    messages = [str(f) for f in report.failures]
    assert "catalog: no structure tree: the PDF is untagged [document]" in messages
    assert any(
        re.match(r"page 1, operator \d+ \(Tj\) near \(72, 720\): text 'Hello' is neither", m)
        for m in messages
    ), messages
    path_at = r"page 1, operator \d+ \(B\*\) near \(72, 600\): a path"
    assert any(re.match(path_at, m) for m in messages), messages


def test_a_picture_is_a_figure_with_its_alt_text(with_figure: Path) -> None:
    report = audit_pdf(with_figure)
    assert report.ok, _failures(report)
    assert '    Figure [Alt="A pink rectangle"]' in report.outline


def _tamper(source: Path, target: Path, change: Callable[[pikepdf.Pdf], None]) -> Path:
    with pikepdf.open(source) as pdf:
        change(pdf)
        pdf.save(target)
    return target


def _elements(pdf: pikepdf.Pdf, role: str) -> list[Any]:
    found, todo = [], list(pdf.Root.StructTreeRoot.K)
    while todo:
        node = todo.pop(0)
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            if pikepdf.Name("/" + role) == node.S:
                found.append(node)
            kids = node.get("/K", [])
            todo = list(kids if isinstance(kids, pikepdf.Array) else [kids]) + todo
    return found


def _drop_alt(pdf: pikepdf.Pdf) -> None:
    del _elements(pdf, "Figure")[0].Alt


def _skip_heading(pdf: pikepdf.Pdf) -> None:
    _elements(pdf, "H2")[0].S = pikepdf.Name.H4


def _no_header_cells(pdf: pikepdf.Pdf) -> None:
    for cell in _elements(pdf, "TH"):
        cell.S = pikepdf.Name.TD


def _untag_link(pdf: pikepdf.Pdf) -> None:
    del pdf.pages[0].Annots[0].StructParent


def _no_language(pdf: pikepdf.Pdf) -> None:
    del pdf.Root.Lang


def _orphan_content(pdf: pikepdf.Pdf) -> None:
    document = pdf.Root.StructTreeRoot.K[0]
    del document.K[0]  # the H1: its two MCIDs on page 1 are left without an element


def _untyped_artifacts(pdf: pikepdf.Pdf) -> None:
    page = pdf.pages[0]
    typed = b"/Artifact <</Type /Layout>> BDC"
    page.Contents.write(page.Contents.read_bytes().replace(typed, b"/Artifact BMC"))


def _unprinted_link(pdf: pikepdf.Pdf) -> None:
    del pdf.pages[0].Annots[0].F


def _split_link(pdf: pikepdf.Pdf) -> None:
    """The first link's annotation cut in two halves on its line, both held by its Link."""
    page = pdf.pages[0]
    annot = page.Annots[0]
    x0, y0, x1, y1 = (float(v) for v in annot.Rect)
    half = pdf.make_indirect(pikepdf.Dictionary({k: annot[k] for k in annot}))
    half.Rect = pikepdf.Array([(x0 + x1) / 2, y0, x1, y1])
    annot.Rect = pikepdf.Array([x0, y0, (x0 + x1) / 2, y1])
    page.Annots.append(half)
    link = next(e for e in _elements(pdf, "Link") if _holds(e, annot))
    kids = link.K if isinstance(link.K, pikepdf.Array) else pikepdf.Array([link.K])
    kids.append(pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=half, Pg=page.obj))
    link.K = kids


def _holds(element: Any, annot: Any) -> bool:
    kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
    return any(isinstance(k, pikepdf.Dictionary) and k.get("/Obj") == annot for k in kids)


def _drop_bookmark(pdf: pikepdf.Pdf) -> None:
    """Rename the bookmark of page 1's sidebar box 'Resources'."""
    item = pdf.Root.Outlines.First.First
    while item.Title != "Resources":
        item = item.Next
    item.Title = "Elsewhere"


def _kids(element: Any) -> list[Any]:
    kids = element.get("/K", [])
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _no_table_box(pdf: pikepdf.Pdf) -> None:
    del _elements(pdf, "Table")[0].A


def _no_figure_box(pdf: pikepdf.Pdf) -> None:
    del _elements(pdf, "Figure")[0].A


def _no_caption(pdf: pikepdf.Pdf) -> None:
    table = _elements(pdf, "Table")[0]
    table.K = pikepdf.Array([k for k in _kids(table) if k.get("/S") != "/Caption"])


def _rows_loose(pdf: pikepdf.Pdf) -> None:
    """The rows straight under the Table, as before THead and TBody."""
    table = _elements(pdf, "Table")[0]
    rows = [row for part in _kids(table) if part.S in ("/THead", "/TBody") for row in _kids(part)]
    for row in rows:
        row.P = table
    table.K = pikepdf.Array([_kids(table)[0], *rows])


def _row_label_as_column(pdf: pikepdf.Pdf) -> None:
    label = _elements(pdf, "THead")[0]
    label = _kids(_kids(label)[1])[0]  # the header row's label cell
    label.A.Scope = pikepdf.Name.Column


def _span_without_id(pdf: pikepdf.Pdf) -> None:
    spanning = next(th for th in _elements(pdf, "TH") if th.A.get("/ColSpan", 1) > 1)
    del spanning.ID


def _headers_to_nowhere(pdf: pikepdf.Pdf) -> None:
    _elements(pdf, "TD")[1].A.Headers = pikepdf.Array([pikepdf.String("nowhere")])


def _unmark_english(pdf: pikepdf.Pdf) -> None:
    for span in _elements(pdf, "Span"):
        del span.Lang


TAMPERED = {
    "table-bbox": (
        _no_table_box,
        r"page 2, Document/Table\[1\] \(object \d+\): a Table without a /BBox",
    ),
    "figure-bbox": (
        _no_figure_box,
        r"page 2, Document/Sect\[2\]/Figure\[1\] \(object \d+\): a Figure without a /BBox",
    ),
    "no-caption": (
        _no_caption,
        r"page 2, Document/Table\[1\] .*: the table has no Caption element",
    ),
    "no-thead": (
        _rows_loose,
        r"page 2, Document/Table\[1\] .*: its header rows are not in a THead",
    ),
    "row-label-scope": (
        _row_label_as_column,
        r"page 2, Document/Table\[1\]/THead\[1\]/TR\[2\]/TH\[1\] .*: header cell labels a row "
        r"\(only header cells below it\) but has Scope Column",
    ),
    "span-without-id": (
        _span_without_id,
        r"page 2, .*/TR\[1\]/TH\[1\] .*: header spans 2 columns but has no /ID",
    ),
    "headers-to-nowhere": (
        _headers_to_nowhere,
        r"page 2, .*/TBody\[1\]/TR\[1\]/TD\[1\] .*: /Headers names 'nowhere', which no element",
    ),
    "untyped-artifact": (
        _untyped_artifacts,
        r"page 1, operator \d+: an artifact without a /Type \(Pagination, Layout, Page or",
    ),
    "unprinted-link": (
        _unprinted_link,
        r"page 1, Link annotation 1 at \(\d+, \d+\): has no Print flag \(/F 4\)",
    ),
    "split-link": (
        _split_link,
        r"page 1, Document/Sect\[1\]/.*Link\[1\] \(object \d+\): its text is split into two "
        r"annotations on one line",
    ),
    "missing-bookmark": (
        _drop_bookmark,
        r"page 1, Document/Sect\[1\]/Sect\[\d\]/H2\[1\] \(object \d+\): heading 'Resources' "
        r"has no bookmark \(missing\)",
    ),
    "figure-alt": (
        _drop_alt,
        r"page 2, Document/Sect\[2\]/Figure\[1\] \(object \d+\): figure without alternate text",
    ),
    "heading-skip": (
        _skip_heading,
        r"page 1, Document/H4\[1\] \(object \d+\): H4 follows H1: a level skipped",
    ),
    "no-th": (
        _no_header_cells,
        r"page 2, Document/Table\[1\] \(object \d+\): the table has no header cells",
    ),
    "untagged-link": (
        _untag_link,
        r"page 1, Link annotation 1 at \(\d+, \d+\): is not tagged",
    ),
    "no-lang": (_no_language, r"catalog: /Lang is missing or invalid \(''\)"),
    "orphan-mcid": (
        _orphan_content,
        r"page 1: MCID 0 in the content belongs to no structure element",
    ),
}


def test_latin_words_without_a_lang_in_korean_text_are_reported(
    built: Callable[[EditionKey], Path], tmp_path: Path
) -> None:
    korean = built((SHEET_DIR.name, "ko", "letter"))
    report = audit_pdf(_tamper(korean, tmp_path / "unmarked.pdf", _unmark_english))
    messages = [str(f) for f in report.failures]
    expected = r"page 1, Document/.*: Latin-script words \(.*Komen.*\) in ko text have no /Lang"
    assert any(re.match(expected, message) for message in messages), messages


@pytest.mark.parametrize("case", sorted(TAMPERED))
def test_a_broken_tag_is_reported_with_its_location(
    case: str, with_figure: Path, tmp_path: Path
) -> None:
    change, expected = TAMPERED[case]
    report = audit_pdf(_tamper(with_figure, tmp_path / f"{case}.pdf", change))
    assert not report.ok
    messages = [str(f) for f in report.failures]
    assert any(re.match(expected, message) for message in messages), messages


# --- the command ---------------------------------------------------------------------


def test_audit_command_prints_the_outline_and_exits_by_the_result(
    builds: dict[str, BuildResult], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = str(builds["letter"].path)
    assert main(["audit", good]) == 0
    out = capsys.readouterr().out
    # The capitalised topic reaches a screen reader as written, through ActualText.
    heading = '  H1 [ActualText="Metastatic Breast Cancer: Bone Protection"]\n'
    assert out.startswith(f"Document [Lang=en]\n{heading}")
    assert f"ok: {good} passes the accessibility audit" in out

    bad = _tamper(builds["letter"].path, tmp_path / "bad.pdf", _no_language)  # type: ignore[arg-type]
    assert main(["audit", "--quiet", good, str(bad)]) == 1
    out = capsys.readouterr().out
    assert "Document [Lang=en]" not in out  # --quiet: no outline
    assert "FAIL catalog: /Lang is missing or invalid ('') [document]" in out
    assert f"{bad}: 1 failure" in out

    junk = tmp_path / "notes.pdf"
    junk.write_text("not a PDF", encoding="utf-8")
    assert main(["audit", str(junk)]) == 2
    assert f"error: {junk}: cannot read the file as a PDF" in capsys.readouterr().err


def test_audit_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["audit", "--help"])
    assert exit_info.value.code == 0
    assert "reading order" in capsys.readouterr().out


# --- colour contrast -----------------------------------------------------------------


def test_contrast_ratio_follows_wcag() -> None:
    white, black = (1.0, 1.0, 1.0), (0.0, 0.0, 0.0)
    assert contrast_ratio(black, white) == pytest.approx(21.0)
    # #767676 is the lightest grey that passes AA on white; #777777 just fails.
    passing, failing = (0x76 / 255,) * 3, (0x77 / 255,) * 3
    assert contrast_ratio(passing, white) >= 4.5 > contrast_ratio(failing, white)


def test_a_layout_with_low_contrast_text_is_refused_with_both_colours_and_the_ratio(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The colour is the brand's: a layout beside a brand/ folder of its own uses that brand.
    layout = tmp_path / "pale.yaml"
    layout.write_text((LAYOUTS_DIR / "letter.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    text = (LAYOUTS_DIR / "brand" / "komen.yaml").read_text(encoding="utf-8")
    pale = re.sub(r"(heading2: \{.*?color: )brand,", r'\1"#D04080",', text)
    assert pale != text
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "komen.yaml").write_text(pale, encoding="utf-8")
    line = next(i for i, row in enumerate(pale.splitlines(), 1) if "heading2:" in row)
    with pytest.raises(LayoutThemeError) as error:
        load_theme(str(layout))
    message = str(error.value)
    assert f"brand/komen.yaml:{line}:" in message
    assert (
        "type.styles.heading2.color: heading2 text #D04080 on the callout fill (callout.fill) "
        "#EFD5E2 has contrast 3.23:1; WCAG AA needs at least 4.5:1" in message
    )
    assert "hint: darken the text colour" in message
    # and `factsheet check` says so, with exit status 2 (bad input)
    assert main(["check", "bone-protection", "--layout", str(layout)]) == 2
    assert "heading2 text #D04080" in capsys.readouterr().err


def test_an_unreadable_file_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        audit_pdf(tmp_path / "missing.pdf")


# --- helpers -------------------------------------------------------------------------


def _strings(block: m.Block) -> list[str]:
    return region_strings(m.Page(main=(block,), sidebar=(), footer=()))


def _end_of(text: str, needles: list[str]) -> int:
    position = 0
    for needle in needles:
        position = text.find(normalize(needle), position) + len(normalize(needle))
    return position


def _comparable(text: str, lang: str) -> str:
    text = normalize(text)
    return re.sub(r"\s+", "", text) if lang.startswith(CJK) else text


def _out_of_order(report: AuditReport, sheet: m.Sheet) -> list[str]:
    """Content strings the reading-order text misses or has out of order."""
    needles = [f"{sheet.series}: {sheet.title}"]  # the H1's ActualText
    for page in sheet.pages:
        needles += region_strings(page, report.text)
    lang = sheet.language
    return find_in_order(_comparable(report.text, lang), [_comparable(n, lang) for n in needles])
