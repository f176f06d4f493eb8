// Testbench of e3ne_core for test/rtl: loads input words through the load port, runs the layer
// program, prints raw outputs ("O <index> <value>"), the cycle count ("CYCLES <n>": clock
// edges from the one that samples start to the one that raises done, inclusive) and the number of
// activation-memory writes of the program ("WRITES <n>"), and dumps the activation memory (both
// banks) with $writememh. The ROM images are the default file names of
// e3ne_core in the working directory, so one build serves many layers.
//   +input=<file> +nload=<words> +dump=<file> +maxcycles=<n>
// With WDRAM set, the core's weights come from axi_rom_model (rtl/e3ne_axi_rom_model.vh), which reads its beats from
// +dram=<file> (default dram.mem) and takes +lat, +latmask, +lfsr and +qdepth; the testbench
// prints "BURSTS <n>" and "AXIERR <n>" (protocol violations of the master, must be 0).
`timescale 1ns / 1ps
`include "e3ne_axi_rom_model.vh"
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

