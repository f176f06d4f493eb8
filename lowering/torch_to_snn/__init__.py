"""``convert-torch-to-snn``: torch-mlir's ``torch`` dialect -> float-stage ``snn``.

Each ``func.func`` (or the one named by the ``function`` option) is converted in place, in steps:

1. its arguments become f32 tensors, cast back to their torch types for the torch ops;
2. ``DropSoftmaxTail``: a (log_)softmax ending the network is dropped (it keeps the argmax);
3. one walk in program order applies a pattern per torch op family (``layers``: convolution,
   linear/addmm/mm, relu and ReLU6, pooling and global average pooling, batch norm, reshape/flatten,
   identity-like ops, the return; channel concatenation (cat);
   ``elementwise``: literals, constant folding, per-channel affine maps on activations; ``softmax``).
   Each replaces its torch op by snn ops (or a constant) cast back to the torch result type, so the
   torch ops after it still read torch values (see ``values`` for what these are);
4. clean-up: the casts, scalar constants and lists nobody reads any more are erased, and the
   function gets its snn signature. No cast and no torch op is left.

torch-mlir's default decompositions spell BatchNorm as ``(x - mean) * invstd * gamma + beta``
and Linear as ``mm(x, permute(W)) * 1 + b``: both come out right without pattern tables. A
pending affine becomes the bias of the conv/linear it directly follows when it is only a shift
(a bias add), and an ``snn.batch_norm`` otherwise (``fold-batchnorm`` folds it next).

Anything else stops with ``not supported: <what>`` naming the torch op and its position: the walk
meets ops in program order, so the first unsupported op is the one reported.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import FunctionType, ModuleOp, UnrealizedConversionCastOp
from xdsl.ir import BlockArgument, Operation, Region
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
)
from xdsl.rewriter import InsertPoint, Rewriter

from e3ne.dialects import torch as t
from e3ne.errors import E3neError, not_supported
from e3ne.lowering.torch_to_snn.elementwise import ConvertAffine, ConvertLiteral, FoldConstants
from e3ne.lowering.torch_to_snn.layers import (
    ConvertBatchNorm,
    ConvertCat,
    ConvertConvolution,
    ConvertIdentity,
    ConvertLinear,
    ConvertMean,
    ConvertPooling,
    ConvertRelu,
    ConvertReshape,
    ConvertReturn,
)
from e3ne.lowering.torch_to_snn.softmax import ConvertSoftmax, DropSoftmaxTail
from e3ne.lowering.torch_to_snn.values import f32_tensor, is_scaffolding, tensor_shape


def _read_where_used(op: Operation) -> bool:
    """Scalar constants and lists stay until the clean-up: patterns read them (``t.scalar_value``)."""
    return op.name.startswith("torch.constant.") or isinstance(op, t.PrimListConstructOp)


class RejectUnsupported(RewritePattern):
    """The last pattern: an op no other pattern converted is not supported.

    The walk meets the input's ops and the casts of the arguments (step 1), nothing the patterns create.
    """

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        argument_cast = isinstance(op, UnrealizedConversionCastOp) and isinstance(op.inputs[0], BlockArgument)
        if not (argument_cast or _read_where_used(op)):
            raise not_supported(op.name, op)


def torch_to_snn_patterns(ctx: Context) -> list[RewritePattern]:
    """The patterns of step 3, in the order they are tried on each op."""
    return [
        ConvertLiteral(ctx),
        FoldConstants(),
        ConvertAffine(),
        ConvertConvolution(),
        ConvertLinear(),
        ConvertRelu(),
        ConvertPooling(),
        ConvertMean(),
        ConvertBatchNorm(),
        ConvertCat(),
        ConvertReshape(),
        ConvertIdentity(),
        ConvertSoftmax(),
        ConvertReturn(),
        RejectUnsupported(),
    ]


def _convert_arguments(function: func.FuncOp) -> None:
    """Step 1: f32 tensor arguments (a name for unnamed ones), cast back for the torch ops that read them."""
    block = function.body.block
    types = [f32_tensor(tensor_shape(arg)) for arg in block.args]
    first = block.first_op
    for arg, new_type in zip(block.args, types, strict=True):
        torch_type = arg.type
        new = Rewriter.replace_value_with_new_type(arg, new_type)
        new.name_hint = new.name_hint or "x"
        cast, result = UnrealizedConversionCastOp.cast_one(new, torch_type)
        Rewriter.insert_op(cast, InsertPoint.before(first) if first is not None else InsertPoint.at_end(block))
        new.replace_uses_with_if(result, lambda use, cast=cast: use.operation is not cast)


def _clean_up(function: func.FuncOp) -> func.FuncOp:
    """Step 4: erase what nobody reads; anything torch left is not supported. Returns the snn function."""
    block = function.body.block
    ret = block.last_op
    if not isinstance(ret, func.ReturnOp):
        raise E3neError("error: the torch function has no func.return")
    for op in reversed(list(block.ops)):
        if (is_scaffolding(op) or _read_where_used(op)) and not any(result.uses for result in op.results):
            Rewriter.erase_op(op)
    for op in block.walk():
        if op.name.startswith("torch.") or is_scaffolding(op):
            raise not_supported(op.name, op)
    function_type = FunctionType.from_lists([a.type for a in block.args], [v.type for v in ret.operands])
    new = func.FuncOp(
        function.sym_name.data, function_type, Rewriter.move_region_contents_to_new_regions(function.body)
    )
    new.location = function.location
    return new


@dataclass
class _UntilError(RewritePattern):
    """Applies ``pattern`` until it raises an :class:`E3neError`, which it keeps."""

    pattern: RewritePattern
    error: E3neError | None = None

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if self.error is None:
            try:
                self.pattern.match_and_rewrite(op, rewriter)
            except E3neError as err:
                self.error = err


def _walk_once(region: Region, *patterns: RewritePattern) -> None:
    """Try ``patterns`` on each op of ``region`` once, in program order; stop at the first error.

    The error is raised as it is: xDSL's walker would print the whole module into it (weights too).
    """
    applier = _UntilError(GreedyRewritePatternApplier(list(patterns), dce_enabled=False))
    PatternRewriteWalker(applier, apply_recursively=False).rewrite_region(region)
    if applier.error is not None:
        raise applier.error


def convert_function(ctx: Context, function: func.FuncOp) -> None:
    """Replace the torch-dialect ``function`` by its float-stage snn version."""
    _convert_arguments(function)
    _walk_once(function.body, DropSoftmaxTail())
    _walk_once(function.body, *torch_to_snn_patterns(ctx))
    Rewriter.replace_op(function, _clean_up(function))


def convert_torch_to_snn(ctx: Context, module: ModuleOp, function: str | None = None) -> None:
    """Convert every torch-dialect function of ``module`` (only ``function`` when named) to float snn."""
    functions = [op for op in module.ops if isinstance(op, func.FuncOp)]
    if function is not None:
        functions = [op for op in functions if op.sym_name.data == function]
        if not functions:
            raise E3neError(f"error: convert-torch-to-snn: the module has no func.func @{function}")
    if not functions:
        raise E3neError("error: convert-torch-to-snn: the module has no func.func")
    for torch_func in functions:
        convert_function(ctx, torch_func)


@dataclass(frozen=True)
class ConvertTorchToSnnPass(ModulePass):
    """Convert torch-mlir's torch dialect (conv/linear/batch norm/relu/pooling/flatten) to float snn."""

    name = "convert-torch-to-snn"

    function: str | None = None
    """The ``func.func`` to convert (``convert-torch-to-snn{function=main}``); all of them when unset."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        convert_torch_to_snn(ctx, op, self.function)
