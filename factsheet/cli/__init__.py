"""The `factsheet` command line: one module per subcommand, one table of exit codes.

Only this package prints or exits; the library raises typed errors
(factsheet/errors.py) and `main` turns them into messages and the codes in
`exits.py` (0 ok, 1 failed on good input, 2 bad input, 128 + N a signal).

Adding a subcommand `frob`:
1. Write `factsheet/cli/frob.py` with `register(subparsers)`, which adds the
   parser and `set_defaults(run=run)`, and `run(args) -> int` returning an
   `Exit` code. Import heavy modules (layout, render, Starlette…) inside `run`,
   never at the top: `factsheet --help` imports every command module, and cold
   start is measured (`make bench`).
2. Add `"frob": "frob"` to `COMMAND_MODULES` below (the order is the order of
   `factsheet --help`).
3. Raise `InputError`/`BuildError` for bad input/failed builds; `main` reports them.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

from factsheet import __version__
from factsheet.cli.exits import Exit, signalled
from factsheet.cli.report import Reporter
from factsheet.errors import BuildError, InputError, OutputError

# Command name → its module, in the order of `factsheet --help`. A run imports and
# registers only the module of the command it names (the whole table for --help,
# --version or a mistyped command): a cold `factsheet build` is measured (make bench).
COMMAND_MODULES: dict[str, str] = {
    "new": "new",
    "list": "listing",
    "watch": "watch",
    "build": "build",
    "check": "check",
    "preview": "preview",
    "batch": "batch",
    "release": "release",
    "site": "site",
    "serve": "serve",
    "i18n": "i18n",
    "audit": "audit",
}


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"factsheet.cli.{COMMAND_MODULES[name]}")


def __getattr__(name: str) -> tuple[ModuleType, ...]:
    """`COMMANDS`: every command module, imported on first use."""
    if name == "COMMANDS":
        return tuple(_module(command) for command in COMMAND_MODULES)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line: the top-level options and every subcommand (or just `only`)."""
    top = argparse.ArgumentParser(
        prog="factsheet",
        description="Build printable, branded two-page PDF fact sheets from content files.",
        epilog="exit status: 0 ok, 1 failed on good input, 2 bad input or arguments, "
        "130/143 interrupted. `factsheet COMMAND --help` describes each command.",
    )
    top.add_argument("--version", action="version", version=f"factsheet {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in [only] if only else COMMAND_MODULES:
        _module(command).register(sub)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    cli = parser(arguments[0] if arguments and arguments[0] in COMMAND_MODULES else None)
    if not arguments:  # `factsheet` alone: what can I do? (not a usage error)
        cli.print_help()
        return Exit.OK
    args = cli.parse_args(arguments)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except InputError as error:
        report_problems(error)
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''}; nothing was written.", file=sys.stderr)
        return Exit.BAD_INPUT
    except OutputError as error:  # the disk, not the build: say which file and why
        Reporter().error(str(error))
        return Exit.FAILED
    except BuildError as error:
        Reporter().error(f"build failed: {error}")
        return Exit.FAILED
    except BrokenPipeError:  # `factsheet list | head`: the reader stopped reading; say nothing
        _quiet_stdout()
        return Exit.FAILED
    except OSError as error:  # a disk or system fault the stages did not word themselves
        Reporter().error(_os_error(error))
        return Exit.FAILED
    except KeyboardInterrupt:
        print("interrupted; nothing was written.", file=sys.stderr)
        return signalled(signal.SIGINT)
    except Exception as error:  # a bug: one line a user can report, not a traceback
        if os.environ.get("FACTSHEET_TRACEBACK"):
            raise
        Reporter().error(_internal_error(error))
        return Exit.FAILED


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (a test's capture): nothing to flush
        pass


def report_problems(error: InputError) -> None:
    """Every problem of a bad input: one `error:` line each on stderr (and its source on a
    terminal)."""
    reporter = Reporter()
    for problem in error.problems:
        reporter.problem(problem)


def _os_error(error: OSError) -> str:
    from factsheet.publish.files import os_error_reason

    where = f"{error.filename}: " if error.filename else ""
    return f"{where}{os_error_reason(error)}"


def _internal_error(error: Exception) -> str:
    import traceback

    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return (
        f"internal error (a bug in factsheet, not in your files): {type(error).__name__}: "
        f"{error}{where}; please report it (FACTSHEET_TRACEBACK=1 shows the traceback)"
    )


if __name__ == "__main__":
    sys.exit(main())
