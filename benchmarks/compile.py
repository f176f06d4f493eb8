"""Time the whole PyTorch -> Verilog compile of each model and show where the time goes.

For each model: torch-mlir export, parsing the torch dialect, every pipeline stage (passes), the
printing of every stage's .mlir, and writing the output folder (.mlir files and Verilog).
The issue's goal: VGG-11 <= 20 s on 2 cores. ``--profile MODEL`` adds a cProfile of one compile.

    ./dev.sh run python benchmarks/compile.py
    ./dev.sh run python benchmarks/compile.py --models vgg11 --profile vgg11

Writes benchmarks/results/compile.json; output folders go to benchmarks/results/compile-work/.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import shutil
import time
import warnings
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

import e3ne
from e3ne import models

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
WORK = RESULTS / "compile-work"

CONFIGS: dict[str, dict[str, Any]] = {
    "digits": {"timesteps": 4, "weight_bits": 8},
    "lenet5": {"timesteps": 4, "weight_bits": 3, "conv_units": 2},
    "fang": {"timesteps": 4, "weight_bits": 4, "conv_units": 2},
    "alexnet": {"timesteps": 6, "weight_bits": 6, "conv_units": 2},
    "vgg11": {"timesteps": 6, "weight_bits": 6, "conv_units": 2},
}
GOAL_S = {"vgg11": 20.0}


def example(name: str) -> tuple[Any, Any, Any]:
    if name == "digits":
        model, x, _ = models.digits_example()
        return model, x, models.digits_split()[0]
    return models.PAPER_MODELS[name]()


def compile_once(name: str) -> dict[str, float]:
    model, x, calibration = example(name)
    started = time.perf_counter()
    design = e3ne.compile(model, x, calibration, name=name, **CONFIGS[name])
    folder = WORK / name
    shutil.rmtree(folder, ignore_errors=True)
    design.write(folder)
    total = time.perf_counter() - started
    timings = {k: round(v, 2) for k, v in design.timings.items() if k != "total"}
    return {**timings, "total": round(total, 2)}


def profile(name: str, console: Console) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    compile_once(name)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(20)
    text = out.getvalue()
    console.print(text)
    return text


def main() -> None:
    warnings.filterwarnings("ignore")
    parser = argparse.ArgumentParser(description="Time the PyTorch -> Verilog compile of each model.")
    parser.add_argument("--models", nargs="*", default=list(CONFIGS), choices=list(CONFIGS))
    parser.add_argument("--profile", choices=list(CONFIGS), help="also profile one compile of this model")
    args = parser.parse_args()
    console = Console()
    RESULTS.mkdir(exist_ok=True)
    results: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "cores": 2, "models": {}}
    for name in args.models:
        with console.status(f"compiling {name}"):
            results["models"][name] = compile_once(name)
    steps = sorted({k for r in results["models"].values() for k in r if k != "total"}, key=_order)
    table = Table(title="compile time (s): PyTorch -> Verilog, output folder written")
    table.add_column("step")
    for name in results["models"]:
        table.add_column(name, justify="right")
    for step in [*steps, "total"]:
        table.add_row(step, *(f"{results['models'][m].get(step, 0):.2f}" for m in results["models"]))
    console.print(table)
    for name, goal in GOAL_S.items():
        if name in results["models"]:
            total = results["models"][name]["total"]
            verdict = "met" if total <= goal else "missed"
            console.print(f"goal {name} <= {goal:.0f} s: {total:.1f} s, {verdict}")
            results[f"goal_{name}"] = {"seconds": total, "goal": goal, "met": total <= goal}
    if args.profile:
        results["profile"] = {"model": args.profile, "top": profile(args.profile, console)}
    (RESULTS / "compile.json").write_text(json.dumps(results, indent=2) + "\n")
    console.print(f"wrote {RESULTS / 'compile.json'}")


def _order(step: str) -> int:
    order = ["export", "torch", "snn-float", "snn-folded", "snn", "hw", "write mlir", "write verilog"]
    base = step.removeprefix("print ")
    return order.index(base) * 2 + step.startswith("print ") if base in order else 99


if __name__ == "__main__":
    main()
