"""What the speed work relies on, checked by outcome (timings live in `make bench`, never here).

- ReportLab formats every coordinate with its C accelerator (rl-accel), not the
  pure-Python fallback it silently uses when the package is missing.
- A long-lived process reuses checked editions, and notices at once an edit of
  any file an edition read (the YAML, a picture).
- Files in a sheet folder that no edition reads never cost a build time or
  memory: a 2 GB file beside en.yaml changes neither the PDF nor the peak memory.
- The fast paths keep the slow paths' answers: the compiled schema validator and
  libyaml's composer, and the direction check's quick filter for right-to-left
  letters.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PIL import Image

from factsheet.errors import ContentError
from factsheet.publish.build import build_edition
from tests.helpers import ROOT, SHEET_DIR, edit_sheet, normalize


def test_reportlab_formats_numbers_with_its_c_accelerator() -> None:
    from reportlab.lib import rl_accel
    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfgen import canvas

    # The fallback is a Python function recorded in _py_funcs; the accelerator is a builtin.
    assert "fp_str" not in rl_accel._py_funcs
    for module in (rl_accel, pdfdoc, canvas):
        assert type(module.fp_str).__name__ == "builtin_function_or_method", module.__name__
    assert rl_accel.fp_str(1.23456, 2.7891666, 2, 13, 11) == "1.23456 2.789167 2 13 11"


# Starts a command and prints its peak resident memory (KiB) and exit status. Started
# from this small process, not from pytest: at exec Linux keeps the parent image's
# high-water mark, so a child of a big test process would inherit the test's peak.
_PEAK = """
import os, sys
null = os.open(os.devnull, os.O_WRONLY)
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ,
                     file_actions=[(os.POSIX_SPAWN_DUP2, null, 1)])
_, status, usage = os.wait4(pid, 0)
print(usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def peak_build(folder: Path, output: Path) -> tuple[float, int]:
    """`factsheet build` of `folder` in a fresh process: its peak memory (MB) and exit code."""
    command = [sys.executable, "-m", "factsheet", "build", str(folder), "-o", str(output)]
    found = subprocess.run(
        [sys.executable, "-c", _PEAK, *command], capture_output=True, text=True, cwd=ROOT
    )
    peak, status = found.stdout.split()
    return int(peak) / 1024, int(status)


def sparse(path: Path, size: int) -> Path:
    """A file of `size` bytes that takes no disk space (all holes)."""
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


TWO_GB = 2 * 1024**3


# Files of every kind: one no build reads, and a picture and a YAML file no edition names.
BIG_FILES = ("archive.bin", "old-scan.png", "notes.yaml")


def test_a_2_gb_file_no_edition_reads_changes_neither_memory_nor_the_pdf(
    sheet_copy: Path, tmp_path: Path
) -> None:
    peak_build(sheet_copy, tmp_path / "plain.pdf")
    for name in BIG_FILES:
        sparse(sheet_copy / name, TWO_GB)
    peak, status = peak_build(sheet_copy, tmp_path / "with-files.pdf")
    assert status == 0
    assert (tmp_path / "with-files.pdf").read_bytes() == (tmp_path / "plain.pdf").read_bytes()
    assert peak < 200, f"peak {peak:.0f} MB with 2 GB files beside en.yaml"


def test_a_batch_fingerprint_never_reads_a_file_no_build_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factsheet.publish import inputs
    from factsheet.publish.batch import BatchOptions, plan_batch

    content = tmp_path / "content"
    shutil.copytree(SHEET_DIR, content / SHEET_DIR.name)
    options = BatchOptions(out=tmp_path / "out", content_dir=content)
    before = [task.inputs for task in plan_batch(options).build]
    for name in BIG_FILES:
        sparse(content / SHEET_DIR.name / f"big-{name}", TWO_GB)
    read: list[Path] = []
    hash_file = inputs.sha256_file
    monkeypatch.setattr(inputs, "sha256_file", lambda p: read.append(p) or hash_file(p))
    after = [task.inputs for task in plan_batch(options).build]
    assert after == before
    assert read and not [p for p in read if p.name.startswith("big-")]


def pdf_text(path: Path) -> str:
    return normalize(" ".join(page.extract_text() for page in pypdf.PdfReader(path).pages))


def test_a_reused_edition_notices_an_edit_of_any_file_it_read(
    sheet_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "sheet.pdf"
    Image.new("RGB", (40, 20), "white").save(sheet_copy / "bones.png")

    def add_picture_and(words: str) -> Any:
        def change(data: dict[str, Any]) -> None:
            main = data["pages"][1]["main"]
            main[:] = [{"image": {"path": "bones.png", "alt": "Bones", "width": 0.3}}, *main]
            main[1] = {"paragraph": words}

        return change

    edit_sheet(sheet_copy, add_picture_and("Zebra crossings are striped."))
    build_edition(sheet_copy, "en", "letter", out)
    assert "Zebra crossings are striped." in pdf_text(out)
    edit_sheet(
        sheet_copy,
        lambda data: data["pages"][1]["main"].__setitem__(1, {"paragraph": "Giraffes are tall."}),
    )
    build_edition(sheet_copy, "en", "letter", out)
    assert "Giraffes are tall." in pdf_text(out)
    assert "Zebra" not in pdf_text(out)
    Image.new("RGB", (40, 20), "white").save(sheet_copy / "bones.png", format="GIF")
    with pytest.raises(ContentError, match="not a PNG or JPEG"):
        build_edition(sheet_copy, "en", "letter", out)


def _schema_cases() -> list[tuple[Path, Path]]:
    """(YAML file, its schema): every bad-input case, every sheet, layout and glossary."""
    from factsheet.content.validate import SCHEMA_PATH as SHEET_SCHEMA
    from factsheet.layout.theme import SCHEMA_PATH as LAYOUT_SCHEMA

    glossary_schema = ROOT / "factsheet" / "content" / "schemas" / "glossary.schema.json"
    cases = [(p, SHEET_SCHEMA) for p in sorted((ROOT / "tests").glob("content_cases/*/*.yaml"))]
    cases += [(p, SHEET_SCHEMA) for p in sorted((ROOT / "content").glob("*/en.yaml"))]
    cases += [(p, LAYOUT_SCHEMA) for p in sorted((ROOT / "layouts").glob("*.yaml"))]
    cases += [(p, glossary_schema) for p in sorted((ROOT / "content").glob("*/glossary.yaml"))]
    return cases


@pytest.mark.parametrize(
    "path, schema_path", _schema_cases(), ids=lambda p: "/".join(Path(p).parts[-2:])
)
def test_the_compiled_validator_agrees_with_the_explaining_one(
    path: Path, schema_path: Path
) -> None:
    """A file the fast validator passes must have nothing to explain, and the reverse."""
    from factsheet.content import yamlfile

    try:
        doc = yamlfile.load_yaml(path)
    except ContentError:
        pytest.skip("not loadable YAML: the schema never sees it")
    schema = yamlfile.load_schema(schema_path)
    instance = yamlfile._as_json(doc.data)
    explained = list(yamlfile._compiled(schema).validator.iter_errors(instance))
    assert yamlfile._fast_validator(schema).is_valid(instance) == (not explained)


def _yaml_files() -> list[Path]:
    found = sorted((ROOT / "tests").glob("content_cases/*/*.yaml"))
    found += sorted((ROOT / "content").glob("*/*.yaml")) + sorted((ROOT / "layouts").glob("*.yaml"))
    return found


@pytest.mark.parametrize("path", _yaml_files(), ids=lambda p: "/".join(p.parts[-2:]))
def test_libyamls_composer_gives_the_same_document_and_problems(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where libyaml composes the tree itself, data, positions and problems are unchanged."""
    from factsheet.content import yamlfile

    def load() -> tuple[object, ...]:
        try:
            doc = yamlfile.load_yaml(path)
        except ContentError as error:
            return ("error", [str(p) for p in error.problems])
        return (doc.data, dict(doc.positions), dict(doc.key_positions), doc.value_problems)

    fast = load()
    monkeypatch.setattr(yamlfile, "_C_NODES", None)
    assert load() == fast


def test_every_right_to_left_letter_is_in_the_direction_checks_quick_filter() -> None:
    """The check for right-to-left letters in a left-to-right text looks at each
    character's bidi class only in a string with a character of the right-to-left
    blocks: every character of class R or AL must be in them, or it would pass unseen."""
    import unicodedata

    from factsheet.content.direction import _MAYBE_RTL

    missed = [
        f"U+{code:04X}"
        for code in range(0x110000)
        if unicodedata.bidirectional(chr(code)) in ("R", "AL") and not _MAYBE_RTL.match(chr(code))
    ]
    assert missed == []
