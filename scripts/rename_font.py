"""Give a modified OFL font a new family name (run by hand when fonts change).

The SIL Open Font License lets us modify a font (here: remove its hinting with
scripts/unhint_fonts.py) but a font that declares Reserved Font Names may not
keep them once modified. This rewrites the naming records (family, full name,
PostScript name, unique ID, typographic family) and keeps the copyright,
licence and trademark records, as the OFL requires.

Usage: python scripts/rename_font.py IN.ttf OUT.ttf "New Family" Regular|Bold
(needs `pip install fonttools`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.ttLib import TTFont

NAME_IDS = (1, 3, 4, 6, 16, 17, 18, 21, 22)  # names, not statements about the font


def rename(source: Path, target: Path, family: str, style: str) -> None:
    font = TTFont(source)
    postscript = f"{family.replace(' ', '')}-{style}"
    values = {
        1: family,
        2: style,
        3: f"{postscript};factsheet",
        4: f"{family} {style}",
        6: postscript,
        16: family,
        17: style,
    }
    table = font["name"]
    table.names = [r for r in table.names if r.nameID not in NAME_IDS and r.nameID != 2]
    for name_id, value in values.items():
        table.setName(value, name_id, 3, 1, 0x409)  # Windows, Unicode BMP, English (US)
        table.setName(value, name_id, 1, 0, 0)  # Macintosh, Roman, English
    font.save(target)


if __name__ == "__main__":
    rename(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4])
