"""Patterns for tensor literals and elementwise ops: folded when every tensor operand is a constant,
gathered into a pending per-channel affine map when one is an activation.

torch-mlir's default decompositions spell BatchNorm as ``(x - mean) * invstd * gamma + beta`` (with
``invstd = rsqrt(var + eps)`` folded here) and Linear's bias as ``mm(x, W^T) * 1 + b``: chains of
these ops on an activation become one affine map, accumulated in float64.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import Float64Type
from xdsl.ir import Operation
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from e3ne.dialects import snn
from e3ne.dialects import torch as t
from e3ne.dialects.dense import from_numpy, to_numpy
from e3ne.errors import not_supported
from e3ne.lowering.torch_to_snn.values import (
    activation,
    constant,
    constant_or_none,
    emit,
    pending_affine,
    replace_by,
    replace_by_constant,
    replace_by_torch_value,
    shape_of,
    source_of,
    tensor_shape,
)


@dataclass(frozen=True)
class ConvertLiteral(RewritePattern):
    """``torch.vtensor.literal`` -> an ``arith.constant`` of its elements (``ctx`` holds the weights' bytes)."""

    ctx: Context

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if isinstance(op, t.VTensorLiteralOp | t.TensorLiteralOp):
            replace_by_constant(rewriter, op, t.literal_array(op, self.ctx))


_AFFINE = {
    "torch.aten.add.Tensor",
    "torch.aten.sub.Tensor",
    "torch.aten.mul.Tensor",
    "torch.aten.div.Tensor",
    "torch.aten.add.Scalar",
    "torch.aten.sub.Scalar",
    "torch.aten.mul.Scalar",
    "torch.aten.div.Scalar",
}

_UNARY: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "torch.aten.sqrt": np.sqrt,
    "torch.aten.rsqrt": lambda a: 1.0 / np.sqrt(a),
    "torch.aten.reciprocal": lambda a: 1.0 / a,
    "torch.aten.neg": np.negative,
}

_ELEMENTWISE = {
    *_AFFINE,
    *_UNARY,
    "torch.prims.convert_element_type",
    "torch.aten.unsqueeze",
    "torch.aten.squeeze.dim",
    "torch.aten.squeeze",
    "torch.prims.squeeze",
    "torch.aten.permute",
    "torch.aten.t",
    "torch.aten.transpose.int",
}


def _tensor_operands(op: t.AtenOp) -> list[np.ndarray | None]:
    """The constant of each tensor operand (None for activations); fails for operands that are no tensors."""
    return [constant_or_none(v) for v in op.operands if isinstance(v.type, t.BaseTensorType)]


def _second_operand(op: t.AtenOp, second: np.ndarray | None) -> np.ndarray:
    """The other operand of add/sub/mul/div (a tensor's ``second``, or a scalar), times ``alpha``."""
    other = np.asarray(t.scalar_float(op.operands[1])) if second is None else second
    if "alpha" in op.ARG_NAMES:
        other = other * t.scalar_float(op.arg("alpha"))
    return other


def _apply(name: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a (+ - * /) b`` for the affine op ``name``."""
    if name.startswith("torch.aten.add"):
        return a + b
    if name.startswith("torch.aten.sub"):
        return a - b
    if name.startswith("torch.aten.mul"):
        return a * b
    return a / b


class FoldConstants(RewritePattern):
    """An elementwise or shape op whose tensor operands are all constants -> its value, in float64."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, t.AtenOp) or op.name not in _ELEMENTWISE:
            return
        values = _tensor_operands(op)
        if all(v is not None for v in values):
            replace_by_constant(rewriter, op, _fold(op, [v for v in values if v is not None]))


def _fold(op: t.AtenOp, values: list[np.ndarray]) -> np.ndarray:
    name = op.name
    a = values[0].astype(np.float64) if values[0].dtype.kind == "f" else values[0]
    if name in _UNARY:
        return _UNARY[name](a.astype(np.float64))
    if name in _AFFINE:
        return _apply(name, a, _second_operand(op, values[1] if len(values) > 1 else None))
    if name == "torch.prims.convert_element_type":
        return a
    if name == "torch.aten.unsqueeze":
        return np.expand_dims(a, t.scalar_int(op.arg("dim")))
    if name in ("torch.aten.squeeze.dim", "torch.aten.squeeze", "torch.prims.squeeze"):
        return a.reshape(tensor_shape(op.results[0]))
    if name == "torch.aten.permute":
        return np.transpose(a, t.int_list(op.arg("dims")))
    if name == "torch.aten.t":
        return a.T
    if name == "torch.aten.transpose.int":
        return np.swapaxes(a, t.scalar_int(op.arg("dim0")), t.scalar_int(op.arg("dim1")))
    raise not_supported(f"{name} on constants", op)


class ConvertAffine(RewritePattern):
    """add/sub/mul/div of an activation by a per-channel constant -> a pending affine (f64 ``snn.batch_norm``).

    A pending affine it applies to absorbs it; when the map becomes the identity, the activation is
    passed on as it is. ``convert_element_type`` passes activations on too.
    """

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, t.AtenOp) or op.name not in _ELEMENTWISE:
            return
        name = op.name
        values = _tensor_operands(op)
        x_value = op.operands[0]
        if name == "torch.prims.convert_element_type" and values[0] is None:
            replace_by_torch_value(rewriter, op, x_value)
            return
        if name == "torch.aten.add.Tensor" and len(values) == 2 and values[0] is None and values[1] is None:
            _residual_add(op, rewriter)
            return
        if values[0] is not None or name not in _AFFINE:
            raise not_supported(f"{name} on a run-time activation", op)
        second = None
        if isinstance(op.operands[1].type, t.BaseTensorType):
            second = constant(op.operands[1], op, f"the second operand of {name}")
        c = _second_operand(op, second)
        x = source_of(x_value)
        pending = pending_affine(x)
        scale, shift = np.ones(1), np.zeros(1)
        if pending is not None:
            x, scale, shift = pending.input, to_numpy(pending.scale), to_numpy(pending.shift)
        per_channel = _per_channel(c, shape_of(x))
        if per_channel is None:
            raise not_supported(f"{name} with a constant of shape {list(c.shape)} (only per-channel)", op)
        if name.startswith(("torch.aten.add", "torch.aten.sub")):
            shift = _apply(name, shift, per_channel)
        else:
            scale, shift = _apply(name, scale, per_channel), _apply(name, shift, per_channel)
        if not (np.all(scale == 1) and np.all(shift == 0)):
            f64 = Float64Type()
            x = rewriter.insert(snn.BatchNormOp(x, from_numpy(scale, f64), from_numpy(shift, f64))).output
        replace_by(rewriter, op, x)


def _residual_add(op: t.AtenOp, rewriter: PatternRewriter) -> None:
    """``a + b`` of two activations of one shape -> ``snn.add`` (a residual connection, which
    ``fold-residual`` folds into a convolution)."""
    if t.scalar_float(op.arg("alpha")) != 1:
        raise not_supported("torch.aten.add.Tensor of two activations with alpha other than 1", op)
    a, b = (activation(rewriter, v, op) for v in op.operands[:2])
    if shape_of(a) != shape_of(b):
        raise not_supported(f"adding activations of shapes {list(shape_of(a))} and {list(shape_of(b))} (broadcast)", op)
    replace_by(rewriter, op, emit(rewriter, snn.AddOp(a, b), op))


def _per_channel(c: np.ndarray, shape: tuple[int, ...]) -> np.ndarray | None:
    """A constant broadcast against an activation of ``shape`` as a per-channel vector (or scalar)."""
    c = np.asarray(c, dtype=np.float64)
    if c.size == 1:
        return c.reshape(1)
    channels = shape[1] if len(shape) > 1 else 1
    trailing = len(shape) - 2  # dims after the channel dim
    squeezed = c.reshape(c.shape[: c.ndim - trailing] if trailing and c.ndim > trailing else c.shape)
    if c.ndim > trailing and all(d == 1 for d in c.shape[c.ndim - trailing :]):
        flat = squeezed.reshape(-1)
        if flat.size == channels:
            return flat
    return None
