// e3ne_wfetch: an engine's weights streamed from DRAM (docs/hardware.md 2.6): an AXI4 read-only
// master (AR/R channels, INCR bursts) that fills a weight cache, and the cache the engine reads in
// place of its weight ROM.
//
// The weight image in DRAM is the ROM image, word n (the ROM address) in the SLOT = BPW*AXIW/8
// bytes at base + n*SLOT, BPW = the beats a word takes (a power of two; a word narrower than a
// beat takes one beat, little-endian: beat 0 holds bits [0 +: AXIW]). A layer's words are
// w_base ... w_end-1; the engine reads them group by group (docs/hardware.md 2.2, 2.3), each group
// once per row-tile and timestep, so the cache holds CDEPTH >= 2 groups of words as a ring (word
// n in cache word n % CDEPTH): the group being computed and the ones after it.
//
// Fetch rule (the cycle model, e3ne.engine.cycles, reproduces it): after the engine's start the
// master requests the layer's words in order, one burst at a time (ARVALID is raised only while no
// request is pending, from the second cycle after the start), each burst as long as it may be: up
// to the next multiple of BWORDS words (so no burst crosses a 4 KB boundary when base is 4 KB
// aligned), the end of the layer, and the free cache words, gbase + CDEPTH - nreq (gbase: the
// first word of the group the engine computes, as it was two edges before the request, so no word
// of it is overwritten). RREADY is always high: every requested word has its cache word.
// A word is written in the cycle its last beat arrives; the engine's step that reads word n
// issues only once it is written (w_ok: w_step < wr), so it stalls only in a group's first pass
// over its words, and only on a word that is not there yet.
module e3ne_wfetch #(
    parameter WBITS = 16,  // weight word bits
    parameter ABITS = 4,  // weight address bits (ROM address space, whole DRAM image)
    parameter CDEPTH = 16,  // cache words, a power of two
    parameter AXIW = 64,  // AXI data bits
    parameter AXIA = 32,  // AXI address bits
    parameter BURST = 16,  // most beats of a burst, a power of two <= 256
    parameter BPW = (WBITS <= AXIW) ? 1 : (1 << $clog2((WBITS + AXIW - 1) / AXIW)),  // beats per word
    parameter BWORDS = (BURST >= BPW) ? BURST / BPW : 1,  // most words of a burst
    parameter CAB = (CDEPTH > 1) ? $clog2(CDEPTH) : 1,
    parameter PW = ((ABITS > CAB) ? ABITS : CAB) + 2  // word pointers (room for the end and the ring)
) (
    input wire clk,
    input wire rst,
    input wire start,  // the engine starts a layer (w_base, w_end held)
    input wire [AXIA-1:0] base,  // DRAM byte address of the image (4 KB aligned)
    input wire [ABITS-1:0] w_base,  // the layer's first word
    input wire [PW-1:0] w_end,  // one past its last
    input wire [ABITS-1:0] gbase,  // the first word of the engine's group
    input wire [ABITS-1:0] w_step,  // the word of the engine's next step
    output wire w_ok,  // it is in the cache
    input wire [ABITS-1:0] rd_addr,  // the engine's weight address: rd_data one cycle later
    output reg [WBITS-1:0] rd_data,
    // AXI4 read address and data channels
    output reg m_arvalid,
    input wire m_arready,
    output reg [AXIA-1:0] m_araddr,
    output reg [7:0] m_arlen,
    output wire [2:0] m_arsize,
    output wire [1:0] m_arburst,
    input wire m_rvalid,
    output wire m_rready,
    input wire [AXIW-1:0] m_rdata,
    input wire m_rlast,
    input wire [1:0] m_rresp
);
    localparam SLOTB = $clog2(BPW * AXIW / 8);  // log2 of a word's bytes in DRAM
    localparam BWB = $clog2(BWORDS) + 1;  // bits of a burst's word count
    localparam BPWB = (BPW > 1) ? $clog2(BPW) : 1;

    localparam integer ARSIZE = $clog2(AXIW / 8);
    assign m_arsize = ARSIZE[2:0];
    assign m_arburst = 2'b01;  // INCR
    assign m_rready = 1'b1;

    reg [PW-1:0] nreq;  // the next word to request
    reg [PW-1:0] wr;  // the next word to arrive
    reg [PW-1:0] wend;

    // the burst's words: min(to the next BWORDS boundary, the layer's end, the free cache words)
    wire [PW-1:0] left = wend - nreq;
    wire [PW-1:0] space = {{(PW - ABITS) {1'b0}}, gbase} + CDEPTH[PW-1:0] - nreq;
    wire [BWB-1:0] to_b;  // BWORDS - nreq % BWORDS
    generate
        if (BWORDS > 1) begin : g_bwords
            wire [PW+BWB-1:0] nreq_x = {{BWB{1'b0}}, nreq};
            localparam integer BWORDS_I = BWORDS;
            assign to_b = BWORDS_I[BWB-1:0] - {1'b0, nreq_x[BWB-2:0]};
            wire unused_b = &{1'b0, nreq_x, 1'b0};
        end else begin : g_bword
            assign to_b = 1'b1;
        end
    endgenerate
    wire [PW+BWB-1:0] to_bw = {{PW{1'b0}}, to_b};
    wire [PW+BWB-1:0] left_x = {{BWB{1'b0}}, left};
    wire [PW-1:0] len0 = (left_x < to_bw) ? left : to_bw[PW-1:0];  // (a burst may pass the image)
    wire [PW-1:0] len = (space < len0) ? space : len0;
    // The length is registered (len_q: from the values before the last edge, so the request sees
    // the group base one cycle late) to keep its subtractions and comparisons off the request's
    // enables. It is stale only in the cycle after a request, when ARVALID is high anyway, and in
    // the cycle after the start (fresh = 0).
    reg [PW-1:0] len_q;
    reg fresh;
    wire [PW+7:0] beats = ({8'd0, len_q} << $clog2(BPW)) - 1'b1;  // ARLEN (len*BPW <= BURST beats)
    wire [AXIA-1:0] offset = {{(AXIA - PW) {1'b0}}, nreq} << SLOTB;

    always @(posedge clk) begin
        len_q <= len;
        if (rst) begin
            nreq <= {PW{1'b0}};
            wend <= {PW{1'b0}};
            m_arvalid <= 1'b0;
            fresh <= 1'b0;
        end else if (start) begin
            nreq <= {{(PW - ABITS) {1'b0}}, w_base};
            wend <= w_end;
            m_arvalid <= 1'b0;
            fresh <= 1'b0;
        end else begin
            fresh <= 1'b1;
            if (m_arvalid) begin
                if (m_arready) m_arvalid <= 1'b0;
            end else if (fresh && len_q != {PW{1'b0}}) begin
                m_arvalid <= 1'b1;
                m_araddr <= base + offset;
                m_arlen <= beats[7:0];
                nreq <= nreq + len_q;
            end
        end
    end

    // ------------------------------------------------------------------ R: words into the cache
    (* ram_style = "block" *) reg [WBITS-1:0] mem[0:CDEPTH-1];
    wire [BPW*AXIW-1:0] word;
    wire wr_en;
    generate
        if (BPW == 1) begin : g_one
            assign word = m_rdata;
            assign wr_en = m_rvalid;
        end else begin : g_beats
            reg [BPWB-1:0] beat;
            reg [(BPW-1)*AXIW-1:0] low;  // the word's earlier beats, the latest at the top
            assign word = {m_rdata, low};
            assign wr_en = m_rvalid & (&beat);
            always @(posedge clk) begin
                if (rst || start) beat <= {BPWB{1'b0}};
                else if (m_rvalid) beat <= beat + 1'b1;
            end
            if (BPW == 2) begin : g_two
                always @(posedge clk) if (m_rvalid) low <= m_rdata;
            end else begin : g_more
                always @(posedge clk) if (m_rvalid) low <= {m_rdata, low[(BPW-1)*AXIW-1:AXIW]};
            end
        end
    endgenerate

    wire [PW-1:0] rd_ring = {{(PW - ABITS) {1'b0}}, rd_addr};  // (a cache may be larger than the image)
    always @(posedge clk) begin
        if (rst) wr <= {PW{1'b0}};
        else if (start) wr <= {{(PW - ABITS) {1'b0}}, w_base};
        else if (wr_en) wr <= wr + 1'b1;
        if (wr_en) mem[wr[CAB-1:0]] <= word[WBITS-1:0];
        rd_data <= mem[rd_ring[CAB-1:0]];
    end

    assign w_ok = {{(PW - ABITS) {1'b0}}, w_step} < wr;

    wire unused_ok = &{1'b0, m_rlast, m_rresp, word, beats, rd_ring, 1'b0};  // the ring uses the low bits
endmodule
