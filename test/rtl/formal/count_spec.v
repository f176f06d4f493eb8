// Formal spec of e3ne_count: a loop counter 0 .. n-1 (docs/hardware.md 3). After a clear, count
// is the number of steps since the clear modulo n, and last is high exactly while count = n - 1,
// n the bound at the clear: n is at least 1 and changes only with a clear. The counter has no
// reset: the first cycle clears.
module count_spec #(
    parameter W = 3
) (
    input wire         clk,
    input wire         clear,
    input wire         step,
    input wire [W-1:0] n
);
    wire [W-1:0] count;
    wire last;
    e3ne_count #(.W(W)) dut (.clk(clk), .clear(clear), .step(step), .n(n), .count(count), .last(last));

    reg cleared = 0;
    reg [W-1:0] n_clr;  // n at the last clear
    reg [W-1:0] want = 0;  // the spec's count
    always @(posedge clk) begin
        if (clear) n_clr <= n;
        if (clear) cleared <= 1'b1;
        if (clear) want <= 0;
        else if (step) want <= (want + 1 == n_clr) ? 0 : want + 1'b1;
    end
    always @* begin
        assume (cleared || clear);
        assume (n != 0);
        if (cleared && !clear) assume (n == n_clr);
        if (cleared) begin
            assert (want < n_clr);  // makes the proof inductive: count stays below n
            assert (count == want);
            assert (last == (want + 1 == n_clr));
        end
    end
endmodule
