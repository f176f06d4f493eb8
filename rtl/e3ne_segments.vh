// e3ne_segments.vh: channel-slot constants of a conv unit (docs/hardware.md 2.2, 3), included
// inside the modules that need them (e3ne_core, e3ne_conv_engine, e3ne_step_pipe).
//
// SLOT_SET is a bit mask over the slot counts the layers use (bit n set: n slots), as wide as
// SLOTS + 1; the functions take it zero-extended to 1025 bits (COLS <= 1024), SLOT_MASK.
//
// A layer of n channel slots puts slot j in lanes j*SW .. j*SW+SW-1, SW = COLS / n, and leaves
// lanes n*SW .. COLS-1 idle. Cutting the lanes at every slot start of every n (and at COLS)
// gives segments that each lie inside one slot, or the idle tail, whatever n the layer runs.
// The ROM word holds one weight per segment and unit, written by the compiler for the layer's n,
// so a lane's weight is a fixed field of the word: no multiplexer over the slot counts per lane,
// paid for by a wider word in block RAM.
//
// e3ne_segment(cols, slot_set, x): the segment of lane x, the number of cuts in 1 .. x (for
// x = cols: the number of segments). e3ne.engine.schema.weight_segments is the same in Python
// (test_rtl_slots checks that the two agree).

function integer e3ne_segment;
    input integer cols;
    input [1024:0] slot_set;
    input integer x;
    reg [1024:0] cut;  // cut[b]: a segment starts at lane b
    integer n, j;
    begin
        cut = {1025{1'b0}};
        cut[cols] = 1'b1;
        for (n = 1; n <= cols; n = n + 1) begin
            if (slot_set[n]) begin
                for (j = 1; j <= n; j = j + 1) cut[j*(cols/n)] = 1'b1;
            end
        end
        e3ne_segment = 0;
        for (j = 1; j <= x; j = j + 1) if (cut[j]) e3ne_segment = e3ne_segment + 1;
    end
endfunction

// e3ne_first_slot(slot_set): the smallest slot count of the set (0 for an empty set)
function integer e3ne_first_slot;
    input [1024:0] slot_set;
    integer n;
    begin
        e3ne_first_slot = 0;
        for (n = 1024; n >= 1; n = n - 1) if (slot_set[n]) e3ne_first_slot = n;
    end
endfunction

localparam [1024:0] SLOT_MASK = {{(1024 - SLOTS) {1'b0}}, SLOT_SET};
