"""e3ne's dialects, passes and targets, registered once for every MLIR tool that loads them.

This is xDSL's plugin mechanism: ``pyproject.toml`` names :data:`E3NE_UNIVERSE` under the
``xdsl.universe`` entry point, so stock ``xdsl-opt`` (with e3ne installed) parses our dialects,
runs our passes and prints Verilog exactly like ``e3ne-opt``, which registers from the same
object. Everything is loaded lazily: naming a dialect or pass imports nothing heavy.

From Python, a flow of your own can use the passes directly::

    from xdsl.passes import PassPipeline
    from e3ne.universe import E3NE_UNIVERSE

    passes = {**E3NE_UNIVERSE.all_passes}
    pipeline = PassPipeline.parse_spec(passes, "convert-snn-to-hw,prepare-verilog")
    pipeline.apply(ctx, module)   # ctx: a Context with E3NE_UNIVERSE.all_dialects registered
"""

from __future__ import annotations

from collections.abc import Callable

from xdsl.ir import Dialect
from xdsl.passes import ModulePass
from xdsl.universe import Universe
from xdsl.utils.target import Target


def _snn() -> Dialect:
    from e3ne.dialects.snn import SNN

    return SNN


def _torch() -> Dialect:
    from e3ne.dialects.torch import TORCH

    return TORCH


def _e3ne_hw() -> Dialect:
    from e3ne.dialects.e3ne_hw import E3NE_HW

    return E3NE_HW


DIALECTS: dict[str, Callable[[], Dialect]] = {"snn": _snn, "torch": _torch, "e3ne_hw": _e3ne_hw}
"""Dialect name -> loader."""


def _convert_torch_to_snn() -> type[ModulePass]:
    from e3ne.lowering.torch_to_snn import ConvertTorchToSnnPass

    return ConvertTorchToSnnPass


def _fold_batchnorm() -> type[ModulePass]:
    from e3ne.passes.fold_batchnorm import FoldBatchNormPass

    return FoldBatchNormPass


def _calibrate() -> type[ModulePass]:
    from e3ne.passes.calibrate import CalibratePass

    return CalibratePass


def _quantize() -> type[ModulePass]:
    from e3ne.passes.quantize import QuantizePass

    return QuantizePass


def _convert_snn_to_hw() -> type[ModulePass]:
    from e3ne.lowering.snn_to_hw import ConvertSnnToHwPass

    return ConvertSnnToHwPass


def _prepare_verilog() -> type[ModulePass]:
    from e3ne.lowering.prepare_verilog import PrepareVerilogPass

    return PrepareVerilogPass


PASSES: dict[str, Callable[[], type[ModulePass]]] = {
    "convert-torch-to-snn": _convert_torch_to_snn,
    "fold-batchnorm": _fold_batchnorm,
    "calibrate": _calibrate,
    "quantize": _quantize,
    "convert-snn-to-hw": _convert_snn_to_hw,
    "prepare-verilog": _prepare_verilog,
}
"""Pass name -> loader, in pipeline order."""


def _verilog() -> type[Target]:
    from e3ne.lowering.hw_to_verilog import VerilogTarget

    return VerilogTarget


TARGETS: dict[str, Callable[[], type[Target]]] = {"verilog": _verilog}
"""Target name (``-t``) -> loader."""

E3NE_UNIVERSE = Universe(all_dialects=DIALECTS, all_passes=PASSES, all_targets=TARGETS)
"""What the ``xdsl.universe`` entry point exposes (and ``e3ne-opt`` registers)."""
