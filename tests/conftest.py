"""Shared fixtures: the default sheet built once per layout, every edition of the catalogue
built at most once per session, and helpers to read PDFs."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from factsheet.content import model as m
from factsheet.layout.theme import available_layouts
from factsheet.publish.build import BuildResult, build_edition, load_edition
from factsheet.publish.catalogue import editions
from tests.helpers import SHEET_DIR, copy_series, edit_sheet

# Every sheet × language × layout that exists: a new sheet, catalog or layout
# file is covered by the tests that iterate over this without a change to them.
CATALOGUE = [(e.sheet, e.lang, layout) for e in editions() for layout in available_layouts()]
EditionKey = tuple[str, str, str]  # sheet, language, layout

UPDATE_GOLDEN = os.environ.get("FACTSHEET_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="session")
def sheet() -> m.Sheet:
    return load_edition(SHEET_DIR, "en")


@pytest.fixture(scope="session")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BuildResult]:
    """The English sheet built once in every layout."""
    out = tmp_path_factory.mktemp("pdf")
    return {
        layout: build_edition(SHEET_DIR, "en", layout, out / f"en-{layout}.pdf")
        for layout in available_layouts()
    }


@pytest.fixture(scope="session")
def built(
    tmp_path_factory: pytest.TempPathFactory, builds: dict[str, BuildResult]
) -> Callable[[EditionKey], Path]:
    """`built((sheet, lang, layout))`: that edition's PDF, built the first time it is asked for."""
    out = tmp_path_factory.mktemp("editions")
    cache: dict[EditionKey, Path] = {
        (SHEET_DIR.name, "en", layout): result.path
        for layout, result in builds.items()
        if result.path is not None
    }
    folders = {e.sheet: e.folder for e in editions()}

    def get(key: EditionKey) -> Path:
        if key not in cache:
            sheet, lang, layout = key
            path = out / f"{sheet}-{lang}-{layout}.pdf"
            result = build_edition(folders[sheet], lang, layout, path)
            assert result.path is not None
            cache[key] = result.path
        return cache[key]

    return get


def edition_id(key: EditionKey) -> str:
    return "-".join(key)


@pytest.fixture(scope="session")
def letter(builds: dict[str, BuildResult]) -> pypdf.PdfReader:
    path = builds["letter"].path
    assert path is not None
    return pypdf.PdfReader(path)


@pytest.fixture
def sheet_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the sheet folder (named as its id requires) in a copy of the series:
    its glossary, its settings and the other sheets' sources (related entries link to them)."""
    folder = tmp_path / "bone-protection"
    shutil.copytree(SHEET_DIR, folder, ignore=shutil.ignore_patterns("*.po", "*.pot"))
    copy_series(SHEET_DIR.parent, tmp_path, but=SHEET_DIR.name)
    yield folder


@pytest.fixture(scope="session")
def with_figure(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sheet with a picture in page 2's sidebar, built."""
    folder = tmp_path_factory.mktemp("figure") / "bone-protection"
    shutil.copytree(SHEET_DIR, folder, ignore=shutil.ignore_patterns("*.po", "*.pot"))
    Image.new("RGB", (40, 30), (200, 60, 120)).save(folder / "bones.png")
    image = {"image": {"path": "bones.png", "alt": "A pink rectangle", "width": 0.3}}
    edit_sheet(folder, lambda d: d["pages"][1]["sidebar"].append(image))
    result = build_edition(folder, "en", "letter", folder / "figure.pdf")
    assert result.path is not None
    return result.path
