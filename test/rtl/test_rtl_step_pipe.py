"""e3ne_step_pipe on its own (tb_step_pipe.v), against a model of its contract, bit and cycle exact.

Random layers run back to back through a small engine around the pipe: the potentials, V + b'
and the codes of every lane (window loads and shifts, strides, the weight address walk, the
timestep doubling and the clear at each capture; with channel slots, each lane's window bit and
weight field, and idle lanes), the cycle at which the last step of every
accumulation issues (period max(N, L + 4) for an output stage busy for L cycles: the stall rule
of docs/hardware.md 7) and the cycle of `done`.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from rtlsim import build_testbench

from e3ne import reference as ref
from e3ne.engine import cycles, schema
from e3ne.engine import images as hw

TESTS = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Geometry:
    units: int
    cols: int
    outs: int
    ww: int
    smax: int
    wb: int = 4
    acc: int = 14
    tmax: int = 4
    wabits: int = 8
    slots: tuple[int, ...] = (1,)  # the slot counts a layer may use (the largest is SLOTS)


@dataclass
class Layer:
    groups: int
    t_in: int
    accs: int  # accumulations per group
    steps: int  # steps per timestep
    period: int  # the window loads every `period` steps
    stride: int
    shift: int
    t_out: int
    w_base: int
    busy: int  # output-stage cycles per capture
    bias: list[int]  # b_q of each readout chain
    slots: int = 1  # channel slots S: lane x is column x % SW of slot x // SW, SW = COLS // S


def _segments(geo: Geometry) -> list[schema.Segment]:
    return schema.weight_segments(geo.cols, geo.slots)


def _lane_inputs(win: int, w: list[int], geo: Geometry, layer: Layer) -> list[tuple[int, int]]:
    """(spike, weight) of every lane (u, x), unit-major: lane x reads the field of its weight
    segment seg(x) (whatever the slot count); idle lanes (x >= S*SW) get no spikes."""
    step = layer.stride if layer.stride >= 2 else 1
    width = geo.cols // layer.slots
    seg = schema.lane_segments(_segments(geo))
    out = []
    for u in range(geo.units):
        for x in range(geo.cols):
            slot, column = divmod(x, width)
            real = slot < layer.slots
            out.append(((win >> (column * step)) & 1 if real else 0, w[seg[x] * geo.units + u] if real else 0))
    return out


def _expected(geo: Geometry, layers: list[Layer], planes: list[int], weights: list[list[int]]) -> list[str]:
    """The result lines tb_step_pipe.v writes, from the pipe's contract."""
    lines: list[str] = []
    lanes = geo.units * geo.cols
    rn = lanes // geo.outs
    k = 0  # next plane
    for n, layer in enumerate(layers):
        period = max(layer.steps * layer.t_in, layer.busy + cycles.COPY)
        issue = layer.steps * layer.t_in
        win = 0
        for g in range(layer.groups):
            for _ in range(layer.accs):
                v = [0] * lanes
                for _ in range(layer.t_in):
                    v = [2 * x for x in v]
                    for j in range(layer.steps):
                        if j % layer.period == 0:
                            win, k = planes[k], k + 1
                        else:
                            win >>= 1
                        w = weights[layer.w_base + g * layer.steps + j]
                        v = [acc + s * wt for acc, (s, wt) in zip(v, _lane_inputs(win, w, geo, layer), strict=True)]
                lines.append(f"I {n} {issue}")
                for x in range(rn):
                    for c in range(geo.outs):
                        b = layer.bias[c]
                        total = v[c * rn + x] + b
                        code = int(ref.radix_neuron(np.array(total), layer.shift, layer.t_out))
                        bias_word = b + hw.bias_constant(layer.shift, False, geo.acc)
                        mask = (1 << (geo.acc + 1)) - 1
                        lines.append(f"R {n} {c} {x} {(v[c * rn + x] + bias_word) & mask:x} {code:x}")
                issue += period
        lines.append(f"D {n} {issue - period + cycles.COPY + layer.busy}")
    return lines


def _random_layers(geo: Geometry, rng: np.random.Generator, count: int) -> list[Layer]:
    rn = geo.units * geo.cols // geo.outs
    layers = []
    for _ in range(count):
        steps = int(rng.integers(1, 6))
        t_in = int(rng.integers(1, geo.tmax + 1))
        n = steps * t_in
        busy = int(rng.choice([rn, rn + int(rng.integers(0, 4)), max(rn, n - 3), n + int(rng.integers(-2, 6))]))
        layers.append(
            Layer(
                groups=int(rng.integers(1, 4)),
                t_in=t_in,
                accs=int(rng.integers(1, 4)),
                steps=steps,
                period=int(rng.integers(1, geo.ww - (geo.cols - 1) * geo.smax + 1)),
                stride=int(rng.integers(0, geo.smax + 1)),
                shift=int(rng.integers(-2, 8)),
                t_out=int(rng.integers(1, geo.tmax + 1)),
                w_base=int(rng.integers(0, 100)),
                busy=max(busy, rn),
                bias=[int(b) for b in rng.integers(-40, 41, size=geo.outs)],
                slots=int(rng.choice(geo.slots)),
            )
        )
    return layers


def _layer_word(layer: Layer) -> int:
    fields = [layer.groups, layer.t_in, layer.accs, layer.steps, layer.period, layer.stride]
    fields += [layer.shift & 0xFF, layer.t_out, layer.w_base, layer.busy, layer.slots]
    return sum(value << (16 * i) for i, value in enumerate(fields))


GEOMETRIES = {
    "conv-like": Geometry(units=2, cols=3, outs=2, ww=12, smax=2),
    "linear-like": Geometry(units=5, cols=1, outs=1, ww=8, smax=1),
    "one-lane": Geometry(units=1, cols=1, outs=1, ww=4, smax=1),
    "slots": Geometry(units=2, cols=7, outs=2, ww=16, smax=2, slots=(1, 2, 3)),  # 1 idle lane at S = 2, 3
}


@pytest.mark.parametrize("name", list(GEOMETRIES))
def test_step_pipe(tmp_path: Path, name: str) -> None:
    geo = GEOMETRIES[name]
    rng = np.random.default_rng(len(name))
    layers = _random_layers(geo, rng, 40)
    loads = sum(lay.groups * lay.accs * lay.t_in * -(-lay.steps // lay.period) for lay in layers)
    planes = [int(p) for p in rng.integers(0, 1 << geo.ww, size=loads)]
    lo, hi = -(1 << (geo.wb - 1)), (1 << (geo.wb - 1)) - 1
    fields = geo.units * len(_segments(geo))
    weights = [[int(w) for w in rng.integers(lo, hi + 1, size=fields)] for _ in range(1 << geo.wabits)]

    def word(ws: list[int]) -> int:
        return sum((w & ((1 << geo.wb) - 1)) << (geo.wb * u) for u, w in enumerate(ws))

    def bias_word(layer: Layer) -> int:
        const = hw.bias_constant(layer.shift, False, geo.acc)
        mask = (1 << (geo.acc + 1)) - 1
        return sum(((b + const) & mask) << ((geo.acc + 1) * c) for c, b in enumerate(layer.bias))

    hw.write_memh(tmp_path / "layers.mem", [_layer_word(lay) for lay in layers], 176)
    hw.write_memh(tmp_path / "bias.mem", [bias_word(lay) for lay in layers], geo.outs * (geo.acc + 1))
    hw.write_memh(tmp_path / "planes.mem", planes, geo.ww)
    hw.write_memh(tmp_path / "weights.mem", [word(ws) for ws in weights], fields * geo.wb)
    params = {
        "UNITS": geo.units, "COLS": geo.cols, "OUTS": geo.outs, "WW": geo.ww, "SMAX": geo.smax, "WB": geo.wb,
        "ACC": geo.acc, "TMAX": geo.tmax, "WABITS": geo.wabits, "NLAYERS": len(layers), "NPLANES": len(planes),
        "SLOTS": max(geo.slots), "SLOT_SET": sum(1 << n for n in geo.slots), "WSEGS": len(_segments(geo)),
    }  # fmt: skip
    binary = build_testbench(TESTS / "tb_step_pipe.v", params)
    args = [str(binary), "+layers=layers.mem", "+bias=bias.mem", "+planes=planes.mem", "+weights=weights.mem"]
    subprocess.run(args, check=True, capture_output=True, cwd=tmp_path, timeout=120)
    got = (tmp_path / "results.txt").read_text().split("\n")[:-1]
    want = _expected(geo, layers, planes, weights)
    assert len(got) == len(want)
    for n, (line, expected) in enumerate(zip(got, want, strict=True)):
        assert line == expected, f"line {n}"
