"""The snn interpreter (spike level) equals the integer reference, on random networks.

Networks are drawn by hypothesis from the whole space the dialect allows: odd shapes,
strides and padding, weights at the extremes of their bit widths, T from 1 to 8 (radix) and
1 to 16 (rate), negative neuron shifts, signed input codes and signed hidden codes (layers
without ReLU). :data:`EXAMPLES_PER_RUN` networks per CI run (issue 15 asks for at least 500);
``benchmarks/fuzz.py`` runs the same strategies longer.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import e3ne.interpreters as interpreters
from e3ne import reference as ref
from e3ne.engine.schema import pool_output_size
from e3ne.errors import verify_module
from e3ne.reference_ir import module_from_network, network_from_module

EXAMPLES = 250
"""Networks per test: radix chains, rate chains, radix DAGs."""
RATE_DAG_EXAMPLES = 60
EXAMPLES_PER_RUN = 3 * EXAMPLES + RATE_DAG_EXAMPLES
"""810 networks through reference == interpreter per CI run."""

SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _weights(draw: st.DrawFn, rng: np.random.Generator, shape: tuple[int, ...], bits: int) -> np.ndarray:
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    kind = draw(st.sampled_from(["random", "min", "max", "extremes"]))
    if kind == "min":
        return np.full(shape, lo, dtype=np.int64)
    if kind == "max":
        return np.full(shape, hi, dtype=np.int64)
    if kind == "extremes":
        return rng.choice(np.array([lo, hi]), size=shape)
    return rng.integers(lo, hi + 1, size=shape)


def _bias(draw: st.DrawFn, rng: np.random.Generator, channels: int) -> np.ndarray | None:
    if not draw(st.booleans()):
        return None
    scale = draw(st.sampled_from([1, 16, 1 << 12]))
    return rng.integers(-scale, scale + 1, size=channels)


@st.composite
def networks(draw: st.DrawFn, rate: bool) -> tuple[ref.Network, tuple[int, ...], int, np.ndarray]:
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    bits = draw(st.integers(2, 8))
    channels, height, width = draw(st.integers(1, 3)), draw(st.integers(3, 9)), draw(st.integers(3, 9))
    code_bits = draw(st.integers(1, 8))
    rate_steps = draw(st.integers(1, 16)) if rate else None
    steps = code_bits
    layers: list[ref.Layer] = []
    shape = (channels, height, width)
    signed_out = False
    for _ in range(draw(st.integers(1, 2))):
        c, h, w = shape
        k = draw(st.integers(1, min(3, h, w)))
        stride = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
        padding = (draw(st.integers(0, k - 1)), draw(st.integers(0, k - 1)))
        out = draw(st.integers(1, 4))
        layers.append(ref.Conv2d(_weights(draw, rng, (out, c, k, k), bits), _bias(draw, rng, out), stride, padding))
        h = (h + 2 * padding[0] - k) // stride[0] + 1
        w = (w + 2 * padding[1] - k) // stride[1] + 1
        if rate:
            layers.append(ref.IFNeuron(draw(st.integers(1, 64)), draw(st.one_of(st.none(), st.integers(1, 4)))))
        else:
            steps = draw(st.integers(1, 8))
            # no ReLU: signed hidden codes (numerics.md 2.4), which are never pooled
            signed_out = steps >= 2 and draw(st.booleans())
            layers.append(ref.RadixNeuron(draw(st.integers(-2, 12)), steps, signed_out))
        pools = ["none"] if signed_out else ["none", "max", "avg"] if not rate else ["none", "max"]
        pool = draw(st.sampled_from(pools))
        if pool == "max" and h >= 2 and w >= 2:
            # overlapping windows (stride < window), padding and ceil_mode as well
            pk = (draw(st.integers(1, min(3, h))), draw(st.integers(1, min(3, w))))
            ps = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
            pp = (draw(st.integers(0, pk[0] // 2)), draw(st.integers(0, pk[1] // 2)))
            ceil = draw(st.booleans())
            layers.append(ref.MaxPool2d(pk, ps, pp, ceil))
            h = pool_output_size(h, pk[0], ps[0], pp[0], ceil)
            w = pool_output_size(w, pk[1], ps[1], pp[1], ceil)
        elif pool == "avg" and h >= 2 and w >= 2:
            pk = draw(st.sampled_from([(2, 2), (1, 2), (2, 1)]))
            layers.append(ref.AvgPool2d(pk, pk))
            h, w = h // pk[0], w // pk[1]
        shape = (out, h, w)
    layers.append(ref.Flatten())
    features = int(np.prod(shape))
    if draw(st.booleans()):
        hidden = draw(st.integers(1, 8))
        layers.append(ref.Linear(_weights(draw, rng, (hidden, features), bits), _bias(draw, rng, hidden)))
        if rate:
            layers.append(ref.IFNeuron(draw(st.integers(1, 64)), draw(st.one_of(st.none(), st.integers(1, 4)))))
        else:
            hidden_steps = draw(st.integers(1, 8))
            signed_hidden = hidden_steps >= 2 and draw(st.booleans())
            layers.append(ref.RadixNeuron(draw(st.integers(-2, 12)), hidden_steps, signed_hidden))
        features = hidden
    classes = draw(st.integers(1, 6))
    layers.append(ref.Linear(_weights(draw, rng, (classes, features), bits), _bias(draw, rng, classes)))
    if rate:
        layers.append(ref.Integrate())
    signed = not rate and code_bits >= 2 and draw(st.booleans())  # signed input codes (numerics.md 2.2)
    network = ref.Network(ref.Encode(1.0 / ((1 << code_bits) - 1), code_bits, rate_steps, signed), layers)
    low = -1.2 if signed else -0.2
    x = rng.uniform(low, 1.2, size=(draw(st.integers(1, 6)), channels, height, width))
    return network, (1, channels, height, width), bits, x


def _neuron(draw: st.DrawFn, rate: bool, steps: int) -> ref.Layer:
    if rate:
        return ref.IFNeuron(draw(st.integers(1, 64)), draw(st.one_of(st.none(), st.integers(1, 4))))
    return ref.RadixNeuron(draw(st.integers(-2, 12)), steps)


@st.composite
def dag_networks(draw: st.DrawFn, rate: bool) -> tuple[ref.Network, tuple[int, ...], int, np.ndarray]:
    """A stem conv, then branches of different lengths from it (a branch may be the stem's value
    itself), concatenated on channels (sometimes twice, nested), then pooling and the linear layers:
    values with several users, and concatenations of codes that share T."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    bits = draw(st.integers(2, 8))
    channels, height, width = draw(st.integers(1, 3)), draw(st.integers(2, 7)), draw(st.integers(2, 7))
    code_bits = draw(st.integers(1, 8))
    shared = draw(st.integers(1, 8))  # T of every concatenated code
    layers: list[ref.Layer] = []

    def conv(c_in: int, source: int | None) -> int:
        """A "same" conv + neuron reading value ``source`` (None: the last one); returns its channels."""
        if source is not None:
            layers.append(ref.Branch(source))
        k = draw(st.sampled_from([1, 3]))
        out = draw(st.integers(1, 3))
        weight = _weights(draw, rng, (out, c_in, k, k), bits)
        layers.append(ref.Conv2d(weight, _bias(draw, rng, out), (1, 1), (k // 2, k // 2)))
        layers.append(_neuron(draw, rate, shared))
        return out

    stem_channels = conv(channels, None)
    stem = len(layers) - 1
    parts: list[tuple[int, int]] = []  # (value, channels)
    for _ in range(draw(st.integers(2, 3))):
        length = draw(st.integers(0, 2))
        value, c = stem, stem_channels
        for _ in range(length):
            c = conv(c, value)
            value = len(layers) - 1
        parts.append((value, c))
    if draw(st.booleans()):  # nested: the first two concatenated first
        layers.append(ref.Concat((parts[0][0], parts[1][0])))
        parts[:2] = [(len(layers) - 1, parts[0][1] + parts[1][1])]
    if len(parts) > 1:
        layers.append(ref.Concat(tuple(v for v, _ in parts)))
    elif parts[0][0] != len(layers) - 1:
        layers.append(ref.Branch(parts[0][0]))
    h, w = height, width
    if draw(st.booleans()) and h >= 2 and w >= 2:
        layers.append(ref.MaxPool2d((2, 2), (2, 2)))
        h, w = h // 2, w // 2
    layers.append(ref.Flatten())
    classes = draw(st.integers(1, 6))
    features = sum(c for _, c in parts) * h * w
    layers.append(ref.Linear(_weights(draw, rng, (classes, features), bits), _bias(draw, rng, classes)))
    if rate:
        layers.append(ref.Integrate())
    rate_steps = shared if rate else None
    network = ref.Network(ref.Encode(1.0 / ((1 << code_bits) - 1), code_bits, rate_steps), layers)
    x = rng.uniform(-0.2, 1.2, size=(draw(st.integers(1, 6)), channels, height, width))
    return network, (1, channels, height, width), bits, x


def _check(case: tuple[ref.Network, tuple[int, ...], int, np.ndarray]) -> None:
    network, input_shape, bits, x = case
    module = module_from_network(network, input_shape, bits)
    verify_module(module)
    got = interpreters.predict(module, x)
    want = ref.run(network, x)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, want)
    # and the IR describes the same network the reference ran
    again = network_from_module(module)
    np.testing.assert_array_equal(ref.run(again, x), want)


@SETTINGS
@given(networks(rate=False))
def test_random_radix_networks_match_reference(case):
    _check(case)


@SETTINGS
@given(networks(rate=True))
def test_random_rate_networks_match_reference(case):
    _check(case)


@SETTINGS
@given(dag_networks(rate=False))
def test_random_radix_dags_match_reference(case):
    _check(case)


@settings(max_examples=RATE_DAG_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dag_networks(rate=True))
def test_random_rate_dags_match_reference(case):
    _check(case)


def test_concat_reads_earlier_values_in_order():
    """cat(b, a) of two branches of the input: channels in the order of the sources, not of the layers."""
    one = np.ones((1, 1, 1, 1), dtype=np.int64)
    network = ref.Network(
        ref.Encode(1 / 15, 4),
        [
            ref.Conv2d(one), ref.RadixNeuron(0, 4),  # a = x
            ref.Branch(-1), ref.Conv2d(2 * one), ref.RadixNeuron(0, 4),  # b = 2x
            ref.Concat((4, 1)), ref.Flatten(), ref.Linear(np.eye(2, dtype=np.int64)),
        ],
    )  # fmt: skip
    x = np.array([[[[3 / 15]]]])
    np.testing.assert_array_equal(ref.run(network, x), [[6, 3]])
    module = module_from_network(network, (1, 1, 1, 1), 4)
    verify_module(module)
    np.testing.assert_array_equal(interpreters.predict(module, x), [[6, 3]])


def test_radix_shift_add_is_exact_at_accumulator_extremes():
    """All-max codes through all-min weights: the largest |V| the width analysis allows."""
    weight = np.full((2, 3, 3, 3), -128, dtype=np.int64)
    network = ref.Network(
        ref.Encode(1 / 255, 8),
        [ref.Conv2d(weight, np.array([-(1 << 20), 1 << 20])), ref.Flatten(), ref.Linear(np.ones((1, 2 * 25)))],
    )
    network.layers.insert(1, ref.RadixNeuron(0, 8))
    x = np.ones((2, 3, 7, 7))
    module = module_from_network(network, (1, 3, 7, 7), 8)
    verify_module(module)
    np.testing.assert_array_equal(interpreters.predict(module, x), ref.run(network, x))
    # V = -128 * 27 * 255 - 2^20 saturates the neuron to 0; the second channel to 255
    assert ref.run(ref.Network(network.encode, network.layers[:2]), x)[0, 1].max() == 255
