"""Parsing and printing IR with every e3ne dialect loaded."""

from __future__ import annotations

import io
from pathlib import Path

from xdsl.context import Context
from xdsl.dialects.builtin import FileLineColLoc, IntAttr, ModuleOp, StringAttr, UnknownLoc
from xdsl.ir import Operation
from xdsl.parser import Parser
from xdsl.printer import Printer

XDSL_DIALECTS = ("builtin", "func", "arith")
"""The xDSL dialects e3ne flows use besides their own."""


def make_context() -> Context:
    """A context with xDSL's builtin/func/arith and every e3ne dialect (loaded lazily)."""
    from xdsl.dialects import get_all_dialects as get_xdsl_dialects

    from e3ne.dialects import get_all_dialects

    ctx = Context()
    xdsl_dialects = get_xdsl_dialects()
    for name in XDSL_DIALECTS:
        ctx.register_dialect(name, xdsl_dialects[name])
    for name, loader in get_all_dialects().items():
        ctx.register_dialect(name, loader)
    return ctx


class LocatingParser(Parser):
    """A parser that gives every op without a ``loc(...)`` its ``file:line:col``.

    Lines are counted incrementally (ops are parsed in source order), so this stays linear
    in the size of the input even for files with megabytes of weights.
    """

    def __init__(self, ctx: Context, text: str, name: str = "<input>", first_line: int = 1):
        super().__init__(ctx, text, name)
        self._file = StringAttr(name)
        self._line_pos = 0
        self._line = first_line
        self._text = text

    def parse_operation(self) -> Operation:
        start = self._current_token.span.start
        op = super().parse_operation()
        if isinstance(op.location, UnknownLoc) and start >= self._line_pos:
            self._line += self._text.count("\n", self._line_pos, start)
            self._line_pos = start
            line_start = self._text.rfind("\n", 0, start) + 1
            op.location = FileLineColLoc(self._file, IntAttr(self._line), IntAttr(start - line_start + 1))
        return op


def parse_module(text: str, name: str = "<input>", ctx: Context | None = None) -> ModuleOp:
    """Parse MLIR text (any e3ne dialect) into a module; raises xDSL's ParseError on bad syntax."""
    return LocatingParser(ctx or make_context(), text, name).parse_module()


def parse_file(path: str | Path, ctx: Context | None = None) -> ModuleOp:
    path = Path(path)
    return parse_module(path.read_text(), str(path), ctx)


def print_module(module: Operation, generic: bool = False) -> str:
    """The textual IR of ``module`` (pretty form unless ``generic``)."""
    out = io.StringIO()
    Printer(stream=out, print_generic_format=generic).print_op(module)
    out.write("\n")
    return out.getvalue()
