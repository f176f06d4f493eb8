"""Compile the model families of docs/models.md to RTL and co-simulate them in Verilator.

For each family of ``e3ne.models.MODEL_FAMILIES`` (seeded random weights), at T = 4 and 8-bit
weights with 2 calibration images: whether it compiles (or the one-line error of the first
feature e3ne lacks), the compile time and peak memory, layers and weights, cycles per image by
the exact cycle model next to the ideal bound, the cost model's LUT/FF/BRAM36/DSP estimate of the
engine ``tile`` chose, and, where the run time allows, a Verilator co-simulation of a few random
images: mismatches against the interpreter and the measured cycles against the model.

The ideal bound (``e3ne.engine.cycles.ideal_cycles``, the ``ideal`` column of report.json's
per-layer table) is, per layer, synaptic operations x input timesteps / parallel accumulators
(conv units x columns on the conv units, lanes on the linear unit): every accumulator busy every
cycle, no fill, drain, stall or descriptor fetch. The network's ideal is the sum over its layers.

Each family runs in its own process, so its peak memory is its own and a crash is one row.
Co-simulation is skipped when the model's cycles would take longer than ``--sim-budget`` seconds
at the Verilator speed measured on the first family co-simulated (ResNet-20 in a full run), and
for AlexNet by default: its 61M weights make 789 Mbit of ROM, a 200 MB $readmemh image, and a
Verilator model that runs ~14,000 cycles/s here (``--cosim-big``: ~2.5 min to build, ~21 min for
one image).

    ./dev.sh run python benchmarks/families.py                    # all six, ~13 min on 2 busy cores
    ./dev.sh run python benchmarks/families.py --only resnet20 --images 4
    ./dev.sh run python benchmarks/families.py --no-cosim --skip-big

Writes benchmarks/results/families.json; work folders go to benchmarks/results/families-work/.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
WORK = RESULTS / "families-work"
sys.path.insert(0, str(HERE))

from benchmark_report import machine  # noqa: E402

CONFIG: dict[str, Any] = {"timesteps": 4, "weight_bits": 8}
CALIBRATION_IMAGES = 2
"""As test/unit/test_model_families.py compiles them, so the cycles here are the ones it asserts."""
IMAGES = {"resnet20": 2, "resnet18": 1, "mobilenetv2": 2, "squeezenet1_0": 2, "alexnet-original": 1,
          "vgg11-bn-cifar": 1}  # fmt: skip
BIG = ("resnet18", "alexnet-original")
"""What ``--skip-big`` leaves out: over a minute and gigabytes to compile."""
ROM_HEAVY = ("alexnet-original",)
"""Not co-simulated unless ``--cosim-big``: every weight sits in on-chip ROM, and its Verilator model
is too slow to set the speed the others are budgeted at."""
DEFAULT_SPEED = 80_000.0
"""Verilator cycles per second assumed before any family has been co-simulated (2 busy cores)."""


def _gb(kilobytes: int) -> float:
    return round(kilobytes / 1024**2, 2)


def _weights(model: Any) -> int:
    """Conv and linear weights (the parameters that go into ROM), biases and BatchNorm left out."""
    return sum(p.numel() for name, p in model.named_parameters() if name.endswith("weight") and p.dim() > 1)


def _rom_mbit(design: Any) -> float:
    from e3ne.engine import cost
    from e3ne.lowering.hw_to_verilog import find_engine
    from e3ne.passes.explore import live_widths

    roms = [m for m in cost.memories(design.params(), live_widths(find_engine(design.module))) if m.kind == "rom"]
    return round(sum(m.width * m.depth for m in roms) / 1e6, 1)


def run_family(name: str, images: int, cosim: str, speed: float, budget: float) -> dict[str, Any]:
    """Compile one family and, when ``cosim`` is "yes" and the budget allows, co-simulate it."""
    import e3ne
    from e3ne import models
    from e3ne.errors import E3neError

    model, example, calibration = models.MODEL_FAMILIES[name]()
    row: dict[str, Any] = {"weights": _weights(model), "calibration_images": CALIBRATION_IMAGES, **CONFIG}
    started = time.perf_counter()
    try:
        design = e3ne.compile(model, example, calibration[:CALIBRATION_IMAGES], name=name.replace("-", "_"),
                              keep_stages=False, **CONFIG)  # fmt: skip
    except E3neError as err:
        row.update(status=str(err).splitlines()[0], compile_s=round(time.perf_counter() - started, 1))
        row["peak_rss_gb"] = _gb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        return row
    row["compile_s"] = round(time.perf_counter() - started, 1)
    row["peak_rss_gb"] = _gb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    data = design.report()
    estimate = data["estimate"]
    assert isinstance(estimate, dict)
    layers = data["layers"]
    assert isinstance(layers, list)
    model_cycles, ideal = int(data["cycles_per_image_model"]), int(data["ideal_cycles_per_image"])  # type: ignore[arg-type]
    assert model_cycles == design.cycles_per_image()
    row.update(
        status="compiled",
        layers=len(layers),
        cycles_per_image_model=model_cycles,
        ideal_cycles_per_image=ideal,
        cycles_over_ideal=round(model_cycles / ideal, 3),
        estimate={k: estimate[k] for k in ("lut", "ff", "bram36", "dsp")},
        engine_size=data["engine_size"],
        rom_mbit=_rom_mbit(design),
        per_layer=[{k: r[k] for k in ("layer", "unit", "shape", "cycles", "ideal")} for r in layers],
    )
    seconds = model_cycles * images / speed
    if cosim == "no":
        row["cosim"] = {"skipped": "--no-cosim"}
    elif name in ROM_HEAVY and cosim != "big":
        row["cosim"] = {"skipped": f"{row['weights'] / 1e6:.0f}M weights in on-chip ROM ({row['rom_mbit']:,} Mbit, "
                        f"{estimate['bram36']:,} BRAM36 by the cost model): $readmemh images and Verilator arrays "
                        "of that size, ~14,000 cycles/s: --cosim-big runs it"}  # fmt: skip
    elif seconds > budget and name not in ROM_HEAVY:  # --cosim-big asks for it whatever it takes
        row["cosim"] = {"skipped": f"{model_cycles * images:,} cycles at {speed:,.0f} cycles/s is ~{seconds:,.0f} s "
                        f"in Verilator, over the --sim-budget of {budget:,.0f} s"}  # fmt: skip
    else:
        row["cosim"] = cosimulate(design, name, calibration.shape[1:], images)
    return row


def cosimulate(design: Any, name: str, shape: tuple[int, ...], images: int) -> dict[str, Any]:
    """Write the design, build its Verilator model, run ``images`` random images through it."""
    from e3ne import simulate

    folder = WORK / name
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    design.write(folder)
    write_s = time.perf_counter() - started
    started = time.perf_counter()
    simulate.build(folder / "verilog")
    build_s = time.perf_counter() - started
    x = np.random.default_rng(2026).random((images, *shape), dtype=np.float32)
    started = time.perf_counter()
    report = design.simulate(x)
    simulate_s = time.perf_counter() - started
    measured = sorted({int(c) for c in report.cycles})
    return {
        "images": report.images,
        "mismatches": report.mismatches,
        "divergence": report.divergence,
        "cycles_per_image_simulated": measured,
        "cycles_equal_model": measured == [design.cycles_per_image()],
        "write_s": round(write_s, 1),
        "verilator_build_s": round(build_s, 1),
        "simulate_s": round(simulate_s, 1),
        # simulate_s includes the interpreter on the same images: a lower bound on Verilator's speed
        "verilator_cycles_per_s": round(sum(int(c) for c in report.cycles) / simulate_s),
    }


def child(args: argparse.Namespace) -> None:
    """One family in this process; the row goes to ``--row`` as JSON."""
    warnings.filterwarnings("ignore")
    try:
        row = run_family(args.child, args.images, args.cosim, args.speed, args.sim_budget)
    except Exception as err:  # a crash is a row too: the first line of what went wrong
        row = {"status": f"crash: {type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"}
    Path(args.row).write_text(json.dumps(row, indent=2) + "\n")


def layer_table(name: str, row: dict[str, Any]) -> Table:
    table = Table(title=f"{name}: cycles per layer")
    for column in ("layer", "unit", "shape", "cycles", "ideal", "cycles/ideal"):
        table.add_column(column, justify="left" if column in ("layer", "shape") else "right")
    for r in row["per_layer"]:
        ratio = f"{r['cycles'] / r['ideal']:.2f}" if r["ideal"] else "-"
        table.add_row(r["layer"], r["unit"], r["shape"], f"{r['cycles']:,}", f"{r['ideal']:,}", ratio)
    return table


def cosim_cell(row: dict[str, Any]) -> str:
    cosim = row.get("cosim")
    if not cosim:
        return "-"
    if "skipped" in cosim:
        return "skipped"
    same = "= model" if cosim["cycles_equal_model"] else f"≠ model: {cosim['cycles_per_image_simulated']}"
    return f"{cosim['images']} img, {cosim['mismatches']} mismatches, cycles {same}"


def summary_table(results: dict[str, dict[str, Any]]) -> Table:
    table = Table(title="model families: T = 4, 8-bit weights, the engine tile chooses")
    columns = ("family", "status", "compile s", "peak GB", "layers", "weights", "cycles/image", "ideal",
               "cycles/ideal", "LUT", "FF", "BRAM36", "DSP", "co-simulation")  # fmt: skip
    for column in columns:
        table.add_column(column, justify="left" if column in ("family", "status", "co-simulation") else "right")
    for name, row in results.items():
        compiled = row.get("status") == "compiled"
        est = row.get("estimate", {})
        table.add_row(
            name,
            row.get("status", "?"),
            f"{row['compile_s']:.1f}" if "compile_s" in row else "-",
            f"{row['peak_rss_gb']:.2f}" if "peak_rss_gb" in row else "-",
            str(row["layers"]) if compiled else "-",
            f"{row['weights']:,}" if "weights" in row else "-",
            f"{row['cycles_per_image_model']:,}" if compiled else "-",
            f"{row['ideal_cycles_per_image']:,}" if compiled else "-",
            f"{row['cycles_over_ideal']:.2f}" if compiled else "-",
            f"{est['lut']:,}" if compiled else "-",
            f"{est['ff']:,}" if compiled else "-",
            f"{est['bram36']:,}" if compiled else "-",
            str(est["dsp"]) if compiled else "-",
            cosim_cell(row),
        )
    return table


def main() -> None:
    from e3ne import models

    names = list(models.MODEL_FAMILIES)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--only", nargs="+", choices=names, help="these families (default: all)")
    parser.add_argument("--images", type=int, help="images to co-simulate per family (default: 2, 1 for the big)")
    parser.add_argument("--no-cosim", action="store_true", help="compile only")
    parser.add_argument("--skip-big", action="store_true", help=f"leave out {', '.join(BIG)}")
    parser.add_argument("--cosim-big", action="store_true", help="co-simulate AlexNet too (ROM of 61M weights)")
    parser.add_argument("--sim-budget", type=float, default=900.0, help="Verilator seconds a family may take")
    parser.add_argument("--timeout", type=float, default=2400.0, help="seconds a family's process may take")
    parser.add_argument("--child", choices=names, help=argparse.SUPPRESS)
    parser.add_argument("--row", help=argparse.SUPPRESS)
    parser.add_argument("--cosim", default="yes", help=argparse.SUPPRESS)
    parser.add_argument("--speed", type=float, default=DEFAULT_SPEED, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    console = Console(width=220)  # the summary has 14 columns; nohup logs have no terminal width
    WORK.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "families.json"
    saved = json.loads(path.read_text()) if path.exists() else {}
    results: dict[str, dict[str, Any]] = saved.get("families", {})
    chosen = [n for n in (args.only or names) if not (args.skip_big and n in BIG)]
    speeds = [r["cosim"]["verilator_cycles_per_s"] for n, r in results.items()
              if "images" in r.get("cosim", {}) and n not in ROM_HEAVY]  # fmt: skip
    speed = float(min(speeds)) if speeds and not args.only else DEFAULT_SPEED
    cosim = "no" if args.no_cosim else "big" if args.cosim_big else "yes"
    started = time.perf_counter()
    for name in chosen:
        images = args.images or IMAGES[name]
        console.print(
            f"[bold]{name}[/bold]: compiling (co-simulation: {cosim}, {images} images, {speed:,.0f} cycles/s)"
        )
        row_file = WORK / f"{name}.row.json"
        row_file.unlink(missing_ok=True)
        command = [sys.executable, __file__, "--child", name, "--row", str(row_file), "--images", str(images),
                   "--cosim", cosim, "--speed", str(speed), "--sim-budget", str(args.sim_budget)]  # fmt: skip
        family_started = time.perf_counter()
        row: dict[str, Any]
        try:
            finished = subprocess.run(command, timeout=args.timeout)
            row = json.loads(row_file.read_text()) if row_file.exists() else {}
            if not row:
                row = {"status": f"crash: the process exited with {finished.returncode} (out of memory?)"}
        except subprocess.TimeoutExpired:
            row = {"status": f"timeout: over {args.timeout:,.0f} s"}
        row["wall_s"] = round(time.perf_counter() - family_started, 1)
        row["date"] = time.strftime("%Y-%m-%d")
        measured = row.get("cosim", {}).get("verilator_cycles_per_s")
        if measured and name not in ROM_HEAVY:
            speed = float(measured) if speed == DEFAULT_SPEED else min(speed, float(measured))
        results[name] = row
        if row.get("per_layer"):
            console.print(layer_table(name, row))
        console.print(f"{name}: {row['status']}, {row['wall_s']:.0f} s; co-simulation: {row.get('cosim', '-')}")
        payload = {**saved, "machine": machine(), "config": {**CONFIG, "calibration_images": CALIBRATION_IMAGES},
                   "ideal": "per layer: synaptic ops x input timesteps / parallel accumulators; summed over layers",
                   "families": {n: results[n] for n in names if n in results}}  # fmt: skip
        path.write_text(json.dumps(payload, indent=2) + "\n")
    console.print(summary_table({n: results[n] for n in names if n in results}))
    console.print(f"{len(chosen)} families in {time.perf_counter() - started:,.0f} s; wrote {path}")


if __name__ == "__main__":
    main()
