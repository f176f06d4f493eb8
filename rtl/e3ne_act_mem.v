// e3ne_act_mem: the two ping-pong activation banks (docs/hardware.md 2.1).
//
// Both banks live in one simple-dual-port RAM, the bank bit being the top address bit: a layer
// reads one bank and writes the other, so one read port and one write port serve every layer and
// no bank multiplexer is needed. The read is registered (one cycle of latency, read-first when it
// meets a write of the same address), which synthesis maps to block RAM. rd_zero makes a read
// return zeros: the conv engine's vertical padding rows, done with the RAM's output-register reset.
module e3ne_act_mem #(
    parameter WIDTH = 32,  // ROWW * TMAX
    parameter ADEPTH = 64,  // words per bank
    parameter AABITS = (ADEPTH > 1) ? $clog2(ADEPTH) : 1
) (
    input  wire              clk,
    input  wire              rd_en,
    input  wire              rd_bank,
    input  wire [AABITS-1:0] rd_addr,
    input  wire              rd_zero,
    output reg  [ WIDTH-1:0] rd_data,
    input  wire              wr_en,
    input  wire              wr_bank,
    input  wire [AABITS-1:0] wr_addr,
    input  wire [ WIDTH-1:0] wr_data
);
    reg [WIDTH-1:0] mem[0:(2 << AABITS)-1];

    always @(posedge clk) begin
        if (wr_en) mem[{wr_bank, wr_addr}] <= wr_data;
    end

    always @(posedge clk) begin
        if (rd_en) rd_data <= rd_zero ? {WIDTH{1'b0}} : mem[{rd_bank, rd_addr}];
    end
endmodule
