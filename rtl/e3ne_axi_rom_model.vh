// e3ne_axi_rom_model.vh: simulation only (a .vh, so no synthesis file list names it): the AXI4
// memory that serves weights in DRAM (docs/hardware.md 2.6) in test/rtl/tb_core.v and in the
// testbench e3ne compile generates (lowering/templates/tb.v.j2).
`ifndef E3NE_AXI_ROM_MODEL_VH
`define E3NE_AXI_ROM_MODEL_VH
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
`endif
