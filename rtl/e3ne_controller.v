// e3ne_controller: walks the layer program (docs/hardware.md 2.5 and 5).
//
// For layer l it reads the descriptor words l*32 + 0 .. l*32 + NF-1 from the program ROM (one
// per cycle, NF+1 cycles with the ROM latency) into field registers, each only as wide as the
// engines need, then pulses the start of the engine that `kind` names and waits for its done.
// kind 0 ends the program: `done` pulses and the controller is idle (busy low) again.
// Fields 28..31 (w_store and spares) are not read: no engine needs them.
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
    parameter PSB = 2
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
    output reg raw,
    output reg [DW-1:0] groups,
    output reg [DW-1:0] col_tiles,
    output reg [DW-1:0] h_store
);
    localparam [4:0] NF = 5'd28;  // fields read: 0 .. 27
    localparam [1:0] C_IDLE = 2'd0, C_FETCH = 2'd1, C_RUN = 2'd2;

    reg [1:0] st;
    reg [4:0] fi;  // field whose address is presented; field fi-1 arrives
    wire [4:0] fd = fi - 1'b1;

    assign busy = st != C_IDLE;
    assign p_addr = {layer, fi};

    // shift k, saturated into KBITS signed bits (far outside any real layer's range anyway)
    wire k_fits = (p_data[31:KBITS-1] == {(33 - KBITS) {1'b0}}) |
                  (p_data[31:KBITS-1] == {(33 - KBITS) {1'b1}});
    wire [KBITS-1:0] k_sat = k_fits ? p_data[KBITS-1:0] :
                             {p_data[31], {(KBITS - 1) {~p_data[31]}}};

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
                    fi <= 5'd0;
                    layer <= {(PABITS - 5) {1'b0}};
                    if (start) st <= C_FETCH;
                end
                C_FETCH: begin
                    fi <= fi + 1'b1;
                    if (fi == NF) begin
                        if (kind == 2'd0) begin
                            done <= 1'b1;
                            st <= C_IDLE;
                        end else begin
                            conv_start <= kind == 2'd1;
                            lin_start <= kind == 2'd2;
                            st <= C_RUN;
                        end
                    end
                end
                C_RUN: begin
                    fi <= 5'd0;
                    if ((kind == 2'd1 && conv_done) || (kind == 2'd2 && lin_done)) begin
                        layer <= layer + 1'b1;
                        st <= C_FETCH;
                    end
                end
                default: st <= C_IDLE;
            endcase
        end
    end

    always @(posedge clk) begin
        if (st == C_FETCH && fi != 5'd0) begin
            case (fd)
                5'd0: kind <= p_data[1:0];
                5'd1: src_bank <= p_data[0];
                5'd2: dst_bank <= p_data[0];
                5'd3: src_base <= p_data[AABITS-1:0];
                5'd4: dst_base <= p_data[AABITS-1:0];
                5'd5: c_in <= p_data[DW-1:0];
                5'd6: h_in <= p_data[DW-1:0];
                5'd7: w_in <= p_data[DW-1:0];
                5'd8: kh <= p_data[KB-1:0];
                5'd9: kw <= p_data[KB-1:0];
                5'd10: sh <= p_data[SB-1:0];
                5'd11: sw <= p_data[SB-1:0];
                5'd12: ph <= p_data[PB-1:0];
                5'd13: pw <= p_data[PB-1:0];
                5'd14: c_out <= p_data[DW-1:0];
                5'd15: h_out <= p_data[DW-1:0];
                5'd16: w_out <= p_data[DW-1:0];
                5'd17: t_in <= p_data[TBITS-1:0];
                5'd18: t_out <= p_data[TBITS-1:0];
                5'd19: shift <= k_sat;
                5'd20: pool_mode <= p_data[1:0];
                5'd21: pool_size <= p_data[PSB-1:0];
                5'd22: w_base <= p_data[WABITS-1:0];
                5'd23: b_base <= p_data[BABITS-1:0];
                5'd24: raw <= p_data[0];
                5'd25: groups <= p_data[DW-1:0];
                5'd26: col_tiles <= p_data[DW-1:0];
                5'd27: h_store <= p_data[DW-1:0];
                default: ;
            endcase
        end
    end

    wire unused_ok = &{1'b0, p_data, 1'b0};
endmodule
