"""Inputs that used to end in a traceback: each is now one clear line and an exit code.

One row per case: how to prepare the input (a text edit of a sheet, layout or
clinic copy, a PDF, a fault of the disk), the command, the exit code (2 bad
input, 1 the build failed on good input) and words the message must contain.
Disk faults are simulated (we run as root, so a read-only folder would not
refuse us): the system call that writes fails with ENOSPC or EROFS, exactly as
a full or read-only disk makes it fail.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest

from factsheet.cli import main
from tests.helpers import ROOT

Prepare = Callable[[Path], None]


def _replace(relative: str, old: str, new: str) -> Prepare:
    """Edit a file of the case folder as an author would: one piece of text for another."""

    def prepare(tmp: Path) -> None:
        path = tmp / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return prepare


def _with_image(width: str, path: str = "pic.png") -> Prepare:
    """Add a picture block to page 1 of the sheet copy (and the PNG it names)."""

    def prepare(tmp: Path) -> None:
        from PIL import Image

        Image.new("RGB", (40, 30), "red").save(tmp / "bone-protection" / "pic.png")
        block = f"      - image: {{path: {path}, alt: A red box, width: {width}}}\n"
        _replace("bone-protection/en.yaml", "  - main:\n", "  - main:\n" + block)(tmp)

    return prepare


def _pdf(kind: str) -> Prepare:
    """out.pdf: the sheet encrypted, or with a page stream that inflates to 300 MB."""

    def prepare(tmp: Path) -> None:
        from factsheet.publish.build import build_edition

        plain = tmp / "plain.pdf"
        build_edition(tmp / "bone-protection", output=plain)
        with pikepdf.open(plain) as pdf:
            if kind == "encrypted":
                pdf.save(tmp / "out.pdf", encryption=pikepdf.Encryption(owner="o", user=""))
                return
            stream = pikepdf.Stream(pdf, zlib.compress(b" " * 300 * 1024 * 1024, 9))
            stream.Filter = pikepdf.Name.FlateDecode
            pdf.pages[0].obj.Contents = pdf.make_indirect(stream)
            pdf.save(tmp / "out.pdf", stream_decode_level=pikepdf.StreamDecodeLevel.none)

    return prepare


def _fifo(tmp: Path) -> None:
    os.mkfifo(tmp / "fifo.pdf")


def _file(tmp: Path) -> None:
    (tmp / "afile").write_text("not a folder")


@dataclass(frozen=True)
class Case:
    name: str
    argv: tuple[str, ...]  # {tmp} is the case folder: bone-protection/, layout.yaml, clinic.yaml
    code: int
    message: str  # words the error must contain
    prepare: Prepare | None = None
    fault: int = 0  # errno the disk answers every write with (ENOSPC full, EROFS read-only)


SHEET = "{tmp}/bone-protection"
EN = "bone-protection/en.yaml"
BUILD = ("build", SHEET, "-o", "{tmp}/out/x.pdf")
PREVIEW = ("preview", SHEET, "-o", "{tmp}/png", "--dpi", "40")
BATCH = ("batch", "--content", "{tmp}", "--out", "{tmp}/editions", "-j", "1")
SITE = ("site", "--content", "{tmp}", "-o", "{tmp}/site", "--releases", "{tmp}/releases")
LAYOUT = ("check", SHEET, "--layout", "{tmp}/layout.yaml")
NUMBER = "is not a usable number"
FULL, READ_ONLY = "the disk is full", "the disk is read-only"

CASES = [
    Case("image path with NUL", ("check", SHEET), 2, "U+0000", _with_image("0.5", '"pic\\0.png"')),
    Case(
        "logo path with NUL",
        (*BUILD, "--clinic", "{tmp}/clinic.yaml"),
        2,
        "clinic.yaml:6:7: logo: the text contains the control character U+0000",
        _replace("clinic.yaml", "web:", 'logo: "logo\\0.png"\nweb:'),
    ),
    Case(
        "font path with NUL",
        LAYOUT,
        2,
        "the control character U+0000",
        _replace("layout.yaml", "gutter:", 'fonts: {latin: {regular: "a\\0.ttf"}}\ngutter:'),
    ),
    Case(
        "image width .nan",
        ("check", SHEET),
        2,
        f"image.width: '.nan' {NUMBER}",
        _with_image(".nan"),
    ),
    Case(
        "image width .inf",
        ("check", SHEET),
        2,
        f"image.width: '.inf' {NUMBER}",
        _with_image(".inf"),
    ),
    Case(
        "page width .nan",
        LAYOUT,
        2,
        f"layout.yaml:8:15: page.width: '.nan' {NUMBER}",
        _replace("layout.yaml", "width: 612", "width: .nan"),
    ),
    Case(
        "page width .inf",
        LAYOUT,
        2,
        f"page.width: '.inf' {NUMBER}",
        _replace("layout.yaml", "width: 612", "width: .inf"),
    ),
    Case(
        "gutter .nan",
        LAYOUT,
        2,
        f"gutter: '.NaN' {NUMBER}",
        _replace("layout.yaml", "gutter: 16", "gutter: .NaN"),
    ),
    Case(
        "clinic slot past the last page",
        LAYOUT,
        2,
        "clinic.page: page 99 is not a page of this layout (1 to 2)",
        _replace("layout.yaml", "clinic: {page: 2", "clinic: {page: 99"),
    ),
    Case("build, disk full", BUILD, 1, f"out: {FULL}", fault=errno.ENOSPC),
    Case("build, read-only disk", BUILD, 1, f"out: {READ_ONLY}", fault=errno.EROFS),
    Case("preview, disk full", PREVIEW, 1, f"png: {FULL}", fault=errno.ENOSPC),
    Case("preview, read-only disk", PREVIEW, 1, f"png: {READ_ONLY}", fault=errno.EROFS),
    Case("batch, disk full", BATCH, 1, FULL, fault=errno.ENOSPC),
    Case("batch, read-only disk", BATCH, 1, READ_ONLY, fault=errno.EROFS),
    Case("site, disk full", SITE, 1, FULL, fault=errno.ENOSPC),
    Case("site, read-only disk", SITE, 1, READ_ONLY, fault=errno.EROFS),
    Case("-o a folder", ("build", SHEET, "-o", "{tmp}"), 2, "is a folder, not a file to write"),
    Case("-o empty", ("build", SHEET, "-o", ""), 2, "-o/--output: expected a file or folder name"),
    Case(
        "-o under a file",
        ("build", SHEET, "-o", "{tmp}/afile/x.pdf"),
        2,
        "afile' is a file, so nothing can be written under it",
        _file,
    ),
    Case("-o a FIFO", ("build", SHEET, "-o", "{tmp}/fifo.pdf"), 2, "is a named pipe (FIFO)", _fifo),
    Case("-o a device", ("build", SHEET, "-o", "/dev/null"), 2, "/dev/null: is a device"),
    Case(
        "-o the sheet's own en.yaml",
        ("build", SHEET, "-o", f"{SHEET}/en.yaml"),
        2,
        "bone-protection/en.yaml: is an input of this build",
    ),
    Case(
        "-o the layout file",
        ("build", SHEET, "--layout", "{tmp}/layout.yaml", "-o", "{tmp}/layout.yaml"),
        2,
        "layout.yaml: is an input of this build",
    ),
    Case(
        "-o the clinic file",
        ("build", SHEET, "--clinic", "{tmp}/clinic.yaml", "-o", "{tmp}/clinic.yaml"),
        2,
        "clinic.yaml: is an input of this build",
    ),
    *(
        Case(f"preview --dpi {dpi}", (*PREVIEW, "--dpi", dpi), 2, f"from 36 to 600, got '{dpi}'")
        for dpi in ("0", "-1", "100000", "3000")
    ),
    Case(
        "audit an encrypted PDF",
        ("audit", "{tmp}/out.pdf"),
        2,
        "out.pdf: not audited: the PDF is encrypted",
        _pdf("encrypted"),
    ),
    Case(
        "audit a decompression bomb",
        ("audit", "{tmp}/out.pdf"),
        2,
        "not audited: its streams expand to more than 128 MB",
        _pdf("bomb"),
    ),
    Case("serve --port 99999", ("serve", "--port", "99999"), 2, "from 1 to 65535, got '99999'"),
    Case("serve --port 0", ("serve", "--port", "0"), 2, "from 1 to 65535, got '0'"),
    Case("an empty sheet name", ("check", ""), 2, "no sheet ''"),
    Case("new with an empty id", ("new", "", "--content", "{tmp}"), 2, "'' cannot be a sheet id"),
    *(
        Case(
            f"{command} --content missing",
            (command, "--content", "{tmp}/none", *more),
            2,
            "none: no such folder",
        )
        for command, more in (
            ("site", ("-o", "{tmp}/site")),
            ("batch", ("--out", "{tmp}/editions")),
            ("list", ()),
        )
    ),
]


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    """A sheet copy (English only), a layout copy and a clinic file, all editable."""
    sheet = tmp_path / "bone-protection"
    shutil.copytree(
        ROOT / "content" / "bone-protection",
        sheet,
        ignore=shutil.ignore_patterns("*.po", "*.pot"),
    )
    shutil.copy(ROOT / "layouts" / "letter.yaml", tmp_path / "layout.yaml")
    shutil.copy(ROOT / "examples" / "clinic.yaml", tmp_path / "clinic.yaml")
    return tmp_path


def _fail_writes(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    """Every write to disk fails as a full (ENOSPC) or read-only (EROFS) disk makes it fail."""

    def refuse_folder(path: Path, *args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code), str(path))

    def refuse_file(*args: object, dir: str = "", **kwargs: object) -> None:
        raise OSError(code, os.strerror(code), dir)

    monkeypatch.setattr(tempfile, "mkstemp", refuse_file)  # every output goes through mkstemp
    monkeypatch.setattr(Path, "mkdir", refuse_folder)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_one_clear_line_and_the_right_exit_code(
    case: Case,
    case_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(case_dir)
    if case.prepare:
        case.prepare(case_dir)
    if case.fault:
        _fail_writes(monkeypatch, case.fault)
    argv = [arg.format(tmp=case_dir) for arg in case.argv]
    try:
        code = main(argv)
    except SystemExit as stop:  # argparse refuses an argument: usage line + one error line
        code = int(stop.code or 0)
    _, err = capsys.readouterr()
    assert (code, case.message in err) == (case.code, True), err
    assert "Traceback" not in err and "internal error" not in err
    assert err.count("error") == 1 or case.name.startswith("batch"), err
    if case.code == 2 and case.argv[0] in {"build", "preview", "site"}:
        assert not (case_dir / "out").exists() and not (case_dir / "png").exists()


def test_fifo_and_device_are_left_as_they_were(
    case_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = case_dir / "fifo.pdf"
    os.mkfifo(fifo)
    assert main(["build", str(case_dir / "bone-protection"), "-o", str(fifo)]) == 2
    assert fifo.is_fifo()
    assert Path("/dev/null").is_char_device()
