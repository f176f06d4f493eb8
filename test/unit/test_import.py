"""PyTorch -> torch-mlir -> snn through the Python API: float equivalence and quantized accuracy."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

import e3ne
import e3ne.interpreters as interpreters
from e3ne import models
from e3ne import reference as ref
from e3ne.errors import E3neError
from e3ne.reference_ir import network_from_module


@pytest.fixture(scope="module")
def digits():
    model, example, _ = models.digits_example()
    x_train, _, x_test, y_test = models.digits_split()
    return model, example, x_train, x_test, y_test


def test_float_stage_matches_pytorch(digits):
    model, example, _, x_test, _ = digits
    module = e3ne.import_model(model, example, stage="snn-float")
    with torch.no_grad():
        want = model(torch.from_numpy(x_test)).numpy()
    np.testing.assert_allclose(interpreters.predict(module, x_test), want, rtol=1e-4, atol=1e-4)


def test_digits_quantized_accuracy_within_one_point_of_float(digits):
    """The issue's criterion: T = 4, the reference on the whole test split, within 1 point of float."""
    model, example, x_train, x_test, y_test = digits
    module = e3ne.import_model(model, example, x_train, timesteps=4, weight_bits=8)
    with torch.no_grad():
        float_accuracy = float((model(torch.from_numpy(x_test)).argmax(1).numpy() == y_test).mean())
    network = network_from_module(module)
    reference_accuracy = float((ref.predict(network, x_test) == y_test).mean())
    print(f"digits test accuracy: float {float_accuracy:.4f}, radix T=4 reference {reference_accuracy:.4f}")
    assert float_accuracy > 0.95
    assert reference_accuracy >= float_accuracy - 0.01
    # and the interpreter agrees with the reference on every test image, bit for bit
    np.testing.assert_array_equal(interpreters.predict(module, x_test), ref.run(network, x_test))


def test_stages_are_kept_as_text(digits):
    model, example, x_train, _, _ = digits
    _, texts = e3ne.import_model(model, example, x_train[:50], keep_stages=True)  # type: ignore[misc]
    assert list(texts) == ["torch", "snn-float", "snn-folded", "snn"]
    assert "torch.aten.convolution" in texts["torch"] and "dialect_resources" in texts["torch"]
    assert "snn.relu" in texts["snn-float"] and "snn.radix_neuron" in texts["snn"]


def test_unsupported_layer_names_the_module_and_the_torch_op():
    model = nn.Sequential(nn.Flatten(), nn.Linear(4, 3), nn.Sigmoid(), nn.Linear(3, 2))
    with pytest.raises(E3neError) as raised:
        e3ne.import_model(model, torch.rand(1, 4), stage="snn-float")
    assert str(raised.value) == "error: 2 (Sigmoid): not supported: torch.aten.sigmoid"


def test_batch_norm_is_folded_exactly():
    torch.manual_seed(0)
    norm = nn.BatchNorm2d(3)
    model = nn.Sequential(nn.Conv2d(1, 3, 3), norm, nn.ReLU(), nn.Flatten(), nn.Linear(12, 2)).eval()
    assert norm.running_mean is not None and norm.running_var is not None
    with torch.no_grad():
        norm.running_mean.uniform_(-1, 1)
        norm.running_var.uniform_(0.5, 2)
    x = torch.rand(5, 1, 4, 4)
    module = e3ne.import_model(model, x[:1], stage="snn-folded")
    assert "snn.batch_norm" not in str(module)
    with torch.no_grad():
        np.testing.assert_allclose(interpreters.predict(module, x.numpy()), model(x).numpy(), rtol=1e-5, atol=1e-5)
