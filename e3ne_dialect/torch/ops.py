"""The torch ops that are not ATen ops: scalar constants, tensor literals, lists, ``torch.operator``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, ClassVar, cast

import numpy as np
from xdsl.dialects.builtin import (
    BoolAttr,
    DenseIntOrFPElementsAttr,
    DenseResourceAttr,
    Float64Type,
    FloatAttr,
    IntegerAttr,
    ShapedType,
    StringAttr,
    i1,
    i64,
)
from xdsl.ir import Attribute, SSAValue
from xdsl.irdl import irdl_op_definition, prop_def, result_def, traits_def, var_operand_def, var_result_def
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import Pure

from e3ne.dialects.torch.syntax import TorchOp
from e3ne.dialects.torch.types import (
    BaseTensorType,
    BoolType,
    DeviceType,
    FloatType,
    IntType,
    ListType,
    NoneType,
    NonValueTensorType,
    NumberType,
    StringType,
    TorchType,
    ValueTensorType,
    is_valid_subtype,
)

# --------------------------------------------------------------------------- scalar constants


class ScalarConstantOp(TorchOp):
    """``torch.constant.<kind> <value>``: each kind says how its Python value (an int, float, bool or str)
    is stored, read and written."""

    traits = traits_def(Pure())
    RESULT_TYPE: ClassVar[type[TorchType]]
    NAME_PREFIX: ClassVar[str | None] = None
    """torch-mlir names the result after the value with this prefix (``%int3``, ``%true``); None: no name."""

    def __init__(self, value: Any):
        super().__init__(result_types=[self.RESULT_TYPE()], properties={"value": self.attribute(value)})
        if self.NAME_PREFIX is not None:
            self.results[0].name_hint = self.NAME_PREFIX + self.text(value).replace("+", "")

    @staticmethod
    def attribute(value: Any) -> Attribute:
        """The ``value`` property holding ``value``."""
        raise NotImplementedError

    @staticmethod
    def parse_python(parser: Parser) -> Any:
        raise NotImplementedError

    @staticmethod
    def text(value: Any) -> str:
        """``value`` as torch-mlir prints it."""
        raise NotImplementedError

    def python_value(self) -> Any:
        """The value as a Python int, float, bool or str."""
        value = self.properties["value"]
        return value.data if isinstance(value, StringAttr) else cast(IntegerAttr | FloatAttr, value).value.data

    @classmethod
    def parse(cls, parser: Parser) -> ScalarConstantOp:
        value = cls.attribute(cls.parse_python(parser))
        attrs = parser.parse_optional_attr_dict()
        return cls.create(result_types=[cls.RESULT_TYPE()], properties={"value": value}, attributes=attrs)

    def print(self, printer: Printer) -> None:
        printer.print_string(" " + self.text(self.python_value()))
        printer.print_op_attributes(self.attributes)


@irdl_op_definition
class ConstantIntOp(ScalarConstantOp):
    """``%int3 = torch.constant.int 3``."""

    name = "torch.constant.int"
    value = prop_def(IntegerAttr)
    result = result_def(IntType)
    RESULT_TYPE: ClassVar[type[TorchType]] = IntType
    NAME_PREFIX: ClassVar[str | None] = "int"

    @staticmethod
    def attribute(value: int) -> Attribute:
        return IntegerAttr(value, i64)

    @staticmethod
    def parse_python(parser: Parser) -> int:
        return parser.parse_integer(allow_boolean=False)

    @staticmethod
    def text(value: int) -> str:
        return str(value)

    def verify_(self) -> None:
        if self.value.type != i64:
            raise self.fail(f"value must be an i64 integer, got {self.value}")


_HEX_FLOAT = re.compile(r"0[xX][0-9a-fA-F]+")


def format_float(value: float) -> str:
    """A float as MLIR prints an ``f64`` attribute: ``1.000000e-05`` when 6 digits are exact."""
    if np.isfinite(value):
        text = f"{value:.6e}"
        return text if float(text) == value else repr(value)
    return "0x" + np.array(value, dtype="<f8").view("<u8").item().to_bytes(8, "big").hex().upper()


@irdl_op_definition
class ConstantFloatOp(ScalarConstantOp):
    """``%float1.000000e-05 = torch.constant.float 1.000000e-05``."""

    name = "torch.constant.float"
    value = prop_def(FloatAttr)
    result = result_def(FloatType)
    RESULT_TYPE: ClassVar[type[TorchType]] = FloatType
    NAME_PREFIX: ClassVar[str | None] = "float"

    @staticmethod
    def attribute(value: float) -> Attribute:
        return FloatAttr(value, Float64Type())

    @staticmethod
    def parse_python(parser: Parser) -> float:
        if _HEX_FLOAT.fullmatch(parser._current_token.text):  # inf and nan print as their bit pattern
            bits = parser.parse_integer(allow_negative=False, allow_boolean=False)
            return float(np.array(bits, dtype="<u8").view("<f8"))
        return float(parser.parse_number())

    @staticmethod
    def text(value: float) -> str:
        return format_float(value)

    def verify_(self) -> None:
        if not isinstance(self.value.type, Float64Type):
            raise self.fail(f"value must be an f64 float, got {self.value}")


@irdl_op_definition
class ConstantBoolOp(ScalarConstantOp):
    """``%false = torch.constant.bool false``."""

    name = "torch.constant.bool"
    value = prop_def(BoolAttr)
    result = result_def(BoolType)
    RESULT_TYPE: ClassVar[type[TorchType]] = BoolType
    NAME_PREFIX: ClassVar[str | None] = ""

    @staticmethod
    def attribute(value: bool) -> Attribute:
        return IntegerAttr(int(value), i1)

    @staticmethod
    def parse_python(parser: Parser) -> bool:
        return parser.parse_boolean()

    @staticmethod
    def text(value: bool) -> str:
        return "true" if value else "false"

    def python_value(self) -> bool:
        return bool(super().python_value())


class _ConstantStringOp(ScalarConstantOp):
    """A string constant: its result type is all that differs between kinds."""

    value = prop_def(StringAttr)

    @staticmethod
    def attribute(value: str) -> Attribute:
        return StringAttr(value)

    @staticmethod
    def parse_python(parser: Parser) -> str:
        return parser.parse_str_literal()

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_string_literal(self.value.data)
        printer.print_op_attributes(self.attributes)


@irdl_op_definition
class ConstantStrOp(_ConstantStringOp):
    """``%str = torch.constant.str "none"``."""

    name = "torch.constant.str"
    result = result_def(StringType)
    RESULT_TYPE: ClassVar[type[TorchType]] = StringType


@irdl_op_definition
class ConstantDeviceOp(_ConstantStringOp):
    """``%cpu = torch.constant.device "cpu"``."""

    name = "torch.constant.device"
    result = result_def(DeviceType)
    RESULT_TYPE: ClassVar[type[TorchType]] = DeviceType


@irdl_op_definition
class ConstantNoneOp(TorchOp):
    """``%none = torch.constant.none``."""

    name = "torch.constant.none"
    result = result_def(NoneType)
    traits = traits_def(Pure())

    def __init__(self):
        super().__init__(result_types=[NoneType()])
        self.result.name_hint = "none"

    @classmethod
    def parse(cls, parser: Parser) -> ConstantNoneOp:
        return cls.create(result_types=[NoneType()], attributes=parser.parse_optional_attr_dict())

    def print(self, printer: Printer) -> None:
        printer.print_op_attributes(self.attributes)


@irdl_op_definition
class ConstantNumberOp(TorchOp):
    """``"torch.constant.number"() <{value = 1 : i64}> : () -> !torch.number`` (generic form only, as in torch-mlir)."""

    name = "torch.constant.number"
    value = prop_def(IntegerAttr | FloatAttr)
    result = result_def(NumberType)
    traits = traits_def(Pure())


# --------------------------------------------------------------------------- tensor literals


def shape_and_dtype(value: DenseIntOrFPElementsAttr | DenseResourceAttr) -> tuple[tuple[int, ...], Attribute]:
    """The shape and element type of the elements of a literal."""
    value_type = value.type
    assert isinstance(value_type, ShapedType)
    return tuple(value_type.get_shape()), cast(Attribute, value_type.get_element_type())  # pyright: ignore[reportAttributeAccessIssue]


class _TensorLiteralOp(TorchOp):
    """``torch.vtensor.literal(<elements>) : !torch.vtensor<[...],dtype>``."""

    value = prop_def(DenseIntOrFPElementsAttr | DenseResourceAttr)
    traits = traits_def(Pure())
    TENSOR_TYPE: ClassVar[type[BaseTensorType]]

    def __init__(self, value: DenseIntOrFPElementsAttr | DenseResourceAttr):
        """The literal of ``value``, with the tensor type of its shape and element type."""
        shape, dtype = shape_and_dtype(value)
        super().__init__(result_types=[self.TENSOR_TYPE(shape, dtype)], properties={"value": value})

    @classmethod
    def parse(cls, parser: Parser) -> _TensorLiteralOp:
        parser.parse_punctuation("(")
        value = parser.parse_attribute()
        parser.parse_punctuation(")")
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        result_type = parser.parse_type()
        return cls.create(result_types=[result_type], properties={"value": value}, attributes=attrs)

    def print(self, printer: Printer) -> None:
        printer.print_string("(")
        printer.print_attribute(self.value)
        printer.print_string(")")
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.results[0].type)

    def verify_(self) -> None:
        t = cast(BaseTensorType, self.results[0].type)  # checked by result_def
        value_shape, value_dtype = shape_and_dtype(self.value)
        if t.shape != value_shape or t.dtype != value_dtype:
            raise self.fail(
                f"result type {t} does not match the literal's shape {list(value_shape)} and dtype {value_dtype}"
            )


@irdl_op_definition
class VTensorLiteralOp(_TensorLiteralOp):
    """A constant tensor: weights (``dense_resource<key>``) and small literals (``dense<...>``)."""

    name = "torch.vtensor.literal"
    result = result_def(ValueTensorType)
    TENSOR_TYPE: ClassVar[type[BaseTensorType]] = ValueTensorType


@irdl_op_definition
class TensorLiteralOp(_TensorLiteralOp):
    name = "torch.tensor.literal"
    result = result_def(NonValueTensorType)
    TENSOR_TYPE: ClassVar[type[BaseTensorType]] = NonValueTensorType


# --------------------------------------------------------------------------- lists and unknown ops


@irdl_op_definition
class PrimListConstructOp(TorchOp):
    """``%0 = torch.prim.ListConstruct %a, %b : (!torch.int, !torch.int) -> !torch.list<int>``."""

    name = "torch.prim.ListConstruct"
    elements = var_operand_def()
    result = result_def(ListType)
    traits = traits_def(Pure())

    def __init__(self, elements: Sequence[SSAValue], element_type: Attribute):
        super().__init__(operands=[elements], result_types=[ListType(element_type)])

    @classmethod
    def parse(cls, parser: Parser) -> PrimListConstructOp:
        return cls.parse_operands_and_signature(parser)

    def print(self, printer: Printer) -> None:
        self.print_operands_and_signature(printer)

    def verify_(self) -> None:
        contained = self.result.type.contained
        for i, element in enumerate(self.elements):
            if not is_valid_subtype(element.type, contained):
                raise self.fail(f"element {i} has type {element.type}, which is not a {self.result.type} element")


@irdl_op_definition
class OperatorOp(TorchOp):
    """``torch.operator "aten.foo"(%a) : (!torch.vtensor) -> !torch.vtensor``: an op torch-mlir does not define."""

    name = "torch.operator"
    op_name = prop_def(StringAttr, prop_name="name")
    arguments = var_operand_def()
    outputs = var_result_def()

    @classmethod
    def parse(cls, parser: Parser) -> OperatorOp:
        op_name = StringAttr(parser.parse_str_literal())
        pos = parser.pos
        operands = parser.parse_comma_separated_list(parser.Delimiter.PAREN, parser.parse_unresolved_operand)
        return cls.parse_signature(parser, operands, pos, properties={"name": op_name})

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_string_literal(self.op_name.data)
        with printer.in_parens():
            printer.print_list(self.arguments, printer.print_operand)
        self.print_signature(printer)
