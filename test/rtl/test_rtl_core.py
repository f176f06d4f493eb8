"""The whole e3ne_core against the integer reference: random layers and small programs.

Each case builds memory images and a layer program with e3ne.engine (the one descriptor builder
prepare-verilog uses, rtlsim.Images.add), loads the
input codes through the load port, runs the core in Verilator and compares, bit for bit, the
words the layer wrote into the activation memory (hidden layers: whole words, so the zeros past
the stored width are checked too) or the raw output stream (last layer) with e3ne.reference.
The measured cycle count must equal e3ne.engine.cycles.program_cycles exactly, and the number of
activation writes the number of stored words (no write of a channel past c_out, none twice).
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest
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

from e3ne.engine import images as img
from e3ne.engine.cycles import program_cycles
from e3ne.engine.schema import PoolMode

PARAMS = {
    "cu2": CoreParams(CU=2, COLS=5, LANES=4),
    "cu3": CoreParams(CU=3, COLS=4, LANES=7),
}


@functools.cache
def _binary(name: str) -> Path:
    return verilator_build(PARAMS[name])


def _random_conv(rng: np.random.Generator, p: CoreParams) -> tuple[ConvLayer, tuple[int, int, int]]:
    while True:
        c, h, w = int(rng.integers(1, 5)), int(rng.integers(3, 13)), int(rng.integers(3, 13))
        k = int(rng.integers(1, 6))
        stride = (int(rng.integers(1, 3)), int(rng.integers(1, 3)))
        padding = (int(rng.integers(0, 3)), int(rng.integers(0, 3)))
        h_out = (h + 2 * padding[0] - k) // stride[0] + 1
        w_out = (w + 2 * padding[1] - k) // stride[1] + 1
        if h_out >= 1 and w_out >= 1 and w_out <= p.ROWW:
            break
    t_in, t_out = int(rng.integers(1, p.TMAX + 1)), int(rng.integers(1, p.TMAX + 1))
    o = int(rng.integers(1, 10))
    weight = random_weights(rng, (o, c, k, k), p.WB)
    bias = random_bias(rng, o)
    pool_mode = int(rng.integers(0, 3)) if min(h_out, w_out) >= 2 else PoolMode.NONE
    layer = ConvLayer(
        weight, bias, stride, padding, t_in, t_out, random_shift(rng, conv_bound(weight, bias, t_in), t_out),
        pool_mode, 2 if pool_mode else 1,
    )  # fmt: skip
    return layer, (c, h, w)


@pytest.mark.parametrize("name", list(PARAMS))
@pytest.mark.parametrize("seed", range(40))
def test_conv_layer(tmp_path: Path, name: str, seed: int) -> None:
    rng = np.random.default_rng(1000 + seed)
    layer, shape = _random_conv(rng, PARAMS[name])
    _check_conv(tmp_path, name, layer, shape, rng, seed)


EDGE_CASES = {
    # shape, c_out, k, stride, padding, t_in, t_out, pool_mode
    "one-step-rows": ((1, 3, 16), 3, 1, (1, 1), (0, 0), 1, 1, PoolMode.NONE),  # N = 1: output-bound, 4 tiles
    "one-step-maxpool": ((1, 5, 15), 2, 1, (1, 1), (0, 0), 1, 2, PoolMode.MAX),  # odd sizes, leftover row/column
    "kernel-over-input": ((2, 3, 3), 4, 5, (1, 1), (2, 2), 3, 3, PoolMode.NONE),
    "padding-only-taps": ((1, 5, 5), 1, 1, (2, 2), (2, 2), 2, 2, PoolMode.AVG),  # rows/columns of pure padding
    "one-partial-group": ((3, 12, 12), 1, 3, (2, 1), (1, 2), 8, 8, PoolMode.MAX),
    "large": ((4, 12, 12), 9, 5, (1, 2), (0, 1), 8, 1, PoolMode.NONE),
}


@pytest.mark.parametrize("name", list(PARAMS))
@pytest.mark.parametrize("case", list(EDGE_CASES))
def test_conv_edge_case(tmp_path: Path, name: str, case: str) -> None:
    p = PARAMS[name]
    shape, o, k, stride, padding, t_in, t_out, pool_mode = EDGE_CASES[case]
    rng = np.random.default_rng(len(case))
    weight = random_weights(rng, (o, shape[0], k, k), p.WB)
    bias = random_bias(rng, o)
    shift = random_shift(rng, conv_bound(weight, bias, t_in), t_out)
    layer = ConvLayer(weight, bias, stride, padding, t_in, t_out, shift, pool_mode, 2 if pool_mode else 1)
    _check_conv(tmp_path, name, layer, shape, rng, 5)


def _check_conv(
    tmp_path: Path, name: str, layer: ConvLayer, shape: tuple[int, int, int], rng: np.random.Generator, seed: int
) -> None:
    p = PARAMS[name]
    codes = rng.integers(0, 1 << layer.t_in, size=shape)
    src_base, dst_base = int(rng.integers(0, 20)), int(rng.integers(0, 100))
    images = Images(p)
    desc = add_conv(images, layer, shape, src_base=src_base, dst_base=dst_base)
    inputs = junk_words(rng, p, src_base) + img.act_rows(codes, p.TMAX, p.ROWW)
    result = run(_binary(name), images, tmp_path, inputs, seed=seed + 1)
    what = f"{desc}"
    assert result.writes == check_hidden(result.bank(p, 1), dst_base, layer.reference(codes), p, what), what
    assert result.cycles == program_cycles([desc], p.asdict()), what


@pytest.mark.parametrize("name", list(PARAMS))
@pytest.mark.parametrize("seed", range(20))
def test_linear_layer(tmp_path: Path, name: str, seed: int) -> None:
    p = PARAMS[name]
    rng = np.random.default_rng(2000 + seed)
    t_in = int(rng.integers(1, p.TMAX + 1))
    if seed % 2:  # a feature vector, ROWW codes per word
        f_in = int(rng.integers(1, 49))
        codes = rng.integers(0, 1 << t_in, size=f_in)
        row_width = p.ROWW
    else:  # a (C, H, W) map read in flatten order
        shape = (int(rng.integers(1, 4)), int(rng.integers(1, 5)), int(rng.integers(1, 7)))
        codes = rng.integers(0, 1 << t_in, size=shape)
        f_in, row_width = codes.size, shape[2]
    layer = random_linear(rng, p, f_in, t_in, raw=seed % 4 >= 2)
    src_base, dst_base = int(rng.integers(0, 20)), int(rng.integers(0, 100))
    images = Images(p)
    desc = add_linear(images, layer, f_in, row_width, src_base=src_base, dst_base=dst_base)
    inputs = junk_words(rng, p, src_base) + img.act_rows(codes, p.TMAX, p.ROWW)
    result = run(_binary(name), images, tmp_path, inputs, seed=seed + 1)
    want = layer.reference(codes.reshape(-1))
    what = f"{desc}"
    if layer.raw:
        assert result.outputs == list(enumerate(int(v) for v in want)), what
        assert result.writes == 0
    else:
        assert result.outputs == []
        assert result.writes == check_hidden(result.bank(p, 1), dst_base, want, p, what), what
    assert result.cycles == program_cycles([desc], p.asdict()), what


@pytest.mark.parametrize("name", list(PARAMS))
@pytest.mark.parametrize("seed", range(4))
def test_conv_then_linear(tmp_path: Path, name: str, seed: int) -> None:
    """conv -> conv -> linear -> linear (raw), a small LeNet; the banks alternate."""
    p = PARAMS[name]
    rng = np.random.default_rng(3000 + seed)
    t = [int(rng.integers(2, p.TMAX + 1)) for _ in range(4)]
    shape = (int(rng.integers(1, 3)), 10, 10)
    conv1 = ConvLayer(
        random_weights(rng, (4, shape[0], 3, 3), p.WB), random_bias(rng, 4), (1, 1), (1, 1), t[0], t[1], 0, 1, 2
    )
    conv1.shift = random_shift(rng, conv_bound(conv1.weight, conv1.bias, t[0]), t[1])
    conv2 = ConvLayer(random_weights(rng, (5, 4, 3, 3), p.WB), random_bias(rng, 5), (1, 1), (0, 0), t[1], t[2], 0, 2, 2)
    conv2.shift = random_shift(rng, conv_bound(conv2.weight, conv2.bias, t[1]), t[2])
    codes = rng.integers(0, 1 << t[0], size=shape)
    a1 = conv1.reference(codes)  # (4, 5, 5)
    a2 = conv2.reference(a1)  # (5, 1, 1)
    lin1 = random_linear(rng, p, a2.size, t[2], raw=False)
    a3 = lin1.reference(a2.reshape(-1))
    lin2 = random_linear(rng, p, a3.size, lin1.t_out, raw=True)
    a4 = lin2.reference(a3)

    images = Images(p)
    descs = [
        add_conv(images, conv1, shape, src_bank=0, dst_bank=1, src_base=0, dst_base=7),
        add_conv(images, conv2, a1.shape, src_bank=1, dst_bank=0, src_base=7, dst_base=3),  # pyright: ignore[reportArgumentType]
        add_linear(images, lin1, a2.size, a2.shape[2], src_bank=0, dst_bank=1, src_base=3, dst_base=50),
        add_linear(images, lin2, a3.size, p.ROWW, src_bank=1, dst_bank=0, src_base=50, dst_base=0),
    ]
    result = run(_binary(name), images, tmp_path, img.act_rows(codes, p.TMAX, p.ROWW), seed=seed + 1)
    stored = check_hidden(result.bank(p, 1), 7, a1, p, "conv1")
    stored += check_hidden(result.bank(p, 0), 3, a2, p, "conv2")
    stored += check_hidden(result.bank(p, 1), 50, a3, p, "linear1")
    assert result.writes == stored
    assert result.outputs == list(enumerate(int(v) for v in a4))
    assert result.cycles == program_cycles(descs, p.asdict())


@pytest.mark.parametrize("seed", range(4))
def test_linear_then_linear(tmp_path: Path, seed: int) -> None:
    """linear (hidden) -> linear (raw) on a core without a conv engine."""
    p = CoreParams(HAS_CONV=0, LANES=5, TMAX=6, ROWW=8)
    rng = np.random.default_rng(4000 + seed)
    t_in = int(rng.integers(1, p.TMAX + 1))
    f_in = int(rng.integers(1, 40))
    codes = rng.integers(0, 1 << t_in, size=f_in)
    lin1 = random_linear(rng, p, f_in, t_in, raw=False)
    a1 = lin1.reference(codes)
    lin2 = random_linear(rng, p, a1.size, lin1.t_out, raw=True)
    images = Images(p)
    descs = [
        add_linear(images, lin1, f_in, p.ROWW, src_bank=0, dst_bank=1, src_base=0, dst_base=9),
        add_linear(images, lin2, a1.size, p.ROWW, src_bank=1, dst_bank=0, src_base=9, dst_base=0),
    ]
    result = run(verilator_build(p), images, tmp_path, img.act_rows(codes, p.TMAX, p.ROWW), seed=seed + 1)
    assert result.writes == check_hidden(result.bank(p, 1), 9, a1, p, "linear1")
    assert result.outputs == list(enumerate(int(v) for v in lin2.reference(a1)))
    assert result.cycles == program_cycles(descs, p.asdict())
