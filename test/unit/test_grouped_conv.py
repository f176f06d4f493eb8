"""Grouped and depthwise convolutions run as dense ones with zero weights across groups (exact,
at ``groups`` times the synaptic operations: the engine has no grouped mode yet)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

import e3ne
import e3ne.interpreters as interpreters
from e3ne.lowering.torch_to_snn.layers import dense_grouped_weight


def test_dense_weight_is_block_diagonal():
    weight = np.arange(4 * 2 * 1 * 1, dtype=np.float32).reshape(4, 2, 1, 1) + 1
    dense = dense_grouped_weight(weight, 2)[:, :, 0, 0]
    np.testing.assert_array_equal(
        dense, [[1, 2, 0, 0], [3, 4, 0, 0], [0, 0, 5, 6], [0, 0, 7, 8]]
    )  # fmt: skip
    depthwise = dense_grouped_weight(np.ones((3, 1, 3, 3), dtype=np.float32), 3)
    assert depthwise.shape == (3, 3, 3, 3)
    assert [int(np.count_nonzero(depthwise[o])) for o in range(3)] == [9, 9, 9]
    assert all(depthwise[o, o].all() for o in range(3))
    with pytest.raises(ValueError, match="do not split"):
        dense_grouped_weight(np.ones((3, 1, 1, 1), dtype=np.float32), 2)


def grouped_net() -> nn.Module:
    torch.manual_seed(4)
    return nn.Sequential(
        nn.Conv2d(2, 6, 3, padding=1), nn.ReLU(),
        nn.Conv2d(6, 6, 3, padding=1, groups=6), nn.ReLU(),  # depthwise
        nn.Conv2d(6, 4, 3, padding=1, groups=2), nn.ReLU(),  # grouped
        nn.Flatten(), nn.Linear(4 * 8 * 8, 10),
    ).eval()  # fmt: skip


def test_grouped_convolutions_match_torch_in_float():
    model = grouped_net()
    x = torch.rand(16, 2, 8, 8)
    design = e3ne.compile(model, x[:1], x.numpy(), stage="snn-folded")
    got = interpreters.predict(design.compilation.modules["snn-folded"], x.numpy())
    with torch.no_grad():
        np.testing.assert_allclose(got, model(x).numpy(), atol=1e-5)


def test_grouped_convolutions_cosimulate(tmp_path: Path) -> None:
    x = torch.rand(12, 2, 8, 8)
    design = e3ne.compile(grouped_net(), x[:1], x.numpy(), timesteps=4, weight_bits=6)
    design.write(tmp_path)
    report = design.simulate(x.numpy())
    assert report.mismatches == 0, report.divergence
    assert set(report.cycles.tolist()) == {design.cycles_per_image()}
