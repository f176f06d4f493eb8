"""Synaptic layers of the `snn` dialect: ``snn.conv2d`` and ``snn.linear``.

Float stage: float weights, float tensors. Quantized stage: integer weights with a
``#snn.weight_quant``, radix codes in and fixed-point potentials out (or rate spikes in and rate
currents out), and a result wide enough for the bit-width bound.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from xdsl.dialects.builtin import AnyFloat, DenseIntOrFPElementsAttr, IntegerType, TensorType
from xdsl.ir import Attribute, SSAValue
from xdsl.irdl import (
    ParsePropInAttrDict,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.traits import Pure

from e3ne.dialects.dense import to_numpy
from e3ne.dialects.snn_encoding import (
    FixedPointAttr,
    RadixEncodingAttr,
    WeightQuantAttr,
    accumulator_width,
    describe,
    element_width,
    encoding_of,
    is_fixed,
    is_float_tensor,
    is_radix,
    is_rate_currents,
    is_rate_spikes,
    is_signed_int,
    max_abs_code,
)
from e3ne.dialects.snn_op_base import SnnOp, WindowOp, i64_pair


class WeightedOp(SnnOp):
    """What every op with weights shares (conv2d, linear and the fused layers of snn_fused): one
    tensor in and out, the weight, bias and weight_quant properties, and their checks."""

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

    def check_bias_shape(self) -> None:
        if self.bias is not None and tuple(self.bias.get_shape()) != (self.out_channels(),):
            raise self.fail(
                f"bias must have shape [{self.out_channels()}] (one per output channel), "
                f"got {list(self.bias.get_shape())}"
            )

    def integer_weights(self) -> np.ndarray:
        """The weights (int64) after checking that weight and bias are integers in weight_quant's range."""
        w_elem = self.weight.get_element_type()
        b_elem = None if self.bias is None else self.bias.get_element_type()
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
        return weights


class ConvWindowOp(WeightedOp, WindowOp):
    """A convolution window over NCHW input with OIHW weights (no groups or dilation)."""

    def conv_shape(self) -> list[int]:
        """[N, O, H_out, W_out] of the convolution, after checking input, weight and window."""
        n, c, h, w = self.shape_of(self.input.type, "input", 4)
        o, i, kh, kw = self.shape_of(self.weight.type, "weight", 4)
        if i != c:
            raise self.fail(f"weight has {i} input channels but the input has {c} (shape {[n, c, h, w]})")
        return self.window_result_shape((n, c, h, w), o, (kh, kw), half_padding=False)


class SynapseOp(WeightedOp):
    """conv2d and linear: weighted sums of encoded inputs (or floats before quantization)."""

    def __init__(
        self,
        input: SSAValue,
        result_type: Attribute,
        weight: DenseIntOrFPElementsAttr,
        bias: DenseIntOrFPElementsAttr | None,
        weight_quant: WeightQuantAttr | None = None,
        window: Mapping[str, Attribute] | None = None,
    ):
        properties = {"weight": weight, "bias": bias, **(window or {}), "weight_quant": weight_quant}
        super().__init__(operands=[input], result_types=[result_type], properties=properties)

    def verify_layer(self, expected_result_shape: list[int]) -> None:
        """The checks both synapses share, after their own shape checks."""
        self.check_result_shape(self.output.type, expected_result_shape)
        self.check_bias_shape()
        self.verify_numerics()

    def verify_numerics(self) -> None:
        """Stage consistency: float in -> float out; encoded in -> integer weights, wide enough out."""
        in_t, out_t = self.input.type, self.output.type
        if is_float_tensor(in_t):
            w_elem = self.weight.get_element_type()
            b_elem = None if self.bias is None else self.bias.get_element_type()
            if not isinstance(w_elem, AnyFloat) or (b_elem is not None and not isinstance(b_elem, AnyFloat)):
                raise self.fail("a float input needs float weight and bias (quantize converts them together)")
            if self.weight_quant is not None:
                raise self.fail("weight_quant is only valid on quantized (encoded) inputs")
            if not is_float_tensor(out_t):
                raise self.fail(f"a float input gives a float result, got {out_t}")
            for what, values in (("weight", self.weights()), ("bias", self.biases())):
                if values is not None and not np.isfinite(values).all():
                    raise self.fail(f"{what} holds NaN or infinity")
            return
        if not (is_radix(in_t) or is_rate_spikes(in_t)):
            raise self.fail(
                f"input must be radix codes, rate spikes or a float tensor, got {describe(in_t)} "
                f"({in_t}); insert a neuron between two synaptic layers"
            )
        weights = self.integer_weights()
        assert isinstance(out_t, TensorType) and isinstance(in_t, TensorType) and self.weight_quant is not None
        # Worst case |V| per output channel: sum |w| * max input + |b| (the bit-width analysis).
        if is_radix(in_t):
            enc = encoding_of(in_t)
            assert isinstance(enc, RadixEncodingAttr)
            max_in = max_abs_code(in_t)
            if not is_fixed(out_t) or not is_signed_int(out_t):
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
class Conv2dOp(SynapseOp, ConvWindowOp):
    """2-D convolution (NCHW, weights OIHW, no groups or dilation)."""

    name = "snn.conv2d"

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
        window = {"strides": i64_pair(strides), "padding": i64_pair(padding)}
        super().__init__(input, result_type, weight, bias, weight_quant, window)

    def verify_(self) -> None:
        self.verify_layer(self.conv_shape())


@irdl_op_definition
class LinearOp(SynapseOp):
    """Fully connected layer: weights [out, in]."""

    name = "snn.linear"

    def verify_(self) -> None:
        n, features = self.shape_of(self.input.type, "input", 2)
        o, i = self.shape_of(self.weight.type, "weight", 2)
        if i != features:
            raise self.fail(f"weight has {i} input features but the input has {features}")
        self.verify_layer([n, o])
