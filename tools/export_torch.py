"""``python -m e3ne.tools.export_torch MODEL -o model.mlir [--calibration-out calib.npy]``.

Writes torch-mlir's ``torch`` dialect for a model (zoo name, ``package.module:function`` or
``.pt2``), exactly as ``torch_mlir.fx.export_and_import`` prints it, and optionally the model's
calibration inputs as ``.npy``: the inputs ``e3ne-opt -p 'convert-torch-to-snn,...'`` takes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from e3ne.errors import E3neError, run_reporting_errors
from e3ne.frontend import load_model
from e3ne.pipeline import default_calibration, export_torch


def _run(argv: Sequence[str] | None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m e3ne.tools.export_torch", description="Export a model to torch-mlir's torch dialect (.mlir)."
    )
    parser.add_argument(
        "model", help="zoo name (digits, lenet5, fang, alexnet, vgg11), package.module:function or .pt2"
    )
    parser.add_argument("-o", "--output", required=True, help="the .mlir file to write")
    parser.add_argument("--calibration-out", help="also write the calibration inputs (.npy)")
    args = parser.parse_args(argv)
    source = load_model(args.model)
    if source.model is None:
        raise E3neError(f"error: {args.model} is not a PyTorch model")
    Path(args.output).write_text(export_torch(source.model, source.example_input))
    if args.calibration_out:
        np.save(args.calibration_out, default_calibration(source.example_input, source.calibration).astype(np.float32))


def main(argv: Sequence[str] | None = None) -> int:
    return run_reporting_errors(lambda: _run(argv), "export_torch")


if __name__ == "__main__":
    sys.exit(main())
