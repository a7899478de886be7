"""`python -m factsheet` runs the command line."""

import sys

from factsheet.cli import main

sys.exit(main())
