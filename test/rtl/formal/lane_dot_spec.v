// Formal spec of e3ne_lane driven as the engines drive it (docs/numerics.md 2.4, 2.2): after a clear
// and T timesteps of N inputs each, bit planes most significant first, doubling on the first
// step of every timestep after the first, the lane holds V = sum_i w_i * a_i exactly, for all
// codes a_i (T bits; signed two's complement when SIGNED = 1, the first plane subtracting) and
// all weights w_i (WB bits), with ACC at least the width bound of numerics 2.7.
module lane_dot_spec #(
    parameter ACC = 8,
    parameter WB = 3,
    parameter T = 3,
    parameter N = 2,
    parameter SIGNED = 0
) (
    input wire clk
);
    (* anyconst *) reg [N*T-1:0] codes;
    (* anyconst *) reg [N*WB-1:0] weights;

    // the step sequencer: a clear, then N*T steps, then hold
    reg [7:0] t = 0, i = 0;
    reg started = 0, done = 0;
    always @(posedge clk) begin
        started <= 1'b1;
        if (started && !done) begin
            if (i == N - 1) begin
                i <= 0;
                t <= t + 1'b1;
                if (t == T - 1) done <= 1'b1;
            end else i <= i + 1'b1;
        end
    end
    wire [T-1:0] a_i = codes[i*T+:T];
    wire [WB-1:0] w_i = weights[i*WB+:WB];
    wire [ACC-1:0] v_next;
    e3ne_lane #(.ACC(ACC), .WB(WB), .SIGNED(SIGNED)) dut (
        .clk(clk), .clr(!started), .ce(started && !done), .dbl(!done && t != 0 && i == 0),
        .neg(t == 0), .s(!done && a_i[T-1-t]), .w(w_i), .v_next(v_next)
    );

    integer j;
    reg signed [ACC:0] dot;  // the width bound of numerics 2.7 fits ACC bits
    always @* begin
        dot = 0;
        for (j = 0; j < N; j = j + 1) begin
            if (SIGNED != 0) dot = dot + $signed(weights[j*WB+:WB]) * $signed(codes[j*T+:T]);
            else dot = dot + $signed(weights[j*WB+:WB]) * $signed({1'b0, codes[j*T+:T]});
        end
    end
    // once done, ce is low and s is low, so v_next is the held V
    always @* if (done) assert ($signed(v_next) == dot);
endmodule
