"""Translated editions, as translators, reviewers and readers meet them.

Catalogs are written here with polib (pseudo-translations that keep what the
guard protects), in a copy of the sheet, so these tests do not wait for the
translators. The last group builds every catalog that exists in content/.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import polib
import pypdf
import pytest
from PIL import Image

from factsheet.cli import main
from factsheet.content.i18n import open_edition
from factsheet.content.i18n.glossary import load_glossary
from factsheet.errors import ContentError, FitError
from factsheet.layout import frames
from factsheet.layout.draftmark import LABEL
from factsheet.layout.engine import setter_for
from factsheet.layout.text import covered_chars, script_of
from factsheet.layout.theme import load_theme
from factsheet.publish.build import BuildResult, build_edition, lay_out
from factsheet.publish.preview import page_images
from tests.helpers import SHEET_DIR, edit_sheet, region_strings
from tests.i18n_helpers import msgstr_line, pseudo, squash, write_catalog

LANGS = ["es", "vi", "zh-Hans", "ko"]
NOTICE = "Se habla español."
DOSE = "Every 3-4 weeks or every 12 weeks"
ROUTE = "Through an IV (a drip into a vein)"  # the text of two table cells: one entry


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def problems_of(error: pytest.ExceptionInfo[ContentError]) -> list[str]:
    return [str(problem) for problem in error.value.problems]


def set_msgstr(msgid: str, msgstr: str, comment: str = "") -> Callable[[polib.POEntry], None]:
    def change(entry: polib.POEntry) -> None:
        if entry.msgid == msgid:
            entry.msgstr = msgstr
            entry.tcomment = comment

    return change


def text_of(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def assert_reads_its_strings(result: BuildResult, sheet_dir: Path, lang: str) -> None:
    """Two pages, /Lang and title of the edition, and every translated string on its page."""
    assert result.path is not None
    reader = pypdf.PdfReader(result.path)
    assert len(reader.pages) == 2
    assert reader.trailer["/Root"]["/Lang"] == lang
    edition = open_edition(sheet_dir, lang)
    sheet = edition.sheet
    assert reader.metadata is not None
    assert reader.metadata.title == f"{sheet.series}: {sheet.title}"
    for number, page in enumerate(sheet.pages):
        text = squash(reader.pages[number].extract_text())
        header = [sheet.series, sheet.title.upper()]
        missing = [s for s in header + region_strings(page) if squash(s) not in text]
        assert missing == [], (lang, number + 1)


# --- every edition: pages, language, title, its own strings, fit ---------------------------------


@pytest.fixture(scope="module")
def pseudo_sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sheet with a complete pseudo-translated catalog for each language."""
    folder = tmp_path_factory.mktemp("pseudo") / "bone-protection"
    shutil.copytree(SHEET_DIR, folder, ignore=shutil.ignore_patterns("*.po", "*.pot"))
    shutil.copy2(SHEET_DIR.parent / "glossary.yaml", folder.parent / "glossary.yaml")
    for lang in LANGS:
        write_catalog(folder, lang)
    return folder


@pytest.mark.parametrize("layout", ["letter", "a4"])
@pytest.mark.parametrize("lang", LANGS)
def test_each_edition_has_two_pages_its_lang_title_and_its_strings(
    pseudo_sheet: Path, tmp_path: Path, lang: str, layout: str
) -> None:
    result = build_edition(pseudo_sheet, lang, layout, tmp_path / f"{lang}.pdf")
    assert result.lang == lang and result.pages == 2
    theme = load_theme(layout)
    assert result.body_size >= theme.floor  # the fitter stayed within the layout's floor
    assert_reads_its_strings(result, pseudo_sheet, lang)


def test_each_script_is_set_in_its_own_font_and_every_glyph_exists(pseudo_sheet: Path) -> None:
    """Hangul in (renamed) Nanum Gothic, Han in Droid Sans Fallback, Latin in Noto Sans; no tofu."""
    fonts_by_script: dict[str, set[str]] = {}
    for lang in ("zh-Hans", "ko"):
        _, doc = lay_out(pseudo_sheet, lang, "letter")
        for page in doc.pages:
            for line in page.items:
                if not isinstance(line, frames.TextLine):
                    continue
                for run_ in line.runs:
                    assert all(ord(c) in covered_chars(run_.font) for c in run_.text.strip())
                    for char in run_.text:
                        script = script_of(char) or ("latin" if char.isalpha() else "")
                        fonts_by_script.setdefault(script, set()).add(run_.font)
    hangul = {"FactsheetHangulGothic-Regular", "FactsheetHangulGothic-Bold"}
    assert fonts_by_script["hangul"] == hangul
    assert fonts_by_script["cjk"] == {"DroidSansFallbackFull"}
    assert fonts_by_script["latin"] <= {
        f"NotoSans-{face}" for face in ("Regular", "Bold", "Italic")
    }


def test_the_build_reports_each_editions_scale(
    pseudo_sheet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "vi.pdf"
    code, stdout, _ = run(capsys, "build", str(pseudo_sheet), "--lang", "vi", "-o", str(out))
    assert code == 0
    assert f"wrote {out}: 2 pages" in stdout and "type scale" in stdout


def test_a_translation_too_long_to_fit_names_its_catalog_and_region(sheet_copy: Path) -> None:
    names = load_glossary(sheet_copy).names
    spanish = pseudo("es", names)
    header = {"Bone Protection", "Metastatic Breast Cancer"}  # the band: its own limits

    def longer(text: str) -> str:
        return spanish(text) + ("" if text in header else " mucho más largo" * 6)

    write_catalog(sheet_copy, "es", longer)
    with pytest.raises(FitError) as error:
        lay_out(sheet_copy, "es", "letter")
    regions = [p for p in error.value.problems if p.message.startswith("page ")]
    assert regions and all(p.file.endswith("es.po") for p in regions)
    catalog = (sheet_copy / "es.po").read_text(encoding="utf-8").splitlines()
    for problem in regions:  # "es.po:812: pages[1].main[9]: page 2 main overflows by 167.1 pt …"
        pattern = r"pages\[(\d)\]\.(main|sidebar|footer)\[\d+\]"
        page, region = re.fullmatch(pattern, problem.path).groups()  # the first block not fitting
        assert problem.message.startswith(f"page {int(page) + 1} {region} overflows by")
        # at the catalog entry of that block's text, which a translator shortens
        assert catalog[problem.line - 1].startswith("msgstr")


# --- unfinished catalogs: untranslated, missing, stale (fuzzy), draft ----------------------------


def test_an_untranslated_entry_stops_the_build_naming_file_and_line(
    sheet_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_catalog(sheet_copy, "es", change=set_msgstr(DOSE, ""))
    code, _, err = run(capsys, "check", str(sheet_copy), "--lang", "es")
    assert code == 2
    line = msgstr_line(path, DOSE)
    assert f"es.po:{line}: pages[1].main[4].table.rows[1].cells[0]: untranslated" in err
    assert "1 problem; nothing was written." in err


def test_a_changed_source_string_turns_fuzzy_and_stops_the_build(
    sheet_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_catalog(sheet_copy, "es", change=set_msgstr(DOSE, "Cada 3-4 semanas o cada 12 semanas"))

    def new_interval(data: dict) -> None:  # type: ignore[type-arg]
        data["pages"][1]["main"][4]["table"]["rows"][1]["cells"][0] = (
            "Every 4 weeks or every 12 weeks"
        )

    edit_sheet(sheet_copy, new_interval)
    code, stdout, _ = run(capsys, "i18n", "update", str(sheet_copy))
    assert code == 0 and "1 fuzzy, 0 untranslated, 0 obsolete" in stdout
    catalog = polib.pofile(str(sheet_copy / "es.po"))
    entry = catalog.find("Every 4 weeks or every 12 weeks")
    assert entry is not None and entry.fuzzy
    assert entry.previous_msgid == DOSE and entry.msgstr == "Cada 3-4 semanas o cada 12 semanas"
    assert catalog.percent_translated() > 95  # everything else kept its translation

    code, _, err = run(capsys, "check", str(sheet_copy), "--lang", "es")
    line = msgstr_line(sheet_copy / "es.po", "Every 4 weeks or every 12 weeks")
    assert code == 2 and f"es.po:{line}:" in err and "fuzzy: its source changed" in err


def test_a_string_missing_from_the_catalog_asks_for_an_update(sheet_copy: Path) -> None:
    write_catalog(sheet_copy, "vi")
    edit_sheet(sheet_copy, lambda data: data["pages"][0]["main"].append({"paragraph": "New."}))
    with pytest.raises(ContentError) as error:
        open_edition(sheet_copy, "vi")
    [problem] = problems_of(error)
    assert 'no entry for "New."' in problem and "factsheet i18n update" in problem


def test_a_draft_builds_with_a_visible_mark_on_both_pages_and_in_the_metadata(
    sheet_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_catalog(sheet_copy, "ko", change=set_msgstr(DOSE, ""))
    out = tmp_path / "draft.pdf"
    code, _, err = run(capsys, "build", str(sheet_copy), "--lang", "ko", "--draft", "-o", str(out))
    assert code == 0
    assert (
        "warning: draft translation: 1 untranslated or fuzzy entries are printed in English" in err
    )
    reader = pypdf.PdfReader(out)
    assert reader.metadata is not None and reader.metadata.title.endswith("(draft translation)")
    assert "draft translation" in str(reader.metadata.get("/Keywords"))
    pages = text_of(out)
    assert all(LABEL in page for page in pages)
    assert squash(DOSE) in squash(pages[1])  # the unfinished entry is shown in English
    # The tag is drawn in signal yellow near the top right corner of the band, on both pages.
    theme = load_theme("letter")
    yellow = tuple(round(c * 255) for c in theme.draft_fill)
    assert yellow == (255, 214, 0)  # the letter layout sets no draft colour: signal yellow
    assert theme.band is not None
    for png in page_images(out.read_bytes(), 72):
        image = Image.open(io.BytesIO(png)).convert("RGB")
        # right edge of the band minus its padding, a little below the band's top
        x = theme.margin_left + theme.content_width - theme.band.padding - 4
        y = theme.margin_top + theme.band.padding * 0.5 + 4
        pixel = image.getpixel((round(x), round(y)))
        assert isinstance(pixel, tuple)
        assert all(abs(a - b) <= 8 for a, b in zip(pixel[:3], yellow, strict=True))


def test_without_draft_no_mark_and_english_cannot_be_a_draft(
    pseudo_sheet: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet, _ = lay_out(pseudo_sheet, "es", "letter")
    assert not sheet.draft and "draft translation" not in sheet.keywords
    code, _, err = run(capsys, "check", str(pseudo_sheet), "--draft")
    assert code == 2 and "English is the source" in err


# --- the number and name guard -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("msgid", "msgstr", "message"),
    [
        (
            DOSE,
            "Cada 3-4 semanas o cada 21 semanas",
            'changes the number "12 weeks" to "21 semanas" (21 weeks)',
        ),
        (DOSE, "Cada 3-4 semanas", 'drops the number "12 weeks" that the source has'),
        (
            "Every 4 weeks",
            "Cada 4 o 5 semanas",
            'adds the number "5 semanas" (5 weeks), which the source lacks',
        ),
        (
            "Zoledronic acid (Zometa)",
            "Ácido ibandrónico (Zometa)",
            'drops the name "Zoledronic acid" that the source has',
        ),
        ("Denosumab (Xgeva)", "Denosumab (XGEVA)", None),  # names match without regard to case
        ("Every 12 weeks", "Cada １２ semanas", None),  # full-width digits are the same number
    ],
)
def test_the_guard_refuses_a_dropped_or_changed_number_or_name(
    sheet_copy: Path, msgid: str, msgstr: str, message: str | None
) -> None:
    path = write_catalog(sheet_copy, "es", change=set_msgstr(msgid, msgstr))
    if message is None:
        open_edition(sheet_copy, "es")
        return
    with pytest.raises(ContentError) as error:
        open_edition(sheet_copy, "es")
    [problem] = problems_of(error)
    assert f"es.po:{msgstr_line(path, msgid)}: pages[1]" in problem
    assert message in problem and "(hint: " in problem and "# guard-allow:" in problem


def test_a_changed_link_target_fails_and_passes_only_with_a_reviewed_marker(
    sheet_copy: Path, tmp_path: Path
) -> None:
    source = next(
        e.msgid
        for e in polib.pofile(str(write_catalog(sheet_copy, "es")))
        if "[komen.org]" in e.msgid
    )
    spanish = source.replace("(https://www.komen.org)", "(https://www.komen.org/es/)")
    write_catalog(sheet_copy, "es", change=set_msgstr(source, spanish))
    with pytest.raises(ContentError) as error:
        open_edition(sheet_copy, "es")
    [problem] = problems_of(error)
    assert (
        'changes the link target "https://www.komen.org" to "https://www.komen.org/es/"' in problem
    )

    marker = "guard-allow: https://www.komen.org -> https://www.komen.org/es/"
    write_catalog(sheet_copy, "es", change=set_msgstr(source, spanish, f"Reviewed.\n{marker}"))
    result = build_edition(sheet_copy, "es", "letter", tmp_path / "es.pdf")
    assert result.path is not None
    links = {
        annot.get_object()["/A"]["/URI"]
        for page in pypdf.PdfReader(result.path).pages
        for annot in page.get("/Annots", [])
    }
    assert "https://www.komen.org/es/" in links


def test_a_marker_that_no_longer_matches_is_an_error(sheet_copy: Path) -> None:
    stale = "guard-allow: 10 -> 21"
    write_catalog(
        sheet_copy, "es", change=set_msgstr(DOSE, "Cada 3-4 semanas o cada 12 semanas", stale)
    )
    with pytest.raises(ContentError) as error:
        open_edition(sheet_copy, "es")
    found = problems_of(error)
    assert any('names "10", which the source lacks' in p for p in found)
    assert any('says the translation has "21", but it does not' in p for p in found)


def test_draft_never_waives_the_guard(sheet_copy: Path) -> None:
    write_catalog(sheet_copy, "es", change=set_msgstr(DOSE, "Cada 3-4 semanas"))
    with pytest.raises(ContentError, match='drops the number "12 weeks"'):
        open_edition(sheet_copy, "es", draft=True)


# --- glyphs --------------------------------------------------------------------------------------


def test_a_character_no_font_has_is_an_error_naming_file_entry_and_code_point(
    sheet_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_catalog(sheet_copy, "ko", change=set_msgstr("Bone Protection", "뼈 보호 𓀀"))
    code, _, err = run(capsys, "check", str(sheet_copy), "--lang", "ko")
    assert code == 2
    line = msgstr_line(path, "Bone Protection")
    assert f"ko.po:{line}: title: no glyph for U+13000 EGYPTIAN HIEROGLYPH A001" in err


def test_in_english_a_missing_glyph_points_at_en_yaml(sheet_copy: Path) -> None:
    edit_sheet(sheet_copy, lambda data: data.update(series="Metastatic Breast Cancer 𓀀"))
    with pytest.raises(ContentError, match=r"en\.yaml:\d+: series: no glyph for U\+13000 EGYPTIAN"):
        lay_out(sheet_copy, "en", "letter")


# --- the notice for Spanish speakers -------------------------------------------------------------


def notice_langs(sheet_dir: Path, lang: str) -> list[str]:
    """The Lang a screen reader is given for the notice's paragraph (the document's if unset)."""
    _, doc = lay_out(sheet_dir, lang, "letter")
    document = doc.elements[0].attrs["Lang"]
    langs = []
    for element in doc.elements:
        if element.role == "P" and "Lang" in element.attrs and element.id != 0:
            langs.append(element.attrs["Lang"])
    return [document, *langs]


def test_a_reworded_notice_speaks_the_editions_language(sheet_copy: Path) -> None:
    sentence = "La línea de ayuda también atiende en español."
    write_catalog(sheet_copy, "es", change=set_msgstr(NOTICE, sentence))
    assert notice_langs(sheet_copy, "es") == ["es", "es"]
    page = open_edition(sheet_copy, "es").sheet.pages[0]
    assert region_strings(page).count(sentence) == 1 and NOTICE not in region_strings(page)


def test_a_notice_kept_as_written_stays_spanish_in_another_edition(sheet_copy: Path) -> None:
    write_catalog(sheet_copy, "vi", change=set_msgstr(NOTICE, NOTICE))
    assert notice_langs(sheet_copy, "vi") == ["vi", "es"]


def test_the_spanish_edition_may_not_keep_the_foreign_language_notice(sheet_copy: Path) -> None:
    write_catalog(sheet_copy, "es", change=set_msgstr(NOTICE, NOTICE))
    with pytest.raises(ContentError, match="addresses speakers of es, the readers of this edition"):
        open_edition(sheet_copy, "es")


# --- line breaking without spaces ----------------------------------------------------------------

CHINESE = (
    "除了强健骨骼的药物，其他治疗也能减轻骨痛。轻度疼痛时，服用止痛药可能会有所缓解，"
    "例如ibuprofen（布洛芬；Advil或Motrin）、naproxen（萘普生）。每3～4周一次或每12周一次。"
    "「严重疼痛时」，可以加用tramadol（曲马多）。"
)
KOREAN = (
    "뼈 강화 약물 외에 다른 치료도 뼈 통증을 덜어 줄 수 있습니다. "
    "통증이 가벼우면 진통제로 나아질 수 있습니다."
)


def set_lines(text: str, width: float) -> list[str]:
    from factsheet.content.inline import parse_inline

    setter = setter_for(load_theme("letter"))
    tokens = setter.tokens(parse_inline(text)[0], "regular", (0.0, 0.0, 0.0))
    lines = setter.lines(tokens, width, 10.0)
    assert all(line.width(10.0) <= width + 1e-6 for line in lines)
    return ["".join(segment.text for segment in line.segments) for line in lines]


@pytest.mark.parametrize("width", [60.0, 97.0, 140.0, 213.0])
def test_chinese_wraps_between_characters_by_the_kinsoku_rules(width: float) -> None:
    lines = set_lines(CHINESE, width)
    assert len(lines) > 2 and "".join(lines) == CHINESE  # nothing lost, no space added
    for line in lines:
        assert line[0] not in "、。，：；？！）」’”%…～"  # closing marks never start a line
        assert line[-1] not in "（「‘“～"  # opening marks never end one
    for word in ("ibuprofen", "Advil", "Motrin", "naproxen", "tramadol", "3～4", "12"):
        assert any(word in line for line in lines), word  # never split across lines


@pytest.mark.parametrize("width", [70.0, 120.0, 178.0])
def test_korean_breaks_only_between_words(width: float) -> None:
    lines = set_lines(KOREAN, width)
    words = KOREAN.split(" ")
    # Every break is at a space, which stays at the line's end (the tagged text's word separator).
    assert "".join(lines) == KOREAN and all(line.endswith(" ") for line in lines[:-1])
    assert [w for line in lines for w in line.split()] == words


# --- extract and update --------------------------------------------------------------------------


def test_extract_writes_a_template_with_places_lines_and_checked_values(
    sheet_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, stdout, _ = run(capsys, "i18n", "extract", str(sheet_copy))
    pot_path = sheet_copy / "bone-protection.pot"
    assert code == 0 and f"wrote {pot_path}" in stdout
    first = pot_path.read_bytes()
    run(capsys, "i18n", "extract", str(sheet_copy))
    assert pot_path.read_bytes() == first  # deterministic: re-extracting changes nothing
    pot = polib.pofile(str(pot_path))
    item = pot.find("Emergency room visits or hospital stays.")
    source = (sheet_copy / "en.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(source, 1) if "Emergency room visits" in text)
    assert item is not None and item.occurrences == [("content/bone-protection/en.yaml", str(line))]
    assert "page 1 · sidebar · box 'Bone metastases and bone health' · bullet list item 2" in (
        item.comment
    )
    dose = pot.find(DOSE)
    assert dose is not None
    assert "table cell (row 'How often is it given?', column 1)" in dose.comment
    assert "keep as written (checked): 3-4 weeks, 12 weeks" in dose.comment
    footer = next(e for e in pot if e.msgid.startswith("This sheet gives only"))
    assert "Markdown: keep" in footer.comment and "komen.org" in footer.comment
    shared = pot.find(ROUTE)  # one entry for both cells: translated once
    assert shared is not None and len(shared.occurrences) == 2


def test_update_keeps_translations_and_notes_and_retires_dropped_strings(
    sheet_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_catalog(
        sheet_copy, "zh-Hans", change=set_msgstr(NOTICE, "本热线也提供西班牙语服务。", "我的笔记")
    )
    edit_sheet(sheet_copy, lambda data: data["pages"][0]["footer"].pop(2))  # drop the disclaimer
    code, stdout, _ = run(
        capsys, "i18n", "update", str(sheet_copy), "--lang", "zh-Hans", "--lang", "ko"
    )
    assert code == 0
    assert "updated" in stdout and "1 obsolete" in stdout
    assert f"created {sheet_copy / 'ko.po'}" in stdout and "0 translated" in stdout
    catalog = polib.pofile(str(sheet_copy / "zh-Hans.po"))
    notice = catalog.find(NOTICE)
    assert notice is not None and notice.tcomment == "我的笔记"
    assert notice.msgstr == "本热线也提供西班牙语服务。" and not notice.fuzzy
    assert [e.msgid[:20] for e in catalog.obsolete_entries()] == ["Susan G. Komen® offe"]
    open_edition(sheet_copy, "zh-Hans")  # still complete: it builds
    new = polib.pofile(str(sheet_copy / "ko.po"))
    assert new.metadata["Language"] == "ko" and new.percent_translated() == 0


def test_a_key_path_may_get_an_entry_of_its_own(sheet_copy: Path, tmp_path: Path) -> None:
    glossary = sheet_copy / "glossary.yaml"
    own = "pages[1].main[4].table.rows[0].cells[1]"
    glossary.write_text(glossary.read_text(encoding="utf-8") + f"own_entries: ['{own}']\n")

    def translate(entry: polib.POEntry) -> None:
        if entry.msgid == ROUTE:
            entry.msgstr = "Por vía IV (30 min)" if entry.msgctxt == own else "Por vía IV"
            entry.tcomment = "guard-allow: (none) -> 30" if entry.msgctxt == own else ""

    write_catalog(sheet_copy, "es", change=translate)
    result = build_edition(sheet_copy, "es", "letter", tmp_path / "es.pdf")
    assert result.path is not None
    page = squash(text_of(result.path)[1])
    assert squash("Por vía IV") in page and squash("Por vía IV (30 min)") in page


def test_a_catalog_in_another_language_or_a_bad_tag_is_refused(sheet_copy: Path) -> None:
    write_catalog(sheet_copy, "vi")
    (sheet_copy / "vi.po").rename(sheet_copy / "ko.po")
    with pytest.raises(ContentError, match="Language header says 'vi', its name says 'ko'"):
        open_edition(sheet_copy, "ko")
    with pytest.raises(ContentError, match="is not a language tag"):
        open_edition(sheet_copy, "../../etc/passwd")


def test_status_says_which_catalogs_can_build(
    sheet_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_catalog(sheet_copy, "vi")
    write_catalog(sheet_copy, "ko", change=set_msgstr(DOSE, ""))
    code, stdout, _ = run(capsys, "i18n", "status", str(sheet_copy), "--layout", "letter")
    assert code == 1
    assert "ko: does not build: 1 problem;" in stdout and "untranslated" in stdout
    assert "1 untranslated" in stdout
    assert "vi: builds (letter); " in stdout and "0 guard failures" in stdout


def test_status_counts_identical_entries_lists_exceptions_and_lays_out(
    sheet_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """English left in place, a reviewed exception, and an edition too long to fit."""
    heading = "How do our bones work?"

    def change(entry: polib.POEntry) -> None:
        if entry.msgid == heading:
            entry.msgstr = heading  # copied, not translated
        elif entry.msgid == "Every 4 weeks":
            entry.msgstr = "Cada 4 semanas (30 min)"
            entry.tcomment = "guard-allow: (none) -> 30 min"

    write_catalog(sheet_copy, "es", change=change)
    vietnamese = pseudo("vi", load_glossary(sheet_copy).names)
    write_catalog(sheet_copy, "vi", lambda text: vietnamese(text) + " dài hơn nhiều" * 6)
    code, stdout, _ = run(capsys, "i18n", "status", str(sheet_copy), "--layout", "letter")
    assert code == 1
    assert "es: builds (letter)" in stdout and "1 identical to the English" in stdout
    assert "1 allowed exceptions" in stdout
    assert re.search(r"allowed: .*es\.po:\d+: pages\[1\].*guard-allow: \(none\) -> 30 min", stdout)
    # every entry passes, yet it does not build: status lays the edition out
    vi_line = next(line for line in stdout.splitlines() if line.startswith("vi: "))
    assert vi_line.startswith("vi: does not build") and " 0 fuzzy, 0 untranslated" in vi_line
    assert "0 guard failures" in vi_line


def test_a_translation_needs_the_glossary_of_protected_names(sheet_copy: Path) -> None:
    write_catalog(sheet_copy, "es")
    (sheet_copy / "glossary.yaml").unlink()
    open_edition(sheet_copy, "es")  # the series glossary alone protects the drug names
    (sheet_copy.parent / "glossary.yaml").unlink()
    with pytest.raises(ContentError, match=r"no glossary.*hint: create .*content/glossary\.yaml"):
        open_edition(sheet_copy, "es")


def test_a_translated_edition_builds_to_the_same_bytes_every_time(
    pseudo_sheet: Path, tmp_path: Path
) -> None:
    first = build_edition(pseudo_sheet, "zh-Hans", "letter", tmp_path / "1.pdf")
    second = build_edition(pseudo_sheet, "zh-Hans", "letter", tmp_path / "2.pdf")
    assert first.sha256 == second.sha256


@pytest.mark.parametrize("action", ["extract", "update", "status"])
def test_every_i18n_action_has_help(action: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["i18n", action, "--help"])
    assert exit_info.value.code == 0 and "translating.md" in capsys.readouterr().out


# --- the translators' catalogs -------------------------------------------------------------------

SHIPPED = sorted(SHEET_DIR.glob("*.po"))


@pytest.mark.parametrize("catalog", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_catalog_builds_two_pages_in_its_language(
    catalog: Path, tmp_path: Path
) -> None:
    lang = catalog.stem
    result = build_edition(SHEET_DIR, lang, "letter", tmp_path / f"{lang}.pdf")
    assert_reads_its_strings(result, SHEET_DIR, lang)
