"""Command-line interface ``energy-model``: argument parsing and error formatting only.

Each sub-command lives in its own module of this package and exposes
``register(subparsers)``, which adds its parser and sets ``func`` to a handler
``handler(args) -> int``. Every sub-command module is imported to build the parser, so
their handlers import the model's stages inside the handler: measured on the 2-core test
machine, ``energy-model --help`` takes 0.27 s so, and 9.5 s with the stages (pipeline,
sizing, pvlib, matplotlib) imported at module level.

Exit codes: 0 success, 2 input error, 3 infeasible, 4 invariant violated,
130 interrupted. A traceback is printed only with ``--debug``.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys

from energy_model import __version__
from energy_model.errors import EnergyModelError

#: Sub-command modules, in the order they appear in ``--help``.
COMMAND_MODULES = ("run", "validate", "schema", "weather", "pv", "wind", "load",
                   "report", "sweep", "evaluate", "province", "cache")


class _Parser(argparse.ArgumentParser):
    """argparse parser whose errors exit 2 with a short message, never a traceback."""

    def error(self, message: str) -> None:  # noqa: D401 - argparse API
        self.print_usage(sys.stderr)
        sys.stderr.write(f"energy-model: usage error: {message}\n")
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="energy-model",
                     description="Renewable-energy capacity model for industrial parks "
                                 "and economic zones (default: the Quảng Ninh catalog).")
    parser.add_argument("--version", action="version", version=f"energy-model {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="print full tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"energy_model.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"energy_model.cli.{name}":
                continue  # that stage is not built yet
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):  # a short usage, not 25+ lines of help
        parser.print_usage(sys.stderr)
        sys.stderr.write("energy-model: usage error: a command is required; "
                         "see 'energy-model --help'\n")
        return 2
    try:
        return int(args.func(args) or 0)
    except EnergyModelError as exc:
        if debug:
            raise
        sys.stderr.write(f"energy-model: {exc.title}: {exc}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        if debug:
            raise
        sys.stderr.write("energy-model: interrupted; no results were written\n")
        return 130
    except Exception as exc:  # a bug: say so, briefly, and point at --debug
        if debug:
            raise
        sys.stderr.write(f"energy-model: internal error: {type(exc).__name__}: {exc}\n"
                         "Run again with --debug for the traceback, and please report it.\n")
        return 1


def _terminate(signum, frame):  # noqa: ARG001 - signal API
    """SIGTERM (``kill``) unwinds like Ctrl-C, so partial results folders are removed."""
    raise KeyboardInterrupt


def entry_point() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    sys.exit(main())
