"""``explore``: the engine sizes chosen for a device and a resource budget, by the cost model.

For a fused network (``fuse-layers``), explore enumerates engine configurations: where the
fully connected layers run (``linear``: on the conv units, or on the linear unit), conv units x
lanes per unit, and the linear unit's neurons. For each it counts the cycles of one image with the
exact cycle model (:mod:`e3ne.engine.mapping`, every layer at its best slot count) and estimates
LUT, FF and BRAM36 with the cost model (:mod:`e3ne.engine.cost`) from the core parameters the
configuration implies. Among the configurations inside the budget (the device's resources,
narrowed by ``budget``; LUT and FF estimates count with a ``margin``, 15 % by default, the error
the cost model is held to on designs it was not fitted on) it keeps the best for ``objective``
(``latency``: fewest cycles; ``area-x-latency``: least LUT x cycles) and tiles the network with
it (:func:`e3ne.passes.tile.tile_function`).

Every decision is in the IR: the layers' ``tiling`` (what ``convert-snn-to-hw`` reads) and, on the
function, ``e3ne.explore``: the device, budget and objective, the chosen configuration with its
estimate and cycles, and the Pareto front (cycles vs LUT vs BRAM36) of the legal configurations.
A budget no configuration meets is one line naming the smallest design and what it needs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    DenseArrayBase,
    DictionaryAttr,
    FloatAttr,
    IntegerAttr,
    ModuleOp,
    StringAttr,
    f64,
    i64,
)
from xdsl.passes import ModulePass

if TYPE_CHECKING:
    from e3ne.dialects.e3ne_hw import EngineOp

from e3ne.engine import cost, images, schema
from e3ne.engine.mapping import (
    ConvShape,
    EngineSize,
    LinearShape,
    Shape,
    best_conv_map,
    dram_network_cycles,
    network_cycles,
)
from e3ne.errors import E3neError
from e3ne.ir import functions
from e3ne.passes.tile import LINEAR_PLACEMENTS, fused_layers, layer_shape, place_layers, tile_function

OBJECTIVES = ("latency", "area-x-latency")
RESOURCES = ("lut", "ff", "bram36", "dsp")
EXPLORE_ATTR = "e3ne.explore"
"""The function attribute holding explore's decision, budget and Pareto front."""
FRONT_COLUMNS = ("cycles", "lut", "ff", "bram36_x2", "units", "cols", "lanes", "linear_unit_only")
"""Columns of the front (``e3ne.explore``'s ``front``, a flat i64 array; BRAM36 doubled: RAMB18 halves)."""
MAX_UNITS = 8
"""The most conv units explore tries by default."""
FITTED = ("lut", "ff")
"""Resources the cost model fits (and explore keeps a margin for)."""
MARGIN = 0.15
"""explore's default margin on LUT and FF: the error the cost model is held to on held-out designs."""
LINEAR_LANES = (4, 8, 16, 32, 64)
"""Linear-unit sizes tried when fully connected layers run on the linear unit."""


@cache
def devices() -> dict[str, dict[str, object]]:
    """The device presets (e3ne/data/devices.json): part name -> resources, clock."""
    return json.loads((resources.files("e3ne") / "data" / "devices.json").read_text())["devices"]


def device(name: str) -> dict[str, object]:
    key = name.lower()
    if key not in devices():
        raise E3neError(f"error: explore: unknown device '{name}' (known: {', '.join(devices())})")
    return devices()[key]


def parse_budget(text: str) -> dict[str, float]:
    """``lut=20000,ff=30000,bram36=50`` -> limits (any of lut, ff, bram36, dsp)."""
    limits: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, value = item.partition("=")
        name = name.strip().lower()
        if name not in RESOURCES:
            raise E3neError(f"error: explore: budget: unknown resource '{name}' (resources: {', '.join(RESOURCES)})")
        try:
            number = float(value)
        except ValueError:
            raise E3neError(f"error: explore: budget: {name} needs a number, got '{value.strip()}'") from None
        if number < 0:
            raise E3neError(f"error: explore: budget: {name} must be >= 0, got {value.strip()}")
        limits[name] = number
    return limits


def limits_for(device_name: str, budget: str) -> dict[str, float]:
    """The budget: the device's resources, narrowed by ``budget``, with LUTs in the estimate's LUT6.

    ``budget``'s LUTs count the device's own LUTs (LUT4 on ECP5, ``lut_per_lut6`` of them per LUT6),
    as its resources do; without a device they are LUT6.
    """
    limits: dict[str, float] = {}
    scale = 1.0
    if device_name:
        part = device(device_name)
        scale = float(part.get("lut_per_lut6", 1.0))  # type: ignore[arg-type]
        limits = {r: float(part[r]) for r in RESOURCES}  # type: ignore[arg-type]
        limits["lut"] /= scale
    for name, value in parse_budget(budget).items():
        value = value / scale if name == "lut" else value
        limits[name] = min(value, limits.get(name, value))
    return limits


@dataclass(frozen=True)
class Candidate:
    """One engine configuration, its cycles per image and its estimate."""

    size: EngineSize
    placement: str
    """tile's ``linear`` option for this configuration (``auto`` or ``unit``)."""
    cycles: int
    estimate: dict[str, float]
    params: dict[str, int] = field(repr=False, compare=False)
    group_words: tuple[int, int] = (1, 1)
    """The most weight words of an output-channel group of a conv and of a linear layer (2.6)."""
    shapes: tuple[Shape, ...] = field(default=(), repr=False, compare=False)
    weights: str = "rom"
    """``rom``, or ``dram``: the weights read from DRAM into caches (docs/hardware.md 2.6); its cycles
    are then a lower bound, each layer at least the AXI beats of its weights at 8 bytes a cycle
    (mapping.dram_network_cycles; the report's estimate has the exact count)."""

    def in_dram(self) -> Candidate:
        """This configuration with its weights in DRAM: caches of two groups instead of weight ROMs."""
        conv, linear = self.group_words
        params = {**self.params, **schema.DRAM_PARAMS, "WDRAM": 1, "CWCACHE": 1 << (2 * conv - 1).bit_length(),
                  "LWCACHE": 1 << (2 * linear - 1).bit_length()}  # fmt: skip
        estimate = cost.estimate(params).total
        cycles = dram_network_cycles(self.shapes, self.size, params)
        return Candidate(self.size, self.placement, cycles, estimate, params, self.group_words, self.shapes, "dram")

    def need(self, resource: str, margin: float) -> float:
        """The estimate of ``resource`` with the cost model's margin (LUT and FF are fitted; block RAM
        is counted, and DSP is none)."""
        return self.estimate[resource] * (1 + margin if resource in FITTED else 1)

    def fits(self, limits: dict[str, float], margin: float) -> bool:
        return all(self.need(r, margin) <= limit for r, limit in limits.items())

    def excess(self, limits: dict[str, float], margin: float) -> float:
        """The largest need / limit ratio (above 1: over the budget)."""
        ratios = [self.need(r, margin) / limit if limit else float("inf") for r, limit in limits.items()]
        return max(ratios, default=0.0)

    def describe(self) -> str:
        engine = f"{self.size.units} conv unit(s) x {self.size.cols} lanes"
        if self.params["HAS_LINEAR"]:
            engine += f" + a {self.size.lanes}-neuron linear unit"
        return engine

    def needs(self) -> str:
        e = self.estimate
        return f"{e['lut']:,.0f} LUT, {e['ff']:,.0f} FF, {e['bram36']:,.6g} BRAM36"

    def row(self) -> list[int]:
        e = self.estimate
        s = self.size
        lanes = s.lanes if self.params["HAS_LINEAR"] else 0
        values = (
            self.cycles,
            e["lut"],
            e["ff"],
            2 * e["bram36"],
            s.units,
            s.cols,
            lanes,
            int(self.placement == "unit"),
        )
        return [round(v) for v in values]


def tiled_engine(module: ModuleOp, function: str = "") -> EngineOp:
    """The engine of a tiled function (``convert-snn-to-hw`` on a copy; no ROM images are packed,
    so this is fast even for VGG-11)."""
    from e3ne.dialects import e3ne_hw as hw
    from e3ne.lowering.snn_to_hw import ConvertSnnToHwPass

    copy = module.clone()
    ConvertSnnToHwPass(function=function).apply(Context(), copy)
    return hw.engines(copy)[0]


def live_widths(engine: EngineOp) -> dict[str, int]:
    """ROM name -> the non-constant bit columns of its image (a prepared engine's ROMs)."""
    from e3ne.dialects import e3ne_hw as hw
    from e3ne.engine import bram

    return {
        image.memory.data: bram.live_width(image.words_bytes(), image.int_prop("word_bits"))
        for image in engine.ops_of(hw.MemoryImageOp)
    }


def tiled_params(module: ModuleOp, function: str = "") -> dict[str, int]:
    """The core parameters of a tiled function's engine (see :func:`tiled_engine`)."""
    return tiled_engine(module, function).derived_params()


def base_params(module: ModuleOp, function: func.FuncOp, linear: str) -> dict[str, int]:
    """The core parameters of ``function`` tiled with ``linear`` (on a copy: the sizes do not matter,
    :func:`candidate_params` sets the ones that depend on them)."""
    copy = module.clone()
    (twin,) = functions(copy, function.sym_name.data)
    tile_function(twin, 1, 1, 1, linear)
    return tiled_params(copy, function.sym_name.data)


def candidate_params(base: dict[str, int], shapes: Sequence[Shape], size: EngineSize) -> dict[str, int]:
    """The core parameters of the engine ``size`` for layers ``shapes`` (each conv at its best slot
    count), the size-independent ones taken from ``base`` (:func:`base_params`)."""
    convs = [s for s in shapes if isinstance(s, ConvShape)]
    linears = [s for s in shapes if isinstance(s, LinearShape)]
    slots = [best_conv_map(s, size).slots for s in convs]
    conv_words = sum(
        images.conv_weight_depth(s.c_out, s.c_in, s.kh, s.kw, size.units, n, s.feature_groups)
        for s, n in zip(convs, slots, strict=True)
    )
    bias_words = sum(images.bias_depth(True, s.c_out, size.units, n) for s, n in zip(convs, slots, strict=True))
    bias_words += sum(images.bias_depth(False, s.c_out, size.lanes) for s in linears)
    params = dict(
        base,
        CU=size.units if convs else 1,
        COLS=size.cols if convs else 1,
        SLOTS=max(slots, default=1),
        SLOT_SET=sum(1 << n for n in set(slots)) or 2,
        LANES=size.lanes if linears else 1,
        CWDEPTH=max(2, conv_words),
        LWDEPTH=max(2, sum(images.linear_weight_depth(s.c_out, s.c_in, size.lanes) for s in linears)),
        BDEPTH=max(2, bias_words),
    )
    assert tuple(params) == schema.ENGINE_PARAMS
    return params


def col_choices(shapes: Sequence[Shape]) -> list[int]:
    """Lanes per conv unit worth trying: every count to 16, then the divisors and multiples of the
    conv layers' output widths (where rows or channel slots fill the lanes), up to 4 x the widest."""
    widths = {s.w_out for s in shapes if isinstance(s, ConvShape) and s.w_out > 1}
    top = 4 * max(widths, default=4)
    chosen = set(range(1, 17))
    for w in widths:
        chosen.update(w * k for k in range(1, top // w + 1))
        chosen.update(-(-w // k) for k in range(1, w + 1))
    return sorted(c for c in chosen if c <= top)


def candidates(module: ModuleOp, function: func.FuncOp, linear: str, max_units: int) -> list[Candidate]:
    """Every configuration of the engine for ``function`` (see the module docstring)."""
    layers = fused_layers(function)
    placements = ["auto", "unit"] if linear == "auto" else [linear]
    found: list[Candidate] = []
    seen: list[list[bool]] = []
    for placement in placements:
        on_conv = place_layers(layers, placement)
        if on_conv in seen:
            continue  # no layer moves: the same configurations
        seen.append(on_conv)
        shapes = [layer_shape(op, conv) for op, conv in zip(layers, on_conv, strict=True)]
        base = base_params(module, function, placement)
        has_linear = any(isinstance(s, LinearShape) for s in shapes)
        has_conv = any(isinstance(s, ConvShape) for s in shapes)
        groups = (
            max((s.c_in * s.kh * s.kw for s in shapes if isinstance(s, ConvShape)), default=1),
            max((s.c_in for s in shapes if isinstance(s, LinearShape)), default=1),
        )
        for units in range(1, max_units + 1) if has_conv else [1]:
            for cols in col_choices(shapes) if has_conv else [1]:
                for lanes in LINEAR_LANES if has_linear else [1]:
                    size = EngineSize(units, cols, lanes)
                    params = candidate_params(base, shapes, size)
                    estimate = cost.estimate(params).total
                    cycles = network_cycles(shapes, size)
                    found.append(Candidate(size, placement, cycles, estimate, params, groups, tuple(shapes)))
    if not found:
        raise E3neError(f"error: explore: @{function.sym_name.data}: no placement of the layers runs on the engine")
    return found


def pareto_front(cands: Iterable[Candidate]) -> list[Candidate]:
    """The configurations no other one beats in cycles, LUT and BRAM36 at once, by cycles."""
    ordered = sorted(cands, key=lambda c: (c.cycles, c.estimate["lut"], c.estimate["bram36"]))
    front: list[Candidate] = []
    for c in ordered:
        if not any(
            f.estimate["lut"] <= c.estimate["lut"] and f.estimate["bram36"] <= c.estimate["bram36"] for f in front
        ):
            front.append(c)
    return front


def objective_key(objective: str):
    if objective == "latency":
        return lambda c: (c.cycles, c.estimate["lut"], c.estimate["bram36"], c.size.units)
    return lambda c: (c.estimate["lut"] * c.cycles, c.cycles, c.estimate["bram36"], c.size.units)


@dataclass
class Exploration:
    """What explore decided for one function."""

    chosen: Candidate
    front: list[Candidate]
    considered: int
    legal: int
    limits: dict[str, float]


def explore_function(
    module: ModuleOp,
    function: func.FuncOp,
    device_name: str = "",
    budget: str = "",
    objective: str = "latency",
    linear: str = "auto",
    max_units: int = MAX_UNITS,
    margin: float = MARGIN,
    dram: bool = False,
) -> Exploration:
    """Choose the engine for ``function`` (see the module docstring), tile it, and record why. ``dram``:
    when no configuration fits with its weights in ROMs, try them all with the weights in DRAM."""
    if objective not in OBJECTIVES:
        raise E3neError(f"error: explore: objective must be one of {', '.join(OBJECTIVES)}, got {objective!r}")
    if linear not in LINEAR_PLACEMENTS:
        raise E3neError(f"error: explore: linear must be one of {', '.join(LINEAR_PLACEMENTS)}, got {linear!r}")
    if max_units < 1:
        raise E3neError(f"error: explore: max_units must be >= 1, got {max_units}")
    if not 0 <= margin < 10:
        raise E3neError(f"error: explore: margin must be in [0, 10), got {margin}")
    limits = limits_for(device_name, budget)
    cands = candidates(module, function, linear, max_units)
    legal = [c for c in cands if c.fits(limits, margin)]
    if not legal and dram:  # the weight ROMs do not fit: the caches may
        cands = [c.in_dram() for c in cands]
        legal = [c for c in cands if c.fits(limits, margin)]
    if not legal:
        smallest = min(cands, key=lambda c: (c.excess(limits, margin), c.cycles))
        over = [r for r in limits if smallest.need(r, margin) > limits[r]]
        shown = lambda r, v: f"{v:,.0f}" if r in FITTED else f"{v:,.6g}"  # noqa: E731
        why = ", ".join(f"{r} {shown(r, smallest.need(r, margin))} > {shown(r, limits[r])}" for r in over)
        if margin and any(r in FITTED for r in over):
            why += f"; LUT and FF with the cost model's {margin:.0%} margin"
        if "bram36" in over and not dram:
            why += "; every weight is in on-chip ROM (weights = auto or dram lets explore read them from DRAM)"
        elif "bram36" in over:
            why += "; with the weights in DRAM"
        where = f" on {device_name}" if device_name else ""
        raise E3neError(
            f"error: explore: no design of @{function.sym_name.data} fits the budget{where}: the smallest, "
            f"{smallest.describe()}, needs {smallest.needs()} ({why})"
        )
    chosen = min(legal, key=objective_key(objective))
    front = pareto_front(legal)
    tile_function(function, chosen.size.units, chosen.size.cols, chosen.size.lanes, chosen.placement)
    result = Exploration(chosen, front, len(cands), len(legal), limits)
    function.attributes[EXPLORE_ATTR] = _attribute(result, device_name, objective, margin)
    return result


def _attribute(result: Exploration, device_name: str, objective: str, margin: float) -> DictionaryAttr:
    chosen = result.chosen
    ints = lambda values: DictionaryAttr({k: IntegerAttr(round(v), i64) for k, v in values.items()})  # noqa: E731
    return DictionaryAttr(
        {
            "device": StringAttr(device_name),
            "objective": StringAttr(objective),
            "budget": DictionaryAttr({k: FloatAttr(v, f64) for k, v in result.limits.items()}),
            "margin": FloatAttr(margin, f64),
            "units": IntegerAttr(chosen.size.units, i64),
            "cols": IntegerAttr(chosen.size.cols, i64),
            "lanes": IntegerAttr(chosen.size.lanes, i64),
            "linear": StringAttr(chosen.placement),
            "cycles": IntegerAttr(chosen.cycles, i64),
            "estimate": ints({r: chosen.estimate[r] for r in ("lut", "ff")}),
            "bram36": FloatAttr(chosen.estimate["bram36"], f64),
            "considered": IntegerAttr(result.considered, i64),
            "legal": IntegerAttr(result.legal, i64),
            "front_columns": StringAttr(",".join(FRONT_COLUMNS)),
            "front": DenseArrayBase.from_list(i64, [v for c in result.front for v in c.row()]),
            # only when explore moved the weights to DRAM (IR with ROMs unchanged)
            **({"weights": StringAttr(chosen.weights)} if chosen.weights != "rom" else {}),
        }
    )


def read_exploration(function: func.FuncOp) -> dict[str, object] | None:
    """``e3ne.explore`` of a function as plain data (the report's ``explore`` section), or None."""
    attr = function.attributes.get(EXPLORE_ATTR)
    if not isinstance(attr, DictionaryAttr):
        return None
    data: dict[str, object] = {}
    for key, value in attr.data.items():
        if isinstance(value, StringAttr):
            data[key] = value.data
        elif isinstance(value, (IntegerAttr, FloatAttr)):
            data[key] = value.value.data
        elif isinstance(value, DictionaryAttr):
            data[key] = {k: v.value.data for k, v in value.data.items()}  # type: ignore[union-attr]
        elif isinstance(value, DenseArrayBase):
            data[key] = list(value.get_values())
    columns = str(data.pop("front_columns", "")).split(",")
    flat = data.pop("front", [])
    assert isinstance(flat, list)
    rows = [flat[i : i + len(columns)] for i in range(0, len(flat), len(columns))]
    data["front"] = [dict(zip(columns, row, strict=True)) for row in rows]
    for row in data["front"]:  # type: ignore[union-attr]
        row["bram36"] = row.pop("bram36_x2") / 2
    return data


@dataclass(frozen=True)
class ExplorePass(ModulePass):
    """Choose the engine sizes for a device and budget with the cost model, and tile with them."""

    name = "explore"

    device: str = ""
    """A device preset (xcvu13p, xczu7ev, xc7z020, lfe5u-85f): its resources are the budget."""
    budget: str = ""
    """Limits, e.g. ``lut=20000,ff=30000,bram36=50`` (with a device: narrowed to them)."""
    objective: str = "latency"
    """``latency`` (fewest cycles) or ``area-x-latency`` (least LUT x cycles)."""
    linear: str = "auto"
    """Where fully connected layers may run: ``auto`` tries tile's ``auto`` and ``unit`` placements;
    ``unit`` or ``conv`` fixes one."""
    max_units: int = MAX_UNITS
    """The most conv units tried."""
    margin: float = MARGIN
    """A design fits when its LUT and FF estimates times 1 + margin do (the cost model's error bound)."""
    function: str = ""
    """The function to explore (default: every func.func)."""
    dram: bool = False
    """When no configuration fits with its weight ROMs, try the weights in DRAM (docs/hardware.md 2.6)."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for function in functions(op, self.function):
            explore_function(
                op, function, self.device, self.budget, self.objective, self.linear, self.max_units, self.margin,
                self.dram,
            )  # fmt: skip
