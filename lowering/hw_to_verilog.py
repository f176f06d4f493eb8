"""The Verilog printer: writes a prepared ``e3ne_hw.engine`` out as files, deciding nothing.

``prepare-verilog`` has packed every memory; this module only renders the generated top
(parameters of the hand-written ``rtl/e3ne_core.v``), the testbench, the ``$readmemh`` images
and a file list, and copies the RTL library next to them, so the output folder is
self-contained (Verilator, Icarus and Yosys read it as is).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO

import jinja2
import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.utils.target import Target

from e3ne.dialects import e3ne_hw as hw
from e3ne.engine import dram, schema
from e3ne.engine import images as engine_images
from e3ne.engine.dram import DramLayout, hex_beats
from e3ne.errors import E3neError

MEMORY_FILES = {name: f"{name}.mem" for name in hw.MEMORY_KINDS}
INCLUDE_DIR = "rtl"
AXI_TOP_FILE = "e3ne_axi_top.v"
UART_TOP_FILE = "e3ne_uart_top.v"
"""Where the RTL library (and its headers) sits in a written design folder."""


def e3ne_version() -> str:
    try:
        return version("e3ne")
    except PackageNotFoundError:
        return "dev"


def rtl_sources() -> list[Path]:
    """The RTL library (rtl/*.v and the headers they include), wherever e3ne is installed."""
    root = resources.files("e3ne.rtl")
    return sorted(Path(str(p)) for p in root.iterdir() if str(p).endswith((".v", ".vh")))


def find_engine(module: ModuleOp) -> hw.EngineOp:
    """The one prepared engine of ``module`` (what the printer, reports and simulator read)."""
    engines = hw.engines(module)
    if len(engines) != 1:
        raise E3neError(f"error: expected one e3ne_hw.engine, found {len(engines)} (run convert-snn-to-hw)")
    engine = engines[0]
    if engine.params is None or not engine.ops_of(hw.MemoryImageOp):
        raise E3neError("error: the engine is not prepared: run prepare-verilog before printing Verilog")
    return engine


def _layer_summary(layer: hw.ConvLayerOp | hw.LinearLayerOp) -> str:
    f = layer.fields()
    output = "raw logits" if f["raw"] else f"T {f['t_in']}->{f['t_out']}, shift {f['shift']}"
    if isinstance(layer, hw.ConvLayerOp):
        mode = schema.PoolMode(f["pool_mode"])
        pool = "" if mode is schema.PoolMode.NONE else f", {mode.name.lower()} pool {f['pool_size']}"
        return (
            f"conv {f['c_in']}x{f['h_in']}x{f['w_in']} -> {f['c_out']}x{f['h_out']}x{f['w_out']}, "
            f"k {f['kh']}x{f['kw']} s {f['sh']} p {f['ph']}, {output}{pool}"
        )
    return f"linear {f['c_in']} -> {f['c_out']}, {output}"


@dataclass(frozen=True)
class ShellParams:
    """The parameters of the AXI shell: the input stream's shape and code width, the logits."""

    in_w: int  # codes per input row (W)
    in_rows: int  # input rows of an image (C * H)
    in_count: int  # beats of an image
    code_bits: int  # bits of an input code
    n_out: int  # logits of an image
    encoder: bool  # beats are 8-bit pixels, coded on chip by pixel_codes.mem


@dataclass
class VerilogContext:
    """Everything the templates read, computed once from the engine."""

    engine: hw.EngineOp
    name: str
    source: str
    dram: DramLayout | None = None  # weights in DRAM (docs/hardware.md 2.6), else in ROMs
    params: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.params = self.engine.core_params()
        if self.dram is not None:
            self.params.update(self.dram.params(self.engine.descriptors(self.params)))

    @property
    def input_rows(self) -> int:
        c, h, _ = (int(v) for v in self.engine.input_shape.get_values())  # type: ignore[attr-defined]
        return c * h

    def shell(self, encoder: bool = False) -> ShellParams:
        """What the AXI shell (rtl/e3ne_shell.v) around this engine needs to know."""
        c, h, w = (int(v) for v in self.engine.input_shape.get_values())  # type: ignore[attr-defined]
        layers = self.engine.layers()
        first, last = layers[0].fields(), layers[-1].fields()
        outputs = last["c_out"] * (last["h_out"] * last["w_out"] if isinstance(layers[-1], hw.ConvLayerOp) else 1)
        return ShellParams(in_w=w, in_rows=c * h, in_count=c * h * w, code_bits=first["t_in"], n_out=outputs,
                           encoder=encoder)  # fmt: skip

    def timeout_cycles(self) -> int:
        """Per-image timeout of the testbench: twice the exact cycle model, never below 10^6."""
        from e3ne.engine import cycles

        timing = cycles.DramTiming() if self.dram is not None else None  # the testbench memory's timing
        expected = cycles.program_cycles(self.engine.descriptors(self.params), self.params, timing)
        return max(1_000_000, 2 * expected)

    def images(self) -> dict[str, hw.MemoryImageOp]:
        return self.engine.images()

    def render(self, template: str, **extra: object) -> str:
        env = jinja2.Environment(
            loader=jinja2.PackageLoader("e3ne.lowering", "templates"),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=False,
        )
        images = {schema.INIT_PARAMS[n]: f'"{MEMORY_FILES[n]}"' for n in self.images()}
        if self.dram is not None:
            images["WL_INIT"] = f'"{LAYOUT_FILE}"'
        core = [(p.name, images[p.name] if p.name in images else schema.param_literal(p.name, self.params))
                for p in schema.CORE_PARAMS if p.name in images or p.name in self.params]  # fmt: skip
        memories = ", ".join(
            f"{name} {m.words_bytes().shape[0]} x {m.int_prop('word_bits')} bits" for name, m in self.images().items()
        )
        layers = [{"name": x.layer_name.data, "summary": _layer_summary(x)} for x in self.engine.layers()]
        return env.get_template(template).render(
            name=self.name,
            source=self.source,
            version=e3ne_version(),
            p={**schema.DRAM_PARAMS, "WDRAM": 0, **self.params},
            core_params=core,
            dram_beats=max(1, self.dram.size * 8 // self.dram.axi_bits) if self.dram is not None else 0,
            layers=layers,
            memories=memories,
            rows=self.input_rows,
            maxcycles=self.timeout_cycles(),
            **extra,
        )


def memory_hex(image: hw.MemoryImageOp) -> str:
    """The ``$readmemh`` text of an image: one word per line, most significant digit first."""
    data = image.words_bytes()[:, ::-1]  # stored little-endian
    digits = -(-image.int_prop("word_bits") // 4)
    per_word = data.shape[1] * 2
    chars = np.frombuffer(data.tobytes().hex().encode(), dtype=np.uint8).reshape(-1, per_word)[:, per_word - digits :]
    newlines = np.full((chars.shape[0], 1), ord("\n"), dtype=np.uint8)
    return np.concatenate([chars, newlines], axis=1).tobytes().decode()


@dataclass
class VerilogFiles:
    directory: Path
    top: Path
    testbench: Path
    sources: list[Path]
    memories: list[Path]

    @property
    def file_list(self) -> Path:
        return self.directory / "files.f"


DRAM_IMAGE_FILE = "dram.bin"
"""Weights in DRAM: the image the host loads (docs/hardware.md 2.6)."""
DRAM_BEATS_FILE = "dram.mem"
"""The same image as ``$readmemh`` beats, for the testbench's AXI memory model."""
LAYOUT_FILE = "weight_layout.mem"
"""Weights in DRAM: the layout ROM's image (per layer, one past its last weight word)."""

PIXEL_CODES_FILE = "pixel_codes.mem"
"""The shell's input encoder table: the code of each 8-bit pixel value."""


def write_verilog(
    module: ModuleOp,
    directory: str | Path,
    name: str = "e3ne",
    source: str = "",
    pixel_codes: np.ndarray | None = None,
    dram_axi_bits: int = 0,
) -> VerilogFiles:
    """Write the top, the AXI top, the testbench, the memory images and the RTL library into ``directory``.

    ``pixel_codes`` (256 codes), when given, puts the input encoder in the AXI shell: its stream
    then carries raw 8-bit pixels instead of codes. ``dram_axi_bits`` > 0: the weights are read from
    DRAM through an AXI port that wide (``dram.bin``, its layout in :func:`dram_layout`).
    """
    engine = find_engine(module)
    context = VerilogContext(engine, name, source, dram_layout(engine, dram_axi_bits) if dram_axi_bits else None)
    out = Path(directory)
    (out / INCLUDE_DIR).mkdir(parents=True, exist_ok=True)
    sources = []
    for src in rtl_sources():
        target = out / INCLUDE_DIR / src.name
        shutil.copyfile(src, target)
        sources.append(target)
    top = out / "e3ne_top.v"
    top.write_text(context.render("top.v.j2"))
    testbench = out / "e3ne_tb.v"
    testbench.write_text(context.render("tb.v.j2"))
    shell = context.shell(encoder=pixel_codes is not None)
    axi_top = out / AXI_TOP_FILE
    axi_top.write_text(context.render("axi_top.v.j2", shell=shell))
    uart_top = out / UART_TOP_FILE
    uart_top.unlink(missing_ok=True)
    if context.dram is None:  # (the serial bridge has no DRAM to give the weights)
        uart_top.write_text(context.render("uart_top.v.j2", shell=shell))
    memories = []
    table = out / PIXEL_CODES_FILE
    if pixel_codes is not None:
        table.write_text("".join(f"{int(c):02x}\n" for c in pixel_codes))
        memories.append(table)
    elif table.exists():
        table.unlink()  # a stale table from an earlier build with the encoder
    for mem_name, image in context.images().items():
        path = out / MEMORY_FILES[mem_name]
        path.write_text(memory_hex(image))
        memories.append(path)
    for stale in (DRAM_IMAGE_FILE, DRAM_BEATS_FILE, LAYOUT_FILE):
        (out / stale).unlink(missing_ok=True)
    if context.dram is not None:
        images = context.images()
        rows = [images[n].words_bytes() if n in images else np.zeros((0, 1), np.uint8)
                for n in ("conv_weights", "linear_weights")]  # fmt: skip
        data = context.dram.image_of_rows(*rows)
        (out / DRAM_IMAGE_FILE).write_bytes(data)
        (out / DRAM_BEATS_FILE).write_text(hex_beats(data, context.dram.axi_bits))
        ends = dram.layer_ends(engine.descriptors(context.params))
        (out / LAYOUT_FILE).write_text("".join(f"{e:08x}\n" for e in ends))
        memories += [out / DRAM_IMAGE_FILE, out / DRAM_BEATS_FILE, out / LAYOUT_FILE]
    files = VerilogFiles(out, top, testbench, sources, memories)
    tops = (top, axi_top, uart_top) if uart_top.exists() else (top, axi_top)
    rel = [p.relative_to(out).as_posix() for p in (*sources, *tops) if p.suffix == ".v"]
    files.file_list.write_text("\n".join([f"+incdir+{INCLUDE_DIR}", *rel]) + "\n")
    return files


def dram_layout(engine: hw.EngineOp, axi_bits: int = 64, burst: int | None = None) -> DramLayout:
    """Where an engine's weights lie in its DRAM image (docs/hardware.md 2.6)."""
    params = engine.core_params()
    memories = engine.memories()
    words = {n: memories[n].int_prop("depth") if n in memories else 0 for n in ("conv_weights", "linear_weights")}
    conv_bits = engine_images.conv_word_bits(params["CU"], params["WB"], schema.param_segments(params))
    return DramLayout(
        conv_bits, params["LANES"] * params["WB"], words["conv_weights"], words["linear_weights"], axi_bits,
        burst or schema.DRAM_PARAMS["AXI_BURST"],
    )  # fmt: skip


def print_verilog(module: ModuleOp, stream: IO[str]) -> None:
    """The generated top and testbench on one stream (``e3ne-opt -t verilog``)."""
    context = VerilogContext(find_engine(module), "e3ne", "")
    stream.write(context.render("top.v.j2"))
    stream.write("\n")
    stream.write(context.render("tb.v.j2"))


@dataclass(frozen=True)
class VerilogTarget(Target):
    """``-t verilog``: the generated top and testbench of the module's prepared engine.

    ``-t 'verilog{directory="out/v"}'`` also writes the whole design folder there: the RTL
    library, the ``$readmemh`` images and ``files.f`` (what ``e3ne compile`` writes in ``verilog/``).
    """

    name = "verilog"
    directory: str = ""

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        if self.directory:
            write_verilog(module, self.directory)
        print_verilog(module, output)


def input_words(codes: np.ndarray, params: dict[str, int]) -> list[str]:
    """Hex rows of the input codes of a batch (N, C, H, W), as the testbench reads them."""
    from e3ne.engine import images

    lines: list[str] = []
    width = params["ROWW"] * params["TMAX"]
    for image in np.asarray(codes, dtype=np.int64):
        words = images.act_rows(image, params["TMAX"], params["ROWW"])
        lines += [f"{w:0{-(-width // 4)}x}" for w in words]
    return lines
