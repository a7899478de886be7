"""The performance benchmark behind `make bench`: factsheet beside its peers, as ratios.

Measured side by side in one process, in interleaved rounds (each round runs
every engine once, so machine load falls on all alike), on the English sheet's
own words converted to each peer's input (bench/peers.py), with the same Noto
Sans files:
- Typst with PDF/UA-1 (the reference), a hand-written ReportLab platypus
  version (untagged), factsheet from files (load, validate, glyph check, fit,
  render, tags) and factsheet with the checked edition reused (what the
  download service does);
- cold: a fresh Python process running `factsheet build`, against one
  compiling the same sheet with Typst PDF/UA-1;
- `factsheet batch` of every edition of every sheet and layout, 1 worker
  against 2, and each process's peak memory;
- per edition: stages, layout passes and PDF size; and how build time grows
  with the text.
Prints the peer table and the budget verdicts, writes build/bench.json. Medians;
figures for a report, never assertions in tests.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import peers  # noqa: E402

from factsheet.content.langspans import script_of_language  # noqa: E402
from factsheet.layout.engine import layout_sheet  # noqa: E402
from factsheet.layout.theme import load_theme  # noqa: E402
from factsheet.publish import build  # noqa: E402
from factsheet.publish.build import checked_edition, lay_out, load_edition  # noqa: E402
from factsheet.publish.catalogue import editions  # noqa: E402
from factsheet.render.pdf import render_pdf  # noqa: E402

BUDGET = {
    "files_over_typst": 1.5,  # full build from files, × Typst PDF/UA-1
    "reused_over_typst": 1.0,  # checked edition reused, × Typst PDF/UA-1
    "cold_over_typst": 3.0,  # cold `factsheet build`, × a cold Typst compile
    "batch_speedup_2": 1.7,  # `factsheet batch` of everything, 2 workers against 1
    "peak_mb": 120,  # any one process
    "latin_pdf_kb": 40,  # what the engine adds (text, fonts, tags); pictures are the sheet's
    "cjk_pdf_kb": 150,  # and every script with fonts of its own (Devanagari, Arabic)
}
SHEET = ROOT / "content" / "bone-protection"
ENGINES = {
    "typst": "Typst, PDF/UA-1",
    "platypus": "ReportLab platypus written by hand, untagged",
    "reused": "factsheet, checked edition reused (what the service does)",
    "files": "factsheet, from files (load, validate, glyph check, fit, render, tag)",
}


def median_ms(action: Callable[[], Any], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def warm_edition(sheet_dir: Path, lang: str, layout: str, runs: int) -> dict[str, Any]:
    """Per-stage medians for one edition, after one untimed warm-up build.

    "load" parses and validates from scratch (the cache of checked editions is
    emptied before each run); "full" is a warm rebuild through the real build
    path, where unchanged content comes from that cache, as in the web service.
    """
    theme = load_theme(layout)
    sheet, doc = lay_out(sheet_dir, lang, layout)
    pdf = render_pdf(doc)

    def load() -> None:
        build.forget_editions()
        checked_edition(sheet_dir, lang, False, layout)

    load_ms = median_ms(load, runs)
    checked_edition(sheet_dir, lang, False, layout)
    cached_ms = median_ms(lambda: checked_edition(sheet_dir, lang, False, layout), runs)
    fit = median_ms(lambda: layout_sheet(sheet, theme), runs)
    render = median_ms(lambda: render_pdf(doc), runs)
    full = median_ms(lambda: render_pdf(lay_out(sheet_dir, lang, layout)[1]), runs)
    cold_full = load_ms + fit + render
    return {
        "load_ms": round(load_ms, 2),
        "load_cached_ms": round(cached_ms, 3),
        "layout_ms": round(fit, 2),
        "render_ms": round(render, 2),
        "full_ms": round(full, 2),
        "ratio": round(full / render, 3),
        "ratio_uncached": round(cold_full / render, 3),
        "passes": doc.passes,
        "scale": doc.scale,
        "bytes": len(pdf),
        "picture_bytes": picture_bytes(pdf),
    }


def picture_bytes(pdf: bytes) -> int:
    """The bytes of the file's embedded pictures: the author's, not the engine's (the
    size budget is for what the engine adds: text, fonts, tags)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return sum(
            len(obj.read_raw_bytes())
            for obj in document.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
        )


def growth(sheet_dir: Path, runs: int) -> list[dict[str, Any]]:
    """Warm build time at 1x, 2x and 4x the English text, on 2, 4 and 8 pages."""
    base = load_edition(sheet_dir, "en")
    theme = dataclasses.replace(load_theme("letter"), max_pages=8)
    curve = []
    for factor in (1, 2, 4):
        sheet = dataclasses.replace(base, pages=base.pages * factor)
        doc = layout_sheet(sheet, theme)
        ms = median_ms(lambda s=sheet: render_pdf(layout_sheet(s, theme)), max(5, runs // 2))
        words = sum(
            len(line.text.split())
            for page in doc.pages
            for line in page.items
            if hasattr(line, "runs")
        )
        curve.append(
            {
                "factor": factor,
                "pages": len(doc.pages),
                "words": words,
                "passes": doc.passes,
                "build_ms": round(ms, 2),
            }
        )
    return curve


# Runs a command and reports its wall time, peak memory and status. A child's
# peak memory counts the memory of the process it was started from (Linux takes
# the old image's high-water mark at exec), so this small wrapper starts the
# command rather than the benchmark, which by then holds every edition. The peak
# is the largest of the command and the processes it waited for (its workers).
_WRAPPER = """
import os, sys, time
null = os.open(os.devnull, os.O_WRONLY)
start = time.perf_counter()
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ,
                     file_actions=[(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)])
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status),
      usage.ru_utime + usage.ru_stime)
"""


def measured(argv: list[str]) -> tuple[float, float, int]:
    """Run a command; its wall time, peak resident memory (MB) and exit status."""
    wall, peak, status, _ = measured_cpu(argv)
    return wall, peak, status


def measured_cpu(argv: list[str]) -> tuple[float, float, int, float]:
    """`measured`, and the CPU seconds (user + system) of the command and its workers."""
    output = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *argv], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(output[0]), int(output[1]) / 1024, int(output[2]), float(output[3])


def interleaved(
    actions: dict[str, Callable[[], Any]], rounds: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall and CPU seconds per call of each action, every round running each once in turn.

    CPU time (every thread of the process) is the steadier figure on a loaded
    machine: wall time there also counts waiting for a core, and an engine with
    several threads (Typst) claims more of them than a single-threaded one.
    """
    walls: dict[str, list[float]] = {name: [] for name in actions}
    cpus: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(rounds):
        for name, action in actions.items():
            start, cpu = time.perf_counter(), time.process_time()
            action()
            walls[name].append(time.perf_counter() - start)
            cpus[name].append(time.process_time() - cpu)
    return walls, cpus


def peer_table(rounds: int) -> dict[str, Any]:
    """The English sheet through every engine, in interleaved rounds: medians and ratios."""
    sheet = load_edition(SHEET, "en")
    compile_ua, _ = peers.typst_engine(sheet)

    def files() -> bytes:
        build.forget_editions()
        return render_pdf(lay_out(SHEET, "en", "letter")[1])

    actions: dict[str, Callable[[], bytes]] = {
        "typst": compile_ua,
        "platypus": peers.platypus_engine(sheet),
        "reused": lambda: render_pdf(lay_out(SHEET, "en", "letter")[1]),
        "files": files,
    }
    pages = {name: peers.page_count(action()) for name, action in actions.items()}  # warm-up
    actions["reused"]()  # the cache holds the edition from here on
    samples, cpus = interleaved(actions, rounds)
    typst_ms = statistics.median(samples["typst"]) * 1000
    typst_cpu = statistics.median(cpus["typst"]) * 1000
    rows = []
    for name, times in samples.items():
        ms = statistics.median(times) * 1000
        cpu = statistics.median(cpus[name]) * 1000
        rows.append(
            {
                "engine": name,
                "what": ENGINES[name],
                "ms": round(ms, 2),
                "min_ms": round(min(times) * 1000, 2),
                "ratio": round(ms / typst_ms, 2),
                "cpu_ms": round(cpu, 2),
                "cpu_ratio": round(cpu / typst_cpu, 2),
                "pages": pages[name],
            }
        )
    return {"rounds": rounds, "engines": rows}


_COLD_TYPST = """
import sys, typst
pdf = typst.compile(sys.argv[1], format="pdf", font_paths=[sys.argv[2]],
                    ignore_system_fonts=True, pdf_standards=["ua-1"])
open(sys.argv[3], "wb").write(pdf)
"""


def compile_bytecode() -> None:
    """Compile factsheet's modules to bytecode, as installing the package does.

    A checkout installed in editable mode has none until Python writes it on
    import, and with PYTHONDONTWRITEBYTECODE set (as in some shells and
    containers) it never does: every cold process then compiles factsheet's
    sixty-odd modules from source (about 55 ms on the development machine),
    which an installed factsheet, like the installed typst package, never pays.
    """
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "factsheet")],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def cold(rounds: int) -> dict[str, Any]:
    """Fresh processes, interleaved: `factsheet build` of the English sheet against Typst."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "sheet.typ"
        _, markup = peers.typst_engine(load_edition(SHEET, "en"))
        source.write_bytes(markup)
        commands = {
            "factsheet": [
                *(sys.executable, "-m", "factsheet", "build", "bone-protection"),
                *("-o", str(Path(tmp) / "factsheet.pdf")),
            ],
            "typst": [
                *(sys.executable, "-c", _COLD_TYPST, str(source), str(peers.NOTO)),
                str(Path(tmp) / "typst.pdf"),
            ],
        }
        runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
        for _ in range(rounds):
            for name, argv in commands.items():
                wall, peak, status, cpu = measured_cpu(argv)
                if status != 0:
                    raise SystemExit(f"the cold {name} build failed")
                runs[name].append((wall, peak, cpu))
    found: dict[str, Any] = {
        name: {
            "wall_ms": round(statistics.median(w for w, _, _ in got) * 1000, 1),
            "cpu_ms": round(statistics.median(c for _, _, c in got) * 1000, 1),
            "peak_mb": round(max(p for _, p, _ in got), 1),
        }
        for name, got in runs.items()
    }
    found["ratio"] = round(found["factsheet"]["wall_ms"] / found["typst"]["wall_ms"], 2)
    found["cpu_ratio"] = round(found["factsheet"]["cpu_ms"] / found["typst"]["cpu_ms"], 2)
    return found


def batch(jobs: int, content: Path, *extra: str) -> dict[str, Any] | None:
    """Wall time of `factsheet batch --force` over every edition in `content`."""
    out = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        command = [sys.executable, "-m", "factsheet", "batch", "--jobs", str(jobs), "--force"]
        argv = [*command, "--out", str(out), "--content", str(content), *extra]
        wall, peak, status = measured(argv)
        if status != 0:
            return None
        built = len(list(out.rglob("*.pdf")))
        return {
            "jobs": jobs,
            "editions": built,
            "wall_s": round(wall, 3),
            "peak_mb": round(peak, 1),
        }
    finally:
        shutil.rmtree(out, ignore_errors=True)


def batch_speedup(rounds: int) -> dict[str, Any]:
    """Every edition of every sheet and layout, 1 worker against 2, interleaved rounds."""
    content = ROOT / "content"
    runs: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
    for _ in range(rounds):
        for jobs in runs:
            result = batch(jobs, content, "--all-layouts")
            if result is None:
                raise SystemExit("the batch failed")
            runs[jobs].append(result)
    one, two = (statistics.median(r["wall_s"] for r in runs[j]) for j in (1, 2))
    return {
        "editions": runs[1][0]["editions"],
        "rounds": rounds,
        "wall_s_1": round(one, 3),
        "wall_s_2": round(two, 3),
        "speedup": round(one / two, 2),
        "peak_mb": round(max(r["peak_mb"] for got in runs.values() for r in got), 1),
    }


def verdicts(report: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(what, figure against budget, within budget) for each line of the budget."""
    ratio = {row["engine"]: row["ratio"] for row in report["peers"]["engines"]}
    rows = [
        (
            "full build from files / Typst PDF/UA-1",
            f"{ratio['files']:.2f} <= {BUDGET['files_over_typst']}",
            ratio["files"] <= BUDGET["files_over_typst"],
        ),
        (
            "checked edition reused / Typst PDF/UA-1",
            f"{ratio['reused']:.2f} <= {BUDGET['reused_over_typst']}",
            ratio["reused"] <= BUDGET["reused_over_typst"],
        ),
    ]
    cold_ = report["cold"]
    rows.append(
        (
            "cold factsheet build / cold Typst compile",
            f"{cold_['ratio']:.2f} <= {BUDGET['cold_over_typst']}",
            cold_["ratio"] <= BUDGET["cold_over_typst"],
        )
    )
    if report.get("batch"):
        s = report["batch"]["speedup"]
        rows.append(
            (
                f"batch of every edition ({report['batch']['editions']}), 2 workers / 1",
                f"{s:.2f}x >= {BUDGET['batch_speedup_2']}x",
                s >= BUDGET["batch_speedup_2"],
            )
        )
    peak = max(cold_["factsheet"]["peak_mb"], report.get("batch", {}).get("peak_mb", 0))
    rows.append(
        (
            "peak memory per process (cold build, batch workers)",
            f"{peak:.0f} MB <= {BUDGET['peak_mb']} MB",
            peak <= BUDGET["peak_mb"],
        )
    )
    for e in report["editions"]:
        latin = script_of_language(e["lang"]) == "Latn"
        limit = BUDGET["latin_pdf_kb"] if latin else BUDGET["cjk_pdf_kb"]
        pictures = e.get("picture_bytes", 0) / 1000
        kb = e["bytes"] / 1000 - pictures
        shown = f"{kb:.1f} KB" + (f" (+ {pictures:.1f} KB of pictures)" if pictures else "")
        rows.append(
            (
                f"PDF size {e['sheet']} {e['lang']} {e['layout']}",
                f"{shown} <= {limit} KB",
                kb <= limit,
            )
        )
    return rows


def print_report(report: dict[str, Any]) -> None:
    print(f"{report['date']}, {report['machine']}, load average {report['load']}")
    print(f"\npeers, English sheet, median of {report['peers']['rounds']} interleaved rounds:")
    print(
        "| engine | ms per sheet | × Typst PDF/UA-1 | CPU ms | CPU × Typst | pages |\n"
        "|---|---|---|---|---|---|"
    )
    for row in report["peers"]["engines"]:
        print(
            f"| {row['what']} | {row['ms']:.1f} | {row['ratio']:.2f} | {row['cpu_ms']:.1f} | "
            f"{row['cpu_ratio']:.2f} | {row['pages']} |"
        )
    c = report["cold"]
    print(
        f"| cold `factsheet build`, fresh process (cold Typst: {c['typst']['wall_ms']:.0f} ms, "
        f"CPU {c['typst']['cpu_ms']:.0f} ms) | {c['factsheet']['wall_ms']:.0f} | "
        f"{c['ratio']:.2f} | {c['factsheet']['cpu_ms']:.0f} | {c['cpu_ratio']:.2f} | 2 |"
    )
    if report.get("batch"):
        b = report["batch"]
        print(
            f"\nbatch of {b['editions']} editions (every sheet, language and layout): "
            f"{b['wall_s_1']:.2f} s with 1 worker, {b['wall_s_2']:.2f} s with 2: "
            f"{b['speedup']:.2f}x; peak {b['peak_mb']:.0f} MB per process"
        )
    peaks = c["factsheet"]["peak_mb"], c["typst"]["peak_mb"]
    print(f"cold peaks: factsheet build {peaks[0]:.0f} MB, Typst {peaks[1]:.0f} MB")
    print(
        f"\n{'edition':<28}{'load':>8}{'cached':>8}{'layout':>8}{'render':>8}{'full':>8}"
        f"{'passes':>7}{'scale':>7}{'bytes':>9}"
    )
    for e in report["editions"]:
        name = f"{e['sheet']}-{e['lang']}-{e['layout']}"
        print(
            f"{name:<28}{e['load_ms']:>8.2f}{e['load_cached_ms']:>8.3f}{e['layout_ms']:>8.2f}"
            f"{e['render_ms']:>8.2f}{e['full_ms']:>8.2f}{e['passes']:>7}{e['scale']:>7.3f}"
            f"{e['bytes']:>9,}"
        )
    print("\ngrowth (warm build, letter):")
    for g in report["growth"]:
        print(
            f"  {g['factor']}x text: {g['pages']} pages, {g['words']:,} words, "
            f"{g['passes']} passes, {g['build_ms']:.1f} ms"
        )
    print("\nbudget:")
    for what, figure, ok in verdicts(report):
        print(f"  {'ok  ' if ok else 'OVER'} {what}: {figure}")


def main() -> int:
    parser = argparse.ArgumentParser(description="factsheet benchmark (make bench)")
    parser.add_argument("--rounds", type=int, default=20, help="interleaved peer rounds")
    parser.add_argument("--runs", type=int, default=10, help="warm runs per edition figure")
    parser.add_argument("--cold", type=int, default=7, help="cold process rounds")
    parser.add_argument("--batch-rounds", type=int, default=3, help="batch rounds (0: none)")
    parser.add_argument("--layouts", nargs="+", default=["letter"], help="layouts to time")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench.json")
    args = parser.parse_args()
    compile_bytecode()  # for the fresh processes: cold builds and batches
    load_before = os.getloadavg()
    report: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}",
        "budget_limits": BUDGET,
        "peers": peer_table(args.rounds),
        "cold": cold(args.cold),
    }
    if args.batch_rounds:
        report["batch"] = batch_speedup(args.batch_rounds)
    report["editions"] = [
        {"sheet": e.sheet, "lang": e.lang, "layout": layout}
        | warm_edition(e.folder, e.lang, layout, args.runs)
        for e in editions()
        for layout in args.layouts
    ]
    report["growth"] = growth(SHEET, args.runs)
    load_after = os.getloadavg()
    report["load"] = f"{load_before[0]:.1f} at start, {load_after[0]:.1f} at end (1 min)"
    report["budget"] = [{"what": w, "figure": f, "ok": ok} for w, f, ok in verdicts(report)]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print_report(report)
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
