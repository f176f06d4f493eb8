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

    reg [PSB-1:0] phase;  // column within the window
    reg [ XB-1:0] xq;  // slot of the window being built
    reg [ HW-1:0] hacc;  // horizontal partial
    reg [ PW-1:0] lb   [0:LB-1];  // line buffer: partial of each window of the window row

    wire avg = mode == 2'd2;
    wire [PSB-1:0] ph = row_start ? {PSB{1'b0}} : phase;
    wire [XB-1:0] xs = row_start ? {XB{1'b0}} : xq;
    wire [PSB-1:0] ph_next = ph + 1'b1;
    wire hend = ph_next == size;  // this code finishes the window horizontally

    wire [HW-1:0] code_h = {{LP{1'b0}}, in_code};
    wire [HW-1:0] h_new = (ph == {PSB{1'b0}}) ? code_h :
                          avg ? hacc + code_h : ((hacc > code_h) ? hacc : code_h);
    wire [PW-1:0] h_ext = {{LP{1'b0}}, h_new};
    wire [LBB-1:0] la = lb_base + {{(LBB - XB) {1'b0}}, xs};  // LB > ROWW: xs fits
    wire [PW-1:0] lbv = lb[la];
    wire [PW-1:0] v_new = win_first ? h_ext : avg ? lbv + h_ext : ((lbv > h_ext) ? lbv : h_ext);

    // finished code: v_new, or for average pooling (v_new + 2^(m-1)) >> m with m = 2*log2(P)
    reg [PW-1:0] fin;
    integer e;
    always @* begin
        fin = v_new;
        for (e = 1; e <= LP; e = e + 1) begin
            if (avg && size == (1 << e)) fin = (v_new + (1 << (2 * e - 1))) >> (2 * e);
        end
    end

    always @(posedge clk) begin
        if (in_valid) begin
            hacc  <= h_new;
            phase <= hend ? {PSB{1'b0}} : ph_next;
            xq    <= hend ? xs + 1'b1 : xs;
        end
    end

    always @(posedge clk) begin
        if (in_valid && hend) lb[la] <= v_new;
    end

    wire wr = in_valid && hend && win_last;
    always @(posedge clk) begin
        if (wr && xs == {XB{1'b0}}) row[TMAX-1:0] <= fin[TMAX-1:0];
    end
    genvar k;
    generate
        for (k = 1; k < ROWW; k = k + 1) begin : g_slot
            localparam [XB-1:0] K = k;
            always @(posedge clk) begin
                if (wr && xs == {XB{1'b0}}) row[k*TMAX+:TMAX] <= {TMAX{1'b0}};
                else if (wr && xs == K) row[k*TMAX+:TMAX] <= fin[TMAX-1:0];
            end
        end
    endgenerate

    wire unused_fin = &{1'b0, fin, 1'b0};
endmodule
