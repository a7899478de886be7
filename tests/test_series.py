"""The sheets of a series: checklists, and related-sheet entries that link to each other."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pypdf
import pytest

from factsheet.cli import main
from factsheet.content.series import load_series
from factsheet.publish.build import build_edition
from tests.conftest import EditionKey
from tests.helpers import SHEET_DIR, edit_sheet, normalize

CONTENT = SHEET_DIR.parent
QUESTIONS = "questions-to-ask"


def _uris(path: Path) -> list[str]:
    uris = []
    for page in pypdf.PdfReader(path).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            if "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


def _roles(pdf: pikepdf.Pdf) -> list[tuple[str, list[str]]]:
    """Each structure element's role with its children's roles, in document order."""
    found, todo = [], list(pdf.Root.StructTreeRoot.K)
    while todo:
        node = todo.pop(0)
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            kids = node.get("/K", [])
            kids = list(kids if isinstance(kids, pikepdf.Array) else [kids])
            child_roles = [
                str(k.S)[1:] for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k
            ]
            found.append((str(node.S)[1:], child_roles))
            todo = kids + todo
    return found


def test_related_sheets_link_to_their_page_on_the_series_website(
    built: Callable[[EditionKey], Path],
) -> None:
    site = load_series(SHEET_DIR).site
    assert site is not None
    uris = _uris(built((SHEET_DIR.name, "en", "letter")))
    for other in ("her2-targeted-therapies", QUESTIONS):  # both exist in content/
        assert f"{site}/sheets/{other}/" in uris
    # The related titles of sheets the series does not have print without a link.
    assert not any("what-is-it" in uri or "quality-of-life" in uri for uri in uris)


def test_every_sheet_links_every_related_sheet_that_exists() -> None:
    series = load_series(SHEET_DIR)
    for folder in sorted(CONTENT.glob("*/en.yaml")):
        text = folder.read_text(encoding="utf-8")
        for line in text.splitlines():
            if line.strip().startswith("sheet:") and line.startswith(" "):
                assert line.split(":", 1)[1].strip() in series.sheets, (folder, line)


def test_a_sheet_copied_alone_builds_with_a_warning_and_strict_refuses_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / SHEET_DIR.name
    shutil.copytree(SHEET_DIR, folder, ignore=shutil.ignore_patterns("*.po", "*.pot"))
    shutil.copy2(CONTENT / "glossary.yaml", tmp_path / "glossary.yaml")
    result = build_edition(folder, "en", "letter", tmp_path / "alone.pdf")
    assert result.path is not None
    assert any("no sheet 'questions-to-ask' beside this one" in w for w in result.warnings)
    assert not any("/sheets/" in uri for uri in _uris(result.path))

    code = main(["build", str(folder), "--strict", "-o", str(tmp_path / "strict.pdf")])
    assert code == 1 and not (tmp_path / "strict.pdf").exists()
    assert "no sheet 'questions-to-ask' beside this one" in capsys.readouterr().err


def test_a_series_without_a_site_builds_its_related_titles_unlinked(tmp_path: Path) -> None:
    for name in (SHEET_DIR.name, QUESTIONS, "her2-targeted-therapies"):
        shutil.copytree(CONTENT / name, tmp_path / name, ignore=shutil.ignore_patterns("*.po"))
    shutil.copy2(CONTENT / "glossary.yaml", tmp_path / "glossary.yaml")
    result = build_edition(tmp_path / SHEET_DIR.name, "en", "letter", tmp_path / "x.pdf")
    assert result.path is not None
    assert any("needs the series' website address" in w for w in result.warnings)


def test_a_checklist_is_a_list_of_boxes_a_screen_reader_reads_as_items(
    built: Callable[[EditionKey], Path],
) -> None:
    path = built((QUESTIONS, "en", "letter"))
    text = normalize(" ".join(page.extract_text() for page in pypdf.PdfReader(path).pages))
    assert "What are my treatment options?" in text
    assert "☐" not in text and "•" not in text.split("Getting the most")[0]  # boxes are drawn
    with pikepdf.open(path) as pdf:
        roles = _roles(pdf)
        items = [kids for role, kids in roles if role == "LI"]
        # 5 + 6 questions on page 1, 4 + 3 + 4 on page 2: a box is no label to read (the
        # resources box's entry has none either), while bullets keep their Lbl.
        assert sum(kids == ["LBody"] for kids in items) == 22 + 1
        assert all(kids == ["Lbl", "LBody"] for kids in items if kids != ["LBody"])
        # Each box is a stroked square drawn as an artifact: "re" then "S" in page 1's stream.
        stream = pdf.pages[0].Contents.read_bytes() if not isinstance(
            pdf.pages[0].Contents, pikepdf.Array
        ) else b"".join(c.read_bytes() for c in pdf.pages[0].Contents)
        assert stream.count(b" re\nS") + stream.count(b" re S") >= 11


def test_a_checklist_item_may_not_be_empty(tmp_path: Path) -> None:
    folder = tmp_path / SHEET_DIR.name
    shutil.copytree(SHEET_DIR, folder, ignore=shutil.ignore_patterns("*.po", "*.pot"))
    shutil.copy2(CONTENT / "glossary.yaml", tmp_path / "glossary.yaml")
    edit_sheet(folder, lambda d: d["pages"][0]["main"].append({"checklist": []}))
    code = main(["check", str(folder)])
    assert code == 2
