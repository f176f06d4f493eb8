// e3ne_uart_tx: 8N1 serial transmitter, CLKS clock cycles per bit (docs/board.md).
//
// Takes a byte when send and ready are high and sends start, 8 data bits (LSB first) and stop.
`default_nettype none
module e3ne_uart_tx #(
    parameter CLKS = 868
) (
    input wire clk,
    input wire rst,
    input wire [7:0] data,
    input wire send,  // data is taken when send and ready
    output wire ready,
    output wire txd
);
    localparam CB = $clog2(CLKS + 1);
    localparam [31:0] FULL32 = CLKS - 1;
    localparam [CB-1:0] FULL = FULL32[CB-1:0];
    reg [CB-1:0] count;
    reg [3:0] bits;  // bits left to send
    reg [9:0] frame;  // stop, data, start: shifted out LSB first
    assign ready = bits == 4'd0;
    assign txd = frame[0];

    always @(posedge clk) begin
        if (rst) begin
            count <= {CB{1'b0}};
            bits <= 4'd0;
            frame <= 10'h3ff;
        end else if (bits == 4'd0) begin
            if (send) begin
                frame <= {1'b1, data, 1'b0};
                bits <= 4'd10;
                count <= FULL;
            end
        end else if (count != {CB{1'b0}}) begin
            count <= count - 1'b1;
        end else begin
            count <= FULL;
            bits <= bits - 4'd1;
            frame <= {1'b1, frame[9:1]};
        end
    end
endmodule
`default_nettype wire
