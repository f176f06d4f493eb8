"""RTL co-simulation: a batch of images through the interpreter and through the RTL (Verilator),
every integer output compared, cycles per image reported.

On a mismatch the first failing image is rerun traced (:mod:`e3ne.trace_compare`), which names
the first layer, neuron and timestep where the RTL and the interpreter part ways.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from xdsl.dialects.builtin import ModuleOp

import e3ne.interpreters as interpreters
from e3ne import simulate
from e3ne.reference_ir import network_from_module
from e3ne.trace_compare import first_divergence


def counted(n: int, noun: str) -> str:
    """``1 image``, ``2 images``, ``0 mismatches``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}{'es' if noun.endswith(('s', 'ch')) else 's'}"


@dataclass
class CosimReport:
    images: int
    mismatches: int
    cycles: np.ndarray
    first_mismatch: int | None = None
    divergence: str = ""
    details: dict[str, object] = field(default_factory=dict)
    outputs: np.ndarray | None = None
    """The RTL's logits (N, classes)."""

    @property
    def ok(self) -> bool:
        return self.mismatches == 0

    def summary(self) -> str:
        mean = float(self.cycles.mean()) if self.cycles.size else 0.0
        head = f"{counted(self.images, 'image')}, {counted(self.mismatches, 'mismatch')}, {mean:.0f} cycles/image"
        return head if self.ok else f"{head}; first mismatch: image {self.first_mismatch}: {self.divergence}"


def cosimulate(
    snn_module: ModuleOp,
    tiled_module: ModuleOp,
    directory: str | Path,
    x: np.ndarray,
    params: dict[str, int],
) -> CosimReport:
    """Run ``x`` through the interpreter and the RTL; compare every output.

    ``snn_module`` is the quantized network, ``tiled_module`` the same network fused and tiled (one
    op per hardware layer), against which a mismatching image is traced.
    """
    network = network_from_module(snn_module)
    codes = network.encode.stored_codes(x)
    want = interpreters.predict(snn_module, x)
    got = simulate.run(directory, codes, params, want.shape[1])
    bad = np.flatnonzero((got.outputs != want).any(axis=1))
    report = CosimReport(len(x), int(bad.size), got.cycles, outputs=got.outputs)
    if bad.size:
        report.first_mismatch = int(bad[0])
        report.divergence = first_divergence(tiled_module, Path(directory), x[bad[0] : bad[0] + 1], params)
    return report
