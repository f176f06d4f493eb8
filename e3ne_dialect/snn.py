"""The `snn` dialect: spiking networks as dataflow over encoded tensors.

One dialect serves two stages of the flow (docs/dialects.md):

* float stage (after ``convert-torch-to-snn``): ``f32`` tensors without encoding, float
  weights, explicit ``snn.batch_norm`` and ``snn.relu``;
* quantized stage (after ``quantize``): every activation tensor carries its encoding as the
  tensor type's encoding attribute, weights are integers, and neurons are explicit ops.

Encodings of quantized tensors:

* ``tensor<...xui4, #snn.radix<4, frac = 3>>``: radix codes, T = 4 timesteps (bit planes,
  most significant first), real value = code * 2^-frac; the element width equals T;
* ``tensor<...xi1, #snn.rate<16>>``: rate spike trains of 16 timesteps;
  ``tensor<...xsi12, #snn.rate<16>>``: per-timestep synaptic currents of such trains;
* ``tensor<...xsi13, #snn.fixed<frac = 9>>``: signed fixed-point values (membrane
  potentials, logits); the width comes from the bit-width analysis of ``quantize``.

Dimension 0 of every activation is the batch; IR shapes carry the example batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, cast

import numpy as np
from xdsl.dialects.builtin import (
    AnyFloat,
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    Float64Type,
    FloatAttr,
    IntAttr,
    IntegerAttr,
    IntegerType,
    NoneAttr,
    Signedness,
    TensorType,
    i64,
)
from xdsl.ir import Attribute, Dialect, ParametrizedAttribute, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    ParsePropInAttrDict,
    VarConstraint,
    base,
    irdl_attr_definition,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from e3ne.dialects.dense import to_numpy

MAX_RADIX_TIMESTEPS = 16
"""Radix codes are stored in at most 16 bits (E3NE uses T <= 8)."""
MAX_RATE_TIMESTEPS = 4096
MAX_WEIGHT_BITS = 16
MAX_ACCUMULATOR_BITS = 64

# --------------------------------------------------------------------------- attributes


def _parse_int_field(parser: AttrParser, keyword: str) -> int:
    parser.parse_keyword(keyword)
    parser.parse_punctuation("=")
    return parser.parse_integer()


def _check_range(what: str, value: int, lo: int, hi: int) -> None:
    if not lo <= value <= hi:
        raise VerifyException(f"{what} must be in [{lo}, {hi}], got {value}")


def _parsed_in_range(parser: AttrParser, what: str, value: int, lo: int, hi: int) -> int:
    if not lo <= value <= hi:
        parser.raise_error(f"{what} must be in [{lo}, {hi}], got {value}")
    return value


@irdl_attr_definition
class RadixEncodingAttr(ParametrizedAttribute):
    """Radix encoding: a T-bit unsigned code sent as T bit planes, MSB first.

    ``#snn.radix<4, frac = 3>``: 4 timesteps, real value = code * 2^-3.
    """

    name = "snn.radix"
    timesteps: IntAttr
    frac: IntAttr

    def __init__(self, timesteps: int, frac: int):
        super().__init__(IntAttr(timesteps), IntAttr(frac))

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> tuple[IntAttr, IntAttr]:
        with parser.in_angle_brackets():
            timesteps = _parsed_in_range(parser, "#snn.radix timesteps", parser.parse_integer(), 1, MAX_RADIX_TIMESTEPS)
            parser.parse_punctuation(",")
            frac = _parse_int_field(parser, "frac")
        return IntAttr(timesteps), IntAttr(frac)

    def print_parameters(self, printer: Printer) -> None:
        printer.print_string(f"<{self.timesteps.data}, frac = {self.frac.data}>")

    def verify(self) -> None:
        _check_range("#snn.radix timesteps", self.timesteps.data, 1, MAX_RADIX_TIMESTEPS)

    @property
    def max_code(self) -> int:
        return (1 << self.timesteps.data) - 1


@irdl_attr_definition
class RateEncodingAttr(ParametrizedAttribute):
    """Rate encoding: a train of T timesteps (``i1`` spikes or signed per-step currents)."""

    name = "snn.rate"
    timesteps: IntAttr

    def __init__(self, timesteps: int):
        super().__init__(IntAttr(timesteps))

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> tuple[IntAttr]:
        with parser.in_angle_brackets():
            timesteps = _parsed_in_range(parser, "#snn.rate timesteps", parser.parse_integer(), 1, MAX_RATE_TIMESTEPS)
        return (IntAttr(timesteps),)

    def print_parameters(self, printer: Printer) -> None:
        printer.print_string(f"<{self.timesteps.data}>")

    def verify(self) -> None:
        _check_range("#snn.rate timesteps", self.timesteps.data, 1, MAX_RATE_TIMESTEPS)


@irdl_attr_definition
class FixedPointAttr(ParametrizedAttribute):
    """Signed fixed point: real value = integer * 2^-frac (membrane potentials, logits)."""

    name = "snn.fixed"
    frac: IntAttr

    def __init__(self, frac: int):
        super().__init__(IntAttr(frac))

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> tuple[IntAttr]:
        with parser.in_angle_brackets():
            frac = _parse_int_field(parser, "frac")
        return (IntAttr(frac),)

    def print_parameters(self, printer: Printer) -> None:
        printer.print_string(f"<frac = {self.frac.data}>")


@irdl_attr_definition
class WeightQuantAttr(ParametrizedAttribute):
    """Power-of-two weight quantization: ``w_q = clamp(round(w * 2^frac), -2^(bits-1), 2^(bits-1)-1)``."""

    name = "snn.weight_quant"
    bits: IntAttr
    frac: IntAttr

    def __init__(self, bits: int, frac: int):
        super().__init__(IntAttr(bits), IntAttr(frac))

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> tuple[IntAttr, IntAttr]:
        with parser.in_angle_brackets():
            bits = _parsed_in_range(
                parser, "#snn.weight_quant bits", _parse_int_field(parser, "bits"), 2, MAX_WEIGHT_BITS
            )
            parser.parse_punctuation(",")
            frac = _parse_int_field(parser, "frac")
        return IntAttr(bits), IntAttr(frac)

    def print_parameters(self, printer: Printer) -> None:
        printer.print_string(f"<bits = {self.bits.data}, frac = {self.frac.data}>")

    def verify(self) -> None:
        _check_range("#snn.weight_quant bits", self.bits.data, 2, MAX_WEIGHT_BITS)

    @property
    def limits(self) -> tuple[int, int]:
        half = 1 << (self.bits.data - 1)
        return -half, half - 1


Encoding = RadixEncodingAttr | RateEncodingAttr | FixedPointAttr

# --------------------------------------------------------------------------- type helpers


def radix_type(shape: Sequence[int], timesteps: int, frac: int) -> TensorType:
    """``tensor<shape x ui<T>, #snn.radix<T, frac>>``."""
    return TensorType(IntegerType(timesteps, Signedness.UNSIGNED), list(shape), RadixEncodingAttr(timesteps, frac))


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


def is_rate_spikes(t: Attribute) -> bool:
    return (
        isinstance(encoding_of(t), RateEncodingAttr)
        and isinstance(t, TensorType)
        and isinstance(t.element_type, IntegerType)
        and t.element_type.width.data == 1
    )


def is_rate_currents(t: Attribute) -> bool:
    return isinstance(encoding_of(t), RateEncodingAttr) and _is_signed_int(t) and not is_rate_spikes(t)


def is_fixed(t: Attribute) -> bool:
    return isinstance(encoding_of(t), FixedPointAttr)


def _is_signed_int(t: Attribute) -> bool:
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


# --------------------------------------------------------------------------- op helpers


class _SnnOp(IRDLOperation):
    """Shared diagnostics: every message starts with the op name."""

    def fail(self, message: str) -> VerifyException:
        return VerifyException(f"'{self.name}': {message}")

    def shape_of(self, value_type: Attribute, what: str, rank: int) -> tuple[int, ...]:
        if not isinstance(value_type, TensorType):
            raise self.fail(f"{what} must be a ranked tensor, got {value_type}")
        shape = tuple(value_type.get_shape())
        if len(shape) != rank:
            raise self.fail(f"{what} must have rank {rank}, got shape {list(shape)}")
        return shape

    def pair(self, attr: DenseArrayBase, what: str, minimum: int) -> tuple[int, int]:
        values = tuple(int(v) for v in cast(DenseArrayBase[IntegerType], attr).get_values())
        if len(values) != 2:
            raise self.fail(f"{what} must have 2 values (height, width), got {list(values)}")
        if min(values) < minimum:
            raise self.fail(f"{what} must be >= {minimum}, got {list(values)}")
        return values[0], values[1]


def i64_pair(values: Sequence[int] | int) -> DenseArrayBase:
    if isinstance(values, int):
        values = (values, values)
    return DenseArrayBase.from_list(i64, list(values))


def window_output_size(size: int, kernel: int, stride: int, padding: int) -> int:
    """Output extent of a convolution/pooling window (floor mode)."""
    return (size + 2 * padding - kernel) // stride + 1


class _SynapseOp(_SnnOp):
    """conv2d and linear: weighted sums of encoded inputs (or floats before quantization)."""

    input = operand_def(TensorType)
    output = result_def(TensorType)
    weight = prop_def(DenseIntOrFPElementsAttr)
    bias = opt_prop_def(DenseIntOrFPElementsAttr)
    weight_quant = opt_prop_def(WeightQuantAttr)

    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def weights(self) -> np.ndarray:
        return to_numpy(self.weight)

    def biases(self) -> np.ndarray | None:
        return None if self.bias is None else to_numpy(self.bias)

    def out_channels(self) -> int:
        return self.weight.get_shape()[0]

    def _verify_bias_shape(self) -> None:
        if self.bias is not None and tuple(self.bias.get_shape()) != (self.out_channels(),):
            raise self.fail(
                f"bias must have shape [{self.out_channels()}] (one per output channel), "
                f"got {list(self.bias.get_shape())}"
            )

    def verify_numerics(self) -> None:
        """Stage consistency: float in -> float out; encoded in -> integer weights, wide enough out."""
        in_t, out_t = self.input.type, self.output.type
        w_elem = self.weight.get_element_type()
        b_elem = None if self.bias is None else self.bias.get_element_type()
        if is_float_tensor(in_t):
            if not isinstance(w_elem, AnyFloat) or (b_elem is not None and not isinstance(b_elem, AnyFloat)):
                raise self.fail("a float input needs float weight and bias (quantize converts them together)")
            if self.weight_quant is not None:
                raise self.fail("weight_quant is only valid on quantized (encoded) inputs")
            if not is_float_tensor(out_t):
                raise self.fail(f"a float input gives a float result, got {out_t}")
            return
        if not (is_radix(in_t) or is_rate_spikes(in_t)):
            raise self.fail(
                f"input must be radix codes, rate spikes or a float tensor, got {describe(in_t)} "
                f"({in_t}); insert a neuron between two synaptic layers"
            )
        if not isinstance(w_elem, IntegerType) or (b_elem is not None and not isinstance(b_elem, IntegerType)):
            raise self.fail("encoded inputs need integer weight and bias")
        if self.weight_quant is None:
            raise self.fail("encoded inputs need a weight_quant attribute (#snn.weight_quant<bits, frac>)")
        weights = self.weights().astype(np.int64)
        lo, hi = self.weight_quant.limits
        if weights.size and (weights.min() < lo or weights.max() > hi):
            raise self.fail(
                f"weights [{weights.min()}, {weights.max()}] exceed "
                f"{self.weight_quant.bits.data}-bit range [{lo}, {hi}]"
            )
        assert isinstance(out_t, TensorType) and isinstance(in_t, TensorType)
        # Worst case |V| per output channel: sum |w| * max input + |b| (the bit-width analysis).
        if is_radix(in_t):
            enc = encoding_of(in_t)
            assert isinstance(enc, RadixEncodingAttr)
            max_in = enc.max_code
            if not is_fixed(out_t) or not _is_signed_int(out_t):
                raise self.fail(f"radix input gives signed fixed-point potentials, got {out_t}")
            out_enc = encoding_of(out_t)
            assert isinstance(out_enc, FixedPointAttr)
            want_frac = enc.frac.data + self.weight_quant.frac.data
            if out_enc.frac.data != want_frac:
                raise self.fail(f"result frac must be input frac + weight frac = {want_frac}, got {out_enc.frac.data}")
        else:
            max_in = 1
            in_steps = encoding_of(in_t)
            if not is_rate_currents(out_t) or encoding_of(out_t) != in_steps:
                raise self.fail(f"rate spikes give signed rate currents with the same timesteps, got {out_t}")
        need = accumulator_width(weights, self.biases(), max_in)
        have = element_width(out_t)
        if have < need:
            raise self.fail(f"result width si{have} is too narrow: the bit-width bound needs si{need}")


@irdl_op_definition
class Conv2dOp(_SynapseOp):
    """2-D convolution (NCHW, weights OIHW, no groups or dilation)."""

    name = "snn.conv2d"
    strides = prop_def(DenseArrayBase)
    padding = prop_def(DenseArrayBase)

    def __init__(
        self,
        input: SSAValue,
        result_type: Attribute,
        weight: DenseIntOrFPElementsAttr,
        bias: DenseIntOrFPElementsAttr | None,
        strides: Sequence[int] | int = 1,
        padding: Sequence[int] | int = 0,
        weight_quant: WeightQuantAttr | None = None,
    ):
        super().__init__(
            operands=[input],
            result_types=[result_type],
            properties={
                "weight": weight,
                "bias": bias,
                "strides": i64_pair(strides),
                "padding": i64_pair(padding),
                "weight_quant": weight_quant,
            },
        )

    def stride_pair(self) -> tuple[int, int]:
        return self.pair(self.strides, "strides", 1)

    def padding_pair(self) -> tuple[int, int]:
        return self.pair(self.padding, "padding", 0)

    def verify_(self) -> None:
        n, c, h, w = self.shape_of(self.input.type, "input", 4)
        o, i, kh, kw = self.shape_of(self.weight.type, "weight", 4)
        sh, sw = self.stride_pair()
        ph, pw = self.padding_pair()
        if i != c:
            raise self.fail(f"weight has {i} input channels but the input has {c} (shape {[n, c, h, w]})")
        if kh > h + 2 * ph or kw > w + 2 * pw:
            raise self.fail(f"kernel {kh}x{kw} is larger than the padded input {h + 2 * ph}x{w + 2 * pw}")
        if ph >= kh or pw >= kw:
            raise self.fail(f"padding {[ph, pw]} must be smaller than the kernel {kh}x{kw}")
        expected = [n, o, window_output_size(h, kh, sh, ph), window_output_size(w, kw, sw, pw)]
        got = list(self.shape_of(self.output.type, "result", 4))
        if got != expected:
            raise self.fail(f"result shape must be {expected}, got {got}")
        self._verify_bias_shape()
        self.verify_numerics()


@irdl_op_definition
class LinearOp(_SynapseOp):
    """Fully connected layer: weights [out, in]."""

    name = "snn.linear"

    def __init__(
        self,
        input: SSAValue,
        result_type: Attribute,
        weight: DenseIntOrFPElementsAttr,
        bias: DenseIntOrFPElementsAttr | None,
        weight_quant: WeightQuantAttr | None = None,
    ):
        super().__init__(
            operands=[input],
            result_types=[result_type],
            properties={"weight": weight, "bias": bias, "weight_quant": weight_quant},
        )

    def verify_(self) -> None:
        n, features = self.shape_of(self.input.type, "input", 2)
        o, i = self.shape_of(self.weight.type, "weight", 2)
        if i != features:
            raise self.fail(f"weight has {i} input features but the input has {features}")
        got = list(self.shape_of(self.output.type, "result", 2))
        if got != [n, o]:
            raise self.fail(f"result shape must be {[n, o]}, got {got}")
        self._verify_bias_shape()
        self.verify_numerics()


class _FloatOnlyOp(_SnnOp):
    T: ClassVar = VarConstraint("T", base(TensorType))
    input = operand_def(T)
    output = result_def(T)
    traits = traits_def(Pure())

    def verify_float_same_type(self) -> None:
        if not is_float_tensor(self.input.type):
            raise self.fail(
                f"only valid before quantization (float tensors), got {describe(self.input.type)}; "
                "run fold-batchnorm and quantize"
            )
        if self.output.type != self.input.type:
            raise self.fail(f"result type must equal the input type {self.input.type}, got {self.output.type}")


@irdl_op_definition
class BatchNormOp(_FloatOnlyOp):
    """Inference batch norm as a per-channel affine map ``y = x * scale + shift`` (channel = dim 1)."""

    name = "snn.batch_norm"
    scale = prop_def(DenseIntOrFPElementsAttr)
    shift = prop_def(DenseIntOrFPElementsAttr)
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input)"

    def __init__(self, input: SSAValue, scale: DenseIntOrFPElementsAttr, shift: DenseIntOrFPElementsAttr):
        super().__init__(operands=[input], result_types=[input.type], properties={"scale": scale, "shift": shift})

    def verify_(self) -> None:
        self.verify_float_same_type()
        assert isinstance(self.input.type, TensorType)
        shape = self.input.type.get_shape()
        if len(shape) not in (2, 4):
            raise self.fail(f"input must have rank 2 or 4, got shape {list(shape)}")
        for what, attr in (("scale", self.scale), ("shift", self.shift)):
            if tuple(attr.get_shape()) != (shape[1],):
                raise self.fail(f"{what} must have shape [{shape[1]}] (one per channel), got {list(attr.get_shape())}")


@irdl_op_definition
class ReluOp(_FloatOnlyOp):
    """Float ReLU; ``quantize`` turns it into the clamp at 0 of the following neuron."""

    name = "snn.relu"
    assembly_format = "$input attr-dict `:` type($input)"

    def __init__(self, input: SSAValue):
        super().__init__(operands=[input], result_types=[input.type])

    def verify_(self) -> None:
        self.verify_float_same_type()


class _UnaryOp(_SnnOp):
    """One tensor in, one tensor out, printed ``%in attrs : type -> type``."""

    input = operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def __init__(self, input: SSAValue, result_type: Attribute, properties: dict[str, Attribute] | None = None):
        super().__init__(operands=[input], result_types=[result_type], properties=properties or {})


class _ElementwiseOp(_UnaryOp):
    def same_shape(self) -> None:
        assert isinstance(self.input.type, TensorType) and isinstance(self.output.type, TensorType)
        if self.input.type.get_shape() != self.output.type.get_shape():
            raise self.fail(
                f"result shape {list(self.output.type.get_shape())} must equal input shape "
                f"{list(self.input.type.get_shape())}"
            )


@irdl_op_definition
class EncodeOp(_ElementwiseOp):
    """Network input coding: ``a = clamp(round_half_up(x / step), 0, 2^code_bits - 1)``.

    The result is radix codes (code_bits == T), or a rate spike train produced from those
    codes by an integrate-and-fire encoder (threshold 2^code_bits - 1).
    """

    name = "snn.encode"
    step = prop_def(FloatAttr)
    code_bits = prop_def(IntegerAttr)
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def __init__(self, input: SSAValue, result_type: Attribute, step: float, code_bits: int):
        super().__init__(
            input, result_type, {"step": FloatAttr(step, Float64Type()), "code_bits": IntegerAttr(code_bits, i64)}
        )

    def verify_(self) -> None:
        if not is_float_tensor(self.input.type):
            raise self.fail(f"input must be a float tensor, got {self.input.type}")
        if not self.step.value.data > 0:
            raise self.fail(f"step must be > 0, got {self.step.value.data}")
        bits = self.code_bits.value.data
        _check_or_fail(self, "code_bits", bits, 1, MAX_RADIX_TIMESTEPS)
        out = self.output.type
        if is_radix(out):
            enc = encoding_of(out)
            assert isinstance(enc, RadixEncodingAttr)
            if enc.timesteps.data != bits:
                raise self.fail(f"radix result needs code_bits == timesteps ({enc.timesteps.data}), got {bits}")
            _check_radix_element(self, out)
        elif not is_rate_spikes(out):
            raise self.fail(f"result must be radix codes or rate spikes, got {out}")
        self.same_shape()


def _check_or_fail(op: _SnnOp, what: str, value: int, lo: int, hi: int) -> None:
    if not lo <= value <= hi:
        raise op.fail(f"{what} must be in [{lo}, {hi}], got {value}")


def _check_radix_element(op: _SnnOp, t: Attribute) -> None:
    enc = encoding_of(t)
    assert isinstance(enc, RadixEncodingAttr) and isinstance(t, TensorType)
    elem = t.element_type
    want = IntegerType(enc.timesteps.data, Signedness.UNSIGNED)
    if elem != want:
        raise op.fail(f"radix codes with {enc.timesteps.data} timesteps are stored as {want}, got {elem}")


@irdl_op_definition
class RadixNeuronOp(_ElementwiseOp):
    """Radix output neuron: ``clamp((V + 2^(k-1)) >> k, 0, 2^T - 1)`` (arithmetic shift, round half up).

    ``shift`` is k; k <= 0 shifts left without rounding. The clamp at 0 is the ReLU.
    """

    name = "snn.radix_neuron"
    shift = prop_def(IntegerAttr)
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def __init__(self, input: SSAValue, result_type: Attribute, shift: int):
        super().__init__(input, result_type, {"shift": IntegerAttr(shift, i64)})

    def verify_(self) -> None:
        in_t, out_t = self.input.type, self.output.type
        if not is_fixed(in_t):
            raise self.fail(f"input must be fixed-point potentials, got {describe(in_t)} ({in_t})")
        if not is_radix(out_t):
            raise self.fail(f"result must be radix codes, got {out_t}")
        _check_radix_element(self, out_t)
        in_enc, out_enc = encoding_of(in_t), encoding_of(out_t)
        assert isinstance(in_enc, FixedPointAttr) and isinstance(out_enc, RadixEncodingAttr)
        k = self.shift.value.data
        if out_enc.frac.data != in_enc.frac.data - k:
            raise self.fail(f"result frac must be input frac - shift = {in_enc.frac.data - k}, got {out_enc.frac.data}")
        self.same_shape()


class _RateNeuronOp(_ElementwiseOp):
    threshold = prop_def(IntegerAttr)
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def verify_rate_neuron(self) -> None:
        in_t, out_t = self.input.type, self.output.type
        if not is_rate_currents(in_t):
            raise self.fail(f"input must be rate currents, got {describe(in_t)} ({in_t})")
        if not is_rate_spikes(out_t):
            raise self.fail(f"result must be rate spikes (i1, #snn.rate), got {out_t}")
        if encoding_of(in_t) != encoding_of(out_t):
            raise self.fail(f"timesteps of input {encoding_of(in_t)} and result {encoding_of(out_t)} differ")
        if self.threshold.value.data < 1:
            raise self.fail(f"threshold must be >= 1, got {self.threshold.value.data}")
        self.same_shape()


@irdl_op_definition
class IFNeuronOp(_RateNeuronOp):
    """Integrate-and-fire: ``V += I(t)``; spike and ``V -= threshold`` when ``V >= threshold``."""

    name = "snn.if_neuron"

    def __init__(self, input: SSAValue, result_type: Attribute, threshold: int):
        super().__init__(input, result_type, {"threshold": IntegerAttr(threshold, i64)})

    def verify_(self) -> None:
        self.verify_rate_neuron()


@irdl_op_definition
class LIFNeuronOp(_RateNeuronOp):
    """Leaky integrate-and-fire: ``V += I(t) - (V >> leak_shift)``, then as ``snn.if_neuron``."""

    name = "snn.lif_neuron"
    leak_shift = prop_def(IntegerAttr)

    def __init__(self, input: SSAValue, result_type: Attribute, threshold: int, leak_shift: int):
        super().__init__(
            input, result_type, {"threshold": IntegerAttr(threshold, i64), "leak_shift": IntegerAttr(leak_shift, i64)}
        )

    def verify_(self) -> None:
        self.verify_rate_neuron()
        _check_or_fail(self, "leak_shift", self.leak_shift.value.data, 1, 31)


@irdl_op_definition
class IntegrateOp(_ElementwiseOp):
    """Non-spiking readout of a rate layer: the sum of its currents over all timesteps."""

    name = "snn.integrate"

    def verify_(self) -> None:
        in_t, out_t = self.input.type, self.output.type
        if not is_rate_currents(in_t):
            raise self.fail(f"input must be rate currents, got {describe(in_t)} ({in_t})")
        if not is_fixed(out_t) or not _is_signed_int(out_t):
            raise self.fail(f"result must be signed fixed-point values, got {out_t}")
        assert isinstance(in_t, TensorType) and isinstance(out_t, TensorType)
        enc = encoding_of(in_t)
        assert isinstance(enc, RateEncodingAttr)
        need = element_width(in_t) + enc.timesteps.data.bit_length()
        if element_width(out_t) < need:
            raise self.fail(
                f"result width si{element_width(out_t)} is too narrow: "
                f"{enc.timesteps.data} steps of si{element_width(in_t)} need si{need}"
            )
        self.same_shape()


class _PoolOp(_SnnOp):
    input = operand_def(TensorType)
    output = result_def(TensorType)
    kernel = prop_def(DenseArrayBase)
    strides = prop_def(DenseArrayBase)
    padding = prop_def(DenseArrayBase)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def __init__(
        self,
        input: SSAValue,
        result_type: Attribute,
        kernel: Sequence[int] | int,
        strides: Sequence[int] | int,
        padding: Sequence[int] | int = 0,
    ):
        super().__init__(
            operands=[input],
            result_types=[result_type],
            properties={"kernel": i64_pair(kernel), "strides": i64_pair(strides), "padding": i64_pair(padding)},
        )

    def kernel_pair(self) -> tuple[int, int]:
        return self.pair(self.kernel, "kernel", 1)

    def stride_pair(self) -> tuple[int, int]:
        return self.pair(self.strides, "strides", 1)

    def padding_pair(self) -> tuple[int, int]:
        return self.pair(self.padding, "padding", 0)

    def verify_window(self) -> None:
        n, c, h, w = self.shape_of(self.input.type, "input", 4)
        kh, kw = self.kernel_pair()
        sh, sw = self.stride_pair()
        ph, pw = self.padding_pair()
        if 2 * ph > kh or 2 * pw > kw:
            raise self.fail(f"padding {[ph, pw]} must be at most half the kernel {kh}x{kw}")
        if kh > h + 2 * ph or kw > w + 2 * pw:
            raise self.fail(f"kernel {kh}x{kw} is larger than the padded input {h + 2 * ph}x{w + 2 * pw}")
        expected = [n, c, window_output_size(h, kh, sh, ph), window_output_size(w, kw, sw, pw)]
        got = list(self.shape_of(self.output.type, "result", 4))
        if got != expected:
            raise self.fail(f"result shape must be {expected}, got {got}")
        in_t, out_t = self.input.type, self.output.type
        assert isinstance(in_t, TensorType) and isinstance(out_t, TensorType)
        if (in_t.element_type, encoding_of(in_t)) != (out_t.element_type, encoding_of(out_t)):
            raise self.fail(f"result element type and encoding must equal the input's ({in_t}), got {out_t}")
        if not (is_float_tensor(in_t) or is_radix(in_t) or is_rate_spikes(in_t)):
            raise self.fail(f"input must be a float tensor, radix codes or rate spikes, got {describe(in_t)}")


@irdl_op_definition
class MaxPool2dOp(_PoolOp):
    """Max pooling (radix: on codes; rate: passes the spikes of the input that has spiked most so far)."""

    name = "snn.max_pool2d"

    def verify_(self) -> None:
        self.verify_window()


@irdl_op_definition
class AvgPool2dOp(_PoolOp):
    """Average pooling; on radix codes only over power-of-two windows: ``(sum + 2^(m-1)) >> m``."""

    name = "snn.avg_pool2d"

    def verify_(self) -> None:
        self.verify_window()
        if is_float_tensor(self.input.type):
            return
        kh, kw = self.kernel_pair()
        area = kh * kw
        if is_rate_spikes(self.input.type):
            raise self.fail("not supported: average pooling of rate spikes (averages are not spikes)")
        if area & (area - 1):
            raise self.fail(f"radix average pooling needs a power-of-two window, got {kh}x{kw} = {area}")
        if self.padding_pair() != (0, 0):
            raise self.fail(f"radix average pooling needs zero padding, got {list(self.padding_pair())}")


@irdl_op_definition
class FlattenOp(_UnaryOp):
    """NCHW -> N x (C*H*W), keeping element type and encoding."""

    name = "snn.flatten"

    def verify_(self) -> None:
        n, c, h, w = self.shape_of(self.input.type, "input", 4)
        got = list(self.shape_of(self.output.type, "result", 2))
        if got != [n, c * h * w]:
            raise self.fail(f"result shape must be {[n, c * h * w]}, got {got}")
        in_t, out_t = self.input.type, self.output.type
        assert isinstance(in_t, TensorType) and isinstance(out_t, TensorType)
        if (in_t.element_type, encoding_of(in_t)) != (out_t.element_type, encoding_of(out_t)):
            raise self.fail(f"result element type and encoding must equal the input's ({in_t}), got {out_t}")


@irdl_op_definition
class ArgmaxOp(_UnaryOp):
    """Class index per batch row: the first index of the largest logit (ties to the lowest index)."""

    name = "snn.argmax"

    def verify_(self) -> None:
        n, _ = self.shape_of(self.input.type, "input", 2)
        in_t = self.input.type
        if not (is_fixed(in_t) or is_float_tensor(in_t)):
            raise self.fail(f"input must be logits (fixed-point or float), got {describe(in_t)}")
        out_t = self.output.type
        (m,) = self.shape_of(out_t, "result", 1)
        assert isinstance(out_t, TensorType)
        if m != n or not isinstance(out_t.element_type, IntegerType) or encoding_of(out_t) is not None:
            raise self.fail(f"result must be tensor<{n}xi32>, got {out_t}")


SNN = Dialect(
    "snn",
    [
        EncodeOp,
        Conv2dOp,
        LinearOp,
        BatchNormOp,
        ReluOp,
        RadixNeuronOp,
        IFNeuronOp,
        LIFNeuronOp,
        IntegrateOp,
        MaxPool2dOp,
        AvgPool2dOp,
        FlattenOp,
        ArgmaxOp,
    ],
    [RadixEncodingAttr, RateEncodingAttr, FixedPointAttr, WeightQuantAttr],
)
