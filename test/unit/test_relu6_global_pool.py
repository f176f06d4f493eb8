"""ReLU6 (hardtanh(0, M), clamp(x, 0, M)) as the neuron's clamps, and global average pooling
(``x.mean((2, 3))``, ``nn.AdaptiveAvgPool2d(1)``) as the pool unit's average: float equivalence with
PyTorch, the ReLU6 scale cap of docs/numerics.md 2.4, and reference == interpreter == RTL."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

import e3ne
import e3ne.interpreters as interpreters
from e3ne import reference as ref
from e3ne.dialects import snn
from e3ne.engine import cycles, schema
from e3ne.errors import E3neError
from e3ne.ir import functions
from e3ne.lowering.hw_to_verilog import find_engine
from e3ne.passes.calibrate import Stats, calibrate_function
from e3ne.passes.quantize import relu6_frac
from e3ne.reference_ir import network_from_module


class ClampOfRelu(nn.Module):
    """ReLU6 spelt ``clamp(relu(x), max=M)``."""

    def __init__(self, upper: float = 6.0) -> None:
        super().__init__()
        self.upper = upper

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.clamp(torch.relu(x), max=self.upper)


class ClampMaxOfRelu(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.clamp_max(torch.relu(x), 6.0)


class Clamp(nn.Module):
    """``clamp(x, 0, M)``, with integer bounds as torch-mlir prints them."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.clamp(0, 6)


class ClampMax(nn.Module):
    """``clamp_max`` of a value that may be negative: no ReLU6."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.clamp_max(x, 6.0)


class GlobalMean(nn.Module):
    """conv -> ReLU -> ``x.mean(dims)`` -> linear."""

    def __init__(self, dims: tuple[int, int], keepdim: bool, channels: int = 6) -> None:
        super().__init__()
        self.dims, self.keepdim = dims, keepdim
        self.conv, self.fc = nn.Conv2d(3, channels, 3, padding=1), nn.Linear(channels, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.relu(self.conv(x)).mean(self.dims, keepdim=self.keepdim).flatten(1))


def _relu6_net(act: nn.Module, gain: float = 20.0) -> nn.Sequential:
    """conv -> act -> max pool -> conv -> act -> flatten -> linear, the first conv scaled so its
    outputs go far above 6."""
    torch.manual_seed(3)
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), act, nn.MaxPool2d(2),
        nn.Conv2d(4, 6, 3, padding=1), act, nn.Flatten(), nn.Linear(6 * 4 * 4, 10),
    ).eval()  # fmt: skip
    conv = model[0]
    assert isinstance(conv, nn.Conv2d)
    with torch.no_grad():
        conv.weight.mul_(gain)
    return model


def _images(count: int, shape: tuple[int, ...] = (1, 8, 8), seed: int = 0) -> torch.Tensor:
    return torch.rand(count, *shape, generator=torch.Generator().manual_seed(seed))


ACTIVATIONS = {
    "ReLU6": nn.ReLU6,
    "Hardtanh(0, 4)": lambda: nn.Hardtanh(0.0, 4.0),
    "clamp(relu, max=6)": ClampOfRelu,
    "clamp_max(relu, 6)": ClampMaxOfRelu,
    "clamp(x, 0, 6)": Clamp,
}


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_relu6_float_stage_matches_pytorch(name: str):
    model = _relu6_net(ACTIVATIONS[name]())
    x = _images(32)
    module = e3ne.import_model(model, x[:1], stage="snn-float")
    relus = [op for op in module.walk() if isinstance(op, snn.ReluOp)]
    assert {op.upper() for op in relus} - {None} == {4.0 if "4" in name else 6.0}
    with torch.no_grad():
        want = model(x).numpy()
        assert float(model[1](model[0](x)).max()) == (4.0 if "4" in name else 6.0)  # the clamp bites
    np.testing.assert_allclose(interpreters.predict(module, x.numpy()), want, rtol=1e-4, atol=1e-4)


def test_relu6_frac_puts_the_top_code_at_most_m():
    assert relu6_frac(4, 6.0) == 2  # 15/4 = 3.75 <= 6 < 15/2
    assert relu6_frac(4, 7.5) == 1  # 15/2 = 7.5: exactly M
    assert relu6_frac(4, 15.0) == 0 and relu6_frac(4, 16.0) == 0
    assert relu6_frac(4, 0.5) == 5  # 15/32 <= 0.5 < 15/16
    assert relu6_frac(8, 6.0) == 6  # 255/64 = 3.98
    for steps in (1, 4, 8):
        for upper in (0.3, 1.0, 6.0, 100.0):
            frac = relu6_frac(steps, upper)
            top = (1 << steps) - 1
            assert top * 2.0**-frac <= upper < top * 2.0 ** -(frac - 1)


def test_relu6_codes_are_the_quantized_clamp_of_the_potentials():
    """The neuron of a ReLU6 layer computes ``clamp(round(min(max(y, 0), M) 2^f), 0, 2^T - 1)`` of its
    own potential y, exactly: the scale cap makes the top code's clamp the clamp at M."""
    model = _relu6_net(nn.ReLU6())
    x = _images(64)
    folded = e3ne.import_model(model, x[:1], stage="snn-folded")
    (function,) = functions(folded, "")
    calibrate_function(folded, function, x.numpy().astype(np.float64), "test")
    first = next(op for op in function.body.block.ops if isinstance(op, snn.Conv2dOp))
    stats = Stats.of(first)
    assert stats is not None and stats.max > 6  # so the cap must raise the scale
    assert stats.mse_frac[3] < relu6_frac(4, 6.0)

    module = e3ne.import_model(model, x[:1], x.numpy(), timesteps=4, weight_bits=8)
    neurons = [op for op in module.walk() if isinstance(op, snn.RadixNeuronOp)]
    keep = lambda op: isinstance(op, snn.RadixNeuronOp)  # noqa: E731
    _, values = interpreters.run(module, x.numpy(), record=keep)
    assert len(neurons) == 2
    _, potentials = interpreters.run(module, x.numpy(), record=lambda op: op is neurons[0].input.owner)
    (v,) = potentials.values()
    in_enc, out_enc = (snn.encoding_of(t) for t in (neurons[0].input.type, neurons[0].output.type))
    assert isinstance(in_enc, snn.FixedPointAttr) and isinstance(out_enc, snn.RadixEncodingAttr)
    f_out = out_enc.frac.data
    assert f_out == relu6_frac(4, 6.0) == 2
    y = v * 2.0**-in_enc.frac.data
    want = np.clip(np.floor(np.minimum(np.maximum(y, 0), 6.0) * 2.0**f_out + 0.5), 0, 15)
    np.testing.assert_array_equal(values[neurons[0]], want)
    assert (values[neurons[0]] == 15).any()  # some potentials are clamped at M


def test_relu6_is_refused_with_rate_encoding():
    model = _relu6_net(nn.ReLU6())
    x = _images(8)
    with pytest.raises(E3neError) as raised:
        e3ne.import_model(model, x[:1], x.numpy(), encoding="rate")
    assert str(raised.value) == "error: 1 (ReLU6): not supported: ReLU6 (a clamp at 6) with rate encoding"


@pytest.mark.parametrize(
    ("act", "message"),
    [
        (nn.Hardtanh(-1.0, 1.0), "error: 1 (Hardtanh): not supported: hardtanh with min_val -1 (only hardtanh(0, M), i.e. ReLU6)"),
        (ClampMax(), "error: 1 (ClampMax): not supported: clamp to max 6 of a value that is not a ReLU's output (only ReLU6)"),
        (ClampOfRelu(-1.0), "error: 1 (ClampOfRelu): not supported: clamp with max -1 (only clamp(x, 0, M) with M > 0, i.e. ReLU6)"),
    ],
)  # fmt: skip
def test_other_clamps_are_one_line_errors(act: nn.Module, message: str):
    model = _relu6_net(act)
    with pytest.raises(E3neError) as raised:
        e3ne.import_model(model, _images(1), stage="snn-float")
    assert str(raised.value) == message


def _check_hardware(design: e3ne.Design, x: np.ndarray) -> None:
    """RTL == interpreter on ``x`` (Verilator), interpreter == the integer reference, cycles == the model."""
    np.testing.assert_array_equal(design.predict(x), ref.run(network_from_module(design.snn), x))
    report = design.simulate(x)
    assert report.images == len(x) and report.mismatches == 0, report.divergence
    assert set(report.cycles.tolist()) == {
        cycles.program_cycles(find_engine(design.module).descriptors(), design.params())
    }


def test_relu6_cosimulates(tmp_path: Path):
    model = _relu6_net(nn.ReLU6())
    x = _images(64)
    design = e3ne.compile(model, x[:1], x.numpy(), timesteps=4, weight_bits=8)
    design.write(tmp_path / "relu6")
    codes = interpreters.run(design.snn, x.numpy(), record=lambda op: isinstance(op, snn.RadixNeuronOp))[1]
    assert any((c == 15).any() for c in codes.values())  # the clamp at M is exercised
    _check_hardware(design, x[:16].numpy())


@pytest.mark.parametrize(("dims", "keepdim"), [((2, 3), True), ((2, 3), False), ((-2, -1), False), ((-1, -2), True)])
def test_global_mean_float_stage_matches_pytorch(dims: tuple[int, int], keepdim: bool):
    torch.manual_seed(0)
    model = GlobalMean(dims, keepdim).eval()
    x = _images(16, (3, 8, 8))
    module = e3ne.import_model(model, x[:1], stage="snn-float")
    pools = [op for op in module.walk() if isinstance(op, snn.AvgPool2dOp)]
    assert [p.kernel_pair() for p in pools] == [(8, 8)]
    with torch.no_grad():
        want = model(x).numpy()
    np.testing.assert_allclose(interpreters.predict(module, x.numpy()), want, rtol=1e-4, atol=1e-4)


def test_adaptive_average_pool_to_one_is_global_pooling():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                          nn.Linear(4, 10)).eval()  # fmt: skip
    x = _images(16, (3, 4, 4))
    module = e3ne.import_model(model, x[:1], stage="snn-float")
    assert [p.kernel_pair() for p in module.walk() if isinstance(p, snn.AvgPool2dOp)] == [(4, 4)]
    with torch.no_grad():
        np.testing.assert_allclose(interpreters.predict(module, x.numpy()), model(x).numpy(), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize(
    ("shape", "dims", "message"),
    [
        ((3, 6, 6), (2, 3), "global average pooling over 6x6 (the window must hold 2^m codes)"),
        ((3, 4, 8), (2, 3), "global average pooling over 4x8 (the pool unit needs a square window)"),
        ((3, 8, 8), (1, 3), "mean over dims [1, 3] of a rank-4 tensor (only global average pooling: dims (2, 3) of NCHW)"),
    ],
)  # fmt: skip
def test_other_means_are_one_line_errors(shape: tuple[int, ...], dims: tuple[int, int], message: str):
    class Mean(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(3, 4, 3, padding=1)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return torch.relu(self.conv(x)).mean(dims).flatten(1)

    with pytest.raises(E3neError) as raised:
        e3ne.import_model(Mean().eval(), _images(1, shape), stage="snn-float")
    assert str(raised.value) == f"error: Mean.forward: not supported: {message}"


def test_global_average_pool_8x8_cosimulates(tmp_path: Path):
    """conv -> ReLU -> global average pooling over 8x8 (the pool unit, P = 8) -> flatten -> linear."""
    torch.manual_seed(1)
    model = GlobalMean((2, 3), False, channels=8).eval()
    x = _images(64, (3, 8, 8))
    design = e3ne.compile(model, x[:1], x.numpy(), timesteps=4, weight_bits=8)
    design.write(tmp_path / "gap")
    conv = find_engine(design.module).descriptors()[0]
    assert (conv["pool_mode"], conv["pool_size"], conv["h_store"]) == (int(schema.PoolMode.AVG), 8, 1)
    assert design.params()["PKMAX"] == 8
    _check_hardware(design, x[:16].numpy())


def find_layers(design: e3ne.Design) -> list[object]:
    from e3ne.lowering.hw_to_verilog import find_engine

    return list(find_engine(design.module).layers())


def test_a_one_by_one_pool_is_dropped():
    """AdaptiveAvgPool2d to the input's own size (AlexNet's (6, 6) on a 6x6 map) exports as a 1x1
    average pool: the identity, so nothing is left to run in hardware."""
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3), nn.ReLU(), nn.AdaptiveAvgPool2d((6, 6)), nn.AvgPool2d(1), nn.Flatten(),
        nn.Linear(4 * 6 * 6, 3),
    ).eval()  # fmt: skip
    x = torch.rand(4, 1, 8, 8, generator=torch.Generator().manual_seed(0))
    design = e3ne.compile(model, x[:1], x.numpy(), timesteps=4, weight_bits=8)
    assert "avg_pool2d" not in design.mlir("snn")
    assert len(find_layers(design)) == 2  # the conv and the linear layer, no pool
