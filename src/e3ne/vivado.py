"""Project scripts for a written design folder: a Vivado build (``build.tcl`` and ``e3ne.xdc``) and a
FuseSoC core (``e3ne.core``).

Both only render templates (``lowering/templates/``) from the board's entry in
``e3ne/data/boards.json`` and the folder's file names. Vivado is not run here: the user runs
``vivado -mode batch -source build.tcl`` next to the design.

On a board with a processing system the script wraps the AXI shell in a block design (the PS, one
fabric clock with its reset, an AXI DMA between the PS's memory and the shell's streams, the control
ports behind a SmartConnect) and writes a bitstream with its ``.hwh``/``.xsa``; on a bare part it
implements the shell alone, out of context, for utilisation and timing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from e3ne.errors import E3neError
from e3ne.lowering.hw_to_verilog import e3ne_version

BUILD_SCRIPT = "build.tcl"
CONSTRAINTS = "e3ne.xdc"
CORE_FILE = "e3ne.core"
BLOCK_DESIGN = "e3ne"
"""Name of the block design; PYNQ loads ``e3ne.bit`` with ``e3ne.hwh`` next to it."""

IP = {
    "processing_system7": "xilinx.com:ip:processing_system7:5.5",
    "zynq_ultra_ps_e": "xilinx.com:ip:zynq_ultra_ps_e:3.5",
    "proc_sys_reset": "xilinx.com:ip:proc_sys_reset:5.0",
    "axi_dma": "xilinx.com:ip:axi_dma:7.1",
    "smartconnect": "xilinx.com:ip:smartconnect:1.0",
    "xlconcat": "xilinx.com:ip:xlconcat:2.1",
}
"""The IP versions of Vivado 2023.1-2024.2; build.tcl falls back to the newest version installed."""

DMA_LENGTH_BITS = 26
"""Width of the DMA's buffer length register: transfers up to 64 MiB (the IP's maximum)."""


@dataclass(frozen=True)
class ProcessingSystem:
    """How one kind of Zynq PS is configured and what its pins are called."""

    vlnv: str
    rule: str
    automation: str
    """``apply_bd_automation -config`` entries besides ``apply_board_preset``."""
    config: dict[str, str]
    """CONFIG.* values; ``{mhz}`` is the fabric clock."""
    clock: str
    resetn: str
    master: str
    master_aclk: str
    slave: str
    slave_aclk: str
    irq: str


PROCESSING_SYSTEMS = {
    "ps7": ProcessingSystem(
        vlnv=IP["processing_system7"],
        rule="xilinx.com:bd_rule:processing_system7",
        automation='make_external "FIXED_IO, DDR" Master Disable Slave Disable',
        config={
            "PCW_USE_M_AXI_GP0": "1",
            "PCW_USE_S_AXI_HP0": "1",
            "PCW_EN_CLK0_PORT": "1",
            "PCW_EN_RST0_PORT": "1",
            "PCW_FPGA0_PERIPHERAL_FREQMHZ": "{mhz}",
            "PCW_USE_FABRIC_INTERRUPT": "1",
            "PCW_IRQ_F2P_INTR": "1",
        },
        clock="FCLK_CLK0",
        resetn="FCLK_RESET0_N",
        master="M_AXI_GP0",
        master_aclk="M_AXI_GP0_ACLK",
        slave="S_AXI_HP0",
        slave_aclk="S_AXI_HP0_ACLK",
        irq="IRQ_F2P",
    ),
    "zynq_ultra_ps_e": ProcessingSystem(
        vlnv=IP["zynq_ultra_ps_e"],
        rule="xilinx.com:bd_rule:zynq_ultra_ps_e",
        automation="",
        # GP0 is HPM0_FPD, GP2 is S_AXI_HP0_FPD; the presets also enable HPM1_FPD and HPM0_LPD,
        # whose clocks would then need driving.
        config={
            "PSU__USE__M_AXI_GP0": "1",
            "PSU__USE__M_AXI_GP1": "0",
            "PSU__USE__M_AXI_GP2": "0",
            "PSU__USE__S_AXI_GP2": "1",
            "PSU__FPGA_PL0_ENABLE": "1",
            "PSU__CRL_APB__PL0_REF_CTRL__FREQMHZ": "{mhz}",
            "PSU__USE__IRQ0": "1",
        },
        clock="pl_clk0",
        resetn="pl_resetn0",
        master="M_AXI_HPM0_FPD",
        master_aclk="maxihpm0_fpd_aclk",
        slave="S_AXI_HP0_FPD",
        slave_aclk="saxihp0_fpd_aclk",
        irq="pl_ps_irq0",
    ),
}

_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.+/-]+")


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("e3ne.lowering", "templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _checked_names(directory: Path, names: list[str], what: str) -> list[str]:
    """``names`` as they go into the scripts: plain relative paths of files that exist in ``directory``."""
    for name in names:
        if not _PLAIN_NAME.fullmatch(name) or name.startswith("/") or ".." in Path(name).parts:
            raise E3neError(f"error: {what} '{name}' is not a plain path inside the design folder")
        if not (directory / name).is_file():
            raise E3neError(f"error: {what} '{name}' is not in {directory}")
    return list(names)


def _headers(directory: Path, sources: list[str]) -> list[str]:
    """The Verilog headers (``*.vh``) next to the sources: what their `include lines find."""
    folders = sorted({Path(name).parent for name in sources})
    return [(folder / p.name).as_posix() for folder in folders for p in sorted((directory / folder).glob("*.vh"))]


def write_vivado_project(
    directory: Path,
    board_name: str,
    board: dict,
    sources: list[str],
    memories: list[str],
    top: str = "e3ne_axi_top",
    dram: bool = False,
) -> list[Path]:
    """Write ``build.tcl`` and ``e3ne.xdc`` into the design folder ``directory``.

    ``board`` is the board's entry in ``boards.json`` (``part``, optional ``board_part``, ``ps``,
    ``clock_mhz``); ``sources`` are the Verilog files and ``memories`` the ``$readmemh`` images,
    relative to ``directory``; ``top`` is the AXI shell's module. ``dram``: the core reads its weights
    from DRAM, its master ``m_axi`` joins the DMA's on the PS's high-performance slave port.
    Returns the two paths.
    """
    directory = Path(directory)
    if board.get("flow") != "vivado":
        raise E3neError(f"error: board '{board_name}' is not built with Vivado (flow '{board.get('flow')}')")
    ps_name = board.get("ps")
    if ps_name is not None and ps_name not in PROCESSING_SYSTEMS:
        known = ", ".join(PROCESSING_SYSTEMS)
        raise E3neError(f"error: board '{board_name}' has processing system '{ps_name}' (known: {known})")
    mhz = board["clock_mhz"]
    if not isinstance(mhz, int | float) or mhz <= 0:
        raise E3neError(f"error: board '{board_name}' has clock_mhz {mhz!r}, not a positive number")
    sources = _checked_names(directory, sources, "source")
    memories = _checked_names(directory, memories, "memory image")
    if not top.isidentifier():
        raise E3neError(f"error: top module '{top}' is not a Verilog identifier")
    headers = _headers(directory, sources)
    include_dirs = sorted({Path(name).parent.as_posix() for name in headers})
    ps = PROCESSING_SYSTEMS[ps_name] if ps_name is not None else None
    ps_config = {key: value.format(mhz=f"{mhz:g}") for key, value in ps.config.items()} if ps else {}
    context = {
        "version": e3ne_version(),
        "board_name": board_name,
        "board_label": board.get("name", board_name),
        "part": board["part"],
        "board_part": board.get("board_part") or "",
        "ps_name": ps_name or "",
        "ps": ps,
        "ps_config": ps_config,
        "ip": IP,
        "dma_length_bits": DMA_LENGTH_BITS,
        "mhz": f"{mhz:g}",
        "period_ns": f"{1000.0 / mhz:.3f}",
        "sources": sources,
        "headers": headers,
        "memories": memories,
        "include_dirs": include_dirs,
        "top": top,
        "design": BLOCK_DESIGN,
        "constraints": CONSTRAINTS,
        "dram": dram,
    }
    env = _environment()
    written = []
    for template, name in (("vivado_build.tcl.j2", BUILD_SCRIPT), ("vivado.xdc.j2", CONSTRAINTS)):
        path = directory / name
        path.write_text(env.get_template(template).render(**context))
        written.append(path)
    return written


def core_name(name: str) -> str:
    """The VLNV of the generated core: ``e3ne:generated:<name>:0.1.0``, ``name`` made a valid VLNV name."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", name).strip("_-") or "design"
    return f"e3ne:generated:{safe}:0.1.0"


def write_fusesoc_core(
    directory: Path,
    name: str,
    sources: list[str],
    includes: list[str],
    memories: list[str],
    top: str = "e3ne_axi_top",
    testbench: str | None = None,
) -> Path:
    """Write ``e3ne.core`` (FuseSoC CAPI=2) into the design folder ``directory``.

    Targets: ``default`` (the design with ``top``), ``lint`` (Verilator ``--lint-only -Wall``),
    and, when ``testbench`` names a testbench file in the folder (``e3ne_tb.v``), ``sim``: that
    testbench in Icarus Verilog, with its plusargs (``--inputs``, ``--images``, ...) as parameters.
    """
    directory = Path(directory)
    sources = _checked_names(directory, sources, "source")
    includes = _checked_names(directory, includes, "include file")
    memories = _checked_names(directory, memories, "memory image")
    if not top.isidentifier():
        raise E3neError(f"error: top module '{top}' is not a Verilog identifier")
    bench = _checked_names(directory, [testbench], "testbench")[0] if testbench else ""
    path = directory / CORE_FILE
    path.write_text(
        _environment()
        .get_template("fusesoc.core.j2")
        .render(
            version=e3ne_version(),
            name=name,
            vlnv=core_name(name),
            sources=sources,
            includes=includes,
            memories=[(m, Path(m).name) for m in memories],
            top=top,
            testbench=bench,
            testbench_top=Path(bench).stem,
        )
    )
    return path
