"""``fuse-layers``: fused and unfused IR give the same integers, on random radix networks and on digits.

Random networks come from hypothesis, with the generators of test_interpreter_vs_reference: convs
with every kind of pooling the pool unit runs or not (and two pools in a row), strides, padding,
rectangular kernels, convs whose one output position sees the whole input, flatten, chains of
linear layers, the raw last layer, weights at their bit extremes. Each network is checked: the fused IR, the
unfused IR and the integer reference (also run on the network read back from the fused IR) agree
exactly, and the fused IR holds exactly the ops the rules leave.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_interpreter_vs_reference import _bias, _weights, networks
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block

import e3ne
import e3ne.interpreters as interpreters
from e3ne import models
from e3ne import reference as ref
from e3ne.dialects import snn
from e3ne.errors import verify_module
from e3ne.ir import main_function, print_module
from e3ne.passes.fuse_layers import FuseLayersPass, pool_unit_runs, pool_window
from e3ne.reference_ir import module_from_network, network_from_module

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# (mode, kernel, stride, padding): what the pool unit runs (square; max pooling with stride <= window
# and padding <= window / 2; average over a power-of-two window, stride = window, no padding), and
# pools it does not.
RUNNABLE_POOLS = [
    ("max", (1, 1), (1, 1), (0, 0)),
    ("max", (2, 2), (2, 2), (0, 0)),
    ("max", (3, 3), (3, 3), (0, 0)),
    ("max", (2, 2), (1, 1), (0, 0)),
    ("max", (2, 2), (2, 2), (1, 1)),
    ("max", (3, 3), (2, 2), (1, 1)),
    ("max", (3, 3), (1, 1), (1, 1)),
    ("avg", (1, 1), (1, 1), (0, 0)),
    ("avg", (2, 2), (2, 2), (0, 0)),
    ("avg", (4, 4), (4, 4), (0, 0)),
]
OTHER_POOLS = [
    ("max", (2, 2), (3, 3), (0, 0)),
    ("max", (1, 2), (1, 2), (0, 0)),
    ("max", (2, 2), (2, 1), (0, 0)),
    ("max", (3, 3), (2, 2), (1, 0)),
    ("avg", (2, 2), (1, 1), (0, 0)),
    ("avg", (1, 2), (1, 2), (0, 0)),
    ("avg", (2, 1), (2, 1), (0, 0)),
]


def _runnable(mode: str, kernel: tuple[int, int], stride: tuple[int, int], padding: tuple[int, int]) -> bool:
    """The rule, written out independently of the pass."""
    k, s, p = kernel[0], stride[0], padding[0]
    if kernel != (k, k) or stride != (s, s) or padding != (p, p) or k > 15:
        return False
    if mode == "max":
        return s <= k and 2 * p <= k
    return s == k and p == 0 and k in (1, 2, 4, 8)


@dataclass
class Case:
    network: ref.Network
    input_shape: tuple[int, ...]
    bits: int
    x: np.ndarray
    expected: Counter[str]
    """The op names the fused function holds."""
    tags: list[str]
    """What the network exercises (hypothesis events)."""


@st.composite
def fusable_networks(draw: st.DrawFn) -> Case:
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    bits = draw(st.integers(2, 8))
    c, h, w = draw(st.integers(1, 3)), draw(st.integers(2, 12)), draw(st.integers(2, 12))
    input_shape = (1, c, h, w)
    code_bits = draw(st.integers(1, 8))
    layers: list[ref.Layer] = []
    expected: Counter[str] = Counter({"snn.encode": 1})
    tags: list[str] = []
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.integers(0, 4)) == 0:  # one output position that sees the whole input
            kh, kw, stride, padding = h, w, (draw(st.integers(1, 2)), draw(st.integers(1, 2))), (0, 0)
            tags.append("conv as linear")
        else:
            kh, kw = draw(st.integers(1, min(3, h))), draw(st.integers(1, min(3, w)))
            stride = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
            padding = (draw(st.integers(0, kh - 1)), draw(st.integers(0, kw - 1)))
        out = draw(st.integers(1, 4))
        layers.append(ref.Conv2d(_weights(draw, rng, (out, c, kh, kw), bits), _bias(draw, rng, out), stride, padding))
        layers.append(ref.RadixNeuron(draw(st.integers(-2, 12)), draw(st.integers(1, 8))))
        expected["snn.conv_layer"] += 1
        c, h, w = (
            out,
            snn.window_output_size(h, kh, stride[0], padding[0]),
            snn.window_output_size(w, kw, stride[1], padding[1]),
        )
        for place in range(draw(st.sampled_from([0, 1, 1, 2]))):
            mode, pk, ps, pp = draw(st.sampled_from(2 * RUNNABLE_POOLS + OTHER_POOLS))
            if pk[0] + 2 * pp[0] > h or pk[1] + 2 * pp[1] > w:
                break
            layers.append(ref.MaxPool2d(pk, ps, pp) if mode == "max" else ref.AvgPool2d(pk, ps))
            h, w = snn.window_output_size(h, pk[0], ps[0], pp[0]), snn.window_output_size(w, pk[1], ps[1], pp[1])
            fuses = not place and _runnable(mode, pk, ps, pp)
            if not fuses:
                expected[f"snn.{mode}_pool2d"] += 1
            tags.append(f"{mode} pool {'fused' if fuses else 'left'}")
    layers.append(ref.Flatten())
    features = c * h * w
    for _ in range(draw(st.integers(0, 3))):
        hidden = draw(st.integers(1, 8))
        layers.append(ref.Linear(_weights(draw, rng, (hidden, features), bits), _bias(draw, rng, hidden)))
        layers.append(ref.RadixNeuron(draw(st.integers(-2, 12)), draw(st.integers(1, 8))))
        features = hidden
    classes = draw(st.integers(1, 6))
    layers.append(ref.Linear(_weights(draw, rng, (classes, features), bits), _bias(draw, rng, classes)))
    expected["snn.linear_layer"] = sum(isinstance(layer, ref.Linear) for layer in layers)
    tags.append(f"{expected['snn.conv_layer']} conv, {expected['snn.linear_layer']} linear layers")
    network = ref.Network(ref.Encode(1.0 / ((1 << code_bits) - 1), code_bits), layers)
    x = rng.uniform(-0.2, 1.2, size=(draw(st.integers(1, 6)), *input_shape[1:]))
    return Case(network, input_shape, bits, x, expected, tags)


def fused(module: ModuleOp, function: str = "") -> ModuleOp:
    """A fused copy of ``module`` (verified)."""
    copy = module.clone()
    FuseLayersPass(function=function).apply(Context(), copy)
    verify_module(copy)
    return copy


def op_names(module: ModuleOp) -> Counter[str]:
    return Counter(op.name for op in main_function(module).body.block.ops if op.name != "func.return")


@SETTINGS
@given(fusable_networks())
def test_fused_and_unfused_random_networks_compute_the_same_integers(case: Case):
    for tag in set(case.tags):
        event(tag)
    module = module_from_network(case.network, case.input_shape, case.bits)
    verify_module(module)
    fused_module = fused(module)
    assert op_names(fused_module) == case.expected
    want = ref.run(case.network, case.x)
    np.testing.assert_array_equal(interpreters.predict(module, case.x), want)
    got = interpreters.predict(fused_module, case.x)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, want)
    # and the fused IR describes the network the reference ran
    np.testing.assert_array_equal(ref.run(network_from_module(fused_module), case.x), want)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(rate=False))
def test_fused_and_unfused_networks_of_the_interpreter_test_agree(
    case: tuple[ref.Network, tuple[int, ...], int, np.ndarray],
):
    network, input_shape, bits, x = case
    module = module_from_network(network, input_shape, bits)
    fused_module = fused(module)
    assert not {"snn.conv2d", "snn.linear", "snn.radix_neuron", "snn.flatten"} & set(op_names(fused_module))
    np.testing.assert_array_equal(interpreters.predict(fused_module, x), interpreters.predict(module, x))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(rate=True))
def test_rate_networks_are_left_alone(case: tuple[ref.Network, tuple[int, ...], int, np.ndarray]):
    network, input_shape, bits, _ = case
    module = module_from_network(network, input_shape, bits)
    assert print_module(fused(module)) == print_module(module)


@pytest.mark.parametrize(("pool", "runs"), [(p, True) for p in RUNNABLE_POOLS] + [(p, False) for p in OTHER_POOLS])
def test_pool_unit_rule(pool: tuple[str, tuple[int, int], tuple[int, int], tuple[int, int]], runs: bool):
    mode, kernel, stride, padding = pool
    assert _runnable(*pool) is runs
    codes = snn.radix_type([1, 1, 8, 8], 4, 0)
    cls = snn.MaxPool2dOp if mode == "max" else snn.AvgPool2dOp
    window = pool_window(cls(Block(arg_types=[codes]).args[0], codes, kernel, stride, padding))
    assert window is not None and window == snn.PoolWindow(mode, kernel, stride, padding)
    assert pool_unit_runs(window) is runs


def test_digits_fused_equals_unfused_on_every_test_image():
    model, x, calibration = models.digits_example()
    module = e3ne.import_model(model, x, calibration, stage="snn")
    fused_module = fused(module)
    names = [op.name for op in main_function(fused_module).body.block.ops]
    assert names == [
        "snn.encode",
        "snn.conv_layer",
        "snn.conv_layer",
        "snn.linear_layer",
        "snn.linear_layer",
        "func.return",
    ]
    x_test = models.digits_split()[2]
    logits = interpreters.Runner(module)(x_test)
    assert logits.shape == (540, 10)
    np.testing.assert_array_equal(interpreters.Runner(fused_module)(x_test), logits)


def test_ceil_mode_pool_of_a_concatenation_keeps_ceil_mode():
    """pool(concat(a, b)) -> concat(pool(a), pool(b)) keeps ceil_mode (it was dropped, and the fused
    conv_layer's verifier refused the wider result): the RTL fuzz's minimal network (test_rtl_fuzz)."""
    one = np.ones((1, 1, 1, 1), dtype=np.int64)
    network = ref.Network(
        ref.Encode(1.0, 1),
        [
            ref.Conv2d(one), ref.RadixNeuron(0, 1),  # stem
            ref.Branch(1), ref.Conv2d(one), ref.RadixNeuron(0, 1),
            ref.Branch(1), ref.Conv2d(-one), ref.RadixNeuron(0, 1),
            ref.Concat((4, 7)), ref.MaxPool2d((2, 2), (2, 2), (0, 0), ceil_mode=True),  # 2x3 -> 1x2
            ref.Flatten(), ref.Linear(np.array([[1, 2, 3, 4]])),
        ],
    )  # fmt: skip
    module = module_from_network(network, (1, 1, 2, 3), 4)
    x = np.array([[[[1.0, 0.0, 1.0], [0.0, 0.0, 0.0]]]])
    done = fused(module)
    assert [op.pool() for op in main_function(done).walk() if isinstance(op, snn.ConvLayerOp)][1:] == [
        snn.PoolWindow("max", (2, 2), (2, 2), (0, 0), True)
    ] * 2
    np.testing.assert_array_equal(interpreters.predict(done, x), ref.run(network, x))
    np.testing.assert_array_equal(ref.run(network, x), [[1 + 2]])  # the first branch [1, 1], the second [0, 0]
