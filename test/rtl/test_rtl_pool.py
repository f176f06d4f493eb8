"""Overlapping max pooling on the conv output path (docs/hardware.md 3): windows K x K with stride
S <= K, padding and PyTorch's ceil_mode, on e3ne_core builds with several line buffer banks
(PBANKS), against the integer reference.

As in test_rtl_slots: one conv layer (or a short program) per run, the stored words compared bit
for bit (zeros past the stored width included), each written once, and the cycle count equal to
e3ne.engine.cycles.program_cycles exactly. The layers pool with one unit and with several, with
channel slots and with several column tiles, and a hypothesis test draws (K, S, p, ceil_mode) and
the map's size at random.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rtlsim import (
    ConvLayer,
    CoreParams,
    Images,
    add_conv,
    add_linear,
    check_hidden,
    conv_bound,
    junk_words,
    random_bias,
    random_linear,
    random_shift,
    random_weights,
    run,
    verilator_build,
)
from torch import nn

import e3ne
from e3ne.dialects.snn import window_output_size
from e3ne.engine import images as img
from e3ne.engine import schema
from e3ne.engine.cycles import program_cycles
from e3ne.engine.schema import PoolMode

BUILDS = {
    # two units of 7 lanes, slot counts 1 .. 3, windows up to 4 (3 banks: 3x3 / 1)
    "pool3": CoreParams(CU=2, COLS=7, SLOTS=3, SLOT_SET=0b1110, PKMAX=4, PBANKS=3, LANES=4, ADEPTH=512),
    # one unit, windows up to 5 with stride 2 at most 3 open (5x5 / 2), one slot count
    "pool5": CoreParams(CU=1, COLS=6, PKMAX=5, PBANKS=3, LANES=3, ADEPTH=512),
}


@functools.cache
def _binary(name: str) -> Path:
    return verilator_build(BUILDS[name])


def _pooled_shape(layer: ConvLayer, shape: tuple[int, int, int]) -> tuple[int, int, int]:
    _, h, w = shape
    k = layer.weight.shape[2]
    (sh, sw), (ph, pw) = layer.stride, layer.padding
    window = layer.pool_window()
    h_out, w_out = window_output_size(h, k, sh, ph), window_output_size(w, k, sw, pw)
    return layer.weight.shape[0], schema.pool_output_size(h_out, *window), schema.pool_output_size(w_out, *window)


def _check_conv(tmp_path: Path, name: str, layer: ConvLayer, shape: tuple[int, int, int], seed: int) -> dict[str, int]:
    p = BUILDS[name]
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 1 << layer.t_in, size=shape)
    if seed % 3 == 0:  # zeros: the padding's code 0 ties with real codes
        codes[rng.random(shape) < 0.5] = 0
    src_base, dst_base = int(rng.integers(0, 20)), int(rng.integers(0, 100))
    images = Images(p)
    desc = add_conv(images, layer, shape, src_base=src_base, dst_base=dst_base)
    inputs = junk_words(rng, p, src_base) + img.act_rows(codes, p.TMAX, p.ROWW)
    result = run(_binary(name), images, tmp_path, inputs, seed=seed + 1)
    want = layer.reference(codes)
    assert want.shape == _pooled_shape(layer, shape)
    what = f"{desc}"
    assert result.writes == check_hidden(result.bank(p, 1), dst_base, want, p, what), what
    assert result.cycles == program_cycles([desc], p.asdict()), what
    return desc


def _layer(
    rng: np.random.Generator,
    name: str,
    c: int,
    o: int,
    k: int,
    stride: int,
    padding: int,
    pool: tuple[int, int, int, bool],
    slots: int = 1,
) -> ConvLayer:
    p = BUILDS[name]
    t_in, t_out = int(rng.integers(1, p.TMAX + 1)), int(rng.integers(2, p.TMAX + 1))
    weight = random_weights(rng, (o, c, k, k), p.WB)
    bias = random_bias(rng, o)
    shift = random_shift(rng, conv_bound(weight, bias, t_in), t_out)
    pk, ps, pp, ceil = pool
    s, pad = (stride, stride), (padding, padding)
    return ConvLayer(weight, bias, s, pad, t_in, t_out, shift, PoolMode.MAX, pk, slots, False, ps, pp, ceil)


CASES = {
    # name: build, slots, input shape, c_out, conv k / stride / padding, pool (K, S, p, ceil_mode)
    "3x3s2": ("pool3", 1, (2, 9, 9), 3, 3, 1, 1, (3, 2, 0, False)),
    "3x3s2-ceil": ("pool3", 1, (2, 8, 8), 4, 3, 1, 1, (3, 2, 0, True)),  # one more window row and column
    "3x3s2-pad1": ("pool3", 1, (1, 8, 8), 2, 3, 1, 1, (3, 2, 1, False)),
    "3x3s1-pad1": ("pool3", 1, (2, 7, 7), 5, 3, 1, 1, (3, 1, 1, False)),  # three banks, two rows end last
    "2x2s1": ("pool3", 1, (1, 6, 9), 3, 1, 1, 0, (2, 1, 0, False)),
    "3x3s2-pad1-ceil": ("pool3", 1, (1, 9, 9), 2, 3, 1, 1, (3, 2, 1, True)),
    "3x3s2-tiles": ("pool3", 1, (1, 6, 16), 3, 3, 1, 1, (3, 2, 1, True)),  # 16 wide: 3 column tiles
    "3x3s2-slots2": ("pool3", 2, (2, 6, 3), 7, 1, 1, 0, (3, 2, 1, True)),  # 2 slots of 3 lanes
    "3x3s1-slots3": ("pool3", 3, (1, 5, 2), 9, 1, 1, 0, (3, 1, 1, False)),  # 3 slots of 2 lanes
    "2x2s1-slots3-ceil": ("pool3", 3, (2, 4, 2), 5, 1, 1, 0, (2, 1, 1, True)),
    "5x5s2-pad2": ("pool5", 1, (1, 9, 9), 2, 3, 1, 1, (5, 2, 2, False)),
    "5x5s2-ceil": ("pool5", 1, (2, 10, 8), 3, 3, 1, 1, (5, 2, 0, True)),
    "4x4s3-pad2-ceil": ("pool5", 1, (1, 9, 7), 2, 1, 1, 0, (4, 3, 2, True)),
    "5x5s5": ("pool5", 1, (1, 10, 10), 2, 1, 1, 0, (5, 5, 0, False)),  # non-overlapping, odd window
}


@pytest.mark.parametrize("case", list(CASES))
def test_overlapping_max_pool(tmp_path: Path, case: str) -> None:
    name, slots, shape, o, k, stride, padding, pool = CASES[case]
    rng = np.random.default_rng(len(case) * 7 + 1)
    layer = _layer(rng, name, shape[0], o, k, stride, padding, pool, slots)
    desc = _check_conv(tmp_path, name, layer, shape, len(case))
    assert desc["slots"] == slots


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.data(),
    name=st.sampled_from(list(BUILDS)),
    seed=st.integers(0, 1 << 16),
)
def test_random_pool(tmp_path: Path, data: st.DataObject, name: str, seed: int) -> None:
    """Random (K, S, p, ceil_mode) and map size through the RTL, one or several slots."""
    p = BUILDS[name]
    k = data.draw(st.integers(1, p.PKMAX), label="K")
    s = data.draw(st.integers(max(1, -(-k // p.PBANKS)), k), label="S")  # at most PBANKS window rows open
    pad = data.draw(st.integers(0, k // 2), label="p")
    ceil = data.draw(st.booleans(), label="ceil_mode")
    slots = data.draw(st.sampled_from(schema.slot_counts(p.SLOT_SET)), label="slots")
    widest = p.COLS // slots if slots > 1 else p.ROWW
    h = data.draw(st.integers(max(1, k - 2 * pad), 9), label="h")
    assume(k - 2 * pad <= widest)  # a window fits the slot's padded row
    w = data.draw(st.integers(max(1, k - 2 * pad), widest), label="w")
    assume(schema.pool_output_size(w, k, s, pad, ceil) <= p.ROWW)  # the pooled row fits a word
    c = data.draw(st.integers(1, 2), label="c")
    o = data.draw(st.integers(1, 2 * p.CU * slots + 1), label="c_out")
    rng = np.random.default_rng(seed)
    layer = _layer(rng, name, c, o, 1, 1, 0, (k, s, pad, ceil), slots)
    _check_conv(tmp_path, name, layer, (c, h, w), seed)


def test_pool_program(tmp_path: Path) -> None:
    """conv + 3x3/2 ceil pool -> conv + 3x3/1 pad 1 pool (2 slots) -> linear (raw): the stride, padding
    and banks change from layer to layer, and the next layer reads the pooled map."""
    name = "pool3"
    p = BUILDS[name]
    rng = np.random.default_rng(11)
    shape = (1, 12, 12)
    conv1 = _layer(rng, name, 1, 3, 3, 1, 1, (3, 2, 0, True))  # (3, 12, 12) -> (3, 6, 6)
    conv2 = _layer(rng, name, 3, 5, 3, 2, 1, (3, 1, 1, False), slots=2)  # (5, 3, 3) -> (5, 3, 3)
    conv2 = ConvLayer(conv2.weight, conv2.bias, conv2.stride, conv2.padding, conv1.t_out, conv2.t_out,
                      random_shift(rng, conv_bound(conv2.weight, conv2.bias, conv1.t_out), conv2.t_out),
                      PoolMode.MAX, 3, 2, False, 1, 1, False)  # fmt: skip
    codes = rng.integers(0, 1 << conv1.t_in, size=shape)
    a1 = conv1.reference(codes)
    a2 = conv2.reference(a1)
    assert a1.shape == (3, 6, 6) and a2.shape == (5, 3, 3)
    lin = random_linear(rng, p, a2.size, conv2.t_out, raw=True)
    images = Images(p)
    descs = [
        add_conv(images, conv1, shape, src_bank=0, dst_bank=1, src_base=0, dst_base=3),
        add_conv(images, conv2, a1.shape, src_bank=1, dst_bank=0, src_base=3, dst_base=30),  # pyright: ignore[reportArgumentType]
        add_linear(images, lin, a2.size, a2.shape[2], src_bank=0, dst_bank=1, src_base=30, dst_base=0),
    ]
    result = run(_binary(name), images, tmp_path, img.act_rows(codes, p.TMAX, p.ROWW), seed=3)
    stored = check_hidden(result.bank(p, 1), 3, a1, p, "conv1")
    stored += check_hidden(result.bank(p, 0), 30, a2, p, "conv2")
    assert result.writes == stored
    assert result.outputs == list(enumerate(int(v) for v in lin.reference(a2.reshape(-1))))
    assert result.cycles == program_cycles(descs, p.asdict())


def _network(pool: nn.Module) -> nn.Module:
    body = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), pool)
    features = body(torch.zeros(1, 1, 8, 8)).numel()
    return nn.Sequential(*body, nn.Flatten(), nn.Linear(features, 10)).eval()


@pytest.mark.parametrize(
    "pool",
    [nn.MaxPool2d(3, 2), nn.MaxPool2d(3, 2, padding=1, ceil_mode=True), nn.MaxPool2d(3, 1, padding=1)],
    ids=["3x3s2", "3x3s2-pad1-ceil", "3x3s1-pad1"],
)
def test_compiled_network(tmp_path: Path, pool: nn.Module) -> None:
    """From PyTorch (the network of issue 14: AlexNet's MaxPool2d(3, 2) after a conv) through e3ne.compile
    and Verilator: every logit equals the interpreter's, the cycles the exact model's."""
    torch.manual_seed(0)
    x = torch.rand(12, 1, 8, 8, generator=torch.Generator().manual_seed(0))
    design = e3ne.compile(_network(pool), x, timesteps=4, weight_bits=8)
    design.write(tmp_path)
    report = design.simulate(x.numpy())
    assert report.ok, report.summary()
    assert report.cycles.tolist() == [design.cycles_per_image()] * len(x)
