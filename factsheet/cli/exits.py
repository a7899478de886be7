"""The one table of exit codes every `factsheet` subcommand returns.

Scripts and CI branch on these, so they never change meaning: 0 the job was
done, 1 the job failed on good input (or a check found failures), 2 the input
or the arguments were wrong, 128 + N stopped by signal N (130 Ctrl-C, 143 SIGTERM).
"""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    OK = 0
    FAILED = 1  # a build failed on good input, a disk was full, an audit or status check failed
    BAD_INPUT = 2  # bad content, layout, catalog, PDF or argument: nothing was written
    SIGNALLED = 128  # plus the signal number


def signalled(signum: int) -> int:
    """The shell's convention for a process stopped by a signal."""
    return Exit.SIGNALLED + int(signum)
