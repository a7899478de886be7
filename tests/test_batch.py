"""`factsheet batch`: every edition built, listed in a manifest, unchanged ones skipped,
one failure isolated, and an interrupted batch leaving no partial file."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import polib
import pypdf
import pytest

from factsheet.cli import main
from factsheet.content.translatable import translatable_strings
from factsheet.content.yamlfile import load_yaml
from factsheet.errors import OutputError
from factsheet.publish import batch, inputs
from factsheet.publish.batch import BatchOptions, EditionResult, plan_batch, run_plan
from factsheet.publish.files import write_atomic
from tests.helpers import ROOT, SHEET_DIR, edit_sheet

LONG_PARAGRAPH = " ".join(["Bone metastases are treated with breast cancer drugs."] * 200)


# --- fixtures: small content folders -----------------------------------------------------


def add_sheet(content: Path, name: str) -> Path:
    """A copy of the English sheet as sheet `name` (the id must match the folder)."""
    folder = content / name
    shutil.copytree(SHEET_DIR, folder, ignore=shutil.ignore_patterns("*.po", "*.pot"))
    edit_sheet(folder, lambda data: data.update(sheet=name))
    return folder


def add_catalog(folder: Path, lang: str, revised: str = "2026-11-27 10:00+0000") -> Path:
    """A complete catalog for the sheet, every string translated to itself."""
    catalog = polib.POFile()
    catalog.metadata = {
        "Project-Id-Version": folder.name,
        "PO-Revision-Date": revised,
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    strings = translatable_strings(load_yaml(folder / "en.yaml"))
    for text in dict.fromkeys(s.text for s in strings):
        catalog.append(polib.POEntry(msgid=text, msgstr=text))
    path = folder / f"{lang}.po"
    catalog.save(str(path))
    return path


@pytest.fixture(autouse=True)
def steady_code(monkeypatch: pytest.MonkeyPatch) -> str:
    """factsheet's code revision, held fixed for the test.

    The code revision hashes factsheet's source, which colleagues edit while tests run;
    an edit between two runs of one test would rightly rebuild everything.
    """
    revision = inputs.code_revision()
    monkeypatch.setattr(batch, "code_revision", lambda: revision)
    return revision


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """Sheets alpha (English and French) and beta (English).

    French, not Spanish: a self-translated Spanish edition would keep the sheet's
    "Se habla español." notice, which the catalog checks rightly refuse.
    """
    root = tmp_path / "content"
    add_catalog(add_sheet(root, "alpha"), "fr")
    add_sheet(root, "beta")
    return root


def run_batch(content: Path, out: Path, **options: Any) -> list[EditionResult]:
    plan = plan_batch(BatchOptions(out=out, content_dir=content, **options))
    return run_plan(plan, jobs=2)


def statuses(results: list[EditionResult]) -> dict[str, str]:
    return {r.name: r.status for r in results}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest(out: Path) -> dict[str, Any]:
    return dict(json.loads((out / "manifest.json").read_text(encoding="utf-8")))


# --- the manifest ----------------------------------------------------------------------


def test_manifest_lists_every_edition_with_what_it_was_built_from(
    content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "editions"
    results = run_batch(content, out, layouts=("letter", "a4"))
    # 3 editions (alpha en, alpha es, beta en) × 2 layouts
    assert [r.status for r in results] == ["ok"] * 6
    entries = manifest(out)["editions"]
    keys = [(e["sheet"], e["language"], e["layout"]) for e in entries]
    assert keys == [
        ("alpha", "en", "a4"),
        ("alpha", "en", "letter"),
        ("alpha", "fr", "a4"),
        ("alpha", "fr", "letter"),
        ("beta", "en", "a4"),
        ("beta", "en", "letter"),
    ]
    for entry in entries:
        pdf = out / entry["path"]
        assert (
            entry["path"]
            == f"{entry['sheet']}/{entry['sheet']}-{entry['language']}-{entry['layout']}.pdf"
        )
        assert len(pypdf.PdfReader(pdf).pages) == entry["pages"] == 2
        assert entry["bytes"] == pdf.stat().st_size and entry["sha256"] == sha256(pdf)
        assert 0.75 <= entry["scale"] <= 1.0  # the fitter's range: floor 7.5 pt / body 10 pt
        assert entry["source_revision"] == sha256(content / entry["sheet"] / "en.yaml")
    french = next(e for e in entries if e["language"] == "fr")
    assert french["catalog_revision"] == {
        "sha256": sha256(content / "alpha" / "fr.po"),
        "po_revision_date": "2026-11-27 10:00+0000",
    }
    assert all(e["catalog_revision"] is None for e in entries if e["language"] == "en")


def test_manifest_is_the_same_bytes_when_everything_is_rebuilt(
    content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "editions"
    run_batch(content, out)
    first = (out / "manifest.json").read_bytes()
    assert [r.status for r in run_batch(content, out, force=True)] == ["ok"] * 3
    assert (out / "manifest.json").read_bytes() == first  # no timestamps, stable order


# --- skipping what has not changed -----------------------------------------------------


def test_a_second_run_skips_unchanged_editions_and_rewrites_nothing(
    content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "editions"
    run_batch(content, out)
    pdfs = sorted(out.rglob("*.pdf"))
    before = {p: p.stat().st_ino for p in [*pdfs, out / "manifest.json"]}
    for path in before:
        os.utime(path)  # a touch changes no content, so it rebuilds nothing
    os.utime(content / "alpha" / "fr.po")
    results = run_batch(content, out)
    assert statuses(results) == {
        "alpha-en-letter": "skipped",
        "alpha-fr-letter": "skipped",
        "beta-en-letter": "skipped",
    }
    # write_atomic renames a new file into place, so an unchanged inode means untouched
    assert {p: p.stat().st_ino for p in before} == before


def test_editing_a_catalog_rebuilds_only_that_language(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "editions"
    run_batch(content, out, layouts=("letter", "a4"))
    add_catalog(content / "alpha", "fr", revised="2026-12-01 09:30+0000")
    results = run_batch(content, out, layouts=("letter", "a4"))
    rebuilt = sorted(name for name, status in statuses(results).items() if status != "skipped")
    assert rebuilt == ["alpha-fr-a4", "alpha-fr-letter"]
    assert {statuses(results)[name] for name in rebuilt} == {"ok"}
    dates = {
        e["catalog_revision"]["po_revision_date"]
        for e in manifest(out)["editions"]
        if e["language"] == "fr"
    }
    assert dates == {"2026-12-01 09:30+0000"}


def test_editing_a_sheet_folder_file_rebuilds_that_sheet_in_every_language(
    content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "editions"
    run_batch(content, out)
    glossary = content / "alpha" / "glossary.yaml"  # shared by every language of the sheet
    glossary.write_text(glossary.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    assert statuses(run_batch(content, out)) == {
        "alpha-en-letter": "ok",
        "alpha-fr-letter": "ok",
        "beta-en-letter": "skipped",
    }


def test_a_missing_or_altered_pdf_is_rebuilt(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "editions"
    run_batch(content, out)
    (out / "alpha" / "alpha-en-letter.pdf").unlink()
    with (out / "beta" / "beta-en-letter.pdf").open("ab") as pdf:
        pdf.write(b"% appended by hand\n")
    assert statuses(run_batch(content, out)) == {
        "alpha-en-letter": "ok",
        "alpha-fr-letter": "skipped",
        "beta-en-letter": "ok",
    }


@pytest.mark.parametrize("damage", ["{not json", '{"editions": [{"sheet": 1}, "x"]}'])
def test_an_unreadable_manifest_costs_a_rebuild_not_an_error(
    content: Path, tmp_path: Path, damage: str
) -> None:
    out = tmp_path / "editions"
    run_batch(content, out)
    (out / "manifest.json").write_text(damage, encoding="utf-8")
    assert set(statuses(run_batch(content, out)).values()) == {"ok"}
    assert len(manifest(out)["editions"]) == 3


def test_a_code_change_rebuilds_everything(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "editions"
    run_batch(content, out)
    # Stands in for an edited source file: the code revision is part of every fingerprint.
    monkeypatch.setattr(batch, "code_revision", lambda: "another revision of the code")
    assert set(statuses(run_batch(content, out)).values()) == {"ok"}


# --- failures --------------------------------------------------------------------------


def test_one_failing_edition_does_not_stop_the_others(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_sheet(
        content / "beta", lambda d: d["pages"][0]["main"].append({"paragraph": LONG_PARAGRAPH})
    )
    out = tmp_path / "editions"
    code = main(["batch", "--content", str(content), "--out", str(out), "--jobs", "2"])
    stdout, stderr = capsys.readouterr()
    assert code == 1
    assert sorted(p.name for p in out.rglob("*.pdf")) == [
        "alpha-en-letter.pdf",
        "alpha-fr-letter.pdf",
    ]
    assert "error: beta-en-letter failed:" in stderr
    assert "beta/en.yaml" in stderr and "page 1 main overflows by" in stderr
    assert "Traceback" not in stderr
    # the summary table, one row per edition, and a count
    for column in ("edition", "pages", "scale", "bytes", "time", "status"):
        assert column in stdout
    rows = [line for line in stdout.splitlines() if "-letter" in line]
    assert [row.split()[1] for row in rows] == [
        "alpha-en-letter",
        "alpha-fr-letter",
        "beta-en-letter",
    ]
    assert "failed" in rows[2] and "ok" in rows[0] and "ok" in rows[1]
    assert "3 editions: 2 built, 0 unchanged (skipped), 1 failed" in stdout
    # off a terminal, progress is one plain line per edition on stderr
    assert sum(line.startswith("[") for line in stderr.splitlines()) == 3
    assert [e["sheet"] for e in manifest(out)["editions"]] == ["alpha", "alpha"]


def test_an_unfinished_catalog_fails_unless_a_draft_is_asked_for(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = polib.pofile(str(content / "alpha" / "fr.po"))
    catalog.find("Bone Protection").msgstr = ""  # one string left untranslated
    catalog.save()
    out = tmp_path / "editions"
    argv = ["batch", "--content", str(content), "--out", str(out), "--lang", "fr"]
    assert main(argv) == 1
    assert "fr.po:" in capsys.readouterr().err
    assert main([*argv, "--draft"]) == 0
    pdf = out / "alpha" / "alpha-fr-letter.pdf"
    assert "DRAFT" in pypdf.PdfReader(pdf).pages[0].extract_text().upper()
    assert [e["draft"] for e in manifest(out)["editions"]] == [True]
    # a draft is not the finished edition: asking for that again rebuilds (and fails again)
    capsys.readouterr()
    assert main(argv) == 1
    assert "fr-letter failed" in capsys.readouterr().err


def test_unknown_names_are_bad_arguments(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "editions"
    argv = ["batch", "--content", str(content), "--out", str(out)]
    code = main([*argv, "--lang", "de", "--sheet", "gamma", "--layout", "tabloid"])
    stderr = capsys.readouterr().err
    assert code == 2
    assert "no language 'de' (hint: use one of: en, fr)" in stderr
    assert "no sheet 'gamma' (hint: use one of: alpha, beta)" in stderr
    assert "unknown layout 'tabloid'" in stderr
    assert not out.exists()
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--jobs", "0"])
    assert stop.value.code == 2 and "--jobs" in capsys.readouterr().err


def test_batch_help_names_its_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["batch", "--help"])
    text = capsys.readouterr().out
    assert stop.value.code == 0
    for option in ("--layout", "--all-layouts", "--lang", "--sheet", "--jobs", "--out", "--force"):
        assert option in text


def test_filters_pick_sheets_languages_and_layouts(content: Path, tmp_path: Path) -> None:
    results = run_batch(content, tmp_path / "out", langs=("fr",), layouts=("a4",))
    assert statuses(results) == {"alpha-fr-a4": "ok"}
    results = run_batch(content, tmp_path / "out", sheets=("beta",))
    assert statuses(results) == {"beta-en-letter": "ok"}


# --- interruption ----------------------------------------------------------------------


class _Interrupt(BaseException):
    pass


@pytest.mark.parametrize("failure", [OSError("disk full"), _Interrupt()])
def test_a_write_that_fails_midway_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    path = tmp_path / "sheet.pdf"
    write_atomic(path, b"%PDF- the complete old edition")

    def fail(fd: int) -> None:
        raise failure

    monkeypatch.setattr(os, "fsync", fail)  # after the new bytes are written, before the rename
    # A disk fault becomes OutputError (one line, exit 1); anything else passes through.
    with pytest.raises(OutputError if isinstance(failure, OSError) else type(failure)):
        write_atomic(path, b"%PDF- half of a new")
    assert path.read_bytes() == b"%PDF- the complete old edition"
    assert list(tmp_path.iterdir()) == [path]


SHEETS = 30  # 60 editions: the batch is still running well after its first PDF


@pytest.mark.parametrize(
    ("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGHUP, 129)]
)
def test_an_interrupted_batch_leaves_only_complete_pdfs(
    tmp_path: Path, signum: signal.Signals, status: int, steady_code: str
) -> None:
    content, out = tmp_path / "content", tmp_path / "editions"
    for number in range(SHEETS):
        add_sheet(content, f"sheet-{number}")
    with _batch_process(content, out, "--all-layouts", "--jobs", "1") as proc:
        _wait_for_first_pdf(out, proc)
        proc.send_signal(signum)
        _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == status, stderr
    assert f"interrupted by {signum.name}" in stderr and "Traceback" not in stderr
    assert [p.name for p in out.rglob("*") if p.name.endswith(".tmp")] == []
    pdfs = sorted(out.rglob("*.pdf"))
    assert 1 <= len(pdfs) < 3 * SHEETS  # three layouts of each sheet were planned
    for pdf in pdfs:
        pages = len(pypdf.PdfReader(pdf, strict=True).pages)
        assert pages >= 2 if pdf.stem.endswith("large-print") else pages == 2
    listed = {out / e["path"]: e["sha256"] for e in manifest(out)["editions"]}
    assert listed == {pdf: sha256(pdf) for pdf in pdfs}
    # the next run finishes the job and skips what the interrupted one completed
    if inputs.code_revision() != steady_code:
        pytest.skip("factsheet's source was edited while the batch ran, so all must rebuild")
    results = run_batch(content, out, layouts=("a4", "large-print", "letter"))
    assert sum(r.status == "skipped" for r in results) == len(pdfs)
    assert sum(r.status == "ok" for r in results) == 3 * SHEETS - len(pdfs)


def _batch_process(content: Path, out: Path, *options: str) -> subprocess.Popen[str]:
    """`factsheet batch` run as a user runs it, in its own process."""
    command = [sys.executable, "-m", "factsheet", "batch", *options]
    command += ["--content", str(content), "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _wait_for_first_pdf(out: Path, proc: subprocess.Popen[str]) -> None:
    """Poll until the batch has written one PDF (it is then early in its 60)."""
    deadline = time.monotonic() + 120
    while not any(out.rglob("*.pdf")):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the batch wrote no PDF"
        time.sleep(0.01)


# --- batches side by side, and a batch that is killed ------------------------------------


def test_two_batches_into_one_folder_keep_each_others_entries(
    content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    english = plan_batch(BatchOptions(out=out, content_dir=content, langs=("en",)))
    french = plan_batch(BatchOptions(out=out, content_dir=content, langs=("fr",)))
    # Both planned before either wrote: each read an empty manifest, as two batches
    # started together do. The second to finish must not drop the first one's entries.
    run_plan(english, jobs=1)
    run_plan(french, jobs=1)
    listed = {(e["sheet"], e["language"]) for e in manifest(out)["editions"]}
    assert listed == {("alpha", "en"), ("beta", "en"), ("alpha", "fr")}
    assert len(list(out.rglob("*.pdf"))) == 3


def test_the_manifest_waits_for_another_batch_holding_its_lock(tmp_path: Path) -> None:
    import fcntl
    import threading

    from factsheet.publish.manifest import LOCK_NAME, update_manifest

    out = tmp_path / "out"
    (out / "s").mkdir(parents=True)
    (out / "s" / "s-en-letter.pdf").write_bytes(b"%PDF-")
    entry = {"sheet": "s", "language": "en", "layout": "letter", "path": "s/s-en-letter.pdf"}
    with (out / LOCK_NAME).open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another batch is writing the manifest
        writer = threading.Thread(target=update_manifest, args=(out, [entry]))
        writer.start()
        writer.join(timeout=1.0)
        assert writer.is_alive() and not (out / "manifest.json").exists()
    writer.join(timeout=60)  # the lock is released when the file is closed
    assert not writer.is_alive()
    assert manifest(out)["editions"] == [entry]


def _descendants(pid: int) -> set[int]:
    """Every process below `pid` (workers, and a fork server if the pool uses one)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found |= {child} | _descendants(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its parent's wait is missing


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc (Linux)")
def test_workers_die_with_a_killed_batch(tmp_path: Path) -> None:
    content, out = tmp_path / "content", tmp_path / "editions"
    for number in range(SHEETS):
        add_sheet(content, f"sheet-{number}")
    with _batch_process(content, out, "--jobs", "2") as proc:
        _wait_for_first_pdf(out, proc)
        workers = _descendants(proc.pid)
        assert workers, "the batch has no worker processes"
        proc.send_signal(signal.SIGKILL)  # no handler runs: only the kernel can clean up
        proc.wait(timeout=60)
    deadline = time.monotonic() + 60
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in workers if _alive(pid)] == []


# --- warnings per edition, --strict ------------------------------------------------------


def test_batch_shows_each_editions_warnings_and_strict_fails_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Chinese bold is drawn by outlining (its font has no bold face): a warning.
    out = tmp_path / "out"
    argv = ["batch", "--sheet", "bone-protection", "--lang", "zh-Hans", "--out", str(out)]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "warning: bone-protection-zh-Hans-letter: bold text is drawn by outlining" in (
        captured.err
    )
    assert "1 edition: 1 built, 0 unchanged (skipped), 0 failed, 1 with warnings" in captured.out
    assert "(2 pages," in captured.err
    # Unchanged, so skipped: its warnings are shown again, and --strict fails it.
    assert main(argv) == 0
    assert "warning: bone-protection-zh-Hans-letter" in capsys.readouterr().err
    pdf = out / "bone-protection" / "bone-protection-zh-Hans-letter.pdf"
    pdf.unlink()
    assert main([*argv, "--strict", "--force"]) == 1
    err = capsys.readouterr().err
    assert "error: bone-protection-zh-Hans-letter failed" in err and "with --strict" in err
    assert not pdf.exists()  # nothing written for an edition that failed


def test_a_one_page_sheet_says_1_page(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = add_sheet(tmp_path / "one", "single")
    edit_sheet(folder, lambda data: data.update(pages=data["pages"][:1]))
    out = tmp_path / "single.pdf"
    assert main(["build", str(folder), "-o", str(out)]) == 0
    stdout = capsys.readouterr().out
    assert f"wrote {out}: 1 page, " in stdout
    assert main(["check", str(folder)]) == 0
    assert "fits 1 page at" in capsys.readouterr().out
