"""(log_)softmax at the end of a network: dropped, since it keeps the argmax and e3ne networks output logits."""

from __future__ import annotations

from xdsl.dialects import func
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from e3ne.dialects import torch as t
from e3ne.errors import not_supported
from e3ne.lowering.torch_to_snn.layers import AtenPattern
from e3ne.lowering.torch_to_snn.values import pass_on

_SOFTMAX_PARTS = {
    "torch.aten.amax",
    "torch.aten.sub.Tensor",
    "torch.aten.exp",
    "torch.aten.sum.dim_IntList",
    "torch.aten.log",
    "torch.aten.div.Tensor",
    "torch.prims.convert_element_type",
    "torch.aten.log_softmax.int",
    "torch.aten._log_softmax",
    "torch.aten.softmax.int",
    "torch.aten._softmax",
}
"""What torch-mlir's decomposition of (log_)softmax is made of."""


def softmax_tail(ret: func.ReturnOp) -> tuple[set[Operation], SSAValue | None]:
    """The ops of a (decomposed) (log_)softmax whose result ``ret`` returns, and the logits it reads.

    The tail is recognised only when every op is a softmax ingredient, reads nothing but one tensor
    (the logits) and its own results, and feeds only itself and the return.
    """
    if len(ret.arguments) != 1:
        return set(), None
    tail: set[Operation] = set()
    sources: set[SSAValue] = set()
    stack = [ret.arguments[0]]
    while stack:
        value = stack.pop()
        op = value.owner
        if not isinstance(op, t.AtenOp) or op.name not in _SOFTMAX_PARTS:
            sources.add(value)
            continue
        if op in tail:
            continue
        tail.add(op)
        stack.extend(v for v in op.operands if isinstance(v.type, t.BaseTensorType))
    if not tail or len(sources) != 1:
        return set(), None
    for op in tail:
        for result in op.results:
            if any(use.operation not in tail and use.operation is not ret for use in result.uses):
                return set(), None
    (logits,) = sources
    if isinstance(logits.owner, t.VTensorLiteralOp | t.TensorLiteralOp):
        return set(), None
    return tail, logits


class DropSoftmaxTail(RewritePattern):
    """``return (log_)softmax(logits)`` -> ``return logits``, the softmax ops erased (before any is converted)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, func.ReturnOp) or op.parent is None:
            return
        tail, logits = softmax_tail(op)
        if logits is None:
            return
        rewriter.replace_uses_with_if(op.arguments[0], logits, lambda use: use.operation is op)
        for dead in [o for o in reversed(op.parent.ops) if o in tail]:
            rewriter.erase(dead)


class ConvertSoftmax(AtenPattern):
    """A (log_)softmax that only the return reads but that ``DropSoftmaxTail`` left: passed on."""

    OPS = (t.AtenLogSoftmaxIntOp, t.Aten_LogSoftmaxOp, t.AtenSoftmaxIntOp, t.Aten_SoftmaxOp)

    def rewrite(self, op: t.AtenOp, rewriter: PatternRewriter) -> None:
        if not all(isinstance(use.operation, func.ReturnOp) for use in op.results[0].uses):
            raise not_supported(f"{op.name} inside the network (only as the last op, where it is dropped)", op)
        pass_on(rewriter, op)
