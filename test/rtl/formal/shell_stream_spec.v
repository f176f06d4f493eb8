// Formal spec of e3ne_shell's output stream, the AXI4-Stream rule (docs/board.md): once TVALID is
// high it stays high, with TDATA and TLAST unchanged, until the consumer takes the beat (TREADY);
// only a reset may drop it. Every input of the shell is free: the AXI4-Lite bus, both streams'
// handshakes and the core's ports.
module shell_stream_spec #(
    parameter N_OUT = 3
) (
    input wire        aclk,
    input wire        aresetn,
    input wire [ 7:0] awaddr,
    input wire        awvalid,
    input wire [31:0] wdata,
    input wire        wvalid,
    input wire        bready,
    input wire [ 7:0] araddr,
    input wire        arvalid,
    input wire        rready,
    input wire [ 7:0] in_tdata,
    input wire        in_tvalid,
    input wire        in_tlast,
    input wire        out_tready,
    input wire        busy,
    input wire        done,
    input wire        out_valid,
    input wire [15:0] out_index,
    input wire [ 5:0] out_data
);
    wire [31:0] out_tdata;
    wire out_tvalid, out_tlast, core_rst;
    e3ne_shell #(
        .TMAX(2), .ROWW(2), .ABITS(1), .ACC(6), .IN_W(2), .IN_ROWS(1), .IN_COUNT(2), .CODE_BITS(2), .N_OUT(N_OUT)
    ) dut (
        .aclk(aclk), .aresetn(aresetn),
        .s_axi_ctrl_awaddr(awaddr), .s_axi_ctrl_awprot(3'd0), .s_axi_ctrl_awvalid(awvalid), .s_axi_ctrl_awready(),
        .s_axi_ctrl_wdata(wdata), .s_axi_ctrl_wstrb(4'hf), .s_axi_ctrl_wvalid(wvalid), .s_axi_ctrl_wready(),
        .s_axi_ctrl_bresp(), .s_axi_ctrl_bvalid(), .s_axi_ctrl_bready(bready),
        .s_axi_ctrl_araddr(araddr), .s_axi_ctrl_arprot(3'd0), .s_axi_ctrl_arvalid(arvalid), .s_axi_ctrl_arready(),
        .s_axi_ctrl_rdata(), .s_axi_ctrl_rresp(), .s_axi_ctrl_rvalid(), .s_axi_ctrl_rready(rready),
        .s_axis_in_tdata(in_tdata), .s_axis_in_tvalid(in_tvalid), .s_axis_in_tready(), .s_axis_in_tlast(in_tlast),
        .m_axis_out_tdata(out_tdata), .m_axis_out_tvalid(out_tvalid), .m_axis_out_tready(out_tready),
        .m_axis_out_tlast(out_tlast), .irq(), .core_rst(core_rst), .load_en(), .load_addr(), .load_data(),
        .start(), .busy(busy), .done(done), .out_valid(out_valid), .out_index(out_index), .out_data(out_data)
    );

    reg stalled = 0;  // the last cycle, out of reset, offered a beat that was not taken
    reg [31:0] held_data;
    reg held_last;
    always @(posedge aclk) begin
        stalled <= out_tvalid && !out_tready && !core_rst;
        held_data <= out_tdata;
        held_last <= out_tlast;
    end
    always @* begin
        if (stalled && !core_rst) begin
            assert (out_tvalid);
            assert (out_tdata == held_data);
            assert (out_tlast == held_last);
        end
    end
endmodule
