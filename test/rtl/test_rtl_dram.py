"""Weights from DRAM (docs/hardware.md 2.6): e3ne_core with WDRAM = 1 against the integer reference.

The testbench's AXI memory model (tb_core.v's axi_rom_model) serves the DRAM image with a fixed
latency or a per-burst latency from its LFSR; each case checks the layers' words or logits bit for
bit, the cycles against e3ne.engine.cycles.program_cycles with the same DramTiming exactly, the
burst count against the model's, and that the master broke no AXI rule.
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
    SimResult,
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
from test_rtl_core import _random_conv  # pyright: ignore[reportPrivateUsage]

from e3ne.engine import images as img
from e3ne.engine.cycles import DramTiming, dram_bursts, program_cycles

BUILDS = {
    # conv words of 16 bits, linear 32, in one 64-bit beat; bursts of 16 beats
    "axi64": (CoreParams(CU=2, COLS=5, LANES=4), dict(AXIW=64, AXI_BURST=16, CWCACHE=256, LWCACHE=128)),
    # conv words of 24 bits and linear of 56 over 16-bit beats (2 and 4 beats a word), bursts of 8 beats
    "axi16": (CoreParams(CU=3, COLS=4, LANES=7), dict(AXIW=16, AXI_BURST=8, CWCACHE=256, LWCACHE=128)),
}
TIGHT = (CoreParams(CU=1, COLS=4, LANES=2), dict(AXIW=64, AXI_BURST=4, CWCACHE=32, LWCACHE=64))
"""Caches of exactly two groups and short bursts: the fetcher waits for free words, the engine for
its words (one-step rows and t_in = 1 take the words as fast as they come)."""
TIMINGS = {
    "fixed2": DramTiming(latency=2),
    "fixed40": DramTiming(latency=40, queue=2),
    "lfsr-a": DramTiming(latency=3, latency_mask=63, seed=0xACE1),
    "lfsr-b": DramTiming(latency=20, latency_mask=255, seed=7, queue=8),
}


def _dram_params(name: str) -> dict[str, int]:
    return {"WDRAM": 1, **_build(name)[1], "LW_DRAM": 32768}


def _build(name: str) -> tuple[CoreParams, dict[str, int]]:
    return TIGHT if name == "tight" else BUILDS[name]


@functools.cache
def _binary(name: str) -> Path:
    return verilator_build(_build(name)[0], dram=_dram_params(name))


def _run(name: str, images: Images, tmp_path: Path, inputs: list[int], timing: DramTiming, seed: int) -> SimResult:
    images.dram = _dram_params(name)
    plusargs = [f"+lat={timing.latency}", f"+latmask={timing.latency_mask}", f"+lfsr={timing.seed}",
                f"+qdepth={timing.queue}"]  # fmt: skip
    result = run(_binary(name), images, tmp_path, inputs, seed=seed, plusargs=plusargs)
    params = {**images.params.asdict(), **images.dram}
    assert result.axi_errors == 0
    assert result.bursts == dram_bursts(images.descs, params, timing)
    assert result.cycles == program_cycles(images.descs, params, timing), f"{images.descs}"
    assert result.cycles > program_cycles(images.descs, images.params.asdict())  # the first words' wait
    return result


@pytest.mark.parametrize("timing", list(TIMINGS))
@pytest.mark.parametrize("name", list(BUILDS))
@pytest.mark.parametrize("seed", range(6))
def test_conv_layer(tmp_path: Path, name: str, timing: str, seed: int) -> None:
    p = BUILDS[name][0]
    rng = np.random.default_rng(5000 + seed)
    layer, shape = _random_conv(rng, p)
    codes = rng.integers(0, 1 << layer.t_in, size=shape)
    src_base, dst_base = int(rng.integers(0, 20)), int(rng.integers(0, 100))
    images = Images(p)
    add_conv(images, layer, shape, src_base=src_base, dst_base=dst_base)
    inputs = junk_words(rng, p, src_base) + img.act_rows(codes, p.TMAX, p.ROWW)
    result = _run(name, images, tmp_path, inputs, TIMINGS[timing], seed + 1)
    assert result.writes == check_hidden(result.bank(p, 1), dst_base, layer.reference(codes), p, "conv")


@pytest.mark.parametrize("timing", list(TIMINGS))
@pytest.mark.parametrize("name", list(BUILDS))
@pytest.mark.parametrize("seed", range(4))
def test_linear_layer(tmp_path: Path, name: str, timing: str, seed: int) -> None:
    p = BUILDS[name][0]
    rng = np.random.default_rng(6000 + seed)
    t_in = int(rng.integers(1, p.TMAX + 1))
    f_in = int(rng.integers(1, 49))
    codes = rng.integers(0, 1 << t_in, size=f_in)
    layer = random_linear(rng, p, f_in, t_in, raw=seed % 2 == 1)
    images = Images(p)
    add_linear(images, layer, f_in, p.ROWW, src_base=0, dst_base=5)
    result = _run(name, images, tmp_path, img.act_rows(codes, p.TMAX, p.ROWW), TIMINGS[timing], seed + 1)
    want = layer.reference(codes)
    if layer.raw:
        assert result.outputs == list(enumerate(int(v) for v in want))
    else:
        assert result.writes == check_hidden(result.bank(p, 1), 5, want, p, "linear")


@pytest.mark.parametrize("timing", list(TIMINGS))
@pytest.mark.parametrize("name", list(BUILDS))
def test_small_network(tmp_path: Path, name: str, timing: str) -> None:
    """conv -> conv -> linear -> linear (raw): the fetchers take turns on the one AXI port."""
    p = BUILDS[name][0]
    rng = np.random.default_rng(7000 + len(timing))
    t = [int(rng.integers(2, p.TMAX + 1)) for _ in range(4)]
    shape = (2, 10, 10)
    conv1 = ConvLayer(random_weights(rng, (6, 2, 3, 3), p.WB), random_bias(rng, 6), (1, 1), (1, 1), t[0], t[1], 0, 1, 2)
    conv1.shift = random_shift(rng, conv_bound(conv1.weight, conv1.bias, t[0]), t[1])
    conv2 = ConvLayer(random_weights(rng, (7, 6, 3, 3), p.WB), random_bias(rng, 7), (1, 1), (0, 0), t[1], t[2], 0, 2, 2)
    conv2.shift = random_shift(rng, conv_bound(conv2.weight, conv2.bias, t[1]), t[2])
    codes = rng.integers(0, 1 << t[0], size=shape)
    a1 = conv1.reference(codes)
    a2 = conv2.reference(a1)
    lin1 = random_linear(rng, p, a2.size, t[2], raw=False)
    a3 = lin1.reference(a2.reshape(-1))
    lin2 = random_linear(rng, p, a3.size, lin1.t_out, raw=True)
    images = Images(p)
    add_conv(images, conv1, shape, src_bank=0, dst_bank=1, src_base=0, dst_base=7)
    add_conv(images, conv2, a1.shape, src_bank=1, dst_bank=0, src_base=7, dst_base=3)  # pyright: ignore[reportArgumentType]
    add_linear(images, lin1, a2.size, a2.shape[2], src_bank=0, dst_bank=1, src_base=3, dst_base=50)
    add_linear(images, lin2, a3.size, p.ROWW, src_bank=1, dst_bank=0, src_base=50, dst_base=0)
    result = _run(name, images, tmp_path, img.act_rows(codes, p.TMAX, p.ROWW), TIMINGS[timing], 1)
    stored = check_hidden(result.bank(p, 1), 7, a1, p, "conv1")
    stored += check_hidden(result.bank(p, 0), 3, a2, p, "conv2")
    stored += check_hidden(result.bank(p, 1), 50, a3, p, "linear1")
    assert result.writes == stored
    assert result.outputs == list(enumerate(int(v) for v in lin2.reference(a3)))


@pytest.mark.parametrize("timing", list(TIMINGS))
@pytest.mark.parametrize("seed", range(3))
def test_tight_cache(tmp_path: Path, timing: str, seed: int) -> None:
    p = TIGHT[0]
    rng = np.random.default_rng(8000 + seed)
    t_in = [1, 1, 3][seed]
    shape = (16, 3, 4) if seed != 1 else (4, 5, 5)
    k = 1 if seed != 1 else 2
    conv = ConvLayer(random_weights(rng, (11, shape[0], k, k), p.WB), random_bias(rng, 11), (1, 1), (0, 0), t_in,
                     2, 0, 0, 1)  # fmt: skip
    conv.shift = random_shift(rng, conv_bound(conv.weight, conv.bias, t_in), 2)
    codes = rng.integers(0, 1 << t_in, size=shape)
    a1 = conv.reference(codes)
    lin = random_linear(rng, p, 30, 2, raw=True)
    images = Images(p)
    add_conv(images, conv, shape, src_bank=0, dst_bank=1, src_base=0, dst_base=0)
    codes2 = rng.integers(0, 4, size=30)
    add_linear(images, lin, 30, p.ROWW, src_bank=0, dst_bank=1, src_base=100, dst_base=0)
    inputs = img.act_rows(codes, p.TMAX, p.ROWW)
    inputs += [0] * (100 - len(inputs)) + img.act_rows(codes2, p.TMAX, p.ROWW)
    result = _run("tight", images, tmp_path, inputs, TIMINGS[timing], seed + 1)
    assert check_hidden(result.bank(p, 1), 0, a1, p, "conv")
    assert result.outputs == list(enumerate(int(v) for v in lin.reference(codes2)))
