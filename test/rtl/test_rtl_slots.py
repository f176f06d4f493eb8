"""Channel slots (docs/hardware.md 3): conv layers that put S output channels side by side in a
unit's lanes, on e3ne_core builds with SLOTS > 1, against the integer reference.

As in test_rtl_core: images and descriptors from e3ne.engine (rtlsim.Images.add), the stored
words compared bit for bit (zeros past the stored width included), each written once (no channel
past c_out), and the cycle count equal to e3ne.engine.cycles.program_cycles exactly. The builds' slot counts include ones that do not
divide COLS (idle lanes), a set without 3 (a gap), and a set without 1 (every conv layer slotted).
"""

from __future__ import annotations

import functools
import subprocess
from importlib import resources
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

from e3ne.dialects.snn import window_output_size
from e3ne.engine import images as img
from e3ne.engine import schema
from e3ne.engine.cycles import program_cycles
from e3ne.engine.schema import PoolMode

BUILDS = {
    # S = 2 and 3 leave one of 7 lanes idle
    "slots3": (CoreParams(CU=2, COLS=7, SLOTS=3, SLOT_SET=0b1110, LANES=4, ADEPTH=512), (1, 2, 3)),
    # S in {1, 2, 4}: 3 is not built; S = 2 and 4 leave one of 9 lanes idle
    "slots4": (CoreParams(CU=3, COLS=9, SLOTS=4, SLOT_SET=0b10110, LANES=5, ADEPTH=512), (1, 2, 4)),
    # one unit, S in {2, 5} only: every layer slotted, 1-wide slots
    "slots-only": (CoreParams(CU=1, COLS=5, SLOTS=5, SLOT_SET=0b100100, LANES=3, ADEPTH=512), (2, 5)),
}


@functools.cache
def _binary(name: str) -> Path:
    return verilator_build(BUILDS[name][0])


def _random_slotted_conv(rng: np.random.Generator, p: CoreParams, slots: int) -> tuple[ConvLayer, tuple[int, int, int]]:
    """A random conv layer of ``slots`` slots: for S > 1 its output row fits a slot (w_out <= COLS // S)."""
    widest = p.COLS // slots if slots > 1 else p.ROWW
    while True:
        c, h = int(rng.integers(1, 5)), int(rng.integers(1, 11))
        k = int(rng.integers(1, 6))
        stride = (int(rng.integers(1, 3)), int(rng.integers(1, 3)))
        padding = (int(rng.integers(0, 3)), int(rng.integers(0, 3)))
        w = int(rng.integers(1, min(p.ROWW, widest * stride[1] + k - 1) + 1))
        h_out = window_output_size(h, k, stride[0], padding[0])
        w_out = window_output_size(w, k, stride[1], padding[1])
        if h_out >= 1 and 1 <= w_out <= widest:
            break
    t_in, t_out = int(rng.integers(1, p.TMAX + 1)), int(rng.integers(1, p.TMAX + 1))
    o = int(rng.integers(1, 2 * p.CU * slots + 3))  # one to three groups, the last often partial
    weight = random_weights(rng, (o, c, k, k), p.WB)
    bias = random_bias(rng, o)
    pool_mode = int(rng.integers(0, 3)) if min(h_out, w_out) >= 2 else PoolMode.NONE
    shift = random_shift(rng, conv_bound(weight, bias, t_in), t_out)
    layer = ConvLayer(weight, bias, stride, padding, t_in, t_out, shift, pool_mode, 2 if pool_mode else 1, slots)
    return layer, (c, h, w)


def _check_conv(tmp_path: Path, name: str, layer: ConvLayer, shape: tuple[int, int, int], seed: int) -> None:
    p = BUILDS[name][0]
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 1 << layer.t_in, size=shape)
    src_base, dst_base = int(rng.integers(0, 20)), int(rng.integers(0, 100))
    images = Images(p)
    desc = add_conv(images, layer, shape, src_base=src_base, dst_base=dst_base)
    inputs = junk_words(rng, p, src_base) + img.act_rows(codes, p.TMAX, p.ROWW)
    result = run(_binary(name), images, tmp_path, inputs, seed=seed + 1)
    what = f"{desc}"
    assert result.writes == check_hidden(result.bank(p, 1), dst_base, layer.reference(codes), p, what), what
    assert result.cycles == program_cycles([desc], p.asdict()), what


@pytest.mark.parametrize("name", list(BUILDS))
@pytest.mark.parametrize("seed", range(30))
def test_slotted_conv_layer(tmp_path: Path, name: str, seed: int) -> None:
    p, choices = BUILDS[name]
    rng = np.random.default_rng(5000 + seed)
    slots = choices[seed % len(choices)]
    layer, shape = _random_slotted_conv(rng, p, slots)
    _check_conv(tmp_path, name, layer, shape, seed)


EDGE_CASES = {
    # build, slots, input shape, c_out, k, stride, padding, t_in, t_out, pool_mode
    "one-wide-rows": ("slots3", 3, (2, 6, 1), 6, 1, (1, 1), (0, 0), 3, 4, PoolMode.NONE),  # one full group
    "one-wide-slots": ("slots-only", 5, (1, 4, 3), 7, 3, (1, 1), (1, 0), 2, 3, PoolMode.NONE),  # SW = 1, CU = 1
    "odd-width-maxpool": ("slots3", 2, (3, 6, 3), 9, 3, (1, 1), (1, 1), 4, 4, PoolMode.MAX),  # empty last slot
    "empty-slots-avgpool": ("slots3", 3, (1, 5, 4), 3, 3, (1, 1), (1, 0), 5, 5, PoolMode.AVG),  # 1.5 of 3 slots
    "one-step": ("slots3", 3, (1, 4, 2), 13, 1, (1, 1), (0, 0), 1, 2, PoolMode.MAX),  # output-bound
    "unslotted-tiles": ("slots3", 1, (1, 5, 15), 5, 1, (1, 1), (0, 0), 2, 2, PoolMode.MAX),  # S = 1: 3 tiles
    "gap-slots": ("slots4", 4, (2, 7, 3), 11, 3, (2, 2), (1, 1), 3, 3, PoolMode.AVG),  # SW = 2, 1 idle lane
    "slots2-stride": ("slots4", 2, (2, 6, 6), 7, 2, (1, 2), (0, 1), 4, 2, PoolMode.MAX),  # SW = 4, 1 idle lane
}


@pytest.mark.parametrize("case", list(EDGE_CASES))
def test_slotted_conv_edge_case(tmp_path: Path, case: str) -> None:
    name, slots, shape, o, k, stride, padding, t_in, t_out, pool_mode = EDGE_CASES[case]
    p = BUILDS[name][0]
    rng = np.random.default_rng(len(case))
    weight = random_weights(rng, (o, shape[0], k, k), p.WB)
    bias = random_bias(rng, o)
    shift = random_shift(rng, conv_bound(weight, bias, t_in), t_out)
    layer = ConvLayer(weight, bias, stride, padding, t_in, t_out, shift, pool_mode, 2 if pool_mode else 1, slots)
    _check_conv(tmp_path, name, layer, shape, len(case))


@pytest.mark.parametrize("name", ["slots3", "slots4"])
@pytest.mark.parametrize("seed", range(3))
def test_mixed_program(tmp_path: Path, name: str, seed: int) -> None:
    """conv (S = 1, tiles) -> conv (S = SLOTS) -> conv (S = 2) -> linear -> linear (raw): the slot
    count changes from layer to layer, and so do the bias registers' rows and the lanes."""
    p, choices = BUILDS[name]
    rng = np.random.default_rng(6000 + seed)
    t = [int(rng.integers(2, p.TMAX + 1)) for _ in range(5)]
    shape = (int(rng.integers(1, 3)), 12, 12)

    def conv(o: int, c: int, k: int, stride: int, pad: int, t_in: int, t_out: int, pool: int, slots: int):
        weight = random_weights(rng, (o, c, k, k), p.WB)
        bias = random_bias(rng, o)
        shift = random_shift(rng, conv_bound(weight, bias, t_in), t_out)
        size = 2 if pool else 1
        return ConvLayer(weight, bias, (stride, stride), (pad, pad), t_in, t_out, shift, pool, size, slots)

    conv1 = conv(4, shape[0], 3, 1, 1, t[0], t[1], PoolMode.MAX, 1)  # 12 wide: 2 tiles; pooled (4, 6, 6)
    conv2 = conv(2 * p.CU * max(choices) - 1, 4, 3, 2, 0, t[1], t[2], PoolMode.NONE, max(choices))  # (., 2, 2)
    conv3 = conv(p.CU * 2 + 1, conv2.weight.shape[0], 1, 1, 0, t[2], t[3], PoolMode.NONE, 2)  # (., 2, 2)
    codes = rng.integers(0, 1 << t[0], size=shape)
    a1 = conv1.reference(codes)
    a2 = conv2.reference(a1)
    a3 = conv3.reference(a2)
    lin1 = random_linear(rng, p, a3.size, t[3], raw=False)
    a4 = lin1.reference(a3.reshape(-1))
    lin2 = random_linear(rng, p, a4.size, lin1.t_out, raw=True)

    images = Images(p)
    descs = [
        add_conv(images, conv1, shape, src_bank=0, dst_bank=1, src_base=0, dst_base=5),
        add_conv(images, conv2, a1.shape, src_bank=1, dst_bank=0, src_base=5, dst_base=40),  # pyright: ignore[reportArgumentType]
        add_conv(images, conv3, a2.shape, src_bank=0, dst_bank=1, src_base=40, dst_base=90),  # pyright: ignore[reportArgumentType]
        add_linear(images, lin1, a3.size, a3.shape[2], src_bank=1, dst_bank=0, src_base=90, dst_base=200),
        add_linear(images, lin2, a4.size, p.ROWW, src_bank=0, dst_bank=1, src_base=200, dst_base=0),
    ]
    assert [d["slots"] for d in descs[:3]] == [1, max(choices), 2] and descs[0]["col_tiles"] > 1
    result = run(_binary(name), images, tmp_path, img.act_rows(codes, p.TMAX, p.ROWW), seed=seed + 1)
    stored = check_hidden(result.bank(p, 0), 40, a2, p, "conv2")
    stored += check_hidden(result.bank(p, 0), 200, a4, p, "linear1")
    stored += check_hidden(result.bank(p, 1), 90, a3, p, "conv3")
    stored += check_hidden(result.bank(p, 1), 5, a1, p, "conv1")
    assert result.writes == stored  # each stored word once: no channel past c_out, no slot twice
    assert result.outputs == list(enumerate(int(v) for v in lin2.reference(a4)))
    assert result.cycles == program_cycles(descs, p.asdict())


def test_segments_match_python(tmp_path: Path) -> None:
    """rtl/e3ne_segments.vh cuts a unit's lanes into the same weight segments as
    e3ne.engine.schema.weight_segments, for random widths and slot sets (the ROM image is
    written by the one and read by the other)."""
    rng = np.random.default_rng(5)
    cases = [(7, 0b1110), (9, 0b10110), (84, 0b100001110), (64, (1 << 32) | (1 << 16) | 0b110), (84, (1 << 84) | 0b10)]
    for _ in range(12):
        cols = int(rng.integers(1, 97))
        counts = rng.choice(np.arange(1, cols + 1), size=int(rng.integers(1, 5)))
        cases.append((cols, sum(1 << int(n) for n in set(counts.tolist()))))
    lines = []
    for k, (cols, slot_set) in enumerate(cases):
        lines += [
            f'        for (x = 0; x <= {cols}; x = x + 1) $display("{k} %0d %0d", x, e3ne_segment({cols}, {cols + 1}\'h{slot_set:x}, x));'
        ]
    tb = tmp_path / "segments_tb.v"
    tb.write_text(
        "module segments_tb;\n    parameter SLOTS = 1;\n    parameter [SLOTS:0] SLOT_SET = 2;\n"
        '`include "e3ne_segments.vh"\n    integer x;\n    initial begin\n' + "\n".join(lines) + "\n    end\nendmodule\n"
    )
    binary = tmp_path / "segments_tb"
    include = Path(str(resources.files("e3ne.rtl")))
    subprocess.run(["iverilog", "-g2005", f"-I{include}", "-o", str(binary), str(tb)], check=True, timeout=60)
    out = subprocess.run(["vvp", "-n", str(binary)], check=True, capture_output=True, text=True, timeout=60).stdout
    got: dict[int, list[int]] = {}
    for line in out.split("\n"):
        if line.strip():
            k, _, seg = (int(v) for v in line.split())
            got.setdefault(k, []).append(seg)
    for k, (cols, slot_set) in enumerate(cases):
        segments = schema.weight_segments(cols, schema.slot_counts(slot_set))
        assert got[k][:cols] == schema.lane_segments(segments), (cols, bin(slot_set))
        assert got[k][cols] == len(segments), (cols, bin(slot_set))


DENSE_BUILDS = {
    # no linear engine: every layer on the conv units, up to one slot per lane (S = COLS)
    "dense2": CoreParams(CU=2, COLS=6, SLOTS=6, SLOT_SET=0b1001010, HAS_LINEAR=0, LANES=1, ADEPTH=512),
    "dense1": CoreParams(CU=1, COLS=7, SLOTS=7, SLOT_SET=0b10000010, HAS_LINEAR=0, LANES=1, ADEPTH=512),
}


@functools.cache
def _dense_binary(name: str) -> Path:
    return verilator_build(DENSE_BUILDS[name])


@pytest.mark.parametrize("name", list(DENSE_BUILDS))
@pytest.mark.parametrize("seed", range(4))
def test_linear_layers_on_conv_units(tmp_path: Path, name: str, seed: int) -> None:
    """conv (pooled) -> fully connected as a conv whose kernel is its whole input (one output
    position, one slot per lane) -> fully connected over (F, 1, 1) -> raw last layer on the output
    port, channel o at index o; on a core without the linear engine. Partial last groups (fewer
    channels than CU*S) end their slot walk early."""
    p = DENSE_BUILDS[name]
    rng = np.random.default_rng(7000 + seed)
    t = [int(rng.integers(2, p.TMAX + 1)) for _ in range(4)]
    shape = (int(rng.integers(1, 3)), int(rng.integers(6, 11)), int(rng.integers(6, 11)))

    def layer(o: int, c: int, kh: int, kw: int, t_in: int, t_out: int, pool: int, slots: int, raw: bool = False):
        weight = random_weights(rng, (o, c, kh, kw), p.WB)
        bias = random_bias(rng, o)
        shift = random_shift(rng, conv_bound(weight, bias, t_in), t_out)
        size = 2 if pool else 1
        return ConvLayer(weight, bias, (1, 1), (0, 0), t_in, t_out, shift, pool, size, slots, raw)

    conv = layer(int(rng.integers(2, 5)), shape[0], 3, 3, t[0], t[1], PoolMode.MAX, 1)
    codes = rng.integers(0, 1 << t[0], size=shape)
    a1 = conv.reference(codes)
    _, h1, w1 = a1.shape
    fc1 = layer(int(rng.integers(1, 3 * p.CU * p.COLS)), a1.shape[0], h1, w1, t[1], t[2], PoolMode.NONE, p.COLS)
    a2 = fc1.reference(a1)
    fc2 = layer(int(rng.integers(1, 2 * p.CU * p.COLS)), a2.shape[0], 1, 1, t[2], t[3], PoolMode.NONE, p.COLS)
    a3 = fc2.reference(a2)
    raw_slots = int(rng.choice([1, 3 if p.COLS % 3 == 0 else 1, p.COLS]))
    fc3 = layer(int(rng.integers(1, 12)), a3.shape[0], 1, 1, t[3], 1, PoolMode.NONE, raw_slots, raw=True)

    images = Images(p)
    descs = [
        add_conv(images, conv, shape, src_bank=0, dst_bank=1, src_base=0, dst_base=5),
        add_conv(images, fc1, a1.shape, src_bank=1, dst_bank=0, src_base=5, dst_base=60),  # pyright: ignore[reportArgumentType]
        add_conv(images, fc2, a2.shape, src_bank=0, dst_bank=1, src_base=60, dst_base=100),  # pyright: ignore[reportArgumentType]
        add_conv(images, fc3, a3.shape, src_bank=1, dst_bank=0, src_base=100, dst_base=0),  # pyright: ignore[reportArgumentType]
    ]
    assert [(d["h_out"], d["w_out"]) for d in descs[1:]] == [(1, 1)] * 3
    result = run(_dense_binary(name), images, tmp_path, img.act_rows(codes, p.TMAX, p.ROWW), seed=seed + 1)
    stored = check_hidden(result.bank(p, 0), 60, a2, p, "fc1")
    stored += check_hidden(result.bank(p, 1), 100, a3, p, "fc2")
    stored += check_hidden(result.bank(p, 1), 5, a1, p, "conv")
    assert result.writes == stored
    assert result.outputs == list(enumerate(int(v) for v in fc3.reference(a3).reshape(-1)))
    assert result.cycles == program_cycles(descs, p.asdict())
