"""The integer reference: docs/numerics.md written as plain numpy.

This module is the oracle for the ``snn`` interpreter and the RTL. It knows nothing of xDSL:
a quantized network is a list of the small dataclasses below (each layer reads the value of the
one before it; ``Branch`` and ``Concat`` read earlier values by index, so a list describes any
network whose values form a DAG), and every function is the most
direct reading of the contract (no bit planes, no im2col: ``V = Σ w·a`` computed kernel tap by
kernel tap). ``e3ne.reference_ir`` converts between these networks and ``snn`` IR.

Radix activations are int64 arrays of codes (N, C, H, W) or (N, F). Rate activations are spike
trains with a leading time axis: (T, N, ...) of 0/1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from e3ne.engine.schema import pool_output_size

# --------------------------------------------------------------------------- network description


@dataclass
class Encode:
    """Input coding: radix codes (``rate_timesteps`` None) or an IF-encoded rate spike train.

    ``signed``: two's-complement radix codes in ``[-2^(T-1), 2^(T-1) - 1]`` (docs/numerics.md 2.2).
    """

    step: float
    code_bits: int
    rate_timesteps: int | None = None
    signed: bool = False

    def codes(self, x: np.ndarray) -> np.ndarray:
        """The codes of float inputs ``x`` (int64, negative where signed)."""
        return encode_codes(x, self.step, self.code_bits, self.signed)

    def stored_codes(self, x: np.ndarray) -> np.ndarray:
        """What the hardware is sent for ``x``: each code's ``code_bits``-bit pattern (two's complement)."""
        return self.codes(x) & ((1 << self.code_bits) - 1)


@dataclass
class Conv2d:
    weight: np.ndarray  # (O, C, KH, KW) integers
    bias: np.ndarray | None = None  # (O,) integers, in the accumulator's scale
    stride: tuple[int, int] = (1, 1)
    padding: tuple[int, int] = (0, 0)


@dataclass
class Linear:
    weight: np.ndarray  # (O, F)
    bias: np.ndarray | None = None


@dataclass
class RadixNeuron:
    shift: int  # k
    timesteps: int  # T_out
    signed: bool = False
    """No ReLU: signed codes in ``[-2^(T-1), 2^(T-1) - 1]`` (docs/numerics.md 2.4)."""


@dataclass
class IFNeuron:
    threshold: int
    leak_shift: int | None = None  # None: IF; else LIF


@dataclass
class Integrate:
    """Non-spiking readout: sum of the currents over all timesteps."""


@dataclass
class MaxPool2d:
    kernel: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int] = (0, 0)
    ceil_mode: bool = False
    """PyTorch's ceil_mode: one more window at the bottom/right if it starts inside the input or the
    top/left padding."""


@dataclass
class AvgPool2d:
    kernel: tuple[int, int]
    stride: tuple[int, int]


@dataclass
class Flatten:
    pass


class Relu:
    """``max(V, 0)`` of the potentials of the raw last layer (a ReLU on the logits)."""


@dataclass
class Branch:
    """The next layer reads an earlier value: the output of layer ``source`` (-1: the encoded input)."""

    source: int


@dataclass
class Concat:
    """Dimension 1 (channels of a map, features of a vector) of earlier values, in order: the outputs
    of layers ``sources`` (-1: the encoded input)."""

    sources: tuple[int, ...]


Layer = Conv2d | Linear | RadixNeuron | IFNeuron | Integrate | MaxPool2d | AvgPool2d | Flatten | Relu | Branch | Concat


@dataclass
class Network:
    """A quantized network: input coding, then layers in order (value i is the output of layer i)."""

    encode: Encode
    layers: list[Layer] = field(default_factory=list)

    @property
    def is_rate(self) -> bool:
        return self.encode.rate_timesteps is not None


# --------------------------------------------------------------------------- the contract


def round_half_up(x: np.ndarray) -> np.ndarray:
    return np.floor(np.asarray(x, dtype=np.float64) + 0.5)


def code_limits(code_bits: int, signed: bool = False) -> tuple[int, int]:
    """The smallest and largest code: ``[0, 2^T - 1]``, or ``[-2^(T-1), 2^(T-1) - 1]`` when signed."""
    if signed:
        return -(1 << (code_bits - 1)), (1 << (code_bits - 1)) - 1
    return 0, (1 << code_bits) - 1


def encode_codes(x: np.ndarray, step: float, code_bits: int, signed: bool = False) -> np.ndarray:
    """``a = clamp(round(x / step), lo, hi)`` as int64, ``[lo, hi]`` from :func:`code_limits`."""
    lo, hi = code_limits(code_bits, signed)
    return np.clip(round_half_up(np.asarray(x, dtype=np.float64) / step), lo, hi).astype(np.int64)


def pixel_codes(step: float, code_bits: int, pixel_max: int, signed: bool = False) -> np.ndarray:
    """The code of each 8-bit pixel ``p`` whose value is ``x = p / pixel_max`` (float32, as
    torchvision's ``ToTensor`` divides by 255): the AXI shell's input encoder table (256 codes).

    The input ``x`` a host feeds the interpreter for pixel ``p`` must be that same float32
    quotient; the table is then :func:`encode_codes` of it (as ``code_bits``-bit patterns), so the
    on-chip encoder is bit-exact.
    """
    if not 1 <= pixel_max <= 255:
        raise ValueError(f"pixel_max must be in 1..255, got {pixel_max}")
    return Encode(step, code_bits, signed=signed).stored_codes(pixel_values(np.arange(256), pixel_max))


def pixel_values(pixels: np.ndarray, pixel_max: int) -> np.ndarray:
    """``p / pixel_max`` in float32: the network input of 8-bit pixels (see :func:`pixel_codes`)."""
    return np.asarray(pixels, dtype=np.float32) / np.float32(pixel_max)


def rate_encode(codes: np.ndarray, code_bits: int, timesteps: int) -> np.ndarray:
    """Integrate-and-fire encoder with threshold ``2^code_bits - 1``: (T, ...) spikes."""
    threshold = (1 << code_bits) - 1
    u = np.zeros_like(codes)
    spikes = np.zeros((timesteps, *codes.shape), dtype=np.int64)
    for t in range(timesteps):
        u = u + codes
        fire = u >= threshold
        spikes[t] = fire
        u = u - threshold * fire
    return spikes


def _conv(a: np.ndarray, layer: Conv2d) -> np.ndarray:
    """``Σ w·a`` per output position, one kernel tap at a time (zero padding)."""
    w = np.asarray(layer.weight, dtype=np.int64)
    out_ch, _, kh, kw = w.shape
    sh, sw = layer.stride
    ph, pw = layer.padding
    padded = np.pad(a, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    oh = (padded.shape[2] - kh) // sh + 1
    ow = (padded.shape[3] - kw) // sw + 1
    out = np.zeros((a.shape[0], out_ch, oh, ow), dtype=np.int64)
    for i in range(kh):
        for j in range(kw):
            window = padded[:, :, i : i + sh * (oh - 1) + 1 : sh, j : j + sw * (ow - 1) + 1 : sw]
            out += np.einsum("nchw,oc->nohw", window, w[:, :, i, j])
    return out


def _synapse(a: np.ndarray, layer: Conv2d | Linear) -> np.ndarray:
    """The membrane potential after all input timesteps, plus the bias."""
    if isinstance(layer, Conv2d):
        v = _conv(a, layer)
        bias_shape = (1, -1, 1, 1)
    else:
        v = a @ np.asarray(layer.weight, dtype=np.int64).T
        bias_shape = (1, -1)
    if layer.bias is not None:
        v = v + np.asarray(layer.bias, dtype=np.int64).reshape(bias_shape)
    return v


def radix_neuron(v: np.ndarray, shift: int, timesteps: int, signed: bool = False) -> np.ndarray:
    """``clamp((V + 2^(k-1)) >> k, lo, hi)`` (``V << -k`` for k <= 0), ``[lo, hi]`` from :func:`code_limits`."""
    shifted = (v + (1 << (shift - 1))) >> shift if shift > 0 else v << (-shift)
    return np.clip(shifted, *code_limits(timesteps, signed))


def _pool_windows(
    a: np.ndarray,
    kernel: tuple[int, int],
    stride: tuple[int, int],
    padding: tuple[int, int],
    ceil_mode: bool = False,
):
    """Yield each kernel tap's strided view (padding with -1, below every code and spike count; with
    ``ceil_mode`` the bottom/right padding reaches the last window's end)."""
    kh, kw = kernel
    sh, sw = stride
    ph, pw = padding
    oh = pool_output_size(a.shape[-2], kh, sh, ph, ceil_mode)
    ow = pool_output_size(a.shape[-1], kw, sw, pw, ceil_mode)
    extra_h = max(0, (oh - 1) * sh + kh - (a.shape[-2] + 2 * ph))
    extra_w = max(0, (ow - 1) * sw + kw - (a.shape[-1] + 2 * pw))
    pad = [(0, 0)] * (a.ndim - 2) + [(ph, ph + extra_h), (pw, pw + extra_w)]
    padded = np.pad(a, pad, constant_values=-1)
    for i in range(kh):
        for j in range(kw):
            yield padded[..., i : i + sh * (oh - 1) + 1 : sh, j : j + sw * (ow - 1) + 1 : sw]


def max_pool(a: np.ndarray, layer: MaxPool2d) -> np.ndarray:
    return np.maximum.reduce(list(_pool_windows(a, layer.kernel, layer.stride, layer.padding, layer.ceil_mode)))


def avg_pool(a: np.ndarray, layer: AvgPool2d) -> np.ndarray:
    area = layer.kernel[0] * layer.kernel[1]
    m = area.bit_length() - 1
    if 1 << m != area:
        raise ValueError(f"radix average pooling needs a power-of-two window, got {layer.kernel}")
    total = np.sum(list(_pool_windows(a, layer.kernel, layer.stride, (0, 0))), axis=0)
    return (total + (1 << (m - 1))) >> m if m > 0 else total


def rate_max_pool(spikes: np.ndarray, layer: MaxPool2d) -> np.ndarray:
    """Each window passes the spike of its input with the most spikes before this step."""
    counts_before = np.cumsum(spikes, axis=0) - spikes
    window = (layer.kernel, layer.stride, layer.padding, layer.ceil_mode)
    taps_spikes = list(_pool_windows(spikes, *window))
    taps_counts = list(_pool_windows(counts_before, *window))
    best = taps_counts[0].copy()
    out = np.where(taps_spikes[0] < 0, 0, taps_spikes[0])
    for count, spike in zip(taps_counts[1:], taps_spikes[1:], strict=True):
        better = count > best  # strictly greater: ties keep the lower raster index
        best = np.where(better, count, best)
        out = np.where(better, spike, out)
    return out


def if_neuron(currents: np.ndarray, threshold: int, leak_shift: int | None) -> np.ndarray:
    v = np.zeros(currents.shape[1:], dtype=np.int64)
    spikes = np.zeros_like(currents)
    for t in range(currents.shape[0]):
        if leak_shift is not None:
            v = v - (v >> leak_shift)
        v = v + currents[t]
        fire = v >= threshold
        spikes[t] = fire
        v = v - threshold * fire
    return spikes


# --------------------------------------------------------------------------- running a network


def run(network: Network, x: np.ndarray) -> np.ndarray:
    """Integer outputs (logits) of ``network`` for float inputs ``x`` (N, ...)."""
    enc = network.encode
    codes = enc.codes(x)
    if enc.rate_timesteps is None:
        return run_codes(network, codes)
    return run_spikes(network, rate_encode(codes, enc.code_bits, enc.rate_timesteps))


def _earlier(values: list[np.ndarray], source: int, start: np.ndarray) -> np.ndarray:
    return start if source == -1 else values[source]


def run_codes(network: Network, codes: np.ndarray) -> np.ndarray:
    """Radix path from integer input codes: every layer on codes / potentials."""
    a = start = np.asarray(codes, dtype=np.int64)
    values: list[np.ndarray] = []
    for layer in network.layers:
        if isinstance(layer, Branch):
            a = _earlier(values, layer.source, start)
        elif isinstance(layer, Concat):
            a = np.concatenate([_earlier(values, i, start) for i in layer.sources], axis=1)
        elif isinstance(layer, Conv2d | Linear):
            a = _synapse(a, layer)
        elif isinstance(layer, RadixNeuron):
            a = radix_neuron(a, layer.shift, layer.timesteps, layer.signed)
        elif isinstance(layer, MaxPool2d):
            a = max_pool(a, layer)
        elif isinstance(layer, AvgPool2d):
            a = avg_pool(a, layer)
        elif isinstance(layer, Flatten):
            a = a.reshape(a.shape[0], -1)
        elif isinstance(layer, Relu):
            a = np.maximum(a, 0)
        else:
            raise ValueError(f"{type(layer).__name__} is not part of the radix path")
        values.append(a)
    return a


def run_spikes(network: Network, spikes: np.ndarray) -> np.ndarray:
    """Rate path from an input spike train (T, N, ...)."""
    s = start = np.asarray(spikes, dtype=np.int64)
    values: list[np.ndarray] = []
    for layer in network.layers:
        if isinstance(layer, Branch):
            s = _earlier(values, layer.source, start)
        elif isinstance(layer, Concat):  # dimension 1 of the values, after the time axis
            s = np.concatenate([_earlier(values, i, start) for i in layer.sources], axis=2)
        elif isinstance(layer, Conv2d | Linear):
            steps = s.shape[0]
            flat = _synapse(s.reshape(steps * s.shape[1], *s.shape[2:]), layer)
            s = flat.reshape(steps, -1, *flat.shape[1:])
        elif isinstance(layer, IFNeuron):
            s = if_neuron(s, layer.threshold, layer.leak_shift)
        elif isinstance(layer, MaxPool2d):
            s = rate_max_pool(s, layer)
        elif isinstance(layer, Flatten):
            s = s.reshape(s.shape[0], s.shape[1], -1)
        elif isinstance(layer, Integrate):
            s = s.sum(axis=0)
        else:
            raise ValueError(f"{type(layer).__name__} is not part of the rate path")
        values.append(s)
    return s


def predict(network: Network, x: np.ndarray) -> np.ndarray:
    """Class per input: argmax of the logits, ties to the lowest index."""
    return np.argmax(run(network, x), axis=1)
