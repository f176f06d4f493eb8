// e3ne_linear_engine: the linear engine of docs/hardware.md section 4.
//
// LANES neurons (lane n of group g is neuron g*LANES + n) share one input bit per cycle:
//
//   S0  sequencer: feature f of timestep t; at the first feature of an input row it reads the
//       row's word (bit plane t_in-1-t); the weight address runs through the group's weights.
//   S1  the plane arrives into a shift register, which gives one feature bit per cycle;
//       the weight ROM address register is loaded, so the LANES weights arrive in S2.
//   S2  every lane adds its weight if the bit is set (e3ne_lane).
//
// After the group's last step the potentials go to shadow registers; the output stage walks the
// neurons o < F_out in order, one per cycle: bias ROM read, then shadow multiplexer + requant,
// then either the raw output port (last layer) or the packer (an e3ne_pool with PKMAX = 1)
// whose full or final word is written to dst_base + o / ROWW. As in the conv engine the
// sequencer holds the group's last step while the output stage is busy with the previous group.
module e3ne_linear_engine #(
    parameter TMAX = 4,
    parameter ROWW = 8,
    parameter LANES = 16,
    parameter WB = 8,
    parameter ACC = 16,
    parameter DW = 16,
    parameter AABITS = 6,
    parameter LWABITS = 4,
    parameter BABITS = 4,
    parameter KBITS = 8,
    parameter TBITS = $clog2(TMAX + 1),
    parameter TIB = (TMAX > 1) ? $clog2(TMAX) : 1
) (
    input wire clk,
    input wire rst,
    input wire start,
    output wire done,
    // layer descriptor, held by the controller while the layer runs
    input wire [AABITS-1:0] src_base,
    input wire [AABITS-1:0] dst_base,
    input wire [DW-1:0] f_in,
    input wire [DW-1:0] row_w,  // in_row_width: codes per input word
    input wire [DW-1:0] f_out,
    input wire [TBITS-1:0] t_in,
    input wire [TBITS-1:0] t_out,
    input wire [KBITS-1:0] shift,
    input wire [LWABITS-1:0] w_base,
    input wire [BABITS-1:0] b_base,
    input wire raw,
    input wire [DW-1:0] groups,
    // activation memory: the read returns bit plane rd_bit of the word, one cycle later
    output wire rd_en,
    output wire [AABITS-1:0] rd_addr,
    output wire [TIB-1:0] rd_bit,
    input wire [ROWW-1:0] rd_plane,
    output reg wr_en,
    output reg [AABITS-1:0] wr_addr,
    output wire [ROWW*TMAX-1:0] wr_data,
    // ROMs (data one cycle after the address)
    output reg [LWABITS-1:0] lw_addr,
    input wire [LANES*WB-1:0] lw_data,
    output wire [BABITS-1:0] b_addr,
    input wire [ACC:0] b_data,
    // raw output of the last layer
    output reg out_valid,
    output reg [15:0] out_index,
    output reg [ACC-1:0] out_data
`ifdef E3NE_TRACE
    ,
    input wire [31:0] trace_fd,
    input wire [15:0] trace_layer
`endif
);
    localparam NB = (LANES > 1) ? $clog2(LANES) : 1;
    localparam XB = (ROWW > 1) ? $clog2(ROWW) : 1;
    localparam integer LN = LANES - 1;
    localparam integer LR = ROWW - 1;
    localparam [NB-1:0] LAST_LANE = LN[NB-1:0];
    localparam [XB-1:0] LAST_SLOT = LR[XB-1:0];

    // ------------------------------------------------------------------ S0: sequencer
    reg run;
    reg [DW-1:0] g, f, pos;
    reg [TIB-1:0] b;  // bit plane t_in-1-t: MSB first
    reg [AABITS-1:0] wa;  // src_base + f / row_w
    reg [LWABITS-1:0] wp, gbase;
    wire os_busy;

    wire f_last = (f + 1'b1) == f_in;
    wire pos_last = (pos + 1'b1) == row_w;
    wire t_last = b == {TIB{1'b0}};
    wire g_last = (g + 1'b1) == groups;
    wire last = f_last & t_last;  // last step of the group
    wire issue = run & ~(last & os_busy);
    wire [TBITS-1:0] t_in_m1 = t_in - 1'b1;

    assign rd_en = issue & (pos == {DW{1'b0}});
    assign rd_addr = wa;
    assign rd_bit = b;

    always @(posedge clk) begin
        if (rst) begin
            run <= 1'b0;
        end else if (start) begin
            run <= 1'b1;
            g <= {DW{1'b0}};
            f <= {DW{1'b0}};
            pos <= {DW{1'b0}};
            b <= t_in_m1[TIB-1:0];
            wa <= src_base;
            wp <= w_base;
            gbase <= w_base;
        end else if (issue) begin
            lw_addr <= wp;
            wp <= (f_last && !t_last) ? gbase : wp + 1'b1;
            if (last) gbase <= wp + 1'b1;
            if (f_last) begin
                f   <= {DW{1'b0}};
                pos <= {DW{1'b0}};
                wa  <= src_base;
                if (!t_last) begin
                    b <= b - 1'b1;
                end else begin
                    b <= t_in_m1[TIB-1:0];
                    if (!g_last) g <= g + 1'b1;
                    else run <= 1'b0;
                end
            end else begin
                f <= f + 1'b1;
                if (pos_last) begin
                    pos <= {DW{1'b0}};
                    wa  <= wa + 1'b1;
                end else begin
                    pos <= pos + 1'b1;
                end
            end
        end
    end

    // ------------------------------------------------------------------ S1: feature bits
    reg v1, load1, dbl1, last1;
    always @(posedge clk) begin
        v1 <= issue & ~rst;
        load1 <= pos == {DW{1'b0}};
        dbl1 <= f == {DW{1'b0}};
        last1 <= last;
    end
    reg [ROWW-1:0] plane;  // the rest of the current word's plane
    reg v2, s2, dbl2, last2;
    always @(posedge clk) begin
        if (v1) plane <= load1 ? rd_plane >> 1 : plane >> 1;
        s2 <= load1 ? rd_plane[0] : plane[0];
        v2 <= v1 & ~rst;
        dbl2 <= dbl1;
        last2 <= last1;
    end

    // ------------------------------------------------------------------ S2: lanes
    wire cap = v2 & last2;
    wire [LANES*ACC-1:0] vn;
    genvar gn;
    generate
        for (gn = 0; gn < LANES; gn = gn + 1) begin : g_lane
            e3ne_lane #(
                .ACC(ACC),
                .WB (WB)
            ) u_lane (
                .clk(clk),
                .clr(rst | cap),
                .ce(v2),
                .dbl(dbl2),
                .s(s2),
                .w(lw_data[gn*WB+:WB]),
                .v_next(vn[gn*ACC+:ACC])
            );
        end
    endgenerate

    reg [LANES*ACC-1:0] shadow;
    always @(posedge clk) begin
        if (cap) shadow <= vn;
    end

    // ------------------------------------------------------------------ output stage
    // A: bias read of neuron o;  B: requant;  C: raw port / packer;  D: word write
    reg busy_a;
    reg [NB-1:0] n;  // lane
    reg [DW-1:0] o;  // neuron
    reg [BABITS-1:0] bptr;  // b_base + o
    wire o_last = (o + 1'b1) == f_out;
    wire n_end = (n == LAST_LANE) | o_last;

    assign os_busy = busy_a | (v1 & last1) | (v2 & last2);
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
            bptr <= bptr + 1'b1;
            if (n_end) busy_a <= 1'b0;
        end else if (cap) begin
            busy_a <= 1'b1;
            n <= {NB{1'b0}};
        end
    end

    reg vb, lastb;
    reg [NB-1:0] nb;
    reg [DW-1:0] ob;
    always @(posedge clk) begin
        vb <= busy_a & ~rst;
        nb <= n;
        ob <= o;
        lastb <= o_last;
    end

    wire [ACC-1:0] vsel;
    e3ne_mux #(
        .N (LANES),
        .W (ACC),
        .SB(NB)
    ) u_lane_mux (
        .d  (shadow),
        .sel(nb),
        .y  (vsel)
    );
    wire [ACC:0] sum;
    wire [TMAX-1:0] code;
    e3ne_requant #(
        .ACC  (ACC),
        .TMAX (TMAX),
        .KBITS(KBITS),
        .TBITS(TBITS)
    ) u_requant (
        .v(vsel),
        .bias(b_data),
        .shift(shift),
        .t_out(t_out),
        .sum(sum),
        .code(code)
    );

    wire [DW+15:0] ob_ext = {16'b0, ob};
    reg vc, lastc;
    reg [TMAX-1:0] codec;
    always @(posedge clk) begin
        vc <= vb & ~raw & ~rst;
        lastc <= lastb;
        codec <= code;
        out_valid <= vb & raw & ~rst;
        out_index <= ob_ext[15:0];
        out_data <= sum[ACC-1:0];
    end

    reg [XB-1:0] slot;  // o % ROWW
    wire word_end = (slot == LAST_SLOT) | lastc;
    always @(posedge clk) begin
        if (start) slot <= {XB{1'b0}};
        else if (vc) slot <= word_end ? {XB{1'b0}} : slot + 1'b1;
    end
    e3ne_pool #(
        .TMAX (TMAX),
        .ROWW (ROWW),
        .PKMAX(1)
    ) u_pack (
        .clk(clk),
        .mode(2'd0),
        .size(1'b1),
        .in_valid(vc),
        .in_code(codec),
        .row_start(slot == {XB{1'b0}}),
        .win_first(1'b1),
        .win_last(1'b1),
        .row(wr_data)
    );
    always @(posedge clk) begin
        wr_en <= vc & word_end & ~rst;
        if (start) wr_addr <= dst_base;
        else if (wr_en) wr_addr <= wr_addr + 1'b1;
    end

    // ------------------------------------------------------------------ done
    reg active;
    wire quiet = ~run & ~v1 & ~v2 & ~busy_a & ~vb & ~vc & ~wr_en & ~start;
    assign done = active & quiet;
    always @(posedge clk) begin
        if (rst) active <= 1'b0;
        else if (start) active <= 1'b1;
        else if (quiet) active <= 1'b0;
    end

    wire unused_ok = &{1'b0, t_in_m1, sum[ACC], ob_ext, 1'b0};

`ifdef E3NE_TRACE
    // L <layer> <g> <t> <v0> ... : potentials after each timestep of a group
    reg [DW-1:0] tr_g1, tr_g2;
    reg [TIB-1:0] tr_b1, tr_b2;
    reg tr_f1, tr_f2;
    integer tn;
    always @(posedge clk) begin
        tr_g1 <= g;
        tr_b1 <= b;
        tr_f1 <= f_last;
        tr_g2 <= tr_g1;
        tr_b2 <= tr_b1;
        tr_f2 <= tr_f1;
        if (v2 && tr_f2 && !rst) begin
            $fwrite(trace_fd, "L %0d %0d %0d", trace_layer, tr_g2,
                    t_in_m1 - {{(TBITS - TIB) {1'b0}}, tr_b2});
            for (tn = 0; tn < LANES; tn = tn + 1) $fwrite(trace_fd, " %0d", $signed(vn[tn*ACC+:ACC]));
            $fwrite(trace_fd, "\n");
        end
    end
`endif
endmodule
