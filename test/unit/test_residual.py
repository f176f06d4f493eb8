"""Residual networks end to end: ``a + b`` of two activations, folded into the convolution on the
main path (``fold-residual``, docs/numerics.md 2.7).

ResNet basic blocks (identity and option-B projection shortcuts) and a bottleneck block are compiled
from PyTorch with batch norms; the fold is exact in float (the folded float network computes what
PyTorch computes), the quantized network equals the integer reference, and the RTL co-simulates it
with 0 mismatches in exactly the cycles of the model.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from cosim_check import check_cosimulation, check_folds_exactly, randomise
from torch import nn

import e3ne
from e3ne.errors import E3neError
from e3ne.lowering.hw_to_verilog import find_engine
from e3ne.models import BasicBlock


class Bottleneck(nn.Module):
    """torchvision's Bottleneck: 1x1 reduce, 3x3 (the stride), 1x1 expand, each with BN; a 1x1
    projection (+ BN) where the shape changes."""

    def __init__(self, c_in: int, width: int, stride: int = 1):
        super().__init__()
        c_out = 4 * width
        self.conv1, self.bn1 = nn.Conv2d(c_in, width, 1, bias=False), nn.BatchNorm2d(width)
        self.conv2, self.bn2 = nn.Conv2d(width, width, 3, stride, 1, bias=False), nn.BatchNorm2d(width)
        self.conv3, self.bn3 = nn.Conv2d(width, c_out, 1, bias=False), nn.BatchNorm2d(c_out)
        self.downsample = None
        if stride != 1 or c_in != c_out:
            self.downsample = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = torch.relu(self.bn1(self.conv1(x)))
        out = torch.relu(self.bn2(self.conv2(out)))
        return torch.relu(self.bn3(self.conv3(out)) + identity)


class TinyResNet(nn.Module):
    """A stem, an identity basic block, an option-B basic block (stride 2, 4 -> 8 channels), a
    bottleneck with a stride-1 projection, a bottleneck with an identity shortcut, a linear head."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU())
        self.block1 = BasicBlock(4, 4)
        self.block2 = BasicBlock(4, 8, stride=2)
        self.block3 = Bottleneck(8, 3)
        self.block4 = Bottleneck(12, 3)
        self.fc = nn.Linear(12 * 4 * 4, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.block4(self.block3(self.block2(self.block1(self.stem(x)))))
        return self.fc(torch.flatten(x, 1))


class SelfResidual(nn.Module):
    """``relu(x + conv(x))``: the shortcut is the main path's own input."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 3, 3, padding=1)
        self.conv = nn.Conv2d(3, 3, 3, padding=1)
        self.fc = nn.Linear(3 * 8 * 8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.stem(x))
        return self.fc(torch.flatten(torch.relu(x + self.conv(x)), 1))


def _inputs() -> np.ndarray:
    return np.random.default_rng(3).random((32, 1, 8, 8)).astype(np.float32)


@pytest.fixture(scope="module")
def tiny() -> tuple[nn.Module, e3ne.Design, np.ndarray]:
    model, x = randomise(TinyResNet()), _inputs()
    return model, e3ne.compile(model, torch.from_numpy(x[:1]), x, timesteps=6, weight_bits=8), x


def test_the_fold_is_exact_in_float(tiny):
    model, design, x = tiny
    assert "snn.add" in design.mlir("snn-float") and "snn.add" not in design.mlir("snn-folded")
    check_folds_exactly(model, design, x)


def test_every_shortcut_becomes_a_wider_convolution(tiny):
    _, design, _ = tiny
    layers = {layer.layer_name.data: layer.fields() for layer in find_engine(design.module).layers()}
    assert list(layers) == [
        "stem.0", "block1.conv1", "block1.conv2",
        "block2.conv1", "block2.downsample.0.subsample", "block2.conv2",
        "block3.conv1", "block3.conv2", "block3.conv3",
        "block4.conv1", "block4.conv2", "block4.conv3", "fc",
    ]  # fmt: skip
    assert layers["block1.conv2"]["c_in"] == 4 + 4  # h and the identity shortcut x
    assert layers["block2.conv2"]["c_in"] == 8 + 4  # h and x subsampled (its 1x1 projection at the centre tap)
    assert (layers["block2.downsample.0.subsample"]["kh"], layers["block2.downsample.0.subsample"]["sh"]) == (1, 2)
    assert layers["block3.conv3"]["c_in"] == 3 + 8  # the stride-1 projection reads x itself
    assert layers["block4.conv3"]["c_in"] == 3 + 12


def test_the_shortcut_weights_are_exact(tiny):
    """The identity is 2^s_w at the centre tap: the weight scale keeps it unclipped (snn.weight_range)."""
    _, design, _ = tiny
    for op in design.snn.walk():
        if op.name == "snn.conv2d" and op.attributes.get("snn.layer_name").data == "block1.conv2":
            w = op.weights()
            frac = op.weight_quant.frac.data
            shortcut = w[:, 4:, 1, 1]
            np.testing.assert_array_equal(shortcut, np.eye(4, dtype=np.int64) << frac)
            assert not w[:, 4:, [0, 2], :].any() and not w[:, 4:, :, [0, 2]].any()
            return
    raise AssertionError("block1.conv2 not found")


def test_residual_network_matches_reference_and_rtl(tiny, tmp_path: Path):
    model, design, x = tiny
    with torch.no_grad():
        float_classes = model(torch.from_numpy(x)).numpy().argmax(1)
    assert (design.classify(x) == float_classes).mean() >= 0.8
    check_cosimulation(design, x, tmp_path / "tiny", images=6)


def test_a_shortcut_that_is_the_main_paths_input(tmp_path: Path):
    model, x = randomise(SelfResidual()), _inputs()
    design = e3ne.compile(model, torch.from_numpy(x[:1]), x, timesteps=6, weight_bits=8)
    check_cosimulation(design, x, tmp_path / "self", images=4)


class ScaledAdd(nn.Module):
    def __init__(self):
        super().__init__()
        self.a, self.b = nn.Conv2d(1, 2, 3, padding=1), nn.Conv2d(2, 2, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.a(x))
        return torch.flatten(torch.relu(torch.add(self.b(h), h, alpha=0.5)), 1)


class SignedShortcut(nn.Module):
    def __init__(self):
        super().__init__()
        self.a, self.b = nn.Conv2d(1, 2, 3, padding=1), nn.Conv2d(2, 2, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.a(x)
        return torch.flatten(torch.relu(self.b(torch.relu(h)) + h), 1)


@pytest.mark.parametrize(
    ("model", "message"),
    [
        (ScaledAdd(), "error: ScaledAdd.forward: not supported: torch.aten.add.Tensor of two activations with alpha other than 1"),
        (SignedShortcut(), "error: SignedShortcut.forward: not supported: snn.concat of the potentials of a that a ReLU also reads"),
    ],
)  # fmt: skip
def test_unsupported_residuals_are_one_line(model: nn.Module, message: str):
    x = _inputs()[:4]
    with pytest.raises(E3neError) as err:
        e3ne.compile(model.eval(), torch.from_numpy(x[:1]), x, timesteps=4, weight_bits=8)
    assert str(err.value).startswith(message), str(err.value)
    assert "\n" not in str(err.value)
