"""The ``!torch.*`` types: scalars, containers and tensors, parsed and printed as torch-mlir does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.dialects.builtin import (
    ArrayAttr,
    BFloat16Type,
    ComplexType,
    Float16Type,
    Float32Type,
    Float64Type,
    IntAttr,
    IntegerType,
    NoneAttr,
    Signedness,
)
from xdsl.ir import Attribute, ParametrizedAttribute, TypeAttribute
from xdsl.irdl import irdl_attr_definition
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

UNKNOWN_SIZE = -1
"""A ``?`` dimension of a tensor type (torch-mlir's ``kUnknownSize``)."""


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


# --------------------------------------------------------------------------- scalars


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


# --------------------------------------------------------------------------- containers
#
# The abstract bases below are dataclasses so that their parameters are fields of every concrete
# type: equality and hashing only see dataclass fields.


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


@dataclass(frozen=True, init=False)
class _ContainerType(TorchType):
    """``!torch.list<T>`` and ``!torch.optional<T>``."""

    contained: Attribute

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


@irdl_attr_definition(init=False)  # keep the base class's __init__
class OptionalType(_ContainerType):
    """``!torch.optional<T>``: a T or ``!torch.none``."""

    name = "torch.optional"


@dataclass(frozen=True, init=False)
class _MultiContainerType(TorchType):
    """``!torch.tuple<T1, T2>`` and ``!torch.union<T1, T2>``."""

    contained: ArrayAttr[Attribute]

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


@irdl_attr_definition(init=False)  # keep the base class's __init__
class UnionType(_MultiContainerType):
    name = "torch.union"


# --------------------------------------------------------------------------- tensors


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


@dataclass(frozen=True, init=False)
class BaseTensorType(TorchType):
    """``!torch.vtensor<[2,?,3],f32>``: optional sizes (``*`` = unranked, ``?`` = unknown) and optional dtype.

    ``!torch.vtensor`` alone knows neither; ``unk`` stands for an unknown dtype.
    """

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


@irdl_attr_definition(init=False)  # keep the base class's __init__
class NonValueTensorType(BaseTensorType):
    """``!torch.tensor<...>``: a mutable tensor."""

    name = "torch.tensor"


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
