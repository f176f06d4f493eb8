"""Coding and neurons of the `snn` dialect: ``snn.encode``, the radix neuron, IF/LIF rate
neurons and the non-spiking ``snn.integrate`` readout (quantized stage only)."""

from __future__ import annotations

from xdsl.dialects.builtin import Float64Type, FloatAttr, IntegerAttr, TensorType, i64
from xdsl.ir import Attribute, SSAValue
from xdsl.irdl import irdl_op_definition, prop_def

from e3ne.dialects.snn_encoding import (
    MAX_RADIX_TIMESTEPS,
    FixedPointAttr,
    RadixEncodingAttr,
    RateEncodingAttr,
    element_width,
    encoding_of,
    is_fixed,
    is_float_tensor,
    is_radix,
    is_rate_currents,
    is_rate_spikes,
    is_signed_int,
)
from e3ne.dialects.snn_op_base import ElementwiseOp


@irdl_op_definition
class EncodeOp(ElementwiseOp):
    """Network input coding: ``a = clamp(round_half_up(x / step), 0, 2^code_bits - 1)``.

    The result is radix codes (code_bits == T), or a rate spike train produced from those
    codes by an integrate-and-fire encoder (threshold 2^code_bits - 1). Signed radix codes
    (``si<T>``, T >= 2) clamp to ``[-2^(T-1), 2^(T-1) - 1]`` instead (docs/numerics.md 2.2).
    """

    name = "snn.encode"
    step = prop_def(FloatAttr)
    code_bits = prop_def(IntegerAttr)

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
        self.check_range("code_bits", bits, 1, MAX_RADIX_TIMESTEPS)
        out = self.output.type
        if is_radix(out):
            enc = encoding_of(out)
            assert isinstance(enc, RadixEncodingAttr)
            if enc.timesteps.data != bits:
                raise self.fail(f"radix result needs code_bits == timesteps ({enc.timesteps.data}), got {bits}")
            self.check_radix_element(out, signed_ok=bits >= 2)
        elif not is_rate_spikes(out):
            raise self.fail(f"result must be radix codes or rate spikes, got {out}")
        self.same_shape()


@irdl_op_definition
class RadixNeuronOp(ElementwiseOp):
    """Radix output neuron: ``clamp((V + 2^(k-1)) >> k, 0, 2^T - 1)`` (arithmetic shift, round half up).

    ``shift`` is k; k <= 0 shifts left without rounding. The clamp at 0 is the ReLU. A signed
    result (``si<T>``, T >= 2: a hidden layer without ReLU) clamps to ``[-2^(T-1), 2^(T-1) - 1]``
    instead (docs/numerics.md 2.4).
    """

    name = "snn.radix_neuron"
    shift = prop_def(IntegerAttr)

    def __init__(self, input: SSAValue, result_type: Attribute, shift: int):
        super().__init__(input, result_type, {"shift": IntegerAttr(shift, i64)})

    def verify_(self) -> None:
        in_t, out_t = self.input.type, self.output.type
        self.check_input(is_fixed(in_t), "fixed-point potentials")
        if not is_radix(out_t):
            raise self.fail(f"result must be radix codes, got {out_t}")
        self.check_radix_element(out_t, signed_ok=True)
        in_enc, out_enc = encoding_of(in_t), encoding_of(out_t)
        assert isinstance(in_enc, FixedPointAttr) and isinstance(out_enc, RadixEncodingAttr)
        k = self.shift.value.data
        if out_enc.frac.data != in_enc.frac.data - k:
            raise self.fail(f"result frac must be input frac - shift = {in_enc.frac.data - k}, got {out_enc.frac.data}")
        self.same_shape()


class RateNeuronOp(ElementwiseOp):
    """IF and LIF: rate currents in, rate spikes of the same timesteps out; reset by subtraction."""

    threshold = prop_def(IntegerAttr)

    def verify_(self) -> None:
        in_t, out_t = self.input.type, self.output.type
        self.check_input(is_rate_currents(in_t), "rate currents")
        if not is_rate_spikes(out_t):
            raise self.fail(f"result must be rate spikes (i1, #snn.rate), got {out_t}")
        if encoding_of(in_t) != encoding_of(out_t):
            raise self.fail(f"timesteps of input {encoding_of(in_t)} and result {encoding_of(out_t)} differ")
        if self.threshold.value.data < 1:
            raise self.fail(f"threshold must be >= 1, got {self.threshold.value.data}")
        self.same_shape()


@irdl_op_definition
class IFNeuronOp(RateNeuronOp):
    """Integrate-and-fire: ``V += I(t)``; spike and ``V -= threshold`` when ``V >= threshold``."""

    name = "snn.if_neuron"

    def __init__(self, input: SSAValue, result_type: Attribute, threshold: int):
        super().__init__(input, result_type, {"threshold": IntegerAttr(threshold, i64)})


@irdl_op_definition
class LIFNeuronOp(RateNeuronOp):
    """Leaky integrate-and-fire: ``V += I(t) - (V >> leak_shift)``, then as ``snn.if_neuron``."""

    name = "snn.lif_neuron"
    leak_shift = prop_def(IntegerAttr)

    def __init__(self, input: SSAValue, result_type: Attribute, threshold: int, leak_shift: int):
        super().__init__(
            input, result_type, {"threshold": IntegerAttr(threshold, i64), "leak_shift": IntegerAttr(leak_shift, i64)}
        )

    def verify_(self) -> None:
        super().verify_()
        self.check_range("leak_shift", self.leak_shift.value.data, 1, 31)


@irdl_op_definition
class IntegrateOp(ElementwiseOp):
    """Non-spiking readout of a rate layer: the sum of its currents over all timesteps."""

    name = "snn.integrate"

    def verify_(self) -> None:
        in_t, out_t = self.input.type, self.output.type
        self.check_input(is_rate_currents(in_t), "rate currents")
        if not is_fixed(out_t) or not is_signed_int(out_t):
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
