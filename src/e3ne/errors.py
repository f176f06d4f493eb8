"""User-facing errors: one line that names the op or layer and what is wrong.

The exceptions a user of the Python API meets for bad input are:

* :class:`E3neError` (a subclass of xDSL's ``DiagnosticException``) from ``e3ne.compile``,
  ``e3ne.compile_onnx``, ``e3ne.import_model`` and the :class:`e3ne.Design` methods: an op or a
  layer e3ne does not support, a model or file it cannot read, options out of range or unknown,
  calibration or input arrays of the wrong shape or dtype, holding NaN or infinity, an output
  folder that is a file, holds the user's files or cannot be written. ``str(err)`` is the one-line
  diagnostic (``error: conv2 (Conv2d): not supported: ...``).
* xDSL's ``ParseError`` and ``VerifyException`` only when you parse or verify IR yourself with
  xDSL's own API; e3ne's entry points turn them into :class:`E3neError`.

Anything else is a bug in e3ne. The tools (``e3ne``, ``e3ne-opt``, and stock ``xdsl-opt`` with
e3ne installed) print each of these as one line on stderr and exit with code 1; a bug prints one
line too and exits with code 2 (the traceback with ``E3NE_TRACEBACK=1``).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import traceback
from collections.abc import Callable

from xdsl.dialects.builtin import FileLineColLoc, ModuleOp, NameLoc
from xdsl.ir import Operation
from xdsl.utils.exceptions import DiagnosticException, ParseError, VerifyException


class E3neError(DiagnosticException):
    """An error in the user's input or options; its message is a complete one-line diagnostic.

    ``stages``: the ``.mlir`` text of every stage finished before the error, by stage name (the
    compilation's, when it failed), so a tool can write them where the user can open them.
    """

    stages: dict[str, str]

    def __init__(self, *args: object):
        super().__init__(*args)
        self.stages = {}


_MODULE_LOCATION = re.compile(r"(?P<path>[^\s()]+) \((?P<cls>\w+)\)|(?P<top>\w+)\.forward")
"""How an op imported from PyTorch is located (``e3ne.torch_import``): at its module, or the top
module's forward."""


def module_location(path: str, cls: str) -> str:
    """The location name of an op that ran in the PyTorch module ``path`` of class ``cls``:
    ``features.3 (MaxPool2d)``, or ``Net.forward`` for the top module (path ``""``)."""
    return f"{path} ({cls})" if path else f"{cls}.forward"


def pytorch_module(op: Operation) -> tuple[str, str] | None:
    """``(module path, class)`` of the PyTorch module an op comes from (path ``""``: the top module's
    own forward), or None for an op not imported from PyTorch."""
    loc = op.location
    if not isinstance(loc, NameLoc) or isinstance(loc.location, FileLineColLoc):
        return None
    found = _MODULE_LOCATION.fullmatch(loc.desc.data)
    if found is None:
        return None
    return (found["path"], found["cls"]) if found["path"] else ("", found["top"])


def where(op: Operation) -> str:
    """``file:line:col`` of an op when known (else its name), for diagnostics."""
    loc = op.location
    if isinstance(loc, FileLineColLoc):
        return f"{loc.filename.data}:{loc.line.data}:{loc.column.data}"
    if isinstance(loc, NameLoc):
        inner = loc.location
        return (
            f"{inner.filename.data}:{inner.line.data}:{inner.column.data} ({loc.desc.data})"
            if isinstance(inner, FileLineColLoc)
            else loc.desc.data
        )
    return "<unknown>"


def op_error(op: Operation, message: str) -> E3neError:
    """``<where>: error: '<op>': <message>`` (``error: <module> (<class>): '<op>': <message>`` for an
    op imported from PyTorch)."""
    prefix = f"'{op.name}': "
    message = message if message.startswith(prefix) else prefix + message
    module = pytorch_module(op)
    if module is not None:
        return E3neError(f"error: {module_location(*module)}: {message}")
    return E3neError(f"{where(op)}: error: {message}")


def not_supported(what: str, op: Operation) -> E3neError:
    """The error for a feature e3ne does not have: ``<where>: error: '<op>': not supported: <what>``,
    or ``error: <module> (<class>): not supported: <what>`` for an op imported from PyTorch."""
    module = pytorch_module(op)
    if module is not None:
        return E3neError(f"error: {module_location(*module)}: not supported: {what}")
    return E3neError(f"{where(op)}: error: '{op.name}': not supported: {what}")


def verify_module(module: ModuleOp) -> None:
    """``module.verify()``, but a failure names the first failing op and its source position."""
    try:
        module.verify()
    except VerifyException as err:
        for op in module.walk():
            try:
                op.verify(verify_nested_ops=False)
            except VerifyException as inner:
                raise op_error(op, str(inner.args[0]) if inner.args else str(inner)) from None
        raise E3neError(f"error: {err.args[0] if err.args else err}") from None


def one_line(err: BaseException) -> str:
    """The one-line form of an error raised while handling user input."""
    if isinstance(err, ParseError):
        loc = err.span.get_location()
        return f"{loc}: error: {err.msg}"
    if isinstance(err, DiagnosticException | VerifyException) and err.args:
        return str(err.args[0]).splitlines()[0] if isinstance(err, VerifyException) else str(err.args[0])
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__


class OneLineArgumentParser(argparse.ArgumentParser):
    """argparse, but a bad command line is one line (and exit code 1, bad input) rather than the usage."""

    def error(self, message: str):  # type: ignore[override]
        print(f"{self.prog}: error: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(1)


def run_reporting_errors(body: Callable[[], object], tool: str) -> int:
    """Run a command-line tool's body; user errors print one line and exit 1.

    Unexpected exceptions are e3ne bugs: they print one line too, and the traceback when
    ``E3NE_TRACEBACK=1`` is set.
    """
    try:
        body()
    except (ParseError, VerifyException, DiagnosticException) as err:
        print(f"{tool}: {one_line(err)}", file=sys.stderr)
        return 1
    except FileNotFoundError as err:
        print(f"{tool}: error: no such file: {err.filename}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{tool}: interrupted", file=sys.stderr)
        return 130
    except Exception as err:
        if isinstance(err, OSError) and err.filename is not None:
            # a path the user gave: a folder where a file should be, a file in the way of a folder,
            # no permission, no space left ...
            print(f"{tool}: error: {err.filename}: {(err.strerror or type(err).__name__).lower()}", file=sys.stderr)
            return 1
        # anything else is a bug in e3ne, not in the input
        if os.environ.get("E3NE_TRACEBACK"):
            traceback.print_exc()
        print(
            f"{tool}: internal error: {type(err).__name__}: {one_line(err)} (set E3NE_TRACEBACK=1 for the traceback)",
            file=sys.stderr,
        )
        return 2
    return 0
