"""The guard's reviewed word tables, one YAML file each (read once, cached).

What no maintained data source has: negations and the restrictions ("only") said with
one, counters of times ("veces", "번", "बार"), number words num2words lacks (Hindi;
Korean native numerals; Arabic feminine forms) and Arabic's joined clitics. A
translator or reviewer adds a language by editing the files; docs/translating.md says how.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent


@functools.cache
def table(name: str) -> dict[str, Any]:
    """`<name>.yaml` of this folder, keyed by language."""
    data = yaml.safe_load((HERE / f"{name}.yaml").read_text(encoding="utf-8"))
    return dict(data or {})


def for_language(name: str, lang: str) -> Any:
    """The entry of `lang` (a BCP 47 tag; "zh-Hans" uses "zh") in table `name`, or None."""
    data = table(name)
    return data.get(lang, data.get(lang.split("-")[0]))
