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
from dataclasses import dataclass

from e3ne.engine import dram
from e3ne.engine.schema import (
    DESCRIPTOR_NAMES,
    FETCH_CYCLES,
    LayerKind,
    conv_channels,
    decode_descriptor,
    param_segments,
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
    "DramTiming",
    "conv_channels",
    "conv_cycles",
    "dram_bursts",
    "expected_cycles",
    "ideal_cycles",
    "layer_cycles",
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


def expected_cycles(
    desc: Sequence[int] | Mapping[str, int], params: Mapping[str, int], dram_state: _DramState | None = None
) -> int:
    """Engine cycles of one layer (start pulse to done, inclusive); ``params`` has CU and LANES (and,
    with weights in DRAM, the DRAM parameters: ``dram_state`` carries the memory's state)."""
    d = _fields(desc)
    if d["kind"] not in (LayerKind.CONV, LayerKind.LINEAR):
        raise ValueError(f"descriptor kind {d['kind']} is not a layer")
    if dram_state is not None:
        return _dram_layer_cycles(d, params, dram_state)
    if d["kind"] == LayerKind.CONV:
        return conv_cycles(d, params["CU"])
    return linear_cycles(d, params["LANES"])


def program_cycles(
    descs: Sequence[Sequence[int] | Mapping[str, int]],
    params: Mapping[str, int],
    dram_timing: DramTiming | None = None,
) -> int:
    """Cycles of a whole program run: clock edges from the one that samples ``start`` to the one that
    raises ``done``, inclusive. ``descs`` are the layers (an end descriptor, if given, stops the walk).
    With ``dram_timing`` the weights come from DRAM (``params`` then holds schema.DRAM_PARAMS too)."""
    state = _DramState(dram_timing) if dram_timing is not None else None
    return _program(descs, params, state)


def layer_cycles(
    descs: Sequence[Sequence[int] | Mapping[str, int]],
    params: Mapping[str, int],
    dram_timing: DramTiming | None = None,
) -> list[int]:
    """Engine cycles of each layer of a program run (start pulse to done), as :func:`program_cycles`
    counts them: with weights in DRAM a layer's cycles depend on the bursts of the layers before."""
    state = _DramState(dram_timing) if dram_timing is not None else None
    return [expected_cycles(d, params, state) for d in descs if _fields(d)["kind"] != LayerKind.END]


def dram_bursts(
    descs: Sequence[Sequence[int] | Mapping[str, int]], params: Mapping[str, int], dram_timing: DramTiming
) -> int:
    """The AXI bursts a program run with weights in DRAM makes (what the memory model counts)."""
    state = _DramState(dram_timing)
    _program(descs, params, state)
    return state.bursts


def _program(
    descs: Sequence[Sequence[int] | Mapping[str, int]], params: Mapping[str, int], state: _DramState | None
) -> int:
    total = FETCH_CYCLES + 1  # the end descriptor's fetch, and the edge that samples start
    for desc in descs:
        if _fields(desc)["kind"] == LayerKind.END:
            break
        total += FETCH_CYCLES + expected_cycles(desc, params, state)
    return total


# --------------------------------------------------------------------------- weights from DRAM


@dataclass(frozen=True)
class DramTiming:
    """The AXI memory's timing (test/rtl/tb_core.v's axi_rom_model, docs/hardware.md 7).

    Burst b of a run (numbered from 0) is accepted while fewer than ``queue`` bursts are waiting; its
    first beat comes ``latency + (s_b & latency_mask)`` cycles after its acceptance at the earliest
    and after the previous burst's last beat, then one beat per cycle; ``s_0 = seed`` and ``s_(b+1)``
    the 16-bit LFSR step of ``s_b`` (:func:`lfsr_step`). ``latency_mask = 0``: a fixed latency.
    The bandwidth is one beat (``AXIW / 8`` bytes) per cycle.
    """

    latency: int = 2
    latency_mask: int = 0
    seed: int = 1
    queue: int = 4

    def __post_init__(self) -> None:
        if self.latency < 2 or self.queue < 1 or not 0 < self.seed < 1 << 16:
            raise ValueError(f"not a memory timing: {self} (latency >= 2, queue >= 1, 0 < seed < 2^16)")


def lfsr_step(s: int) -> int:
    """The 16-bit Fibonacci LFSR (taps 16, 14, 13, 11) of the memory model's latencies."""
    bit = ((s >> 15) ^ (s >> 13) ^ (s >> 12) ^ (s >> 10)) & 1
    return ((s << 1) | bit) & 0xFFFF


class _DramState:
    """What carries over from layer to layer: the memory's LFSR (one step per burst)."""

    def __init__(self, timing: DramTiming):
        self.timing = timing
        self.lfsr = timing.seed
        self.bursts = 0

    def latency(self) -> int:
        lat = self.timing.latency + (self.lfsr & self.timing.latency_mask)
        self.lfsr = lfsr_step(self.lfsr)
        self.bursts += 1
        return lat


class _Fetch:
    """e3ne_wfetch's requests for one layer and when each word may be read (edges after the start).

    Bursts are scheduled in order, lazily: group g's words need only the engine's group starts
    ``starts[0 .. g]`` (the edges at which the engine's group base moved to group h), as the cache
    holds two groups. Request b is raised at ``T = max(A_(b-1) + 1, 2, two edges after the group
    base frees a word)`` (the length is a register) and is as long as the free words (by the group
    base before edge T - 1), the layer and the burst boundary allow;
    accepted at ``A = max(T + 1, the (b-queue)-th burst's last beat + 1)``; its beats follow the
    memory's latency; a word's step may issue the edge after its last beat (``avail``).
    """

    def __init__(self, d: Mapping[str, int], params: Mapping[str, int], state: _DramState):
        conv = d["kind"] == LayerKind.CONV
        bits = params["CU"] * len_segments(params) * params["WB"] if conv else params["LANES"] * params["WB"]
        self.bpw = dram.beats_per_word(bits, params["AXIW"])
        self.bwords = dram.burst_words(bits, params["AXIW"], params["AXI_BURST"])
        self.depth = params["CWCACHE" if conv else "LWCACHE"]
        self.gw = dram.group_words(d)
        self.words = dram.layer_words(d)
        if self.depth < 2 * self.gw:
            raise ValueError(f"a weight cache of {self.depth} words holds fewer than two groups of {self.gw}")
        self.state = state
        self.base = d["w_base"] % self.bwords  # burst boundaries are absolute word addresses
        self.nreq = 0
        self.accepted = 0  # A of the last burst (0: none yet, so the first request rises at edge 1)
        self.last_beats: list[int] = []
        self.avail: list[int] = []

    def ensure(self, upto: int, starts: Sequence[int]) -> None:
        """Schedule bursts until the words before ``upto`` are requested."""
        timing = self.state.timing
        while self.nreq < upto:
            h = max(0, (self.nreq - self.depth) // self.gw + 1)  # the group base that frees a word
            # the length is registered: a request at edge t sees the group base before edge t - 1
            t = max(self.accepted + 1, starts[h] + 2, 2)
            while h + 1 < len(starts) and starts[h + 1] <= t - 2:
                h += 1
            free = h * self.gw + self.depth - self.nreq
            n = min(self.bwords - (self.base + self.nreq) % self.bwords, self.words - self.nreq, free)
            b = len(self.last_beats)
            a = max(t + 1, self.last_beats[b - timing.queue] + 1 if b >= timing.queue else 0)
            first = max(a + self.state.latency(), self.last_beats[-1] + 1 if b else 0)
            self.last_beats.append(first + n * self.bpw - 1)
            self.avail += [first + (j + 1) * self.bpw for j in range(n)]
            self.nreq += n
            self.accepted = a


def len_segments(params: Mapping[str, int]) -> int:
    """Conv weight fields per unit (weight segments, docs/hardware.md 2.2)."""
    return len(param_segments(params))


def _dram_layer_cycles(d: Mapping[str, int], params: Mapping[str, int], state: _DramState) -> int:
    """As conv_cycles / linear_cycles, with each group's first pass over its words waiting for them.

    Row-tile k+1's last step issues at ``max(s + N - GW, e_k + L_k + COPY)``, s the issue of the last of
    its first GW steps: ``s_i = max(s_(i-1) + 1, avail_i)`` from ``e_k + 1`` in a group's first row-tile
    (the words are all there after it), ``e_k + GW`` otherwise.
    """
    conv = d["kind"] == LayerKind.CONV
    fetch = _Fetch(d, params, state)
    gw, groups = fetch.gw, d["groups"]
    steps = d["t_in"] * gw
    if conv:
        ends = conv_pool_rows(d)

        def outs(g: int) -> list[int]:
            rows = range(d["h_out"])
            return [conv_output_cycles(d, params["CU"], g, r, t, ends) for r in rows for t in range(d["col_tiles"])]

        full, last = outs(0), outs(groups - 1)  # the output cycles of a group's row-tiles
        tiles = [last if g == groups - 1 else full for g in range(groups)]
    else:
        tiles = [[min(params["LANES"], d["c_out"] - g * params["LANES"])] for g in range(groups)]
    starts = [0]  # the edge at which the group base moves to group g
    e = 0  # the last step's issue of the row-tile before
    prev_out = -COPY  # its output stage cycles
    for g in range(groups):
        fetch.ensure((g + 1) * gw, starts)
        s = e
        for i in range(g * gw, (g + 1) * gw):
            s = max(s + 1, fetch.avail[i])
        e = max(s + steps - gw, e + prev_out + COPY) if g else s + steps - gw
        for out in tiles[g][:-1]:
            e += max(steps, out + COPY)
        prev_out = tiles[g][-1]
        starts.append(e)
    if conv:
        return e + COPY + 1 + prev_out + POOL_LAG
    return e + COPY + prev_out + (3 if d["raw"] else 5 + POOL_LAG)


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
