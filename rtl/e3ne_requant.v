// e3ne_requant: the radix neuron's output function (docs/numerics.md 2.4), two pipeline stages.
//
//   sum  = V + b'                       (ACC+1 bits; b' already holds the rounding constant)
//   code = clamp(sum >>> k, 0, 2^t_out - 1)        k >= 1
//   code = clamp(sum <<  -k, 0, 2^t_out - 1)       k <= 0
//
// With out_signed (a layer without ReLU, docs/numerics.md 2.4) the clamp is to
// [-2^(t_out-1), 2^(t_out-1) - 1] and the code is its t_out-bit two's-complement pattern.
//
// Stage 1 adds: `sum` is registered, valid one cycle after v and bias. Stage 2 shifts and
// saturates: `code` is registered, valid one cycle after `sum`. Nothing on the data path depends
// on k arithmetic: what follows from the layer's k and t_out (the clamped offset of sum bit k, the
// mask of the bits that saturate, 2^t_out - 1) is registered from `shift` and `t_out`, which the
// controller holds for the whole layer and sets a dozen cycles before the engine starts.
//
// The layer registers take two cycles: the clamped k, then what follows from it.
//
// No barrel shifter: a code has at most TMAX bits, so the shift is TMAX multiplexers picking
// sum bits k .. k+TMAX-1, and saturation is "some sum bit at position >= k + t_out is set",
// a masked OR. k is clamped to [-TMAX, ACC], which changes no result (below -TMAX every nonzero
// sum saturates, above ACC-1 every non-negative sum gives 0; above ACC every code is 0, as the
// compiler leaves the rounding constant out there, docs/hardware.md 2.4). Signed codes: the sum is
// sign-extended above its bits, so the same TMAX multiplexers give a negative code's pattern, and it
// saturates low when some sum bit at or above k + t_out - 1 is clear. Units with the same shift,
// t_out and out_signed have identical layer registers, which synthesis merges. Raw layers use `sum`
// directly (its low ACC bits are the signed logit).
module e3ne_requant #(
    parameter ACC   = 16,
    parameter TMAX  = 4,
    parameter KBITS = 8,                   // width of the signed shift k
    parameter TBITS = $clog2(TMAX + 1)     // width of t_out
) (
    input  wire             clk,
    input  wire [  ACC-1:0] v,      // signed potential
    input  wire [    ACC:0] bias,   // signed b'
    input  wire [KBITS-1:0] shift,  // signed k (held for the layer)
    input  wire [TBITS-1:0] t_out,  // held for the layer
    input  wire             out_signed,  // signed codes (no ReLU), held for the layer
    output reg  [    ACC:0] sum,    // signed V + b', one cycle after v and bias
    output reg  [ TMAX-1:0] code    // one cycle after sum
);
    localparam EW = ACC + 2 * TMAX;  // sum bits with TMAX zeros below and above
    localparam IW = $clog2(EW);
    localparam CW = (KBITS > IW ? KBITS : IW) + 2;  // signed width for k arithmetic

    // ------------------------------------------------------------------ layer constants
    // kc = clamp(k, -TMAX, ACC), as a CW-bit signed value
    wire [CW-1:0] k_ext = {{(CW - KBITS) {shift[KBITS-1]}}, shift};
    localparam integer KLO = -TMAX;
    localparam integer KHI = ACC;
    localparam integer TMX = TMAX;
    localparam [CW-1:0] K_LO = KLO[CW-1:0];
    localparam [CW-1:0] K_HI = KHI[CW-1:0];
    wire k_below = $signed(k_ext) < $signed(K_LO);
    wire k_above = $signed(k_ext) > $signed(K_HI);
    reg [CW-1:0] kc;
    reg kz;  // k > ACC: every code is 0
    reg sg;  // out_signed
    always @(posedge clk) begin
        kc <= k_below ? K_LO : (k_above ? K_HI : k_ext);
        kz <= k_above;
        sg <= out_signed;
    end
    localparam [CW-1:0] TMAX_C = TMX[CW-1:0];
    wire [CW-1:0] kk_w = kc + TMAX_C;  // 0 .. ACC+TMAX: offset of sum bit k in ext
    wire [TBITS-1:0] t_mag = t_out - {{(TBITS - 1) {1'b0}}, sg};  // magnitude bits of a code
    wire [CW-1:0] thr = kc + {{(CW - TBITS) {1'b0}}, t_mag};  // first bit that saturates

    reg [IW-1:0] kk;  // offset of sum bit k in ext
    reg [ACC-1:0] sat;  // sum bits at or above thr
    reg [TMAX-1:0] top;  // the largest code: 2^t_out - 1, signed 2^(t_out-1) - 1
    reg [TMAX-1:0] low;  // the smallest code's pattern: 0, signed 2^(t_out-1) (that is -2^(t_out-1))
    reg [TMAX-1:0] mask;  // the code's t_out bits (none for k > ACC)
    reg low_all;  // every negative sum gives the smallest code: unsigned, or thr < 0
    integer q, p;
    always @(posedge clk) begin
        kk <= kk_w[IW-1:0];
        for (p = 0; p < ACC; p = p + 1) sat[p] <= thr[CW-1] | (thr <= p[CW-1:0]);
        for (q = 0; q < TMAX; q = q + 1) begin
            top[q] <= q < t_mag;
            low[q] <= sg & (q[TBITS-1:0] == t_mag);
            mask[q] <= ~kz & (q < t_out);
        end
        low_all <= ~sg | thr[CW-1];
    end

    // ------------------------------------------------------------------ stage 1: add
    always @(posedge clk) sum <= {v[ACC-1], v} + bias;

    // ------------------------------------------------------------------ stage 2: shift, saturate
    wire [EW-1:0] ext = {{TMAX{sum[ACC]}}, sum[ACC-1:0], {TMAX{1'b0}}};
    wire over = |(sum[ACC-1:0] & sat);
    wire under = low_all | (|(~sum[ACC-1:0] & sat));
    reg [TMAX-1:0] sel;
    always @* begin
        for (q = 0; q < TMAX; q = q + 1) sel[q] = ext[kk+q[IW-1:0]];
    end
    always @(posedge clk) code <= sum[ACC] ? (under ? low : sel & mask) : (over ? top : sel);

    wire unused_kk = &{1'b0, kk_w[CW-1:IW], 1'b0};
endmodule
