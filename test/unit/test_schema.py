"""One schema (e3ne.engine.schema): everything that describes the descriptor and the core parameters
agrees with it, so an edit in one place cannot silently break bit-exactness elsewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from xdsl.dialects.builtin import IntegerAttr, i64
from xdsl.utils.exceptions import VerifyException

from e3ne.dialects import e3ne_hw as hw
from e3ne.engine import cycles, schema
from e3ne.engine.schema import LayerKind

ROOT = Path(__file__).resolve().parents[2]


def test_generated_files_are_up_to_date() -> None:
    """rtl/e3ne_descriptor.vh and docs/hardware.md's tables are what the schema generates."""
    for path, text in schema.generated_files(ROOT).items():
        assert path.read_text() == text, f"{path} is stale: run python -m e3ne.tools.schema_files --write"


def test_check_command_reports_stale_files(tmp_path: Path) -> None:
    (tmp_path / "rtl").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "hardware.md").write_text(
        "<!-- schema:descriptor -->\nold\n<!-- /schema:descriptor -->\n"
        "<!-- schema:core-params -->\n<!-- /schema:core-params -->\n"
    )
    assert schema.main(["--root", str(tmp_path)]) == 1
    assert schema.main(["--root", str(tmp_path), "--write"]) == 0
    assert schema.main(["--root", str(tmp_path)]) == 0
    assert "| 19 | `shift` |" in (tmp_path / "docs" / "hardware.md").read_text()


def _verilog_params(text: str) -> list[tuple[str, str]]:
    header = text[text.index("#(") : text.index(") (")]
    return re.findall(r"parameter\s+(?:\[[^\]]*\]\s*)?(\w+)\s*=\s*([^,\s/]+)", header)


def test_core_parameter_list_is_the_schema() -> None:
    core = (ROOT / "rtl" / "e3ne_core.v").read_text()
    assert _verilog_params(core) == [(p.name, str(p.default)) for p in schema.CORE_PARAMS]


def test_rtl_test_bench_takes_every_engine_parameter() -> None:
    tb = (ROOT / "test" / "rtl" / "tb_core.v").read_text()
    names = re.findall(r"\b([A-Z][A-Z_]*)\s*=\s*\d+", tb[: tb.index("localparam")])
    assert tuple(names) == schema.ENGINE_PARAMS
    dram = re.search(r"parameter (WDRAM = .*);", tb)
    assert dram is not None
    assert tuple(re.findall(r"\b([A-Z][A-Z_]*)\s*=", dram.group(1))) == tuple(schema.DRAM_PARAMS)


def test_controller_registers_are_the_fields() -> None:
    """Every descriptor field is a controller output register of the schema's width, in order."""
    controller = (ROOT / "rtl" / "e3ne_controller.v").read_text()
    regs = re.findall(r"output reg (?:\[(.+?):0\] )?(\w+),?\n", controller)

    def width(msb: str) -> str:  # "DW-1" -> "DW", "1" -> "2", "" (one bit) -> "1"
        return msb.removesuffix("-1") if msb.endswith("-1") else str(int(msb or "0") + 1)

    fields = [(width(msb), name) for msb, name in regs if name not in ("done", "conv_start", "lin_start", "layer")]
    assert fields == [(f.bits, f.name) for f in schema.FIELDS] + [(v.bits, v.name) for v in schema.PACKED]
    assert '`include "e3ne_descriptor.vh"' in controller and "`E3NE_CAPTURE_FIELDS" in controller


def test_fetch_cycles_follow_the_field_count() -> None:
    assert cycles.FETCH_CYCLES == len(schema.FIELDS) + 1 == 33


@pytest.mark.parametrize("op", [hw.ConvLayerOp, hw.LinearLayerOp])
def test_layer_ops_carry_the_schema_fields(op: type[hw.ConvLayerOp] | type[hw.LinearLayerOp]) -> None:
    properties = set(op.get_irdl_definition().properties)
    want = {f.prop(op.KIND) for f in schema.layer_fields(op.KIND)}
    assert want <= properties
    others = properties - want
    pooling = set(hw.ConvLayerOp.POOL_PROPS) if op is hw.ConvLayerOp else set()  # packed into pool_step
    pooling |= {"feature_groups"} if op is hw.ConvLayerOp else set()  # packed as the band, c_span and band_step
    signs = set(schema.SIGN_PROPS)  # packed into signs
    assert others == {"layer_name", "weight", "bias", "weight_bits", "acc_bits"} | pooling | signs


def test_signs_pack_in_signed_and_out_signed() -> None:
    """Field 30 (the descriptor is full): bit 0 in_signed, bit 1 out_signed, of both layer kinds."""
    conv = {f.name: 1 for f in schema.layer_fields(LayerKind.CONV)} | {"pool_mode": 0, "c_out": 4, "w_out": 4}
    params = {"COLS": 8, "CU": 2, "LANES": 4}
    assert schema.descriptor_fields(LayerKind.CONV, conv, params)["signs"] == 0
    assert schema.descriptor_fields(LayerKind.CONV, conv | {"in_signed": 1}, params)["signs"] == 1
    assert schema.descriptor_fields(LayerKind.CONV, conv | {"out_signed": 1}, params)["signs"] == 2
    linear = {f.name: 1 for f in schema.layer_fields(LayerKind.LINEAR)} | {"in_signed": 1, "out_signed": 1}
    fields = schema.descriptor_fields(LayerKind.LINEAR, linear, params)
    assert fields["signs"] == 3
    assert schema.FIELD_INDEX["signs"] == 30
    assert schema.descriptor_words(fields)[30] == 3


def test_grouped_band_packs_into_kind_and_signs() -> None:
    """A depthwise layer's band (c_span, band_step) sits in the spare high bits of words 0 and 30 and
    decodes back; a dense layer's words are unchanged (both 0)."""
    conv = {f.name: 1 for f in schema.layer_fields(LayerKind.CONV)} | {"pool_mode": 0, "w_out": 4}
    conv |= {"c_in": 6, "c_out": 6, "h_in": 5, "in_signed": 1}
    params = {"COLS": 8, "CU": 2, "LANES": 4}
    dense = schema.descriptor_fields(LayerKind.CONV, conv, params)
    assert (dense["c_span"], dense["band_step"]) == (0, 0)
    words = schema.descriptor_words(dense)
    assert (words[0], words[30]) == (LayerKind.CONV, 1)
    grouped = schema.descriptor_fields(LayerKind.CONV, conv | {"feature_groups": 6}, params)
    assert (grouped["c_span"], grouped["band_step"]) == (2, 2 * 5)  # 2 channels per group, 2 rows of 5 on
    words = schema.descriptor_words(grouped)
    assert words[0] == LayerKind.CONV | 2 << 4 and words[30] == 1 | 10 << 4
    assert schema.decode_descriptor(words) == grouped
    assert cycles.conv_channels(grouped) == 2 and cycles.conv_channels(dense) == 6
    with pytest.raises(ValueError, match="band_step"):
        schema.descriptor_words(grouped | {"band_step": 1 << 28})


@pytest.mark.parametrize("field", [f for f in schema.layer_fields(LayerKind.CONV) if f.name != "pool_mode"])
def test_layer_op_ranges_are_the_schema_ranges(field: schema.Field) -> None:
    constraint = hw.ConvLayerOp.get_irdl_definition().properties[field.name].constr
    from xdsl.irdl.constraints import VerificationContext

    constraint.verify(IntegerAttr(field.lo, i64), VerificationContext())
    constraint.verify(IntegerAttr(field.hi, i64), VerificationContext())
    for outside in (field.lo - 1, field.hi + 1):
        with pytest.raises(VerifyException, match=f"^{field.name}: expected an integer in"):
            constraint.verify(IntegerAttr(outside, i64), VerificationContext())


def test_descriptor_round_trips() -> None:
    props = {f.name: i + 1 for i, f in enumerate(schema.layer_fields(LayerKind.CONV))}
    props.update(shift=-3, pool_size=2, slots=1)
    fields = schema.descriptor_fields(LayerKind.CONV, props, {"CU": 2, "COLS": 3, "LANES": 4})
    words = schema.descriptor_words(fields)
    assert len(words) == schema.DESCRIPTOR_WORDS
    assert words[schema.FIELD_INDEX["shift"]] == (1 << 32) - 3
    assert schema.decode_descriptor(words) == fields
    assert fields["groups"] == -(-props["c_out"] // 2) and fields["col_tiles"] == -(-props["w_out"] // 3)
    assert fields["h_store"] == props["h_out"] // 2 and fields["kind"] == LayerKind.CONV
    assert fields["slot_width"] == 3
    slotted = schema.descriptor_fields(LayerKind.CONV, dict(props, slots=2, c_out=9, w_out=4), {"CU": 2, "COLS": 9})
    assert (slotted["slot_width"], slotted["groups"], slotted["col_tiles"]) == (4, 3, 1)
    with pytest.raises(ValueError, match="unknown descriptor field 'w_store'"):
        schema.descriptor_words({"w_store": 1})
