"""``tile``: how every fused layer maps onto the engine, decided here and recorded in the IR.

For each ``snn.conv_layer`` / ``snn.linear_layer`` (``fuse-layers`` made them) the pass sets a
``tiling`` attribute: for a conv layer, the conv units and lanes per unit of the engine, its
channel slots (output channels side by side in one unit's lanes when its rows are narrower than
a unit), the lanes per slot, its column tiles and its groups of output channels; for a linear
layer (and a conv with one output position, which runs on the linear unit), the linear unit's
lanes and the groups of neurons they take in turn. ``convert-snn-to-hw`` then only translates.

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
from xdsl.passes import ModulePass

from e3ne.dialects import snn
from e3ne.engine.mapping import ConvShape, EngineSize, LinearShape, Shape, best_conv_map, choose_size
from e3ne.errors import E3neError, not_supported
from e3ne.ir import functions

FusedLayer = snn.ConvLayerOp | snn.LinearLayerOp


def _dims(value_type: object) -> tuple[int, ...]:
    assert isinstance(value_type, TensorType)
    return tuple(value_type.get_shape())


def _timesteps(value_type: object) -> int:
    encoding = snn.encoding_of(value_type)  # type: ignore[arg-type]
    assert isinstance(encoding, snn.RadixEncodingAttr)
    return encoding.timesteps.data


def layer_shape(op: FusedLayer) -> Shape:
    """The shape the engine sees of one fused layer."""
    t_in = _timesteps(op.input.type)
    if isinstance(op, snn.LinearLayerOp) or op.runs_as_linear():
        features = 1
        for d in _dims(op.input.type)[1:]:
            features *= d
        return LinearShape(features, op.weight.get_shape()[0], t_in)
    _, c_in, h_in, w_in = _dims(op.input.type)
    c_out, _, kh, kw = op.weight.get_shape()
    (sh, sw), (ph, pw) = op.stride_pair(), op.padding_pair()
    h_out, w_out = snn.window_output_size(h_in, kh, sh, ph), snn.window_output_size(w_in, kw, sw, pw)
    pool = op.pool()
    return ConvShape(c_in, h_in, w_in, c_out, kh, kw, sh, sw, ph, pw, h_out, w_out, t_in, pool.kernel[0] if pool else 1)


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


def tile_function(function: func.FuncOp, units: int = 0, cols: int = 0, lanes: int = 0) -> EngineSize:
    """Choose the engine sizes of one network and record every layer's mapping; returns the sizes."""
    layers = fused_layers(function)
    shapes = [layer_shape(op) for op in layers]
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
    function: str = ""
    """The function to tile (default: every func.func)."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for what, value in (("units", self.units), ("cols", self.cols), ("lanes", self.lanes)):
            if value < 0:
                raise E3neError(f"error: tile: {what} must be >= 1 (or 0: the pass chooses), got {value}")
        for function in functions(op, self.function):
            tile_function(function, self.units, self.cols, self.lanes)
