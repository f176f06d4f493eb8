// Formal spec of e3ne_lane, one step (docs/numerics.md 2.4, 2.2): V is an integer, and
//   clr:      V <- 0
//   ce:       V <- (dbl ? 2V : V) + (s ? w : 0)        w two's complement, WB bits
//             V <- (dbl ? 2V : V) - (s ? w : 0)        on the sign plane (neg), SIGNED = 1 only
//   else:     V unchanged
// v_next is the value V takes with ce. The width analysis (numerics 2.7) keeps every V within
// ACC bits, so the spec assumes that and asserts the lane holds V exactly, with no wrap. The
// lane has no reset (the engines clear it before its first row): the first cycle clears.
module lane_spec #(
    parameter ACC = 6,
    parameter WB = 3,
    parameter SIGNED = 0
) (
    input wire          clk,
    input wire          clr,
    input wire          ce,
    input wire          dbl,
    input wire          neg,
    input wire          s,
    input wire [WB-1:0] w
);
    localparam RW = ACC + 2;  // 2V + w fits
    wire [ACC-1:0] v_next;
    e3ne_lane #(.ACC(ACC), .WB(WB), .SIGNED(SIGNED)) dut (
        .clk(clk), .clr(clr), .ce(ce), .dbl(dbl), .neg(neg), .s(s), .w(w), .v_next(v_next)
    );

    reg signed [RW-1:0] V = 0;  // the spec's potential
    reg cleared = 0;
    wire signed [RW-1:0] weight = $signed(w);
    wire signed [RW-1:0] term = !s ? 0 : (SIGNED != 0 && neg) ? -weight : weight;
    wire signed [RW-1:0] stepped = (dbl ? V * 2 : V) + term;
    wire signed [RW-1:0] lo = -(1 <<< (ACC - 1));
    wire signed [RW-1:0] hi = (1 <<< (ACC - 1)) - 1;
    always @(posedge clk) begin
        if (clr) cleared <= 1'b1;
        if (clr) V <= 0;
        else if (ce) V <= stepped;
    end
    always @* begin
        assume (cleared || clr);
        assume (stepped >= lo && stepped <= hi);
        if (cleared) assert ($signed(v_next) == stepped);
    end
endmodule
