// e3ne_uart_bridge: a host on a serial line drives the AXI shell (docs/board.md), for boards
// whose only link to a computer is a UART (the ULX3S's FTDI chip).
//
// Commands from the host, one byte each followed by their arguments:
//   'W' addr d0 d1 d2 d3   write register addr (the shell's byte address) with d3..d0; reply 'K'
//   'R' addr               read register addr; reply its 4 bytes, least significant first
//   'I' b0 .. b(N-1)       one image: N = IN_COUNT beats to the input stream, TLAST on the last
// Every logit the shell streams out goes to the host as 4 bytes, least significant first.
// A reply and a logit never interleave within a word; the host reads registers once it has the
// logits it waits for. A serial line has no back-pressure: a beat that arrives while the shell's
// input is full is dropped and sets `overrun` (the host sends an image at a time and waits for
// its logits, so the shell always has room). klass is the argmax of the last image's logits
// (ties to the lowest index), for LEDs.
`default_nettype none
module e3ne_uart_bridge #(
    parameter CLKS = 868,  // clock cycles per bit
    parameter IN_COUNT = 64  // beats of an image
) (
    input wire clk,
    input wire rst,
    input wire rxd,
    output wire txd,
    // AXI4-Lite master to the shell's registers
    output reg [7:0] m_axi_awaddr,
    output reg m_axi_awvalid,
    input wire m_axi_awready,
    output reg [31:0] m_axi_wdata,
    output reg m_axi_wvalid,
    input wire m_axi_wready,
    input wire [1:0] m_axi_bresp,
    input wire m_axi_bvalid,
    output wire m_axi_bready,
    output reg [7:0] m_axi_araddr,
    output reg m_axi_arvalid,
    input wire m_axi_arready,
    input wire [31:0] m_axi_rdata,
    input wire [1:0] m_axi_rresp,
    input wire m_axi_rvalid,
    output wire m_axi_rready,
    // AXI4-Stream to the shell's input, from its output
    output reg [7:0] m_axis_tdata,
    output reg m_axis_tvalid,
    input wire m_axis_tready,
    output reg m_axis_tlast,
    input wire [31:0] s_axis_tdata,
    input wire s_axis_tvalid,
    output wire s_axis_tready,
    input wire s_axis_tlast,
    output reg [15:0] klass,
    output reg overrun
);
    localparam [2:0] C_IDLE = 3'd0, C_WADDR = 3'd1, C_WDATA = 3'd2, C_WRITE = 3'd3, C_RADDR = 3'd4,
                     C_READ = 3'd5, C_IMAGE = 3'd6;
    localparam [31:0] LAST_BEAT = IN_COUNT - 1;

    wire [7:0] rx_data;
    wire rx_valid;
    e3ne_uart_rx #(.CLKS(CLKS)) u_rx (.clk(clk), .rst(rst), .rxd(rxd), .data(rx_data), .valid(rx_valid));

    reg [2:0] state;
    reg [1:0] n;  // argument byte
    reg [31:0] left;  // beats of the image still to come
    reg [31:0] reply;
    reg [2:0] reply_bytes;  // a reply waits to be sent (1 or 4 bytes)

    reg [31:0] word;
    reg [2:0] word_bytes;  // bytes of word still to send
    wire tx_ready;
    wire load = word_bytes == 3'd0;
    wire reply_taken = load && reply_bytes != 3'd0;
    assign s_axis_tready = load && reply_bytes == 3'd0;
    wire logit_taken = s_axis_tready && s_axis_tvalid;

    assign m_axi_bready = state == C_WRITE;
    assign m_axi_rready = state == C_READ;

    always @(posedge clk) begin
        if (rst) begin
            state <= C_IDLE;
            n <= 2'd0;
            left <= 32'd0;
            reply <= 32'd0;
            reply_bytes <= 3'd0;
            m_axi_awaddr <= 8'd0;
            m_axi_awvalid <= 1'b0;
            m_axi_wdata <= 32'd0;
            m_axi_wvalid <= 1'b0;
            m_axi_araddr <= 8'd0;
            m_axi_arvalid <= 1'b0;
            m_axis_tdata <= 8'd0;
            m_axis_tvalid <= 1'b0;
            m_axis_tlast <= 1'b0;
            overrun <= 1'b0;
        end else begin
            if (m_axis_tvalid && m_axis_tready) m_axis_tvalid <= 1'b0;
            if (m_axi_awvalid && m_axi_awready) m_axi_awvalid <= 1'b0;
            if (m_axi_wvalid && m_axi_wready) m_axi_wvalid <= 1'b0;
            if (m_axi_arvalid && m_axi_arready) m_axi_arvalid <= 1'b0;
            if (reply_taken) reply_bytes <= 3'd0;
            case (state)
                C_IDLE:
                if (rx_valid) begin
                    if (rx_data == "W") state <= C_WADDR;
                    if (rx_data == "R") state <= C_RADDR;
                    if (rx_data == "I") begin
                        state <= C_IMAGE;
                        left <= LAST_BEAT;
                    end
                end
                C_WADDR:
                if (rx_valid) begin
                    m_axi_awaddr <= rx_data;
                    n <= 2'd0;
                    state <= C_WDATA;
                end
                C_WDATA:
                if (rx_valid) begin
                    m_axi_wdata <= {rx_data, m_axi_wdata[31:8]};
                    n <= n + 2'd1;
                    if (n == 2'd3) begin
                        m_axi_awvalid <= 1'b1;
                        m_axi_wvalid <= 1'b1;
                        state <= C_WRITE;
                    end
                end
                C_WRITE:
                if (m_axi_bvalid) begin
                    reply <= 32'h4B;  // 'K'
                    reply_bytes <= 3'd1;
                    state <= C_IDLE;
                end
                C_RADDR:
                if (rx_valid) begin
                    m_axi_araddr <= rx_data;
                    m_axi_arvalid <= 1'b1;
                    state <= C_READ;
                end
                C_READ:
                if (m_axi_rvalid) begin
                    reply <= m_axi_rdata;
                    reply_bytes <= 3'd4;
                    state <= C_IDLE;
                end
                C_IMAGE:
                if (rx_valid) begin
                    if (m_axis_tvalid && !m_axis_tready) begin
                        overrun <= 1'b1;  // the beat before is still waiting: this one is lost
                    end else begin
                        m_axis_tdata <= rx_data;
                        m_axis_tvalid <= 1'b1;
                        m_axis_tlast <= left == 32'd0;
                    end
                    left <= left - 32'd1;
                    if (left == 32'd0) state <= C_IDLE;
                end
                default: state <= C_IDLE;
            endcase
        end
    end

    // ------------------------------------------------------------------ to the host: words, byte by byte

    always @(posedge clk) begin
        if (rst) begin
            word <= 32'd0;
            word_bytes <= 3'd0;
        end else if (reply_taken) begin
            word <= reply;
            word_bytes <= reply_bytes;
        end else if (logit_taken) begin
            word <= s_axis_tdata;
            word_bytes <= 3'd4;
        end else if (!load && tx_ready) begin
            word <= {8'd0, word[31:8]};
            word_bytes <= word_bytes - 3'd1;
        end
    end
    e3ne_uart_tx #(.CLKS(CLKS)) u_tx (
        .clk(clk), .rst(rst), .data(word[7:0]), .send(!load), .ready(tx_ready), .txd(txd)
    );

    // argmax of each image's logits, as they pass
    reg [15:0] index;
    reg signed [31:0] best;
    reg [15:0] best_index;
    wire better = index == 16'd0 || $signed(s_axis_tdata) > best;
    always @(posedge clk) begin
        if (rst) begin
            index <= 16'd0;
            best <= 32'sd0;
            best_index <= 16'd0;
            klass <= 16'd0;
        end else if (logit_taken) begin
            index <= s_axis_tlast ? 16'd0 : index + 16'd1;
            if (better) begin
                best <= s_axis_tdata;
                best_index <= index;
            end
            if (s_axis_tlast) klass <= better ? index : best_index;
        end
    end

    wire unused_ok = &{1'b0, m_axi_bresp, m_axi_rresp, 1'b0};
endmodule
`default_nettype wire
