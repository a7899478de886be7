"""What the command line shows and writes: source lines with carets on a terminal, escaped
control characters, every problem at once, and output files like any other program's."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from factsheet.cli import main
from tests.helpers import ROOT

EXAMPLE_CLINIC = ROOT / "examples" / "clinic.yaml"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _on_a_terminal(argv: list[str], cwd: Path, **env: str) -> tuple[int, str]:
    """Run `factsheet` with stderr on a pseudo-terminal; what the terminal received."""
    leader, follower = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | env
    process = subprocess.Popen(
        [sys.executable, "-m", "factsheet", *argv],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=environment | {"PYTHONPATH": str(ROOT)},
    )
    os.close(follower)
    received = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        received += chunk
    os.close(leader)
    return process.wait(), received.decode("utf-8").replace("\r\n", "\n")


def test_an_impossible_date_is_one_problem_among_all_the_others(
    sheet_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = sheet_copy / "en.yaml"
    _edit(source, "reviewed: 2026-11-27", "reviewed: 2026-11-72")
    _edit(source, "title: Bone Protection", "title: 7")
    updated = re.search(r"updated: \d{4}-\d\d-\d\d", source.read_text(encoding="utf-8"))
    assert updated is not None
    _edit(source, updated[0], "updated: 2026-13-01")
    assert main(["check", str(sheet_copy)]) == 2
    err = capsys.readouterr().err
    assert "dates.reviewed: '2026-11-72' is not a date: November 2026 has 30 days" in err
    assert "(hint: write year-month-day with a day from 01 to 30)" in err
    assert "dates.updated: '2026-13-01' is not a date: there is no month 13" in err
    assert "title: expected text, got the number 7" in err
    assert "put it in quotes" not in err.split("title:")[0]  # the date hints say what is wrong
    assert "3 problems; nothing was written." in err


def test_a_terminal_sees_the_source_line_and_a_caret_under_the_value(sheet_copy: Path) -> None:
    _edit(sheet_copy / "en.yaml", "reviewed: 2026-11-27", "reviewed: 2026-11-72")
    code, shown = _on_a_terminal(["check", "bone-protection"], sheet_copy.parent, NO_COLOR="1")
    assert code == 2
    lines = shown.splitlines()
    at = next(i for i, line in enumerate(lines) if "dates.reviewed" in line)
    number = lines[at].split(":")[2]  # error: FILE:LINE:COLUMN
    assert lines[at + 2] == f"{number} |   reviewed: 2026-11-72"
    assert lines[at + 3] == " " * len(number) + " |             ^^^^^^^^^^"
    assert "\x1b[" not in shown  # NO_COLOR: no colour even on a terminal


def test_colour_on_a_terminal_and_none_in_a_pipe(
    sheet_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(sheet_copy / "en.yaml", "title: Bone Protection", "title: 7")
    code, shown = _on_a_terminal(["check", "bone-protection"], sheet_copy.parent)
    assert code == 2 and "\x1b[1;31merror:\x1b[0m" in shown and "^" in shown
    assert main(["check", str(sheet_copy)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "^" not in err  # a log gets one line per problem
    assert err.startswith("error: ")


def test_control_characters_from_the_input_are_shown_escaped(
    sheet_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(sheet_copy / "en.yaml", "title: Bone Protection", 'title: "\\e[31mRed\\a"')
    _edit(sheet_copy / "en.yaml", "language: en", 'language: en\n"bogus\\e[2J": 1')
    assert main(["check", str(sheet_copy)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert "U+001B" in err and "\\x1b[2J" in err


def test_outputs_get_the_umask_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for umask, mode in ((0o022, 0o644), (0o027, 0o640), (0o002, 0o664)):
        previous = os.umask(umask)
        try:
            out = tmp_path / f"{umask:o}.pdf"
            assert main(["build", "bone-protection", "-o", str(out)]) == 0
            assert main(["preview", "bone-protection", "-o", str(tmp_path), "--dpi", "36"]) == 0
        finally:
            os.umask(previous)
        assert out.stat().st_mode & 0o777 == mode
        png = tmp_path / "bone-protection-en-letter-p1.png"
        assert png.stat().st_mode & 0o777 == mode
    capsys.readouterr()


def test_a_symbolic_link_is_followed_not_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "kept" / "sheet.pdf"
    target.parent.mkdir()
    target.write_bytes(b"old")
    link = tmp_path / "link.pdf"
    link.symlink_to(target)
    assert main(["build", "bone-protection", "-o", str(link)]) == 0
    assert link.is_symlink() and target.read_bytes().startswith(b"%PDF-")
    capsys.readouterr()


def test_a_clinic_edition_gets_its_own_name_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["build", "bone-protection"]) == 0
    plain = tmp_path / "build" / "pdf" / "bone-protection-en-letter.pdf"
    before = plain.read_bytes()
    capsys.readouterr()
    assert main(["build", "bone-protection", "--clinic", str(EXAMPLE_CLINIC)]) == 0
    out = capsys.readouterr().out
    clinic = tmp_path / "build" / "pdf" / "bone-protection-en-letter-riverside-cancer-centre.pdf"
    assert f"wrote {clinic.relative_to(tmp_path)}: 2 pages" in out
    assert "co-branded for Riverside Cancer Centre" in out and "plain edition is kept" in out
    assert plain.read_bytes() == before and clinic.is_file()


def test_numeric_options_in_range_still_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["preview", "bone-protection", "-o", str(tmp_path), "--dpi", "36"]) == 0
    with pytest.raises(SystemExit) as stop:
        main(["batch", "-j", "0"])
    assert stop.value.code == 2
    assert "expected a whole number of at least 1, got '0'" in capsys.readouterr().err


def test_a_problem_without_a_column_underlines_its_whole_line(tmp_path: Path) -> None:
    from factsheet.cli.report import excerpt
    from factsheet.errors import Problem

    catalog = tmp_path / "es.po"
    catalog.write_text('msgid ""\n  msgstr "Huesos \x1b[2J"  \n', encoding="utf-8")
    found = excerpt(Problem(str(catalog), 2, 0, "", "a problem"))
    assert found is not None
    assert found.text == '  msgstr "Huesos \\x1b[2J"  '  # escaped, never raw
    assert (found.caret_column, found.caret_width) == (2, len('msgstr "Huesos \\x1b[2J"'))
