"""quantize: scales from calibration, integer IR that the reference agrees with."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import e3ne.interpreters as interpreters
from e3ne import reference as ref
from e3ne.errors import E3neError, verify_module
from e3ne.ir import parse_file
from e3ne.passes.calibrate import output_frac
from e3ne.passes.fold_batchnorm import FoldBatchNormPass
from e3ne.passes.quantize import QuantizePass, quantize_module, weight_frac
from e3ne.reference_ir import network_from_module

TINY = Path(__file__).parents[2] / "examples" / "tiny_float.mlir"


def tiny(encoding: str = "radix", timesteps: int = 4):
    module = parse_file(TINY)
    FoldBatchNormPass().apply(None, module)  # type: ignore[arg-type]
    calibration = np.random.default_rng(0).random((32, 1, 8, 8))
    quantize_module(module, calibration, QuantizePass(timesteps=timesteps, weight_bits=3, encoding=encoding))
    verify_module(module)
    return module


def test_e3ne_weight_scale_rule():
    # limit = |mean| + 3 std = 0.25 + 3 * 0.25 = 1.0 -> s_w = 3 - 0 - 1 = 2
    weights = np.array([0.0, 0.5, 0.0, 0.5])
    assert weight_frac(weights, 3) == 2
    assert weight_frac(weights * 4, 3) == 0
    assert output_frac(4, 3.9) == 2 and output_frac(4, 4.0) == 2 and output_frac(4, 4.01) == 1
    assert output_frac(4, -1.0) == 4


@pytest.mark.parametrize("encoding", ["radix", "rate"])
def test_quantized_tiny_network_matches_reference(encoding: str):
    module = tiny(encoding, timesteps=4 if encoding == "radix" else 16)
    x = np.random.default_rng(1).random((16, 1, 8, 8))
    np.testing.assert_array_equal(interpreters.predict(module, x), ref.run(network_from_module(module), x))


def test_radix_input_coding_folds_gain_into_first_layer():
    module = tiny()
    network = network_from_module(module)
    assert network.encode.code_bits == 4
    assert network.encode.step == pytest.approx(1 / 15, rel=1e-3)  # x_max of uniform samples is just below 1


def test_options_are_checked():
    module = parse_file(TINY)
    FoldBatchNormPass().apply(None, module)  # type: ignore[arg-type]
    with pytest.raises(E3neError, match=r"timesteps must be in \[1, 16\], got 17"):
        quantize_module(module, np.ones((1, 1, 8, 8)), QuantizePass(timesteps=17))
    with pytest.raises(E3neError, match=r"calibration data for @main must have shape \(N, 1, 8, 8\)"):
        quantize_module(module, np.ones((4, 8, 8)), QuantizePass())


def test_batch_norm_must_be_folded_first():
    module = parse_file(TINY)
    with pytest.raises(E3neError, match="run fold-batchnorm before quantize"):
        quantize_module(module, np.ones((1, 1, 8, 8)), QuantizePass())
