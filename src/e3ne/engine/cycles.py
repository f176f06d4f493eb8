"""Exact cycle counts of the e3ne engine (docs/hardware.md section 7), from layer descriptors.

The RTL runs one tap-step (conv) or feature-bit (linear) per cycle; the only stall holds the
last step of a row-tile / group while the output stage is still busy with the previous one.
With N steps per row-tile (group) and L_k the output-stage cycles of row-tile k, the last
step of row-tile k+1 issues at ``e_{k+1} = e_k + max(N, L_k + COPY)`` (COPY = 4: the copy to the
shadow registers takes the three pipeline stages, and the stall test looks at the output stage
itself). The test benches assert these numbers exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from e3ne.engine.schema import (
    DESCRIPTOR_NAMES,
    FETCH_CYCLES,
    LayerKind,
    decode_descriptor,
    pool_finished_rows,
    pool_step_fields,
)

COPY = 4
"""Cycles from the issue of a row-tile's (group's) last step to the output stage taking its potentials
(pipeline stages S1 memories, S2 window, S3 lanes, then the copy): the least row-tile period is L + COPY."""

POOL_LAG = 2
"""Cycles by which a layer's activation writes trail its output stage: a pool unit's row holds a
code three clock edges after it (e3ne_pool's stages), two more than the output stage waits."""

__all__ = [
    "COPY",
    "FETCH_CYCLES",
    "POOL_LAG",
    "conv_channels",
    "conv_cycles",
    "expected_cycles",
    "ideal_cycles",
    "linear_cycles",
    "program_cycles",
]


def _fields(desc: Sequence[int] | Mapping[str, int]) -> dict[str, int]:
    if isinstance(desc, Mapping):
        return {name: int(desc.get(name, 0)) for name in DESCRIPTOR_NAMES}
    return decode_descriptor(desc)


def conv_slots_visited(d: Mapping[str, int], cu: int, group: int) -> int:
    """The slots the output stage walks in ``group``: up to the last one holding a real channel."""
    left = d["c_out"] - group * cu * d["slots"]
    return min(d["slots"], -(-left // cu))


def conv_pool_rows(d: Mapping[str, int]) -> list[int]:
    """Per conv output row: the pooled rows that end with it (1 per row without pooling)."""
    k = d["pool_size"] or 1
    s, p, tail = pool_step_fields(d["pool_step"])
    return pool_finished_rows(d["h_out"], k, s or k, p, tail)


def conv_output_cycles(
    d: Mapping[str, int], cu: int, group: int, row: int, tile: int, ends: Sequence[int] | None = None
) -> int:
    """Cycles the conv output stage is busy with row-tile (row, tile) of ``group``.

    Per slot it walks (the S = ``slots`` channel slots of ``slot_width`` lanes, up to the last with
    a real channel): its CU biases (CU + 1 cycles), its real lanes, after the row's last tile the
    pool's right padding (``pool_tail`` codes 0) and, if window rows end with the row (``ends``, from
    :func:`conv_pool_rows`), the pool's last code and CU writes per such window row (raw: CU outputs).
    """
    width = d["slot_width"]
    ends = conv_pool_rows(d) if ends is None else ends
    slots = conv_slots_visited(d, cu, group)
    lanes = min(width, d["w_out"] - tile * width)
    last_tile = tile == d["col_tiles"] - 1
    tail = pool_step_fields(d["pool_step"])[2] if last_tile else 0
    writes = 1 + cu * ends[row] if last_tile and ends[row] else 0
    return slots * (cu + 1 + lanes + tail + writes)


def conv_channels(d: Mapping[str, int]) -> int:
    """The input channels a group's channel loop runs: its band ``c_span`` in grouped mode, else ``c_in``."""
    return d.get("c_span", 0) or d["c_in"]


def conv_cycles(d: Mapping[str, int], cu: int) -> int:
    """Engine cycles of a conv layer, from the start pulse to done, both included."""
    steps = d["t_in"] * conv_channels(d) * d["kh"] * d["kw"]
    groups = d["groups"]
    ends = conv_pool_rows(d)

    def outs(g: int) -> list[int]:
        return [conv_output_cycles(d, cu, g, r, t, ends) for r in range(d["h_out"]) for t in range(d["col_tiles"])]

    last = outs(groups - 1)  # the groups before the last walk every slot alike
    full = sum(max(steps, out + COPY) for out in outs(0)) if groups > 1 else 0
    issue_last = steps + (groups - 1) * full + sum(max(steps, out + COPY) for out in last[:-1])
    # COPY + 1: the copy to the shadow registers and done; POOL_LAG: the writes wait for the pool's stages
    return issue_last + COPY + 1 + last[-1] + POOL_LAG


def linear_cycles(d: Mapping[str, int], lanes: int) -> int:
    """Engine cycles of a linear layer, from the start pulse to done, both included."""
    steps = d["t_in"] * d["c_in"]
    groups = d["groups"]
    neurons = [min(lanes, d["c_out"] - g * lanes) for g in range(groups)]
    issue_last = steps + sum(max(steps, n + COPY) for n in neurons[:-1])
    # the last neuron: bias read and register, requant, then the raw port, or the packer and the word write
    return issue_last + COPY + neurons[-1] + (3 if d["raw"] else 5 + POOL_LAG)


def expected_cycles(desc: Sequence[int] | Mapping[str, int], params: Mapping[str, int]) -> int:
    """Engine cycles of one layer (start pulse to done, inclusive); ``params`` has CU and LANES."""
    d = _fields(desc)
    if d["kind"] == LayerKind.CONV:
        return conv_cycles(d, params["CU"])
    if d["kind"] == LayerKind.LINEAR:
        return linear_cycles(d, params["LANES"])
    raise ValueError(f"descriptor kind {d['kind']} is not a layer")


def program_cycles(descs: Sequence[Sequence[int] | Mapping[str, int]], params: Mapping[str, int]) -> int:
    """Cycles of a whole program run: clock edges from the one that samples ``start`` to the one that
    raises ``done``, inclusive. ``descs`` are the layers (an end descriptor, if given, stops the walk)."""
    total = FETCH_CYCLES + 1  # the end descriptor's fetch, and the edge that samples start
    for desc in descs:
        if _fields(desc)["kind"] == LayerKind.END:
            break
        total += FETCH_CYCLES + expected_cycles(desc, params)
    return total


def ideal_cycles(desc: Sequence[int] | Mapping[str, int], params: Mapping[str, int], feature_groups: int = 1) -> float:
    """The ideal bound: synaptic operations x input timesteps / parallel accumulators (a conv of
    ``feature_groups`` groups: each output channel reads ``c_in / feature_groups`` input channels)."""
    d = _fields(desc)
    if d["kind"] == LayerKind.CONV:
        ops = d["c_out"] * d["h_out"] * d["w_out"] * d["c_in"] // feature_groups * d["kh"] * d["kw"]
        return ops * d["t_in"] / (params["CU"] * params["COLS"])
    if d["kind"] == LayerKind.LINEAR:
        return d["c_out"] * d["c_in"] * d["t_in"] / params["LANES"]
    raise ValueError(f"descriptor kind {d['kind']} is not a layer")
