"""Simulation harness for the e3ne RTL tests: build e3ne_core once per parameter set, run programs.

Verilator (--binary --timing) is used rather than Icarus: a build takes a few seconds and the
compiled model then runs each layer in milliseconds, while Icarus interprets every cycle of the
~10^5-cycle layers. The ROM images have e3ne_core's default file names and live in each run's
working directory, so one binary serves every layer of a parameter set. Builds are cached under
build/rtl-sim/<hash of the sources and parameters>.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
import pytest

from e3ne import reference as ref
from e3ne.dialects.snn import window_output_size
from e3ne.engine import images as img
from e3ne.engine import schema
from e3ne.engine.dram import DramLayout
from e3ne.engine.dram import cache_words as dram_cache_words
from e3ne.engine.dram import layer_ends as dram_layer_ends
from e3ne.engine.schema import LayerKind, PoolMode

ROOT = Path(__file__).resolve().parents[2]
RTL = ROOT / "rtl"
TB = Path(__file__).resolve().parent / "tb_core.v"
CACHE = ROOT / "build" / "rtl-sim"


TEST_DEFAULTS = {"TMAX": 8, "ROWW": 16, "ADEPTH": 256, "COLS": 5, "LANES": 4, "ACC": 24, "CWDEPTH": 4096,
                 "LWDEPTH": 4096, "BDEPTH": 256, "PDEPTH": 256, "DW": 12}  # fmt: skip
"""Where the RTL tests' core differs from e3ne_core's defaults (room for every random layer)."""


@dataclass(frozen=True)
class CoreParams:
    """Parameters of e3ne_core (and the testbench) for one build: the schema's integer parameters.

    Built from :data:`e3ne.engine.schema.CORE_PARAMS` (``CoreParams(CU=3)``), so the tests cannot
    drift from the RTL's parameter list (test_schema checks that list against the schema).
    """

    values: tuple[tuple[str, int], ...]

    def __init__(self, **overrides: int):
        unknown = set(overrides) - set(schema.ENGINE_PARAMS)
        if unknown:
            raise TypeError(f"not an e3ne_core parameter: {sorted(unknown)}")
        merged = {**schema.PARAM_DEFAULTS, **TEST_DEFAULTS, **overrides}
        object.__setattr__(self, "values", tuple((name, int(merged[name])) for name in schema.ENGINE_PARAMS))

    def __getattr__(self, name: str) -> int:
        for key, value in object.__getattribute__(self, "values"):
            if key == name:
                return value
        raise AttributeError(name)

    def asdict(self) -> dict[str, int]:
        return dict(self.values)

    @property
    def aw(self) -> int:
        return self.ROWW * self.TMAX

    @property
    def segments(self) -> list[schema.Segment]:
        """The conv unit's weight segments (one conv weight field per segment and unit)."""
        return schema.param_segments(self.asdict())


def verilator_build(params: CoreParams, trace: bool = False, dram: dict[str, int] | None = None) -> Path:
    """The e3ne_core simulation binary for ``params`` (built on first use, then cached); ``dram``:
    weights from DRAM, the core's schema.DRAM_PARAMS (the testbench's AXI memory model serves them)."""
    return build_testbench(TB, {**params.asdict(), **(dram or {})}, ["-DE3NE_TRACE"] if trace else [])


def build_testbench(tb: Path, params: dict[str, int], extra: Sequence[str] = ()) -> Path:
    """A Verilator binary of testbench ``tb`` over rtl/*.v with ``params`` (cached by content)."""
    sources = sorted([*RTL.glob("*.v"), *RTL.glob("*.vh")])
    digest = hashlib.sha256()
    for path in [*sources, tb]:
        digest.update(path.read_bytes())
    digest.update(repr((sorted(params.items()), list(extra))).encode())
    out = CACHE / f"{tb.stem}-{digest.hexdigest()[:16]}"
    binary = out / "sim"
    if binary.exists():
        return binary
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    cmd = [
        "verilator", "--binary", "--timing", "-Wno-fatal", "-Wno-lint", "-Wno-style", "-O3",
        "--x-assign", "unique", "--x-initial", "unique", f"-I{RTL}", "--top-module", tb.stem,
        "-Mdir", str(out / "obj"), "-o", str(binary), "-j", "2",
        *[f"-G{k}={schema.param_literal(k, params)}" for k in params],
        *extra, str(tb),
    ]  # fmt: skip
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=out)
    if result.returncode != 0 or not binary.exists():
        raise RuntimeError(f"verilator build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    shutil.rmtree(out / "obj", ignore_errors=True)
    return binary


@dataclass
class Images:
    """The memory images of one program, built layer by layer."""

    params: CoreParams
    conv_w: list[int] = field(default_factory=list)
    lin_w: list[int] = field(default_factory=list)
    bias: list[int] = field(default_factory=list)
    program: list[int] = field(default_factory=list)
    descs: list[dict[str, int]] = field(default_factory=list)
    dram: dict[str, int] | None = None  # weights from DRAM: the build's schema.DRAM_PARAMS

    def write(self, workdir: Path) -> None:
        p = self.params
        if self.dram is not None:
            self.write_dram(workdir)
        program = self.program + list(schema.END_DESCRIPTOR)
        assert len(program) <= p.PDEPTH and len(self.conv_w) <= p.CWDEPTH
        assert len(self.lin_w) <= p.LWDEPTH and len(self.bias) <= p.BDEPTH
        img.write_memh(workdir / "program.mem", program, schema.WORD_BITS)
        img.write_memh(workdir / "conv_weights.mem", self.conv_w or [0], img.conv_word_bits(p.CU, p.WB, p.segments))
        img.write_memh(workdir / "linear_weights.mem", self.lin_w or [0], p.LANES * p.WB)
        img.write_memh(workdir / "biases.mem", self.bias or [0], p.ACC + 1)

    def add(
        self, kind: LayerKind, fields: dict[str, int], weight: np.ndarray, bias: np.ndarray | None
    ) -> dict[str, int]:
        """Append one layer (its op's fields, by schema name) the way prepare-verilog lays it out."""
        p = self.params
        conv = kind is LayerKind.CONV
        fields = dict(fields, w_base=len(self.conv_w if conv else self.lin_w), b_base=len(self.bias))
        desc = schema.descriptor_fields(kind, fields, p.asdict())
        if conv:
            problem = schema.slots_problem(desc["slots"], desc["w_out"], p.asdict())
            assert problem is None, problem
            groups = fields.get("feature_groups", 1)
            self.conv_w += img.conv_weight_words(weight, p.CU, p.WB, desc["slots"], p.segments, groups)
        else:
            self.lin_w += img.linear_weight_words(weight, p.LANES, p.WB)
        words = img.bias_depth(conv, fields["c_out"], p.CU, desc["slots"])
        self.bias += img.bias_words(bias, words, fields["shift"], bool(fields["raw"]), p.ACC)
        self.program += schema.descriptor_words(desc)
        self.descs.append(desc)
        return desc

    def dram_layout(self) -> DramLayout:
        p, d = self.params, self.dram
        assert d is not None
        return DramLayout(
            img.conv_word_bits(p.CU, p.WB, p.segments), p.LANES * p.WB, len(self.conv_w), len(self.lin_w),
            d["AXIW"], d["AXI_BURST"], d["LW_DRAM"],
        )  # fmt: skip

    def write_dram(self, workdir: Path) -> None:
        """The DRAM image (as the memory model's beats) and the layout ROM's image."""
        d = self.dram
        assert d is not None
        for kind, cache in ((LayerKind.CONV, "CWCACHE"), (LayerKind.LINEAR, "LWCACHE")):
            assert dram_cache_words(self.descs, kind) <= d[cache], f"{cache} = {d[cache]} is too small"
        layout = self.dram_layout()
        img.write_memh(workdir / "dram.mem", layout.beats(self.conv_w, self.lin_w) or [0], d["AXIW"])
        ends = [*dram_layer_ends(self.descs), 0]  # (the end descriptor's word)
        img.write_memh(workdir / "weight_layout.mem", ends, 32)


class MemoryImages(Protocol):
    """What :func:`run` loads: a build's parameters and the ROM images it writes into the run's folder."""

    @property
    def params(self) -> CoreParams: ...

    def write(self, workdir: Path) -> None: ...


@dataclass
class SimResult:
    cycles: int
    outputs: list[tuple[int, int]]
    memory: list[int]  # both banks: bank b word a at b * 2^AABITS + a
    writes: int  # activation-memory writes of the program (the stored words, each once)
    bursts: int = 0  # AXI bursts of the weights (WDRAM = 1)
    axi_errors: int = 0  # AXI rules the master broke (the memory model's count)

    def bank(self, params: CoreParams, bank: int) -> list[int]:
        half = 1 << (params.ADEPTH - 1).bit_length()
        return self.memory[bank * half : (bank + 1) * half]


def run(
    binary: Path,
    images: MemoryImages,
    workdir: Path,
    inputs: list[int],
    seed: int = 1,
    max_cycles: int = 2_000_000,
    plusargs: Sequence[str] = (),
) -> SimResult:
    """Load ``inputs`` into bank 0, run the program, return cycles, raw outputs and the memory.

    Every register and memory word that the design does not reset starts random (``seed``).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    images.write(workdir)
    img.write_memh(workdir / "input.mem", inputs or [0], images.params.aw)
    args = [
        str(binary), "+input=input.mem", f"+nload={len(inputs)}", "+dump=dump.mem", f"+maxcycles={max_cycles}",
        "+verilator+rand+reset+2", f"+verilator+seed+{seed}", *plusargs,
    ]  # fmt: skip
    result = subprocess.run(args, capture_output=True, text=True, cwd=workdir, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"simulation failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    lines = result.stdout.splitlines()
    assert "TIMEOUT" not in lines, "the program did not finish"
    cycles = next(int(line.split()[1]) for line in lines if line.startswith("CYCLES"))
    writes = next(int(line.split()[1]) for line in lines if line.startswith("WRITES"))
    outputs = [(int(a), int(b)) for tag, a, b in (line.split() for line in lines if line.startswith("O "))]
    memory = []
    for line in (workdir / "dump.mem").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("//"):
            memory.append(int(line, 16) if "x" not in line.lower() else 0)
    bursts = next((int(line.split()[1]) for line in lines if line.startswith("BURSTS")), 0)
    errors = next((int(line.split()[1]) for line in lines if line.startswith("AXIERR")), 0)
    return SimResult(cycles, outputs, memory, writes, bursts, errors)


# --------------------------------------------------------------------------- random layers


def random_weights(rng: np.random.Generator, shape: tuple[int, ...], bits: int) -> np.ndarray:
    """Random weights, sometimes all at one extreme or at both."""
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    kind = rng.integers(0, 6)
    if kind == 0:
        return np.full(shape, lo, dtype=np.int64)
    if kind == 1:
        return np.full(shape, hi, dtype=np.int64)
    if kind == 2:
        return rng.choice(np.array([lo, hi]), size=shape)
    return rng.integers(lo, hi + 1, size=shape)


def random_shift(rng: np.random.Generator, bound: int, t_out: int) -> int:
    """A shift that keeps most outputs inside the code range, sometimes k <= 0 or far too large."""
    top = max(1, bound.bit_length() - t_out)
    choice = rng.integers(0, 8)
    if choice == 0:
        return int(rng.integers(-3, 1))
    if choice == 1:
        return int(rng.integers(top, top + 4))
    return int(rng.integers(max(1, top - 6), top + 1))


def random_bias(rng: np.random.Generator, count: int) -> np.ndarray | None:
    if rng.integers(0, 3) == 0:
        return None
    scale = int(rng.choice([1, 64, 1 << 12]))
    return rng.integers(-scale, scale + 1, size=count)


@dataclass
class ConvLayer:
    weight: np.ndarray  # (O, C, KH, KW)
    bias: np.ndarray | None
    stride: tuple[int, int]
    padding: tuple[int, int]
    t_in: int
    t_out: int
    shift: int
    pool_mode: int
    pool_size: int
    slots: int = 1  # channel slots S (docs/hardware.md 3)
    raw: bool = False  # the last layer, one output position: V + b on the output port
    pool_stride: int = 0  # 0: the window side (non-overlapping)
    pool_padding: int = 0
    pool_ceil: bool = False  # PyTorch's ceil_mode

    def pool_window(self) -> tuple[int, int, int, bool]:
        """(K, S, p, ceil_mode) of the layer's pooling."""
        k = self.pool_size
        return k, self.pool_stride or k, self.pool_padding, self.pool_ceil

    def reference(self, codes: np.ndarray) -> np.ndarray:
        layer = ref.Conv2d(self.weight, self.bias, self.stride, self.padding)
        v = ref._synapse(codes[None], layer)  # pyright: ignore[reportPrivateUsage]
        if self.raw:
            return v[0]
        a = ref.radix_neuron(v, self.shift, self.t_out)
        p = (self.pool_size, self.pool_size)
        if self.pool_mode == PoolMode.MAX:
            k, s, pad, ceil = self.pool_window()
            a = ref.max_pool(a, ref.MaxPool2d((k, k), (s, s), (pad, pad), ceil))
        elif self.pool_mode == PoolMode.AVG:
            a = ref.avg_pool(a, ref.AvgPool2d(p, p))
        return a[0]


@dataclass
class LinearLayer:
    weight: np.ndarray  # (O, F)
    bias: np.ndarray | None
    t_in: int
    t_out: int
    shift: int
    raw: bool

    def reference(self, codes: np.ndarray) -> np.ndarray:
        v = ref._synapse(codes.reshape(1, -1), ref.Linear(self.weight, self.bias))  # pyright: ignore[reportPrivateUsage]
        return v[0] if self.raw else ref.radix_neuron(v, self.shift, self.t_out)[0]


def _banks(bases: dict[str, int]) -> dict[str, int]:
    return {"src_bank": 0, "dst_bank": 1, "src_base": 0, "dst_base": 0, **bases}


def add_conv(images: Images, layer: ConvLayer, in_shape: tuple[int, int, int], **bases: int) -> dict[str, int]:
    """Append ``layer``'s weights, biases and descriptor to ``images``; return the descriptor's fields."""
    c_in, h_in, w_in = in_shape
    o, wc, kh, kw = layer.weight.shape
    assert wc == c_in, f"weight has {wc} input channels, the input {c_in}"
    (sh, sw), (ph, pw) = layer.stride, layer.padding
    fields = dict(
        _banks(bases), c_in=c_in, h_in=h_in, w_in=w_in, kh=kh, kw=kw, sh=sh, sw=sw, ph=ph, pw=pw, c_out=o,
        h_out=window_output_size(h_in, kh, sh, ph), w_out=window_output_size(w_in, kw, sw, pw), t_in=layer.t_in,
        t_out=layer.t_out, shift=layer.shift, pool_mode=layer.pool_mode,
        pool_size=layer.pool_size if layer.pool_mode != PoolMode.NONE else 1, raw=int(layer.raw), slots=layer.slots,
    )  # fmt: skip
    if layer.pool_mode == PoolMode.MAX:
        _, s, p, ceil = layer.pool_window()
        fields.update(pool_stride=s, pool_padding=p, pool_ceil=int(ceil))
    return images.add(LayerKind.CONV, fields, layer.weight, layer.bias)


def add_linear(images: Images, layer: LinearLayer, f_in: int, in_row_width: int, **bases: int) -> dict[str, int]:
    """As :func:`add_conv`, for a linear layer reading rows of ``in_row_width`` codes."""
    fields = dict(
        _banks(bases), c_in=f_in, w_in=in_row_width, c_out=layer.weight.shape[0], t_in=layer.t_in,
        t_out=layer.t_out, shift=layer.shift, raw=int(layer.raw),
    )  # fmt: skip
    return images.add(LayerKind.LINEAR, fields, layer.weight, layer.bias)


def random_linear(rng: np.random.Generator, p: CoreParams, f_in: int, t_in: int, raw: bool) -> LinearLayer:
    """A linear layer of 1 .. 20 neurons over ``f_in`` features of ``t_in`` timesteps."""
    o = int(rng.integers(1, 21))
    weight = random_weights(rng, (o, f_in), p.WB)
    bias = random_bias(rng, o)
    t_out = int(rng.integers(1, p.TMAX + 1))
    bound = int((np.abs(weight).sum(axis=1) * ((1 << t_in) - 1)).max())
    return LinearLayer(weight, bias, t_in, t_out, random_shift(rng, bound, t_out), raw)


def junk_words(rng: np.random.Generator, p: CoreParams, n: int) -> list[int]:
    """``n`` random activation words (what lies below a layer's input)."""
    return [int(x) for x in rng.integers(0, 1 << 62, size=n)]


def check_hidden(result_bank: list[int], base: int, codes: np.ndarray, p: CoreParams, what: str) -> int:
    """The words at ``base`` of a bank are exactly ``codes`` stored (zeros past the stored width too);
    returns how many words that is (the layer's writes: SimResult.writes counts them all)."""
    want = img.act_rows(codes, p.TMAX, p.ROWW)
    got = result_bank[base : base + len(want)]
    if got != want:
        decoded = img.decode_act_rows(got, codes.shape, p.TMAX, p.ROWW)
        pytest.fail(f"{what}: activation words differ\nwant\n{codes}\ngot\n{decoded}\n{want}\n{got}")
    return len(want)


def conv_bound(weight: np.ndarray, bias: np.ndarray | None, t_in: int) -> int:
    per_out = np.abs(weight).reshape(weight.shape[0], -1).sum(axis=1) * ((1 << t_in) - 1)
    if bias is not None:
        per_out = per_out + np.abs(bias)
    return int(per_out.max())
