"""The `e3ne_hw` dialect: a coarse description of the E3NE-style engine (docs/hardware.md).

Not gate level. An ``e3ne_hw.engine`` op names the accelerator and holds its engine-wide
facts; the ops that follow it in the same block (up to the next engine) are its parts: the
units it instantiates (conv unit, linear unit, pool unit), its memories (ping-pong activation
memory, weight/bias/program ROMs) and the layer program the controller runs, one
``e3ne_hw.conv_layer`` / ``e3ne_hw.linear_layer`` per descriptor, in order. (The engine holds
no region: upstream MLIR can only check our dialect through IRDL, and IRDL cannot declare a
region without a terminator.)

Every hardware decision is an attribute: ``convert-snn-to-hw`` chooses the units and lays out
the memories and the program; ``prepare-verilog`` adds one ``e3ne_hw.memory_image`` per ROM
(packed words) and the engine's ``params``, the parameters of ``rtl/e3ne_core.v``. The Verilog
printer, the reports and the cycle model only read them.

The layer ops' descriptor properties, their ranges and the descriptor layout come from
:mod:`e3ne.engine.schema`, the one table the RTL, the memory images and the cycle model share.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar, TypeVar, cast

import numpy as np
from xdsl.dialects.builtin import (
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    DictionaryAttr,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    StringAttr,
    i64,
)
from xdsl.ir import Attribute, Dialect, Operation, ParametrizedAttribute
from xdsl.irdl import (
    AttrSetConstraint,
    BaseAttr,
    EqAttrConstraint,
    IntConstraint,
    IRDLOperation,
    MessageConstraint,
    ParsePropInAttrDict,
    irdl_attr_definition,
    irdl_op_definition,
    opt_prop_def,
    param_def,
    prop_def,
    traits_def,
)
from xdsl.irdl.constraints import VerificationContext
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.traits import SymbolOpInterface
from xdsl.utils.exceptions import VerifyException

from e3ne.dialects.dense import to_numpy
from e3ne.dialects.snn import window_output_size
from e3ne.engine import schema
from e3ne.engine.schema import LayerKind, PoolMode

# --------------------------------------------------------------------------- constraints


@dataclass(frozen=True)
class InRange(IntConstraint):
    """An integer in ``[lo, hi]``."""

    lo: int
    hi: int

    def verify(self, i: int, constraint_context: VerificationContext) -> None:
        if not self.lo <= i <= self.hi:
            raise VerifyException(f"expected an integer in [{self.lo}, {self.hi}], got {i}")

    def mapping_type_vars(self, type_var_mapping: object) -> IntConstraint:
        return self


class Named(MessageConstraint):
    """A property's constraint whose failure names the property, in one line."""

    def verify(self, attr: Attribute, constraint_context: VerificationContext) -> None:
        try:
            self.constr.verify(attr, constraint_context)
        except VerifyException as err:
            raise VerifyException(f"{self.message}: {err.args[0]}") from None


def i64_in(name: str, lo: int, hi: int) -> IntegerAttr:
    """Property ``name``: an ``i64`` integer attribute with a value in ``[lo, hi]``."""
    # prop_def returns a field definition, typed as the attribute the field holds
    return cast(IntegerAttr, prop_def(Named(IntegerAttr.constr(EqAttrConstraint(i64), value=InRange(lo, hi)), name)))


def opt_i64_in(name: str, lo: int, hi: int) -> IntegerAttr | None:
    """Optional property ``name``: an ``i64`` in ``[lo, hi]``, absent for its default."""
    constr = Named(IntegerAttr.constr(EqAttrConstraint(i64), value=InRange(lo, hi)), name)
    return cast(IntegerAttr | None, opt_prop_def(constr))


def one_of(name: str, *values: str) -> StringAttr:
    """Property ``name``: a string attribute that is one of ``values``."""
    return cast(StringAttr, prop_def(Named(AttrSetConstraint.get(*(StringAttr(n) for n in values)), name)))


# --------------------------------------------------------------------------- attributes


@irdl_attr_definition
class PoolModeAttr(ParametrizedAttribute):
    """Pooling on a conv layer's output path: ``#e3ne_hw.pool<max>`` (none, max or avg).

    The generic form spells the parameter as a string, ``#e3ne_hw.pool<"max">``, which upstream
    MLIR parses once the dialect is loaded from IRDL.
    """

    name = "e3ne_hw.pool"
    mode: StringAttr = param_def(AttrSetConstraint.get(*(StringAttr(m.name.lower()) for m in PoolMode)))

    def __init__(self, mode: PoolMode):
        super().__init__(StringAttr(mode.name.lower()))

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> tuple[StringAttr]:
        with parser.in_angle_brackets():
            text = parser.parse_optional_str_literal() or parser.parse_identifier("pool mode")
        names = [m.name.lower() for m in PoolMode]
        if text not in names:
            parser.raise_error(f"pool mode must be one of {', '.join(names)}, got '{text}'")
        return (StringAttr(text),)

    def print_parameters(self, printer: Printer) -> None:
        mode = self.mode.data
        printer.print_string(f'<"{mode}">' if printer.print_generic_format else f"<{mode}>")

    @property
    def value(self) -> PoolMode:
        return PoolMode[self.mode.data.upper()]


# --------------------------------------------------------------------------- ops: shared parts

_Op = TypeVar("_Op", bound=Operation)
_Layer = TypeVar("_Layer", bound="_LayerOp")


class _HwOp(IRDLOperation):
    """Diagnostics name the op; integer properties read as Python ints."""

    irdl_options = (ParsePropInAttrDict(),)

    def fail(self, message: str) -> VerifyException:
        return VerifyException(f"'{self.name}': {message}")

    def int_prop(self, name: str) -> int:
        attr = self.properties[name]
        assert isinstance(attr, IntegerAttr)
        return attr.value.data

    def ints(self, *names: str) -> tuple[int, ...]:
        return tuple(self.int_prop(n) for n in names)

    def engine(self) -> EngineOp | None:
        """The engine this op belongs to: the nearest ``e3ne_hw.engine`` before it in its block."""
        op = self.prev_op
        while op is not None and not isinstance(op, EngineOp):
            op = op.prev_op
        return op


class _PartOp(_HwOp):
    """A part of an engine (unit, memory, layer): it follows an ``e3ne_hw.engine`` in its block."""

    def verify_(self) -> None:
        if self.engine() is None:
            raise self.fail("must follow an e3ne_hw.engine in the same block (the engine it belongs to)")
        self.verify_part()

    def verify_part(self) -> None:
        pass


def int_props(**values: int) -> dict[str, Attribute]:
    return {k: IntegerAttr(v, i64) for k, v in values.items()}


# --------------------------------------------------------------------------- units and memories


@irdl_op_definition
class ConvUnitOp(_PartOp):
    """``units`` conv units of ``cols`` accumulator lanes (one output row tile each, duplication = units)."""

    name = "e3ne_hw.conv_unit"
    units = i64_in("units", 1, 256)
    cols = i64_in("cols", 1, 1024)
    max_kernel = i64_in("max_kernel", 1, 15)
    max_stride = i64_in("max_stride", 1, 8)
    max_padding = i64_in("max_padding", 0, 7)
    assembly_format = "attr-dict"


@irdl_op_definition
class LinearUnitOp(_PartOp):
    """``lanes`` neurons in parallel, one weight each per memory word."""

    name = "e3ne_hw.linear_unit"
    lanes = i64_in("lanes", 1, 1024)
    assembly_format = "attr-dict"


@irdl_op_definition
class PoolUnitOp(_PartOp):
    """Max/average pooling on the conv output path, windows up to ``max_window`` (max pooling with
    stride <= window, padding and ceil_mode; average pooling with stride = window)."""

    name = "e3ne_hw.pool_unit"
    max_window = i64_in("max_window", 1, 16)
    assembly_format = "attr-dict"


@irdl_op_definition
class ActMemoryOp(_PartOp):
    """Activation memory: 2 banks of ``depth`` words of ``row_codes`` codes of ``code_bits`` (the layers'
    ``src_*``/``dst_*`` fields place their tensors in it)."""

    name = "e3ne_hw.act_memory"
    depth = i64_in("depth", 1, 1 << 24)
    row_codes = i64_in("row_codes", 1, 4096)
    code_bits = i64_in("code_bits", 1, 16)
    assembly_format = "attr-dict"


MEMORY_KINDS = ("conv_weights", "linear_weights", "biases", "program")
"""The ROMs of an engine, by symbol name."""


@irdl_op_definition
class WeightMemoryOp(_PartOp):
    """A ROM (``conv_weights``, ``linear_weights``, ``biases`` or ``program``): ``depth`` words of ``word_bits``."""

    name = "e3ne_hw.weight_memory"
    memory = one_of("memory", *MEMORY_KINDS)
    word_bits = i64_in("word_bits", 1, 1 << 16)
    depth = i64_in("depth", 1, 1 << 28)
    assembly_format = "$memory attr-dict"


@irdl_op_definition
class MemoryImageOp(_PartOp):
    """The packed contents of a ROM: ``depth`` words, each ``ceil(word_bits/8)`` little-endian bytes."""

    name = "e3ne_hw.memory_image"
    memory = one_of("memory", *MEMORY_KINDS)
    word_bits = i64_in("word_bits", 1, 1 << 16)
    image = prop_def(DenseIntOrFPElementsAttr)
    assembly_format = "$memory attr-dict"

    def words_bytes(self) -> np.ndarray:
        """(depth, bytes_per_word) uint8."""
        return to_numpy(self.image).astype(np.uint8)

    def verify_part(self) -> None:
        shape = self.image.get_shape()
        per_word = (self.int_prop("word_bits") + 7) // 8
        if len(shape) != 2 or shape[1] != per_word:
            raise self.fail(f"image must have shape [depth, {per_word}] (bytes per word), got {list(shape)}")
        element = self.image.get_element_type()
        if not (isinstance(element, IntegerType) and element.width.data == 8):
            raise self.fail(f"image bytes must be i8, got {element}")


# --------------------------------------------------------------------------- the layer program


def _field_property(field: schema.Field, name: str) -> Attribute:
    if field.name == "pool_mode":
        return prop_def(Named(BaseAttr(PoolModeAttr), name))
    return i64_in(name, field.lo, field.hi)


class _LayerOp(_PartOp):
    """One descriptor of the layer program; holds the layer's integer weights and biases.

    The descriptor's properties (one per field of :mod:`e3ne.engine.schema` that the layer
    kind uses) are declared by :func:`_layer_op` from the schema.
    """

    KIND: ClassVar[LayerKind]

    layer_name = prop_def(StringAttr)
    weight = prop_def(DenseIntOrFPElementsAttr)
    bias = opt_prop_def(DenseIntOrFPElementsAttr)
    weight_bits = i64_in("weight_bits", 2, 16)
    acc_bits = i64_in("acc_bits", 2, 64)
    # signed codes in and out (docs/numerics.md 2.2, 2.4): packed into the derived descriptor field
    # signs, absent when 0 (so IR without signed codes does not mention them)
    in_signed = opt_i64_in("in_signed", 0, 1)
    out_signed = opt_i64_in("out_signed", 0, 1)
    assembly_format = "$layer_name attr-dict"

    def fields(self) -> dict[str, int]:
        """Descriptor field name -> value of this layer's properties (derived fields excluded), and
        ``in_signed``/``out_signed`` (0 when absent)."""
        out = {}
        for field in schema.layer_fields(self.KIND):
            attr = self.properties[field.prop(self.KIND)]  # type: ignore[index]
            out[field.name] = attr.value.value if isinstance(attr, PoolModeAttr) else cast(IntegerAttr, attr).value.data
        for name in schema.SIGN_PROPS:
            attr = self.properties.get(name)
            out[name] = 0 if attr is None else cast(IntegerAttr, attr).value.data
        return out

    @classmethod
    def create_layer(
        cls,
        layer_name: str,
        fields: dict[str, int],
        weight: DenseIntOrFPElementsAttr,
        bias: DenseIntOrFPElementsAttr | None,
        weight_bits: int,
        acc_bits: int,
    ) -> _LayerOp:
        """A layer op from its descriptor fields (by schema name; derived fields are ignored)."""
        properties: dict[str, Attribute] = {"layer_name": StringAttr(layer_name), "weight": weight}
        if bias is not None:
            properties["bias"] = bias
        for field in schema.layer_fields(cls.KIND):
            value = fields[field.name]
            prop = field.prop(cls.KIND)
            assert prop is not None
            properties[prop] = PoolModeAttr(PoolMode(value)) if field.name == "pool_mode" else IntegerAttr(value, i64)
        properties.update(int_props(weight_bits=weight_bits, acc_bits=acc_bits))
        properties.update({name: IntegerAttr(1, i64) for name in schema.SIGN_PROPS if fields.get(name)})
        return cls(properties=properties)

    def field(self, name: str) -> int:
        """One descriptor field of this layer (as :meth:`fields`)."""
        return self.fields()[name]

    def weights(self) -> np.ndarray:
        return to_numpy(self.weight).astype(np.int64)

    def biases(self) -> np.ndarray | None:
        return None if self.bias is None else to_numpy(self.bias).astype(np.int64)

    def verify_part(self) -> None:
        f = self.fields()
        self._verify_placement(f)
        w = self.weights()
        half = 1 << (self.int_prop("weight_bits") - 1)
        if w.size and (w.min() < -half or w.max() >= half):
            raise self.fail(f"weights [{w.min()}, {w.max()}] exceed weight_bits {self.int_prop('weight_bits')}")
        bias = self.biases()
        if bias is not None and bias.shape != (f["c_out"],):
            raise self.fail(f"bias must have shape [{f['c_out']}], got {list(bias.shape)}")
        if f["out_signed"] and f["raw"]:
            raise self.fail("out_signed needs a neuron: a raw layer writes no codes")
        if f["out_signed"] and f["t_out"] < 2:
            raise self.fail(f"out_signed needs t_out >= 2 (the sign plane and one more), got {f['t_out']}")
        self.verify_layer(f)

    def verify_layer(self, f: dict[str, int]) -> None:
        pass

    def words(self, row_codes: int) -> tuple[int, int]:
        """Activation-memory words the layer reads (from ``src_base``) and writes (from ``dst_base``)."""
        raise NotImplementedError

    def _verify_placement(self, f: dict[str, int]) -> None:
        """Its input and output fit the activation memory and, in one bank, do not overlap."""
        engine = self.engine()
        act = engine.unit(ActMemoryOp) if engine is not None else None
        if act is None:
            return
        depth = act.int_prop("depth")
        read, written = self.words(act.int_prop("row_codes"))
        for what, base, words in (("reads", f["src_base"], read), ("writes", f["dst_base"], written)):
            if base + words > depth:
                raise self.fail(f"{what} words [{base}, {base + words}), past the activation memory's depth {depth}")
        src, dst = (f["src_base"], f["src_base"] + read), (f["dst_base"], f["dst_base"] + written)
        if f["src_bank"] == f["dst_bank"] and written and src[0] < dst[1] and dst[0] < src[1]:
            raise self.fail(
                f"reads words [{src[0]}, {src[1]}) and writes words [{dst[0]}, {dst[1]}) of bank {f['src_bank']}: "
                "a layer never writes the words it reads"
            )


def _layer_op(cls: type[_Layer]) -> type[_Layer]:
    """Declare the descriptor properties of a layer op from the schema, then define the op."""
    for field in schema.layer_fields(cls.KIND):
        name = field.prop(cls.KIND)
        assert name is not None
        setattr(cls, name, _field_property(field, name))
    return irdl_op_definition(cls)


@_layer_op
class ConvLayerOp(_LayerOp):
    """A conv layer run by the conv units: conv + radix neuron (+ pooling on the output path).

    Raw (the last layer, its potentials ``V + b`` by output channel on the output port) when it has
    one output position and no pooling: a linear layer run as a convolution whose kernel is its
    whole input.
    """

    name = "e3ne_hw.conv_layer"
    KIND: ClassVar[LayerKind] = LayerKind.CONV
    # the pooling's stride, padding and ceil_mode: not descriptor fields of their own (they are
    # packed into the derived pool_step), absent for non-overlapping pooling (stride = pool_size)
    pool_stride = opt_i64_in("pool_stride", 1, 15)
    pool_padding = opt_i64_in("pool_padding", 0, 7)
    pool_ceil = opt_i64_in("pool_ceil", 0, 1)
    # a grouped or depthwise convolution (its weight dense with zeros across the groups): the engine
    # runs each group's channel loop over its input band only (schema.conv_band, packed into the
    # derived c_span and band_step); absent for a dense convolution (1 group)
    feature_groups = opt_i64_in("feature_groups", 2, schema.COUNT[1])

    POOL_PROPS: ClassVar[tuple[str, ...]] = ("pool_stride", "pool_padding", "pool_ceil")

    def fields(self) -> dict[str, int]:
        """The descriptor properties, the pooling's stride, padding and ceil_mode when set, and
        ``feature_groups`` (1 when absent)."""
        out = super().fields()
        for name in self.POOL_PROPS:
            attr = self.properties.get(name)
            if attr is not None:
                out[name] = cast(IntegerAttr, attr).value.data
        attr = self.properties.get("feature_groups")
        out["feature_groups"] = 1 if attr is None else cast(IntegerAttr, attr).value.data
        return out

    @classmethod
    def create_layer(
        cls,
        layer_name: str,
        fields: dict[str, int],
        weight: DenseIntOrFPElementsAttr,
        bias: DenseIntOrFPElementsAttr | None,
        weight_bits: int,
        acc_bits: int,
    ) -> _LayerOp:
        op = super().create_layer(layer_name, fields, weight, bias, weight_bits, acc_bits)
        k, s, p, ceil = schema.pool_window(fields)
        for name, value, default in (("pool_stride", s, k), ("pool_padding", p, 0), ("pool_ceil", int(ceil), 0)):
            if value != default:
                op.properties[name] = IntegerAttr(value, i64)
        if fields.get("feature_groups", 1) != 1:
            op.properties["feature_groups"] = IntegerAttr(fields["feature_groups"], i64)
        return op

    def verify_layer(self, f: dict[str, int]) -> None:
        if f["raw"] and (f["h_out"], f["w_out"], f["pool_mode"]) != (1, 1, PoolMode.NONE):
            raise self.fail(
                "a raw conv layer needs one output position and no pooling (its V + b go out by output channel), "
                f"got h_out, w_out {[f['h_out'], f['w_out']]} and pool_mode {PoolMode(f['pool_mode']).name.lower()}"
            )
        want_h = window_output_size(f["h_in"], f["kh"], f["sh"], f["ph"])
        want_w = window_output_size(f["w_in"], f["kw"], f["sw"], f["pw"])
        if (f["h_out"], f["w_out"]) != (want_h, want_w):
            raise self.fail(f"h_out, w_out must be {want_h}, {want_w}, got {[f['h_out'], f['w_out']]}")
        shape = tuple(self.weight.get_shape())
        if shape != (f["c_out"], f["c_in"], f["kh"], f["kw"]):
            raise self.fail(f"weight shape must be [c_out, c_in, kh, kw] = {[f['c_out'], f['c_in'], f['kh'], f['kw']]}")
        self._verify_groups(f)
        pool, mode = f["pool_size"], f["pool_mode"]
        if mode == PoolMode.NONE and pool != 1:
            raise self.fail(f"pool_size must be 1 without pooling, got {pool}")
        if mode != PoolMode.NONE and f["out_signed"]:
            raise self.fail(
                "not supported: pooling of signed codes (out_signed; the pool unit compares unsigned codes)"
            )
        if mode == PoolMode.AVG and pool & (pool - 1):
            raise self.fail(f"average pooling needs a power-of-two window, got {pool}")
        k, s, p, ceil = schema.pool_window(f)
        if (s, p, ceil) != (k, 0, False):
            if mode != PoolMode.MAX:
                raise self.fail(f"only max pooling has pool_stride, pool_padding or pool_ceil (stride = window {k})")
            if s > k or 2 * p > k:
                raise self.fail(
                    f"max pooling needs pool_stride <= pool_size and 2 * pool_padding <= pool_size, got "
                    f"stride {s}, padding {p}, pool_size {k}"
                )

    def _verify_groups(self, f: dict[str, int]) -> None:
        """feature_groups divides both channel counts and the weight is block-diagonal so."""
        groups = f["feature_groups"]
        if groups == 1:
            return
        if f["c_in"] % groups or f["c_out"] % groups:
            raise self.fail(f"feature_groups {groups} must divide c_in {f['c_in']} and c_out {f['c_out']}")
        used = np.any(self.weights() != 0, axis=(2, 3))
        o, c = np.nonzero(used)
        across = o // (f["c_out"] // groups) != c // (f["c_in"] // groups)
        if np.any(across):
            k = int(np.argmax(across))
            raise self.fail(
                f"output channel {o[k]} has a nonzero weight on input channel {c[k]}, outside its group of "
                f"feature_groups {groups}"
            )

    def words(self, row_codes: int) -> tuple[int, int]:
        f = self.fields()
        c, h, _ = self.stored_shape()
        return f["c_in"] * f["h_in"], 0 if f["raw"] else c * h

    def stored_shape(self) -> tuple[int, int, int]:
        """(C, H, W) of the map this layer writes (after pooling)."""
        f = self.fields()
        window = schema.pool_window(f)
        return f["c_out"], schema.pool_output_size(f["h_out"], *window), schema.pool_output_size(f["w_out"], *window)


@_layer_op
class LinearLayerOp(_LayerOp):
    """A fully connected layer run by the linear unit (a conv with a 1x1 output may run here too)."""

    name = "e3ne_hw.linear_layer"
    KIND: ClassVar[LayerKind] = LayerKind.LINEAR

    def words(self, row_codes: int) -> tuple[int, int]:
        f = self.fields()
        return -(-f["c_in"] // max(f["w_in"], 1)), 0 if f["raw"] else -(-f["c_out"] // row_codes)

    def verify_layer(self, f: dict[str, int]) -> None:
        shape = tuple(self.weight.get_shape())
        if shape != (f["c_out"], f["c_in"]):
            raise self.fail(f"weight shape must be [c_out, c_in] = {[f['c_out'], f['c_in']]}, got {list(shape)}")


LayerOp = ConvLayerOp | LinearLayerOp


# --------------------------------------------------------------------------- the engine


@irdl_op_definition
class EngineOp(_HwOp):
    """The whole accelerator; its units, memories and layer program are the ops after it."""

    name = "e3ne_hw.engine"
    sym_name = prop_def(StringAttr)
    input_shape = prop_def(DenseArrayBase)
    input_step = prop_def(FloatAttr)
    input_timesteps = i64_in("input_timesteps", 1, 16)
    acc_bits = i64_in("acc_bits", 2, 64)
    weight_bits = i64_in("weight_bits", 2, 16)
    params = opt_prop_def(DictionaryAttr)
    """The parameters of ``rtl/e3ne_core.v`` (:data:`e3ne.engine.schema.ENGINE_PARAMS`), set by prepare-verilog."""
    traits = traits_def(SymbolOpInterface())
    assembly_format = "$sym_name attr-dict"

    def __init__(self, name: str, properties: dict[str, Attribute]):
        super().__init__(properties={"sym_name": StringAttr(name), **properties})

    # ---------------------------------------------------------------- parts

    def parts(self) -> Iterator[Operation]:
        """The ops that belong to this engine: those after it in its block, up to the next engine."""
        op = self.next_op
        while op is not None and not isinstance(op, EngineOp):
            yield op
            op = op.next_op

    def ops_of(self, cls: type[_Op]) -> list[_Op]:
        return [op for op in self.parts() if isinstance(op, cls)]

    def unit(self, cls: type[_Op]) -> _Op | None:
        found = self.ops_of(cls)
        return found[0] if found else None

    def layers(self) -> list[ConvLayerOp | LinearLayerOp]:
        return [op for op in self.parts() if isinstance(op, ConvLayerOp | LinearLayerOp)]

    def memories(self) -> dict[str, WeightMemoryOp]:
        return {m.memory.data: m for m in self.ops_of(WeightMemoryOp)}

    def images(self) -> dict[str, MemoryImageOp]:
        return {m.memory.data: m for m in self.ops_of(MemoryImageOp)}

    # ---------------------------------------------------------------- parameters and program

    def derived_params(self) -> dict[str, int]:
        """The e3ne_core parameters this engine's units, memories and layers imply."""
        act, lin = self.unit(ActMemoryOp), self.unit(LinearUnitOp)
        conv, pool = self.unit(ConvUnitOp), self.unit(PoolUnitOp)
        assert act is not None, "verify the engine first"
        memories = self.memories()
        depth = {name: memories[name].int_prop("depth") if name in memories else 1 for name in MEMORY_KINDS}
        convs = [layer for layer in self.layers() if isinstance(layer, ConvLayerOp)]
        slots = [layer.field("slots") for layer in convs]
        banks = [schema.pool_banks(*schema.pool_window(layer.fields())[:2]) for layer in convs]
        params = {
            "TMAX": act.int_prop("code_bits"),
            "ROWW": act.int_prop("row_codes"),
            "ADEPTH": max(2, act.int_prop("depth")),
            "COLS": conv.int_prop("cols") if conv else 1,
            "CU": conv.int_prop("units") if conv else 1,
            "SLOTS": max(slots, default=1),
            "SLOT_SET": sum(1 << s for s in set(slots)) or 2,
            "LANES": lin.int_prop("lanes") if lin else 1,
            "WB": self.int_prop("weight_bits"),
            "ACC": self.int_prop("acc_bits"),
            "KMAX": conv.int_prop("max_kernel") if conv else 1,
            "SMAX": conv.int_prop("max_stride") if conv else 1,
            "PMAX": conv.int_prop("max_padding") if conv else 0,
            "PKMAX": pool.int_prop("max_window") if pool else 2,
            "PBANKS": max(banks, default=1),
            "CWDEPTH": max(2, depth["conv_weights"]),
            "LWDEPTH": max(2, depth["linear_weights"]),
            "BDEPTH": max(2, depth["biases"]),
            "PDEPTH": max(2 * schema.DESCRIPTOR_WORDS, depth["program"]),
            "HAS_CONV": int(conv is not None),
            "HAS_LINEAR": int(lin is not None),
            "DW": self._largest_count().bit_length() + 1,  # the engines' counters of these counts
            "KBITS": schema.PARAM_DEFAULTS["KBITS"],
            "HAS_SIGNED": int(any(layer.field("in_signed") for layer in self.layers())),
        }
        assert tuple(params) == schema.ENGINE_PARAMS
        return params

    def _largest_count(self) -> int:
        """The largest channel, row, column or feature count any layer's descriptor holds."""
        return max(value for layer in self.layers() for name, value in layer.fields().items() if name in _COUNTS)

    def core_params(self) -> dict[str, int]:
        """The parameters of ``rtl/e3ne_core.v`` recorded by ``prepare-verilog`` (:attr:`params`)."""
        if self.params is None:
            raise VerifyException(f"'{self.name}' @{self.sym_name.data} has no params: run prepare-verilog first")
        return {name: cast(IntegerAttr, value).value.data for name, value in self.params.data.items()}

    def descriptors(self, params: dict[str, int] | None = None) -> list[dict[str, int]]:
        """The layer program: every field of every layer's descriptor (without the end marker)."""
        params = params or self.core_params()
        return [schema.descriptor_fields(layer.KIND, layer.fields(), params) for layer in self.layers()]

    # ---------------------------------------------------------------- verification

    def verify_(self) -> None:
        layers = self.layers()
        if not layers:
            raise self.fail("the layer program is empty")
        for cls in (ActMemoryOp, ConvUnitOp, LinearUnitOp, PoolUnitOp):
            if len(self.ops_of(cls)) > 1:
                raise self.fail(f"at most one {cls.name} per engine")
        if self.unit(ActMemoryOp) is None:
            raise self.fail("an engine needs an e3ne_hw.act_memory")
        conv, pool = self.unit(ConvUnitOp), self.unit(PoolUnitOp)
        acc, bits = self.int_prop("acc_bits"), self.int_prop("weight_bits")
        for layer in layers:
            if layer.int_prop("acc_bits") > acc or layer.int_prop("weight_bits") > bits:
                raise self.fail(
                    f"layer '{layer.layer_name.data}' needs acc_bits {layer.int_prop('acc_bits')} and weight_bits "
                    f"{layer.int_prop('weight_bits')}, the engine has {acc} and {bits}"
                )
            if isinstance(layer, ConvLayerOp):
                self._check_conv_fits(layer, conv, pool)
            elif self.unit(LinearUnitOp) is None:
                raise self.fail(f"linear layer '{layer.layer_name.data}' needs an e3ne_hw.linear_unit")
        if layers[-1].field("raw") not in (1, 3) or any(layer.field("raw") for layer in layers[:-1]):
            raise self.fail("exactly the last layer must be raw (1, or 3 with its ReLU: it emits the logits)")
        if self.params is not None:
            self._check_params()

    def _check_params(self) -> None:
        assert self.params is not None
        have = set(self.params.data)
        if have != set(schema.ENGINE_PARAMS):
            missing = sorted(set(schema.ENGINE_PARAMS) - have)
            extra = sorted(have - set(schema.ENGINE_PARAMS))
            raise self.fail(f"params must name exactly the core parameters (missing {missing}, unknown {extra})")
        derived = self.derived_params()
        for name, value in self.core_params().items():
            if value != derived[name]:
                raise self.fail(f"params {name} = {value}, but the units, memories and layers need {derived[name]}")

    def _check_conv_fits(self, layer: ConvLayerOp, conv: ConvUnitOp | None, pool: PoolUnitOp | None) -> None:
        name = layer.layer_name.data
        if conv is None:
            raise self.fail(f"conv layer '{name}' needs an e3ne_hw.conv_unit")
        f = layer.fields()
        limits = (("kh", "max_kernel"), ("kw", "max_kernel"), ("sh", "max_stride"), ("sw", "max_stride"))
        for field, limit in (*limits, ("ph", "max_padding"), ("pw", "max_padding")):
            if f[field] > conv.int_prop(limit):
                raise self.fail(
                    f"conv layer '{name}' has {field} = {f[field]} > the conv unit's {limit} = {conv.int_prop(limit)}"
                )
        if f["pool_mode"] != PoolMode.NONE:
            if pool is None:
                raise self.fail(f"conv layer '{name}' pools but the engine has no e3ne_hw.pool_unit")
            if f["pool_size"] > pool.int_prop("max_window"):
                raise self.fail(f"conv layer '{name}' pools over {f['pool_size']} > max_window")


_COUNTS = ("c_in", "h_in", "w_in", "c_out", "h_out", "w_out")
"""Descriptor counts the engines walk with DW-bit counters."""


def engines(op: Operation) -> list[EngineOp]:
    """Every engine inside ``op`` (usually a module)."""
    return [e for e in op.walk() if isinstance(e, EngineOp)]


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
    [PoolModeAttr],
)
