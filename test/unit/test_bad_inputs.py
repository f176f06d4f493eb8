"""The bad-input corpus: every entry point meets what a user gets wrong.

Each case runs one bad input through ``e3ne compile``, ``e3ne run``, ``e3ne simulate``,
``e3ne-opt``, stock ``xdsl-opt`` or the Python API and asserts what the user sees: a non-zero exit
(:class:`e3ne.errors.E3neError` from the API), exactly one line on stderr that names the option,
file, op or layer at fault, no traceback, nothing written outside the case's output folder, and no
user file there overwritten. The CLI and ``e3ne-opt`` run in-process (their ``main``); ``xdsl-opt``
and two ``e3ne-opt`` cases run as the real executables (its plugin hook and the exit codes).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from torch import nn

import e3ne
from e3ne.errors import E3neError
from e3ne.tools.cli import main as e3ne_main
from e3ne.tools.e3ne_opt import main as e3ne_opt_main

MODELS = """
import numpy as np
import torch
from torch import nn


def _net(*layers):
    torch.manual_seed(0)
    return nn.Sequential(*layers).eval()


def tiny():
    return _net(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(72, 4)), torch.rand(1, 1, 8, 8)


def raises():
    raise RuntimeError("the checkpoint is gone")


def nan_weights():
    model, x = tiny()
    with torch.no_grad():
        model[0].weight[1, 0, 2, 2] = float("nan")
    return model, x


def inf_bias():
    model, x = tiny()
    with torch.no_grad():
        model[3].bias[1] = float("inf")
    return model, x


def gelu():
    return _net(nn.Conv2d(1, 2, 3), nn.GELU(), nn.Flatten(), nn.Linear(72, 4)), torch.rand(1, 1, 8, 8)


def dilated():
    return _net(nn.Conv2d(1, 2, 3, dilation=2), nn.ReLU(), nn.Flatten(), nn.Linear(32, 4)), torch.rand(1, 1, 8, 8)


def mismatched():
    return _net(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(50, 4)), torch.rand(1, 1, 8, 8)


def two_inputs():
    return tiny()[0], (torch.rand(1, 1, 8, 8), torch.rand(1, 1, 8, 8))


def not_a_model():
    return "model.pt", torch.rand(1, 1, 8, 8)
"""

VERIFIER_VIOLATION = """func.func @main(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %0 = snn.conv2d %x {weight = dense<1.0> : tensor<2x2x3x3xf32>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>} : tensor<1x1x4x4xf32> -> tensor<1x2x4x4xf32>
  func.return %0 : tensor<1x2x4x4xf32>
}
"""


def tiny_model() -> tuple[nn.Module, torch.Tensor, np.ndarray]:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(72, 4)).eval()
    return model, torch.rand(1, 1, 8, 8), np.random.default_rng(0).random((6, 1, 8, 8))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder of bad (and a few good) inputs, the tiny model's compiled design in ``design/``, and
    ``e3ne_bad_models`` importable for ``e3ne compile MODULE:FUNCTION``."""
    root = tmp_path_factory.mktemp("corpus")
    model, x, calibration = tiny_model()
    design = e3ne.compile(model, x, calibration, name="tiny")
    design.write(root / "design")
    (root / "e3ne_bad_models.py").write_text(MODELS)
    np.save(root / "x.npy", calibration)
    bad = calibration.copy()
    bad[1, 0, 3, 4] = np.nan
    np.save(root / "nan.npy", bad)
    bad[1, 0, 3, 4] = -np.inf
    np.save(root / "inf.npy", bad)
    np.save(root / "channels.npy", np.zeros((2, 3, 8, 8)))
    np.save(root / "flat.npy", np.zeros(64))
    np.save(root / "empty.npy", np.zeros((0, 1, 8, 8)))
    np.save(root / "strings.npy", np.full((2, 1, 8, 8), "a"))
    np.save(root / "complex.npy", calibration.astype(np.complex128))
    np.save(root / "zeros.npy", np.zeros((4, 1, 8, 8)))
    (root / "corrupt.npy").write_bytes(b"\x93NUMPY\x01\x00garbage")
    snn_text = (root / "design" / "snn.mlir").read_text()
    (root / "truncated.mlir").write_text(snn_text[: len(snn_text) * 2 // 3])
    (root / "syntax.mlir").write_text(snn_text.replace("snn.radix_neuron %", "snn.radix_neuron (%", 1))
    (root / "binary.mlir").write_bytes(bytes(range(256)))
    (root / "empty.mlir").write_text("")
    (root / "verifier.mlir").write_text(VERIFIER_VIOLATION)
    torch.export.save(torch.export.export(model, (x,)), str(root / "tiny.pt2"))
    archive = (root / "tiny.pt2").read_bytes()
    (root / "truncated.pt2").write_bytes(archive[: len(archive) // 2])
    (root / "garbage.pt2").write_bytes(b"not a zip archive")
    (root / "empty.onnx").write_bytes(b"")
    (root / "truncated.onnx").write_bytes(b"\x08\x07\x12\x07pytorch\x1a")
    from e3ne.torch_import import export_torch

    sigmoid = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Sigmoid(), nn.Flatten(), nn.Linear(72, 4)).eval()
    (root / "sigmoid.torch.mlir").write_text(export_torch(sigmoid, x))
    sys.path.insert(0, str(root))
    yield root
    sys.path.remove(str(root))
    sys.modules.pop("e3ne_bad_models", None)


# --------------------------------------------------------------------------- the corpus


@dataclass(frozen=True)
class Case:
    """One bad input: ``args`` (``{c}``: the corpus folder, ``{out}``: the case's output folder, not
    created unless ``user_files`` are put there) or, for the API, ``call(corpus, out)``."""

    entry: str  # compile, run, simulate, e3ne-opt, xdsl-opt, api
    message: str  # in the one line: the option, file, op or layer at fault
    args: tuple[str, ...] = ()
    call: Callable[[Path, Path], object] | None = None
    user_files: dict[str, str] = field(default_factory=dict)
    edit: Callable[[Path], None] | None = None  # for simulate: edits a copy of the design folder
    subprocess: bool = False
    read_only: bool = False  # the output folder exists, empty and read-only


def _compile(*args: str) -> Case:
    """``e3ne compile ARGS`` (the tiny model unless ARGS name one); the last of ``args`` is the message."""
    model = ("e3ne_bad_models:tiny",) if args[0].startswith("--") else ()
    return Case(
        "compile", args[-1], ("compile", *model, *args[:-1], "--out", "{out}", "--no-sim", "--no-synth", "--quiet")
    )


def _drop(name: str) -> Callable[[Path], None]:
    return lambda folder: shutil.rmtree(folder / name) if (folder / name).is_dir() else (folder / name).unlink()


def _truncate(name: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        text = (folder / name).read_text()
        (folder / name).write_text(text[: len(text) // 2])

    return edit


def _rename_op(name: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        (folder / name).write_text((folder / name).read_text().replace(old, new, 1))

    return edit


def _api_compile(build: str, **options: Any) -> Callable[[Path, Path], object]:
    def call(corpus: Path, out: Path) -> object:
        import e3ne_bad_models  # type: ignore[import-not-found]

        model, x = getattr(e3ne_bad_models, build)()
        return e3ne.compile(model, x, **options)

    return call


def _api_write(corpus: Path, out: Path) -> object:
    model, x, calibration = tiny_model()
    return e3ne.compile(model, x, calibration, stage="snn").write(out)


def _api_predict(array: str) -> Callable[[Path, Path], object]:
    def call(corpus: Path, out: Path) -> object:
        model, x, calibration = tiny_model()
        return e3ne.compile(model, x, calibration, stage="snn").predict(np.load(corpus / array))

    return call


CASES: dict[str, Case] = {
    # ---- e3ne compile: models, files, options, output folders
    "compile-unsupported-op": _compile("e3ne_bad_models:gelu", "--calibration", "{c}/x.npy", "1 (GELU): not supported: torch.aten.gelu"),
    "compile-unsupported-option": _compile("e3ne_bad_models:dilated", "0 (Conv2d): not supported: dilated convolution (dilation = [2, 2])"),
    "compile-shape-mismatch": _compile("e3ne_bad_models:mismatched", "torch-mlir could not export the model: a and b must have same reduction dim"),
    "compile-nan-weights": _compile("e3ne_bad_models:nan_weights", "0 (Conv2d): 'snn.conv2d': weight holds NaN or infinity"),
    "compile-inf-bias": _compile("e3ne_bad_models:inf_bias", "3 (Linear): 'snn.linear': bias holds NaN or infinity"),
    "compile-two-inputs": _compile("e3ne_bad_models:two_inputs", "the network must take one input tensor, the example input is a tuple of 2"),
    "compile-not-a-model": _compile("e3ne_bad_models:not_a_model", "expected a torch.nn.Module or an ExportedProgram, got str"),
    "compile-model-function-raises": _compile("e3ne_bad_models:raises", "model function 'raises' raised RuntimeError: the checkpoint is gone"),
    "compile-no-such-module": _compile("e3ne_no_such_models:build", "cannot import 'e3ne_no_such_models'"),
    "compile-truncated-mlir": _compile("{c}/truncated.mlir", "truncated.mlir:"),
    "compile-malformed-mlir": _compile("{c}/syntax.mlir", "syntax.mlir:5:"),
    "compile-binary-mlir": _compile("{c}/binary.mlir", "binary.mlir: not MLIR text (byte 128 is not UTF-8)"),
    "compile-empty-mlir": _compile("{c}/empty.mlir", "empty.mlir: neither torch-mlir's torch dialect nor snn IR"),
    "compile-verifier-violation": _compile("{c}/verifier.mlir", "--calibration", "{c}/x.npy", "verifier.mlir:2:3: error: 'snn.conv2d': weight has 2 input channels but the input has 1"),
    "compile-hw-mlir": _compile("{c}/design/06-hw.mlir", "06-hw.mlir: this is e3ne_hw IR, compiled already"),
    "compile-truncated-pt2": _compile("{c}/truncated.pt2", "cannot load {c}/truncated.pt2 with torch.export.load"),
    "compile-garbage-pt2": _compile("{c}/garbage.pt2", "cannot load {c}/garbage.pt2 with torch.export.load"),
    "compile-missing-pt2": _compile("{c}/missing.pt2", "no such file: {c}/missing.pt2"),
    "compile-empty-onnx": _compile("{c}/empty.onnx", "--calibration", "{c}/x.npy", "empty.onnx: the model must take exactly one input tensor"),
    "compile-truncated-onnx": _compile("{c}/truncated.onnx", "--calibration", "{c}/x.npy", "truncated.onnx: not a readable ONNX model"),
    "compile-calibration-missing": _compile("--calibration", "{c}/missing.npy", "calibration file not found: {c}/missing.npy"),
    "compile-calibration-corrupt": _compile("--calibration", "{c}/corrupt.npy", "cannot read calibration file {c}/corrupt.npy"),
    "compile-calibration-shape": _compile("--calibration", "{c}/channels.npy", "calibration data for @main must have shape (N, 1, 8, 8), got (2, 3, 8, 8)"),
    "compile-calibration-nan": _compile("--calibration", "{c}/nan.npy", "quantize: the calibration inputs hold NaN or infinity"),
    "compile-calibration-strings": _compile("--calibration", "{c}/strings.npy", "the calibration inputs must be real numbers, got <U1"),
    "compile-calibration-empty": _compile("--calibration", "{c}/empty.npy", "quantize: no calibration inputs (the batch is empty)"),
    "compile-calibration-zeros": _compile("--calibration", "{c}/zeros.npy", "quantize: the calibration inputs are all 0"),
    "compile-impossible-budget": _compile("--budget", "lut=10", "explore: no design of @main fits the budget"),
    "compile-nonsense-budget": _compile("--budget", "lut=lots", "explore: budget: lut needs a number, got 'lots'"),
    "compile-timesteps-not-a-number": _compile("--timesteps", "four", "e3ne compile: error: argument --timesteps: invalid int value: 'four'"),
    "compile-weight-bits-out-of-range": _compile("--weight-bits", "1", "quantize: weight_bits must be in [2, 16], got 1"),
    "compile-too-many-conv-units": _compile("--conv-units", "1000", "tile: units must be at most 256, got 1000"),
    "compile-negative-cols": _compile("--cols", "-3", "tile: cols must be >= 1 (or 0: the pass chooses), got -3"),
    "compile-unknown-board": _compile("--board", "de10", "--board: unknown board 'de10'"),
    "compile-out-is-a-file": Case("compile", "{c}/x.npy: is a file, not a folder", ("compile", "--out", "{c}/x.npy", "--quiet")),
    "compile-out-under-a-file": Case("compile", "{c}/x.npy: is a file, not a folder", ("compile", "--out", "{c}/x.npy/design", "--quiet")),
    "compile-out-holds-user-files": Case(
        "compile", "{out} holds files e3ne did not write (notes.txt, snn.mlir)", ("compile", "--out", "{out}", "--quiet"),
        user_files={"notes.txt": "my notes", "snn.mlir": "my own network"},
    ),
    "compile-out-read-only": Case(
        "compile", "{out}: no permission to write the design there", ("compile", "--out", "{out}", "--quiet"),
        read_only=True,
    ),
    # ---- e3ne run
    "run-wrong-shape": Case("run", "{c}/channels.npy: inputs must have shape (N, 1, 8, 8), got (2, 3, 8, 8)", ("run", "{c}/design/snn.mlir", "--input", "{c}/channels.npy")),
    "run-wrong-rank": Case("run", "{c}/flat.npy: inputs must have shape (N, 1, 8, 8), got (64,)", ("run", "{c}/design/snn.mlir", "--input", "{c}/flat.npy")),
    "run-nan-input": Case("run", "{c}/nan.npy: inputs hold NaN or infinity (at index (1, 0, 3, 4))", ("run", "{c}/design/snn.mlir", "--input", "{c}/nan.npy")),
    "run-inf-input": Case("run", "{c}/inf.npy: inputs hold NaN or infinity (at index (1, 0, 3, 4))", ("run", "{c}/design/snn.mlir", "--input", "{c}/inf.npy")),
    "run-string-input": Case("run", "{c}/strings.npy: inputs must be real numbers, got <U1", ("run", "{c}/design/snn.mlir", "--input", "{c}/strings.npy")),
    "run-complex-input": Case("run", "{c}/complex.npy: inputs must be real numbers, got complex128", ("run", "{c}/design/snn.mlir", "--input", "{c}/complex.npy")),
    "run-empty-batch": Case("run", "{c}/empty.npy: no inputs (the batch is empty)", ("run", "{c}/design/snn.mlir", "--input", "{c}/empty.npy")),
    "run-corrupt-input": Case("run", "cannot read {c}/corrupt.npy as .npy", ("run", "{c}/design/snn.mlir", "--input", "{c}/corrupt.npy")),
    "run-missing-input": Case("run", "input file not found: {c}/missing.npy", ("run", "{c}/design/snn.mlir", "--input", "{c}/missing.npy")),
    "run-torch-mlir": Case("run", "01-torch.mlir: e3ne run runs snn IR, this is torch IR", ("run", "{c}/design/01-torch.mlir", "--input", "{c}/x.npy")),
    "run-truncated-mlir": Case("run", "truncated.mlir:", ("run", "{c}/truncated.mlir", "--input", "{c}/x.npy")),
    "run-model-is-a-folder": Case("run", "{c}/design: is a directory", ("run", "{c}/design", "--input", "{c}/x.npy")),
    "run-output-is-a-folder": Case("run", "--output {c}: name a .npy file", ("run", "{c}/design/snn.mlir", "--input", "{c}/x.npy", "--output", "{c}")),
    # ---- e3ne simulate (a copy of the design folder, edited by hand where the case says)
    "simulate-wrong-shape": Case("simulate", "{c}/channels.npy: inputs must have shape (N, 1, 8, 8)", ("simulate", "{out}", "--input", "{c}/channels.npy")),
    "simulate-nan-input": Case("simulate", "{c}/nan.npy: inputs hold NaN or infinity", ("simulate", "{out}", "--input", "{c}/nan.npy")),
    "simulate-empty-batch": Case("simulate", "{c}/empty.npy: no inputs (the batch is empty)", ("simulate", "{out}", "--input", "{c}/empty.npy")),
    "simulate-not-a-design": Case("simulate", "{c}/x.npy is not an e3ne compile output", ("simulate", "{c}/x.npy", "--input", "{c}/x.npy")),
    "simulate-edited-no-verilog": Case("simulate", "{out} is not an e3ne compile output", ("simulate", "{out}", "--input", "{c}/x.npy"), edit=_drop("verilog")),
    "simulate-edited-truncated-hw": Case("simulate", "06-hw.mlir:", ("simulate", "{out}", "--input", "{c}/x.npy"), edit=_truncate("06-hw.mlir")),
    "simulate-edited-snn": Case(
        "simulate", "out/snn.mlir:5:21: error: Operation snn.neuron is not registered", ("simulate", "{out}", "--input", "{c}/x.npy"),
        edit=_rename_op("snn.mlir", "snn.radix_neuron", "snn.neuron"),
    ),
    # ---- e3ne-opt
    "e3ne-opt-truncated": Case("e3ne-opt", "truncated.mlir:", ("{c}/truncated.mlir",)),
    "e3ne-opt-binary": Case("e3ne-opt", "binary.mlir: not MLIR text", ("{c}/binary.mlir",)),
    "e3ne-opt-verifier-violation": Case("e3ne-opt", "verifier.mlir:2:3: error: 'snn.conv2d': weight has 2 input channels", ("{c}/verifier.mlir",)),
    "e3ne-opt-unsupported-op": Case("e3ne-opt", "1 (Sigmoid): not supported: torch.aten.sigmoid", ("{c}/sigmoid.torch.mlir", "-p", "convert-torch-to-snn")),
    "e3ne-opt-nan-calibration": Case("e3ne-opt", "quantize: the calibration inputs hold NaN or infinity", ("{c}/design/03-snn-folded.mlir", "-p", 'quantize{calibration="{c}/nan.npy"}')),
    "e3ne-opt-wrong-stage": Case("e3ne-opt", "convert-snn-to-hw: the function must start with snn.encode (run quantize first)", ("{c}/design/03-snn-folded.mlir", "-p", "convert-snn-to-hw")),
    "e3ne-opt-target-folder-is-a-file": Case("e3ne-opt", "{c}/x.npy/rtl: not a directory", ("{c}/design/06-hw.mlir", "-t", 'verilog{directory="{c}/x.npy"}')),
    "e3ne-opt-unknown-target": Case("e3ne-opt", "e3ne-opt: error: argument -t/--target: invalid choice: 'vhdl'", ("{c}/design/06-hw.mlir", "-t", "vhdl"), subprocess=True),
    "e3ne-opt-missing-file": Case("e3ne-opt", "no such file: {c}/missing.mlir", ("{c}/missing.mlir",), subprocess=True),
    # ---- stock xdsl-opt with e3ne's plugin
    "xdsl-opt-truncated": Case("xdsl-opt", "truncated.mlir:", ("{c}/truncated.mlir",), subprocess=True),
    "xdsl-opt-verifier-violation": Case("xdsl-opt", "'snn.conv2d': weight has 2 input channels but the input has 1", ("{c}/verifier.mlir",), subprocess=True),
    "xdsl-opt-unsupported-op": Case("xdsl-opt", "1 (Sigmoid): not supported: torch.aten.sigmoid", ("{c}/sigmoid.torch.mlir", "-p", "convert-torch-to-snn"), subprocess=True),
    "xdsl-opt-bad-pass-option": Case("xdsl-opt", "quantize: timesteps must be in [1, 16], got 0", ("{c}/design/03-snn-folded.mlir", "-p", "quantize{timesteps=0}"), subprocess=True),
    "xdsl-opt-binary": Case("xdsl-opt", "the input is not MLIR text", ("{c}/binary.mlir",), subprocess=True),
    # ---- the Python API: E3neError
    "api-unsupported-op": Case("api", "1 (GELU): not supported: torch.aten.gelu", call=_api_compile("gelu")),
    "api-nan-weights": Case("api", "0 (Conv2d): 'snn.conv2d': weight holds NaN or infinity", call=_api_compile("nan_weights")),
    "api-unknown-option": Case("api", "unknown option 'timestep'", call=_api_compile("tiny", timestep=4)),
    "api-option-out-of-range": Case("api", "quantize: timesteps must be in [1, 16], got 99", call=_api_compile("tiny", timesteps=99)),
    "api-unknown-stage": Case("api", "unknown stage 'verilog'", call=_api_compile("tiny", stage="verilog")),
    "api-write-into-user-folder": Case("api", "holds files e3ne did not write (notes.txt)", call=_api_write, user_files={"notes.txt": "mine"}),
    "api-predict-wrong-shape": Case("api", "inputs must have shape (N, 1, 8, 8), got (2, 3, 8, 8)", call=_api_predict("channels.npy")),
    "api-predict-nan": Case("api", "inputs hold NaN or infinity", call=_api_predict("nan.npy")),
    "api-onnx-missing": Case("api", "no such file", call=lambda c, out: e3ne.compile_onnx(c / "missing.onnx", np.load(c / "x.npy"))),
}  # fmt: skip


def test_corpus_is_large_and_covers_every_entry_point():
    entries = [case.entry for case in CASES.values()]
    assert len(CASES) >= 40
    assert {entry: entries.count(entry) >= 5 for entry in {*entries}} == dict.fromkeys(
        ("compile", "run", "simulate", "e3ne-opt", "xdsl-opt", "api"), True
    )


# --------------------------------------------------------------------------- running a case


SYSFS_OUT = "/sys/e3ne-design"
"""The read-only output folder when the tests run as root (a folder sysfs does not let anyone create)."""


def _snapshot(*folders: Path) -> dict[Path, tuple[int, int]]:
    """Every file under ``folders``: (size, modification time)."""
    found = {}
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                stat = path.stat()
                found[path] = (stat.st_size, stat.st_mtime_ns)
    return found


def _fill(text: str, corpus: Path, out: Path) -> str:
    return text.replace("{c}", str(corpus)).replace("{out}", str(out))


def _run_tool(case: Case, argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    if case.subprocess:
        tool = Path(sys.executable).parent / case.entry
        done = subprocess.run(
            [str(tool), *argv], capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"}
        )
        return done.returncode, done.stderr
    main = e3ne_opt_main if case.entry == "e3ne-opt" else e3ne_main
    try:
        status = main(argv)
    except SystemExit as exit:  # argparse
        status = exit.code if isinstance(exit.code, int) else 1
    return status, capsys.readouterr().err


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input(
    name: str, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    case = CASES[name]
    cwd, out = tmp_path / "cwd", tmp_path / "out"
    as_root = case.read_only and os.geteuid() == 0
    if as_root:  # root writes into a folder of mode 555; sysfs refuses even root a new folder
        out = Path(SYSFS_OUT)
    cwd.mkdir()
    monkeypatch.chdir(cwd)  # anything written to the working folder shows in the snapshot
    if case.entry == "simulate" and "{out}" in " ".join(case.args):
        shutil.copytree(corpus / "design", out)
        if case.edit is not None:
            case.edit(out)
    for file, text in case.user_files.items():
        out.mkdir(exist_ok=True)
        (out / file).write_text(text)
    if case.read_only and not as_root:
        out.mkdir()
        out.chmod(0o555)
    before = _snapshot(corpus, cwd, out)
    capsys.readouterr()
    try:
        if case.call is not None:
            with pytest.raises(E3neError) as raised:
                case.call(corpus, out)
            status, err = 1, f"{raised.value.args[0]}\n"
            assert capsys.readouterr().err == "", "the API printed to stderr"
        else:
            status, err = _run_tool(case, [_fill(a, corpus, out) for a in case.args], capsys)
    finally:
        if case.read_only and not as_root:
            out.chmod(0o755)
    assert status == 1, err
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    assert (f"{out}: operation not permitted" if as_root else _fill(case.message, corpus, out)) in err
    after = _snapshot(corpus, cwd, out)
    outside = {p for p in after.keys() ^ before.keys() if out not in p.parents} | {
        p for p in before.keys() & after.keys() if before[p] != after[p] and out not in p.parents
    }
    assert not outside, f"written outside {out}: {sorted(map(str, outside))}"
    for file, text in case.user_files.items():
        assert (out / file).read_text() == text, f"{file} was overwritten"
