"""The `torch` dialect: the part of torch-mlir's ``torch`` dialect that e3ne imports.

``torch_mlir.fx.export_and_import(model, x)`` prints a module of ``!torch.*`` types,
``torch.constant.*`` scalars, ``torch.prim.ListConstruct`` lists, ``torch.vtensor.literal``
weights and ``torch.aten.*``/``torch.prims.*`` ops. This dialect parses and prints that text
as torch-mlir does (generic form included), so files from torch-mlir load without unregistered
ops. Ops and types follow torch-mlir's definitions; the verifiers only check what the importer
(``convert-torch-to-snn``) relies on.

Weights are ``dense_resource<key>`` attributes: their bytes live in the file's trailing
``{-# dialect_resources: { builtin: { key: "0x<4-byte alignment><little-endian data>" } } #-}``
section, which xDSL stores in the builtin dialect's ``OpAsmDialectInterface`` of the parsing
context. :func:`literal_array` decodes them; the context that parsed a module must be kept to read
its weights. Printing with ``e3ne-opt`` (or ``print_module(module, ctx=ctx)``) writes the section
back for every key the module uses.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Sequence
from typing import ClassVar, TypeAlias, cast

import numpy as np
from xdsl.context import Context
from xdsl.dialect_interfaces.op_asm import OpAsmDialectInterface
from xdsl.dialects.builtin import (
    ArrayAttr,
    BFloat16Type,
    BoolAttr,
    ComplexType,
    DenseIntOrFPElementsAttr,
    DenseResourceAttr,
    Float16Type,
    Float32Type,
    Float64Type,
    FloatAttr,
    IntAttr,
    IntegerAttr,
    IntegerType,
    NoneAttr,
    ShapedType,
    Signedness,
    StringAttr,
    i1,
    i64,
)
from xdsl.ir import Attribute, Dialect, Operation, ParametrizedAttribute, SSAValue, TypeAttribute
from xdsl.irdl import (
    IRDLOperation,
    irdl_attr_definition,
    irdl_op_definition,
    prop_def,
    result_def,
    traits_def,
    var_operand_def,
    var_result_def,
)
from xdsl.parser import AttrParser, Parser, UnresolvedOperand
from xdsl.printer import Printer
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from e3ne.errors import E3neError, op_error

UNKNOWN_SIZE = -1
"""A ``?`` dimension of a tensor type (torch-mlir's ``kUnknownSize``)."""

# --------------------------------------------------------------------------- types


class TorchType(ParametrizedAttribute, TypeAttribute):
    """A ``!torch.<mnemonic>`` type; nested in another torch type it is printed without ``!torch.``."""

    @classmethod
    def mnemonic(cls) -> str:
        return cls.name.removeprefix("torch.")

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        return ()

    def print_parameters(self, printer: Printer) -> None:
        pass


@irdl_attr_definition
class IntType(TorchType):
    """``!torch.int``: a 64-bit signed integer."""

    name = "torch.int"


@irdl_attr_definition
class FloatType(TorchType):
    """``!torch.float``: a 64-bit float."""

    name = "torch.float"


@irdl_attr_definition
class BoolType(TorchType):
    name = "torch.bool"


@irdl_attr_definition
class NoneType(TorchType):
    """``!torch.none``: Python's None (an omitted optional argument)."""

    name = "torch.none"


@irdl_attr_definition
class StringType(TorchType):
    name = "torch.str"


@irdl_attr_definition
class NumberType(TorchType):
    """``!torch.number``: an int or a float."""

    name = "torch.number"


@irdl_attr_definition
class DeviceType(TorchType):
    name = "torch.Device"


@irdl_attr_definition
class GeneratorType(TorchType):
    name = "torch.Generator"


@irdl_attr_definition
class AnyType(TorchType):
    name = "torch.any"


def _parse_nested(parser: AttrParser) -> Attribute:
    """A torch type nested in another one (``int`` in ``!torch.list<int>``), or any full type."""
    pos = parser.pos
    mnemonic = parser.parse_optional_identifier()
    if mnemonic is None:
        return parser.parse_type()
    cls = NESTED_TYPES.get(mnemonic)
    if cls is None:
        parser.raise_error(f"unknown torch type '{mnemonic}' (known: {', '.join(sorted(NESTED_TYPES))})", pos)
    return cls.new(cls.parse_parameters(parser))


def _print_nested(printer: Printer, t: Attribute) -> None:
    if isinstance(t, TorchType):
        printer.print_string(t.mnemonic())
        t.print_parameters(printer)
    else:
        printer.print_attribute(t)


class _ContainerType(TorchType):
    """``!torch.list<T>`` and ``!torch.optional<T>``."""

    contained: Attribute  # declared again by each concrete type, see BaseTensorType

    def __init__(self, contained: Attribute):
        super().__init__(contained)

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        with parser.in_angle_brackets():
            return (_parse_nested(parser),)

    def print_parameters(self, printer: Printer) -> None:
        with printer.in_angle_brackets():
            _print_nested(printer, self.contained)


@irdl_attr_definition(init=False)  # keep the base class's __init__
class ListType(_ContainerType):
    """``!torch.list<int>``: a list of values of one torch type."""

    name = "torch.list"
    contained: Attribute


@irdl_attr_definition(init=False)  # keep the base class's __init__
class OptionalType(_ContainerType):
    """``!torch.optional<T>``: a T or ``!torch.none``."""

    name = "torch.optional"
    contained: Attribute


class _MultiContainerType(TorchType):
    """``!torch.tuple<T1, T2>`` and ``!torch.union<T1, T2>``."""

    contained: ArrayAttr[Attribute]  # declared again by each concrete type, see BaseTensorType

    def __init__(self, contained: Sequence[Attribute]):
        super().__init__(ArrayAttr(contained))

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        return (ArrayAttr(parser.parse_comma_separated_list(parser.Delimiter.ANGLE, lambda: _parse_nested(parser))),)

    def print_parameters(self, printer: Printer) -> None:
        with printer.in_angle_brackets():
            printer.print_list(self.contained.data, lambda t: _print_nested(printer, t))


@irdl_attr_definition(init=False)  # keep the base class's __init__
class TupleType(_MultiContainerType):
    name = "torch.tuple"
    contained: ArrayAttr[Attribute]


@irdl_attr_definition(init=False)  # keep the base class's __init__
class UnionType(_MultiContainerType):
    name = "torch.union"
    contained: ArrayAttr[Attribute]


def _is_valid_dtype(dtype: Attribute) -> bool:
    """The element types torch-mlir allows: f16/bf16/f32/f64, i1, si8-si64, ui8 (and complex of those)."""
    if isinstance(dtype, ComplexType):
        dtype = dtype.element_type
    if isinstance(dtype, Float16Type | BFloat16Type | Float32Type | Float64Type):
        return True
    if isinstance(dtype, IntegerType):
        width, signedness = dtype.width.data, dtype.signedness.data
        return (
            (signedness == Signedness.SIGNLESS and width == 1)
            or (signedness == Signedness.SIGNED and width in (8, 16, 32, 64))
            or (signedness == Signedness.UNSIGNED and width == 8)
        )
    return False


def _invalid_dtype(type_name: str, dtype: Attribute) -> str:
    return f"invalid dtype {dtype} for !{type_name} (torch uses f16, bf16, f32, f64, i1, si8-si64, ui8)"


class BaseTensorType(TorchType):
    """``!torch.vtensor<[2,?,3],f32>``: optional sizes (``*`` = unranked, ``?`` = unknown) and optional dtype.

    ``!torch.vtensor`` alone knows neither; ``unk`` stands for an unknown dtype.
    """

    # Each concrete type declares the parameters again: equality and hashing (dataclass fields)
    # only see parameters declared in @irdl_attr_definition classes.
    optional_sizes: ArrayAttr[IntAttr] | NoneAttr
    optional_dtype: Attribute

    def __init__(self, shape: Sequence[int] | None = None, dtype: Attribute | None = None):
        sizes = NoneAttr() if shape is None else ArrayAttr([IntAttr(s) for s in shape])
        super().__init__(sizes, NoneAttr() if dtype is None else dtype)

    @property
    def shape(self) -> tuple[int, ...] | None:
        """The sizes (``UNKNOWN_SIZE`` for ``?``), or None when unranked."""
        if isinstance(self.optional_sizes, NoneAttr):
            return None
        return tuple(s.data for s in self.optional_sizes.data)

    @property
    def dtype(self) -> Attribute | None:
        """The element type (``f32``, ``si64``, ``i1``, ...), or None when unknown."""
        return None if isinstance(self.optional_dtype, NoneAttr) else self.optional_dtype

    def has_static_shape(self) -> bool:
        return self.shape is not None and UNKNOWN_SIZE not in self.shape

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        if parser.parse_optional_punctuation("<") is None:
            return NoneAttr(), NoneAttr()
        sizes: Attribute = NoneAttr()
        if parser.parse_optional_punctuation("*") is None:

            def parse_size() -> IntAttr:
                if parser.parse_optional_punctuation("?") is not None:
                    return IntAttr(UNKNOWN_SIZE)
                return IntAttr(parser.parse_integer(allow_negative=False, allow_boolean=False))

            sizes = ArrayAttr(parser.parse_comma_separated_list(parser.Delimiter.SQUARE, parse_size))
        parser.parse_punctuation(",")
        pos = parser.pos
        dtype = NoneAttr() if parser.parse_optional_keyword("unk") else parser.parse_type()
        if not isinstance(dtype, NoneAttr) and not _is_valid_dtype(dtype):
            parser.raise_error(_invalid_dtype(cls.name, dtype), pos, parser.pos)
        parser.parse_punctuation(">")
        return sizes, dtype

    def print_parameters(self, printer: Printer) -> None:
        shape, dtype = self.shape, self.dtype
        if shape is None and dtype is None:
            return
        sizes = "*" if shape is None else "[" + ",".join("?" if s < 0 else str(s) for s in shape) + "]"
        printer.print_string(f"<{sizes},")
        if dtype is None:
            printer.print_string("unk")
        else:
            printer.print_attribute(dtype)
        printer.print_string(">")

    def verify(self) -> None:
        if self.dtype is not None and not _is_valid_dtype(self.dtype):
            raise VerifyException(_invalid_dtype(self.name, self.dtype))
        if self.shape is not None and any(s < UNKNOWN_SIZE for s in self.shape):
            raise VerifyException(f"invalid size in !{self.name} shape {list(self.shape)}")


@irdl_attr_definition(init=False)  # keep the base class's __init__
class ValueTensorType(BaseTensorType):
    """``!torch.vtensor<...>``: a tensor with value semantics (what the fx importer produces)."""

    name = "torch.vtensor"
    optional_sizes: ArrayAttr[IntAttr] | NoneAttr
    optional_dtype: Attribute


@irdl_attr_definition(init=False)  # keep the base class's __init__
class NonValueTensorType(BaseTensorType):
    """``!torch.tensor<...>``: a mutable tensor."""

    name = "torch.tensor"
    optional_sizes: ArrayAttr[IntAttr] | NoneAttr
    optional_dtype: Attribute


TYPES: tuple[type[TorchType], ...] = (
    IntType, FloatType, BoolType, NoneType, StringType, NumberType, DeviceType, GeneratorType, AnyType,
    ListType, OptionalType, TupleType, UnionType, ValueTensorType, NonValueTensorType,
)  # fmt: skip
NESTED_TYPES: dict[str, type[TorchType]] = {t.mnemonic(): t for t in TYPES}


def is_valid_subtype(sub: Attribute, sup: Attribute) -> bool:
    """Whether a ``sub`` value may stand where ``sup`` is expected (torch-mlir's rule)."""
    if sub == sup or isinstance(sup, AnyType):
        return True
    if isinstance(sub, UnionType):
        return all(is_valid_subtype(t, sup) for t in sub.contained.data)
    if isinstance(sup, NumberType):
        return isinstance(sub, IntType | FloatType)
    if isinstance(sup, OptionalType):
        return isinstance(sub, NoneType) or is_valid_subtype(sub, sup.contained)
    if isinstance(sup, UnionType):
        return any(is_valid_subtype(sub, t) for t in sup.contained.data)
    if isinstance(sup, TupleType):
        return (
            isinstance(sub, TupleType)
            and len(sub.contained) == len(sup.contained)
            and all(is_valid_subtype(a, b) for a, b in zip(sub.contained.data, sup.contained.data, strict=True))
        )
    if isinstance(sup, BaseTensorType) and type(sub) is type(sup):
        return sup.shape is None and sup.dtype is None
    return False


# --------------------------------------------------------------------------- ops


class _TorchOp(IRDLOperation):
    """Shared diagnostics: every message starts with the op name."""

    def fail(self, message: str) -> VerifyException:
        return VerifyException(f"'{self.name}': {message}")


class _ConstantOp(_TorchOp):
    """``torch.constant.<kind> <value>``."""

    traits = traits_def(Pure())
    RESULT_TYPE: ClassVar[type[TorchType]]

    @classmethod
    def parse_value(cls, parser: Parser) -> Attribute:
        raise NotImplementedError

    def print_value(self, printer: Printer) -> None:
        raise NotImplementedError

    def python_value(self) -> int | float | bool | str | None:
        raise NotImplementedError

    @classmethod
    def parse(cls, parser: Parser) -> _ConstantOp:
        value = cls.parse_value(parser)
        attrs = parser.parse_optional_attr_dict()
        return cls.create(result_types=[cls.RESULT_TYPE()], properties={"value": value}, attributes=attrs)

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        self.print_value(printer)
        printer.print_op_attributes(self.attributes)


@irdl_op_definition
class ConstantIntOp(_ConstantOp):
    """``%int3 = torch.constant.int 3``."""

    name = "torch.constant.int"
    value = prop_def(IntegerAttr)
    result = result_def(IntType)
    RESULT_TYPE: ClassVar[type[TorchType]] = IntType

    def __init__(self, value: int):
        super().__init__(result_types=[IntType()], properties={"value": IntegerAttr(value, i64)})
        self.result.name_hint = f"int{value}"

    @classmethod
    def parse_value(cls, parser: Parser) -> Attribute:
        return IntegerAttr(parser.parse_integer(allow_boolean=False), i64)

    def print_value(self, printer: Printer) -> None:
        printer.print_string(str(self.value.value.data))

    def python_value(self) -> int:
        return self.value.value.data

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
class ConstantFloatOp(_ConstantOp):
    """``%float1.000000e-05 = torch.constant.float 1.000000e-05``."""

    name = "torch.constant.float"
    value = prop_def(FloatAttr)
    result = result_def(FloatType)
    RESULT_TYPE: ClassVar[type[TorchType]] = FloatType

    def __init__(self, value: float):
        super().__init__(result_types=[FloatType()], properties={"value": FloatAttr(value, Float64Type())})
        self.result.name_hint = "float" + format_float(value).replace("+", "")

    @classmethod
    def parse_value(cls, parser: Parser) -> Attribute:
        token = parser._current_token
        if _HEX_FLOAT.fullmatch(token.text):  # inf and nan print as their bit pattern
            bits = parser.parse_integer(allow_negative=False, allow_boolean=False)
            return FloatAttr(float(np.array(bits, dtype="<u8").view("<f8")), Float64Type())
        return FloatAttr(float(parser.parse_number()), Float64Type())

    def print_value(self, printer: Printer) -> None:
        printer.print_string(format_float(self.value.value.data))

    def python_value(self) -> float:
        return self.value.value.data

    def verify_(self) -> None:
        if not isinstance(self.value.type, Float64Type):
            raise self.fail(f"value must be an f64 float, got {self.value}")


@irdl_op_definition
class ConstantBoolOp(_ConstantOp):
    """``%false = torch.constant.bool false``."""

    name = "torch.constant.bool"
    value = prop_def(BoolAttr)
    result = result_def(BoolType)
    RESULT_TYPE: ClassVar[type[TorchType]] = BoolType

    def __init__(self, value: bool):
        super().__init__(result_types=[BoolType()], properties={"value": IntegerAttr(int(value), i1)})
        self.result.name_hint = "true" if value else "false"

    @classmethod
    def parse_value(cls, parser: Parser) -> Attribute:
        return IntegerAttr(int(parser.parse_boolean()), i1)

    def print_value(self, printer: Printer) -> None:
        printer.print_string("true" if self.value.value.data else "false")

    def python_value(self) -> bool:
        return bool(self.value.value.data)


class _ConstantStringOp(_ConstantOp):
    value = prop_def(StringAttr)

    @classmethod
    def parse_value(cls, parser: Parser) -> Attribute:
        return StringAttr(parser.parse_str_literal())

    def print_value(self, printer: Printer) -> None:
        printer.print_string_literal(self.value.data)

    def python_value(self) -> str:
        return self.value.data


@irdl_op_definition
class ConstantStrOp(_ConstantStringOp):
    """``%str = torch.constant.str "none"``."""

    name = "torch.constant.str"
    result = result_def(StringType)
    RESULT_TYPE: ClassVar[type[TorchType]] = StringType

    def __init__(self, value: str):
        super().__init__(result_types=[StringType()], properties={"value": StringAttr(value)})


@irdl_op_definition
class ConstantDeviceOp(_ConstantStringOp):
    """``%cpu = torch.constant.device "cpu"``."""

    name = "torch.constant.device"
    result = result_def(DeviceType)
    RESULT_TYPE: ClassVar[type[TorchType]] = DeviceType

    def __init__(self, value: str):
        super().__init__(result_types=[DeviceType()], properties={"value": StringAttr(value)})


@irdl_op_definition
class ConstantNoneOp(_TorchOp):
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
class ConstantNumberOp(_TorchOp):
    """``"torch.constant.number"() <{value = 1 : i64}> : () -> !torch.number`` (generic form only, as in torch-mlir)."""

    name = "torch.constant.number"
    value = prop_def(IntegerAttr | FloatAttr)
    result = result_def(NumberType)
    traits = traits_def(Pure())


def _shape_and_dtype(value: DenseIntOrFPElementsAttr | DenseResourceAttr) -> tuple[tuple[int, ...], Attribute]:
    value_type = value.type
    assert isinstance(value_type, ShapedType)
    return tuple(value_type.get_shape()), cast(Attribute, value_type.get_element_type())  # pyright: ignore[reportAttributeAccessIssue]


class _TensorLiteralOp(_TorchOp):
    """``torch.vtensor.literal(<elements>) : !torch.vtensor<[...],dtype>``."""

    value = prop_def(DenseIntOrFPElementsAttr | DenseResourceAttr)
    traits = traits_def(Pure())
    TENSOR_TYPE: ClassVar[type[BaseTensorType]]

    def __init__(self, value: DenseIntOrFPElementsAttr | DenseResourceAttr):
        """The literal of ``value``, with the tensor type of its shape and element type."""
        shape, dtype = _shape_and_dtype(value)
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
        value_shape, value_dtype = _shape_and_dtype(self.value)
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


def _parse_operand_list(parser: Parser) -> list[UnresolvedOperand]:
    """``%a, %b`` (possibly empty)."""
    first = parser.parse_optional_unresolved_operand()
    if first is None:
        return []
    operands = [first]
    while parser.parse_optional_punctuation(",") is not None:
        operands.append(parser.parse_unresolved_operand())
    return operands


@irdl_op_definition
class PrimListConstructOp(_TorchOp):
    """``%0 = torch.prim.ListConstruct %a, %b : (!torch.int, !torch.int) -> !torch.list<int>``."""

    name = "torch.prim.ListConstruct"
    elements = var_operand_def()
    result = result_def(ListType)
    traits = traits_def(Pure())

    def __init__(self, elements: Sequence[SSAValue], element_type: Attribute):
        super().__init__(operands=[elements], result_types=[ListType(element_type)])

    @classmethod
    def parse(cls, parser: Parser) -> PrimListConstructOp:
        pos = parser.pos
        operands = _parse_operand_list(parser)
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        function_type = parser.parse_function_type()
        values = parser.resolve_operands(operands, function_type.inputs.data, pos)
        return cls.create(operands=values, result_types=function_type.outputs.data, attributes=attrs)

    def print(self, printer: Printer) -> None:
        if self.elements:
            printer.print_string(" ")
            printer.print_list(self.elements, printer.print_operand)
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_function_type(self.elements.types, [self.result.type])

    def verify_(self) -> None:
        contained = self.result.type.contained
        for i, element in enumerate(self.elements):
            if not is_valid_subtype(element.type, contained):
                raise self.fail(f"element {i} has type {element.type}, which is not a {self.result.type} element")


@irdl_op_definition
class OperatorOp(_TorchOp):
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
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        function_type = parser.parse_function_type()
        values = parser.resolve_operands(operands, function_type.inputs.data, pos)
        return cls.create(
            operands=values, result_types=function_type.outputs.data, properties={"name": op_name}, attributes=attrs
        )

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_string_literal(self.op_name.data)
        with printer.in_parens():
            printer.print_list(self.arguments, printer.print_operand)
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_function_type(self.arguments.types, self.outputs.types)


class AtenOp(_TorchOp):
    """An ATen/prims op in torch-mlir's default format.

    ``%r = torch.aten.add.Tensor %a, %b, %alpha : !t1, !t2, !torch.int -> !t3``; two results are
    ``%r0, %r1 = ... -> !t3, !t4``. Each op is a subclass made by :func:`_aten_op` that only sets
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
        pos = parser.pos
        operands = _parse_operand_list(parser)
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        operand_types: list[Attribute] = []
        if operands:
            operand_types = parser.parse_comma_separated_list(parser.Delimiter.NONE, parser.parse_type)
            parser.parse_punctuation("->")
        result_types = parser.parse_comma_separated_list(parser.Delimiter.NONE, parser.parse_type)
        values = parser.resolve_operands(operands, operand_types, pos)
        return cls.create(operands=values, result_types=result_types, attributes=attrs)

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_list(self.operands, printer.print_operand)
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        if self.operands:
            printer.print_list(self.operand_types, printer.print_attribute)
            printer.print_string(" -> ")
        printer.print_list(self.result_types, printer.print_attribute)

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


def _class_name(op_name: str) -> str:
    """``torch.aten.max_pool2d_with_indices`` -> ``AtenMaxPool2dWithIndicesOp`` (torch-mlir's C++ names)."""
    out = ""
    for part in op_name.removeprefix("torch.").split("."):
        lead = "_" if part.startswith("_") else ""
        trail = "_" if part.endswith("_") else ""
        out += lead + "".join(w[:1].upper() + w[1:] for w in part.split("_") if w) + trail
    return out + "Op"


def _aten_op(name: str, arg_names: str, results: int = 1) -> type[AtenOp]:
    """Define (and register in ``ATEN_OPS``) the op ``name`` with the ATen schema's argument names."""
    class_name = _class_name(name)
    args = tuple(arg_names.split())
    namespace = {
        "name": name,
        "ARG_NAMES": args,
        "NUM_RESULTS": results,
        "__annotations__": {"ARG_NAMES": "ClassVar[tuple[str, ...]]", "NUM_RESULTS": "ClassVar[int]"},
        "__module__": __name__,
        "__qualname__": class_name,
        "__doc__": f"``{name}({', '.join(args)})`` with {results} result{'s' if results > 1 else ''}.",
    }
    cls = irdl_op_definition(cast(type[AtenOp], type(class_name, (AtenOp,), namespace)))
    ATEN_OPS[name] = cls
    return cls


_CONV = "input weight bias stride padding dilation"
_POOL = "self kernel_size stride padding"

# Arguments from torch-mlir's GeneratedTorchOps.td (the ATen schemas).
AtenConvolutionOp = _aten_op("torch.aten.convolution", f"{_CONV} transposed output_padding groups")
AtenConv2dOp = _aten_op("torch.aten.conv2d", f"{_CONV} groups")
Aten_ConvolutionOp = _aten_op(
    "torch.aten._convolution",
    f"{_CONV} transposed output_padding groups benchmark deterministic cudnn_enabled allow_tf32",
)
AtenLinearOp = _aten_op("torch.aten.linear", "input weight bias")
AtenAddmmOp = _aten_op("torch.aten.addmm", "self mat1 mat2 beta alpha")
AtenMmOp = _aten_op("torch.aten.mm", "self mat2")
AtenBmmOp = _aten_op("torch.aten.bmm", "self mat2")
AtenMatmulOp = _aten_op("torch.aten.matmul", "self other")
AtenTOp = _aten_op("torch.aten.t", "self")
AtenPermuteOp = _aten_op("torch.aten.permute", "self dims")
AtenTransposeIntOp = _aten_op("torch.aten.transpose.int", "self dim0 dim1")
AtenBatchNormOp = _aten_op(
    "torch.aten.batch_norm", "input weight bias running_mean running_var training momentum eps cudnn_enabled"
)
Aten_NativeBatchNormLegitNoTrainingOp = _aten_op(
    "torch.aten._native_batch_norm_legit_no_training", "input weight bias running_mean running_var momentum eps", 3
)
AtenNativeBatchNormOp = _aten_op(
    "torch.aten.native_batch_norm", "input weight bias running_mean running_var training momentum eps", 3
)
AtenReluOp = _aten_op("torch.aten.relu", "self")
AtenRelu_Op = _aten_op("torch.aten.relu_", "self")
AtenMaxPool2dOp = _aten_op("torch.aten.max_pool2d", f"{_POOL} dilation ceil_mode")
AtenMaxPool2dWithIndicesOp = _aten_op("torch.aten.max_pool2d_with_indices", f"{_POOL} dilation ceil_mode", 2)
AtenAvgPool2dOp = _aten_op("torch.aten.avg_pool2d", f"{_POOL} ceil_mode count_include_pad divisor_override")
AtenAdaptiveAvgPool2dOp = _aten_op("torch.aten.adaptive_avg_pool2d", "self output_size")
Aten_AdaptiveAvgPool2dOp = _aten_op("torch.aten._adaptive_avg_pool2d", "self output_size")
AtenFlattenUsingIntsOp = _aten_op("torch.aten.flatten.using_ints", "self start_dim end_dim")
AtenViewOp = _aten_op("torch.aten.view", "self size")
AtenReshapeOp = _aten_op("torch.aten.reshape", "self shape")
Aten_UnsafeViewOp = _aten_op("torch.aten._unsafe_view", "self size")
AtenCloneOp = _aten_op("torch.aten.clone", "self memory_format")
AtenDropoutOp = _aten_op("torch.aten.dropout", "input p train")
AtenNativeDropoutOp = _aten_op("torch.aten.native_dropout", "input p train", 2)
AtenDetachOp = _aten_op("torch.aten.detach", "self")
AtenContiguousOp = _aten_op("torch.aten.contiguous", "self memory_format")
AtenUnsqueezeOp = _aten_op("torch.aten.unsqueeze", "self dim")
AtenSqueezeDimOp = _aten_op("torch.aten.squeeze.dim", "self dim")
AtenSqueezeOp = _aten_op("torch.aten.squeeze", "self")
PrimsSqueezeOp = _aten_op("torch.prims.squeeze", "a dimensions")
AtenAddTensorOp = _aten_op("torch.aten.add.Tensor", "self other alpha")
AtenSubTensorOp = _aten_op("torch.aten.sub.Tensor", "self other alpha")
AtenMulTensorOp = _aten_op("torch.aten.mul.Tensor", "self other")
AtenDivTensorOp = _aten_op("torch.aten.div.Tensor", "self other")
AtenAddScalarOp = _aten_op("torch.aten.add.Scalar", "self other alpha")
AtenSubScalarOp = _aten_op("torch.aten.sub.Scalar", "self other alpha")
AtenMulScalarOp = _aten_op("torch.aten.mul.Scalar", "self other")
AtenDivScalarOp = _aten_op("torch.aten.div.Scalar", "self other")
AtenSqrtOp = _aten_op("torch.aten.sqrt", "self")
AtenRsqrtOp = _aten_op("torch.aten.rsqrt", "self")
AtenReciprocalOp = _aten_op("torch.aten.reciprocal", "self")
AtenExpOp = _aten_op("torch.aten.exp", "self")
AtenLogOp = _aten_op("torch.aten.log", "self")
AtenNegOp = _aten_op("torch.aten.neg", "self")
AtenSigmoidOp = _aten_op("torch.aten.sigmoid", "self")
AtenTanhOp = _aten_op("torch.aten.tanh", "self")
AtenHardtanhOp = _aten_op("torch.aten.hardtanh", "self min_val max_val")
AtenLeakyReluOp = _aten_op("torch.aten.leaky_relu", "self negative_slope")
PrimsConvertElementTypeOp = _aten_op("torch.prims.convert_element_type", "a dtype")
AtenLogSoftmaxIntOp = _aten_op("torch.aten.log_softmax.int", "self dim dtype")
Aten_LogSoftmaxOp = _aten_op("torch.aten._log_softmax", "self dim half_to_float")
AtenSoftmaxIntOp = _aten_op("torch.aten.softmax.int", "self dim dtype")
Aten_SoftmaxOp = _aten_op("torch.aten._softmax", "self dim half_to_float")
AtenAmaxOp = _aten_op("torch.aten.amax", "self dim keepdim")
AtenSumDimIntListOp = _aten_op("torch.aten.sum.dim_IntList", "self dim keepdim dtype")
AtenMeanDimOp = _aten_op("torch.aten.mean.dim", "self dim keepdim dtype")
AtenArgmaxOp = _aten_op("torch.aten.argmax", "self dim keepdim")


TORCH = Dialect(
    "torch",
    [
        ConstantIntOp, ConstantFloatOp, ConstantBoolOp, ConstantNoneOp, ConstantStrOp, ConstantDeviceOp,
        ConstantNumberOp, VTensorLiteralOp, TensorLiteralOp, PrimListConstructOp, OperatorOp, *ATEN_OPS.values(),
    ],
    list(TYPES),
)  # fmt: skip

# --------------------------------------------------------------------------- reading constants

Scalar: TypeAlias = "int | float | bool | str | list[Scalar] | None"


def scalar_value(value: SSAValue) -> Scalar:
    """The Python value of a ``torch.constant.*`` result, or the list a ``torch.prim.ListConstruct`` builds.

    Raises an :class:`E3neError` that names the producing op when ``value`` is not a constant.
    """
    op = value.owner
    if isinstance(op, _ConstantOp):
        return op.python_value()
    if isinstance(op, ConstantNoneOp):
        return None
    if isinstance(op, ConstantNumberOp):
        return op.value.value.data
    if isinstance(op, PrimListConstructOp):
        return [scalar_value(element) for element in op.elements]
    if isinstance(op, Operation):
        raise op_error(op, f"expected a constant (torch.constant.* or a list of them), got {value.type} from this op")
    raise E3neError(f"error: expected a constant (torch.constant.* or a list of them), got block argument {value}")


def int_list(value: SSAValue) -> list[int]:
    """A ``!torch.list<int>`` of constants, e.g. the strides of a convolution."""
    items = scalar_value(value)
    if not isinstance(items, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in items):
        raise _not_a("list of ints", value, items)
    return cast(list[int], items)


def scalar_int(value: SSAValue) -> int:
    item = scalar_value(value)
    if not isinstance(item, int) or isinstance(item, bool):
        raise _not_a("int", value, item)
    return item


def scalar_float(value: SSAValue) -> float:
    """A ``!torch.float`` (or ``!torch.int``) constant as a float."""
    item = scalar_value(value)
    if not isinstance(item, int | float) or isinstance(item, bool):
        raise _not_a("number", value, item)
    return float(item)


def scalar_bool(value: SSAValue) -> bool:
    item = scalar_value(value)
    if not isinstance(item, bool):
        raise _not_a("bool", value, item)
    return item


def _not_a(what: str, value: SSAValue, got: Scalar) -> E3neError:
    op = value.owner
    assert isinstance(op, Operation)
    return op_error(op, f"expected a constant {what}, got {got!r}")


# --------------------------------------------------------------------------- reading literals


def numpy_dtype(element_type: Attribute) -> np.dtype:
    """The little-endian numpy dtype of one stored element (``bf16`` is read as ``uint16`` bits)."""
    if isinstance(element_type, Float16Type):
        return np.dtype("<f2")
    if isinstance(element_type, Float32Type):
        return np.dtype("<f4")
    if isinstance(element_type, Float64Type):
        return np.dtype("<f8")
    if isinstance(element_type, BFloat16Type):
        return np.dtype("<u2")
    if isinstance(element_type, IntegerType) and element_type.width.data in (1, 8, 16, 32, 64):
        width = max(8, element_type.width.data)
        kind = "u" if element_type.signedness.data == Signedness.UNSIGNED or width == 1 else "i"
        return np.dtype(f"<{kind}{width // 8}")
    raise ValueError(f"literals of element type {element_type} are not supported")


def _from_storage(raw: np.ndarray, element_type: Attribute) -> np.ndarray:
    if isinstance(element_type, IntegerType) and element_type.width.data == 1:
        return raw != 0  # i1 is one byte per element (xDSL stores true as 0xFF)
    if isinstance(element_type, BFloat16Type):
        return (raw.astype("<u4") << 16).view("<f4")
    return raw


def resource_blob(ctx: Context, key: str) -> bytes | None:
    """The raw bytes of ``dense_resource<key>`` (without the alignment header), or None if absent."""
    builtin = ctx.get_optional_dialect("builtin")
    interface = None if builtin is None else builtin.get_interface(OpAsmDialectInterface)
    text = None if interface is None else interface.lookup(key)
    if not text:
        return None
    return binascii.unhexlify(text[10:])  # "0x" + 8 hex digits of alignment, then the data


def literal_array(op: VTensorLiteralOp | TensorLiteralOp, ctx: Context) -> np.ndarray:
    """The elements of a tensor literal, shaped as its type (read-only; bf16 becomes f32, i1 bool).

    ``ctx`` is the context that parsed (or built) the module: it holds ``dense_resource`` blobs.
    """
    value = op.value
    shape, element_type = _shape_and_dtype(value)
    dtype = numpy_dtype(element_type)
    count = int(np.prod(shape))
    if isinstance(value, DenseResourceAttr):
        key = value.resource_handle.data
        data = resource_blob(ctx, key)
        if data is None:
            raise op_error(op, f"dense_resource<{key}> has no data (no dialect_resources entry in this context)")
    else:
        data = value.data.data
    if len(data) != count * dtype.itemsize:
        if isinstance(value, DenseIntOrFPElementsAttr) and len(data) == dtype.itemsize:
            raw = np.broadcast_to(np.frombuffer(data, dtype), shape)  # a splat
            return _from_storage(raw, element_type)
        raise op_error(
            op, f"literal holds {len(data)} bytes, but {list(shape)} x {element_type} needs {count * dtype.itemsize}"
        )
    return _from_storage(np.frombuffer(data, dtype).reshape(shape), element_type)
