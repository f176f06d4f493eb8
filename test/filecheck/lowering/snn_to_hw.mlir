// convert-snn-to-hw translates fused, tiled snn into an engine, its units, memories and layer
// program; it chooses nothing (the tilings did), and every choice is an attribute of the ops.
// RUN: e3ne-opt %s -p convert-snn-to-hw | filecheck %s
// RUN: e3ne-opt %s -p convert-snn-to-hw --print-op-generic | e3ne-opt | filecheck %s
// RUN: e3ne-opt %s -p 'convert-snn-to-hw{function=main}' | filecheck %s --check-prefix=ONE
// RUN: not e3ne-opt %s -p 'convert-snn-to-hw{function=other}' 2>&1 | filecheck %s --check-prefix=NOFUNC

// Tiled with tile{units=2 cols=8 lanes=16}.
func.func @main(%x: tensor<1x1x8x8xf32>) -> tensor<1xi32> {
  %e = snn.encode %x {step = 6.250000e-02 : f64, code_bits = 4 : i64} : tensor<1x1x8x8xf32> -> tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>>
  %m = snn.conv_layer %e {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 2>, acc_bits = 10 : i64, shift = 3 : i64, pool_mode = "max", pool_kernel = array<i64: 2, 2>, pool_strides = array<i64: 2, 2>, pool_padding = array<i64: 0, 0>, tiling = #snn.conv_tiling<units = 2, cols = 8, slots = 1, slot_width = 8, col_tiles = 1, groups = 1>} : tensor<1x1x8x8xui4, #snn.radix<4, frac = 4>> -> tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>>
  %hn = snn.linear_layer %m {weight = dense<1> : tensor<5x32xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64, shift = 2 : i64, tiling = #snn.linear_tiling<lanes = 16, groups = 1>} : tensor<1x2x4x4xui4, #snn.radix<4, frac = 3>> -> tensor<1x5xui4, #snn.radix<4, frac = 2>>
  %l = snn.linear_layer %hn {weight = dense<-4> : tensor<3x5xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 1>, acc_bits = 10 : i64, tiling = #snn.linear_tiling<lanes = 16, groups = 1>} : tensor<1x5xui4, #snn.radix<4, frac = 2>> -> tensor<1x3xsi10, #snn.fixed<frac = 3>>
  %k = snn.argmax %l : tensor<1x3xsi10, #snn.fixed<frac = 3>> -> tensor<1xi32>
  func.return %k : tensor<1xi32>
}


// A conv with 4-wide rows, tiled with tile{units=1 cols=8 lanes=4}: two channel slots of 4 lanes.
func.func @slotted(%x: tensor<1x1x4x4xf32>) -> tensor<1x2xsi14, #snn.fixed<frac = 4>> {
  %e = snn.encode %x {step = 6.250000e-02 : f64, code_bits = 4 : i64} : tensor<1x1x4x4xf32> -> tensor<1x1x4x4xui4, #snn.radix<4, frac = 4>>
  %n = snn.conv_layer %e {weight = dense<[[[[1, 0, 1], [0, 2, 0], [1, 0, 1]]], [[[0, 1, 0], [1, -3, 1], [0, 1, 0]]], [[[-1, 0, 0], [0, 3, 0], [0, 0, -1]]]]> : tensor<3x1x3x3xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>, acc_bits = 9 : i64, shift = 0 : i64, tiling = #snn.conv_tiling<units = 1, cols = 8, slots = 2, slot_width = 4, col_tiles = 1, groups = 2>} : tensor<1x1x4x4xui4, #snn.radix<4, frac = 4>> -> tensor<1x3x4x4xui4, #snn.radix<4, frac = 4>>
  %l = snn.linear_layer %n {weight = dense<1> : tensor<2x48xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>, acc_bits = 14 : i64, tiling = #snn.linear_tiling<lanes = 4, groups = 1>} : tensor<1x3x4x4xui4, #snn.radix<4, frac = 4>> -> tensor<1x2xsi14, #snn.fixed<frac = 4>>
  func.return %l : tensor<1x2xsi14, #snn.fixed<frac = 4>>
}

// CHECK:      e3ne_hw.engine "main" {input_shape = array<i64: 1, 8, 8>, input_step = 6.250000e-02 : f64, input_timesteps = 4 : i64, acc_bits = 10 : i64, weight_bits = 3 : i64}
// CHECK-NEXT: e3ne_hw.act_memory {depth = 8 : i64, row_codes = 8 : i64, code_bits = 4 : i64}
// CHECK-NEXT: e3ne_hw.conv_unit {units = 2 : i64, cols = 8 : i64, max_kernel = 3 : i64, max_stride = 1 : i64, max_padding = 1 : i64}
// CHECK-NEXT: e3ne_hw.pool_unit {max_window = 2 : i64}
// CHECK-NEXT: e3ne_hw.linear_unit {lanes = 16 : i64}
// CHECK-NEXT: e3ne_hw.weight_memory "conv_weights" {word_bits = 6 : i64, depth = 9 : i64}
// CHECK-NEXT: e3ne_hw.weight_memory "linear_weights" {word_bits = 48 : i64, depth = 37 : i64}
// CHECK-NEXT: e3ne_hw.weight_memory "biases" {word_bits = 11 : i64, depth = 10 : i64}
// CHECK-NEXT: e3ne_hw.weight_memory "program" {word_bits = 32 : i64, depth = 128 : i64}
// The pooled conv map is stored 2x4x4; the linear layer walks it in rows of 4 codes (flatten order).
// CHECK-NEXT: e3ne_hw.conv_layer "conv1" {weight = dense<3> : tensor<2x1x3x3xi8>, bias = dense<[5, -7]> : tensor<2xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 1 : i64, h_in = 8 : i64, w_in = 8 : i64, kh = 3 : i64, kw = 3 : i64, sh = 1 : i64, sw = 1 : i64, ph = 1 : i64, pw = 1 : i64, c_out = 2 : i64, h_out = 8 : i64, w_out = 8 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 3 : i64, pool_mode = #e3ne_hw.pool<max>, pool_size = 2 : i64, w_base = 0 : i64, b_base = 0 : i64, raw = 0 : i64, slots = 1 : i64, weight_bits = 3 : i64, acc_bits = 10 : i64}
// CHECK-NEXT: e3ne_hw.linear_layer "linear1" {weight = dense<1> : tensor<5x32xi8>, src_bank = 1 : i64, dst_bank = 0 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 32 : i64, in_row_width = 4 : i64, c_out = 5 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 2 : i64, w_base = 0 : i64, b_base = 2 : i64, raw = 0 : i64, weight_bits = 3 : i64, acc_bits = 10 : i64}
// Linear outputs are rows of the engine's row_codes (8) codes.
// CHECK-NEXT: e3ne_hw.linear_layer "linear2" {weight = dense<-4> : tensor<3x5xi8>, src_bank = 0 : i64, dst_bank = 1 : i64, src_base = 0 : i64, dst_base = 0 : i64, c_in = 5 : i64, in_row_width = 8 : i64, c_out = 3 : i64, t_in = 4 : i64, t_out = 4 : i64, shift = 0 : i64, w_base = 32 : i64, b_base = 7 : i64, raw = 1 : i64, weight_bits = 3 : i64, acc_bits = 10 : i64}

// The conv weight words hold units x slots = 2 weights; 2 groups of 2 slots for 3 channels: 2 x 9
// weight words and 2 x 2 bias words (the fourth channel's bias word holds the rounding constant).
// CHECK:      e3ne_hw.engine "slotted"
// CHECK:      e3ne_hw.conv_unit {units = 1 : i64, cols = 8 : i64
// CHECK:      e3ne_hw.linear_unit {lanes = 4 : i64}
// CHECK:      e3ne_hw.weight_memory "conv_weights" {word_bits = 6 : i64, depth = 18 : i64}
// CHECK:      e3ne_hw.weight_memory "biases" {word_bits = 15 : i64, depth = 6 : i64}
// CHECK:      e3ne_hw.conv_layer "conv1" {{.*}}c_out = 3 : i64, h_out = 4 : i64, w_out = 4 : i64{{.*}}slots = 2 : i64
// CHECK:      e3ne_hw.linear_layer "linear1" {{.*}}w_base = 0 : i64, b_base = 4 : i64
// CHECK-NOT:  func.func

// Each function becomes an engine of its name; the function option picks one.
// ONE:        e3ne_hw.engine "main"
// ONE:        func.func @slotted

// NOFUNC: e3ne-opt: error: the module has no func.func @other
