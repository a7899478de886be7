"""Translated editions, part of the content stage: English YAML + gettext catalog → `Sheet`.

In: `content/<sheet>/en.yaml` (the source), `<lang>.po` (one gettext catalog per
language, as Poedit, Weblate and Crowdin open them) and `glossary.yaml` (the
names the guard protects). Out: the same validated `model.Sheet` the English
source gives, with each translatable string replaced, plus where every printed
string can be fixed; and the catalog tooling behind `factsheet i18n`.

- `catalog`: which strings are translated and under which key; reading PO files.
- `edition`: source + catalog → an edition, collecting every catalog problem.
- `guard`: numbers, addresses and drug names a translation must keep.
- `glossary`: the per-sheet list of protected names.
- `template`, `merge`: `i18n extract` (the .pot) and `i18n update` (the .po files).
- `where`: the place of a string in words, for the translators' comments.

The workflow for translators is docs/translating.md.
"""

from factsheet.content.i18n.edition import Edition, Located, open_edition

__all__ = ["Edition", "Located", "open_edition"]
