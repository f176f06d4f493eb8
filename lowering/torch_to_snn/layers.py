"""Patterns for the torch ops that become snn layers, and for the ops that only pass a value on."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

import numpy as np
from xdsl.dialects import func
from xdsl.ir import Operation
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from e3ne.dialects import snn
from e3ne.dialects import torch as t
from e3ne.dialects.dense import from_numpy
from e3ne.errors import not_supported
from e3ne.lowering.torch_to_snn.values import (
    activation,
    constant,
    constant_or_none,
    emit,
    erase_if_dead,
    f32_dense,
    f32_tensor,
    is_none,
    pair,
    pass_on,
    replace_by,
    replace_by_constant,
    shape_of,
    tensor_shape,
)


class AtenPattern(RewritePattern, ABC):
    """Rewrites one family of ATen ops, the classes in ``OPS``."""

    OPS: ClassVar[tuple[type[t.AtenOp], ...]]

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if isinstance(op, self.OPS):
            self.rewrite(op, rewriter)

    @abstractmethod
    def rewrite(self, op: t.AtenOp, rewriter: PatternRewriter) -> None: ...


class ConvertConvolution(AtenPattern):
    """``convolution``/``conv2d``/``_convolution`` -> ``snn.conv2d`` (2-d, no dilation; grouped and
    depthwise convolutions as dense ones with zero weights across groups)."""

    OPS = (t.AtenConvolutionOp, t.AtenConv2dOp, t.Aten_ConvolutionOp)

    def rewrite(self, op: t.AtenOp, rewriter: PatternRewriter) -> None:
        x = activation(rewriter, op.arg("input"), op)
        weight = constant(op.arg("weight"), op, "the convolution weight").astype(np.float32)
        bias = None
        if not is_none(op.arg("bias")):
            bias = constant(op.arg("bias"), op, "the convolution bias").astype(np.float32)
        stride, padding, dilation = (t.int_list(op.arg(n)) for n in ("stride", "padding", "dilation"))
        if "transposed" in op.ARG_NAMES and t.scalar_bool(op.arg("transposed")):
            raise not_supported("transposed convolution", op)
        groups = t.scalar_int(op.arg("groups"))
        if weight.ndim != 4:
            raise not_supported(f"{weight.ndim - 2}-d convolution (only 2-d)", op)
        if groups != 1:
            weight = dense_grouped_weight(weight, groups)
        if any(d != 1 for d in dilation):
            raise not_supported(f"dilated convolution (dilation = {dilation})", op)
        stride, padding = pair(stride), pair(padding)
        result_type = f32_tensor(tensor_shape(op.results[0]))
        new = snn.Conv2dOp(x, result_type, from_numpy(weight), f32_dense(bias), stride, padding)
        replace_by(rewriter, op, emit(rewriter, new, op))


def dense_grouped_weight(weight: np.ndarray, groups: int) -> np.ndarray:
    """A grouped (or depthwise) convolution's weight as a dense one: output channel ``o`` of group
    ``g = o // (O / groups)`` keeps its weights on input channels ``g*C/groups … (g+1)*C/groups - 1``
    and has zeros on the others, so the dense convolution computes the grouped one exactly (at
    ``groups`` times its synaptic operations: the engine has no grouped mode yet)."""
    out, per_group, kh, kw = weight.shape
    if groups < 1 or out % groups:
        raise ValueError(f"{out} output channels do not split into {groups} groups")
    dense = np.zeros((out, per_group * groups, kh, kw), dtype=weight.dtype)
    per_out = out // groups
    for o in range(out):
        g = o // per_out
        dense[o, g * per_group : (g + 1) * per_group] = weight[o]
    return dense


class ConvertLinear(AtenPattern):
    """``linear``, ``addmm`` (beta = alpha = 1), ``mm`` and ``matmul`` with a constant matrix -> ``snn.linear``."""

    OPS = (t.AtenLinearOp, t.AtenAddmmOp, t.AtenMmOp, t.AtenMatmulOp)

    def rewrite(self, op: t.AtenOp, rewriter: PatternRewriter) -> None:
        bias = None
        if isinstance(op, t.AtenLinearOp):
            x_value = op.arg("input")
            weight = constant(op.arg("weight"), op, "the linear weight")
            if not is_none(op.arg("bias")):
                bias = constant(op.arg("bias"), op, "the linear bias")
        elif isinstance(op, t.AtenAddmmOp):
            if t.scalar_float(op.arg("beta")) != 1 or t.scalar_float(op.arg("alpha")) != 1:
                raise not_supported("addmm with beta or alpha other than 1", op)
            x_value = op.arg("mat1")
            weight_t = constant(op.arg("mat2"), op, "the matrix operand")
            bias = np.broadcast_to(constant(op.arg("self"), op, "the bias"), (weight_t.shape[1],))
            weight = weight_t.T
        else:
            x_value = op.arg("self")
            weight_t = constant(op.arg("mat2" if "mat2" in op.ARG_NAMES else "other"), op, "the matrix operand")
            if weight_t.ndim != 2:
                raise not_supported(f"{op.name} with a {weight_t.ndim}-d constant", op)
            weight = weight_t.T
        x = activation(rewriter, x_value, op)
        if len(shape_of(x)) != 2:
            raise not_supported("linear layers on inputs that are not (batch, features)", op)
        result_type = f32_tensor(tensor_shape(op.results[0]))
        new = snn.LinearOp(x, result_type, from_numpy(weight.astype(np.float32)), f32_dense(bias))
        replace_by(rewriter, op, emit(rewriter, new, op))


class ConvertRelu(AtenPattern):
    OPS = (t.AtenReluOp, t.AtenRelu_Op)

    def rewrite(self, op: t.AtenOp, rewriter: PatternRewriter) -> None:
        replace_by(rewriter, op, emit(rewriter, snn.ReluOp(activation(rewriter, op.arg("self"), op)), op))


class ConvertPooling(AtenPattern):
    """Max and average pooling (average pooling without padding or ``ceil_mode``) -> ``snn.*_pool2d``."""

    OPS = (
        t.AtenMaxPool2dOp,
        t.AtenMaxPool2dWithIndicesOp,
        t.AtenAvgPool2dOp,
        t.AtenAdaptiveAvgPool2dOp,
        t.Aten_AdaptiveAvgPool2dOp,
    )

    def rewrite(self, op: t.AtenOp, rewriter: PatternRewriter) -> None:
        if isinstance(op, t.AtenAdaptiveAvgPool2dOp | t.Aten_AdaptiveAvgPool2dOp):
            self.adaptive(op, rewriter)
            return
        kernel = pair(t.int_list(op.arg("kernel_size")))
        stride_list = t.int_list(op.arg("stride"))
        if isinstance(op, t.AtenAvgPool2dOp) and len(stride_list) == 4:
            # torch-mlir's lowering of ONNX AveragePool appends the dilations to the strides
            stride_list, dilation = stride_list[:2], stride_list[2:]
            if any(d != 1 for d in dilation):
                raise not_supported(f"dilated average pooling (dilations {list(dilation)})", op)
        stride = kernel if not stride_list else pair(stride_list)
        padding = pair(t.int_list(op.arg("padding")))
        ceil_mode = t.scalar_bool(op.arg("ceil_mode"))
        pool = snn.MaxPool2dOp
        if isinstance(op, t.AtenAvgPool2dOp):
            if ceil_mode:
                raise not_supported("average pooling with ceil_mode=True", op)
            if padding != (0, 0):
                raise not_supported(f"average pooling with padding {list(padding)}", op)
            if not is_none(op.arg("divisor_override")):
                raise not_supported("average pooling with divisor_override", op)
            pool = snn.AvgPool2dOp
        else:
            if any(d != 1 for d in t.int_list(op.arg("dilation"))):
                raise not_supported("dilated max pooling", op)
            if any(result.uses for result in op.results[1:]):
                raise not_supported("using the indices of max_pool2d_with_indices", op)
        x = activation(rewriter, op.arg("self"), op)
        new = pool(x, f32_tensor(tensor_shape(op.results[0])), kernel, stride, padding, ceil_mode)
        replace_by(rewriter, op, emit(rewriter, new, op))

    @staticmethod
    def adaptive(op: t.AtenOp, rewriter: PatternRewriter) -> None:
        x = activation(rewriter, op.arg("self"), op)
        _, _, h, w = shape_of(x)
        oh, ow = pair(t.int_list(op.arg("output_size")))
        if h % oh or w % ow:
            raise not_supported(f"adaptive average pooling from {h}x{w} to {oh}x{ow} (sizes must divide)", op)
        if (oh, ow) != (h, w):
            kernel = (h // oh, w // ow)
            x = emit(rewriter, snn.AvgPool2dOp(x, f32_tensor(tensor_shape(op.results[0])), kernel, kernel, (0, 0)), op)
        replace_by(rewriter, op, x)


class ConvertBatchNorm(AtenPattern):
    """Inference batch norm -> ``snn.batch_norm`` (``fold-batchnorm`` folds it into the layer before)."""

    OPS = (t.AtenBatchNormOp, t.Aten_NativeBatchNormLegitNoTrainingOp, t.AtenNativeBatchNormOp)

    def rewrite(self, op: t.AtenOp, rewriter: PatternRewriter) -> None:
        if "training" in op.ARG_NAMES and t.scalar_bool(op.arg("training")):
            raise not_supported("batch_norm in training mode (export the model in eval mode)", op)
        eps = t.scalar_float(op.arg("eps"))
        mean = constant(op.arg("running_mean"), op, "the running mean").astype(np.float64)
        var = constant(op.arg("running_var"), op, "the running variance").astype(np.float64)
        gamma = np.ones_like(mean) if is_none(op.arg("weight")) else constant(op.arg("weight"), op, "gamma")
        beta = np.zeros_like(mean) if is_none(op.arg("bias")) else constant(op.arg("bias"), op, "beta")
        scale = gamma.astype(np.float64) / np.sqrt(var + eps)
        shift = beta.astype(np.float64) - mean * scale
        x = activation(rewriter, op.arg("input"), op)
        new = snn.BatchNormOp(x, from_numpy(scale.astype(np.float32)), from_numpy(shift.astype(np.float32)))
        out = emit(rewriter, new, op)
        if any(result.uses for result in op.results[1:]):
            raise not_supported("using the saved statistics of a batch norm", op)
        replace_by(rewriter, op, out)


class ConvertReshape(AtenPattern):
    """Reshapes: of a constant, folded; of an activation, nothing or ``snn.flatten`` to (N, C*H*W)."""

    OPS = (t.AtenViewOp, t.AtenReshapeOp, t.Aten_UnsafeViewOp, t.AtenFlattenUsingIntsOp, t.PrimsCollapseOp)

    def rewrite(self, op: t.AtenOp, rewriter: PatternRewriter) -> None:
        source = op.operands[0]
        folded = constant_or_none(source)
        out_shape = tensor_shape(op.results[0])
        if folded is not None:
            replace_by_constant(rewriter, op, folded.reshape(out_shape))
            return
        x = activation(rewriter, source, op)
        in_shape = shape_of(x)
        if len(in_shape) == 4 and out_shape == (in_shape[0], int(np.prod(in_shape[1:]))):
            x = emit(rewriter, snn.FlattenOp(x, f32_tensor(out_shape)), op)
        elif in_shape != out_shape:
            raise not_supported(f"reshape from {list(in_shape)} to {list(out_shape)} (only flatten to (N, C*H*W))", op)
        replace_by(rewriter, op, x)


class ConvertIdentity(AtenPattern):
    """Ops that leave an inference network's values as they are: eval-mode dropout, clone, detach ..."""

    OPS = (t.AtenDropoutOp, t.AtenNativeDropoutOp, t.AtenCloneOp, t.AtenContiguousOp, t.AtenDetachOp)

    def rewrite(self, op: t.AtenOp, rewriter: PatternRewriter) -> None:
        if isinstance(op, t.AtenDropoutOp | t.AtenNativeDropoutOp) and t.scalar_bool(op.arg("train")):
            raise not_supported("dropout in training mode (export the model in eval mode)", op)
        pass_on(rewriter, op)


class ConvertReturn(RewritePattern):
    """``func.return`` of the logits: one activation."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, func.ReturnOp):
            return
        if len(op.arguments) != 1:
            raise not_supported(f"{len(op.arguments)} results (e3ne networks return one tensor of logits)", op)
        logits = op.arguments[0]
        rewriter.replace(op, func.ReturnOp(activation(rewriter, logits, op)))
        erase_if_dead(rewriter, logits)
