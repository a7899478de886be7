"""The performance benchmark behind `make bench` (issue: benchmark and budget).

Measures, on the real content, every edition:
- warm build time per edition, median of N runs in one process, by stage
  (load + validate, layout + fit, render) and the final render pass alone;
- layout passes per edition, and how build time grows with the text
  (a synthetic sheet at 1x, 2x and 4x the text, over 2, 4 and 8 pages);
- a cold command-line build: whole-process wall time and peak memory;
- a batch of all editions with 1 worker and with one per core;
- PDF bytes per edition.
Prints a table, checks the budget, writes build/bench.json. Timings are medians
of repeated runs; they are figures for a report, never assertions in tests.
"""

from __future__ import annotations

import argparse
import dataclasses
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

from factsheet.layout.engine import layout_sheet  # noqa: E402
from factsheet.layout.theme import load_theme  # noqa: E402
from factsheet.publish import build  # noqa: E402
from factsheet.publish.build import checked_edition, lay_out, load_edition  # noqa: E402
from factsheet.publish.catalogue import editions  # noqa: E402
from factsheet.render.pdf import render_pdf  # noqa: E402

BUDGET = {
    "warm_over_render": 1.3,
    "cold_cli_seconds": 0.5,
    "batch_speedup_2": 1.7,
    "latin_pdf_kb": 40,
    "cjk_pdf_kb": 150,
    "peak_mb": 150,
}
CJK = ("zh", "ko", "ja")


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
        build._CHECKED.clear()
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
    }


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
# command rather than the benchmark, which by then holds every edition.
_WRAPPER = """
import os, sys, time
null = os.open(os.devnull, os.O_WRONLY)
start = time.perf_counter()
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ,
                     file_actions=[(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)])
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def measured(argv: list[str]) -> tuple[float, float, int]:
    """Run a command; its wall time, peak resident memory (MB) and exit status."""
    output = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *argv], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(output[0]), int(output[1]) / 1024, int(output[2])


def cold_cli(runs: int = 5) -> dict[str, float]:
    """A fresh `python -m factsheet build`: wall time and peak resident memory."""
    walls, peaks = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            out = str(Path(tmp) / "cold.pdf")
            argv = [sys.executable, "-m", "factsheet", "build", "bone-protection", "-o", out]
            wall, peak, status = measured(argv)
            if status != 0:
                raise SystemExit("the cold build failed")
            walls.append(wall)
            peaks.append(peak)
    return {"wall_s": round(statistics.median(walls), 3), "peak_mb": round(max(peaks), 1)}


def synthetic_catalogue(copies: int) -> Path:
    """A content folder holding `copies` copies of every real sheet (all languages)."""
    root = Path(tempfile.mkdtemp(prefix="bench-content-"))
    for sheet_dir in sorted((ROOT / "content").glob("*/en.yaml")):
        for number in range(copies):
            name = f"{sheet_dir.parent.name}-{number}"
            shutil.copytree(sheet_dir.parent, root / name)
            source = root / name / "en.yaml"
            text = source.read_text(encoding="utf-8")
            source.write_text(text.replace(f"sheet: {sheet_dir.parent.name}\n", f"sheet: {name}\n"))
    return root


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


def verdicts(report: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(what, figure against budget, within budget) for each line of the budget."""
    rows = []
    worst_uncached = max(e["ratio_uncached"] for e in report["editions"])
    rows.append(
        (
            "(load+validate+layout+render) / render, no cache (worst edition)",
            f"{worst_uncached:.2f} <= {BUDGET['warm_over_render']}",
            worst_uncached <= BUDGET["warm_over_render"],
        )
    )
    worst = max(e["ratio"] for e in report["editions"])
    rows.append(
        (
            "warm build / render pass (worst edition)",
            f"{worst:.2f} <= {BUDGET['warm_over_render']}",
            worst <= BUDGET["warm_over_render"],
        )
    )
    cold = report["cold_cli"]
    rows.append(
        (
            "cold CLI build",
            f"{cold['wall_s']:.2f} s <= {BUDGET['cold_cli_seconds']} s",
            cold["wall_s"] <= BUDGET["cold_cli_seconds"],
        )
    )
    peak = max([cold["peak_mb"]] + [b["peak_mb"] for b in report["batch"] if b])
    rows.append(
        (
            "peak memory per process",
            f"{peak:.0f} MB <= {BUDGET['peak_mb']} MB",
            peak <= BUDGET["peak_mb"],
        )
    )
    for e in report["editions"]:
        limit = BUDGET["cjk_pdf_kb"] if e["lang"].startswith(CJK) else BUDGET["latin_pdf_kb"]
        kb = e["bytes"] / 1000
        rows.append(
            (f"PDF size {e['lang']} {e['layout']}", f"{kb:.1f} KB <= {limit} KB", kb <= limit)
        )
    if report.get("batch_speedup"):
        s = report["batch_speedup"]
        rows.append(
            (
                "batch speed-up, 2 workers",
                f"{s:.2f}x >= {BUDGET['batch_speedup_2']}x",
                s >= BUDGET["batch_speedup_2"],
            )
        )
    return rows


def print_report(report: dict[str, Any]) -> None:
    print(f"machine: {report['machine']}")
    print(
        f"\n{'edition':<28}{'load':>8}{'cached':>8}{'layout':>8}{'render':>8}{'full':>8}"
        f"{'ratio':>7}{'uncach':>7}{'passes':>7}{'scale':>7}{'bytes':>9}"
    )
    for e in report["editions"]:
        name = f"{e['sheet']}-{e['lang']}-{e['layout']}"
        print(
            f"{name:<28}{e['load_ms']:>8.2f}{e['load_cached_ms']:>8.3f}{e['layout_ms']:>8.2f}"
            f"{e['render_ms']:>8.2f}{e['full_ms']:>8.2f}{e['ratio']:>7.2f}"
            f"{e['ratio_uncached']:>7.2f}{e['passes']:>7}{e['scale']:>7.3f}{e['bytes']:>9,}"
        )
    print("\ngrowth (warm build, letter):")
    for g in report["growth"]:
        print(
            f"  {g['factor']}x text: {g['pages']} pages, {g['words']:,} words, "
            f"{g['passes']} passes, {g['build_ms']:.1f} ms"
        )
    cold = report["cold_cli"]
    print(f"\ncold CLI build: {cold['wall_s']:.3f} s wall, {cold['peak_mb']:.1f} MB peak")
    for b in report["batch"]:
        if b:
            print(f"batch of {b['editions']} editions, {b['jobs']} worker(s): {b['wall_s']:.2f} s")
    if report.get("batch_speedup"):
        print(f"batch speed-up: {report['batch_speedup']:.2f}x")
    real = [b for b in report.get("batch_real", []) if b]
    if len(real) == 2:
        ratio = real[0]["wall_s"] / real[1]["wall_s"]
        print(
            f"batch of the real catalogue ({real[0]['editions']} editions, every layout): "
            f"{real[0]['wall_s']:.2f} s with 1 worker, {real[1]['wall_s']:.2f} s with "
            f"{real[1]['jobs']}: {ratio:.2f}x"
        )
    print("\nbudget:")
    for what, figure, ok in verdicts(report):
        print(f"  {'ok  ' if ok else 'MISS'} {what}: {figure}")


def main() -> int:
    parser = argparse.ArgumentParser(description="factsheet benchmark (make bench)")
    parser.add_argument("--runs", type=int, default=20, help="warm runs per figure (default 20)")
    parser.add_argument("--layouts", nargs="+", default=["letter"], help="layouts to time")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench.json")
    parser.add_argument("--no-batch", action="store_true", help="skip the batch timings")
    parser.add_argument(
        "--copies", type=int, default=10, help="copies of each sheet in the batch (default 10)"
    )
    args = parser.parse_args()
    found = editions()
    report: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}",
        "runs": args.runs,
        "editions": [
            {
                "sheet": e.sheet,
                "lang": e.lang,
                "layout": layout,
                **warm_edition(e.folder, e.lang, layout, args.runs),
            }
            for e in found
            for layout in args.layouts
        ],
        "growth": growth(found[0].folder, args.runs),
        "cold_cli": cold_cli(),
        "batch": [],
    }
    if not args.no_batch:
        content = synthetic_catalogue(args.copies)
        try:
            report["batch"] = [batch(1, content), batch(os.cpu_count() or 1, content)]
            real = ROOT / "content"
            report["batch_real"] = [
                batch(jobs, real, "--all-layouts") for jobs in (1, os.cpu_count() or 1)
            ]
        finally:
            shutil.rmtree(content, ignore_errors=True)
    one, many = (report["batch"] + [None, None])[:2]
    if one and many:
        report["batch_speedup"] = round(one["wall_s"] / many["wall_s"], 2)
    report["budget"] = [{"what": w, "figure": f, "ok": ok} for w, f, ok in verdicts(report)]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print_report(report)
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
