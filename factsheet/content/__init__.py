"""The content stage: a sheet's YAML file in, a validated `model.Sheet` out.

In: `content/<sheet>/en.yaml` (the format is docs/content-format.md), plus the
PNG or JPEG pictures it names from the same folder. Out: the immutable
dataclasses of `model`, with inline Markdown already parsed into styled spans
and every block carrying its `Source` (file, line, column, key path). Nothing
here knows about layout, fonts or ReportLab.

Bad input raises `ContentError` listing every problem found, each with file,
line, column, key path and a hint. The modules, in the order a file meets them:

- `yamlfile`: safe YAML loading (no aliases, no duplicate keys, UTF-8, size cap)
  and JSON Schema checking with readable messages; reused for layout files.
- `schemas/sheet.schema.json`: the structure, also used by editors for help.
- `validate`: the rules a schema cannot express, and building the model.
- `inline`, `links`, `images`: text, link and picture checks.
- `translatable`: which strings a translator sees (one definition for the
  loader's `translate` hook and the catalog extractor).
"""

from factsheet.content.validate import load_sheet

__all__ = ["load_sheet"]
