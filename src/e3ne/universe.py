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

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from xdsl.ir import Dialect
from xdsl.passes import ModulePass
from xdsl.universe import Universe
from xdsl.utils.target import Target


def _lazy(module: str, name: str) -> Callable[[], Any]:
    """A loader that imports ``module`` and returns its ``name`` when first called."""

    def load() -> Any:
        return getattr(importlib.import_module(module), name)

    load.__qualname__ = f"load {module}.{name}"
    return load


DIALECTS: dict[str, Callable[[], Dialect]] = {
    "snn": _lazy("e3ne.dialects.snn", "SNN"),
    "torch": _lazy("e3ne.dialects.torch", "TORCH"),
    "e3ne_hw": _lazy("e3ne.dialects.e3ne_hw", "E3NE_HW"),
}
"""Dialect name -> loader."""

PASSES: dict[str, Callable[[], type[ModulePass]]] = {
    "convert-torch-to-snn": _lazy("e3ne.lowering.torch_to_snn", "ConvertTorchToSnnPass"),
    "fold-batchnorm": _lazy("e3ne.passes.fold_batchnorm", "FoldBatchNormPass"),
    "fold-residual": _lazy("e3ne.passes.fold_residual", "FoldResidualPass"),
    "calibrate": _lazy("e3ne.passes.calibrate", "CalibratePass"),
    "select-encoding": _lazy("e3ne.passes.select_encoding", "SelectEncodingPass"),
    "quantize": _lazy("e3ne.passes.quantize", "QuantizePass"),
    "fuse-layers": _lazy("e3ne.passes.fuse_layers", "FuseLayersPass"),
    "tile": _lazy("e3ne.passes.tile", "TilePass"),
    "explore": _lazy("e3ne.passes.explore", "ExplorePass"),
    "convert-snn-to-hw": _lazy("e3ne.lowering.snn_to_hw", "ConvertSnnToHwPass"),
    "prepare-verilog": _lazy("e3ne.lowering.prepare_verilog", "PrepareVerilogPass"),
}
"""Pass name -> loader, in pipeline order."""

TARGETS: dict[str, Callable[[], type[Target]]] = {"verilog": _lazy("e3ne.lowering.hw_to_verilog", "VerilogTarget")}
"""Target name (``-t``) -> loader."""

E3NE_UNIVERSE = Universe(all_dialects=DIALECTS, all_passes=PASSES, all_targets=TARGETS)
"""What the ``xdsl.universe`` entry point exposes (and ``e3ne-opt`` registers)."""


def _one_line_errors_in_xdsl_opt() -> None:
    """Stock ``xdsl-opt`` lets a diagnostic about its input escape as a traceback. When it loads
    e3ne, such an error (a parse, verify or e3ne diagnostic, a missing or unreadable file) prints
    as ``e3ne-opt`` prints it, one line; any other exception keeps its traceback."""
    if Path(sys.argv[0]).name != "xdsl-opt":
        return
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, trace: Any) -> None:
        from xdsl.utils.exceptions import DiagnosticException, ParseError, VerifyException

        from e3ne.errors import one_line

        if isinstance(error, ParseError | VerifyException | DiagnosticException):
            print(f"xdsl-opt: {one_line(error)}", file=sys.stderr)
        elif isinstance(error, UnicodeDecodeError):
            print(f"xdsl-opt: error: the input is not MLIR text (byte {error.start} is not UTF-8)", file=sys.stderr)
        elif isinstance(error, OSError) and error.filename is not None:
            print(f"xdsl-opt: error: {error.filename}: {(error.strerror or kind.__name__).lower()}", file=sys.stderr)
        else:
            previous(kind, error, trace)

    sys.excepthook = hook


_one_line_errors_in_xdsl_opt()
