"""Signed hidden activations (docs/numerics.md 2.4): a conv2d/linear with no ReLU whose output
feeds another conv2d/linear (a linear bottleneck) writes signed codes, and every level computes
the same integers with them."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

import e3ne
import e3ne.interpreters as interpreters
from e3ne import models
from e3ne import reference as ref
from e3ne.dialects import e3ne_hw as hw
from e3ne.dialects import snn
from e3ne.errors import E3neError
from e3ne.ir import functions
from e3ne.passes.calibrate import Stats, calibrate_function, signed_output_frac
from e3ne.reference_ir import network_from_module


def _randomise_batch_norms(model: nn.Module, seed: int) -> nn.Module:
    generator = torch.Generator().manual_seed(seed)
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            n = module.num_features
            module.weight.data = torch.rand(n, generator=generator) + 0.5
            module.bias.data = torch.randn(n, generator=generator) * 0.3
            module.running_mean = torch.randn(n, generator=generator) * 0.2
            module.running_var = torch.rand(n, generator=generator) + 0.5
    return model.eval()


def bottleneck_net() -> nn.Module:
    """A conv with BN and no ReLU into a 1x1 conv (MobileNetV2's linear bottleneck), and a hidden
    linear layer without ReLU into the last one."""
    torch.manual_seed(5)
    model = nn.Sequential(
        nn.Conv2d(2, 6, 3, padding=1), nn.BatchNorm2d(6), nn.ReLU(),
        nn.Conv2d(6, 8, 1), nn.BatchNorm2d(8),  # linear bottleneck: signed codes
        nn.Conv2d(8, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(4 * 4 * 4, 12),  # no ReLU: signed codes into the last layer
        nn.Linear(12, 5),
    )  # fmt: skip
    return _randomise_batch_norms(model, 5)


def _inputs(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0, 1, size=(n, 2, 8, 8)).astype(np.float32)


def _neurons(design: e3ne.Design) -> list[snn.RadixNeuronOp]:
    return [op for op in design.snn.walk() if isinstance(op, snn.RadixNeuronOp)]


def test_float_interpreter_matches_torch():
    model, x = bottleneck_net(), _inputs(16)
    design = e3ne.compile(model, torch.from_numpy(x[:1]), x, stage="snn-folded")
    got = interpreters.predict(design.compilation.modules["snn-folded"], x)
    with torch.no_grad():
        np.testing.assert_allclose(got, model(torch.from_numpy(x)).numpy(), atol=1e-4)


def test_layers_without_relu_write_signed_codes():
    x = _inputs(32)
    design = e3ne.compile(bottleneck_net(), torch.from_numpy(x[:1]), x, stage="snn")
    assert [snn.is_signed_radix(op.output.type) for op in _neurons(design)] == [False, True, False, True]
    for op in _neurons(design):
        if snn.is_signed_radix(op.output.type):
            assert snn.code_range(op.output.type) == (-8, 7)
    network = network_from_module(design.snn)
    assert [layer.signed for layer in network.layers if isinstance(layer, ref.RadixNeuron)] == [0, 1, 0, 1]
    assert not network.encode.signed  # the input stays unsigned: only the hidden layers are signed
    assert isinstance(network.layers[-1], ref.Linear)  # the last layer still emits raw logits


def test_signed_codes_match_the_reference_and_reach_below_zero():
    x = _inputs(48, seed=1)
    design = e3ne.compile(bottleneck_net(), torch.from_numpy(x[:1]), x[:32], timesteps=5, weight_bits=8)
    network = network_from_module(design.snn)
    np.testing.assert_array_equal(design.predict(x), ref.run(network, x))
    _, values = interpreters.run(design.snn, x, record=lambda op: isinstance(op, snn.RadixNeuronOp))
    signed = [v for op, v in values.items() if snn.is_signed_radix(op.results[0].type)]
    assert len(signed) == 2
    for codes in signed:
        assert codes.min() < 0 < codes.max()
        assert codes.min() >= -16 and codes.max() <= 15


def test_signed_scale_rule_of_the_paper():
    """scale_rule e3ne: f_out = (T - 1) - ceil(log2 max(max, -min)) of the calibration outputs."""
    x = _inputs(32)
    calibrated = e3ne.compile(bottleneck_net(), torch.from_numpy(x[:1]), x, stage="snn-folded")
    module = calibrated.compilation.modules["snn-folded"].clone()
    (function,) = functions(module, "")
    calibrate_function(module, function, x.astype(np.float64), "test")
    stats = [Stats.of(op) for op in function.body.block.ops if isinstance(op, snn.Conv2dOp | snn.LinearOp)]
    assert [s is not None and s.min is not None for s in stats] == [False, True, False, True, False]
    design = e3ne.compile(bottleneck_net(), torch.from_numpy(x[:1]), x, stage="snn", scale_rule="e3ne")
    signed = [op for op in _neurons(design) if snn.is_signed_radix(op.output.type)]
    for op, s in zip(signed, [stats[1], stats[3]], strict=True):
        assert s is not None and s.min is not None and s.min < 0
        enc = snn.encoding_of(op.output.type)
        assert isinstance(enc, snn.RadixEncodingAttr)
        assert enc.frac.data == signed_output_frac(4, max(s.max, -s.min))


def test_descriptors_carry_in_signed_and_out_signed():
    x = _inputs(16)
    design = e3ne.compile(bottleneck_net(), torch.from_numpy(x[:1]), x, conv_units=2, cols=8)
    layers = [op for op in design.module.walk() if isinstance(op, hw.ConvLayerOp | hw.LinearLayerOp)]
    assert [(op.field("in_signed"), op.field("out_signed")) for op in layers] == [
        (0, 0), (0, 1), (1, 0), (0, 1), (1, 0)
    ]  # fmt: skip
    assert design.params()["HAS_SIGNED"] == 1


def _refused(model: nn.Module, match: str, **options: object) -> None:
    x = _inputs(8)
    with pytest.raises(E3neError, match=match):
        e3ne.compile(model.eval(), torch.from_numpy(x[:1]), x, stage="snn", **options)  # type: ignore[arg-type]


def test_pooling_of_signed_codes_is_refused():
    torch.manual_seed(0)
    _refused(
        nn.Sequential(nn.Conv2d(2, 4, 3), nn.MaxPool2d(2), nn.Conv2d(4, 3, 1), nn.Flatten(), nn.Linear(27, 2)),
        r"1 \(MaxPool2d\): not supported: snn.max_pool2d of signed codes",
    )
    _refused(
        nn.Sequential(nn.Conv2d(2, 4, 3), nn.AvgPool2d(2), nn.Conv2d(4, 3, 1), nn.Flatten(), nn.Linear(27, 2)),
        r"not supported: snn.avg_pool2d of signed codes",
    )


def test_rate_encoding_and_one_timestep_refuse_signed_hidden_codes():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Flatten(), nn.Linear(128, 6), nn.Linear(6, 3))
    _refused(
        net, r"1 \(Linear\): not supported: a hidden conv2d/linear without ReLU with rate encoding", encoding="rate"
    )
    _refused(net, r"1 \(Linear\): not supported: signed hidden codes of 1 timestep", timesteps=1)


def test_digits_with_a_linear_hidden_layer_keeps_its_accuracy():
    """Digits LeNet without the ReLU after its hidden linear layer: refused before signed hidden
    codes; now its quantized accuracy at T = 4, 8-bit stays within 2 points of float."""
    x_train, _, x_test, y_test = models.digits_split()
    model = models.train_digits_lenet(epochs=30, linear_hidden=True)
    design = e3ne.compile(model, torch.from_numpy(x_test[:1]), x_train[:200], timesteps=4, weight_bits=8,
                          stage="snn")  # fmt: skip
    assert [snn.is_signed_radix(op.output.type) for op in _neurons(design)] == [False, False, True]
    with torch.no_grad():
        floats = model(torch.from_numpy(x_test)).argmax(1).numpy()
    float_accuracy = float((floats == y_test).mean())
    quantized = float((design.classify(x_test) == y_test).mean())
    print(f"digits, linear hidden layer: float {float_accuracy:.4f}, T = 4 8-bit {quantized:.4f}")
    assert float_accuracy > 0.95
    assert quantized >= float_accuracy - 0.02, (float_accuracy, quantized)


def test_mobilenet_v2_linear_bottlenecks_quantize():
    """MobileNetV2's first blocks (features.0-2: the stem, a t = 1 block and a t = 6 block, each
    ending in a 1x1 projection without ReLU, the first feeding the second's expansion conv) up to a
    conv head with a ReLU: both projections write signed codes, reference == interpreter."""
    torch.manual_seed(7)
    mobilenet = _randomise_batch_norms(models.mobilenet_v2_cifar(), 7)
    assert isinstance(mobilenet, models.MobileNetV2)
    head = (nn.Conv2d(24, 4, 8, stride=8), nn.ReLU(), nn.Flatten(), nn.Linear(64, 10))
    model = nn.Sequential(*list(mobilenet.features)[:3], *head)
    x = np.random.default_rng(3).uniform(0, 1, size=(6, 3, 32, 32)).astype(np.float32)
    design = e3ne.compile(model.eval(), torch.from_numpy(x[:1]), x, stage="snn")
    signs = [snn.is_signed_radix(op.output.type) for op in _neurons(design)]
    assert signs.count(True) == 2, signs
    np.testing.assert_array_equal(design.predict(x), ref.run(network_from_module(design.snn), x))


def test_select_encoding_keeps_two_timesteps_for_signed_codes():
    """With any accuracy given up, select-encoding lowers T as far as it goes: 1 for unsigned codes,
    2 for signed ones (a sign plane and one more); report.html's T sweep starts at 2."""
    x = _inputs(24)
    design = e3ne.compile(bottleneck_net(), torch.from_numpy(x[:1]), x, stage="snn", timesteps=3, accuracy_budget=100.0)
    steps = {
        snn.is_signed_radix(op.output.type): snn.encoding_of(op.output.type).timesteps.data  # type: ignore[union-attr]
        for op in _neurons(design)
    }
    assert steps == {False: 1, True: 2}
    sweep = design.timestep_sweep(x, None, top=3)
    assert [row["timesteps"] for row in sweep["rows"]] == [2, 3]  # type: ignore[index, union-attr]
