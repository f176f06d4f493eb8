"""The end-to-end check the PyTorch-level tests share: the interpreter equals the integer reference on
every input, and the RTL co-simulates the first images with 0 mismatches in exactly the cycles of the
model."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import e3ne
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
