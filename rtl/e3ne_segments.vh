// e3ne_segments.vh: the weight segments of a conv unit (docs/hardware.md 2.2, 3), included inside
// the modules that need them (e3ne_core for the conv weight ROM's width, e3ne_step_pipe for each
// lane's weight field).
//
// A layer of n channel slots (n of SLOT_SET) puts slot j in lanes j*SW .. j*SW+SW-1, SW = COLS / n,
// and leaves lanes n*SW .. COLS-1 idle. Cutting the lanes at every slot start of every n (and at
// COLS) gives segments that each lie inside one slot, or the idle tail, whatever n the layer runs.
// The ROM word holds one weight per segment and unit, written by the compiler for the layer's n,
// so a lane's weight is a fixed field of the word: no multiplexer over the slot counts per lane
// (which cost 4-6 LUT per lane), paid for by a wider word in block RAM.
//
// e3ne_segment(cols, slot_set, x): the segment of lane x, the number of cuts in 1 .. x; a cut is
// cols, or j*(cols/n) for 1 <= j <= n and a slot count n (bit n of slot_set). For x = cols it is the
// number of segments. e3ne.engine.schema.weight_segments is the same in Python (test_rtl_segments
// checks that the two agree).
function integer e3ne_segment;
    input integer cols;
    input integer slot_set;
    input integer x;
    integer b, n, cut;
    begin
        e3ne_segment = 0;
        for (b = 1; b <= x; b = b + 1) begin
            cut = (b == cols) ? 1 : 0;
            for (n = 1; n <= cols && n < 32; n = n + 1) begin
                if (((slot_set >> n) & 1) == 1 && b % (cols / n) == 0 && b <= n * (cols / n)) cut = 1;
            end
            e3ne_segment = e3ne_segment + cut;
        end
    end
endfunction
