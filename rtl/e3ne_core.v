// e3ne_core: the whole e3ne engine (docs/hardware.md 5): controller, conv and linear engines,
// the activation memory and the four ROMs, with the port multiplexing between them.
//
// The generated top (e3ne_top) only instantiates this with the network's parameters and memory
// image names. While idle the host writes input codes into bank 0 through the load port; `start`
// runs the layer program; raw outputs of the last layer stream out of out_valid/out_index/out_data.
//
// The activation read port returns one bit plane of the word (both engines consume bit planes),
// so the plane selection is done once here instead of in each engine. The word is registered as
// it leaves the block RAM (whose clock-to-output takes most of a cycle: the engines' pipeline
// stage S1), and the plane is selected from that register, with the padding rows' zeros.
module e3ne_core #(
    parameter TMAX = 4,
    parameter ROWW = 8,
    parameter ADEPTH = 64,
    parameter COLS = 8,
    parameter CU = 2,
    parameter SLOTS = 1,  // the most channel slots of a conv layer
    parameter [SLOTS:0] SLOT_SET = 2,  // the slot counts of the conv layers, bit S set
    parameter LANES = 16,
    parameter WB = 8,
    parameter ACC = 16,
    parameter KMAX = 5,
    parameter SMAX = 2,
    parameter PMAX = 2,
    parameter PKMAX = 2,
    parameter PBANKS = 1,  // pool line buffer banks (the most window rows open at once)
    parameter CWDEPTH = 16,
    parameter LWDEPTH = 16,
    parameter BDEPTH = 16,
    parameter PDEPTH = 64,  // at least two descriptors (a layer and the end)
    parameter HAS_CONV = 1,
    parameter HAS_LINEAR = 1,
    parameter CW_INIT = "conv_weights.mem",
    parameter LW_INIT = "linear_weights.mem",
    parameter B_INIT = "biases.mem",
    parameter P_INIT = "program.mem",
    parameter DW = 16,  // width of descriptor counts (channels, rows, features, groups)
    parameter KBITS = 8,  // width of the signed shift k
    parameter HAS_SIGNED = 0  // 1: the lanes can take signed input codes (the first bit plane subtracts)
) (
    input wire clk,
    input wire rst,
    input wire load_en,
    input wire [$clog2(ADEPTH)-1:0] load_addr,
    input wire [ROWW*TMAX-1:0] load_data,
    input wire start,
    output wire busy,
    output wire done,
    output wire out_valid,
    output wire [15:0] out_index,
    output wire [ACC-1:0] out_data
);
    localparam AABITS = $clog2(ADEPTH);
    localparam CWABITS = (CWDEPTH > 1) ? $clog2(CWDEPTH) : 1;
    localparam LWABITS = (LWDEPTH > 1) ? $clog2(LWDEPTH) : 1;
    localparam BABITS = (BDEPTH > 1) ? $clog2(BDEPTH) : 1;
    localparam PABITS = $clog2(PDEPTH);
    localparam WABITS = (CWABITS > LWABITS) ? CWABITS : LWABITS;
    localparam TBITS = $clog2(TMAX + 1);
    localparam TIB = (TMAX > 1) ? $clog2(TMAX) : 1;
    localparam KB = $clog2(KMAX + 1);
    localparam SB = $clog2(SMAX + 1);
    localparam PB = (PMAX > 0) ? $clog2(PMAX + 1) : 1;
    localparam PSB = $clog2(PKMAX + 1);
    localparam SLB = $clog2(SLOTS + 1);
    localparam AW = ROWW * TMAX;

`include "e3ne_segments.vh"
    localparam WSEGS = e3ne_segment(COLS, SLOT_MASK, COLS);  // conv weight fields per unit

    // ------------------------------------------------------------------ controller
    wire [PABITS-1:0] p_addr;
    wire [31:0] p_data;
    wire conv_start, lin_start, conv_done, lin_done;
    wire [PABITS-6:0] layer;
    wire [1:0] kind, pool_mode;
    wire src_bank, dst_bank;
    wire [1:0] raw;  // bit 0: the raw last layer; bit 1: max(V + b, 0)
    wire [1:0] signs;  // bit 0 in_signed, bit 1 out_signed (docs/hardware.md 2.5)
    wire in_signed = signs[0], out_signed = signs[1];
    wire [AABITS-1:0] src_base, dst_base;
    wire [DW-1:0] c_in, h_in, w_in, c_out, h_out, w_out, groups, col_tiles, h_store, slot_width;
    wire [SLB-1:0] slots;
    wire [KB-1:0] kh, kw;
    wire [SB-1:0] sh, sw;
    wire [PB-1:0] ph, pw;
    wire [TBITS-1:0] t_in, t_out;
    wire [KBITS-1:0] shift;
    wire [PSB-1:0] pool_size;
    wire [11:0] pool_step;
    wire [DW-1:0] c_span;  // grouped mode: the channels of a group's input band (0: dense)
    wire [AABITS-1:0] band_step;  // words from one group's input band to the next
    wire [WABITS-1:0] w_base;
    wire [BABITS-1:0] b_base;

    e3ne_controller #(
        .PABITS(PABITS),
        .AABITS(AABITS),
        .WABITS(WABITS),
        .BABITS(BABITS),
        .DW(DW),
        .KBITS(KBITS),
        .TBITS(TBITS),
        .KB(KB),
        .SB(SB),
        .PB(PB),
        .PSB(PSB),
        .SLB(SLB)
    ) u_ctrl (
        .clk(clk),
        .rst(rst),
        .start(start),
        .busy(busy),
        .done(done),
        .p_addr(p_addr),
        .p_data(p_data),
        .conv_start(conv_start),
        .lin_start(lin_start),
        .conv_done(conv_done),
        .lin_done(lin_done),
        .layer(layer),
        .kind(kind),
        .src_bank(src_bank),
        .dst_bank(dst_bank),
        .src_base(src_base),
        .dst_base(dst_base),
        .c_in(c_in),
        .h_in(h_in),
        .w_in(w_in),
        .kh(kh),
        .kw(kw),
        .sh(sh),
        .sw(sw),
        .ph(ph),
        .pw(pw),
        .c_out(c_out),
        .h_out(h_out),
        .w_out(w_out),
        .t_in(t_in),
        .t_out(t_out),
        .shift(shift),
        .pool_mode(pool_mode),
        .pool_size(pool_size),
        .w_base(w_base),
        .b_base(b_base),
        .raw(raw),
        .groups(groups),
        .col_tiles(col_tiles),
        .h_store(h_store),
        .slots(slots),
        .slot_width(slot_width),
        .signs(signs),
        .pool_step(pool_step),
        .c_span(c_span),
        .band_step(band_step)
    );

    e3ne_rom #(.WIDTH(32), .DEPTH(PDEPTH), .INIT(P_INIT))
        u_prog_rom (.clk(clk), .addr(p_addr), .dout(p_data));

`ifdef E3NE_TRACE
    integer trace_fd;
    reg [8*256-1:0] trace_name;
    initial begin
        if (!$value$plusargs("trace=%s", trace_name)) trace_name = "trace.txt";
        trace_fd = $fopen(trace_name, "w");
    end
    wire [15:0] trace_layer = {{(21 - PABITS) {1'b0}}, layer};
`endif

    // ------------------------------------------------------------------ activation memory
    wire sel_conv = kind == 2'd1;
    wire c_rd_zero, c_wr_en, l_wr_en;
    wire [AABITS-1:0] c_rd_addr, c_wr_addr, l_rd_addr, l_wr_addr;
    wire [TIB-1:0] c_rd_bit, l_rd_bit;
    wire [AW-1:0] c_wr_data, l_wr_data;
    wire [BABITS-1:0] c_b_addr, l_b_addr;
    wire [ROWW-1:0] rd_plane;
    wire [AW-1:0] rd_data;

    wire [TIB-1:0] rd_bit = sel_conv ? c_rd_bit : l_rd_bit;
    wire wr_en = busy ? (c_wr_en | l_wr_en) : load_en;
    wire wr_bank = busy & dst_bank;
    wire [AABITS-1:0] wr_addr = !busy ? load_addr : (sel_conv ? c_wr_addr : l_wr_addr);
    wire [AW-1:0] wr_data = !busy ? load_data : (sel_conv ? c_wr_data : l_wr_data);

    e3ne_act_mem #(
        .WIDTH (AW),
        .ADEPTH(ADEPTH),
        .AABITS(AABITS)
    ) u_act (
        .clk(clk),
        .rd_bank(src_bank),
        .rd_addr(sel_conv ? c_rd_addr : l_rd_addr),
        .rd_data(rd_data),
        .wr_en(wr_en),
        .wr_bank(wr_bank),
        .wr_addr(wr_addr),
        .wr_data(wr_data)
    );

    // bit plane rd_bit_q of the word read two cycles ago (code x's bit), zeros for a padding row
    reg [TIB-1:0] rd_bit_p, rd_bit_q;
    reg rd_zero_p, rd_zero_q;
    reg [AW-1:0] rd_word;
    always @(posedge clk) begin
        rd_bit_p <= rd_bit;
        rd_bit_q <= rd_bit_p;
        rd_zero_p <= sel_conv & c_rd_zero;
        rd_zero_q <= rd_zero_p;
        rd_word <= rd_data;
    end
    genvar gx;
    generate
        for (gx = 0; gx < ROWW; gx = gx + 1) begin : g_plane
            if (TMAX > 1) begin : g_sel
                wire [TMAX-1:0] code = rd_word[gx*TMAX+:TMAX];
                assign rd_plane[gx] = code[rd_bit_q] & ~rd_zero_q;
            end else begin : g_one
                assign rd_plane[gx] = rd_word[gx] & ~rd_zero_q;
            end
        end
    endgenerate

    // raw outputs of the last layer: from the engine that runs it (the other's are 0)
    wire c_out_valid, l_out_valid;
    wire [15:0] c_out_index, l_out_index;
    wire [ACC-1:0] c_out_data, l_out_data;
    assign out_valid = c_out_valid | l_out_valid;
    assign out_index = c_out_valid ? c_out_index : l_out_index;
    assign out_data = c_out_valid ? c_out_data : l_out_data;

    // ------------------------------------------------------------------ ROMs shared by the engines
    wire [ACC:0] b_data;
    e3ne_rom #(.WIDTH(ACC + 1), .DEPTH(BDEPTH), .INIT(B_INIT))
        u_bias_rom (.clk(clk), .addr(sel_conv ? c_b_addr : l_b_addr), .dout(b_data));

    // ------------------------------------------------------------------ conv engine
    generate
        if (HAS_CONV != 0) begin : g_conv
            wire [CWABITS-1:0] cw_addr;
            wire [CU*WSEGS*WB-1:0] cw_data;
            e3ne_rom #(.WIDTH(CU * WSEGS * WB), .DEPTH(CWDEPTH), .INIT(CW_INIT))
                u_cw_rom (.clk(clk), .addr(cw_addr), .dout(cw_data));
            e3ne_conv_engine #(
                .TMAX(TMAX),
                .ROWW(ROWW),
                .COLS(COLS),
                .CU(CU),
                .SLOTS(SLOTS),
                .SLOT_SET(SLOT_SET),
                .WSEGS(WSEGS),
                .WB(WB),
                .ACC(ACC),
                .KMAX(KMAX),
                .SMAX(SMAX),
                .PMAX(PMAX),
                .PKMAX(PKMAX),
                .PBANKS(PBANKS),
                .DW(DW),
                .AABITS(AABITS),
                .CWABITS(CWABITS),
                .BABITS(BABITS),
                .KBITS(KBITS),
                .SIGNED(HAS_SIGNED)
            ) u_conv (
                .clk(clk),
                .rst(rst),
                .start(conv_start),
                .done(conv_done),
                .src_base(src_base),
                .dst_base(dst_base),
                .c_in(c_in),
                .c_span(c_span),
                .band_step(band_step),
                .h_in(h_in),
                .kh(kh),
                .kw(kw),
                .sh(sh),
                .sw(sw),
                .ph(ph),
                .pw(pw),
                .c_out(c_out),
                .h_out(h_out),
                .w_out(w_out),
                .t_in(t_in),
                .t_out(t_out),
                .shift(shift),
                .pool_mode(pool_mode),
                .pool_size(pool_size),
                .pool_step(pool_step),
                .w_base(w_base[CWABITS-1:0]),
                .b_base(b_base),
                .groups(groups),
                .col_tiles(col_tiles),
                .h_store(h_store),
                .slots(slots),
                .raw(raw),
                .in_signed(in_signed),
                .out_signed(out_signed),
                .rd_addr(c_rd_addr),
                .rd_bit(c_rd_bit),
                .rd_zero(c_rd_zero),
                .rd_plane(rd_plane),
                .wr_en(c_wr_en),
                .wr_addr(c_wr_addr),
                .wr_data(c_wr_data),
`ifdef E3NE_TRACE
                .trace_fd(trace_fd),
                .trace_layer(trace_layer),
`endif
                .cw_addr(cw_addr),
                .cw_data(cw_data),
                .b_addr(c_b_addr),
                .b_data(b_data),
                .out_valid(c_out_valid),
                .out_index(c_out_index),
                .out_data(c_out_data)
            );
        end else begin : g_no_conv
            // no conv engine: done at once, nothing read, written or output
            assign conv_done = 1'b1;
            assign {c_rd_zero, c_wr_en, c_rd_addr, c_wr_addr, c_rd_bit, c_wr_data, c_b_addr} =
                {(2 + 2 * AABITS + TIB + AW + BABITS) {1'b0}};
            assign {c_out_valid, c_out_index, c_out_data} = {(17 + ACC) {1'b0}};
            wire unused_conv = &{1'b0, conv_start, h_in, kh, kw, sh, sw, ph, pw, h_out, w_out,
                                 pool_mode, pool_size, pool_step, col_tiles, h_store, slots, c_span,
                                 band_step, 1'b0};
        end
    endgenerate

    // ------------------------------------------------------------------ linear engine
    generate
        if (HAS_LINEAR != 0) begin : g_linear
            wire [LWABITS-1:0] lw_addr;
            wire [LANES*WB-1:0] lw_data;
            e3ne_rom #(.WIDTH(LANES * WB), .DEPTH(LWDEPTH), .INIT(LW_INIT))
                u_lw_rom (.clk(clk), .addr(lw_addr), .dout(lw_data));
            e3ne_linear_engine #(
                .TMAX(TMAX),
                .ROWW(ROWW),
                .LANES(LANES),
                .WB(WB),
                .ACC(ACC),
                .DW(DW),
                .AABITS(AABITS),
                .LWABITS(LWABITS),
                .BABITS(BABITS),
                .KBITS(KBITS),
                .SIGNED(HAS_SIGNED)
            ) u_linear (
                .clk(clk),
                .rst(rst),
                .start(lin_start),
                .done(lin_done),
                .src_base(src_base),
                .dst_base(dst_base),
                .f_in(c_in),
                .row_w(w_in),
                .f_out(c_out),
                .t_in(t_in),
                .in_signed(in_signed),
                .out_signed(out_signed),
                .t_out(t_out),
                .shift(shift),
                .w_base(w_base[LWABITS-1:0]),
                .b_base(b_base),
                .raw(raw),
                .groups(groups),
                .rd_addr(l_rd_addr),
                .rd_bit(l_rd_bit),
                .rd_plane(rd_plane),
                .wr_en(l_wr_en),
                .wr_addr(l_wr_addr),
                .wr_data(l_wr_data),
                .lw_addr(lw_addr),
                .lw_data(lw_data),
                .b_addr(l_b_addr),
                .b_data(b_data),
        `ifdef E3NE_TRACE
                .trace_fd(trace_fd),
                .trace_layer(trace_layer),
        `endif
                .out_valid(l_out_valid),
                .out_index(l_out_index),
                .out_data(l_out_data)
            );
        end else begin : g_no_linear
            // no linear engine (every layer on the conv units): never started, never done
            assign {lin_done, l_wr_en, l_rd_addr, l_wr_addr, l_rd_bit, l_wr_data, l_b_addr} =
                {(2 + 2 * AABITS + TIB + AW + BABITS) {1'b0}};
            assign {l_out_valid, l_out_index, l_out_data} = {(17 + ACC) {1'b0}};
            wire unused_linear = &{1'b0, lin_start, w_in, 1'b0};  // w_in: the linear row width
        end
    endgenerate

    // slot_width (COLS / slots) is a descriptor field for the tools; the conv engine derives it
    wire unused_ok = &{1'b0, w_base, layer, rd_bit_q, slot_width, 1'b0};

`ifdef E3NE_TRACE
    // W <layer> <bank> <addr> <hex word> for every activation write of a layer
    always @(posedge clk) begin
        if (busy && wr_en && !rst) $fwrite(trace_fd, "W %0d %0d %0d %h\n", layer, wr_bank, wr_addr, wr_data);
    end
`endif
endmodule
