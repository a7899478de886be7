"""factsheet: printable, branded two-page PDF fact sheets from content files.

The pipeline is one subpackage per stage:
content (YAML → validated model) → layout (model + theme → fitted pages)
→ render (PDF bytes) → publish (files, batch, website).
"""

__version__ = "0.1.0"
