"""``convert-snn-to-hw``: fused, tiled radix ``snn`` -> one ``e3ne_hw.engine`` per function.

A mechanical translation that chooses nothing: ``fuse-layers`` decided which snn ops form one
hardware layer (``snn.conv_layer``: conv2d + radix neuron [+ pooling]; ``snn.linear_layer``:
[flatten +] linear + radix neuron, or the raw last layer), and ``tile`` decided how each maps
onto the engine (its ``tiling``: units, lanes, channel slots, groups). A ``snn.linear_layer`` with
a conv tiling becomes an ``e3ne_hw.conv_layer`` whose kernel is its whole input (one output
position; raw when it is the last layer), its output stored as an F x 1 x 1 map. This pass lays
the layers out in memory (docs/hardware.md 2: every stored activation gets a bank and a base from
the allocator of :mod:`e3ne.engine.allocate`, so that it lives as long as a layer still reads it;
the parts of an ``snn.concat`` are stored channel block after channel block, so the concatenation
costs nothing; weights and biases packed per the engine's word widths), sizes the activation
memory and the ROMs, and emits the engine, its units (the linear unit only when a layer runs on
it), memories and layer program. The function body may be a DAG (a value with several users,
concatenations); the layer program runs the layers in the body's order. Anything the engine
cannot run (an op fuse-layers left unfused, an untiled layer, rate coding) is one line naming the op.
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
from e3ne.engine import allocate, images, schema
from e3ne.engine.allocate import Place
from e3ne.engine.mapping import feature_groups
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


INPUT_STEP = -1
"""The program step at which the network input is written (by the host, before layer 0)."""


class _Planner:
    """Walks a fused, tiled function in program order, laying out each hardware layer and placing
    every stored activation in memory."""

    def __init__(self, function: func.FuncOp):
        self.function = function
        self.layers: list[HwLayer] = []
        self.stored: dict[SSAValue, _Stored] = {}
        """Every value the engine stores (the input, hidden layers' outputs, concatenations), in order."""
        self.written_at: dict[SSAValue, int] = {}
        """The step (layer index) that writes a stored value; a concatenation: its first part's."""
        self.part_of: dict[SSAValue, tuple[SSAValue, int]] = {}
        """A concatenated value -> (the concatenation, its first row in it)."""
        self.names: dict[str, int] = {}
        self.units: set[tuple[int, int]] = set()  # (conv units, cols) of the conv tilings
        self.lanes: set[int] = set()
        self.depth = 1

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
        self._store(encode.output, _Stored(shape, shape[2], _timesteps(encode.output.type), shape[0] * shape[1]))
        self.written_at[encode.output] = INPUT_STEP
        logits: SSAValue | None = None
        for op in ops[1:]:
            if isinstance(op, func.ReturnOp | snn.ArgmaxOp):
                continue
            if logits is not None:
                raise not_supported(f"{op.name} after the last layer in hardware (the engine ends with the logits)", op)
            if isinstance(op, snn.ConcatOp):
                self._concat(op)
                continue
            if isinstance(op, snn.MaxPool2dOp | snn.AvgPool2dOp):
                kh, kw = op.kernel_pair()
                where = f"kernel {kh}x{kw}, stride {list(op.stride_pair())}, padding {list(op.padding_pair())}"
                if pool_unit_runs(pool_window(op)):  # type: ignore[arg-type]
                    why = "the pool unit only pools the output of a conv layer"
                else:
                    why = POOL_UNIT_LIMITS
                raise not_supported(f"{op.name} with {where} in hardware ({why})", op)
            if not isinstance(op, snn.ConvLayerOp | snn.LinearLayerOp):
                what = f"{op.name} in hardware (the engine runs what fuse-layers fuses"
                raise not_supported(f"{what}: conv2d + neuron [+ pooling], [flatten +] linear [+ neuron])", op)
            if op.tiling is None:
                raise op_error(op, "has no tiling: run tile before convert-snn-to-hw")
            if op.input not in self.stored:
                raise op_error(op, "reads a value the engine does not store (the logits)")
            value, stored, raw = self._layer(op, self.stored[op.input])
            if raw:
                logits = value
            else:
                if not value.uses:
                    raise op_error(op, "writes codes no op reads: remove the layer")
                self._store(value, stored)
                self.written_at[value] = len(self.layers) - 1
        if logits is None:
            raise E3neError("error: convert-snn-to-hw: the network does not end in a linear layer")
        self._check_tail(logits)
        return encode

    def _store(self, value: SSAValue, stored: _Stored) -> None:
        self.stored[value] = stored

    def _concat(self, op: snn.ConcatOp) -> None:
        """The parts of a concatenation are stored one after the other: one map, no copy."""
        rows, channels = 0, 0
        for value in op.inputs:
            part = self.stored.get(value)
            if part is None:
                raise op_error(op, "concatenates a value the engine does not store (the logits)")
            if value in self.written_at and self.written_at[value] == INPUT_STEP:
                raise not_supported("snn.concat of the network input in hardware (the host loads it alone)", op)
            if len(part.shape) != 3:
                why = "the linear unit packs them into words; concatenate maps, or vectors on the conv units"
                raise not_supported(f"snn.concat of feature vectors in hardware ({why})", op)
            if value in self.part_of:
                why = "the parts of a concatenation are adjacent in memory"
                raise not_supported(f"a value in two concatenations (or twice in one) in hardware ({why})", op)
            self.part_of[value] = (op.output, rows)
            rows += part.rows
            channels += part.shape[0]
        first = self.stored[op.inputs[0]]
        _, h, w = first.shape
        steps = max(self.stored[v].timesteps for v in op.inputs)  # unsigned parts may be a bit shorter
        self.stored[op.output] = _Stored((channels, h, w), first.row_width, steps, rows)
        self.written_at[op.output] = min(self._written(v) for v in op.inputs)

    def _written(self, value: SSAValue) -> int:
        return self.written_at[value]

    def _root(self, value: SSAValue) -> tuple[SSAValue, int]:
        """The stored value a value is part of (itself, or the outermost concatenation) and its first row there."""
        offset = 0
        while value in self.part_of:
            value, row = self.part_of[value]
            offset += row
        return value, offset

    def lay_out(self) -> int:
        """Fix what depends on the row width of the activation memory (the widest stored row) and
        place every stored value (:mod:`e3ne.engine.allocate`): each layer's ``src_*``/``dst_*`` fields
        and ``self.depth``. Returns the row width (codes per word)."""
        row_codes = max(s.row_width if len(s.shape) == 3 else 1 for s in self.stored.values())
        for layer in self.layers:
            if layer.props.get("w_in") == ROW_OF_ENGINE:
                layer.props["w_in"] = row_codes
        for stored in self.stored.values():
            if len(stored.shape) == 1:
                stored.rows = images.act_rows_needed(stored.shape[0], row_codes)
        roots = [value for value in self.stored if value not in self.part_of]  # the input first
        index = {value: i for i, value in enumerate(roots)}
        last = {value: self.written_at[value] for value in roots}
        for step, layer in enumerate(self.layers):
            root = self._root(layer.source.input)[0]
            last[root] = max(last[root], step)
        tensors = []
        for value in roots:
            first = self.written_at[value]
            source = None if first == INPUT_STEP else index[self._root(self.layers[first].source.input)[0]]
            tensors.append(allocate.Tensor(self.stored[value].rows, first, last[value], source))
        places = allocate.allocate(tensors)
        self.depth = allocate.depth(tensors, places)

        def place(value: SSAValue) -> Place:
            root, offset = self._root(value)
            at = places[index[root]]
            return Place(at.bank, at.base + offset)

        for layer in self.layers:
            src = place(layer.source.input)
            dst = Place(1 - src.bank, 0) if layer.props["raw"] else place(layer.source.output)
            layer.props.update(src_bank=src.bank, src_base=src.base, dst_bank=dst.bank, dst_base=dst.base)
        return row_codes

    def _check_tail(self, logits: SSAValue) -> None:
        for user in _users(logits):
            if not isinstance(user, func.ReturnOp | snn.ArgmaxOp):
                raise not_supported(f"{user.name} after the logits in hardware (the engine emits raw logits)", user)

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
        raw_mode = (3 if isinstance(op, snn.LinearLayerOp) and op.has_relu() else 1) if raw else 0
        common = {"c_out": weight.shape[0], "t_in": t_in, "t_out": t_out, "shift": shift, "raw": raw_mode,
                  "in_signed": int(snn.is_signed_radix(op.input.type)),
                  "out_signed": int(not raw and snn.is_signed_radix(op.output.type))}  # fmt: skip
        tiling = op.tiling
        if isinstance(tiling, snn.ConvTilingAttr):
            self.units.add((tiling.units.data, tiling.cols.data))
            weight, window = _conv_window(op, stored, weight)
            props = dict(common, **window, slots=tiling.slots.data)
            if isinstance(op, snn.ConvLayerOp):  # a grouped convolution imported dense: the grouped mode
                props["feature_groups"] = feature_groups(weight)
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
    """The hardware layers of a fused, tiled snn function, in program order, placed in memory
    (``props`` holds every descriptor field but the ROM bases)."""
    planner = _Planner(function)
    planner.plan()
    planner.lay_out()
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
        row_codes = planner.lay_out()
        depth = planner.depth
        weight_bits = max(layer.weight_bits for layer in layers)
        # the lanes sign-extend a WB-bit weight to ACC bits: ACC > WB even where every bound is smaller
        acc_bits = max(max(layer.acc_bits for layer in layers), weight_bits + 1)
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
        code_bits = max(stored.timesteps for stored in planner.stored.values())
        memory = hw.int_props(depth=depth, row_codes=row_codes, code_bits=code_bits)
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
        for layer in layers:
            fields = dict(layer.props)
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
        groups = p.get("feature_groups", 1)
        weights = images.conv_weight_depth(p["c_out"], p["c_in"], p["kh"], p["kw"], cu, p["slots"], groups)
        return weights, images.bias_depth(True, p["c_out"], cu, p["slots"])
    return images.linear_weight_depth(p["c_out"], p["c_in"], lanes), images.bias_depth(False, p["c_out"], lanes)
