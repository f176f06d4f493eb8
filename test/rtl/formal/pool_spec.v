// Formal spec of e3ne_pool over whole H x W maps of C channels (docs/numerics.md 2.5, docs/hardware.md
// 3): for all codes, the row register of window row y' of channel c holds, three clock edges after
// the last code of the conv row that ends it, the PyTorch pooling of that window row: slot x' the
// max over the K x K window at (y'*S - P, x'*S - P) (padding is code 0; with CEIL, PyTorch's
// ceil_mode windows), or with MODE = 2 (S = K, P = 0, K*K = 2^m) the average
// (sum + 2^(m-1)) >> m; slots past the pooled width hold 0.
//
// The wrapper drives the unit as the conv engine does: the rows in order, in each row the C
// channels (slots) one after the other, each with a line buffer region of its own (lb_base), its
// codes left to right and then `tail` codes of right padding (in_pad, with a junk code on in_code),
// v_first/v_last per bank from the window rows the row belongs to (window row y' in bank
// y' % PBANKS), and any number of idle cycles between codes (in_valid is free).
module pool_spec #(
    parameter TMAX = 2,
    parameter ROWW = 2,
    parameter PKMAX = 2,
    parameter PBANKS = 1,
    parameter LB = ROWW + 2,
    parameter H = 4,
    parameter W = 4,
    parameter K = 2,
    parameter S = 2,
    parameter P = 0,
    parameter MODE = 1,
    parameter CEIL = 0,
    parameter C = 1
) (
    input wire            clk,
    input wire            in_valid,
    input wire [TMAX-1:0] junk,   // in_code during padding
    input wire [     7:0] sel_in  // which bank's row to look at
);
    localparam PSB = $clog2(PKMAX + 1);
    localparam LBB = (LB > 1) ? $clog2(LB) : 1;
    localparam BKB = (PBANKS > 1) ? $clog2(PBANKS) : 1;
    localparam TAIL = CEIL ? (P + S - 1 < K - 1 ? P + S - 1 : K - 1) : P;  // docs/hardware.md 3
    localparam WP = W + TAIL;  // codes fed per row: the row and its right padding
    // pooled height and width: PyTorch's, floor or ceil mode
    localparam HC = (H + 2 * P - K + (CEIL ? S - 1 : 0)) / S + 1;
    localparam WC = (W + 2 * P - K + (CEIL ? S - 1 : 0)) / S + 1;
    localparam HO = (HC - 1) * S >= H + P ? HC - 1 : HC;
    localparam WO = (WC - 1) * S >= W + P ? WC - 1 : WC;
    localparam REGION = WO + 1;  // line buffer words of a channel

    (* anyconst *) reg [C*H*W*TMAX-1:0] map;
    (* anyconst *) reg [LBB-1:0] base;  // the first channel's region
    always @* assume (base + C * REGION <= LB);

    // ------------------------------------------------------------------ the driver
    reg [7:0] r = 0, c = 0, x = 0;
    reg done = 0;
    wire feed = in_valid && !done;
    always @(posedge clk) begin
        if (feed) begin
            if (x == WP - 1) begin
                x <= 0;
                if (c == C - 1) begin
                    c <= 0;
                    r <= r + 1'b1;
                    if (r == H - 1) done <= 1'b1;
                end else c <= c + 1'b1;
            end else x <= x + 1'b1;
        end
    end
    wire pad = x >= W;
    wire [TMAX-1:0] code = pad ? junk : map[((c*H+r)*W+x)*TMAX+:TMAX];
    wire [LBB-1:0] lb_base = base + c * REGION;

    // window rows of row r: padded row r + P lies in y'*S .. y'*S + K - 1
    reg [PBANKS-1:0] v_first, v_last;
    reg [HO-1:0] ends;  // the window rows row r finishes
    integer y;
    always @* begin
        v_first = 0;
        v_last = 0;
        ends = 0;
        for (y = 0; y < HO; y = y + 1) begin
            if (y * S <= r + P && r + P <= y * S + K - 1) begin
                if (r + P == y * S || r == 0) v_first[y%PBANKS] = 1'b1;
                if (r + P == y * S + K - 1 || r == H - 1) begin
                    v_last[y%PBANKS] = 1'b1;
                    ends[y] = 1'b1;
                end
            end
        end
    end

    wire [PSB-1:0] size = K, stride = S, first_end = K - 1 - P;
    wire [BKB-1:0] sel = sel_in[BKB-1:0];
    wire [ROWW*TMAX-1:0] row;
    e3ne_pool #(.TMAX(TMAX), .ROWW(ROWW), .PKMAX(PKMAX), .PBANKS(PBANKS), .LB(LB)) dut (
        .clk(clk), .mode(MODE[1:0]), .size(size), .stride(stride), .first_end(first_end),
        .in_valid(feed), .in_pad(pad), .in_code(code), .row_start(x == 0), .v_first(v_first),
        .v_last(v_last), .lb_base(lb_base), .sel(sel), .row(row)
    );

    // ------------------------------------------------------------------ the expected rows
    function [TMAX-1:0] at(input integer cc, input integer yy, input integer xx);  // padded coordinates
        at = (yy < P || yy >= H + P || xx < P || xx >= W + P) ? 0 : map[((cc*H+yy-P)*W+xx-P)*TMAX+:TMAX];
    endfunction
    reg [C*HO*ROWW*TMAX-1:0] want;
    reg [TMAX+7:0] acc;
    integer wc, wy, wx, i, j;
    always @* begin
        want = 0;
        for (wc = 0; wc < C; wc = wc + 1)
        for (wy = 0; wy < HO; wy = wy + 1) begin
            for (wx = 0; wx < WO && wx < ROWW; wx = wx + 1) begin
                acc = 0;
                for (i = 0; i < K; i = i + 1) begin
                    for (j = 0; j < K; j = j + 1) begin
                        if (MODE == 2) acc = acc + at(wc, wy * S + i, wx * S + j);
                        else if (at(wc, wy * S + i, wx * S + j) > acc) acc = at(wc, wy * S + i, wx * S + j);
                    end
                end
                if (MODE == 2 && K > 1) acc = (acc + K * K / 2) >> $clog2(K * K);
                want[((wc*HO+wy)*ROWW+wx)*TMAX+:TMAX] = acc;
            end
        end
    end

    // the window rows finished by the last code fed three edges ago, and its channel
    reg [HO-1:0] p1 = 0, p2 = 0, p3 = 0;
    reg [7:0] c1, c2, c3;
    always @(posedge clk) begin
        p1 <= (feed && x == WP - 1) ? ends : {HO{1'b0}};
        p2 <= p1;
        p3 <= p2;
        c1 <= c;
        c2 <= c1;
        c3 <= c2;
    end
    genvar gy;
    generate
        for (gy = 0; gy < HO; gy = gy + 1) begin : g_check
            always @* begin
                assume (sel_in < PBANKS);
                if (p3[gy] && sel == gy % PBANKS) assert (row == want[(c3*HO+gy)*ROWW*TMAX+:ROWW*TMAX]);
            end
        end
    endgenerate
endmodule
