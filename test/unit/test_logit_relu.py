"""A ReLU on the logits (SqueezeNet's classifier: conv 1x1 -> ReLU -> global pooling -> flatten).

The raw last layer then emits ``max(V + b, 0)`` (descriptor ``raw = 3``, numerics.md 2.4): the
reference, the interpreter and the RTL agree on it, on the linear unit and on the conv units, and
a last convolution over its whole input followed by flatten runs as the linear layer it is.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from cosim_check import check_cosimulation
from torch import nn

import e3ne
from e3ne.lowering.hw_to_verilog import find_engine


class ConvClassifier(nn.Module):
    """conv -> max pool to 2x2 -> the classifier: dropout, a 2x2 conv over the whole map, ReLU, and
    AdaptiveAvgPool2d(1) on its 1x1 map (as SqueezeNet's 1x1 conv on its 1x1 map), flatten."""

    def __init__(self, relu: bool = True):
        super().__init__()
        self.conv = nn.Conv2d(1, 6, 3, padding=1)
        self.pool = nn.MaxPool2d(4)
        self.classifier = nn.Sequential(nn.Dropout(), nn.Conv2d(6, 7, 2), *([nn.ReLU()] if relu else []))
        self.avgpool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.flatten(self.avgpool(self.classifier(self.pool(torch.relu(self.conv(x))))), 1)


class LinearReluHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.fc = nn.Linear(4 * 4 * 4, 6)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = nn.functional.max_pool2d(torch.relu(self.conv(x)), 2)
        return torch.relu(self.fc(torch.flatten(h, 1)))


class FireCeil(nn.Module):
    """A concatenation pooled with ceil_mode: the pool moves onto each part and keeps ceil_mode."""

    def __init__(self):
        super().__init__()
        self.squeeze = nn.Conv2d(1, 3, 1)
        self.e1, self.e3 = nn.Conv2d(3, 2, 1), nn.Conv2d(3, 2, 3, padding=1)
        self.pool = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.fc = nn.Linear(4 * 4 * 4, 5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s = torch.relu(self.squeeze(x))
        cat = torch.cat([torch.relu(self.e1(s)), torch.relu(self.e3(s))], 1)
        return self.fc(torch.flatten(self.pool(cat), 1))


def _compile(model: nn.Module, linear: str = "auto") -> tuple[e3ne.Design, np.ndarray]:
    torch.manual_seed(0)
    x = np.random.default_rng(5).random((24, 1, 8, 8)).astype(np.float32)
    return e3ne.compile(model.eval(), torch.from_numpy(x[:1]), x, timesteps=4, weight_bits=8, linear=linear), x


def _cosimulate(design: e3ne.Design, x: np.ndarray, folder: Path) -> None:
    check_cosimulation(design, x, folder, images=6)


@pytest.mark.parametrize("linear", ["auto", "unit"])
def test_relu_on_the_logits_of_a_conv_classifier(tmp_path: Path, linear: str):
    model = ConvClassifier()
    design, x = _compile(model, linear=linear)
    last = find_engine(design.module).layers()[-1]
    assert last.field("raw") == 3
    assert type(last).__name__ == ("ConvLayerOp" if linear == "auto" else "LinearLayerOp")  # conv units / linear unit
    logits = design.predict(x)
    assert logits.min() == 0 and (logits == 0).any() and (logits > 0).any()
    with torch.no_grad():
        expected = model(torch.from_numpy(x)).numpy()
    assert (expected.argmax(1) == logits.argmax(1)).mean() >= 0.75
    _cosimulate(design, x, tmp_path / linear)


def test_without_relu_the_last_conv_stays_raw():
    design, x = _compile(ConvClassifier(relu=False))
    assert find_engine(design.module).layers()[-1].field("raw") == 1
    assert design.predict(x).min() < 0


def test_relu_on_the_logits_of_a_linear_layer(tmp_path: Path):
    design, x = _compile(LinearReluHead(), linear="unit")
    assert find_engine(design.module).layers()[-1].field("raw") == 3
    assert design.predict(x).min() == 0
    _cosimulate(design, x, tmp_path / "fc")


def test_a_ceil_mode_pool_of_a_concatenation(tmp_path: Path):
    design, x = _compile(FireCeil())
    layers = find_engine(design.module).layers()
    assert [layer.fields()["pool_size"] for layer in layers[1:3]] == [3, 3]  # the pool moved into e1 and e3
    _cosimulate(design, x, tmp_path / "ceil")
