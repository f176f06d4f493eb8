// e3ne_mux: N-way multiplexer of W-bit words, a balanced tree per output bit.
//
// Used for the serial readout of the shadow registers and for choosing which unit's row is
// written. Written as an indexed bit select per output bit, which synthesis maps to LUT6/MUXF7/
// MUXF8 trees; a chain of "if (sel == k)" would map to a priority chain about 2.5x larger.
module e3ne_mux #(
    parameter N  = 4,
    parameter W  = 8,
    parameter SB = (N > 1) ? $clog2(N) : 1
) (
    input  wire [N*W-1:0] d,    // word k in bits [k*W +: W]
    input  wire [ SB-1:0] sel,
    output wire [  W-1:0] y
);
    localparam NP = 1 << SB;
    genvar b, k;
    generate
        for (b = 0; b < W; b = b + 1) begin : g_bit
            wire [NP-1:0] col;
            for (k = 0; k < NP; k = k + 1) begin : g_in
                if (k < N) begin : g_d
                    assign col[k] = d[k*W+b];
                end else begin : g_z
                    assign col[k] = 1'b0;
                end
            end
            assign y[b] = col[sel];
        end
    endgenerate
endmodule
