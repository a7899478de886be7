"""Starting and finding things: `factsheet new`, `factsheet list`, `build --open`."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from factsheet.cli import main
from tests.helpers import ROOT


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A content folder holding a copy of the real sheet and its catalogs."""
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "bone-protection", folder / "bone-protection")
    return folder


def test_new_writes_a_skeleton_that_builds_in_the_series(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["new", "living-well", "--content", str(content), "--title", "Living well: tips"])
    out = capsys.readouterr().out
    source = content / "living-well" / "en.yaml"
    assert code == 0 and out.startswith(f"wrote {source}: a sheet skeleton that builds")
    text = source.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")  # completion in editors
    schema = text.splitlines()[0].split("$schema=")[1]
    assert (source.parent / schema).resolve() == (
        ROOT / "factsheet" / "content" / "schemas" / "sheet.schema.json"
    )
    assert "series: Metastatic Breast Cancer" in text  # joins the series already there
    assert 'title: "Living well: tips"' in text
    pdf = tmp_path / "new.pdf"
    assert main(["build", str(source.parent), "-o", str(pdf), "--strict"]) == 0
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_new_in_an_empty_content_folder_builds_with_placeholders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first sheet of a new series: no sheet to copy the publisher from."""
    content = tmp_path / "content"
    content.mkdir()
    assert main(["new", "first-sheet", "--content", str(content)]) == 0
    text = (content / "first-sheet" / "en.yaml").read_text(encoding="utf-8")
    assert "helpline@example.org" in text and "+1-555-0100" in text  # never a real number
    pdf = tmp_path / "first.pdf"
    assert main(["build", str(content / "first-sheet"), "-o", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_new_refuses_an_existing_sheet_and_a_bad_id(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (content / "bone-protection" / "en.yaml").read_bytes()
    assert main(["new", "bone-protection", "--content", str(content)]) == 2
    assert "en.yaml: already exists" in capsys.readouterr().err
    assert (content / "bone-protection" / "en.yaml").read_bytes() == before
    assert main(["new", "Bone_Protection", "--content", str(content)]) == 2
    assert "'Bone_Protection' cannot be a sheet id" in capsys.readouterr().err
    assert sorted(p.name for p in content.iterdir()) == ["bone-protection"]


def test_list_shows_sheets_languages_with_status_and_layouts(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = content / "bone-protection" / "vi.po"
    text = catalog.read_text(encoding="utf-8")
    first = text.index('msgstr "', text.index('msgid "', text.index("\n\n")))
    end = text.index("\n", first)
    catalog.write_text(text[:first] + 'msgstr ""' + text[end:], encoding="utf-8")
    assert main(["list", "--content", str(content)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "  bone-protection  Bone Protection"
    rows = out[2 : out.index("layouts:")]  # the sheet's languages: every row indented 4
    languages = {line.split()[0]: line.split(maxsplit=1)[1] for line in rows[: _sheet_end(rows)]}
    assert languages["en"].startswith("source, ")
    assert languages["es"].startswith("ready, ")
    assert languages["vi"].startswith("draft: builds only with --draft, 1 problem")
    layouts = out[out.index("layouts:") + 1 :]
    assert [line.split()[0] for line in layouts] == sorted(
        p.stem for p in (ROOT / "layouts").glob("*.yaml")
    )
    assert "US Letter" in next(line for line in layouts if line.split()[0] == "letter")


def test_list_says_a_sheet_with_a_character_no_font_has_does_not_build(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # check and build refuse it (the glyph check): `list` must not call it the source
    source = content / "bone-protection" / "en.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("title: Bone Protection", "title: Bone Protection \u0f00"))
    assert main(["list", "--content", str(content)]) == 0
    out = capsys.readouterr().out.splitlines()
    english = next(line.split(maxsplit=1)[1] for line in out if line.split()[0] == "en")
    assert english == "does not build: 1 problem (see `factsheet check`)"
    assert main(["check", str(source.parent)]) == 2


def _sheet_end(rows: list[str]) -> int:
    return next((i for i, line in enumerate(rows) if not line.startswith("    ")), len(rows))


def test_build_open_without_a_display_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    out = tmp_path / "x.pdf"
    assert main(["build", "bone-protection", "-o", str(out), "--open"]) == 0
    assert f"not opened: no display here (DISPLAY and WAYLAND_DISPLAY are unset); open {out}" in (
        capsys.readouterr().out
    )


def test_build_open_hands_the_pdf_to_the_desktop_viewer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir, opened = tmp_path / "bin", tmp_path / "opened.txt"
    bin_dir.mkdir()
    viewer = bin_dir / "xdg-open"
    viewer.write_text(f'#!/bin/sh\nprintf "%s" "$1" > {opened}\n')
    viewer.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("DISPLAY", ":0")
    out = tmp_path / "x.pdf"
    assert main(["build", "bone-protection", "-o", str(out), "--open"]) == 0
    assert f"opened {out} with xdg-open" in capsys.readouterr().out
    for _ in range(100):  # the viewer runs detached; give it a moment to start
        if opened.exists() and opened.read_text():
            break
        time.sleep(0.05)
    assert opened.read_text() == str(out)
