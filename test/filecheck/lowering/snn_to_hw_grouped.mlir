// convert-snn-to-hw runs a grouped or depthwise convolution (imported dense, with zero weights
// across its groups) in the conv engine's grouped mode: the layer records the feature groups its
// weights split into, and the conv weight ROM holds each output-channel group's input band only.
// RUN: e3ne-opt %s -p convert-snn-to-hw | filecheck %s
// RUN: e3ne-opt %s -p convert-snn-to-hw --print-op-generic | e3ne-opt | filecheck %s

// A depthwise 3x3 conv of 4 channels, then a grouped 1x1 conv (2 groups of 2), tiled with
// tile{units=2 cols=4 lanes=4}: each group of 2 output channels reads 2 input channels.
func.func @depthwise(%x: tensor<1x4x4x4xf32>) -> tensor<1x2xsi14, #snn.fixed<frac = 4>> {
  %e = snn.encode %x {step = 6.250000e-02 : f64, code_bits = 4 : i64} : tensor<1x4x4x4xf32> -> tensor<1x4x4x4xui4, #snn.radix<4, frac = 4>>
  %d = snn.conv_layer %e {weight = dense<[[[[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]], [[0, 0, 0], [0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0], [0, 0, 0]]], [[[0, 0, 0], [0, 0, 0], [0, 0, 0]], [[0, 1, 2], [0, 1, 2], [0, 1, 2]], [[0, 0, 0], [0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0], [0, 0, 0]]], [[[0, 0, 0], [0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0], [0, 0, 0]], [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]], [[0, 0, 0], [0, 0, 0], [0, 0, 0]]], [[[0, 0, 0], [0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0], [0, 0, 0]], [[0, 1, 2], [0, 1, 2], [0, 1, 2]]]]> : tensor<4x4x3x3xi8>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>, acc_bits = 9 : i64, shift = 0 : i64, tiling = #snn.conv_tiling<units = 2, cols = 4, slots = 1, slot_width = 4, col_tiles = 1, groups = 2>} : tensor<1x4x4x4xui4, #snn.radix<4, frac = 4>> -> tensor<1x4x4x4xui4, #snn.radix<4, frac = 4>>
  %p = snn.conv_layer %d {weight = dense<[[[[1]], [[-1]], [[0]], [[0]]], [[[2]], [[-1]], [[0]], [[0]]], [[[0]], [[0]], [[3]], [[-1]]], [[[0]], [[0]], [[4]], [[-1]]]]> : tensor<4x4x1x1xi8>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0>, weight_quant = #snn.weight_quant<bits = 4, frac = 0>, acc_bits = 10 : i64, shift = 0 : i64, tiling = #snn.conv_tiling<units = 2, cols = 4, slots = 1, slot_width = 4, col_tiles = 1, groups = 2>} : tensor<1x4x4x4xui4, #snn.radix<4, frac = 4>> -> tensor<1x4x4x4xui4, #snn.radix<4, frac = 4>>
  %l = snn.linear_layer %p {weight = dense<1> : tensor<2x64xi8>, weight_quant = #snn.weight_quant<bits = 3, frac = 0>, acc_bits = 14 : i64, tiling = #snn.linear_tiling<lanes = 4, groups = 1>} : tensor<1x4x4x4xui4, #snn.radix<4, frac = 4>> -> tensor<1x2xsi14, #snn.fixed<frac = 4>>
  func.return %l : tensor<1x2xsi14, #snn.fixed<frac = 4>>
}

// The weights: 2 groups x a band of 2 channels x 9 taps, then 2 x 2 x 1 (dense: 2 x 4 x 9 + 2 x 4 x 1).
// CHECK:      e3ne_hw.weight_memory "conv_weights" {word_bits = 8 : i64, depth = 40 : i64}
// CHECK:      e3ne_hw.conv_layer "conv1" {{.*}}c_in = 4 : i64{{.*}}c_out = 4 : i64{{.*}}w_base = 0 : i64{{.*}}feature_groups = 4 : i64}
// CHECK-NEXT: e3ne_hw.conv_layer "conv2" {{.*}}w_base = 36 : i64{{.*}}feature_groups = 2 : i64}
// CHECK-NEXT: e3ne_hw.linear_layer "linear1"
// CHECK-NOT:  feature_groups
