"""Fused layers of the `snn` dialect: the units the engine executes, and how they are tiled.

``fuse-layers`` (:mod:`e3ne.passes.fuse_layers`) makes them from quantized radix IR:

* ``snn.conv_layer``: a radix conv2d, its radix neuron and, optionally, the pooling after it
  (the pool unit on the conv output path). Radix codes N x C x H x W in, radix codes out.
* ``snn.linear_layer``: a radix linear layer with its radix neuron (``shift``), or without one
  (the raw last layer: the result is the signed fixed-point logits, as ``snn.linear``'s). The
  input is N x F, or an N x C x H x W map that the layer flattens itself (a fused ``snn.flatten``).

The potentials between synapse and neuron are no value any more: ``acc_bits`` is their width
(checked against the bit-width bound as conv2d's result type is) and their frac is input frac +
weight frac. The ops hold no region (upstream MLIR checks the dialect through IRDL, which cannot
declare a region without a terminator), only properties.

The ``tile`` pass sets ``tiling``: ``#snn.conv_tiling<...>`` (the conv units) or
``#snn.linear_tiling<...>`` (the linear unit, also for a conv whose one output position sees the
whole unpadded input). A ``snn.linear_layer`` with a conv tiling runs on the conv units as a
convolution whose kernel is its whole input (one output position; output channel = neuron).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np
from xdsl.dialects.builtin import (
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    IntAttr,
    IntegerAttr,
    StringAttr,
    TensorType,
    UnitAttr,
    i64,
)
from xdsl.ir import Attribute, SSAValue
from xdsl.irdl import (
    AttrSetConstraint,
    BaseAttr,
    irdl_attr_definition,
    irdl_op_definition,
    opt_prop_def,
    prop_def,
)
from xdsl.utils.exceptions import VerifyException

from e3ne.dialects.snn_encoding import (
    MAX_ACCUMULATOR_BITS,
    FixedPointAttr,
    IntField,
    IntParamsAttr,
    RadixEncodingAttr,
    WeightQuantAttr,
    accumulator_width,
    describe,
    element_width,
    encoding_of,
    is_fixed,
    is_radix,
    is_signed_int,
    is_signed_radix,
    max_abs_code,
)
from e3ne.dialects.snn_op_base import Named, i64_pair
from e3ne.dialects.snn_synapses import ConvWindowOp, WeightedOp
from e3ne.engine.schema import COUNT, MAX_SLOTS

MAX_CONV_UNITS = 256
"""Conv units of one engine (as ``e3ne_hw.conv_unit``'s ``units``)."""
MAX_LANES = 1024
"""Lanes of a conv unit (``cols``) or of the linear unit (``lanes``), as in ``e3ne_hw``."""
MAX_COUNT = COUNT[1]
"""The largest count a layer descriptor holds (tiles, groups)."""

POOL_MODES = ("max", "avg")


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


# --------------------------------------------------------------------------- tiling attributes


@irdl_attr_definition
class ConvTilingAttr(IntParamsAttr):
    """How the conv unit runs a ``snn.conv_layer``.

    ``units`` conv units of ``cols`` lanes each; a unit packs ``slots`` output channels side by
    side, ``slot_width = cols // slots`` lanes (output columns) each; an output row takes
    ``col_tiles`` tiles, and the output channels ``groups`` rounds of ``units * slots``. Packing
    (slots > 1) is for rows that fit one slot, so ``slots == 1 or col_tiles == 1``.
    """

    name = "snn.conv_tiling"
    units: IntAttr
    cols: IntAttr
    slots: IntAttr
    slot_width: IntAttr
    col_tiles: IntAttr
    groups: IntAttr
    FIELDS = (
        IntField("units", True, 1, MAX_CONV_UNITS),
        IntField("cols", True, 1, MAX_LANES),
        IntField("slots", True, 1, MAX_SLOTS),
        IntField("slot_width", True, 1, MAX_LANES),
        IntField("col_tiles", True, 1, MAX_COUNT),
        IntField("groups", True, 1, MAX_COUNT),
    )

    def __init__(self, units: int, cols: int, slots: int, slot_width: int, col_tiles: int, groups: int):
        super().__init__(*(IntAttr(v) for v in (units, cols, slots, slot_width, col_tiles, groups)))

    def verify(self) -> None:
        super().verify()
        cols, slots, width, tiles = self.cols.data, self.slots.data, self.slot_width.data, self.col_tiles.data
        if width != cols // slots:
            raise VerifyException(f"#{self.name} slot_width must be cols // slots = {cols // slots}, got {width}")
        if slots != 1 and tiles != 1:
            raise VerifyException(f"#{self.name}: {slots} slots need col_tiles = 1, got {tiles}")

    @classmethod
    def irdl_notes(cls) -> list[str]:
        return [*super().irdl_notes(), "slot_width == cols // slots", "slots == 1 or col_tiles == 1"]


@irdl_attr_definition
class LinearTilingAttr(IntParamsAttr):
    """How the linear unit runs a layer: ``lanes`` neurons at once, ``groups = ceil(c_out / lanes)`` rounds."""

    name = "snn.linear_tiling"
    lanes: IntAttr
    groups: IntAttr
    FIELDS = (IntField("lanes", True, 1, MAX_LANES), IntField("groups", True, 1, MAX_COUNT))

    def __init__(self, lanes: int, groups: int):
        super().__init__(IntAttr(lanes), IntAttr(groups))


# --------------------------------------------------------------------------- ops


@dataclass(frozen=True)
class PoolWindow:
    """The pooling a ``snn.conv_layer`` applies to its codes (``snn.max_pool2d`` / ``snn.avg_pool2d``)."""

    mode: str
    """``max`` or ``avg``."""
    kernel: tuple[int, int]
    strides: tuple[int, int]
    padding: tuple[int, int] = (0, 0)
    ceil_mode: bool = False
    """PyTorch's ceil_mode (max pooling only)."""

    def properties(self) -> dict[str, Attribute]:
        props: dict[str, Attribute] = {
            "pool_mode": StringAttr(self.mode),
            "pool_kernel": i64_pair(self.kernel),
            "pool_strides": i64_pair(self.strides),
            "pool_padding": i64_pair(self.padding),
        }
        if self.ceil_mode:
            props["pool_ceil_mode"] = UnitAttr()
        return props


class FusedLayerOp(WeightedOp):
    """What both fused layers share: radix codes in, integer weights (``weight_quant`` required),
    the potentials' width ``acc_bits``; a verifier that knows the potentials without a value."""

    weight_quant = prop_def(WeightQuantAttr)
    acc_bits = prop_def(IntegerAttr)
    tiling = cast(
        ConvTilingAttr | LinearTilingAttr | None,
        opt_prop_def(Named(BaseAttr(ConvTilingAttr) | BaseAttr(LinearTilingAttr), "tiling")),
    )

    def acc_width(self) -> int:
        return self.acc_bits.value.data

    def potentials_frac(self) -> int:
        """The frac of the potentials: input frac + weight frac (as conv2d/linear's result)."""
        enc = encoding_of(self.input.type)
        assert isinstance(enc, RadixEncodingAttr)
        return enc.frac.data + self.weight_quant.frac.data

    def verify_potentials(self) -> None:
        """Radix input, integer weights in range, bias shape, acc_bits against the bit-width bound."""
        in_t = self.input.type
        if not is_radix(in_t):
            raise self.fail(f"input must be radix codes, got {describe(in_t)} ({in_t})")
        enc = encoding_of(in_t)
        assert isinstance(enc, RadixEncodingAttr)
        self.check_bias_shape()
        weights = self.integer_weights()
        acc = self.acc_width()
        self.check_range("acc_bits", acc, 2, MAX_ACCUMULATOR_BITS)
        need = accumulator_width(weights, self.biases(), max_abs_code(in_t))
        if acc < need:
            raise self.fail(f"acc_bits {acc} is too narrow: the bit-width bound needs {need}")

    def verify_codes(self, shift: int, shape: list[int]) -> None:
        """A neuron's result: radix codes of ``shape`` whose frac is the potentials' frac - shift."""
        out_t = self.output.type
        if not is_radix(out_t):
            raise self.fail(f"result must be radix codes, got {describe(out_t)} ({out_t})")
        self.check_radix_element(out_t, signed_ok=True)
        self.check_result_shape(out_t, shape)
        out_enc = encoding_of(out_t)
        assert isinstance(out_enc, RadixEncodingAttr)
        want = self.potentials_frac() - shift
        if out_enc.frac.data != want:
            raise self.fail(f"result frac must be input frac + weight frac - shift = {want}, got {out_enc.frac.data}")

    def verify_linear_tiling(self, tiling: LinearTilingAttr, c_out: int) -> None:
        lanes, groups = tiling.lanes.data, tiling.groups.data
        want = ceil_div(c_out, lanes)
        if groups != want:
            raise self.fail(
                f"tiling groups must be ceil(c_out / lanes) = ceil({c_out} / {lanes}) = {want}, got {groups}"
            )

    def verify_conv_tiling(self, tiling: ConvTilingAttr, c_out: int, w_out: int) -> None:
        units, slots, width = tiling.units.data, tiling.slots.data, tiling.slot_width.data
        tiles, groups = tiling.col_tiles.data, tiling.groups.data
        want = ceil_div(w_out, width)
        if tiles != want:
            raise self.fail(
                f"tiling col_tiles must be ceil(w_out / slot_width) = ceil({w_out} / {width}) = {want}, got {tiles}"
            )
        want = ceil_div(c_out, units * slots)
        if groups != want:
            raise self.fail(
                f"tiling groups must be ceil(c_out / (units * slots)) = ceil({c_out} / {units * slots}) = {want}, "
                f"got {groups}"
            )


def _properties(**props: Attribute | None) -> dict[str, Attribute]:
    return {name: value for name, value in props.items() if value is not None}


@irdl_op_definition
class ConvLayerOp(FusedLayerOp, ConvWindowOp):
    """conv2d -> radix_neuron [-> max_pool2d | avg_pool2d] as one op: what the conv unit runs."""

    name = "snn.conv_layer"
    shift = prop_def(IntegerAttr)
    pool_mode = cast(
        StringAttr | None,
        opt_prop_def(Named(AttrSetConstraint.get(*(StringAttr(m) for m in POOL_MODES)), "pool_mode")),
    )
    pool_kernel = opt_prop_def(DenseArrayBase)
    pool_strides = opt_prop_def(DenseArrayBase)
    pool_padding = opt_prop_def(DenseArrayBase)
    pool_ceil_mode = opt_prop_def(UnitAttr)

    def __init__(
        self,
        input: SSAValue,
        result_type: Attribute,
        weight: DenseIntOrFPElementsAttr,
        bias: DenseIntOrFPElementsAttr | None,
        weight_quant: WeightQuantAttr,
        acc_bits: int,
        shift: int,
        strides: tuple[int, int] | int = 1,
        padding: tuple[int, int] | int = 0,
        pool: PoolWindow | None = None,
        tiling: ConvTilingAttr | LinearTilingAttr | None = None,
    ):
        properties = _properties(
            weight=weight,
            bias=bias,
            strides=i64_pair(strides),
            padding=i64_pair(padding),
            weight_quant=weight_quant,
            acc_bits=IntegerAttr(acc_bits, i64),
            shift=IntegerAttr(shift, i64),
            **(pool.properties() if pool is not None else {}),
            tiling=tiling,
        )
        super().__init__(operands=[input], result_types=[result_type], properties=properties)

    def neuron_shift(self) -> int:
        return self.shift.value.data

    def pool(self) -> PoolWindow | None:
        """The fused pooling (the verifier checks its properties come all or none)."""
        if self.pool_mode is None or self.pool_kernel is None or self.pool_strides is None or self.pool_padding is None:
            return None
        return PoolWindow(
            self.pool_mode.data,
            self.pair(self.pool_kernel, "pool_kernel", 1),
            self.pair(self.pool_strides, "pool_strides", 1),
            self.pair(self.pool_padding, "pool_padding", 0),
            self.pool_ceil_mode is not None,
        )

    def runs_as_linear(self) -> bool:
        """One output position that sees the whole unpadded input: a linear layer over the flattened input."""
        return tuple(self.weight.get_shape()[2:]) == self._in_hw() and self.padding_pair() == (0, 0)

    def verify_(self) -> None:
        conv = self.conv_shape()
        self.verify_potentials()
        pool = self._verify_pool()
        shape = conv
        if pool is not None and is_signed_radix(self.output.type):
            raise self.fail("not supported: pooling of signed codes (the pool unit compares and sums unsigned codes)")
        if pool is not None:
            window = (pool.kernel, pool.strides, pool.padding)
            shape = self.window_shape(tuple(conv), conv[1], *window, True, "pool_", pool.ceil_mode)
        self.verify_codes(self.neuron_shift(), shape)
        if isinstance(self.tiling, LinearTilingAttr):
            if not self.runs_as_linear():
                kh, kw = self.weight.get_shape()[2:]
                h, w = self._in_hw()
                raise self.fail(
                    "a #snn.linear_tiling needs one output position that sees the whole unpadded input, "
                    f"got kernel {kh}x{kw} on a {h}x{w} input with padding {list(self.padding_pair())}"
                )
            if pool is not None:
                raise self.fail("a #snn.linear_tiling runs on the linear unit, which does not pool")
            self.verify_linear_tiling(self.tiling, conv[1])
        elif self.tiling is not None:
            self.verify_conv_tiling(self.tiling, conv[1], conv[3])

    def _in_hw(self) -> tuple[int, ...]:
        in_t = self.input.type
        assert isinstance(in_t, TensorType)
        return tuple(in_t.get_shape()[2:])

    def _verify_pool(self) -> PoolWindow | None:
        parts = {
            "pool_mode": self.pool_mode,
            "pool_kernel": self.pool_kernel,
            "pool_strides": self.pool_strides,
            "pool_padding": self.pool_padding,
        }
        missing = [name for name, value in parts.items() if value is None]
        if len(missing) == len(parts):
            if self.pool_ceil_mode is not None:
                raise self.fail("pool_ceil_mode needs pool_mode, pool_kernel, pool_strides and pool_padding")
            return None
        if missing:
            raise self.fail(
                f"pooling needs pool_mode, pool_kernel, pool_strides and pool_padding together, "
                f"missing {', '.join(missing)}"
            )
        pool = self.pool()
        assert pool is not None
        if pool.mode == "avg":
            self.check_radix_average(pool.kernel, pool.padding, "pool_")
            if pool.ceil_mode:
                raise self.fail("not supported: average pooling with pool_ceil_mode")
        return pool


@irdl_op_definition
class LinearLayerOp(FusedLayerOp):
    """[flatten ->] linear [-> radix_neuron] as one op: what the linear unit (or the conv units) runs.

    Without ``shift`` it is the raw last layer: the result is the potentials (logits), signed
    fixed point of width ``acc_bits``, exactly as ``snn.linear``'s result; with ``relu`` (raw only)
    their ``max(V, 0)``, a ReLU on the logits.
    """

    name = "snn.linear_layer"
    shift = opt_prop_def(IntegerAttr)
    relu = opt_prop_def(UnitAttr)

    def __init__(
        self,
        input: SSAValue,
        result_type: Attribute,
        weight: DenseIntOrFPElementsAttr,
        bias: DenseIntOrFPElementsAttr | None,
        weight_quant: WeightQuantAttr,
        acc_bits: int,
        shift: int | None = None,
        tiling: ConvTilingAttr | LinearTilingAttr | None = None,
        relu: bool = False,
    ):
        properties = _properties(
            weight=weight,
            bias=bias,
            weight_quant=weight_quant,
            acc_bits=IntegerAttr(acc_bits, i64),
            shift=None if shift is None else IntegerAttr(shift, i64),
            tiling=tiling,
            relu=UnitAttr() if relu else None,
        )
        super().__init__(operands=[input], result_types=[result_type], properties=properties)

    def neuron_shift(self) -> int | None:
        """The neuron's k, or None for the raw last layer."""
        return None if self.shift is None else self.shift.value.data

    def has_relu(self) -> bool:
        """Whether the raw last layer's result is ``max(V, 0)`` (a ReLU on the logits)."""
        return self.relu is not None

    def conv_input(self) -> tuple[int, int, int]:
        """The input as the conv units read it (C, H, W): the map it flattens, or F features as F x 1 x 1.

        On the conv units (a ``#snn.conv_tiling``) the layer is a convolution whose kernel is the
        whole input: one output position, output channel o = neuron o.
        """
        in_t = self.input.type
        assert isinstance(in_t, TensorType)
        shape = list(in_t.get_shape())
        return (shape[1], shape[2], shape[3]) if len(shape) == 4 else (shape[1], 1, 1)

    def verify_(self) -> None:
        in_t = self.input.type
        in_shape = list(in_t.get_shape()) if isinstance(in_t, TensorType) else []
        if len(in_shape) not in (2, 4):
            raise self.fail(f"input must be N x F or N x C x H x W (flattened by the layer), got {in_t}")
        o, i = self.shape_of(self.weight.type, "weight", 2)
        features = int(np.prod(in_shape[1:]))
        if i != features:
            flattened = f" (shape {in_shape}, flattened)" if len(in_shape) == 4 else ""
            raise self.fail(f"weight has {i} input features but the input has {features}{flattened}")
        self.verify_potentials()
        shape = [in_shape[0], o]
        shift = self.neuron_shift()
        if shift is not None:
            if self.has_relu():
                raise self.fail("relu is the ReLU on the raw logits: a layer with a neuron (shift) has none")
            self.verify_codes(shift, shape)
        else:
            self._verify_logits(shape)
        if isinstance(self.tiling, ConvTilingAttr):
            self.verify_conv_tiling(self.tiling, o, 1)
        elif self.tiling is not None:
            self.verify_linear_tiling(self.tiling, o)

    def _verify_logits(self, shape: list[int]) -> None:
        out_t = self.output.type
        if not is_fixed(out_t) or not is_signed_int(out_t):
            raise self.fail(f"without shift the result is the raw potentials (signed fixed point), got {out_t}")
        self.check_result_shape(out_t, shape)
        out_enc = encoding_of(out_t)
        assert isinstance(out_enc, FixedPointAttr) and isinstance(out_t, TensorType)
        want = self.potentials_frac()
        if out_enc.frac.data != want:
            raise self.fail(f"result frac must be input frac + weight frac = {want}, got {out_enc.frac.data}")
        if element_width(out_t) != self.acc_width():
            raise self.fail(f"result width si{element_width(out_t)} must be acc_bits = {self.acc_width()}")
