"""Layers of the `snn` dialect that are not synapses or neurons: the float-stage ``snn.batch_norm``,
``snn.relu`` and ``snn.add``, pooling, ``snn.flatten``, ``snn.concat`` and the ``snn.argmax`` readout."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from xdsl.dialects.builtin import (
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    Float64Type,
    FloatAttr,
    IntegerType,
    TensorType,
    UnitAttr,
)
from xdsl.ir import Attribute, SSAValue
from xdsl.irdl import (
    ParsePropInAttrDict,
    VarConstraint,
    base,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    traits_def,
    var_operand_def,
)
from xdsl.traits import Pure

from e3ne.dialects.snn_encoding import (
    RadixEncodingAttr,
    describe,
    encoding_of,
    is_fixed,
    is_float_tensor,
    is_radix,
    is_rate_spikes,
    is_signed_radix,
)
from e3ne.dialects.snn_op_base import SnnOp, UnaryOp, WindowOp, i64_pair


class FloatOnlyOp(SnnOp):
    """Float-stage ops that keep their input type (``quantize`` and ``fold-batchnorm`` remove them)."""

    T: ClassVar = VarConstraint("T", base(TensorType))
    input = operand_def(T)
    output = result_def(T)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input)"

    def verify_(self) -> None:
        if not is_float_tensor(self.input.type):
            raise self.fail(
                f"only valid before quantization (float tensors), got {describe(self.input.type)}; "
                "run fold-batchnorm and quantize"
            )
        if self.output.type != self.input.type:
            raise self.fail(f"result type must equal the input type {self.input.type}, got {self.output.type}")


@irdl_op_definition
class BatchNormOp(FloatOnlyOp):
    """Inference batch norm as a per-channel affine map ``y = x * scale + shift`` (channel = dim 1)."""

    name = "snn.batch_norm"
    scale = prop_def(DenseIntOrFPElementsAttr)
    shift = prop_def(DenseIntOrFPElementsAttr)

    def __init__(self, input: SSAValue, scale: DenseIntOrFPElementsAttr, shift: DenseIntOrFPElementsAttr):
        super().__init__(operands=[input], result_types=[input.type], properties={"scale": scale, "shift": shift})

    def verify_(self) -> None:
        super().verify_()
        assert isinstance(self.input.type, TensorType)
        shape = self.input.type.get_shape()
        if len(shape) not in (2, 4):
            raise self.fail(f"input must have rank 2 or 4, got shape {list(shape)}")
        for what, attr in (("scale", self.scale), ("shift", self.shift)):
            if tuple(attr.get_shape()) != (shape[1],):
                raise self.fail(f"{what} must have shape [{shape[1]}] (one per channel), got {list(attr.get_shape())}")


@irdl_op_definition
class ReluOp(FloatOnlyOp):
    """Float ReLU, ``max(x, 0)``, or with ``max = M`` the clamp ``min(max(x, 0), M)`` (ReLU6: M = 6);
    ``quantize`` turns it into the clamps of the neuron before it (docs/numerics.md 2.4). The one
    quantized use: ``max(V, 0)`` of the raw last layer's potentials (signed fixed point), a ReLU on
    the logits (numerics.md 2.4)."""

    name = "snn.relu"
    max = opt_prop_def(FloatAttr)
    """The upper bound M (none: no upper bound)."""

    def __init__(self, input: SSAValue, upper: float | None = None):
        properties = {} if upper is None else {"max": FloatAttr(upper, Float64Type())}
        super().__init__(operands=[input], result_types=[input.type], properties=properties)

    def upper(self) -> float | None:
        """The upper bound M, or None for a plain ReLU."""
        return None if self.max is None else float(self.max.value.data)

    def verify_(self) -> None:
        if self.max is None and is_fixed(self.input.type) and self.output.type == self.input.type:
            return  # max(V, 0) of the raw last layer's potentials (a ReLU on the logits)
        super().verify_()
        upper = self.upper()
        if upper is not None and not upper > 0:
            raise self.fail(f"max must be > 0, got {upper}")


@irdl_op_definition
class AddOp(SnnOp):
    """Float elementwise sum of two activations of one shape (a residual connection,
    ``torch.add(a, b)``); ``fold-residual`` folds it into the conv2d that produces one of them
    (docs/numerics.md 2.7), so no quantized network has one."""

    name = "snn.add"
    T: ClassVar = VarConstraint("T", base(TensorType))
    lhs = operand_def(T)
    rhs = operand_def(T)
    output = result_def(T)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$lhs `,` $rhs attr-dict `:` type($lhs)"

    def __init__(self, lhs: SSAValue, rhs: SSAValue):
        super().__init__(operands=[lhs, rhs], result_types=[lhs.type])

    def verify_(self) -> None:
        if not is_float_tensor(self.lhs.type):
            raise self.fail(
                f"only valid before quantization (float tensors), got {describe(self.lhs.type)}; run fold-residual"
            )


class PoolOp(UnaryOp, WindowOp):
    """Pooling over NCHW windows; the encoding passes through unchanged. ``ceil_mode`` (max pooling
    only) is PyTorch's: one more window at the bottom/right where it starts inside the input or the
    top/left padding."""

    kernel = prop_def(DenseArrayBase)
    ceil_mode = opt_prop_def(UnitAttr)

    def __init__(
        self,
        input: SSAValue,
        result_type: Attribute,
        kernel: Sequence[int] | int,
        strides: Sequence[int] | int,
        padding: Sequence[int] | int = 0,
        ceil_mode: bool = False,
    ):
        props: dict[str, Attribute] = {
            "kernel": i64_pair(kernel),
            "strides": i64_pair(strides),
            "padding": i64_pair(padding),
        }
        if ceil_mode:
            props["ceil_mode"] = UnitAttr()
        super().__init__(input, result_type, props)

    def kernel_pair(self) -> tuple[int, int]:
        return self.pair(self.kernel, "kernel", 1)

    def is_ceil_mode(self) -> bool:
        return self.ceil_mode is not None

    def verify_(self) -> None:
        n, c, h, w = self.shape_of(self.input.type, "input", 4)
        shape = self.window_shape(
            (n, c, h, w), c, self.kernel_pair(), self.stride_pair(), self.padding_pair(), True, "", self.is_ceil_mode()
        )
        self.check_result_shape(self.output.type, shape)
        in_t = self.input.type
        self.check_same_encoding(in_t, self.output.type)
        if not (is_float_tensor(in_t) or is_radix(in_t) or is_rate_spikes(in_t)):
            raise self.fail(f"input must be a float tensor, radix codes or rate spikes, got {describe(in_t)}")
        if is_signed_radix(in_t):
            raise self.fail(
                "not supported: pooling of signed radix codes (the pool unit compares and sums unsigned codes)"
            )


@irdl_op_definition
class MaxPool2dOp(PoolOp):
    """Max pooling (radix: on codes; rate: passes the spikes of the input that has spiked most so far)."""

    name = "snn.max_pool2d"


@irdl_op_definition
class AvgPool2dOp(PoolOp):
    """Average pooling; on radix codes only over power-of-two windows: ``(sum + 2^(m-1)) >> m``."""

    name = "snn.avg_pool2d"

    def verify_(self) -> None:
        super().verify_()
        if self.is_ceil_mode():
            raise self.fail("not supported: average pooling with ceil_mode")
        if is_float_tensor(self.input.type):
            return
        if is_rate_spikes(self.input.type):
            raise self.fail("not supported: average pooling of rate spikes (averages are not spikes)")
        self.check_radix_average(self.kernel_pair(), self.padding_pair())


@irdl_op_definition
class FlattenOp(UnaryOp):
    """NCHW -> N x (C*H*W), keeping element type and encoding."""

    name = "snn.flatten"

    def verify_(self) -> None:
        n, c, h, w = self.shape_of(self.input.type, "input", 4)
        self.check_result_shape(self.output.type, [n, c * h * w])
        self.check_same_encoding(self.input.type, self.output.type)


def _widens(part: TensorType, result: TensorType) -> bool:
    """Whether ``part``'s codes are unsigned codes of fewer bits than ``result``'s signed ones, at
    the same frac: each is then the same number as a code of ``result`` (docs/numerics.md 2.6)."""
    p_enc, r_enc = encoding_of(part), encoding_of(result)
    if not (isinstance(p_enc, RadixEncodingAttr) and isinstance(r_enc, RadixEncodingAttr)):
        return False
    return (
        is_signed_radix(result)
        and not is_signed_radix(part)
        and p_enc.frac.data == r_enc.frac.data
        and p_enc.timesteps.data < r_enc.timesteps.data
    )


@irdl_op_definition
class ConcatOp(SnnOp):
    """Concatenation along dimension 1: the channels of N x C x H x W maps (``torch.cat(dim=1)``), or
    the features of N x F vectors. The inputs share every other dimension, the element type and the
    encoding (radix: T and frac, so the codes only move; ``quantize`` makes them agree), except that
    unsigned codes of fewer bits may join signed codes of T bits at the same frac (the result is the
    signed type: a ``ui<T-1>`` code is the same number read as ``si<T>``)."""

    name = "snn.concat"
    inputs = var_operand_def(TensorType)
    output = result_def(TensorType)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$inputs attr-dict `:` type($inputs) `->` type($output)"

    def __init__(self, inputs: Sequence[SSAValue], result_type: Attribute):
        super().__init__(operands=[list(inputs)], result_types=[result_type])

    def verify_(self) -> None:
        if len(self.inputs) < 2:
            raise self.fail(f"needs at least two inputs, got {len(self.inputs)}")
        first = self.inputs[0].type
        rank = len(first.get_shape()) if isinstance(first, TensorType) else 0
        if rank not in (2, 4):
            raise self.fail(f"input 0 must be N x F or N x C x H x W, got {first}")
        head = self.shape_of(first, "input 0", rank)
        channels = 0
        for i, value in enumerate(self.inputs):
            shape = self.shape_of(value.type, f"input {i}", rank)
            if shape[0] != head[0] or shape[2:] != head[2:]:
                raise self.fail(
                    f"input {i} has shape {list(shape)}, input 0 {list(head)}: they must agree in every dimension but 1"
                )
            channels += shape[1]
        if not (is_float_tensor(first) or is_radix(first) or is_rate_spikes(first)):
            raise self.fail(f"inputs must be float tensors, radix codes or rate spikes, got {describe(first)}")
        out = self.output.type
        for i, value in enumerate(self.inputs):
            assert isinstance(value.type, TensorType) and isinstance(out, TensorType)
            if (value.type.element_type, encoding_of(value.type)) == (out.element_type, encoding_of(out)):
                continue
            if not _widens(value.type, out):
                raise self.fail(
                    f"input {i} is {value.type}, the result {out}: the inputs must share element type and encoding "
                    "(radix: T and frac), but unsigned codes of fewer than T bits may join signed ones of T bits"
                )
        self.check_result_shape(self.output.type, [head[0], channels, *head[2:]])


@irdl_op_definition
class ArgmaxOp(UnaryOp):
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
