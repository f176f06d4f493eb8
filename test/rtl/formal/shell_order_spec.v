// Formal spec of e3ne_shell's data path, end to end (docs/board.md), bounded: after a reset, with
// the AXI4-Lite bus quiet (RUN is 1 from reset) and input images of IN_COUNT beats, TLAST on the
// last, and a core that, between the shell's start and its done, writes every logit index once or
// more:
//   * each load-port row of an image's copy is the image's accepted beats, clamped codes packed
//     into the row in beat order;
//   * the output stream carries the images' logits, image after image, each image's N_OUT words in
//     index order, each the last value the core wrote at that index, sign-extended, TLAST on the
//     last: no word lost, duplicated or reordered, and no beat without an image behind it;
//   * a finished image's first word is offered (TVALID) at most two cycles after the core's done,
//     and the next word as soon as the last one is taken: nothing waits in the banks unsent.
module shell_order_spec #(
    parameter N_OUT = 2,
    parameter BEATS = 2  // beats (codes) of an image, 1 or 2: one row of 2 codes
) (
    input wire        aclk,
    input wire        aresetn,
    input wire [ 7:0] in_tdata,
    input wire        in_tvalid,
    input wire        in_tlast,
    input wire        out_tready,
    input wire        done,
    input wire        out_valid,
    input wire [15:0] out_index,
    input wire [ 5:0] out_data
);
    localparam OB = (N_OUT > 1) ? $clog2(N_OUT) : 1;
    wire [7:0] awaddr = 0, araddr = 0;
    wire [31:0] wdata = 0;
    wire awvalid = 0, wvalid = 0, arvalid = 0, bready = 1, rready = 1;
    wire in_tready, load_en, load_addr, start;
    wire [3:0] load_data;
    reg run = 0;  // the core runs an image
    wire core_rst;
    wire busy = (start && !core_rst) || run;  // start is not driven during reset
    wire [31:0] out_tdata;
    wire out_tvalid, out_tlast;
    e3ne_shell #(
        .TMAX(2), .ROWW(2), .ABITS(1), .ACC(6), .IN_W(BEATS), .IN_ROWS(1), .IN_COUNT(BEATS), .CODE_BITS(2), .N_OUT(N_OUT)
    ) dut (
        .aclk(aclk), .aresetn(aresetn),
        .s_axi_ctrl_awaddr(awaddr), .s_axi_ctrl_awprot(3'd0), .s_axi_ctrl_awvalid(awvalid), .s_axi_ctrl_awready(),
        .s_axi_ctrl_wdata(wdata), .s_axi_ctrl_wstrb(4'hf), .s_axi_ctrl_wvalid(wvalid), .s_axi_ctrl_wready(),
        .s_axi_ctrl_bresp(), .s_axi_ctrl_bvalid(), .s_axi_ctrl_bready(bready),
        .s_axi_ctrl_araddr(araddr), .s_axi_ctrl_arprot(3'd0), .s_axi_ctrl_arvalid(arvalid), .s_axi_ctrl_arready(),
        .s_axi_ctrl_rdata(), .s_axi_ctrl_rresp(), .s_axi_ctrl_rvalid(), .s_axi_ctrl_rready(rready),
        .s_axis_in_tdata(in_tdata), .s_axis_in_tvalid(in_tvalid), .s_axis_in_tready(in_tready), .s_axis_in_tlast(in_tlast),
        .m_axis_out_tdata(out_tdata), .m_axis_out_tvalid(out_tvalid), .m_axis_out_tready(out_tready),
        .m_axis_out_tlast(out_tlast), .irq(), .core_rst(core_rst), .load_en(load_en), .load_addr(load_addr), .load_data(load_data),
        .start(start), .busy(busy), .done(done), .out_valid(out_valid), .out_index(out_index), .out_data(out_data)
    );


    // the environment
    reg first = 1;
    reg in_beat = 0;  // beat of the image coming in, 0 .. BEATS - 1
    always @(posedge aclk) begin
        first <= 1'b0;
        if (in_tvalid && in_tready && BEATS == 2) in_beat <= !in_beat;
        if (start) run <= 1'b1;
        if ((done && run) || core_rst) run <= 1'b0;
    end
    reg [N_OUT-1:0] written = 0;  // indices the running image has written
    always @* begin
        assume (aresetn == !first);
        assume (in_tlast == (in_beat == BEATS - 1));
        assume (!done || (run && !start && !out_valid && &written));
        assume (!out_valid || (busy && out_index < N_OUT));
    end

    // input: the image's beats, clamped to codes of 2 bits
    wire [1:0] code = in_tdata > 3 ? 2'd3 : in_tdata[1:0];
    reg [1:0] code0;
    reg [3:0] image_in;
    always @(posedge aclk) begin
        if (in_tvalid && in_tready) begin
            if (BEATS == 1) image_in <= {2'd0, code};  // the row's second code is 0
            else if (!in_beat) code0 <= code;
            else image_in <= {code, code0};
        end
    end
    always @* if (load_en && !core_rst) assert (load_data == image_in);

    // output: the logits of the running image, and a queue of the finished ones
    reg [N_OUT*6-1:0] logits;
    reg [N_OUT*6-1:0] queue[0:2];
    reg [1:0] queued = 0;
    reg [OB-1:0] beat = 0;  // word of the queue's head image that comes next
    wire take = out_tvalid && out_tready && !core_rst;
    wire pop = take && beat == N_OUT - 1;
    always @(posedge aclk) begin
        if (out_valid && busy) begin
            logits[out_index[OB-1:0]*6+:6] <= out_data;
            written <= written | (1 << out_index[OB-1:0]);
        end
        if ((done && run) || core_rst) written <= 0;
        if (take) beat <= pop ? 0 : beat + 1'b1;
        if (pop) begin
            queue[0] <= queue[1];
            queue[1] <= queue[2];
        end
        if (done && run) queue[queued-pop] <= logits;
        queued <= queued + (done && run) - pop;
    end
    wire [5:0] want = queue[0][beat*6+:6];
    reg [1:0] waiting = 0;  // cycles an image has waited with TVALID low
    always @(posedge aclk) begin
        if (core_rst || out_tvalid || queued == 0) waiting <= 0;
        else if (waiting != 3) waiting <= waiting + 1'b1;
    end
    always @* begin
        assert (queued <= 3);
        assert (waiting < 2);
        if (take) begin
            assert (queued != 0);
            assert (out_tdata == {{26{want[5]}}, want});
            assert (out_tlast == (beat == N_OUT - 1));
        end
    end
endmodule
