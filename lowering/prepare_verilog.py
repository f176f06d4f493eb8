"""``prepare-verilog``: turn an ``e3ne_hw.engine`` into the form the Verilog printer writes as is.

Packs every ROM (conv weights, linear weights, biases with the neuron's rounding constant, the
layer program) into memory words (docs/hardware.md section 2) and attaches them to the engine
as ``e3ne_hw.memory_image`` ops. After this pass the printer makes no decisions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.passes import ModulePass

from e3ne.dialects import e3ne_hw as hw
from e3ne.dialects.dense import from_numpy
from e3ne.errors import E3neError
from e3ne.lowering import hw_images
from e3ne.lowering.snn_to_hw import bias_slots


def engine_params(engine: hw.EngineOp) -> dict[str, int]:
    """The e3ne_core parameters of an engine (names as in rtl/e3ne_core.v)."""
    act = engine.unit(hw.ActMemoryOp)
    lin = engine.unit(hw.LinearUnitOp)
    conv = engine.unit(hw.ConvUnitOp)
    pool = engine.unit(hw.PoolUnitOp)
    assert isinstance(act, hw.ActMemoryOp) and isinstance(lin, hw.LinearUnitOp)
    memories = {m.sym_name.data: m for m in engine.ops_of(hw.WeightMemoryOp)}
    params = {
        "TMAX": act.int_prop("code_bits"),
        "ROWW": act.int_prop("row_codes"),
        "ADEPTH": max(2, act.int_prop("depth")),
        "LANES": lin.int_prop("lanes"),
        "WB": engine.int_prop("weight_bits"),
        "ACC": engine.int_prop("acc_bits"),
        "HAS_CONV": int(isinstance(conv, hw.ConvUnitOp)),
        "PKMAX": pool.int_prop("max_window") if isinstance(pool, hw.PoolUnitOp) else 2,
        "LWDEPTH": max(2, memories["linear_weights"].int_prop("depth")),
        "BDEPTH": max(2, memories["biases"].int_prop("depth")),
        "PDEPTH": max(64, memories["program"].int_prop("depth")),
    }
    if isinstance(conv, hw.ConvUnitOp):
        params.update(
            COLS=conv.int_prop("cols"),
            CU=conv.int_prop("units"),
            KMAX=conv.int_prop("max_kernel"),
            SMAX=conv.int_prop("max_stride"),
            PMAX=conv.int_prop("max_padding"),
            CWDEPTH=max(2, memories["conv_weights"].int_prop("depth")),
        )
    else:
        params.update(COLS=1, CU=1, KMAX=1, SMAX=1, PMAX=0, CWDEPTH=2)
    counts = ("c_in", "h_in", "w_in", "c_out", "h_out", "w_out")
    largest = max(max(layer.fields().get(name, 0) for name in counts) for layer in engine.layers())
    params["DW"] = int(largest).bit_length() + 1  # the counters that walk these counts (e3ne_core DW)
    return params


def descriptors(engine: hw.EngineOp, params: dict[str, int]) -> list[dict[str, int]]:
    """The layer program, one field dict per layer (docs/hardware.md 2.5), without the end marker."""
    program = []
    for layer in engine.layers():
        fields = layer.fields()
        if isinstance(layer, hw.ConvLayerOp):
            pool = fields["pool_size"]
            fields.update(
                kind=hw_images.KIND_CONV,
                groups=-(-fields["c_out"] // params["CU"]),
                col_tiles=-(-fields["w_out"] // params["COLS"]),
                h_store=fields["h_out"] // pool,
                w_store=fields["w_out"] // pool,
            )
        else:
            fields["w_in"] = fields.pop("in_row_width")
            fields.update(kind=hw_images.KIND_LINEAR, groups=-(-fields["c_out"] // params["LANES"]))
        program.append(fields)
    return program


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
        properties={"sym_name": StringAttr(name), "image": image, **hw.int_props(word_bits=word_bits)}
    )


def memory_lines(engine: hw.EngineOp, params: dict[str, int]) -> dict[str, tuple[list[str], int]]:
    """Hex lines and word width of every ROM, in address order."""
    wb, acc, cu, lanes = params["WB"], params["ACC"], params["CU"], params["LANES"]
    conv_lines: list[str] = []
    linear_lines: list[str] = []
    bias_values: list[int] = []
    for layer in engine.layers():
        weights = layer.weights()
        raw = bool(layer.int_prop("raw"))
        shift = layer.int_prop("shift")
        if isinstance(layer, hw.ConvLayerOp):
            if layer.int_prop("w_base") != len(conv_lines):
                raise E3neError(f"error: prepare-verilog: conv layer '{layer.layer_name.data}' w_base out of order")
            conv_lines += hw_images.conv_weight_hex(weights, cu, wb)
            slots = bias_slots("conv", layer.int_prop("c_out"), cu)
        else:
            if layer.int_prop("w_base") != len(linear_lines):
                raise E3neError(f"error: prepare-verilog: linear layer '{layer.layer_name.data}' w_base out of order")
            linear_lines += hw_images.linear_weight_hex(weights, lanes, wb)
            slots = bias_slots("linear", layer.int_prop("c_out"), cu)
        bias_values += hw_images.bias_words(layer.biases(), slots, shift, raw, acc)
    program: list[int] = []
    for fields in descriptors(engine, params):
        program += hw_images.descriptor(**fields)
    program += hw_images.END_DESCRIPTOR
    bias_digits = -(-(acc + 1) // 4)
    return {
        "conv_weights": (conv_lines, cu * wb),
        "linear_weights": (linear_lines, lanes * wb),
        "biases": ([f"{v:0{bias_digits}x}" for v in bias_values], acc + 1),
        "program": ([f"{w:08x}" for w in program], 32),
    }


@dataclass(frozen=True)
class PrepareVerilogPass(ModulePass):
    """Pack the ROM contents of every e3ne_hw.engine into memory words (e3ne_hw.memory_image)."""

    name = "prepare-verilog"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        engines = [e for e in op.walk() if isinstance(e, hw.EngineOp)]
        if not engines:
            raise E3neError("error: prepare-verilog: no e3ne_hw.engine (run convert-snn-to-hw first)")
        for engine in engines:
            for old in engine.ops_of(hw.MemoryImageOp):
                old.detach()
                old.erase()
            params = engine_params(engine)
            declared = {m.sym_name.data: m for m in engine.ops_of(hw.WeightMemoryOp)}
            for name, (lines, bits) in memory_lines(engine, params).items():
                if name == "conv_weights" and not params["HAS_CONV"]:
                    continue
                memory = declared[name]
                if len(lines) > max(memory.int_prop("depth"), 1):
                    raise E3neError(
                        f"error: prepare-verilog: {name} needs {len(lines)} words, the memory has "
                        f"{memory.int_prop('depth')}"
                    )
                engine.body.block.add_op(_image(name, lines, bits))
