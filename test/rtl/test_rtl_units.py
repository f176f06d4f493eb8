"""e3ne_requant and e3ne_pool against the integer reference (e3ne.reference), bit for bit.

The requant test is exhaustive over a small accumulator (every V + b in the contract's range,
every shift from far below -TMAX to far above ACC, every t_out) and random over a wide one, for
unsigned codes (the ReLU) and signed codes (no ReLU: t_out >= 2, docs/numerics.md 2.4).
The pool test streams random maps through the unit as the conv engine does (row flags, idle
cycles between codes, leftover columns and rows of floor mode) for max/avg/none and P = 1..4,
also several maps at once, row by row in turn, each in its own line-buffer region (the conv
engine's channel slots). The pool's rows lag its codes by three clock edges (tb_pool.v).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from rtlsim import build_testbench

from e3ne import reference as ref
from e3ne.engine import images
from e3ne.engine.schema import PoolMode

TESTS = Path(__file__).resolve().parent


def _run(binary: Path, workdir: Path, lines: list[str]) -> list[str]:
    workdir.mkdir(parents=True, exist_ok=True)
    images.write_memh_lines(workdir / "vectors.mem", lines)
    args = [str(binary), "+vectors=vectors.mem", f"+count={len(lines)}", "+results=results.txt"]
    subprocess.run(args, check=True, capture_output=True, cwd=workdir, timeout=120)
    return (workdir / "results.txt").read_text().split("\n")[: len(lines)]


def _requant_case(
    acc: int, tmax: int, x: np.ndarray, k: np.ndarray, t: np.ndarray, signed: bool, rng: np.random.Generator
):
    """Vectors (v, b', k, t_out, out_signed) with V + b_q = x, and the expected (sum, code); a signed
    code as its t_out-bit pattern."""
    kbits = 8
    const = np.array([images.bias_constant(int(s), False, acc) for s in k], dtype=np.int64)
    v_lo, v_hi = -(1 << (acc - 1)), (1 << (acc - 1)) - 1
    v = np.clip(rng.integers(v_lo, v_hi + 1, size=x.shape), x - v_hi, x - v_lo)  # b_q = x - v
    bias = x - v + const
    fields = [(v, acc), (bias, acc + 1), (k, kbits), (t, (tmax).bit_length()), (np.full(x.shape, int(signed)), 1)]
    word = np.zeros(x.shape, dtype=object)
    for values, bits in fields:
        word = word * (1 << bits) + (values.astype(object) & ((1 << bits) - 1))
    total = sum(bits for _, bits in fields)
    lines = [f"{int(w):0{-(-total // 4)}x}" for w in word]
    expected = [
        (
            int(s) & ((1 << (acc + 1)) - 1),
            int(ref.radix_neuron(np.array(xx), int(kk), int(tt), signed)) & ((1 << tt) - 1),
        )
        for s, xx, kk, tt in zip(x + const, x, k, t, strict=True)
    ]
    return lines, expected


@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed"])
@pytest.mark.parametrize(("acc", "tmax", "exhaustive"), [(8, 4, True), (24, 8, False), (13, 3, False)])
def test_requant(tmp_path: Path, acc: int, tmax: int, exhaustive: bool, signed: bool) -> None:
    rng = np.random.default_rng(acc)
    lim = (1 << (acc - 1)) - 1
    t_low = 2 if signed else 1
    if exhaustive:
        grid = np.array(
            [(x, k, t) for x in range(-lim, lim + 1) for k in range(-tmax - 3, acc + 4) for t in range(t_low, tmax + 1)]
        )
        x, k, t = grid[:, 0], grid[:, 1], grid[:, 2]
    else:
        n = 20000
        x = np.where(rng.random(n) < 0.5, rng.integers(-lim, lim + 1, size=n), rng.integers(-300, 300, size=n))
        k = rng.integers(-tmax - 3, acc + 4, size=n)
        t = rng.integers(t_low, tmax + 1, size=n)
    lines, expected = _requant_case(acc, tmax, x, k, t, signed, rng)
    binary = build_testbench(TESTS / "tb_requant.v", {"ACC": acc, "TMAX": tmax, "N": len(lines)})
    got = _run(binary, tmp_path, lines)
    for line, (vec, (want_sum, want_code)), xx, kk, tt in zip(
        got, zip(lines, expected, strict=True), x, k, t, strict=True
    ):
        s, c = (int(part, 16) for part in line.split())
        assert (s, c) == (want_sum, want_code), f"V+b={xx} k={kk} t_out={tt} vector {vec}"


def _pool_stream(
    maps: list[tuple[np.ndarray, int, int, int]], tmax: int, psb: int, rng: np.random.Generator
) -> tuple[list[str], list[np.ndarray]]:
    """Input vectors for a sequence of (codes (S, H, W), mode, P, SW), and the expected stored rows:
    the S maps go row by row in turn, map s in the line-buffer region from s*SW."""
    lines: list[str] = []
    expected: list[np.ndarray] = []

    def vec(base: int, emit: int, mode: int, size: int, valid: int, rs: int, wf: int, wl: int, code: int) -> str:
        word = ((((((((base << 1 | emit) << 2 | mode) << psb | size) << 1 | valid) << 1 | rs) << 1 | wf) << 1 | wl)
                << tmax) | code  # fmt: skip
        return f"{word:x}"

    for codes, mode, p, width in maps:
        _, h, w = codes.shape
        kernel = (p, p)
        if mode == PoolMode.MAX:
            out = ref.max_pool(codes[:, None], ref.MaxPool2d(kernel, kernel))[:, 0]
        elif mode == PoolMode.AVG:
            out = ref.avg_pool(codes[:, None], ref.AvgPool2d(kernel, kernel))[:, 0]
        else:
            out = codes
        for r in range(h):
            wf, wl = int(r % p == 0), int(r % p == p - 1)
            for s in range(codes.shape[0]):
                for x in range(w):
                    while rng.random() < 0.2:  # idle cycles with garbage on the inputs
                        junk = int(rng.integers(0, 1 << tmax))
                        lines.append(vec(s * width, 0, mode, p, 0, int(rng.integers(0, 2)), wf, wl, junk))
                    emit = int(x == w - 1 and wl == 1 and r // p < out.shape[1])
                    lines.append(vec(s * width, emit, mode, p, 1, int(x == 0), wf, wl, int(codes[s, r, x])))
                    if emit:
                        expected.append(out[s, r // p])
        # mode and P are layer constants: they hold while the map's last codes go through the stages
        lines += [vec(0, 0, mode, p, 0, 0, 0, 0, 0)] * 2
    return lines, expected


@pytest.mark.parametrize(("pkmax", "cols"), [(2, 0), (4, 0), (3, 12)])
def test_pool(tmp_path: Path, pkmax: int, cols: int) -> None:
    """cols = 0: one map at a time; cols > 0: S maps (1 <= S <= 4) of up to COLS // S columns at once."""
    tmax, roww = 5, 8
    rng = np.random.default_rng(pkmax)
    maps: list[tuple[np.ndarray, int, int, int]] = []
    for _ in range(300):
        mode = int(rng.integers(0, 3))
        choices = [1] if mode == PoolMode.NONE else [p for p in range(1, pkmax + 1) if mode == 1 or p & (p - 1) == 0]
        p = int(rng.choice(choices))
        t = int(rng.integers(1, tmax + 1))
        h = int(rng.integers(p, 3 * p + 2))
        slots = int(rng.integers(1, 5)) if cols else 1
        width = cols // slots if cols else 0
        if cols and width >= p:
            w = int(rng.integers(p, width + 1))
        elif cols:
            continue
        else:
            w = int(rng.integers(p, roww * p + p)) if p > 1 else int(rng.integers(1, roww + 1))
        codes = rng.integers(0, 1 << t, size=(slots, h, w))
        if rng.random() < 0.2:
            codes[:] = (1 << t) - 1
        maps.append((codes, mode, p, width))
    psb = (pkmax).bit_length()
    lines, expected = _pool_stream(maps, tmax, psb, rng)
    params = {"TMAX": tmax, "ROWW": roww, "PKMAX": pkmax, "N": len(lines), "LB": max(roww, cols) + 1}
    binary = build_testbench(TESTS / "tb_pool.v", params)
    got = _run(binary, tmp_path, lines)
    assert len(expected) > 300
    for n, (line, want) in enumerate(zip(got, expected, strict=False)):
        assert int(line, 16) == images.act_rows(want, tmax, roww)[0], f"stored row {n}: want {want}"
