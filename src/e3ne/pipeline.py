"""The compilation pipeline: PyTorch -> torch-mlir -> snn -> e3ne_hw, one named stage at a time.

Every stage is a list of xDSL passes (the same passes ``e3ne-opt`` runs); the API and the CLI
only drive this list. Adding a pass or a stage is one entry in :data:`STAGES`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.utils.exceptions import ParseError

from e3ne.errors import E3neError, one_line, verify_module
from e3ne.ir import make_context, parse_module, print_module
from e3ne.lowering.prepare_verilog import PrepareVerilogPass
from e3ne.lowering.snn_to_hw import ConvertSnnToHwPass
from e3ne.lowering.torch_to_snn import ConvertTorchToSnnPass
from e3ne.passes.explore import ExplorePass
from e3ne.passes.fold_batchnorm import FoldBatchNormPass
from e3ne.passes.fold_residual import FoldResidualPass
from e3ne.passes.fuse_layers import FuseLayersPass
from e3ne.passes.quantize import QuantizeInMemoryPass, QuantizePass
from e3ne.passes.select_encoding import SelectEncodingInMemoryPass
from e3ne.passes.tile import TilePass
from e3ne.torch_import import export_torch as export_torch


@dataclass(frozen=True)
class Options:
    """What a researcher chooses; everything else is derived (docs/numerics.md, docs/hardware.md).

    Each option is the option of the pass that uses it, with that pass's default.
    """

    timesteps: int = QuantizePass.timesteps
    weight_bits: int = QuantizePass.weight_bits
    encoding: str = QuantizePass.encoding
    scale_rule: str = QuantizePass.scale_rule
    conv_units: int = TilePass.units  # 0: tile chooses
    cols: int = TilePass.cols
    lanes: int = TilePass.lanes
    linear: str = TilePass.linear  # where linear layers run: auto, unit or conv
    device: str = ExplorePass.device  # explore: a device preset (its resources are the budget)
    budget: str = ExplorePass.budget  # explore: lut=...,ff=...,bram36=...,dsp=...
    objective: str = ExplorePass.objective  # explore: latency or area-x-latency
    accuracy_budget: float | None = None  # select-encoding: points to give up (None: one T for all)
    pixel_max: int = 0  # the AXI shell's input: 0 codes; N: 8-bit pixels p, x = p / N, coded on chip
    weights: str = "auto"  # rom: weight ROMs; dram: read from DRAM (docs/hardware.md 2.6); auto: rom unless
    # explore finds no design whose ROMs fit the budget

    @property
    def explores(self) -> bool:
        """The engine sizes come from explore (a device or a budget was given), not tile."""
        return bool(self.device or self.budget)

    def with_(self, **changes: object) -> Options:
        known = [f.name for f in fields(self)]
        for name in changes:
            if name not in known:
                raise E3neError(f"error: unknown option '{name}' (options: {', '.join(known)})")
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Stage:
    name: str
    """Also the file name stem of the stage's .mlir (numbered in pipeline order)."""
    passes: Callable[[Compilation], list[ModulePass]]


def _quantize(c: Compilation) -> list[ModulePass]:
    options, calibration = c.options, c.calibration
    encoding = "radix" if options.encoding == "auto" else options.encoding
    passes: list[ModulePass] = []
    if options.accuracy_budget is not None:
        if encoding != "radix":
            raise E3neError("error: an accuracy budget chooses radix timesteps: use encoding auto or radix, not rate")
        x, y = c.validation if c.validation is not None else (None, None)
        select = SelectEncodingInMemoryPass(
            accuracy_budget=options.accuracy_budget,
            max_timesteps=options.timesteps,
            weight_bits=options.weight_bits,
            scale_rule=options.scale_rule,
            conv_units=options.conv_units,
            cols=options.cols,
            lanes=options.lanes,
            linear=options.linear,
            x=x,
            y=y,
            calibration_data=calibration,
        )
        passes.append(select)
    return [
        *passes,
        QuantizeInMemoryPass(
            calibration_data=calibration,
            timesteps=options.timesteps,
            weight_bits=options.weight_bits,
            encoding=encoding,
            scale_rule=options.scale_rule,
        ),
    ]


def _convert_torch(c: Compilation) -> list[ModulePass]:
    return [ConvertTorchToSnnPass()]


def _fold(c: Compilation) -> list[ModulePass]:
    return [FoldBatchNormPass(), FoldResidualPass()]


def _fuse_and_tile(c: Compilation) -> list[ModulePass]:
    options = c.options
    if options.explores:
        if options.conv_units or options.cols or options.lanes:
            given = "--conv-units/--cols/--lanes (conv_units/cols/lanes)"
            raise E3neError(f"error: give either engine sizes {given} or a device/budget for explore, not both")
        explore = ExplorePass(
            device=options.device, budget=options.budget, objective=options.objective, linear=options.linear,
            dram=options.weights == "auto",
        )  # fmt: skip
        return [FuseLayersPass(), explore]
    tile = TilePass(units=options.conv_units, cols=options.cols, lanes=options.lanes, linear=options.linear)
    return [FuseLayersPass(), tile]


def _to_hw(c: Compilation) -> list[ModulePass]:
    return [ConvertSnnToHwPass(), PrepareVerilogPass()]


STAGES: tuple[Stage, ...] = (
    Stage("snn-float", _convert_torch),
    Stage("snn-folded", _fold),
    Stage("snn", _quantize),
    Stage("snn-tiled", _fuse_and_tile),
    Stage("hw", _to_hw),
)
"""After the ``torch`` stage (the imported torch-mlir module), in order."""

STAGE_NAMES = ("torch", *(s.name for s in STAGES))

SOURCE = "<torch-mlir>"
"""The file name diagnostics give the text ``export_torch`` imported (written as ``01-torch.mlir``)."""


@dataclass
class Compilation:
    """One model going through the stages; keeps each stage's text when asked to."""

    options: Options
    calibration: np.ndarray
    keep_text: bool = False
    validation: tuple[np.ndarray, np.ndarray | None] | None = None
    """Inputs (and labels) select-encoding scores its trials on (default: the calibration inputs)."""
    ctx: Context = field(default_factory=make_context)
    module: ModuleOp | None = None
    stage: str = ""
    texts: dict[str, str] = field(default_factory=dict)
    modules: dict[str, ModuleOp] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def start(self, text: str, name: str = "torch", source: str = SOURCE) -> ModuleOp:
        """Parse the input IR (the ``torch`` stage, or a later one) and make it current."""
        started = time.perf_counter()
        if self.keep_text and name == "torch":
            self.texts[name] = text  # as given: the positions of diagnostics are in it
        try:
            module = parse_module(text, source, self.ctx)
        except ParseError as err:
            raise E3neError(one_line(err)) from None
        verify_module(module)
        self._enter(name, module, started)
        return module

    def _enter(self, name: str, module: ModuleOp, started: float) -> None:
        self.module, self.stage = module, name
        self.seconds[name] = time.perf_counter() - started
        if self.keep_text and name not in self.texts:
            started = time.perf_counter()
            self.texts[name] = print_module(module, ctx=self.ctx if name == "torch" else None)
            self.seconds[f"print {name}"] = time.perf_counter() - started

    def run_until(self, last: str, on_stage: Callable[[str], None] | None = None) -> ModuleOp:
        """Run the stages after the current one up to and including ``last``."""
        if last not in STAGE_NAMES:
            raise E3neError(f"error: unknown stage '{last}' (stages: {', '.join(STAGE_NAMES)})")
        if self.module is None:
            raise E3neError("error: nothing to compile: start() the compilation first")
        begin = STAGE_NAMES.index(self.stage)
        end = STAGE_NAMES.index(last)
        for stage in STAGES[begin:end]:
            if on_stage is not None:
                on_stage(stage.name)
            started = time.perf_counter()
            for compiler_pass in stage.passes(self):
                compiler_pass.apply(self.ctx, self.module)
                verify_module(self.module)
            if stage.name in ("snn", "snn-folded", "snn-tiled"):
                self.modules[stage.name] = self.module.clone()
            self._enter(stage.name, self.module, started)
        return self.module


def float_array(value: object, what: str) -> np.ndarray:
    """``value`` (an array, a CPU tensor, nested lists) as float64; an :class:`E3neError` naming
    ``what`` when it does not hold real numbers."""
    array = np.asarray(value.detach().numpy() if hasattr(value, "detach") else value)  # type: ignore[attr-defined]
    if array.dtype.kind not in "biuf":
        raise E3neError(f"error: {what} must be real numbers, got {array.dtype} {array.shape}")
    return array.astype(np.float64)


def default_calibration(example_input: object, calibration: object | None) -> np.ndarray:
    if calibration is not None:
        return float_array(calibration, "the calibration inputs")
    return float_array(example_input, "the example input")
