// Formal spec of e3ne_pool over one whole H x W map (docs/numerics.md 2.5, docs/hardware.md 3):
// for every map of codes, the row register of window row y' holds, three clock edges after the
// last code of the conv row that ends it, the PyTorch pooling of that window row: slot x' the max
// over the K x K window at (y'*S - P, x'*S - P) (padding is code 0), or with MODE = 2 (S = K,
// P = 0, K*K = 2^m) the average (sum + 2^(m-1)) >> m; slots past the pooled width hold 0.
//
// The wrapper drives the unit as the conv engine does: the rows in order, each row's codes left to
// right and then P codes of right padding (in_pad, with a junk code on in_code), v_first/v_last
// per bank from the window rows the row belongs to (window row y' in bank y' % PBANKS), any
// number of idle cycles between codes (in_valid is free), and a line buffer region lb_base.
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
    parameter MODE = 1
) (
    input wire            clk,
    input wire            in_valid,
    input wire [TMAX-1:0] junk,   // in_code during padding
    input wire [     7:0] sel_in  // which bank's row to look at
);
    localparam PSB = $clog2(PKMAX + 1);
    localparam LBB = (LB > 1) ? $clog2(LB) : 1;
    localparam BKB = (PBANKS > 1) ? $clog2(PBANKS) : 1;
    localparam WP = W + P;  // codes fed per row: the row and its right padding (tail)
    localparam HO = (H + 2 * P - K) / S + 1;  // pooled height and width (floor mode)
    localparam WO = (W + 2 * P - K) / S + 1;

    (* anyconst *) reg [H*W*TMAX-1:0] map;
    (* anyconst *) reg [LBB-1:0] lb_base;
    always @* assume (lb_base + ROWW < LB);

    // ------------------------------------------------------------------ the driver
    reg [7:0] r = 0, x = 0;
    reg done = 0;
    wire feed = in_valid && !done;
    always @(posedge clk) begin
        if (feed) begin
            if (x == WP - 1) begin
                x <= 0;
                r <= r + 1'b1;
                if (r == H - 1) done <= 1'b1;
            end else x <= x + 1'b1;
        end
    end
    wire pad = x >= W;
    wire [TMAX-1:0] code = pad ? junk : map[(r*W+x)*TMAX+:TMAX];

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
    function [TMAX-1:0] at(input integer yy, input integer xx);  // padded coordinates
        at = (yy < P || yy >= H + P || xx < P || xx >= W + P) ? 0 : map[((yy-P)*W+xx-P)*TMAX+:TMAX];
    endfunction
    reg [HO*ROWW*TMAX-1:0] want;
    reg [TMAX+7:0] acc;
    integer wy, wx, i, j;
    always @* begin
        want = 0;
        for (wy = 0; wy < HO; wy = wy + 1) begin
            for (wx = 0; wx < WO && wx < ROWW; wx = wx + 1) begin
                acc = 0;
                for (i = 0; i < K; i = i + 1) begin
                    for (j = 0; j < K; j = j + 1) begin
                        if (MODE == 2) acc = acc + at(wy * S + i, wx * S + j);
                        else if (at(wy * S + i, wx * S + j) > acc) acc = at(wy * S + i, wx * S + j);
                    end
                end
                if (MODE == 2 && K > 1) acc = (acc + K * K / 2) >> $clog2(K * K);
                want[(wy*ROWW+wx)*TMAX+:TMAX] = acc;
            end
        end
    end

    // the window rows finished by the last code fed, three edges ago
    reg [HO-1:0] p1 = 0, p2 = 0, p3 = 0;
    always @(posedge clk) begin
        p1 <= (feed && x == WP - 1) ? ends : {HO{1'b0}};
        p2 <= p1;
        p3 <= p2;
    end
    genvar gy;
    generate
        for (gy = 0; gy < HO; gy = gy + 1) begin : g_check
            always @* begin
                assume (sel_in < PBANKS);
                if (p3[gy] && sel == gy % PBANKS) assert (row == want[gy*ROWW*TMAX+:ROWW*TMAX]);
            end
        end
    endgenerate
endmodule
