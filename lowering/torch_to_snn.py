"""``convert-torch-to-snn``: torch-mlir's ``torch`` dialect -> float-stage ``snn``.

The converter walks the torch function once, in order, and keeps for every torch value what it
knows about it:

* a **constant** (numpy array): tensor literals and everything computed from constants only
  (BatchNorm's ``1/sqrt(var + eps)``, ``permute`` of a Linear weight, ``unsqueeze`` ...);
* an **activation**: a value of the snn function being built, possibly with a pending
  per-channel affine map ``x * scale + shift`` gathered from elementwise ops with constants.

torch-mlir's default decompositions spell BatchNorm as ``(x - mean) * invstd * gamma + beta``
and Linear as ``mm(x, permute(W)) * 1 + b``: both come out right without pattern tables. A
pending affine becomes the bias of the conv/linear it directly follows when it is only a shift
(a bias add), and an ``snn.batch_norm`` otherwise (``fold-batchnorm`` folds it next).

Anything else stops with ``not supported: <what>`` naming the torch op and its position.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from xdsl.builder import Builder
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import DenseIntOrFPElementsAttr, Float32Type, FunctionType, ModuleOp, TensorType
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint

from e3ne.dialects import snn
from e3ne.dialects import torch as t
from e3ne.dialects.dense import from_numpy
from e3ne.errors import E3neError, not_supported, op_error


@dataclass
class _Act:
    """A runtime activation: ``value * scale + shift`` per channel (dim 1) when scale/shift are set."""

    value: SSAValue
    scale: np.ndarray | None = None
    shift: np.ndarray | None = None
    fresh: bool = False
    """Reached from a conv/linear result through single-use values only: a pending shift can still
    become that layer's bias."""

    @property
    def plain(self) -> bool:
        return self.scale is None and self.shift is None


Known = np.ndarray | _Act


def _tensor_shape(value: SSAValue) -> tuple[int, ...]:
    vt = value.type
    if not isinstance(vt, t.BaseTensorType) or vt.shape is None or any(d < 0 for d in vt.shape):
        raise E3neError(f"error: not supported: tensors without a static shape ({vt})")
    return vt.shape


def _f32(shape: tuple[int, ...]) -> TensorType:
    return TensorType(Float32Type(), list(shape))


class _Converter:
    def __init__(self, ctx: Context, torch_func: func.FuncOp):
        self.ctx = ctx
        self.torch_func = torch_func
        self.known: dict[SSAValue, Known] = {}
        arg_types = []
        for arg in torch_func.body.block.args:
            arg_types.append(_f32(_tensor_shape(arg)))
        self.block = Block(arg_types=arg_types)
        self.builder = Builder(InsertPoint.at_end(self.block))
        for old, new in zip(torch_func.body.block.args, self.block.args, strict=True):
            new.name_hint = old.name_hint or "x"
            self.known[old] = _Act(new)
        self.handlers: dict[str, Callable[[t.AtenOp], None]] = {
            "torch.aten.convolution": self.conv,
            "torch.aten.conv2d": self.conv,
            "torch.aten._convolution": self.conv,
            "torch.aten.linear": self.linear,
            "torch.aten.addmm": self.addmm,
            "torch.aten.mm": self.mm,
            "torch.aten.matmul": self.mm,
            "torch.aten.relu": self.relu,
            "torch.aten.relu_": self.relu,
            "torch.aten.max_pool2d": self.max_pool,
            "torch.aten.max_pool2d_with_indices": self.max_pool,
            "torch.aten.avg_pool2d": self.avg_pool,
            "torch.aten.adaptive_avg_pool2d": self.adaptive_avg_pool,
            "torch.aten._adaptive_avg_pool2d": self.adaptive_avg_pool,
            "torch.aten.batch_norm": self.batch_norm,
            "torch.aten._native_batch_norm_legit_no_training": self.batch_norm,
            "torch.aten.native_batch_norm": self.batch_norm,
            "torch.aten.view": self.reshape,
            "torch.aten.reshape": self.reshape,
            "torch.aten._unsafe_view": self.reshape,
            "torch.aten.flatten.using_ints": self.reshape,
            "torch.aten.dropout": self.identity,
            "torch.aten.native_dropout": self.identity,
            "torch.aten.clone": self.identity,
            "torch.aten.contiguous": self.identity,
            "torch.aten.detach": self.identity,
            "torch.aten.log_softmax.int": self.softmax,
            "torch.aten._log_softmax": self.softmax,
            "torch.aten.softmax.int": self.softmax,
            "torch.aten._softmax": self.softmax,
        }

    # ---------------------------------------------------------------- helpers

    def get(self, value: SSAValue) -> Known:
        if value not in self.known:
            owner = value.owner
            raise (
                op_error(owner, "its result is used as a tensor but is not one")
                if isinstance(owner, Operation)
                else E3neError(f"error: unknown value {value}")
            )
        return self.known[value]

    def const(self, value: SSAValue, op: Operation, what: str) -> np.ndarray:
        known = self.get(value)
        if isinstance(known, _Act):
            raise not_supported(f"{what} computed at run time (it must be a constant)", op)
        return known

    def act(self, value: SSAValue, op: Operation) -> SSAValue:
        """The activation as an snn value, materialising a pending affine as snn.batch_norm."""
        known = self.get(value)
        if not isinstance(known, _Act):
            raise not_supported("a constant where an activation is expected", op)
        if known.plain:
            return known.value
        synapse = known.value.owner
        only_shift = known.scale is None or bool(np.all(known.scale == 1))
        if only_shift and known.fresh and isinstance(synapse, snn.Conv2dOp | snn.LinearOp):
            assert known.shift is not None
            self._into_bias(synapse, known.shift)
            self.known[value] = _Act(known.value)
            return known.value
        shape = known.value.type.get_shape()  # type: ignore[attr-defined]
        channels = shape[1]
        scale = np.broadcast_to(known.scale if known.scale is not None else 1.0, (channels,))
        shift = np.broadcast_to(known.shift if known.shift is not None else 0.0, (channels,))
        bn = snn.BatchNormOp(known.value, from_numpy(scale.astype(np.float32)), from_numpy(shift.astype(np.float32)))
        out = self.emit(bn, op)
        self.known[value] = _Act(out)
        return out

    def emit(self, new: Operation, old: Operation) -> SSAValue:
        new.location = old.location
        if old.results and old.results[0].name_hint and new.results:
            new.results[0].name_hint = old.results[0].name_hint
        self.builder.insert(new)
        return new.results[0]

    def set(self, op: t.AtenOp, known: Known, index: int = 0) -> None:
        self.known[op.results[index]] = known

    # ---------------------------------------------------------------- walk

    def run(self) -> func.FuncOp:
        tail, logits = _softmax_tail(self.torch_func)
        for op in self.torch_func.body.block.ops:
            if op in tail:
                continue
            if isinstance(op, func.ReturnOp) and logits is not None:
                self.known[op.operands[0]] = self.get(logits)
                return self.finish(op)
            if isinstance(op, t.VTensorLiteralOp | t.TensorLiteralOp):
                self.known[op.results[0]] = np.asarray(t.literal_array(op, self.ctx))
            elif isinstance(op, func.ReturnOp):
                return self.finish(op)
            elif isinstance(op, t.AtenOp):
                handler = self.handlers.get(op.name)
                if handler is not None:
                    handler(op)
                elif op.name in _ELEMENTWISE:
                    self.elementwise(op)
                else:
                    raise not_supported(f"{op.name}", op)
            elif op.name.startswith("torch.constant.") or isinstance(op, t.PrimListConstructOp):
                continue  # read on demand through t.scalar_value
            else:
                raise not_supported(f"{op.name}", op)
        raise E3neError("error: the torch function has no func.return")

    def finish(self, ret: func.ReturnOp) -> func.FuncOp:
        if len(ret.arguments) != 1:
            raise not_supported(f"{len(ret.arguments)} results (e3ne networks return one tensor of logits)", ret)
        result = self.act(ret.arguments[0], ret)
        self.builder.insert(func.ReturnOp(result))
        function_type = FunctionType.from_lists([a.type for a in self.block.args], [result.type])
        new = func.FuncOp(self.torch_func.sym_name.data, function_type, Region(self.block))
        new.location = self.torch_func.location
        return new

    # ---------------------------------------------------------------- layers

    def conv(self, op: t.AtenOp) -> None:
        x = self.act(op.arg("input"), op)
        weight = self.const(op.arg("weight"), op, "the convolution weight").astype(np.float32)
        bias = None
        if not _is_none(op.arg("bias")):
            bias = self.const(op.arg("bias"), op, "the convolution bias").astype(np.float32)
        stride, padding, dilation = (t.int_list(op.arg(n)) for n in ("stride", "padding", "dilation"))
        if "transposed" in op.ARG_NAMES and t.scalar_bool(op.arg("transposed")):
            raise not_supported("transposed convolution", op)
        groups = t.scalar_int(op.arg("groups"))
        if groups != 1:
            raise not_supported(f"grouped convolution (groups = {groups})", op)
        if weight.ndim != 4:
            raise not_supported(f"{weight.ndim - 2}-d convolution (only 2-d)", op)
        if any(d != 1 for d in dilation):
            raise not_supported(f"dilated convolution (dilation = {dilation})", op)
        stride, padding = _pair(stride), _pair(padding)
        out_shape = _tensor_shape(op.results[0])
        new = snn.Conv2dOp(x, _f32(out_shape), from_numpy(weight), _maybe(bias), stride, padding)
        self.set(op, _Act(self.emit(new, op), fresh=True))

    def _linear(self, op: t.AtenOp, x_value: SSAValue, weight: np.ndarray, bias: np.ndarray | None) -> None:
        x = self.act(x_value, op)
        if len(x.type.get_shape()) != 2:  # type: ignore[attr-defined]
            raise not_supported("linear layers on inputs that are not (batch, features)", op)
        new = snn.LinearOp(x, _f32(_tensor_shape(op.results[0])), from_numpy(weight.astype(np.float32)), _maybe(bias))
        self.set(op, _Act(self.emit(new, op), fresh=True))

    def linear(self, op: t.AtenOp) -> None:
        weight = self.const(op.arg("weight"), op, "the linear weight")
        bias = None if _is_none(op.arg("bias")) else self.const(op.arg("bias"), op, "the linear bias")
        self._linear(op, op.arg("input"), weight, bias)

    def addmm(self, op: t.AtenOp) -> None:
        if t.scalar_float(op.arg("beta")) != 1 or t.scalar_float(op.arg("alpha")) != 1:
            raise not_supported("addmm with beta or alpha other than 1", op)
        weight_t = self.const(op.arg("mat2"), op, "the matrix operand")
        bias = self.const(op.arg("self"), op, "the bias")
        self._linear(op, op.arg("mat1"), weight_t.T, np.broadcast_to(bias, (weight_t.shape[1],)))

    def mm(self, op: t.AtenOp) -> None:
        other = op.arg("mat2") if "mat2" in op.ARG_NAMES else op.arg("other")
        weight_t = self.const(other, op, "the matrix operand")
        if weight_t.ndim != 2:
            raise not_supported(f"{op.name} with a {weight_t.ndim}-d constant", op)
        self._linear(op, op.arg("self"), weight_t.T, None)

    def relu(self, op: t.AtenOp) -> None:
        self.set(op, _Act(self.emit(snn.ReluOp(self.act(op.arg("self"), op)), op)))

    def _pool_args(self, op: t.AtenOp) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
        kernel = _pair(t.int_list(op.arg("kernel_size")))
        stride_list = t.int_list(op.arg("stride"))
        stride = kernel if not stride_list else _pair(stride_list)
        padding = _pair(t.int_list(op.arg("padding")))
        if t.scalar_bool(op.arg("ceil_mode")):
            raise not_supported("pooling with ceil_mode=True", op)
        return kernel, stride, padding

    def max_pool(self, op: t.AtenOp) -> None:
        kernel, stride, padding = self._pool_args(op)
        if any(d != 1 for d in t.int_list(op.arg("dilation"))):
            raise not_supported("dilated max pooling", op)
        if len(op.results) == 2 and op.results[1].uses:
            raise not_supported("using the indices of max_pool2d_with_indices", op)
        x = self.act(op.arg("self"), op)
        new = snn.MaxPool2dOp(x, _f32(_tensor_shape(op.results[0])), kernel, stride, padding)
        self.set(op, _Act(self.emit(new, op)))

    def avg_pool(self, op: t.AtenOp) -> None:
        kernel, stride, padding = self._pool_args(op)
        if padding != (0, 0):
            raise not_supported(f"average pooling with padding {list(padding)}", op)
        if not _is_none(op.arg("divisor_override")):
            raise not_supported("average pooling with divisor_override", op)
        x = self.act(op.arg("self"), op)
        new = snn.AvgPool2dOp(x, _f32(_tensor_shape(op.results[0])), kernel, stride, (0, 0))
        self.set(op, _Act(self.emit(new, op)))

    def adaptive_avg_pool(self, op: t.AtenOp) -> None:
        x = self.act(op.arg("self"), op)
        _, _, h, w = x.type.get_shape()  # type: ignore[attr-defined]
        oh, ow = _pair(t.int_list(op.arg("output_size")))
        if h % oh or w % ow:
            raise not_supported(f"adaptive average pooling from {h}x{w} to {oh}x{ow} (sizes must divide)", op)
        if (oh, ow) == (h, w):
            self.set(op, _Act(x))
            return
        kernel = (h // oh, w // ow)
        new = snn.AvgPool2dOp(x, _f32(_tensor_shape(op.results[0])), kernel, kernel, (0, 0))
        self.set(op, _Act(self.emit(new, op)))

    def batch_norm(self, op: t.AtenOp) -> None:
        if "training" in op.ARG_NAMES and t.scalar_bool(op.arg("training")):
            raise not_supported("batch_norm in training mode (export the model in eval mode)", op)
        eps = t.scalar_float(op.arg("eps"))
        mean = self.const(op.arg("running_mean"), op, "the running mean").astype(np.float64)
        var = self.const(op.arg("running_var"), op, "the running variance").astype(np.float64)
        gamma = np.ones_like(mean) if _is_none(op.arg("weight")) else self.const(op.arg("weight"), op, "gamma")
        beta = np.zeros_like(mean) if _is_none(op.arg("bias")) else self.const(op.arg("bias"), op, "beta")
        scale = gamma.astype(np.float64) / np.sqrt(var + eps)
        shift = beta.astype(np.float64) - mean * scale
        x = self.act(op.arg("input"), op)
        new = snn.BatchNormOp(x, from_numpy(scale.astype(np.float32)), from_numpy(shift.astype(np.float32)))
        self.set(op, _Act(self.emit(new, op)))
        for extra in op.results[1:]:
            if extra.uses:
                raise not_supported("using the saved statistics of a batch norm", op)

    def reshape(self, op: t.AtenOp) -> None:
        source = op.operands[0]
        known = self.get(source)
        out_shape = _tensor_shape(op.results[0])
        if isinstance(known, np.ndarray):
            self.set(op, known.reshape(out_shape))
            return
        x = self.act(source, op)
        in_shape = tuple(x.type.get_shape())  # type: ignore[attr-defined]
        if in_shape == out_shape:
            self.set(op, _Act(x))
        elif len(in_shape) == 4 and out_shape == (in_shape[0], int(np.prod(in_shape[1:]))):
            self.set(op, _Act(self.emit(snn.FlattenOp(x, _f32(out_shape)), op)))
        else:
            raise not_supported(f"reshape from {list(in_shape)} to {list(out_shape)} (only flatten to (N, C*H*W))", op)

    def identity(self, op: t.AtenOp) -> None:
        if op.name in ("torch.aten.dropout", "torch.aten.native_dropout") and t.scalar_bool(op.arg("train")):
            raise not_supported("dropout in training mode (export the model in eval mode)", op)
        self.set(op, self.get(op.operands[0]))
        if len(op.results) > 1 and any(r.uses for r in op.results[1:]):
            raise not_supported(f"using the second result of {op.name}", op)

    def softmax(self, op: t.AtenOp) -> None:
        """(log_)softmax keeps the argmax: dropped when it ends the network."""
        users = [use.operation for use in op.results[0].uses]
        if not all(isinstance(u, func.ReturnOp) for u in users):
            raise not_supported(f"{op.name} inside the network (only as the last op, where it is dropped)", op)
        self.set(op, self.get(op.operands[0]))

    # ---------------------------------------------------------------- elementwise

    def elementwise(self, op: t.AtenOp) -> None:
        operands = [v for v in op.operands if isinstance(v.type, t.BaseTensorType)]
        knowns = [self.get(v) for v in operands]
        if all(isinstance(k, np.ndarray) for k in knowns):
            self.set(op, _fold_constant(op, [k for k in knowns if isinstance(k, np.ndarray)]))
            return
        self.set(op, self._affine(op))

    def _affine(self, op: t.AtenOp) -> _Act:
        name = op.name
        x_value = op.operands[0]
        x = self.get(x_value)
        if name == "torch.prims.convert_element_type" and isinstance(x, _Act):
            return x
        if not isinstance(x, _Act) or name not in _AFFINE:
            raise not_supported(f"{name} on a run-time activation", op)
        other = op.operands[1]
        if isinstance(other.type, t.BaseTensorType):
            c = self.const(other, op, f"the second operand of {name}")
        else:
            c = np.asarray(t.scalar_float(other))
        if "alpha" in op.ARG_NAMES:
            c = c * t.scalar_float(op.arg("alpha"))
        shape = tuple(x.value.type.get_shape())  # type: ignore[attr-defined]
        per_channel = _per_channel(c, shape)
        if per_channel is None:
            raise not_supported(f"{name} with a constant of shape {list(c.shape)} (only per-channel)", op)
        scale = np.ones(1) if x.scale is None else x.scale
        shift = np.zeros(1) if x.shift is None else x.shift
        if name.startswith("torch.aten.add"):
            shift = shift + per_channel
        elif name.startswith("torch.aten.sub"):
            shift = shift - per_channel
        elif name.startswith("torch.aten.mul"):
            scale, shift = scale * per_channel, shift * per_channel
        else:  # div
            scale, shift = scale / per_channel, shift / per_channel
        fresh = x.fresh and x_value.has_one_use()
        if np.all(scale == 1) and np.all(shift == 0):
            return _Act(x.value, fresh=fresh)
        return _Act(x.value, scale, shift, fresh)

    @staticmethod
    def _into_bias(synapse: snn.Conv2dOp | snn.LinearOp, shift: np.ndarray) -> None:
        """A shift right after a conv/linear is its bias (torch-mlir's Linear: mm, then + b)."""
        channels = synapse.out_channels()
        old = synapse.biases()
        bias = (np.zeros(channels) if old is None else old.astype(np.float64)) + np.broadcast_to(shift, (channels,))
        synapse.properties["bias"] = from_numpy(bias.astype(np.float32))


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


def _softmax_tail(torch_func: func.FuncOp) -> tuple[set[Operation], SSAValue | None]:
    """The ops of a (decomposed) (log_)softmax ending the network, and the logits it reads.

    Softmax keeps the argmax, and e3ne's networks output logits, so the tail is dropped. It is
    recognised only when every op is a softmax ingredient, reads nothing but one tensor (the
    logits) and its own results, and feeds only itself and the return.
    """
    ret = torch_func.body.block.last_op
    if not isinstance(ret, func.ReturnOp) or len(ret.arguments) != 1:
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


def _fold_constant(op: t.AtenOp, values: list[np.ndarray]) -> np.ndarray:
    """Evaluate an op whose tensor operands are all constants (in float64)."""
    name = op.name
    a = values[0].astype(np.float64) if values[0].dtype.kind == "f" else values[0]
    if name in _UNARY:
        return _UNARY[name](a.astype(np.float64))
    if name in _AFFINE:
        other = op.operands[1]
        b = values[1] if len(values) > 1 else np.asarray(t.scalar_float(other))
        if "alpha" in op.ARG_NAMES:
            b = b * t.scalar_float(op.arg("alpha"))
        if name.startswith("torch.aten.add"):
            return a + b
        if name.startswith("torch.aten.sub"):
            return a - b
        if name.startswith("torch.aten.mul"):
            return a * b
        return a / b
    if name == "torch.prims.convert_element_type":
        return a
    if name == "torch.aten.unsqueeze":
        return np.expand_dims(a, t.scalar_int(op.arg("dim")))
    if name in ("torch.aten.squeeze.dim", "torch.aten.squeeze", "torch.prims.squeeze"):
        return a.reshape(_tensor_shape(op.results[0]))
    if name == "torch.aten.permute":
        return np.transpose(a, t.int_list(op.arg("dims")))
    if name == "torch.aten.t":
        return a.T
    if name == "torch.aten.transpose.int":
        return np.swapaxes(a, t.scalar_int(op.arg("dim0")), t.scalar_int(op.arg("dim1")))
    raise not_supported(f"{name} on constants", op)


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


def _pair(values: list[int]) -> tuple[int, int]:
    if len(values) == 1:
        return values[0], values[0]
    if len(values) != 2:
        raise E3neError(f"error: not supported: {len(values)}-element window parameters {values} (2-d only)")
    return values[0], values[1]


def _is_none(value: SSAValue) -> bool:
    return isinstance(value.type, t.NoneType)


def _maybe(values: np.ndarray | None) -> DenseIntOrFPElementsAttr | None:
    return None if values is None else from_numpy(np.asarray(values, dtype=np.float32))


def convert_torch_to_snn(ctx: Context, module: ModuleOp) -> None:
    """Replace every torch-dialect function of ``module`` by its float-stage snn version."""
    functions = [op for op in module.ops if isinstance(op, func.FuncOp)]
    if not functions:
        raise E3neError("error: convert-torch-to-snn: the module has no func.func")
    for torch_func in functions:
        new = _Converter(ctx, torch_func).run()
        module.body.block.insert_op_before(new, torch_func)
        torch_func.detach()
        torch_func.erase()


@dataclass(frozen=True)
class ConvertTorchToSnnPass(ModulePass):
    """Convert torch-mlir's torch dialect (conv/linear/batch norm/relu/pooling/flatten) to float snn."""

    name = "convert-torch-to-snn"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        convert_torch_to_snn(ctx, op)
