"""Finding sheets and writing files safely."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from factsheet.errors import ContentError, Problem

ROOT = Path(__file__).resolve().parents[2]
CONTENT_DIR = ROOT / "content"
BUILD_DIR = Path("build")


def available_sheets(content_dir: Path = CONTENT_DIR) -> list[str]:
    return sorted(p.parent.name for p in content_dir.glob("*/en.yaml"))


def resolve_sheet(name_or_path: str, content_dir: Path = CONTENT_DIR) -> Path:
    """A sheet id (`bone-protection`) or a path to a sheet folder → the folder."""
    candidate = Path(name_or_path)
    if candidate.is_dir() and (candidate / "en.yaml").is_file():
        return candidate
    if candidate.name == "en.yaml" and candidate.is_file():
        return candidate.parent
    folder = content_dir / name_or_path
    if "/" not in name_or_path and (folder / "en.yaml").is_file():
        return folder
    known = ", ".join(available_sheets(content_dir)) or "none"
    raise ContentError(
        [
            Problem(
                name_or_path,
                0,
                0,
                "",
                f"no sheet '{name_or_path}'",
                f"give a sheet folder holding en.yaml, or one of: {known}",
            )
        ]
    )


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder, then rename.

    A reader (or an interrupted batch) never sees a half-written file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
