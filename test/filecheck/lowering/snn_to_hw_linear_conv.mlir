// convert-snn-to-hw of linear layers on the conv units (a #snn.conv_tiling, as tile{units=2 cols=8 lanes=4}
// places them by default): each becomes an e3ne_hw.conv_layer whose kernel is its whole input (kh = H,
// kw = W, one output position, no pooling), its weights reshaped to [F_out, C, H, W] (torch flattens
// C-major), raw when it is the last layer. Its output is stored as an F x 1 x 1 map, one row of one code
// per neuron, which the next layer on the conv units reads as a 1x1 kernel. Without a layer on the linear
// unit the engine has no linear unit and no linear weight ROM: HAS_LINEAR = 0, LANES = 1, LWDEPTH = 2.
// RUN: e3ne-opt %s -p convert-snn-to-hw | filecheck %s
// RUN: e3ne-opt %s -p convert-snn-to-hw,prepare-verilog | filecheck %s --check-prefix=PARAMS
// RUN: e3ne-opt %s -p 'convert-snn-to-hw{function=main},prepare-verilog' -t verilog | filecheck %s --check-prefix=VERILOG

func.func @main(%x: tensor<1x1x8x8xf32>) -> tensor<1xi32> {
  %e = snn.encode %x {step = 6.250000e-02 : f64, code_bits = 4 : i64} : tensor<1x1x8x8xf32> -> tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>
  %m = snn.conv_layer %e {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64, pool_mode = "max", pool_kernel = array<i64: 2, 2>, pool_strides = array<i64: 2, 2>, pool_padding = array<i64: 0, 0>, tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 1, slot_width = 8, col_tiles = 1, groups = 1>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>
  %hn = snn.linear_layer %m {weight = dense<1> : tensor<5x32xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64, shift = 2 : i64, tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 3, slot_width = 2, col_tiles = 1, groups = 1>} : tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>> -> tensor<1x5xui4, #snn.radix<4, frac = 2>>
  %l = snn.linear_layer %hn {weight = dense<[[-4, -3, -2, -1, 0], [1, 2, 3, -4, -3], [0, 0, 1, 1, 2]]> : tensor<3x5xi8>, bias = dense<[7, 0, -7]> : tensor<3xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64, tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 2, slot_width = 4, col_tiles = 1, groups = 1>} : tensor<1x5xui4, #snn.radix<4, frac = 2>> -> tensor<1x3xsi10, #snn.fixed<frac = 3>>
  %k = snn.argmax %l : tensor<1x3xsi10, #snn.fixed<frac = 3>> -> tensor<1xi32>
  func.return %k : tensor<1xi32>
}

func.func @flatten(%x: tensor<1x1x4x4xf32>) -> tensor<1x3xsi10, #snn.fixed<frac = 4>> {
  %e = snn.encode %x {step = 6.250000e-02 : f64, code_bits = 4 : i64} : tensor<1x1x4x4xf32> -> tensor<1x1x4x4xui4, #snn.radix<4, frac = 4>>
  %n = snn.conv_layer %e {weight = dense<1> : tensor<2x1x3x3xi8>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>, acc_bits = 9 : i64, shift = 4 : i64, tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 1, slot_width = 8, col_tiles = 1, groups = 1>} : tensor<1x1x4x4xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x2x2xui4, #snn.radix<4, frac = 0>>
  %l = snn.linear_layer %n {weight = dense<[[0, 1, 2, 3, -4, -3, -2, -1], [1, 1, 1, 1, 0, 0, 0, 0], [0, 0, 0, 0, 1, 1, 1, 1]]> : tensor<3x8xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 4>, acc_bits = 10 : i64, tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 2, slot_width = 4, col_tiles = 1, groups = 1>} : tensor<1x2x2x2xui4, #snn.radix<4, frac = 0>> -> tensor<1x3xsi10, #snn.fixed<frac = 4>>
  func.return %l : tensor<1x3xsi10, #snn.fixed<frac = 4>>
}

// The first two layers as in @main, the last on the linear unit: it reads the F x 1 x 1 map in rows of
// one code (in_row_width = 1), and the engine keeps its linear unit.
func.func @mixed(%x: tensor<1x1x8x8xf32>) -> tensor<1xi32> {
  %e = snn.encode %x {step = 6.250000e-02 : f64, code_bits = 4 : i64} : tensor<1x1x8x8xf32> -> tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>
  %m = snn.conv_layer %e {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64, pool_mode = "max", pool_kernel = array<i64: 2, 2>, pool_strides = array<i64: 2, 2>, pool_padding = array<i64: 0, 0>, tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 1, slot_width = 8, col_tiles = 1, groups = 1>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>
  %hn = snn.linear_layer %m {weight = dense<1> : tensor<5x32xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64, shift = 2 : i64, tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 3, slot_width = 2, col_tiles = 1, groups = 1>} : tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>> -> tensor<1x5xui4, #snn.radix<4, frac = 2>>
  %l = snn.linear_layer %hn {weight = dense<[[-4, -3, -2, -1, 0], [1, 2, 3, -4, -3], [0, 0, 1, 1, 2]]> : tensor<3x5xi8>, bias = dense<[7, 0, -7]> : tensor<3xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64, tiling = #snn.linear_tiling<lanes = 4, groups = 1>} : tensor<1x5xui4, #snn.radix<4, frac = 2>> -> tensor<1x3xsi10, #snn.fixed<frac = 3>>
  %k = snn.argmax %l : tensor<1x3xsi10, #snn.fixed<frac = 3>> -> tensor<1xi32>
  func.return %k : tensor<1xi32>
}

// CHECK:      e3ne_hw.engine "main"
// Row width 8 (the input), 8 rows: the conv map's 2 x 4 and the hidden layer's 5 neurons, one row each.
// CHECK-NEXT: e3ne_hw.act_memory {depth = 8 : i64, row_codes = 8 : i64, code_bits = 4 : i64}
// The largest kernel is the hidden layer's 4x4 input.
// CHECK-NEXT: e3ne_hw.conv_unit {units = 2 : i64, cols = 8 : i64, max_kernel = 4 : i64, max_stride = 1 : i64, max_padding = 1 : i64}
// CHECK-NEXT: e3ne_hw.pool_unit {max_window = 2 : i64}
// Weight words of the segments of slot counts 1, 2 and 3 (cuts 0 2 4 6 8: 4 segments x 2 units x 3 bits):
// 9 + 2 x 4 x 4 + 5 words; biases 2 + 6 + 4 (one group of units x slots channels each).
// CHECK-NEXT: e3ne_hw.weight_memory "conv_weights" {word_bits = 24 : i64, depth = 46 : i64}
// CHECK-NEXT: e3ne_hw.weight_memory "biases" {word_bits = 11 : i64, depth = 12 : i64}
// CHECK-NEXT: e3ne_hw.weight_memory "program" {word_bits = 32 : i64, depth = 128 : i64}
// CHECK-NEXT: e3ne_hw.conv_layer "conv1" {{.*}}c_out = 2 : i64, h_out = 8 : i64, w_out = 8 : i64{{.*}}pool_size = 2 : i64, w_base = 0 : i64, b_base = 0 : i64, raw = 0 : i64, slots = 1 : i64
// CHECK-NEXT: e3ne_hw.conv_layer "linear1" {weight = dense<1> : tensor<5x2x4x4xi8>, src_bank = 1 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 2 : i64, h_in = 4 : i64, w_in = 4 : i64, kh = 4 : i64, kw = 4 : i64, sh = 1 : i64, sw = 1 : i64, ph = 0 : i64, pw = 0 : i64, c_out = 5 : i64, h_out = 1 : i64, w_out = 1 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 2 : i64, pool_mode = #e3ne_hw.pool<none>, pool_size = 1 : i64, w_base = 9 : i64, b_base = 2 : i64, raw = 0 : i64, slots = 3 : i64, weight_bits = 3 : i64, acc_bits = 10 : i64}
// The raw last layer: a 1x1 kernel over the 5 x 1 x 1 map, weight [o, f] at [o, f, 0, 0].
// CHECK-NEXT: e3ne_hw.conv_layer "linear2" {weight = dense<{{\[\[\[\[}}-4]], {{\[\[}}-3]], {{\[\[}}-2]], {{\[\[}}-1]], {{\[\[}}0]]], {{\[\[\[}}1]], {{\[\[}}2]], {{\[\[}}3]], {{\[\[}}-4]], {{\[\[}}-3]]], {{\[\[\[}}0]], {{\[\[}}0]], {{\[\[}}1]], {{\[\[}}1]], {{\[\[}}2]]]]> : tensor<3x5x1x1xi8>, bias = dense<[7, 0, -7]> : tensor<3xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 5 : i64, h_in = 1 : i64, w_in = 1 : i64, kh = 1 : i64, kw = 1 : i64, sh = 1 : i64, sw = 1 : i64, ph = 0 : i64, pw = 0 : i64, c_out = 3 : i64, h_out = 1 : i64, w_out = 1 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, pool_mode = #e3ne_hw.pool<none>, pool_size = 1 : i64, w_base = 41 : i64, b_base = 8 : i64, raw = 1 : i64, slots = 2 : i64, weight_bits = 3 : i64, acc_bits = 10 : i64}
// CHECK-NOT:  e3ne_hw.linear_unit
// The flattened 2x2x2 map: weight [o, c*4 + y*2 + x] at [o, c, y, x].
// CHECK:      e3ne_hw.engine "flatten"
// CHECK-NOT:  e3ne_hw.linear_unit
// CHECK:      e3ne_hw.conv_layer "linear1" {weight = dense<{{\[\[\[\[}}0, 1], [2, 3]], {{\[\[}}-4, -3], [-2, -1]]], {{\[\[\[}}1, 1], [1, 1]], {{\[\[}}0, 0], [0, 0]]], {{\[\[\[}}0, 0], [0, 0]], {{\[\[}}1, 1], [1, 1]]]]> : tensor<3x2x2x2xi8>{{.*}}c_in = 2 : i64, h_in = 2 : i64, w_in = 2 : i64, kh = 2 : i64, kw = 2 : i64{{.*}}h_out = 1 : i64, w_out = 1 : i64{{.*}}raw = 1 : i64
// CHECK:      e3ne_hw.engine "mixed"
// CHECK:      e3ne_hw.linear_unit {lanes = 4 : i64}
// CHECK:      e3ne_hw.weight_memory "linear_weights" {word_bits = 12 : i64, depth = 5 : i64}
// CHECK:      e3ne_hw.conv_layer "linear1" {{.*}}kh = 4 : i64, kw = 4 : i64{{.*}}raw = 0 : i64
// CHECK-NEXT: e3ne_hw.linear_layer "linear2" {{.*}}c_in = 5 : i64, in_row_width = 1 : i64, c_out = 3 : i64{{.*}}raw = 1 : i64

// No layer on the linear unit: HAS_LINEAR = 0 with LANES = 1 and the least LWDEPTH, and no linear weight ROM.
// PARAMS:      e3ne_hw.engine "main" {{.*}}SLOTS = 3 : i64, SLOT_SET = 14 : i64, LANES = 1 : i64, {{.*}}KMAX = 4 : i64, {{.*}}LWDEPTH = 2 : i64, {{.*}}HAS_CONV = 1 : i64, HAS_LINEAR = 0 : i64,
// PARAMS-NOT:  "linear_weights"
// The raw layer's biases are b_q without the rounding constant (7, 0, -7 and the idle channel's 0);
// the hidden layer's 6 words hold 2^(k-1) = 2.
// PARAMS:      e3ne_hw.memory_image "biases" {image = dense<{{\[\[}}9, 0], [-3, 7], [2, 0], [2, 0], [2, 0], [2, 0], [2, 0], [2, 0], [7, 0], [0, 0], [-7, 7], [0, 0]]> : tensor<12x2xi8>
// PARAMS:      e3ne_hw.engine "flatten" {{.*}}HAS_LINEAR = 0 : i64,
// PARAMS:      e3ne_hw.engine "mixed" {{.*}}LANES = 4 : i64, {{.*}}LWDEPTH = 5 : i64, {{.*}}HAS_LINEAR = 1 : i64,
// PARAMS:      e3ne_hw.memory_image "linear_weights"

// VERILOG:      //   conv1      conv 1x8x8 -> 2x8x8, k 3x3 s 1 p 1, T 4->4, shift 3, max pool 2
// VERILOG-NEXT: //   linear1    conv 2x4x4 -> 5x1x1, k 4x4 s 1 p 0, T 4->4, shift 2
// VERILOG-NEXT: //   linear2    conv 5x1x1 -> 3x1x1, k 1x1 s 1 p 0, raw logits
// VERILOG:      .LANES(1),
// VERILOG:      .HAS_LINEAR(0),
// VERILOG-NEXT: .CW_INIT("conv_weights.mem"),
// VERILOG-NEXT: .B_INIT("biases.mem"),
