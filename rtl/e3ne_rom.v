// e3ne_rom: synchronous-read ROM with one cycle of latency, initialised by $readmemh.
//
// Holds the conv weights, linear weights, biases or the layer program (docs/hardware.md 2.2-2.5).
// The read is registered and has no enable or reset, so it maps to block RAM; the rom_style
// attribute (honoured by Yosys's memory_libmap, and by Vivado) makes it block RAM even when it is
// small, where Yosys would otherwise turn the contents into LUT logic: as in the E3NE reference,
// the ROMs are counted as block RAM and the logic does not depend on the weight values. INIT names
// the memory image written by the compiler. keep_hierarchy keeps each ROM a module of its own
// through flattening, so synthesis reports count ROM cells apart from the logic (e3ne.synth).
(* keep_hierarchy = "yes" *)
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
    (* rom_style = "block" *) reg [WIDTH-1:0] mem[0:DEPTH-1];

    initial begin
        if (INIT != "") $readmemh(INIT, mem);
    end

    always @(posedge clk) dout <= mem[addr];
endmodule
