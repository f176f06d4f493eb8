"""``tile``: how every fused layer maps onto the engine, decided here and recorded in the IR.

For each ``snn.conv_layer`` / ``snn.linear_layer`` (``fuse-layers`` made them) the pass sets a
``tiling`` attribute: for a layer on the conv units, the conv units and lanes per unit of the
engine, its channel slots (output channels side by side in one unit's lanes when its rows are
narrower than a unit), the lanes per slot, its column tiles and its groups of output channels;
for a layer on the linear unit, the linear unit's lanes and the groups of neurons they take in
turn. ``convert-snn-to-hw`` then only translates.

Where the layers the linear unit can run go (a linear layer, or a conv with one output position
that sees its whole unpadded input) is the ``linear`` option: on the conv units (``auto``) each
runs as a convolution whose kernel is its whole input (one output position, output channel o =
neuron o) when its input is a map the conv units wrote (the activation memory holds it as rows
(c, y) of w codes) no larger than a kernel; ``unit`` keeps them all on the linear unit, and
``conv`` makes a layer that cannot go on the conv units an error. Once a layer runs on the linear
unit, every later one does too (its output is a feature vector, which the conv units do not read).

Options fix the engine-wide sizes (``units``, ``cols``, ``lanes``); the ones not given are chosen
for the network (:func:`e3ne.engine.mapping.choose_size`), and each conv layer gets the slot
count with the fewest cycles (the exact cycle model). Legal for any shape: odd widths, 1-wide
rows, channel counts that divide by nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType
from xdsl.ir import Operation
from xdsl.passes import ModulePass

from e3ne.dialects import snn
from e3ne.dialects.snn_fused import MAX_CONV_UNITS
from e3ne.engine import schema
from e3ne.engine.mapping import ConvShape, EngineSize, LinearShape, Shape, best_conv_map, choose_size, feature_groups
from e3ne.errors import E3neError, not_supported
from e3ne.ir import functions

FusedLayer = snn.ConvLayerOp | snn.LinearLayerOp

LINEAR_PLACEMENTS = ("auto", "unit", "conv")
"""Values of tile's ``linear`` option: where the layers the linear unit can run go."""

MAX_KERNEL = schema.FIELDS_BY_NAME["kh"].hi
"""The largest kernel side a descriptor holds: on the conv units a linear layer's input is its kernel."""


def _dims(value_type: object) -> tuple[int, ...]:
    assert isinstance(value_type, TensorType)
    return tuple(value_type.get_shape())


def _timesteps(value_type: object) -> int:
    encoding = snn.encoding_of(value_type)  # type: ignore[arg-type]
    assert isinstance(encoding, snn.RadixEncodingAttr)
    return encoding.timesteps.data


def linear_unit_can_run(op: FusedLayer) -> bool:
    """A linear layer, or a conv whose one output position sees its whole unpadded input (and that
    does not pool: the linear unit has no pool unit)."""
    return isinstance(op, snn.LinearLayerOp) or (op.runs_as_linear() and op.pool() is None)


def conv_input(op: FusedLayer) -> tuple[int, int, int]:
    """(C, H, W) of the input as the conv units read it (a linear layer: the map it flattens)."""
    if isinstance(op, snn.LinearLayerOp):
        return op.conv_input()
    _, c, h, w = _dims(op.input.type)
    return c, h, w


def layer_shape(op: FusedLayer, on_conv_units: bool = False) -> Shape:
    """The shape the engine sees of one fused layer.

    ``on_conv_units``: a layer the linear unit can run (:func:`linear_unit_can_run`) runs on the
    conv units instead, a linear layer as a convolution whose kernel is its whole input.
    """
    t_in = _timesteps(op.input.type)
    if linear_unit_can_run(op) and not on_conv_units:
        features = 1
        for d in _dims(op.input.type)[1:]:
            features *= d
        return LinearShape(features, op.weight.get_shape()[0], t_in)
    if isinstance(op, snn.LinearLayerOp):
        c, h, w = op.conv_input()
        return ConvShape(c, h, w, op.out_channels(), h, w, 1, 1, 0, 0, 1, 1, t_in)
    _, c_in, h_in, w_in = _dims(op.input.type)
    c_out, _, kh, kw = op.weight.get_shape()
    (sh, sw), (ph, pw) = op.stride_pair(), op.padding_pair()
    h_out, w_out = snn.window_output_size(h_in, kh, sh, ph), snn.window_output_size(w_in, kw, sw, pw)
    pool = op.pool()
    window = (c_in, h_in, w_in, c_out, kh, kw, sh, sw, ph, pw, h_out, w_out, t_in)
    groups = feature_groups(op.weights())  # a grouped convolution imported dense: the engine's grouped mode
    if pool is None:
        return ConvShape(*window, feature_groups=groups)
    pooling = (pool.kernel[0], pool.strides[0], pool.padding[0], int(pool.ceil_mode))
    return ConvShape(*window, *pooling, feature_groups=groups)


def fused_layers(function: func.FuncOp) -> list[FusedLayer]:
    """The fused layers of a function, in order; unfused synapses are an error (run fuse-layers)."""
    layers: list[FusedLayer] = []
    for op in function.body.block.ops:
        if isinstance(op, snn.EncodeOp) and not snn.is_radix(op.output.type):
            raise not_supported("rate encoding in hardware (the E3NE engine is radix only); use encoding=radix", op)
        if isinstance(op, snn.ConvLayerOp | snn.LinearLayerOp):
            layers.append(op)
        elif isinstance(op, snn.Conv2dOp | snn.LinearOp):
            why = "run fuse-layers first; it fuses a synapse with the radix neuron that is its only user"
            raise not_supported(f"an unfused {op.name} in hardware ({why})", op)
    if not layers:
        raise E3neError(f"error: tile: @{function.sym_name.data} has no fused layer (run fuse-layers first)")
    return layers


def _conv_units_problem(op: FusedLayer, on_conv: dict[Operation, bool]) -> str | None:
    """Why a layer the linear unit can run cannot run on the conv units, or None.

    ``on_conv``: the placement of the layers before it.
    """
    source = op.input.owner
    if any(not placed for placed in on_conv.values()):
        return (
            "its input comes from the linear unit" if source in on_conv else "a layer before it is on the linear unit"
        )
    if isinstance(source, snn.EncodeOp):
        return "its input is the network input"
    # a concatenation of maps the conv units wrote is one map they wrote, part after part
    written = isinstance(source, snn.ConcatOp) and all(part in on_conv for part in _concatenated(source))
    if not written and source not in on_conv:
        return f"its input comes from {source.name}" if isinstance(source, Operation) else "its input is an argument"
    c, h, w = conv_input(op)
    if max(h, w) > MAX_KERNEL:
        return f"its input {c}x{h}x{w} is its kernel, and kernels are at most {MAX_KERNEL}x{MAX_KERNEL}"
    return None


def _concatenated(concat: snn.ConcatOp) -> list[Operation | None]:
    """The ops whose values ``concat`` concatenates (through nested concatenations)."""
    found: list[Operation | None] = []
    for value in concat.inputs:
        owner = value.owner
        if isinstance(owner, snn.ConcatOp):
            found += _concatenated(owner)
        else:
            found.append(owner if isinstance(owner, Operation) else None)
    return found


def place_layers(layers: list[FusedLayer], linear: str = "auto") -> list[bool]:
    """Which layers run on the conv units (True) and which on the linear unit, per ``linear``
    (:data:`LINEAR_PLACEMENTS`, see the module docstring)."""
    on_conv: dict[Operation, bool] = {}
    for op in layers:
        if not linear_unit_can_run(op):
            if not all(on_conv.values()):
                why = "the linear unit writes a feature vector, which the conv units do not read"
                raise not_supported(f"{op.name} after a layer on the linear unit ({why})", op)
            on_conv[op] = True
            continue
        problem = _conv_units_problem(op, on_conv)
        if linear == "conv" and problem is not None:
            hint = "tile with linear=auto to keep it on the linear unit"
            raise not_supported(f"{op.name} on the conv units ({problem}); {hint}", op)
        on_conv[op] = linear != "unit" and problem is None
    return [on_conv[op] for op in layers]


def tile_function(
    function: func.FuncOp, units: int = 0, cols: int = 0, lanes: int = 0, linear: str = "auto"
) -> EngineSize:
    """Choose the engine sizes of one network and record every layer's mapping; returns the sizes."""
    layers = fused_layers(function)
    shapes = [layer_shape(op, on_conv) for op, on_conv in zip(layers, place_layers(layers, linear), strict=True)]
    size = choose_size(shapes, units, cols, lanes)
    for op, shape in zip(layers, shapes, strict=True):
        if isinstance(shape, ConvShape):
            m = best_conv_map(shape, size)
            tiling = snn.ConvTilingAttr(size.units, size.cols, m.slots, m.slot_width, m.col_tiles, m.groups)
        else:
            tiling = snn.LinearTilingAttr(size.lanes, -(-shape.c_out // size.lanes))
        op.properties["tiling"] = tiling
    return size


@dataclass(frozen=True)
class TilePass(ModulePass):
    """Map every fused layer onto the engine (units, lanes, channel slots, groups), recorded in the IR."""

    name = "tile"

    units: int = 0
    """Conv units (output channels computed at once); 0: the pass chooses."""
    cols: int = 0
    """Accumulator lanes per conv unit; 0: the pass chooses."""
    lanes: int = 0
    """Neurons of the linear unit; 0: the pass chooses."""
    linear: str = "auto"
    """Where linear layers run: ``auto`` (on the conv units when their input is a map the conv units
    wrote, of at most 15 x 15), ``unit`` (all on the linear unit) or ``conv`` (on the conv units, an
    error where they cannot)."""
    function: str = ""
    """The function to tile (default: every func.func)."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for what, value in (("units", self.units), ("cols", self.cols), ("lanes", self.lanes)):
            if value < 0:
                raise E3neError(f"error: tile: {what} must be >= 1 (or 0: the pass chooses), got {value}")
        if self.units > MAX_CONV_UNITS:
            raise E3neError(f"error: tile: units must be at most {MAX_CONV_UNITS}, got {self.units}")
        if self.linear not in LINEAR_PLACEMENTS:
            choices = ", ".join(LINEAR_PLACEMENTS)
            raise E3neError(f"error: tile: linear must be one of {choices}, got {self.linear!r}")
        for function in functions(op, self.function):
            tile_function(function, self.units, self.cols, self.lanes, self.linear)
