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
    parameter HAS_SIGNED = 0,  // 1: the lanes can take signed input codes (the first bit plane subtracts)
    // weights from DRAM (docs/hardware.md 2.6): 0 weight ROMs; 1 an AXI4 read master fills a cache
    // of CWCACHE (LWCACHE) words per engine, and CWDEPTH (LWDEPTH) count the words of the DRAM image
    parameter WDRAM = 0,
    parameter AXIW = 64,  // AXI data bits
    parameter AXI_BURST = 16,  // most beats of a burst
    parameter CWCACHE = 16,  // conv weight cache words (a power of two, at least two groups)
    parameter LWCACHE = 16,  // linear weight cache words
    parameter LW_DRAM = 4096,  // byte offset of the linear weights in the DRAM image (4 KB aligned)
    parameter WL_INIT = "weight_layout.mem"  // per layer: one past its last weight word
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
    output wire [ACC-1:0] out_data,
    // WDRAM = 1: the DRAM image's byte address (4 KB aligned), and the AXI4 read channels
    input wire [31:0] dram_base,
    output wire m_axi_arvalid,
    input wire m_axi_arready,
    output wire [31:0] m_axi_araddr,
    output wire [7:0] m_axi_arlen,
    output wire [2:0] m_axi_arsize,
    output wire [1:0] m_axi_arburst,
    input wire m_axi_rvalid,
    output wire m_axi_rready,
    input wire [AXIW-1:0] m_axi_rdata,
    input wire m_axi_rlast,
    input wire [1:0] m_axi_rresp
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

    // ------------------------------------------------------------------ weights from DRAM
    // One AXI read port: only the running engine's fetcher has requests (a layer's words have all
    // arrived when it is done), so the channels are multiplexed by the layer's kind.
    localparam CCB = $clog2(CWCACHE), LCB = $clog2(LWCACHE);
    localparam WPW = ((WABITS > CCB) ? ((WABITS > LCB) ? WABITS : LCB) : ((CCB > LCB) ? CCB : LCB)) + 2;
    wire c_arvalid, l_arvalid, c_rready, l_rready;
    wire [31:0] c_araddr, l_araddr;
    wire [7:0] c_arlen, l_arlen;
    wire [2:0] c_arsize, l_arsize;
    wire [1:0] c_arburst, l_arburst;
    assign m_axi_arvalid = c_arvalid | l_arvalid;
    assign m_axi_araddr = sel_conv ? c_araddr : l_araddr;
    assign m_axi_arlen = sel_conv ? c_arlen : l_arlen;
    assign m_axi_arsize = sel_conv ? c_arsize : l_arsize;
    assign m_axi_arburst = sel_conv ? c_arburst : l_arburst;
    assign m_axi_rready = sel_conv ? c_rready : l_rready;
    wire [WPW-1:0] w_end;  // the layer's last weight word + 1, from the layout ROM
    generate
        if (WDRAM != 0) begin : g_layout
            wire [31:0] wl_data;
            e3ne_rom #(.WIDTH(32), .DEPTH(PDEPTH / 32), .INIT(WL_INIT))
                u_layout_rom (.clk(clk), .addr(layer), .dout(wl_data));
            assign w_end = wl_data[WPW-1:0];
            wire unused_wl = &{1'b0, wl_data, 1'b0};
        end else begin : g_no_layout
            assign w_end = {WPW{1'b0}};
            wire unused_wl = &{1'b0, dram_base, m_axi_arready, m_axi_rvalid, m_axi_rdata, m_axi_rlast,
                               m_axi_rresp, w_end, 1'b0};
        end
    endgenerate

    // ------------------------------------------------------------------ ROMs shared by the engines
    wire [ACC:0] b_data;
    e3ne_rom #(.WIDTH(ACC + 1), .DEPTH(BDEPTH), .INIT(B_INIT))
        u_bias_rom (.clk(clk), .addr(sel_conv ? c_b_addr : l_b_addr), .dout(b_data));

    // ------------------------------------------------------------------ conv engine
    generate
        if (HAS_CONV != 0) begin : g_conv
            wire [CWABITS-1:0] cw_addr, cw_step, cw_gbase;
            wire [CU*WSEGS*WB-1:0] cw_data;
            wire cw_ok;
            if (WDRAM != 0) begin : g_cw_dram
                e3ne_wfetch #(
                    .WBITS(CU * WSEGS * WB), .ABITS(CWABITS), .CDEPTH(CWCACHE), .AXIW(AXIW),
                    .AXIA(32), .BURST(AXI_BURST), .PW(WPW)
                ) u_cw_fetch (
                    .clk(clk), .rst(rst), .start(conv_start), .base(dram_base),
                    .w_base(w_base[CWABITS-1:0]), .w_end(w_end), .gbase(cw_gbase), .w_step(cw_step),
                    .w_ok(cw_ok), .rd_addr(cw_addr), .rd_data(cw_data),
                    .m_arvalid(c_arvalid), .m_arready(m_axi_arready), .m_araddr(c_araddr),
                    .m_arlen(c_arlen), .m_arsize(c_arsize), .m_arburst(c_arburst),
                    .m_rvalid(m_axi_rvalid & sel_conv), .m_rready(c_rready), .m_rdata(m_axi_rdata),
                    .m_rlast(m_axi_rlast), .m_rresp(m_axi_rresp)
                );
            end else begin : g_cw_rom
                e3ne_rom #(.WIDTH(CU * WSEGS * WB), .DEPTH(CWDEPTH), .INIT(CW_INIT))
                    u_cw_rom (.clk(clk), .addr(cw_addr), .dout(cw_data));
                assign cw_ok = 1'b1;
                assign {c_arvalid, c_araddr, c_arlen, c_arsize, c_arburst, c_rready} = 47'd0;
                wire unused_cw = &{1'b0, cw_step, cw_gbase, 1'b0};
            end
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
                .cw_ok(cw_ok),
                .cw_step(cw_step),
                .cw_gbase(cw_gbase),
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
            assign {c_arvalid, c_araddr, c_arlen, c_arsize, c_arburst, c_rready} = 47'd0;
            wire unused_conv = &{1'b0, conv_start, h_in, kh, kw, sh, sw, ph, pw, h_out, w_out,
                                 pool_mode, pool_size, pool_step, col_tiles, h_store, slots, c_span,
                                 band_step, 1'b0};
        end
    endgenerate

    // ------------------------------------------------------------------ linear engine
    generate
        if (HAS_LINEAR != 0) begin : g_linear
            wire [LWABITS-1:0] lw_addr, lw_step, lw_gbase;
            wire [LANES*WB-1:0] lw_data;
            wire lw_ok;
            if (WDRAM != 0) begin : g_lw_dram
                e3ne_wfetch #(
                    .WBITS(LANES * WB), .ABITS(LWABITS), .CDEPTH(LWCACHE), .AXIW(AXIW),
                    .AXIA(32), .BURST(AXI_BURST), .PW(WPW)
                ) u_lw_fetch (
                    .clk(clk), .rst(rst), .start(lin_start), .base(dram_base + LW_DRAM),
                    .w_base(w_base[LWABITS-1:0]), .w_end(w_end), .gbase(lw_gbase), .w_step(lw_step),
                    .w_ok(lw_ok), .rd_addr(lw_addr), .rd_data(lw_data),
                    .m_arvalid(l_arvalid), .m_arready(m_axi_arready), .m_araddr(l_araddr),
                    .m_arlen(l_arlen), .m_arsize(l_arsize), .m_arburst(l_arburst),
                    .m_rvalid(m_axi_rvalid & ~sel_conv), .m_rready(l_rready), .m_rdata(m_axi_rdata),
                    .m_rlast(m_axi_rlast), .m_rresp(m_axi_rresp)
                );
            end else begin : g_lw_rom
                e3ne_rom #(.WIDTH(LANES * WB), .DEPTH(LWDEPTH), .INIT(LW_INIT))
                    u_lw_rom (.clk(clk), .addr(lw_addr), .dout(lw_data));
                assign lw_ok = 1'b1;
                assign {l_arvalid, l_araddr, l_arlen, l_arsize, l_arburst, l_rready} = 47'd0;
                wire unused_lw = &{1'b0, lw_step, lw_gbase, 1'b0};
            end
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
                .lw_ok(lw_ok),
                .lw_step(lw_step),
                .lw_gbase(lw_gbase),
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
            assign {l_arvalid, l_araddr, l_arlen, l_arsize, l_arburst, l_rready} = 47'd0;
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
