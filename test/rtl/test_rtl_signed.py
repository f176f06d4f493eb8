"""Signed codes on the RTL: inputs (docs/numerics.md 2.2; the lanes subtract on the sign plane)
and hidden layers without ReLU (2.4; the requant clamps to the signed range).

Networks whose inputs reach below 0, or with hidden layers without ReLU, co-simulate bit-exactly
against the interpreter on both engines (conv layers with channel slots and several units, linear
layers on the linear unit), with the exact cycle model's cycles, and the core is built with
HAS_SIGNED only then.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from torch import nn

import e3ne
from e3ne.dialects import e3ne_hw as hw
from e3ne.reference_ir import network_from_module


def _nets() -> dict[str, tuple[nn.Module, tuple[int, ...], dict[str, Any]]]:
    torch.manual_seed(3)
    conv = nn.Sequential(
        nn.Conv2d(2, 6, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 4, 3, padding=1), nn.ReLU(),
        nn.Flatten(), nn.Linear(4 * 4 * 4, 7),
    )  # fmt: skip
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(3 * 4 * 4, 12), nn.ReLU(), nn.Linear(12, 5))
    return {
        "conv-slots": (conv, (2, 8, 8), {"conv_units": 2, "cols": 8, "timesteps": 5}),
        "conv-wide": (conv, (2, 8, 8), {"conv_units": 3, "cols": 4, "timesteps": 3}),
        "linear-first": (mlp, (3, 4, 4), {"timesteps": 4}),
    }


@pytest.mark.parametrize("name", sorted(_nets()))
def test_signed_inputs_cosimulate(tmp_path: Path, name: str) -> None:
    model, shape, options = _nets()[name]
    rng = np.random.default_rng(7)
    x = rng.uniform(-1.0, 1.0, size=(24, *shape)).astype(np.float32)
    x[0] = -1.0  # every code at its most negative: the sign plane set everywhere
    design = e3ne.compile(model.eval(), torch.from_numpy(x[:1]), x[1:], weight_bits=6, **options)
    assert network_from_module(design.snn).encode.signed
    assert design.params()["HAS_SIGNED"] == 1
    design.write(tmp_path)
    report = design.simulate(x)
    assert report.mismatches == 0, report.divergence
    assert set(report.cycles.tolist()) == {design.cycles_per_image()}


def test_unsigned_inputs_build_no_subtracting_lanes(tmp_path: Path) -> None:
    model, shape, options = _nets()["linear-first"]
    x = np.random.default_rng(8).uniform(0.0, 1.0, size=(8, *shape)).astype(np.float32)
    design = e3ne.compile(model.eval(), torch.from_numpy(x[:1]), x, **options)
    assert design.params()["HAS_SIGNED"] == 0


# --------------------------------------------------------------------------- signed hidden codes


def _hidden_nets() -> dict[str, tuple[nn.Module, tuple[int, ...], float, dict[str, Any]]]:
    """Networks with hidden layers without ReLU (signed codes, docs/numerics.md 2.4): (model, input
    shape, smallest input, options)."""
    torch.manual_seed(6)
    bottleneck = nn.Sequential(
        nn.Conv2d(2, 6, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 8, 1),  # linear bottleneck: signed codes into the next conv
        nn.Conv2d(8, 4, 3, padding=1), nn.ReLU(),
        nn.Flatten(), nn.Linear(4 * 4 * 4, 12),  # signed codes into the last layer
        nn.Linear(12, 7),
    )  # fmt: skip
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(3 * 4 * 4, 12), nn.Linear(12, 9), nn.ReLU(), nn.Linear(9, 5))
    return {
        "bottleneck-slots": (bottleneck, (2, 8, 8), 0.0, {"conv_units": 2, "cols": 8, "timesteps": 5}),
        "bottleneck-wide-signed-inputs": (bottleneck, (2, 8, 8), -1.0, {"conv_units": 3, "cols": 4, "timesteps": 3}),
        "bottleneck-linear-unit": (bottleneck, (2, 8, 8), 0.0, {"conv_units": 2, "cols": 8, "linear": "unit"}),
        "mlp-linear-unit": (mlp, (3, 4, 4), 0.0, {"timesteps": 4}),
    }


@pytest.mark.parametrize("name", sorted(_hidden_nets()))
def test_signed_hidden_codes_cosimulate(tmp_path: Path, name: str) -> None:
    model, shape, low, options = _hidden_nets()[name]
    x = np.random.default_rng(9).uniform(low, 1.0, size=(16, *shape)).astype(np.float32)
    design = e3ne.compile(model.eval(), torch.from_numpy(x[:1]), x[1:], weight_bits=6, **options)
    layers = [op for op in design.module.walk() if isinstance(op, hw.ConvLayerOp | hw.LinearLayerOp)]
    assert any(op.field("out_signed") for op in layers)
    if "linear-unit" in name:  # a linear layer that writes or reads signed codes runs on the linear unit
        assert any(isinstance(op, hw.LinearLayerOp) and op.field("in_signed") for op in layers)
    assert design.params()["HAS_SIGNED"] == 1
    design.write(tmp_path)
    report = design.simulate(x)
    assert report.mismatches == 0, report.divergence
    assert set(report.cycles.tolist()) == {design.cycles_per_image()}
