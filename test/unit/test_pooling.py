"""Max pooling with overlapping windows, padding and ceil_mode (docs/numerics.md 2.5): the `snn`
interpreter against torch.nn.functional.max_pool2d on codes, unfused and fused into a conv layer;
the pooling geometry the engine uses (e3ne.engine.schema) against PyTorch's; the frontend and the
hardware dialect on what they accept and refuse."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn
from xdsl.context import Context

import e3ne
import e3ne.interpreters as interpreters
from e3ne import reference as ref
from e3ne.dialects import e3ne_hw as hw
from e3ne.dialects import snn
from e3ne.engine import schema
from e3ne.errors import E3neError, verify_module
from e3ne.ir import main_function, parse_module
from e3ne.passes.fuse_layers import FuseLayersPass
from e3ne.reference_ir import module_from_network


@st.composite
def pools(draw: st.DrawFn) -> tuple[int, int, int, int, int, bool, int]:
    """(h, w, K, S, p, ceil_mode, code bits) that PyTorch accepts, windows overlapping or not."""
    k = draw(st.integers(1, 5))
    s = draw(st.integers(1, k + 1))  # one stride past the window too: windows with gaps
    p = draw(st.integers(0, k // 2))
    h = draw(st.integers(max(1, k - 2 * p), 11))
    w = draw(st.integers(max(1, k - 2 * p), 11))
    return h, w, k, s, p, draw(st.booleans()), draw(st.integers(1, 6))


def _codes_network(h: int, w: int, k: int, s: int, p: int, ceil: bool, bits: int) -> ref.Network:
    """encode -> 1x1 conv of weight 1 and a neuron of shift 0 (the codes themselves) -> max pool ->
    flatten -> identity linear: the logits are the pooled codes."""
    features = schema.pool_output_size(h, k, s, p, ceil) * schema.pool_output_size(w, k, s, p, ceil)
    layers: list[ref.Layer] = [
        ref.Conv2d(np.ones((1, 1, 1, 1), dtype=np.int64), None, (1, 1), (0, 0)),
        ref.RadixNeuron(0, bits),
        ref.MaxPool2d((k, k), (s, s), (p, p), ceil),
        ref.Flatten(),
        ref.Linear(np.eye(features, dtype=np.int64), None),
    ]
    return ref.Network(ref.Encode(1.0 / ((1 << bits) - 1), bits), layers)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pools(), st.integers(0, 2**32 - 1))
def test_interpreter_max_pool_is_torch_on_codes(pool, seed: int) -> None:
    h, w, k, s, p, ceil, bits = pool
    network = _codes_network(h, w, k, s, p, ceil, bits)
    module = module_from_network(network, (1, 1, h, w), 8)
    verify_module(module)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-0.2, 1.2, size=(3, 1, h, w))
    codes = ref.encode_codes(x, network.encode.step, bits)
    want = F.max_pool2d(torch.from_numpy(codes.astype(np.float64)), k, s, p, ceil_mode=ceil)
    want_codes = want.numpy().astype(np.int64).reshape(len(x), -1)
    np.testing.assert_array_equal(interpreters.predict(module, x), want_codes)
    np.testing.assert_array_equal(ref.run(network, x), want_codes)
    fused = module.clone()
    FuseLayersPass().apply(Context(), fused)
    verify_module(fused)
    names = [op.name for op in main_function(fused).body.block.ops]
    runs = s <= k and k <= 15
    assert ("snn.max_pool2d" in names) is not runs  # the pool unit takes it, or it stays an op
    np.testing.assert_array_equal(interpreters.predict(fused, x), want_codes)


def test_pool_geometry_is_pytorch() -> None:
    """pool_output_size is PyTorch's; the window rows pool_finished_rows ends add up to it, each at
    the last row of its window inside the map; pool_tail reaches exactly PyTorch's last window."""
    for h, k, s, p, ceil in itertools.product(range(1, 13), range(1, 6), range(1, 6), range(3), (False, True)):
        if s > k or 2 * p > k or h + 2 * p < k:
            continue
        out = F.max_pool2d(torch.zeros(1, 1, h, 1), (k, 1), (s, 1), (p, 0), ceil_mode=ceil).shape[2]
        assert schema.pool_output_size(h, k, s, p, ceil) == out, (h, k, s, p, ceil)
        tail = schema.pool_tail(k, s, p, ceil)
        ends = schema.pool_finished_rows(h, k, s, p, tail)
        assert sum(ends) == out, (h, k, s, p, ceil)
        assert ends == [sum(min(yo * s - p + k - 1, h - 1) == r for yo in range(out)) for r in range(h)]
        assert 0 <= tail < k and schema.pool_banks(k, s) * s >= k


def test_pool_step_packs_stride_padding_and_tail() -> None:
    props = {"pool_size": 3, "pool_stride": 2, "pool_padding": 1, "pool_ceil": 1}
    assert schema.pool_window(props) == (3, 2, 1, True)
    assert schema.pool_tail(3, 2, 1, True) == 2
    fields = {f.name: 0 for f in schema.layer_fields(schema.LayerKind.CONV)}
    fields |= {"c_in": 1, "h_in": 9, "w_in": 9, "kh": 3, "kw": 3, "sh": 1, "sw": 1, "ph": 1, "pw": 1, "c_out": 2,
              "h_out": 9, "w_out": 9, "pool_mode": 1, "slots": 1, **props}  # fmt: skip
    desc = schema.descriptor_fields(schema.LayerKind.CONV, fields, {"CU": 1, "COLS": 4, "LANES": 1})
    assert schema.pool_step_fields(desc["pool_step"]) == (2, 1, 2)
    assert desc["h_store"] == 5  # ceil((9 + 2 - 3) / 2) + 1
    plain = schema.descriptor_fields(schema.LayerKind.CONV, {**fields, "pool_size": 2, "pool_stride": 2,
                                                              "pool_padding": 0, "pool_ceil": 0},
                                     {"CU": 1, "COLS": 4, "LANES": 1})  # fmt: skip
    assert (plain["pool_step"], plain["h_store"]) == (2, 4)


def _net(pool: nn.Module, size: int = 8) -> nn.Module:
    body = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), pool)
    features = body(torch.zeros(1, 1, size, size)).numel()
    return nn.Sequential(*body, nn.Flatten(), nn.Linear(features, 10)).eval()


@pytest.mark.parametrize(
    ("pool", "window"),
    [
        (nn.MaxPool2d(3, 2), {"pool_size": 3, "pool_stride": 2}),
        (nn.MaxPool2d(3, 2, ceil_mode=True), {"pool_size": 3, "pool_stride": 2, "pool_ceil": 1}),
        (nn.MaxPool2d(3, 2, padding=1), {"pool_size": 3, "pool_stride": 2, "pool_padding": 1}),
        (nn.MaxPool2d(3, 1, padding=1), {"pool_size": 3, "pool_stride": 1, "pool_padding": 1}),
        (nn.MaxPool2d(2, 1), {"pool_size": 2, "pool_stride": 1}),
        (nn.MaxPool2d(2), {"pool_size": 2}),
    ],
)
def test_compile_puts_the_pool_on_the_conv_layer(pool: nn.Module, window: dict[str, int]) -> None:
    torch.manual_seed(0)
    x = torch.rand(8, 1, 8, 8, generator=torch.Generator().manual_seed(0))
    design = e3ne.compile(_net(pool), x, timesteps=4, weight_bits=8)
    (engine,) = hw.engines(design.module)
    conv = engine.layers()[0]
    assert isinstance(conv, hw.ConvLayerOp)
    got = {name: value for name, value in conv.fields().items() if name.startswith("pool_") and name != "pool_mode"}
    assert got == window
    k, s = window["pool_size"], window.get("pool_stride", window["pool_size"])
    assert engine.derived_params()["PBANKS"] == schema.pool_banks(k, s)
    # the interpreter on the snn module and on the hardware layers' own reading of it agree
    np.testing.assert_array_equal(design.predict(x.numpy()), interpreters.predict(design.snn, x.numpy()))


def test_torch_import_keeps_ceil_mode() -> None:
    x = torch.rand(2, 1, 8, 8, generator=torch.Generator().manual_seed(1))
    design = e3ne.compile(_net(nn.MaxPool2d(3, 2, ceil_mode=True)), x, timesteps=4, weight_bits=8)
    pools_ = [op for op in main_function(design.snn).body.block.ops if isinstance(op, snn.MaxPool2dOp)]
    assert len(pools_) == 1 and pools_[0].is_ceil_mode()
    assert pools_[0].output.type.get_shape()[2:] == (4, 4)  # floor mode: 3 x 3


@pytest.mark.parametrize(
    ("pool", "message"),
    [
        (nn.AvgPool2d(2, 2, ceil_mode=True), "not supported: average pooling with ceil_mode=True"),
        (nn.MaxPool2d((3, 2), 2), "not supported: snn.max_pool2d with kernel 3x2, stride [2, 2], padding [0, 0]"),
        (nn.MaxPool2d(2, 3), "not supported: snn.max_pool2d with kernel 2x2, stride [3, 3], padding [0, 0]"),
    ],
)
def test_pools_the_engine_does_not_run(pool: nn.Module, message: str) -> None:
    x = torch.rand(2, 1, 8, 8, generator=torch.Generator().manual_seed(2))
    with pytest.raises(E3neError, match="error: 2 \\(.*Pool2d\\): " + message.replace("[", "\\[")) as raised:
        e3ne.compile(_net(pool), x, timesteps=4, weight_bits=8)
    assert "\n" not in str(raised.value)


def _hw_layer(**pool: int) -> str:
    props = ", ".join(f"{k} = {v} : i64" for k, v in pool.items())
    return (
        'e3ne_hw.conv_layer "conv1" {weight = dense<1> : tensor<1x1x1x1xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, '
        "src_base = 0 : i64, dst_base = 0 : i64, c_in = 1 : i64, h_in = 6 : i64, w_in = 6 : i64, kh = 1 : i64, "
        "kw = 1 : i64, sh = 1 : i64, sw = 1 : i64, ph = 0 : i64, pw = 0 : i64, c_out = 1 : i64, h_out = 6 : i64, "
        "w_out = 6 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, pool_mode = #e3ne_hw.pool<{mode}>, "
        "pool_size = 3 : i64, w_base = 0 : i64, b_base = 0 : i64, raw = 0 : i64, slots = 1 : i64, weight_bits = 3 : i64, "
        f"acc_bits = 6 : i64, {props}}}"
    )


@pytest.mark.parametrize(
    ("mode", "pool", "error"),
    [
        ("max", {"pool_stride": 2, "pool_padding": 1, "pool_ceil": 1}, None),
        ("max", {"pool_stride": 4}, "pool_stride <= pool_size and 2 * pool_padding <= pool_size"),
        ("max", {"pool_padding": 2}, "pool_stride <= pool_size and 2 * pool_padding <= pool_size"),
        ("avg", {"pool_stride": 1}, "only max pooling has pool_stride, pool_padding or pool_ceil"),
    ],
)
def test_hw_conv_layer_verifies_the_pooling(mode: str, pool: dict[str, int], error: str | None) -> None:
    text = _hw_layer(**pool).replace("{mode}", mode)
    if mode == "avg":  # a power-of-two window
        text = text.replace("pool_size = 3", "pool_size = 2")
    module = parse_module("builtin.module {\n" + text + "\n}")
    (layer,) = [op for op in module.walk() if isinstance(op, hw.ConvLayerOp)]
    if error is None:
        layer.verify_part()
        assert layer.stored_shape() == (1, 4, 4)  # ceil((6 + 2 - 3) / 2) + 1; floor mode: 3
        return
    with pytest.raises(Exception, match=error.replace("*", "\\*")):
        layer.verify_part()
