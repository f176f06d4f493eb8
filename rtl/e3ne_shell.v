// e3ne_shell: the AXI face of the engine (docs/board.md): an AXI4-Lite control/status slave, an
// AXI4-Stream of input codes (or 8-bit pixels, coded on chip) and an AXI4-Stream of logits.
//
// Input. One beat per input code in (C, H, W) order, TLAST on the last beat of an image. The
// beats are packed into activation-memory rows (docs/hardware.md 2.1) and kept in an input
// buffer of IN_ROWS words, so the next image streams in while the core runs; when the core is
// idle the buffer is copied into bank 0 through the core's load port (IN_ROWS cycles) and the
// image starts. With ENCODER = 1 a beat is a raw pixel and a 256-entry table written by the
// compiler (ENC_INIT) gives its code, the snn.encode of that pixel's value bit for bit.
// An image whose TLAST comes early is dropped; one whose last beat has no TLAST is kept and the
// beats up to the next TLAST are skipped. Both set a flag in ERRORS.
//
// Output. The core streams logits with no back-pressure, so they land in one of two output
// banks of N_OUT words, by index; an image starts only when a bank is free, and a full bank
// streams out in index order (sign-extended to 32 bits, TLAST on the last) at the pace the
// consumer sets with TREADY. Images therefore run back to back while the host keeps up.
//
// Registers (32-bit, byte address): 0x00 CTRL [0] RUN (reset 1: images run as they arrive),
// [1] STEP (write 1: run one waiting image while RUN is 0), [2] CLEAR (write 1: zero IMAGES,
// ISR and ERRORS); 0x04 STATUS [0] BUSY [1] INPUT_WAITING [2] OUTPUT_PENDING [3] IDLE
// [4] ENCODER; 0x08 IER and 0x0C ISR (write 1 to clear) [0] DONE [1] ERROR; 0x10 ERRORS (write
// 1 to clear) [0] TLAST_EARLY [1] TLAST_MISSING [2] CODE_RANGE [3] OUTPUT_INDEX; 0x14 CYCLES
// (the last image's core cycles, start to done, as the exact cycle model counts them);
// 0x18 IMAGES (finished); 0x1C ID; 0x20 IN_COUNT; 0x24 N_OUT; 0x28 CONFIG [7:0] CODE_BITS
// [15:8] ACC [16] ENCODER [17] DRAM; 0x2C DRAM_BASE (read-write, reset 0: the byte address of the
// weight image in DRAM, 4 KB aligned, for a core whose weights are there; docs/hardware.md 2.6).
// irq is high while ISR & IER is not zero.
//
// aresetn may come from anywhere: it is synchronised here (asserted at once, released on the
// second clock edge) and the core's reset is that synchronised reset.
`default_nettype none
module e3ne_shell #(
    parameter TMAX = 4,  // code field width of an activation-memory row
    parameter ROWW = 8,  // codes per row
    parameter ABITS = 6,  // core load address bits
    parameter ACC = 16,  // logit width
    parameter IN_W = 8,  // codes per input row
    parameter IN_ROWS = 8,  // input rows of an image
    parameter IN_COUNT = 64,  // beats of an image
    parameter CODE_BITS = 4,  // bits of an input code (the network input's timesteps)
    parameter N_OUT = 10,  // logits of an image
    parameter ENCODER = 0,  // 1: beats are pixels, coded by the table in ENC_INIT
    parameter ENC_INIT = "pixel_codes.mem",
    parameter DRAM = 0  // 1: the core reads its weights from DRAM at dram_base (CONFIG bit 17)
) (
    input wire aclk,
    input wire aresetn,
    // AXI4-Lite control
    input wire [7:0] s_axi_ctrl_awaddr,
    input wire [2:0] s_axi_ctrl_awprot,
    input wire s_axi_ctrl_awvalid,
    output wire s_axi_ctrl_awready,
    input wire [31:0] s_axi_ctrl_wdata,
    input wire [3:0] s_axi_ctrl_wstrb,
    input wire s_axi_ctrl_wvalid,
    output wire s_axi_ctrl_wready,
    output wire [1:0] s_axi_ctrl_bresp,
    output reg s_axi_ctrl_bvalid,
    input wire s_axi_ctrl_bready,
    input wire [7:0] s_axi_ctrl_araddr,
    input wire [2:0] s_axi_ctrl_arprot,
    input wire s_axi_ctrl_arvalid,
    output wire s_axi_ctrl_arready,
    output reg [31:0] s_axi_ctrl_rdata,
    output wire [1:0] s_axi_ctrl_rresp,
    output reg s_axi_ctrl_rvalid,
    input wire s_axi_ctrl_rready,
    // AXI4-Stream in: codes or pixels
    input wire [7:0] s_axis_in_tdata,
    input wire s_axis_in_tvalid,
    output wire s_axis_in_tready,
    input wire s_axis_in_tlast,
    // AXI4-Stream out: logits
    output reg [31:0] m_axis_out_tdata,
    output reg m_axis_out_tvalid,
    input wire m_axis_out_tready,
    output reg m_axis_out_tlast,
    output reg irq,
    // the core (e3ne_top)
    output wire core_rst,
    output reg load_en,
    output reg [ABITS-1:0] load_addr,
    output wire [ROWW*TMAX-1:0] load_data,
    output reg start,
    input wire busy,
    input wire done,
    input wire out_valid,
    input wire [15:0] out_index,
    input wire [ACC-1:0] out_data,
    output reg [31:0] dram_base  // DRAM_BASE
);
    localparam AW = ROWW * TMAX;
    localparam CB = (IN_W > 1) ? $clog2(IN_W) : 1;
    localparam RB = (IN_ROWS > 1) ? $clog2(IN_ROWS) : 1;
    localparam OB = (N_OUT > 1) ? $clog2(N_OUT) : 1;
    localparam IN_LAST_W = IN_COUNT - (IN_ROWS - 1) * IN_W;  // codes in the last row
    // 32-bit constants, sliced to the width of what they meet
    localparam [31:0] COL_END = IN_W - 1;
    localparam [31:0] COL_END_LAST = IN_LAST_W - 1;
    localparam [31:0] ROW_LAST = IN_ROWS - 1;
    localparam [31:0] ROWS = IN_ROWS;
    localparam [31:0] IDX_LAST = N_OUT - 1;
    localparam [31:0] OUTS = N_OUT;
    localparam [31:0] CODE_MAX = (1 << CODE_BITS) - 1;
    localparam [31:0] IN_COUNT32 = IN_COUNT;
    localparam [31:0] N_OUT32 = N_OUT;
    localparam [31:0] CONFIG = {14'd0, DRAM != 0, ENCODER != 0, 8'd0, 8'd0} | (ACC << 8) | CODE_BITS;
    localparam [31:0] ID = 32'hE3AE_0001;

    // ------------------------------------------------------------------ reset synchroniser
    reg [1:0] rst_sync;
    always @(posedge aclk or negedge aresetn) begin
        if (!aresetn) rst_sync <= 2'b11;
        else rst_sync <= {rst_sync[0], 1'b0};
    end
    wire rst = rst_sync[1];
    assign core_rst = rst;

    // ------------------------------------------------------------------ input: beats to rows
    reg [CB-1:0] col;
    reg [RB-1:0] row;
    reg in_full;  // a whole image waits in the input buffer
    reg skipping;  // beats up to TLAST are dropped (a missing TLAST)
    reg row_wr;  // the row just completed is written to the buffer this cycle
    reg [RB-1:0] wr_row;
    reg copy_done;
    assign s_axis_in_tready = !rst && !in_full;
    wire take = s_axis_in_tvalid && s_axis_in_tready;
    wire last_row = row == ROW_LAST[RB-1:0];
    wire row_end = col == (last_row ? COL_END_LAST[CB-1:0] : COL_END[CB-1:0]);
    wire image_end = last_row && row_end;
    wire ev_early = take && !skipping && s_axis_in_tlast && !image_end;
    wire ev_missing = take && !skipping && image_end && !s_axis_in_tlast;

    wire [7:0] code8;
    wire ev_range;
    generate
        if (ENCODER != 0) begin : g_encoder
            reg [7:0] table_mem[0:255];
            initial $readmemh(ENC_INIT, table_mem);
            assign code8 = table_mem[s_axis_in_tdata];
            assign ev_range = 1'b0;
        end else if (CODE_BITS < 8) begin : g_codes
            wire over = s_axis_in_tdata > CODE_MAX[7:0];
            assign code8 = over ? CODE_MAX[7:0] : s_axis_in_tdata;
            assign ev_range = take && !skipping && over;
        end else begin : g_bytes  // every byte is a code
            assign code8 = s_axis_in_tdata;
            assign ev_range = 1'b0;
        end
    endgenerate
    wire [TMAX-1:0] code;
    generate
        if (TMAX > 8) begin : g_wide
            assign code = {{(TMAX - 8) {1'b0}}, code8};
        end else if (TMAX == 8) begin : g_byte
            assign code = code8;
        end else begin : g_narrow
            assign code = code8[TMAX-1:0];
            wire unused_high = &{1'b0, code8[7:TMAX], 1'b0};
        end
    endgenerate

    wire [AW-1:0] row_word;
    genvar g;
    generate
        for (g = 0; g < ROWW; g = g + 1) begin : g_field
            if (g < IN_W) begin : g_used
                localparam [CB-1:0] G = g;
                reg [TMAX-1:0] field;
                always @(posedge aclk) begin
                    if (rst) field <= {TMAX{1'b0}};
                    else if (take && col == G) field <= code;
                    else if (row_wr) field <= {TMAX{1'b0}};  // a short last row reads zeros past its end
                end
                assign row_word[g*TMAX+:TMAX] = field;
            end else begin : g_pad
                assign row_word[g*TMAX+:TMAX] = {TMAX{1'b0}};
            end
        end
    endgenerate

    always @(posedge aclk) begin
        if (rst) begin
            col <= {CB{1'b0}};
            row <= {RB{1'b0}};
            in_full <= 1'b0;
            skipping <= 1'b0;
            row_wr <= 1'b0;
            wr_row <= {RB{1'b0}};
        end else begin
            row_wr <= take && !skipping && row_end;
            wr_row <= row;
            if (take) begin
                if (skipping) begin
                    skipping <= !s_axis_in_tlast;
                end else if (image_end) begin
                    col <= {CB{1'b0}};
                    row <= {RB{1'b0}};
                    in_full <= 1'b1;
                    skipping <= !s_axis_in_tlast;
                end else if (s_axis_in_tlast) begin  // early: drop what came
                    col <= {CB{1'b0}};
                    row <= {RB{1'b0}};
                end else if (row_end) begin
                    col <= {CB{1'b0}};
                    row <= row + 1'b1;
                end else begin
                    col <= col + 1'b1;
                end
            end
            if (copy_done) in_full <= 1'b0;
        end
    end

    reg [AW-1:0] in_buf[0:IN_ROWS-1];
    reg [AW-1:0] in_q;
    reg [ABITS:0] cp;  // copy counter
    always @(posedge aclk) begin
        if (row_wr) in_buf[wr_row] <= row_word;
    end
    always @(posedge aclk) begin
        in_q <= in_buf[cp[RB-1:0]];
    end
    assign load_data = in_q;

    // ------------------------------------------------------------------ running images
    localparam S_IDLE = 2'd0, S_COPY = 2'd1, S_RUN = 2'd2;
    reg [1:0] state;
    reg run_en, step_req;
    reg wbank;  // output bank of the running image
    reg [1:0] ob_full;
    reg [31:0] cyc, cycles, images;
    wire go = state == S_IDLE && in_full && !row_wr && !busy && !ob_full[wbank] && (run_en || step_req);
    wire finished = state == S_RUN && done && !start;

    always @(posedge aclk) begin
        if (rst) begin
            state <= S_IDLE;
            cp <= {(ABITS + 1) {1'b0}};
            load_en <= 1'b0;
            load_addr <= {ABITS{1'b0}};
            start <= 1'b0;
            copy_done <= 1'b0;
            cyc <= 32'd0;
        end else begin
            copy_done <= 1'b0;
            start <= 1'b0;
            cyc <= start ? 32'd1 : cyc + 32'd1;
            case (state)
                S_IDLE: begin
                    cp <= {(ABITS + 1) {1'b0}};
                    if (go) state <= S_COPY;
                end
                S_COPY: begin
                    // in_q holds row cp-1: it is loaded while row cp is read
                    load_en <= cp != ROWS[ABITS:0];
                    load_addr <= cp[ABITS-1:0];
                    cp <= cp + 1'b1;
                    if (cp == ROWS[ABITS:0]) begin
                        copy_done <= 1'b1;
                        start <= 1'b1;
                        state <= S_RUN;
                    end
                end
                default: begin
                    if (finished) state <= S_IDLE;
                end
            endcase
        end
    end

    // ------------------------------------------------------------------ output banks
    reg [ACC-1:0] out_buf[0:(2 << OB)-1];
    reg rbank;
    reg [OB-1:0] ridx;
    wire ev_index = out_valid && state == S_RUN && out_index >= OUTS[15:0];
    always @(posedge aclk) begin
        if (out_valid && state == S_RUN) out_buf[{wbank, out_index[OB-1:0]}] <= out_data;
    end
    wire [ACC-1:0] ob_word = out_buf[{rbank, ridx}];
    wire drain = ob_full[rbank] && (!m_axis_out_tvalid || m_axis_out_tready);
    wire drained = drain && ridx == IDX_LAST[OB-1:0];

    always @(posedge aclk) begin
        if (rst) begin
            wbank <= 1'b0;
            rbank <= 1'b0;
            ridx <= {OB{1'b0}};
            ob_full <= 2'b00;
            m_axis_out_tvalid <= 1'b0;
            m_axis_out_tlast <= 1'b0;
            m_axis_out_tdata <= 32'd0;
        end else begin
            if (finished) wbank <= ~wbank;
            ob_full <= (ob_full & ~({1'b0, drained} << rbank)) | ({1'b0, finished} << wbank);
            if (drain) begin
                m_axis_out_tdata <= {{(32 - ACC) {ob_word[ACC-1]}}, ob_word};
                m_axis_out_tvalid <= 1'b1;
                m_axis_out_tlast <= drained;
                ridx <= drained ? {OB{1'b0}} : ridx + 1'b1;
                if (drained) rbank <= ~rbank;
            end else if (m_axis_out_tready) begin
                m_axis_out_tvalid <= 1'b0;
            end
        end
    end

    // ------------------------------------------------------------------ AXI4-Lite registers
    reg [1:0] ier, isr;
    reg [3:0] errors;
    wire [3:0] error_events = {ev_index, ev_range, ev_missing, ev_early};
    wire wr = s_axi_ctrl_awvalid && s_axi_ctrl_wvalid && !s_axi_ctrl_bvalid;
    wire [5:0] waddr = s_axi_ctrl_awaddr[7:2];
    wire [3:0] wbyte = s_axi_ctrl_wstrb[0] ? s_axi_ctrl_wdata[3:0] : 4'd0;
    wire clear = wr && waddr == 6'h00 && wbyte[2];
    assign s_axi_ctrl_awready = wr;
    assign s_axi_ctrl_wready = wr;
    assign s_axi_ctrl_bresp = 2'b00;
    assign s_axi_ctrl_arready = !s_axi_ctrl_rvalid;
    assign s_axi_ctrl_rresp = 2'b00;

    always @(posedge aclk) begin
        if (rst) begin
            s_axi_ctrl_bvalid <= 1'b0;
            run_en <= 1'b1;
            step_req <= 1'b0;
            ier <= 2'b00;
            isr <= 2'b00;
            errors <= 4'd0;
            images <= 32'd0;
            cycles <= 32'd0;
            irq <= 1'b0;
            dram_base <= 32'd0;
        end else begin
            if (wr && waddr == 6'h0B) begin  // DRAM_BASE, byte by byte
                if (s_axi_ctrl_wstrb[0]) dram_base[7:0] <= s_axi_ctrl_wdata[7:0];
                if (s_axi_ctrl_wstrb[1]) dram_base[15:8] <= s_axi_ctrl_wdata[15:8];
                if (s_axi_ctrl_wstrb[2]) dram_base[23:16] <= s_axi_ctrl_wdata[23:16];
                if (s_axi_ctrl_wstrb[3]) dram_base[31:24] <= s_axi_ctrl_wdata[31:24];
            end
            if (wr) s_axi_ctrl_bvalid <= 1'b1;
            else if (s_axi_ctrl_bready) s_axi_ctrl_bvalid <= 1'b0;
            if (wr && waddr == 6'h00) begin
                run_en <= wbyte[0];
                if (wbyte[1]) step_req <= 1'b1;
            end
            if (go) step_req <= 1'b0;
            if (wr && waddr == 6'h02) ier <= wbyte[1:0];
            isr <= clear ? 2'b00 : (isr & ~((wr && waddr == 6'h03) ? wbyte[1:0] : 2'b00))
                | {|error_events, finished};
            errors <= clear ? 4'd0 : (errors & ~((wr && waddr == 6'h04) ? wbyte[3:0] : 4'd0)) | error_events;
            if (clear) images <= 32'd0;
            else if (finished) images <= images + 32'd1;
            if (finished) cycles <= cyc;
            irq <= |(isr & ier);
        end
    end

    wire idle = state == S_IDLE && !in_full && ob_full == 2'b00 && !m_axis_out_tvalid && !busy;
    always @(posedge aclk) begin
        if (rst) begin
            s_axi_ctrl_rvalid <= 1'b0;
            s_axi_ctrl_rdata <= 32'd0;
        end else if (s_axi_ctrl_arvalid && !s_axi_ctrl_rvalid) begin
            s_axi_ctrl_rvalid <= 1'b1;
            case (s_axi_ctrl_araddr[7:2])
                6'h00: s_axi_ctrl_rdata <= {31'd0, run_en};
                6'h01: s_axi_ctrl_rdata <= {27'd0, ENCODER != 0, idle, ob_full != 2'b00 || m_axis_out_tvalid,
                                            in_full, busy};
                6'h02: s_axi_ctrl_rdata <= {30'd0, ier};
                6'h03: s_axi_ctrl_rdata <= {30'd0, isr};
                6'h04: s_axi_ctrl_rdata <= {28'd0, errors};
                6'h05: s_axi_ctrl_rdata <= cycles;
                6'h06: s_axi_ctrl_rdata <= images;
                6'h07: s_axi_ctrl_rdata <= ID;
                6'h08: s_axi_ctrl_rdata <= IN_COUNT32;
                6'h09: s_axi_ctrl_rdata <= N_OUT32;
                6'h0A: s_axi_ctrl_rdata <= CONFIG;
                6'h0B: s_axi_ctrl_rdata <= dram_base;
                default: s_axi_ctrl_rdata <= 32'd0;
            endcase
        end else if (s_axi_ctrl_rready) begin
            s_axi_ctrl_rvalid <= 1'b0;
        end
    end

    wire unused_ok = &{1'b0, s_axi_ctrl_awprot, s_axi_ctrl_arprot, s_axi_ctrl_awaddr[1:0], s_axi_ctrl_araddr[1:0],
                       1'b0};
endmodule
`default_nettype wire
