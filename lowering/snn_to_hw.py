"""``convert-snn-to-hw``: fused, tiled radix ``snn`` -> one ``e3ne_hw.engine`` per function.

A mechanical translation that chooses nothing: ``fuse-layers`` decided which snn ops form one
hardware layer (``snn.conv_layer``: conv2d + radix neuron [+ pooling]; ``snn.linear_layer``:
[flatten +] linear + radix neuron, or the raw last layer), and ``tile`` decided how each maps
onto the engine (its ``tiling``: units, lanes, channel slots, groups). A ``snn.linear_layer`` with
a conv tiling becomes an ``e3ne_hw.conv_layer`` whose kernel is its whole input (one output
position; raw when it is the last layer), its output stored as an F x 1 x 1 map. This pass lays
the layers out in memory (docs/hardware.md 2: activations alternate between the two banks,
weights and biases packed per the engine's word widths), sizes the activation memory and the
ROMs, and emits the engine, its units (the linear unit only when a layer runs on it), memories
and layer program. Anything the engine cannot run (an op fuse-layers left unfused, an untiled
layer, rate coding) is one line naming the op.
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
from e3ne.passes.fuse_layers import POOL_UNIT_LIMITS, pool_unit_runs, pool_window

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
    source: snn.ConvLayerOp | snn.LinearLayerOp
    props: dict[str, int] = field(default_factory=dict)
    weight: np.ndarray = field(default_factory=lambda: np.zeros(0))
    bias: np.ndarray | None = None
    weight_bits: int = 0
    acc_bits: int = 0
    result: SSAValue | None = None
    """The snn value this layer stores (after its neuron and pooling), or its logits."""


def _users(value: SSAValue) -> list[Operation]:
    return [use.operation for use in value.uses]


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
    """Walks a fused, tiled function from its input to its logits, laying out each hardware layer."""

    def __init__(self, function: func.FuncOp):
        self.function = function
        self.layers: list[HwLayer] = []
        self.stored_rows: list[int] = []
        self.row_widths: list[int] = []
        self.timesteps: list[int] = []
        self.names: dict[str, int] = {}
        self.units: set[tuple[int, int]] = set()  # (conv units, cols) of the conv tilings
        self.lanes: set[int] = set()

    def name(self, kind: str, op: Operation) -> str:
        """The layer's name: its PyTorch module's (``snn.layer_name``), else ``<kind><n>`` (the n-th
        layer of that kind); ``_2``, ``_3`` … after a name already taken (a module run twice)."""
        self.names[kind] = self.names.get(kind, 0) + 1
        name = snn.layer_name(op) or f"{kind}{self.names[kind]}"
        taken = {layer.name for layer in self.layers}
        unique, count = name, 1
        while unique in taken:
            count += 1
            unique = f"{name}_{count}"
        return unique

    def plan(self) -> snn.EncodeOp:
        ops = list(self.function.body.block.ops)
        if not ops or not isinstance(ops[0], snn.EncodeOp):
            raise E3neError("error: convert-snn-to-hw: the function must start with snn.encode (run quantize first)")
        encode = ops[0]
        if not snn.is_radix(encode.output.type):
            raise not_supported("rate encoding in hardware (the E3NE engine is radix only); use encoding=radix", encode)
        shape = _shape(encode.output)[1:]
        if len(shape) != 3:
            raise not_supported(f"network input of rank {len(shape) + 1} in hardware (expected N x C x H x W)", encode)
        stored = _Stored(shape, shape[2], _timesteps(encode.output.type), shape[0] * shape[1])
        self._note(stored)
        value: SSAValue = encode.output
        while True:
            users = _users(value)
            if len(users) != 1:
                owner = value.owner
                assert isinstance(owner, Operation)
                if users:
                    raise not_supported("a value used by several ops (only chains map to the engine)", owner)
                raise E3neError("error: convert-snn-to-hw: the network does not end in a linear layer")
            (user,) = users
            if isinstance(user, snn.MaxPool2dOp | snn.AvgPool2dOp):
                kh, kw = user.kernel_pair()
                where = f"kernel {kh}x{kw}, stride {list(user.stride_pair())}, padding {list(user.padding_pair())}"
                if pool_unit_runs(pool_window(user)):  # type: ignore[arg-type]
                    why = "the pool unit only pools the output of a conv layer"
                else:
                    why = POOL_UNIT_LIMITS
                raise not_supported(f"{user.name} with {where} in hardware ({why})", user)
            if not isinstance(user, snn.ConvLayerOp | snn.LinearLayerOp):
                what = f"{user.name} in hardware (the engine runs what fuse-layers fuses"
                raise not_supported(f"{what}: conv2d + neuron [+ pooling], [flatten +] linear [+ neuron])", user)
            if user.tiling is None:
                raise op_error(user, "has no tiling: run tile before convert-snn-to-hw")
            value, stored, raw = self._layer(user, stored)
            if raw:
                self._check_tail(value)
                return encode
            self._note(stored)

    def _check_tail(self, logits: SSAValue) -> None:
        for user in _users(logits):
            if not isinstance(user, func.ReturnOp | snn.ArgmaxOp):
                raise not_supported(f"{user.name} after the logits in hardware (the engine emits raw logits)", user)

    def _note(self, stored: _Stored) -> None:
        self.stored_rows.append(stored.rows)
        self.row_widths.append(stored.row_width if len(stored.shape) == 3 else 1)
        self.timesteps.append(stored.timesteps)

    def _layer(self, op: snn.ConvLayerOp | snn.LinearLayerOp, stored: _Stored) -> tuple[SSAValue, _Stored, bool]:
        t_in = _timesteps(op.input.type)
        weight_bits = op.weight_quant.bits.data
        acc_bits = op.acc_bits.value.data
        weight = op.weights().astype(np.int64)
        bias = op.biases()
        bias = None if bias is None else bias.astype(np.int64)
        k = op.neuron_shift()
        raw = k is None
        t_out = t_in if raw else _timesteps(op.output.type)
        shift = 0 if k is None else cap_shift(k, acc_bits, t_out)
        common = {"c_out": weight.shape[0], "t_in": t_in, "t_out": t_out, "shift": shift, "raw": int(raw),
                  "in_signed": int(snn.is_signed_radix(op.input.type))}  # fmt: skip
        tiling = op.tiling
        if isinstance(tiling, snn.ConvTilingAttr):
            self.units.add((tiling.units.data, tiling.cols.data))
            weight, window = _conv_window(op, stored, weight)
            props = dict(common, **window, slots=tiling.slots.data)
            # named for what it is in the network: a linear layer on the conv units stays "linear<n>"
            name = self.name("linear" if isinstance(op, snn.LinearLayerOp) else "conv", op)
            layer = HwLayer("conv", name, op, props, weight, bias, weight_bits, acc_bits)
            pooled = schema.pool_window(window)
            c_s = weight.shape[0]
            h_s, w_s = (
                schema.pool_output_size(window["h_out"], *pooled),
                schema.pool_output_size(window["w_out"], *pooled),
            )
            new = _Stored((c_s, h_s, w_s), w_s, t_out, c_s * h_s)
        else:
            assert isinstance(tiling, snn.LinearTilingAttr)
            self.lanes.add(tiling.lanes.data)
            features = int(np.prod(stored.shape))
            flat_weight = weight.reshape(weight.shape[0], -1)
            if flat_weight.shape[1] != features:
                raise op_error(op, f"expects {flat_weight.shape[1]} input features, the stored input has {features}")
            props = dict(common, c_in=features, w_in=stored.row_width)
            layer = HwLayer("linear", self.name("linear", op), op, props, flat_weight, bias, weight_bits, acc_bits)
            new = _Stored((weight.shape[0],), ROW_OF_ENGINE, t_out, 0)  # rows fixed once ROWW is known
        layer.result = op.output
        self.layers.append(layer)
        return op.output, new, raw

    def engine_size(self) -> tuple[int, int, int]:
        """(conv units, cols, lanes) the tilings agree on."""
        if len(self.units) > 1 or len(self.lanes) > 1:
            raise E3neError(
                f"error: convert-snn-to-hw: @{self.function.sym_name.data}'s layers are tiled for different engines "
                f"(conv units x cols {sorted(self.units)}, lanes {sorted(self.lanes)}): run tile on the whole function"
            )
        units, cols = next(iter(self.units), (1, 1))
        return units, cols, next(iter(self.lanes), 1)


def _conv_window(
    op: snn.ConvLayerOp | snn.LinearLayerOp, stored: _Stored, weight: np.ndarray
) -> tuple[np.ndarray, dict[str, int]]:
    """A layer on the conv units: its weights [c_out, C, kh, kw] and its window's descriptor fields.

    A linear layer there is a convolution whose kernel is its whole (C, H, W) input (one output
    position, output channel o = neuron o); torch flattens C-major, so its weights only reshape.
    """
    if len(stored.shape) != 3:
        raise op_error(op, "runs on the conv units, but its input is a feature vector of the linear unit")
    c, h, w = stored.shape
    if isinstance(op, snn.LinearLayerOp):
        if op.conv_input() != stored.shape:
            raise op_error(op, f"reads its input as {op.conv_input()}, the stored input is {stored.shape}")
        weight = weight.reshape(weight.shape[0], c, h, w)
        (sh, sw), (ph, pw), pool = (1, 1), (0, 0), _NO_POOL
    else:
        (sh, sw), (ph, pw), pool = op.stride_pair(), op.padding_pair(), _pool(op)
    kh, kw = weight.shape[2:]
    h_out, w_out = snn.window_output_size(h, kh, sh, ph), snn.window_output_size(w, kw, sw, pw)
    window = dict(c_in=c, h_in=h, w_in=w, kh=kh, kw=kw, sh=sh, sw=sw, ph=ph, pw=pw, h_out=h_out, w_out=w_out)
    return weight, dict(window, **pool)


_NO_POOL = {"pool_mode": int(PoolMode.NONE), "pool_size": 1}


def _pool(op: snn.ConvLayerOp) -> dict[str, int]:
    """The pool unit's mode, window side, stride, padding and ceil_mode of a conv layer, as the
    layer's properties (fuse-layers fused only what it runs)."""
    pool = op.pool()
    if pool is None or (pool.kernel, pool.strides, pool.padding) == ((1, 1), (1, 1), (0, 0)):  # the identity
        return dict(_NO_POOL)
    if not pool_unit_runs(pool):
        kh, kw = pool.kernel
        what = f"{pool.mode} pooling {kh}x{kw}, stride {list(pool.strides)}, padding {list(pool.padding)}"
        raise not_supported(f"{what} in hardware ({POOL_UNIT_LIMITS})", op)
    k = pool.kernel[0]
    props = {"pool_mode": int(PoolMode[pool.mode.upper()]), "pool_size": k}
    return props | {"pool_stride": pool.strides[0], "pool_padding": pool.padding[0], "pool_ceil": int(pool.ceil_mode)}


def plan_layers(function: func.FuncOp) -> list[HwLayer]:
    """The hardware layers of a fused, tiled snn function, in program order."""
    planner = _Planner(function)
    planner.plan()
    return planner.layers


@dataclass(frozen=True)
class ConvertSnnToHwPass(ModulePass):
    """Translate fused, tiled radix snn into one E3NE-style engine per function (e3ne_hw)."""

    name = "convert-snn-to-hw"

    function: str = ""
    """The function to convert (default: every func.func; each becomes an engine of its name)."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for function in functions(op, self.function):
            parts = self._engine(function)
            for part in parts:
                op.body.block.insert_op_before(part, function)
            function.detach()
            function.erase()

    def _engine(self, function: func.FuncOp) -> list[Operation]:
        """The engine op and its parts (units, memories, layers) for one function."""
        planner = _Planner(function)
        encode = planner.plan()
        layers = planner.layers
        convs = [layer for layer in layers if layer.kind == "conv"]
        cu, cols, lanes = planner.engine_size()
        row_codes = max(planner.row_widths)
        for layer in layers:
            if layer.props.get("w_in") == ROW_OF_ENGINE:
                layer.props["w_in"] = row_codes
        vectors = [images.act_rows_needed(x.props["c_out"], row_codes) for x in layers if x.kind == "linear"]
        depth = max(*planner.stored_rows, *vectors)
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
        if any(layer.kind == "linear" for layer in layers):
            parts.append(hw.LinearUnitOp(properties=hw.int_props(lanes=lanes)))
        layer_ops = self._layer_ops(layers, cu, lanes)
        for name, word_bits, words in self._memories(layers, cu, cols, lanes, weight_bits, acc_bits):
            properties = {"memory": StringAttr(name), **hw.int_props(word_bits=word_bits, depth=max(words, 1))}
            parts.append(hw.WeightMemoryOp(properties=properties))
        return parts + layer_ops

    @staticmethod
    def _memories(layers: list[HwLayer], cu: int, cols: int, lanes: int, weight_bits: int, acc_bits: int):
        words = [_rom_words(x, cu, lanes) for x in layers]
        conv_words = sum(w for x, (w, _) in zip(layers, words, strict=True) if x.kind == "conv")
        linear_words = sum(w for x, (w, _) in zip(layers, words, strict=True) if x.kind == "linear")
        bias_words = sum(b for _, b in words)
        segments = schema.weight_segments(cols, {x.props["slots"] for x in layers if x.kind == "conv"})
        memories = [("biases", acc_bits + 1, bias_words)]
        if linear_words:
            memories.insert(0, ("linear_weights", lanes * weight_bits, linear_words))
        if conv_words:
            memories.insert(0, ("conv_weights", images.conv_word_bits(cu, weight_bits, segments), conv_words))
        memories.append(("program", schema.WORD_BITS, schema.DESCRIPTOR_WORDS * (len(layers) + 1)))
        return memories

    @staticmethod
    def _layer_ops(layers: list[HwLayer], cu: int, lanes: int) -> list[Operation]:
        ops: list[Operation] = []
        bases = {"conv": 0, "linear": 0}
        bias_base = 0
        for index, layer in enumerate(layers):
            fields = dict(layer.props, src_bank=index % 2, dst_bank=1 - index % 2, src_base=0, dst_base=0)
            weight_words, bias_words = _rom_words(layer, cu, lanes)
            fields.update(w_base=bases[layer.kind], b_base=bias_base)
            bases[layer.kind] += weight_words
            bias_base += bias_words
            cls = hw.ConvLayerOp if layer.kind == "conv" else hw.LinearLayerOp
            bias = None if layer.bias is None else from_numpy(layer.bias)
            new = cls.create_layer(
                layer.name, fields, from_numpy(layer.weight), bias, layer.weight_bits, layer.acc_bits
            )
            new.location = layer.source.location
            ops.append(new)
        return ops


def _rom_words(layer: HwLayer, cu: int, lanes: int) -> tuple[int, int]:
    """Weight ROM and bias ROM words of one layer (docs/hardware.md 2.2-2.4)."""
    p = layer.props
    if layer.kind == "conv":
        weights = images.conv_weight_depth(p["c_out"], p["c_in"], p["kh"], p["kw"], cu, p["slots"])
        return weights, images.bias_depth(True, p["c_out"], cu, p["slots"])
    return images.linear_weight_depth(p["c_out"], p["c_in"], lanes), images.bias_depth(False, p["c_out"], lanes)
