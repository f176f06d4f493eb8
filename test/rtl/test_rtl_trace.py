"""Tracing (docs/hardware.md 6): the trace names every activation write and every partial potential.

A conv -> linear -> linear program runs in a build with E3NE_TRACE; the test checks that the `W`
lines are exactly the words each layer stores (no other write), and that the `C` / `L` lines
hold, after each timestep t, the partial potentials sum(w * (a >> (T_in-1-t))) of every real
neuron (lanes past w_out, idle lanes and units past c_out are printed too, and ignored here).
The conv layer runs without channel slots, and with 3 slots (lanes mapped back to channels and
columns by e3ne.trace_compare.conv_lane_output, which the co-simulation's diagnosis uses).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rtlsim import (
    ConvLayer,
    CoreParams,
    Images,
    LinearLayer,
    add_conv,
    add_linear,
    conv_bound,
    random_shift,
    random_weights,
    run,
    verilator_build,
)

from e3ne import reference as ref
from e3ne.engine import images as img
from e3ne.engine.cycles import program_cycles
from e3ne.engine.schema import PoolMode
from e3ne.trace_compare import conv_lane_output

CASES = {
    # core, input shape, conv output channels, slots
    "unslotted": (CoreParams(CU=2, COLS=5, LANES=4), (2, 7, 9), 3, 1),
    "slotted": (CoreParams(CU=2, COLS=8, SLOTS=3, SLOT_SET=0b1110, LANES=4), (2, 7, 4), 7, 3),  # 2 idle lanes
}


@pytest.mark.parametrize("case", list(CASES))
def test_trace(tmp_path: Path, case: str) -> None:
    p, shape, c_out, slots = CASES[case]
    rng = np.random.default_rng(7)
    t0, t1, t2 = 5, 4, 3
    weight = random_weights(rng, (c_out, 2, 3, 3), p.WB)
    conv = ConvLayer(weight, None, (1, 1), (1, 0), t0, t1, 0, PoolMode.MAX, 2, slots)
    conv.shift = random_shift(rng, conv_bound(conv.weight, None, t0), t1)
    codes = rng.integers(0, 1 << t0, size=shape)
    a1 = conv.reference(codes)  # (3, 3, 3) or (7, 3, 1)
    w1 = random_weights(rng, (6, a1.size), p.WB)
    lin1 = LinearLayer(w1, rng.integers(-99, 99, size=6), t1, t2, 0, raw=False)
    lin1.shift = random_shift(rng, int(np.abs(w1).sum(axis=1).max()) * ((1 << t1) - 1), t2)
    a2 = lin1.reference(a1.reshape(-1))
    lin2 = LinearLayer(random_weights(rng, (3, 6), p.WB), None, t2, 1, 0, raw=True)

    images = Images(p)
    descs = [
        add_conv(images, conv, shape, src_bank=0, dst_bank=1, dst_base=4),
        add_linear(images, lin1, a1.size, a1.shape[2], src_bank=1, dst_bank=0, src_base=4, dst_base=60),
        add_linear(images, lin2, a2.size, p.ROWW, src_bank=0, dst_bank=1, src_base=60, dst_base=0),
    ]
    result = run(verilator_build(p, trace=True), images, tmp_path, img.act_rows(codes, p.TMAX, p.ROWW),
                 plusargs=["+trace=t.txt"])  # fmt: skip
    assert result.cycles == program_cycles(descs, p.asdict())
    lines = [line.split() for line in (tmp_path / "t.txt").read_text().splitlines()]

    # W: exactly the stored words of layers 0 and 1, in order of address within each layer
    writes = [(int(w[1]), int(w[2]), int(w[3]), int(w[4], 16)) for w in lines if w[0] == "W"]
    want_w = [(0, 1, 4 + n, word) for n, word in enumerate(img.act_rows(a1, p.TMAX, p.ROWW))]
    want_w += [(1, 0, 60 + n, word) for n, word in enumerate(img.act_rows(a2, p.TMAX, p.ROWW))]
    assert sorted(writes) == sorted(want_w)

    # C: partial potentials of the conv layer
    c_lines = [[int(x) for x in w[1:]] for w in lines if w[0] == "C"]
    d = descs[0]
    assert len(c_lines) == d["groups"] * d["h_out"] * d["col_tiles"] * t0
    partial = [
        ref._conv((codes >> (t0 - 1 - t))[None], ref.Conv2d(conv.weight, None, conv.stride, conv.padding))[0]  # pyright: ignore[reportPrivateUsage]
        for t in range(t0)
    ]
    checked = set()
    for layer, g, r, tile, t, *values in c_lines:
        assert layer == 0 and len(values) == p.CU * p.COLS
        for lane, value in enumerate(values):
            where = conv_lane_output(lane, g, tile, p.CU, p.COLS, slots)
            if where is not None and where[0] < d["c_out"] and where[1] < d["w_out"]:
                o, xo = where
                assert value == partial[t][o, r, xo], (g, r, tile, t, lane)
                checked.add((o, r, xo, t))
    assert len(checked) == d["c_out"] * d["h_out"] * d["w_out"] * t0  # every potential

    # L: partial potentials of both linear layers
    l_lines = [[int(x) for x in w[1:]] for w in lines if w[0] == "L"]
    inputs = {1: (a1.reshape(-1), lin1), 2: (a2, lin2)}
    assert len(l_lines) == 2 * t1 + 1 * t2
    for layer, g, t, *values in l_lines:
        a, lin = inputs[layer]
        want = lin.weight @ (a >> (lin.t_in - 1 - t))
        for n in range(p.LANES):
            o = g * p.LANES + n
            if o < want.shape[0]:
                assert values[n] == want[o], (layer, g, t, n)
    assert result.outputs == list(enumerate(int(v) for v in lin2.reference(a2)))
