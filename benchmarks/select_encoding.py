"""select-encoding on digits: timesteps per layer against one T for the whole network.

For the trained digits network (8-bit weights), each uniform T and each select-encoding run is
compiled to hardware (engine sizes by tile), its cycles per image taken from the exact model
and its accuracy measured on the validation images select-encoding scores on (the digits training
images past the 200 used for calibration) and on the 540 test images it never sees. The chosen
designs are co-simulated in Verilator (bit-exact, cycles = model).

    ./dev.sh run python benchmarks/select_encoding.py [--exhaustive]

``--exhaustive`` also scores every assignment of T = 1 ... 6 to the four activations (1,296, a few
minutes) on the validation images and reports the fewest cycles within 1 point of float: what the
greedy search can at best find.

Writes benchmarks/results/select_encoding.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import torch
from rich.console import Console
from rich.table import Table

import e3ne
from e3ne import models
from e3ne.ir import main_function
from e3ne.passes.select_encoding import read_search

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
UNIFORM = (3, 4, 5, 6)
SELECTED = ((1.0, 6, "validation"), (2.0, 6, "validation"), (2.0, 4, "validation"), (1.0, 4, "test"))
"""(accuracy budget in points, max timesteps, the images scored on) of the select-encoding runs. The
last one scores on the test images themselves (what e3ne compile reports accuracy on): it shows
what the search finds where uniform T = 4 is within a point, but its test accuracy is not a
held-out measurement."""


def exhaustive(top: int, x_val: np.ndarray, y_val: np.ndarray, budget: float) -> dict[str, Any]:
    """Every assignment of T = 1 ... top, scored like select-encoding's trials."""
    from e3ne.ir import functions
    from e3ne.passes.calibrate import calibrate_function
    from e3ne.passes.select_encoding import SelectEncodingInMemoryPass, Trials

    model, x, calibration = models.digits_example()
    folded = e3ne.compile(model, x, calibration, stage="snn-folded", keep_stages=False).compilation.module
    assert folded is not None
    function = functions(folded)[0]
    calibrate_function(folded, function, np.asarray(calibration, dtype=np.float64), "benchmark")
    options = SelectEncodingInMemoryPass(accuracy_budget=budget, max_timesteps=top, x=x_val, y=y_val)
    trials = Trials(folded, function, options)
    scored = [trials.trial(steps) for steps in itertools.product(range(1, top + 1), repeat=4)]
    within = [t for t in scored if t.within]
    best = min(within, key=lambda t: (t.cycles, -t.score))
    uniform = {t.timesteps[0]: t.cycles for t in scored if len(set(t.timesteps)) == 1}
    return {"assignments": len(scored), "budget_points": budget, "best": list(best.timesteps),
            "best_cycles": best.cycles, "best_score": round(best.score, 4), "uniform_cycles": uniform}  # fmt: skip


def main() -> None:
    warnings.filterwarnings("ignore")
    parser = argparse.ArgumentParser(description="select-encoding on digits against one T")
    parser.add_argument("--exhaustive", action="store_true", help="also score every assignment of T <= 6")
    args = parser.parse_args()
    console = Console()
    model, x, calibration = models.digits_example()
    x_train, y_train, x_test, y_test = models.digits_split()
    x_val, y_val = x_train[models.DIGITS_CALIBRATION :], y_train[models.DIGITS_CALIBRATION :]
    with torch.no_grad():
        float_val = float((model(torch.from_numpy(x_val)).argmax(1).numpy() == y_val).mean())
        float_test = float((model(torch.from_numpy(x_test)).argmax(1).numpy() == y_test).mean())
    rows: list[dict[str, Any]] = []

    def row(label: str, design: e3ne.Design, search: dict[str, Any] | None, cosim: bool) -> dict[str, Any]:
        data = design.report()
        result = {
            "design": label,
            "timesteps": search["chosen"] if search else None,
            "cycles": data["cycles_per_image_model"],
            "validation_accuracy": round(float((design.classify(x_val) == y_val).mean()), 4),
            "test_accuracy": round(float((design.classify(x_test) == y_test).mean()), 4),
            "trials": len(search["trials"]) if search else 0,
            "engine": f"{design.params()['CU']} x {design.params()['COLS']}",
        }
        if cosim:
            with tempfile.TemporaryDirectory() as tmp:
                design.write(Path(tmp) / "d")
                report = design.simulate(x_test[:100])
            result["cosim"] = {"images": report.images, "mismatches": report.mismatches,
                               "cycles": sorted(set(report.cycles.tolist()))}  # fmt: skip
        return result

    for t in UNIFORM:
        with console.status(f"uniform T = {t}"):
            design = e3ne.compile(model, x, calibration, name="digits", timesteps=t)
            rows.append(row(f"uniform T = {t}", design, None, False))
    for budget, top, scored in SELECTED:
        with console.status(f"select-encoding, {budget} points, T <= {top}, on the {scored} images"):
            started = time.perf_counter()
            data = (x_val, y_val) if scored == "validation" else (x_test, y_test)
            design = e3ne.compile(model, x, calibration, name="digits", timesteps=top, accuracy_budget=budget,
                                  validation=data)  # fmt: skip
            seconds = time.perf_counter() - started
            search = read_search(main_function(design.snn))
            assert search is not None
            label = f"select-encoding, {budget:g} point(s), T <= {top}" + (", on test" if scored == "test" else "")
            rows.append(row(label, design, search, True))
            rows[-1]["compile_seconds"] = round(seconds, 1)
    table = Table(title=f"digits: T per layer vs one T (float: validation {float_val:.2%}, test {float_test:.2%})")
    for column in ("design", "T (input, conv1, conv2, linear1)", "engine", "cycles/image", "validation acc.",
                   "test acc.", "co-simulation"):  # fmt: skip
        table.add_column(column, justify="right")
    for r in rows:
        cosim = r.get("cosim")
        table.add_row(
            r["design"], str(r["timesteps"] or "uniform"), r["engine"], f"{r['cycles']:,}",
            f"{r['validation_accuracy']:.2%}", f"{r['test_accuracy']:.2%}",
            f"{cosim['images']} img, {cosim['mismatches']} mism." if cosim else "",
        )  # fmt: skip
    console.print(table)
    RESULTS.mkdir(exist_ok=True)
    floats = {"validation": round(float_val, 4), "test": round(float_test, 4)}
    out: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "float": floats, "designs": rows}
    if args.exhaustive:
        with console.status("every assignment of T <= 6 on the validation images"):
            out["exhaustive"] = exhaustive(6, x_val, y_val, 1.0)
        console.print(out["exhaustive"])
    (RESULTS / "select_encoding.json").write_text(json.dumps(out, indent=1) + "\n")
    console.print(f"wrote {RESULTS / 'select_encoding.json'}")
    assert np.isfinite(float_val)


if __name__ == "__main__":
    main()
