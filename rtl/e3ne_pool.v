// e3ne_pool: streaming pooling of one conv unit's output codes, and the row assembly register
// (docs/hardware.md 3, docs/numerics.md 2.5).
//
// Codes arrive one per cycle, left to right, row after row. Windows are P x P with stride P and
// no padding, in floor mode: a window is finished only by its bottom-right code, so the codes of
// an incomplete window at the right edge never reach a slot, and the parent stores only rows whose
// window is complete. Max pooling keeps running maxima, average pooling running sums and finishes
// with (sum + 2^(m-1)) >> m, P*P = 2^m. mode 0 (no pooling) runs with P = 1.
//
// Horizontal partials live in one register; the partials of the P rows of a window row live in a
// line buffer of LB words (read and written at the same word: LUT RAM), the window x' of a row in
// word lb_base + x'. The conv engine streams the rows of several channels (its slots) through one
// unit in turn, each with a region of its own (lb_base = s*SW), so LB = max(ROWW, COLS) + 1 there.
// Finished codes go to slot x' of `row`, the word the parent writes to the activation memory;
// writing slot 0 clears the other slots, so codes at positions >= w_store are zero.
// The linear engine uses one instance with PKMAX = 1 to pack its codes into words.
//
// Three pipeline stages, so `row` holds a code LAT = 3 clock edges after it came in (the parents
// write the row two cycles later than they would with one stage):
//   A  the horizontal partial (a running value, so it stays in one stage) and the line buffer word;
//   B  the line buffer read, the vertical max or sum, its write back; the slot decoded;
//   C  average pooling's rounding shift, and the code into its slot of `row`.
// A window's line buffer word is read and written in B, and read again only a row later.
module e3ne_pool #(
    parameter TMAX  = 4,
    parameter ROWW  = 8,
    parameter PKMAX = 2,
    parameter LB    = ROWW + 1,           // line buffer words
    parameter PSB   = $clog2(PKMAX + 1),  // width of the window side P
    parameter LBB   = (LB > 1) ? $clog2(LB) : 1
) (
    input  wire                 clk,
    input  wire [          1:0] mode,       // 0 none, 1 max, 2 average (layer constant)
    input  wire [      PSB-1:0] size,       // P, 1 .. PKMAX (layer constant)
    input  wire                 in_valid,
    input  wire [     TMAX-1:0] in_code,
    input  wire                 row_start,  // in_code is the first code of its row
    input  wire                 win_first,  // the row is the first of its window row (r % P == 0)
    input  wire                 win_last,   // the row is the last (r % P == P-1)
    input  wire [      LBB-1:0] lb_base,    // the row's line buffer region (with in_code)
    output reg  [ROWW*TMAX-1:0] row
);
    localparam LP = (PKMAX > 1) ? $clog2(PKMAX) : 0;
    localparam HW = TMAX + LP;  // sum of P codes
    localparam PW = TMAX + 2 * LP;  // sum of P*P codes
    localparam XB = $clog2(ROWW + 1);  // slot x' = 0 .. ROWW

    // ------------------------------------------------------------------ A: horizontal
    reg [PSB-1:0] phase;  // column within the window
    reg [ XB-1:0] xq;  // slot of the window being built
    reg [ HW-1:0] hacc;  // horizontal partial

    wire avg = mode == 2'd2;
    wire [PSB-1:0] ph = row_start ? {PSB{1'b0}} : phase;
    wire [XB-1:0] xs = row_start ? {XB{1'b0}} : xq;
    wire [PSB-1:0] ph_next = ph + 1'b1;
    wire hend = ph_next == size;  // this code finishes the window horizontally

    wire [HW-1:0] code_h = {{LP{1'b0}}, in_code};
    wire [HW-1:0] h_new = (ph == {PSB{1'b0}}) ? code_h :
                          avg ? hacc + code_h : ((hacc > code_h) ? hacc : code_h);

    always @(posedge clk) begin
        if (in_valid) begin
            hacc  <= h_new;
            phase <= hend ? {PSB{1'b0}} : ph_next;
            xq    <= hend ? xs + 1'b1 : xs;
        end
    end

    reg a_v, a_first, a_last;
    reg [HW-1:0] a_h;  // the window's horizontal result
    reg [LBB-1:0] a_la;  // its line buffer word
    reg [XB-1:0] a_xs;  // its slot
    always @(posedge clk) begin
        a_v <= in_valid & hend;
        a_first <= win_first;
        a_last <= win_last;
        a_h <= h_new;
        a_la <= lb_base + {{(LBB - XB) {1'b0}}, xs};  // LB > ROWW: xs fits
        a_xs <= xs;
    end

    // ------------------------------------------------------------------ B: vertical
    reg [PW-1:0] lb[0:LB-1];  // line buffer: partial of each window of the window row
    wire [PW-1:0] h_ext = {{LP{1'b0}}, a_h};
    wire [PW-1:0] lbv = lb[a_la];
    wire [PW-1:0] v_new = a_first ? h_ext : avg ? lbv + h_ext : ((lbv > h_ext) ? lbv : h_ext);
    always @(posedge clk) begin
        if (a_v) lb[a_la] <= v_new;
    end

    reg b_wr;  // the window is finished: its code goes to its slot
    reg [PW-1:0] b_v;
    reg [ROWW-1:0] b_slot;  // one-hot slot
    integer k;
    always @(posedge clk) begin
        b_wr <= a_v & a_last;
        b_v <= v_new;
        for (k = 0; k < ROWW; k = k + 1) b_slot[k] <= a_xs == k[XB-1:0];
    end

    // ------------------------------------------------------------------ C: finish, into the row
    // finished code: b_v, or for average pooling (b_v + 2^(m-1)) >> m with m = 2*log2(P)
    reg [PW-1:0] fin;
    integer e;
    always @* begin
        fin = b_v;
        for (e = 1; e <= LP; e = e + 1) begin
            if (avg && size == (1 << e)) fin = (b_v + (1 << (2 * e - 1))) >> (2 * e);
        end
    end

    always @(posedge clk) begin
        if (b_wr && b_slot[0]) row[TMAX-1:0] <= fin[TMAX-1:0];
    end
    genvar gk;
    generate
        for (gk = 1; gk < ROWW; gk = gk + 1) begin : g_slot
            always @(posedge clk) begin
                if (b_wr && b_slot[0]) row[gk*TMAX+:TMAX] <= {TMAX{1'b0}};
                else if (b_wr && b_slot[gk]) row[gk*TMAX+:TMAX] <= fin[TMAX-1:0];
            end
        end
    endgenerate

    wire unused_fin = &{1'b0, fin, 1'b0};
endmodule
