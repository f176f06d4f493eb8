"""The `torch` dialect reads what torch-mlir prints: every e3ne model, its weights and its constants."""

from __future__ import annotations

import importlib.util
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from torch import nn
from xdsl.builder import Builder
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import BFloat16Type, IntegerType, ModuleOp, Signedness, UnregisteredOp, f32, i1
from xdsl.ir import Attribute, Block, Region
from xdsl.parser import Parser
from xdsl.rewriter import InsertPoint
from xdsl.utils.exceptions import VerifyException

from e3ne import models
from e3ne.dialects import torch as tm
from e3ne.dialects.dense import from_numpy
from e3ne.errors import E3neError, verify_module
from e3ne.ir import make_context, parse_module, print_module
from e3ne.tools.e3ne_opt import main as e3ne_opt

INPUTS = Path(__file__).parents[1] / "filecheck" / "torch" / "inputs"
EXAMPLES = {**models.PAPER_MODELS, "digits": models.digits_example}


def export(model: nn.Module, *args: object) -> str:
    """What ``torch_mlir.fx.export_and_import`` prints (its own warnings silenced)."""
    from torch_mlir import fx

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return str(fx.export_and_import(model, *args))


def literal_ops(module: ModuleOp) -> list[tm.VTensorLiteralOp]:
    return [op for op in module.walk() if isinstance(op, tm.VTensorLiteralOp)]


def ops_of(module: ModuleOp, cls: type) -> list:
    return [op for op in module.walk() if isinstance(op, cls)]


# --------------------------------------------------------------------------- every model e3ne ships


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_model_imports_with_exact_weights(name: str):
    model, x, _ = EXAMPLES[name]()
    ctx = make_context()
    module = parse_module(export(model, x), f"{name}.torch.mlir", ctx)
    verify_module(module)
    assert not ops_of(module, UnregisteredOp)
    names = {op.name for op in module.walk()} - {"builtin.module", "func.func", "func.return"}
    assert all(n.startswith("torch.") for n in names), names

    # Each literal is one parameter or buffer of the model, bit for bit (matched by value).
    expected = [t.detach().numpy() for t in model.state_dict().values() if t.dtype.is_floating_point]
    unmatched = list(range(len(expected)))
    for op in literal_ops(module):
        array = tm.literal_array(op, ctx)
        t = op.result.type
        assert isinstance(t, tm.ValueTensorType) and t.shape == array.shape and t.dtype == f32
        assert array.dtype == np.float32 and not array.flags.writeable
        match = next(
            (i for i in unmatched if expected[i].shape == array.shape and np.array_equal(expected[i], array)), None
        )
        assert match is not None, f"{op.value} matches no tensor of the model"
        unmatched.remove(match)
    assert not unmatched, f"{len(unmatched)} tensors of the model are not literals"

    # Convolution and pooling arguments read back as the model's.
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    conv_ops = ops_of(module, tm.AtenConvolutionOp)
    assert len(conv_ops) == len(convs)
    for op, conv in zip(conv_ops, convs, strict=True):
        assert tm.int_list(op.arg("stride")) == list(conv.stride)
        assert tm.int_list(op.arg("padding")) == list(conv.padding)
        assert tm.int_list(op.arg("dilation")) == list(conv.dilation)
        assert tm.scalar_int(op.arg("groups")) == conv.groups
        assert tm.scalar_bool(op.arg("transposed")) is False
    pools = ops_of(module, tm.AtenMaxPool2dWithIndicesOp)
    assert len(pools) == sum(isinstance(m, nn.MaxPool2d) for m in model.modules())
    for op in pools:
        assert [tm.int_list(op.arg(a)) for a in ("kernel_size", "stride", "padding", "dilation")] == [
            [2, 2],
            [2, 2],
            [0, 0],
            [1, 1],
        ]
        assert len(op.results) == 2


# --------------------------------------------------------------------------- files and round trips


def digits_text() -> str:
    model, x, _ = models.digits_example()
    return export(model, x)


def arrays_of(module: ModuleOp, ctx: Context) -> list[np.ndarray]:
    return [tm.literal_array(op, ctx) for op in literal_ops(module)]


def test_reprinted_module_reparses_with_identical_literals():
    ctx = make_context()
    module = parse_module(digits_text(), "digits.torch.mlir", ctx)
    before = arrays_of(module, ctx)
    text = print_module(module, ctx=ctx)
    assert text.count("torch_tensor_") == 2 * len(before)  # each key: one use, one blob
    for again_ctx in (make_context(), ctx):  # a fresh context, and the same one (keys already taken)
        again = parse_module(text, "reprinted.mlir", again_ctx)
        after = arrays_of(again, again_ctx)
        assert len(after) == len(before) == 8
        for a, b in zip(before, after, strict=True):
            assert a.shape == b.shape and np.array_equal(a, b)
    generic = parse_module(print_module(module, generic=True, ctx=ctx), "generic.mlir", make_context())
    assert print_module(generic) == print_module(module)


def test_same_file_twice_in_one_context_keeps_each_files_data():
    text = digits_text()
    ctx = make_context()
    first, second = parse_module(text, "a.mlir", ctx), parse_module(text, "b.mlir", ctx)

    def keys(module: ModuleOp) -> set[str]:
        return {op.value.resource_handle.data for op in literal_ops(module)}  # pyright: ignore[reportAttributeAccessIssue]

    assert len(keys(first)) == 8 and keys(first).isdisjoint(keys(second))  # the second file's keys were renamed
    for a, b in zip(arrays_of(first, ctx), arrays_of(second, ctx), strict=True):
        assert np.array_equal(a, b)


def test_contexts_keep_their_own_weights():
    ctx = make_context()
    module = parse_module(digits_text(), "digits.torch.mlir", ctx)
    with pytest.raises(E3neError, match=r"digits\.torch\.mlir:3:5: error: 'torch\.vtensor\.literal': dense_resource<"):
        tm.literal_array(literal_ops(module)[0], make_context())
    assert "{-#" not in print_module(module)  # without its context a module prints without blobs


def test_checked_in_input_is_untouched_torch_mlir_output():
    spec = importlib.util.spec_from_file_location("generate", INPUTS / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    model, x = generate.tiny_cnn()
    assert export(model, x) == (INPUTS / "tiny_cnn.torch.mlir").read_text()


def normalized(text: str) -> tuple[list[str], dict[str, str]]:
    """Ops with SSA names numbered by first use, and the resource blobs."""
    body, _, metadata = text.partition("{-#")
    names: dict[str, str] = {}
    body = re.sub(r"%[\w.$-]+", lambda m: names.setdefault(m.group(0), f"%v{len(names)}"), body)
    body = body.replace("builtin.module", "module").replace("func.return", "return")
    return [line.strip() for line in body.splitlines() if line.strip()], dict(
        re.findall(r'([\w.]+): "(0x[0-9A-F]*)"', metadata)
    )


@pytest.mark.parametrize("file", ["tiny_cnn.torch.mlir", "tiny_cnn_nodecomp.torch.mlir"])
def test_e3ne_opt_prints_torch_mlir_files_back(file: str, capsys: pytest.CaptureFixture[str]):
    assert e3ne_opt([str(INPUTS / file)]) == 0
    out = capsys.readouterr().out
    source_ops, source_blobs = normalized((INPUTS / file).read_text())
    ops, blobs = normalized(out)
    # Only SSA names, `builtin.`/`func.` prefixes and the blobs' line breaks differ from torch-mlir.
    assert ops == source_ops
    assert blobs == source_blobs and len(blobs) == 8


# --------------------------------------------------------------------------- types


def parse_type(text: str) -> Attribute:
    return Parser(make_context(), text).parse_type()


@pytest.mark.parametrize(
    ("text", "shape", "dtype"),
    [
        ("!torch.vtensor<[1,1,8,8],f32>", (1, 1, 8, 8), f32),
        ("!torch.vtensor<[],i1>", (), i1),
        ("!torch.vtensor<[?,3],si64>", (tm.UNKNOWN_SIZE, 3), IntegerType(64, Signedness.SIGNED)),
        ("!torch.vtensor<*,bf16>", None, BFloat16Type()),
        ("!torch.vtensor<[2],unk>", (2,), None),
        ("!torch.vtensor", None, None),
        ("!torch.tensor<[4],ui8>", (4,), IntegerType(8, Signedness.UNSIGNED)),
    ],
)
def test_tensor_types(text: str, shape: tuple[int, ...] | None, dtype: Attribute | None):
    t = parse_type(text)
    assert isinstance(t, tm.BaseTensorType)
    assert (t.shape, t.dtype) == (shape, dtype)
    assert str(t) == text
    assert type(t)(shape, dtype) == t


@pytest.mark.parametrize(
    "text",
    [
        "!torch.int",
        "!torch.float",
        "!torch.bool",
        "!torch.none",
        "!torch.str",
        "!torch.number",
        "!torch.Device",
        "!torch.list<int>",
        "!torch.list<vtensor>",
        "!torch.list<optional<vtensor<[3],f32>>>",
        "!torch.optional<list<int>>",
        "!torch.tuple<int, float, vtensor<*,f32>>",
        "!torch.union<int, none>",
    ],
)
def test_other_types_round_trip(text: str):
    t = parse_type(text)
    assert isinstance(t, tm.TorchType)
    assert str(t) == text


def test_types_built_in_python():
    assert str(tm.ValueTensorType([1, 10], f32)) == "!torch.vtensor<[1,10],f32>"
    assert str(tm.ListType(tm.OptionalType(tm.ValueTensorType()))) == "!torch.list<optional<vtensor>>"
    assert str(tm.TupleType([tm.IntType(), tm.BoolType()])) == "!torch.tuple<int, bool>"
    # Parameters take part in equality (types of SSA values are compared by the verifiers).
    assert tm.ValueTensorType([2], f32) == tm.ValueTensorType([2], f32) != tm.ValueTensorType([3], f32)
    assert tm.ValueTensorType([2], f32) != tm.NonValueTensorType([2], f32)
    assert tm.ListType(tm.IntType()) != tm.ListType(tm.FloatType())
    assert tm.TupleType([tm.IntType()]) != tm.TupleType([tm.IntType(), tm.IntType()])
    with pytest.raises(VerifyException, match=r"invalid dtype i32 for !torch\.vtensor"):
        tm.ValueTensorType([2], IntegerType(32))
    assert tm.is_valid_subtype(tm.IntType(), tm.OptionalType(tm.IntType()))
    assert tm.is_valid_subtype(tm.ValueTensorType([2], f32), tm.ValueTensorType())
    assert not tm.is_valid_subtype(tm.ValueTensorType(), tm.ValueTensorType([2], f32))
    assert not tm.is_valid_subtype(tm.FloatType(), tm.IntType())


# --------------------------------------------------------------------------- literals and constants

DENSE_LITERALS = """
func.func @literals() {
  %f = torch.vtensor.literal(dense<[[1.5, -2.0], [0.25, 3.0]]> : tensor<2x2xf32>) : !torch.vtensor<[2,2],f32>
  %splat = torch.vtensor.literal(dense<0.5> : tensor<2x3xf32>) : !torch.vtensor<[2,3],f32>
  %i = torch.vtensor.literal(dense<[3, -1]> : tensor<2xsi64>) : !torch.vtensor<[2],si64>
  %b = torch.vtensor.literal(dense<[true, false, true]> : tensor<3xi1>) : !torch.vtensor<[3],i1>
  %h = torch.vtensor.literal(dense<[1.0, -2.5]> : tensor<2xbf16>) : !torch.vtensor<[2],bf16>
  %u = torch.vtensor.literal(dense<[200, 7]> : tensor<2xui8>) : !torch.vtensor<[2],ui8>
  %s = torch.vtensor.literal(dense<7> : tensor<si32>) : !torch.vtensor<[],si32>
  return
}
"""


def test_dense_literals_read_as_numpy():
    ctx = make_context()
    module = parse_module(DENSE_LITERALS, "dense.mlir", ctx)
    verify_module(module)
    f, splat, i, b, h, u, s = (tm.literal_array(op, ctx) for op in literal_ops(module))
    np.testing.assert_array_equal(f, np.array([[1.5, -2.0], [0.25, 3.0]], np.float32))
    assert splat.shape == (2, 3) and splat.dtype == np.float32 and (splat == 0.5).all()
    assert i.dtype == np.int64 and i.tolist() == [3, -1]
    assert b.dtype == np.bool_ and b.tolist() == [True, False, True]
    assert h.dtype == np.float32 and h.tolist() == [1.0, -2.5]
    assert u.dtype == np.uint8 and u.tolist() == [200, 7]
    assert s.shape == () and s.dtype == np.int32 and int(s) == 7


CONSTANTS = """
func.func @constants(%x: !torch.vtensor<[2],f32>) {
  %int-3 = torch.constant.int -3
  %float1.000000e-05 = torch.constant.float 1.000000e-05
  %true = torch.constant.bool true
  %none = torch.constant.none
  %str = torch.constant.str "floor"
  %cpu = torch.constant.device "cpu"
  %n = "torch.constant.number"() <{value = 2.5 : f64}> : () -> !torch.number
  %ints = torch.prim.ListConstruct %int-3, %int-3 : (!torch.int, !torch.int) -> !torch.list<int>
  %mixed = torch.prim.ListConstruct %ints, %ints : (!torch.list<int>, !torch.list<int>) -> !torch.list<list<int>>
  %r = torch.aten.relu %x : !torch.vtensor<[2],f32> -> !torch.vtensor<[2],f32>
  %bad = torch.prim.ListConstruct %int-3, %r : (!torch.int, !torch.vtensor<[2],f32>) -> !torch.list<any>
  return
}
"""


def test_scalar_values_follow_constants_and_lists():
    module = parse_module(CONSTANTS, "constants.mlir")
    verify_module(module)
    ops = list(module.walk())[2:]
    values = {op.results[0].name_hint: op.results[0] for op in ops if op.results}
    got = {name: tm.scalar_value(v) for name, v in values.items() if name not in ("r", "bad")}
    assert got == {
        "int-3": -3,
        "float1.000000e-05": 1e-05,
        "true": True,
        "none": None,
        "str": "floor",
        "cpu": "cpu",
        "n": 2.5,
        "ints": [-3, -3],
        "mixed": [[-3, -3], [-3, -3]],
    }
    assert tm.int_list(values["ints"]) == [-3, -3] and tm.scalar_float(values["int-3"]) == -3.0
    with pytest.raises(E3neError, match=r"constants\.mlir:12:3: error: 'torch\.aten\.relu': expected a constant"):
        tm.scalar_value(values["bad"])
    with pytest.raises(
        E3neError, match=r"constants\.mlir:5:3: error: 'torch\.constant\.bool': expected a constant int"
    ):
        tm.scalar_int(values["true"])
    with pytest.raises(E3neError, match=r"expected a constant .* got block argument"):
        tm.scalar_value(ops_of(module, func.FuncOp)[0].args[0])


def test_ops_built_in_python_print_as_torch_mlir():
    x_type = tm.ValueTensorType([1, 4], f32)
    block = Block(arg_types=[x_type])
    b = Builder(InsertPoint.at_end(block))
    one = b.insert(tm.ConstantIntOp(1)).result
    eps = b.insert(tm.ConstantFloatOp(1e-5)).result
    dims = b.insert(tm.PrimListConstructOp([one, one], tm.IntType())).result
    relu = b.insert(tm.AtenReluOp([block.args[0]], [x_type]))
    b.insert(tm.AtenAddScalarOp([relu.result, eps, one], [x_type]))
    literal = b.insert(tm.VTensorLiteralOp(from_numpy(np.arange(4, dtype=np.float32).reshape(1, 4))))
    assert literal.result.type == x_type
    np.testing.assert_array_equal(tm.literal_array(literal, make_context()), np.arange(4.0).reshape(1, 4))
    b.insert(tm.AtenAddTensorOp([relu.result, literal.result, one], [x_type]))
    b.insert(tm.AtenViewOp([relu.result, dims], [x_type]))
    b.insert(func.ReturnOp(relu.result))
    module = ModuleOp([func.FuncOp("main", ([x_type], [x_type]), Region(block))])
    verify_module(module)
    text = print_module(module)
    assert "%int1 = torch.constant.int 1" in text
    assert "%float1.000000e-05 = torch.constant.float 1.000000e-05" in text
    assert "torch.prim.ListConstruct %int1, %int1 : (!torch.int, !torch.int) -> !torch.list<int>" in text
    assert "torch.aten.relu %0 : !torch.vtensor<[1,4],f32> -> !torch.vtensor<[1,4],f32>" in text
    assert (
        "torch.vtensor.literal(dense<[[0.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00]]> : tensor<1x4xf32>) : !torch.vtensor<[1,4],f32>"
        in text
    )
    assert print_module(parse_module(text)) == text
    assert relu.arg("self") is block.args[0]
    with pytest.raises(KeyError, match=r"'torch\.aten\.relu' has no argument 'input' \(it has self\)"):
        relu.arg("input")


REQUIRED_OPS = [
    "convolution",
    "conv2d",
    "_convolution",
    "linear",
    "addmm",
    "mm",
    "matmul",
    "t",
    "permute",
    "transpose.int",
    "batch_norm",
    "_native_batch_norm_legit_no_training",
    "relu",
    "relu_",
    "max_pool2d",
    "max_pool2d_with_indices",
    "avg_pool2d",
    "adaptive_avg_pool2d",
    "flatten.using_ints",
    "view",
    "reshape",
    "_unsafe_view",
    "clone",
    "dropout",
    "detach",
    "contiguous",
    "unsqueeze",
    "squeeze.dim",
    "add.Tensor",
    "sub.Tensor",
    "mul.Tensor",
    "div.Tensor",
    "add.Scalar",
    "mul.Scalar",
    "sub.Scalar",
    "div.Scalar",
    "sqrt",
    "rsqrt",
    "reciprocal",
    "log_softmax.int",
    "_log_softmax",
    "softmax.int",
]


def test_aten_op_table():
    assert {f"torch.aten.{n}" for n in REQUIRED_OPS} | {"torch.prims.convert_element_type"} <= set(tm.ATEN_OPS)
    dialect_ops = set(tm.TORCH.operations)
    for name, cls in tm.ATEN_OPS.items():
        assert cls.name == name and cls in dialect_ops
        assert getattr(tm, cls.__name__) is cls, f"{name}: define it as {cls.__name__} = _aten_op(...)"
        assert len(set(cls.ARG_NAMES)) == len(cls.ARG_NAMES) > 0
    assert tm.ATEN_OPS["torch.aten._native_batch_norm_legit_no_training"].NUM_RESULTS == 3
    assert tm.ATEN_OPS["torch.aten.max_pool2d_with_indices"].NUM_RESULTS == 2
    assert tm.Aten_ConvolutionOp is not tm.AtenConvolutionOp
