"""Concatenation groups with signed codes and with ReLU6 members (docs/numerics.md 2.6).

A conv2d/linear concatenated without ReLU writes signed codes; the ReLU members of its group then
write unsigned codes of T - 1 bits, which read as T-bit signed codes are the same numbers, so the
layer after the concatenation reads one signed map. MobileNetV2's residual adds fold into exactly
such a group: the block's ReLU6 output beside the previous block's linear bottleneck. A ReLU6 in a
group bounds the group's scale so that its clamp at the top code stays at most 6.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from cosim_check import check_cosimulation, check_folds_exactly, randomise
from torch import nn

import e3ne
from e3ne.dialects import e3ne_hw as hw
from e3ne.dialects import snn
from e3ne.ir import functions
from e3ne.lowering.hw_to_verilog import find_engine
from e3ne.models import InvertedResidual
from e3ne.passes.calibrate import Stats, calibrate_function, output_frac, signed_output_frac
from e3ne.passes.quantize import relu6_frac


def _inputs(n: int, seed: int = 3) -> np.ndarray:
    return np.random.default_rng(seed).random((n, 2, 6, 6)).astype(np.float32)


class SignedCat(nn.Module):
    """``head(cat(a(x), relu(b(x))))``: a's codes are signed, b's are a ReLU's."""

    def __init__(self, relu: nn.Module) -> None:
        super().__init__()
        self.a, self.b = nn.Conv2d(2, 3, 3, padding=1), nn.Conv2d(2, 2, 3, padding=1)
        self.relu = relu
        self.head = nn.Conv2d(5, 2, 6)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(torch.cat([self.a(x), self.relu(self.b(x))], 1)).flatten(1)


def _concat(module) -> snn.ConcatOp:
    (concat,) = [op for op in module.walk() if isinstance(op, snn.ConcatOp)]
    return concat


def _types(concat: snn.ConcatOp) -> list[tuple[bool, int, int]]:
    """(signed, T, frac) of each input and of the result."""
    out = []
    for t in [*(v.type for v in concat.inputs), concat.output.type]:
        enc = snn.encoding_of(t)
        assert isinstance(enc, snn.RadixEncodingAttr)
        out.append((snn.is_signed_radix(t), enc.timesteps.data, enc.frac.data))
    return out


@pytest.mark.parametrize("timesteps", [3, 5])
def test_relu_members_of_a_signed_group_write_one_bit_less(timesteps: int, tmp_path: Path):
    torch.manual_seed(1)
    model, x = SignedCat(nn.ReLU()).eval(), _inputs(24)
    design = e3ne.compile(model, torch.from_numpy(x[:1]), x, timesteps=timesteps, scale_rule="e3ne", conv_units=2,
                          cols=8)  # fmt: skip
    module = design.compilation.modules["snn-folded"].clone()
    (function,) = functions(module, "")
    calibrate_function(module, function, x.astype(np.float64), "test")
    stats = {snn.layer_name(op): Stats.of(op) for op in function.walk() if isinstance(op, snn.Conv2dOp)}
    a, b = stats["a"], stats["b"]
    assert a is not None and b is not None and a.min is not None and a.min < 0
    frac = min(signed_output_frac(timesteps, max(a.max, -a.min)), output_frac(timesteps - 1, b.max))
    T = timesteps
    assert _types(_concat(design.snn)) == [(True, T, frac), (False, T - 1, frac), (True, T, frac)]
    layers = {op.layer_name.data: op for op in find_engine(design.module).layers()}
    assert (layers["a"].field("t_out"), layers["a"].field("out_signed")) == (T, 1)
    assert (layers["b"].field("t_out"), layers["b"].field("out_signed")) == (T - 1, 0)
    assert (layers["head"].field("t_in"), layers["head"].field("in_signed")) == (T, 1)
    check_cosimulation(design, x, tmp_path / "cat", images=4)


def test_a_relu6_member_bounds_the_groups_scale():
    """Concatenated ReLU6 codes (refused before groups knew ReLU6): alone, both members would take
    frac -1 (ranges near 10), but the ReLU6 member's top code must stay at most 6: frac 1 (3.5)."""
    torch.manual_seed(2)
    model, x = SignedCat(nn.ReLU6()).eval(), 12.0 * _inputs(24)
    design = e3ne.compile(model, torch.from_numpy(x[:1]), x, timesteps=4, scale_rule="e3ne", stage="snn")
    assert relu6_frac(3, 6.0) == 1
    assert _types(_concat(design.snn)) == [(True, 4, 1), (False, 3, 1), (True, 4, 1)]


class TinyMobileNet(nn.Module):
    """A stem and four MobileNetV2 blocks at stride 1: b1 (t = 1) adds two ReLU6 outputs, b3 and b4
    add the previous block's linear bottleneck (signed) to their ReLU6 output."""

    def __init__(self) -> None:
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4), nn.ReLU6())
        self.b1 = InvertedResidual(4, 4, 1, 1)
        self.b2 = InvertedResidual(4, 6, 1, 2)
        self.b3 = InvertedResidual(6, 6, 1, 2)
        self.b4 = InvertedResidual(6, 6, 1, 2)
        self.fc = nn.Linear(6 * 6 * 6, 5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(self.b4(self.b3(self.b2(self.b1(self.stem(x))))), 1))


@pytest.fixture(scope="module")
def tiny_mobilenet() -> tuple[nn.Module, e3ne.Design, np.ndarray]:
    model, x = randomise(TinyMobileNet()), _inputs(32)
    return model, e3ne.compile(model, torch.from_numpy(x[:1]), x, timesteps=6, weight_bits=8), x


def test_inverted_residuals_fold_exactly(tiny_mobilenet):
    model, design, x = tiny_mobilenet
    check_folds_exactly(model, design, x)
    concats = [_types(op) for op in design.snn.walk() if isinstance(op, snn.ConcatOp)]
    assert [[signed for signed, _, _ in c] for c in concats] == [
        [False, False, False],  # b1: ReLU6(dw) beside the stem's ReLU6
        [False, True, True],  # b3: ReLU6(dw) (5 bits) beside b2's linear bottleneck (6)
        [False, True, True],  # b4 beside b3's folded conv
    ]
    assert all(c[0][1] == 5 for c in concats[1:])


def test_inverted_residuals_match_reference_and_rtl(tiny_mobilenet, tmp_path: Path):
    model, design, x = tiny_mobilenet
    with torch.no_grad():
        float_classes = model(torch.from_numpy(x)).numpy().argmax(1)
    assert (design.classify(x) == float_classes).mean() >= 0.8
    layers = [op for op in find_engine(design.module).layers() if isinstance(op, hw.ConvLayerOp)]
    assert sum(op.field("in_signed") for op in layers) >= 4  # the expansions of b3, b4 and the folded b3, b4
    check_cosimulation(design, x, tmp_path / "mobile", images=4)
