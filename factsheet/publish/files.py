"""Finding sheets and writing files safely."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from factsheet.errors import ContentError, InputError, OutputError, Problem

ROOT = Path(__file__).resolve().parents[2]
CONTENT_DIR = ROOT / "content"
BUILD_DIR = Path("build")


def available_sheets(content_dir: Path = CONTENT_DIR) -> list[str]:
    return sorted(p.parent.name for p in content_dir.glob("*/en.yaml"))


def resolve_sheet(name_or_path: str, content_dir: Path = CONTENT_DIR) -> Path:
    """A sheet id (`bone-protection`) or a path to a sheet folder → the folder."""
    candidate = Path(name_or_path)
    if name_or_path.strip() and candidate.is_dir() and (candidate / "en.yaml").is_file():
        return candidate
    if candidate.name == "en.yaml" and candidate.is_file():
        return candidate.parent
    folder = content_dir / name_or_path
    if name_or_path.strip() and "/" not in name_or_path and (folder / "en.yaml").is_file():
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


class OutputPathError(InputError):
    """The place given for an output is not somewhere a file can go (exit 2)."""


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder, then rename.

    A reader (or an interrupted batch) never sees a half-written file. The file
    gets the mode any new file gets under the umask (0644 by default), like a
    file saved by an editor. A symbolic link is followed (the link stays, its
    target is replaced); a folder, device, FIFO or socket is refused rather than
    replaced by a regular file (as root, `-o /dev/null` would otherwise
    replace /dev/null).
    """
    path = _followed(path)
    _refuse_special(path)
    ensure_folder(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _output_error(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o666 & ~_umask())  # mkstemp makes 0600
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _output_error(path, exc) from None
        raise


def _followed(path: Path) -> Path:
    """The file a symbolic link points to (resolved once: a link to a link is followed too)."""
    try:
        return path.resolve() if path.is_symlink() else path
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of links
        raise OutputPathError([_bad_path(path, f"cannot follow the link: {exc}")]) from None


_SPECIAL = (
    (stat.S_ISDIR, "is a folder", "give a file name inside it"),
    (stat.S_ISCHR, "is a device", "give the name of an ordinary file"),
    (stat.S_ISBLK, "is a device", "give the name of an ordinary file"),
    (stat.S_ISFIFO, "is a named pipe (FIFO)", "give the name of an ordinary file"),
    (stat.S_ISSOCK, "is a socket", "give the name of an ordinary file"),
)


def _refuse_special(path: Path) -> None:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except NotADirectoryError:
        raise OutputPathError([_under_a_file(path)]) from None
    except OSError as exc:
        raise _output_error(path, exc) from None
    for test, what, hint in _SPECIAL:
        if test(mode):
            raise OutputPathError([_bad_path(path, f"{what}, not a file to write", hint)])


def refuse_inputs(path: Path, inputs: Iterable[Path]) -> None:
    """An output that is one of the build's own inputs (`-o content/x/en.yaml`, the
    catalog, a picture, the layout) is refused: writing it would destroy the source."""
    if not path.exists():
        return
    for source in inputs:
        try:
            same = source.exists() and os.path.samefile(path, source)
        except OSError:
            continue
        if same:
            itself = os.path.abspath(source) == os.path.abspath(path)
            message = f"is {'an input' if itself else f'{source}, an input'} of this build"
            hint = (
                "give the output a name of its own (the default is build/pdf/SHEET-LANG-LAYOUT.pdf)"
            )
            raise OutputPathError([_bad_path(path, message, hint)])


def ensure_folder(folder: Path) -> None:
    """Make `folder` (and its parents); a file in the way is bad input, a disk fault not."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputPathError([_under_a_file(folder)]) from None
    except OSError as exc:
        raise _output_error(folder, exc) from None


def _under_a_file(path: Path) -> Problem:
    blocker = next((p for p in (path, *path.parents) if p.is_file()), path)
    return _bad_path(
        path, f"'{blocker}' is a file, so nothing can be written under it", "give another folder"
    )


def _bad_path(path: Path, message: str, hint: str = "") -> Problem:
    return Problem(str(path), 0, 0, "", message, hint)


_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
}


def os_error_reason(exc: OSError) -> str:
    """A disk fault in words a user acts on ("the disk is full"), else the system's."""
    return _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)


def _output_error(path: Path, exc: OSError) -> OutputError:
    return OutputError(f"cannot write {path}: {os_error_reason(exc)}; nothing was written")


def _umask() -> int:
    """The process's umask, read without changing it (/proc on Linux), else set and restored."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
