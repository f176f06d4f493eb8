// e3ne_linear_engine: the linear engine of docs/hardware.md section 4.
//
// LANES neurons (lane n of group g is neuron g*LANES + n) share one input bit per cycle:
//
//   S0  sequencer: feature f of timestep t; at the first feature of an input row it reads the
//       row's word (bit plane t_in-1-t). The weight address runs through the group's weights.
//   S1  the memories answer (the core registers the plane, the step pipe the weights).
//   S2  the plane arrives into the window register, which shifts out one feature bit per cycle.
//   S3  every lane adds its weight if the bit is set.
//
// The pipeline is e3ne_step_pipe, the conv engine's, with LANES units of one lane each and a
// window as wide as a word. After the group's last step the potentials go to shadow registers;
// the output stage walks the neurons o < F_out in order, one per cycle: bias ROM read, then
// shadow multiplexer + requant, then either the raw output port (last layer) or the packer (an
// e3ne_pool with PKMAX = 1) whose full or final word is written to dst_base + o / ROWW. As in
// the conv engine the sequencer holds the group's last step while the output stage is busy with
// the previous group.
module e3ne_linear_engine #(
    parameter TMAX = 4,  // bits per code of an activation word
    parameter ROWW = 8,  // codes per activation word
    parameter LANES = 16,  // neurons computed at once
    parameter WB = 8,  // weight bits
    parameter ACC = 16,  // accumulator bits
    parameter DW = 16,  // width of counts (features, groups)
    parameter AABITS = 6,  // address bits: activation memory, linear weight ROM, bias ROM
    parameter LWABITS = 4,
    parameter BABITS = 4,
    parameter KBITS = 8,  // width of the signed shift k
    parameter SIGNED = 0,  // 1: layers may read signed input codes (in_signed)
    parameter TBITS = $clog2(TMAX + 1),
    parameter TIB = (TMAX > 1) ? $clog2(TMAX) : 1
) (
    input wire clk,
    input wire rst,
    input wire start,
    output wire done,
    // the linear layer's descriptor: f_in, row_w and f_out are its fields c_in, w_in and c_out
    input wire [AABITS-1:0] src_base,  // feature f in word src_base + f / row_w
    input wire [AABITS-1:0] dst_base,  // output o in word dst_base + o / ROWW
    input wire [DW-1:0] f_in,
    input wire [DW-1:0] row_w,  // in_row_width: codes per input word
    input wire [DW-1:0] f_out,
    input wire [TBITS-1:0] t_in,
    input wire [TBITS-1:0] t_out,
    input wire [KBITS-1:0] shift,
    input wire [LWABITS-1:0] w_base,  // weight ROM layout: docs/hardware.md 2.3
    input wire [BABITS-1:0] b_base,  // b' of neuron o at b_base + o
    input wire [1:0] raw,  // bit 0: the last layer, V + b to out_data instead of codes to memory; bit 1: max(V + b, 0)
    input wire in_signed,  // the input codes are signed: the first bit plane subtracts
    input wire out_signed,  // the layer writes signed codes (no ReLU): the requant clamps signed
    input wire [DW-1:0] groups,  // ceil(f_out / LANES)
    // activation memory: the read returns bit plane rd_bit of the word, one cycle later
    output wire [AABITS-1:0] rd_addr,
    output wire [TIB-1:0] rd_bit,
    input wire [ROWW-1:0] rd_plane,
    output reg wr_en,
    output reg [AABITS-1:0] wr_addr,
    output wire [ROWW*TMAX-1:0] wr_data,  // ROWW codes; zeros past the last output
    // ROMs (data one cycle after the address)
    output wire [LWABITS-1:0] lw_addr,
    input wire [LANES*WB-1:0] lw_data,
    input wire lw_ok,  // the step's weight word is there (weights from DRAM; else 1)
    output wire [LWABITS-1:0] lw_step,
    output wire [LWABITS-1:0] lw_gbase,
    output wire [BABITS-1:0] b_addr,
    input wire [ACC:0] b_data,
`ifdef E3NE_TRACE
    // simulation only: the trace file and the layer's number
    input wire [31:0] trace_fd,
    input wire [15:0] trace_layer,
`endif
    // raw output of the last layer
    output reg out_valid,
    output reg [15:0] out_index,
    output reg [ACC-1:0] out_data
);
    localparam NB = (LANES > 1) ? $clog2(LANES) : 1;
    localparam XB = (ROWW > 1) ? $clog2(ROWW) : 1;
    localparam integer LN = LANES - 1;
    localparam integer LR = ROWW - 1;
    localparam [NB-1:0] LAST_LANE = LN[NB-1:0];
    localparam [XB-1:0] LAST_SLOT = LR[XB-1:0];

    // ------------------------------------------------------------------ S0: sequencer
    // g and t are e3ne_step_pipe's; here the feature f, at code pos of word wa (e3ne_count: the
    // last flags are registers)
    wire [DW-1:0] f, pos;
    wire f_last, pos_last;
    reg [AABITS-1:0] wa;  // src_base + f / row_w
    wire issue;  // the step is taken
    wire t_last;  // unused: the feature level does not depend on the timestep

    wire load = pos == {DW{1'b0}};  // the step reads its input word
    e3ne_count #(.W(DW)) u_f (.clk(clk), .clear(start), .step(issue), .n(f_in), .count(f), .last(f_last));
    e3ne_count #(.W(DW)) u_pos (
        .clk(clk), .clear(start | (issue & f_last)), .step(issue), .n(row_w), .count(pos), .last(pos_last)
    );

    assign rd_addr = wa;

    always @(posedge clk) begin
        if (start || (issue && f_last)) wa <= src_base;
        else if (issue && pos_last) wa <= wa + 1'b1;
    end

    // ------------------------------------------------------------------ output stage
    // A: b'[o] leaves the bias ROM (registered);  B: lane n and b'[o] enter the requant (its add);
    // C: requant (shift, saturate);  D: raw port / packer;  two cycles later (the packer's stages)
    // the word write
    reg busy_a;
    reg [NB-1:0] n;  // lane
    reg [DW-1:0] o;  // neuron
    reg [BABITS-1:0] bptr;  // the bias word read: b_base + o + 1 in A, so b'[o] is there in A
    wire o_last = (o + 1'b1) == f_out;
    wire n_end = (n == LAST_LANE) | o_last;
    wire cap;  // the group's potentials go to the shadow registers

    assign b_addr = bptr;

    always @(posedge clk) begin
        if (rst) begin
            busy_a <= 1'b0;
        end else if (start) begin
            busy_a <= 1'b0;
            o <= {DW{1'b0}};
            bptr <= b_base;
        end else if (busy_a) begin
            n <= n + 1'b1;
            o <= o + 1'b1;
            if (!n_end) bptr <= bptr + 1'b1;  // after the group: the next group's first word
            if (n_end) busy_a <= 1'b0;
        end else if (cap) begin
            busy_a <= 1'b1;
            n <= {NB{1'b0}};
            bptr <= bptr + 1'b1;
        end
    end

    reg vb, lastb, vc, lastc, vd, lastd;
    reg [DW-1:0] ob, oc;
    reg [NB-1:0] nb;
    reg [ACC:0] bias_q;  // b'[o], registered as it leaves the block RAM
    always @(posedge clk) begin
        vb <= busy_a & ~rst;
        ob <= o;
        nb <= n;
        lastb <= o_last;
        bias_q <= b_data;
        vc <= vb & ~rst;
        oc <= ob;
        lastc <= lastb;
    end

    // B, C: lane nb of the shadow registers through the requant unit (e3ne_step_pipe, below)
    wire [ACC:0] sum;  // valid in C
    wire [TMAX-1:0] codec;  // valid in D

    wire [DW+15:0] oc_ext = {16'b0, oc};
    always @(posedge clk) begin
        vd <= vc & ~raw[0] & ~rst;
        lastd <= lastc;
        out_valid <= vc & raw[0] & ~rst;
        out_index <= oc_ext[15:0];
        out_data <= (raw[1] && sum[ACC-1]) ? {ACC{1'b0}} : sum[ACC-1:0];  // V + b fits ACC bits
    end

    reg [XB-1:0] slot;  // o % ROWW
    wire word_end = (slot == LAST_SLOT) | lastd;
    always @(posedge clk) begin
        if (start) slot <= {XB{1'b0}};
        else if (vd) slot <= word_end ? {XB{1'b0}} : slot + 1'b1;
    end
    e3ne_pool #(
        .TMAX (TMAX),
        .ROWW (ROWW),
        .PKMAX(1)
    ) u_pack (
        .clk(clk),
        .mode(2'd0),
        .size(1'b1),
        .stride(1'b1),
        .first_end(1'b0),
        .in_valid(vd),
        .in_pad(1'b0),
        .in_code(codec),
        .row_start(slot == {XB{1'b0}}),
        .v_first(1'b1),
        .v_last(1'b1),
        .lb_base({$clog2(ROWW + 1) {1'b0}}),
        .sel(1'b0),
        .row(wr_data)
    );
    // the packer's row holds a code three edges after it (e3ne_pool): write two cycles after D
    reg wr1, wr2;
    always @(posedge clk) begin
        wr1 <= vd & word_end & ~rst;
        wr2 <= wr1 & ~rst;
        wr_en <= wr2 & ~rst;
        if (start) wr_addr <= dst_base;
        else if (wr_en) wr_addr <= wr_addr + 1'b1;
    end

    // ------------------------------------------------------------------ step pipeline
    // window, lanes and shadow registers, one chain shadow multiplexer -> requant -> code
    e3ne_step_pipe #(
        .UNITS(LANES),
        .COLS(1),
        .OUTS(1),
        .WW(ROWW),
        .SMAX(1),
        .WB(WB),
        .ACC(ACC),
        .TMAX(TMAX),
        .DW(DW),
        .KBITS(KBITS),
        .WABITS(LWABITS),
        .SIGNED(SIGNED)
`ifdef E3NE_TRACE
        ,
        .NF(0),
        .TAG("L")
`endif
    ) u_pipe (
        .clk(clk),
        .rst(rst),
        .start(start),
        .ts_first(f == {DW{1'b0}}),
        .ts_last(f_last),
        .grp_tail(1'b1),
        .load(load),
        .issue(issue),
        .w_addr(lw_addr),
        .w_data(lw_data),
        .w_ok(lw_ok),
        .w_step(lw_step),
        .w_gbase(lw_gbase),
        .groups(groups),
        .t_in(t_in),
        .in_signed(in_signed),
        .w_base(w_base),
        .t_bit(rd_bit),
        .t_last(t_last),
        .win0(rd_plane),
        .stride(1'b1),
        .slot_sel(1'b1),
        .out_busy(busy_a),
        .out_idle(~busy_a & ~vb & ~vc & ~vd & ~wr1 & ~wr2 & ~wr_en),
        .cap(cap),
        .sel(nb),
        .bias(bias_q),
        .shift(shift),
        .t_out(t_out),
        .out_signed(out_signed),
        .sum(sum),
        .code(codec),
        .done(done)
`ifdef E3NE_TRACE
        ,
        .trace_fd(trace_fd),
        .trace_layer(trace_layer),
        .trace_pos({DW{1'b0}})  // nothing between g and t
`endif
    );

    wire unused_ok = &{1'b0, t_last, sum[ACC], oc_ext, 1'b0};
endmodule
