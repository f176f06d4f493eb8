"""Project scripts of a design folder (e3ne.vivado): the Vivado build.tcl and e3ne.xdc, the FuseSoC core.

Vivado is not installed here, so build.tcl is checked as far as a plain Tcl interpreter can: every
command is complete, and the script runs from top to bottom with each Vivado command replaced by a
stand-in that records its call. The calls then show which Vivado commands it uses (all known ones),
which files it adds (all in the folder), the part and board part (those of boards.json) and the block
design's wiring. The FuseSoC core is parsed by fusesoc, linted by Verilator and simulated by Icarus
through fusesoc on a compiled digits design.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

import e3ne
from e3ne import models, vivado
from e3ne import reference as ref
from e3ne.engine import cycles
from e3ne.errors import E3neError
from e3ne.lowering.hw_to_verilog import find_engine, input_words, write_verilog
from e3ne.reference_ir import network_from_module
from e3ne.simulate import parse_results

BOARDS: dict[str, dict] = json.loads((resources.files("e3ne") / "data" / "boards.json").read_text())["boards"]
VIVADO_BOARDS = sorted(name for name, board in BOARDS.items() if board["flow"] == "vivado")
SHELL = "e3ne_axi_top"

# Every Vivado command build.tcl may call (UG835); anything else it calls is a typo.
VIVADO_COMMANDS = {
    "add_files", "apply_bd_automation", "assign_bd_address", "close_project", "connect_bd_intf_net",
    "connect_bd_net", "create_bd_cell", "create_bd_design", "create_project", "current_project",
    "generate_target", "get_bd_intf_pins", "get_bd_pins", "get_board_parts", "get_files", "get_filesets",
    "get_ipdefs", "get_property", "get_runs", "launch_runs", "make_wrapper", "open_run", "report_timing_summary",
    "report_utilization", "save_bd_design", "set_property", "update_compile_order", "validate_bd_design",
    "wait_on_run", "write_hw_platform",
}  # fmt: skip

# Stand-ins: every command Tcl does not know is a Vivado command; record it and answer like Vivado
# would where the script reads the answer. File operations that touch Vivado's outputs are recorded
# too. Calls come back one a line, words separated by \x1f.
HARNESS = r"""
set ::calls {}
set ::installed_boards {}
proc unknown {cmd args} {
    lappend ::calls [list $cmd {*}$args]
    switch -- $cmd {
        get_board_parts { return $::installed_boards }
        get_ipdefs - get_files - get_filesets - get_runs - get_bd_pins - get_bd_intf_pins - create_bd_cell {
            return [lindex $args end]
        }
        make_wrapper { return e3ne_wrapper.v }
        get_property {
            switch -- [lindex $args 0] {
                PROGRESS { return 100% }
                DIRECTORY { return /vivado/runs }
                STATS.WNS { return 0.125 }
            }
        }
    }
    return {}
}
rename file _e3ne_file
proc file {sub args} {
    if {$sub in {copy delete mkdir}} {
        lappend ::calls [list file $sub {*}$args]
        return
    }
    return [_e3ne_file $sub {*}$args]
}
rename puts _e3ne_puts
proc puts {args} { lappend ::calls [list puts [lindex $args end]] }
proc e3ne_commands {text} {
    set count 0
    set pending ""
    foreach line [split $text \n] {
        append pending $line \n
        if {[info complete $pending]} {
            if {[string trim $pending] ne ""} { incr count }
            set pending ""
        }
    }
    if {$pending ne ""} { error "incomplete command: [string range $pending 0 200]" }
    return $count
}
proc e3ne_result {} { return [join [lmap c $::calls {join $c \x1f}] \n] }
"""


def _run_tcl(script: Path, installed_boards: str = "") -> list[list[str]]:
    """Source ``script`` under the stand-ins; its calls, each a list of words."""
    body = (
        f"set ::installed_boards {{{installed_boards}}}\n"
        f"e3ne_commands [read [set f [open {{{script}}}]]][close $f]\n"
        f"source {{{script}}}\n"
    )
    tclsh = shutil.which("tclsh")
    if tclsh is not None:
        # tclsh reading stdin goes on after an error: catch it and exit 1
        text = HARNESS + f"if {{[catch {{{body}}} message]}} {{ _e3ne_puts stderr $message; exit 1 }}\n"
        result = subprocess.run([tclsh], input=text + "_e3ne_puts [e3ne_result]\n", capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        text = result.stdout.rstrip("\n")
    else:
        tkinter = pytest.importorskip("tkinter", reason="neither tclsh nor Python's tkinter (Tcl) is installed")
        interp = tkinter.Tcl()
        interp.eval(HARNESS)
        interp.eval(body)
        text = str(interp.eval("e3ne_result"))
    return [line.split("\x1f") for line in text.split("\n") if line]


def _options(call: list[str]) -> dict[str, str]:
    return {call[i]: call[i + 1] for i in range(1, len(call) - 1) if call[i].startswith("-")}


@pytest.fixture(scope="module")
def digits(tmp_path_factory: pytest.TempPathFactory) -> tuple[e3ne.Design, Path]:
    """The digits LeNet compiled once, its Verilog folder written (no report, simulation or synthesis)."""
    model, x, calibration = models.digits_example()
    design = e3ne.compile(model, x, calibration, name="digits", keep_stages=False)
    folder = tmp_path_factory.mktemp("vivado") / "verilog"
    write_verilog(design.module, folder, "digits")
    return design, folder


def _listed(folder: Path) -> tuple[list[str], list[str], list[str]]:
    """Sources (files.f), headers and memory images of a design folder."""
    sources = [line for line in (folder / "files.f").read_text().split() if not line.startswith("+")]
    headers = sorted(p.relative_to(folder).as_posix() for p in folder.glob("rtl/*.vh"))
    memories = sorted(p.name for p in folder.glob("*.mem"))
    return sources, headers, memories


@pytest.fixture
def shell_folder(digits: tuple[e3ne.Design, Path], tmp_path: Path) -> tuple[Path, list[str], list[str]]:
    """A copy of the digits folder with the AXI shell's file (a stand-in if the folder has none: only its name matters)."""
    folder = tmp_path / "verilog"
    shutil.copytree(digits[1], folder, ignore=shutil.ignore_patterns("e3ne.core"))
    sources, _, memories = _listed(folder)
    if f"{SHELL}.v" not in sources:
        (folder / f"{SHELL}.v").write_text("// stand-in for the AXI shell\n")
        sources.append(f"{SHELL}.v")
    return folder, sources, memories


@pytest.mark.parametrize("board_name", VIVADO_BOARDS)
@pytest.mark.parametrize("installed", [True, False], ids=["board-files", "bare-part"])
def test_build_tcl_runs_against_stand_ins_and_names_only_files_of_the_folder(
    shell_folder: tuple[Path, list[str], list[str]], board_name: str, installed: bool
):
    folder, sources, memories = shell_folder
    board = BOARDS[board_name]
    written = vivado.write_vivado_project(folder, board_name, board, sources, memories)
    assert written == [folder / "build.tcl", folder / "e3ne.xdc"]
    board_part = board.get("board_part") or ""
    calls = _run_tcl(folder / "build.tcl", board_part if installed else "")

    assert {c[0] for c in calls if c[0] not in ("file", "puts")} <= VIVADO_COMMANDS
    (project,) = [c for c in calls if c[0] == "create_project"]
    assert project[1:4] == ["-force", "e3ne", str(folder / "vivado")]
    assert _options(project)["-part"] == board["part"]
    board_parts = [c[2] for c in calls if c[:2] == ["set_property", "board_part"]]
    assert board_parts == ([board_part] if installed and board_part else [])

    added = [Path(p) for c in calls if c[0] == "add_files" for p in c[-1].split()]
    assert all(p.is_file() for p in added if p.name != "e3ne_wrapper.v"), added
    headers = _listed(folder)[1]
    want = {folder / name for name in (*sources, *headers, *memories, "e3ne.xdc")}
    assert set(added) - {Path("e3ne_wrapper.v")} == want
    assert [
        "set_property",
        "file_type",
        "Memory Initialization Files",
        " ".join(str(folder / m) for m in memories),
    ] in calls
    assert ["set_property", "include_dirs", str(folder / "rtl"), "sources_1 sim_1"] in calls
    assert calls[-1] == ["close_project"]

    cells = {c[-1]: c for c in calls if c[0] == "create_bd_cell"}
    ps = board["ps"]
    if ps is None:
        assert not cells
        assert ["set_property", "top", SHELL, "sources_1"] in calls
        synth = ["set_property", "-name", "STEPS.SYNTH_DESIGN.ARGS.MORE OPTIONS", "-value", "-mode out_of_context"]
        assert [*synth, "-objects", "synth_1"] in calls
        assert ["launch_runs", "impl_1", "-jobs", "4"] in calls
        assert not [c for c in calls if c[0] == "file" or (c[:2] == ["launch_runs", "impl_1"] and "-to_step" in c)]
        return

    system = vivado.PROCESSING_SYSTEMS[ps]
    assert {name: _options(c).get("-vlnv", c[-2]) for name, c in cells.items()} == {
        "ps": system.vlnv,
        "rst": "xilinx.com:ip:proc_sys_reset:5.0",
        "e3ne": SHELL,
        "dma": "xilinx.com:ip:axi_dma:7.1",
        "ctrl": "xilinx.com:ip:smartconnect:1.0",
        "mem": "xilinx.com:ip:smartconnect:1.0",
        "irqs": "xilinx.com:ip:xlconcat:2.1",
    }
    assert _options(cells["e3ne"]) == {"-type": "module", "-reference": SHELL}
    (automation,) = [c for c in calls if c[0] == "apply_bd_automation"]
    assert f"apply_board_preset {int(installed)}" in _options(automation)["-config"]
    properties = {c[-1]: dict(zip(c[2].split()[::2], c[2].split()[1::2], strict=True)) for c in calls if c[:2] == ["set_property", "-dict"]}  # fmt: skip
    clock_key = next(k for k in system.config if "{mhz}" in system.config[k])
    assert float(properties["ps"][f"CONFIG.{clock_key}"]) == board["clock_mhz"]
    dma = properties["dma"]
    assert (dma["CONFIG.c_include_sg"], dma["CONFIG.c_m_axis_mm2s_tdata_width"], dma["CONFIG.c_s_axis_s2mm_tdata_width"]) == ("0", "8", "32")  # fmt: skip
    assert int(dma["CONFIG.c_sg_length_width"]) >= 23  # a batch of 64x64x3 images at least

    def pins(call: list[str]) -> list[str]:
        return [p for p in call[1:] if "/" in p]

    intf = {frozenset(pins(c)) for c in calls if c[0] == "connect_bd_intf_net"}
    assert frozenset({f"ps/{system.master}", "ctrl/S00_AXI"}) in intf
    assert frozenset({"ctrl/M00_AXI", "e3ne/s_axi_ctrl"}) in intf
    assert frozenset({"dma/M_AXIS_MM2S", "e3ne/s_axis_in"}) in intf
    assert frozenset({"e3ne/m_axis_out", "dma/S_AXIS_S2MM"}) in intf
    assert frozenset({"mem/M00_AXI", f"ps/{system.slave}"}) in intf
    nets = [pins(c) for c in calls if c[0] == "connect_bd_net"]
    clock = next(n for n in nets if n[0] == f"ps/{system.clock}")
    assert {"e3ne/aclk", f"ps/{system.master_aclk}", f"ps/{system.slave_aclk}", "dma/m_axi_s2mm_aclk"} <= set(clock)
    # every pin on a net is driven once: no pin on two nets
    flat = [p for n in nets for p in n]
    assert len(flat) == len(set(flat))
    assert ["irqs/dout", f"ps/{system.irq}"] in nets
    assert ["assign_bd_address"] in calls
    assert ["set_property", "top", "e3ne_wrapper", "sources_1"] in calls
    assert ["launch_runs", "impl_1", "-to_step", "write_bitstream", "-jobs", "4"] in calls
    copies = {Path(c[-1]).name: c[-2] for c in calls if c[:2] == ["file", "copy"]}
    assert copies == {"e3ne.bit": "/vivado/runs/e3ne_wrapper.bit", "e3ne.hwh": "e3ne.hwh"}
    (platform,) = [c for c in calls if c[0] == "write_hw_platform"]
    assert _options(platform)["-file"] == str(folder / "e3ne.xsa")


@pytest.mark.parametrize("board_name", VIVADO_BOARDS)
def test_xdc_clock_is_the_board_clock(shell_folder: tuple[Path, list[str], list[str]], board_name: str):
    folder, sources, memories = shell_folder
    board = BOARDS[board_name]
    vivado.write_vivado_project(folder, board_name, board, sources, memories)
    xdc = (folder / "e3ne.xdc").read_text()
    clocks = [line for line in xdc.splitlines() if not line.startswith("#") and line.strip()]
    if board["ps"] is not None:
        assert clocks == []  # the PS's IP constrains its fabric clock
        return
    (clock,) = clocks
    match = re.fullmatch(r"create_clock -period (\d+\.\d{3}) -name aclk \[get_ports aclk\]", clock)
    assert match is not None, clock
    assert float(match[1]) == pytest.approx(1000.0 / board["clock_mhz"], abs=5e-4)


def test_a_missing_file_or_a_board_without_vivado_is_an_error(shell_folder: tuple[Path, list[str], list[str]]):
    folder, sources, memories = shell_folder
    with pytest.raises(E3neError, match=r"'nowhere\.v' is not in"):
        vivado.write_vivado_project(folder, "zcu104", BOARDS["zcu104"], [*sources, "nowhere.v"], memories)
    with pytest.raises(E3neError, match="not a plain path"):
        vivado.write_vivado_project(folder, "zcu104", BOARDS["zcu104"], sources, ["../biases.mem"])
    with pytest.raises(E3neError, match="board 'ulx3s-85f' is not built with Vivado"):
        vivado.write_vivado_project(folder, "ulx3s-85f", BOARDS["ulx3s-85f"], sources, memories)
    assert not (folder / "build.tcl").exists()


needs_fusesoc = pytest.mark.skipif(
    importlib.util.find_spec("fusesoc") is None, reason="fusesoc is not installed (pyproject's dev list pins it)"
)


def _fusesoc(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    fusesoc = [sys.executable, "-m", "fusesoc.main"]
    command = [*fusesoc, "--cores-root", str(folder), *args]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def core(digits: tuple[e3ne.Design, Path]) -> Path:
    folder = digits[1]
    sources, headers, memories = _listed(folder)
    return vivado.write_fusesoc_core(
        folder, "digits", sources, headers, memories, top="e3ne_top", testbench="e3ne_tb.v"
    )


@needs_fusesoc
def test_fusesoc_reads_the_core(core: Path):
    assert vivado.core_name("digits") == "e3ne:generated:digits:0.1.0"
    assert vivado.core_name("LeNet-5 (v2)") == "e3ne:generated:LeNet-5__v2:0.1.0"
    result = _fusesoc(core.parent, "core-info", "e3ne:generated:digits:0.1.0")
    assert result.returncode == 0, result.stderr
    assert re.search(r"^Name:\s+e3ne:generated:digits:0\.1\.0$", result.stdout, re.M)
    targets = re.findall(r"^(\w+)\s+: ", result.stdout.split("Targets:")[1], re.M)
    assert targets == ["default", "lint", "sim"]


@needs_fusesoc
@pytest.mark.skipif(shutil.which("verilator") is None, reason="verilator is not installed")
def test_fusesoc_lint_target_is_clean(core: Path, tmp_path: Path):
    result = _fusesoc(core.parent, "run", "--build-root", str(tmp_path), "--target", "lint", "e3ne:generated:digits:0.1.0")  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "%Warning" not in result.stdout + result.stderr


@needs_fusesoc
@pytest.mark.skipif(shutil.which("iverilog") is None, reason="iverilog is not installed")
def test_fusesoc_sim_target_gives_the_interpreters_logits(digits: tuple[e3ne.Design, Path], core: Path, tmp_path: Path):
    design, _ = digits
    x = models.digits_split()[2][:2]
    network = network_from_module(design.snn)
    codes = ref.encode_codes(x, network.encode.step, network.encode.code_bits)
    params = design.params()
    inputs = tmp_path / "inputs.hex"
    inputs.write_text("\n".join(input_words(codes, params)) + "\n")
    out = tmp_path / "out.txt"
    result = _fusesoc(
        core.parent, "run", "--build-root", str(tmp_path / "build"), "--target", "sim", "e3ne:generated:digits:0.1.0",
        f"--inputs={inputs}", f"--out={out}", "--images=2",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    want = design.predict(x)
    got = parse_results(out.read_text(), 2, want.shape[1])
    np.testing.assert_array_equal(got.outputs, want)
    engine = find_engine(design.module)
    assert got.cycles.tolist() == [cycles.program_cycles(engine.descriptors(params), params)] * 2
