// Testbench of e3ne_pool for test/rtl: +count inputs, one per cycle, from +vectors (hex, fields
// {lb_base, emit, mode, size, in_valid, row_start, win_first, win_last, in_code}); the unit's row
// holds a code three clock edges after it came in, so after the third edge from a vector with emit
// set the assembled row is written (hex) to +results.
`timescale 1ns / 1ps
module tb_pool;
    parameter TMAX = 4, ROWW = 8, PKMAX = 2, N = 1, LB = ROWW + 1;
    localparam PSB = $clog2(PKMAX + 1);
    localparam LBB = $clog2(LB);
    localparam VW = LBB + 1 + 2 + PSB + 4 + TMAX;

    reg clk = 1'b0;
    reg [VW-1:0] vec[0:N-1];
    reg emit, emit1, emit2;
    reg [1:0] mode;
    reg [PSB-1:0] size;
    reg in_valid, row_start, win_first, win_last;
    reg [TMAX-1:0] in_code;
    reg [LBB-1:0] lb_base;
    wire [ROWW*TMAX-1:0] row;
    reg [8*256-1:0] fname;
    integer k, fd, count;

    // windows of stride K without padding (overlapping windows: test_rtl_pool, through e3ne_core)
    e3ne_pool #(.TMAX(TMAX), .ROWW(ROWW), .PKMAX(PKMAX), .LB(LB)) dut (
        .clk(clk), .mode(mode), .size(size), .stride(size), .first_end(size - 1'b1), .in_valid(in_valid),
        .in_pad(1'b0), .in_code(in_code), .row_start(row_start), .v_first(win_first), .v_last(win_last),
        .lb_base(lb_base), .sel(1'b0), .row(row)
    );

    initial begin
        if ($value$plusargs("vectors=%s", fname)) $readmemh(fname, vec);
        if (!$value$plusargs("results=%s", fname)) fname = "results.txt";
        fd = $fopen(fname, "w");
        if (!$value$plusargs("count=%d", count)) count = N;
        emit1 = 1'b0;
        emit2 = 1'b0;
        for (k = 0; k < count + 2; k = k + 1) begin
            if (k < count) begin
                {lb_base, emit, mode, size, in_valid, row_start, win_first, win_last, in_code} = vec[k];
            end else begin
                {emit, in_valid} = 2'b00;  // the last vectors' codes reach the row
            end
            #5 clk = 1'b1;
            #5 clk = 1'b0;
            if (emit2) $fwrite(fd, "%h\n", row);
            emit2 = emit1;
            emit1 = emit;
        end
        $fclose(fd);
        $finish;
    end
endmodule
