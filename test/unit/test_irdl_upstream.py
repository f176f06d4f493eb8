"""Upstream MLIR (torch-mlir's bindings) checks e3ne's IR against the IRDL of ``e3ne-opt --emit-irdl``.

No unregistered dialects: ``torch`` is torch-mlir's own, ``func``/``builtin`` are upstream's, and
``snn``/``e3ne_hw`` come only from the emitted IRDL. IR goes upstream in generic form with properties
as attributes (ops defined in IRDL have no properties), and comes back to xDSL unchanged.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
from xdsl.context import Context
from xdsl.dialects.builtin import IntAttr, IntegerAttr, StringAttr, TensorType, i64
from xdsl.ir import Dialect, ParametrizedAttribute
from xdsl.irdl import (
    AnyAttr,
    AnyOf,
    AtLeast,
    BaseAttr,
    EqAttrConstraint,
    IntSetConstraint,
    IRDLOperation,
    ParamAttrConstraint,
    irdl_attr_definition,
    irdl_op_definition,
    opt_operand_def,
    param_def,
    prop_def,
)

import e3ne.models
from e3ne.dialects import snn
from e3ne.dialects.irdl import e3ne_irdl_text, irdl_text, upstream_text
from e3ne.ir import make_context, parse_module
from e3ne.passes.fuse_layers import FuseLayersPass
from e3ne.pipeline import Compilation, Options, default_calibration, export_torch

ir: Any = importlib.import_module("torch_mlir.ir")  # compiled modules type checkers cannot see into
upstream_irdl: Any = importlib.import_module("torch_mlir.dialects.irdl")
upstream_torch: Any = importlib.import_module("torch_mlir.dialects.torch")

FILECHECK = Path(__file__).parents[1] / "filecheck"

STAGES = ("torch", "snn-float", "snn-folded", "snn", "hw")
"""The stages upstream checks, every one of the pipeline (``hw``: after prepare-verilog, with
the engine's params and memory images). The engine holds no region: IRDL cannot declare
NoTerminator, so upstream would reject an engine body with "block with no terminator"."""
CASES = [(encoding, stage) for encoding in ("radix", "rate") for stage in STAGES if (encoding, stage) != ("rate", "hw")]
"""(encoding, stage) pairs of the digits model; the hardware engine is radix only."""


def upstream_context(irdl_source: str) -> Any:
    """An upstream MLIR context with torch-mlir's dialects and the dialects of ``irdl_source``."""
    ctx = ir.Context()
    upstream_torch.register_dialect(ctx)
    assert not ctx.allow_unregistered_dialects
    upstream_irdl.load_dialects(ir.Module.parse(irdl_source, ctx))
    return ctx


def upstream_round_trip(text: str, irdl_source: str) -> str:
    """Parse and verify ``text`` upstream; upstream's own generic print of it."""
    module = ir.Module.parse(text, upstream_context(irdl_source))
    assert module.operation.verify()
    return module.operation.get_asm(print_generic_op_form=True)


@pytest.fixture(scope="module")
def e3ne_irdl() -> str:
    return e3ne_irdl_text()


@pytest.fixture(scope="module")
def digits_stages() -> dict[tuple[str, str], str]:
    """(encoding, stage) -> the digits model's IR at that stage, as upstream reads it."""
    model, x, calibration = e3ne.models.digits_example()
    torch_text = export_torch(model, x)
    texts: dict[tuple[str, str], str] = {}
    for encoding in ("radix", "rate"):
        compilation = Compilation(Options().with_(encoding=encoding), default_calibration(x, calibration))
        compilation.start(torch_text)
        for stage in (stage for e, stage in CASES if e == encoding):
            module = compilation.run_until(stage)
            ctx = compilation.ctx if stage == "torch" else None  # the torch stage's weights are resources
            texts[(encoding, stage)] = upstream_text(module, ctx)
    return texts


@pytest.mark.parametrize(("encoding", "stage"), CASES)
def test_upstream_checks_every_stage_of_the_digits_model(
    digits_stages: dict[tuple[str, str], str], e3ne_irdl: str, stage: str, encoding: str
):
    text = digits_stages[(encoding, stage)]
    back = upstream_round_trip(text, e3ne_irdl)
    assert parse_module(back).is_structurally_equivalent(parse_module(text))


def test_digits_stages_use_the_dialects_upstream_loads_from_irdl(digits_stages: dict[tuple[str, str], str]):
    ops = {
        key: set(re.findall(r'"((?:snn|torch|e3ne_hw)\.[a-z_0-9.]+)"\(', text)) for key, text in digits_stages.items()
    }
    assert ops[("radix", "snn")] == {
        "snn.encode",
        "snn.conv2d",
        "snn.radix_neuron",
        "snn.max_pool2d",
        "snn.flatten",
        "snn.linear",
    }
    assert ops[("rate", "snn")] == {
        "snn.encode",
        "snn.conv2d",
        "snn.if_neuron",
        "snn.max_pool2d",
        "snn.flatten",
        "snn.linear",
        "snn.integrate",
    }
    assert {"snn.conv2d", "snn.relu", "snn.max_pool2d", "snn.linear"} <= ops[("radix", "snn-float")]
    assert "torch.aten.convolution" in ops[("radix", "torch")]
    # the linear layers run on the conv units (tile's default): no linear unit
    hw_ops = {"engine", "act_memory", "conv_unit", "pool_unit", "weight_memory", "conv_layer", "memory_image"}
    assert {f"e3ne_hw.{name}" for name in hw_ops} == ops[("radix", "hw")]
    assert "#snn.radix<4 : i64, 4 : i64>" in digits_stages[("radix", "snn")]


@pytest.mark.parametrize("name", ["snn_float.mlir", "snn_quantized.mlir", "snn_spellings.mlir", "snn_fused.mlir"])
def test_upstream_checks_hand_written_snn_ir(e3ne_irdl: str, name: str):
    module = parse_module((FILECHECK / "dialects" / name).read_text(), name)
    text = upstream_text(module)
    assert parse_module(upstream_round_trip(text, e3ne_irdl)).is_structurally_equivalent(module)


def test_upstream_checks_the_fused_digits_model(digits_stages: dict[tuple[str, str], str], e3ne_irdl: str):
    module = parse_module(digits_stages[("radix", "snn")])
    FuseLayersPass().apply(Context(), module)
    text = upstream_text(module)
    assert set(re.findall(r'"(snn\.[a-z_0-9]+)"\(', text)) == {"snn.encode", "snn.conv_layer", "snn.linear_layer"}
    assert parse_module(upstream_round_trip(text, e3ne_irdl)).is_structurally_equivalent(module)


FUSED = """
"func.func"() ({
^bb0(%x: tensor<1x1x8x8xui4, #snn.radix<4 : i64, 4 : i64>>):
  %c = "snn.conv_layer"(%x) {weight = dense<3> : tensor<2x1x3x3xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<3 : i64, 2 : i64>, acc_bits = 10 : i64, shift = 3 : i64, pool_mode = "max", pool_kernel = array<i64: 2, 2>, pool_strides = array<i64: 2, 2>, pool_padding = array<i64: 0, 0>, tiling = #snn.conv_tiling<1 : i64, 16 : i64, 2 : i64, 8 : i64, 1 : i64, 1 : i64>} : (tensor<1x1x8x8xui4, #snn.radix<4 : i64, 4 : i64>>) -> tensor<1x2x4x4xui4, #snn.radix<4 : i64, 3 : i64>>
  %l = "snn.linear_layer"(%c) {weight = dense<-4> : tensor<3x32xi8>, weight_quant = #snn.weight_quant<3 : i64, 1 : i64>, acc_bits = 12 : i64, tiling = #snn.linear_tiling<2 : i64, 2 : i64>} : (tensor<1x2x4x4xui4, #snn.radix<4 : i64, 3 : i64>>) -> tensor<1x3xsi12, #snn.fixed<4 : i64>>
  "func.return"(%l) : (tensor<1x3xsi12, #snn.fixed<4 : i64>>) -> ()
}) {sym_name = "fused", function_type = (tensor<1x1x8x8xui4, #snn.radix<4 : i64, 4 : i64>>) -> tensor<1x3xsi12, #snn.fixed<4 : i64>>} : () -> ()
"""
"""A fused and tiled module as upstream reads it: a conv layer with max pooling that packs two output
channels per conv unit, and the raw last linear layer (flattening its input) on two lanes."""


def test_fused_and_tiled_hand_written_generic_ir_passes_upstream_and_xdsl(e3ne_irdl: str):
    back = upstream_round_trip(FUSED, e3ne_irdl)
    module = parse_module(FUSED)
    module.verify()
    assert parse_module(back).is_structurally_equivalent(module)


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ("acc_bits = 10 : i64, ", "", "'snn.conv_layer' op attribute \"acc_bits\" is expected but not provided"),
        ("shift = 3 : i64", 'shift = "3"', "expected base attribute 'builtin.integer' but got 'builtin.string'"),
        ("#snn.conv_tiling<1 : i64", '#snn.conv_tiling<"1"', "expected base attribute 'builtin.integer'"),
        ("#snn.linear_tiling<2 : i64, 2 : i64>", "#snn.linear_tiling<2 : i64>", "expected 2 type arguments, but had 1"),
    ],
)
def test_upstream_rejects_fused_ir_that_breaks_an_irdl_constraint(e3ne_irdl: str, old: str, new: str, error: str):
    assert old in FUSED
    with pytest.raises(ir.MLIRError, match=re.escape(error)):
        upstream_round_trip(FUSED.replace(old, new, 1), e3ne_irdl)


SMALL = """
"func.func"() ({
^bb0(%x: tensor<1x2x4x4xf32>, %v: tensor<1x2xsi10, #snn.fixed<6 : i64>>):
  %b = "snn.batch_norm"(%x) {scale = dense<2.0> : tensor<2xf32>, shift = dense<0.5> : tensor<2xf32>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %c = "snn.radix_neuron"(%v) {shift = 3 : i64} : (tensor<1x2xsi10, #snn.fixed<6 : i64>>) -> tensor<1x2xui4, #snn.radix<4 : i64, 3 : i64>>
  "func.return"() : () -> ()
}) {sym_name = "small", function_type = (tensor<1x2x4x4xf32>, tensor<1x2xsi10, #snn.fixed<6 : i64>>) -> ()} : () -> ()
"""


def test_small_hand_written_generic_ir_passes_upstream_and_xdsl(e3ne_irdl: str):
    upstream_round_trip(SMALL, e3ne_irdl)
    parse_module(SMALL).verify()


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        # a string where an integer is required
        ("shift = 3 : i64", 'shift = "three"', "expected base attribute 'builtin.integer' but got 'builtin.string'"),
        # xDSL's VarConstraint: the result type of batch_norm is its input type
        (
            "-> tensor<1x2x4x4xf32>\n",
            "-> tensor<1x2x4x4xf16>\n",
            "expected 'tensor<1x2x4x4xf32>' but got 'tensor<1x2x4x4xf16>'",
        ),
        # a required property missing
        ("{shift = 3 : i64}", "", "'snn.radix_neuron' op attribute \"shift\" is expected but not provided"),
        # an encoding parameter that is not an integer
        ("#snn.radix<4 : i64, 3 : i64>", '#snn.radix<4 : i64, "3">', "expected base attribute 'builtin.integer'"),
        # an op the IRDL does not define, with unregistered dialects not allowed
        (
            '"snn.radix_neuron"',
            '"snn.bogus"',
            "unregistered operation 'snn.bogus' found in dialect ('snn') that does not allow unknown operations",
        ),
    ],
)
def test_upstream_rejects_ir_that_breaks_an_irdl_constraint(e3ne_irdl: str, old: str, new: str, error: str):
    assert old in SMALL
    with pytest.raises(ir.MLIRError, match=re.escape(error)):
        upstream_round_trip(SMALL.replace(old, new, 1), e3ne_irdl)


# The constraint kinds the redesigned e3ne_hw uses: integer properties with xDSL ranges or sets,
# enum attributes with one StringAttr parameter, string choices.


@irdl_attr_definition
class PoolModeAttr(ParametrizedAttribute):
    name = "toyhw.pool"
    mode: StringAttr = param_def(EqAttrConstraint(StringAttr("max")) | EqAttrConstraint(StringAttr("avg")))


@irdl_op_definition
class UnitOp(IRDLOperation):
    name = "toyhw.unit"
    units = prop_def(IntegerAttr.constr(value=AtLeast(1)))
    bank = prop_def(IntegerAttr.constr(EqAttrConstraint(i64), value=IntSetConstraint(frozenset({0, 1}))))
    pool = prop_def(PoolModeAttr)
    kind = prop_def(EqAttrConstraint(StringAttr("conv")) | EqAttrConstraint(StringAttr("linear")))


TOY_HW = Dialect("toyhw", [UnitOp], [PoolModeAttr])
TOY_UNIT = '"toyhw.unit"() {units = 3 : i64, bank = 1 : i64, pool = #toyhw.pool<"max">, kind = "conv"} : () -> ()'


def test_hw_style_constraints_become_irdl():
    text = irdl_text([TOY_HW])
    assert (
        """irdl.dialect @toyhw {
  irdl.attribute @pool {
    %0 = irdl.is "avg"
    %1 = irdl.is "max"
    %2 = irdl.any_of(%0, %1)
    irdl.parameters(mode: %2)
  }
  // toyhw.unit, not stated in IRDL:
  //   units: #builtin.integer with value >= 1
  irdl.operation @unit {
    %0 = irdl.base "#builtin.integer"
    %1 = irdl.is 0 : i64
    %2 = irdl.is 1 : i64
    %3 = irdl.any_of(%1, %2)
    %4 = irdl.base @toyhw::@pool
    %5 = irdl.is "conv"
    %6 = irdl.is "linear"
    %7 = irdl.any_of(%5, %6)
    irdl.attributes {
      "units" = %0,
      "bank" = %3,
      "pool" = %4,
      "kind" = %7
    }
  }
}
"""
        in text
    )


def test_integer_ranges_are_checked_by_xdsl_only():
    """``units >= 1`` is in the comment, not in the IRDL: upstream accepts 0, xDSL does not."""
    zero = TOY_UNIT.replace("units = 3", "units = 0")
    upstream_round_trip(zero, irdl_text([TOY_HW]))
    ctx = make_context()
    ctx.load_dialect(TOY_HW)
    with pytest.raises(Exception, match="expected integer >= 1, got 0"):
        parse_module(zero, ctx=ctx).verify()


# Constraints on our own attributes (irdl.parametric), optional operands, anything, and a value the
# IRDL cannot spell (a tensor type with our encoding is not parseable while the IRDL is being loaded).


@irdl_op_definition
class ProbeOp(IRDLOperation):
    name = "toyprobe.probe"
    input = opt_operand_def(TensorType)
    enc = prop_def(ParamAttrConstraint(snn.RadixEncodingAttr, (EqAttrConstraint(IntAttr(4)), AnyAttr())))
    fixed = prop_def(EqAttrConstraint(snn.FixedPointAttr(3)))
    anything = prop_def(AnyAttr())
    codes = prop_def(EqAttrConstraint(snn.radix_type([2], 4, 3)))
    # two xDSL bases, one upstream base: upstream rejects an any_of of two equal irdl.base
    number = prop_def(AnyOf((BaseAttr(IntAttr), BaseAttr(IntegerAttr))))


TOY_PROBE = Dialect("toyprobe", [ProbeOp], [])
PROBE = (
    '"toyprobe.probe"() {enc = #snn.radix<4 : i64, 2 : i64>, fixed = #snn.fixed<3 : i64>, anything = unit, '
    "codes = tensor<2xui4, #snn.radix<4 : i64, 3 : i64>>, number = 7 : i64} : () -> ()"
)


def test_constraints_on_our_attributes_become_parametric():
    text = irdl_text([snn.SNN, TOY_PROBE])
    assert (
        """irdl.dialect @toyprobe {
  // toyprobe.probe, not stated in IRDL:
  //   codes: tensor<2xui4, #snn.radix<4, frac = 3>>
  irdl.operation @probe {
    %0 = irdl.base "!builtin.tensor"
    irdl.operands(input: optional %0)
    %1 = irdl.is 4 : i64
    %2 = irdl.any
    %3 = irdl.parametric @snn::@radix<%1, %2>
    %4 = irdl.is 3 : i64
    %5 = irdl.parametric @snn::@fixed<%4>
    %6 = irdl.any
    %7 = irdl.base "!builtin.tensor"
    %8 = irdl.base "#builtin.integer"
    irdl.attributes {
      "enc" = %3,
      "fixed" = %5,
      "anything" = %6,
      "codes" = %7,
      "number" = %8
    }
  }
}
"""
        in text
    )


@pytest.mark.parametrize(
    ("dialects", "text", "old", "new", "error"),
    [
        ([TOY_HW], TOY_UNIT, "", "", None),
        ([TOY_HW], TOY_UNIT, '#toyhw.pool<"max">', '#toyhw.pool<"min">', "'\"min\"' does not satisfy the constraint"),
        ([TOY_HW], TOY_UNIT, "bank = 1 : i64", "bank = 2 : i64", "'2 : i64' does not satisfy the constraint"),
        ([TOY_HW], TOY_UNIT, 'kind = "conv"', 'kind = "pool"', "'\"pool\"' does not satisfy the constraint"),
        ([TOY_HW], TOY_UNIT, "units = 3 : i64", 'units = "3"', "expected base attribute 'builtin.integer'"),
        ([snn.SNN, TOY_PROBE], PROBE, "", "", None),
        (
            [snn.SNN, TOY_PROBE],
            PROBE,
            "enc = #snn.radix<4",
            "enc = #snn.radix<5",
            "expected '4 : i64' but got '5 : i64'",
        ),
        ([snn.SNN, TOY_PROBE], PROBE, "#snn.fixed<3", "#snn.fixed<2", "expected '3 : i64' but got '2 : i64'"),
    ],
)
def test_upstream_checks_the_translated_constraints(
    dialects: list[Dialect], text: str, old: str, new: str, error: str | None
):
    source = irdl_text(dialects)
    if error is None:
        upstream_round_trip(text, source)
        return
    assert old in text
    with pytest.raises(ir.MLIRError, match=re.escape(error)):
        upstream_round_trip(text.replace(old, new), source)
