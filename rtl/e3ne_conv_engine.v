// e3ne_conv_engine: the conv engine of docs/hardware.md section 3.
//
// CU conv units of COLS lanes; lane x of unit d accumulates output (g*CU + d, r, tile*COLS + x).
// The loop nest g / r / tile / t / c / i / j runs one tap-step per cycle in a 3-stage pipeline:
//
//   S0  sequencer: counters and running sums give the step's row address (read at j = 0, one
//       word = the input row (c, y) as the bit plane of timestep t) and its weight address.
//   S1  the plane arrives; at j = 0 the tile's segment (coarse offset tile*sw*COLS, fine offset
//       -pw) is loaded into the window register, at j > 0 the window shifts by one column.
//       The weight ROM address register is loaded, so the weights arrive in S2.
//   S2  every lane adds its unit's weight if window bit x*sw is set (e3ne_lane).
//
// The sequencer never waits for a row fetch: the read for tap row i+1 is issued in the step after
// the last column of row i. After the last step of a (g, r, tile) the potentials are copied to
// shadow registers and the output stage streams them lane by lane through a requant and a pool
// unit per conv unit, while the lanes already accumulate the next row-tile. The sequencer holds
// the last step of a row-tile while the output stage is busy (or a copy is in flight), which is
// the only stall. Row-tile period = max(steps, output-stage cycles + 3); see lowering/hw_cycles.py.
//
// No multipliers: every address is a running sum, every bound an equality test on a counter.
module e3ne_conv_engine #(
    parameter TMAX = 4,
    parameter ROWW = 8,
    parameter COLS = 8,
    parameter CU = 2,
    parameter WB = 8,
    parameter ACC = 16,
    parameter KMAX = 5,
    parameter SMAX = 2,
    parameter PMAX = 2,
    parameter PKMAX = 2,
    parameter DW = 16,  // width of counts (channels, rows, columns, groups, tiles)
    parameter AABITS = 6,
    parameter CWABITS = 4,
    parameter BABITS = 4,
    parameter KBITS = 8,  // width of the signed shift k
    parameter TBITS = $clog2(TMAX + 1),
    parameter TIB = (TMAX > 1) ? $clog2(TMAX) : 1,
    parameter KB = $clog2(KMAX + 1),
    parameter SB = $clog2(SMAX + 1),
    parameter PB = (PMAX > 0) ? $clog2(PMAX + 1) : 1,
    parameter PSB = $clog2(PKMAX + 1)
) (
    input wire clk,
    input wire rst,
    input wire start,
    output wire done,
    // layer descriptor, held by the controller while the layer runs
    input wire [AABITS-1:0] src_base,
    input wire [AABITS-1:0] dst_base,
    input wire [DW-1:0] c_in,
    input wire [DW-1:0] h_in,
    input wire [KB-1:0] kh,
    input wire [KB-1:0] kw,
    input wire [SB-1:0] sh,
    input wire [SB-1:0] sw,
    input wire [PB-1:0] ph,
    input wire [PB-1:0] pw,
    input wire [DW-1:0] c_out,
    input wire [DW-1:0] h_out,
    input wire [DW-1:0] w_out,
    input wire [TBITS-1:0] t_in,
    input wire [TBITS-1:0] t_out,
    input wire [KBITS-1:0] shift,
    input wire [1:0] pool_mode,
    input wire [PSB-1:0] pool_size,
    input wire [CWABITS-1:0] w_base,
    input wire [BABITS-1:0] b_base,
    input wire [DW-1:0] groups,
    input wire [DW-1:0] col_tiles,
    input wire [DW-1:0] h_store,
    // activation memory: the read returns bit plane rd_bit of the word, one cycle later
    output wire rd_en,
    output wire [AABITS-1:0] rd_addr,
    output wire [TIB-1:0] rd_bit,
    output wire rd_zero,
    input wire [ROWW-1:0] rd_plane,
    output wire wr_en,
    output wire [AABITS-1:0] wr_addr,
    output wire [ROWW*TMAX-1:0] wr_data,
    // ROMs (data one cycle after the address)
    output reg [CWABITS-1:0] cw_addr,
    input wire [CU*WB-1:0] cw_data,
    output wire [BABITS-1:0] b_addr,
    input wire [ACC:0] b_data
`ifdef E3NE_TRACE
    ,
    input wire [31:0] trace_fd,
    input wire [15:0] trace_layer
`endif
);
    localparam WW = (COLS - 1) * SMAX + KMAX;  // window: lane x at tap j reads bit x*sw + j
    localparam NTQ = (ROWW + PMAX + COLS - 1) / COLS;  // tiles start at q*COLS - pw, q < NTQ
    localparam QB = (NTQ > 1) ? $clog2(NTQ) : 1;
    localparam EXTW = (NTQ - 1) * COLS + WW + PMAX;  // plane with PMAX zeros below, zeros above
    localparam XB = (COLS > 1) ? $clog2(COLS) : 1;
    localparam CUB = $clog2(CU + 1);  // unit counter 0 .. CU
    localparam UB = (CU > 1) ? $clog2(CU) : 1;  // unit index 0 .. CU-1
    localparam YB = DW + 2;  // signed input row index
    localparam MW = (DW > AABITS) ? DW : AABITS;
    localparam NL = CU * COLS;

    // ------------------------------------------------------------------ S0: sequencer
    reg run;
    reg [DW-1:0] g, r, tile, c;
    reg [KB-1:0] i, j;
    reg [TIB-1:0] b;  // bit plane t_in-1-t: MSB first
    reg [YB-1:0] yb;  // r*sh - ph
    reg [YB-1:0] y;  // yb + i
    reg [AABITS-1:0] cb;  // src_base + c*h_in
    reg [QB-1:0] q;  // tile*sw
    reg [CWABITS-1:0] wp;  // weight address of the step
    reg [CWABITS-1:0] gbase;  // weight address of the group's first step
    wire os_busy;

    wire j_last = (j + 1'b1) == kw;
    wire i_last = (i + 1'b1) == kh;
    wire c_last = (c + 1'b1) == c_in;
    wire t_last = b == {TIB{1'b0}};
    wire tile_last = (tile + 1'b1) == col_tiles;
    wire r_last = (r + 1'b1) == h_out;
    wire g_last = (g + 1'b1) == groups;
    wire ts_end = j_last & i_last & c_last;  // last step of a timestep
    wire rt_end = ts_end & t_last;  // last step of a row-tile
    wire grp_end = rt_end & tile_last & r_last;
    wire issue = run & ~(rt_end & os_busy);

    wire [TBITS-1:0] t_in_m1 = t_in - 1'b1;
    wire [YB-1:0] ph_neg = {YB{1'b0}} - {{(YB - PB) {1'b0}}, ph};
    wire [YB-1:0] yb_next = yb + {{(YB - SB) {1'b0}}, sh};
    wire [MW-1:0] cb_next = {{(MW - AABITS) {1'b0}}, cb} + {{(MW - DW) {1'b0}}, h_in};
    wire [AABITS-1:0] row_addr = cb + y[AABITS-1:0];
    wire [QB+SB-1:0] q_next = {{SB{1'b0}}, q} + {{QB{1'b0}}, sw};
    wire y_outside = y[YB-1] | (y >= {2'b00, h_in});

    assign rd_en = issue & (j == {KB{1'b0}});
    assign rd_addr = row_addr;
    assign rd_zero = y_outside;
    assign rd_bit = b;

    always @(posedge clk) begin
        if (rst) begin
            run <= 1'b0;
        end else if (start) begin
            run <= 1'b1;
            g <= {DW{1'b0}};
            r <= {DW{1'b0}};
            tile <= {DW{1'b0}};
            c <= {DW{1'b0}};
            i <= {KB{1'b0}};
            j <= {KB{1'b0}};
            b <= t_in_m1[TIB-1:0];
            yb <= ph_neg;
            y <= ph_neg;
            cb <= src_base;
            q <= {QB{1'b0}};
            wp <= w_base;
            gbase <= w_base;
        end else if (issue) begin
            cw_addr <= wp;
            wp <= (ts_end && !grp_end) ? gbase : wp + 1'b1;
            if (grp_end) gbase <= wp + 1'b1;
            if (!j_last) begin
                j <= j + 1'b1;
            end else begin
                j <= {KB{1'b0}};
                if (!i_last) begin
                    i <= i + 1'b1;
                    y <= y + 1'b1;
                end else begin
                    i <= {KB{1'b0}};
                    y <= yb;
                    if (!c_last) begin
                        c  <= c + 1'b1;
                        cb <= cb_next[AABITS-1:0];
                    end else begin
                        c  <= {DW{1'b0}};
                        cb <= src_base;
                        if (!t_last) begin
                            b <= b - 1'b1;
                        end else begin
                            b <= t_in_m1[TIB-1:0];
                            if (!tile_last) begin
                                tile <= tile + 1'b1;
                                q <= q_next[QB-1:0];
                            end else begin
                                tile <= {DW{1'b0}};
                                q <= {QB{1'b0}};
                                if (!r_last) begin
                                    r  <= r + 1'b1;
                                    yb <= yb_next;
                                    y  <= yb_next;
                                end else begin
                                    r  <= {DW{1'b0}};
                                    yb <= ph_neg;
                                    y  <= ph_neg;
                                    if (!g_last) g <= g + 1'b1;
                                    else run <= 1'b0;
                                end
                            end
                        end
                    end
                end
            end
        end
    end

    // ------------------------------------------------------------------ S1: window
    reg v1, load1, dbl1, last1;
    reg [QB-1:0] q1;
    always @(posedge clk) begin
        v1 <= issue & ~rst;
        load1 <= j == {KB{1'b0}};
        dbl1 <= (c == {DW{1'b0}}) & (i == {KB{1'b0}}) & (j == {KB{1'b0}});
        last1 <= rt_end;
        q1 <= q;
    end

    // win0[p] = plane[q1*COLS + p - pw]: a coarse multiplexer over the tile offset, then a fine
    // one over the padding; positions outside the plane read zero.
    reg [EXTW-1:0] pext;
    reg [WW+PMAX-1:0] sega;
    reg [WW-1:0] win0;
    reg [WW-1:0] win;
    integer k;
    always @* begin
        pext = {EXTW{1'b0}};
        pext[PMAX+:ROWW] = rd_plane;
        sega = pext[0+:WW+PMAX];
        for (k = 1; k < NTQ; k = k + 1) if (q1 == k[QB-1:0]) sega = pext[k*COLS+:WW+PMAX];
        win0 = sega[PMAX+:WW];
        for (k = 1; k <= PMAX; k = k + 1) if (pw == k[PB-1:0]) win0 = sega[PMAX-k+:WW];
    end
    always @(posedge clk) begin
        if (v1) win <= load1 ? win0 : win >> 1;
    end

    // ------------------------------------------------------------------ S2: lanes
    reg v2, dbl2, last2;
    always @(posedge clk) begin
        v2 <= v1 & ~rst;
        dbl2 <= dbl1;
        last2 <= last1;
    end
    wire cap = v2 & last2;  // the row-tile's potentials go to the shadow registers

    reg [COLS-1:0] sbit;
    integer x, s;
    always @* begin
        for (x = 0; x < COLS; x = x + 1) begin
            sbit[x] = win[x];
            for (s = 2; s <= SMAX; s = s + 1) if (sw == s[SB-1:0]) sbit[x] = win[x*s];
        end
    end

    wire [NL*ACC-1:0] vn;  // unit-major: lane (d, x) at (d*COLS + x)*ACC
    genvar gd, gx;
    generate
        for (gd = 0; gd < CU; gd = gd + 1) begin : g_unit
            for (gx = 0; gx < COLS; gx = gx + 1) begin : g_lane
                e3ne_lane #(
                    .ACC(ACC),
                    .WB (WB)
                ) u_lane (
                    .clk(clk),
                    .clr(rst | cap),
                    .ce(v2),
                    .dbl(dbl2),
                    .s(sbit[gx]),
                    .w(cw_data[gd*WB+:WB]),
                    .v_next(vn[(gd*COLS+gx)*ACC+:ACC])
                );
            end
        end
    endgenerate

    reg [NL*ACC-1:0] shadow;
    always @(posedge clk) begin
        if (cap) shadow <= vn;
    end

    // ------------------------------------------------------------------ output stage
    localparam [2:0] S_IDLE = 3'd0, S_BIAS = 3'd1, S_LANES = 3'd2, S_WAIT = 3'd3, S_WRITE = 3'd4;
    reg [2:0] os;
    reg [XB-1:0] ox;  // lane of the tile
    reg [DW-1:0] oxo;  // output column
    reg [CUB-1:0] od;  // unit being loaded (BIAS) or written (WRITE)
    reg need_bias;  // the next row-tile is the first of its group
    reg [PSB-1:0] rph;  // r % P
    reg [DW-1:0] rcnt;  // r
    reg [DW-1:0] yq;  // stored row r / P
    reg [DW-1:0] orem;  // channels left: unit d is a real channel iff d < orem
    reg [AABITS-1:0] ob;  // dst_base + g*CU*h_store
    reg [AABITS-1:0] wa;
    reg [BABITS-1:0] bptr;
    reg [CU*(ACC+1)-1:0] bias_r;  // b' of each unit of the group
    wire [CU*(ACC+1)-1:0] bias_shifted;  // b_data enters at the top: unit 0 ends at the bottom
    generate
        if (CU > 1) begin : g_bias_shift
            assign bias_shifted = {b_data, bias_r[CU*(ACC+1)-1:ACC+1]};
        end else begin : g_bias_one
            assign bias_shifted = b_data;
        end
    endgenerate

    localparam integer LL = COLS - 1;
    localparam integer LU = CU - 1;
    localparam [XB-1:0] LAST_LANE = LL[XB-1:0];
    localparam [CUB-1:0] LAST_UNIT = LU[CUB-1:0];
    localparam integer CUI = CU;
    localparam [CUB-1:0] CU_C = CUI[CUB-1:0];
    wire row_end = (oxo + 1'b1) == w_out;
    wire tile_end = (ox == LAST_LANE) | row_end;
    wire win_last = (rph + 1'b1) == pool_size;
    wire ogrp_end = (rcnt + 1'b1) == h_out;
    wire yq_last = (yq + 1'b1) == h_store;
    wire [MW-1:0] wa_row = {{(MW - AABITS) {1'b0}}, ob} + {{(MW - DW) {1'b0}}, yq};
    wire [MW-1:0] wa_next = {{(MW - AABITS) {1'b0}}, wa} + {{(MW - DW) {1'b0}}, h_store};
    wire row_done = (os == S_LANES && tile_end && row_end && !win_last) ||
                    (os == S_WRITE && od == LAST_UNIT);

    assign os_busy = (os != S_IDLE) | (v1 & last1) | (v2 & last2);
    assign b_addr = bptr;

    always @(posedge clk) begin
        if (rst) begin
            os <= S_IDLE;
        end else if (start) begin
            os <= S_IDLE;
            oxo <= {DW{1'b0}};
            need_bias <= 1'b1;
            rph <= {PSB{1'b0}};
            rcnt <= {DW{1'b0}};
            yq <= {DW{1'b0}};
            orem <= c_out;
            ob <= dst_base;
            bptr <= b_base;
        end else begin
            case (os)
                S_IDLE: begin
                    od <= {CUB{1'b0}};
                    ox <= {XB{1'b0}};
                    if (cap) os <= need_bias ? S_BIAS : S_LANES;
                end
                S_BIAS: begin
                    // read b' of unit od; it arrives next cycle and shifts in from the top
                    if (od != CU_C) bptr <= bptr + 1'b1;
                    if (od != {CUB{1'b0}}) bias_r <= bias_shifted;
                    od <= od + 1'b1;
                    if (od == CU_C) begin
                        os <= S_LANES;
                        need_bias <= 1'b0;
                    end
                end
                S_LANES: begin
                    ox  <= ox + 1'b1;
                    oxo <= row_end ? {DW{1'b0}} : oxo + 1'b1;
                    od  <= {CUB{1'b0}};
                    if (tile_end) os <= (row_end && win_last) ? S_WAIT : S_IDLE;
                end
                S_WAIT: begin
                    // the pool takes the row's last code this cycle
                    wa <= wa_row[AABITS-1:0];
                    os <= S_WRITE;
                end
                S_WRITE: begin
                    wa <= wa_next[AABITS-1:0];
                    // the group's rows are contiguous: the next group starts after its last row
                    if (od == LAST_UNIT && yq_last) ob <= wa + 1'b1;
                    od <= od + 1'b1;
                    if (od == LAST_UNIT) os <= S_IDLE;
                end
                default: os <= S_IDLE;
            endcase
            if (row_done) begin
                rcnt <= ogrp_end ? {DW{1'b0}} : rcnt + 1'b1;
                rph <= (win_last || ogrp_end) ? {PSB{1'b0}} : rph + 1'b1;
                if (ogrp_end) yq <= {DW{1'b0}};
                else if (win_last) yq <= yq + 1'b1;
                if (ogrp_end) begin
                    orem <= orem - {{(DW - CUB) {1'b0}}, CU_C};
                    need_bias <= 1'b1;
                end
            end
        end
    end

    // per unit: shadow multiplexer -> requant -> code register -> pool
    reg pv, p_row_start, p_win_first, p_win_last;
    always @(posedge clk) begin
        pv <= (os == S_LANES) & ~rst;
        p_row_start <= oxo == {DW{1'b0}};
        p_win_first <= rph == {PSB{1'b0}};
        p_win_last <= win_last;
    end

    wire [CU*ROWW*TMAX-1:0] rows;
    wire [CU*(ACC+1)-1:0] sums;
    generate
        for (gd = 0; gd < CU; gd = gd + 1) begin : g_out
            wire [ACC-1:0] vsel;
            e3ne_mux #(
                .N (COLS),
                .W (ACC),
                .SB(XB)
            ) u_lane_mux (
                .d  (shadow[gd*COLS*ACC+:COLS*ACC]),
                .sel(ox),
                .y  (vsel)
            );
            wire [TMAX-1:0] code;
            e3ne_requant #(
                .ACC  (ACC),
                .TMAX (TMAX),
                .KBITS(KBITS),
                .TBITS(TBITS)
            ) u_requant (
                .v(vsel),
                .bias(bias_r[gd*(ACC+1)+:ACC+1]),
                .shift(shift),
                .t_out(t_out),
                .sum(sums[gd*(ACC+1)+:ACC+1]),
                .code(code)
            );
            reg [TMAX-1:0] code_q;
            always @(posedge clk) code_q <= code;
            e3ne_pool #(
                .TMAX (TMAX),
                .ROWW (ROWW),
                .PKMAX(PKMAX),
                .PSB  (PSB)
            ) u_pool (
                .clk(clk),
                .mode(pool_mode),
                .size(pool_size),
                .in_valid(pv),
                .in_code(code_q),
                .row_start(p_row_start),
                .win_first(p_win_first),
                .win_last(p_win_last),
                .row(rows[gd*ROWW*TMAX+:ROWW*TMAX])
            );
        end
    endgenerate

    // od < CU while writing, so its low bits suffice to pick the row
    e3ne_mux #(
        .N (CU),
        .W (ROWW * TMAX),
        .SB(UB)
    ) u_row_mux (
        .d  (rows),
        .sel(od[UB-1:0]),
        .y  (wr_data)
    );
    assign wr_en = (os == S_WRITE) && ({{DW{1'b0}}, od} < {{CUB{1'b0}}, orem});
    assign wr_addr = wa;

    // ------------------------------------------------------------------ done
    reg active;
    wire quiet = ~run & ~v1 & ~v2 & (os == S_IDLE) & ~start;
    assign done = active & quiet;
    always @(posedge clk) begin
        if (rst) active <= 1'b0;
        else if (start) active <= 1'b1;
        else if (quiet) active <= 1'b0;
    end

    wire unused_ok = &{1'b0, cb_next, q_next, wa_row, wa_next, t_in_m1, sums, 1'b0};

`ifdef E3NE_TRACE
    // C <layer> <g> <r> <tile> <t> <v0> ... : potentials after each timestep of a row-tile
    reg [DW-1:0] tr_g1, tr_r1, tr_tile1, tr_g2, tr_r2, tr_tile2;
    reg [TIB-1:0] tr_b1, tr_b2;
    reg tr_ts1, tr_ts2;
    integer tn;
    always @(posedge clk) begin
        tr_g1 <= g;
        tr_r1 <= r;
        tr_tile1 <= tile;
        tr_b1 <= b;
        tr_ts1 <= ts_end;
        tr_g2 <= tr_g1;
        tr_r2 <= tr_r1;
        tr_tile2 <= tr_tile1;
        tr_b2 <= tr_b1;
        tr_ts2 <= tr_ts1;
        if (v2 && tr_ts2 && !rst) begin
            $fwrite(trace_fd, "C %0d %0d %0d %0d %0d", trace_layer, tr_g2, tr_r2, tr_tile2,
                    t_in_m1 - {{(TBITS - TIB) {1'b0}}, tr_b2});
            for (tn = 0; tn < NL; tn = tn + 1) $fwrite(trace_fd, " %0d", $signed(vn[tn*ACC+:ACC]));
            $fwrite(trace_fd, "\n");
        end
    end
`endif
endmodule
