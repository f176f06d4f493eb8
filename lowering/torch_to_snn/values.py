"""What a torch value is while ``convert-torch-to-snn`` is half done, and how patterns replace torch ops.

Every converted torch value is a ``builtin.unrealized_conversion_cast`` of a builtin tensor to its
torch type. The builtin tensor is either

* a **constant**: an ``arith.constant`` holding the numbers exactly (a literal in its own dtype,
  anything folded in float64), or
* an **activation**: a tensor of the snn function (f32), possibly a *pending affine*: an
  ``snn.batch_norm`` whose scale and shift are **f64** stands for ``x * scale + shift`` per channel,
  gathered from elementwise torch ops and not rounded yet. Where the value is used as an activation
  it is *materialised*: a pure shift right after a conv/linear whose result has no other use becomes
  that layer's bias (torch-mlir's Linear is ``mm``, then ``+ b``), anything else an f32
  ``snn.batch_norm`` in front of the user. Both round to f32 once, as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from xdsl.dialects import arith
from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    Float32Type,
    Float64Type,
    StringAttr,
    TensorType,
    UnrealizedConversionCastOp,
)
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter

from e3ne.dialects import snn
from e3ne.dialects import torch as t
from e3ne.dialects.dense import from_numpy, to_numpy
from e3ne.errors import E3neError, not_supported, op_error, pytorch_module

# --------------------------------------------------------------------------- shapes and attributes


def tensor_shape(value: SSAValue) -> tuple[int, ...]:
    """The static shape of a torch tensor value."""
    vt = value.type
    if not isinstance(vt, t.BaseTensorType) or vt.shape is None or any(d < 0 for d in vt.shape):
        raise E3neError(f"error: not supported: tensors without a static shape ({vt})")
    return vt.shape


def f32_tensor(shape: Sequence[int]) -> TensorType:
    return TensorType(Float32Type(), list(shape))


def pair(values: list[int]) -> tuple[int, int]:
    """A 2-d window parameter (``[k]`` means ``[k, k]``)."""
    if len(values) == 1:
        return values[0], values[0]
    if len(values) != 2:
        raise E3neError(f"error: not supported: {len(values)}-element window parameters {values} (2-d only)")
    return values[0], values[1]


def is_none(value: SSAValue) -> bool:
    """Whether an optional argument is omitted (``!torch.none``)."""
    return isinstance(value.type, t.NoneType)


def f32_dense(values: np.ndarray | None) -> DenseIntOrFPElementsAttr | None:
    return None if values is None else from_numpy(np.asarray(values, dtype=np.float32))


def shape_of(value: SSAValue) -> tuple[int, ...]:
    """The shape of a builtin tensor value."""
    assert isinstance(value.type, TensorType)
    return tuple(value.type.get_shape())


# --------------------------------------------------------------------------- reading torch values


def source_of(value: SSAValue) -> SSAValue:
    """The builtin tensor behind a converted torch tensor value."""
    owner = value.owner
    if isinstance(owner, UnrealizedConversionCastOp):
        return owner.inputs[0]
    if isinstance(owner, Operation):
        raise op_error(owner, "its result is used as a tensor but is not one")
    raise E3neError(f"error: unknown value {value}")


def constant_or_none(value: SSAValue) -> np.ndarray | None:
    """The elements of a constant torch tensor, None for an activation."""
    source = source_of(value).owner
    if isinstance(source, arith.ConstantOp):
        assert isinstance(source.value, DenseIntOrFPElementsAttr)
        return t.dense_array(source.value)
    return None


def constant(value: SSAValue, user: Operation, what: str) -> np.ndarray:
    """The elements of a torch tensor that ``user`` needs as a constant (``what``: for the error)."""
    array = constant_or_none(value)
    if array is None:
        raise not_supported(f"{what} computed at run time (it must be a constant)", user)
    return array


def pending_affine(value: SSAValue) -> snn.BatchNormOp | None:
    """The pending affine (an f64 ``snn.batch_norm``) that defines a builtin tensor, if any."""
    op = value.owner
    if isinstance(op, snn.BatchNormOp) and isinstance(op.scale.get_element_type(), Float64Type):
        return op
    return None


def activation(rewriter: PatternRewriter, value: SSAValue, user: Operation) -> SSAValue:
    """The f32 tensor of the activation a torch value is, materialising a pending affine before ``user``."""
    source = source_of(value)
    if isinstance(source.owner, arith.ConstantOp):
        raise not_supported("a constant where an activation is expected", user)
    pending = pending_affine(source)
    return source if pending is None else _materialise(rewriter, pending, user)


def _materialise(rewriter: PatternRewriter, pending: snn.BatchNormOp, user: Operation) -> SSAValue:
    x = pending.input
    scale, shift = to_numpy(pending.scale), to_numpy(pending.shift)
    synapse = x.owner
    if np.all(scale == 1) and isinstance(synapse, snn.Conv2dOp | snn.LinearOp) and x.has_one_use():
        _into_bias(rewriter, synapse, shift)
        result = x
    else:
        channels = shape_of(x)[1]
        scale32, shift32 = (np.broadcast_to(a, (channels,)).astype(np.float32) for a in (scale, shift))
        result = emit(rewriter, snn.BatchNormOp(x, from_numpy(scale32), from_numpy(shift32)), user)
    rewriter.replace_all_uses_with(pending.output, result)
    rewriter.erase(pending)
    return result


def _into_bias(rewriter: PatternRewriter, synapse: snn.Conv2dOp | snn.LinearOp, shift: np.ndarray) -> None:
    """A shift right after a conv/linear is its bias (torch-mlir's Linear: mm, then + b)."""
    channels = synapse.out_channels()
    old = synapse.biases()
    bias = (np.zeros(channels) if old is None else old.astype(np.float64)) + np.broadcast_to(shift, (channels,))
    synapse.properties["bias"] = from_numpy(bias.astype(np.float32))
    rewriter.notify_op_modified(synapse)


# --------------------------------------------------------------------------- replacing torch ops


def emit(rewriter: PatternRewriter, new: Operation, old: Operation) -> SSAValue:
    """Insert ``new`` (an snn op) for ``old`` (a torch op): same location, and its result's name.

    A conv2d/linear is named after the PyTorch module ``old`` ran in (``snn.layer_name``).
    """
    new.location = old.location
    if old.results and old.results[0].name_hint and new.results:
        new.results[0].name_hint = old.results[0].name_hint
    module = pytorch_module(old)
    if isinstance(new, snn.Conv2dOp | snn.LinearOp) and module is not None and module[0]:
        new.attributes[snn.LAYER_NAME] = StringAttr(re.sub(r"[^\w.]", "_", module[0]))
    rewriter.insert(new)
    return new.results[0]


def replace_by(rewriter: PatternRewriter, op: Operation, value: SSAValue) -> None:
    """Replace the torch op's result by the builtin tensor ``value`` (cast to the result's torch type).

    Further results must be unused; casts and pending affines that only the op used are erased.
    """
    cast, result = UnrealizedConversionCastOp.cast_one(value, op.results[0].type)
    rewriter.insert(cast)
    replace_by_torch_value(rewriter, op, result)


def replace_by_torch_value(rewriter: PatternRewriter, op: Operation, value: SSAValue) -> None:
    """Replace the torch op's result by another torch value (further results must be unused)."""
    operands = list(op.operands)
    rewriter.replace(op, [], [value, *[None] * (len(op.results) - 1)])
    for operand in operands:
        erase_if_dead(rewriter, operand)


def pass_on(rewriter: PatternRewriter, op: Operation) -> None:
    """Replace ``op`` by its first operand, constant or activation (a pending affine stays pending)."""
    constant_or_none(op.operands[0])  # fails for a value that is no tensor, as for any operand
    if any(result.uses for result in op.results[1:]):
        raise not_supported(f"using the second result of {op.name}", op)
    replace_by_torch_value(rewriter, op, op.operands[0])


def replace_by_constant(rewriter: PatternRewriter, op: Operation, array: np.ndarray) -> None:
    """Replace the torch op's result by the constant ``array`` (stored in its own dtype, exactly)."""
    replace_by(rewriter, op, rewriter.insert(arith.ConstantOp(t.dense_elements(array))).result)


def is_scaffolding(op: Operation) -> bool:
    """Whether ``op`` is one of the ops that only exist while the conversion runs: casts, constants and
    pending affines."""
    if isinstance(op, UnrealizedConversionCastOp | arith.ConstantOp):
        return True
    return bool(op.results) and pending_affine(op.results[0]) is not None


def erase_if_dead(rewriter: PatternRewriter, value: SSAValue) -> None:
    """Erase the scaffolding behind ``value`` that nothing uses any more."""
    op = value.owner
    while isinstance(op, Operation) and is_scaffolding(op) and not any(result.uses for result in op.results):
        sources = list(op.operands)
        rewriter.erase(op)
        op = sources[0].owner if sources else None
