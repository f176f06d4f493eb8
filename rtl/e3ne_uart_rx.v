// e3ne_uart_rx: 8N1 serial receiver, CLKS clock cycles per bit (docs/board.md).
//
// The pin is synchronised with two flops; the receiver waits half a bit into the start bit and
// samples every bit in its middle; a frame whose stop bit is low is dropped.
`default_nettype none
module e3ne_uart_rx #(
    parameter CLKS = 868  // clock cycles per bit (clock / baud)
) (
    input wire clk,
    input wire rst,
    input wire rxd,
    output reg [7:0] data,
    output reg valid  // one cycle per byte
);
    localparam CB = $clog2(CLKS + 1);
    localparam [31:0] FULL32 = CLKS - 1;
    localparam [CB-1:0] FULL = FULL32[CB-1:0];
    localparam [31:0] HALF32 = CLKS / 2 - 1;
    localparam [CB-1:0] HALF = HALF32[CB-1:0];
    reg [2:0] sync;
    reg [CB-1:0] count;
    reg [3:0] bits;  // 0: idle, 1: start bit, 2..9: data, 10: stop
    reg [7:0] shift;
    wire pin = sync[2];

    always @(posedge clk) begin
        if (rst) begin
            sync <= 3'b111;
            count <= {CB{1'b0}};
            bits <= 4'd0;
            shift <= 8'd0;
            data <= 8'd0;
            valid <= 1'b0;
        end else begin
            sync <= {sync[1:0], rxd};
            valid <= 1'b0;
            if (bits == 4'd0) begin
                if (!pin) begin  // a start bit begins: its middle is half a bit away
                    bits <= 4'd1;
                    count <= HALF;
                end
            end else if (count != {CB{1'b0}}) begin
                count <= count - 1'b1;
            end else begin
                count <= FULL;
                bits <= bits + 4'd1;
                if (bits == 4'd1 && pin) bits <= 4'd0;  // a glitch, not a start bit
                if (bits >= 4'd2 && bits <= 4'd9) shift <= {pin, shift[7:1]};
                if (bits == 4'd10) begin
                    bits <= 4'd0;
                    data <= shift;
                    valid <= pin;  // stop bit high: a good frame
                end
            end
        end
    end
endmodule

`default_nettype wire
