"""``select-encoding`` and ``explore`` through the whole flow on the digits network.

select-encoding chooses a T per activation within the accuracy budget at fewer cycles than the
uniform start; quantize gives every activation the chosen T; the hardware built from it (the
engine takes T_in and T_out per layer) co-simulates bit-exactly, at the cycles of the model.
explore under a LUT budget builds the configuration it chose, which co-simulates bit-exactly too.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

import e3ne
from e3ne import models
from e3ne.dialects import snn
from e3ne.engine import cycles
from e3ne.errors import E3neError
from e3ne.ir import main_function
from e3ne.lowering.hw_to_verilog import find_engine
from e3ne.passes.calibrate import calibrate_function, synapses
from e3ne.passes.select_encoding import SelectEncodingInMemoryPass, read_search, select_encoding


def _digits(**options: object) -> e3ne.Design:
    model, x, calibration = models.digits_example()
    x_train, y_train, _, _ = models.digits_split()
    validation = (x_train[models.DIGITS_CALIBRATION :], y_train[models.DIGITS_CALIBRATION :])
    return e3ne.compile(model, x, calibration, name="digits", validation=validation, **options)  # type: ignore[arg-type]


def _cosimulate(design: e3ne.Design, folder: Path, images: int = 30) -> None:
    design.write(folder)
    report = design.simulate(models.digits_split()[2][:images])
    assert report.mismatches == 0, report.divergence
    want = cycles.program_cycles(find_engine(design.module).descriptors(), design.params())
    assert set(report.cycles.tolist()) == {want}


def test_select_encoding_on_digits(tmp_path: Path) -> None:
    design = _digits(timesteps=6, accuracy_budget=1.0)
    search = read_search(main_function(design.snn))
    assert search is not None and search["metric"] == "accuracy"
    trials = search["trials"]
    assert isinstance(trials, list)
    chosen = next(t for t in trials if t["timesteps"] == search["chosen"])
    assert chosen["within_budget"] and chosen["accuracy"] >= search["reference"] - 0.01  # type: ignore[operator]
    assert search["chosen_cycles"] < search["uniform_cycles"]  # type: ignore[operator]
    assert trials[0]["timesteps"] == [6, 6, 6, 6]
    # no lowering of one or two more T stays within the budget (the greedy search stopped there)
    steps = search["chosen"]
    assert isinstance(steps, list)
    lower = [[t - (k in ks) for k, t in enumerate(steps)] for n in (1, 2) for ks in combinations(range(4), n)]
    tried = {tuple(t["timesteps"]): t for t in trials}
    assert all(not tried[tuple(s)]["within_budget"] for s in lower if min(s) >= 1)
    # quantize gave the input and each encoded activation the chosen T
    function = main_function(design.snn)
    encode = next(op for op in function.body.block.ops if isinstance(op, snn.EncodeOp))
    neurons = [op for op in function.body.block.ops if isinstance(op, snn.RadixNeuronOp)]
    got = [snn.encoding_of(v.type).timesteps.data for v in [encode.output, *(n.output for n in neurons)]]  # type: ignore[union-attr]
    assert got == steps
    # the hardware runs every layer at its own T, bit-exactly, at the model's cycles
    _cosimulate(design, tmp_path / "digits")
    assert design.report()["cycles_per_image_model"] == search["chosen_cycles"]


def test_a_budget_the_start_misses_is_one_line() -> None:
    with pytest.raises(E3neError) as err:
        _digits(timesteps=1, accuracy_budget=0.5, stage="snn")
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith("error: select-encoding: @main: even T = 1 everywhere gives accuracy")
    assert message.endswith("raise max_timesteps (--timesteps) or the budget")


def test_a_loose_budget_takes_every_t_to_the_minimum() -> None:
    design = _digits(timesteps=3, accuracy_budget=100.0, stage="snn")
    search = read_search(main_function(design.snn))
    assert search is not None and search["chosen"] == [1, 1, 1, 1]
    assert len(synapses(main_function(design.snn))) == 4


def test_explore_builds_what_it_chose(tmp_path: Path) -> None:
    design = _digits(budget="lut=1100")
    data = design.report()
    explore, estimate = data["explore"], data["estimate"]
    assert isinstance(explore, dict) and isinstance(estimate, dict)
    params = design.params()
    assert (params["CU"], params["COLS"]) == (explore["units"], explore["cols"])
    assert estimate["lut"] <= 1100 and explore["estimate"]["lut"] <= 1100
    assert explore["cycles"] == data["cycles_per_image_model"]
    _cosimulate(design, tmp_path / "explored")
    # the report's figures: the front, cycles per layer, resources per block
    for figure in ("pareto.png", "layers.png", "resources.png"):
        assert (tmp_path / "explored" / figure).stat().st_size > 0
        assert f'<img src="{figure}"' in (tmp_path / "explored" / "report.html").read_text()


def test_sizes_and_a_budget_do_not_mix() -> None:
    with pytest.raises(E3neError, match="give either engine sizes"):
        _digits(budget="lut=1100", conv_units=2, stage="snn-tiled")


def test_validation_labels_must_match() -> None:
    model, x, calibration = models.digits_example()
    with pytest.raises(E3neError, match="select-encoding: 10 validation inputs but 9 labels"):
        e3ne.compile(model, x, calibration, stage="snn", accuracy_budget=1.0,
                     validation=(calibration[:10], np.zeros(9, dtype=np.int64)))  # fmt: skip


def test_a_wider_beam_finds_no_worse() -> None:
    """beam = 3 carries three assignments from step to step: never more cycles than the greedy one
    (on digits, validation, T <= 6, 1 point: 11,811 against 12,003 on the 2 x 4 engine)."""
    model, x, calibration = models.digits_example()
    x_train, y_train, _, _ = models.digits_split()
    folded = e3ne.compile(model, x, calibration, stage="snn-folded", keep_stages=False).compilation.module
    assert folded is not None
    function = main_function(folded)
    calibrate_function(folded, function, np.asarray(calibration, dtype=np.float64), "test")
    x_val, y_val = x_train[models.DIGITS_CALIBRATION :], y_train[models.DIGITS_CALIBRATION :]
    found = {}
    for beam in (1, 3):
        copy = folded.clone()
        options = SelectEncodingInMemoryPass(max_timesteps=6, beam=beam, x=x_val, y=y_val)
        search = select_encoding(copy, main_function(copy), options)
        assert search.chosen is not None and search.chosen.within
        found[beam] = (search.chosen.cycles, len(search.trials))
    assert found[3][0] <= found[1][0] and found[3][1] > found[1][1]


def test_a_device_gives_the_latency_at_its_clock() -> None:
    design = _digits(device="xc7z020", stage="snn-tiled")
    data = design.report()
    latency, estimate = data["latency"], data["estimate"]
    assert isinstance(latency, dict) and isinstance(estimate, dict)
    assert latency["clock_mhz"] == 100
    assert latency["us_per_image"] == round(estimate["cycles_per_image"] / 100, 2)
    used = data["utilization"]
    assert isinstance(used, dict) and "yosys" not in used  # not synthesised
    assert used["estimate"]["lut"] == round(100 * estimate["lut"] / 53200, 2)
    assert used["estimate"]["bram36"] == round(100 * estimate["bram36"] / 140, 2)
    assert data["engine_size"] == {  # what explore chose, where the options say 0
        "conv_units": estimate["engine"]["CU"],
        "cols": estimate["engine"]["COLS"],
        "lanes": estimate["engine"]["LANES"],
        "linear_unit": bool(estimate["engine"]["HAS_LINEAR"]),
    }
