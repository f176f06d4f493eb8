"""Building, verifying and round-tripping `snn` IR from Python."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pytest
from xdsl.builder import Builder
from xdsl.dialects import func
from xdsl.dialects.builtin import Float32Type, IntegerType, ModuleOp, TensorType
from xdsl.ir import Block, Region
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.rewriter import InsertPoint
from xdsl.utils.exceptions import VerifyException

from e3ne.dialects import snn
from e3ne.dialects.dense import from_numpy, to_numpy
from e3ne.errors import E3neError, verify_module
from e3ne.ir import make_context, parse_module, print_module

FILECHECK = Path(__file__).parents[1] / "filecheck"


def build_func(arg_type: TensorType, body) -> ModuleOp:
    """A module with ``func.func @main(%x: arg_type)`` whose body ``body(builder, x)`` returns the result."""
    block = Block(arg_types=[arg_type])
    builder = Builder(InsertPoint.at_end(block))
    result = body(builder, block.args[0])
    builder.insert(func.ReturnOp(result))
    main = func.FuncOp("main", ([arg_type], [result.type]), Region(block))
    return ModuleOp([main])


def radix_network(weight_value: int = 3, acc_width: int = 10) -> ModuleOp:
    x_type = TensorType(Float32Type(), [1, 1, 8, 8])

    def body(b: Builder, x):
        codes = b.insert(snn.EncodeOp(x, snn.radix_type([1, 1, 8, 8], 4, 4), step=1 / 15, code_bits=4)).output
        weight = from_numpy(np.full((2, 1, 3, 3), weight_value, dtype=np.int64))
        conv = snn.Conv2dOp(
            codes,
            snn.fixed_type([1, 2, 8, 8], acc_width, 6),
            weight,
            from_numpy(np.array([5, -7])),
            strides=1,
            padding=1,
            weight_quant=snn.WeightQuantAttr(3, 2),
        )
        potentials = b.insert(conv).output
        neuron = b.insert(snn.RadixNeuronOp(potentials, snn.radix_type([1, 2, 8, 8], 4, 3), shift=3)).output
        pooled = b.insert(snn.MaxPool2dOp(neuron, snn.radix_type([1, 2, 4, 4], 4, 3), kernel=2, strides=2)).output
        flat = b.insert(snn.FlattenOp(pooled, snn.radix_type([1, 32], 4, 3))).output
        logits = snn.LinearOp(
            flat,
            snn.fixed_type([1, 10], 12, 4),
            from_numpy(np.arange(-4, 316).reshape(10, 32) % 8 - 4),
            None,
            weight_quant=snn.WeightQuantAttr(3, 1),
        )
        return b.insert(logits).output

    return build_func(x_type, body)


def test_python_built_radix_network_verifies_and_round_trips():
    module = radix_network()
    verify_module(module)
    text = print_module(module)
    assert "snn.radix_neuron" in text and "#snn.radix<4, frac = 3>" in text
    reparsed = parse_module(text)
    verify_module(reparsed)
    assert reparsed.is_structurally_equivalent(module)
    generic = parse_module(print_module(module, generic=True))
    assert generic.is_structurally_equivalent(module)


def test_weights_travel_as_exact_integers():
    module = radix_network()
    reparsed = parse_module(print_module(module))
    conv = next(op for op in reparsed.walk() if isinstance(op, snn.Conv2dOp))
    np.testing.assert_array_equal(conv.weights(), np.full((2, 1, 3, 3), 3))
    np.testing.assert_array_equal(conv.biases(), [5, -7])
    linear = next(op for op in reparsed.walk() if isinstance(op, snn.LinearOp))
    np.testing.assert_array_equal(linear.weights(), np.arange(-4, 316).reshape(10, 32) % 8 - 4)


def test_weight_out_of_range_is_reported_with_values():
    module = radix_network(weight_value=4)
    with pytest.raises(E3neError, match=r"'snn.conv2d': weights \[4, 4\] exceed 3-bit range \[-4, 3\]"):
        verify_module(module)


def test_accumulator_width_comes_from_the_bound():
    # sum|w| * (2^T - 1) + |b| = 9*3*15 + 7 = 412 -> needs 10 signed bits
    verify_module(radix_network(acc_width=10))
    with pytest.raises(VerifyException, match="needs si10"):
        radix_network(acc_width=9).verify()


def test_float_network_with_batch_norm_builds():
    x_type = TensorType(Float32Type(), [2, 3, 6, 6])

    def body(b: Builder, x):
        w = from_numpy(np.ones((4, 3, 3, 3), dtype=np.float32))
        conv = b.insert(snn.Conv2dOp(x, TensorType(Float32Type(), [2, 4, 3, 3]), w, None, strides=2, padding=1))
        bn = b.insert(snn.BatchNormOp(conv.output, from_numpy(np.ones(4)), from_numpy(np.zeros(4))))
        return b.insert(snn.ReluOp(bn.output)).output

    module = build_func(x_type, body)
    verify_module(module)
    assert "snn.batch_norm" in print_module(module)


def test_dense_round_trip_keeps_dtype_and_values():
    values = np.array([[-128, 127], [0, 5]])
    attr = from_numpy(values)
    assert attr.get_element_type() == IntegerType(8)
    np.testing.assert_array_equal(to_numpy(attr), values)
    wide = from_numpy(np.array([1 << 20, -(1 << 20)]))
    assert wide.get_element_type() == IntegerType(32)
    floats = from_numpy(np.array([0.5, -1.25]))
    np.testing.assert_array_equal(to_numpy(floats), [0.5, -1.25])
    with pytest.raises(ValueError, match="do not fit"):
        from_numpy(np.array([300]), IntegerType(8))


def test_every_snn_op_has_a_round_trip_test():
    """Each op of the dialect appears in the lit round-trip files."""
    text = "".join(p.read_text() for p in (FILECHECK / "dialects").glob("snn_*.mlir") if "verify" not in p.name)
    used = set(re.findall(r"\b(snn\.[a-z_0-9]+)\b", text))
    defined = {op.name for op in snn.SNN.operations}
    assert defined <= used, f"ops without a round-trip test: {sorted(defined - used)}"


def test_every_snn_op_has_a_verifier_test():
    text = "".join(p.read_text() for p in (FILECHECK / "dialects").glob("snn*verify.mlir"))
    tested = set(re.findall(r"error: '(snn\.[a-z_0-9]+)'", text))
    defined = {op.name for op in snn.SNN.operations}
    assert defined - tested <= {"snn.relu"} or not defined - tested - {"snn.relu"}, sorted(defined - tested)
    assert len(re.findall(r"// CHECK: .*error: '", text)) >= 10


@pytest.mark.parametrize(
    ("attr", "pretty", "generic"),
    [
        (snn.RadixEncodingAttr(4, 3), "#snn.radix<4, frac = 3>", "#snn.radix<4 : i64, 3 : i64>"),
        (snn.RateEncodingAttr(16), "#snn.rate<16>", "#snn.rate<16 : i64>"),
        (snn.FixedPointAttr(-2), "#snn.fixed<frac = -2>", "#snn.fixed<-2 : i64>"),
        (snn.WeightQuantAttr(3, 5), "#snn.weight_quant<bits = 3, frac = 5>", "#snn.weight_quant<3 : i64, 5 : i64>"),
        (
            snn.ConvTilingAttr(4, 14, 2, 7, 1, 3),
            "#snn.conv_tiling<units = 4, cols = 14, slots = 2, slot_width = 7, col_tiles = 1, groups = 3>",
            "#snn.conv_tiling<4 : i64, 14 : i64, 2 : i64, 7 : i64, 1 : i64, 3 : i64>",
        ),
        (
            snn.LinearTilingAttr(32, 2),
            "#snn.linear_tiling<lanes = 32, groups = 2>",
            "#snn.linear_tiling<32 : i64, 2 : i64>",
        ),
    ],
)
def test_encoding_attributes_read_both_spellings_and_print_the_one_of_the_op_form(
    attr: snn.IntParamsAttr, pretty: str, generic: str
):
    ctx = make_context()
    assert Parser(ctx, pretty).parse_attribute() == attr
    assert Parser(ctx, generic).parse_attribute() == attr
    assert str(attr) == pretty
    out = io.StringIO()
    Printer(stream=out, print_generic_format=True).print_attribute(attr)
    assert out.getvalue() == generic
    assert [f.name for f in attr.FIELDS] == [name for name, _ in type(attr).get_irdl_definition().parameters]


def test_encoding_accessors():
    radix = snn.RadixEncodingAttr(4, 3)
    assert (radix.timesteps.data, radix.frac.data, radix.max_code) == (4, 3, 15)
    quant = snn.WeightQuantAttr(3, 5)
    assert (quant.bits.data, quant.frac.data, quant.limits) == (3, 5, (-4, 3))
    assert snn.RateEncodingAttr(16).timesteps.data == 16
    assert snn.FixedPointAttr(-2).frac.data == -2
    with pytest.raises(VerifyException, match=r"^#snn.radix timesteps must be in \[1, 16\], got 17$"):
        snn.RadixEncodingAttr(17, 0)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ((4, 14, 2, 6, 1, 3), "#snn.conv_tiling slot_width must be cols // slots = 7, got 6"),
        ((4, 14, 2, 7, 2, 3), "#snn.conv_tiling: 2 slots need col_tiles = 1, got 2"),
        ((4, 14, 15, 0, 1, 3), r"#snn.conv_tiling slot_width must be in \[1, 1024\], got 0"),
        ((257, 14, 1, 14, 1, 3), r"#snn.conv_tiling units must be in \[1, 256\], got 257"),
    ],
)
def test_conv_tiling_checks_itself(params: tuple[int, int, int, int, int, int], message: str):
    with pytest.raises(VerifyException, match=f"^{message}$"):
        snn.ConvTilingAttr(*params)
