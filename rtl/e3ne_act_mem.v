// e3ne_act_mem: the two activation banks (docs/hardware.md 2.1).
//
// Both banks live in one simple-dual-port RAM, the bank bit being the top address bit: a layer
// reads from one place and writes to another (the compiler's allocator keeps them apart, in one
// bank or two), so one read port and one write port serve every layer and no bank multiplexer is
// needed. The read is registered (one cycle of latency, read-first when it
// meets a write of the same address), which synthesis maps to block RAM. It has no enable: the
// engines take the data only after a step that reads (e3ne_step_pipe), so the port reads every cycle
// and the engines' stall test stays off the memory's enable. The conv engine's vertical padding
// rows read zeros: the core clears the plane it registers from rd_data.
module e3ne_act_mem #(
    parameter WIDTH = 32,  // ROWW * TMAX
    parameter ADEPTH = 64,  // words per bank
    parameter AABITS = (ADEPTH > 1) ? $clog2(ADEPTH) : 1
) (
    input  wire              clk,
    input  wire              rd_bank,
    input  wire [AABITS-1:0] rd_addr,
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
        rd_data <= mem[{rd_bank, rd_addr}];
    end
endmodule
