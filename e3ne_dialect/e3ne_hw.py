"""The `e3ne_hw` dialect: a coarse description of the E3NE-style engine (docs/hardware.md).

Not gate level: an ``e3ne_hw.engine`` holds the units it instantiates (conv unit, linear unit,
pool unit), its memories (ping-pong activation memory, weight/bias ROMs) and the layer program
the controller runs, one ``e3ne_hw.conv_layer`` / ``e3ne_hw.linear_layer`` per descriptor, in
order. Every parameter is an attribute chosen by ``convert-snn-to-hw`` (and later by the tiling
and design-space passes); the RTL only reads them. ``prepare-verilog`` adds one
``e3ne_hw.memory_image`` per ROM (packed words), which the Verilog printer writes out as is.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import (
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    StringAttr,
    i64,
)
from xdsl.ir import Attribute, Dialect, Region
from xdsl.irdl import (
    IRDLOperation,
    ParsePropInAttrDict,
    irdl_op_definition,
    lazy_traits_def,
    opt_prop_def,
    prop_def,
    region_def,
    traits_def,
)
from xdsl.traits import HasParent, IsolatedFromAbove, NoTerminator, SymbolOpInterface
from xdsl.utils.exceptions import VerifyException

from e3ne.dialects.dense import to_numpy


def _int(attr: Attribute) -> int:
    assert isinstance(attr, IntegerAttr)
    return attr.value.data


class _HwOp(IRDLOperation):
    """Diagnostics name the op; integer properties read as Python ints."""

    irdl_options = (ParsePropInAttrDict(),)

    def fail(self, message: str) -> VerifyException:
        return VerifyException(f"'{self.name}': {message}")

    def int_prop(self, name: str) -> int:
        return _int(self.properties[name])

    def ints(self, *names: str) -> tuple[int, ...]:
        return tuple(self.int_prop(n) for n in names)

    def check_ranges(self, **ranges: tuple[int, int]) -> None:
        for name, (lo, hi) in ranges.items():
            value = self.int_prop(name)
            if not lo <= value <= hi:
                raise self.fail(f"{name} must be in [{lo}, {hi}], got {value}")


def int_props(**values: int) -> dict[str, Attribute]:
    return {k: IntegerAttr(v, i64) for k, v in values.items()}


# --------------------------------------------------------------------------- units and memories


@irdl_op_definition
class ConvUnitOp(_HwOp):
    """``units`` conv units of ``cols`` accumulator lanes (one output row tile each, duplication = units)."""

    name = "e3ne_hw.conv_unit"
    units = prop_def(IntegerAttr)
    cols = prop_def(IntegerAttr)
    max_kernel = prop_def(IntegerAttr)
    max_stride = prop_def(IntegerAttr)
    max_padding = prop_def(IntegerAttr)
    traits = lazy_traits_def(lambda: (HasParent(EngineOp),))
    assembly_format = "attr-dict"

    def verify_(self) -> None:
        self.check_ranges(units=(1, 256), cols=(1, 1024), max_kernel=(1, 15), max_stride=(1, 8), max_padding=(0, 7))


@irdl_op_definition
class LinearUnitOp(_HwOp):
    """``lanes`` neurons in parallel, one weight each per memory word."""

    name = "e3ne_hw.linear_unit"
    lanes = prop_def(IntegerAttr)
    traits = lazy_traits_def(lambda: (HasParent(EngineOp),))
    assembly_format = "attr-dict"

    def verify_(self) -> None:
        self.check_ranges(lanes=(1, 1024))


@irdl_op_definition
class PoolUnitOp(_HwOp):
    """Max/average pooling on the conv output path, windows up to ``max_window`` (stride = window)."""

    name = "e3ne_hw.pool_unit"
    max_window = prop_def(IntegerAttr)
    traits = lazy_traits_def(lambda: (HasParent(EngineOp),))
    assembly_format = "attr-dict"

    def verify_(self) -> None:
        self.check_ranges(max_window=(1, 16))


@irdl_op_definition
class ActMemoryOp(_HwOp):
    """Ping-pong activation memory: 2 banks of ``depth`` words of ``row_codes`` codes of ``code_bits``."""

    name = "e3ne_hw.act_memory"
    depth = prop_def(IntegerAttr)
    row_codes = prop_def(IntegerAttr)
    code_bits = prop_def(IntegerAttr)
    traits = lazy_traits_def(lambda: (HasParent(EngineOp),))
    assembly_format = "attr-dict"

    def verify_(self) -> None:
        self.check_ranges(depth=(1, 1 << 24), row_codes=(1, 4096), code_bits=(1, 16))


@irdl_op_definition
class WeightMemoryOp(_HwOp):
    """A ROM (``conv_weights``, ``linear_weights``, ``biases`` or ``program``): ``depth`` words of ``word_bits``."""

    name = "e3ne_hw.weight_memory"
    sym_name = prop_def(StringAttr)
    word_bits = prop_def(IntegerAttr)
    depth = prop_def(IntegerAttr)
    traits = lazy_traits_def(lambda: (HasParent(EngineOp),))
    assembly_format = "$sym_name attr-dict"

    KINDS: ClassVar[tuple[str, ...]] = ("conv_weights", "linear_weights", "biases", "program")

    def verify_(self) -> None:
        if self.sym_name.data not in self.KINDS:
            raise self.fail(f"memory name must be one of {', '.join(self.KINDS)}, got '{self.sym_name.data}'")
        self.check_ranges(word_bits=(1, 1 << 16), depth=(1, 1 << 28))


@irdl_op_definition
class MemoryImageOp(_HwOp):
    """The packed contents of a ROM: ``depth`` words, each ``ceil(word_bits/8)`` little-endian bytes."""

    name = "e3ne_hw.memory_image"
    sym_name = prop_def(StringAttr)
    word_bits = prop_def(IntegerAttr)
    image = prop_def(DenseIntOrFPElementsAttr)
    traits = lazy_traits_def(lambda: (HasParent(EngineOp),))
    assembly_format = "$sym_name attr-dict"

    def words_bytes(self) -> np.ndarray:
        """(depth, bytes_per_word) uint8."""
        return to_numpy(self.image).astype(np.uint8)

    def verify_(self) -> None:
        shape = self.image.get_shape()
        per_word = (self.int_prop("word_bits") + 7) // 8
        if len(shape) != 2 or shape[1] != per_word:
            raise self.fail(f"image must have shape [depth, {per_word}] (bytes per word), got {list(shape)}")
        element = self.image.get_element_type()
        if not (isinstance(element, IntegerType) and element.width.data == 8):
            raise self.fail(f"image bytes must be i8, got {element}")


# --------------------------------------------------------------------------- the layer program

_COMMON_FIELDS = (
    "src_bank",
    "dst_bank",
    "src_base",
    "dst_base",
    "c_in",
    "c_out",
    "t_in",
    "t_out",
    "shift",
    "w_base",
    "b_base",
    "raw",
)


class _LayerOp(_HwOp):
    """One descriptor of the layer program; holds the layer's integer weights and biases."""

    layer_name = prop_def(StringAttr)
    src_bank = prop_def(IntegerAttr)
    dst_bank = prop_def(IntegerAttr)
    src_base = prop_def(IntegerAttr)
    dst_base = prop_def(IntegerAttr)
    c_in = prop_def(IntegerAttr)
    c_out = prop_def(IntegerAttr)
    t_in = prop_def(IntegerAttr)
    t_out = prop_def(IntegerAttr)
    shift = prop_def(IntegerAttr)
    w_base = prop_def(IntegerAttr)
    b_base = prop_def(IntegerAttr)
    raw = prop_def(IntegerAttr)
    weight = prop_def(DenseIntOrFPElementsAttr)
    bias = opt_prop_def(DenseIntOrFPElementsAttr)
    weight_bits = prop_def(IntegerAttr)
    acc_bits = prop_def(IntegerAttr)
    traits = lazy_traits_def(lambda: (HasParent(EngineOp),))
    assembly_format = "$layer_name attr-dict"

    FIELDS: ClassVar[tuple[str, ...]] = _COMMON_FIELDS

    def fields(self) -> dict[str, int]:
        """Descriptor field name -> value (docs/hardware.md 2.5)."""
        return {name: self.int_prop(name) for name in self.FIELDS}

    def weights(self) -> np.ndarray:
        return to_numpy(self.weight).astype(np.int64)

    def biases(self) -> np.ndarray | None:
        return None if self.bias is None else to_numpy(self.bias).astype(np.int64)

    def verify_common(self) -> None:
        self.check_ranges(src_bank=(0, 1), dst_bank=(0, 1), t_in=(1, 16), t_out=(1, 16), raw=(0, 1))
        self.check_ranges(weight_bits=(2, 16), acc_bits=(2, 64), c_in=(1, 1 << 24), c_out=(1, 1 << 24))
        if self.int_prop("src_bank") == self.int_prop("dst_bank"):
            raise self.fail(f"src_bank and dst_bank must differ (ping-pong), both are {self.int_prop('src_bank')}")
        w = self.weights()
        half = 1 << (self.int_prop("weight_bits") - 1)
        if w.size and (w.min() < -half or w.max() >= half):
            raise self.fail(f"weights [{w.min()}, {w.max()}] exceed weight_bits {self.int_prop('weight_bits')}")
        bias = self.biases()
        if bias is not None and bias.shape != (self.int_prop("c_out"),):
            raise self.fail(f"bias must have shape [{self.int_prop('c_out')}], got {list(bias.shape)}")


@irdl_op_definition
class ConvLayerOp(_LayerOp):
    """A conv layer run by the conv unit: conv + radix neuron (+ pooling on the output path)."""

    name = "e3ne_hw.conv_layer"
    h_in = prop_def(IntegerAttr)
    w_in = prop_def(IntegerAttr)
    kh = prop_def(IntegerAttr)
    kw = prop_def(IntegerAttr)
    sh = prop_def(IntegerAttr)
    sw = prop_def(IntegerAttr)
    ph = prop_def(IntegerAttr)
    pw = prop_def(IntegerAttr)
    h_out = prop_def(IntegerAttr)
    w_out = prop_def(IntegerAttr)
    pool_mode = prop_def(IntegerAttr)
    pool_size = prop_def(IntegerAttr)

    FIELDS: ClassVar[tuple[str, ...]] = (
        *_COMMON_FIELDS,
        "h_in",
        "w_in",
        "kh",
        "kw",
        "sh",
        "sw",
        "ph",
        "pw",
        "h_out",
        "w_out",
        "pool_mode",
        "pool_size",
    )

    def verify_(self) -> None:
        self.verify_common()
        self.check_ranges(kh=(1, 15), kw=(1, 15), sh=(1, 8), sw=(1, 8), ph=(0, 7), pw=(0, 7))
        self.check_ranges(pool_mode=(0, 2), pool_size=(1, 16), raw=(0, 0))
        c_in, h_in, w_in, kh, kw, sh, sw, ph, pw = self.ints("c_in", "h_in", "w_in", "kh", "kw", "sh", "sw", "ph", "pw")
        want_h = (h_in + 2 * ph - kh) // sh + 1
        want_w = (w_in + 2 * pw - kw) // sw + 1
        if self.ints("h_out", "w_out") != (want_h, want_w):
            raise self.fail(f"h_out, w_out must be {want_h}, {want_w}, got {list(self.ints('h_out', 'w_out'))}")
        shape = tuple(self.weight.get_shape())
        if shape != (self.int_prop("c_out"), c_in, kh, kw):
            raise self.fail(f"weight shape must be [c_out, c_in, kh, kw] = {[self.int_prop('c_out'), c_in, kh, kw]}")
        pool = self.int_prop("pool_size")
        if self.int_prop("pool_mode") == 0 and pool != 1:
            raise self.fail(f"pool_size must be 1 without pooling, got {pool}")
        if self.int_prop("pool_mode") == 2 and pool & (pool - 1):
            raise self.fail(f"average pooling needs a power-of-two window, got {pool}")

    def stored_shape(self) -> tuple[int, int, int]:
        """(C, H, W) of the map this layer writes (after pooling)."""
        p = self.int_prop("pool_size")
        return self.int_prop("c_out"), self.int_prop("h_out") // p, self.int_prop("w_out") // p


@irdl_op_definition
class LinearLayerOp(_LayerOp):
    """A fully connected layer run by the linear unit (a conv with a 1x1 output runs here too)."""

    name = "e3ne_hw.linear_layer"
    in_row_width = prop_def(IntegerAttr)

    FIELDS: ClassVar[tuple[str, ...]] = (*_COMMON_FIELDS, "in_row_width")

    def verify_(self) -> None:
        self.verify_common()
        self.check_ranges(in_row_width=(1, 4096))
        shape = tuple(self.weight.get_shape())
        if shape != self.ints("c_out", "c_in"):
            raise self.fail(
                f"weight shape must be [c_out, c_in] = {list(self.ints('c_out', 'c_in'))}, got {list(shape)}"
            )


# --------------------------------------------------------------------------- the engine


@irdl_op_definition
class EngineOp(_HwOp):
    """The whole accelerator: units, memories and the layer program (in order) in one block."""

    name = "e3ne_hw.engine"
    sym_name = prop_def(StringAttr)
    input_shape = prop_def(DenseArrayBase)
    input_step = prop_def(FloatAttr)
    input_timesteps = prop_def(IntegerAttr)
    acc_bits = prop_def(IntegerAttr)
    weight_bits = prop_def(IntegerAttr)
    body = region_def("single_block")
    traits = traits_def(IsolatedFromAbove(), NoTerminator(), SymbolOpInterface())
    assembly_format = "$sym_name attr-dict-with-keyword $body"

    def __init__(self, name: str, properties: dict[str, Attribute], body: Region):
        super().__init__(properties={"sym_name": StringAttr(name), **properties}, regions=[body])

    def ops_of(self, cls: type) -> list:
        return [op for op in self.body.block.ops if isinstance(op, cls)]

    def unit(self, cls: type) -> IRDLOperation | None:
        found = self.ops_of(cls)
        return found[0] if found else None

    def layers(self) -> list[ConvLayerOp | LinearLayerOp]:
        return [op for op in self.body.block.ops if isinstance(op, ConvLayerOp | LinearLayerOp)]

    def verify_(self) -> None:
        layers = self.layers()
        if not layers:
            raise self.fail("the layer program is empty")
        for cls in (ActMemoryOp, ConvUnitOp, LinearUnitOp, PoolUnitOp):
            if len(self.ops_of(cls)) > 1:
                raise self.fail(f"at most one {cls.name} per engine")
        if self.unit(ActMemoryOp) is None or self.unit(LinearUnitOp) is None:
            raise self.fail("an engine needs an e3ne_hw.act_memory and an e3ne_hw.linear_unit")
        conv = self.unit(ConvUnitOp)
        pool = self.unit(PoolUnitOp)
        acc = self.int_prop("acc_bits")
        bits = self.int_prop("weight_bits")
        for layer in layers:
            if layer.int_prop("acc_bits") > acc or layer.int_prop("weight_bits") > bits:
                raise self.fail(
                    f"layer '{layer.layer_name.data}' needs acc_bits {layer.int_prop('acc_bits')} and weight_bits "
                    f"{layer.int_prop('weight_bits')}, the engine has {acc} and {bits}"
                )
            if isinstance(layer, ConvLayerOp):
                self._check_conv_fits(layer, conv, pool)
        if layers[-1].int_prop("raw") != 1 or any(layer.int_prop("raw") for layer in layers[:-1]):
            raise self.fail("exactly the last layer must be raw (it emits the logits)")

    def _check_conv_fits(self, layer: ConvLayerOp, conv: IRDLOperation | None, pool: IRDLOperation | None) -> None:
        name = layer.layer_name.data
        if not isinstance(conv, ConvUnitOp):
            raise self.fail(f"conv layer '{name}' needs an e3ne_hw.conv_unit")
        limits = (("kh", "max_kernel"), ("kw", "max_kernel"), ("sh", "max_stride"), ("sw", "max_stride"))
        for field, limit in (*limits, ("ph", "max_padding"), ("pw", "max_padding")):
            if layer.int_prop(field) > conv.int_prop(limit):
                raise self.fail(
                    f"conv layer '{name}' has {field} = {layer.int_prop(field)} > the conv unit's "
                    f"{limit} = {conv.int_prop(limit)}"
                )
        if layer.int_prop("pool_mode"):
            if not isinstance(pool, PoolUnitOp):
                raise self.fail(f"conv layer '{name}' pools but the engine has no e3ne_hw.pool_unit")
            if layer.int_prop("pool_size") > pool.int_prop("max_window"):
                raise self.fail(f"conv layer '{name}' pools over {layer.int_prop('pool_size')} > max_window")


E3NE_HW = Dialect(
    "e3ne_hw",
    [
        EngineOp,
        ConvUnitOp,
        LinearUnitOp,
        PoolUnitOp,
        ActMemoryOp,
        WeightMemoryOp,
        MemoryImageOp,
        ConvLayerOp,
        LinearLayerOp,
    ],
)
