"""The end-to-end checks the PyTorch-level tests share: the interpreter equals the integer reference on
every input, and the RTL co-simulates the first images with 0 mismatches in exactly the cycles of the
model; a folded float network computes what PyTorch computes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import nn

import e3ne
import e3ne.interpreters as interpreters
from e3ne import reference as ref
from e3ne.engine import cycles
from e3ne.lowering.hw_to_verilog import find_engine
from e3ne.reference_ir import network_from_module


def check_cosimulation(design: e3ne.Design, x: np.ndarray, folder: Path, images: int) -> None:
    """interpreter == reference on ``x``; RTL == interpreter on ``x[:images]``, cycles == the model's."""
    np.testing.assert_array_equal(design.predict(x), ref.run(network_from_module(design.snn), x))
    design.write(folder)
    report = design.simulate(x[:images])
    assert report.mismatches == 0, report.divergence
    engine = find_engine(design.module)
    assert set(report.cycles.tolist()) == {cycles.program_cycles(engine.descriptors(), design.params())}


def randomise(model: nn.Module, seed: int = 7) -> nn.Module:
    """Seeded weights and batch-norm statistics that are not the identity (so the folds matter)."""
    rng = np.random.default_rng(seed)
    for p in model.parameters():
        p.data = torch.from_numpy(rng.normal(0, 0.4, p.shape).astype(np.float32))
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.weight.data = torch.from_numpy(rng.uniform(0.5, 1.5, m.num_features).astype(np.float32))
            m.running_mean = torch.from_numpy(rng.uniform(-0.2, 0.2, m.num_features).astype(np.float32))
            m.running_var = torch.from_numpy(rng.uniform(0.5, 1.5, m.num_features).astype(np.float32))
    return model.eval()


def check_folds_exactly(model: nn.Module, design: e3ne.Design, x: np.ndarray) -> None:
    """The float network after ``fold-batchnorm`` and ``fold-residual`` equals PyTorch's on ``x``."""
    with torch.no_grad():
        expected = model(torch.from_numpy(x)).numpy()
    folded = design.compilation.modules["snn-folded"]
    np.testing.assert_allclose(interpreters.predict(folded, x), expected, rtol=1e-4, atol=1e-4)
