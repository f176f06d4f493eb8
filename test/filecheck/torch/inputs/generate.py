"""Regenerate the torch-mlir outputs in this folder (checked in verbatim; kept tiny).

    .venv/bin/python test/filecheck/torch/inputs/generate.py

``tiny_cnn.torch.mlir`` is what ``torch_mlir.fx.export_and_import(model, x)`` prints (the default
decompositions: batch norm and linear become elementwise ops and ``mm``, dropout disappears);
``tiny_cnn_nodecomp.torch.mlir`` is the same model without decompositions (``conv2d``,
``batch_norm``, ``dropout``, ``flatten.using_ints``, ``linear``, softmax ops).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import torch
from torch import nn
from torch_mlir import fx

HERE = Path(__file__).resolve().parent


class TinyCnn(nn.Module):
    """conv 3x3 + batch norm + relu + 2x2 max pool + flatten + dropout + linear, on 1x1x6x6."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3, padding=1)
        self.bn = nn.BatchNorm2d(2)
        self.pool = nn.MaxPool2d(2)
        self.drop = nn.Dropout(0.5)
        self.fc = nn.Linear(18, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.pool(torch.relu(self.bn(self.conv(x))))
        return self.fc(self.drop(torch.flatten(y, 1))).log_softmax(1)


def tiny_cnn() -> tuple[nn.Module, torch.Tensor]:
    torch.manual_seed(0)
    model = TinyCnn()
    with torch.no_grad():
        model.bn.running_mean.uniform_(-0.1, 0.1)
        model.bn.running_var.uniform_(0.5, 1.5)
        model.bn.weight.uniform_(0.5, 1.5)
        model.bn.bias.uniform_(-0.1, 0.1)
    return model.eval(), torch.rand(1, 1, 6, 6)


def main() -> None:
    warnings.filterwarnings("ignore")
    model, x = tiny_cnn()
    (HERE / "tiny_cnn.torch.mlir").write_text(str(fx.export_and_import(model, x)))
    (HERE / "tiny_cnn_nodecomp.torch.mlir").write_text(str(fx.export_and_import(model, x, decomposition_table={})))


if __name__ == "__main__":
    main()
