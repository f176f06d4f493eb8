// e3ne_rom: synchronous-read ROM with one cycle of latency, initialised by $readmemh.
//
// Holds the conv weights, linear weights, biases or the layer program (docs/hardware.md 2.2-2.5).
// The read is registered and has no enable or reset, so synthesis maps it to block RAM (or to
// LUT RAM when it is small); INIT names the memory image written by the compiler.
module e3ne_rom #(
    parameter WIDTH = 8,
    parameter DEPTH = 16,
    parameter INIT = "",
    parameter ABITS = (DEPTH > 1) ? $clog2(DEPTH) : 1
) (
    input  wire             clk,
    input  wire [ABITS-1:0] addr,
    output reg  [WIDTH-1:0] dout
);
    reg [WIDTH-1:0] mem[0:DEPTH-1];

    initial begin
        if (INIT != "") $readmemh(INIT, mem);
    end

    always @(posedge clk) dout <= mem[addr];
endmodule
