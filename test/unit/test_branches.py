"""Branching networks end to end: torch.cat of layer outputs, values read by several layers.

A SqueezeNet-style network (conv -> pool -> two fire modules -> pool -> linear) and a network of two
branches of different lengths are compiled from PyTorch and co-simulated on the RTL: every output
equals the interpreter's (and the integer reference's), every image takes exactly the cycles of the
model, the parts of each concatenation are stored channel block after channel block, and no two
live tensors share a word.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from cosim_check import check_cosimulation
from torch import nn

import e3ne
from e3ne.engine.allocate import Place
from e3ne.errors import E3neError
from e3ne.lowering.hw_to_verilog import find_engine


class Fire(nn.Module):
    """SqueezeNet's fire module: squeeze 1x1, then expand 1x1 and 3x3 side by side, concatenated."""

    def __init__(self, c_in: int, squeeze: int, expand: int):
        super().__init__()
        self.squeeze = nn.Conv2d(c_in, squeeze, 1)
        self.expand1 = nn.Conv2d(squeeze, expand, 1)
        self.expand3 = nn.Conv2d(squeeze, expand, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.squeeze(x))
        return torch.cat([torch.relu(self.expand1(x)), torch.relu(self.expand3(x))], 1)


class FireNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3)
        self.pool = nn.MaxPool2d(2)
        self.fire1 = Fire(8, 4, 4)
        self.fire2 = Fire(8, 4, 6)
        self.pool2 = nn.MaxPool2d(2)
        self.fc = nn.Linear(12 * 3 * 3, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(torch.relu(self.conv(x)))
        x = self.pool2(self.fire2(self.fire1(x)))
        return self.fc(torch.flatten(x, 1))


class TwoBranches(nn.Module):
    """A stem read by a branch of one conv and a branch of two, concatenated (cat(b, a): not in
    program order), pooled, then a linear layer."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 8, 3, padding=1)
        self.a = nn.Conv2d(8, 1, 1)
        self.b1 = nn.Conv2d(8, 2, 3, padding=1)
        self.b2 = nn.Conv2d(2, 1, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(2 * 4 * 4, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.stem(x))
        a = torch.relu(self.a(x))
        b = torch.relu(self.b2(torch.relu(self.b1(x))))
        return self.fc(torch.flatten(self.pool(torch.cat([b, a], dim=1)), 1))


def _compile(model: nn.Module, shape: tuple[int, ...]) -> tuple[e3ne.Design, np.ndarray]:
    torch.manual_seed(0)
    model = model.eval()
    for p in model.parameters():  # deterministic weights, whatever torch's initialisation
        p.data = torch.from_numpy(np.random.default_rng(p.numel()).normal(0, 0.5, p.shape).astype(np.float32))
    x = np.random.default_rng(3).random((24, *shape)).astype(np.float32)
    design = e3ne.compile(model, torch.from_numpy(x[:1]), x, timesteps=4, weight_bits=4)
    return design, x


def _layers(design: e3ne.Design) -> dict[str, dict[str, int]]:
    return {layer.layer_name.data: layer.fields() for layer in find_engine(design.module).layers()}


def _cosimulate(design: e3ne.Design, x: np.ndarray, folder: Path) -> None:
    check_cosimulation(design, x, folder, images=10)


def test_fire_network_cosimulates(tmp_path: Path):
    design, x = _compile(FireNet(), (1, 14, 14))
    layers = _layers(design)
    assert list(layers) == [
        "conv", "fire1.squeeze", "fire1.expand1", "fire1.expand3",
        "fire2.squeeze", "fire2.expand1", "fire2.expand3", "fc",
    ]  # fmt: skip
    for fire, rows in (("fire1", 4 * 6), ("fire2", 6 * 3)):  # expand1's channel block, then expand3's
        e1, e3 = layers[f"{fire}.expand1"], layers[f"{fire}.expand3"]
        assert (e3["dst_bank"], e3["dst_base"]) == (e1["dst_bank"], e1["dst_base"] + rows)
    # the next layer reads the concatenation as one map, from its first block
    assert (layers["fire2.squeeze"]["src_bank"], layers["fire2.squeeze"]["src_base"]) == (
        layers["fire1.expand1"]["dst_bank"],
        layers["fire1.expand1"]["dst_base"],
    )
    assert layers["fire2.expand1"]["pool_size"] == layers["fire2.expand3"]["pool_size"] == 2  # pool moved into them
    _cosimulate(design, x, tmp_path / "fire")


def test_branches_of_different_lengths_cosimulate(tmp_path: Path):
    design, x = _compile(TwoBranches(), (1, 8, 8))
    layers = _layers(design)
    a, b1, b2 = layers["a"], layers["b1"], layers["b2"]
    # cat([b, a]): b's block first; a is written first (program order), after b's block
    assert (a["dst_bank"], a["dst_base"]) == (b2["dst_bank"], b2["dst_base"] + 4)
    # the stem is read by a and by b1: both read it where it was written
    stem = Place(layers["stem"]["dst_bank"], layers["stem"]["dst_base"])
    assert Place(a["src_bank"], a["src_base"]) == Place(b1["src_bank"], b1["src_base"]) == stem
    # b2 reads and writes one bank (the parity of the branches differs), in words apart
    assert b2["src_bank"] == b2["dst_bank"]
    assert b2["src_base"] >= b2["dst_base"] + 4 or b2["dst_base"] >= b2["src_base"] + 2 * 8
    _cosimulate(design, x, tmp_path / "branches")


def test_the_concatenated_codes_share_timesteps_and_scale():
    design, _ = _compile(TwoBranches(), (1, 8, 8))
    hw = find_engine(design.module).layers()
    t_out = {layer.layer_name.data: layer.fields()["t_out"] for layer in hw}
    assert t_out["a"] == t_out["b2"]
    assert "snn.concat" in design.mlir("snn")


class CatOfInput(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3, padding=1)
        self.fc = nn.Linear(3 * 4 * 4, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(torch.cat([torch.relu(self.conv(x)), x], 1), 1))


class CatOnRows(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3, padding=1)
        self.fc = nn.Linear(2 * 8 * 4, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = torch.relu(self.conv(x))
        return self.fc(torch.flatten(torch.cat([y, y], 2), 1))


class CatOfPotentials(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(1, 2, 3, padding=1)
        self.b = nn.Conv2d(1, 2, 3, padding=1)
        self.fc = nn.Linear(4 * 4 * 4, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(torch.relu(torch.cat([self.a(x), torch.relu(self.b(x))], 1)), 1))


@pytest.mark.parametrize(
    ("model", "message"),
    [
        (CatOfInput(), "error: CatOfInput.forward: not supported: torch.cat of the network input (only of layer outputs)"),
        (CatOnRows(), "error: CatOnRows.forward: not supported: torch.cat along dimension 2 of rank-4 tensors (only dim 1, the channels)"),
        (CatOfPotentials(), "not supported: snn.concat of the potentials of snn.conv2d (concatenate codes: after a ReLU)"),
    ],
)  # fmt: skip
def test_unsupported_concatenations_name_the_module(model: nn.Module, message: str):
    x = np.random.default_rng(0).random((4, 1, 4, 4)).astype(np.float32)
    with pytest.raises(E3neError) as err:
        e3ne.compile(model.eval(), torch.from_numpy(x[:1]), x, timesteps=4, weight_bits=4)
    assert message in str(err.value).splitlines()[0]
