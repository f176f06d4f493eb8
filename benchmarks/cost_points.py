"""Synthesis points for the cost model: engine configurations compiled and synthesised with Yosys.

Each point is one model compiled with one set of options (engine sizes, timesteps, weight bits),
written, and synthesised with ``synth_xilinx`` (:mod:`e3ne.synth`); its core parameters and
resource counts are stored. Points are either ``fit`` (the cost model's coefficients are fitted on
them, ``benchmarks/cost_model.py --fit``) or ``held-out`` (kept apart, only to check the model).
Results are cached per point: a re-run synthesises only the missing ones.

    ./dev.sh run python benchmarks/cost_points.py [--jobs 2] [--only KEY ...]

Writes benchmarks/results/cost_points.json (work folders: benchmarks/results/cost-work/).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
POINTS_FILE = RESULTS / "cost_points.json"

# (key, model, role, options). Models: digits (trained, the embedded default), lenet5 and fang
# (random weights: the logic does not depend on them). Sizes spread over CU, COLS, LANES, T and B.
POINTS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("digits-1x8", "digits", "fit", {"conv_units": 1, "cols": 8}),
    ("digits-2x4", "digits", "fit", {}),
    ("digits-2x16", "digits", "fit", {"conv_units": 2, "cols": 16}),
    ("digits-4x8", "digits", "fit", {"conv_units": 4, "cols": 8}),
    ("digits-1x32", "digits", "fit", {"conv_units": 1, "cols": 32}),
    ("digits-2x8-t2", "digits", "fit", {"conv_units": 2, "cols": 8, "timesteps": 2}),
    ("digits-2x8-t6-b4", "digits", "fit", {"conv_units": 2, "cols": 8, "timesteps": 6, "weight_bits": 4}),
    ("digits-2x8-unit16", "digits", "fit", {"conv_units": 2, "cols": 8, "linear": "unit", "lanes": 16}),
    ("digits-1x8-unit8", "digits", "fit", {"conv_units": 1, "cols": 8, "linear": "unit", "lanes": 8}),
    ("digits-8x8-b3", "digits", "fit", {"conv_units": 8, "cols": 8, "weight_bits": 3}),
    ("lenet5-2x14", "lenet5", "fit", {"conv_units": 2, "cols": 14, "weight_bits": 3}),
    ("lenet5-4x28", "lenet5", "fit", {"conv_units": 4, "cols": 28, "weight_bits": 3}),
    (
        "lenet5-1x28-unit32",
        "lenet5",
        "fit",
        {"conv_units": 1, "cols": 28, "weight_bits": 3, "linear": "unit", "lanes": 32},
    ),
    ("fang-2x48", "fang", "fit", {"conv_units": 2, "cols": 48, "weight_bits": 4}),
    ("fang-4x24", "fang", "fit", {"conv_units": 4, "cols": 24, "weight_bits": 4}),
    ("fang-1x32-t3", "fang", "fit", {"conv_units": 1, "cols": 32, "weight_bits": 4, "timesteps": 3}),
    ("fang-2x16-b8", "fang", "fit", {"conv_units": 2, "cols": 16, "weight_bits": 8}),
    ("digits-8x2", "digits", "fit", {"conv_units": 8, "cols": 2}),
    ("digits-5x6-t3", "digits", "fit", {"conv_units": 5, "cols": 6, "timesteps": 3}),
    ("lenet5-6x10", "lenet5", "fit", {"conv_units": 6, "cols": 10, "weight_bits": 3}),
    ("lenet5-1x56", "lenet5", "fit", {"conv_units": 1, "cols": 56, "weight_bits": 3}),
    ("fang-6x8", "fang", "fit", {"conv_units": 6, "cols": 8, "weight_bits": 4}),
    ("fang-1x64-b3", "fang", "fit", {"conv_units": 1, "cols": 64, "weight_bits": 3}),
    # held out: never seen by the fit
    ("digits-3x12-t3-b6", "digits", "held-out", {"conv_units": 3, "cols": 12, "timesteps": 3, "weight_bits": 6}),
    ("digits-2x24-unit12", "digits", "held-out", {"conv_units": 2, "cols": 24, "linear": "unit", "lanes": 12}),
    ("digits-6x4-t5", "digits", "held-out", {"conv_units": 6, "cols": 4, "timesteps": 5}),
    ("lenet5-1x84", "lenet5", "held-out", {"weight_bits": 3}),
    ("lenet5-2x30", "lenet5", "held-out", {"conv_units": 2, "cols": 30, "weight_bits": 3}),
    ("lenet5-3x20-t5", "lenet5", "held-out", {"conv_units": 3, "cols": 20, "weight_bits": 3, "timesteps": 5}),
    ("fang-2x56", "fang", "held-out", {"conv_units": 2, "cols": 56, "weight_bits": 4}),
    ("fang-8x4", "fang", "held-out", {"weight_bits": 4}),
    ("fang-3x32-t3", "fang", "held-out", {"conv_units": 3, "cols": 32, "weight_bits": 4, "timesteps": 3}),
]
KEYS = {key: (model, role, options) for key, model, role, options in POINTS}


def load_points() -> dict[str, dict[str, Any]]:
    return json.loads(POINTS_FILE.read_text()) if POINTS_FILE.is_file() else {}


def measure(key: str) -> dict[str, Any]:
    """Compile and synthesise one point (run in a child process: one Yosys and one model at a time)."""
    import e3ne
    from e3ne import models

    name, role, options = KEYS[key]
    model, x, calibration = models.digits_example() if name == "digits" else models.PAPER_MODELS[name]()
    started = time.perf_counter()
    design = e3ne.compile(model, x, calibration, name=name, keep_stages=False, **options)
    design.write(RESULTS / "cost-work" / key)
    synth = design.synthesize()
    from e3ne.lowering.hw_to_verilog import find_engine
    from e3ne.passes.explore import live_widths

    return {
        "model": name,
        "role": role,
        "options": options,
        "engine": design.params(),
        "live": live_widths(find_engine(design.module)),
        "cycles": design.report()["cycles_per_image_model"],
        **{k: synth[k] for k in ("lut", "lutram", "ff", "carry", "bram36", "dsp", "latches")},
        "rom_bram36": synth["rom"]["bram36"],  # type: ignore[index]
        "rom_lut": synth["rom"]["lut"],  # type: ignore[index]
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="synthesis points for the e3ne cost model")
    parser.add_argument("--jobs", type=int, default=2, help="points synthesised at once (default 2)")
    parser.add_argument("--only", nargs="*", default=None, help="only these keys (re-measured)")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # the child process: measure KEY, print JSON
    args = parser.parse_args()
    if args.one:
        warnings.filterwarnings("ignore")
        print(json.dumps(measure(args.one)))
        return
    points = load_points()
    todo = [k for k in (args.only or KEYS) if args.only or k not in points]
    unknown = [k for k in todo if k not in KEYS]
    if unknown:
        raise SystemExit(f"unknown point(s): {', '.join(unknown)} (known: {', '.join(KEYS)})")

    def run(key: str) -> None:
        child = subprocess.run([sys.executable, __file__, "--one", key], capture_output=True, text=True)
        if child.returncode != 0:
            print(f"{key}: failed: {child.stderr.strip().splitlines()[-1:]}", flush=True)
            return
        points[key] = json.loads(child.stdout.strip().splitlines()[-1])
        RESULTS.mkdir(exist_ok=True)
        POINTS_FILE.write_text(json.dumps(dict(sorted(points.items())), indent=1) + "\n")
        p = points[key]
        print(f"{key}: {p['lut']} LUT, {p['ff']} FF, {p['bram36']} BRAM36 ({p['seconds']} s)", flush=True)

    print(f"{len(todo)} point(s) to synthesise, {args.jobs} at a time", flush=True)
    with ThreadPoolExecutor(args.jobs) as pool:
        list(pool.map(run, todo))


if __name__ == "__main__":
    main()
