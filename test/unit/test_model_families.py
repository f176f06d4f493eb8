"""The model families of docs/models.md: ``e3ne.compile`` either builds each one or stops with one
line naming the PyTorch module and the first feature e3ne lacks (docs/models.md); today all six build."""

from __future__ import annotations

import os

import numpy as np
import pytest
import torch
from torch import nn

import e3ne
from e3ne import models


def _shapes(model: nn.Module, x: torch.Tensor) -> tuple[int, ...]:
    with torch.no_grad():
        return tuple(model(x).shape)


@pytest.mark.parametrize("name", list(models.MODEL_FAMILIES))
def test_family_runs_in_pytorch(name: str):
    """Every family is a working PyTorch model on its own input size (seeded: the same weights twice)."""
    model, x, calibration = models.MODEL_FAMILIES[name]()
    classes = 1000 if name == "alexnet-original" else 10
    assert _shapes(model, x) == (1, classes)
    assert calibration.shape[1:] == tuple(x.shape[1:])
    again, _, _ = models.MODEL_FAMILIES[name]()
    first = next(iter(model.state_dict().values()))
    assert torch.equal(first, next(iter(again.state_dict().values())))


def test_mobilenetv2_compiles_to_hardware():
    """MobileNetV2: its ten residual adds fold into the block's projection, each over a signed group
    (the block's ReLU6 codes of T - 1 bits beside the previous block's linear bottleneck), and its
    depthwise layers run in the grouped mode; the interpreter equals the integer reference."""
    from e3ne import reference as ref
    from e3ne.dialects import snn
    from e3ne.reference_ir import network_from_module

    model, x, calibration = models.MODEL_FAMILIES["mobilenetv2"]()
    design = e3ne.compile(model, x, calibration[:2], timesteps=4, weight_bits=8)
    concats = [op for op in design.snn.walk() if isinstance(op, snn.ConcatOp)]
    assert len(concats) == 10 and all(snn.is_signed_radix(op.output.type) for op in concats)
    assert "snn.add" not in design.mlir("snn")
    np.testing.assert_array_equal(design.predict(x.numpy()), ref.run(network_from_module(design.snn), x.numpy()))
    assert design.cycles_per_image() == 12_736_568  # co-simulated by benchmarks/families.py (2 images)


def test_resnet20_compiles_to_hardware():
    """ResNet-20 (option-B shortcuts) compiles whole: every residual add folded into the block's second
    convolution (19 convolutions, 2 subsampling convolutions for the projections, the linear layer)."""
    from e3ne.lowering.hw_to_verilog import find_engine

    model, x, calibration = models.MODEL_FAMILIES["resnet20"]()
    design = e3ne.compile(model, x, calibration[:2], timesteps=4, weight_bits=8)
    names = [layer.layer_name.data for layer in find_engine(design.module).layers()]
    assert len(names) == 19 + 2 + 1
    assert [n for n in names if n.endswith("subsample")] == ["layer2.0.downsample.0.subsample",
                                                             "layer3.0.downsample.0.subsample"]  # fmt: skip
    assert "snn.add" not in design.mlir("snn")
    assert design.cycles_per_image() > 0


@pytest.mark.skipif(
    os.environ.get("E3NE_BIG_MODELS") != "1", reason="11M weights: ~70 s to compile (E3NE_BIG_MODELS=1 runs it)"
)
def test_resnet18_compiles_to_hardware():
    """Measured: 49,703,208 cycles per image at T = 4 (its three subsampling layers in the grouped mode)."""
    model, x, calibration = models.MODEL_FAMILIES["resnet18"]()
    design = e3ne.compile(model, x, calibration[:2], timesteps=4, weight_bits=8)
    assert design.cycles_per_image() == 49_703_208


def test_squeezenet_compiles_to_hardware():
    """SqueezeNet 1.0: its Fire concatenations, ceil-mode pools (moved into each part), and the
    classifier's 1x1 conv on the 1x1 map with the ReLU on its logits (a raw layer with raw = 3)."""
    from e3ne.lowering.hw_to_verilog import find_engine

    model, x, calibration = models.MODEL_FAMILIES["squeezenet1_0"]()
    design = e3ne.compile(model, x, calibration[:2], timesteps=4, weight_bits=8)
    layers = find_engine(design.module).layers()
    assert len(layers) == 1 + 8 * 3 + 1
    assert layers[-1].field("raw") == 3
    assert design.predict(calibration[:2]).min() >= 0


def test_vgg11_bn_cifar_compiles_to_hardware():
    """VGG-11-BN with the CIFAR head compiles whole: 8 conv layers (their 5 max pools in the pool unit)
    and the linear layer (no RTL run: it is big; the linear runs on the conv units)."""
    from e3ne.engine import schema
    from e3ne.lowering.hw_to_verilog import find_engine

    model, x, calibration = models.MODEL_FAMILIES["vgg11-bn-cifar"]()
    design = e3ne.compile(model, x, calibration[:2], timesteps=4, weight_bits=8)
    descriptors = find_engine(design.module).descriptors()
    assert len(descriptors) == 9
    assert [d["pool_mode"] for d in descriptors[:8]] == [int(schema.PoolMode.MAX if p == 2 else schema.PoolMode.NONE)
                                                         for p in (2, 2, 1, 2, 1, 2, 1, 2)]  # fmt: skip
    assert [d["pool_size"] for d in descriptors[:8]] == [2, 2, 1, 2, 1, 2, 1, 2]
    assert design.cycles_per_image() > 0


@pytest.mark.skipif(
    os.environ.get("E3NE_BIG_MODELS") != "1", reason="61M weights: ~75 s and ~4.7 GB (E3NE_BIG_MODELS=1 runs it)"
)
def test_alexnet_original_compiles_to_hardware():
    """Its 3x3/2 overlapping max pools run in the pool unit; AdaptiveAvgPool2d((6, 6)) on the 6x6 map
    is the identity. Measured: 17,404,303 cycles per image at T = 4 (about 75 s to compile)."""
    model, x, calibration = models.MODEL_FAMILIES["alexnet-original"]()
    design = e3ne.compile(model, x, calibration[:1], timesteps=4, weight_bits=8)
    assert design.cycles_per_image() > 0
