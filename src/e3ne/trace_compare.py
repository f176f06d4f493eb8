"""Where do the RTL and the interpreter part ways? (docs/hardware.md section 6)

The traced RTL writes every activation-memory write (``W``) and the partial potentials after
each timestep of every conv row (``C``) and linear group (``L``). This module recomputes the
same quantities from the ``snn`` interpreter and reports the first layer whose stored output
differs, the first differing neuron in it, and the first timestep at which that neuron's
partial potential differs (or that all partial sums agree, so the neuron's output stage does).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from e3ne import simulate
from e3ne.engine import images
from e3ne.interpreters import run as run_interpreter
from e3ne.interpreters.snn import conv2d_sum
from e3ne.ir import main_function
from e3ne.lowering.snn_to_hw import HwLayer, plan_layers
from e3ne.reference_ir import network_from_module


@dataclass
class Trace:
    writes: dict[int, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))  # layer -> addr -> word
    conv: dict[int, dict[tuple[int, int, int, int], list[int]]] = field(default_factory=lambda: defaultdict(dict))
    linear: dict[int, dict[tuple[int, int], list[int]]] = field(default_factory=lambda: defaultdict(dict))
    outputs: dict[int, int] = field(default_factory=dict)


def parse_trace(text: str) -> Trace:
    trace = Trace()
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "W":
            layer, _bank, addr = (int(p) for p in parts[1:4])
            trace.writes[layer][addr] = int(parts[4], 16)
        elif parts[0] == "C":
            layer, g, r, tile, t = (int(p) for p in parts[1:6])
            trace.conv[layer][(g, r, tile, t)] = [int(v) for v in parts[6:]]
        elif parts[0] == "L":
            layer, g, t = (int(p) for p in parts[1:4])
            trace.linear[layer][(g, t)] = [int(v) for v in parts[4:]]
    return trace


def conv_lane_output(lane: int, g: int, tile: int, cu: int, cols: int, slots: int) -> tuple[int, int] | None:
    """Output channel and column of value ``lane`` (unit-major) of a ``C`` line of group ``g`` and
    column tile ``tile``, for a layer of ``slots`` channel slots; None for an idle lane (docs/hardware.md 3)."""
    unit, x = divmod(lane, cols)
    width = cols // slots
    slot, column = divmod(x, width)
    if slot >= slots:
        return None
    return (g * slots + slot) * cu + unit, tile * width + column


def _planes(codes: np.ndarray, steps: int) -> list[np.ndarray]:
    return [(codes >> (steps - 1 - t)) & 1 for t in range(steps)]


def _partials(layer: HwLayer, codes: np.ndarray) -> list[np.ndarray]:
    """Interpreter partial potentials (no bias) after each input timestep, MSB first."""
    steps = layer.props["t_in"]
    weight = layer.weight
    if layer.kind == "conv":  # the map the conv units read (a linear layer's input, unflattened)
        codes = codes.reshape(codes.shape[0], *(layer.props[name] for name in ("c_in", "h_in", "w_in")))
    partial = None
    out = []
    for plane in _planes(codes, steps):
        if layer.kind == "conv":
            stride = (layer.props["sh"], layer.props["sw"])
            padding = (layer.props["ph"], layer.props["pw"])
            step = np.rint(conv2d_sum(plane, weight, stride, padding)).astype(np.int64)
        else:
            step = np.rint(plane.reshape(plane.shape[0], -1).astype(np.float64) @ weight.T).astype(np.int64)
        first = -step if layer.props.get("in_signed") else step  # signed codes: the sign plane subtracts
        partial = first if partial is None else 2 * partial + step
        out.append(partial)
    return out


def first_divergence(tiled_module: ModuleOp, directory: Path, x: np.ndarray, params: dict[str, int]) -> str:
    """Trace one image through the RTL and name where it first differs from the interpreter.

    ``tiled_module`` is the fused, tiled snn network: its ops are the hardware layers, so the
    interpreter's value of each is what the RTL's layer stores.
    """
    snn_module = tiled_module
    network = network_from_module(snn_module)
    codes = network.encode.stored_codes(x[:1])
    layers = plan_layers(main_function(snn_module))
    classes = layers[-1].props["c_out"]
    try:
        simulate.run(directory, codes, params, classes, trace=True)
    except Exception as err:  # a broken design may not even finish: say so
        return f"the traced simulation failed: {err}"
    trace = parse_trace((Path(directory) / "trace.txt").read_text())
    keep = {id(layer.result) for layer in layers} | {id(layer.source.input) for layer in layers}
    _, values = run_interpreter(snn_module, x[:1], record=lambda op: any(id(r) in keep for r in op.results))
    by_value = {id(op.results[0]): value for op, value in values.items()}
    by_value[id(main_function(snn_module).body.block.args[0])] = x[:1]
    for index, layer in enumerate(layers):
        found = _compare_layer(index, layer, trace, by_value, params)
        if found:
            return found
    return "the traced run matches the interpreter everywhere (the mismatch is in the output port)"


def _compare_layer(
    index: int, layer: HwLayer, trace: Trace, by_value: dict[int, np.ndarray], params: dict[str, int]
) -> str:
    assert layer.result is not None
    want = np.asarray(by_value[id(layer.result)])[0]
    label = f"layer {index} '{layer.name}' ({layer.kind})"
    if layer.props["raw"]:
        found = _timestep(layer, index, trace, by_value.get(id(layer.source.input)), params)
        return f"{label}: {found}" if found.startswith("the partial") else ""
    if layer.props.get("out_signed"):  # signed codes are stored as their t_out-bit patterns
        want = np.asarray(want, dtype=np.int64) & ((1 << layer.props["t_out"]) - 1)
    stored = _as_stored(layer, want)
    words = images.act_rows(stored, params["TMAX"], params["ROWW"])
    written = trace.writes.get(index, {})
    base = layer.props["dst_base"]  # the layer's words, from where the allocator placed them
    got = {addr - base: word for addr, word in written.items()}
    for addr, word in enumerate(words):
        if got.get(addr) == word:
            continue
        where, rtl_code, want_code = _first_code(addr, word, got.get(addr), stored, params)
        message = f"{label}: {where}: RTL code {rtl_code}, interpreter {want_code}"
        codes_in = by_value.get(id(layer.source.input))
        timestep = _timestep(layer, index, trace, codes_in, params)
        return f"{message}; {timestep}"
    return ""


def _as_stored(layer: HwLayer, value: np.ndarray) -> np.ndarray:
    """A layer's interpreter value as it is stored: a feature vector (linear unit) or a (C, H, W)
    map (conv units; a linear layer there writes its F neurons as an F x 1 x 1 map)."""
    if layer.kind == "linear":
        return value.reshape(-1)
    return value if value.ndim == 3 else value.reshape(-1, 1, 1)


def _first_code(addr: int, want_word: int, got_word: int | None, stored: np.ndarray, params: dict[str, int]):
    tmax, roww = params["TMAX"], params["ROWW"]
    mask = (1 << tmax) - 1
    for x in range(roww):
        want_code = (want_word >> (x * tmax)) & mask
        got_code = None if got_word is None else (got_word >> (x * tmax)) & mask
        if got_code != want_code:
            if stored.ndim == 3:
                _, h, _ = stored.shape
                return f"channel {addr // h}, row {addr % h}, column {x}", got_code, want_code
            return f"neuron {addr * roww + x}", got_code, want_code
    return f"word {addr}", None, None


def _timestep(layer: HwLayer, index: int, trace: Trace, codes_in, params: dict[str, int]) -> str:
    if codes_in is None:
        return "the layer's input is not available to compare partial sums"
    partials = _partials(layer, np.asarray(codes_in).astype(np.int64))
    steps = layer.props["t_in"]
    if layer.kind == "conv":
        cu, cols, slots = params["CU"], params["COLS"], layer.props.get("slots", 1)
        for (g, r, tile, t), values in sorted(trace.conv.get(index, {}).items(), key=lambda kv: kv[0][3]):
            for lane, value in enumerate(values):
                where = conv_lane_output(lane, g, tile, cu, cols, slots)
                if where is None or where[0] >= layer.props["c_out"] or where[1] >= layer.props["w_out"]:
                    continue
                o, x = where
                want = int(partials[t][0, o, r, x])
                if value != want:
                    return (
                        f"the partial potential of channel {o}, row {r}, column {x} first differs after "
                        f"timestep {t} of {steps} (RTL {value}, interpreter {want})"
                    )
    else:
        lanes = params["LANES"]
        for (g, t), values in sorted(trace.linear.get(index, {}).items(), key=lambda kv: kv[0][1]):
            for lane, value in enumerate(values):
                o = g * lanes + lane
                if o >= layer.props["c_out"]:
                    continue
                want = int(partials[t][0, o])
                if value != want:
                    return (
                        f"the partial potential of neuron {o} first differs after timestep {t} of {steps} "
                        f"(RTL {value}, interpreter {want})"
                    )
    return "all partial potentials agree at every timestep: the neuron's output stage (bias, shift, pooling) differs"
