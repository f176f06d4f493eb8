"""``fuse-layers``: group quantized radix ``snn`` ops into the layers the engine executes.

Each rule is a rewrite pattern rooted at the synapse (docs/dialects.md, "Fused layers"):

* ``conv2d -> radix_neuron`` (the conv2d's only user) ``[-> max_pool2d | avg_pool2d]`` (the
  neuron's only user, when the pool unit runs it: :func:`pool_unit_runs`) becomes one
  ``snn.conv_layer``; a pool the pool unit cannot run stays a separate op after it;
* ``[flatten ->] linear -> radix_neuron`` (the linear's only user) becomes one
  ``snn.linear_layer``; a linear none of whose users is a radix neuron (the raw last layer; an
  ``snn.argmax`` after it stays) becomes a raw ``snn.linear_layer``; a flatten whose only user
  is the linear is fused into it;
* everything else stays as it is: float and rate-coded ops, a conv2d without a neuron, a
  synapse whose potentials (or a neuron whose codes, for pooling) have several users.

First, a pooling of a concatenation (its only user) moves onto each concatenated input
(``pool(concat(a, b)) = concat(pool(a), pool(b))``: pooling is per channel), so that the pool unit
of each producer runs it. Fusion never hides a value another op reads: a value with several users
(a branch, a concatenated code read on its own too) stays a value.

The fused op takes the location of the conv2d/linear and the name of the last value it
replaces, so diagnostics and the printed IR still point at the source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp, TensorType
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.rewriter import InsertPoint

from e3ne.dialects import snn
from e3ne.ir import functions


def pool_window(op: Operation | None) -> snn.PoolWindow | None:
    """The window of a pooling op (None for any other op)."""
    if not isinstance(op, snn.MaxPool2dOp | snn.AvgPool2dOp):
        return None
    mode = "max" if isinstance(op, snn.MaxPool2dOp) else "avg"
    return snn.PoolWindow(mode, op.kernel_pair(), op.stride_pair(), op.padding_pair(), op.is_ceil_mode())


POOL_UNIT_LIMITS = (
    "the pool unit runs square windows up to 15, max pooling with stride <= window and padding <= window / 2, "
    "average pooling with stride = window, no padding and a power-of-two window"
)
"""What :func:`pool_unit_runs` accepts, for the errors about a pool it does not."""


def pool_unit_runs(pool: snn.PoolWindow) -> bool:
    """Whether the engine's pool unit (on the conv output path) runs ``pool``: a square window of at
    most 15 with a square stride and padding; max pooling with stride <= window (overlapping windows),
    padding <= window / 2 (PyTorch's own limit) and ceil_mode; average pooling with stride = window, no
    padding, over a power-of-two window (a rounded shift). docs/hardware.md 3."""
    k, (s, s2), (p, p2) = pool.kernel[0], pool.strides, pool.padding
    if pool.kernel != (k, k) or s != s2 or p != p2 or not 1 <= k <= 15:
        return False
    if pool.mode == "max":
        return 1 <= s <= k and 2 * p <= k
    return (s, p) == (k, 0) and k & (k - 1) == 0


def _quantized_radix(op: snn.Conv2dOp | snn.LinearOp) -> snn.WeightQuantAttr | None:
    """The weight quantization of a synapse on radix codes (None: float or rate, left alone)."""
    return op.weight_quant if snn.is_radix(op.input.type) else None


def _acc_bits(potentials: SSAValue) -> int:
    assert isinstance(potentials.type, TensorType)
    return snn.element_width(potentials.type)


def _fuse(rewriter: PatternRewriter, chain: Sequence[Operation], synapse: Operation, fused: Operation) -> None:
    """Replace ``chain`` (in program order; its last op gives the value) by ``fused``, which takes
    the location of ``synapse`` and the name of the last value."""
    last = chain[-1]
    fused.location = synapse.location
    snn.keep_layer_name(fused, synapse)
    fused.results[0].name_hint = last.results[0].name_hint
    rewriter.replace_op(last, fused)
    for op in reversed(chain[:-1]):
        rewriter.erase_op(op)


class PoolIntoConcat(RewritePattern):
    """``pool(concat(a, b, ...))`` -> ``concat(pool(a), pool(b), ...)`` when the pool is the concat's only
    user: pooling works per channel, and each producer's pool unit can then run its part."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: snn.ConcatOp, rewriter: PatternRewriter) -> None:
        pool_op = op.output.get_user_of_unique_use()
        pool = pool_window(pool_op)
        if pool is None or pool_op is None or not snn.is_radix(op.output.type):
            return
        assert isinstance(pool_op, snn.MaxPool2dOp | snn.AvgPool2dOp)
        out_type = pool_op.output.type
        assert isinstance(out_type, TensorType)
        parts = []
        for value in op.inputs:
            in_type = value.type
            assert isinstance(in_type, TensorType)
            shape = [*out_type.get_shape()[:1], in_type.get_shape()[1], *out_type.get_shape()[2:]]
            part = type(pool_op)(
                value,
                TensorType(in_type.element_type, shape, in_type.encoding),
                pool.kernel,
                pool.strides,
                pool.padding,
                pool.ceil_mode,
            )
            part.location = pool_op.location
            rewriter.insert_op(part, InsertPoint.before(op))
            parts.append(part.output)
        concat = snn.ConcatOp(parts, out_type)
        concat.location = op.location
        concat.output.name_hint = pool_op.output.name_hint
        rewriter.insert_op(concat, InsertPoint.before(op))
        rewriter.replace_all_uses_with(pool_op.output, concat.output)
        rewriter.erase_op(pool_op)
        rewriter.erase_op(op)


class FuseConvLayer(RewritePattern):
    """conv2d -> radix_neuron [-> a pool the pool unit runs] => snn.conv_layer."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: snn.Conv2dOp, rewriter: PatternRewriter) -> None:
        quant = _quantized_radix(op)
        neuron = op.output.get_user_of_unique_use()
        if quant is None or not isinstance(neuron, snn.RadixNeuronOp):
            return
        chain: list[Operation] = [op, neuron]
        pool_op = neuron.output.get_user_of_unique_use()
        pool = pool_window(pool_op)
        if pool is not None and pool_op is not None and pool_unit_runs(pool):
            chain.append(pool_op)
        else:
            pool = None
        fused = snn.ConvLayerOp(
            op.input,
            chain[-1].results[0].type,
            op.weight,
            op.bias,
            quant,
            _acc_bits(op.output),
            neuron.shift.value.data,
            op.stride_pair(),
            op.padding_pair(),
            pool,
        )
        _fuse(rewriter, chain, op, fused)


class FuseLinearLayer(RewritePattern):
    """[flatten ->] linear [-> radix_neuron] => snn.linear_layer (raw without the neuron)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: snn.LinearOp, rewriter: PatternRewriter) -> None:
        quant = _quantized_radix(op)
        if quant is None:
            return
        users = [use.operation for use in op.output.uses]
        neuron = users[0] if len(users) == 1 and isinstance(users[0], snn.RadixNeuronOp) else None
        if neuron is None and any(isinstance(user, snn.RadixNeuronOp) for user in users):
            return  # potentials that a neuron and something else read: not one layer
        chain: list[Operation] = [op]
        flatten = op.input.owner
        if isinstance(flatten, snn.FlattenOp) and op.input.has_one_use():
            chain.insert(0, flatten)
            source = flatten.input
        else:
            source = op.input
        if neuron is not None:
            chain.append(neuron)
        fused = snn.LinearLayerOp(
            source,
            chain[-1].results[0].type,
            op.weight,
            op.bias,
            quant,
            _acc_bits(op.output),
            None if neuron is None else neuron.shift.value.data,
        )
        _fuse(rewriter, chain, op, fused)


@dataclass(frozen=True)
class FuseLayersPass(ModulePass):
    """Fuse quantized radix conv2d/linear ops with their neuron (and pooling, flatten) into
    ``snn.conv_layer`` / ``snn.linear_layer``, the units the engine executes."""

    name = "fuse-layers"

    function: str = ""
    """The function to rewrite (default: every func.func)."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        patterns = GreedyRewritePatternApplier([FuseConvLayer(), FuseLinearLayer()])
        for function in functions(op, self.function):
            PatternRewriteWalker(PoolIntoConcat(), apply_recursively=True).rewrite_region(function.body)
            PatternRewriteWalker(patterns, apply_recursively=False).rewrite_region(function.body)
