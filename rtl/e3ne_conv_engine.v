// e3ne_conv_engine: the conv engine of docs/hardware.md section 3.
//
// CU conv units of COLS lanes. A layer with S channel slots (S of SLOT_SET, SW = COLS / S lanes
// per slot) computes CU*S output channels at once: lane x of unit d is column xc = x % SW of slot
// s = x / SW and accumulates output (g*CU*S + s*CU + d, r, tile*SW + xc); lanes x >= S*SW idle.
// S = 1 is one channel per unit, SW = COLS; with S > 1 a row fits one tile (w_out <= SW).
// The loop nest g / r / tile / t / c / i / j runs one tap-step per cycle through the 4-stage
// pipeline of e3ne_step_pipe (shared with the linear engine); this file adds what is particular
// to convolution:
//
//   S0  sequencer: counters and running sums give the step's row address (read at j = 0, one
//       word = the input row (c, y) as the bit plane of timestep t). The step pipe walks the
//       weight addresses: the group's taps in order, from the group's base each timestep.
//   S1  the memories answer (the core registers the plane, the step pipe the weights).
//   S2  at j = 0 the window register loads the tile's segment of the plane (coarse offset
//       tile*sw*COLS, fine offset -pw: win0), at j > 0 it shifts by one column.
//   S3  every lane adds its weight (field seg(x)*CU + d of the ROM word, seg(x) the lane's weight
//       segment: e3ne_segments.vh) if window bit xc*sw is set.
//
// The sequencer never waits for a row fetch: the read for tap row i+1 is issued in the step after
// the last column of row i. After the last step of a (g, r, tile) the potentials are copied to
// shadow registers and the output stage streams them, slot after slot, lane by lane through a
// requant and a pool unit per conv unit, while the lanes already accumulate the next row-tile. The
// sequencer holds the last step of a row-tile while the output stage is busy (or a copy is in
// flight), which is the only stall. Row-tile period = max(steps, output-stage cycles + 4); see
// e3ne.engine.cycles.
//
// Grouped mode (a grouped or depthwise convolution, c_span != 0): group g's channel loop runs only
// the c_span input channels of its band, whose rows start at src_base + g*band_step (a running sum
// stepped at each group's end); the weight ROM holds each group's band, so the weight walk is as is.
//
// No multipliers: every address is a running sum, every bound an equality test on a counter.
module e3ne_conv_engine #(
    parameter TMAX = 4,  // bits per code of an activation word
    parameter ROWW = 8,  // codes per activation word
    parameter COLS = 8,  // lanes (output columns) per conv unit
    parameter CU = 2,  // conv units: output channels computed at once (per slot)
    parameter SLOTS = 1,  // the most channel slots of a layer
    parameter [SLOTS:0] SLOT_SET = 2,  // the slot counts S of the layers, bit S set
    parameter WSEGS = 1,  // weight segments: fields per unit of the ROM word (e3ne_segments.vh)
    parameter WB = 8,  // weight bits
    parameter ACC = 16,  // accumulator bits
    parameter KMAX = 5,  // the largest kernel side, stride, padding and pooling window
    parameter SMAX = 2,
    parameter PMAX = 2,
    parameter PKMAX = 2,
    parameter PBANKS = 1,  // pool line buffer banks: the most window rows open at once
    parameter DW = 16,  // width of counts (channels, rows, columns, groups, tiles)
    parameter AABITS = 6,  // address bits: activation memory, conv weight ROM, bias ROM
    parameter CWABITS = 4,
    parameter BABITS = 4,
    parameter KBITS = 8,  // width of the signed shift k
    parameter SIGNED = 0,  // 1: layers may read signed input codes (in_signed)
    parameter TBITS = $clog2(TMAX + 1),
    parameter TIB = (TMAX > 1) ? $clog2(TMAX) : 1,
    parameter KB = $clog2(KMAX + 1),
    parameter SB = $clog2(SMAX + 1),
    parameter PB = (PMAX > 0) ? $clog2(PMAX + 1) : 1,
    parameter PSB = $clog2(PKMAX + 1),
    parameter SLB = $clog2(SLOTS + 1),
    parameter BKB = (PBANKS > 1) ? $clog2(PBANKS) : 1
) (
    input wire clk,
    input wire rst,
    input wire start,
    output wire done,
    // the conv layer's descriptor (docs/hardware.md 2.5), held by the controller while it runs
    input wire [AABITS-1:0] src_base,  // input row (c, y) at src_base + c*h_in + y
    input wire [AABITS-1:0] dst_base,  // stored row (o, y') at dst_base + o*h_store + y'
    input wire [DW-1:0] c_in,
    // grouped mode (a grouped or depthwise convolution): group g's channel loop runs the c_span input
    // channels of its band, rows from src_base + g*band_step; c_span = 0 is the dense mode (all c_in)
    input wire [DW-1:0] c_span,
    input wire [AABITS-1:0] band_step,
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
    input wire [11:0] pool_step,  // pooling stride S, padding before (<< 4) and after (<< 8)
    input wire [CWABITS-1:0] w_base,  // weight ROM layout: docs/hardware.md 2.2
    input wire [BABITS-1:0] b_base,  // b' of channel o at b_base + o
    input wire [DW-1:0] groups,  // ceil(c_out / (CU*S))
    input wire [DW-1:0] col_tiles,  // ceil(w_out / SW)
    input wire [DW-1:0] h_store,  // stored rows: the pooled height
    input wire [SLB-1:0] slots,  // S (slot_width, COLS / S, follows from it: see swc)
    input wire [1:0] raw,  // bit 0: the last layer, V + b of each channel to the output port; bit 1: max(V + b, 0)
    input wire in_signed,  // the input codes are signed: the first bit plane subtracts
    input wire out_signed,  // the layer writes signed codes (no ReLU): the requant clamps signed
    // activation memory: the read returns bit plane rd_bit of the word at rd_addr, one cycle later
    // (the memory reads every cycle; the window takes the plane after a step that loads)
    output wire [AABITS-1:0] rd_addr,
    output wire [TIB-1:0] rd_bit,
    output wire rd_zero,  // read zeros instead: a padding row
    input wire [ROWW-1:0] rd_plane,
    output wire wr_en,
    output wire [AABITS-1:0] wr_addr,
    output wire [ROWW*TMAX-1:0] wr_data,  // a stored row: codes x' < w_store, zeros above
`ifdef E3NE_TRACE
    // simulation only: the trace file and the layer's number
    input wire [31:0] trace_fd,
    input wire [15:0] trace_layer,
`endif
    // ROMs (data one cycle after the address)
    output wire [CWABITS-1:0] cw_addr,
    input wire [CU*WSEGS*WB-1:0] cw_data,
    input wire cw_ok,  // the step's weight word is there (weights from DRAM; else 1)
    output wire [CWABITS-1:0] cw_step,
    output wire [CWABITS-1:0] cw_gbase,
    output wire [BABITS-1:0] b_addr,
    input wire [ACC:0] b_data,
    // raw output of the last layer
    output reg out_valid,
    output reg [15:0] out_index,
    output reg [ACC-1:0] out_data
);
    localparam WW = (COLS - 1) * SMAX + KMAX;  // window: lane x at tap j reads bit x*sw + j
    localparam NTQ = (ROWW + PMAX + COLS - 1) / COLS;  // tiles start at q*COLS - pw, q < NTQ
    localparam QB = (NTQ > 1) ? $clog2(NTQ) : 1;
    localparam EXTW = (NTQ - 1) * COLS + WW + PMAX;  // plane with PMAX zeros below, zeros above
    localparam XB = (COLS > 1) ? $clog2(COLS) : 1;
    localparam UB = (CU > 1) ? $clog2(CU) : 1;  // unit index 0 .. CU-1
    localparam YB = DW + 2;  // signed input row index
    localparam MW = (DW > AABITS) ? DW : AABITS;
    localparam XB1 = $clog2(COLS + 1);  // lane index 0 .. COLS
    // pool line buffer: slot s from s*(SW + 1), as padding gives a pooled row up to w_out + 1 windows
    localparam LB = (ROWW + 1 > COLS + SLOTS) ? ROWW + 1 : COLS + SLOTS;
    localparam LBB = $clog2(LB);
    localparam UB1 = $clog2(CU + 1);  // bias counter 0 .. CU

    // ------------------------------------------------------------------ slot count
    // slot_sel[n-1]: the layer runs n slots. The smallest slot count of SLOT_SET is the default
    // (its bit is constant 1; a larger selected n takes priority), so a build with one slot count
    // decodes nothing. Per n, the lanes per slot COLS / n is a constant. Both are registered from
    // the controller's `slots`, which is set well before the layer starts.
`include "e3ne_segments.vh"
    localparam integer FIRST = e3ne_first_slot(SLOT_MASK);
    wire [SLOTS-1:0] slot_dec;
    reg [SLOTS-1:0] slot_sel;
    wire [SLOTS*XB1-1:0] sw_n;  // entry n-1: COLS / n
    genvar gn;
    generate
        for (gn = 1; gn <= SLOTS; gn = gn + 1) begin : g_slot_sel
            localparam [SLB-1:0] N = gn;
            localparam integer SWN = COLS / gn;
            assign sw_n[(gn-1)*XB1+:XB1] = SWN[XB1-1:0];
            if (SLOT_SET[gn] == 1'b0) begin : g_no
                assign slot_dec[gn-1] = 1'b0;
            end else if (gn == FIRST) begin : g_first
                assign slot_dec[gn-1] = 1'b1;
            end else begin : g_cmp
                assign slot_dec[gn-1] = slots == N;
            end
        end
    endgenerate
    reg [XB1-1:0] swc_dec;
    integer n;
    always @* begin
        swc_dec = sw_n[0+:XB1];
        for (n = 2; n <= SLOTS; n = n + 1) begin
            if (slot_dec[n-1]) swc_dec = sw_n[(n-1)*XB1+:XB1];
        end
    end
    reg [XB1-1:0] swc;  // lanes per slot, SW = COLS / S (the descriptor's slot_width)
    always @(posedge clk) begin
        slot_sel <= slot_dec;
        swc <= swc_dec;
    end

    // ------------------------------------------------------------------ S0: sequencer
    // g and t are e3ne_step_pipe's; here the row, the tile and the taps (e3ne_count: each level's
    // last flag is a register, so the stall test and the enables are a few gates from flip-flops)
    wire [DW-1:0] r, tile, c;
    wire [KB-1:0] i, j;
    wire j_last, i_last, c_last, tile_last, r_last;
    reg [YB-1:0] yb;  // r*sh - ph
    reg [YB-1:0] y;  // yb + i
    reg [AABITS-1:0] cb;  // band + c*h_in
    reg [AABITS-1:0] band;  // src_base + g*band_step: row 0 of the group's first input channel
    reg [AABITS-1:0] band_nx;  // band + band_step
    reg [DW-1:0] span;  // channels of the channel loop: c_span, or c_in (dense)
    reg [QB-1:0] q;  // tile*sw
    wire issue;  // the step is taken
    wire t_last;  // the step is in the last timestep

    wire ts_end = j_last & i_last & c_last;  // last step of a timestep
    wire load = j == {KB{1'b0}};  // the step reads its input row
    wire tile_step = issue & ts_end & t_last;
    e3ne_count #(.W(KB)) u_j (.clk(clk), .clear(start), .step(issue), .n(kw), .count(j), .last(j_last));
    e3ne_count #(.W(KB)) u_i (.clk(clk), .clear(start), .step(issue & j_last), .n(kh), .count(i), .last(i_last));
    e3ne_count #(.W(DW)) u_c (
        .clk(clk), .clear(start), .step(issue & j_last & i_last), .n(span), .count(c), .last(c_last)
    );
    e3ne_count #(.W(DW)) u_tile (
        .clk(clk), .clear(start), .step(tile_step), .n(col_tiles), .count(tile), .last(tile_last)
    );
    e3ne_count #(.W(DW)) u_r (
        .clk(clk), .clear(start), .step(tile_step & tile_last), .n(h_out), .count(r), .last(r_last)
    );

    wire [YB-1:0] ph_neg = {YB{1'b0}} - {{(YB - PB) {1'b0}}, ph};
    wire [YB-1:0] yb_next = yb + {{(YB - SB) {1'b0}}, sh};
    wire [MW-1:0] cb_next = {{(MW - AABITS) {1'b0}}, cb} + {{(MW - DW) {1'b0}}, h_in};
    wire [QB+SB-1:0] q_next = {{SB{1'b0}}, q} + {{QB{1'b0}}, sw};

    // the running sums of the loop levels. The row address cb + y and whether row y lies outside
    // the map are registered with them (computed from the values they take), so the memory's
    // address and its zero input come from flip-flops.
    reg [AABITS-1:0] row_addr;  // cb + y
    reg y_outside;  // y < 0 or y >= h_in: a padding row
    reg [YB-1:0] y_nx;  // y and cb after the last column of the kernel row
    reg [AABITS-1:0] cb_nx;
    always @* begin
        y_nx  = y + 1'b1;
        cb_nx = cb;
        if (i_last) begin
            y_nx  = yb;
            cb_nx = c_last ? (t_last && tile_last && r_last ? band_nx : band) : cb_next[AABITS-1:0];
            if (c_last && t_last && tile_last) y_nx = r_last ? ph_neg : yb_next;
        end
    end
    function automatic outside(input [YB-1:0] row, input [DW-1:0] height);
        outside = row[YB-1] | (row >= {2'b00, height});
    endfunction

    assign rd_addr = row_addr;
    assign rd_zero = y_outside;

    // span and band_nx are registered: the descriptor is set well before the start, the first group
    // may end with the first step (band_nx is set with the start), and two group ends are never back
    // to back (a row-tile's last step waits for the previous one's copy)
    always @(posedge clk) begin
        span <= (c_span == {DW{1'b0}}) ? c_in : c_span;
        band_nx <= (start ? src_base : band) + band_step;
    end

    always @(posedge clk) begin
        if (start) begin
            yb <= ph_neg;
            y <= ph_neg;
            q <= {QB{1'b0}};
            cb <= src_base;
            band <= src_base;
            row_addr <= src_base + ph_neg[AABITS-1:0];
            y_outside <= outside(ph_neg, h_in);
        end else if (issue && j_last) begin
            y <= y_nx;
            cb <= cb_nx;
            row_addr <= cb_nx + y_nx[AABITS-1:0];
            y_outside <= outside(y_nx, h_in);
            if (i_last && c_last && t_last && tile_last && r_last) band <= band_nx;  // the next group's band
            if (i_last && c_last && t_last) begin
                if (!tile_last) begin
                    q <= q_next[QB-1:0];
                end else begin
                    q <= {QB{1'b0}};
                    yb <= r_last ? ph_neg : yb_next;
                end
            end
        end
    end

    // ------------------------------------------------------------------ S2: window contents
    reg [QB-1:0] q1, q2;
    always @(posedge clk) begin
        q1 <= q;
        q2 <= q1;
    end

    // win0[p] = plane[q2*COLS + p - pw]: a coarse multiplexer over the tile offset, then a fine
    // one over the padding; positions outside the plane read zero.
    reg [EXTW-1:0] pext;
    reg [WW+PMAX-1:0] sega;
    reg [WW-1:0] win0;
    integer k;
    always @* begin
        pext = {EXTW{1'b0}};
        pext[PMAX+:ROWW] = rd_plane;
        sega = pext[0+:WW+PMAX];
        for (k = 1; k < NTQ; k = k + 1) if (q2 == k[QB-1:0]) sega = pext[k*COLS+:WW+PMAX];
        win0 = sega[PMAX+:WW];
        for (k = 1; k <= PMAX; k = k + 1) if (pw == k[PB-1:0]) win0 = sega[PMAX-k+:WW];
    end

    // ------------------------------------------------------------------ output stage
    // Per row-tile, for each slot s: its CU biases (read from the ROM, one per cycle), its lanes
    // (the real columns of the tile), after the row's last column the pool's right padding (TAIL:
    // `ptail` codes 0) and, if window rows end with the row, one cycle for the pool and CU writes
    // per finished window row (a raw layer: CU values on the output port instead). The slots end
    // at the last one holding a real channel.
    localparam [2:0] S_IDLE = 3'd0, S_BIAS = 3'd1, S_LANES = 3'd2, S_WAIT = 3'd3, S_WRITE = 3'd4, S_TAIL = 3'd5;
    reg [2:0] os;
    reg [XB-1:0] ox;  // lane being read: column xc of slot s is lane s*SW + xc
    reg [XB-1:0] rx;  // lane entering the requant: one ahead of ox (its first stage is an add)
    reg [XB1-1:0] obase;  // lane of the slot's column 0, s*SW
    reg [XB1-1:0] oend;  // the lane past the slot, obase + SW
    reg ox_last;  // ox + 1 == oend
    wire [DW-1:0] oxo;  // output column tile*SW + xc
    wire row_end;  // oxo is the row's last column
    reg [SLB-1:0] bsl;  // the slot s
    reg slot_last;  // the slot is the last to walk: s = S - 1, or no real channel after it
    reg [UB1-1:0] od;  // bias word being loaded (BIAS) or unit being written (WRITE)
    wire [DW-1:0] rcnt;  // r
    wire ogrp_end;  // r = h_out - 1
    reg [DW-1:0] yq;  // the first window row that ends with row r (the stored row written first)
    reg [DW-1:0] orem;  // channels left from the group's first: c_out - g*CU*S
    reg [DW-1:0] srem;  // from the slot's first: unit d is real iff d < srem
    reg [AABITS-1:0] ob;  // dst_base + g*CU*S*h_store
    reg [AABITS-1:0] wa;  // stored row yq of the unit being written
    reg [BKB:0] wf;  // the window row being written: yq + wf
    reg [BKB-1:0] wbk;  // its line buffer bank
    reg [BABITS-1:0] bgrp;  // b' of the group's first channel
    reg [BABITS-1:0] bptr;  // the bias word read next
    reg [15:0] och;  // the slot's first channel (raw output index)
    // b' of the slot's CU channels: a shift register the CU words enter at the top, so unit d's
    // ends in word d
    reg [CU*(ACC+1)-1:0] bias_r;
    wire cap;  // the row-tile's potentials go to the shadow registers
    wire [CU*(ACC+1)-1:0] bias_shifted;
    generate
        if (CU > 1) begin : g_bias_shift
            assign bias_shifted = {b_data, bias_r[CU*(ACC+1)-1:ACC+1]};
        end else begin : g_bias_one
            assign bias_shifted = b_data;
        end
    endgenerate

    // ---- the pool's window rows (docs/hardware.md 3): which end with row r, which start
    // Window row yo covers rows yo*S - p .. yo*S - p + K - 1 and keeps its partials in bank
    // yo % PBANKS. Per bank: live (a window row is open), age (rows since its first, padding rows
    // included); nb is the bank of the next window row to open, sc the rows until it opens. Row 0
    // starts from the state after the top padding (init, a constant of the layer, registered);
    // each finished row steps it. A window row ends at age K-1, or with the map's last row if it
    // reaches at most `ptail` rows into the bottom padding (else it is not a stored row).
    localparam VB = PSB + BKB + 1;  // b*S for b <= PBANKS
    wire [PSB+3:0] st_x = {{PSB{1'b0}}, pool_step[3:0]};  // 4-bit fields, as wide as K
    wire [PSB+3:0] pd_x = {{PSB{1'b0}}, pool_step[7:4]};
    wire [PSB+3:0] tl_x = {{PSB{1'b0}}, pool_step[11:8]};
    wire [PSB-1:0] pstride = st_x[PSB-1:0];
    wire [PSB-1:0] ppad = pd_x[PSB-1:0];
    wire [PSB-1:0] ptail = tl_x[PSB-1:0];
    wire unused_step = &{1'b0, st_x, pd_x, tl_x, 1'b0};
    reg [PSB-1:0] km1;  // K - 1
    reg [PSB-1:0] pfirst;  // K - 1 - p: the column (row) that ends the first window
    reg tail_on;  // ptail > 0
    reg [PBANKS-1:0] i_live, v_live;
    reg [PBANKS*PSB-1:0] i_age, v_age;
    reg [BKB-1:0] i_nb, v_nb;
    reg [PSB-1:0] i_sc, v_sc;
    reg fresh;  // the next row is a group's row 0: the state is init
    reg [VB-1:0] bs;
    reg [PBANKS-1:0] c_live;
    reg [PBANKS*PSB-1:0] c_age;
    reg [BKB-1:0] c_nb;
    reg [PSB-1:0] c_sc;
    integer b;
    always @* begin
        bs = {VB{1'b0}};
        c_live = {PBANKS{1'b0}};
        c_age = {(PBANKS * PSB) {1'b0}};
        c_nb = {BKB{1'b0}};
        c_sc = pstride;
        for (b = 0; b < PBANKS; b = b + 1) begin
            if (bs <= {{(VB - PSB) {1'b0}}, ppad}) begin
                // window row b opened in the top padding, p - b*S rows before row 0
                c_live[b] = 1'b1;
                c_age[b*PSB+:PSB] = ppad - bs[PSB-1:0];
                c_nb = (b == PBANKS - 1) ? {BKB{1'b0}} : b[BKB-1:0] + 1'b1;
                c_sc = bs[PSB-1:0] + pstride - ppad;
            end
            bs = bs + {{(VB - PSB) {1'b0}}, pstride};
        end
    end
    always @(posedge clk) begin
        km1 <= pool_size - 1'b1;
        pfirst <= pool_size - 1'b1 - ppad;
        tail_on <= ptail != {PSB{1'b0}};
        i_live <= c_live;
        i_age <= c_age;
        i_nb <= c_nb;
        i_sc <= c_sc;
    end
    wire [PBANKS-1:0] e_live = fresh ? i_live : v_live;
    wire [PBANKS*PSB-1:0] e_age = fresh ? i_age : v_age;
    wire [BKB-1:0] e_nb = fresh ? i_nb : v_nb;
    wire [PSB-1:0] e_sc = fresh ? i_sc : v_sc;
    reg [PBANKS-1:0] vf, vl;  // row r is the first / the last of the bank's window row
    reg [BKB:0] nfin_c;
    reg [PSB:0] age_t;
    always @* begin
        nfin_c = {(BKB + 1) {1'b0}};
        for (b = 0; b < PBANKS; b = b + 1) begin
            age_t = {1'b0, e_age[b*PSB+:PSB]} + {1'b0, ptail};
            vf[b] = fresh | (e_age[b*PSB+:PSB] == {PSB{1'b0}});
            vl[b] = e_live[b] & ((e_age[b*PSB+:PSB] == km1) | (ogrp_end & (age_t >= {1'b0, km1})));
            nfin_c = nfin_c + {{BKB{1'b0}}, vl[b]};
        end
    end
    reg [BKB:0] nfin;  // window rows that end with row r (registered: the state holds for a row)
    reg [PBANKS-1:0] p_vf, p_vl;
    reg [BKB-1:0] bq;  // bank of window row yq
    always @(posedge clk) begin
        nfin <= nfin_c;
        p_vf <= vf;
        p_vl <= vl;
    end
    wire stored = nfin != {(BKB + 1) {1'b0}};  // row r ends a window row: the row's writes follow

    localparam integer LU = CU - 1;
    localparam [UB1-1:0] LAST_UNIT = LU[UB1-1:0];
    localparam [UB1-1:0] CU_U = CU[UB1-1:0];
    localparam integer CUI = CU;
    localparam [DW-1:0] CU_D = CUI[DW-1:0];
    localparam [15:0] CU_16 = CUI[15:0];
    localparam integer PBI = PBANKS - 1;
    localparam [BKB-1:0] LAST_BANK = PBI[BKB-1:0];
    // The state machine's tests are registered flags (e3ne_count and the *_last registers), each
    // computed as its counter steps. One slot count: constants (nothing costs logic when SLOTS = 1).
    localparam [XB1:0] TWO_X = 2;
    localparam [SLB:0] TWO_S = 2;
    wire [XB1:0] ox_ahead = {{(XB1 + 1 - XB) {1'b0}}, ox} + TWO_X;
    wire tile_end = ox_last | row_end;
    wire slot_first = (SLOTS == 1) || (bsl == {SLB{1'b0}});
    wire [SLB:0] bsl_ahead = {1'b0, bsl} + TWO_S;
    wire [BKB:0] wf_next = wf + 1'b1;
    wire wf_last = wf_next == nfin;  // the unit's last window row
    wire [DW-1:0] nfin_d = {{(DW - BKB - 1) {1'b0}}, nfin};
    wire yq_last = (yq + nfin_d) == h_store;  // the rows written are the map's last
    wire [DW-1:0] srem_next = (srem > CU_D) ? srem - CU_D : {DW{1'b0}};
    wire [MW-1:0] wa_row = {{(MW - AABITS) {1'b0}}, ob} + {{(MW - DW) {1'b0}}, yq};
    wire [MW-1:0] wa_next = {{(MW - AABITS) {1'b0}}, wa} + {{(MW - DW) {1'b0}}, h_store};
    wire [AABITS-1:0] wa_row_end = wa + {{(AABITS - BKB - 1) {1'b0}}, wf_next};
    reg [PSB-1:0] tcnt;  // tail code being fed, 1 .. ptail
    wire tail_done = tcnt == ptail;
    // a slot's output ends after its last lane (no tail, no stored row), its tail, or its last write
    wire slot_end = (os == S_LANES && tile_end && !(row_end && (stored || tail_on))) ||
                    (os == S_TAIL && tail_done && !stored) || (os == S_WRITE && od == LAST_UNIT && wf_last);
    wire row_done = slot_end && slot_last && (os == S_WRITE || os == S_TAIL || row_end);
    wire next_slot = slot_end && !slot_last;
    wire swc_one = swc == {{(XB1 - 1) {1'b0}}, 1'b1};

    e3ne_count #(.W(DW)) u_oxo (
        .clk(clk), .clear(start), .step(os == S_LANES), .n(w_out), .count(oxo), .last(row_end)
    );
    e3ne_count #(.W(DW)) u_rcnt (
        .clk(clk), .clear(start), .step(row_done), .n(h_out), .count(rcnt), .last(ogrp_end)
    );

    assign b_addr = bptr;

    always @(posedge clk) begin
        if (rst) begin
            os <= S_IDLE;
        end else if (start) begin
            os <= S_IDLE;
            yq <= {DW{1'b0}};
            bq <= {BKB{1'b0}};
            fresh <= 1'b1;
            orem <= c_out;
            ob <= dst_base;
            bgrp <= b_base;
            bptr <= b_base;
            och <= 16'd0;
        end else begin
            case (os)
                S_IDLE: begin
                    od <= {UB1{1'b0}};
                    ox <= {XB{1'b0}};
                    rx <= {XB{1'b0}};
                    obase <= {XB1{1'b0}};
                    oend <= swc;
                    ox_last <= swc_one;
                    bsl <= {SLB{1'b0}};
                    slot_last <= (SLOTS == 1) || ({1'b0, slots} == {{SLB{1'b0}}, 1'b1}) || (orem <= CU_D);
                    srem <= orem;
                    bptr <= bgrp;  // every row-tile of the group reads the group's biases
                    if (cap) begin
                        os <= S_BIAS;
                        bptr <= bgrp + 1'b1;  // b'[bgrp] is on the ROM's output in the first S_BIAS cycle
                    end
                end
                S_BIAS: begin
                    // b' number od of the slot is on the ROM's output (bptr runs one word ahead)
                    // and shifts in from the top; at od = CU the slot's first lane enters the
                    // requant, whose first stage adds the bias
                    if (od != LAST_UNIT && od != CU_U) bptr <= bptr + 1'b1;
                    if (od != CU_U) bias_r <= bias_shifted;
                    else rx <= rx + 1'b1;
                    od <= od + 1'b1;
                    if (od == CU_U) os <= S_LANES;
                end
                S_LANES: begin
                    ox  <= ox + 1'b1;
                    ox_last <= ox_ahead == {1'b0, oend};
                    rx  <= rx + 1'b1;
                    od  <= {UB1{1'b0}};
                    tcnt <= {{(PSB - 1) {1'b0}}, 1'b1};
                    if (tile_end) begin
                        if (row_end && tail_on) begin
                            os <= S_TAIL;
                        end else if (row_end && stored) begin
                            os <= S_WAIT;
                        end else if (slot_last) begin
                            os <= S_IDLE;
                        end
                    end
                end
                S_TAIL: begin
                    // the pool takes the row's right padding, one code 0 per cycle
                    tcnt <= tcnt + 1'b1;
                    if (tail_done) begin
                        if (stored) os <= S_WAIT;
                        else if (slot_last) os <= S_IDLE;
                    end
                end
                S_WAIT: begin
                    // the pool takes the row's last code this cycle; slot 0 starts the row's writes,
                    // later slots go on from the last address (channel s*CU at wa + h_store)
                    if (slot_first) wa <= wa_row[AABITS-1:0];
                    wf <= {(BKB + 1) {1'b0}};
                    wbk <= bq;
                    os <= S_WRITE;
                end
                S_WRITE: begin
                    // unit od writes its window rows yq + wf (banks bq + wf), then the next unit
                    if (wf_last) begin
                        wa <= wa_next[AABITS-1:0];
                        wf <= {(BKB + 1) {1'b0}};
                        wbk <= bq;
                        od <= od + 1'b1;
                    end else begin
                        wf <= wf_next;
                        wbk <= (wbk == LAST_BANK) ? {BKB{1'b0}} : wbk + 1'b1;
                    end
                    if (od == LAST_UNIT && wf_last) begin
                        och <= och + CU_16;
                        if (slot_last) begin
                            os <= S_IDLE;
                            // the group's rows are contiguous: the next group starts after its last
                            if (yq_last) ob <= wa_row_end;
                        end
                    end
                end
                default: os <= S_IDLE;
            endcase
            if (next_slot) begin  // its biases, then its lanes
                os <= S_BIAS;
                od <= {UB1{1'b0}};
                ox <= oend[XB-1:0];
                ox_last <= swc_one;
                rx <= oend[XB-1:0];
                bptr <= bptr + 1'b1;  // the slot's first word is on the ROM's output
                obase <= oend;
                oend <= oend + swc;
                bsl <= bsl + 1'b1;
                slot_last <= (bsl_ahead == {1'b0, slots}) || (srem_next <= CU_D);
                srem <= srem_next;
            end
            if (row_done) begin
                // the window rows step to row r + 1 (a new group: back to init)
                fresh <= ogrp_end;
                for (b = 0; b < PBANKS; b = b + 1) begin
                    v_live[b] <= e_live[b] & (e_age[b*PSB+:PSB] != km1);
                    v_age[b*PSB+:PSB] <= e_age[b*PSB+:PSB] + 1'b1;
                end
                if (e_sc == {{(PSB - 1) {1'b0}}, 1'b1}) begin  // a window row opens with row r + 1
                    v_live[e_nb] <= 1'b1;
                    v_age[e_nb*PSB+:PSB] <= {PSB{1'b0}};
                    v_nb <= (e_nb == LAST_BANK) ? {BKB{1'b0}} : e_nb + 1'b1;
                    v_sc <= pstride;
                end else begin
                    v_nb <= e_nb;
                    v_sc <= e_sc - 1'b1;
                end
                if (ogrp_end) begin
                    yq <= {DW{1'b0}};
                    bq <= {BKB{1'b0}};
                end else if (stored) begin  // one window row ends with a row before the last
                    yq <= yq + 1'b1;
                    bq <= (bq == LAST_BANK) ? {BKB{1'b0}} : bq + 1'b1;
                end
                if (ogrp_end) begin
                    orem <= srem_next;
                    bgrp <= bptr;  // past the group's last bias word
                end
            end
        end
    end

    // ------------------------------------------------------------------ step pipeline
    // window, lanes and shadow registers; per unit a chain shadow multiplexer -> requant -> code
    wire [CU*(ACC+1)-1:0] sums;
    wire [CU*TMAX-1:0] codes;
    e3ne_step_pipe #(
        .UNITS(CU),
        .COLS(COLS),
        .OUTS(CU),
        .WW(WW),
        .SMAX(SMAX),
        .WB(WB),
        .ACC(ACC),
        .TMAX(TMAX),
        .DW(DW),
        .KBITS(KBITS),
        .WABITS(CWABITS),
        .SLOTS(SLOTS),
        .SLOT_SET(SLOT_SET),
        .WSEGS(WSEGS),
        .SIGNED(SIGNED)
`ifdef E3NE_TRACE
        ,
        .NF(2),
        .TAG("C")
`endif
    ) u_pipe (
        .clk(clk),
        .rst(rst),
        .start(start),
        .ts_first((c == {DW{1'b0}}) & (i == {KB{1'b0}}) & load),
        .ts_last(ts_end),
        .grp_tail(tile_last & r_last),
        .load(load),
        .issue(issue),
        .w_addr(cw_addr),
        .w_data(cw_data),
        .w_ok(cw_ok),
        .w_step(cw_step),
        .w_gbase(cw_gbase),
        .groups(groups),
        .t_in(t_in),
        .in_signed(in_signed),
        .w_base(w_base),
        .t_bit(rd_bit),
        .t_last(t_last),
        .win0(win0),
        .stride(sw),
        .slot_sel(slot_sel),
        .out_busy(os != S_IDLE),
        .out_idle((os == S_IDLE) & ~wv1 & ~wv2),
        .cap(cap),
        .sel(rx),
        .bias(bias_r),
        .shift(shift),
        .t_out(t_out),
        .out_signed(out_signed),
        .sum(sums),
        .code(codes),
        .done(done)
`ifdef E3NE_TRACE
        ,
        .trace_fd(trace_fd),
        .trace_layer(trace_layer),
        .trace_pos({tile, r})
`endif
    );

    // per unit: code -> pool; then the units' window rows are written one per cycle
    reg pv, p_pad, p_row_start;
    reg [LBB-1:0] p_lb;  // the slot's line buffer region starts at s*(SW + 1)
    always @(posedge clk) begin
        pv <= ((os == S_LANES) | (os == S_TAIL)) & ~rst;
        p_pad <= os == S_TAIL;
        p_row_start <= (oxo == {DW{1'b0}}) & (os == S_LANES);
        p_lb <= (SLOTS > 1) ? {{(LBB - XB1) {1'b0}}, obase} + {{(LBB - SLB) {1'b0}}, bsl} : {LBB{1'b0}};
    end

    // The pool's rows lag its codes by two cycles more than S_WAIT covers (e3ne_pool's stages B
    // and C), so each write of S_WRITE reaches the memory two cycles later (w1, w2).
    wire unit_real = {{(DW - UB1) {1'b0}}, od} < srem;
    reg wv1, wv2, we1, we2;  // the output stage was busy (done waits for its writes), a write
    reg [AABITS-1:0] wa1, wa2;
    reg [UB-1:0] wd1, wd2;  // the unit (od < CU while writing, so its low bits suffice)
    reg [BKB-1:0] wb1, wb2;  // the bank of the window row written
    always @(posedge clk) begin
        wv1 <= (os != S_IDLE) & ~rst;
        we1 <= (os == S_WRITE) && unit_real && !raw[0] && !rst;
        wa1 <= wa + {{(AABITS - BKB - 1) {1'b0}}, wf};
        wd1 <= od[UB-1:0];
        wb1 <= wbk;
        wv2 <= wv1 & ~rst;
        we2 <= we1 & ~rst;
        wa2 <= wa1;
        wd2 <= wd1;
        wb2 <= wb1;
    end

    wire [CU*ROWW*TMAX-1:0] rows;
    genvar gd;
    generate
        for (gd = 0; gd < CU; gd = gd + 1) begin : g_out
            e3ne_pool #(
                .TMAX  (TMAX),
                .ROWW  (ROWW),
                .PKMAX (PKMAX),
                .PBANKS(PBANKS),
                .LB    (LB),
                .PSB   (PSB)
            ) u_pool (
                .clk(clk),
                .mode(pool_mode),
                .size(pool_size),
                .stride(pstride),
                .first_end(pfirst),
                .in_valid(pv),
                .in_pad(p_pad),
                .in_code(codes[gd*TMAX+:TMAX]),
                .row_start(p_row_start),
                .v_first(p_vf),
                .v_last(p_vl),
                .lb_base(p_lb),
                .sel(wb2),
                .row(rows[gd*ROWW*TMAX+:ROWW*TMAX])
            );
        end
    endgenerate
    e3ne_mux #(
        .N (CU),
        .W (ROWW * TMAX),
        .SB(UB)
    ) u_row_mux (
        .d  (rows),
        .sel(wd2),
        .y  (wr_data)
    );
    assign wr_en = we2;
    assign wr_addr = wa2;

    // raw last layer (one output position): the CU sums of the slot's lane, taken in S_LANES,
    // leave one per cycle in S_WRITE, channel och + d
    reg [CU*(ACC+1)-1:0] raw_r;
    always @(posedge clk) if (os == S_LANES) raw_r <= sums;
    wire [ACC:0] raw_sum;
    e3ne_mux #(
        .N (CU),
        .W (ACC + 1),
        .SB(UB)
    ) u_raw_mux (
        .d  (raw_r),
        .sel(od[UB-1:0]),
        .y  (raw_sum)
    );
    always @(posedge clk) begin
        out_valid <= (os == S_WRITE) && unit_real && raw[0] && !rst;
        out_index <= och + {{(16 - UB1) {1'b0}}, od};
        out_data <= (raw[1] && raw_sum[ACC-1]) ? {ACC{1'b0}} : raw_sum[ACC-1:0];  // V + b fits ACC bits
    end

    wire unused_ok = &{1'b0, cb_next, q_next, wa_row, wa_next, raw_sum[ACC], rcnt, 1'b0};
    wire unused_pos = &{1'b0, r, tile, 1'b0};  // traced only
endmodule
