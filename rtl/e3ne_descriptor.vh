// e3ne_descriptor.vh: the layer descriptor (docs/hardware.md 2.5).
// Generated from e3ne.engine.schema by `python -m e3ne.tools.schema_files --write`. Do not edit:
// change the schema and regenerate (test/unit/test_schema.py checks this file).
// Not every block that includes it uses every constant.
/* verilator lint_off UNUSEDPARAM */
localparam integer FIELD_BITS = 5;
localparam [FIELD_BITS:0] NF = 6'd32;  // fields read per descriptor
localparam [FIELD_BITS-1:0] F_KIND = 5'd0;
localparam [FIELD_BITS-1:0] F_SRC_BANK = 5'd1;
localparam [FIELD_BITS-1:0] F_DST_BANK = 5'd2;
localparam [FIELD_BITS-1:0] F_SRC_BASE = 5'd3;
localparam [FIELD_BITS-1:0] F_DST_BASE = 5'd4;
localparam [FIELD_BITS-1:0] F_C_IN = 5'd5;
localparam [FIELD_BITS-1:0] F_H_IN = 5'd6;
localparam [FIELD_BITS-1:0] F_W_IN = 5'd7;
localparam [FIELD_BITS-1:0] F_KH = 5'd8;
localparam [FIELD_BITS-1:0] F_KW = 5'd9;
localparam [FIELD_BITS-1:0] F_SH = 5'd10;
localparam [FIELD_BITS-1:0] F_SW = 5'd11;
localparam [FIELD_BITS-1:0] F_PH = 5'd12;
localparam [FIELD_BITS-1:0] F_PW = 5'd13;
localparam [FIELD_BITS-1:0] F_C_OUT = 5'd14;
localparam [FIELD_BITS-1:0] F_H_OUT = 5'd15;
localparam [FIELD_BITS-1:0] F_W_OUT = 5'd16;
localparam [FIELD_BITS-1:0] F_T_IN = 5'd17;
localparam [FIELD_BITS-1:0] F_T_OUT = 5'd18;
localparam [FIELD_BITS-1:0] F_SHIFT = 5'd19;
localparam [FIELD_BITS-1:0] F_POOL_MODE = 5'd20;
localparam [FIELD_BITS-1:0] F_POOL_SIZE = 5'd21;
localparam [FIELD_BITS-1:0] F_W_BASE = 5'd22;
localparam [FIELD_BITS-1:0] F_B_BASE = 5'd23;
localparam [FIELD_BITS-1:0] F_RAW = 5'd24;
localparam [FIELD_BITS-1:0] F_GROUPS = 5'd25;
localparam [FIELD_BITS-1:0] F_COL_TILES = 5'd26;
localparam [FIELD_BITS-1:0] F_H_STORE = 5'd27;
localparam [FIELD_BITS-1:0] F_SLOTS = 5'd28;
localparam [FIELD_BITS-1:0] F_SLOT_WIDTH = 5'd29;
localparam [FIELD_BITS-1:0] F_SIGNS = 5'd30;
localparam [FIELD_BITS-1:0] F_POOL_STEP = 5'd31;
localparam [1:0] KIND_END = 2'd0;
localparam [1:0] KIND_CONV = 2'd1;
localparam [1:0] KIND_LINEAR = 2'd2;
localparam [1:0] POOL_NONE = 2'd0;
localparam [1:0] POOL_MAX = 2'd1;
localparam [1:0] POOL_AVG = 2'd2;
/* verilator lint_on UNUSEDPARAM */
// case items over the field index fd: load the field register from the ROM word p_data
// (a signed field: the whole word into <name>_word, which the controller saturates)
`define E3NE_CAPTURE_FIELDS \
    F_KIND: begin kind <= p_data[1:0]; c_span <= p_data[4+:DW]; end \
    F_SRC_BANK: src_bank <= p_data[0:0]; \
    F_DST_BANK: dst_bank <= p_data[0:0]; \
    F_SRC_BASE: src_base <= p_data[AABITS-1:0]; \
    F_DST_BASE: dst_base <= p_data[AABITS-1:0]; \
    F_C_IN: c_in <= p_data[DW-1:0]; \
    F_H_IN: h_in <= p_data[DW-1:0]; \
    F_W_IN: w_in <= p_data[DW-1:0]; \
    F_KH: kh <= p_data[KB-1:0]; \
    F_KW: kw <= p_data[KB-1:0]; \
    F_SH: sh <= p_data[SB-1:0]; \
    F_SW: sw <= p_data[SB-1:0]; \
    F_PH: ph <= p_data[PB-1:0]; \
    F_PW: pw <= p_data[PB-1:0]; \
    F_C_OUT: c_out <= p_data[DW-1:0]; \
    F_H_OUT: h_out <= p_data[DW-1:0]; \
    F_W_OUT: w_out <= p_data[DW-1:0]; \
    F_T_IN: t_in <= p_data[TBITS-1:0]; \
    F_T_OUT: t_out <= p_data[TBITS-1:0]; \
    F_SHIFT: shift_word <= p_data; \
    F_POOL_MODE: pool_mode <= p_data[1:0]; \
    F_POOL_SIZE: pool_size <= p_data[PSB-1:0]; \
    F_W_BASE: w_base <= p_data[WABITS-1:0]; \
    F_B_BASE: b_base <= p_data[BABITS-1:0]; \
    F_RAW: raw <= p_data[1:0]; \
    F_GROUPS: groups <= p_data[DW-1:0]; \
    F_COL_TILES: col_tiles <= p_data[DW-1:0]; \
    F_H_STORE: h_store <= p_data[DW-1:0]; \
    F_SLOTS: slots <= p_data[SLB-1:0]; \
    F_SLOT_WIDTH: slot_width <= p_data[DW-1:0]; \
    F_SIGNS: begin signs <= p_data[1:0]; band_step <= p_data[4+:AABITS]; end \
    F_POOL_STEP: pool_step <= p_data[11:0]; \
    default: ;
