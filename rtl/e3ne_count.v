// e3ne_count: a loop counter 0 .. n-1 whose "last" flag is a register.
//
// The engines' loop levels step when the level below is at its last, and the stall test looks
// at the last flags of all of them, so an equality test (count + 1 == n) on each would put an
// adder and a comparator before every enable of the sequencer. Here the test is made one step
// ahead (count + 2 == n as the count steps, n == 1 as it clears), off the enable's path.
module e3ne_count #(
    parameter W = 16
) (
    input  wire         clk,
    input  wire         clear,  // count <= 0 (before step)
    input  wire         step,   // count <= last ? 0 : count + 1
    input  wire [W-1:0] n,      // the bound, at least 1, held while counting
    output reg  [W-1:0] count,
    output reg          last    // count == n - 1
);
    localparam [W:0] TWO = 2;
    wire [W:0] ahead = {1'b0, count} + TWO;
    wire wrap = clear | last;  // what the registers take does not depend on step: it is their enable
    always @(posedge clk) begin
        if (clear || step) begin
            count <= wrap ? {W{1'b0}} : count + 1'b1;
            last  <= wrap ? ({1'b0, n} == {{W{1'b0}}, 1'b1}) : (ahead == {1'b0, n});
        end
    end
endmodule
