"""The hardware path: snn -> e3ne_hw -> Verilog, co-simulated in Verilator against the interpreter."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import e3ne
from e3ne import models, synth
from e3ne.dialects import snn
from e3ne.engine import cycles, schema
from e3ne.lowering.hw_to_verilog import find_engine


def _compile(tmp: Path, name: str, **options: Any) -> e3ne.Design:
    if name == "digits":
        model, x, _ = models.digits_example()
        calibration = models.digits_split()[0]
    else:
        model, x, calibration = models.PAPER_MODELS[name]()
    design = e3ne.compile(model, x, calibration, name=name, **options)
    design.write(tmp / name)
    return design


@pytest.fixture(scope="module")
def digits(tmp_path_factory: pytest.TempPathFactory) -> e3ne.Design:
    return _compile(tmp_path_factory.mktemp("hw"), "digits", timesteps=4, weight_bits=8)


def test_digits_cosimulates_bit_exactly_on_200_test_images(digits: e3ne.Design):
    x_test = models.digits_split()[2]
    report = digits.simulate(x_test[:200])
    assert report.images == 200
    assert report.mismatches == 0, report.divergence
    # every image takes exactly the cycles of the analytic model (docs/hardware.md 7)
    params = digits.params()
    want = cycles.program_cycles(find_engine(digits.module).descriptors(), params)
    assert set(report.cycles.tolist()) == {want}


def test_generated_verilog_lints_clean(digits: e3ne.Design):
    assert digits.directory is not None
    verilog = digits.directory / "verilog"
    files = (verilog / "files.f").read_text().split()
    for top, extra in (("e3ne_top", []), ("e3ne_axi_top", []), ("e3ne_tb", ["--timing", "e3ne_tb.v"])):
        result = subprocess.run(
            ["verilator", "--lint-only", "-Wall", "--top-module", top, *files, *extra],
            cwd=verilog,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0 and "%Warning" not in result.stderr, result.stderr[-2000:]


@pytest.fixture(scope="module")
def digits_synthesis(digits: e3ne.Design) -> dict[str, Any]:
    return digits.synthesize()


def test_synthesis_has_no_latches_and_no_dsps(digits_synthesis: dict[str, Any]):
    result = digits_synthesis
    assert result["latches"] == 0
    assert result["dsp"] == 0
    assert 0 < int(result["lut"]) < 20000


def test_roms_are_block_ram_counted_apart(digits_synthesis: dict[str, Any]):
    """Weights, biases and program are block RAM (no LUT), reported apart from the logic."""
    result = digits_synthesis
    assert result["rom"]["lut"] == 0
    assert result["rom"]["bram36"] >= 2  # conv weights, linear weights, biases, program: RAMB18 halves
    assert result["rom"]["bram36"] + result["logic"]["bram36"] == result["bram36"]
    assert result["logic"]["lut"] == result["lut"]


def test_logic_does_not_depend_on_the_weight_values(
    digits: e3ne.Design, digits_synthesis: dict[str, Any], tmp_path: Path
):
    """Shuffled weight words (same shapes, other values) synthesise to the same cells."""
    assert digits.directory is not None
    shuffled = tmp_path / "shuffled"
    shutil.copytree(digits.directory / "verilog", shuffled, ignore=shutil.ignore_patterns("obj_dir*"))
    rng = np.random.default_rng(5)
    for memory in sorted(shuffled.glob("*_weights.mem")):  # the conv ROM, and the linear one if any
        lines = memory.read_text().split()
        memory.write_text("\n".join(rng.permutation(lines).tolist()) + "\n")
    assert (shuffled / "conv_weights.mem").read_text() != (
        digits.directory / "verilog" / "conv_weights.mem"
    ).read_text()
    result = synth.synthesize(shuffled)
    assert result["cells"] == digits_synthesis["cells"]


def test_divergence_names_layer_neuron_and_timestep(digits: e3ne.Design, tmp_path: Path):
    """A corrupted weight word of the second conv (the digits Sequential's module 3): the report names
    that layer, a neuron and a timestep."""
    assert digits.directory is not None
    broken = tmp_path / "broken"
    shutil.copytree(digits.directory / "verilog", broken, ignore=shutil.ignore_patterns("obj_dir*"))
    params = digits.params()
    conv1 = find_engine(digits.module).descriptors(params)[0]
    conv1_words = conv1["groups"] * conv1["c_in"] * conv1["kh"] * conv1["kw"]
    lines = (broken / "conv_weights.mem").read_text().split()
    # every bit of one conv2 word flipped: a weight change no rounding hides, whatever the engine's size
    everything = (1 << (4 * len(lines[0]))) - 1
    lines[conv1_words + 13] = f"{int(lines[conv1_words + 13], 16) ^ everything:0{len(lines[0])}x}"
    (broken / "conv_weights.mem").write_text("\n".join(lines) + "\n")
    x_test = models.digits_split()[2]
    report = digits.simulate(x_test[:30], directory=broken)
    assert report.mismatches > 0
    assert "layer 1 '3' (conv)" in report.divergence
    assert "first differs after timestep" in report.divergence


@pytest.mark.parametrize(("index", "label"), [(2, "layer 2 '7' (conv)"), (3, "layer 3 '9' (conv)")])
def test_divergence_in_linear_layers_on_the_conv_units(digits: e3ne.Design, tmp_path: Path, index: int, label: str):
    """Every weight of a linear layer on the conv units negated at its sign bit (the hidden layer, whose
    F x 1 x 1 output is compared word by word, and the raw last layer, compared by partial sums): the
    report names the layer and the timestep its partial potentials first differ."""
    assert digits.directory is not None
    broken = tmp_path / "broken"
    shutil.copytree(digits.directory / "verilog", broken, ignore=shutil.ignore_patterns("obj_dir*"))
    params = digits.params()
    engine = find_engine(digits.module)
    descs = engine.descriptors(params)
    assert [d["kind"] for d in descs] == [schema.LayerKind.CONV] * 4  # tile's default placement
    lines = (broken / "conv_weights.mem").read_text().split()
    start, end = descs[index]["w_base"], (descs[index + 1]["w_base"] if index + 1 < len(descs) else len(lines))
    fields = engine.memories()["conv_weights"].int_prop("word_bits") // params["WB"]
    sign_bits = sum(1 << (k * params["WB"] + params["WB"] - 1) for k in range(fields))
    lines[start:end] = [f"{int(line, 16) ^ sign_bits:0{len(line)}x}" for line in lines[start:end]]
    (broken / "conv_weights.mem").write_text("\n".join(lines) + "\n")
    report = digits.simulate(models.digits_split()[2][:10], directory=broken)
    assert report.mismatches > 0
    assert label in report.divergence and "first differs after timestep" in report.divergence


@pytest.mark.parametrize(("name", "bits"), [("lenet5", 3), ("fang", 4)])
def test_paper_models_cosimulate(tmp_path: Path, name: str, bits: int):
    design = _compile(tmp_path, name, timesteps=4, weight_bits=bits, conv_units=2)
    shape = tuple(int(v) for v in find_engine(design.module).input_shape.get_values())  # type: ignore[attr-defined]
    x = np.random.default_rng(7).random((12, *shape))
    report = design.simulate(x)
    assert report.mismatches == 0, report.divergence
    params = design.params()
    assert int(report.cycles[0]) == cycles.program_cycles(find_engine(design.module).descriptors(), params)


def test_engine_parameters_follow_the_network(digits: e3ne.Design):
    params = find_engine(digits.module).core_params()
    # the conv units are the ones tile recorded on every layer, within a factor of two of E3NE's scale
    # (two units of the widest row, 8 codes)
    layers = [op for op in digits.tiled.walk() if isinstance(op, snn.ConvLayerOp | snn.LinearLayerOp)]
    tilings = [op.tiling for op in layers]
    assert all(isinstance(t, snn.ConvTilingAttr) for t in tilings)  # every layer on the conv units
    units = {(t.units.data, t.cols.data) for t in tilings if isinstance(t, snn.ConvTilingAttr)}
    assert units == {(params["CU"], params["COLS"])}
    assert 8 <= params["CU"] * params["COLS"] <= 32
    assert params["TMAX"] == 4 and params["WB"] == 8
    # the accumulator is the widest bit-width bound of any layer
    widths = [int(op.acc_bits.value.data) for op in find_engine(digits.module).layers()]
    assert params["ACC"] == max(widths)
