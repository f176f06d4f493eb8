"""Patterns for the torch ops that become snn layers, and for the ops that only pass a value on."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

import numpy as np
from xdsl.dialects import func
from xdsl.ir import BlockArgument, Operation, SSAValue
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
    depthwise convolutions as dense ones with zero weights across groups, which the conv engine's
    grouped mode skips)."""

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
    and has zeros on the others, so the dense convolution computes the grouped one exactly.
    ``convert-snn-to-hw`` reads the groups back from the zeros (``e3ne.engine.mapping.feature_groups``)
    and runs the layer in the conv engine's grouped mode, at its own synaptic operations
    (docs/hardware.md 3)."""
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


def _bound(value: SSAValue) -> float | None:
    """A clamp bound: a number, or None when omitted."""
    return None if is_none(value) else t.scalar_float(value)


def _tensor_bound(value: SSAValue, op: t.AtenOp, what: str) -> float | None:
    """A bound of ``clamp.Tensor`` (ONNX's Clip): a constant tensor of one element, or None."""
    if is_none(value):
        return None
    bound = constant(value, op, f"the {what} of a clamp")
    if bound.size != 1:
        raise not_supported(f"a clamp whose {what} is a tensor of {bound.size} elements (only one bound)", op)
    return float(bound.reshape(-1)[0])


def _clamp_bounds(op: t.AtenOp) -> tuple[float | None, float | None]:
    """``(lower, upper)`` of relu, hardtanh and the clamps (None: no bound)."""
    if isinstance(op, t.AtenClampTensorOp):
        return _tensor_bound(op.arg("min"), op, "minimum"), _tensor_bound(op.arg("max"), op, "maximum")
    if isinstance(op, t.AtenHardtanhOp):
        return t.scalar_float(op.arg("min_val")), t.scalar_float(op.arg("max_val"))
    if isinstance(op, t.AtenClampOp):
        return _bound(op.arg("min")), _bound(op.arg("max"))
    if isinstance(op, t.AtenClampMinOp):
        return _bound(op.arg("min")), None
    if isinstance(op, t.AtenClampMaxOp):
        return None, _bound(op.arg("max"))
    return 0.0, None


class ConvertRelu(AtenPattern):
    """``relu`` -> ``snn.relu``; the ReLU6 family -> ``snn.relu {max = M}``: ``hardtanh(x, 0, M)``
    (``nn.ReLU6``), ``clamp(x, 0, M)`` (also ``clamp.Tensor``, ONNX's Clip, with constant bounds),
    and ``clamp(r, max=M)``/``clamp_max(r, M)`` of a ReLU's output ``r`` (``quantize`` merges the two
    ReLUs). ``clamp(x, 0)``/``clamp_min(x, 0)`` is a ReLU."""

    OPS = (
        t.AtenReluOp,
        t.AtenRelu_Op,
        t.AtenHardtanhOp,
        t.AtenClampOp,
        t.AtenClampMinOp,
        t.AtenClampMaxOp,
        t.AtenClampTensorOp,
    )

    def rewrite(self, op: t.AtenOp, rewriter: PatternRewriter) -> None:
        lower, upper = _clamp_bounds(op)
        x = activation(rewriter, op.arg("self"), op)
        what = op.name.removeprefix("torch.aten.")
        if isinstance(op, t.AtenHardtanhOp) and lower != 0:
            raise not_supported(f"hardtanh with min_val {lower:g} (only hardtanh(0, M), i.e. ReLU6)", op)
        if lower is None and upper is not None and not isinstance(x.owner, snn.ReluOp):
            raise not_supported(f"{what} to max {upper:g} of a value that is not a ReLU's output (only ReLU6)", op)
        if lower is not None and lower != 0:
            raise not_supported(f"{what} with min {lower:g} (only clamp(x, 0, M), i.e. ReLU6)", op)
        if upper is not None and not upper > 0:
            raise not_supported(f"{what} with max {upper:g} (only clamp(x, 0, M) with M > 0, i.e. ReLU6)", op)
        if lower is None and upper is None:
            replace_by(rewriter, op, x)
            return
        replace_by(rewriter, op, emit(rewriter, snn.ReluOp(x, upper), op))


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
        if kernel == (1, 1) and stride == (1, 1) and padding == (0, 0):
            replace_by(rewriter, op, x)  # a 1x1 window is the identity (AdaptiveAvgPool2d to the input's size)
            return
        new = pool(x, f32_tensor(tensor_shape(op.results[0])), kernel, stride, padding, ceil_mode)
        replace_by(rewriter, op, emit(rewriter, new, op))

    @staticmethod
    def adaptive(op: t.AtenOp, rewriter: PatternRewriter) -> None:
        x = activation(rewriter, op.arg("self"), op)
        _, _, h, w = shape_of(x)
        oh, ow = pair(t.int_list(op.arg("output_size")))
        if (oh, ow) == (1, 1):
            replace_by(rewriter, op, global_average(rewriter, x, op, keepdim=True))
            return
        if h % oh or w % ow:
            raise not_supported(f"adaptive average pooling from {h}x{w} to {oh}x{ow} (sizes must divide)", op)
        if (oh, ow) != (h, w):
            kernel = (h // oh, w // ow)
            x = emit(rewriter, snn.AvgPool2dOp(x, f32_tensor(tensor_shape(op.results[0])), kernel, kernel, (0, 0)), op)
        replace_by(rewriter, op, x)


def global_average(rewriter: PatternRewriter, x: SSAValue, op: t.AtenOp, keepdim: bool) -> SSAValue:
    """The mean of every channel's H x W map: average pooling over the whole map, (N, C, 1, 1)
    (flattened to (N, C) without ``keepdim``). Radix codes average over a square window of 2^m
    codes only (the pool unit's rounded shift, docs/numerics.md 2.5)."""
    n, c, h, w = shape_of(x)
    area = h * w
    if h != w or area & (area - 1):
        why = "the window must hold 2^m codes" if h == w else "the pool unit needs a square window"
        raise not_supported(f"global average pooling over {h}x{w} ({why})", op)
    if area > 1:
        x = emit(rewriter, snn.AvgPool2dOp(x, f32_tensor((n, c, 1, 1)), (h, w), (h, w), (0, 0)), op)
    if not keepdim:
        x = emit(rewriter, snn.FlattenOp(x, f32_tensor((n, c))), op)
    return x


class ConvertMean(AtenPattern):
    """``mean.dim`` over the two spatial dims of an NCHW activation (``x.mean((2, 3))``,
    ``nn.AdaptiveAvgPool2d(1)``) -> global average pooling."""

    OPS = (t.AtenMeanDimOp,)

    def rewrite(self, op: t.AtenOp, rewriter: PatternRewriter) -> None:
        x = activation(rewriter, op.arg("self"), op)
        rank = len(shape_of(x))
        dims = sorted(d % rank for d in t.int_list(op.arg("dim")))
        if rank != 4 or dims != [2, 3]:
            raise not_supported(f"mean over dims {t.int_list(op.arg('dim'))} of a rank-{rank} tensor "
                                "(only global average pooling: dims (2, 3) of NCHW)", op)  # fmt: skip
        if not is_none(op.arg("dtype")):
            raise not_supported("mean with a dtype", op)
        replace_by(rewriter, op, global_average(rewriter, x, op, t.scalar_bool(op.arg("keepdim"))))


class ConvertCat(AtenPattern):
    """``cat`` along the channels (dim 1 of N x C x H x W; of N x F, the features) of layer outputs
    -> ``snn.concat``; one tensor passes on."""

    OPS = (t.AtenCatOp,)

    def rewrite(self, op: t.AtenOp, rewriter: PatternRewriter) -> None:
        listed = op.arg("tensors").owner
        if not isinstance(listed, t.PrimListConstructOp):
            raise not_supported("torch.cat of a list that is not built in place (torch.prim.ListConstruct)", op)
        dim = t.scalar_int(op.arg("dim"))
        parts = [activation(rewriter, element, op) for element in listed.elements]
        rank = len(shape_of(parts[0]))
        if rank not in (2, 4):
            raise not_supported(f"torch.cat of rank-{rank} tensors (only N x C x H x W maps and N x F vectors)", op)
        if dim % rank != 1:
            what = "channels" if rank == 4 else "features"
            raise not_supported(f"torch.cat along dimension {dim} of rank-{rank} tensors (only dim 1, the {what})", op)
        for part in parts:
            if _network_input(part):
                raise not_supported("torch.cat of the network input (only of layer outputs)", op)
        if len(parts) == 1:
            replace_by(rewriter, op, parts[0])
            return
        new = snn.ConcatOp(parts, f32_tensor(tensor_shape(op.results[0])))
        replace_by(rewriter, op, emit(rewriter, new, op))


def _network_input(value: SSAValue) -> bool:
    """Whether ``value`` is the network input, or computed from it by ops without weights (pooling...)."""
    while not isinstance(value, BlockArgument):
        owner = value.owner
        if isinstance(owner, snn.ConcatOp):
            return any(_network_input(v) for v in owner.inputs)
        if not isinstance(owner, snn.MaxPool2dOp | snn.AvgPool2dOp | snn.ReluOp | snn.BatchNormOp | snn.FlattenOp):
            return False
        value = owner.input
    return True


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
