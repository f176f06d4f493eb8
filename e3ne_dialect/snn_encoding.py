"""Encodings of the `snn` dialect: the encoding attributes and the tensor types that carry them.

* ``tensor<...xui4, #snn.radix<4, frac = 3>>``: radix codes, T = 4 timesteps (bit planes,
  most significant first), real value = code * 2^-frac; the element width equals T;
* ``tensor<...xi1, #snn.rate<16>>``: rate spike trains of 16 timesteps;
  ``tensor<...xsi12, #snn.rate<16>>``: per-timestep synaptic currents of such trains;
* ``tensor<...xsi13, #snn.fixed<frac = 9>>``: signed fixed-point values (membrane
  potentials, logits); the width comes from the bit-width analysis of ``quantize``.

Every attribute also parses and prints the generic parameter form that upstream MLIR uses
for attributes of a dialect loaded from IRDL (``#snn.radix<4 : i64, 3 : i64>``); printers in
generic op form (``--print-op-generic``) print that one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import AnyFloat, IntAttr, IntegerType, NoneAttr, Signedness, TensorType
from xdsl.ir import Attribute, ParametrizedAttribute
from xdsl.irdl import irdl_attr_definition
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

MAX_RADIX_TIMESTEPS = 16
"""Radix codes are stored in at most 16 bits (E3NE uses T <= 8)."""
MAX_RATE_TIMESTEPS = 4096
MAX_WEIGHT_BITS = 16
MAX_ACCUMULATOR_BITS = 64


def range_error(what: str, value: int, lo: int, hi: int) -> str | None:
    """The diagnostic for ``value`` outside ``[lo, hi]``, or None when it is inside."""
    return None if lo <= value <= hi else f"{what} must be in [{lo}, {hi}], got {value}"


# --------------------------------------------------------------------------- attributes


@dataclass(frozen=True)
class IntField:
    """One integer parameter of an encoding attribute and its pretty spelling."""

    name: str
    named: bool
    """Pretty form ``name = N`` (else just ``N``)."""
    lo: int | None = None
    hi: int | None = None


class IntParamsAttr(ParametrizedAttribute):
    """An attribute whose parameters are integers (``IntAttr``), in two spellings.

    Pretty: ``#snn.radix<4, frac = 3>``, as each subclass's ``FIELDS`` say. Generic: every
    parameter as an integer attribute, ``#snn.radix<4 : i64, 3 : i64>``, which is how upstream
    MLIR parses and prints an IRDL-defined attribute. The first field tells the spelling.
    """

    FIELDS: ClassVar[tuple[IntField, ...]]

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> tuple[IntAttr, ...]:
        values: list[IntAttr] = []
        generic: bool | None = None
        with parser.in_angle_brackets():
            for index, field in enumerate(cls.FIELDS):
                if index:
                    parser.parse_punctuation(",")
                start = parser.pos
                keyword = parser.parse_optional_keyword(field.name) if field.named else None
                if keyword is None and field.named and generic is False:
                    parser.raise_error(f"#{cls.name}: expected '{field.name} = N' (pretty spelling, as before)")
                if keyword is not None and generic:
                    parser.raise_error(f"#{cls.name}: expected 'N : i64' (generic spelling, as before)", start)
                if keyword is not None:
                    parser.parse_punctuation("=")
                    generic = False
                value = parser.parse_integer()
                # Checked before the type so the error points just after the number.
                if field.lo is not None and field.hi is not None:
                    message = range_error(f"#{cls.name} {field.name}", value, field.lo, field.hi)
                    if message:
                        parser.raise_error(message)
                if generic is None:
                    generic = parser.parse_optional_punctuation(":") is not None
                elif generic:
                    parser.parse_punctuation(":")
                type_start = parser.pos
                if generic and not isinstance(parser.parse_type(), IntegerType):
                    parser.raise_error(f"#{cls.name} {field.name}: expected an integer type", type_start)
                values.append(IntAttr(value))
        return tuple(values)

    def print_parameters(self, printer: Printer) -> None:
        values = [param.data for param in self.parameters if isinstance(param, IntAttr)]
        if printer.print_generic_format:
            items = [f"{value} : i64" for value in values]
        else:
            items = [f"{f.name} = {v}" if f.named else str(v) for f, v in zip(self.FIELDS, values, strict=True)]
        printer.print_string(f"<{', '.join(items)}>")

    def verify(self) -> None:
        for field, param in zip(self.FIELDS, self.parameters, strict=True):
            if field.lo is not None and field.hi is not None and isinstance(param, IntAttr):
                message = range_error(f"#{self.name} {field.name}", param.data, field.lo, field.hi)
                if message:
                    raise VerifyException(message)

    @classmethod
    def irdl_notes(cls) -> list[str]:
        """What IRDL cannot state about this attribute (for e3ne.dialects.irdl)."""
        return [f"{f.name} in [{f.lo}, {f.hi}]" for f in cls.FIELDS if f.lo is not None]


@irdl_attr_definition
class RadixEncodingAttr(IntParamsAttr):
    """Radix encoding: a T-bit unsigned code sent as T bit planes, MSB first.

    ``#snn.radix<4, frac = 3>``: 4 timesteps, real value = code * 2^-3.
    """

    name = "snn.radix"
    timesteps: IntAttr
    frac: IntAttr
    FIELDS = (IntField("timesteps", False, 1, MAX_RADIX_TIMESTEPS), IntField("frac", True))

    def __init__(self, timesteps: int, frac: int):
        super().__init__(IntAttr(timesteps), IntAttr(frac))

    @property
    def max_code(self) -> int:
        return (1 << self.timesteps.data) - 1


@irdl_attr_definition
class RateEncodingAttr(IntParamsAttr):
    """Rate encoding: a train of T timesteps (``i1`` spikes or signed per-step currents)."""

    name = "snn.rate"
    timesteps: IntAttr
    FIELDS = (IntField("timesteps", False, 1, MAX_RATE_TIMESTEPS),)

    def __init__(self, timesteps: int):
        super().__init__(IntAttr(timesteps))


@irdl_attr_definition
class FixedPointAttr(IntParamsAttr):
    """Signed fixed point: real value = integer * 2^-frac (membrane potentials, logits)."""

    name = "snn.fixed"
    frac: IntAttr
    FIELDS = (IntField("frac", True),)

    def __init__(self, frac: int):
        super().__init__(IntAttr(frac))


@irdl_attr_definition
class WeightQuantAttr(IntParamsAttr):
    """Power-of-two weight quantization: ``w_q = clamp(round(w * 2^frac), -2^(bits-1), 2^(bits-1)-1)``."""

    name = "snn.weight_quant"
    bits: IntAttr
    frac: IntAttr
    FIELDS = (IntField("bits", True, 2, MAX_WEIGHT_BITS), IntField("frac", True))

    def __init__(self, bits: int, frac: int):
        super().__init__(IntAttr(bits), IntAttr(frac))

    @property
    def limits(self) -> tuple[int, int]:
        half = 1 << (self.bits.data - 1)
        return -half, half - 1


Encoding = RadixEncodingAttr | RateEncodingAttr | FixedPointAttr

# --------------------------------------------------------------------------- tensor types


def radix_type(shape: Sequence[int], timesteps: int, frac: int, signed: bool = False) -> TensorType:
    """``tensor<shape x ui<T>, #snn.radix<T, frac>>`` (``si<T>``: signed codes, docs/numerics.md 2.2)."""
    sign = Signedness.SIGNED if signed else Signedness.UNSIGNED
    return TensorType(IntegerType(timesteps, sign), list(shape), RadixEncodingAttr(timesteps, frac))


def rate_spike_type(shape: Sequence[int], timesteps: int) -> TensorType:
    """``tensor<shape x i1, #snn.rate<T>>``: a spike train."""
    return TensorType(IntegerType(1), list(shape), RateEncodingAttr(timesteps))


def rate_current_type(shape: Sequence[int], timesteps: int, width: int) -> TensorType:
    """``tensor<shape x si<width>, #snn.rate<T>>``: per-timestep synaptic currents."""
    return TensorType(IntegerType(width, Signedness.SIGNED), list(shape), RateEncodingAttr(timesteps))


def fixed_type(shape: Sequence[int], width: int, frac: int) -> TensorType:
    """``tensor<shape x si<width>, #snn.fixed<frac>>``."""
    return TensorType(IntegerType(width, Signedness.SIGNED), list(shape), FixedPointAttr(frac))


def encoding_of(t: Attribute) -> Attribute | None:
    """The encoding attribute of a tensor type (None for plain tensors)."""
    if not isinstance(t, TensorType):
        return None
    return None if isinstance(t.encoding, NoneAttr) else t.encoding


def is_float_tensor(t: Attribute) -> bool:
    return isinstance(t, TensorType) and isinstance(t.element_type, AnyFloat) and encoding_of(t) is None


def is_radix(t: Attribute) -> bool:
    return isinstance(encoding_of(t), RadixEncodingAttr)


def is_signed_radix(t: Attribute) -> bool:
    """Signed radix codes (``si<T>``): two's complement, the first bit plane weighs ``-2^(T-1)``."""
    return is_radix(t) and is_signed_int(t)


def code_range(t: Attribute) -> tuple[int, int]:
    """The smallest and largest code of a radix tensor type."""
    enc = encoding_of(t)
    assert isinstance(enc, RadixEncodingAttr)
    steps = enc.timesteps.data
    if is_signed_int(t):
        return -(1 << (steps - 1)), (1 << (steps - 1)) - 1
    return 0, (1 << steps) - 1


def max_abs_code(t: Attribute) -> int:
    """The largest ``|code|`` of a radix tensor type (the bit-width bound's input term)."""
    lo, hi = code_range(t)
    return max(-lo, hi)


def is_rate_spikes(t: Attribute) -> bool:
    return (
        isinstance(encoding_of(t), RateEncodingAttr)
        and isinstance(t, TensorType)
        and isinstance(t.element_type, IntegerType)
        and t.element_type.width.data == 1
    )


def is_rate_currents(t: Attribute) -> bool:
    return isinstance(encoding_of(t), RateEncodingAttr) and is_signed_int(t) and not is_rate_spikes(t)


def is_fixed(t: Attribute) -> bool:
    return isinstance(encoding_of(t), FixedPointAttr)


def is_signed_int(t: Attribute) -> bool:
    """A tensor of signed integers (``si<N>``)."""
    return (
        isinstance(t, TensorType)
        and isinstance(t.element_type, IntegerType)
        and t.element_type.signedness.data == Signedness.SIGNED
    )


def element_width(t: TensorType) -> int:
    assert isinstance(t.element_type, IntegerType)
    return t.element_type.width.data


def signed_bits_for(max_abs: int) -> int:
    """Two's-complement width that holds every value in [-max_abs, max_abs]."""
    return max(2, int(max_abs).bit_length() + 1)


def accumulator_width(weight: np.ndarray, bias: np.ndarray | None, max_input: int) -> int:
    """The bit-width bound of a conv/linear: ``max_o Σ|w[o]| * max_input + |b[o]|`` as a signed width."""
    bound = np.abs(weight.astype(np.int64)).reshape(weight.shape[0], -1).sum(axis=1) * max_input
    if bias is not None:
        bound = bound + np.abs(bias.astype(np.int64))
    return signed_bits_for(int(bound.max()) if bound.size else 0)


def describe(t: Attribute) -> str:
    """A short human name for a value's kind, for diagnostics."""
    if is_float_tensor(t):
        return "float tensor"
    if is_radix(t):
        return "radix codes"
    if is_rate_spikes(t):
        return "rate spikes"
    if is_rate_currents(t):
        return "rate currents"
    if is_fixed(t):
        return "fixed-point values"
    return f"unsupported type {t}"
