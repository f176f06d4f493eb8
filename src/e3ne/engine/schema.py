"""The engine's interface, written down once: the layer descriptor and the core parameters.

Everything that has to agree about them derives from the two tables below:

* the ``e3ne_hw`` layer ops (their properties and ranges: :func:`layer_fields`);
* the program ROM image (:func:`descriptor_words`, the one descriptor builder, used by
  ``prepare-verilog`` and by the RTL tests alike) and its decoder;
* the exact cycle model (:data:`FETCH_CYCLES`);
* the controller's field registers: ``rtl/e3ne_descriptor.vh`` is generated from
  :data:`FIELDS` (``python -m e3ne.tools.schema_files --write``), and ``rtl/e3ne_controller.v``
  includes it;
* the generated top (:data:`CORE_PARAMS`, the parameter list of ``rtl/e3ne_core.v``);
* docs/hardware.md's descriptor and parameter tables (:func:`markdown_tables`).

``test/unit/test_schema.py`` regenerates the header and the tables and compares them with the
files, and checks the RTL's parameter list and the dialect against these tables.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path


class LayerKind(IntEnum):
    """Descriptor field ``kind``: which engine runs the layer (END stops the program)."""

    END = 0
    CONV = 1
    LINEAR = 2


class PoolMode(IntEnum):
    """Descriptor field ``pool_mode`` of a conv layer: pooling on the output path."""

    NONE = 0
    MAX = 1
    AVG = 2


DESCRIPTOR_WORDS = 32
"""Program ROM words per layer (one 32-bit word per field; the rest are spare)."""

WORD_BITS = 32


@dataclass(frozen=True)
class Packed:
    """A derived value in the spare high bits of a field's word (the descriptor is full at 32 words):
    bits ``shift`` and up of the word, read into a controller register of its own."""

    name: str
    bits: str
    """Width of the controller register, a Verilog expression over e3ne_core's localparams."""
    shift: int
    """Its lowest bit in the word (the field's own value lies below it)."""
    conv: str
    """What it holds in a conv layer's descriptor (0 in a linear layer's)."""


@dataclass(frozen=True)
class Field:
    """One descriptor field: a program ROM word and the controller register it is read into."""

    name: str
    bits: str
    """Width of the controller register, a Verilog expression over e3ne_core's localparams."""
    conv: str
    """What it holds in a conv layer's descriptor ("" = unused, 0)."""
    linear: str
    """What it holds in a linear layer's descriptor ("" = unused, 0)."""
    lo: int = 0
    hi: int = (1 << 24) - 1
    """Range of the value (the layer op's property is verified against it)."""
    derived: bool = False
    """Computed from the layer and the engine parameters (:func:`descriptor_fields`), not a property."""
    linear_name: str = ""
    """The linear layer op's property name when it differs from ``name``."""
    signed: bool = False
    """Two's complement in the ROM word; the controller saturates it into its register."""
    packed: tuple[Packed, ...] = ()
    """Derived values in the word's spare high bits (:class:`Packed`)."""

    @property
    def index(self) -> int:
        return FIELD_INDEX[self.name]

    def prop(self, kind: LayerKind) -> str | None:
        """The property of a layer op of ``kind`` that holds this field (None: derived or unused)."""
        if self.derived:
            return None
        if kind is LayerKind.CONV:
            return self.name if self.conv else None
        return (self.linear_name or self.name) if self.linear else None


COUNT = (1, (1 << 24) - 1)
BASE = (0, (1 << 24) - 1)

MAX_SLOTS = 1024
"""The most channel slots of a layer (one lane each in a unit of the most lanes)."""


FIELDS: tuple[Field, ...] = (
    Field(
        "kind",
        "2",
        "1 (conv)",
        "2 (linear)",
        0,
        2,
        derived=True,
        packed=(
            Packed(
                "c_span",
                "DW",
                4,
                "grouped mode: the input channels each group's channel loop runs, from `g * c_step` "
                "(`schema.conv_band`); 0: all `c_in` (dense)",
            ),
        ),
    ),
    Field("src_bank", "1", "activation bank read", "activation bank read", 0, 1),
    Field("dst_bank", "1", "activation bank written", "activation bank written", 0, 1),
    Field("src_base", "AABITS", "word address of the input map", "word address of the input rows", *BASE),
    Field("dst_base", "AABITS", "word address of the output map", "word address of the output vector", *BASE),
    Field("c_in", "DW", "input channels", "input features `F_in`", *COUNT),
    Field("h_in", "DW", "input height", "", *COUNT),
    Field("w_in", "DW", "input width", "`in_row_width`: codes per input word", 1, 4096, linear_name="in_row_width"),
    Field("kh", "KB", "kernel height", "", 1, 15),
    Field("kw", "KB", "kernel width", "", 1, 15),
    Field("sh", "SB", "vertical stride", "", 1, 8),
    Field("sw", "SB", "horizontal stride", "", 1, 8),
    Field("ph", "PB", "vertical padding", "", 0, 7),
    Field("pw", "PB", "horizontal padding", "", 0, 7),
    Field("c_out", "DW", "output channels", "output features `F_out`", *COUNT),
    Field("h_out", "DW", "conv output height (before pooling)", "", *COUNT),
    Field("w_out", "DW", "conv output width (before pooling)", "", *COUNT),
    Field("t_in", "TBITS", "input timesteps", "input timesteps", 1, 16),
    Field("t_out", "TBITS", "output timesteps", "output timesteps", 1, 16),
    Field("shift", "KBITS", "k of the neuron (may be <= 0)", "k of the neuron", -(1 << 31), (1 << 31) - 1, signed=True),
    Field("pool_mode", "2", "0 none, 1 max, 2 average", "", 0, 2),
    Field("pool_size", "PSB", "pooling window side K (1 without pooling)", "", 1, 15),
    Field("w_base", "WABITS", "conv weight ROM base", "linear weight ROM base", *BASE),
    Field("b_base", "BABITS", "bias ROM base", "bias ROM base", *BASE),
    Field(
        "raw",
        "2",
        "1: the last layer, one output position (h_out = w_out = 1, no pooling), raw `V + b` of channel o "
        "on the output port; 3: `max(V + b, 0)` (a ReLU on the logits)",
        "1: the last layer, raw `V + b` on the output port; 3: `max(V + b, 0)`",
        0,
        3,
    ),
    Field("groups", "DW", "`ceil(c_out / (CU * slots))`", "`ceil(F_out / LANES)`", *COUNT, derived=True),
    Field("col_tiles", "DW", "`ceil(w_out / slot_width)`", "", *COUNT, derived=True),
    Field("h_store", "DW", "stored height: the pooled height (`pool_output_size`)", "", *COUNT, derived=True),
    Field("slots", "SLB", "channel slots S: output channels side by side in a unit's lanes", "", 1, MAX_SLOTS),
    Field("slot_width", "DW", "lanes per slot `floor(COLS / slots)`", "", *COUNT, derived=True),
    Field(
        "signs",
        "2",
        "bit 0 `in_signed`: the input codes are signed (two's complement: the first bit plane weighs "
        "`-2^(t_in-1)`); bit 1 `out_signed`: the layer writes signed codes (no ReLU: the requant clamps to "
        "`[-2^(t_out-1), 2^(t_out-1) - 1]`)",
        "bit 0 `in_signed`, bit 1 `out_signed`, as for a conv layer",
        0,
        3,
        derived=True,
        packed=(
            Packed(
                "band_step",
                "AABITS",
                4,
                "grouped mode: words from one group's input band to the next, `c_step * h_in` (0 dense)",
            ),
        ),
    ),
    Field(
        "pool_step",
        "12",
        "pooling stride S (bits 0-3), padding before p (4-7) and after (8-11: `pool_tail`); 1 without pooling",
        "",
        0,
        (1 << 12) - 1,
        derived=True,
    ),
)
"""The descriptor, in ROM order: field ``i`` of layer ``l`` is program word ``l*32 + i``."""

FIELD_INDEX: dict[str, int] = {f.name: i for i, f in enumerate(FIELDS)}
FIELDS_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}

PACKED: tuple[Packed, ...] = tuple(p for f in FIELDS for p in f.packed)
"""Every packed value, in descriptor order (their controller registers follow the fields')."""
PACKED_IN: dict[str, Field] = {p.name: f for f in FIELDS for p in f.packed}
"""Packed value -> the field whose word holds it."""
DESCRIPTOR_NAMES: tuple[str, ...] = tuple(FIELD_INDEX) + tuple(PACKED_IN)
"""Every value of a descriptor: the fields, then the packed values."""

FIELD_BITS = (DESCRIPTOR_WORDS - 1).bit_length()
"""Bits of a field index: the program ROM address is {layer, field}."""
assert len(FIELDS) <= DESCRIPTOR_WORDS  # the controller counts fields in FIELD_BITS + 1 bits

FETCH_CYCLES = len(FIELDS) + 1
"""Controller cycles to read a descriptor (one ROM read per field, plus the ROM latency)."""


def layer_fields(kind: LayerKind) -> list[Field]:
    """The fields a layer op of ``kind`` holds as properties, in descriptor order."""
    return [f for f in FIELDS if f.prop(kind) is not None]


@dataclass(frozen=True)
class Param:
    """A parameter of ``rtl/e3ne_core.v`` (and of the generated top's instance of it)."""

    name: str
    default: int | str
    meaning: str
    dram: bool = False  # set only for weights in DRAM (not an e3ne_hw.engine param: DRAM_PARAMS)


CORE_PARAMS: tuple[Param, ...] = (
    Param("TMAX", 4, "bits per code in activation memory = the most timesteps of any stored activation"),
    Param("ROWW", 8, "codes per activation-memory word (the widest stored row)"),
    Param("ADEPTH", 64, "words per activation bank"),
    Param("COLS", 8, "lanes (output columns) per conv unit"),
    Param("CU", 2, "conv units (duplication: output channels computed at once)"),
    Param("SLOTS", 1, "the most channel slots of a layer (output channels side by side in a unit's lanes)"),
    Param("SLOT_SET", 2, "the slot counts the layers use, as a bit mask (bit S set: S slots)"),
    Param("LANES", 16, "neurons of the linear unit"),
    Param("WB", 8, "weight bits (two's complement)"),
    Param("ACC", 16, "accumulator width (the largest bit-width bound of any layer, at least WB + 1)"),
    Param("KMAX", 5, "largest kernel side the conv engine supports"),
    Param("SMAX", 2, "largest stride"),
    Param("PMAX", 2, "largest padding"),
    Param("PKMAX", 2, "largest pooling window side"),
    Param("PBANKS", 1, "pool line buffer banks: the most window rows open at once, `ceil(K / S)`"),
    Param("CWDEPTH", 16, "conv weight ROM words"),
    Param("LWDEPTH", 16, "linear weight ROM words"),
    Param("BDEPTH", 16, "bias ROM words"),
    Param("PDEPTH", 64, "program ROM words (at least two descriptors: a layer and the end)"),
    Param("HAS_CONV", 1, "0 leaves out the conv engine and its ROM"),
    Param("HAS_LINEAR", 1, "0 leaves out the linear engine and its ROM (every layer runs on the conv units)"),
    Param("CW_INIT", '"conv_weights.mem"', "conv weight ROM image"),
    Param("LW_INIT", '"linear_weights.mem"', "linear weight ROM image"),
    Param("B_INIT", '"biases.mem"', "bias ROM image"),
    Param("P_INIT", '"program.mem"', "program ROM image"),
    Param("DW", 16, "width of descriptor counts (channels, rows, features, groups, tiles)"),
    Param("KBITS", 8, "width of the signed shift k"),
    Param("HAS_SIGNED", 0, "1 lets the lanes subtract on the sign plane: some layer reads signed input codes"),
    Param("WDRAM", 0, "1: weights from DRAM over AXI4 into caches (2.6); `CWDEPTH`, `LWDEPTH` count DRAM words", True),
    Param("AXIW", 64, "AXI data bits (a beat)", True),
    Param("AXI_BURST", 16, "most beats of an AXI burst (a power of two)", True),
    Param("CWCACHE", 16, "conv weight cache words (a power of two, at least two groups)", True),
    Param("LWCACHE", 16, "linear weight cache words (a power of two, at least two groups)", True),
    Param("LW_DRAM", 4096, "byte offset of the linear weights in the DRAM image", True),
    Param("WL_INIT", '"weight_layout.mem"', "weight layout ROM image: per layer, one past its last weight word", True),
)
"""``e3ne_core``'s parameters, in its order, with its defaults."""


def param_literal(name: str, params: Mapping[str, int]) -> str:
    """The Verilog literal of core parameter ``name``: decimal, but ``SLOT_SET`` (a mask that may
    pass 32 bits) sized as its declaration, ``SLOTS + 1`` bits."""
    value = params[name]
    if name == "SLOT_SET":
        return f"{params['SLOTS'] + 1}'h{value:x}"
    return str(value)


PARAM_DEFAULTS: dict[str, int] = {p.name: p.default for p in CORE_PARAMS if isinstance(p.default, int) and not p.dram}
"""The integer parameters the compiler chooses (``e3ne_hw.engine``'s ``params``), with the RTL's defaults."""
ENGINE_PARAMS: tuple[str, ...] = tuple(PARAM_DEFAULTS)
DRAM_PARAMS: dict[str, int] = {p.name: p.default for p in CORE_PARAMS if isinstance(p.default, int) and p.dram}
"""The integer parameters of weights in DRAM (docs/hardware.md 2.6), with the RTL's defaults: chosen
by ``e3ne compile --weights dram`` (e3ne.engine.dram), not part of the engine's IR."""

INIT_PARAMS: dict[str, str] = {"conv_weights": "CW_INIT", "linear_weights": "LW_INIT", "biases": "B_INIT",
                               "program": "P_INIT"}  # fmt: skip
"""ROM name -> the core parameter that names its ``$readmemh`` image."""


# --------------------------------------------------------------------------- the descriptor


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def descriptor_fields(kind: LayerKind, props: Mapping[str, int], params: Mapping[str, int]) -> dict[str, int]:
    """Every field of a layer's descriptor: its op's properties plus the derived fields.

    ``props`` holds the layer op's properties by descriptor field name (``w_in`` for a linear
    layer's ``in_row_width``); ``params`` the engine's (``CU``, ``COLS``, ``LANES``).
    """
    fields = dict.fromkeys(DESCRIPTOR_NAMES, 0)
    for f in layer_fields(kind):
        fields[f.name] = int(props[f.name])
    fields["kind"] = int(kind)
    fields["signs"] = int(props.get("in_signed", 0)) | int(props.get("out_signed", 0)) << 1
    if kind is LayerKind.CONV:
        fields["slot_width"] = params["COLS"] // fields["slots"]
        fields["groups"] = _ceil_div(fields["c_out"], params["CU"] * fields["slots"])
        fields["col_tiles"] = _ceil_div(fields["w_out"], fields["slot_width"])
        window = pool_window(props)
        fields["h_store"] = pool_output_size(fields["h_out"], *window)
        k, s, p, ceil = window
        fields["pool_step"] = s | p << 4 | pool_tail(k, s, p, ceil) << 8
        span, step = conv_band(
            fields["c_in"], fields["c_out"], int(props.get("feature_groups", 1)), params["CU"] * fields["slots"]
        )
        if span != fields["c_in"]:  # grouped mode; 0, 0 (dense) keeps a dense layer's words as they were
            fields["c_span"], fields["band_step"] = span, step * fields["h_in"]
    elif kind is LayerKind.LINEAR:
        fields["groups"] = _ceil_div(fields["c_out"], params["LANES"])
    return fields


def conv_channels(d: Mapping[str, int]) -> int:
    """The input channels a group's channel loop runs: its band ``c_span`` in grouped mode, else ``c_in``."""
    return d.get("c_span", 0) or d["c_in"]


@functools.cache
def conv_band(c_in: int, c_out: int, feature_groups: int, per_group: int) -> tuple[int, int]:
    """(c_span, c_step) of a conv layer whose ``feature_groups`` groups of output channels each read
    only their own ``c_in / feature_groups`` input channels (a grouped or depthwise convolution), on
    an engine computing ``per_group`` (CU * slots) output channels at once: engine group ``g`` runs
    its channel loop over the band ``g*c_step … g*c_step + c_span - 1``, which holds every input
    channel its output channels read and lies inside ``0 … c_in - 1`` (docs/hardware.md 3). The
    narrowest such band; ``(c_in, 0)``, the dense mode, when no narrower one has a constant step (e.g.
    a feature group spread over several engine groups)."""
    if feature_groups <= 1 or c_in % feature_groups or c_out % feature_groups:
        return c_in, 0
    ci, co = c_in // feature_groups, c_out // feature_groups
    groups = -(-c_out // per_group)
    # the input channels engine group g needs: the feature groups of its first and last channel
    lo = [g * per_group // co * ci for g in range(groups)]
    hi = [(min((g + 1) * per_group, c_out) - 1) // co * ci + ci for g in range(groups)]
    for span in range(max(b - a for a, b in zip(lo, hi, strict=True)), c_in):
        if span < hi[0]:
            continue
        # g*step <= lo[g], g*step + span <= c_in and g*step + span >= hi[g] for every g >= 1
        most = min((min(lo[g], c_in - span) // g for g in range(1, groups)), default=0)
        least = max((-(-(hi[g] - span) // g) for g in range(1, groups)), default=0)
        if max(least, 0) <= most:
            return span, most
    return c_in, 0


PoolWindow = tuple[int, int, int, bool]
"""(K, S, p, ceil_mode) of a conv layer's pooling: window side, stride, padding, PyTorch's ceil_mode."""


def pool_window(props: Mapping[str, int]) -> PoolWindow:
    """The pooling of a conv layer from its properties: ``pool_size`` (K) and the optional
    ``pool_stride`` (default K), ``pool_padding`` (0) and ``pool_ceil`` (0)."""
    k = int(props["pool_size"])
    return k, int(props.get("pool_stride", k) or k), int(props.get("pool_padding", 0)), bool(props.get("pool_ceil", 0))


def pool_output_size(size: int, k: int, s: int, p: int, ceil: bool) -> int:
    """Pooled extent of ``size`` positions, as PyTorch's max_pool2d computes it: with ``ceil``, one
    more window if it starts inside the input or the left padding."""
    span = size + 2 * p - k
    if span < 0:
        return 0
    out = (-(-span // s) if ceil else span // s) + 1
    if ceil and (out - 1) * s >= size + p:
        out -= 1
    return out


def pool_tail(k: int, s: int, p: int, ceil: bool) -> int:
    """Codes 0 the pool unit takes after a row's last code (and rows after a map's last row it counts
    as padding): the right/bottom padding of the last window, ``p``, and with ``ceil`` up to S - 1
    more, but never a window of padding only (at most K - 1). A window ends within ``pool_tail``
    positions past the input exactly when PyTorch has it (:func:`pool_output_size`)."""
    return min(p + (s - 1 if ceil else 0), k - 1)


def pool_banks(k: int, s: int) -> int:
    """Line buffer banks the pool unit needs: the most window rows open at once, ``ceil(K / S)``."""
    return -(-k // s)


def pool_finished_rows(h: int, k: int, s: int, p: int, tail: int) -> list[int]:
    """Per conv output row r < h: how many pooled rows (window rows) end with it. Window row yo covers
    rows ``yo*S - p .. yo*S - p + K - 1`` and ends with the last of them inside the map; it exists if it
    reaches at most ``tail`` (:func:`pool_tail`) rows past the map."""
    ends = [0] * h
    yo = 0
    while yo * s - p + k - 1 <= h - 1 + tail:
        ends[min(yo * s - p + k - 1, h - 1)] += 1
        yo += 1
    return ends


SIGN_PROPS = ("in_signed", "out_signed")
"""Layer op properties packed into the descriptor's ``signs`` (bit 0, bit 1); absent when 0."""


def pool_step_fields(step: int) -> tuple[int, int, int]:
    """(S, p, tail) packed in a descriptor's ``pool_step``."""
    return step & 15, step >> 4 & 15, step >> 8 & 15


def slots_problem(slots: int, w_out: int, params: Mapping[str, int]) -> str | None:
    """Why the engine of ``params`` (COLS, SLOTS, SLOT_SET) cannot run a conv layer of ``slots`` channel
    slots and output width ``w_out``, or None: S must be one of the core's slot counts and, for S > 1,
    the output row must fit one slot of ``COLS // S`` lanes (docs/hardware.md 3)."""
    cols, most, allowed = params["COLS"], params["SLOTS"], params["SLOT_SET"]
    if not 1 <= slots <= min(cols, most, MAX_SLOTS) or not allowed >> slots & 1:
        return f"slots {slots} is not a slot count of the engine (SLOTS {most}, SLOT_SET {allowed:#b}, COLS {cols})"
    if slots > 1 and w_out > cols // slots:
        return f"w_out {w_out} does not fit a slot of {cols // slots} lanes ({slots} slots)"
    return None


def slot_counts(slot_set: int) -> list[int]:
    """The slot counts of a ``SLOT_SET`` mask (bit S set: S slots), smallest first."""
    return [n for n in range(1, slot_set.bit_length()) if slot_set >> n & 1]


Segment = tuple[int, int]
"""Lanes ``start .. end - 1`` of a conv unit."""


def weight_segments(cols: int, slots: Iterable[int]) -> list[Segment]:
    """The weight segments of a conv unit of ``cols`` lanes built for the slot counts ``slots``.

    The cuts are 0, ``cols`` and, for every slot count n, the slot starts ``j * (cols // n)``,
    0 < j <= n (the last one starts the idle tail); the segments are the intervals between
    neighbouring cuts, so each lies inside one slot, or the idle tail, whatever the layer's slot
    count. The conv weight ROM word has one field per segment and unit (docs/hardware.md 2.2): a
    lane reads the field of its segment, a constant, instead of choosing among its slots' fields.
    ``rtl/e3ne_segments.vh`` computes the same cuts in Verilog.
    """
    cuts = {0, cols}
    for n in slots:
        if not 1 <= n <= cols:
            raise ValueError(f"{n} slots do not fit {cols} lanes")
        width = cols // n
        cuts.update(j * width for j in range(1, n + 1))
    bounds = sorted(cuts)
    return list(itertools.pairwise(bounds))


def param_segments(params: Mapping[str, int]) -> list[Segment]:
    """The weight segments of the conv units of an engine (its COLS and SLOT_SET)."""
    return weight_segments(params["COLS"], slot_counts(params["SLOT_SET"]))


def lane_segments(segments: Sequence[Segment]) -> list[int]:
    """Lane -> the index of its weight segment."""
    return [k for k, (start, end) in enumerate(segments) for _ in range(start, end)]


def segment_slot(segment: Segment, cols: int, slots: int) -> int | None:
    """The channel slot that the lanes of ``segment`` belong to when a layer runs ``slots`` slots
    of ``cols // slots`` lanes, or None if they are idle (past ``slots * (cols // slots)``)."""
    width = cols // slots
    slot = segment[0] // width
    if slot < slots and segment[1] > (slot + 1) * width:
        raise ValueError(f"lanes {segment[0]} .. {segment[1] - 1} straddle slots of {width} lanes")
    return slot if slot < slots else None


def descriptor_words(fields: Mapping[str, int]) -> list[int]:
    """The :data:`DESCRIPTOR_WORDS` program words of one descriptor (negative values two's complement)."""
    words = [0] * DESCRIPTOR_WORDS
    for name, value in fields.items():
        if name in PACKED_IN:
            continue
        if name not in FIELD_INDEX:
            raise ValueError(f"unknown descriptor field {name!r}")
        top = FIELDS_BY_NAME[name].packed[0].shift if FIELDS_BY_NAME[name].packed else WORD_BITS
        if not -(1 << (top - 1)) <= value < 1 << top or (top < WORD_BITS and value < 0):
            raise ValueError(f"descriptor field {name} = {value} does not fit {top} bits")
        words[FIELD_INDEX[name]] = int(value) & ((1 << WORD_BITS) - 1)
    for name, field in PACKED_IN.items():
        value, shift = int(fields.get(name, 0)), next(p.shift for p in field.packed if p.name == name)
        if not 0 <= value < 1 << (WORD_BITS - shift):
            raise ValueError(f"descriptor value {name} = {value} does not fit bits {shift} .. {WORD_BITS - 1}")
        words[field.index] |= value << shift
    return words


END_DESCRIPTOR: tuple[int, ...] = (0,) * DESCRIPTOR_WORDS
"""kind = END: the end of the program."""


def decode_descriptor(words: Sequence[int]) -> dict[str, int]:
    """Field name -> value of one descriptor (signed fields sign-extended)."""
    out = {}
    for f in FIELDS:
        value = int(words[f.index])
        if f.signed and value >= 1 << (WORD_BITS - 1):
            value -= 1 << WORD_BITS
        if f.packed:
            value &= (1 << f.packed[0].shift) - 1
        out[f.name] = value
    for name, field in PACKED_IN.items():
        out[name] = int(words[field.index]) >> next(p.shift for p in field.packed if p.name == name)
    return out


# --------------------------------------------------------------------------- generated files

HEADER = "e3ne_descriptor.vh"
"""The generated Verilog header in rtl/ (included by e3ne_controller.v)."""


def verilog_header() -> str:
    """``rtl/e3ne_descriptor.vh``: field indices, kinds, pool modes and the field capture.

    Included inside ``e3ne_controller``: the localparams name the fields, and the
    ``E3NE_CAPTURE_FIELDS`` macro is the case items that load field ``fd`` from the ROM word.
    """
    width = FIELD_BITS
    lines = [
        "// e3ne_descriptor.vh: the layer descriptor (docs/hardware.md 2.5).",
        "// Generated from e3ne.engine.schema by `python -m e3ne.tools.schema_files --write`. Do not edit:",
        "// change the schema and regenerate (test/unit/test_schema.py checks this file).",
        "// Not every block that includes it uses every constant.",
        "/* verilator lint_off UNUSEDPARAM */",
        f"localparam integer FIELD_BITS = {width};",
        f"localparam [FIELD_BITS:0] NF = {width + 1}'d{len(FIELDS)};  // fields read per descriptor",
    ]
    lines += [f"localparam [FIELD_BITS-1:0] F_{f.name.upper()} = {width}'d{i};" for i, f in enumerate(FIELDS)]
    lines += [f"localparam [1:0] KIND_{k.name} = 2'd{k.value};" for k in LayerKind]
    lines += [f"localparam [1:0] POOL_{m.name} = 2'd{m.value};" for m in PoolMode]
    lines.append("/* verilator lint_on UNUSEDPARAM */")
    lines.append("// case items over the field index fd: load the field register from the ROM word p_data")
    lines.append("// (a signed field: the whole word into <name>_word, which the controller saturates)")
    lines.append("`define E3NE_CAPTURE_FIELDS \\")
    for f in FIELDS:
        target, value = (f"{f.name}_word", "p_data") if f.signed else (f.name, f"p_data[{_msb(f.bits)}:0]")
        if not f.packed:
            lines.append(f"    F_{f.name.upper()}: {target} <= {value}; \\")
            continue
        packed = " ".join(f"{p.name} <= p_data[{p.shift}+:{p.bits}];" for p in f.packed)
        lines.append(f"    F_{f.name.upper()}: begin {target} <= {value}; {packed} end \\")
    lines.append("    default: ;")
    return "\n".join(lines) + "\n"


def _msb(bits: str) -> str:
    return str(int(bits) - 1) if bits.isdigit() else f"{bits}-1"


def markdown_tables() -> dict[str, str]:
    """docs/hardware.md's generated tables, by marker name."""
    rows = ["| field | name | conv layer | linear layer |", "|---|---|---|---|"]
    for i, f in enumerate(FIELDS):
        name = f"`{f.name}`" + (f" (`{f.linear_name}`)" if f.linear_name else "") + (" (derived)" if f.derived else "")
        conv = (f.conv or "—") + "".join(f"; bits {p.shift} and up: `{p.name}`, {p.conv}" for p in f.packed)
        rows.append(f"| {i} | {name} | {conv} | {f.linear or '—'} |")
    params = ["| parameter | default | meaning |", "|---|---|---|"]
    params += [f"| `{p.name}` | {p.default} | {p.meaning} |" for p in CORE_PARAMS]
    return {"descriptor": "\n".join(rows), "core-params": "\n".join(params)}


def _marked(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- schema:{name} -->\n)(.*?)(<!-- /schema:{name} -->)", re.S)


def render_docs(text: str) -> str:
    """``text`` (docs/hardware.md) with every ``<!-- schema:NAME -->`` block regenerated."""
    for name, table in markdown_tables().items():
        pattern = _marked(name)
        if not pattern.search(text):
            raise ValueError(f"docs/hardware.md has no <!-- schema:{name} --> block")
        text = pattern.sub(lambda m, t=table: m.group(1) + t + "\n" + m.group(3), text)
    return text


def generated_files(root: Path) -> dict[Path, str]:
    """Every file this schema generates in the source tree at ``root``, with its content."""
    docs = root / "docs" / "hardware.md"
    return {root / "rtl" / HEADER: verilog_header(), docs: render_docs(docs.read_text())}


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m e3ne.tools.schema_files [--write] [--root DIR]``: regenerate (or check) the files."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--root", default=".", help="the e3ne source tree (default: .)")
    parser.add_argument("--write", action="store_true", help="write the files (default: only check them)")
    args = parser.parse_args(argv)
    stale = []
    for path, text in generated_files(Path(args.root)).items():
        if not path.is_file() or path.read_text() != text:
            if args.write:
                path.write_text(text)
                print(f"wrote {path}")
            else:
                stale.append(str(path))
    if stale:
        print(f"out of date (run with --write): {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0
