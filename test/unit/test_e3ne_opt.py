"""e3ne-opt as a user meets it: help, pipelines, one-line diagnostics."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from e3ne.tools.e3ne_opt import main

BN_NET = """
func.func @main(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %0 = snn.conv2d %x {weight = dense<1.0> : tensor<2x1x3x3xf32>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>} : tensor<1x1x4x4xf32> -> tensor<1x2x4x4xf32>
  %1 = snn.batch_norm %0 {scale = dense<[2.0, 3.0]> : tensor<2xf32>, shift = dense<[0.5, 1.5]> : tensor<2xf32>} : tensor<1x2x4x4xf32>
  func.return %1 : tensor<1x2x4x4xf32>
}
"""


@pytest.fixture
def bn_file(tmp_path: Path) -> Path:
    path = tmp_path / "bn.mlir"
    path.write_text(BN_NET)
    return path


def test_help_lists_dialects_and_passes():
    out = subprocess.run(
        [sys.executable, "-m", "e3ne.tools.e3ne_opt", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "dialects: builtin, func, arith, snn" in out
    assert "fold-batchnorm" in out


def test_pipeline_runs_passes_in_order(bn_file: Path, capsys: pytest.CaptureFixture[str]):
    assert main([str(bn_file), "-p", "fold-batchnorm,canonicalize,cse"]) == 0
    out = capsys.readouterr().out
    assert "snn.batch_norm" not in out
    assert "bias = dense<[5.000000e-01, 1.500000e+00]>" in out


@pytest.mark.parametrize(
    ("source", "pipeline", "expected"),
    [
        (BN_NET.replace("2x1x3x3", "2x2x3x3"), "", "bn.mlir:3:3: error: 'snn.conv2d': weight has 2 input channels"),
        (BN_NET, "nosuch-pass", "error: bad pass pipeline 'nosuch-pass'"),
        (BN_NET, "fold-batchnorm{bogus=1}", "error: bad pass pipeline"),
        (
            BN_NET.replace("%1 = snn.batch_norm", "%1 = snn.bogus"),
            "",
            "bn.mlir:4:18: error: Operation snn.bogus is not registered",
        ),
        (BN_NET.replace("func.func @main(", "func.func @main"), "", "bn.mlir:2:16: error:"),
    ],
)
def test_bad_input_gives_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str, pipeline: str, expected: str
):
    path = tmp_path / "bn.mlir"
    path.write_text(source)
    args = [str(path)] + (["-p", pipeline] if pipeline else [])
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert expected in err
    assert "Traceback" not in err


def test_fold_batchnorm_rejects_lonely_batch_norm(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    path = tmp_path / "lonely.mlir"
    path.write_text(
        """
func.func @main(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %1 = snn.batch_norm %x {scale = dense<2.0> : tensor<2xf32>, shift = dense<0.5> : tensor<2xf32>} : tensor<1x2x4x4xf32>
  func.return %1 : tensor<1x2x4x4xf32>
}
"""
    )
    assert main([str(path), "-p", "fold-batchnorm"]) == 1
    err = capsys.readouterr().err
    assert "lonely.mlir:3:3: error: 'snn.batch_norm': not supported: batch_norm that does not directly follow" in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-t", 'verilog{dir="x"}'], 'error: bad target \'verilog{dir="x"}\': Provided arguments ["dir"] not found'),
        (["-t", "verilog{directory=3}"], "error: bad target 'verilog{directory=3}': Incompatible types"),
        (["-p", "tile{units=-1}"], "tile: units must be >= 1 (or 0: the pass chooses), got -1"),
    ],
)
def test_bad_options_give_one_line(
    bn_file: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    assert main([str(bn_file), *args]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and expected in err, err


def test_unknown_extension_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "model.txt"
    path.write_text(BN_NET)
    assert main([str(path)]) == 1
    assert "model.txt: Unrecognized file extension 'txt' (e3ne-opt reads MLIR text" in capsys.readouterr().err
    assert main([str(path), "--frontend", "mlir"]) == 0
