"""Sheets a new user writes from scratch: `factsheet new`, then an edit, then a build.

Each test starts where an editor starts (a skeleton from `factsheet new` in an
empty content folder), changes what a person would change, and checks what the
command line says and what it writes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdf
import pytest

from factsheet.cli import main
from tests.helpers import ROOT


def _new(content: Path, capsys: pytest.CaptureFixture[str], *more: str) -> tuple[int, str]:
    code = main(["new", "living-well", "--content", str(content), *more])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("title", ["*New*", "[draft] Living well", "snake_case\\path", "A: b"])
def test_a_title_typed_on_the_command_line_prints_as_typed(
    title: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _new(tmp_path, capsys, "--title", title)
    assert code == 0, err
    out = tmp_path / "out.pdf"
    assert main(["build", str(tmp_path / "living-well"), "-o", str(out)]) == 0
    assert pypdf.PdfReader(out).metadata.title.endswith(f": {title}")


@pytest.mark.parametrize(
    "title, message",
    [
        ("a\x1bb", "en.yaml:8:8: title: the text contains the control character U+001B"),
        ("Pills \U0001f48a", 'title: no glyph for U+1F48A PILL ("\U0001f48a")'),
        ("Long words " * 30, "does not fit the band in two lines"),
    ],
)
def test_a_title_that_cannot_print_is_refused_before_anything_is_written(
    title: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _new(tmp_path, capsys, "--title", title)
    assert (code, message in err, "Traceback" in err) == (2, True, False), err
    assert not (tmp_path / "living-well").exists()


def test_every_missing_symbol_is_named_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Symbols and emoji belong to no script: each is named, not the first per run."""
    assert _new(tmp_path, capsys)[0] == 0
    source = tmp_path / "living-well" / "en.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Another point.", "Tick \u2713 daily \U0001f48a."), "utf-8")
    assert main(["check", str(source.parent)]) == 2
    err = capsys.readouterr().err
    assert "U+2713 CHECK MARK" in err and "U+1F48A PILL" in err, err
    assert "2 problems; nothing was written." in err


def test_a_reader_that_stops_reading_ends_the_listing_quietly(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`factsheet list | head -2`: the pipe closes; no 'error: Broken pipe' on the terminal."""
    import io

    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr("sys.stdout", ClosedPipe())
    assert main(["list"]) == 1
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "lang, message",
    [
        ("EN", "'EN' is written 'en'"),  # a second English beside en.yaml
        ("pt-br", "'pt-br' is written 'pt-BR'"),
        ("pt_BR", "'pt_BR' is not a language tag (hint: BCP 47 joins with hyphens: pt-BR)"),
        ("jp", "JP is the country code of Japan; its language's tag is ja"),
        ("xx", "'xx' is not a language CLDR knows"),
    ],
)
def test_a_new_catalog_needs_a_language_cldr_knows_in_its_own_case(
    lang: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _new(tmp_path, capsys)[0] == 0
    sheet = tmp_path / "living-well"
    assert main(["i18n", "update", str(sheet), "--lang", lang]) == 2
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in sheet.iterdir()) == ["en.yaml"]


def test_a_catalog_file_named_out_of_case_is_named_when_the_edition_is_built(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _new(tmp_path, capsys)[0] == 0
    sheet = tmp_path / "living-well"
    assert main(["i18n", "update", str(sheet), "--lang", "pt-BR", "--lang", "zh-Hant"]) == 0
    (sheet / "pt-BR.po").rename(sheet / "pt-br.po")
    assert (
        main(["build", str(sheet), "--lang", "pt-br", "--draft", "-o", str(tmp_path / "x.pdf")])
        == 2
    )
    assert f"{sheet}/pt-br.po: 'pt-br' is written 'pt-BR'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "lang, header, builds",
    [
        ("fr", "fr_FR", True),  # Poedit's "French (France)"
        ("zh-Hans", "zh_CN", True),  # Poedit's Simplified Chinese
        ("zh-Hans", "zh_TW", False),  # Traditional Chinese in a Simplified file
        ("pt-BR", "pt_PT", False),
        ("fr", "de", False),
    ],
)
def test_the_language_header_may_add_a_region_in_the_same_script(
    lang: str, header: str, builds: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _new(tmp_path, capsys)[0] == 0
    shutil.copy(ROOT / "content" / "glossary.yaml", tmp_path)  # the guard's drug names
    sheet = tmp_path / "living-well"
    assert main(["i18n", "update", str(sheet), "--lang", lang]) == 0
    catalog = sheet / f"{lang}.po"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace(f'"Language: {lang}\\n"', f'"Language: {header}\\n"'), "utf-8")
    argv = ["build", str(sheet), "--lang", lang, "--draft", "-o", str(tmp_path / "x.pdf")]
    assert main(argv) == (0 if builds else 2)
    said = f"the catalog's Language header says '{header.replace('_', '-')}'"
    assert (said in capsys.readouterr().err) == (not builds)


@pytest.mark.parametrize("change", ["Pg", "K"])
def test_a_malformed_pdf_from_another_tool_fails_the_audit_with_a_reason(
    change: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An integer where a page or an element belongs: a failure naming what could not be
    read (Pg), or a tree with no elements at all (K); never an internal error."""
    import pikepdf

    from factsheet.publish.build import build_edition

    plain, broken = tmp_path / "plain.pdf", tmp_path / "broken.pdf"
    build_edition(ROOT / "content" / "questions-to-ask", output=plain)
    with pikepdf.open(plain) as pdf:
        tree = pdf.Root.StructTreeRoot
        if change == "K":
            tree.K = 5
        else:
            kids = tree.K
            (kids[0] if isinstance(kids, pikepdf.Array) else kids).Pg = 5
        pdf.save(broken)
    assert main(["audit", str(broken)]) == 1
    out, err = capsys.readouterr()
    expected = {
        "Pg": "the structure tree: cannot be read: the PDF holds a malformed object there",
        "K": "structure tree: the structure tree holds no elements",
    }[change]
    assert expected in out and "internal error" not in err, out + err


@pytest.mark.parametrize(
    "tag, script",
    [
        ("hi", "Deva"),  # the brand's Devanagari leading
        ("ar", "Arab"),
        ("zh-Hans", "Hans"),
        ("zh-TW", "Hant"),  # the region decides: Taiwan writes Traditional Chinese
        ("zh", "Hans"),
        ("sr-Latn", "Latn"),  # a script subtag is the script
        ("pt-BR", "Latn"),
        ("xx", ""),
    ],
)
def test_a_language_has_one_script_for_the_header_check_the_brand_and_the_audit(
    tag: str, script: str
) -> None:
    from factsheet.content.langspans import script_of_language

    assert script_of_language(tag) == script
