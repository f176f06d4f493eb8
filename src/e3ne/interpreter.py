"""The ``snn`` interpreter: functional answers without hardware, at spike level.

Built on xDSL's interpreter framework (``InterpreterFunctions`` with one implementation per
op). Values are numpy arrays, vectorised over the batch (dimension 0; the IR's batch size is
only the example's):

* float tensors: float64 arrays (the float stage, used for calibration);
* radix codes and fixed-point values: int64 arrays;
* rate spike trains and currents: int64 arrays with a leading time axis, (T, N, ...).

Radix synapses run the shift-add membrane on bit planes, most significant first
(``V <- 2V + W*s(t)``), exactly as the hardware does; docs/numerics.md is the contract and
``e3ne.reference`` the oracle this is tested against.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType
from xdsl.interpreter import Interpreter, InterpreterFunctions, PythonValues, impl, register_impls
from xdsl.interpreters.func import FuncFunctions
from xdsl.ir import Operation

from e3ne.dialects import snn
from e3ne.dialects.dense import to_numpy
from e3ne.errors import not_supported


def _round_half_up(x: np.ndarray) -> np.ndarray:
    return np.floor(x + 0.5)


def _patches(a: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int], padding: tuple[int, int], pad_value):
    """(N, C, H, W) -> (N, C, OH, OW, KH, KW) strided windows (a view where possible)."""
    ph, pw = padding
    if ph or pw:
        a = np.pad(a, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=pad_value)
    windows = sliding_window_view(a, kernel, axis=(2, 3))
    return windows[:, :, :: stride[0], :: stride[1]]


def conv2d_sum(a: np.ndarray, weight: np.ndarray, stride: tuple[int, int], padding: tuple[int, int]) -> np.ndarray:
    """Σ w·a per output position (no bias), as float64 im2col + matmul.

    Integer inputs stay exact: every partial sum of codes/spikes times small weights is far
    below 2^53.
    """
    out_ch, _, kh, kw = weight.shape
    windows = _patches(a.astype(np.float64, copy=False), (kh, kw), stride, padding, 0)
    n, c, oh, ow = windows.shape[:4]
    columns = windows.transpose(0, 2, 3, 1, 4, 5).reshape(n * oh * ow, c * kh * kw)
    out = columns @ weight.reshape(out_ch, -1).T.astype(np.float64)
    return out.reshape(n, oh, ow, out_ch).transpose(0, 3, 1, 2)


def _linear_sum(a: np.ndarray, weight: np.ndarray) -> np.ndarray:
    return a.astype(np.float64, copy=False) @ weight.T.astype(np.float64)


def _exact_int(values: np.ndarray) -> np.ndarray:
    return np.rint(values).astype(np.int64)


@register_impls
class SnnFunctions(InterpreterFunctions):
    """Implementations of every ``snn`` op, float and quantized."""

    # ---------------------------------------------------------------- input coding

    @impl(snn.EncodeOp)
    def run_encode(self, interpreter: Interpreter, op: snn.EncodeOp, args: PythonValues) -> PythonValues:
        (x,) = args
        bits = op.code_bits.value.data
        codes = np.clip(_round_half_up(np.asarray(x, np.float64) / op.step.value.data), 0, (1 << bits) - 1)
        codes = codes.astype(np.int64)
        if snn.is_radix(op.output.type):
            return (codes,)
        return (_if_encode(codes, (1 << bits) - 1, _timesteps(op.output.type)),)

    # ---------------------------------------------------------------- synapses

    @impl(snn.Conv2dOp)
    def run_conv2d(self, interpreter: Interpreter, op: snn.Conv2dOp, args: PythonValues) -> PythonValues:
        weight = op.weights()

        def weighted_sum(a: np.ndarray) -> np.ndarray:
            return conv2d_sum(a, weight, op.stride_pair(), op.padding_pair())

        return (_synapse(op, args[0], weighted_sum, (1, -1, 1, 1)),)

    @impl(snn.LinearOp)
    def run_linear(self, interpreter: Interpreter, op: snn.LinearOp, args: PythonValues) -> PythonValues:
        weight = op.weights()
        return (_synapse(op, args[0], lambda a: _linear_sum(a, weight), (1, -1)),)

    # ---------------------------------------------------------------- float-only ops

    @impl(snn.BatchNormOp)
    def run_batch_norm(self, interpreter: Interpreter, op: snn.BatchNormOp, args: PythonValues) -> PythonValues:
        (x,) = args
        shape = (1, -1) + (1,) * (x.ndim - 2)
        scale = to_numpy(op.scale).astype(np.float64).reshape(shape)
        shift = to_numpy(op.shift).astype(np.float64).reshape(shape)
        return (x * scale + shift,)

    @impl(snn.ReluOp)
    def run_relu(self, interpreter: Interpreter, op: snn.ReluOp, args: PythonValues) -> PythonValues:
        return (np.maximum(args[0], 0.0),)

    # ---------------------------------------------------------------- neurons

    @impl(snn.RadixNeuronOp)
    def run_radix_neuron(self, interpreter: Interpreter, op: snn.RadixNeuronOp, args: PythonValues) -> PythonValues:
        (v,) = args
        k = op.shift.value.data
        shifted = (v + (1 << (k - 1))) >> k if k > 0 else v << (-k)
        return (np.clip(shifted, 0, (1 << _timesteps(op.output.type)) - 1),)

    @impl(snn.IFNeuronOp)
    def run_if_neuron(self, interpreter: Interpreter, op: snn.IFNeuronOp, args: PythonValues) -> PythonValues:
        return (_spike(args[0], op.threshold.value.data, None),)

    @impl(snn.LIFNeuronOp)
    def run_lif_neuron(self, interpreter: Interpreter, op: snn.LIFNeuronOp, args: PythonValues) -> PythonValues:
        return (_spike(args[0], op.threshold.value.data, op.leak_shift.value.data),)

    @impl(snn.IntegrateOp)
    def run_integrate(self, interpreter: Interpreter, op: snn.IntegrateOp, args: PythonValues) -> PythonValues:
        return (np.asarray(args[0]).sum(axis=0),)

    # ---------------------------------------------------------------- pooling and shapes

    @impl(snn.MaxPool2dOp)
    def run_max_pool2d(self, interpreter: Interpreter, op: snn.MaxPool2dOp, args: PythonValues) -> PythonValues:
        (a,) = args
        kernel, stride, padding = op.kernel_pair(), op.stride_pair(), op.padding_pair()
        if snn.is_rate_spikes(op.input.type):
            return (_rate_max_pool(a, kernel, stride, padding),)
        low = -np.inf if snn.is_float_tensor(op.input.type) else -1
        return (_patches(a, kernel, stride, padding, low).max(axis=(4, 5)),)

    @impl(snn.AvgPool2dOp)
    def run_avg_pool2d(self, interpreter: Interpreter, op: snn.AvgPool2dOp, args: PythonValues) -> PythonValues:
        (a,) = args
        kernel, stride, padding = op.kernel_pair(), op.stride_pair(), op.padding_pair()
        total = _patches(a, kernel, stride, padding, 0).sum(axis=(4, 5))
        area = kernel[0] * kernel[1]
        if snn.is_float_tensor(op.input.type):
            return (total / area,)
        m = area.bit_length() - 1
        return ((total + (1 << (m - 1))) >> m if m else total,)

    @impl(snn.FlattenOp)
    def run_flatten(self, interpreter: Interpreter, op: snn.FlattenOp, args: PythonValues) -> PythonValues:
        (a,) = args
        if snn.is_rate_spikes(op.input.type) or snn.is_rate_currents(op.input.type):
            return (a.reshape(a.shape[0], a.shape[1], -1),)
        return (a.reshape(a.shape[0], -1),)

    @impl(snn.ArgmaxOp)
    def run_argmax(self, interpreter: Interpreter, op: snn.ArgmaxOp, args: PythonValues) -> PythonValues:
        return (np.argmax(args[0], axis=1).astype(np.int64),)


def _timesteps(t: Any) -> int:
    enc = snn.encoding_of(t)
    assert isinstance(enc, snn.RadixEncodingAttr | snn.RateEncodingAttr)
    return enc.timesteps.data


def _synapse(
    op: snn.Conv2dOp | snn.LinearOp,
    a: np.ndarray,
    weighted_sum: Callable[[np.ndarray], np.ndarray],
    bias_shape: tuple[int, ...],
) -> np.ndarray:
    bias = op.biases()
    in_type = op.input.type
    if snn.is_float_tensor(in_type):
        out = weighted_sum(a)
        return out if bias is None else out + bias.astype(np.float64).reshape(bias_shape)
    if snn.is_radix(in_type):
        steps = _timesteps(in_type)
        # All bit planes in one batched product, then the shift-add: V <- 2V + W*s(t), MSB first.
        planes = np.stack([(a >> (steps - 1 - t)) & 1 for t in range(steps)])
        per_plane = _exact_int(weighted_sum(planes.reshape(-1, *a.shape[1:]))).reshape(steps, *_out_shape(a, op))
        v = np.zeros(per_plane.shape[1:], dtype=np.int64)
        for t in range(steps):
            v = 2 * v + per_plane[t]
    elif snn.is_rate_spikes(in_type):
        steps = a.shape[0]
        v = _exact_int(weighted_sum(a.reshape(-1, *a.shape[2:]))).reshape(steps, *_out_shape(a[0], op))
    else:
        raise not_supported(f"synapse input {snn.describe(in_type)}", op)
    if bias is not None:
        # Rate currents get the bias every step; radix potentials once, after the last plane.
        v = v + bias.astype(np.int64).reshape(bias_shape)
    return v


def _out_shape(a: np.ndarray, op: snn.Conv2dOp | snn.LinearOp) -> tuple[int, ...]:
    out_type = op.output.type
    assert isinstance(out_type, TensorType)
    return (a.shape[0], *out_type.get_shape()[1:])


def _if_encode(codes: np.ndarray, threshold: int, steps: int) -> np.ndarray:
    u = np.zeros_like(codes)
    spikes = np.zeros((steps, *codes.shape), dtype=np.int64)
    for t in range(steps):
        u += codes
        spikes[t] = u >= threshold
        u -= threshold * spikes[t]
    return spikes


def _spike(currents: np.ndarray, threshold: int, leak_shift: int | None) -> np.ndarray:
    v = np.zeros(currents.shape[1:], dtype=np.int64)
    spikes = np.zeros(currents.shape, dtype=np.int64)
    for t in range(currents.shape[0]):
        if leak_shift is not None:
            v -= v >> leak_shift
        v += currents[t]
        spikes[t] = v >= threshold
        v -= threshold * spikes[t]
    return spikes


def _rate_max_pool(spikes: np.ndarray, kernel, stride, padding) -> np.ndarray:
    steps, n = spikes.shape[:2]
    before = np.cumsum(spikes, axis=0) - spikes
    flat = lambda a: a.reshape(steps * n, *a.shape[2:])  # noqa: E731
    spike_windows = _patches(flat(spikes), kernel, stride, padding, 0)
    count_windows = _patches(flat(before), kernel, stride, padding, -1)
    shape = (*spike_windows.shape[:4], -1)
    winner = np.argmax(count_windows.reshape(shape), axis=-1)  # first maximum: lowest raster index
    out = np.take_along_axis(spike_windows.reshape(shape), winner[..., None], axis=-1)[..., 0]
    return out.reshape(steps, n, *out.shape[1:])


# --------------------------------------------------------------------------- entry points


class _Recorder(Interpreter.Listener):
    def __init__(self, keep: Callable[[Operation], bool]):
        self.keep = keep
        self.values: dict[Operation, np.ndarray] = {}

    def did_interpret_op(self, op: Operation, results: PythonValues) -> None:
        if self.keep(op) and results:
            self.values[op] = results[0]


def main_function(module: ModuleOp) -> func.FuncOp:
    funcs = [op for op in module.ops if isinstance(op, func.FuncOp)]
    for f in funcs:
        if f.sym_name.data == "main":
            return f
    if len(funcs) == 1:
        return funcs[0]
    raise ValueError("the module has no func.func @main")


def run(
    module: ModuleOp,
    x: np.ndarray,
    record: Callable[[Operation], bool] | None = None,
) -> tuple[np.ndarray, dict[Operation, np.ndarray]]:
    """Run the module's main function on a batch ``x``.

    Returns the output and, for every op ``record`` selects, its result (e.g. for calibration
    or for locating where two levels diverge).
    """
    recorder = _Recorder(record or (lambda _op: False))
    interpreter = Interpreter(module, listeners=(recorder,))
    interpreter.register_implementations(FuncFunctions())
    interpreter.register_implementations(SnnFunctions())
    (out,) = interpreter.call_op(main_function(module).sym_name.data, (np.asarray(x),))
    return out, recorder.values


def predict(module: ModuleOp, x: np.ndarray) -> np.ndarray:
    """Integer (or float, before quantization) outputs of the module for inputs ``x``."""
    return run(module, x)[0]
