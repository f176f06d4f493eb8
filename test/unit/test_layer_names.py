"""Layers are named after their PyTorch modules; what e3ne cannot compile is one line naming the module."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

import e3ne
from e3ne.design import compile_text
from e3ne.errors import E3neError
from e3ne.lowering.hw_to_verilog import find_engine
from e3ne.tools.cli import main


class Lstm(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.lstm = nn.LSTM(64, 4, batch_first=True)
        self.fc = nn.Linear(4, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y, _ = self.lstm(x.flatten(2))
        return self.fc(y[:, -1])


class SoftmaxInside(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1, self.act, self.fc2 = nn.Linear(64, 16), nn.Softmax(dim=1), nn.Linear(16, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.act(self.fc1(x.flatten(1))))


class OverlappingAvgPool(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.AvgPool2d(2, 1))
        self.fc = nn.Linear(196, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.features(x).flatten(1))


class Residual(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(1, 4, 3, padding=1), nn.Conv2d(4, 4, 3, padding=1)
        self.fc = nn.Linear(256, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = torch.relu(self.conv1(x))
        return self.fc((y + torch.relu(self.conv2(y))).flatten(1))


class Concatenate(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.a, self.b = nn.Conv2d(1, 2, 3, padding=1), nn.Conv2d(1, 2, 3, padding=1)
        self.fc = nn.Linear(256, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.cat([torch.relu(self.a(x)), torch.relu(self.b(x))], 2).flatten(1))  # rows


class Dilated(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(1, 4, 3, padding=1), nn.Conv2d(4, 4, 3, padding=2, dilation=2)
        self.fc = nn.Linear(256, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.relu(self.conv2(torch.relu(self.conv1(x)))).flatten(1))


class Adaptive(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv, self.pool, self.fc = nn.Conv2d(1, 4, 3), nn.AdaptiveAvgPool2d(4), nn.Linear(64, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.pool(torch.relu(self.conv(x))).flatten(1))


class GlobalPool7x7(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv, self.pool, self.fc = nn.Conv2d(1, 4, 2), nn.AdaptiveAvgPool2d(1), nn.Linear(4, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.pool(torch.relu(self.conv(x))).flatten(1))


def hardtanh() -> nn.Module:
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.Hardtanh(-1, 1), nn.Flatten(), nn.Linear(256, 10))


UNSUPPORTED = [
    (Lstm, "error: lstm (LSTM): not supported: torch.aten.empty_strided"),
    (
        SoftmaxInside,
        "error: act (Softmax): not supported: torch.aten._softmax inside the network "
        "(only as the last op, where it is dropped)",
    ),
    (
        OverlappingAvgPool,
        "error: features.2 (AvgPool2d): not supported: snn.avg_pool2d with kernel 2x2, stride [1, 1], "
        "padding [0, 0] in hardware (the pool unit runs square windows up to 15, max pooling with stride <= "
        "window and padding <= window / 2, average pooling with stride = window, no padding and a power-of-two "
        "window)",
    ),
    (
        Residual,
        "error: Residual.forward: not supported: a residual add neither of whose operands is a convolution with "
        "stride 1 and 'same' padding used only by the add (the main path the shortcut folds into)",
    ),
    (
        Concatenate,
        "error: Concatenate.forward: not supported: torch.cat along dimension 2 of rank-4 tensors (only dim 1, "
        "the channels)",
    ),
    (Dilated, "error: conv2 (Conv2d): not supported: dilated convolution (dilation = [2, 2])"),
    (Adaptive, "error: pool (AdaptiveAvgPool2d): not supported: torch.aten.arange.start_step"),
    (
        GlobalPool7x7,
        "error: pool (AdaptiveAvgPool2d): not supported: global average pooling over 7x7 "
        "(the window must hold 2^m codes)",
    ),
    (hardtanh, "error: 1 (Hardtanh): not supported: hardtanh with min_val -1 (only hardtanh(0, M), i.e. ReLU6)"),
]


def _inputs(count: int = 8) -> torch.Tensor:
    return torch.rand(count, 1, 8, 8, generator=torch.Generator().manual_seed(0))


@pytest.mark.parametrize(("build", "message"), UNSUPPORTED, ids=[b.__name__ for b, _ in UNSUPPORTED])
def test_api_error_names_the_module(build, message: str):
    torch.manual_seed(0)
    x = _inputs()
    with pytest.raises(E3neError) as raised:
        e3ne.compile(build(), x[:1], x.numpy())
    assert str(raised.value) == message


@pytest.mark.parametrize(("build", "message"), UNSUPPORTED, ids=[b.__name__ for b, _ in UNSUPPORTED])
def test_cli_error_is_one_line_and_leaves_the_stages(
    build, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    torch.manual_seed(0)
    x = _inputs()
    model = build().eval()
    torch.export.save(torch.export.export(model, (x[:1],)), str(tmp_path / "model.pt2"))
    np.save(tmp_path / "x.npy", x.numpy())
    monkeypatch.chdir(tmp_path)  # nothing may be written outside --out
    status = main(["compile", "model.pt2", "--calibration", "x.npy", "--out", "out", "--quiet", "--no-synth"])
    err = capsys.readouterr().err
    assert status == 1
    assert err.count("\n") == 1, err
    found = re.fullmatch(r"e3ne: (.*) \(see out/01-torch\.mlir:(\d+)\)\n", err)
    assert found is not None, err
    assert found[1] == message
    module = message.split(": ")[1]
    cited = (tmp_path / "out" / "01-torch.mlir").read_text().splitlines()[int(found[2]) - 1]
    assert f'loc("{module}")' in cited
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.pt2", "out", "x.npy"]


class Named(nn.Module):
    """Layers in named submodules; ``fc1`` runs twice (one module, two hardware layers)."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(4, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )  # fmt: skip
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(32, 16), nn.ReLU())
        self.fc1 = nn.Linear(16, 16)
        self.fc2 = nn.Linear(16, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.classifier(self.features(x))
        x = torch.relu(self.fc1(x))
        return self.fc2(torch.relu(self.fc1(x)))


NAMES = ["features.0", "features.3", "classifier.1", "fc1", "fc1_2", "fc2"]


@pytest.fixture(scope="module")
def named(tmp_path_factory: pytest.TempPathFactory) -> e3ne.Design:
    torch.manual_seed(0)
    x = _inputs(64)
    design = e3ne.compile(Named(), x[:1], x.numpy(), name="named")
    design.write(tmp_path_factory.mktemp("named") / "named")
    return design


def test_layers_are_named_after_their_modules(named: e3ne.Design):
    assert named.directory is not None
    report = json.loads((named.directory / "report.json").read_text())
    assert [row["layer"] for row in report["layers"]] == NAMES
    assert [layer.layer_name.data for layer in find_engine(named.module).layers()] == NAMES
    assert re.findall(r'snn.layer_name = "([\w.]+)"', named.mlir("snn-tiled")) == [*NAMES[:4], "fc1", "fc2"]
    top = (named.directory / "verilog" / "e3ne_top.v").read_text()
    assert [line.split()[1] for line in top.splitlines() if re.match(r"//   \S+ +(conv|linear) ", line)] == NAMES


def test_mlir_input_keeps_the_counter_names(named: e3ne.Design, tmp_path: Path):
    """Without PyTorch modules (IR printed without locations), layers are named by kind and count."""
    text = re.sub(r' loc\("[^"]*"\)', "", named.mlir("torch"))
    design = compile_text(text, "named.mlir", _inputs(64).numpy(), stage="snn-tiled")
    assert "snn.layer_name" not in design.mlir("snn-tiled")


def test_divergence_names_the_pytorch_layer(named: e3ne.Design, tmp_path: Path):
    """Every weight of features.3 negated at its sign bit: the divergence names the PyTorch layer."""
    assert named.directory is not None
    broken = tmp_path / "broken"
    shutil.copytree(named.directory / "verilog", broken, ignore=shutil.ignore_patterns("obj_dir*"))
    params = named.params()
    engine = find_engine(named.module)
    descs = engine.descriptors(params)
    lines = (broken / "conv_weights.mem").read_text().split()
    fields = engine.memories()["conv_weights"].int_prop("word_bits") // params["WB"]
    sign_bits = sum(1 << (k * params["WB"] + params["WB"] - 1) for k in range(fields))
    start, end = descs[1]["w_base"], descs[2]["w_base"]
    lines[start:end] = [f"{int(line, 16) ^ sign_bits:0{len(line)}x}" for line in lines[start:end]]
    (broken / "conv_weights.mem").write_text("\n".join(lines) + "\n")
    report = named.simulate(_inputs(10).numpy(), directory=broken)
    assert report.mismatches > 0
    assert "layer 1 'features.3' (conv)" in report.divergence, report.divergence
