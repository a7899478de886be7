"""The command line as a clinic uses it: exit codes, messages, and files written or not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from factsheet.cli import main
from tests.helpers import edit_sheet

LONG_PARAGRAPH = " ".join(["Bone metastases are treated with breast cancer drugs."] * 200)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", ["build", "check", "preview"])
def test_every_subcommand_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "--layout" in capsys.readouterr().out


def test_build_reports_path_pages_and_scale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sheet.pdf"
    code, stdout, _ = run(capsys, "build", "bone-protection", "-o", str(out))
    assert code == 0 and out.is_file()
    assert f"wrote {out}: 2 pages" in stdout
    assert "type scale" in stdout and "body" in stdout


def test_check_validates_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, stdout, _ = run(capsys, "check", "bone-protection", "--layout", "a4")
    assert code == 0 and stdout.startswith("ok: bone-protection (en, a4) fits 2 pages")
    assert list(tmp_path.iterdir()) == []


def test_preview_writes_one_png_per_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run(capsys, "preview", "bone-protection", "-o", str(tmp_path), "--dpi", "40")
    assert code == 0
    pngs = sorted(tmp_path.glob("*.png"))
    assert [p.name for p in pngs] == [
        "bone-protection-en-letter-p1.png",
        "bone-protection-en-letter-p2.png",
    ]
    with Image.open(pngs[0]) as image:
        assert image.size == (340, 440)  # 8.5 × 11 in at 40 dpi


def test_unknown_layout_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "bone-protection", "--layout", "tabloid")
    assert code == 2
    assert "unknown layout 'tabloid'" in err and "a4, large-print, letter" in err


def test_unknown_sheet_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "build", "no-such-sheet")
    assert code == 2 and "no sheet 'no-such-sheet'" in err and "bone-protection" in err


def _overfill(data: dict[str, Any]) -> None:
    data["pages"][0]["main"].append({"paragraph": LONG_PARAGRAPH})


def test_content_that_cannot_fit_names_page_region_and_overflow(
    sheet_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_sheet(sheet_copy, _overfill)
    out = tmp_path / "out.pdf"
    code, _, err = run(capsys, "build", str(sheet_copy), "-o", str(out))
    assert code == 2
    assert "page 1 main overflows by" in err and "even at the floor size 9 pt" in err
    assert "lines" in err and "Traceback" not in err
    assert not out.exists() and list(tmp_path.glob("*.tmp")) == []


def test_a_table_row_taller_than_a_page_is_named(
    sheet_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def tall_cell(data: dict[str, Any]) -> None:
        table = next(b["table"] for b in data["pages"][1]["main"] if "table" in b)
        table["rows"][0]["cells"][0] = " ".join(["Given through an IV."] * 500)

    edit_sheet(sheet_copy, tall_cell)
    code, _, err = run(capsys, "check", str(sheet_copy))
    assert code == 2
    assert "table row 'How is it given?' is" in err and "pt tall; a page has" in err


def test_bad_content_exits_2_with_every_problem_and_no_file(
    sheet_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def break_two_things(data: dict[str, Any]) -> None:
        data["pages"][0]["main"][0] = {"paragrph": "typo in the kind"}
        data["publisher"]["website"] = "javascript:alert(1)"

    edit_sheet(sheet_copy, break_two_things)
    out = tmp_path / "out.pdf"
    code, _, err = run(capsys, "build", str(sheet_copy), "-o", str(out))
    assert code == 2 and not out.exists()
    lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(lines) >= 2, err
    assert any("en.yaml:" in line and "paragraph" in line for line in lines)
    assert any("javascript" in line for line in lines)
    assert "Traceback" not in err


def test_a_catalog_that_is_not_utf8_is_named_with_line_and_column(
    sheet_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    (sheet_copy / "es.po").write_bytes(header + b'msgid "Bone"\nmsgstr "Hueso caf\xe9"\n')
    code, _, err = run(capsys, "check", str(sheet_copy), "--lang", "es")
    assert code == 2
    # msgstr "Hueso caf is 17 characters: the bad byte is column 18 of line 6.
    assert "es.po:6:18: the file is not UTF-8 (byte 0xE9 cannot be decoded)" in err, err


def test_warnings_travel_with_the_build_and_strict_makes_them_fatal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Droid Sans Fallback has no bold face: bold Chinese is outlined, and said so.
    out = tmp_path / "zh.pdf"
    code, _, err = run(capsys, "build", "bone-protection", "--lang", "zh-Hans", "-o", str(out))
    assert code == 0 and out.is_file()
    assert "warning: bold text is drawn by outlining DroidSansFallbackFull" in err
    strict = tmp_path / "zh-strict.pdf"
    argv = ["build", "bone-protection", "--lang", "zh-Hans", "--strict", "-o", str(strict)]
    code, _, err = run(capsys, *argv)
    assert code == 1 and not strict.exists()
    assert "1 warning(s) with --strict" in err
    # The English sheet has nothing to warn about, so CI's strict build passes.
    code, _, err = run(capsys, "check", "bone-protection", "--strict")
    assert code == 0 and "warning" not in err


def test_a_translated_clinic_edition_titles_the_clinic_box_in_its_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pypdf

    out = tmp_path / "es-clinic.pdf"
    argv = ["build", "bone-protection", "--lang", "es", "--clinic", "examples/clinic.yaml"]
    code, _, _ = run(capsys, *argv, "-o", str(out))
    text = pypdf.PdfReader(out).pages[1].extract_text()
    assert code == 0
    assert "Su clínica" in text and "Your clinic" not in text
    assert "Riverside Cancer Centre" in text


def test_factsheet_alone_prints_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys)
    assert code == 0 and err == ""
    assert out.startswith("usage: factsheet")
    for command in ("new", "list", "build", "check", "preview", "batch", "site", "serve", "i18n"):
        assert f"    {command} " in out


def test_every_command_module_is_registered_and_has_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import argparse

    from factsheet.cli import COMMANDS, parser

    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    names = list(sub.choices)
    assert len(names) >= len(COMMANDS)  # every module adds at least one command
    for name in names:
        with pytest.raises(SystemExit) as exit_info:
            main([name, "--help"])
        assert exit_info.value.code == 0, name
        assert capsys.readouterr().out.startswith(f"usage: factsheet {name}")


def test_the_command_line_starts_without_heavy_imports() -> None:
    """`factsheet --help` (and every command's start) must not pay for the pipeline."""
    import subprocess
    import sys

    from tests.helpers import ROOT

    probe = "import sys, factsheet.cli; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    heavy = {"reportlab", "pikepdf", "pypdfium2", "PIL", "yaml", "jsonschema", "starlette"}
    heavy |= {"uvicorn", "watchfiles", "rich", "jinja2", "polib", "babel", "pypdf"}
    assert heavy.isdisjoint(name.split(".")[0] for name in loaded)
    stages = ("content", "layout", "render", "publish", "web", "audit")
    assert [m for m in loaded if m.split(".")[:2] in [["factsheet", s] for s in stages]] == []
