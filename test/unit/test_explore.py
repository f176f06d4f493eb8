"""``explore``: engine configurations under a budget, chosen with the cost model and the exact cycles.

The core parameters explore predicts for a configuration (without translating the network) are
the ones ``convert-snn-to-hw`` derives once the network is tiled that way (random networks); the
choice fits its budget and is the best legal one for its objective; the front is the Pareto
front; budgets and devices that cannot work are one-line errors; the decision is in the IR.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuse_layers import Case, fusable_networks, fused
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp

from e3ne import reference as ref
from e3ne.dialects import snn
from e3ne.engine import cost
from e3ne.engine.mapping import EngineSize
from e3ne.errors import E3neError
from e3ne.ir import main_function, parse_module, print_module
from e3ne.passes.explore import (
    EXPLORE_ATTR,
    ExplorePass,
    base_params,
    candidate_params,
    candidates,
    devices,
    explore_function,
    limits_for,
    pareto_front,
    parse_budget,
    read_exploration,
    tiled_params,
)
from e3ne.passes.tile import fused_layers, layer_shape, place_layers, tile_function
from e3ne.reference_ir import module_from_network


def _lenet_like() -> ModuleOp:
    """A small fused network: conv + max pool, conv, two linear layers."""
    rng = np.random.default_rng(1)

    def weights(*shape: int) -> np.ndarray:
        return rng.integers(-4, 4, size=shape)

    layers: list[ref.Layer] = [
        ref.Conv2d(weights(4, 1, 3, 3), None, (1, 1), (1, 1)),
        ref.RadixNeuron(3, 4),
        ref.MaxPool2d((2, 2), (2, 2), (0, 0)),
        ref.Conv2d(weights(6, 4, 3, 3), None, (1, 1), (0, 0)),
        ref.RadixNeuron(4, 4),
        ref.Flatten(),
        ref.Linear(weights(10, 6 * 4 * 4), None),
        ref.RadixNeuron(5, 4),
        ref.Linear(weights(5, 10), None),
    ]
    return fused(module_from_network(ref.Network(ref.Encode(1 / 15, 4), layers), (1, 1, 12, 12), 3))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fusable_networks(), st.integers(1, 4), st.integers(1, 20), st.sampled_from([2, 5, 16]), st.booleans())
def test_candidate_params_are_the_engines(case: Case, units: int, cols: int, lanes: int, unit: bool) -> None:
    """What explore predicts for a size is what convert-snn-to-hw derives once tiled with it."""
    module = fused(module_from_network(case.network, case.input_shape, case.bits))
    function = main_function(module)
    if any(isinstance(op, snn.Conv2dOp | snn.LinearOp) for op in function.body.block.ops):
        return  # an unfused synapse: no engine runs it
    linear = "unit" if unit else "auto"
    try:
        layers = fused_layers(function)
        on_conv = place_layers(layers, linear)
    except E3neError:
        return  # tile refuses it (a conv after the linear unit): so does explore
    shapes = [layer_shape(op, conv) for op, conv in zip(layers, on_conv, strict=True)]
    size = EngineSize(units, cols, lanes)
    tiled = module.clone()
    tile_function(main_function(tiled), units, cols, lanes, linear)
    try:
        derived = tiled_params(tiled)
    except E3neError as err:  # e.g. a pool fuse-layers left: the engine cannot run it, nor can explore
        with pytest.raises(E3neError, match=str(err).split(": ", 1)[-1][:40]):
            base_params(module, function, linear)
        return
    assert candidate_params(base_params(module, function, linear), shapes, size) == derived


def _explore(module: ModuleOp, **options: object):
    return explore_function(module, main_function(module), **options)  # type: ignore[arg-type]


def test_the_choice_fits_its_budget_and_is_the_fastest_that_does() -> None:
    module = _lenet_like()
    everything = candidates(module, main_function(module), "auto", 8)
    luts = sorted({round(c.estimate["lut"]) for c in everything})
    budget = luts[len(luts) // 3]
    # LUT and FF count with the cost model's margin (15 % by default)
    result = _explore(module.clone(), budget=f"lut={budget}")
    assert result.chosen.estimate["lut"] * 1.15 <= budget
    legal = [c for c in everything if c.estimate["lut"] * 1.15 <= budget]
    assert result.chosen.cycles == min(c.cycles for c in legal)
    assert result.legal == len(legal) and result.considered == len(everything)
    exact = _explore(module.clone(), budget=f"lut={budget}", margin=0.0)
    assert exact.legal == len([c for c in everything if c.estimate["lut"] <= budget]) > result.legal
    assert exact.chosen.cycles <= result.chosen.cycles
    roomy = _explore(module.clone(), budget=f"lut={luts[-1] * 2}")
    assert roomy.chosen.cycles <= result.chosen.cycles
    # area x latency: the least LUT x cycles among the legal ones
    product = _explore(module.clone(), budget=f"lut={budget}", objective="area-x-latency")
    assert product.chosen.estimate["lut"] * product.chosen.cycles == min(c.estimate["lut"] * c.cycles for c in legal)


def test_the_front_is_the_pareto_front() -> None:
    module = _lenet_like()
    everything = candidates(module, main_function(module), "auto", 8)
    front = pareto_front(everything)
    key = lambda c: (c.cycles, c.estimate["lut"], c.estimate["bram36"])  # noqa: E731
    for c in everything:
        dominated = any(
            key(f) != key(c) and all(a <= b for a, b in zip(key(f), key(c), strict=True)) for f in everything
        )
        assert (c in front) != dominated or any(key(f) == key(c) for f in front)
    assert [f.cycles for f in front] == sorted(f.cycles for f in front)


def test_the_decision_is_in_the_ir_and_survives_printing() -> None:
    module = _lenet_like()
    result = _explore(module, device_name="xc7z020", objective="area-x-latency")
    text = print_module(module)
    reparsed = parse_module(text, "<explore>")
    data = read_exploration(main_function(reparsed))
    assert data is not None
    assert (data["units"], data["cols"]) == (result.chosen.size.units, result.chosen.size.cols)
    assert data["device"] == "xc7z020" and data["objective"] == "area-x-latency"
    assert data["cycles"] == result.chosen.cycles
    assert len(data["front"]) == len(result.front)  # type: ignore[arg-type]
    # the layers carry the tiling of the chosen size: convert-snn-to-hw needs nothing else
    params = tiled_params(reparsed)
    assert (params["CU"], params["COLS"]) == (result.chosen.size.units, result.chosen.size.cols)
    assert cost.estimate(params).total["lut"] == pytest.approx(result.chosen.estimate["lut"])


def test_an_impossible_budget_names_the_smallest_design() -> None:
    module = _lenet_like()
    with pytest.raises(E3neError) as err:
        _explore(module, budget="lut=50,bram36=1")
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith("error: explore: no design of @main fits the budget: the smallest, 1 conv unit(s) x")
    assert "LUT" in message and "lut " in message and "> 50" in message
    assert "; LUT and FF with the cost model's 15% margin" in message
    assert message.endswith(
        "; every weight is in on-chip ROM (weights = auto or dram lets explore read them from DRAM))"
    )
    assert EXPLORE_ATTR not in main_function(module).attributes


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        ("luts=5", "unknown resource 'luts'"),
        ("lut=many", "lut needs a number, got 'many'"),
        ("lut=-1", "lut must be >= 0"),
    ],
)
def test_bad_budgets_are_one_line(budget: str, message: str) -> None:
    with pytest.raises(E3neError, match=message):
        parse_budget(budget)


def test_unknown_device_and_objective() -> None:
    module = _lenet_like()
    with pytest.raises(E3neError, match="unknown device 'vu9p' \\(known: xcvu13p, xczu7ev, xc7z020, lfe5u-85f\\)"):
        _explore(module, device_name="vu9p")
    with pytest.raises(E3neError, match="objective must be one of latency, area-x-latency"):
        _explore(module, objective="power")


def test_device_presets() -> None:
    for name in ("xcvu13p", "xczu7ev", "xc7z020", "lfe5u-85f"):
        part = devices()[name]
        assert all(float(part[k]) > 0 for k in ("lut", "ff", "bram36", "dsp", "clock_mhz", "lut_per_lut6"))  # type: ignore[arg-type]
    # a device's resources are the budget: the biggest part gets the fastest engine
    module = _lenet_like()
    fastest = min(c.cycles for c in candidates(module, main_function(module), "auto", 8))
    assert _explore(module, device_name="xcvu13p").chosen.cycles == fastest


def test_explore_pass_options_from_a_pipeline_string() -> None:
    module = _lenet_like()
    ExplorePass(budget="lut=100000", objective="latency").apply(Context(), module)
    assert EXPLORE_ATTR in main_function(module).attributes
    assert all(op.tiling is not None for op in fused_layers(main_function(module)))


def test_a_budget_counts_the_devices_own_luts() -> None:
    """On ECP5 a LUT budget is in LUT4, as the part's resources are; the estimate is in LUT6."""
    scale = float(devices()["lfe5u-85f"]["lut_per_lut6"])  # type: ignore[arg-type]
    assert scale > 1
    assert limits_for("lfe5u-85f", "lut=7000")["lut"] == pytest.approx(7000 / scale)
    assert limits_for("", "lut=7000")["lut"] == 7000
    whole = limits_for("lfe5u-85f", "")["lut"]
    assert limits_for("lfe5u-85f", "lut=1000000")["lut"] == pytest.approx(whole)  # the device still caps it
