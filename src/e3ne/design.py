"""A compiled network: its IR at every stage, its functional model and its hardware.

``e3ne.compile(model, example_input, calibration)`` runs the whole pipeline
(:mod:`e3ne.pipeline`) and returns a :class:`Design`. Everything a design writes goes into the
folder given to :meth:`Design.write` and nowhere else.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from xdsl.dialects.builtin import ModuleOp

import e3ne.interpreters as interpreters
from e3ne import reference as ref
from e3ne.board import board as board_spec
from e3ne.board import design_files
from e3ne.errors import E3neError
from e3ne.host import write_host_info
from e3ne.pipeline import (
    SOURCE,
    STAGE_NAMES,
    Compilation,
    Options,
    default_calibration,
    export_torch,
    float_array,
)
from e3ne.reference_ir import network_from_module

SNN_FILE = "snn.mlir"
DRAM_AXI_BITS = 64
"""Weights in DRAM: the AXI port's data width (8 bytes a cycle)."""
"""The quantized snn module, kept in every output folder: `e3ne run` and `e3ne simulate` read it."""


@dataclass
class Design:
    """A network compiled by e3ne (see :func:`compile`)."""

    name: str
    options: Options
    compilation: Compilation
    directory: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)
    simulation: dict[str, object] = field(default_factory=dict)
    synthesis: dict[str, object] = field(default_factory=dict)
    board: dict[str, object] = field(default_factory=dict)
    sweep: dict[str, object] = field(default_factory=dict)
    accuracy: dict[str, float] = field(default_factory=dict)
    _runner: interpreters.Runner | None = field(default=None, repr=False)

    # ---------------------------------------------------------------- IR

    @property
    def module(self) -> ModuleOp:
        """The module of the last stage run (the ``e3ne_hw`` engine after a full compile)."""
        assert self.compilation.module is not None
        return self.compilation.module

    @property
    def snn(self) -> ModuleOp:
        """The quantized ``snn`` module (what the interpreter runs and the RTL must match)."""
        module = self.compilation.modules.get("snn")
        if module is None:
            raise E3neError("error: the design has no quantized snn stage")
        return module

    @property
    def tiled(self) -> ModuleOp:
        """The fused, tiled ``snn`` module: one op per hardware layer (what co-simulation traces against)."""
        module = self.compilation.modules.get("snn-tiled")
        if module is None:
            raise E3neError("error: the design has no fused, tiled snn stage")
        return module

    def mlir(self, stage: str = "snn") -> str:
        """The textual IR of a stage: ``torch``, ``snn-float``, ``snn-folded``, ``snn`` or ``hw``."""
        if stage not in self.compilation.texts:
            kept = ", ".join(self.compilation.texts) or "none (compile with keep_stages=True)"
            raise E3neError(f"error: no text for stage '{stage}' (kept: {kept})")
        return self.compilation.texts[stage]

    # ---------------------------------------------------------------- functional model

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Integer logits (N, classes) of the ``snn`` interpreter for float inputs ``x`` (N, ...)."""
        if self._runner is None or self._runner.module is not self.snn:
            self._runner = interpreters.Runner(self.snn)
        return self._runner(interpreters.network_inputs(self.snn, x, "predict"))

    def classify(self, x: np.ndarray) -> np.ndarray:
        """The class of each input (argmax of the logits, ties to the lowest index)."""
        return np.argmax(self.predict(x), axis=1)

    # ---------------------------------------------------------------- hardware

    def write(self, directory: str | Path) -> Path:
        """Write every stage's .mlir (numbered in pipeline order), the Verilog, and the report."""
        from e3ne.lowering.hw_to_verilog import write_verilog
        from e3ne.vivado import write_fusesoc_core

        out = Path(directory)
        check_output_folder(out)
        out.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        write_stages(out, self.compilation.texts)
        from e3ne.ir import print_module

        (out / SNN_FILE).write_text(self.compilation.texts.get("snn") or print_module(self.snn))
        self.timings["write mlir"] = time.perf_counter() - started
        if self.compilation.stage == "hw":
            started = time.perf_counter()
            axi_bits = DRAM_AXI_BITS if self.dram else 0
            files = write_verilog(self.module, out / "verilog", self.name, source=self.name,
                                  pixel_codes=self.pixel_codes(), dram_axi_bits=axi_bits)  # fmt: skip
            write_host_info(files.directory, self.host_info())
            sources, headers, memories = design_files(files.directory)
            write_fusesoc_core(files.directory, self.name, sources, headers, memories, testbench="e3ne_tb.v")
            self.timings["write verilog"] = time.perf_counter() - started
        self.directory = out
        self.write_report()
        return out

    def pixel_codes(self) -> np.ndarray | None:
        """The AXI shell's input encoder table when the stream carries pixels (``pixel_max``)."""
        if not self.options.pixel_max:
            return None
        encode = network_from_module(self.snn).encode
        return ref.pixel_codes(encode.step, encode.code_bits, self.options.pixel_max, encode.signed)

    def input_clipping(self, x: np.ndarray) -> float:
        """The fraction of the values of inputs ``x`` outside the range the input codes cover (the
        calibrated range: they are clamped to the end codes, docs/numerics.md 2.2)."""
        encode = network_from_module(self.snn).encode
        lo, hi = ref.code_limits(encode.code_bits, encode.signed)
        steps = ref.round_half_up(np.asarray(x, dtype=np.float64) / encode.step)
        return float(((steps < lo) | (steps > hi)).mean()) if steps.size else 0.0

    def timestep_sweep(self, x: np.ndarray, labels: np.ndarray | None, top: int = 8) -> dict[str, object]:
        """Accuracy (with ``labels``) or agreement with float (without) and cycles per image with one
        T for every layer, T = 1 … ``top``, on this design's engine (report.json ``timestep_sweep``)."""
        from e3ne.engine.mapping import EngineSize
        from e3ne.ir import functions
        from e3ne.passes.calibrate import INPUT_MAX, Stats, calibrate_function, synapses
        from e3ne.passes.select_encoding import SelectEncodingInMemoryPass, timestep_sweep

        folded = self.compilation.modules.get("snn-folded")
        if folded is None:
            raise E3neError("error: the design kept no float snn stage to sweep T on")
        module = folded.clone()
        (function,) = functions(module, "")
        o = self.options
        options = SelectEncodingInMemoryPass(
            max_timesteps=top, weight_bits=o.weight_bits, scale_rule=o.scale_rule, linear=o.linear,
            x=np.asarray(x, dtype=np.float64), y=labels, calibration_data=self.compilation.calibration,
        )  # fmt: skip
        if any(Stats.of(op) is None for op in synapses(function)) or INPUT_MAX not in function.attributes:
            calibrate_function(module, function, np.asarray(self.compilation.calibration, np.float64), "sweep")
        params = self.params() if self.compilation.stage == "hw" else None
        size = EngineSize(params["CU"], params["COLS"], params["LANES"]) if params else None
        search, trials = timestep_sweep(module, function, options, range(1, top + 1), size)
        self.sweep = {
            "metric": search.metric,
            "reference": round(search.reference, 4),
            "rows": [
                {"timesteps": t.timesteps[0], search.metric: round(t.score, 4), "cycles": t.cycles} for t in trials
            ],
        }
        return self.sweep

    def cycles_per_image(self) -> int:
        """The exact cycle model's cycles of one image (start to done)."""
        from e3ne.engine import cycles
        from e3ne.lowering.hw_to_verilog import find_engine

        timing = cycles.DramTiming() if self.dram else None  # the testbench memory's timing
        return cycles.program_cycles(find_engine(self.module).descriptors(), self.params(), timing)

    @property
    def dram(self) -> bool:
        """The weights are read from DRAM (``weights = "dram"``, or ``auto`` and explore chose it), not ROMs."""
        if self.options.weights not in ("rom", "dram", "auto"):
            raise E3neError(f"error: weights must be rom, dram or auto, got {self.options.weights!r}")
        if self.options.weights != "auto":
            return self.options.weights == "dram"
        from e3ne.ir import functions
        from e3ne.passes.explore import read_exploration

        module = self.compilation.modules.get("snn-tiled")
        found = [read_exploration(f) for f in functions(module)] if module is not None else []
        return any(data is not None and data.get("weights") == "dram" for data in found)

    def dram_layout(self):
        """Where the weights lie in the DRAM image (:class:`e3ne.engine.dram.DramLayout`), or None."""
        from e3ne.lowering.hw_to_verilog import dram_layout, find_engine

        return dram_layout(find_engine(self.module), DRAM_AXI_BITS) if self.dram else None

    def host_info(self) -> dict[str, object]:
        """What :mod:`e3ne.host` needs to drive this design's shell (``verilog/host.json``)."""
        from e3ne.lowering.hw_to_verilog import VerilogContext, find_engine

        encode = network_from_module(self.snn).encode
        engine = find_engine(self.module)
        shell = VerilogContext(engine, self.name, self.name).shell(encoder=bool(self.options.pixel_max))
        return {
            "name": self.name,
            "input_shape": [int(v) for v in engine.input_shape.get_values()],  # type: ignore[attr-defined]
            "in_count": shell.in_count,
            "n_out": shell.n_out,
            "code_bits": encode.code_bits,
            "step": encode.step,
            "signed": encode.signed,
            "encoder": shell.encoder,
            "pixel_max": self.options.pixel_max,
            "weights": "dram" if self.dram else "rom",
            "cycles_per_image": self.cycles_per_image(),
        }

    def _verilog_dir(self, directory: str | Path | None) -> Path:
        if directory is not None:
            return Path(directory)
        if self.directory is None:
            raise E3neError("error: write the design first (design.write(folder)) or pass its folder")
        return self.directory / "verilog"

    def params(self) -> dict[str, int]:
        """The parameters of ``rtl/e3ne_core.v`` this design was built with (read from its IR)."""
        from e3ne.lowering.hw_to_verilog import find_engine

        engine = find_engine(self.module)
        params = engine.core_params()
        layout = self.dram_layout()
        if layout is not None:  # and the DRAM parameters (schema.DRAM_PARAMS)
            params.update(layout.params(engine.descriptors(params)))
        return params

    def simulate(self, x: np.ndarray, directory: str | Path | None = None):
        """Co-simulate ``x`` in Verilator and compare every output with the interpreter.

        Returns a :class:`e3ne.cosim.CosimReport` (mismatches, cycles per image, and, on a
        mismatch, where the RTL first diverges).
        """
        from e3ne.cosim import cosimulate

        x = interpreters.network_inputs(self.snn, x, "simulate")
        report = cosimulate(self.snn, self.tiled, self._verilog_dir(directory), x, self.params())
        self.simulation = {
            "images": report.images,
            "mismatches": report.mismatches,
            "cycles_per_image": float(report.cycles.mean()) if report.cycles.size else 0.0,
            "cycles_min": int(report.cycles.min()) if report.cycles.size else 0,
            "cycles_max": int(report.cycles.max()) if report.cycles.size else 0,
            "first_mismatch": report.first_mismatch,
            "divergence": report.divergence,
        }
        if self.directory is not None:
            self.write_report()
        return report

    def synthesize(self, directory: str | Path | None = None, progress: Callable[[str], None] | None = None):
        """Synthesise with Yosys (``synth_xilinx``); returns the resource counts."""
        from e3ne.synth import synthesize

        self.synthesis = synthesize(self._verilog_dir(directory), progress=progress)
        if self.directory is not None:
            self.write_report()
        return self.synthesis

    def build_board(
        self, board_name: str, progress: Callable[[str], None] | None = None, seed: int = 1
    ) -> dict[str, object]:
        """Build the written design for a board (:mod:`e3ne.board`): a bitstream for an ECP5 board,
        with Fmax and utilisation from nextpnr (``seed``: its placement seed); a Vivado project
        script for a Xilinx one."""
        from e3ne.board import build

        if self.directory is None:
            raise E3neError("error: write the design first (design.write(folder)), then build it for a board")
        if self.dram and board_spec(board_name)["flow"] != "vivado":
            raise E3neError(
                f"error: board '{board_name}': weights in DRAM are supported on Vivado boards only (their PS's "
                "DDR); weights = rom keeps them in ROMs"
            )
        cycles = self.cycles_per_image()
        self.board = build(self.module, self.directory, board_name, self.name, cycles, progress, seed)
        self.write_report()
        return self.board

    # ---------------------------------------------------------------- report

    def report(self) -> dict[str, object]:
        """Everything measured and estimated about the design, as plain data."""
        from e3ne.report import design_report

        return design_report(self)

    def write_report(self) -> None:
        from e3ne.report import write_html

        assert self.directory is not None
        data = self.report()
        (self.directory / "report.json").write_text(json.dumps(data, indent=2) + "\n")
        write_html(data, self.directory / "report.html")


def compile(
    model: object,
    example_input: object,
    calibration: object | None = None,
    *,
    name: str = "e3ne",
    stage: str = "hw",
    keep_stages: bool = True,
    on_stage: Callable[[str], None] | None = None,
    validation: tuple[np.ndarray, np.ndarray | None] | None = None,
    **options: object,
) -> Design:
    """Compile a PyTorch model to an e3ne design (IR, interpreter model, Verilog).

    Args:
        model: a ``torch.nn.Module``.
        example_input: one input batch (its shape is the network's).
        calibration: float inputs (N, ...) that choose the scales (default: the example input).
        name: used in file headers and reports.
        stage: the last pipeline stage (``hw`` = all of it).
        keep_stages: keep the .mlir text of every stage (for ``Design.mlir`` and ``Design.write``).
        validation: ``(x, labels)`` (labels may be None) that select-encoding scores its trials on,
            when ``accuracy_budget`` is given (default: the calibration inputs, agreement with float).
        **options: ``timesteps`` (4), ``weight_bits`` (8), ``encoding``, ``scale_rule``,
            ``conv_units``, ``cols``, ``lanes``, ``linear``, ``device``, ``budget``, ``objective``,
            ``accuracy_budget`` (see :class:`e3ne.pipeline.Options`).

    Example:
        >>> import e3ne, e3ne.models
        >>> model, x, calibration = e3ne.models.digits_example()
        >>> design = e3ne.compile(model, x, calibration, timesteps=4, weight_bits=8)
        >>> design.write("out/digits")          # .mlir of every stage, Verilog, report
        >>> report = design.simulate(calibration[:20])   # Verilator, compared with design.predict
    """
    started = time.perf_counter()
    compilation = Compilation(
        Options().with_(**options), default_calibration(example_input, calibration), keep_stages, validation
    )
    if on_stage is not None:
        on_stage("torch")
    text = export_torch(model, example_input)
    exported = time.perf_counter() - started
    try:
        compilation.start(text)
        compilation.run_until(stage, on_stage)
    except E3neError as err:
        err.stages = dict(compilation.texts)
        raise
    design = Design(name, compilation.options, compilation)
    design.timings = {"export": exported, **compilation.seconds, "total": time.perf_counter() - started}
    return design


def compile_text(
    text: str,
    source: str,
    calibration: np.ndarray | None,
    *,
    name: str = "e3ne",
    stage: str = "hw",
    on_stage: Callable[[str], None] | None = None,
    validation: tuple[np.ndarray, np.ndarray | None] | None = None,
    **options: object,
) -> Design:
    """Compile IR text (torch dialect, float snn, or quantized snn) the same way."""
    started = time.perf_counter()
    start = detect_stage(text, source)
    if start == "hw":
        raise E3neError(f"error: {source}: this is e3ne_hw IR, compiled already (e3ne-opt -t verilog prints it)")
    if start in ("torch", "snn-float", "snn-folded") and calibration is None:
        raise E3neError(f"error: {source}: quantizing needs calibration data (--calibration inputs.npy)")
    cal = np.zeros((1,)) if calibration is None else float_array(calibration, "the calibration inputs")
    compilation = Compilation(Options().with_(**options), cal, keep_text=True, validation=validation)
    try:
        compilation.start(text, start, source)
        if start == "snn":
            compilation.modules["snn"] = compilation.module.clone()  # type: ignore[union-attr]
        compilation.run_until(stage, on_stage)
    except E3neError as err:
        err.stages = dict(compilation.texts)
        raise
    design = Design(name, compilation.options, compilation)
    design.timings = dict(compilation.seconds, total=time.perf_counter() - started)
    return design


def check_output_folder(directory: Path) -> None:
    """A design is written into a new or empty folder, or one e3ne wrote before (its own files are
    rewritten there): never over files of the user's. An :class:`E3neError` otherwise, or when the
    folder cannot be written."""
    existing = next(p for p in (directory, *directory.parents) if p.exists() or p == Path(p.anchor))
    if not existing.is_dir():
        raise E3neError(f"error: {existing}: is a file, not a folder to write the design into")
    if existing == directory:
        ours = (directory / "report.json").is_file() or any((directory / stage_file(s)).is_file() for s in STAGE_NAMES)
        theirs = sorted(p.name for p in directory.iterdir())
        if theirs and not ours:
            shown = ", ".join(theirs[:3]) + (", ..." if len(theirs) > 3 else "")
            raise E3neError(f"error: {directory} holds files e3ne did not write ({shown}): give a new or empty folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise E3neError(f"error: {existing}: no permission to write the design there")


def stage_file(stage: str) -> str:
    """The file name of a stage's IR, numbered in pipeline order (``01-torch.mlir``)."""
    return f"{STAGE_NAMES.index(stage) + 1:02d}-{stage}.mlir"


def write_stages(directory: Path, texts: dict[str, str]) -> list[Path]:
    """Write each stage's IR text into ``directory``; the files, in pipeline order."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for stage in STAGE_NAMES:
        if stage in texts:
            written.append(directory / stage_file(stage))
            written[-1].write_text(texts[stage])
    return written


def failed_in(err: E3neError, directory: Path) -> E3neError:
    """``err`` of a compilation that was to write ``directory``: the stages it finished are written
    there, and an error about an op says where to look. A position in the imported torch-mlir text
    (``<torch-mlir>:L:C``) becomes one in ``01-torch.mlir``; an error naming a PyTorch module
    (``error: features.3 (MaxPool2d): …``) cites the module's first op there (the op the error names,
    if it is a torch op)."""
    write_stages(directory, err.stages)
    message = str(err.args[0]) if err.args else str(err)
    torch_text = err.stages.get("torch")
    if torch_text is None:
        return err
    torch_file = directory / stage_file("torch")
    if SOURCE in message:
        return E3neError(message.replace(SOURCE, str(torch_file)))
    module = message.split(": ")[1] if message.startswith("error: ") and message.count(": ") >= 2 else ""
    lines = torch_text.splitlines()
    found = [n for n, line in enumerate(lines, start=1) if module and f'loc("{module}")' in line]
    if not found:
        return err
    ops = re.findall(r"torch\.[\w.]+", message)
    named = [n for n in found if any(f" {op} " in lines[n - 1] for op in ops)]
    return E3neError(f"{message} (see {torch_file}:{(named or found)[0]})")


def detect_stage(text: str, source: str = "the input") -> str:
    """Which stage a module's text is at (torch, snn-float, snn-folded, snn or hw)."""
    if "torch.aten." in text or "!torch." in text:
        return "torch"
    if "e3ne_hw." in text:
        return "hw"
    if "snn.encode" in text:
        return "snn"
    if "snn." in text:
        return "snn-folded" if "snn.batch_norm" not in text else "snn-float"
    raise E3neError(f"error: {source}: neither torch-mlir's torch dialect nor snn IR")


__all__ = ["Design", "check_output_folder", "compile", "compile_text", "export_torch"]
