"""Weights in DRAM (docs/hardware.md 2.6) for the paper's large models: cycles, block RAM, bandwidth.

For each model (compiled as benchmarks/cosim.py does, engine sizes from ``tile``), with the exact
cycle model only (e3ne.engine.cycles, which test/rtl/test_rtl_dram.py checks against RTL
simulation with an AXI memory model):

* cycles per image with on-chip weight ROMs and with weights from DRAM at 8 bytes/cycle (a 64-bit
  AXI port, one beat per cycle), for a fixed latency and a random one (the memory model's LFSR);
* the block RAM of the weight ROMs against that of the caches (+ the layout ROM) that replace
  them, counted by e3ne.engine.cost as Yosys maps a block memory of that shape;
* the narrowest AXI port (bytes/cycle) that keeps the DRAM cycles within 10 % of on-chip.

    ./dev.sh run python benchmarks/dram.py                       # alexnet, vgg11 (and the small ones)
    ./dev.sh run python benchmarks/dram.py --models alexnet --latency 60
    ./dev.sh run python benchmarks/dram.py --models --cosim vgg11    # + an RTL co-simulation (minutes)

Writes benchmarks/results/dram.json.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path
from typing import Any

from cosim import CONFIGS, inputs
from rich.console import Console
from rich.table import Table

import e3ne
from e3ne.engine import cost, cycles, images, schema
from e3ne.engine.dram import DramLayout
from e3ne.lowering.hw_to_verilog import find_engine

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
WIDTHS = (8, 16, 32, 64, 128, 256, 512, 1024)
"""AXI data widths tried (bits): 1 to 128 bytes per cycle."""


def weight_memories(params: dict[str, int]) -> dict[str, float]:
    """BRAM36 of each memory that holds weights (ROMs on chip; caches and the layout ROM with DRAM)."""
    names = ("conv_weights", "linear_weights", "conv_weight_cache", "linear_weight_cache", "weight_layout")
    found = {}
    for memory in cost.memories(params):
        if memory.name in names:
            found[memory.name] = cost.bram.blocks(memory.width, memory.depth, memory.kind)[0]
    return found


def run_model(name: str, timings: dict[str, cycles.DramTiming]) -> dict[str, Any]:
    model, example, calibration, _ = inputs(name, 0)
    started = time.perf_counter()
    design = e3ne.compile(model, example, calibration, name=name, keep_stages=False, **CONFIGS[name])
    compile_s = time.perf_counter() - started
    engine = find_engine(design.module)
    params = engine.core_params()
    descs = engine.descriptors(params)
    segments = schema.param_segments(params)
    conv_bits = images.conv_word_bits(params["CU"], params["WB"], segments)
    linear_bits = params["LANES"] * params["WB"]

    def dram_params(axi_bits: int) -> dict[str, int]:
        layout = DramLayout(conv_bits, linear_bits, params["CWDEPTH"], params["LWDEPTH"], axi_bits)
        return {**params, **layout.params(descs)}

    started = time.perf_counter()
    on_chip = cycles.program_cycles(descs, params)
    at8 = {key: cycles.program_cycles(descs, dram_params(64), t) for key, t in timings.items()}
    needed = {}
    for key, timing in timings.items():
        for bits in WIDTHS:
            if cycles.program_cycles(descs, dram_params(bits), timing) <= 1.1 * on_chip:
                needed[key] = bits // 8
                break
        else:
            needed[key] = None
    model_s = time.perf_counter() - started
    layout = DramLayout(conv_bits, linear_bits, params["CWDEPTH"], params["LWDEPTH"], 64)
    return {
        "config": CONFIGS[name],
        "engine": {k: params[k] for k in ("CU", "COLS", "LANES", "WB", "CWDEPTH", "LWDEPTH")},
        "conv_word_bits": conv_bits,
        "linear_word_bits": linear_bits,
        "dram_image_bytes": layout.size,
        "caches": {k: dram_params(64)[k] for k in ("CWCACHE", "LWCACHE")},
        "cycles_on_chip": on_chip,
        "cycles_dram_8B": at8,
        "overhead_8B": {k: round(v / on_chip - 1, 5) for k, v in at8.items()},
        "bram36_on_chip": weight_memories(params),
        "bram36_dram": weight_memories(dram_params(64)),
        "bytes_per_cycle_for_10pct": needed,
        "compile_s": round(compile_s, 1),
        "model_s": round(model_s, 1),
    }


def cosimulate(name: str, images: int, timing: cycles.DramTiming) -> dict[str, Any]:
    """Compile ``name`` with weights in DRAM and co-simulate ``images`` in Verilator, the testbench's AXI
    memory model running with ``timing``: mismatches against the interpreter, simulated and model cycles."""
    from e3ne import interpreters, simulate
    from e3ne.reference_ir import network_from_module

    model, example, calibration, x = inputs(name, images)
    design = e3ne.compile(model, example, calibration, name=name, keep_stages=False, weights="dram", **CONFIGS[name])
    out = design.write(RESULTS / "dram-work" / name)
    params = design.params()
    descs = find_engine(design.module).descriptors(params)
    want = interpreters.predict(design.snn, x)
    codes = network_from_module(design.snn).encode.stored_codes(x)
    plusargs = [f"+lat={timing.latency}", f"+latmask={timing.latency_mask}", f"+lfsr={timing.seed}",
                f"+qdepth={timing.queue}"]  # fmt: skip
    started = time.perf_counter()
    got = simulate.run(out / "verilog", codes, params, want.shape[1], plusargs=plusargs)
    return {
        "images": images,
        "timing": vars(timing),
        "mismatches": int((got.outputs != want).any(axis=1).sum()),
        "cycles_simulated": sorted(set(got.cycles.tolist())),
        "cycles_model": cycles.program_cycles(descs, params, timing),
        "cycles_on_chip": cycles.program_cycles(descs, params),
        "simulate_s": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--models", nargs="*", default=["digits", "lenet5", "alexnet", "vgg11"])
    parser.add_argument("--latency", type=int, default=40, help="fixed DRAM latency, cycles (default 40)")
    parser.add_argument("--cosim", nargs="*", default=[], help="also co-simulate these models with DRAM weights")
    parser.add_argument("--images", type=int, default=1, help="images to co-simulate (default 1)")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    timings = {
        f"fixed {args.latency}": cycles.DramTiming(latency=args.latency, queue=8),
        f"random {args.latency // 2}+0..63": cycles.DramTiming(latency=max(2, args.latency // 2), latency_mask=63,
                                                               seed=0xACE1, queue=8),
    }  # fmt: skip
    console = Console(width=150)
    path = RESULTS / "dram.json"
    previous = json.loads(path.read_text()) if path.exists() else {}
    results = {**previous.get("models", {}), **{name: run_model(name, timings) for name in args.models}}
    cosims = dict(previous.get("cosim", {}))
    for name in args.cosim:
        console.print(f"[bold]{name}[/bold]: co-simulating with DRAM weights")
        cosims[name] = cosimulate(name, args.images, next(iter(timings.values())))
        console.print(cosims[name])
    table = Table(title="weights in DRAM (cycle model): per image, 64-bit AXI port (8 B/cycle)")
    for column in ("model", "on chip", *timings, "BRAM36 ROMs", "BRAM36 caches", "B/cycle for <=10%", "image MB"):
        table.add_column(column, justify="right")
    for name, r in results.items():
        on, at8 = r["cycles_on_chip"], r["cycles_dram_8B"]
        table.add_row(
            name,
            f"{on:,}",
            *(f"{at8[k]:,} (+{100 * (at8[k] / on - 1):.2f} %)" for k in timings),
            f"{sum(r['bram36_on_chip'].values()):g}",
            f"{sum(r['bram36_dram'].values()):g}",
            " / ".join(str(v) for v in r["bytes_per_cycle_for_10pct"].values()),
            f"{r['dram_image_bytes'] / 2**20:.2f}",
        )
    console.print(table)
    RESULTS.mkdir(exist_ok=True)
    out = {"date": time.strftime("%Y-%m-%d"), "timings": {k: vars(t) for k, t in timings.items()}, "models": results}
    if cosims:
        out["cosim"] = cosims
    path.write_text(json.dumps(out, indent=1) + "\n")
    console.print(f"wrote {path}")


if __name__ == "__main__":
    main()
