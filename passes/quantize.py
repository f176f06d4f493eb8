"""``quantize``: float ``snn`` -> integer ``snn`` with radix (or rate) encoding.

Scales are powers of two chosen from calibration statistics (docs/numerics.md, sections 2-3).
``scale_rule="e3ne"`` is the paper's rule: weights by ``limit = |mean| + 3 std``, activations by
the largest pre-ReLU output on the calibration set. ``scale_rule="mse"`` (the default) starts
from the same scales and keeps, among a few neighbouring powers of two, the one with the least
squared quantization error (weights; calibration activations, clipping included). The float
network is run by the ``snn`` interpreter to collect the activations.

From ``e3ne-opt``: ``-p 'quantize{timesteps=4 weight_bits=3 calibration=calib.npy}'`` where
``calib.npy`` holds float inputs shaped like the network's input (any batch). From Python,
:func:`quantize_module` takes the calibration array directly.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from xdsl.builder import Builder
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import FunctionType, ModuleOp, TensorType
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint

from e3ne import interpreter
from e3ne.dialects import snn
from e3ne.dialects.dense import from_numpy
from e3ne.errors import E3neError, not_supported, op_error

SIGMA_WEIGHT = 3.0
"""E3NE's weight limit: |mean| + 3 std (Initialization.py of the reference code)."""
SCALE_RULES = ("mse", "e3ne")
SEARCH_AROUND = 2
"""How many powers of two either side of the E3NE weight scale the mse rule tries."""
RATE_PERCENTILE = 99.9
"""mse rule for rate coding: a spike stands for the 99.9th percentile (Rueckauer et al. 2017)."""


@dataclass(frozen=True)
class QuantizeOptions:
    timesteps: int = 4
    weight_bits: int = 3
    encoding: str = "radix"
    input_bits: int = 8
    neuron: str = "if"
    leak_shift: int = 4
    scale_rule: str = "mse"

    def check(self) -> None:
        if self.scale_rule not in SCALE_RULES:
            raise E3neError(f"error: quantize: scale_rule must be 'mse' or 'e3ne', got '{self.scale_rule}'")
        if self.encoding not in ("radix", "rate"):
            raise E3neError(f"error: quantize: encoding must be 'radix' or 'rate', got '{self.encoding}'")
        top = snn.MAX_RADIX_TIMESTEPS if self.encoding == "radix" else snn.MAX_RATE_TIMESTEPS
        for what, value, lo, hi in (
            ("timesteps", self.timesteps, 1, top),
            ("weight_bits", self.weight_bits, 2, snn.MAX_WEIGHT_BITS),
            ("input_bits", self.input_bits, 1, snn.MAX_RADIX_TIMESTEPS),
            ("leak_shift", self.leak_shift, 1, 31),
        ):
            if not lo <= value <= hi:
                raise E3neError(f"error: quantize: {what} must be in [{lo}, {hi}], got {value}")
        if self.neuron not in ("if", "lif"):
            raise E3neError(f"error: quantize: neuron must be 'if' or 'lif', got '{self.neuron}'")


def ceil_log2(value: float) -> int:
    return math.ceil(math.log2(value))


def weight_frac(weights: np.ndarray, bits: int) -> int:
    """E3NE's weight scale: ``s_w = bits - ceil(log2(|mean| + 3 std)) - 1``."""
    limit = abs(float(weights.mean())) + SIGMA_WEIGHT * float(weights.std())
    if limit <= 0:
        return 0
    return bits - ceil_log2(limit) - 1


def weight_frac_mse(weights: np.ndarray, bits: int) -> int:
    """The power-of-two weight scale near E3NE's with the least squared quantization error."""
    base = weight_frac(weights, bits)

    def error(frac: int) -> float:
        return float(((quantize_weights(weights, frac, bits) * 2.0**-frac - weights) ** 2).sum())

    return min(range(base - SEARCH_AROUND, base + SEARCH_AROUND + 1), key=lambda f: (error(f), abs(f - base)))


def output_frac_mse(outputs: np.ndarray, timesteps: int) -> int:
    """The activation scale (from E3NE's, or finer, clipping) with the least squared error after ReLU."""
    base = output_frac(timesteps, float(np.max(outputs)))
    relu = np.maximum(outputs, 0.0)
    top = (1 << timesteps) - 1

    def error(frac: int) -> float:
        codes = np.clip(np.floor(relu * 2.0**frac + 0.5), 0, top)
        return float(((codes * 2.0**-frac - relu) ** 2).sum())

    return min(range(base, base + 4), key=lambda f: (error(f), f))


def quantize_weights(weights: np.ndarray, frac: int, bits: int) -> np.ndarray:
    half = 1 << (bits - 1)
    return np.clip(np.floor(weights * 2.0**frac + 0.5), -half, half - 1).astype(np.int64)


def round_to_int(values: np.ndarray, frac: int) -> np.ndarray:
    return np.floor(values * 2.0**frac + 0.5).astype(np.int64)


def output_frac(timesteps: int, largest: float) -> int:
    """``f_out = T - ceil(log2 m)`` for the largest pre-ReLU output ``m`` (``T`` if m <= 0)."""
    return timesteps if largest <= 0 else timesteps - ceil_log2(largest)


Neuron = Callable[[SSAValue, Operation], SSAValue]
"""Emits the neuron a conv2d/linear owes, on a value, at (the location of) an op."""


class _Quantizer:
    """Rebuilds the main function op by op with integer ops, tracking each value's encoding."""

    def __init__(self, main: func.FuncOp, calibration: np.ndarray, options: QuantizeOptions):
        self.main = main
        self.options = options
        self.ops = list(main.body.block.ops)
        self._check_float_stage()
        self.synapses = [op for op in self.ops if isinstance(op, snn.Conv2dOp | snn.LinearOp)]
        if not self.synapses:
            raise E3neError("error: quantize: the network has no conv2d or linear layer")
        module = main.parent_op()
        assert isinstance(module, ModuleOp)
        self.outputs: dict[Operation, np.ndarray] = {}
        self.largest = self._calibrate(module, calibration)
        self.x_max = float(np.max(calibration))
        if self.x_max <= 0:
            raise E3neError("error: quantize: the calibration inputs are all <= 0; radix codes are unsigned")
        self.block = Block(arg_types=[main.body.block.args[0].type])
        self.block.args[0].name_hint = main.body.block.args[0].name_hint
        self.builder = Builder(InsertPoint.at_end(self.block))
        self.values: dict[SSAValue, SSAValue] = {main.body.block.args[0]: self.block.args[0]}
        self.gain = 1.0  # radix: Δ_in * 2^f_in, folded into the first layer's weights
        self.spike_value = 1.0  # rate: what one spike of the current layer's input stands for

    def _check_float_stage(self) -> None:
        for op in self.ops:
            if isinstance(op, snn.BatchNormOp):
                raise op_error(op, "quantize needs batch norms folded first: run fold-batchnorm before quantize")
            if isinstance(op, snn.Conv2dOp | snn.LinearOp) and not snn.is_float_tensor(op.input.type):
                raise op_error(op, "the network is already quantized")

    def _calibrate(self, module: ModuleOp, calibration: np.ndarray) -> dict[Operation, float]:
        """Largest float output of every synapse (pre-ReLU) and of every ReLU, over the calibration set."""
        arg_type = self.main.body.block.args[0].type
        assert isinstance(arg_type, TensorType)
        want = tuple(arg_type.get_shape()[1:])
        if calibration.ndim != len(want) + 1 or tuple(calibration.shape[1:]) != want:
            raise E3neError(
                f"error: quantize: calibration data must have shape (N, {', '.join(map(str, want))}), "
                f"got {tuple(calibration.shape)}"
            )
        keep = lambda op: isinstance(op, snn.Conv2dOp | snn.LinearOp)  # noqa: E731
        _, recorded = interpreter.run(module, calibration.astype(np.float64), record=keep)
        self.outputs = recorded
        return {op: float(np.max(value)) for op, value in recorded.items()}

    def weight_frac(self, weights: np.ndarray) -> int:
        if self.options.scale_rule == "mse":
            return weight_frac_mse(weights, self.options.weight_bits)
        return weight_frac(weights, self.options.weight_bits)

    def out_frac(self, op: Operation) -> int:
        if self.options.scale_rule == "mse":
            return output_frac_mse(self.outputs[op], self.options.timesteps)
        return output_frac(self.options.timesteps, self.largest[op])

    def rate_level(self, op: Operation) -> float:
        """What one output spike of ``op``'s neuron stands for (λ_l)."""
        if self.options.scale_rule == "mse":
            return float(np.percentile(self.outputs[op], RATE_PERCENTILE))
        return self.largest[op]

    def value(self, old: SSAValue) -> SSAValue:
        return self.values[old]

    def emit(self, op: Operation, old: Operation | None = None, keep_name: bool = True) -> SSAValue:
        if old is not None:
            op.location = old.location
            if keep_name and old.results and old.results[0].name_hint:
                op.results[0].name_hint = old.results[0].name_hint
        self.builder.insert(op)
        return op.results[0]

    def run(self) -> None:
        if self.options.encoding == "radix":
            self._encode_radix()
            self._walk(self._radix_synapse)
        else:
            self._encode_rate()
            self._walk(self._rate_synapse)
        self._finish()

    def _walk(self, synapse: Callable[[snn.Conv2dOp | snn.LinearOp], tuple[SSAValue, Neuron | None]]) -> None:
        """Rebuild the ops in order. Each conv2d/linear owes a neuron, emitted at its ReLU, or before
        a max pool that comes first (ReLU and max pooling commute; the ReLU is then a no-op)."""
        owed: Neuron | None = None
        relu_absorbed = False
        for op in self.ops:
            if isinstance(op, snn.Conv2dOp | snn.LinearOp):
                if owed is not None or relu_absorbed:
                    raise not_supported("a conv2d/linear fed by another one without a ReLU between them", op)
                self.values[op.output], owed = synapse(op)
            elif isinstance(op, snn.ReluOp):
                if owed is not None:
                    self.values[op.output] = owed(self.value(op.input), op)
                    owed = None
                elif relu_absorbed:
                    self.values[op.output] = self.value(op.input)
                    relu_absorbed = False
                else:
                    raise not_supported("relu that does not follow a conv2d/linear (spikes and codes are >= 0)", op)
            elif isinstance(op, snn.MaxPool2dOp | snn.AvgPool2dOp | snn.FlattenOp):
                if owed is not None and not isinstance(op, snn.MaxPool2dOp):
                    raise not_supported(f"{op.name} between a layer and its ReLU (only max pooling commutes)", op)
                if owed is not None:
                    # relu(maxpool(V)) == maxpool(relu(V)): the neuron first, then pool its output.
                    self.values[op.input] = owed(self.value(op.input), op)
                    owed, relu_absorbed = None, True
                self.values[op.output] = self._reshape_like(op)
            elif isinstance(op, snn.ArgmaxOp):
                self.values[op.output] = self.emit(snn.ArgmaxOp(self.value(op.input), op.output.type), op)
            elif not isinstance(op, func.ReturnOp):
                raise not_supported(f"{op.name} in quantize", op)
        if owed is not None or relu_absorbed:
            raise E3neError(
                "error: quantize: the last layer is followed by a ReLU or max pool; logits are raw potentials"
            )

    def _input(self) -> tuple[SSAValue, TensorType]:
        x = self.block.args[0]
        assert isinstance(x.type, TensorType)
        return x, x.type

    def _emit_input(self, encode: snn.EncodeOp) -> None:
        self.values[self.main.body.block.args[0]] = self.emit(encode)

    # ---------------------------------------------------------------- radix

    def _encode_radix(self) -> None:
        steps = self.options.timesteps
        frac = steps - ceil_log2(self.x_max)
        step = self.x_max / ((1 << steps) - 1)
        self.gain = step * 2.0**frac  # folded into the first layer's weights (numerics.md 2.2)
        x, x_type = self._input()
        self._emit_input(snn.EncodeOp(x, snn.radix_type(x_type.get_shape(), steps, frac), step=step, code_bits=steps))

    def _radix_synapse(self, op: snn.Conv2dOp | snn.LinearOp) -> tuple[SSAValue, Neuron | None]:
        source = self.value(op.input)
        in_enc = snn.encoding_of(source.type)
        assert isinstance(in_enc, snn.RadixEncodingAttr)
        f_in = in_enc.frac.data
        bits = self.options.weight_bits
        weights = op.weights().astype(np.float64) * (self.gain if op is self.synapses[0] else 1.0)
        s_w = self.weight_frac(weights)
        w_q = quantize_weights(weights, s_w, bits)
        bias = op.biases()
        b_q = None if bias is None else round_to_int(bias.astype(np.float64), s_w + f_in)
        width = snn.accumulator_width(w_q, b_q, in_enc.max_code)
        out_type = op.output.type
        assert isinstance(out_type, TensorType)
        acc_type = snn.fixed_type(out_type.get_shape(), width, f_in + s_w)
        potentials = self.emit(self._synapse_like(op, source, acc_type, w_q, b_q, snn.WeightQuantAttr(bits, s_w)), op)
        if op is self.synapses[-1]:
            return potentials, None
        f_out = self.out_frac(op)
        shift = s_w + f_in - f_out

        def neuron(value: SSAValue, at: Operation) -> SSAValue:
            code_type = snn.radix_type(value.type.get_shape(), self.options.timesteps, f_out)  # type: ignore[attr-defined]
            return self.emit(snn.RadixNeuronOp(value, code_type, shift), at, isinstance(at, snn.ReluOp))

        return potentials, neuron

    def _synapse_like(
        self,
        op: snn.Conv2dOp | snn.LinearOp,
        source: SSAValue,
        result_type: TensorType,
        w_q: np.ndarray,
        b_q: np.ndarray | None,
        quant: snn.WeightQuantAttr,
    ) -> Operation:
        weight = from_numpy(w_q)
        bias = None if b_q is None else from_numpy(b_q)
        if isinstance(op, snn.Conv2dOp):
            return snn.Conv2dOp(source, result_type, weight, bias, op.stride_pair(), op.padding_pair(), quant)
        return snn.LinearOp(source, result_type, weight, bias, quant)

    def _reshape_like(self, op: snn.MaxPool2dOp | snn.AvgPool2dOp | snn.FlattenOp) -> SSAValue:
        """Pooling and flatten keep the input's element type and encoding."""
        source = self.value(op.input)
        src_type = source.type
        out_type = op.output.type
        assert isinstance(src_type, TensorType) and isinstance(out_type, TensorType)
        if isinstance(op, snn.AvgPool2dOp) and snn.is_rate_spikes(src_type):
            raise not_supported("average pooling of rate spikes", op)
        new_type = TensorType(src_type.element_type, out_type.get_shape(), src_type.encoding)
        if isinstance(op, snn.FlattenOp):
            return self.emit(snn.FlattenOp(source, new_type), op)
        pool_cls = type(op)
        return self.emit(pool_cls(source, new_type, op.kernel_pair(), op.stride_pair(), op.padding_pair()), op)

    # ---------------------------------------------------------------- rate

    def _encode_rate(self) -> None:
        opts = self.options
        x, x_type = self._input()
        spikes_type = snn.rate_spike_type(x_type.get_shape(), opts.timesteps)
        self._emit_input(
            snn.EncodeOp(x, spikes_type, step=self.x_max / ((1 << opts.input_bits) - 1), code_bits=opts.input_bits)
        )
        self.spike_value = self.x_max  # what one input spike stands for

    def _rate_synapse(self, op: snn.Conv2dOp | snn.LinearOp) -> tuple[SSAValue, Neuron | None]:
        opts = self.options
        last = op is self.synapses[-1]
        largest = self.rate_level(op)
        level = largest if (largest > 0 and not last) else 1.0  # λ_l: what one output spike stands for
        weights = op.weights().astype(np.float64) * (self.spike_value / level)
        self.spike_value = level
        s_w = self.weight_frac(weights)
        w_q = quantize_weights(weights, s_w, opts.weight_bits)
        bias = op.biases()
        b_q = None if bias is None else round_to_int(bias.astype(np.float64) / level, s_w)
        width = snn.accumulator_width(w_q, b_q, 1)
        out_type = op.output.type
        assert isinstance(out_type, TensorType)
        current_type = snn.rate_current_type(out_type.get_shape(), opts.timesteps, width)
        quant = snn.WeightQuantAttr(opts.weight_bits, s_w)
        currents = self.emit(self._synapse_like(op, self.value(op.input), current_type, w_q, b_q, quant), op)
        if last:
            readout = snn.fixed_type(out_type.get_shape(), width + opts.timesteps.bit_length(), s_w)
            return self.emit(snn.IntegrateOp(currents, readout), op), None
        threshold = 1 << max(s_w, 0)

        def neuron(value: SSAValue, at: Operation) -> SSAValue:
            spikes = snn.rate_spike_type(value.type.get_shape(), opts.timesteps)  # type: ignore[attr-defined]
            keep_name = isinstance(at, snn.ReluOp)
            if opts.neuron == "lif":
                return self.emit(snn.LIFNeuronOp(value, spikes, threshold, opts.leak_shift), at, keep_name)
            return self.emit(snn.IFNeuronOp(value, spikes, threshold), at, keep_name)

        return currents, neuron

    # ---------------------------------------------------------------- finish

    def _finish(self) -> None:
        old_block = self.main.body.block
        ret = old_block.last_op
        assert isinstance(ret, func.ReturnOp)
        results = [self.value(v) for v in ret.arguments]
        self.builder.insert(func.ReturnOp(*results))
        self.main.body.insert_block_before(self.block, old_block)
        self.main.body.detach_block(old_block)
        old_block.erase(safe_erase=False)
        inputs = [a.type for a in self.block.args]
        self.main.properties["function_type"] = FunctionType.from_lists(inputs, [r.type for r in results])


def quantize_module(module: ModuleOp, calibration: np.ndarray, options: QuantizeOptions | None = None) -> ModuleOp:
    """Quantize ``module``'s main function in place (and return it)."""
    options = options or QuantizeOptions()
    options.check()
    _Quantizer(interpreter.main_function(module), np.asarray(calibration), options).run()
    return module


@dataclass(frozen=True)
class QuantizePass(ModulePass):
    """Quantize a float snn network to radix (or rate) codes with power-of-two scales from calibration data."""

    name = "quantize"

    timesteps: int = 4
    weight_bits: int = 3
    calibration: str = ""
    encoding: str = "radix"
    input_bits: int = 8
    neuron: str = "if"
    leak_shift: int = 4
    scale_rule: str = "mse"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if not self.calibration:
            raise E3neError("error: quantize needs calibration data: quantize{calibration=inputs.npy ...}")
        path = Path(self.calibration)
        if not path.is_file():
            raise E3neError(f"error: quantize: calibration file not found: {path}")
        try:
            data = np.load(path)
        except ValueError as err:
            raise E3neError(f"error: quantize: cannot read calibration file {path}: {err}") from None
        options = QuantizeOptions(
            self.timesteps,
            self.weight_bits,
            self.encoding,
            self.input_bits,
            self.neuron,
            self.leak_shift,
            self.scale_rule,
        )
        quantize_module(op, data, options)


@dataclass(frozen=True, eq=False)
class QuantizeInMemoryPass(ModulePass):
    """``quantize`` with the calibration data given as an array (for the Python API, not e3ne-opt)."""

    name = "quantize-in-memory"

    calibration_data: np.ndarray
    timesteps: int = 4
    weight_bits: int = 3
    encoding: str = "radix"
    scale_rule: str = "mse"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        options = QuantizeOptions(
            timesteps=self.timesteps, weight_bits=self.weight_bits, encoding=self.encoding, scale_rule=self.scale_rule
        )
        quantize_module(op, self.calibration_data, options)
