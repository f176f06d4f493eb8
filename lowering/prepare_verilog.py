"""``prepare-verilog``: turn an ``e3ne_hw.engine`` into the form the Verilog printer writes as is.

Records the parameters of ``rtl/e3ne_core.v`` that the engine's units, memories and layers
imply as the engine's ``params``, and packs every ROM (conv weights, linear weights, biases with
the neuron's rounding constant, the layer program from :mod:`e3ne.engine.schema`) into memory
words (docs/hardware.md section 2), added after the engine's parts as ``e3ne_hw.memory_image``
ops. After this pass the printer, the reports and the simulator only read the IR.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import DictionaryAttr, IntegerAttr, IntegerType, ModuleOp, Signedness, StringAttr, i64
from xdsl.ir import Operation
from xdsl.passes import ModulePass

from e3ne.dialects import e3ne_hw as hw
from e3ne.dialects.dense import from_numpy
from e3ne.engine import images, schema
from e3ne.errors import E3neError, op_error


def hex_lines_to_bytes(lines: list[str], word_bits: int) -> np.ndarray:
    """Hex words (most significant digit first, any width) -> (depth, bytes) little-endian uint8."""
    per_word = (word_bits + 7) // 8
    if not lines:
        return np.zeros((1, per_word), dtype=np.uint8)
    digits = max(len(line) for line in lines)
    chars = np.frombuffer("".join(lines).encode(), dtype=np.uint8) if all(len(x) == digits for x in lines) else None
    if chars is None:
        chars = np.frombuffer("".join(line.rjust(digits, "0") for line in lines).encode(), dtype=np.uint8)
    chars = chars.reshape(len(lines), digits)
    values = np.where(
        chars >= ord("a"), chars - ord("a") + 10, np.where(chars >= ord("A"), chars - ord("A") + 10, chars - ord("0"))
    )
    nibbles = np.zeros((len(lines), per_word * 2), dtype=np.uint8)
    keep = min(digits, per_word * 2)
    nibbles[:, per_word * 2 - keep :] = values[:, digits - keep :]
    big_endian = (nibbles[:, 0::2] << 4) | nibbles[:, 1::2]
    return np.ascontiguousarray(big_endian[:, ::-1])


def _image(name: str, lines: list[str], word_bits: int) -> hw.MemoryImageOp:
    raw = hex_lines_to_bytes(lines, word_bits)
    image = from_numpy(raw.view(np.int8))
    return hw.MemoryImageOp(
        properties={"memory": StringAttr(name), "image": image, **hw.int_props(word_bits=word_bits)}
    )


def _param_attr(name: str, params: dict[str, int]) -> IntegerAttr:
    """A core parameter as an integer attribute: i64, but SLOT_SET (a mask of SLOTS + 1 bits, bit S
    for S slots) as wide as it needs past 64 bits."""
    width = max(64, params["SLOTS"] + 1) if name == "SLOT_SET" else 64
    return IntegerAttr(params[name], i64 if width == 64 else IntegerType(width, Signedness.UNSIGNED))


def memory_lines(engine: hw.EngineOp, params: dict[str, int]) -> dict[str, tuple[list[str], int]]:
    """Hex lines and word width of every ROM, in address order."""
    wb, acc, cu, lanes = params["WB"], params["ACC"], params["CU"], params["LANES"]
    for layer in engine.ops_of(hw.ConvLayerOp):
        problem = schema.slots_problem(layer.field("slots"), layer.field("w_out"), params)
        if problem:
            raise op_error(layer, problem)
    segments = schema.param_segments(params)
    conv_lines: list[str] = []
    linear_lines: list[str] = []
    bias_values: list[int] = []
    for layer in engine.layers():
        fields = layer.fields()
        conv = isinstance(layer, hw.ConvLayerOp)
        lines = conv_lines if conv else linear_lines
        if fields["w_base"] != len(lines):
            where = f"the layer's weights start at {len(lines)}"
            raise op_error(layer, f"w_base {fields['w_base']} is out of order: {where}")
        slots = fields.get("slots", 1)
        if conv:
            try:
                conv_lines += images.conv_weight_hex(layer.weights(), cu, wb, slots, segments, fields["feature_groups"])
            except ValueError as e:
                raise op_error(layer, str(e)) from None
        else:
            linear_lines += images.linear_weight_hex(layer.weights(), lanes, wb)
        words = images.bias_depth(conv, fields["c_out"], cu, slots)
        bias_values += images.bias_words(layer.biases(), words, fields["shift"], bool(fields["raw"]), acc)
    program: list[int] = []
    for fields in engine.descriptors(params):
        program += schema.descriptor_words(fields)
    program += schema.END_DESCRIPTOR
    bias_digits = -(-(acc + 1) // 4)
    return {
        "conv_weights": (conv_lines, images.conv_word_bits(cu, wb, segments)),
        "linear_weights": (linear_lines, lanes * wb),
        "biases": ([f"{v:0{bias_digits}x}" for v in bias_values], acc + 1),
        "program": ([f"{w:08x}" for w in program], schema.WORD_BITS),
    }


@dataclass(frozen=True)
class PrepareVerilogPass(ModulePass):
    """Record the e3ne_core parameters of every e3ne_hw.engine and pack its ROMs (e3ne_hw.memory_image)."""

    name = "prepare-verilog"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        engines = hw.engines(op)
        if not engines:
            raise E3neError("error: prepare-verilog: no e3ne_hw.engine (run convert-snn-to-hw first)")
        for engine in engines:
            for old in engine.ops_of(hw.MemoryImageOp):
                old.detach()
                old.erase()
            params = engine.derived_params()
            engine.params = DictionaryAttr({name: _param_attr(name, params) for name in params})
            declared = engine.memories()
            last: Operation = engine
            for part in engine.parts():
                last = part
            for name, (lines, bits) in memory_lines(engine, params).items():
                if name not in declared:
                    continue  # no conv layer: no conv weight ROM
                memory = declared[name]
                if len(lines) > max(memory.int_prop("depth"), 1):
                    raise op_error(
                        memory, f"{name} needs {len(lines)} words, the memory has {memory.int_prop('depth')}"
                    )
                image = _image(name, lines, bits)
                image.location = engine.location
                assert last.parent is not None
                last.parent.insert_op_after(image, last)
                last = image
