"""Regenerate ``tiny_cnn.onnx.torch.mlir``: the model of ``generate.py`` exported to ONNX
(``torch.onnx.export``, TorchScript exporter) and imported by ``e3ne.onnx_import.onnx_to_torch``
(torch-mlir's ONNX importer, ``convert-torch-onnx-to-torch``, ``canonicalize``).

    .venv/bin/python test/filecheck/torch/inputs/generate_onnx.py

The exporter folds the batch norm into the convolution and drops the dropout; Flatten becomes
``torch.prims.collapse``, Gemm ``transpose.int`` + ``mm`` + ``add.Tensor``. Every op's location
names the ONNX node it came from.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

import torch
from generate import HERE, tiny_cnn

from e3ne.onnx_import import onnx_to_torch


def main() -> None:
    warnings.filterwarnings("ignore")
    model, x = tiny_cnn()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # the locations name the file as given: "tiny_cnn.onnx"
        torch.onnx.export(model, (x,), "tiny_cnn.onnx", dynamo=False)
        text = onnx_to_torch(Path("tiny_cnn.onnx"))
    (HERE / "tiny_cnn.onnx.torch.mlir").write_text(text)


if __name__ == "__main__":
    main()
