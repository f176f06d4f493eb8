"""The digits LeNet simulated in snnTorch: the baseline e3ne's interpreter is timed against.

Same topology and the same trained weights as the float model; every ReLU becomes an
integrate-and-fire neuron, ``snn.Leaky(beta=1.0, reset_mechanism="subtract")``, and the last
linear layer feeds a non-spiking ``snn.Leaky(beta=1.0, reset_mechanism="none")`` whose membrane
(the sum of its input currents over the T steps) is the logits.

* Input: **direct input current** — the float image drives the first convolution at each of the
  T steps (snnTorch's usual choice). Radix bit planes cannot be fed to ``snn.Leaky``: a radix
  neuron doubles its membrane every step (``V <- 2V + I``), and snnTorch clamps beta to [0, 1].
* Thresholds (data-based normalisation, Rueckauer et al. 2017): the threshold of a layer is
  ``λ``, the 99.9th percentile of its ReLU output on the calibration images, and its spikes are
  graded by the same ``λ`` (``graded_spikes_factor``), so a spike stands for ``λ`` and the next
  layer uses the trained weights unchanged. This is the level e3ne's rate quantizer uses.
* Max pooling: ``nn.MaxPool2d`` on the spikes (a spike OR), the snnTorch idiom.

So this is rate-coded IF simulation in float32, not bit-exact with e3ne: it is a speed
baseline, and its accuracy is reported only for context.
"""

from __future__ import annotations

import numpy as np
import snntorch as snn
import torch
from torch import nn

PERCENTILE = 99.9
"""What a hidden spike stands for: this percentile of the layer's ReLU output on calibration data."""

_SYNAPSES = (nn.Conv2d, nn.Linear)
_STATELESS = (nn.Conv2d, nn.Linear, nn.MaxPool2d, nn.Flatten)


def relu_levels(model: nn.Sequential, calibration: torch.Tensor, percentile: float = PERCENTILE) -> list[float]:
    """``λ`` of every ReLU of ``model``, in order: a percentile of its output on ``calibration``."""
    levels: list[float] = []
    with torch.no_grad():
        a = calibration
        for layer in model:
            a = layer(a)
            if isinstance(layer, nn.ReLU):
                level = float(np.percentile(a.numpy(), percentile))
                levels.append(level if level > 0 else 1.0)
    return levels


class SpikingSequential(nn.Module):
    """A ``Conv2d/Linear -> ReLU -> MaxPool2d/Flatten`` stack as an snnTorch IF network run for T steps."""

    def __init__(self, model: nn.Sequential, calibration: torch.Tensor, timesteps: int):
        super().__init__()
        self.timesteps = timesteps
        levels = iter(relu_levels(model, calibration))
        stages: list[nn.Module] = []
        for layer in model:
            if isinstance(layer, nn.ReLU):
                level = next(levels)
                stages.append(
                    snn.Leaky(beta=1.0, threshold=level, graded_spikes_factor=level, reset_mechanism="subtract")
                )
            elif isinstance(layer, _STATELESS):
                stages.append(layer)
            else:
                raise ValueError(f"{type(layer).__name__} has no spiking counterpart here")
        if not isinstance(stages[-1], _SYNAPSES):
            raise ValueError("the model must end with a conv2d or linear layer (the logits)")
        # The readout integrates without ever firing: its membrane is the sum of its currents.
        stages.append(snn.Leaky(beta=1.0, threshold=float("inf"), reset_mechanism="none"))
        self.stages = nn.ModuleList(stages)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (N, classes): the readout membrane after T steps of direct input current ``x``."""
        membranes: dict[int, torch.Tensor] = {}
        membrane = x
        for _ in range(self.timesteps):
            a = x
            for index, stage in enumerate(self.stages):
                if isinstance(stage, snn.Leaky):
                    previous = membranes.get(index)
                    a, membrane = stage(a, torch.zeros_like(a) if previous is None else previous)
                    membranes[index] = membrane
                else:
                    a = stage(a)
        return membrane
