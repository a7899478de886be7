"""Shared fixtures: the default sheet built once per layout, and helpers to read PDFs."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from factsheet.content import model as m
from factsheet.layout.theme import available_layouts
from factsheet.publish.build import BuildResult, build_edition, load_edition
from tests.helpers import SHEET_DIR

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
def letter(builds: dict[str, BuildResult]) -> pypdf.PdfReader:
    path = builds["letter"].path
    assert path is not None
    return pypdf.PdfReader(path)


@pytest.fixture
def sheet_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the sheet folder (named as its id requires) and the series glossary."""
    folder = tmp_path / "bone-protection"
    shutil.copytree(SHEET_DIR, folder, ignore=shutil.ignore_patterns("*.po", "*.pot"))
    shutil.copy2(SHEET_DIR.parent / "glossary.yaml", tmp_path / "glossary.yaml")
    yield folder
