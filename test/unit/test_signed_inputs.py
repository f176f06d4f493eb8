"""Signed network inputs (docs/numerics.md 2.2): inputs below 0 get signed radix codes instead of
being clamped to 0, and every level computes the same integers with them."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

import e3ne
from e3ne import models
from e3ne import reference as ref
from e3ne.dialects import snn
from e3ne.errors import E3neError
from e3ne.reference_ir import network_from_module


def _conv_net() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 4 * 4, 5)
    ).eval()  # fmt: skip


def _encode(design: e3ne.Design) -> ref.Encode:
    return network_from_module(design.snn).encode


def test_codes_and_their_bit_patterns():
    encode = ref.Encode(0.25, 4, signed=True)
    x = np.array([-3.0, -2.0, -0.13, 0.0, 0.12, 1.74, 1.76, 9.0])
    np.testing.assert_array_equal(encode.codes(x), [-8, -8, -1, 0, 0, 7, 7, 7])
    np.testing.assert_array_equal(encode.stored_codes(x), [8, 8, 15, 0, 0, 7, 7, 7])
    assert ref.code_limits(4, signed=True) == (-8, 7)
    assert ref.code_limits(4) == (0, 15)
    np.testing.assert_array_equal(ref.Encode(0.25, 4).codes(x), [0, 0, 0, 0, 0, 7, 7, 15])


@pytest.mark.parametrize(
    ("low", "signed"),
    [(0.0, False), (-0.5 / 15 + 1e-6, False), (-0.5 / 15 - 1e-6, True), (-1.0, True), (-3.0, True)],
)
def test_signed_codes_only_when_unsigned_ones_would_clip(low: float, signed: bool):
    """Unsigned codes clip nothing while the smallest input rounds to code 0 (x >= -Δ/2)."""
    calibration = np.full((4, 1, 8, 8), 0.5, dtype=np.float32)
    calibration[0, 0, 0, 0], calibration[1, 0, 0, 0] = 1.0, low
    design = e3ne.compile(_conv_net(), torch.from_numpy(calibration[:1]), calibration, stage="snn")
    encode = _encode(design)
    assert encode.signed is signed
    (op,) = [o for o in design.snn.walk() if isinstance(o, snn.EncodeOp)]
    assert snn.is_signed_radix(op.output.type) is signed
    reach = max(1.0, -low) if signed else 1.0
    assert encode.step == pytest.approx(reach / (7 if signed else 15))
    assert snn.code_range(op.output.type) == ((-8, 7) if signed else (0, 15))


def test_signed_inputs_match_the_reference_and_torch():
    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, size=(64, 1, 8, 8)).astype(np.float32)
    model = _conv_net()
    design = e3ne.compile(model, torch.from_numpy(x[:1]), x[:32], timesteps=6, weight_bits=8)
    network = network_from_module(design.snn)
    assert network.encode.signed
    np.testing.assert_array_equal(design.predict(x), ref.run(network, x))
    # 6 signed bits keep the float network's classes on most of these random inputs
    floats = model(torch.from_numpy(x)).argmax(1).numpy()
    assert (design.classify(x) == floats).mean() >= 0.8


def test_rate_encoding_refuses_signed_inputs():
    x = np.linspace(-1, 1, 64, dtype=np.float32).reshape(1, 1, 8, 8)
    with pytest.raises(E3neError, match=r"not supported: inputs down to -1 with rate encoding"):
        e3ne.compile(_conv_net(), torch.from_numpy(x), encoding="rate", stage="snn")


def test_one_timestep_cannot_hold_a_sign():
    x = np.linspace(-1, 1, 64, dtype=np.float32).reshape(1, 1, 8, 8)
    with pytest.raises(E3neError, match="signed input codes need at least 2 input timesteps"):
        e3ne.compile(_conv_net(), torch.from_numpy(x), timesteps=1, stage="snn")


def test_digits_on_inputs_normalised_to_plus_minus_one():
    """The issue's case: a digits CNN trained on [-1, 1] inputs keeps its float accuracy (within
    1 point) at T = 4, 8-bit, where clamping the negative half to 0 used to cost most of it."""
    x_train, _, x_test, y_test = models.digits_split()
    xs_train, xs_test = models.to_signed(x_train), models.to_signed(x_test)
    model = models.train_digits_lenet(epochs=30, signed=True)
    design = e3ne.compile(model, torch.from_numpy(xs_test[:1]), xs_train[:200], timesteps=4, weight_bits=8,
                          stage="snn")  # fmt: skip
    assert _encode(design).signed
    with torch.no_grad():
        floats = model(torch.from_numpy(xs_test)).argmax(1).numpy()
    float_accuracy = float((floats == y_test).mean())
    quantized = float((design.classify(xs_test) == y_test).mean())
    assert float_accuracy > 0.95
    assert quantized >= float_accuracy - 0.01, (float_accuracy, quantized)


def test_inputs_outside_the_calibrated_range_are_counted():
    """What the CLI warns about: values the input coding clamps to its end codes."""
    rng = np.random.default_rng(2)
    calibration = rng.uniform(0, 1, size=(16, 1, 8, 8)).astype(np.float32)
    calibration[0, 0, 0, 0] = 1.0
    design = e3ne.compile(_conv_net(), torch.from_numpy(calibration[:1]), calibration, stage="snn")
    assert design.input_clipping(calibration) == 0.0
    x = np.array([-0.5, -0.01, 0.0, 0.5, 1.0, 1.02, 1.2, 3.0], dtype=np.float32).reshape(1, 1, 2, 4)
    # -0.01 and 1.02 round to the end codes (0 and 15 with step 1/15); -0.5, 1.2, 3.0 are clamped
    assert design.input_clipping(x) == pytest.approx(3 / 8)
