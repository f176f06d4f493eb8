// e3ne_controller: walks the layer program (docs/hardware.md 2.5 and 5).
//
// For layer l it reads the descriptor words l*32 + 0 .. l*32 + NF-1 from the program ROM (one
// per cycle, NF+1 cycles with the ROM latency) into field registers, each only as wide as the
// engines need, then pulses the start of the engine that `kind` names and waits for its done.
// KIND_END ends the program: `done` pulses and the controller is idle (busy low) again.
// The field indices and the field capture come from e3ne_descriptor.vh, generated from the
// compiler's schema (e3ne.engine.schema); the words past NF are spare.
module e3ne_controller #(
    parameter PABITS = 6,  // program ROM address bits (the ROM holds at least two descriptors)
    parameter AABITS = 6,
    parameter WABITS = 4,  // widest weight ROM address
    parameter BABITS = 4,
    parameter DW = 16,
    parameter KBITS = 8,
    parameter TBITS = 3,
    parameter KB = 3,
    parameter SB = 2,
    parameter PB = 2,
    parameter PSB = 2,
    parameter SLB = 1
) (
    input wire clk,
    input wire rst,
    input wire start,
    output wire busy,
    output reg done,
    output wire [PABITS-1:0] p_addr,
    input wire [31:0] p_data,
    output reg conv_start,
    output reg lin_start,
    input wire conv_done,
    input wire lin_done,
    output reg [PABITS-6:0] layer,
    output reg [1:0] kind,
    output reg src_bank,
    output reg dst_bank,
    output reg [AABITS-1:0] src_base,
    output reg [AABITS-1:0] dst_base,
    output reg [DW-1:0] c_in,
    output reg [DW-1:0] h_in,
    output reg [DW-1:0] w_in,
    output reg [KB-1:0] kh,
    output reg [KB-1:0] kw,
    output reg [SB-1:0] sh,
    output reg [SB-1:0] sw,
    output reg [PB-1:0] ph,
    output reg [PB-1:0] pw,
    output reg [DW-1:0] c_out,
    output reg [DW-1:0] h_out,
    output reg [DW-1:0] w_out,
    output reg [TBITS-1:0] t_in,
    output reg [TBITS-1:0] t_out,
    output reg [KBITS-1:0] shift,
    output reg [1:0] pool_mode,
    output reg [PSB-1:0] pool_size,
    output reg [WABITS-1:0] w_base,
    output reg [BABITS-1:0] b_base,
    // raw: bit 0 the raw last layer, bit 1 its ReLU (max(V + b, 0))
    output reg [1:0] raw,
    output reg [DW-1:0] groups,
    output reg [DW-1:0] col_tiles,
    output reg [DW-1:0] h_store,
    output reg [SLB-1:0] slots,
    output reg [DW-1:0] slot_width,
    output reg [1:0] signs,
    output reg [11:0] pool_step,
    // packed in the spare high bits of kind's and signs' words: the grouped mode's input band
    output reg [DW-1:0] c_span,
    output reg [AABITS-1:0] band_step
);
`include "e3ne_descriptor.vh"
    localparam [1:0] C_IDLE = 2'd0, C_FETCH = 2'd1, C_RUN = 2'd2;

    reg [1:0] st;
    // field whose address is presented (0 .. NF: one bit more than an index, as a descriptor may
    // fill all its words); field fi-1 arrives
    reg [FIELD_BITS:0] fi;
    wire [FIELD_BITS-1:0] fd = fi[FIELD_BITS-1:0] - 1'b1;

    assign busy = st != C_IDLE;
    assign p_addr = {layer, fi[FIELD_BITS-1:0]};

    // shift k, saturated into KBITS signed bits (far outside any real layer's range anyway). The
    // word is captured as it leaves the ROM and saturated in the next cycle (the engines start a
    // dozen fields later), so no logic sits after the block RAM's slow clock-to-output.
    reg [31:0] shift_word;
    wire k_fits = (shift_word[31:KBITS-1] == {(33 - KBITS) {1'b0}}) |
                  (shift_word[31:KBITS-1] == {(33 - KBITS) {1'b1}});
    always @(posedge clk) begin
        shift <= k_fits ? shift_word[KBITS-1:0] : {shift_word[31], {(KBITS - 1) {~shift_word[31]}}};
    end

    always @(posedge clk) begin
        if (rst) begin
            st <= C_IDLE;
            done <= 1'b0;
            conv_start <= 1'b0;
            lin_start <= 1'b0;
        end else begin
            done <= 1'b0;
            conv_start <= 1'b0;
            lin_start <= 1'b0;
            case (st)
                C_IDLE: begin
                    fi <= {(FIELD_BITS + 1) {1'b0}};
                    layer <= {(PABITS - 5) {1'b0}};
                    if (start) st <= C_FETCH;
                end
                C_FETCH: begin
                    fi <= fi + 1'b1;
                    if (fi == NF) begin
                        if (kind == KIND_END) begin
                            done <= 1'b1;
                            st <= C_IDLE;
                        end else begin
                            conv_start <= kind == KIND_CONV;
                            lin_start <= kind == KIND_LINEAR;
                            st <= C_RUN;
                        end
                    end
                end
                C_RUN: begin
                    fi <= {(FIELD_BITS + 1) {1'b0}};
                    if ((kind == KIND_CONV && conv_done) || (kind == KIND_LINEAR && lin_done)) begin
                        layer <= layer + 1'b1;
                        st <= C_FETCH;
                    end
                end
                default: st <= C_IDLE;
            endcase
        end
    end

    always @(posedge clk) begin
        if (st == C_FETCH && fi != {(FIELD_BITS + 1) {1'b0}}) begin
            case (fd)
                `E3NE_CAPTURE_FIELDS
            endcase
        end
    end

    wire unused_ok = &{1'b0, p_data, 1'b0};
endmodule
