"""The ``snn`` dialect's interpreter functions: functional answers without hardware, at spike level.

Built on xDSL's interpreter framework (``InterpreterFunctions`` with one implementation per
op, kept beside the dialect as xDSL keeps ``xdsl/interpreters/``); :mod:`e3ne.interpreters`
runs a module with them. Values are numpy arrays, vectorised over the batch (dimension 0; the
IR's batch size is only the example's):

* float tensors: float64 arrays (the float stage, used for calibration);
* radix codes and fixed-point values: int64 arrays;
* rate spike trains and currents: int64 arrays with a leading time axis, (T, N, ...).

Radix synapses run the shift-add membrane on bit planes, most significant first
(``V <- 2V + W*s(t)``), exactly as the hardware does; docs/numerics.md is the contract and
``e3ne.reference`` the oracle this is tested against.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from xdsl.interpreter import Interpreter, InterpreterFunctions, PythonValues, impl, register_impls
from xdsl.ir import Attribute, Operation

from e3ne.dialects import snn
from e3ne.dialects.dense import to_numpy
from e3ne.engine.schema import pool_output_size
from e3ne.errors import not_supported


def _round_half_up(x: np.ndarray) -> np.ndarray:
    return np.floor(x + 0.5)


def _patches(
    a: np.ndarray,
    kernel: tuple[int, int],
    stride: tuple[int, int],
    padding: tuple[int, int],
    pad_value,
    ceil_mode: bool = False,
):
    """(N, C, H, W) -> (N, C, OH, OW, KH, KW) strided windows (a view where possible); with ``ceil_mode``
    (pooling) the bottom/right padding reaches PyTorch's last window."""
    ph, pw = padding
    extra = [0, 0]
    if ceil_mode:
        for axis, (size, k, s, p) in enumerate(zip(a.shape[2:], kernel, stride, padding, strict=True)):
            extra[axis] = max(0, (pool_output_size(size, k, s, p, True) - 1) * s + k - size - 2 * p)
    if ph or pw or any(extra):
        a = np.pad(a, ((0, 0), (0, 0), (ph, ph + extra[0]), (pw, pw + extra[1])), constant_values=pad_value)
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


def _exact_int(values: np.ndarray) -> np.ndarray:
    return np.rint(values).astype(np.int64)


ONEDNN_ABOVE = 1 << 10
"""Convolution inputs with at least this many elements go through oneDNN (faster when large)."""

EXACT_FLOAT32 = 1 << 24
"""Integers below this add exactly in float32 (24-bit significand)."""


if TYPE_CHECKING:
    import torch


@dataclass
class _Kernel:
    """A synapse's weights prepared once for torch; rebuilt when the op's attributes change.

    torch (its convolutions on all bit planes at once) is imported when the first kernel is
    built, not when the interpreter is imported.
    """

    weight_attr: Attribute
    bias_attr: Attribute | None
    weight: torch.Tensor
    dtype: np.dtype
    bias: np.ndarray | None
    conv: bool
    stride: tuple[int, int]
    padding: tuple[int, int]

    def weighted_sum(self, a: np.ndarray) -> np.ndarray:
        """Σ w·a per output (no bias); exact for integer inputs (float32 only below 2^24)."""
        import torch

        x = torch.from_numpy(np.ascontiguousarray(a, dtype=self.dtype))
        with torch.no_grad():
            if not self.conv:
                return (x @ self.weight.T).numpy()
            # oneDNN pays ~40 us of set-up per call: a loss on the small batches of single images.
            # (set_flags, not the flags() context: that one also sets TF32, and warns each time.)
            mkldnn = torch.backends.mkldnn
            saved = mkldnn.set_flags(x.numel() >= ONEDNN_ABOVE)
            try:
                return torch.conv2d(x, self.weight, None, self.stride, self.padding).numpy()
            finally:
                mkldnn.set_flags(saved[0], _fp32_precision=saved[3])


Weighted = snn.Conv2dOp | snn.LinearOp | snn.ConvLayerOp | snn.LinearLayerOp
"""The ops with weights: the synapses and the fused layers that contain one."""


def _new_kernel(op: Weighted) -> _Kernel:
    import torch

    weight = op.weights()
    bias = op.biases()
    if snn.is_float_tensor(op.input.type):
        dtype = np.dtype(np.float64)
    else:
        # Per plane (or per rate step) every input is 0/1: |partial sum| <= Σ|w| of one output.
        bound = int(np.abs(weight.astype(np.int64)).reshape(weight.shape[0], -1).sum(axis=1).max(initial=0))
        dtype = np.dtype(np.float32 if bound < EXACT_FLOAT32 else np.float64)
    if bias is not None:
        bias = bias.astype(np.float64 if snn.is_float_tensor(op.input.type) else np.int64)
    kernel = _Kernel(
        op.weight,
        op.bias,
        torch.from_numpy(np.ascontiguousarray(weight, dtype=dtype)),
        dtype,
        bias,
        isinstance(op, snn.Conv2dOp | snn.ConvLayerOp),
        op.stride_pair() if isinstance(op, snn.Conv2dOp | snn.ConvLayerOp) else (1, 1),
        op.padding_pair() if isinstance(op, snn.Conv2dOp | snn.ConvLayerOp) else (0, 0),
    )
    return kernel


Window = tuple[tuple[int, int], tuple[int, int], tuple[int, int], bool]
"""(kernel, stride, padding, ceil_mode) of a pooling window."""


@dataclass
class _Facts:
    """What an op's attributes say, decoded once per op (attribute access is slow in Python)."""

    props: tuple[Attribute, ...]
    input_kind: str  # float | radix | rate_spikes | rate_currents | fixed
    in_steps: int = 0
    out_steps: int = 0
    out_tail: tuple[int, ...] = ()
    """Per image: the result's shape; of a fused layer, its synapse's (before pooling)."""
    shift: int | None = None
    """The radix neuron's k (None: a raw linear_layer)."""
    threshold: int = 0
    leak: int | None = None
    pool: str = ""
    """``max`` or ``avg``: a pooling op, or the pooling of a conv_layer."""
    window: Window = ((1, 1), (1, 1), (0, 0), False)
    step: float = 1.0
    bits: int = 0
    signed: bool = False
    """Signed radix codes: the input of a synapse (two's complement: its first plane subtracts)."""
    code_range: tuple[int, int] = (0, 0)
    """The smallest and largest code of a radix result (an encode's, a neuron's: signed without ReLU)."""


def _kind(t: Attribute) -> str:
    if snn.is_float_tensor(t):
        return "float"
    if snn.is_radix(t):
        return "radix"
    if snn.is_rate_spikes(t):
        return "rate_spikes"
    if snn.is_rate_currents(t):
        return "rate_currents"
    return "fixed"


def _steps(t: Attribute) -> int:
    enc = snn.encoding_of(t)
    return enc.timesteps.data if isinstance(enc, snn.RadixEncodingAttr | snn.RateEncodingAttr) else 0


def _new_facts(op: Operation, props: tuple[Attribute, ...]) -> _Facts:
    in_t, out_t = op.operands[0].type, op.results[0].type
    facts = _Facts(props, _kind(in_t), _steps(in_t), _steps(out_t), tuple(out_t.get_shape()[1:]))  # type: ignore[attr-defined]
    facts.signed = snn.is_signed_radix(in_t)
    if snn.is_radix(out_t):
        facts.code_range = snn.code_range(out_t)
    if isinstance(op, snn.RadixNeuronOp):
        facts.shift = op.shift.value.data
    elif isinstance(op, snn.IFNeuronOp | snn.LIFNeuronOp):
        facts.threshold = op.threshold.value.data
        facts.leak = op.leak_shift.value.data if isinstance(op, snn.LIFNeuronOp) else None
    elif isinstance(op, snn.MaxPool2dOp | snn.AvgPool2dOp):
        facts.pool = "max" if isinstance(op, snn.MaxPool2dOp) else "avg"
        facts.window = (op.kernel_pair(), op.stride_pair(), op.padding_pair(), op.is_ceil_mode())
    elif isinstance(op, snn.ConvLayerOp):
        facts.out_tail = tuple(op.conv_shape()[1:])
        facts.shift = op.neuron_shift()
        pool = op.pool()
        if pool is not None:
            facts.pool, facts.window = pool.mode, (pool.kernel, pool.strides, pool.padding, pool.ceil_mode)
    elif isinstance(op, snn.LinearLayerOp):
        facts.out_tail = (op.out_channels(),)
        facts.shift = op.neuron_shift()
    elif isinstance(op, snn.EncodeOp):
        facts.step, facts.bits = op.step.value.data, op.code_bits.value.data
        if not snn.is_radix(out_t):
            facts.code_range = (0, (1 << facts.bits) - 1)
    return facts


@register_impls
@dataclass
class SnnFunctions(InterpreterFunctions):
    """Implementations of every ``snn`` op, float and quantized.

    An instance keeps, per op, what its attributes say (decoded once: attribute access is slow)
    and its weights prepared for torch; both are rebuilt when the op's attributes change. Keep
    one instance per module you run repeatedly (:class:`e3ne.interpreters.Runner` does).
    """

    _kernels: dict[Operation, _Kernel] = field(default_factory=dict)
    _facts: dict[Operation, _Facts] = field(default_factory=dict)

    def kernel(self, op: Weighted) -> _Kernel:
        cached = self._kernels.get(op)
        if cached is None or cached.weight_attr is not op.weight or cached.bias_attr is not op.bias:
            cached = self._kernels[op] = _new_kernel(op)
        return cached

    def facts(self, op: Operation) -> _Facts:
        props = tuple(op.properties.values())
        cached = self._facts.get(op)
        if (
            cached is None
            or len(cached.props) != len(props)
            or not all(a is b for a, b in zip(cached.props, props, strict=True))
        ):
            cached = self._facts[op] = _new_facts(op, props)
        return cached

    # ---------------------------------------------------------------- input coding

    @impl(snn.EncodeOp)
    def run_encode(self, interpreter: Interpreter, op: snn.EncodeOp, args: PythonValues) -> PythonValues:
        (x,) = args
        f = self.facts(op)
        codes = np.clip(_round_half_up(np.asarray(x, np.float64) / f.step), *f.code_range).astype(np.int64)
        if f.out_steps and snn.is_radix(op.output.type):
            return (codes,)
        return (_if_encode(codes, (1 << f.bits) - 1, f.out_steps),)

    # ---------------------------------------------------------------- synapses

    @impl(snn.Conv2dOp)
    def run_conv2d(self, interpreter: Interpreter, op: snn.Conv2dOp, args: PythonValues) -> PythonValues:
        return (_synapse(op, args[0], self.kernel(op), self.facts(op), (1, -1, 1, 1)),)

    @impl(snn.LinearOp)
    def run_linear(self, interpreter: Interpreter, op: snn.LinearOp, args: PythonValues) -> PythonValues:
        return (_synapse(op, args[0], self.kernel(op), self.facts(op), (1, -1)),)

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
        relu = np.maximum(args[0], 0)  # float, or the integer potentials of the raw last layer
        upper = op.upper()
        return (relu if upper is None else np.minimum(relu, upper),)

    @impl(snn.AddOp)
    def run_add(self, interpreter: Interpreter, op: snn.AddOp, args: PythonValues) -> PythonValues:
        return (np.asarray(args[0], np.float64) + np.asarray(args[1], np.float64),)

    # ---------------------------------------------------------------- neurons

    @impl(snn.RadixNeuronOp)
    def run_radix_neuron(self, interpreter: Interpreter, op: snn.RadixNeuronOp, args: PythonValues) -> PythonValues:
        f = self.facts(op)
        assert f.shift is not None
        return (_radix_neuron(args[0], f.shift, f.code_range),)

    @impl(snn.IFNeuronOp)
    def run_if_neuron(self, interpreter: Interpreter, op: snn.IFNeuronOp, args: PythonValues) -> PythonValues:
        return (_spike(args[0], self.facts(op).threshold, None),)

    @impl(snn.LIFNeuronOp)
    def run_lif_neuron(self, interpreter: Interpreter, op: snn.LIFNeuronOp, args: PythonValues) -> PythonValues:
        f = self.facts(op)
        return (_spike(args[0], f.threshold, f.leak),)

    @impl(snn.IntegrateOp)
    def run_integrate(self, interpreter: Interpreter, op: snn.IntegrateOp, args: PythonValues) -> PythonValues:
        return (np.asarray(args[0]).sum(axis=0),)

    # ---------------------------------------------------------------- pooling and shapes

    @impl(snn.MaxPool2dOp)
    def run_max_pool2d(self, interpreter: Interpreter, op: snn.MaxPool2dOp, args: PythonValues) -> PythonValues:
        f = self.facts(op)
        return (_pool(f.pool, args[0], f.input_kind, f.window),)

    @impl(snn.AvgPool2dOp)
    def run_avg_pool2d(self, interpreter: Interpreter, op: snn.AvgPool2dOp, args: PythonValues) -> PythonValues:
        f = self.facts(op)
        return (_pool(f.pool, args[0], f.input_kind, f.window),)

    @impl(snn.FlattenOp)
    def run_flatten(self, interpreter: Interpreter, op: snn.FlattenOp, args: PythonValues) -> PythonValues:
        return (_flatten(args[0], self.facts(op).input_kind),)

    @impl(snn.ConcatOp)
    def run_concat(self, interpreter: Interpreter, op: snn.ConcatOp, args: PythonValues) -> PythonValues:
        # dimension 1 of the IR; rate trains have the time axis in front of it
        axis = 2 if self.facts(op).input_kind in ("rate_spikes", "rate_currents") else 1
        return (np.concatenate([np.asarray(a) for a in args], axis=axis),)

    # ---------------------------------------------------------------- fused layers (the same code paths)

    @impl(snn.ConvLayerOp)
    def run_conv_layer(self, interpreter: Interpreter, op: snn.ConvLayerOp, args: PythonValues) -> PythonValues:
        f = self.facts(op)
        assert f.shift is not None
        codes = _radix_neuron(_synapse(op, args[0], self.kernel(op), f, (1, -1, 1, 1)), f.shift, f.code_range)
        return (_pool(f.pool, codes, "radix", f.window) if f.pool else codes,)

    @impl(snn.LinearLayerOp)
    def run_linear_layer(self, interpreter: Interpreter, op: snn.LinearLayerOp, args: PythonValues) -> PythonValues:
        f = self.facts(op)
        potentials = _synapse(op, _flatten(args[0], f.input_kind), self.kernel(op), f, (1, -1))
        if f.shift is None:
            return (np.maximum(potentials, 0) if op.has_relu() else potentials,)
        return (_radix_neuron(potentials, f.shift, f.code_range),)

    @impl(snn.ArgmaxOp)
    def run_argmax(self, interpreter: Interpreter, op: snn.ArgmaxOp, args: PythonValues) -> PythonValues:
        return (np.argmax(args[0], axis=1).astype(np.int64),)


def _radix_neuron(v: np.ndarray, k: int, code_range: tuple[int, int]) -> np.ndarray:
    """``clamp((V + 2^(k-1)) >> k, lo, hi)``; k <= 0 shifts left. ``[lo, hi]`` is ``[0, 2^T - 1]``
    (the clamp at 0 is the ReLU), or ``[-2^(T-1), 2^(T-1) - 1]`` for signed codes."""
    shifted = (v + (1 << (k - 1))) >> k if k > 0 else v << (-k)
    return np.clip(shifted, *code_range)


def _pool(mode: str, a: np.ndarray, kind: str, window: Window) -> np.ndarray:
    """Pooling (``mode``: ``max`` or ``avg``) of ``a``: codes, rate spikes or floats (``kind``)."""
    kernel, stride, padding, ceil = window
    if mode == "max":
        if kind == "rate_spikes":
            return _rate_max_pool(a, kernel, stride, padding, ceil)
        if kind == "float":
            return _torch_pool("max_pool2d", a, np.float64, kernel, stride, padding, ceil)
        # codes are small integers: exact in float32
        return _torch_pool("max_pool2d", a, np.float32, kernel, stride, padding, ceil).astype(np.int64)
    if kind == "float":
        return _torch_pool("avg_pool2d", a, np.float64, kernel, stride, padding)
    total = _patches(a, kernel, stride, padding, 0).sum(axis=(4, 5))
    m = (kernel[0] * kernel[1]).bit_length() - 1
    return (total + (1 << (m - 1))) >> m if m else total


def _flatten(a: np.ndarray, kind: str) -> np.ndarray:
    """N x C x H x W -> N x CHW (rate trains keep their leading time axis); N x F unchanged."""
    if kind in ("rate_spikes", "rate_currents"):
        return a.reshape(a.shape[0], a.shape[1], -1)
    return a.reshape(a.shape[0], -1)


def _torch_pool(pool: str, a: np.ndarray, dtype: type, kernel, stride, padding, ceil_mode: bool = False) -> np.ndarray:
    import torch
    import torch.nn.functional as F

    x = torch.from_numpy(np.ascontiguousarray(a, dtype=dtype))
    with torch.no_grad():
        return getattr(F, pool)(x, kernel, stride, padding, ceil_mode=ceil_mode).numpy()


def _synapse(
    op: Weighted,
    a: np.ndarray,
    kernel: _Kernel,
    f: _Facts,
    bias_shape: tuple[int, ...],
) -> np.ndarray:
    bias = kernel.bias
    weighted_sum = kernel.weighted_sum
    if f.input_kind == "float":
        out = weighted_sum(a)
        return out if bias is None else out + bias.reshape(bias_shape)
    if f.input_kind == "radix":
        steps = f.in_steps
        # All bit planes in one batched product, then the shift-add: V <- 2V + W*s(t), MSB first.
        # Signed codes: the first plane is the sign bit, which weighs -2^(T-1), so V starts at -W*s(0).
        shifts = np.arange(steps - 1, -1, -1).reshape(steps, *([1] * a.ndim))
        planes = (a[None] >> shifts) & 1
        per_plane = _exact_int(weighted_sum(planes.reshape(-1, *a.shape[1:]))).reshape(steps, a.shape[0], *f.out_tail)
        v = -per_plane[0] if f.signed else per_plane[0]
        for t in range(1, steps):
            v <<= 1
            v += per_plane[t]
    elif f.input_kind == "rate_spikes":
        steps = a.shape[0]
        v = _exact_int(weighted_sum(a.reshape(-1, *a.shape[2:]))).reshape(steps, a.shape[1], *f.out_tail)
    else:
        raise not_supported(f"synapse input {snn.describe(op.input.type)}", op)
    if bias is not None:
        # Rate currents get the bias every step; radix potentials once, after the last plane.
        v = v + bias.reshape(bias_shape)
    return v


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


def _rate_max_pool(spikes: np.ndarray, kernel, stride, padding, ceil_mode: bool = False) -> np.ndarray:
    steps, n = spikes.shape[:2]
    before = np.cumsum(spikes, axis=0) - spikes
    flat = lambda a: a.reshape(steps * n, *a.shape[2:])  # noqa: E731
    spike_windows = _patches(flat(spikes), kernel, stride, padding, 0, ceil_mode)
    count_windows = _patches(flat(before), kernel, stride, padding, -1, ceil_mode)
    shape = (*spike_windows.shape[:4], -1)
    winner = np.argmax(count_windows.reshape(shape), axis=-1)  # first maximum: lowest raster index
    out = np.take_along_axis(spike_windows.reshape(shape), winner[..., None], axis=-1)[..., 0]
    return out.reshape(steps, n, *out.shape[1:])
