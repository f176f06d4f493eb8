"""``fold-residual``: fold each residual ``snn.add`` into the convolution on its main path.

A residual block ends in ``relu(conv(h) + skip)``. A sum of two activations is no layer the engine
runs, but it is one convolution over more input channels: ``conv(h) + skip`` is the convolution of
``concat(h, skip)`` whose weights are ``W`` on ``h``'s channels and, on ``skip``'s, a 1x1 map at
the centre tap of the kernel (docs/numerics.md 2.7):

* **identity shortcut** (``skip`` is the block input ``x``): the identity, ``W'[o, C_h + o, c, c] = 1``;
* **projection shortcut** (``skip = conv1x1(x)``, stride 1): its weights, ``W'[o, C_h + i, c, c] =
  W_s[o, i]``, and its bias added to the conv's;
* **strided projection** (He et al.'s option B, stride ``s``): as above, on ``x`` subsampled by a
  1x1 stride-``s`` convolution with identity weights (``x[:, :, ::s, ::s]``, exact: ``x >= 0``);
* **the conv's own input** (``relu(x + conv(x))``): no concatenation, the shortcut's weights are
  added to the conv's at the centre tap.

The main path is the operand made by a "same" convolution (stride 1, odd kernel, padding (k-1)/2,
so that its centre tap at output (i, j) reads input (i, j)), the larger kernel if both are; it may
have no other user. The concatenation then reuses everything concat has (numerics.md 2.6: the parts
share T and frac; a shortcut that is no ReLU's output, MobileNetV2's linear bottleneck, makes the
group signed; the activation allocator keeps ``x`` alive until the folded layer has read it),
and ``quantize`` keeps the skip weights exact: the attribute ``snn.weight_range`` (the largest
``|w|`` of the shortcut) bounds the weight scale so that they are never clipped.

Runs after ``fold-batchnorm`` (the batch norms of both paths are folded into their convolutions
first) and before ``calibrate``/``quantize``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import Float64Type, FloatAttr, ModuleOp, StringAttr
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from e3ne.dialects import snn
from e3ne.dialects.dense import from_numpy
from e3ne.errors import not_supported
from e3ne.lowering.torch_to_snn.values import f32_tensor, shape_of

WEIGHT_RANGE = "snn.weight_range"
"""Attribute of a float conv2d: its weight scale must represent ``|w|`` up to this value without
clipping (the shortcut's weights that ``fold-residual`` placed in it)."""


def _same_conv(value: SSAValue) -> snn.Conv2dOp | None:
    """The convolution making ``value`` if it can be a main path: stride 1, odd kernel, padding
    (k-1)/2, and the add its only user."""
    conv = value.owner
    if not isinstance(conv, snn.Conv2dOp) or not value.has_one_use():
        return None
    _, _, kh, kw = conv.weights().shape
    if conv.stride_pair() != (1, 1) or kh % 2 == 0 or kw % 2 == 0:
        return None
    return conv if conv.padding_pair() == ((kh - 1) // 2, (kw - 1) // 2) else None


def _projection(value: SSAValue) -> snn.Conv2dOp | None:
    """The 1x1 convolution (no padding, the add its only user) making ``value``, if it is one."""
    conv = value.owner
    if not isinstance(conv, snn.Conv2dOp) or not value.has_one_use():
        return None
    return conv if conv.weights().shape[2:] == (1, 1) and conv.padding_pair() == (0, 0) else None


def _non_negative(value: SSAValue) -> bool:
    """Whether ``value`` is a ReLU's output (through pooling and concatenation): codes, not potentials."""
    op = value.owner
    if isinstance(op, snn.ReluOp):
        return True
    if isinstance(op, snn.MaxPool2dOp | snn.AvgPool2dOp):
        return _non_negative(op.input)
    if isinstance(op, snn.ConcatOp):
        return all(_non_negative(v) for v in op.inputs)
    return False


def _insert(rewriter: PatternRewriter, new: Operation, at: Operation, range_: float | None = None) -> SSAValue:
    new.location = at.location
    if range_ is not None:
        new.attributes[WEIGHT_RANGE] = FloatAttr(range_, Float64Type())
    rewriter.insert_op(new)
    return new.results[0]


class FoldResidualAdd(RewritePattern):
    """``add(conv(h), skip)`` -> ``conv'(concat(h, skip'))`` (the module docstring's four cases)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: snn.AddOp, rewriter: PatternRewriter) -> None:
        operands = (op.lhs, op.rhs)
        mains = [v for v in operands if _same_conv(v) is not None]
        if not mains:
            raise not_supported(
                "a residual add neither of whose operands is a convolution with stride 1 and 'same' padding "
                "used only by the add (the main path the shortcut folds into)",
                op,
            )
        mains.sort(key=lambda v: -int(np.prod(v.owner.weights().shape[2:])))  # type: ignore[union-attr]
        main_value = mains[0]
        main = _same_conv(main_value)
        assert main is not None
        skip = operands[1] if main_value is operands[0] else operands[0]
        w_main = main.weights().astype(np.float64)
        out_channels, c_h, kh, kw = w_main.shape
        bias = main.biases()
        bias = np.zeros(out_channels) if bias is None else bias.astype(np.float64)
        projection = _projection(skip)
        erase: list[Operation] = [op, main]
        if projection is not None:
            source = projection.input
            w_skip = projection.weights().astype(np.float64)[:, :, 0, 0]
            if projection.biases() is not None:
                bias = bias + projection.biases().astype(np.float64)  # type: ignore[union-attr]
            stride = projection.stride_pair()
            erase.append(projection)
        else:
            source, stride = skip, (1, 1)
            w_skip = np.eye(out_channels)
            if shape_of(skip)[1] != out_channels:
                raise not_supported(f"a residual add of {shape_of(skip)[1]} and {out_channels} channels", op)
        if stride != (1, 1) and not _non_negative(source):
            raise not_supported(
                "a strided residual shortcut of signed codes (a conv2d without ReLU before it: the subsampling "
                "convolution of option B needs codes >= 0)",
                op,
            )
        if stride != (1, 1):  # only a projection has a stride
            name = snn.layer_name(projection) if projection is not None else None
            source = self._subsample(rewriter, source, stride, None if name is None else f"{name}.subsample", op)
        if shape_of(source)[2:] != shape_of(main.input)[2:]:
            raise not_supported(
                f"a residual shortcut of spatial size {list(shape_of(source)[2:])} into a convolution over "
                f"{list(shape_of(main.input)[2:])}",
                op,
            )
        if source is main.input:  # relu(x + conv(x)): the shortcut's weights add to the conv's own
            joined, weight = source, w_main.copy()
            weight[:, :, kh // 2, kw // 2] += w_skip
        else:
            c_s = shape_of(source)[1]
            weight = np.zeros((out_channels, c_h + c_s, kh, kw))
            weight[:, :c_h] = w_main
            weight[:, c_h:, kh // 2, kw // 2] = w_skip
            joined_shape = (shape_of(main.input)[0], c_h + c_s, *shape_of(main.input)[2:])
            joined = _insert(rewriter, snn.ConcatOp([main.input, source], f32_tensor(joined_shape)), op)
        conv = snn.Conv2dOp(
            joined,
            op.output.type,
            from_numpy(weight.astype(np.float32)),
            from_numpy(bias.astype(np.float32)),
            1,
            main.padding_pair(),
        )
        snn.keep_layer_name(conv, main)
        exact = float(np.abs(w_skip).max()) if joined is not source else None  # summed weights: none to keep
        folded = _insert(rewriter, conv, main, exact)
        folded.name_hint = op.output.name_hint or main_value.name_hint
        rewriter.replace_all_uses_with(op.output, folded)
        for dead in erase:
            rewriter.erase_op(dead)

    @staticmethod
    def _subsample(
        rewriter: PatternRewriter, x: SSAValue, stride: tuple[int, int], name: str | None, at: Operation
    ) -> SSAValue:
        """``x[:, :, ::s, ::s]`` as a ReLU'd 1x1 stride-s convolution with identity weights (exact, x >= 0)."""
        n, c, h, w = shape_of(x)
        shape = (n, c, (h - 1) // stride[0] + 1, (w - 1) // stride[1] + 1)
        identity = np.eye(c, dtype=np.float32).reshape(c, c, 1, 1)
        conv = snn.Conv2dOp(x, f32_tensor(shape), from_numpy(identity), None, stride, 0)
        if name is not None:
            conv.attributes[snn.LAYER_NAME] = StringAttr(name)
        sub = _insert(rewriter, conv, at, 1.0)
        return _insert(rewriter, snn.ReluOp(sub), at)


@dataclass(frozen=True)
class FoldResidualPass(ModulePass):
    """Fold every residual ``snn.add`` into the convolution on its main path (a wider convolution
    over the concatenation of its input and the shortcut)."""

    name = "fold-residual"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(FoldResidualAdd(), apply_recursively=False).rewrite_module(op)
