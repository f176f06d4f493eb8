"""ONNX models in: the digits LeNet exported by ``torch.onnx.export`` (both exporters) and built with
onnxscript compiles through the API and the CLI to the very design the PyTorch path gives (the
interpreter's logits bit for bit; the RTL co-simulates); bad input is one line naming the file and op."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import pytest
import torch
from onnx import helper, numpy_helper
from onnxscript import FLOAT, opset18, script
from torch import nn

import e3ne
from e3ne import models
from e3ne.design import Design
from e3ne.errors import E3neError
from e3ne.tools.cli import main

EXPORTS = ("torchscript", "dynamo", "onnxscript")

op: Any = opset18  # onnxscript's ops, as its converter finds them; their stubs do not type its DSL


@pytest.fixture(scope="module")
def digits() -> tuple[nn.Module, torch.Tensor, np.ndarray]:
    return models.digits_example()


@pytest.fixture(scope="module")
def reference(digits: tuple[nn.Module, torch.Tensor, np.ndarray]) -> Design:
    """The PyTorch path: the same weights and calibration."""
    return e3ne.compile(*digits)


def _export(model: nn.Module, x: torch.Tensor, path: Path, **kwargs: object) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model.eval(), (x.float(),), str(path), **kwargs)  # type: ignore[arg-type]
    return path


@script()
def _lenet(
    x: FLOAT[1, 1, 8, 8],
    w1: FLOAT[6, 1, 3, 3],
    b1: FLOAT[6],
    w2: FLOAT[16, 6, 3, 3],
    b2: FLOAT[16],
    w3: FLOAT[32, 64],
    b3: FLOAT[32],
    w4t: FLOAT[32, 10],
    b4: FLOAT[10],
) -> FLOAT[1, 10]:
    """The digits LeNet in onnxscript, with other spellings than the exporters use: Reshape for the
    flatten, Gemm for the first linear layer, MatMul + Add for the last. The weights are inputs here."""
    h = op.MaxPool(op.Relu(op.Conv(x, w1, b1, pads=[1, 1, 1, 1])), kernel_shape=[2, 2], strides=[2, 2])
    h = op.MaxPool(op.Relu(op.Conv(h, w2, b2, pads=[1, 1, 1, 1])), kernel_shape=[2, 2], strides=[2, 2])
    h = op.Relu(op.Gemm(op.Reshape(h, op.Constant(value_ints=[1, 64])), w3, b3, transB=1))
    return op.Add(op.MatMul(h, w4t), b4)


def _onnxscript_lenet(model: nn.Module, path: Path) -> Path:
    """``_lenet`` as a model whose weights are the initializers of ``model``'s."""
    state = {name: value.detach().numpy() for name, value in model.state_dict().items()}
    weights = {
        "w1": state["0.weight"],
        "b1": state["0.bias"],
        "w2": state["3.weight"],
        "b2": state["3.bias"],
        "w3": state["7.weight"],
        "b3": state["7.bias"],
        "w4t": np.ascontiguousarray(state["9.weight"].T),
        "b4": state["9.bias"],
    }
    proto = _lenet.to_model_proto()
    image = [value for value in proto.graph.input if value.name not in weights]
    del proto.graph.input[:]
    proto.graph.input.extend(image)
    proto.graph.initializer.extend(numpy_helper.from_array(value, name) for name, value in weights.items())
    onnx.save(proto, str(path))
    return path


@pytest.fixture(scope="module")
def onnx_files(
    tmp_path_factory: pytest.TempPathFactory, digits: tuple[nn.Module, torch.Tensor, np.ndarray]
) -> dict[str, Path]:
    model, x, calibration = digits
    folder = tmp_path_factory.mktemp("onnx")
    np.save(folder / "cal.npy", calibration)
    return {
        "torchscript": _export(model, x, folder / "torchscript.onnx", dynamo=False),
        "dynamo": _export(model, x, folder / "dynamo.onnx", dynamo=True, verbose=False),
        "onnxscript": _onnxscript_lenet(model, folder / "onnxscript.onnx"),
        "calibration": folder / "cal.npy",
    }


@pytest.fixture(scope="module")
def designs(onnx_files: dict[str, Path], digits: tuple[nn.Module, torch.Tensor, np.ndarray]) -> dict[str, Design]:
    return {name: e3ne.compile_onnx(onnx_files[name], digits[2]) for name in EXPORTS}


def _unnamed(hw: str) -> str:
    """The hw IR without its layer names: the PyTorch path names layers after their modules
    (``"3"``), an ONNX model's are counted (``"conv2"``)."""
    return re.sub(r'(e3ne_hw\.(?:conv|linear)_layer) "[^"]*"', r'\1 ""', hw)


@pytest.mark.parametrize("export", EXPORTS)
def test_api_gives_the_pytorch_design(export: str, designs: dict[str, Design], reference: Design, digits):
    design, x = designs[export], digits[2]
    assert np.array_equal(design.predict(x), reference.predict(x))
    assert _unnamed(design.mlir("hw")) == _unnamed(reference.mlir("hw"))
    assert re.findall(r'_layer "(\w+)"', design.mlir("hw")) == ["conv1", "conv2", "linear1", "linear2"]


def test_cosimulation(designs: dict[str, Design], digits, tmp_path: Path):
    design = designs["torchscript"]
    design.write(tmp_path / "design")
    report = design.simulate(digits[2][:5])
    assert report.images == 5 and report.mismatches == 0


def test_cli_compiles_onnx(onnx_files: dict[str, Path], reference: Design, tmp_path: Path):
    out = tmp_path / "cli"
    argv = [
        "compile",
        str(onnx_files["torchscript"]),
        "--out",
        str(out),
        "--calibration",
        str(onnx_files["calibration"]),
    ]
    assert main([*argv, "--no-sim", "--no-synth", "--quiet"]) == 0
    assert _unnamed((out / "06-hw.mlir").read_text()) == _unnamed(reference.mlir("hw"))
    report = json.loads((out / "report.json").read_text())
    assert report["name"] == "torchscript"
    # no float model to compare with: the accuracy check runs the interpreter only
    assert "float" not in report["accuracy"] and report["accuracy"]["images"] == 200


def test_symbolic_batch(tmp_path: Path, digits, reference: Design):
    """A dynamic batch (and the Shape/Gather/Concat arithmetic of ``x.reshape(x.size(0), -1)``) imports."""
    model, x, calibration = digits

    class Reshaped(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.features, self.classifier = model[:6], model[7:]

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            y = self.features(x)
            return self.classifier(y.reshape(y.size(0), -1))

    batch = {"x": {0: "batch"}, "y": {0: "batch"}}
    path = _export(
        Reshaped(), x, tmp_path / "b.onnx", dynamo=False, input_names=["x"], output_names=["y"], dynamic_axes=batch
    )
    design = e3ne.compile_onnx(path, calibration, stage="snn")
    assert np.array_equal(design.predict(calibration), reference.predict(calibration))


@pytest.mark.parametrize("dynamo", [False, True])
def test_mobilenet_blocks_from_onnx(tmp_path: Path, dynamo: bool):
    """MobileNetV2 blocks (depthwise convs, Clip as ReLU6: ``clamp.Tensor`` with constant bounds,
    residual Adds) from ONNX give the design the PyTorch path gives."""
    from cosim_check import randomise
    from test_signed_groups import TinyMobileNet

    model = randomise(TinyMobileNet())
    x = np.random.default_rng(3).random((16, 2, 6, 6)).astype(np.float32)
    path = _export(model, torch.from_numpy(x[:1]), tmp_path / "mobile.onnx", dynamo=dynamo)
    design = e3ne.compile_onnx(path, x, stage="snn")
    pytorch = e3ne.compile(model, torch.from_numpy(x[:1]), x, stage="snn")
    assert design.mlir("snn").count("snn.relu") == pytorch.mlir("snn").count("snn.relu") == 0  # fused as neurons
    assert np.array_equal(design.predict(x), pytorch.predict(x))


# --------------------------------------------------------------------------- bad input


def _softmax_inside(path: Path) -> Path:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Softmax(1), nn.Flatten(), nn.Linear(72, 10))
    return _export(model, torch.rand(1, 1, 8, 8), path, dynamo=False)


def _lstm(path: Path) -> Path:
    class Lstm(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.lstm, self.fc = nn.LSTM(8, 4, batch_first=True), nn.Linear(32, 10)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.fc(self.lstm(x)[0].flatten(1))

    torch.manual_seed(0)
    return _export(Lstm(), torch.rand(1, 8, 8), path, dynamo=False)


def _custom_op(path: Path) -> Path:
    value = helper.make_tensor_value_info
    node = helper.make_node("Spike", ["x"], ["y"], name="spike", domain="com.example")
    graph = helper.make_graph(
        [node], "g", [value("x", onnx.TensorProto.FLOAT, [1, 4])], [value("y", onnx.TensorProto.FLOAT, [1, 4])]
    )
    onnx.save(
        helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18), helper.make_opsetid("com.example", 1)]),
        str(path),
    )
    return path


def _truncated(path: Path, onnx_files: dict[str, Path]) -> Path:
    data = onnx_files["torchscript"].read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("missing", "e3ne: error: no such file: {path}"),
        ("truncated", "e3ne: error: {path}: not a readable ONNX model: Error parsing message with type 'onnx.ModelProto'"),
        ("softmax", "e3ne: {path}: ONNX Softmax '/1/Softmax': error: 'torch.aten.softmax.int': not supported: torch.aten.softmax.int inside the network"),
        ("lstm", "e3ne: {path}: ONNX LSTM '/lstm/LSTM': error: not supported: torch-mlir lowers it to 'torch.aten.select.int', which e3ne does not lower"),
        ("custom", "e3ne: {path}: ONNX Spike 'spike': error: not supported: torch-mlir's convert-torch-onnx-to-torch has no lowering for it"),
        ("no-calibration", "e3ne: error: {path}: quantizing needs calibration data (--calibration inputs.npy)"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line(
    case: str, message: str, onnx_files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    path = tmp_path / f"{case}.onnx"
    if case == "truncated":
        _truncated(path, onnx_files)
    elif case == "softmax":
        _softmax_inside(path)
    elif case == "lstm":
        _lstm(path)
    elif case == "custom":
        _custom_op(path)
    elif case == "no-calibration":
        path = onnx_files["torchscript"]
    calibration = [] if case == "no-calibration" else ["--calibration", str(onnx_files["calibration"])]
    capsys.readouterr()
    status = main(["compile", str(path), "--out", str(tmp_path / "out"), *calibration, "--quiet"])
    err = capsys.readouterr().err
    assert status == 1, err
    assert message.format(path=path) in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_api_needs_calibration(onnx_files: dict[str, Path]):
    with pytest.raises(E3neError, match="quantizing needs calibration data"):
        e3ne.compile_onnx(onnx_files["torchscript"], None)
