"""What the speed work relies on, checked by outcome (timings live in `make bench`, never here).

- ReportLab formats every coordinate with its C accelerator (rl-accel), not the
  pure-Python fallback it silently uses when the package is missing.
- Files in a sheet folder that no edition reads never cost a build time or
  memory: a 2 GB file beside en.yaml changes neither the PDF nor the peak memory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, SHEET_DIR


def test_reportlab_formats_numbers_with_its_c_accelerator() -> None:
    from reportlab.lib import rl_accel
    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfgen import canvas

    # The fallback is a Python function recorded in _py_funcs; the accelerator is a builtin.
    assert "fp_str" not in rl_accel._py_funcs
    for module in (rl_accel, pdfdoc, canvas):
        assert type(module.fp_str).__name__ == "builtin_function_or_method", module.__name__
    assert rl_accel.fp_str(1.23456, 2.7891666, 2, 13, 11) == "1.23456 2.789167 2 13 11"
