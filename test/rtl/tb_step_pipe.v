// Testbench of e3ne_step_pipe for test/rtl: a small engine around it. Its sequencer runs, per
// group and timestep (the pipe's levels), A accumulations ("row-tiles") of F steps each, loading
// the window at every P-th step from +planes (consumed in order); a weight ROM (+weights)
// answers w_addr; its output stage is busy for L cycles after each cap and reads the RN lanes of
// every chain in its first RN cycles. The layers of +layers run back to back (16-bit fields
// {S, L, w_base, t_out, shift, stride, P, F, A, t_in, groups}, MSB first, S the layer's channel
// slots; their biases in +bias).
// Results (+results): "I <layer> <cycle>" when the last step of an accumulation issues,
// "R <layer> <chain> <lane> <sum> <code>" for every readout, "D <layer> <cycle>" at done; cycles
// count from the start pulse (0). The requant's code comes two cycles after its lane is selected,
// so every line is written two cycles after its event (in the order of the events).
`timescale 1ns / 1ps
module tb_step_pipe;
    parameter UNITS = 2, COLS = 3, OUTS = 2, WW = 12, SMAX = 2, WB = 4, ACC = 14, TMAX = 4;
    parameter DW = 8, WABITS = 8, NLAYERS = 1, NPLANES = 1, SLOTS = 1, WSEGS = 1;
    parameter [SLOTS:0] SLOT_SET = 2;
    localparam TBITS = $clog2(TMAX + 1);
    localparam TIB = (TMAX > 1) ? $clog2(TMAX) : 1;
    localparam SB = $clog2(SMAX + 1);
    localparam RN = UNITS * COLS / OUTS;
    localparam RSB = (RN > 1) ? $clog2(RN) : 1;

    reg clk = 1'b0, rst = 1'b1, start = 1'b0;
    reg [175:0] layers[0:NLAYERS-1];
    reg [OUTS*(ACC+1)-1:0] biases[0:NLAYERS-1];
    reg [WW-1:0] planes[0:NPLANES-1];
    reg [UNITS*WSEGS*WB-1:0] wmem[0:(1<<WABITS)-1];
    reg [8*256-1:0] fname;
    integer fd, layer, cyc, pk, busy, rx, k;

    // the layer's fields
    wire [175:0] lw = layers[layer];
    wire [DW-1:0] groups = lw[0+:DW];
    wire [TBITS-1:0] t_in = lw[16+:TBITS];
    wire [15:0] n_acc = lw[32+:16], n_f = lw[48+:16], period = lw[64+:16];
    wire [SB-1:0] stride = lw[80+:SB];
    wire [7:0] shift = lw[96+:8];
    wire [TBITS-1:0] t_out = lw[112+:TBITS];
    wire [WABITS-1:0] w_base = lw[128+:WABITS];
    wire [15:0] busy_len = lw[144+:16];
    wire [15:0] n_slots = lw[160+:16];
    wire [SLOTS-1:0] slot_sel = {{(SLOTS - 1) {1'b0}}, 1'b1} << (n_slots - 1);

    // sequencer: step j of the timestep, accumulation a of the group
    reg [15:0] j, a;
    wire ts_last = (j + 1'b1) == n_f;
    wire grp_tail = (a + 1'b1) == n_acc;
    wire load = (j % period) == 0;
    wire issue, t_last, cap, done;
    wire [TIB-1:0] t_bit;
    always @(posedge clk) begin
        if (start) begin
            j <= 0;
            a <= 0;
        end else if (issue) begin
            j <= ts_last ? 16'd0 : j + 1'b1;
            if (ts_last && t_last) a <= grp_tail ? 16'd0 : a + 1'b1;
        end
    end

    // window contents (the plane read at S0 arrives in S1 and is registered for S2) and weight ROM
    reg [WW-1:0] plane, win0;
    wire [WABITS-1:0] w_addr;
    reg [UNITS*WSEGS*WB-1:0] w_data;
    always @(posedge clk) begin
        if (issue && load) begin
            plane <= planes[pk];
            pk <= pk + 1;
        end
        win0 <= plane;
        w_data <= wmem[w_addr];
    end

    // output stage: busy for busy_len cycles, lanes read in the first RN of them
    wire reading = busy > 0 && rx < RN;
    wire [RSB-1:0] sel = rx[RSB-1:0];
    wire [OUTS*(ACC+1)-1:0] sum;
    wire [OUTS*TMAX-1:0] code;
    reg rd_v, rd_v2, done1, done2, is1, is2;
    reg [RSB-1:0] rd_x, rd_x2;
    reg [OUTS*(ACC+1)-1:0] sum_q;
    integer rd_l, rd_l2, done_c1, done_c2, is_c1, is_c2;
    always @(posedge clk) begin
        if (cap) begin
            busy <= busy_len;
            rx <= 0;
        end else if (busy > 0) begin
            busy <= busy - 1;
            rx <= rx + 1;
        end
        rd_v <= reading;
        rd_x <= sel;
        rd_l <= layer;
        rd_v2 <= rd_v;
        rd_x2 <= rd_x;
        rd_l2 <= rd_l;
        sum_q <= sum;
        done1 <= done;
        done_c1 <= cyc;
        done2 <= done1;
        done_c2 <= done_c1;
        is1 <= issue && ts_last && t_last;
        is_c1 <= cyc;
        is2 <= is1;
        is_c2 <= is_c1;
        if (rd_v2)
            for (k = 0; k < OUTS; k = k + 1)
                $fwrite(fd, "R %0d %0d %0d %0h %0h\n", rd_l2, k, rd_x2, sum_q[k*(ACC+1)+:ACC+1],
                        code[k*TMAX+:TMAX]);
        if (is2) $fwrite(fd, "I %0d %0d\n", rd_l2, is_c2);
        if (done2) $fwrite(fd, "D %0d %0d\n", rd_l2, done_c2);
    end

    e3ne_step_pipe #(
        .UNITS(UNITS), .COLS(COLS), .OUTS(OUTS), .WW(WW), .SMAX(SMAX), .WB(WB), .ACC(ACC),
        .TMAX(TMAX), .DW(DW), .KBITS(8), .WABITS(WABITS), .SLOTS(SLOTS),
        .SLOT_SET(SLOT_SET), .WSEGS(WSEGS)
    ) dut (
        .clk(clk), .rst(rst), .start(start), .ts_first(j == 0), .ts_last(ts_last),
        .grp_tail(grp_tail), .load(load), .issue(issue), .w_addr(w_addr), .w_data(w_data),
        .w_ok(1'b1), .w_step(), .w_gbase(),  // weights in a ROM: every word is there
        .groups(groups), .t_in(t_in), .in_signed(1'b0), .w_base(w_base), .t_bit(t_bit), .t_last(t_last),
        .win0(win0), .stride(stride), .slot_sel(slot_sel), .out_busy(busy > 0), .out_idle(busy == 0), .cap(cap),
        .sel(sel), .bias(biases[layer]), .shift(shift), .t_out(t_out), .out_signed(1'b0), .sum(sum), .code(code),
        .done(done)
    );

    always #5 clk = ~clk;
    initial begin
        if ($value$plusargs("layers=%s", fname)) $readmemh(fname, layers);
        if ($value$plusargs("bias=%s", fname)) $readmemh(fname, biases);
        if ($value$plusargs("planes=%s", fname)) $readmemh(fname, planes);
        if ($value$plusargs("weights=%s", fname)) $readmemh(fname, wmem);
        if (!$value$plusargs("results=%s", fname)) fname = "results.txt";
        fd = $fopen(fname, "w");
        layer = 0;
        pk = 0;
        busy = 0;
        rx = 0;
        rd_v = 1'b0;
        rd_v2 = 1'b0;
        done1 = 1'b0;
        done2 = 1'b0;
        is1 = 1'b0;
        is2 = 1'b0;
        repeat (3) @(negedge clk);
        rst = 1'b0;
        for (layer = 0; layer < NLAYERS; layer = layer + 1) begin
            @(negedge clk);
            start = 1'b1;
            cyc = 0;
            @(negedge clk);
            start = 1'b0;
            cyc = 1;
            while (!done && cyc < 100000) begin
                @(negedge clk);
                cyc = cyc + 1;
            end
            @(negedge clk);
        end
        repeat (3) @(negedge clk);
        $fclose(fd);
        $finish;
    end
endmodule
