"""Which editions exist: every sheet's English source plus each translation catalog beside it.

In: a content folder (`content/` by default). Out: `Edition` records, one per
sheet × language, sorted by sheet then language with the English source first.
A sheet is a folder holding `en.yaml`; a translation is a gettext catalog
`<lang>.po` in the same folder, named by its BCP 47 tag (`es.po`, `zh-Hans.po`).
Discovery only looks at file names; whether a catalog is any good is the
build's business, so one broken catalog cannot hide the other editions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from factsheet.publish.files import CONTENT_DIR

SOURCE_LANG = "en"


@dataclass(frozen=True)
class Edition:
    """One sheet in one language (the layout is chosen when it is built)."""

    sheet: str
    lang: str
    folder: Path  # the sheet folder, holding en.yaml
    catalog: Path | None  # the translation catalog; None for the English source

    @property
    def source(self) -> Path:
        return self.folder / f"{SOURCE_LANG}.yaml"


def editions(content_dir: Path = CONTENT_DIR) -> list[Edition]:
    """Every edition under `content_dir`, in a stable order."""
    found: list[Edition] = []
    for source in sorted(content_dir.glob(f"*/{SOURCE_LANG}.yaml")):
        folder = source.parent
        found.append(Edition(folder.name, SOURCE_LANG, folder, None))
        found += [
            Edition(folder.name, po.stem, folder, po)
            for po in sorted(folder.glob("*.po"))
            if po.stem != SOURCE_LANG and not po.name.startswith(".")
        ]
    return found


def languages(found: list[Edition]) -> list[str]:
    """The languages among `found`, English first, then alphabetical."""
    return sorted({e.lang for e in found}, key=lambda lang: (lang != SOURCE_LANG, lang))
