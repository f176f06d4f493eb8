"""How layers map onto the engine: channel slots per conv layer, and engine sizes that fit a network.

The ``tile`` pass records these decisions in the IR; this module makes them from plain layer
shapes, scoring every candidate with the exact cycle model (:mod:`e3ne.engine.cycles`), so the
choice and the hardware agree cycle for cycle.

* A conv layer on ``units`` units of ``cols`` lanes runs with ``slots`` channel slots: each unit
  computes ``slots`` output channels side by side, each in ``cols // slots`` lanes. One slot is
  the classic mapping (row tiles of ``cols`` lanes); more slots fill the lanes of rows narrower
  than a unit, and need the row to fit a slot (one column tile).
* Engine sizes not given are chosen for the best fit at about E3NE's scale: conv units x lanes
  within a factor of two of 2 x (the widest conv output row) (E3NE's two units of a row each),
  the linear unit within a factor of two of 16 lanes. Conv sizes are ranked first by their worst
  conv layer (ideal bound / exact cycles, to 5 %, over the convolutions whose C_out x W_out fills
  the lanes: no layer should leave the engine idle for long), then by all conv layers together (to
  half a percent); linear sizes by all linear layers together. Ties go to the size nearest that
  scale, then to fewer units.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from e3ne.engine import cycles, images, schema
from e3ne.engine.schema import LayerKind

DEFAULT_UNITS = 2
"""Conv units when not chosen otherwise (E3NE's default duplication)."""


@dataclass(frozen=True)
class ConvShape:
    """A conv layer as the engine sees it (output sizes before pooling)."""

    c_in: int
    h_in: int
    w_in: int
    c_out: int
    kh: int
    kw: int
    sh: int
    sw: int
    ph: int
    pw: int
    h_out: int
    w_out: int
    t_in: int
    pool_size: int = 1
    pool_stride: int = 0
    """0: the window side (non-overlapping pooling)."""
    pool_padding: int = 0
    pool_ceil: int = 0
    feature_groups: int = 1
    """Groups of output channels that each read only their share of the input channels (a grouped or
    depthwise convolution: :func:`feature_groups`); the engine's grouped mode skips the others."""

    def fields(self) -> dict[str, int]:
        """Descriptor fields of this shape (the ones the cycle model reads, others 0), and the pooling's
        stride, padding and ceil_mode."""
        names = ("c_in", "h_in", "w_in", "c_out", "kh", "kw", "sh", "sw", "ph", "pw", "h_out", "w_out", "t_in")
        fields = {f.name: 0 for f in schema.layer_fields(LayerKind.CONV)}
        fields.update({name: getattr(self, name) for name in names}, t_out=1, pool_size=self.pool_size)
        fields.update(pool_stride=self.pool_stride, pool_padding=self.pool_padding, pool_ceil=self.pool_ceil)
        fields["feature_groups"] = self.feature_groups
        return fields

    def fills(self, lanes: int) -> bool:
        """A convolution (more than one output position) whose C_out x W_out fills ``lanes``: the
        layers each held to near-ideal cycles. Fully connected layers on the conv units (one output
        position) fill by whole groups of C_out only, and grouped convolutions (a few steps per row,
        so the output stage bounds them whatever the size) count in the total alone."""
        return self.h_out * self.w_out > 1 and self.c_out * self.w_out >= lanes and self.feature_groups == 1

    @property
    def ideal_ops(self) -> int:
        """Synaptic operations x timesteps: one accumulator-cycle each."""
        c_in = self.c_in // self.feature_groups
        return self.c_out * self.h_out * self.w_out * c_in * self.kh * self.kw * self.t_in


def feature_groups(weight: np.ndarray) -> int:
    """The most groups G (dividing both channel counts) into which a conv weight [O, C, KH, KW] splits
    as a grouped convolution: output channel o reads only input channels ``g*C/G … (g+1)*C/G - 1``,
    ``g = o // (O/G)`` (a grouped or depthwise convolution imported dense, with zeros across groups).
    1 for a dense weight."""
    used = np.any(weight != 0, axis=(2, 3))
    c_out, c_in = used.shape
    for g in sorted((d for d in range(2, math.gcd(c_out, c_in) + 1) if c_out % d == 0 == c_in % d), reverse=True):
        across = (np.arange(c_out)[:, None] // (c_out // g)) != (np.arange(c_in)[None, :] // (c_in // g))
        if not np.any(used & across):
            return g
    return 1


@dataclass(frozen=True)
class LinearShape:
    """A linear layer (or a conv with one output position) as the linear unit runs it."""

    c_in: int
    c_out: int
    t_in: int

    def fields(self) -> dict[str, int]:
        fields = {f.name: 0 for f in schema.layer_fields(LayerKind.LINEAR)}
        fields.update(c_in=self.c_in, c_out=self.c_out, t_in=self.t_in, t_out=1, w_in=1)
        return fields

    @property
    def ideal_ops(self) -> int:
        return self.c_out * self.c_in * self.t_in


Shape = ConvShape | LinearShape


@dataclass(frozen=True)
class EngineSize:
    """The engine-wide sizes: conv units, lanes per conv unit, linear lanes."""

    units: int
    cols: int
    lanes: int

    def params(self) -> dict[str, int]:
        return {"CU": self.units, "COLS": self.cols, "LANES": self.lanes}


@dataclass(frozen=True)
class ConvMap:
    """How one conv layer runs: its channel slots and what follows from them."""

    slots: int
    slot_width: int
    col_tiles: int
    groups: int
    cycles: int


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def conv_map(shape: ConvShape, size: EngineSize, slots: int) -> ConvMap:
    """The mapping of ``shape`` with ``slots`` slots, and its exact cycles (start to done)."""
    desc = schema.descriptor_fields(LayerKind.CONV, {**shape.fields(), "slots": slots}, size.params())
    return ConvMap(
        slots, desc["slot_width"], desc["col_tiles"], desc["groups"], cycles.expected_cycles(desc, size.params())
    )


def slot_choices(shape: ConvShape, size: EngineSize) -> range:
    """The slot counts a layer can use: one, or more while its row fits a slot (at most
    :data:`e3ne.engine.schema.MAX_SLOTS`)."""
    return range(1, min(max(1, size.cols // shape.w_out), schema.MAX_SLOTS) + 1)


def best_conv_map(shape: ConvShape, size: EngineSize, allowed: Iterable[int] | None = None) -> ConvMap:
    """The slot count with the fewest cycles (ties: fewer slots, less hardware)."""
    if allowed is None:
        return _best_conv_map(shape, size)
    choices = [s for s in slot_choices(shape, size) if allowed is None or s in set(allowed)] or [1]
    return min((conv_map(shape, size, s) for s in choices), key=lambda m: (m.cycles, m.slots))


@cache
def _best_conv_map(shape: ConvShape, size: EngineSize) -> ConvMap:
    """best_conv_map over every slot count (explore and tile ask for the same ones many times)."""
    return min((conv_map(shape, size, s) for s in slot_choices(shape, size)), key=lambda m: (m.cycles, m.slots))


def linear_cycles(shape: LinearShape, size: EngineSize) -> int:
    desc = schema.descriptor_fields(LayerKind.LINEAR, shape.fields(), size.params())
    return cycles.expected_cycles(desc, size.params())


def network_cycles(shapes: Sequence[Shape], size: EngineSize) -> int:
    """Cycles of one image: every layer (best slots) and its descriptor fetch, and the end."""
    total = cycles.FETCH_CYCLES + 1
    for shape in shapes:
        if isinstance(shape, ConvShape):
            total += best_conv_map(shape, size).cycles
        else:
            total += linear_cycles(shape, size)
        total += cycles.FETCH_CYCLES
    return total


def dram_network_cycles(shapes: Sequence[Shape], size: EngineSize, params: Mapping[str, int]) -> int:
    """A lower bound of :func:`network_cycles` with the weights in DRAM (docs/hardware.md 2.6): a layer
    takes at least the AXI beats of its weight words (one a cycle). The exact count needs the whole
    descriptors (``cycles.program_cycles`` with a ``DramTiming``)."""
    from e3ne.engine import dram

    conv_bits = params["CU"] * len(schema.param_segments(params)) * params["WB"]
    conv_beats = dram.beats_per_word(conv_bits, params["AXIW"])
    lin_beats = dram.beats_per_word(params["LANES"] * params["WB"], params["AXIW"])
    total = cycles.FETCH_CYCLES + 1
    for shape in shapes:
        if isinstance(shape, ConvShape):
            best = best_conv_map(shape, size)
            words = images.conv_weight_depth(shape.c_out, shape.c_in, shape.kh, shape.kw, size.units, best.slots)
            total += max(best.cycles, words * conv_beats)
        else:
            words = images.linear_weight_depth(shape.c_out, shape.c_in, size.lanes)
            total += max(linear_cycles(shape, size), words * lin_beats)
        total += cycles.FETCH_CYCLES
    return total


def ideal_cycles(shapes: Sequence[Shape], size: EngineSize) -> float:
    """The ideal bound: synaptic operations x timesteps / parallel accumulators, summed over layers."""
    conv = sum(s.ideal_ops for s in shapes if isinstance(s, ConvShape)) / (size.units * size.cols)
    return conv + sum(s.ideal_ops for s in shapes if isinstance(s, LinearShape)) / size.lanes


DEFAULT_LANES = 16
"""The linear unit's scale when not chosen otherwise (E3NE's)."""


FIT_STEP = 0.005
"""Fits closer than this count as equal (the choice then goes to the size nearest E3NE's scale)."""


BALANCE_STEP = 0.05
"""Worst-layer fits closer than this count as equal (the choice then goes to the best total fit)."""


def _fit(ideal: float, cycles: int, step: float = FIT_STEP) -> float:
    """How busy the accumulators are (ideal bound / cycles), in steps of ``step``."""
    return round((ideal / cycles if cycles else 1.0) / step) * step


def choose_size(shapes: Sequence[Shape], units: int = 0, cols: int = 0, lanes: int = 0) -> EngineSize:
    """Engine sizes for ``shapes``: the given ones, the others chosen (see the module docstring)."""
    convs = [s for s in shapes if isinstance(s, ConvShape)]
    linears = [s for s in shapes if isinstance(s, LinearShape)]
    conv_ideal = sum(s.ideal_ops for s in convs)
    target = DEFAULT_UNITS * max((s.w_out for s in convs), default=1)

    def conv_key(u: int, c: int) -> tuple[float, float, float, int]:
        size = EngineSize(u, c, 1)
        spent = [best_conv_map(s, size).cycles for s in convs]
        worst = min(
            (s.ideal_ops / (u * c) / n for s, n in zip(convs, spent, strict=True) if s.fills(u * c)),
            default=1.0,
        )
        return (
            -_fit(worst, 1, BALANCE_STEP),
            -_fit(conv_ideal / (u * c), sum(spent)),
            abs(math.log(u * c / target)),
            u,
        )

    if not convs:
        unit_choice, col_choice = units or DEFAULT_UNITS, cols or 1
    else:
        unit_range = [units] if units else range(1, 9)
        pairs = [
            (u, c)
            for u in unit_range
            for c in ([cols] if cols else range(1, 2 * target + 1))
            if cols or target / 2 <= u * c <= 2 * target
        ] or [(u, 1) for u in unit_range]  # more units than the layers need: one lane each
        unit_choice, col_choice = min(pairs, key=lambda uc: conv_key(*uc))

    def linear_key(n: int) -> tuple[float, float]:
        spent = sum(linear_cycles(s, EngineSize(1, 1, n)) for s in linears)
        return (-_fit(sum(s.ideal_ops for s in linears) / n, spent), abs(math.log(n / DEFAULT_LANES)))

    lane_range = [lanes] if lanes else range(DEFAULT_LANES // 2, 2 * DEFAULT_LANES + 1)
    lane_choice = min(lane_range, key=linear_key) if linears else lanes or DEFAULT_LANES
    return EngineSize(unit_choice, col_choice, lane_choice)
