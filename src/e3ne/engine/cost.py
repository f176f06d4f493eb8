"""What an engine costs before synthesis: LUT, FF, BRAM36 and DSP per block, from its core parameters.

* **Block RAM is counted, not fitted.** Every memory (the ROMs and the activation memory) is
  mapped onto UltraScale block RAM the way Yosys's ``memory_libmap`` maps it for ``synth_xilinx``
  (:func:`e3ne.engine.bram.blocks`), so the count is exact, and so are the LUTs of the output
  multiplexers of memories split in depth.
* **The logic is a sum of per-block terms**, each a product of core parameters that follows the
  RTL's structure (a conv lane's accumulator is ``CU x COLS x ACC`` bits, the linear unit's
  ``LANES x ACC``, a stored row ``ROWW x TMAX``...), with non-negative coefficients fitted against
  Yosys on the ``fit`` points of ``benchmarks/cost_points.py`` (``benchmarks/cost_model.py --fit``)
  and kept in ``e3ne/data/cost_model.json``. ``benchmarks/cost_model.py`` checks the model on
  points kept out of the fit.
* **No DSP**: the engine has no multiplier (shift-add neurons).

The counts are those of :mod:`e3ne.synth` (``synth_xilinx -family xcup``, LUT = LUT1..LUT6).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from e3ne.engine import bram, schema

COEFFICIENTS = Path(__file__).resolve().parent.parent / "data" / "cost_model.json"
"""The fitted coefficients (written by benchmarks/cost_model.py --fit)."""

Params = Mapping[str, int]


def _log2(n: int) -> int:
    return max(1, math.ceil(math.log2(max(n, 2))))


def wsegs(p: Params) -> int:
    """Conv weight fields per unit (rtl/e3ne_segments.vh)."""
    return len(schema.param_segments(p))


def _conv(p: Params) -> int:
    return p["HAS_CONV"]


def _pool(p: Params) -> int:
    return int(p["HAS_CONV"] and p["PKMAX"] > 1)


def _linear(p: Params) -> int:
    return p["HAS_LINEAR"]


@dataclass(frozen=True)
class Term:
    """One term of the logic model: ``block`` pays ``coefficient x value(params)`` LUTs (and FFs)."""

    block: str
    name: str
    value: Callable[[Params], float]
    meaning: str


TERMS: tuple[Term, ...] = (
    Term("control", "base", lambda p: 1, "controller, descriptor registers, top"),
    Term("control", "counts", lambda p: p["DW"] + _log2(p["ADEPTH"]), "descriptor counters and addresses"),
    Term("act_memory", "row", lambda p: p["ROWW"] * p["TMAX"], "read plane select, write data"),
    Term("conv_lanes", "accumulators", lambda p: _conv(p) * p["CU"] * p["COLS"] * p["ACC"], "lane accumulators"),
    Term("conv_lanes", "weights", lambda p: _conv(p) * p["CU"] * wsegs(p) * p["WB"], "weight word fan-out"),
    Term("conv_lanes", "window", lambda p: _conv(p) * p["COLS"] * (p["KMAX"] + p["SMAX"]), "input window per lane"),
    Term("conv_output", "units", lambda p: _conv(p) * p["CU"] * p["ACC"], "bias add, requantise, per unit"),
    Term("conv_output", "slots", lambda p: _conv(p) * p["SLOTS"] * _log2(p["COLS"]), "slot widths and bases"),
    Term(
        "pool",
        "rows",
        lambda p: _pool(p) * p["CU"] * p["PBANKS"] * p["ROWW"] * p["TMAX"],
        "a pool unit's stored rows (one per line buffer bank), per conv unit",
    ),
    Term(
        "pool",
        "line_buffers",
        lambda p: _pool(p) * p["CU"] * p["PBANKS"] * (max(p["ROWW"], p["COLS"]) + 1) * p["TMAX"],
        "a pool unit's line buffer banks, per conv unit",
    ),
    Term(
        "pool",
        "window",
        lambda p: _pool(p) * p["CU"] * max(0, p["PKMAX"] - 2) * p["TMAX"],
        "windows wider than 2: the codes before the current one and their max, per conv unit",
    ),
    Term("linear_unit", "base", lambda p: _linear(p), "linear engine control"),
    Term("linear_unit", "neurons", lambda p: _linear(p) * p["LANES"] * p["ACC"], "neuron accumulators"),
    Term("linear_unit", "weights", lambda p: _linear(p) * p["LANES"] * p["WB"], "weight word fan-out"),
)
TERM_NAMES = tuple(f"{t.block}.{t.name}" for t in TERMS)


@dataclass(frozen=True)
class Memory:
    """One memory of the engine: its block, width and depth, and whether it is a ROM."""

    name: str
    block: str
    width: int
    depth: int
    kind: str  # "rom" or "ram"


def memories(p: Params, live: Mapping[str, int] | None = None) -> list[Memory]:
    """The memories ``rtl/e3ne_core.v`` instantiates for parameters ``p`` (with ``WDRAM = 1`` among
    them, the weight caches and the layout ROM in place of the weight ROMs). ``live``: ROM name ->
    its image's non-constant bit columns (:func:`e3ne.engine.bram.live_width`), when known; else
    the declared width (an upper bound: Yosys drops constant columns)."""
    found = [  # the activation RAM: two banks of 2^AABITS words, AABITS = max(1, clog2 ADEPTH)
        Memory("activations", "act_memory", p["ROWW"] * p["TMAX"], 2 << _log2(p["ADEPTH"]), "ram"),
        Memory("biases", "roms", p["ACC"] + 1, p["BDEPTH"], "rom"),
        Memory("program", "roms", schema.WORD_BITS, p["PDEPTH"], "rom"),
    ]
    dram = bool(p.get("WDRAM", 0))  # weights in DRAM: a cache per engine (block RAM, as the ROMs), no ROM
    if p["HAS_CONV"]:
        width = p["CU"] * wsegs(p) * p["WB"]
        found.append(
            Memory("conv_weight_cache", "weight_cache", width, p["CWCACHE"], "rom")
            if dram
            else Memory("conv_weights", "roms", width, p["CWDEPTH"], "rom")
        )
    if p["HAS_LINEAR"]:
        width = p["LANES"] * p["WB"]
        found.append(
            Memory("linear_weight_cache", "weight_cache", width, p["LWCACHE"], "rom")
            if dram
            else Memory("linear_weights", "roms", width, p["LWDEPTH"], "rom")
        )
    if dram:
        found.append(Memory("weight_layout", "roms", schema.WORD_BITS, p["PDEPTH"] // schema.DESCRIPTOR_WORDS, "rom"))
    live = live or {}
    return [Memory(m.name, m.block, min(m.width, live.get(m.name, m.width)), m.depth, m.kind) for m in found]


@dataclass
class Estimate:
    """Resources per block and in total (LUT and FF fitted, BRAM36 counted, DSP none)."""

    blocks: dict[str, dict[str, float]] = field(default_factory=dict)

    def add(self, block: str, **counts: float) -> None:
        row = self.blocks.setdefault(block, {"lut": 0.0, "ff": 0.0, "bram36": 0.0, "dsp": 0.0})
        for key, value in counts.items():
            row[key] += value

    @property
    def total(self) -> dict[str, float]:
        keys = ("lut", "ff", "bram36", "dsp")
        return {k: sum(row[k] for row in self.blocks.values()) for k in keys}

    def as_dict(self) -> dict[str, object]:
        total = self.total
        return {
            "lut": round(total["lut"]),
            "ff": round(total["ff"]),
            "bram36": total["bram36"],
            "dsp": 0,
            "blocks": {
                name: {"lut": round(row["lut"]), "ff": round(row["ff"]), "bram36": row["bram36"]}
                for name, row in self.blocks.items()
            },
        }


@cache
def coefficients() -> dict[str, dict[str, float]]:
    """``{"lut": {term: c}, "ff": {term: c}}`` from e3ne/data/cost_model.json."""
    data = json.loads(COEFFICIENTS.read_text())
    return {kind: {name: float(data[kind].get(name, 0.0)) for name in TERM_NAMES} for kind in ("lut", "ff")}


def term_values(p: Params) -> dict[str, float]:
    """The value of every logic term for parameters ``p`` (what the fit multiplies)."""
    return {name: float(t.value(p)) for name, t in zip(TERM_NAMES, TERMS, strict=True)}


def memory_lut(p: Params, live: Mapping[str, int] | None = None) -> float:
    """LUTs of the memories' output multiplexers (counted, not fitted)."""
    return float(sum(bram.blocks(m.width, m.depth, m.kind)[1] for m in memories(p, live)))


def estimate(
    p: Params, coefficients_: Mapping[str, Mapping[str, float]] | None = None, live: Mapping[str, int] | None = None
) -> Estimate:
    """The resource estimate of an engine with core parameters ``p`` (``live``: see :func:`memories`)."""
    coeffs = coefficients_ or coefficients()
    result = Estimate()
    for term, name in zip(TERMS, TERM_NAMES, strict=True):
        value = term.value(p)
        result.add(term.block, lut=coeffs["lut"][name] * value, ff=coeffs["ff"][name] * value)
    for memory in memories(p, live):
        blocks, lut = bram.blocks(memory.width, memory.depth, memory.kind)
        result.add(memory.block, bram36=blocks, lut=lut)
    return result
