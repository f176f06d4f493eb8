// e3ne_step_pipe: the step pipeline that the conv and the linear engine are both built around
// (docs/hardware.md 3, 4): the group and timestep levels of the loop nest, the stall test, the
// weight addresses, the window, the lanes with their shadow registers, the serial readout through
// the requant units, and `done`. An engine adds the loop levels particular to it (and the
// activation reads they make), what the window loads, and its output stage.
//
// Both loop nests are "for each group g: ... for each timestep t: <inner levels>" with levels of
// their own between g and t (conv: row, tile; linear: none). The engine's sequencer says where
// its step is: `ts_first` / `ts_last` (first / last step of the inner levels c, i, j or f),
// `grp_tail` (its outer levels are at their last: the last row-tile of the group), `load` (the
// step reads a new activation word); it moves on when `issue` is set.
//
//   S0  this module keeps g and the bit plane t_bit = t_in-1-t of the step (MSB first). The step
//       issues unless it is the last of a row-tile or group while the output stage is busy with
//       the previous potentials or they are still on their way to the shadow registers: the
//       engines' only stall. The weight address runs through the group's weights, back to the
//       group's base after each timestep and row-tile.
//   S1  the memories answer: the activation word read in S0 and the weight ROM word are
//       registered as they leave the block RAMs (their clock-to-output is most of a cycle), the
//       activation plane by the core, the weights here (w_q, in S2).
//   S2  the window register loads `win0` (the engine's segment of the plane read in S0) at a load
//       step and otherwise shifts by one column.
//   S3  lane x of unit u adds its weight if its window bit is set (e3ne_lane): with S channel
//       slots (the conv engine's; S = 1 in the linear engine) and SW = COLS / S, lane x is
//       column xc = x % SW of slot x / SW and reads window bit xc*stride; lanes x >= S*SW are
//       idle (no spikes). Its weight is field seg(x)*UNITS + u of the ROM word, seg(x) its weight
//       segment (e3ne_segments.vh): the compiler writes the weight of the segment's slot there,
//       so the field does not depend on S. After the last step (cap) the lanes clear and the
//       shadow registers take the potentials, so the output stage reads them while the lanes
//       accumulate the next row-tile or group.
//
// Readout: OUTS chains shadow multiplexer -> e3ne_requant; chain k reads lanes k*RN ... k*RN+RN-1
// (RN = UNITS*COLS/OUTS), lane `sel` of them with `bias`: `sum` (V + b') follows one cycle later
// and `code` two (the requant's two stages). The conv engine has a chain per unit (UNITS = OUTS =
// CU, RN = COLS), the linear engine one for all its neurons (UNITS = LANES, COLS = OUTS = 1).
//
// `done` rises for one cycle once, after a start, the sequencer, the pipeline and the output
// stage (`out_idle`) have all finished.
module e3ne_step_pipe #(
    parameter UNITS = 2,  // weights per step: conv units, or linear neurons
    parameter COLS = 8,  // lanes per unit (1 in the linear engine)
    parameter OUTS = 2,  // readout chains, a divisor of UNITS*COLS
    parameter WW = 8,  // window bits, at least (COLS-1)*SMAX + 1
    parameter SMAX = 1,  // largest stride
    parameter WB = 8,
    parameter ACC = 16,
    parameter TMAX = 4,
    parameter DW = 16,  // width of counts
    parameter KBITS = 8,
    parameter WABITS = 4,  // weight ROM address bits
    parameter SLOTS = 1,  // the most channel slots
    parameter [SLOTS:0] SLOT_SET = 2,  // the slot counts, bit S set (they cut the lanes into weight segments)
    parameter WSEGS = 1,  // weight segments (fields per unit of w_data): e3ne_segments.vh
    parameter SIGNED = 0,  // 1: the lanes can subtract (signed input codes, in_signed)
    parameter TBITS = $clog2(TMAX + 1),
    parameter TIB = (TMAX > 1) ? $clog2(TMAX) : 1,
    parameter SB = $clog2(SMAX + 1),
    parameter RSB = (UNITS * COLS / OUTS > 1) ? $clog2(UNITS * COLS / OUTS) : 1
`ifdef E3NE_TRACE
    ,
    parameter NF = 0,  // the engine's loop counters printed between g and t
    parameter TAG = "C"  // line tag
`endif
) (
    input wire clk,
    input wire rst,
    input wire start,
    // S0: where the sequencer's step is, and whether it is taken
    input wire ts_first,
    input wire ts_last,
    input wire grp_tail,
    input wire load,
    output wire issue,
    // the step's weights: the ROM returns w_data one cycle after w_addr
    output reg [WABITS-1:0] w_addr,
    input wire [UNITS*WSEGS*WB-1:0] w_data,  // field k = seg*UNITS + u in bits [k*WB +: WB]
    // weights from DRAM (e3ne_wfetch): the step waits until its word w_step is in the cache
    // (w_ok; 1 with a weight ROM); w_gbase, the group's first word, frees the cache words before it
    input wire w_ok,
    output wire [WABITS-1:0] w_step,
    output wire [WABITS-1:0] w_gbase,
    // the layer (held while it runs), and the group and timestep levels
    input wire [DW-1:0] groups,
    input wire [TBITS-1:0] t_in,
    input wire in_signed,  // signed input codes: the first plane (the sign bit) weighs -2^(t_in-1)
    input wire [WABITS-1:0] w_base,
    output reg [TIB-1:0] t_bit,  // the step's bit plane, t_in-1-t
    output wire t_last,
    // S1, S2: window and lanes
    input wire [WW-1:0] win0,
    input wire [SB-1:0] stride,
    // the layer runs slot_sel[n-1] ? n slots : fewer (the engine sets the bit of the smallest slot
    // count it supports, so a build with one slot count decodes nothing)
    input wire [SLOTS-1:0] slot_sel,
    // output stage
    input wire out_busy,  // cannot take the next potentials yet
    input wire out_idle,  // nothing left in flight
    output wire cap,  // the shadow registers take the potentials at this edge
    input wire [RSB-1:0] sel,
    input wire [OUTS*(ACC+1)-1:0] bias,
    input wire [KBITS-1:0] shift,
    input wire [TBITS-1:0] t_out,
    input wire out_signed,  // the layer writes signed codes (no ReLU)
    output wire [OUTS*(ACC+1)-1:0] sum,
    output wire [OUTS*TMAX-1:0] code,
    output wire done
`ifdef E3NE_TRACE
    ,
    input wire [31:0] trace_fd,
    input wire [15:0] trace_layer,
    input wire [(NF > 0 ? NF : 1)*DW-1:0] trace_pos  // S0: counter k at [k*DW +: DW]
`endif
);
    localparam NL = UNITS * COLS;
    localparam RN = NL / OUTS;

`include "e3ne_segments.vh"

    // ------------------------------------------------------------------ S0: g, t, issue, weights
    reg run;
    wire [DW-1:0] g;
    wire g_last;
    reg [WABITS-1:0] wp;  // weight address of the step
    reg [WABITS-1:0] gbase;  // weight address of the group's first step
    reg v1, load1, dbl1, last1, neg1;
    reg v2, load2, dbl2, last2, neg2;
    reg v3, dbl3, last3, neg3;

    wire [TBITS-1:0] t_in_m1 = t_in - 1'b1;
    assign t_last = t_bit == {TIB{1'b0}};
    wire acc_last = ts_last & t_last;  // last step of a row-tile or group
    wire grp_last = acc_last & grp_tail;
    assign issue = run & w_ok & ~(acc_last & (out_busy | (v1 & last1) | (v2 & last2) | (v3 & last3)));
    assign w_step = wp;
    assign w_gbase = gbase;

    always @(posedge clk) begin
        if (rst) run <= 1'b0;
        else if (start) run <= 1'b1;
        else if (issue && grp_last && g_last) run <= 1'b0;
    end

    e3ne_count #(.W(DW)) u_g (
        .clk(clk), .clear(start), .step(issue & grp_last), .n(groups), .count(g), .last(g_last)
    );

    always @(posedge clk) begin
        if (start) begin
            t_bit <= t_in_m1[TIB-1:0];
            wp <= w_base;
            gbase <= w_base;
        end else if (issue) begin
            if (ts_last) t_bit <= t_last ? t_in_m1[TIB-1:0] : t_bit - 1'b1;
            w_addr <= wp;
            wp <= (ts_last && !grp_last) ? gbase : wp + 1'b1;
            if (grp_last) gbase <= wp + 1'b1;
        end
    end

    // ------------------------------------------------------------------ S1: memories
    always @(posedge clk) begin
        v1 <= issue & ~rst;
        load1 <= load;
        dbl1 <= ts_first;
        last1 <= acc_last;
        neg1 <= (SIGNED != 0) & in_signed & (t_bit == t_in_m1[TIB-1:0]);  // the sign plane
    end

    // ------------------------------------------------------------------ S2: window
    reg [UNITS*WSEGS*WB-1:0] w_q;  // the step's weights, registered from the ROM
    always @(posedge clk) begin
        v2 <= v1 & ~rst;
        load2 <= load1;
        dbl2 <= dbl1;
        last2 <= last1;
        neg2 <= neg1;
        w_q <= w_data;
    end

    reg [WW-1:0] win;
    always @(posedge clk) begin
        if (v2) win <= load2 ? win0 : win >> 1;
    end

    // ------------------------------------------------------------------ S3: lanes
    always @(posedge clk) begin
        v3 <= v2 & ~rst;
        dbl3 <= dbl2;
        last3 <= last2;
        neg3 <= neg2;
    end
    assign cap = v3 & last3;

    // column bit: window bit xc*stride of column xc
    reg [COLS-1:0] colbit;
    integer x, k;
    always @* begin
        for (x = 0; x < COLS; x = x + 1) begin
            colbit[x] = win[x];
            for (k = 2; k <= SMAX; k = k + 1) if (stride == k[SB-1:0]) colbit[x] = win[x*k];
        end
    end

    // lane x's spike: for each slot count n its column and slot are constants, so it is a
    // multiplexer over slot_sel (the largest selected n wins). Its weights need none: lane x of
    // unit u reads field seg(x)*UNITS + u whatever n is.
    wire [COLS-1:0] s;
    genvar gu, gx;
    generate
        for (gx = 0; gx < COLS; gx = gx + 1) begin : g_map
            reg sx;
            integer n;
            always @* begin
                sx = 1'b0;
                for (n = 1; n <= SLOTS; n = n + 1) begin
                    if (slot_sel[n-1]) begin
                        sx = 1'b0;  // idle: x >= n*SW
                        if (gx < n * (COLS / n)) sx = colbit[gx%(COLS/n)];
                    end
                end
            end
            assign s[gx] = sx;
        end
    endgenerate

    wire [NL*ACC-1:0] vn;  // unit-major: lane (u, x) at (u*COLS + x)*ACC
    generate
        for (gu = 0; gu < UNITS; gu = gu + 1) begin : g_unit
            for (gx = 0; gx < COLS; gx = gx + 1) begin : g_lane
                localparam integer SEG = e3ne_segment(COLS, SLOT_MASK, gx);
                e3ne_lane #(
                    .ACC   (ACC),
                    .WB    (WB),
                    .SIGNED(SIGNED)
                ) u_lane (
                    .clk(clk),
                    .clr(rst | cap),
                    .ce(v3),
                    .dbl(dbl3),
                    .neg(neg3),
                    .s(s[gx]),
                    .w(w_q[(SEG*UNITS+gu)*WB+:WB]),
                    .v_next(vn[(gu*COLS+gx)*ACC+:ACC])
                );
            end
        end
    endgenerate

    reg [NL*ACC-1:0] shadow;
    always @(posedge clk) begin
        if (cap) shadow <= vn;
    end

    // ------------------------------------------------------------------ readout
    generate
        for (gu = 0; gu < OUTS; gu = gu + 1) begin : g_out
            wire [ACC-1:0] vsel;
            e3ne_mux #(
                .N (RN),
                .W (ACC),
                .SB(RSB)
            ) u_lane_mux (
                .d  (shadow[gu*RN*ACC+:RN*ACC]),
                .sel(sel),
                .y  (vsel)
            );
            e3ne_requant #(
                .ACC  (ACC),
                .TMAX (TMAX),
                .KBITS(KBITS),
                .TBITS(TBITS)
            ) u_requant (
                .clk(clk),
                .v(vsel),
                .bias(bias[gu*(ACC+1)+:ACC+1]),
                .shift(shift),
                .t_out(t_out),
                .out_signed(out_signed),
                .sum(sum[gu*(ACC+1)+:ACC+1]),
                .code(code[gu*TMAX+:TMAX])
            );
        end
    endgenerate

    // ------------------------------------------------------------------ done
    reg active;
    wire quiet = ~run & ~v1 & ~v2 & ~v3 & out_idle & ~start;
    assign done = active & quiet;
    always @(posedge clk) begin
        if (rst) active <= 1'b0;
        else if (start) active <= 1'b1;
        else if (quiet) active <= 1'b0;
    end

    wire unused_ok = &{1'b0, stride, t_in_m1, g, 1'b0};  // g: traced only

`ifdef E3NE_TRACE
    // <TAG> <layer> <g> <pos...> <t> <v0> ... : the potentials after each timestep
    reg [DW-1:0] tr_g1, tr_g2, tr_g3;
    reg [(NF > 0 ? NF : 1)*DW-1:0] tr_pos1, tr_pos2, tr_pos3;
    reg [TIB-1:0] tr_b1, tr_b2, tr_b3;
    reg tr_ts1, tr_ts2, tr_ts3;
    integer tn;
    always @(posedge clk) begin
        tr_g1 <= g;
        tr_pos1 <= trace_pos;
        tr_b1 <= t_bit;
        tr_ts1 <= ts_last;
        tr_g2 <= tr_g1;
        tr_pos2 <= tr_pos1;
        tr_b2 <= tr_b1;
        tr_ts2 <= tr_ts1;
        tr_g3 <= tr_g2;
        tr_pos3 <= tr_pos2;
        tr_b3 <= tr_b2;
        tr_ts3 <= tr_ts2;
        if (v3 && tr_ts3 && !rst) begin
            $fwrite(trace_fd, "%s %0d %0d", TAG, trace_layer, tr_g3);
            for (tn = 0; tn < NF; tn = tn + 1) $fwrite(trace_fd, " %0d", tr_pos3[tn*DW+:DW]);
            $fwrite(trace_fd, " %0d", t_in_m1 - {{(TBITS - TIB) {1'b0}}, tr_b3});
            for (tn = 0; tn < NL; tn = tn + 1) $fwrite(trace_fd, " %0d", $signed(vn[tn*ACC+:ACC]));
            $fwrite(trace_fd, "\n");
        end
    end
    wire unused_trace = &{1'b0, tr_pos3, 1'b0};  // NF = 0: nothing between g and t
`endif
endmodule
