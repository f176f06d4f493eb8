"""``fold-batchnorm``: fold inference batch norms into the conv2d/linear before them.

``y = (W*x + b) * scale + shift`` becomes ``(W*scale)*x + (b*scale + shift)`` per output
channel, so the quantizer sees one weight tensor per layer (E3NE folds the same way).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from e3ne.dialects import snn
from e3ne.dialects.dense import from_numpy, to_numpy
from e3ne.errors import not_supported


class FoldIntoSynapse(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: snn.BatchNormOp, rewriter: PatternRewriter) -> None:
        producer = op.input.owner
        if not isinstance(producer, snn.Conv2dOp | snn.LinearOp):
            raise not_supported("batch_norm that does not directly follow a conv2d or linear", op)
        if not producer.output.has_one_use():
            raise not_supported("batch_norm after a conv2d/linear whose result has other users", op)
        scale = to_numpy(op.scale).astype(np.float64)
        shift = to_numpy(op.shift).astype(np.float64)
        weight = producer.weights().astype(np.float64)
        bias = producer.biases()
        bias = np.zeros(weight.shape[0]) if bias is None else bias.astype(np.float64)
        per_channel = scale.reshape((-1,) + (1,) * (weight.ndim - 1))
        element_type = producer.weight.get_element_type()
        producer.properties["weight"] = from_numpy(weight * per_channel, element_type)
        producer.properties["bias"] = from_numpy(bias * scale + shift, element_type)
        rewriter.notify_op_modified(producer)
        rewriter.replace_op(op, [], [producer.output])


@dataclass(frozen=True)
class FoldBatchNormPass(ModulePass):
    """Fold every ``snn.batch_norm`` into the ``snn.conv2d``/``snn.linear`` that feeds it."""

    name = "fold-batchnorm"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(FoldIntoSynapse(), apply_recursively=False).rewrite_module(op)
