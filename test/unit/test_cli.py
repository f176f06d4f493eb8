"""The e3ne command line as a user meets it: a compile, run, simulate, report; one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from e3ne import models
from e3ne.tools.cli import EXIT_MISMATCH, main


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "digits"
    assert main(["compile", "--out", str(out), "--no-synth", "--sim-images", "20", "--quiet"]) == 0
    return out


def test_compile_writes_every_stage_and_a_report(compiled: Path):
    stages = sorted(p.name for p in compiled.glob("*.mlir"))
    assert stages == [
        "01-torch.mlir",
        "02-snn-float.mlir",
        "03-snn-folded.mlir",
        "04-snn.mlir",
        "05-snn-tiled.mlir",
        "06-hw.mlir",
        "snn.mlir",
    ]
    assert (compiled / "verilog" / "e3ne_top.v").is_file() and (compiled / "report.html").is_file()
    report = json.loads((compiled / "report.json").read_text())
    assert report["simulation"]["mismatches"] == 0 and report["simulation"]["images"] == 20
    assert report["simulation"]["cycles_per_image"] == report["cycles_per_image_model"]
    assert report["accuracy"]["quantized_interpreter"] > 0.95


def test_report_sweeps_accuracy_against_timesteps(compiled: Path):
    """At the design's own T the sweep gives the design's accuracy and cycles (one engine for all T)."""
    report = json.loads((compiled / "report.json").read_text())
    sweep = report["timestep_sweep"]
    rows = {r["timesteps"]: r for r in sweep["rows"]}
    assert sorted(rows) == list(range(1, 9))
    own = rows[report["options"]["timesteps"]]
    assert own["accuracy"] == report["accuracy"]["quantized_interpreter"]
    assert own["cycles"] == report["cycles_per_image_model"]
    assert sweep["reference"] == report["accuracy"]["float"]
    cycles = [rows[t]["cycles"] for t in sorted(rows)]
    assert cycles == sorted(cycles) and len(set(cycles)) == len(cycles)
    assert (compiled / "timesteps.png").is_file() and "timesteps.png" in (compiled / "report.html").read_text()


def test_run_and_simulate_agree(compiled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    x = models.digits_split()[2][:8]
    np.save(tmp_path / "x.npy", x)
    assert (
        main(
            ["run", str(compiled / "snn.mlir"), "--input", str(tmp_path / "x.npy"), "--output", str(tmp_path / "y.npy")]
        )
        == 0
    )
    logits = np.load(tmp_path / "y.npy")
    assert logits.shape == (8, 10) and logits.dtype == np.int64
    assert main(["simulate", str(compiled), "--input", str(tmp_path / "x.npy")]) == 0
    assert "8 images, 0 mismatches" in capsys.readouterr().out
    assert main(["report", str(compiled)]) == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["compile", "nosuchmodel", "--out", "{tmp}/o"], "e3ne: error: unknown model 'nosuchmodel'"),
        (["compile", "{tmp}/missing.mlir", "--out", "{tmp}/o"], "e3ne: error: no such file: "),
        (["run", "{tmp}/missing.mlir", "--input", "{tmp}/x.npy"], "e3ne: error: no such file: "),
        (["simulate", "{tmp}", "--input", "{tmp}/x.npy"], "is not an e3ne compile output"),
        (["report", "{tmp}"], "e3ne: error: no report.json in"),
        (
            ["compile", "digits", "--out", "{tmp}/o", "--timesteps", "0", "--no-sim"],
            "timesteps must be in [1, 16], got 0",
        ),
        (
            ["compile", "digits", "--out", "{tmp}/o", "--linear", "lanes"],
            "e3ne: error: --linear must be one of auto, unit, conv, got 'lanes'",
        ),
        # explore and select-encoding options
        (["compile", "--out", "{tmp}/o", "--budget", "lut=abc"], "e3ne: error: explore: budget: lut needs a number, got 'abc'"),
        (["compile", "--out", "{tmp}/o", "--budget", "bram=3"], "explore: budget: unknown resource 'bram' (resources: lut, ff, bram36, dsp)"),
        (["compile", "--out", "{tmp}/o", "--device", "vu9p"], "explore: unknown device 'vu9p' (known: xcvu13p, xczu7ev, xc7z020, lfe5u-85f)"),
        (["compile", "--out", "{tmp}/o", "--objective", "fast"], "e3ne: error: --objective must be one of latency, area-x-latency, got 'fast'"),
        (["compile", "--out", "{tmp}/o", "--objective", "latency"], "--objective is what explore minimises: give --device PART or --budget too"),
        (["compile", "--out", "{tmp}/o", "--budget", "lut=9000", "--cols", "4"], "give either engine sizes --conv-units/--cols/--lanes"),
        (["compile", "--out", "{tmp}/o", "--budget", "lut=10", "--no-sim", "--no-synth"], "explore: no design of @main fits the budget: the smallest, 1 conv unit(s) x 1 lanes, needs"),
        (["compile", "--out", "{tmp}/o", "--accuracy-budget", "1", "--encoding", "rate"], "--accuracy-budget chooses radix timesteps per layer: use --encoding auto, not rate"),
        (["compile", "--out", "{tmp}/o", "--validation", "{tmp}/x.npy"], "--validation is what select-encoding scores on: give --accuracy-budget POINTS too"),
        (["compile", "--out", "{tmp}/o", "--accuracy-budget", "200"], "select-encoding: accuracy_budget must be in [0, 100] points, got 200.0"),
        (["compile", "--out", "{tmp}/o", "--accuracy-budget", "1", "--validation", "{tmp}/x.npy"], "e3ne: error: validation input file not found:"),
        (["compile", "--out", "{tmp}/o", "--accuracy-budget", "1", "--validation", "a", "b", "c"], "--validation takes X.npy and, optionally, Y.npy (labels)"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str):
    status = main([a.replace("{tmp}", str(tmp_path)) for a in argv])
    err = capsys.readouterr().err
    assert status == 1, err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_wrong_input_shape_is_reported(compiled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    np.save(tmp_path / "bad.npy", np.zeros((2, 3, 8, 8)))
    assert main(["run", str(compiled / "snn.mlir"), "--input", str(tmp_path / "bad.npy")]) == 1
    assert "inputs must have shape (N, 1, 8, 8), got (2, 3, 8, 8)" in capsys.readouterr().err


def test_mismatch_exit_code_is_documented():
    assert EXIT_MISMATCH == 3


def _compile_ok(argv: list[str], out: Path) -> dict:
    assert main([*argv, "--out", str(out), "--no-synth", "--sim-images", "5", "--quiet"]) == 0
    report = json.loads((out / "report.json").read_text())
    assert report["simulation"]["mismatches"] == 0
    return report


def test_compile_accepts_a_model_function(tmp_path: Path):
    report = _compile_ok(["compile", "e3ne.models:digits_example"], tmp_path / "f")
    assert report["name"] == "digits_example"


def test_compile_accepts_a_pt2_file(tmp_path: Path):
    import torch

    model, x, calibration = models.digits_example()
    torch.export.save(torch.export.export(model, (x,)), str(tmp_path / "digits.pt2"))
    np.save(tmp_path / "cal.npy", calibration)
    _compile_ok(["compile", str(tmp_path / "digits.pt2"), "--calibration", str(tmp_path / "cal.npy")], tmp_path / "p")


def test_compile_accepts_torch_and_snn_mlir(tmp_path: Path, compiled: Path):
    from e3ne.tools.export_torch import main as export_main

    assert export_main(["digits", "-o", str(tmp_path / "d.mlir"), "--calibration-out", str(tmp_path / "c.npy")]) == 0
    _compile_ok(["compile", str(tmp_path / "d.mlir"), "--calibration", str(tmp_path / "c.npy")], tmp_path / "t")
    # the quantized snn of an earlier compile goes straight to hardware (no calibration needed)
    np.save(tmp_path / "x.npy", models.digits_split()[2][:5])
    report = _compile_ok(
        ["compile", str(compiled / "snn.mlir"), "--calibration", str(tmp_path / "x.npy")], tmp_path / "s"
    )
    assert (
        report["cycles_per_image_model"] == json.loads((compiled / "report.json").read_text())["cycles_per_image_model"]
    )


def test_torch_mlir_needs_calibration(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    from e3ne.tools.export_torch import main as export_main

    assert export_main(["digits", "-o", str(tmp_path / "d.mlir")]) == 0
    assert main(["compile", str(tmp_path / "d.mlir"), "--out", str(tmp_path / "o"), "--quiet"]) == 1
    assert "quantizing needs calibration data (--calibration inputs.npy)" in capsys.readouterr().err


LABELS_MODULE = '''
import numpy as np
from e3ne import models


def build():
    """The digits model under another name: no built-in labels."""
    model, x, _ = models.digits_example()
    return model, x


def test_split():
    _, _, x_test, y_test = models.digits_split()
    return x_test[:120], y_test[:120]


def not_a_pair():
    return [1, 2]


def wrong_shape():
    return np.zeros((3, 2, 8, 8)), np.zeros(3, dtype=np.int64)


def strings():
    return np.array([["a", "b"]]), np.zeros(1, dtype=np.int64)


def too_many_classes():
    _, _, x_test, _ = models.digits_split()
    return x_test[:4], np.array([0, 1, 12, 3])
'''


@pytest.fixture(scope="module")
def labels_module(tmp_path_factory: pytest.TempPathFactory):
    """``e3ne_cli_labels``, a module of model and (x, y) functions, importable for the CLI."""
    import sys

    folder = tmp_path_factory.mktemp("labels")
    (folder / "e3ne_cli_labels.py").write_text(LABELS_MODULE)
    x_train, y_train, _, _ = models.digits_split()
    np.save(folder / "cal.npy", x_train[:100])
    np.save(folder / "y.npy", y_train[:100])
    sys.path.insert(0, str(folder))
    yield folder
    sys.path.remove(str(folder))
    sys.modules.pop("e3ne_cli_labels", None)


def test_labels_file_gives_float_quantized_and_rtl_accuracy(labels_module: Path, tmp_path: Path):
    cal, y = labels_module / "cal.npy", labels_module / "y.npy"
    report = _compile_ok(
        ["compile", "e3ne_cli_labels:build", "--calibration", str(cal), "--labels", str(y)], tmp_path / "l"
    )
    accuracy = report["accuracy"]
    assert accuracy["images"] == 100 and accuracy["rtl_images"] == 5
    assert accuracy["float"] > 0.9 and accuracy["quantized_interpreter"] > 0.9
    assert accuracy["float_vs_quantized_agreement"] > 0.9
    # the RTL agrees with the interpreter image for image: its accuracy on its 5 images is the interpreter's
    import e3ne.interpreters as interpreters
    from e3ne.ir import parse_file

    logits = interpreters.predict(parse_file(str(tmp_path / "l" / "snn.mlir")), np.load(cal)[:5])
    want = float((np.argmax(logits, axis=1) == np.load(y)[:5]).mean())
    assert accuracy["rtl_sample"] == want
    assert "rtl_sample" in (tmp_path / "l" / "report.html").read_text()


def test_labels_function_gives_the_samples(labels_module: Path, tmp_path: Path):
    report = _compile_ok(["compile", "e3ne_cli_labels:build", "--labels", "e3ne_cli_labels:test_split"], tmp_path / "f")
    accuracy = report["accuracy"]
    assert accuracy["images"] == 120 and accuracy["rtl_images"] == 5
    assert accuracy["float"] > 0.9 and accuracy["quantized_interpreter"] > 0.9
    assert report["simulation"]["images"] == 5


@pytest.mark.parametrize(
    ("labels", "extra", "message"),
    [
        ("{dir}/y.npy", [], "--labels Y.npy labels the calibration inputs: give --calibration X.npy too"),
        ("{dir}/float.npy", ["--calibration", "{dir}/cal.npy"], "--labels: labels must be integer class indices, got float64"),
        ("{dir}/short.npy", ["--calibration", "{dir}/cal.npy"], "--labels: 100 calibration inputs need 100 labels (a 1-D array), got (99,)"),
        ("{dir}/2d.npy", ["--calibration", "{dir}/cal.npy"], "--labels: 100 calibration inputs need 100 labels (a 1-D array), got (100, 1)"),
        ("{dir}/negative.npy", ["--calibration", "{dir}/cal.npy"], "--labels: labels must be class indices >= 0, got -1"),
        ("{dir}/missing.npy", ["--calibration", "{dir}/cal.npy"], "e3ne: error: --labels file not found:"),
        ("labels.txt", [], "--labels must be a .npy file or package.module:function, got 'labels.txt'"),
        ("e3ne_cli_labels:not_a_pair", [], "--labels: e3ne_cli_labels:not_a_pair must return (x, y), got list"),
        ("e3ne_cli_labels:nothing", [], "--labels: 'e3ne_cli_labels' has no function 'nothing'"),
        ("e3ne_cli_labels:strings", [], "--labels: the inputs must be a numeric array (N, ...), got <U1 (1, 2)"),
        ("e3ne_cli_labels:wrong_shape", ["--estimate"], "--labels: the inputs must have shape (N, 1, 8, 8) like the model's, got (3, 2, 8, 8)"),
        ("e3ne_cli_labels:too_many_classes", ["--estimate"], "--labels: label 12 is no class of the model's 10 outputs"),
    ],
)  # fmt: skip
def test_bad_labels_are_one_line(
    labels_module: Path, capsys: pytest.CaptureFixture[str], labels: str, extra: list[str], message: str
):
    y = np.load(labels_module / "y.npy")
    np.save(labels_module / "float.npy", y.astype(np.float64))
    np.save(labels_module / "short.npy", y[:99])
    np.save(labels_module / "2d.npy", y[:, None])
    np.save(labels_module / "negative.npy", np.concatenate([y[:99], [-1]]))
    spec = labels.replace("{dir}", str(labels_module))
    argv = ["compile", "e3ne_cli_labels:build", "--labels", spec, "--out", str(labels_module / "o"), "--quiet"]
    status = main([*argv, *(a.replace("{dir}", str(labels_module)) for a in extra)])
    err = capsys.readouterr().err
    assert status == 1, err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
