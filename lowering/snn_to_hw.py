"""``convert-snn-to-hw``: quantized (radix) ``snn`` -> one ``e3ne_hw.engine``.

Groups the snn ops into hardware layers (docs/hardware.md): conv2d + radix_neuron [+ pooling
with window = stride] runs on the conv unit; linear + radix_neuron, and the raw last linear,
on the linear unit. A conv2d whose output is 1x1 (kernel = input, no padding) *is* a linear layer
over the flattened input and runs on the linear unit. ``flatten`` only changes how the next
linear layer walks its input. Layers alternate between the two activation banks.

Engine parameters not given as options are chosen here: ``cols`` = the widest conv output row,
``conv_units`` = 2 and ``lanes`` = 16 (E3NE's defaults; the design-space pass may override).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import DenseArrayBase, Float64Type, FloatAttr, IntegerAttr, ModuleOp, StringAttr, i64
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass

from e3ne.dialects import e3ne_hw as hw
from e3ne.dialects import snn
from e3ne.dialects.dense import from_numpy
from e3ne.engine import images, schema
from e3ne.engine.schema import PoolMode
from e3ne.errors import E3neError, not_supported, op_error
from e3ne.ir import functions

DEFAULT_CONV_UNITS = 2
DEFAULT_LANES = 16
ROW_OF_ENGINE = -1
"""Row width of a feature vector written by the linear unit: the engine's row_codes."""


@dataclass
class _Stored:
    """How the current activation sits in memory: a (C, H, W) map or rows of a feature vector."""

    shape: tuple[int, ...]  # (C, H, W) or (F,)
    row_width: int  # codes per stored row, as a linear layer walks it
    timesteps: int
    rows: int  # words it occupies


@dataclass
class HwLayer:
    """One hardware layer as planned from the snn ops (also used to trace it back to them)."""

    kind: str  # "conv" or "linear"
    name: str
    source: snn.Conv2dOp | snn.LinearOp
    props: dict[str, int] = field(default_factory=dict)
    weight: np.ndarray = field(default_factory=lambda: np.zeros(0))
    bias: np.ndarray | None = None
    weight_bits: int = 0
    acc_bits: int = 0
    result: SSAValue | None = None
    """The snn value this layer stores (after its neuron and pooling), or its logits."""


def _users(value: SSAValue) -> list[Operation]:
    return [use.operation for use in value.uses]


def _single_user(value: SSAValue) -> Operation | None:
    users = _users(value)
    return users[0] if len(users) == 1 else None


def _timesteps(t: object) -> int:
    enc = snn.encoding_of(t)  # type: ignore[arg-type]
    assert isinstance(enc, snn.RadixEncodingAttr)
    return enc.timesteps.data


def _shape(value: SSAValue) -> tuple[int, ...]:
    return tuple(value.type.get_shape())  # type: ignore[attr-defined]


def cap_shift(shift: int, acc_bits: int, t_out: int) -> int:
    """Clamp k where the neuron's output no longer changes, so b' fits ACC+1 bits (docs/hardware.md)."""
    return max(-t_out, min(shift, acc_bits))


class _Planner:
    def __init__(self, main: func.FuncOp):
        self.ops = [op for op in main.body.block.ops if not isinstance(op, func.ReturnOp)]
        self.layers: list[HwLayer] = []
        self.stored_rows: list[int] = []
        self.row_widths: list[int] = []
        self.timesteps: list[int] = []
        self.names: dict[str, int] = {}

    def name(self, kind: str) -> str:
        self.names[kind] = self.names.get(kind, 0) + 1
        return f"{kind}{self.names[kind]}"

    def plan(self) -> tuple[snn.EncodeOp, _Stored]:
        if not self.ops or not isinstance(self.ops[0], snn.EncodeOp):
            raise E3neError("error: convert-snn-to-hw: the function must start with snn.encode (run quantize first)")
        encode = self.ops[0]
        if not snn.is_radix(encode.output.type):
            raise not_supported("rate encoding in hardware (the E3NE engine is radix only); use encoding=radix", encode)
        shape = _shape(encode.output)[1:]
        if len(shape) != 3:
            raise not_supported(f"network input of rank {len(shape) + 1} in hardware (expected N x C x H x W)", encode)
        stored = _Stored(shape, shape[2], _timesteps(encode.output.type), shape[0] * shape[1])
        self._note(stored)
        value: SSAValue = encode.output
        while True:
            user = _single_user(value)
            if user is None:
                if _users(value):
                    raise not_supported("a value used by several ops (only chains map to the engine)", value.owner)  # type: ignore[arg-type]
                raise E3neError("error: convert-snn-to-hw: the network does not end in a linear layer")
            if isinstance(user, snn.FlattenOp):
                if len(stored.shape) == 3:
                    c, h, w = stored.shape
                    stored = _Stored((c * h * w,), stored.row_width, stored.timesteps, stored.rows)
                value = user.output
            elif isinstance(user, snn.Conv2dOp | snn.LinearOp):
                value, stored, done = self._synapse(user, stored)
                if done:
                    return encode, stored
            else:
                raise not_supported(f"{user.name} in hardware at this place (expected conv2d, linear or flatten)", user)

    def _note(self, stored: _Stored) -> None:
        self.stored_rows.append(stored.rows)
        self.row_widths.append(stored.row_width if len(stored.shape) == 3 else 1)
        self.timesteps.append(stored.timesteps)

    def _synapse(self, op: snn.Conv2dOp | snn.LinearOp, stored: _Stored) -> tuple[SSAValue, _Stored, bool]:
        in_t = op.input.type
        t_in = _timesteps(in_t)
        assert op.weight_quant is not None
        weight_bits = op.weight_quant.bits.data
        acc_bits = snn.element_width(op.output.type)  # type: ignore[arg-type]
        weight = op.weights().astype(np.int64)
        bias = op.biases()
        bias = None if bias is None else bias.astype(np.int64)
        neuron = _single_user(op.output)
        raw = not isinstance(neuron, snn.RadixNeuronOp)
        if raw and _users(op.output):
            user = _users(op.output)[0]
            if not isinstance(user, func.ReturnOp | snn.ArgmaxOp):
                raise not_supported(f"{user.name} after a conv2d/linear in hardware (expected radix_neuron)", user)
        t_out = t_in if raw else _timesteps(neuron.output.type)  # type: ignore[union-attr]
        shift = 0 if raw else cap_shift(neuron.shift.value.data, acc_bits, t_out)  # type: ignore[union-attr]
        common = {"c_out": weight.shape[0], "t_in": t_in, "t_out": t_out, "shift": shift, "raw": int(raw)}
        after: SSAValue = op.output if raw else neuron.output  # type: ignore[union-attr]

        if isinstance(op, snn.Conv2dOp) and not self._conv_is_linear(op, stored):
            if raw:
                raise not_supported("a network ending in conv2d in hardware (the logits come from a linear layer)", op)
            c, h, w = stored.shape
            kh, kw = weight.shape[2:]
            (sh, sw), (ph, pw) = op.stride_pair(), op.padding_pair()
            h_out, w_out = _shape(op.output)[2:]
            pool_mode, pool_size, after = self._fused_pool(after)
            props = dict(common, c_in=c, h_in=h, w_in=w, kh=kh, kw=kw, sh=sh, sw=sw, ph=ph, pw=pw)
            props.update(h_out=h_out, w_out=w_out, pool_mode=int(pool_mode), pool_size=pool_size, slots=1)
            layer = HwLayer("conv", self.name("conv"), op, props, weight, bias, weight_bits, acc_bits)
            c_s, h_s, w_s = weight.shape[0], h_out // pool_size, w_out // pool_size
            new = _Stored((c_s, h_s, w_s), w_s, t_out, c_s * h_s)
        else:
            if len(stored.shape) == 3 and isinstance(op, snn.LinearOp):
                raise not_supported("linear on a feature map without flatten", op)
            features = int(np.prod(stored.shape))
            flat_weight = weight.reshape(weight.shape[0], -1)
            if flat_weight.shape[1] != features:
                raise op_error(op, f"expects {flat_weight.shape[1]} input features, the stored input has {features}")
            props = dict(common, c_in=features, w_in=stored.row_width)
            layer = HwLayer("linear", self.name("linear"), op, props, flat_weight, bias, weight_bits, acc_bits)
            new = _Stored((weight.shape[0],), ROW_OF_ENGINE, t_out, 0)  # rows fixed once ROWW is known
        layer.result = after
        self.layers.append(layer)
        if raw:
            return after, new, True
        self._note(new)
        return after, new, False

    @staticmethod
    def _conv_is_linear(op: snn.Conv2dOp, stored: _Stored) -> bool:
        """A conv whose single output position sees the whole (unpadded) input is a linear layer."""
        kh, kw = op.weights().shape[2:]
        return (
            len(stored.shape) == 3
            and stored.shape[1:] == (kh, kw)
            and op.padding_pair() == (0, 0)
            and tuple(_shape(op.output)[2:]) == (1, 1)
        )

    def _fused_pool(self, codes: SSAValue) -> tuple[PoolMode, int, SSAValue]:
        user = _single_user(codes)
        if not isinstance(user, snn.MaxPool2dOp | snn.AvgPool2dOp):
            return PoolMode.NONE, 1, codes
        kh, kw = user.kernel_pair()
        if kh != kw or user.stride_pair() != (kh, kw) or user.padding_pair() != (0, 0):
            raise not_supported(
                f"{user.name} with kernel {kh}x{kw}, stride {list(user.stride_pair())}, padding "
                f"{list(user.padding_pair())} in hardware (the pool unit needs square windows, "
                "stride = window, no padding)",
                user,
            )
        return (PoolMode.MAX if isinstance(user, snn.MaxPool2dOp) else PoolMode.AVG), kh, user.output


def plan_layers(main: func.FuncOp) -> list[HwLayer]:
    """The hardware layers of a quantized snn function, in program order."""
    planner = _Planner(main)
    planner.plan()
    return planner.layers


@dataclass(frozen=True)
class ConvertSnnToHwPass(ModulePass):
    """Map a quantized radix snn network onto one E3NE-style engine (e3ne_hw)."""

    name = "convert-snn-to-hw"

    conv_units: int = 0
    cols: int = 0
    lanes: int = 0
    function: str = ""
    """The function to convert (default: every func.func; each becomes an engine of its name)."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for what, value in (("conv_units", self.conv_units), ("cols", self.cols), ("lanes", self.lanes)):
            if value < 0:
                raise E3neError(f"error: convert-snn-to-hw: {what} must be >= 1 (or 0: the pass chooses), got {value}")
        for function in functions(op, self.function):
            parts = self._engine(function)
            for part in parts:
                op.body.block.insert_op_before(part, function)
            function.detach()
            function.erase()

    def _engine(self, function: func.FuncOp) -> list[Operation]:
        """The engine op and its parts (units, memories, layers) for one function."""
        planner = _Planner(function)
        encode, _ = planner.plan()
        layers = planner.layers
        convs = [layer for layer in layers if layer.kind == "conv"]
        cu = self.conv_units or DEFAULT_CONV_UNITS
        cols = self.cols or max((layer.props["w_out"] for layer in convs), default=1)
        lanes = self.lanes or DEFAULT_LANES
        row_codes = max(planner.row_widths)
        for layer in layers:
            if layer.props.get("w_in") == ROW_OF_ENGINE:
                layer.props["w_in"] = row_codes
        depth = max(
            max(planner.stored_rows),
            *(images.act_rows_needed(layer.props["c_out"], row_codes) for layer in layers if layer.kind == "linear"),
        )
        acc_bits = max(layer.acc_bits for layer in layers)
        weight_bits = max(layer.weight_bits for layer in layers)
        shape = _shape(encode.output)
        engine = hw.EngineOp(
            function.sym_name.data,
            {
                "input_shape": DenseArrayBase.from_list(i64, list(shape[1:])),
                "input_step": FloatAttr(encode.step.value.data, Float64Type()),
                "input_timesteps": IntegerAttr(_timesteps(encode.output.type), i64),
                **hw.int_props(acc_bits=acc_bits, weight_bits=weight_bits),
            },
        )
        engine.location = function.location
        parts: list[Operation] = [engine]
        memory = hw.int_props(depth=depth, row_codes=row_codes, code_bits=max(planner.timesteps))
        parts.append(hw.ActMemoryOp(properties=memory))
        if convs:
            kmax = max(max(c.props["kh"], c.props["kw"]) for c in convs)
            smax = max(max(c.props["sh"], c.props["sw"]) for c in convs)
            pmax = max(max(c.props["ph"], c.props["pw"]) for c in convs)
            units = hw.int_props(units=cu, cols=cols, max_kernel=kmax, max_stride=smax, max_padding=pmax)
            parts.append(hw.ConvUnitOp(properties=units))
            windows = [c.props["pool_size"] for c in convs]
            if max(windows) > 1:
                parts.append(hw.PoolUnitOp(properties=hw.int_props(max_window=max(windows))))
        parts.append(hw.LinearUnitOp(properties=hw.int_props(lanes=lanes)))
        layer_ops = self._layer_ops(layers, cu, lanes)
        for name, word_bits, words in self._memories(layers, cu, lanes, weight_bits, acc_bits):
            properties = {"memory": StringAttr(name), **hw.int_props(word_bits=word_bits, depth=max(words, 1))}
            parts.append(hw.WeightMemoryOp(properties=properties))
        return parts + layer_ops

    @staticmethod
    def _memories(layers: list[HwLayer], cu: int, lanes: int, weight_bits: int, acc_bits: int):
        conv_words = sum(
            images.conv_weight_depth(x.props["c_out"], x.props["c_in"], x.props["kh"], x.props["kw"], cu)
            for x in layers
            if x.kind == "conv"
        )
        linear_words = sum(
            images.linear_weight_depth(x.props["c_out"], x.props["c_in"], lanes) for x in layers if x.kind == "linear"
        )
        bias_words = sum(images.bias_depth(x.kind == "conv", x.props["c_out"], cu) for x in layers)
        memories = [("linear_weights", lanes * weight_bits, linear_words), ("biases", acc_bits + 1, bias_words)]
        if conv_words:
            memories.insert(0, ("conv_weights", cu * weight_bits, conv_words))
        memories.append(("program", schema.WORD_BITS, schema.DESCRIPTOR_WORDS * (len(layers) + 1)))
        return memories

    @staticmethod
    def _layer_ops(layers: list[HwLayer], cu: int, lanes: int) -> list[Operation]:
        ops: list[Operation] = []
        conv_base = linear_base = bias_base = 0
        for index, layer in enumerate(layers):
            fields = dict(layer.props, src_bank=index % 2, dst_bank=1 - index % 2, src_base=0, dst_base=0)
            c_out, c_in = fields["c_out"], fields["c_in"]
            if layer.kind == "conv":
                fields["w_base"] = conv_base
                conv_base += images.conv_weight_depth(c_out, c_in, fields["kh"], fields["kw"], cu)
            else:
                fields["w_base"] = linear_base
                linear_base += images.linear_weight_depth(c_out, c_in, lanes)
            fields["b_base"] = bias_base
            bias_base += images.bias_depth(layer.kind == "conv", c_out, cu)
            cls = hw.ConvLayerOp if layer.kind == "conv" else hw.LinearLayerOp
            bias = None if layer.bias is None else from_numpy(layer.bias)
            new = cls.create_layer(
                layer.name, fields, from_numpy(layer.weight), bias, layer.weight_bits, layer.acc_bits
            )
            new.location = layer.source.location
            ops.append(new)
        return ops
