// e3ne_pool: streaming pooling of one conv unit's output codes, and the row assembly registers
// (docs/hardware.md 3, docs/numerics.md 2.5).
//
// Codes arrive one per cycle, left to right, row after row. Windows are K x K with stride S <= K
// (overlapping when S < K) and padding; the parent feeds a row's right padding as codes 0 after
// its last code (in_pad), and a code 0 is what padding means (codes are >= 0, so it never wins a
// max). Average pooling runs only with S = K and no padding: sums, finished with
// (sum + 2^(m-1)) >> m, K*K = 2^m. mode 0 (no pooling) runs with K = S = 1.
//
// Horizontal: the last K-1 codes of the row sit in a shift register (zeros before the row's first
// code, the left padding), and a window is finished by its last column: the first window ends at
// column first_end = K-1-p, the next ones every S columns; its value is the max (sum) of the code
// and the K-1 before it. Vertical: up to PBANKS window rows are open at once (ceil(K/S)); window
// row yo keeps its partials in line buffer bank yo % PBANKS (LB words each, read and written at
// the same word: LUT RAM), the window x' of a row in word lb_base + x'. The parent says, per row
// and bank, whether the row is the first of the bank's window row (v_first: the partial restarts)
// and whether it finishes it (v_last: the codes go to the bank's row register). The conv engine
// streams the rows of several channels (its slots) through one unit in turn, each with a region
// of its own (lb_base = s*(SW + 1): with padding a pooled row has up to w_out + 1 windows), so
// LB = max(ROWW + 1, COLS + SLOTS) there.
// Finished codes go to slot x' of the bank's row register; `row` is the one of bank `sel`, the
// word the parent writes to the activation memory; writing slot 0 clears the other slots, so
// codes at positions >= w_store are zero.
// The linear engine uses one instance with PKMAX = 1 to pack its codes into words.
//
// Three pipeline stages, so a row holds a code LAT = 3 clock edges after it came in (the parents
// write the row two cycles later than they would with one stage):
//   A  the horizontal window value (from the code and the shift register) and its line buffer word;
//   B  the line buffer reads, the vertical max or sum per bank, their write back; the slot decoded;
//   C  average pooling's rounding shift, and the codes into their slots of the banks' rows.
// A window's line buffer word is read and written in B, and read again only a row later.
module e3ne_pool #(
    parameter TMAX   = 4,
    parameter ROWW   = 8,
    parameter PKMAX  = 2,
    parameter PBANKS = 1,                     // line buffer banks: window rows open at once
    parameter LB     = ROWW + 1,              // line buffer words per bank
    parameter PSB    = $clog2(PKMAX + 1),     // width of the window side K
    parameter LBB    = (LB > 1) ? $clog2(LB) : 1,
    parameter BKB    = (PBANKS > 1) ? $clog2(PBANKS) : 1
) (
    input  wire                 clk,
    input  wire [          1:0] mode,       // 0 none, 1 max, 2 average (layer constant)
    input  wire [      PSB-1:0] size,       // K, 1 .. PKMAX (layer constant)
    input  wire [      PSB-1:0] stride,     // S, 1 .. K (layer constant)
    input  wire [      PSB-1:0] first_end,  // K-1-p: the column that ends the first window
    input  wire                 in_valid,
    input  wire                 in_pad,     // the code is right padding: 0
    input  wire [     TMAX-1:0] in_code,
    input  wire                 row_start,  // in_code is the first code of its row
    input  wire [   PBANKS-1:0] v_first,    // per bank: the row is its window row's first
    input  wire [   PBANKS-1:0] v_last,     // per bank: the row finishes its window row
    input  wire [      LBB-1:0] lb_base,    // the row's line buffer region (with in_code)
    input  wire [      BKB-1:0] sel,        // the bank whose row is on `row`
    output wire [ROWW*TMAX-1:0] row
);
    localparam LP = (PKMAX > 1) ? $clog2(PKMAX) : 0;
    localparam HW = TMAX + LP;  // sum of K codes
    localparam PW = TMAX + 2 * LP;  // sum of K*K codes
    localparam XB = $clog2(ROWW + 1);  // slot x' = 0 .. ROWW
    localparam NSR = (PKMAX > 1) ? PKMAX - 1 : 1;  // codes kept before the current one

    // ------------------------------------------------------------------ A: horizontal
    reg [PSB-1:0] cd;  // columns until the next window ends
    reg [ XB-1:0] xq;  // slot of the next window to end
    reg [NSR*TMAX-1:0] sr;  // the previous codes of the row, newest in the low bits

    wire avg = mode == 2'd2;
    wire [TMAX-1:0] code = in_pad ? {TMAX{1'b0}} : in_code;
    wire [PSB-1:0] cdn = row_start ? first_end : cd;
    wire [XB-1:0] xs = row_start ? {XB{1'b0}} : xq;
    wire hend = cdn == {PSB{1'b0}};  // this code finishes a window horizontally

    // the window's value: the code and the K-1 codes before it (zeros before the row)
    reg [HW-1:0] h_new;
    reg [HW-1:0] h_prev;
    integer k;
    always @* begin
        h_new = {{LP{1'b0}}, code};
        h_prev = {HW{1'b0}};
        for (k = 0; k < PKMAX - 1; k = k + 1) begin
            h_prev = {{LP{1'b0}}, sr[k*TMAX+:TMAX]};
            if (!row_start && k + 1 < {{(32 - PSB) {1'b0}}, size}) begin
                h_new = avg ? h_new + h_prev : ((h_new > h_prev) ? h_new : h_prev);
            end
        end
    end

    always @(posedge clk) begin
        if (in_valid) begin
            cd <= hend ? stride - 1'b1 : cdn - 1'b1;
            xq <= hend ? xs + 1'b1 : xs;
        end
    end
    generate
        if (PKMAX > 2) begin : g_sr_long
            always @(posedge clk) begin
                if (in_valid) sr <= {row_start ? {((NSR - 1) * TMAX) {1'b0}} : sr[0+:(NSR-1)*TMAX], code};
            end
        end else begin : g_sr_one
            always @(posedge clk) if (in_valid) sr <= code;
        end
    endgenerate

    wire unused_sr = &{1'b0, sr, h_prev, 1'b0};  // PKMAX = 1: no code before the current one

    reg a_v;
    reg [PBANKS-1:0] a_first, a_last;
    reg [HW-1:0] a_h;  // the window's horizontal result
    reg [LBB-1:0] a_la;  // its line buffer word
    reg [XB-1:0] a_xs;  // its slot
    always @(posedge clk) begin
        a_v <= in_valid & hend;
        a_first <= v_first;
        a_last <= v_last;
        a_h <= h_new;
        a_la <= lb_base + {{(LBB - XB) {1'b0}}, xs};  // LB > ROWW: xs fits
        a_xs <= xs;
    end

    // ------------------------------------------------------------------ B and C, per bank
    wire [PW-1:0] h_ext = {{LP{1'b0}}, a_h};
    reg [ROWW-1:0] b_slot;  // one-hot slot
    integer s;
    always @(posedge clk) begin
        for (s = 0; s < ROWW; s = s + 1) b_slot[s] <= a_xs == s[XB-1:0];
    end

    wire [PBANKS*ROWW*TMAX-1:0] rows;
    genvar gb, gk;
    generate
        for (gb = 0; gb < PBANKS; gb = gb + 1) begin : g_bank
            reg [PW-1:0] lb[0:LB-1];  // partial of each window of the bank's window row
            wire [PW-1:0] lbv = lb[a_la];
            wire [PW-1:0] v_new = a_first[gb] ? h_ext : avg ? lbv + h_ext : ((lbv > h_ext) ? lbv : h_ext);
            always @(posedge clk) begin
                if (a_v) lb[a_la] <= v_new;
            end

            reg b_wr;  // the window is finished: its code goes to its slot
            reg [PW-1:0] b_v;
            always @(posedge clk) begin
                b_wr <= a_v & a_last[gb];
                b_v  <= v_new;
            end

            // finished code: b_v, or for average pooling (b_v + 2^(m-1)) >> m with m = 2*log2(K)
            reg [PW-1:0] fin;
            integer e;
            always @* begin
                fin = b_v;
                for (e = 1; e <= LP; e = e + 1) begin
                    if (avg && size == (1 << e)) fin = (b_v + (1 << (2 * e - 1))) >> (2 * e);
                end
            end

            reg [ROWW*TMAX-1:0] brow;
            always @(posedge clk) begin
                if (b_wr && b_slot[0]) brow[TMAX-1:0] <= fin[TMAX-1:0];
            end
            for (gk = 1; gk < ROWW; gk = gk + 1) begin : g_slot
                always @(posedge clk) begin
                    if (b_wr && b_slot[0]) brow[gk*TMAX+:TMAX] <= {TMAX{1'b0}};
                    else if (b_wr && b_slot[gk]) brow[gk*TMAX+:TMAX] <= fin[TMAX-1:0];
                end
            end
            assign rows[gb*ROWW*TMAX+:ROWW*TMAX] = brow;
            wire unused_fin = &{1'b0, fin, 1'b0};
        end
    endgenerate

    e3ne_mux #(
        .N (PBANKS),
        .W (ROWW * TMAX),
        .SB(BKB)
    ) u_bank_mux (
        .d  (rows),
        .sel(sel),
        .y  (row)
    );
endmodule
