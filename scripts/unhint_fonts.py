"""Strip TrueType hinting from the fonts we embed (run by hand when fonts change).

Hinting instructions (fpgm, prep, cvt and per-glyph programs) help pixels on
low-resolution screens; printers and PDF viewers rasterise at high resolution
or use their own hinting, so the instructions are dead weight in a PDF: they
make each subset font about twice as large. fontTools' subsetter keeps every
glyph and feature and drops only the hints. The OFL allows modified versions;
Noto declares no Reserved Font Name, so the family name is unchanged.

Usage: python scripts/unhint_fonts.py SOURCE.ttf ... -o fonts/noto-sans/
(needs `pip install fonttools`; the originals come from Debian's fonts-noto-core).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont


def unhint(source: Path, target: Path) -> None:
    options = subset.Options()
    options.hinting = False
    options.glyph_names = True
    options.notdef_outline = True
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.legacy_kern = True
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=font.getBestCmap().keys())
    subsetter.subset(font)
    font.save(target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="+", type=Path)
    parser.add_argument("-o", "--out-dir", type=Path, required=True)
    args = parser.parse_args()
    for source in args.sources:
        target = args.out_dir / source.name
        unhint(source, target)
        before, after = source.stat().st_size, target.stat().st_size
        print(f"{source} ({before:,} bytes) -> {target} ({after:,} bytes)")


if __name__ == "__main__":
    main()
