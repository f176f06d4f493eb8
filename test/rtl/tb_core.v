// Testbench of e3ne_core for test/rtl: loads input words through the load port, runs the layer
// program, prints raw outputs ("O <index> <value>"), the cycle count ("CYCLES <n>": clock
// edges from the one that samples start to the one that raises done, inclusive) and the number of
// activation-memory writes of the program ("WRITES <n>"), and dumps the activation memory (both
// banks) with $writememh. The ROM images are the default file names of
// e3ne_core in the working directory, so one build serves many layers.
//   +input=<file> +nload=<words> +dump=<file> +maxcycles=<n>
// With WDRAM set, the core's weights come from axi_rom_model (below), which reads its beats from
// +dram=<file> (default dram.mem) and takes +lat, +latmask, +lfsr and +qdepth; the testbench
// prints "BURSTS <n>" and "AXIERR <n>" (protocol violations of the master, must be 0).
`timescale 1ns / 1ps
module tb_core;
    parameter TMAX = 4, ROWW = 8, ADEPTH = 64, COLS = 8, CU = 2, SLOTS = 1;
    parameter [SLOTS:0] SLOT_SET = 2;
    parameter LANES = 16;
    parameter WB = 8, ACC = 16;
    parameter KMAX = 5, SMAX = 2, PMAX = 2, PKMAX = 2, PBANKS = 1;
    parameter CWDEPTH = 16, LWDEPTH = 16, BDEPTH = 16, PDEPTH = 64, HAS_CONV = 1, HAS_LINEAR = 1, DW = 16, KBITS = 8, HAS_SIGNED = 0;
    localparam AW = ROWW * TMAX;
    parameter WDRAM = 0, AXIW = 64, AXI_BURST = 16, CWCACHE = 16, LWCACHE = 16, LW_DRAM = 4096;
    localparam AB = $clog2(ADEPTH);

    reg clk = 1'b0, rst = 1'b1, load_en = 1'b0, start = 1'b0;
    reg [AB-1:0] load_addr = {AB{1'b0}};
    reg [AW-1:0] load_data = {AW{1'b0}};
    wire busy, done, out_valid;
    wire [15:0] out_index;
    wire [ACC-1:0] out_data;

    e3ne_core #(
        .TMAX(TMAX), .ROWW(ROWW), .ADEPTH(ADEPTH), .COLS(COLS), .CU(CU), .SLOTS(SLOTS),
        .SLOT_SET(SLOT_SET), .LANES(LANES), .WB(WB), .ACC(ACC), .KMAX(KMAX), .SMAX(SMAX),
        .PMAX(PMAX), .PKMAX(PKMAX), .PBANKS(PBANKS), .CWDEPTH(CWDEPTH), .LWDEPTH(LWDEPTH), .BDEPTH(BDEPTH),
        .PDEPTH(PDEPTH), .HAS_CONV(HAS_CONV), .HAS_LINEAR(HAS_LINEAR), .DW(DW), .KBITS(KBITS), .HAS_SIGNED(HAS_SIGNED),
        .WDRAM(WDRAM), .AXIW(AXIW), .AXI_BURST(AXI_BURST), .CWCACHE(CWCACHE), .LWCACHE(LWCACHE), .LW_DRAM(LW_DRAM)
    ) dut (
        .clk(clk), .rst(rst), .load_en(load_en), .load_addr(load_addr), .load_data(load_data),
        .start(start), .busy(busy), .done(done), .out_valid(out_valid), .out_index(out_index),
        .out_data(out_data), .dram_base(32'd0),
        .m_axi_arvalid(arvalid), .m_axi_arready(arready), .m_axi_araddr(araddr), .m_axi_arlen(arlen),
        .m_axi_arsize(arsize), .m_axi_arburst(arburst), .m_axi_rvalid(rvalid), .m_axi_rready(rready),
        .m_axi_rdata(rdata), .m_axi_rlast(rlast), .m_axi_rresp(rresp)
    );

    wire arvalid, arready, rvalid, rready, rlast;
    wire [31:0] araddr;
    wire [7:0] arlen;
    wire [2:0] arsize;
    wire [1:0] arburst, rresp;
    wire [AXIW-1:0] rdata;
    wire [31:0] bursts, axi_errors;
    axi_rom_model #(.AXIW(AXIW)) u_dram (
        .clk(clk), .rst(rst), .arvalid(arvalid), .arready(arready), .araddr(araddr), .arlen(arlen),
        .arsize(arsize), .arburst(arburst), .rvalid(rvalid), .rready(rready), .rdata(rdata), .rlast(rlast),
        .rresp(rresp), .bursts(bursts), .errors(axi_errors)
    );

    reg [AW-1:0] inp[0:ADEPTH-1];
    reg [8*256-1:0] fname;
    integer nload, k, cycles, maxc;
    integer writes = 0;

    always #5 clk = ~clk;

    always @(posedge clk) begin
        if (out_valid && !rst) $display("O %0d %0d", out_index, $signed(out_data));
        if (busy && dut.wr_en && !rst) writes = writes + 1;
    end

    initial begin
        if (!$value$plusargs("nload=%d", nload)) nload = 0;
        if (!$value$plusargs("maxcycles=%d", maxc)) maxc = 10000000;
        if ($value$plusargs("input=%s", fname)) $readmemh(fname, inp);
        @(negedge clk);
        @(negedge clk);
        rst = 1'b0;
        for (k = 0; k < nload; k = k + 1) begin
            load_en = 1'b1;
            load_addr = k[AB-1:0];
            load_data = inp[k];
            @(negedge clk);
        end
        load_en = 1'b0;
        start = 1'b1;
        @(negedge clk);
        start = 1'b0;
        cycles = 1;
        while (!done && cycles < maxc) begin
            @(negedge clk);
            cycles = cycles + 1;
        end
        if (!done) $display("TIMEOUT");
        $display("CYCLES %0d", cycles);
        $display("WRITES %0d", writes);
        $display("BURSTS %0d", bursts);
        $display("AXIERR %0d", axi_errors);
        if ($value$plusargs("dump=%s", fname)) $writememh(fname, dut.u_act.mem);
        $finish;
    end
endmodule


// axi_rom_model: an AXI4 read-only memory (INCR bursts, one ID, in order) whose latency is
// documented so that e3ne.engine.cycles reproduces it (DramTiming). Burst b (numbered from 0 over
// the whole run) is accepted at the edge A_b where ARVALID and ARREADY are both high; ARREADY is
// high while fewer than +qdepth bursts are queued (a burst leaves with its last beat). Its first
// beat's handshake is at edge max(A_b + lat_b, the previous burst's last beat + 1), one beat per
// cycle after it while RREADY is high (RVALID and the beat held while it is low), RLAST on the
// last. lat_b = +lat + (s_b & +latmask), s_0 = +lfsr and s_(b+1) the 16-bit Fibonacci LFSR step
// of s_b (taps 16, 14, 13, 11: new bit s[15]^s[13]^s[12]^s[10] shifted in at the bottom).
// +lat >= 2 (the earliest a burst's beat can follow its acceptance). The contents are beats
// (AXIW bits, $readmemh of +dram=, default dram.mem), beat i at byte address i*AXIW/8.
// `errors` counts what the master must not do: change or drop a pending request, a burst that is
// not INCR of full beats, crosses 4 KB or leaves the memory.
module axi_rom_model #(
    parameter AXIW = 64,
    parameter MBEATS = 1 << 16,
    parameter QMAX = 16
) (
    input wire clk,
    input wire rst,
    input wire arvalid,
    output wire arready,
    input wire [31:0] araddr,
    input wire [7:0] arlen,
    input wire [2:0] arsize,
    input wire [1:0] arburst,
    output reg rvalid,
    input wire rready,
    output reg [AXIW-1:0] rdata,
    output reg rlast,
    output wire [1:0] rresp,
    output reg [31:0] bursts,
    output reg [31:0] errors
);
    reg [AXIW-1:0] mem[0:MBEATS-1];
    reg [8*256-1:0] fname;
    integer lat, latmask, qdepth, k;
    reg [15:0] lfsr;
    initial begin
        if (!$value$plusargs("lat=%d", lat)) lat = 2;
        if (!$value$plusargs("latmask=%d", latmask)) latmask = 0;
        if (!$value$plusargs("qdepth=%d", qdepth)) qdepth = 4;
        if (!$value$plusargs("lfsr=%d", k)) k = 1;
        lfsr = k[15:0];
        if (!$value$plusargs("dram=%s", fname)) fname = "dram.mem";
        for (k = 0; k < MBEATS; k = k + 1) mem[k] = {AXIW{1'b0}};
        $readmemh(fname, mem);
    end

    reg [63:0] now;
    reg [31:0] q_beat[0:QMAX-1];  // first beat
    reg [8:0] q_len[0:QMAX-1];  // beats
    reg [63:0] q_ready[0:QMAX-1];  // the edge of the first beat at the earliest
    integer head, tail, count, beat;
    reg ar_wait;  // a request was pending (not accepted) at the last edge
    reg [31:0] ar_addr_w;
    reg [7:0] ar_len_w;

    assign arready = count < qdepth;
    assign rresp = 2'b00;

    integer h, c, n;
    always @(posedge clk) begin
        if (rst) begin
            now <= 64'd0;
            head <= 0;
            tail = 0;
            count <= 0;
            beat <= 0;
            rvalid <= 1'b0;
            rlast <= 1'b0;
            ar_wait <= 1'b0;
            bursts <= 32'd0;
            errors <= 32'd0;
        end else begin
            now <= now + 64'd1;
            h = head;
            c = count;
            n = beat;
            // R: the beat presented is taken
            if (rvalid && rready) begin
                if (rlast) begin
                    h = (h + 1) % QMAX;
                    c = c - 1;
                    n = 0;
                end else n = n + 1;
            end
            // AR: a request accepted now is queued for the next edges
            if (ar_wait && (!arvalid || araddr != ar_addr_w || arlen != ar_len_w)) errors <= errors + 1;
            ar_wait <= arvalid & ~arready;
            ar_addr_w <= araddr;
            ar_len_w <= arlen;
            if (arvalid && arready) begin
                if (arburst != 2'b01 || (8 << arsize) != AXIW || araddr % (AXIW / 8) != 0 ||
                    (araddr % 4096) + (arlen + 1) * (AXIW / 8) > 4096 ||
                    araddr / (AXIW / 8) + arlen + 1 > MBEATS)
                    errors <= errors + 1;
                q_beat[tail] = araddr / (AXIW / 8);
                q_len[tail] = {1'b0, arlen} + 9'd1;
                q_ready[tail] = now + lat + (lfsr & latmask);
                lfsr <= {lfsr[14:0], lfsr[15] ^ lfsr[13] ^ lfsr[12] ^ lfsr[10]};
                tail = (tail + 1) % QMAX;
                bursts <= bursts + 1;
            end
            // the beat of the next edge: the head burst's next beat, once it may come
            if ((rvalid && !rready) || (c > 0 && q_ready[h] <= now + 1)) begin
                rvalid <= 1'b1;
                rdata <= mem[q_beat[h] + n];
                rlast <= n + 1 == q_len[h];
            end else begin
                rvalid <= 1'b0;
                rlast <= 1'b0;
            end
            if (arvalid && arready) c = c + 1;
            head <= h;
            count <= c;  // ARREADY: what the master sees at the next edge
            beat <= n;
        end
    end
endmodule
