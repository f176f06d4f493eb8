"""Every RTL block is lint-clean: `verilator --lint-only -Wall` reports nothing.

Each file alone (with its submodules found in rtl/), and e3ne_core with all of them: with and
without tracing, without the conv engine, and with unusual parameters (odd widths, one unit,
one lane, no padding or pooling, channel slots, weights from DRAM). Any warning fails the test.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

RTL = Path(__file__).resolve().parents[2] / "rtl"
MODULES = sorted(path.stem for path in RTL.glob("*.v"))

CORE_VARIANTS = {
    "default": [],
    "trace": ["-DE3NE_TRACE"],
    "no-conv": ["-GHAS_CONV=0"],
    "no-conv-trace": ["-GHAS_CONV=0", "-DE3NE_TRACE"],
    "wide": ["-GTMAX=8", "-GROWW=16", "-GCU=3", "-GCOLS=5", "-GLANES=7", "-GACC=24", "-GKMAX=3", "-GDW=9"],
    "minimal": ["-GTMAX=1", "-GCU=1", "-GCOLS=1", "-GLANES=1", "-GSMAX=1", "-GPMAX=0", "-GPKMAX=1", "-GKMAX=1"],
    "lenet": ["-GTMAX=4", "-GROWW=32", "-GCOLS=14", "-GCU=4", "-GLANES=32", "-GWB=3", "-GSMAX=1", "-GPMAX=0",
              "-GADEPTH=200", "-GCWDEPTH=1000", "-GBDEPTH=300", "-GPDEPTH=192", "-DE3NE_TRACE"],
    # channel slots: counts that leave lanes idle, a gap in the set, a set without 1, one unit
    "slots": ["-GSLOTS=3", "-GSLOT_SET=4'he", "-GCOLS=7"],
    "slots-trace": ["-GSLOTS=4", "-GSLOT_SET=5'h16", "-GCOLS=9", "-GCU=3", "-GROWW=5", "-DE3NE_TRACE"],
    "slots-only": ["-GSLOTS=5", "-GSLOT_SET=6'h24", "-GCOLS=5", "-GCU=1", "-GTMAX=1", "-GPKMAX=1"],
    "no-linear": ["-GHAS_LINEAR=0"],
    "no-linear-trace": ["-GHAS_LINEAR=0", "-DE3NE_TRACE", "-GSLOTS=8", "-GSLOT_SET=9'h106", "-GCOLS=8"],
    # every lane its own slot (linear layers on the conv units), a mask past 32 bits
    "wide-slots": ["-GSLOTS=40", "-GSLOT_SET=41'h10000000106", "-GCOLS=40", "-GCU=2", "-GHAS_LINEAR=0"],
    "signed": ["-GHAS_SIGNED=1", "-GTMAX=2", "-GSLOTS=2", "-GSLOT_SET=3'h6", "-DE3NE_TRACE"],
    "lenet-slots": ["-GTMAX=4", "-GROWW=32", "-GCOLS=14", "-GCU=4", "-GSLOTS=7", "-GSLOT_SET=8'h86", "-GLANES=32",
                    "-GWB=3", "-GSMAX=1", "-GPMAX=0", "-GADEPTH=200", "-GCWDEPTH=1000", "-GBDEPTH=300", "-GPDEPTH=192"],
    # overlapping pooling: line buffer banks (3x3 / 1, 3x3 / 2, 5x5 / 2), with slots and tracing
    "pool-banks3": ["-GPKMAX=3", "-GPBANKS=3"],
    "pool-banks2-slots": ["-GPKMAX=4", "-GPBANKS=2", "-GSLOTS=3", "-GSLOT_SET=4'he", "-GCOLS=7", "-GCU=3",
                          "-DE3NE_TRACE"],
    "pool-banks3-wide": ["-GPKMAX=15", "-GPBANKS=3", "-GTMAX=8", "-GROWW=16", "-GCU=1", "-GCOLS=5"],
    "pool-banks4-one": ["-GPKMAX=4", "-GPBANKS=4", "-GCU=1", "-GCOLS=1", "-GTMAX=1"],
    # weights from DRAM: words of one beat, of several (narrow beats), a cache larger than the image
    "dram": ["-GWDRAM=1", "-DE3NE_TRACE"],
    "dram-narrow": ["-GWDRAM=1", "-GAXIW=16", "-GAXI_BURST=4", "-GCU=3", "-GLANES=7", "-GCWCACHE=64",
                    "-GLWCACHE=4096", "-GCWDEPTH=100000"],
    "dram-no-conv": ["-GWDRAM=1", "-GHAS_CONV=0", "-GAXIW=128", "-GAXI_BURST=256", "-GLWCACHE=2"],
    "dram-no-linear": ["-GWDRAM=1", "-GHAS_LINEAR=0", "-GAXIW=32", "-GCWCACHE=8192"],
}  # fmt: skip


def _lint(top: str, extra: list[str]) -> str:
    cmd = ["verilator", "--lint-only", "-Wall", f"-I{RTL}", "--top-module", top, *extra, str(RTL / f"{top}.v")]
    result = subprocess.run(cmd, capture_output=True, text=True)
    return (result.stdout + result.stderr).strip() if result.returncode or result.stderr.strip() else ""


def test_rtl_blocks_exist() -> None:
    want = {
        "act_mem",
        "controller",
        "conv_engine",
        "core",
        "lane",
        "linear_engine",
        "mux",
        "pool",
        "requant",
        "rom",
        "step_pipe",
    }
    assert {f"e3ne_{name}" for name in want} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_module_lint(module: str) -> None:
    assert _lint(module, []) == ""


@pytest.mark.parametrize("variant", list(CORE_VARIANTS))
def test_core_lint(variant: str) -> None:
    assert _lint("e3ne_core", CORE_VARIANTS[variant]) == ""


def test_lint_catches_warnings(tmp_path: Path) -> None:
    """The check itself works: a width mismatch is reported."""
    bad = tmp_path / "bad.v"
    bad.write_text("module bad(input wire [3:0] a, output wire [1:0] y);\n    assign y = a;\nendmodule\n")
    result = subprocess.run(["verilator", "--lint-only", "-Wall", str(bad)], capture_output=True, text=True)
    assert "WIDTH" in result.stderr
