"""e3ne as an xDSL citizen: the xdsl.universe plugin, passes in a user's own PassPipeline, every
func.func handled, and nothing heavy imported with the dialects and lowerings."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from xdsl.context import Context
from xdsl.dialects import func, get_all_dialects
from xdsl.dialects.builtin import ModuleOp
from xdsl.parser import Parser
from xdsl.passes import PassPipeline
from xdsl.universe import Universe

from e3ne.dialects import e3ne_hw as hw
from e3ne.errors import E3neError
from e3ne.universe import E3NE_UNIVERSE

ROOT = Path(__file__).resolve().parents[2]
SNN = (ROOT / "test" / "filecheck" / "lowering" / "inputs" / "quantized_net.mlir").read_text()
"""A quantized network, func.func @main (conv, pool, two linear layers)."""


def test_multiverse_has_e3ne_once() -> None:
    """Stock xdsl-opt sees our dialects, passes and target (and nothing is registered twice)."""
    multiverse = Universe.get_multiverse()
    assert {"snn", "torch", "e3ne_hw"} <= set(multiverse.all_dialects)
    assert {"convert-torch-to-snn", "fold-batchnorm", "calibrate", "quantize"} <= set(multiverse.all_passes)
    assert {"convert-snn-to-hw", "prepare-verilog"} <= set(multiverse.all_passes)
    assert "verilog" in multiverse.all_targets
    for name, loader in E3NE_UNIVERSE.all_dialects.items():
        assert loader().name == name
    for name, loader in E3NE_UNIVERSE.all_passes.items():
        assert loader().name == name


def _user_context() -> Context:
    """What another xDSL flow does: its own context, xDSL's dialects plus ours."""
    ctx = Context()
    xdsl = get_all_dialects()
    for name in ("builtin", "func", "arith"):
        ctx.register_dialect(name, xdsl[name])
    for name, loader in E3NE_UNIVERSE.all_dialects.items():
        ctx.register_dialect(name, loader)
    return ctx


def _parse(ctx: Context, text: str) -> ModuleOp:
    return Parser(ctx, text).parse_module()


def test_passes_in_a_users_own_pipeline() -> None:
    ctx = _user_context()
    module = _parse(ctx, SNN)
    passes = {**E3NE_UNIVERSE.all_passes}
    spec = "fuse-layers,tile{units=3},convert-snn-to-hw,prepare-verilog"
    PassPipeline.parse_spec(passes, spec).apply(ctx, module)
    module.verify()
    (engine,) = hw.engines(module)
    assert engine.core_params()["CU"] == 3
    out = io.StringIO()
    E3NE_UNIVERSE.all_targets["verilog"]()().emit(ctx, module, out)
    assert "module e3ne_top" in out.getvalue() and ".CU(3)" in out.getvalue()


def _two_networks() -> str:
    second = SNN[SNN.index("func.func @main") :].split("\n// ")[0].replace("@main", "@other")
    return SNN + "\n" + second


def test_every_function_becomes_an_engine() -> None:
    ctx = _user_context()
    module = _parse(ctx, _two_networks())
    spec = "fuse-layers,tile,convert-snn-to-hw,prepare-verilog"
    PassPipeline.parse_spec(E3NE_UNIVERSE.all_passes, spec).apply(ctx, module)
    module.verify()
    engines = hw.engines(module)
    assert [e.sym_name.data for e in engines] == ["main", "other"]
    # each engine's parts follow it: the two programs do not mix
    assert [len(e.layers()) for e in engines] == [3, 3]
    # conv weights, biases, program: the linear layers run on the conv units, so no linear weight ROM
    assert [sorted(e.images()) for e in engines] == 2 * [["biases", "conv_weights", "program"]]


def test_the_function_option_picks_one() -> None:
    ctx = _user_context()
    module = _parse(ctx, _two_networks())
    spec = "fuse-layers{function=other},tile{function=other},convert-snn-to-hw{function=other}"
    PassPipeline.parse_spec(E3NE_UNIVERSE.all_passes, spec).apply(ctx, module)
    assert [e.sym_name.data for e in hw.engines(module)] == ["other"]
    assert [f.sym_name.data for f in module.ops if isinstance(f, func.FuncOp)] == ["main"]
    with pytest.raises(E3neError, match=r"the module has no func\.func @nope"):
        PassPipeline.parse_spec(E3NE_UNIVERSE.all_passes, "convert-snn-to-hw{function=nope}").apply(ctx, module)


def test_quantize_each_function(tmp_path: Path) -> None:
    """Two float networks in one module: quantize (with its function option) handles each."""
    tiny = (ROOT / "examples" / "tiny_float.mlir").read_text()
    text = tiny + "\n" + tiny.replace("@main", "@copy")
    calibration = tmp_path / "calib.npy"
    np.save(calibration, np.random.default_rng(0).random((8, 1, 8, 8)))
    ctx = _user_context()
    module = _parse(ctx, text)
    spec = f'fold-batchnorm,quantize{{function=copy weight_bits=3 calibration="{calibration}"}}'
    PassPipeline.parse_spec(E3NE_UNIVERSE.all_passes, spec).apply(ctx, module)
    quantized = {f.sym_name.data: "snn.encode" in str(f) for f in module.ops}  # type: ignore[attr-defined]
    assert quantized == {"main": False, "copy": True}
    spec = f'quantize{{weight_bits=3 calibration="{calibration}"}}'
    with pytest.raises(E3neError, match="the network is already quantized"):
        PassPipeline.parse_spec(E3NE_UNIVERSE.all_passes, spec).apply(ctx, module)


@pytest.mark.parametrize(
    "module",
    ["e3ne.universe", "e3ne.lowering.torch_to_snn", "e3ne.lowering.snn_to_hw", "e3ne.lowering.prepare_verilog",
     "e3ne.lowering.hw_to_verilog", "e3ne.tools.e3ne_opt", "e3ne.interpreters", "e3ne"],
)  # fmt: skip
def test_importing_does_not_import_torch(module: str) -> None:
    """Dialects, lowerings, the interpreter and the API load without torch (`python -X importtime`)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"], capture_output=True, text=True, check=True
    )
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert module in imported
    assert "torch" not in imported and "torch_mlir" not in imported
