"""Grouped and depthwise convolutions: imported as dense ones with zero weights across groups (so the
snn levels, the interpreter and the reference are unchanged), run by the conv engine's grouped mode,
each output-channel group's channel loop over its input band only (docs/hardware.md 3)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from cosim_check import check_cosimulation
from torch import nn
from xdsl.dialects.builtin import IntegerAttr, i64
from xdsl.utils.exceptions import VerifyException

import e3ne
import e3ne.interpreters as interpreters
from e3ne.dialects import e3ne_hw as hw
from e3ne.dialects.dense import from_numpy
from e3ne.engine import cycles, images, schema
from e3ne.engine.mapping import ConvShape, feature_groups
from e3ne.lowering.hw_to_verilog import find_engine
from e3ne.lowering.torch_to_snn.layers import dense_grouped_weight
from e3ne.report import layer_rows


def test_dense_weight_is_block_diagonal():
    weight = np.arange(4 * 2 * 1 * 1, dtype=np.float32).reshape(4, 2, 1, 1) + 1
    dense = dense_grouped_weight(weight, 2)[:, :, 0, 0]
    np.testing.assert_array_equal(
        dense, [[1, 2, 0, 0], [3, 4, 0, 0], [0, 0, 5, 6], [0, 0, 7, 8]]
    )  # fmt: skip
    depthwise = dense_grouped_weight(np.ones((3, 1, 3, 3), dtype=np.float32), 3)
    assert depthwise.shape == (3, 3, 3, 3)
    assert [int(np.count_nonzero(depthwise[o])) for o in range(3)] == [9, 9, 9]
    assert all(depthwise[o, o].all() for o in range(3))
    with pytest.raises(ValueError, match="do not split"):
        dense_grouped_weight(np.ones((3, 1, 1, 1), dtype=np.float32), 2)


def test_feature_groups_are_read_from_the_weights():
    """The most groups the zeros allow: a dense weight is 1 group, a stray weight across groups too."""
    rng = np.random.default_rng(0)
    depthwise = dense_grouped_weight(rng.integers(1, 5, (12, 1, 3, 3)), 12)
    assert feature_groups(depthwise) == 12
    grouped = dense_grouped_weight(rng.integers(1, 5, (8, 3, 1, 1)), 2)  # 6 -> 8 channels in 2 groups
    assert feature_groups(grouped) == 2
    assert feature_groups(rng.integers(1, 5, (8, 6, 1, 1))) == 1
    grouped[7, 0, 0, 0] = 1  # output channel 7 (group 1) reads input 0 (group 0)
    assert feature_groups(grouped) == 1


@pytest.mark.parametrize(
    ("c_in", "c_out", "groups", "per_group", "band"),
    [
        (6, 6, 6, 2, (2, 2)),  # depthwise, CU*S output channels = whole feature groups
        (960, 960, 960, 4, (4, 4)),  # MobileNetV2's widest depthwise layer
        (6, 6, 6, 4, (4, 2)),  # 6 channels in groups of 4: the last band steps back to stay inside c_in
        (6, 4, 2, 2, (3, 3)),  # grouped: 2 output channels per feature group of 3 inputs
        (12, 6, 3, 4, (8, 4)),  # two feature groups (of 4 inputs) per engine group, the last band steps back
        (32, 32, 2, 4, (32, 0)),  # a feature group over several engine groups with no constant step: dense
        (6, 4, 2, 4, (6, 0)),  # one engine group holds every feature group: dense
        (8, 8, 1, 2, (8, 0)),  # a dense convolution
        (7, 6, 3, 2, (7, 0)),  # 3 does not divide 7: dense
    ],
)
def test_band_of_the_grouped_mode(c_in: int, c_out: int, groups: int, per_group: int, band: tuple[int, int]):
    """The narrowest band with a constant step; every engine group's channels read only inside it."""
    assert schema.conv_band(c_in, c_out, groups, per_group) == band
    span, step = band
    ci, co = c_in // groups, c_out // groups
    for g in range(-(-c_out // per_group)):
        assert g * step >= 0 and g * step + span <= c_in
        for o in range(g * per_group, min((g + 1) * per_group, c_out)):
            assert g * step <= o // co * ci and (o // co + 1) * ci <= g * step + span


def test_weights_outside_the_band_are_an_error():
    """The ROM holds each group's band only: a nonzero weight outside it cannot be dropped silently."""
    w = dense_grouped_weight(np.ones((6, 1, 3, 3), dtype=np.int64), 6)
    assert len(images.conv_weight_words(w, 2, 4, feature_groups=6)) == 3 * 2 * 9  # 3 groups, bands of 2
    assert len(images.conv_weight_words(w, 2, 4)) == 3 * 6 * 9  # dense
    assert images.conv_weight_depth(6, 6, 3, 3, 2, 1, 6) == 3 * 2 * 9
    w[5, 0, 1, 1] = 1
    with pytest.raises(ValueError, match=r"output channel 5 has nonzero weights outside its input band 4 \.\. 5"):
        images.conv_weight_words(w, 2, 4, feature_groups=6)


def grouped_net() -> nn.Module:
    torch.manual_seed(4)
    return nn.Sequential(
        nn.Conv2d(2, 6, 3, padding=1), nn.ReLU(),
        nn.Conv2d(6, 6, 3, padding=1, groups=6), nn.ReLU(),  # depthwise
        nn.Conv2d(6, 4, 3, padding=1, groups=2), nn.ReLU(),  # grouped
        nn.Flatten(), nn.Linear(4 * 8 * 8, 10),
    ).eval()  # fmt: skip


def separable_net() -> nn.Module:
    """A depthwise-separable block as MobileNet's (depthwise 3x3 of stride 2, pointwise 1x1), with a
    channel count (10) that no output-channel group of 4 divides."""
    torch.manual_seed(7)
    return nn.Sequential(
        nn.Conv2d(3, 10, 3, padding=1), nn.ReLU(),
        nn.Conv2d(10, 10, 3, stride=2, padding=1, groups=10), nn.ReLU(),  # depthwise
        nn.Conv2d(10, 12, 1), nn.ReLU(),  # pointwise
        nn.Flatten(), nn.Linear(12 * 5 * 5, 10),
    ).eval()  # fmt: skip


def dense_numbers(design: e3ne.Design) -> tuple[int, int]:
    """(cycles per image, conv weight ROM words) of the same program run in dense mode (as before the
    grouped mode): every band the whole input."""
    engine = find_engine(design.module)
    params = design.params()
    descs = [dict(d, c_span=0, band_step=0) for d in engine.descriptors(params)]
    words = sum(
        images.conv_weight_depth(d["c_out"], d["c_in"], d["kh"], d["kw"], params["CU"], d["slots"])
        for d in descs
        if d["kind"] == schema.LayerKind.CONV
    )
    return cycles.program_cycles(descs, params), words


def test_grouped_convolutions_match_torch_in_float():
    model = grouped_net()
    x = torch.rand(16, 2, 8, 8)
    design = e3ne.compile(model, x[:1], x.numpy(), stage="snn-folded")
    got = interpreters.predict(design.compilation.modules["snn-folded"], x.numpy())
    with torch.no_grad():
        np.testing.assert_allclose(got, model(x).numpy(), atol=1e-5)


@pytest.mark.parametrize(
    ("net", "shape", "conv_units", "bands"),
    [
        (grouped_net, (2, 8, 8), 2, [(0, 0), (2, 2 * 8), (3, 3 * 8)]),
        # 10 channels in engine groups of 4: bands of 6 from channels 0, 2 and 4 (inside c_in)
        (separable_net, (3, 10, 10), 4, [(0, 0), (6, 2 * 10), (0, 0)]),
    ],
)
def test_grouped_convolutions_cosimulate(net, shape, conv_units: int, bands, tmp_path: Path) -> None:
    """Bit-exact in the grouped mode, in the model's cycles, with fewer cycles and ROM words than dense."""
    x = torch.rand(12, *shape)
    design = e3ne.compile(net(), x[:1], x.numpy(), timesteps=4, weight_bits=6, conv_units=conv_units)
    engine = find_engine(design.module)
    convs = [d for d in engine.descriptors() if d["kind"] == schema.LayerKind.CONV and d["h_out"] > 1]
    assert [(d["c_span"], d["band_step"]) for d in convs] == bands
    check_cosimulation(design, x.numpy(), tmp_path, 3)
    dense_cycles, dense_words = dense_numbers(design)
    assert design.cycles_per_image() < dense_cycles
    assert design.params()["CWDEPTH"] < dense_words
    # the report counts a grouped layer's real synaptic operations: its ideal bound stays below its cycles
    rows = layer_rows(design)
    depthwise = engine.descriptors()[1]  # one input channel per output channel
    assert rows[1]["synaptic_ops"] == np.prod([depthwise[k] for k in ("c_out", "h_out", "w_out", "kh", "kw")])
    assert all(0 < float(r["utilization"]) <= 1 for r in rows)  # type: ignore[arg-type]


def test_layer_op_checks_its_feature_groups() -> None:
    x = torch.rand(4, 2, 8, 8)
    design = e3ne.compile(grouped_net(), x[:1], x.numpy(), timesteps=2, weight_bits=4)
    depthwise = find_engine(design.module).layers()[1]
    assert isinstance(depthwise, hw.ConvLayerOp) and depthwise.field("feature_groups") == 6
    depthwise.properties["feature_groups"] = IntegerAttr(4, i64)
    with pytest.raises(VerifyException, match="feature_groups 4 must divide c_in 6 and c_out 6"):
        depthwise.verify()
    depthwise.properties["feature_groups"] = IntegerAttr(6, i64)
    weight = depthwise.weights()
    weight[1, 0, 0, 0] = 1
    depthwise.properties["weight"] = from_numpy(weight)
    with pytest.raises(VerifyException, match="output channel 1 has a nonzero weight on input channel 0, outside"):
        depthwise.verify()


def test_grouped_layers_do_not_size_the_engine() -> None:
    """A grouped layer's few steps per row leave the output stage the bound at any engine size, so
    tile's worst-layer rank (ConvShape.fills) leaves it out; it counts in the total, at its real work."""
    dense = ConvShape(16, 32, 32, 16, 1, 1, 2, 2, 0, 0, 16, 16, 4)
    subsample = ConvShape(16, 32, 32, 16, 1, 1, 2, 2, 0, 0, 16, 16, 4, feature_groups=16)
    assert dense.fills(64) and not subsample.fills(64)
    assert subsample.ideal_ops * 16 == dense.ideal_ops
