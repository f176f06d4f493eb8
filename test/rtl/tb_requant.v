// Testbench of e3ne_requant for test/rtl: +count vectors, one per line of +vectors (hex, fields
// {v, bias, shift, t_out, out_signed} packed MSB first as written by test_units.py), results "<sum> <code>"
// in hex, one line per vector, to +results. Each vector is held for three clock edges (the unit's
// two stages, after its layer registers have followed shift and t_out, which takes two).
`timescale 1ns / 1ps
module tb_requant;
    parameter ACC = 8, TMAX = 4, KBITS = 8, N = 1;
    localparam TBITS = $clog2(TMAX + 1);
    localparam VW = ACC + ACC + 1 + KBITS + TBITS + 1;

    reg clk = 1'b0;
    reg [VW-1:0] vec[0:N-1];
    reg [ACC-1:0] v;
    reg [ACC:0] bias;
    reg [KBITS-1:0] shift;
    reg [TBITS-1:0] t_out;
    reg out_signed;
    wire [ACC:0] sum;
    wire [TMAX-1:0] code;
    reg [8*256-1:0] fname;
    integer k, fd, count;

    e3ne_requant #(.ACC(ACC), .TMAX(TMAX), .KBITS(KBITS)) dut (
        .clk(clk), .v(v), .bias(bias), .shift(shift), .t_out(t_out), .out_signed(out_signed), .sum(sum), .code(code)
    );

    initial begin
        if ($value$plusargs("vectors=%s", fname)) $readmemh(fname, vec);
        if (!$value$plusargs("results=%s", fname)) fname = "results.txt";
        fd = $fopen(fname, "w");
        if (!$value$plusargs("count=%d", count)) count = N;
        for (k = 0; k < count; k = k + 1) begin
            {v, bias, shift, t_out, out_signed} = vec[k];
            repeat (3) begin
                #5 clk = 1'b1;
                #5 clk = 1'b0;
            end
            $fwrite(fd, "%h %h\n", sum, code);
        end
        $fclose(fd);
        $finish;
    end
endmodule
