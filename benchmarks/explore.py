"""explore under two budgets per model: the designs it picks, co-simulated and synthesised.

For digits (the trained embedded default) and Fang's CNN (random weights, 4-bit, T = 4), two LUT
budgets on an xc7z020 each give a design (``e3ne.compile(..., device=..., budget=...)``). Each
design is co-simulated in Verilator against the interpreter (bit-exact, cycles = the model's) and
synthesised with Yosys; the table puts the cost model's estimate next to Yosys and checks that
Yosys's counts fit the budget.

    ./dev.sh run python benchmarks/explore.py [--models digits fang] [--images N]

Writes benchmarks/results/explore.json (work folders: benchmarks/results/explore-work/).
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
DEVICE = "xc7z020"
BUDGETS = {
    "digits": ("lut=1000", "lut=2000"),
    "fang": ("lut=3000,bram36=60", "lut=6000,bram36=60"),
}
OPTIONS = {"digits": {}, "fang": {"weight_bits": 4}}
IMAGES = {"digits": 100, "fang": 10}


def _example(name: str) -> tuple[Any, Any, np.ndarray, np.ndarray]:
    if name == "digits":
        model, x, calibration = models.digits_example()
        return model, x, calibration, models.digits_split()[2]
    model, x, calibration = models.PAPER_MODELS[name]()
    return model, x, calibration, np.random.default_rng(5).random((32, *x.shape[1:]), dtype=np.float32)


def measure(name: str, budget: str, images: int) -> dict[str, Any]:
    model, x, calibration, inputs = _example(name)
    started = time.perf_counter()
    design = e3ne.compile(model, x, calibration, name=name, keep_stages=False, device=DEVICE, budget=budget,
                          **OPTIONS[name])  # fmt: skip
    compile_seconds = time.perf_counter() - started
    folder = RESULTS / "explore-work" / f"{name}-{budget.replace(',', '-').replace('=', '')}"
    design.write(folder)
    report = design.simulate(inputs[:images])
    synth = design.synthesize()
    data = design.report()
    explore, estimate = data["explore"], data["estimate"]
    assert isinstance(explore, dict) and isinstance(estimate, dict)
    limits = explore["budget"]
    fits = all(float(synth[r]) <= limits[r] for r in ("lut", "ff", "bram36", "dsp"))  # type: ignore[arg-type]
    return {
        "model": name,
        "budget": budget,
        "limits": limits,
        "engine": f"{explore['units']} x {explore['cols']}"
        + (f" + {explore['lanes']}" if explore["linear"] == "unit" else ""),
        "considered": explore["considered"],
        "legal": explore["legal"],
        "front": len(explore["front"]),
        "cycles_model": data["cycles_per_image_model"],
        "cycles_simulated": sorted(set(report.cycles.tolist())),
        "images": report.images,
        "mismatches": report.mismatches,
        "estimate": {k: estimate[k] for k in ("lut", "ff", "bram36")},
        "yosys": {k: synth[k] for k in ("lut", "ff", "bram36", "dsp", "latches")},
        "lut_error": round(estimate["lut"] / float(synth["lut"]) - 1, 4),  # type: ignore[arg-type]
        "ff_error": round(estimate["ff"] / float(synth["ff"]) - 1, 4),  # type: ignore[arg-type]
        "fits_in_yosys": fits,
        "compile_seconds": round(compile_seconds, 1),
        "explore_seconds": data["timings_s"].get("snn-tiled"),  # type: ignore[union-attr]
    }


def main() -> None:
    warnings.filterwarnings("ignore")
    parser = argparse.ArgumentParser(description="explore under two budgets per model, checked in Verilator and Yosys")
    parser.add_argument("--models", nargs="*", default=list(BUDGETS), choices=list(BUDGETS))
    parser.add_argument("--images", type=int, default=0, help="images to co-simulate (default: per model)")
    args = parser.parse_args()
    console = Console()
    rows = []
    for name in args.models:
        for budget in BUDGETS[name]:
            with console.status(f"{name}, {budget}: explore, co-simulate, synthesise"):
                rows.append(measure(name, budget, args.images or IMAGES[name]))
    table = Table(title=f"explore on {DEVICE} under two budgets (estimate vs Yosys synth_xilinx -family xcup)")
    for column in ("model", "budget", "engine", "cycles", "sim", "LUT est / Yosys", "FF est / Yosys",
                   "BRAM36 est / Yosys", "fits"):  # fmt: skip
        table.add_column(column, justify="right")
    for r in rows:
        e, y = r["estimate"], r["yosys"]
        table.add_row(
            r["model"], r["budget"], r["engine"], f"{r['cycles_model']:,}",
            f"{r['images']} img, {r['mismatches']} mism.", f"{e['lut']:,} / {y['lut']:,} ({r['lut_error']:+.1%})",
            f"{e['ff']:,} / {y['ff']:,} ({r['ff_error']:+.1%})", f"{e['bram36']} / {y['bram36']}",
            "yes" if r["fits_in_yosys"] else "NO",
        )  # fmt: skip
    console.print(table)
    RESULTS.mkdir(exist_ok=True)
    out = {"date": time.strftime("%Y-%m-%d"), "device": DEVICE, "designs": rows}
    (RESULTS / "explore.json").write_text(json.dumps(out, indent=1) + "\n")
    console.print(f"wrote {RESULTS / 'explore.json'}")


if __name__ == "__main__":
    main()
