// Formal spec of e3ne_requant (docs/numerics.md 2.4, docs/hardware.md 2.4): for every potential v,
// bias b' and layer constants k (any KBITS-bit signed value) and t_out <= TMAX,
//   sum  = V + b'                                  one cycle later
//   code = clamp(sum >>> k, 0, 2^t_out - 1)  k >= 1  two cycles later
//   code = clamp(sum << -k, 0, 2^t_out - 1)  k <= 0
//   code = 0                                 k > ACC (the compiler leaves the rounding constant out)
// and with out_signed (signed codes, t_out >= 1) the clamp is to [-2^(t_out-1), 2^(t_out-1) - 1]
// and the code is that value's t_out-bit two's-complement pattern (the bits above t_out clear),
// given what the bias ROM guarantees: V + b' fits ACC + 1 bits (|V + b| < 2^(ACC-1), and the
// rounding constant 2^(k-1) is at most 2^(ACC-1)). The layer constants are held (anyconst), and
// become valid two cycles after they are set, as the controller guarantees.
module requant_spec #(
    parameter ACC   = 6,
    parameter TMAX  = 2,
    parameter KBITS = 4
) (
    input wire           clk,
    input wire [ACC-1:0] v,
    input wire [  ACC:0] bias
);
    localparam TBITS = $clog2(TMAX + 1);
    localparam XW = ACC + 2 + (1 << (KBITS - 1));  // a sum shifted left by up to 2^(KBITS-1)
    (* anyconst *) reg [KBITS-1:0] shift;
    (* anyconst *) reg [TBITS-1:0] t_out;
    (* anyconst *) reg out_signed;

    wire [ACC:0] sum;
    wire [TMAX-1:0] code;
    e3ne_requant #(.ACC(ACC), .TMAX(TMAX), .KBITS(KBITS), .TBITS(TBITS)) dut (
        .clk(clk), .v(v), .bias(bias), .shift(shift), .t_out(t_out), .out_signed(out_signed),
        .sum(sum), .code(code)
    );

    // the exact sum, in a width that cannot overflow
    wire signed [ACC+1:0] full = $signed(v) + $signed(bias);
    wire signed [XW-1:0] wide = full;
    wire signed [KBITS-1:0] k = shift;
    wire signed [XW-1:0] top = out_signed ? (1 <<< (t_out - 1)) - 1 : (1 <<< t_out) - 1;
    wire signed [XW-1:0] bottom = out_signed ? -(1 <<< (t_out - 1)) : 0;
    wire signed [XW-1:0] pattern = (1 <<< t_out) - 1;  // the t_out bits of a code
    reg signed [XW-1:0] q;
    always @* begin
        if (k >= 1) q = wide >>> k;
        else q = wide <<< (-k);
    end
    wire signed [XW-1:0] clamped = q < bottom ? bottom : (q > top ? top : q);
    wire [XW-1:0] bits = clamped & pattern;
    localparam integer KMAX = ACC;  // signed (a -chparam value is not)
    wire [TMAX-1:0] want = k > KMAX ? 0 : bits[TMAX-1:0];

    always @* begin
        assume (t_out <= TMAX);
        assume (!out_signed || t_out >= 1);
        assume (full >= -(1 <<< ACC) && full < (1 <<< ACC));
    end

    reg [1:0] age = 0;  // edges since the start: the layer registers need two
    reg [ACC:0] want_sum;
    reg [TMAX-1:0] want_1, want_2;
    always @(posedge clk) begin
        if (age != 2'd3) age <= age + 1'b1;
        want_sum <= full[ACC:0];
        want_1 <= want;
        want_2 <= want_1;
    end
    always @* begin
        if (age >= 2'd1) assert (sum == want_sum);
        if (age == 2'd3) assert (code == want_2);
    end
endmodule
