// e3ne_lane: one shift-add accumulator (a conv lane or a linear neuron), docs/numerics.md 2.4.
//
// Per step: V <- (dbl ? 2V : V) + (s ? w : 0). The engines clear V (clr) on the step after the
// last one of a row or group, at the same edge the shadow register takes v_next, so the first
// step of the next row starts from 0 and the accumulator needs no separate "load" mode: each bit
// is one 5-input function (dbl, V[i], V[i-1], s, w[i]) on the carry chain, about one LUT per bit.
// clr goes to the flip-flops' synchronous reset.
//
// SIGNED = 1 (signed input codes, docs/numerics.md 2.2): on the sign plane (neg) the lane subtracts,
// V <- 2V - (s ? w : 0), as V + ~w + 1 (the carry-in). SIGNED = 0 leaves the logic as above.
//
// That needs the carry chain's DI input to be `addend` (shared by the weight bits) rather than
// `base` (a multiplexer of its own per bit). Yosys (alumacc) orders the adder's operands by when
// their wires were created, which here is declaration order seen through the flattening of
// e3ne_step_pipe: `addend` is declared first. The other order costs about one LUT per bit.
module e3ne_lane #(
    parameter ACC = 16,  // accumulator bits (> WB)
    parameter WB  = 8,   // weight bits, two's complement
    parameter SIGNED = 0  // 1: neg subtracts the weight
) (
    input  wire           clk,
    input  wire           clr,     // V <- 0 (takes priority over ce)
    input  wire           ce,      // one step
    input  wire           dbl,     // first step of a later timestep: double V first
    input  wire           neg,     // the sign plane of signed codes: subtract (SIGNED = 1 only)
    input  wire           s,       // input spike
    input  wire [ WB-1:0] w,       // weight
    output wire [ACC-1:0] v_next
);
    reg  [ACC-1:0] v;
    wire           sub = (SIGNED != 0) & neg & s;
    wire [ACC-1:0] addend = s ? ({{(ACC - WB) {w[WB-1]}}, w} ^ {ACC{sub}}) : {ACC{1'b0}};
    wire [ACC-1:0] base = dbl ? {v[ACC-2:0], 1'b0} : v;
    assign v_next = base + addend + {{(ACC - 1) {1'b0}}, sub};

    always @(posedge clk) begin
        if (clr) v <= {ACC{1'b0}};
        else if (ce) v <= v_next;
    end
endmodule
