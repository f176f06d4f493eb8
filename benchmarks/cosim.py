"""Compile the paper's models to RTL and co-simulate them in Verilator against the interpreter.

For each model: mismatches over the simulated images, cycles per image (simulated and the exact
model), and per layer the cycles next to the ideal bound (synaptic ops x timesteps / parallel
accumulators). Configurations follow the E3NE paper (LeNet-5 3-bit T=4, Fang 4-bit T=4,
AlexNet/VGG-11 6-bit T=6); digits uses e3ne's default (8-bit, T=4). Engine sizes are the ones
``tile`` picks (pass ``--conv-units 2`` for the paper's two conv units).

    ./dev.sh run python benchmarks/cosim.py                      # all models
    ./dev.sh run python benchmarks/cosim.py --models fang --images 200

Writes benchmarks/results/cosim.json; work folders go to benchmarks/results/cosim-work/.
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

CONFIGS: dict[str, dict[str, Any]] = {
    "digits": {"timesteps": 4, "weight_bits": 8},
    "lenet5": {"timesteps": 4, "weight_bits": 3},
    "fang": {"timesteps": 4, "weight_bits": 4},
    "alexnet": {"timesteps": 6, "weight_bits": 6},
    "vgg11": {"timesteps": 6, "weight_bits": 6},
}
DEFAULT_IMAGES = {"digits": 540, "lenet5": 50, "fang": 200, "alexnet": 2, "vgg11": 1}


def inputs(name: str, count: int) -> tuple[object, object, np.ndarray, np.ndarray]:
    """Model, example input, calibration, and the images to simulate (test split or generated)."""
    if name == "digits":
        model, example, _ = models.digits_example()
        x_train, _, x_test, _ = models.digits_split()
        return model, example, x_train, x_test[:count]
    model, example, calibration = models.PAPER_MODELS[name]()
    shape = tuple(calibration.shape[1:])
    generated = np.random.default_rng(2026).random((count, *shape), dtype=np.float32)
    return model, example, calibration, generated


def run_model(name: str, count: int, console: Console, conv_units: int = 0) -> dict[str, object]:
    model, example, calibration, x = inputs(name, count)
    config = {**CONFIGS[name], **({"conv_units": conv_units} if conv_units else {})}
    started = time.perf_counter()
    design = e3ne.compile(model, example, calibration, name=name, keep_stages=False, **config)
    compile_s = time.perf_counter() - started
    design.write(RESULTS / "cosim-work" / name)
    started = time.perf_counter()
    report = design.simulate(x)
    simulate_s = time.perf_counter() - started
    data = design.report()
    layers = data["layers"]
    table = Table(title=f"{name}: {report.summary()}")
    columns = ("layer", "unit", "shape", "cycles", "ideal", "utilization")
    for column in columns:
        table.add_column(column, justify="right")
    for row in layers:  # type: ignore[union-attr]
        table.add_row(*(f"{row[c]:,}" if isinstance(row[c], int) else str(row[c]) for c in columns))
    console.print(table)
    return {
        "config": config,
        "images": report.images,
        "mismatches": report.mismatches,
        "divergence": report.divergence,
        "cycles_per_image_simulated": sorted(set(report.cycles.tolist())),
        "cycles_per_image_model": data["cycles_per_image_model"],
        "ideal_cycles_per_image": data["ideal_cycles_per_image"],
        "layers": layers,
        "engine": data["engine"],
        "compile_s": round(compile_s, 1),
        "simulate_s": round(simulate_s, 1),
    }


def main() -> None:
    warnings.filterwarnings("ignore")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--models", nargs="*", default=list(CONFIGS), choices=list(CONFIGS))
    parser.add_argument("--images", type=int, help="images per model (default: per model)")
    parser.add_argument("--conv-units", type=int, default=0, help="conv units (default: tile chooses)")
    args = parser.parse_args()
    console = Console()
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "cosim.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    for name in args.models:
        count = args.images or DEFAULT_IMAGES[name]
        console.print(f"[bold]{name}[/bold]: compiling and co-simulating {count} images")
        results[name] = run_model(name, count, console, args.conv_units)
        results[name]["date"] = time.strftime("%Y-%m-%d")
        path.write_text(json.dumps(results, indent=2) + "\n")
    console.print(f"wrote {path}")


if __name__ == "__main__":
    main()
