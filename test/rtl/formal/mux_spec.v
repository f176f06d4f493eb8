// Formal spec of e3ne_mux: y is word `sel` of d, and 0 when sel names no word (sel >= N).
module mux_spec #(
    parameter N = 3,
    parameter W = 2
) (
    input wire [N*W-1:0] d,
    input wire [(N > 1 ? $clog2(N) : 1)-1:0] sel
);
    localparam SB = (N > 1) ? $clog2(N) : 1;
    wire [W-1:0] y;
    e3ne_mux #(.N(N), .W(W), .SB(SB)) dut (.d(d), .sel(sel), .y(y));

    reg [W-1:0] want;
    integer i;
    always @* begin
        want = {W{1'b0}};
        for (i = 0; i < N; i = i + 1) if (sel == i) want = d[i*W+:W];
    end
    always @* assert (y == want);
endmodule
