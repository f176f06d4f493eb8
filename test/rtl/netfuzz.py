"""Random whole networks through the compiler's lowering and the RTL (issue 15: fuzzing).

A hypothesis strategy draws small quantized networks (:mod:`e3ne.reference` lists: conv, linear,
max pooling with overlapping windows, padding and ceil_mode, 2x2 average pooling, concatenated
branches, grouped and depthwise convolutions (the grouped mode), signed and unsigned input codes, T
per layer, odd widths and sizes, several output channel groups and channel slots, linear layers on
the linear unit or on the conv units).
:func:`cosimulate` lowers one with the passes ``e3ne compile`` runs (``module_from_network`` ->
``fuse-layers`` -> ``tile`` -> ``convert-snn-to-hw`` -> ``prepare-verilog``), runs every image on
an ``e3ne_core`` build in Verilator and compares the logits with the integer reference and the
cycles with the exact cycle model.

One difference from ``e3ne compile``: the core is not the generated top with the parameters the
network implies (each network would be a Verilator build of its own) but one of :data:`BUILDS`,
built once and cached by ``rtlsim``. Every parameter of a build is at least what the network needs
(checked for each network; ``CU``, ``COLS`` and ``LANES`` are the ``tile`` options), and the ROM
images and descriptors are packed for the build by ``prepare-verilog``'s own ``memory_lines`` and
``EngineOp.descriptors``. ``ROWW`` is the network's row width whenever the linear unit stores a
feature vector (the strategy makes the input row that wide), since vectors are packed ``ROWW`` codes
to a word (otherwise the case is rejected: a conv with a 1x1 output that ``tile`` puts on the
linear unit, without a hidden linear layer).

Rate encoding is not drawn: the engine is radix only (``convert-snn-to-hw`` refuses it).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from hypothesis import reject
from hypothesis import strategies as st
from rtlsim import CoreParams, run, verilator_build

from e3ne import reference as ref
from e3ne.dialects import e3ne_hw as hw
from e3ne.dialects.snn import accumulator_width, window_output_size
from e3ne.engine import images as img
from e3ne.engine.cycles import program_cycles
from e3ne.engine.schema import LayerKind, PoolMode, pool_output_size, slot_counts
from e3ne.errors import E3neError, verify_module
from e3ne.ir import make_context
from e3ne.lowering.hw_to_verilog import find_engine
from e3ne.lowering.prepare_verilog import PrepareVerilogPass, memory_lines
from e3ne.lowering.snn_to_hw import ConvertSnnToHwPass
from e3ne.passes.fuse_layers import FuseLayersPass
from e3ne.passes.tile import TilePass
from e3ne.reference_ir import module_from_network

_ROOMY = {"ADEPTH": 256, "CWDEPTH": 4096, "LWDEPTH": 4096, "BDEPTH": 128, "PDEPTH": 512, "DW": 12, "ACC": 28,
          "KMAX": 7, "SMAX": 2, "PMAX": 2, "PKMAX": 3, "PBANKS": 3, "HAS_SIGNED": 1}  # fmt: skip

BUILDS = {
    # two units of five lanes, every slot count 1 .. 5 (S = 2, 3, 4 leave lanes idle), 3 linear lanes
    "cu2x5": CoreParams(**_ROOMY, CU=2, COLS=5, SLOTS=5, SLOT_SET=0b111110, LANES=3, ROWW=7, TMAX=6, WB=8),
    # one unit of three lanes, slot counts 1 .. 3, 4 linear lanes, narrower weights and codes
    "cu1x3": CoreParams(**_ROOMY, CU=1, COLS=3, SLOTS=3, SLOT_SET=0b1110, LANES=4, ROWW=5, TMAX=5, WB=6),
}
"""The cores the fuzz runs on: each is one Verilator build (cached under build/rtl-sim/)."""

AT_LEAST = ("TMAX", "ADEPTH", "SLOTS", "WB", "ACC", "KMAX", "SMAX", "PMAX", "PKMAX", "PBANKS", "CWDEPTH",
            "LWDEPTH", "BDEPTH", "PDEPTH", "DW", "HAS_CONV", "HAS_LINEAR", "HAS_SIGNED")  # fmt: skip
"""Parameters where a build serves every network that needs at most as much."""

MAX_SIDE = 7
"""Largest input height and width (a linear layer on the conv units has its input map as kernel)."""


@functools.cache
def binary(name: str) -> Path:
    return verilator_build(BUILDS[name])


@dataclass
class Case:
    """One drawn network, its inputs and where it runs."""

    build: str
    network: ref.Network
    input_shape: tuple[int, int, int, int]
    weight_bits: int
    linear: str  # tile's placement of linear layers: auto, unit or conv
    x: np.ndarray

    def describe(self) -> str:
        """The network as one line per layer, for failure messages and the nightly report."""
        enc = self.network.encode
        head = f"build {self.build}, linear={self.linear}, input {self.input_shape[1:]} "
        head += f"{'si' if enc.signed else 'ui'}{enc.code_bits}, {self.weight_bits}-bit weights, {len(self.x)} images"
        return "\n".join([head, *(f"  {i}: {_layer_text(layer)}" for i, layer in enumerate(self.network.layers))])

    def kinds(self) -> set[str]:
        """The layer kinds and features the case exercises (the nightly script counts them)."""
        found = {"signed input" if self.network.encode.signed else "unsigned input", f"linear={self.linear}"}
        for layer in self.network.layers:
            name = type(layer).__name__
            if isinstance(layer, ref.MaxPool2d):
                k, s, p = layer.kernel[0], layer.stride[0], layer.padding[0]
                name += " overlapping" if s < k else ""
                name += " padded" if p else ""
                name += " ceil" if layer.ceil_mode else ""
            if isinstance(layer, ref.RadixNeuron) and layer.signed:
                name += " signed"
            found.add(name)
        return found


def _layer_text(layer: ref.Layer) -> str:
    if isinstance(layer, ref.Conv2d | ref.Linear):
        shape = "x".join(str(s) for s in layer.weight.shape)
        bias = "" if layer.bias is None else f", bias {layer.bias.tolist()}"
        extra = f", stride {layer.stride}, padding {layer.padding}" if isinstance(layer, ref.Conv2d) else ""
        return f"{type(layer).__name__} {shape}{extra}{bias}, weights {layer.weight.reshape(-1).tolist()}"
    return repr(layer)


# --------------------------------------------------------------------------- the strategy


def _weights(draw: st.DrawFn, rng: np.random.Generator, shape: tuple[int, ...], bits: int) -> np.ndarray:
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    kind = draw(st.sampled_from(["random", "min", "max", "extremes", "sparse"]))
    if kind == "min":
        return np.full(shape, lo, dtype=np.int64)
    if kind == "max":
        return np.full(shape, hi, dtype=np.int64)
    if kind == "extremes":
        return rng.choice(np.array([lo, hi]), size=shape)
    if kind == "sparse":
        return rng.integers(lo, hi + 1, size=shape) * (rng.random(shape) < 0.3)
    return rng.integers(lo, hi + 1, size=shape)


def _bias(draw: st.DrawFn, rng: np.random.Generator, channels: int) -> np.ndarray | None:
    scale = draw(st.sampled_from([0, 1, 16, 1 << 10]))
    return None if scale == 0 else rng.integers(-scale, scale + 1, size=channels)


def _neuron(draw: st.DrawFn, weight: np.ndarray, bias: np.ndarray | None, in_max: int, t_out: int) -> ref.RadixNeuron:
    """A neuron whose shift puts the potentials' likely range onto the codes, sometimes k <= 0 or far too large."""
    width = accumulator_width(weight, bias, in_max)
    shift = width - 1 - t_out - draw(st.integers(-2, 6))
    return ref.RadixNeuron(max(-t_out, shift), t_out)


@st.composite
def rtl_networks(draw: st.DrawFn, builds: tuple[str, ...] = tuple(BUILDS)) -> Case:
    """A small network the engine runs, on one of ``builds``."""
    name = draw(st.sampled_from(builds))
    p = BUILDS[name]
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    bits = draw(st.integers(2, p.WB))
    code_bits = draw(st.integers(1, p.TMAX))
    signed = code_bits >= 2 and draw(st.booleans())
    form = draw(st.sampled_from(["chain", "branches", "mlp"]))
    hidden = draw(st.booleans())  # a hidden linear layer (+ neuron) before the logits
    # tile refuses linear layers on the conv units that read the network input
    linear = draw(st.sampled_from(["auto", "unit"] if form == "mlp" else ["auto", "unit", "conv"]))
    channels = draw(st.integers(1, 3))
    height = draw(st.integers(2 if form == "branches" else 1, MAX_SIDE))
    # the linear unit packs feature vectors ROWW codes to a word: make the input row the widest
    width = p.ROWW if hidden else draw(st.integers(2 if form == "branches" else 1, min(p.ROWW, MAX_SIDE)))
    layers: list[ref.Layer] = []
    in_max = 1 << (code_bits - 1) if signed else (1 << code_bits) - 1
    state = {"shape": (channels, height, width), "in_max": in_max, "t": code_bits}

    def conv(source: int | None, same: bool, t_out: int) -> None:
        """conv + neuron (reading value ``source``; None: the last one) into ``state``."""
        c, h, w = state["shape"]  # type: ignore[misc]
        if source is not None:
            layers.append(ref.Branch(source))
        if same:
            k = draw(st.sampled_from([1, 3]))
            stride, pad = 1, k // 2
        else:
            k = draw(st.integers(1, min(3, h, w)))
            stride = draw(st.integers(1, p.SMAX))
            pad = draw(st.integers(0, min(k - 1, p.PMAX)))
            if window_output_size(w, k, stride, pad) > p.ROWW or window_output_size(h, k, stride, pad) > MAX_SIDE:
                pad = 0  # the row stays within a word, a linear layer's input within KMAX
        # a third of the convolutions grouped (depthwise when groups = c): zero weights across the
        # groups, which the conv engine's grouped mode skips (each group's input band only)
        divisors = [g for g in range(2, c + 1) if c % g == 0]
        groups = draw(st.sampled_from(divisors)) if divisors and draw(st.integers(0, 2)) == 0 else 1
        out = groups * draw(st.integers(1, max(1, (2 * p.CU + 1) // groups)))
        weight = _weights(draw, rng, (out, c, k, k), bits)
        weight[np.arange(out)[:, None] // (out // groups) != np.arange(c)[None, :] // (c // groups)] = 0
        bias = _bias(draw, rng, out)
        layers.append(ref.Conv2d(weight, bias, (stride, stride), (pad, pad)))
        layers.append(_neuron(draw, weight, bias, state["in_max"], t_out))  # type: ignore[arg-type]
        h, w = window_output_size(h, k, stride, pad), window_output_size(w, k, stride, pad)
        state.update(shape=(out, h, w), in_max=(1 << t_out) - 1, t=t_out)

    def pool(allowed: bool) -> None:
        c, h, w = state["shape"]  # type: ignore[misc]
        mode = draw(st.sampled_from(["none", "max", "max", "avg"])) if allowed and min(h, w) >= 2 else "none"
        if mode == "max":  # overlapping windows (stride < window), padding, ceil_mode
            k = draw(st.integers(2, min(p.PKMAX, h, w)))
            s = draw(st.integers(1, k))
            pad = draw(st.integers(0, k // 2))
            ceil = draw(st.booleans())
            if pool_output_size(w, k, s, pad, ceil) > p.ROWW or pool_output_size(h, k, s, pad, ceil) > MAX_SIDE:
                pad = 0
            layers.append(ref.MaxPool2d((k, k), (s, s), (pad, pad), ceil))
            state["shape"] = (c, pool_output_size(h, k, s, pad, ceil), pool_output_size(w, k, s, pad, ceil))
        elif mode == "avg":
            layers.append(ref.AvgPool2d((2, 2), (2, 2)))
            state["shape"] = (c, h // 2, w // 2)

    def t_next() -> int:
        return draw(st.integers(1, p.TMAX))

    if form == "chain":
        for _ in range(draw(st.integers(1, 2))):
            conv(None, False, t_next())
            pool(True)
    elif form == "branches":
        shared = t_next()  # the concatenated codes share T
        conv(None, True, shared)
        stem, stem_state = len(layers) - 1, dict(state)
        parts: list[tuple[int, int]] = []  # (value, channels)
        lengths = [draw(st.integers(0, 2)) for _ in range(draw(st.integers(2, 3)))]
        lengths[1:] = [max(n, 1) for n in lengths[1:]]  # the stem is in one concatenation at most once
        for length in lengths:
            state.update(stem_state)
            value = stem
            for _ in range(length):
                conv(value, True, shared)
                value = len(layers) - 1
            parts.append((value, state["shape"][0]))  # type: ignore[index]
        layers.append(ref.Concat(tuple(v for v, _ in parts)))
        _, h, w = stem_state["shape"]  # type: ignore[misc]
        state["shape"] = (sum(c for _, c in parts), h, w)
        # a pool of the concatenation moves onto each part: not onto the stem, which other layers read
        pool(lengths[0] > 0)
    layers.append(ref.Flatten())
    c, h, w = state["shape"]  # type: ignore[misc]
    features = c * h * w
    if hidden:
        out = draw(st.integers(1, 2 * max(p.LANES, p.CU * p.COLS) + 1))
        weight = _weights(draw, rng, (out, features), bits)
        bias = _bias(draw, rng, out)
        layers.append(ref.Linear(weight, bias))
        t_out = t_next()
        neuron = _neuron(draw, weight, bias, state["in_max"], t_out)  # type: ignore[arg-type]
        neuron.signed = t_out >= 2 and draw(st.booleans())  # no ReLU: signed hidden codes
        layers.append(neuron)
        features = out
    classes = draw(st.integers(1, 6))
    layers.append(ref.Linear(_weights(draw, rng, (classes, features), bits), _bias(draw, rng, classes)))
    if draw(st.booleans()):
        layers.append(ref.Relu())  # a ReLU on the logits
    network = ref.Network(ref.Encode(1.0 / ((1 << code_bits) - 1), code_bits, None, signed), layers)
    images = draw(st.integers(1, 3))
    inputs = draw(st.sampled_from(["random", "top", "bottom"]))
    low = -1.2 if signed else -0.2
    shape = (images, channels, height, width)
    x = {"top": np.full(shape, 1.2), "bottom": np.full(shape, low)}.get(inputs)
    if x is None:
        x = rng.uniform(low, 1.2, size=shape)
    return Case(name, network, (1, channels, height, width), bits, linear, x)


# --------------------------------------------------------------------------- lowering and co-simulation


@dataclass
class PackedImages:
    """The ROM images ``prepare-verilog`` packs, for a build's parameters (what ``rtlsim.run`` writes)."""

    params: CoreParams
    lines: dict[str, tuple[list[str], int]]

    def write(self, workdir: Path) -> None:
        for memory, (lines, bits) in self.lines.items():
            zero = "0" * -(-bits // 4)
            (workdir / f"{memory}.mem").write_text("\n".join(lines or [zero]) + "\n")


@dataclass
class Lowered:
    engine: hw.EngineOp
    needs: dict[str, int]  # the core parameters the network implies (prepare-verilog's)
    descriptors: list[dict[str, int]]  # packed for the build
    images: PackedImages


def lower_engine(network: ref.Network, input_shape: tuple[int, ...], weight_bits: int, tile: TilePass) -> hw.EngineOp:
    """The network through the compiler's passes: the prepared engine (its ``params`` are what it needs)."""
    module = module_from_network(network, input_shape, weight_bits)
    verify_module(module)
    ctx = make_context()
    for compiler_pass in (FuseLayersPass(), tile, ConvertSnnToHwPass(), PrepareVerilogPass()):
        try:
            compiler_pass.apply(ctx, module)
        except E3neError as err:
            if "its input is the network input" in str(err) and tile.linear == "conv":
                reject()  # a first conv with a 1x1 output is a linear layer, which linear=conv cannot place
            raise
        verify_module(module)
    return find_engine(module)


def pack(engine: hw.EngineOp, params: CoreParams) -> Lowered:
    """The engine's program and ROMs for a core built with ``params`` (prepare-verilog's packing)."""
    values = params.asdict()
    return Lowered(
        engine, engine.core_params(), engine.descriptors(values), PackedImages(params, memory_lines(engine, values))
    )


def lower(case: Case) -> Lowered:
    """The network through the compiler's passes, its ROMs and program packed for ``case.build``."""
    p = BUILDS[case.build]
    engine = lower_engine(
        case.network,
        case.input_shape,
        case.weight_bits,
        TilePass(units=p.CU, cols=p.COLS, lanes=p.LANES, linear=case.linear),
    )
    needs = engine.core_params()
    params = p.asdict()
    problems = [f"{k} {needs[k]} > {params[k]}" for k in AT_LEAST if needs[k] > params[k]]
    if needs["HAS_CONV"]:
        problems += [f"{k} {needs[k]} != {params[k]}" for k in ("CU", "COLS") if needs[k] != params[k]]
    if needs["HAS_LINEAR"] and needs["LANES"] != params["LANES"]:
        problems.append(f"LANES {needs['LANES']} != {params['LANES']}")
    if needs["ROWW"] > params["ROWW"]:
        problems.append(f"ROWW {needs['ROWW']} > {params['ROWW']}")
    vectors = any(isinstance(x, hw.LinearLayerOp) and not x.field("raw") for x in engine.layers())
    if vectors and needs["ROWW"] != params["ROWW"]:
        reject()  # vectors packed needs["ROWW"] codes to a word: a build of its own (rare: a 1x1 conv output)
    if not set(slot_counts(needs["SLOT_SET"])) <= set(slot_counts(params["SLOT_SET"])):
        problems.append(f"slot counts {slot_counts(needs['SLOT_SET'])} not in the build's")
    assert not problems, f"build {case.build} is too small for the network: {problems}\n{case.describe()}"
    return pack(engine, p)


@dataclass
class Outcome:
    cycles: int  # per image, measured
    model_cycles: int  # e3ne.engine.cycles.program_cycles
    outputs: list[list[int]]  # the RTL's logits, per image
    features: set[str]  # what the layer program exercises (:func:`program_features`)


def program_features(descriptors: list[dict[str, int]]) -> set[str]:
    """The engine features a layer program uses: units, slot counts, groups, column tiles, pooling."""
    found: set[str] = set()
    for d in descriptors:
        if d["kind"] == LayerKind.LINEAR:
            found.add("linear unit" + (", several groups" if d["groups"] > 1 else ""))
            continue
        whole = d["kh"] == d["h_in"] and d["kw"] == d["w_in"] and d["h_out"] == d["w_out"] == 1
        found.add(f"conv units, {d['slots']} slot{'s' if d['slots'] > 1 else ''}")
        found |= {"conv: kernel = whole input"} if whole else set()
        found |= {"conv: several groups"} if d["groups"] > 1 else set()
        found |= {"conv: grouped mode (input bands)"} if d["c_span"] else set()
        found |= {"conv: column tiles"} if d["col_tiles"] > 1 else set()
        found |= {f"pool unit: {PoolMode(d['pool_mode']).name.lower()}"} if d["pool_mode"] else set()
        found |= {"raw logits on the conv units"} if d["raw"] else set()
    return found


def run_images(
    simulator: Path, lowered: Lowered, network: ref.Network, x: np.ndarray, workdir: Path, what: str = "", seed: int = 1
) -> Outcome:
    """Every image of ``x`` on the core: logits == the reference's, cycles == the cycle model's."""
    p = lowered.images.params
    want = ref.run(network, x)
    model = program_cycles(lowered.descriptors, p.asdict())
    cycles, outputs = 0, []
    for i, image in enumerate(network.encode.stored_codes(x)):
        result = run(simulator, lowered.images, workdir, img.act_rows(image, p.TMAX, p.ROWW), seed=seed + i)
        assert [index for index, _ in sorted(result.outputs)] == list(range(want.shape[1])), what
        got = [value for _, value in sorted(result.outputs)]
        assert got == want[i].tolist(), f"image {i}: RTL {got}, reference {want[i].tolist()}\n{what}"
        assert result.cycles == model, f"image {i}: {result.cycles} cycles, the model says {model}\n{what}"
        cycles = result.cycles
        outputs.append(got)
    return Outcome(cycles, model, outputs, program_features(lowered.descriptors))


def cosimulate(case: Case, workdir: Path, seed: int = 1) -> Outcome:
    """Every image of ``case`` on its build: logits == the reference's, cycles == the cycle model's."""
    return run_images(binary(case.build), lower(case), case.network, case.x, workdir, case.describe(), seed)
