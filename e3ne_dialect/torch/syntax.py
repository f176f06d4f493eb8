"""What torch ops share: diagnostics, the ``operands {attrs} : types`` syntax, and ``AtenOp``.

torch-mlir prints most ops as ``%r = <name> %a, %b {attrs} : <signature>``: the signature is a
function type ``(!t1, !t2) -> !t3`` for ``torch.prim.*`` and ``torch.operator``, and a flat
``!t1, !t2 -> !t3`` for the ATen/prims ops (the ``AtenOp`` format).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Self, cast

from xdsl.ir import Attribute, SSAValue
from xdsl.irdl import IRDLOperation, irdl_op_definition, var_operand_def, var_result_def
from xdsl.parser import Parser, UnresolvedOperand
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from e3ne.dialects.torch.types import TorchType


def parse_operand_list(parser: Parser) -> list[UnresolvedOperand]:
    """``%a, %b`` (possibly empty)."""
    first = parser.parse_optional_unresolved_operand()
    if first is None:
        return []
    operands = [first]
    while parser.parse_optional_punctuation(",") is not None:
        operands.append(parser.parse_unresolved_operand())
    return operands


class TorchOp(IRDLOperation):
    """A torch op: every diagnostic starts with the op name, and the ``{attrs} : <signature>`` syntax."""

    def fail(self, message: str) -> VerifyException:
        return VerifyException(f"'{self.name}': {message}")

    @classmethod
    def parse_signature(
        cls,
        parser: Parser,
        operands: Sequence[UnresolvedOperand],
        pos: int,
        *,
        function_type: bool = True,
        properties: dict[str, Attribute] | None = None,
    ) -> Self:
        """The op from its ``operands`` (read from ``pos`` on) and the rest of its text.

        That is ``{attrs} : (!t1, !t2) -> !t3`` with ``function_type``, else ``{attrs} : !t1, !t2 -> !t3``
        (``: !t3`` without operands).
        """
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        if function_type:
            signature = parser.parse_function_type()
            operand_types, result_types = signature.inputs.data, signature.outputs.data
        else:
            operand_types = []
            if operands:
                operand_types = parser.parse_comma_separated_list(parser.Delimiter.NONE, parser.parse_type)
                parser.parse_punctuation("->")
            result_types = parser.parse_comma_separated_list(parser.Delimiter.NONE, parser.parse_type)
        values = parser.resolve_operands(operands, operand_types, pos)
        return cls.create(operands=values, result_types=result_types, properties=properties or {}, attributes=attrs)

    @classmethod
    def parse_operands_and_signature(cls, parser: Parser, *, function_type: bool = True) -> Self:
        """``%a, %b {attrs} : <signature>``, see :meth:`parse_signature`."""
        pos = parser.pos
        return cls.parse_signature(parser, parse_operand_list(parser), pos, function_type=function_type)

    def print_signature(self, printer: Printer, *, function_type: bool = True) -> None:
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        if function_type:
            printer.print_function_type(self.operand_types, self.result_types)
            return
        if self.operands:
            printer.print_list(self.operand_types, printer.print_attribute)
            printer.print_string(" -> ")
        printer.print_list(self.result_types, printer.print_attribute)

    def print_operands_and_signature(self, printer: Printer, *, function_type: bool = True) -> None:
        if self.operands:
            printer.print_string(" ")
            printer.print_list(self.operands, printer.print_operand)
        self.print_signature(printer, function_type=function_type)


class AtenOp(TorchOp):
    """An ATen/prims op in torch-mlir's default format.

    ``%r = torch.aten.add.Tensor %a, %b, %alpha : !t1, !t2, !torch.int -> !t3``; two results are
    ``%r0, %r1 = ... -> !t3, !t4``. Each op is a subclass made by :func:`aten_op` that only sets
    ``name``, ``ARG_NAMES`` (the ATen schema's argument names, in order) and ``NUM_RESULTS``.
    """

    arguments = var_operand_def()
    outputs = var_result_def()
    ARG_NAMES: ClassVar[tuple[str, ...]] = ()
    NUM_RESULTS: ClassVar[int] = 1

    def __init__(
        self,
        args: Sequence[SSAValue],
        result_types: Sequence[Attribute],
        attributes: dict[str, Attribute] | None = None,
    ):
        super().__init__(operands=[args], result_types=[result_types], attributes=attributes or {})

    def arg(self, name: str) -> SSAValue:
        """The operand for the schema argument ``name`` (``op.arg("weight")``)."""
        if name not in self.ARG_NAMES:
            raise KeyError(f"'{self.name}' has no argument '{name}' (it has {', '.join(self.ARG_NAMES)})")
        return self.operands[self.ARG_NAMES.index(name)]

    @property
    def result(self) -> SSAValue:
        """The only result (ops with more results: ``op.results[i]``)."""
        assert len(self.results) == 1, f"'{self.name}' has {len(self.results)} results"
        return self.results[0]

    @classmethod
    def parse(cls, parser: Parser) -> AtenOp:
        return cls.parse_operands_and_signature(parser, function_type=False)

    def print(self, printer: Printer) -> None:
        self.print_operands_and_signature(printer, function_type=False)

    def verify_(self) -> None:
        if len(self.operands) != len(self.ARG_NAMES):
            raise self.fail(
                f"expected {len(self.ARG_NAMES)} operands ({', '.join(self.ARG_NAMES)}), got {len(self.operands)}"
            )
        if len(self.results) != self.NUM_RESULTS:
            raise self.fail(f"expected {self.NUM_RESULTS} results, got {len(self.results)}")
        for what, values in (("operand", self.operands), ("result", self.results)):
            for i, value in enumerate(values):
                if not isinstance(value.type, TorchType):
                    raise self.fail(f"{what} {i} must have a !torch type, got {value.type}")


ATEN_OPS: dict[str, type[AtenOp]] = {}
"""Op name -> class of every ``torch.aten.*``/``torch.prims.*`` op the dialect defines."""

_PACKAGE = __name__.rpartition(".")[0]
"""Where the ATen op classes are defined (``e3ne.dialects.torch``)."""


def _class_name(op_name: str) -> str:
    """``torch.aten.max_pool2d_with_indices`` -> ``AtenMaxPool2dWithIndicesOp`` (torch-mlir's C++ names)."""
    out = ""
    for part in op_name.removeprefix("torch.").split("."):
        lead = "_" if part.startswith("_") else ""
        trail = "_" if part.endswith("_") else ""
        out += lead + "".join(w[:1].upper() + w[1:] for w in part.split("_") if w) + trail
    return out + "Op"


def aten_op(name: str, arg_names: str, results: int = 1) -> type[AtenOp]:
    """Define (and register in ``ATEN_OPS``) the op ``name`` with the ATen schema's argument names."""
    class_name = _class_name(name)
    args = tuple(arg_names.split())
    namespace = {
        "name": name,
        "ARG_NAMES": args,
        "NUM_RESULTS": results,
        "__annotations__": {"ARG_NAMES": "ClassVar[tuple[str, ...]]", "NUM_RESULTS": "ClassVar[int]"},
        "__module__": _PACKAGE,
        "__qualname__": class_name,
        "__doc__": f"``{name}({', '.join(args)})`` with {results} result{'s' if results > 1 else ''}.",
    }
    cls = irdl_op_definition(cast(type[AtenOp], type(class_name, (AtenOp,), namespace)))
    ATEN_OPS[name] = cls
    return cls
