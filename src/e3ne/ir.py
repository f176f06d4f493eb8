"""Parsing and printing IR with every e3ne dialect loaded."""

from __future__ import annotations

import io
import re
from pathlib import Path

from xdsl.context import Context
from xdsl.dialect_interfaces.op_asm import OpAsmDialectInterface
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    FileLineColLoc,
    IntAttr,
    ModuleOp,
    StringAttr,
    UnknownLoc,
)
from xdsl.ir import Attribute, Dialect, Operation
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException
from xdsl.utils.mlir_lexer import MLIRLexer

from e3ne.errors import E3neError

_XDSL_STRING_LITERAL = r'"(?:[^"\\\n\v\f]+|\\(?:["nt\\]|[0-9A-Fa-f]{2}))*"'
if MLIRLexer._unescaped_characters_regex.pattern == _XDSL_STRING_LITERAL:
    # xDSL 0.74's string-literal pattern backtracks exponentially on a string that is never closed
    # (a truncated file: the lexer never returns). The same pattern with possessive quantifiers
    # matches the same strings, and fails in linear time.
    MLIRLexer._unescaped_characters_regex = re.compile(r'"(?:[^"\\\n\v\f]++|\\(?:["nt\\]|[0-9A-Fa-f]{2}))*+"')

_OP_NAME = re.compile(r'(?:%[\w.$-]+(?::\d+)?(?:\s*,\s*%[\w.$-]+(?::\d+)?)*\s*=\s*)?"?([A-Za-z_][\w.$]*)')
"""An op's name at the start of its text (after its results, in pretty or generic form)."""

XDSL_DIALECTS = ("builtin", "func", "arith")
"""The xDSL dialects e3ne flows use besides their own."""


def make_context() -> Context:
    """A context with xDSL's builtin/func/arith and every e3ne dialect (loaded lazily)."""
    from xdsl.dialects import get_all_dialects as get_xdsl_dialects

    from e3ne.universe import DIALECTS

    ctx = Context()
    xdsl_dialects = get_xdsl_dialects()
    for name in XDSL_DIALECTS:
        ctx.register_dialect(name, _builtin_with_own_resources if name == "builtin" else xdsl_dialects[name])
    for name, loader in DIALECTS.items():
        ctx.register_dialect(name, loader)
    return ctx


def _builtin_with_own_resources() -> Dialect:
    """xDSL's builtin dialect with a ``dense_resource`` blob store of this context's own.

    xDSL keeps parsed blobs in the one ``Builtin`` dialect object of the process: weights of every
    file ever parsed would stay alive, and keys of different files would collide.
    """
    from xdsl.dialects.builtin import Builtin

    return Dialect(Builtin.name, list(Builtin.operations), list(Builtin.attributes), [OpAsmDialectInterface()])


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
        self._resource_keys: dict[tuple[str, str], str] = {}

    def parse_operation(self) -> Operation:
        start = self._current_token.span.start
        try:
            op = super().parse_operation()
        except VerifyException as err:
            # A declarative format checks property constraints while parsing: say where, and which op.
            name = _OP_NAME.match(self._text, start)
            what = f"'{name.group(1)}': " if name else ""
            self.raise_error(what + str(err.args[0]).splitlines()[0], start, start)
        if isinstance(op.location, UnknownLoc) and start >= self._line_pos:
            self._line += self._text.count("\n", self._line_pos, start)
            self._line_pos = start
            line_start = self._text.rfind("\n", 0, start) + 1
            op.location = FileLineColLoc(self._file, IntAttr(self._line), IntAttr(start - line_start + 1))
        return op

    def _parse_dialect_resource_handle(self, dialect_name: str, interface: OpAsmDialectInterface) -> str:
        # xDSL remembers the keys it declared rather than the keys it read, so a key that is already
        # in the context (a second file) got its blob stored under another name than its uses.
        key = self.parse_identifier(" for resource handle")
        declared = self._resource_keys.get((dialect_name, key))
        if declared is None:
            declared = self._resource_keys[(dialect_name, key)] = interface.declare_resource(key)
        return declared


def parse_module(text: str, name: str = "<input>", ctx: Context | None = None) -> ModuleOp:
    """Parse MLIR text (any e3ne dialect) into a module; raises xDSL's ParseError on bad syntax."""
    return LocatingParser(ctx or make_context(), text, name).parse_module()


def read_text(path: str | Path) -> str:
    """The text of an IR file; an :class:`E3neError` when it is not text."""
    try:
        return Path(path).read_text()
    except UnicodeDecodeError as err:
        raise E3neError(f"error: {path}: not MLIR text (byte {err.start} is not UTF-8)") from None


def parse_file(path: str | Path, ctx: Context | None = None) -> ModuleOp:
    return parse_module(read_text(path), str(path), ctx)


def functions(module: ModuleOp, name: str = "") -> list[func.FuncOp]:
    """The ``func.func`` ops a pass works on: the one named ``name``, or every one of the module.

    Passes take a ``function`` option that ends up here, so a module can hold several networks
    (or other functions) and each pass says which it rewrites.
    """
    found = [op for op in module.ops if isinstance(op, func.FuncOp)]
    if name:
        found = [f for f in found if f.sym_name.data == name]
        if not found:
            raise E3neError(f"error: the module has no func.func @{name}")
    elif not found:
        raise E3neError("error: the module has no func.func")
    return found


def main_function(module: ModuleOp, name: str = "") -> func.FuncOp:
    """The network's function: ``name``, else ``@main``, else the module's only function."""
    funcs = functions(module, name)
    if len(funcs) == 1:
        return funcs[0]
    for f in funcs:
        if f.sym_name.data == "main":
            return f
    names = ", ".join("@" + f.sym_name.data for f in funcs)
    raise E3neError(f"error: the module has several functions ({names}) and none is @main: name the one to use")


HEX_ABOVE = 100
"""Dense elements with more values print as one hex string (as xDSL and MLIR do)."""


class ElidingPrinter(Printer):
    """Prints dense elements with more than ``elide_above`` values as ``dense_resource<__elided__>``
    (MLIR's spelling), so the IR of a large network stays readable and FileCheck-able."""

    elide_above: int = 0

    def print_attribute(self, attribute: Attribute) -> None:
        if isinstance(attribute, DenseIntOrFPElementsAttr):
            count = len(attribute)
            if self.elide_above and count > self.elide_above:
                self.print_string("dense_resource<__elided__> : ")
                super().print_attribute(attribute.get_type())
                return
            raw = attribute.data.data
            if count > HEX_ABOVE and raw != raw[: len(raw) // count] * count:
                # What xDSL prints for large elements, without unpacking them into Python values.
                self.print_string(f'dense<"0x{raw.hex().upper()}"> : ')
                super().print_attribute(attribute.get_type())
                return
        super().print_attribute(attribute)


def print_module(module: Operation, generic: bool = False, ctx: Context | None = None, elide_above: int = 0) -> str:
    """The textual IR of ``module`` (pretty form unless ``generic``).

    With ``ctx`` (the context that parsed or built it), the ``dialect_resources`` blobs the module
    uses (``dense_resource`` weights) are printed after it, so the text re-parses with its data.
    ``elide_above`` > 0 elides larger dense elements (the output then does not re-parse).
    """
    out = io.StringIO()
    printer = ElidingPrinter(stream=out, print_generic_format=generic)
    printer.elide_above = elide_above
    printer.print_op(module)
    if ctx is not None:
        printer.print_metadata(ctx.loaded_dialects)
    out.write("\n")
    return out.getvalue()
