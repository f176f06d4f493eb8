"""``tile``: where linear layers run (``linear=auto|unit|conv``), legal on random networks.

Random fused networks (the generator of test_fuse_layers: convs, convs whose one output position
sees the whole input, fused and left pools, chains of linear layers, the raw last layer) are tiled
with the layers the linear unit can run on the linear unit and on the conv units. Each tiled
network verifies, places every layer as the rule written out here says, computes exactly the
integers of the untiled network, and translates to an engine whose layer kinds, units and
parameters follow the placement.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from test_fuse_layers import Case, fusable_networks, fused
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp

import e3ne.interpreters as interpreters
from e3ne import reference as ref
from e3ne.dialects import e3ne_hw as hw
from e3ne.dialects import snn
from e3ne.engine import cycles, schema
from e3ne.engine.mapping import ConvShape, EngineSize, best_conv_map, choose_size
from e3ne.engine.schema import LayerKind
from e3ne.errors import E3neError, verify_module
from e3ne.ir import main_function
from e3ne.lowering.prepare_verilog import PrepareVerilogPass
from e3ne.lowering.snn_to_hw import ConvertSnnToHwPass
from e3ne.passes.tile import TilePass, layer_shape
from e3ne.reference_ir import module_from_network

Fused = snn.ConvLayerOp | snn.LinearLayerOp


def _layers(module: ModuleOp) -> list[Fused]:
    return [op for op in main_function(module).body.block.ops if isinstance(op, Fused)]


def _linear_kind(op: Fused) -> bool:
    """What the linear unit can run: a linear layer, or a conv with one output position over its whole
    unpadded input and no pooling."""
    if isinstance(op, snn.LinearLayerOp):
        return True
    kernel = tuple(op.weight.get_shape()[2:])
    return kernel == tuple(op.input.type.get_shape()[2:]) and op.padding_pair() == (0, 0) and op.pool() is None  # type: ignore[attr-defined]


def expected_placement(layers: Sequence[Fused], linear: str) -> list[bool] | None:
    """The rule, written out independently of the pass: which layers run on the conv units, or None
    when tile must refuse (a conv after the linear unit)."""
    placed: dict[Fused, bool] = {}
    for op in layers:
        if not _linear_kind(op):
            if not all(placed.values()):
                return None
            placed[op] = True
            continue
        source = op.input.owner
        shape = op.input.type.get_shape()  # type: ignore[attr-defined]
        small = len(shape) == 2 or max(shape[2:]) <= 15
        placed[op] = linear == "auto" and all(placed.values()) and placed.get(source, False) and small  # type: ignore[arg-type]
    return [placed[op] for op in layers]


def tiled(module: ModuleOp, **options: object) -> ModuleOp:
    copy = module.clone()
    TilePass(**options).apply(Context(), copy)  # type: ignore[arg-type]
    verify_module(copy)
    return copy


def _has_unfused_ops(module: ModuleOp) -> bool:
    kinds = (snn.MaxPool2dOp, snn.AvgPool2dOp)
    return any(isinstance(op, kinds) for op in main_function(module).body.block.ops)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fusable_networks())
def test_tile_places_linear_layers_by_the_rule_and_keeps_the_integers(case: Case) -> None:
    module = fused(module_from_network(case.network, case.input_shape, case.bits))
    want = ref.run(case.network, case.x)
    engines = {}
    for linear in ("unit", "auto"):
        placement = expected_placement(_layers(module), linear)
        if placement is None:
            event("conv after the linear unit: refused")
            with pytest.raises(E3neError, match="after a layer on the linear unit"):
                tiled(module, linear=linear)
            return
        out = tiled(module, linear=linear)
        on_conv = [isinstance(op.tiling, snn.ConvTilingAttr) for op in _layers(out)]
        assert on_conv == placement
        event(f"{linear}: {sum(on_conv)} of {len(on_conv)} layers on the conv units")
        # tiling records how layers run, not what they compute
        np.testing.assert_array_equal(interpreters.predict(out, case.x), want)
        if not _has_unfused_ops(out):
            engines[linear] = _engine(out, placement)
    if len(engines) == 2:
        # the same network, so the same logits port: the last layer is raw either way
        assert [x.field("raw") for x in engines["auto"].layers()] == [x.field("raw") for x in engines["unit"].layers()]


def _engine(module: ModuleOp, placement: list[bool]) -> hw.EngineOp:
    """convert-snn-to-hw and prepare-verilog: the engine's layers and units follow the placement."""
    ConvertSnnToHwPass().apply(Context(), module)
    PrepareVerilogPass().apply(Context(), module)
    verify_module(module)
    (engine,) = hw.engines(module)
    event("translated to an engine")
    assert [isinstance(x, hw.ConvLayerOp) for x in engine.layers()] == placement
    params = engine.core_params()
    assert params["HAS_LINEAR"] == int(not all(placement))
    assert (engine.unit(hw.LinearUnitOp) is None) == all(placement)
    if all(placement):
        assert params["LANES"] == 1 and params["LWDEPTH"] == 2 and "linear_weights" not in engine.memories()
    convs = [x.fields() for x in engine.layers() if isinstance(x, hw.ConvLayerOp)]
    assert params["KMAX"] == max((max(f["kh"], f["kw"]) for f in convs), default=1)
    for layer in engine.layers():
        f = layer.fields()
        if isinstance(layer, hw.ConvLayerOp) and f["h_out"] == f["w_out"] == 1:
            assert f["pool_mode"] == 0 or f["pool_size"] == 1
    return engine


def _net(input_shape: tuple[int, ...], layers: list[ref.Layer]) -> ModuleOp:
    network = ref.Network(ref.Encode(1 / 15, 4), layers)
    return fused(module_from_network(network, input_shape, 3))


def _conv(c_out: int, c_in: int) -> list[ref.Layer]:
    return [ref.Conv2d(np.ones((c_out, c_in, 1, 1), dtype=np.int64), None, (1, 1), (0, 0)), ref.RadixNeuron(1, 4)]


def test_auto_keeps_a_linear_layer_wider_than_a_kernel_on_the_linear_unit() -> None:
    """A 1x2x16 map is a 2x16 kernel, past the descriptor's 15: the linear unit takes it, and conv refuses."""
    module = _net((1, 1, 2, 16), [*_conv(1, 1), ref.Flatten(), ref.Linear(np.ones((3, 32), dtype=np.int64), None)])
    conv, linear = _layers(tiled(module))
    assert isinstance(conv.tiling, snn.ConvTilingAttr) and isinstance(linear.tiling, snn.LinearTilingAttr)
    with pytest.raises(E3neError, match=r"its input 1x2x16 is its kernel, and kernels are at most 15x15"):
        tiled(module, linear="conv")


def test_once_on_the_linear_unit_every_later_layer_stays_there() -> None:
    """A hidden layer on the linear unit (its input too wide) keeps the next one there, though it is 1 x 1."""
    hidden = [ref.Linear(np.ones((4, 32), dtype=np.int64), None), ref.RadixNeuron(3, 4)]
    layers = [*_conv(1, 1), ref.Flatten(), *hidden, ref.Linear(np.ones((2, 4), dtype=np.int64), None)]
    module = _net((1, 1, 2, 16), layers)
    placed = [isinstance(op.tiling, snn.ConvTilingAttr) for op in _layers(tiled(module))]
    assert placed == [True, False, False]
    with pytest.raises(E3neError, match=r"snn.linear_layer on the conv units \(its input 1x2x16 is its kernel"):
        tiled(module, linear="conv")


def test_linear_layer_shape_on_the_conv_units() -> None:
    """layer_shape of a linear layer on the conv units: a convolution whose kernel is its whole input."""
    layers = [*_conv(3, 1), ref.Flatten(), ref.Linear(np.ones((7, 3 * 5 * 4), dtype=np.int64), None)]
    _, linear = _layers(_net((1, 1, 5, 4), layers))
    assert layer_shape(linear, on_conv_units=True) == ConvShape(3, 5, 4, 7, 5, 4, 1, 1, 0, 0, 1, 1, 4, 1)
    unit = layer_shape(linear)
    assert (unit.c_in, unit.c_out, unit.t_in) == (60, 7, 4)


def _one_position_cycles(shape: ConvShape, size: EngineSize, slots: int) -> int:
    """The cycle model of docs/hardware.md 7 written out for one output position: per group N = t*c*h*w
    steps, the output stage walks the slots holding channels (CU + 1 biases, one lane, 1 + CU writes); the
    copy, done and the pool's lag after the last."""
    steps = shape.t_in * shape.c_in * shape.kh * shape.kw
    per_group = size.units * slots
    groups = -(-shape.c_out // per_group)
    visited = [min(slots, -(-(shape.c_out - g * per_group) // size.units)) for g in range(groups)]
    out = [s * (2 * size.units + 3) for s in visited]
    return steps + sum(max(steps, o + cycles.COPY) for o in out[:-1]) + cycles.COPY + 1 + cycles.POOL_LAG + out[-1]


@pytest.mark.parametrize(
    ("c", "h", "w", "f", "t"),
    [(16, 5, 5, 120, 4), (120, 1, 1, 84, 4), (84, 1, 1, 10, 4), (2, 15, 15, 3, 1), (1, 1, 1, 1, 8), (3, 2, 7, 37, 5)],
)
@pytest.mark.parametrize("size", [EngineSize(2, 20, 1), EngineSize(3, 10, 1), EngineSize(1, 1, 1), EngineSize(4, 7, 1)])
def test_cycle_model_of_linear_layers_on_the_conv_units(c: int, h: int, w: int, f: int, t: int, size: EngineSize):
    """Every slot count up to COLS is legal for one output position, and the mapping's cycles are the exact
    model's, which for one position is the closed form above (raw or stored alike)."""
    shape = ConvShape(c, h, w, f, h, w, 1, 1, 0, 0, 1, 1, t)
    m = best_conv_map(shape, size)
    assert 1 <= m.slots <= size.cols and m.slot_width == size.cols // m.slots and m.col_tiles == 1
    assert m.groups == -(-f // (size.units * m.slots))
    assert m.cycles == _one_position_cycles(shape, size, m.slots)
    assert m.cycles == min(_one_position_cycles(shape, size, s) for s in range(1, size.cols + 1))
    for raw in (0, 1):
        fields = {**shape.fields(), "slots": m.slots, "raw": raw}
        desc = schema.descriptor_fields(LayerKind.CONV, fields, size.params())
        assert cycles.expected_cycles(desc, size.params()) == m.cycles
        problem = schema.slots_problem(m.slots, 1, {**size.params(), "SLOTS": m.slots, "SLOT_SET": 1 << m.slots})
        assert problem is None


def test_lenet5_cycles_on_the_conv_units() -> None:
    """LeNet-5's one-position conv (16x5x5 -> 120) and two linear layers on 2 x 20 lanes: 20 slots of one
    lane, 3 groups each; the numbers of the closed form."""
    size = EngineSize(2, 20, 32)
    shapes = [ConvShape(16, 5, 5, 120, 5, 5, 1, 1, 0, 0, 1, 1, 4), ConvShape(120, 1, 1, 84, 1, 1, 1, 1, 0, 0, 1, 1, 4)]
    maps = [best_conv_map(s, size) for s in shapes]
    assert [(m.slots, m.groups) for m in maps] == [(20, 3), (20, 3)]
    # N = 1600 and 480 steps, far above the 20 x 7 + 4 output cycles: 3 N + 7 + the last group's output,
    # 20 slots x 7 for 120 channels, 2 slots x 7 for the 4 channels left of 84
    assert [m.cycles for m in maps] == [3 * 1600 + 7 + 140, 3 * 480 + 7 + 14]
    assert choose_size(shapes, units=2, cols=20).lanes == 16  # no layer on the linear unit: its default
